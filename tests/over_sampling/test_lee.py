"""LeeSMOTE: the rejection rule checked from the output, the bounded fallback, batching,
and differential tests against smote-variants' Lee."""

import warnings

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference

import smotekit.over_sampling._lee as lee_module
from smotekit.over_sampling._lee import LeeSMOTE


def _other_share(X, y, points, labels, k):
    """Share of other-class rows among each point's k nearest rows of X (sklearn's search)."""
    near = NearestNeighbors(n_neighbors=k).fit(X).kneighbors(points, return_distance=False)
    return np.mean(y[near] != labels[:, None], axis=1)


def _check_segments(sampler, X, y, X_res, y_res, k):
    """Every new row on the segment from its seed to one of the seed's k nearest rows of its class."""
    prov = sampler.provenance_
    new = prov.is_synthetic
    src, par, gap = prov.source[new], prov.partner[new], prov.gap[new]
    np.testing.assert_allclose(X_res[new], X[src] + gap[:, None] * (X[par] - X[src]), atol=1e-12)
    assert np.all((gap >= 0) & (gap <= 1)) and np.all(y[src] == y[par]) and np.all(y_res[new] == y[src])
    for label in np.unique(y_res[new]):
        rows = np.flatnonzero(y == label)
        within = rows[NearestNeighbors(n_neighbors=k + 1).fit(X[rows]).kneighbors(
            X[rows], return_distance=False)[:, 1:]]
        position = {r: i for i, r in enumerate(rows)}
        mine = y[src] == label
        assert all(p in within[position[s]] for s, p in zip(src[mine], par[mine]))


@pytest.mark.parametrize("level", [0.2, 0.5, 0.8])
def test_every_new_row_passes_the_rejection_rule(level):
    X, y = overlapping_blobs(seed=1)
    s = LeeSMOTE(rejection_level=level, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no fallback on these data
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [600, 600]
    assert s.n_relaxed_ == {1: 0} and 0 < s.acceptance_rate_[1] <= 1
    new = s.provenance_.is_synthetic
    share = _other_share(X, y, X_res[new], y_res[new], 5)
    assert share.max() <= level
    _check_segments(s, X, y, X_res, y_res, 5)
    # The rule bites: plain SMOTE candidates on the same data break it.
    if level < 0.8:
        assert s.acceptance_rate_[1] < 0.95


def test_level_one_keeps_every_candidate_and_zero_only_pure_neighbourhoods():
    X, y = overlapping_blobs(seed=1, shift=3.0)
    s = LeeSMOTE(rejection_level=1.0, random_state=0)
    s.fit_resample(X, y)
    assert s.acceptance_rate_ == {1: 1.0}
    s = LeeSMOTE(rejection_level=0.0, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    new = s.provenance_.is_synthetic
    assert s.n_relaxed_ == {1: 0}
    assert np.all(_other_share(X, y, X_res[new], y_res[new], 5) == 0)


def test_impossible_acceptance_falls_back_to_least_dominated_with_warning():
    # The minority sits inside the majority's cloud: no candidate has at most one
    # other-class row among its 5 nearest.
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 1, (300, 2)), rng.normal(0, 1, (20, 2))])
    y = np.repeat([0, 1], [300, 20])
    s = LeeSMOTE(rejection_level=0.2, random_state=0)
    with pytest.warns(UserWarning, match=r"LeeSMOTE: only 0 of the \d+ candidates searched for class 1 .*"
                                         r"rejection_level=0.2.* raised to 0.6"):
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [300, 300]
    assert s.n_relaxed_ == {1: 280} and s.acceptance_rate_ == {1: 0.0}
    new = s.provenance_.is_synthetic
    share = _other_share(X, y, X_res[new], y_res[new], 5)
    assert share.max() == pytest.approx(0.6)  # the least dominated candidates: none at 0.8 or 1
    _check_segments(s, X, y, X_res, y_res, 5)


def test_partial_acceptance_fills_with_the_least_dominated(monkeypatch):
    # Acceptance is rare (about 3%) but not impossible: with the rounds cut to two, some rows
    # are kept, the others come from the fallback, after them.
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 1, (300, 2)), rng.normal(0, 1, (20, 2))])
    y = np.repeat([0, 1], [300, 20])
    s = LeeSMOTE(rejection_level=0.4, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert s.n_relaxed_ == {1: 0}  # ten rounds suffice
    monkeypatch.setattr(lee_module, "_MAX_ROUNDS", 2)
    with pytest.warns(UserWarning, match=r"LeeSMOTE: only \d+ of the \d+ candidates .* raised to 0.6"):
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [300, 300]
    relaxed = s.n_relaxed_[1]
    assert 0 < relaxed < 280
    new = np.flatnonzero(s.provenance_.is_synthetic)
    share = _other_share(X, y, X_res[new], y_res[new], 5)
    assert share[: 280 - relaxed].max() <= 0.4
    assert np.all(share[280 - relaxed:] > 0.4)


def test_search_chunks_do_not_change_the_result(monkeypatch):
    X, y = overlapping_blobs(seed=2)
    a = LeeSMOTE(random_state=3).fit_resample(X, y)[0]
    # Chunks of 7 candidates: the search stops in mid-round, and the rows kept are the same.
    monkeypatch.setattr(lee_module, "_SEARCH_ROWS", 7)
    monkeypatch.setattr(lee_module, "_MIN_SEARCH_ROWS", 7)
    s = LeeSMOTE(random_state=3)
    b = s.fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert s.acceptance_rate_[1] < 1


@pytest.mark.parametrize("seed, shift, level", [(0, 1.5, 0.5), (1, 1.0, 0.7)])
def test_differential_against_smote_variants(seed, shift, level):
    X, y = overlapping_blobs(seed=seed, shift=shift)
    n = len(y)
    s = LeeSMOTE(rejection_level=level, random_state=seed)
    X_res, y_res = s.fit_resample(X, y)
    X_sv, y_sv = reference("Lee", X, y, random_state=seed, rejection_level=level)
    assert np.bincount(y_res).tolist() == np.bincount(y_sv).tolist() == [600, 600]
    np.testing.assert_array_equal(X_sv[:n], X)  # smote-variants appends its rows
    assert s.n_relaxed_ == {1: 0}
    assert_same_distribution(X_res[n:], X_sv[n:])
    # Both obey the rule (k * level is not a whole number, so strict and non-strict agree).
    assert _other_share(X, y, X_sv[n:], y_sv[n:], 5).max() < level


def test_multiclass_one_against_the_rest():
    rng = np.random.default_rng(4)
    X = np.concatenate([rng.normal(0, 1, (80, 2)), rng.normal(1.5, 1, (30, 2)), rng.normal(-1.5, 1, (20, 2))])
    y = np.repeat([0, 1, 2], [80, 30, 20])
    s = LeeSMOTE(k_neighbors=4, random_state=1)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [80, 80, 80]
    assert sorted(s.acceptance_rate_) == [1, 2]
    new = s.provenance_.is_synthetic
    kept = np.isin(y_res[new], [c for c, r in s.n_relaxed_.items() if r == 0])
    assert _other_share(X, y, X_res[new][kept], y_res[new][kept], 4).max() <= 0.5
    _check_segments(s, X, y, X_res, y_res, 4)


def test_dataframe_in_dataframe_out():
    pd = pytest.importorskip("pandas")
    X, y = overlapping_blobs(n_major=100, n_minor=20, n_features=3, shift=2.0)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res = LeeSMOTE(random_state=0).fit_resample(df, pd.Series(y, name="t"))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    assert y_res.name == "t" and len(X_res) == 200


def test_reproducible_and_input_unchanged():
    X, y = overlapping_blobs(n_major=100, n_minor=20, n_features=3, shift=2.0)
    X0, y0 = X.copy(), y.copy()
    a = LeeSMOTE(random_state=7).fit_resample(X, y)
    b = LeeSMOTE(random_state=7).fit_resample(X, y)
    c = LeeSMOTE(random_state=8).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_errors_name_the_parameter():
    X, y = overlapping_blobs(n_major=30, n_minor=4, n_features=2)
    with pytest.raises(ValueError, match=r"Class 1 has 4 sample\(s\), but k_neighbors=5 needs at least 6"):
        LeeSMOTE().fit_resample(X, y)
    with pytest.raises(ValueError, match=r"'rejection_level' parameter of LeeSMOTE must be a float in the range"):
        LeeSMOTE(k_neighbors=3, rejection_level=1.5).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"'k_neighbors' parameter of LeeSMOTE must be an int in the range"):
        LeeSMOTE(k_neighbors=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="must be a number, not a bool"):
        LeeSMOTE(k_neighbors=3, rejection_level=True).fit_resample(X, y)
