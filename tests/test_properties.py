"""Hypothesis property tests of the samplers on small generated data sets.

Data: 2-4 classes of 6-60 rows, 1-5 features, float64 or float32, continuous,
integer-grid or duplicate-heavy values (exact duplicate rows, equal distances),
negative zeros, arbitrary integer labels in shuffled row order.
"""

from __future__ import annotations

import os
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from imblearn.utils import check_sampling_strategy

from smotekit import SMOTE, RandomOverSampler, RandomUnderSampler

# SMOTEKIT_PROPERTY_EXAMPLES raises the example count for a longer search (default 40).
SETTINGS = settings(max_examples=int(os.environ.get("SMOTEKIT_PROPERTY_EXAMPLES", 40)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SEEDS = st.integers(0, 2**32 - 1)


# --------------------------------------------------------------------------- data


@st.composite
def datasets(draw, min_classes=2, max_classes=4):
    n_classes = draw(st.integers(min_classes, max_classes))
    counts = draw(st.lists(st.integers(6, 60), min_size=n_classes, max_size=n_classes))
    labels = draw(st.lists(st.integers(-5, 20), min_size=n_classes, max_size=n_classes, unique=True))
    d = draw(st.integers(1, 5))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    kind = draw(st.sampled_from(["continuous", "grid", "duplicates"]))
    rng = np.random.default_rng(draw(SEEDS))
    blocks = []
    for n in counts:
        center = rng.normal(scale=3.0, size=d)
        if kind == "continuous":
            block = center + rng.normal(size=(n, d))
        elif kind == "grid":  # many duplicates and many equal distances
            block = np.round(center) + rng.integers(-2, 3, size=(n, d))
        else:  # a few distinct rows, each repeated
            distinct = center + rng.normal(size=(int(rng.integers(1, 4)), d))
            block = distinct[rng.integers(0, distinct.shape[0], size=n)]
        blocks.append(block)
    X = np.concatenate(blocks).astype(dtype)
    X[rng.random(X.shape) < 0.05] = -0.0  # bit-exactness: -0.0 must survive as -0.0
    y = np.repeat(np.array(labels), counts)
    order = rng.permutation(len(y))
    return np.ascontiguousarray(X[order]), y[order]


def _bits(A):
    """Bit pattern of a float array (distinguishes -0.0 from 0.0)."""
    A = np.ascontiguousarray(A)
    return A.view(np.uint32 if A.dtype == np.float32 else np.uint64)


def assert_bit_equal(A, B):
    assert A.dtype == B.dtype and A.shape == B.shape
    np.testing.assert_array_equal(_bits(A), _bits(B))


def _tolerances(dtype):
    return (1e-5, 1e-5) if dtype == np.float32 else (1e-12, 1e-12)


def _class_distances(X, rows):
    """Exact float64 distances among the given rows, a row to itself at +inf."""
    Xc = X[rows].astype(np.float64)
    diff = Xc[:, None, :] - Xc[None, :, :]
    D = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    np.fill_diagonal(D, np.inf)
    return D


# --------------------------------------------------------------------------- SMOTE geometry


@SETTINGS
@given(data=datasets(), k=st.integers(1, 5), seed=SEEDS)
def test_smote_synthetic_rows_interpolate_same_class_neighbours(data, k, seed):
    X, y = data
    n = len(y)
    sampler = SMOTE(k_neighbors=k, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert len(prov) == len(X_res) == len(y_res)
    syn = np.flatnonzero(prov.is_synthetic)
    np.testing.assert_array_equal(syn, np.arange(n, len(y_res)))
    src, par, gap = prov.source[syn], prov.partner[syn], prov.gap[syn]
    np.testing.assert_array_equal(prov.source[:n], np.arange(n))
    assert (prov.partner[:n] == -1).all() and np.isnan(prov.gap[:n]).all()

    # Parents: two different rows of the synthetic row's class.
    assert ((src >= 0) & (src < n) & (par >= 0) & (par < n)).all()
    assert (par != src).all()
    np.testing.assert_array_equal(y[src], y_res[syn])
    np.testing.assert_array_equal(y[par], y_res[syn])
    assert ((gap >= 0) & (gap <= 1)).all()

    # On the segment: X[source] + gap * (X[partner] - X[source]), between the parents.
    rtol, atol = _tolerances(X.dtype)
    Xs, Xp = X[src].astype(np.float64), X[par].astype(np.float64)
    got = X_res[syn].astype(np.float64)
    scale = 1.0 + np.abs(Xs) + np.abs(Xp)
    np.testing.assert_allclose(got, Xs + gap[:, None] * (Xp - Xs), rtol=rtol, atol=atol)
    lo, hi = np.minimum(Xs, Xp), np.maximum(Xs, Xp)
    assert (got >= lo - atol * scale).all() and (got <= hi + atol * scale).all()

    # The partner is among the k nearest same-class neighbours of the source (ties allowed).
    for label in np.unique(y_res[syn]):
        rows = np.flatnonzero(y == label)
        D = _class_distances(X, rows)
        kth = np.sort(D, axis=1)[:, k - 1]
        mine = y_res[syn] == label
        s_pos, p_pos = np.searchsorted(rows, src[mine]), np.searchsorted(rows, par[mine])
        np.testing.assert_array_equal(rows[s_pos], src[mine])
        np.testing.assert_array_equal(rows[p_pos], par[mine])
        assert (D[s_pos, p_pos] <= kth[s_pos] * (1 + 1e-12)).all()


# --------------------------------------------------------------------------- class counts

OVER_SAMPLERS = {
    "SMOTE": lambda **kw: SMOTE(**kw),
    "SMOTE-k2": lambda **kw: SMOTE(k_neighbors=2, **kw),
    "ROS": lambda **kw: RandomOverSampler(**kw),
    "ROS-shrinkage": lambda **kw: RandomOverSampler(shrinkage=0.7, **kw),
}
UNDER_SAMPLERS = {
    "RUS": lambda **kw: RandomUnderSampler(**kw),
    "RUS-replacement": lambda **kw: RandomUnderSampler(replacement=True, **kw),
}
OVER_WORDS = ("auto", "minority", "not minority", "not majority", "all")
UNDER_WORDS = ("auto", "majority", "not minority", "not majority", "all")


def _expected_from_word(word, stats, over):
    """Class sizes after resampling, from imbalanced-learn's documented meaning of the words
    (minority / majority: the first smallest / largest class in sorted label order)."""
    minority = min(stats, key=stats.get)
    majority = max(stats, key=stats.get)
    if word == "auto":
        word = "not majority" if over else "not minority"
    chosen = {
        "all": list(stats),
        "minority": [minority],
        "majority": [majority],
        "not minority": [c for c in stats if c != minority],
        "not majority": [c for c in stats if c != majority],
    }[word]
    size = max(stats.values()) if over else min(stats.values())
    return {c: size for c in chosen}


def _expected_from_float(ratio, stats, over):
    """Class sizes after resampling for a float strategy (binary), or None if invalid."""
    minority = min(stats, key=stats.get)
    majority = max(stats, key=stats.get)
    if over:
        (other,) = [c for c in stats if c != majority]
        n_add = int(stats[majority] * ratio - stats[other])
        return {other: stats[other] + n_add} if n_add > 0 else None
    (other,) = [c for c in stats if c != minority]
    n_keep = int(stats[minority] / ratio)
    return {other: n_keep} if n_keep <= stats[other] else None


@st.composite
def strategies_for(draw, y, over):
    """A sampling_strategy for the target ``y`` and the class sizes it should produce
    (None when the strategy is invalid and must be refused)."""
    stats = {label: int(n) for label, n in zip(*np.unique(y, return_counts=True))}
    kinds = ["dict", "word"] + (["float"] if len(stats) == 2 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "dict":
        chosen = draw(st.lists(st.sampled_from(sorted(stats)), min_size=1, unique=True))
        if over:
            strategy = {c: stats[c] + draw(st.integers(0, 40)) for c in chosen}
        else:
            strategy = {c: draw(st.integers(0, stats[c])) for c in chosen}
        return strategy, dict(strategy)
    if kind == "word":
        word = draw(st.sampled_from(OVER_WORDS if over else UNDER_WORDS))
        return word, _expected_from_word(word, stats, over)
    ratio = draw(st.floats(0.01, 1.0))
    return ratio, _expected_from_float(ratio, stats, over)


def _check_counts(sampler, X, y, y_res, targets, over):
    stats = {label: int(n) for label, n in zip(*np.unique(y, return_counts=True))}
    after = {c: targets.get(c, n) for c, n in stats.items()}
    got = Counter(y_res.tolist())
    assert {c: got.get(c, 0) for c in stats} == after
    # The plan says the same.
    plan = sampler.sampling_plan_
    assert [c.label for c in plan.classes] == sorted(stats)
    for c in plan.classes:
        assert c.n_before == stats[c.label]
        assert c.n_target == after[c.label]
        assert c.targeted == (c.label in targets)
        assert c.n_add == max(0, after[c.label] - stats[c.label])
        assert c.n_remove == max(0, stats[c.label] - after[c.label])
    # sampling_strategy_: number to generate (over) or to keep (under) per targeted class.
    expected = {c: (t - stats[c] if over else t) for c, t in targets.items()}
    assert dict(sampler.sampling_strategy_) == expected
    assert sampler.provenance_.n_added == sum(c.n_add for c in plan.classes)


@SETTINGS
@given(data=datasets(), name=st.sampled_from(sorted(OVER_SAMPLERS)), seed=SEEDS, st_data=st.data())
def test_over_sampler_counts_match_plan(data, name, seed, st_data):
    X, y = data
    strategy, targets = st_data.draw(strategies_for(y, over=True))
    sampler = OVER_SAMPLERS[name](sampling_strategy=strategy, random_state=seed)
    if targets is None:
        with pytest.raises(ValueError):
            sampler.fit_resample(X, y)
        with pytest.raises(ValueError):
            check_sampling_strategy(strategy, y, "over-sampling")
        return
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape == (len(y_res), X.shape[1])
    _check_counts(sampler, X, y, y_res, targets, over=True)
    # imbalanced-learn resolves the strategy identically.
    assert dict(sampler.sampling_strategy_) == dict(check_sampling_strategy(strategy, y, "over-sampling"))


@SETTINGS
@given(data=datasets(), name=st.sampled_from(sorted(UNDER_SAMPLERS)), seed=SEEDS, st_data=st.data())
def test_under_sampler_counts_match_plan(data, name, seed, st_data):
    X, y = data
    strategy, targets = st_data.draw(strategies_for(y, over=False))
    sampler = UNDER_SAMPLERS[name](sampling_strategy=strategy, random_state=seed)
    if targets is None:
        with pytest.raises(ValueError):
            sampler.fit_resample(X, y)
        with pytest.raises(ValueError):
            check_sampling_strategy(strategy, y, "under-sampling")
        return
    X_res, y_res = sampler.fit_resample(X, y)
    _check_counts(sampler, X, y, y_res, targets, over=False)
    assert dict(sampler.sampling_strategy_) == dict(check_sampling_strategy(strategy, y, "under-sampling"))


@pytest.mark.parametrize("ratio", [1.0, 0.99])
def test_float_strategy_with_equal_counts_targets_the_other_class(ratio):
    """Equal counts: imbalanced-learn under-samples the class other than the (first) minority."""
    X, y = np.random.default_rng(0).normal(size=(20, 2)), np.repeat([0, 1], 10)
    sampler = RandomUnderSampler(sampling_strategy=ratio, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert dict(sampler.sampling_strategy_) == {1: 10}
    assert dict(sampler.sampling_strategy_) == dict(check_sampling_strategy(ratio, y, "under-sampling"))
    assert [c.targeted for c in sampler.sampling_plan_.classes] == [False, True]
    np.testing.assert_array_equal(np.bincount(y_res), [10, 10])


@pytest.mark.parametrize("word", ["majority"])
def test_over_samplers_refuse_majority(word):
    X, y = np.random.default_rng(0).normal(size=(30, 2)), np.repeat([0, 1], [20, 10])
    for make in OVER_SAMPLERS.values():
        with pytest.raises(ValueError):
            make(sampling_strategy=word).fit_resample(X, y)


def test_under_samplers_refuse_minority():
    X, y = np.random.default_rng(0).normal(size=(30, 2)), np.repeat([0, 1], [20, 10])
    for make in UNDER_SAMPLERS.values():
        with pytest.raises(ValueError):
            make(sampling_strategy="minority").fit_resample(X, y)


# --------------------------------------------------------------------------- originals kept


@SETTINGS
@given(data=datasets(), name=st.sampled_from(["SMOTE", "ROS", "ROS-shrinkage"]), seed=SEEDS)
def test_over_samplers_keep_originals_bit_for_bit(data, name, seed):
    X, y = data
    n = len(y)
    sampler = OVER_SAMPLERS[name](random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    assert_bit_equal(X_res[:n], X)
    np.testing.assert_array_equal(y_res[:n], y)
    assert y_res.dtype == y.dtype
    assert not np.shares_memory(X_res, X)
    if name == "ROS":  # added rows are exact copies of their sources
        np.testing.assert_array_equal(sampler.sample_indices_, sampler.provenance_.source)
        assert_bit_equal(X_res, X[sampler.sample_indices_])
        np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])


@SETTINGS
@given(data=datasets(), replacement=st.booleans(), seed=SEEDS, st_data=st.data())
def test_under_sampler_rows_are_input_rows(data, replacement, seed, st_data):
    X, y = data
    strategy, targets = st_data.draw(strategies_for(y, over=False))
    assume(targets is not None)
    sampler = RandomUnderSampler(sampling_strategy=strategy, replacement=replacement,
                                 random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    idx = sampler.sample_indices_
    assert idx.shape == (len(y_res),)
    assert_bit_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])
    assert not np.shares_memory(X_res, X)
    if not replacement:
        assert np.unique(idx).size == idx.size
    # Untargeted classes are kept whole, in input order.
    for label in np.unique(y):
        if label not in targets:
            np.testing.assert_array_equal(idx[y[idx] == label], np.flatnonzero(y == label))


# --------------------------------------------------------------------------- randomness


ALL_SAMPLERS = {**OVER_SAMPLERS, **UNDER_SAMPLERS}


@SETTINGS
@given(data=datasets(), name=st.sampled_from(sorted(ALL_SAMPLERS)), seed=SEEDS)
def test_same_seed_same_output(data, name, seed):
    X, y = data
    a = ALL_SAMPLERS[name](random_state=seed)
    b = ALL_SAMPLERS[name](random_state=seed)
    Xa, ya = a.fit_resample(X, y)
    Xb, yb = b.fit_resample(X, y)
    assert_bit_equal(Xa, Xb)
    np.testing.assert_array_equal(ya, yb)
    for attr in ("source", "partner", "gap"):
        np.testing.assert_array_equal(getattr(a.provenance_, attr), getattr(b.provenance_, attr))
    # The same sampler refitted with the same seed also repeats itself.
    Xc, yc = a.fit_resample(X, y)
    assert_bit_equal(Xa, Xc)
    np.testing.assert_array_equal(ya, yc)


@SETTINGS
@given(data=datasets(), seeds=st.lists(SEEDS, min_size=2, max_size=2, unique=True))
def test_smote_different_seeds_different_draws(data, seeds):
    X, y = data
    a = SMOTE(random_state=seeds[0])
    b = SMOTE(random_state=seeds[1])
    Xa, _ = a.fit_resample(X, y)
    Xb, _ = b.fit_resample(X, y)
    n = len(y)
    assume(len(Xa) > n)
    # Gaps are continuous draws: two seeds almost surely give different ones.
    assert not np.array_equal(a.provenance_.gap[n:], b.provenance_.gap[n:])
    # And different rows, unless every synthetic row sits among identical points.
    degenerate = (X[a.provenance_.source[n:]] == X[a.provenance_.partner[n:]]).all()
    if not degenerate:
        assert not np.array_equal(Xa[n:], Xb[n:])


def test_random_samplers_different_seeds_differ():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = np.repeat([0, 1, 2], [200, 60, 40])
    for make in (RandomOverSampler, RandomUnderSampler):
        s1, s2 = make(random_state=1), make(random_state=2)
        s1.fit_resample(X, y)
        s2.fit_resample(X, y)
        assert not np.array_equal(s1.sample_indices_, s2.sample_indices_)


# --------------------------------------------------------------------------- independent streams


@st.composite
def twin_minorities(draw):
    """Two minority classes of the same size and geometry (B = A + shift) and a majority."""
    n = draw(st.integers(6, 40))
    d = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(SEEDS))
    A = rng.normal(size=(n, d))
    shift = rng.normal(scale=10.0, size=d)
    big = rng.normal(size=(n + draw(st.integers(10, 60)), d)) - 20.0
    X = np.concatenate([A, A + shift, big])
    y = np.repeat([0, 1, 2], [n, n, len(big)])
    return X, y, n


def _local_draws(prov, y, label):
    """(source position within its class, gap) of the rows added to ``label``."""
    rows = np.flatnonzero(y == label)
    added = prov.is_synthetic
    src = prov.source[added]
    mine = np.isin(src, rows)
    return np.searchsorted(rows, src[mine]), prov.gap[added][mine]


@SETTINGS
@given(data=twin_minorities(), seed=SEEDS)
def test_twin_classes_get_independent_smote_draws(data, seed):
    X, y, n = data
    sampler = SMOTE(random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    src_a, gap_a = _local_draws(prov, y, 0)
    src_b, gap_b = _local_draws(prov, y, 1)
    assert src_a.size == src_b.size > 0
    assert not np.array_equal(gap_a, gap_b)
    assert not (np.array_equal(src_a, src_b) and np.allclose(gap_a, gap_b))
    # The synthetic rows of B are not those of A shifted.
    shift = X[n] - X[0]
    rows_a = X_res[len(y):][y_res[len(y):] == 0]
    rows_b = X_res[len(y):][y_res[len(y):] == 1]
    assert not np.allclose(rows_a + shift, rows_b)


@SETTINGS
@given(data=twin_minorities(), seed=SEEDS)
def test_twin_classes_get_independent_random_draws(data, seed):
    X, y, n = data
    ros = RandomOverSampler(random_state=seed)
    ros.fit_resample(X, y)
    src = ros.sample_indices_[len(y):]
    added_a = src[y[src] == 0]
    added_b = src[y[src] == 1] - n  # same local positions if the draws were shared
    assert added_a.size == added_b.size >= 10
    assert not np.array_equal(added_a, added_b)

    # Two twin majority classes under-sampled to the minority size draw different subsets.
    Xu = np.concatenate([X[:2 * n], X[2 * n:2 * n + 5]])
    yu = np.concatenate([y[:2 * n], y[2 * n:2 * n + 5]])
    assume(n >= 20)
    rus = RandomUnderSampler(random_state=seed)
    rus.fit_resample(Xu, yu)
    kept = rus.sample_indices_
    kept_a = kept[yu[kept] == 0]
    kept_b = kept[yu[kept] == 1] - n
    assert kept_a.size == kept_b.size == 5
    assert not np.array_equal(kept_a, kept_b)


# --------------------------------------------------------------------------- inputs untouched


@SETTINGS
@given(data=datasets(), name=st.sampled_from(sorted(ALL_SAMPLERS)), seed=SEEDS,
       order=st.sampled_from(["C", "F"]), as_frame=st.booleans())
def test_caller_arrays_not_modified(data, name, seed, order, as_frame):
    X, y = data
    X = np.asarray(X, order=order)
    X_before, y_before = X.copy(order="K"), y.copy()
    if as_frame:
        import pandas as pd

        Xin = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
        yin = pd.Series(y, name="target")
        Xin_before, yin_before = Xin.copy(deep=True), yin.copy(deep=True)
    else:
        Xin, yin = X, y
    X_res, y_res = ALL_SAMPLERS[name](random_state=seed).fit_resample(Xin, yin)
    assert_bit_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    assert X.flags.writeable and y.flags.writeable
    if as_frame:
        import pandas as pd

        pd.testing.assert_frame_equal(Xin, Xin_before)
        pd.testing.assert_series_equal(yin, yin_before)
        assert_bit_equal(Xin.to_numpy(), X_before)
    # Writing into the output never reaches the input.
    if as_frame:
        X_res.iloc[:, :] = 12345.0
        pd.testing.assert_frame_equal(Xin, Xin_before)
    else:
        X_res[...] = 12345.0
    assert_bit_equal(X, X_before)
