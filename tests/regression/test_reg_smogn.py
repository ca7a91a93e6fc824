"""SMOGN (smotekit.regression._smogn): SMOTER for near neighbours, Gaussian noise for far ones."""

import random

import numpy as np
import pandas as pd
import pytest
from smogn_reference import Numpy2

from smotekit.regression import Relevance
from smotekit.regression import _kernels as K
from smotekit.regression._smogn import SMOGN
from smotekit.regression.base import rows_for_factor

# y = 0..39; the six values 34..39 form the rare bin, 0..33 the normal one.
_RELEVANCE = Relevance(control_points=[[0, 0], [33, 0], [34, 1], [39, 1]])


def _with_rare_rows(rare_X, seed=0):
    """40 rows: 34 normal rows drawn at random, then the six given rare rows."""
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.random((34, rare_X.shape[1])), rare_X])
    return X, np.arange(40.0)


def _simplex():
    """Six rows pairwise equally far apart: every neighbour is far under both safe-distance rules."""
    return np.eye(6)


def _twins():
    """Three pairs of near-duplicates at the vertices of a simplex: each row's twin is its only near neighbour."""
    base = np.repeat(np.eye(3), 2, axis=0)
    base[1::2] *= 1.001
    return base


def _data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) * [1.0, 50.0, 0.01]
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    return X, y


@pytest.mark.parametrize("rule", ["neighbors", "bin"])
def test_far_neighbours_give_noise_rows(rule):
    X, y = _with_rare_rows(_simplex())
    s = SMOGN(k_neighbors=3, safe_distance=rule, relevance=_RELEVANCE, sampling_strategy=[1, 3.5], random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    p = s.provenance_
    syn = p.is_synthetic
    assert syn.sum() == 15 and (p.partner[syn] == -1).all() and np.isnan(p.gap[syn]).all()
    # noise of at most a few times 0.02 * the column's standard deviation in the bin
    scale = 0.02 * X[34:].std(axis=0, ddof=1)
    assert (np.abs(X_res[syn] - X[p.source[syn]]) < 6 * scale).all()
    assert (np.abs(y_res[syn] - y[p.source[syn]]) < 6 * 0.02 * y[34:].std(ddof=1)).all()
    assert not np.array_equal(X_res[syn], X[p.source[syn]])


@pytest.mark.parametrize("rule", ["neighbors", "bin"])
def test_near_neighbours_give_smoter_rows(rule):
    X, y = _with_rare_rows(_twins())
    s = SMOGN(k_neighbors=3, safe_distance=rule, relevance=_RELEVANCE, sampling_strategy={1: 6 + 600},
              random_state=1)
    X_res, y_res = s.fit_resample(X, y)
    p = s.provenance_
    syn = p.is_synthetic
    src, par, gap = p.source[syn], p.partner[syn], p.gap[syn]
    twin = src + np.where((src - 34) % 2 == 0, 1, -1)
    smoter = par >= 0
    assert (par[smoter] == twin[smoter]).all()
    assert 0.25 < smoter.mean() < 0.42  # the twin is one of the 3 neighbours
    s_, p_, g_ = src[smoter], par[smoter], gap[smoter]
    np.testing.assert_allclose(X_res[syn][smoter], X[s_] + g_[:, None] * (X[p_] - X[s_]), rtol=1e-12)
    np.testing.assert_allclose(y_res[syn][smoter], y[s_] + g_ * (y[p_] - y[s_]), rtol=1e-12)
    assert np.isnan(gap[~smoter]).all()


def test_bin_rule_takes_smoter_more_often():
    X, y = _data()
    smoter_share = {}
    for rule in ["neighbors", "bin"]:
        s = SMOGN(safe_distance=rule, random_state=0)
        s.fit_resample(X, y)
        p = s.provenance_
        smoter_share[rule] = (p.partner[p.is_synthetic] >= 0).mean()
    assert smoter_share["neighbors"] < 0.15 < 0.4 < smoter_share["bin"]


def test_kernel_safe_distances_hand_computed():
    E = np.array([[0.0], [1.0], [3.0], [7.0]])
    _, dist = K.heom_neighbors(E, 2)
    np.testing.assert_allclose(dist, [[1, 3], [1, 2], [2, 3], [4, 6]])
    np.testing.assert_allclose(K.safe_distances(E, dist, "neighbors"), [1.0, 0.75, 1.25, 2.5])
    # over every row, itself included: medians of {0,1,3,7}, {1,0,2,6}, {3,2,0,4}, {7,6,4,0}
    np.testing.assert_allclose(K.safe_distances(E, dist, "bin"), [1.0, 0.75, 1.25, 2.5])
    E = np.array([[0.0], [1.0], [1.5], [9.0], [10.0]])
    _, dist = K.heom_neighbors(E, 1)
    np.testing.assert_allclose(K.safe_distances(E, dist, "neighbors"), [0.5, 0.25, 0.25, 0.5, 0.5])
    np.testing.assert_allclose(K.safe_distances(E, dist, "bin"), [0.75, 0.5, 0.75, 3.75, 4.25])


def test_pandas_mixed_table_in_and_out():
    X, y = _data(seed=3)
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": X[:, 0], "c": pd.Categorical(rng.choice(["x", "y", "z"], X.shape[0])),
                       "o": rng.choice(["p", "q"], X.shape[0]).astype(object), "b": X[:, 1]})
    df0 = df.copy(deep=True)
    s = SMOGN(safe_distance="bin", random_state=0)
    X_res, y_res = s.fit_resample(df, pd.Series(y, name="t"))
    pd.testing.assert_frame_equal(df, df0)
    assert (X_res.dtypes == df.dtypes).all() and y_res.name == "t"
    p = s.provenance_
    syn = p.is_synthetic
    smoter = p.partner[syn] >= 0
    assert smoter.any() and (~smoter).any()
    new, src, par = X_res[syn][smoter], p.source[syn][smoter], p.partner[syn][smoter]
    for col in ["c", "o"]:
        values = df[col].to_numpy()
        assert ((new[col].to_numpy() == values[src]) | (new[col].to_numpy() == values[par])).all()
    lo, hi = np.minimum(y[src], y[par]), np.maximum(y[src], y[par])
    assert ((y_res[syn][smoter] >= lo) & (y_res[syn][smoter] <= hi)).all()


def test_k_larger_than_bin_is_a_clear_error():
    X, y = _with_rare_rows(_simplex())
    with pytest.raises(ValueError, match=r"y in \[34, 39\] has 6 rows, but k_neighbors=6"):
        SMOGN(k_neighbors=6, relevance=_RELEVANCE, random_state=0).fit_resample(X, y)


# ---- smogn 0.1.2, where its rule and the paper's agree ---------------------------------------


def _median_only(x, coef=1.5):
    # smogn's box_plot_stats passes numpy 1's ``interpolation=``; only the median is read here
    return {"stats": np.array([np.nan, np.nan, np.quantile(np.asarray(x), 0.5, method="midpoint"), np.nan, np.nan])}


@pytest.mark.parametrize("perc", [2.5, 3.0, 1.5])
def test_smogn_reference_agrees_on_far_neighbours(monkeypatch, perc):
    over_sampling = pytest.importorskip("smogn.over_sampling")
    monkeypatch.setattr(over_sampling, "np", Numpy2())
    monkeypatch.setattr(over_sampling, "box_plot_stats", _median_only)
    monkeypatch.setattr(over_sampling, "tqdm", lambda it, **kw: it)
    values = _simplex()
    y = 5 + np.arange(6) * 1e-3  # nearly constant: the target barely enters smogn's distances
    state, py_state = np.random.get_state(), random.getstate()
    try:
        np.random.seed(0)
        random.seed(0)
        ref = over_sampling.over_sampling(pd.DataFrame(np.column_stack([values, y])), list(range(6)), perc=perc,
                                          pert=0.02, k=3).to_numpy()
    finally:
        np.random.set_state(state)
        random.setstate(py_state)
    n_add = rows_for_factor(perc, 6) - 6
    assert ref.shape == (n_add, 7)
    # every reference row is a vertex plus a little noise: none lies inside a segment between two vertices
    assert (np.abs(ref[:, :6] - np.eye(6)[np.argmax(ref[:, :6], axis=1)]) < 0.1).all()
    for rule in ["neighbors", "bin"]:
        new = K.smogn_rows(values, None, y, 3, n_add, 0.02, np.random.default_rng(0), rule)
        assert new.seeds.size == n_add and (new.partners == -1).all()
        assert (np.abs(new.values - values[new.seeds]) < 0.1).all()


def test_bin_safe_distances_by_small_blocks_equal_the_whole_matrix(monkeypatch):
    # 'bin' reads the distances block by block (bounded memory); the result must not depend on the block
    rng = np.random.default_rng(4)
    E = np.vstack([rng.random((37, 3)), np.zeros((2, 3))])  # two duplicate rows: distance 0 exactly
    whole = np.median(np.linalg.norm(E[:, None] - E[None], axis=2), axis=1) / 2
    for block_bytes in (8, 8 * 39 * 5, 1 << 24):  # one row, five rows, everything at once
        monkeypatch.setattr(K, "_SAFE_BLOCK_BYTES", block_bytes)
        np.testing.assert_allclose(K.safe_distances(E, None, "bin"), whole, rtol=1e-12, atol=1e-15)
