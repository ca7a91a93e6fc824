"""Random over- and under-sampling of relevance bins: UBL's targets, copies, containers, pipelines."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from smotekit.regression import RandomOverSampler, RandomUnderSampler, Relevance
from smotekit.regression.base import rows_for_factor

# Relevance 1 up to 0 and from 30 on, 0 from 10 to 20 (zero slopes): rare below 5 and above 25.
TWO_TAILS = Relevance(control_points=[[0, 1, 0], [10, 0, 0], [20, 0, 0], [30, 1, 0]])
# Relevance 1 at 10 only: rare from 5 to 15, two normal bins around.
MIDDLE = Relevance(control_points=[[0, 0, 0], [10, 1, 0], [20, 0, 0]])


def _two_tails():
    rng = np.random.default_rng(0)
    y = np.concatenate([rng.uniform(-5, 4, 6), rng.uniform(6, 24, 40), rng.uniform(25, 40, 9)])
    return rng.normal(size=(y.size, 2)), rng.permutation(y)  # bins [6, 40, 9]


def _middle():
    rng = np.random.default_rng(1)
    y = np.concatenate([rng.uniform(-10, 4, 30), rng.uniform(8, 12, 5), rng.uniform(16, 30, 20)])
    return rng.normal(size=(y.size, 2)), rng.permutation(y)  # bins [30, 5, 20]


# ---- UBL's targets, by hand -------------------------------------------------------------------------


@pytest.mark.parametrize("cls, strategy, data, relevance, expected", [
    # over, 'balance': every rare bin to B / R rows (B = 40 normal rows, R = 2 rare bins)
    (RandomOverSampler, "balance", _two_tails, TWO_TAILS, [20, 40, 20]),
    # over, 'extreme': (B / U)**2 / n_i = 1600 / 6, 1600 / 9
    (RandomOverSampler, "extreme", _two_tails, TWO_TAILS, [266, 40, 177]),
    (RandomOverSampler, "balance", _middle, MIDDLE, [30, 50, 20]),
    (RandomOverSampler, "extreme", _middle, MIDDLE, [30, 125, 20]),  # (50 / 2)**2 / 5
    # under, 'balance': every normal bin to B / U rows (B = 15 rare rows, U = 1; then 5 and 2)
    (RandomUnderSampler, "balance", _two_tails, TWO_TAILS, [6, 15, 9]),
    (RandomUnderSampler, "balance", _middle, MIDDLE, [2, 5, 2]),
    # under, 'extreme': (B / R)**2 / n_i = 56.25 / 40; 25 / 30 -> 0, kept at one row; 25 / 20
    (RandomUnderSampler, "extreme", _two_tails, TWO_TAILS, [6, 1, 9]),
    (RandomUnderSampler, "extreme", _middle, MIDDLE, [1, 5, 1]),
    # factors: one for every acted bin, one per acted bin, one per bin
    (RandomOverSampler, 2.0, _two_tails, TWO_TAILS, [12, 40, 18]),
    (RandomOverSampler, [2.5], _two_tails, TWO_TAILS, [15, 40, 22]),
    (RandomOverSampler, [2.0, 1.5], _two_tails, TWO_TAILS, [12, 40, 13]),
    (RandomOverSampler, [1.0, 1.0, 3.0], _two_tails, TWO_TAILS, [6, 40, 27]),
    (RandomOverSampler, [1.0, 2.0, 1.0], _two_tails, TWO_TAILS, [6, 80, 9]),  # a normal bin, named
    (RandomUnderSampler, 0.5, _middle, MIDDLE, [15, 5, 10]),
    (RandomUnderSampler, [0.1, 0.25], _middle, MIDDLE, [3, 5, 5]),
    (RandomUnderSampler, {0: 7}, _middle, MIDDLE, [7, 5, 20]),
    (RandomOverSampler, {1: 8}, _middle, MIDDLE, [30, 8, 20]),
])
def test_targets(cls, strategy, data, relevance, expected):
    X, y = data()
    sampler = cls(sampling_strategy=strategy, relevance=relevance, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert list(sampler.sampling_strategy_.values()) == expected
    # exact rows per bin in the output
    np.testing.assert_array_equal(np.bincount(sampler.bins_.bin_of_row[sampler.sample_indices_]), expected)
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
    np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])


def test_default_relevance_both_tails():
    rng = np.random.default_rng(5)
    y = np.concatenate([rng.normal(0, 1, 200), [8, 9, 10, -7, -8]])
    sampler = RandomOverSampler(random_state=0).fit(np.zeros((y.size, 1)), y)
    sizes = sampler.bins_.n_rows
    assert sampler.bins_.rare.tolist() == [True, False, True]
    assert list(sampler.sampling_strategy_.values()) == [sizes[1] // 2, sizes[1], sizes[1] // 2]


# ---- behaviour --------------------------------------------------------------------------------------


def test_over_keeps_every_row_then_copies():
    X, y = _two_tails()
    sampler = RandomOverSampler(relevance=TWO_TAILS, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: y.size], X)
    np.testing.assert_array_equal(y_res[: y.size], y)
    prov = sampler.provenance_
    assert prov.n_kept == y.size and (prov.partner == -1).all() and np.isnan(prov.gap).all()
    added = sampler.sample_indices_[y.size:]
    assert sampler.bins_.rare[sampler.bins_.bin_of_row[added]].all()
    # bin by bin, by increasing bin
    assert (np.diff(sampler.bins_.bin_of_row[added]) >= 0).all()


def test_under_keeps_rare_rows_in_input_order():
    X, y = _middle()
    sampler = RandomUnderSampler(relevance=MIDDLE, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    idx = sampler.sample_indices_
    assert (np.diff(idx) > 0).all() and sampler.provenance_.n_added == 0
    rare_rows = np.flatnonzero(sampler.bins_.rare[sampler.bins_.bin_of_row])
    assert np.isin(rare_rows, idx).all()


@pytest.mark.parametrize("cls", [RandomOverSampler, RandomUnderSampler])
def test_pandas_any_columns(cls):
    X, y = _two_tails()
    df = pd.DataFrame({"num": X[:, 0], "text": [f"r{i}" for i in range(len(y))],
                       "cat": pd.Categorical(np.where(X[:, 1] > 0, "a", "b")),
                       "gaps": np.where(X[:, 1] > 1, np.nan, X[:, 1]), "n": np.arange(len(y), dtype=np.int16)})
    ys = pd.Series(np.round(y * 10).astype(np.int32), name="target", index=np.arange(len(y)) + 50)
    sampler = cls(relevance=Relevance(control_points=np.asarray(TWO_TAILS.control_points) * [10, 1, 1]), random_state=0)
    X_res, y_res = sampler.fit_resample(df, ys)
    assert list(X_res.columns) == list(df.columns) and list(X_res.dtypes) == list(df.dtypes)
    assert y_res.name == "target" and y_res.dtype == np.int32
    assert X_res.index.equals(pd.RangeIndex(len(y_res))) and y_res.index.equals(X_res.index)
    pd.testing.assert_frame_equal(X_res, df.iloc[sampler.sample_indices_].reset_index(drop=True))
    np.testing.assert_array_equal(y_res.to_numpy(), ys.to_numpy()[sampler.sample_indices_])


def test_sparse_X():
    from scipy import sparse

    X, y = _two_tails()
    X_res, _ = RandomOverSampler(relevance=TWO_TAILS, random_state=0).fit_resample(sparse.csr_matrix(X), y)
    assert sparse.issparse(X_res)
    np.testing.assert_array_equal(X_res.toarray(), RandomOverSampler(relevance=TWO_TAILS, random_state=0)
                                  .fit_resample(X, y)[0])


@pytest.mark.parametrize("cls, strategy, match", [
    (RandomOverSampler, 0.5, "asks bin 0 to shrink from 6 to 3 rows, but RandomOverSampler only adds rows"),
    (RandomOverSampler, {1: 10}, "asks bin 1 to shrink from 40 to 10 rows"),
    (RandomOverSampler, [2.0, 2.0, 2.0, 2.0], r"give 3 \(one per bin\), 2 \(one per rare bin\) or 1"),
    (RandomUnderSampler, 2.0, "asks bin 1 to grow from 40 to 80 rows, but RandomUnderSampler only removes rows"),
    (RandomUnderSampler, [0.5, 0.5], r"give 3 \(one per bin\), 1 \(one per normal bin\) or 1"),
])
def test_wrong_direction(cls, strategy, match):
    X, y = _two_tails()
    with pytest.raises(ValueError, match=match):
        cls(sampling_strategy=strategy, relevance=TWO_TAILS).fit_resample(X, y)


# ---- scikit-learn -----------------------------------------------------------------------------------


def test_nested_relevance_params():
    # clone, pipelines and the rest of the contract: test_reg_common.py
    sampler = RandomUnderSampler(sampling_strategy="extreme", relevance=Relevance(coef=2.0), threshold=0.7,
                                 random_state=3)
    copy = clone(sampler)
    assert copy.get_params()["relevance"] is not sampler.relevance
    assert copy.get_params()["relevance__coef"] == 2.0 and copy.threshold == 0.7
    copy.set_params(relevance__coef=3.0, sampling_strategy=0.5)
    assert copy.relevance.coef == 3.0 and sampler.relevance.coef == 2.0
    assert sorted(RandomOverSampler().get_params()) == ["random_state", "relevance", "sampling_strategy",
                                                        "threshold"]


# ---- property ---------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), n_normal=st.integers(8, 60), n_high=st.integers(1, 8), n_low=st.integers(0, 8),
       factors=st.lists(st.floats(1.0, 4.0), min_size=2, max_size=2))
def test_counts_per_bin_property(seed, n_normal, n_high, n_low, factors):
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.uniform(8, 22, n_normal), rng.uniform(26, 60, n_high), rng.uniform(-20, 4, n_low)])
    X = rng.normal(size=(y.size, 2))
    over = RandomOverSampler(sampling_strategy=factors[: 1 + (n_low > 0)], relevance=TWO_TAILS, random_state=seed)
    _, y_res = over.fit_resample(X, y)
    bins = over.bins_
    per_bin = np.ones(bins.n_bins)
    per_bin[bins.rare] = factors[: 1 + (n_low > 0)]
    expected = [rows_for_factor(f, n) for f, n in zip(per_bin, bins.n_rows)]
    np.testing.assert_array_equal(np.bincount(bins.bin_of_row[over.sample_indices_], minlength=bins.n_bins),
                                  expected)
    assert len(y_res) == sum(expected)
    under = RandomUnderSampler(relevance=TWO_TAILS, random_state=seed)
    under.fit_resample(X, y)
    counts = np.bincount(under.bins_.bin_of_row[under.sample_indices_], minlength=bins.n_bins)
    np.testing.assert_array_equal(counts, under.bins_.n_target)
    # 'balance' with one normal bin: it keeps as many rows as the rare bins hold (or all it has)
    rare_rows = int(bins.n_rows[bins.rare].sum())
    assert (~bins.rare).sum() == 1
    assert counts[~bins.rare][0] == min(rare_rows, bins.n_rows[~bins.rare][0])
