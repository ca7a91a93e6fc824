"""MWMOTE: the paper's weights against a direct dense computation, the clustering, agreement
with smote-variants where the two define the same thing, the region of the new rows, and the
sampler contract's basics."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference

from smotekit.neighbors import kneighbors
from smotekit.over_sampling import _mwmote
from smotekit.over_sampling._mwmote import MWMOTE


def _paper_weights(X, y, k1, k2, k3, cf_th, cmax):
    """Steps 1-9 of the paper, written directly on dense distance matrices (small data only)."""
    mino, majo = np.flatnonzero(y == 1), np.flatnonzero(y != 1)
    D = cdist(X, X)
    np.fill_diagonal(D, np.inf)
    knn1 = np.argsort(D[mino], axis=1, kind="stable")[:, :k1]
    kept = mino[(y[knn1] == 1).any(axis=1)]
    border = np.unique(majo[np.argsort(D[np.ix_(kept, majo)], axis=1, kind="stable")[:, :k2]])
    Dbm = cdist(X[border], X[mino])
    informative = np.argsort(Dbm, axis=1, kind="stable")[:, :k3]
    weights = np.zeros(mino.size)
    for b in range(border.size):
        d_n = Dbm[b, informative[b]] / X.shape[1]
        with np.errstate(divide="ignore"):
            cf = np.minimum(1 / d_n, cf_th) / cf_th * cmax
        weights[informative[b]] += cf * (cf / cf.sum())
    return weights, kept


def test_weights_match_the_paper_computed_densely():
    X, y = overlapping_blobs(n_major=200, n_minor=40, n_features=3, seed=2)
    s = MWMOTE(k1=5, k2=3, k3=7, cf_th=5.0, cmax=2.0, random_state=0)
    s.fit_resample(X, y)
    expected, kept = _paper_weights(X, y, 5, 3, 7, 5.0, 2.0)
    np.testing.assert_allclose(s.selection_weights_[1], expected, rtol=1e-12)
    np.testing.assert_array_equal(s.sample_rows_[1][~s.noise_[1]], kept)
    # Seeds only among the informative rows.
    prov = s.provenance_
    seeds = prov.source[prov.is_synthetic]
    assert np.isin(seeds, s.sample_rows_[1][expected > 0]).all()


def test_cmax_does_not_change_the_draws():
    X, y = overlapping_blobs(n_major=200, n_minor=40, seed=3)
    a = MWMOTE(cmax=2.0, random_state=0).fit_resample(X, y)[0]
    b = MWMOTE(cmax=7.0, random_state=0).fit_resample(X, y)[0]
    np.testing.assert_allclose(a, b)


def test_clusters_and_threshold_by_hand():
    # Minority: two tight pairs 10 apart, plus a distant majority. Nearest-neighbour distance 1
    # for every minority row, so T_h = cp * 1; cp=3 keeps the pairs apart, cp=30 joins them.
    X = np.array([[0.0, 0], [1, 0], [10, 0], [11, 0], [50, 0], [51, 0], [52, 0], [53, 0], [54, 0], [55, 0]])
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    s = MWMOTE(k1=3, k2=1, k3=2, cp=3.0, random_state=0)
    s.fit_resample(X, y)
    assert s.threshold_[1] == pytest.approx(3.0)
    labels = s.cluster_labels_[1]
    assert labels[0] == labels[1] != labels[2] == labels[3]
    s = MWMOTE(k1=3, k2=1, k3=2, cp=30.0, random_state=0)
    s.fit_resample(X, y)
    assert len(set(s.cluster_labels_[1].tolist())) == 1


def test_large_class_is_clustered_in_groups(monkeypatch):
    monkeypatch.setattr(_mwmote, "_LINKAGE_MAX_ROWS", 16)
    X, y = overlapping_blobs(n_major=100, n_minor=50, seed=4)
    s = MWMOTE(random_state=0)
    with pytest.warns(UserWarning, match="split into 4 groups"):
        s.fit_resample(X, y)
    assert np.bincount(s.cluster_labels_[1]).max() <= 16


def test_same_distribution_as_smote_variants_where_defined_alike():
    """With k3 = the whole class both compute the same weights (every border row normalises over
    every row of the class), and with one cluster (cp huge here, M=1 there) the same partners."""
    X, y = overlapping_blobs()
    ours_X, ours_y = MWMOTE(k1=5, k2=3, k3=60, cp=1e6, random_state=0).fit_resample(X, y)
    ref_X, ref_y = reference("MWMOTE", X, y, random_state=0, k1=5, k2=3, k3=60, M=1, cf_th=5.0, cmax=2.0)
    assert np.bincount(ours_y).tolist() == np.bincount(ref_y.astype(int)).tolist() == [600, 600]
    np.testing.assert_array_equal(ref_X[: len(X)], X)  # smote-variants appends its rows
    assert_same_distribution(ours_X[len(X):], ref_X[len(X):])


def test_nearer_the_border_than_smote_variants_with_small_k3():
    """With k3=5 the paper (and this class) weights a row only through the border rows that have
    it among their 5 nearest; smote-variants weights every informative row through every border
    row, which spreads its seeds away from the border: its new rows lie farther from the majority."""
    X, y = overlapping_blobs()
    maj = X[y == 0]

    def to_majority(rows):
        return kneighbors(maj, 1, query=rows, return_distance=True)[1].mean()

    ours_X, _ = MWMOTE(k1=5, k2=5, k3=5, random_state=0).fit_resample(X, y)
    ref_X, ref_y = reference("MWMOTE", X, y, random_state=0, k1=5, k2=5, k3=5, cf_th=5.0, cmax=2.0)
    assert np.bincount(ref_y.astype(int)).tolist() == [600, 600]
    assert to_majority(ours_X[len(X):]) < 0.95 * to_majority(ref_X[len(X):])


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), k1=st.integers(1, 6), k2=st.integers(1, 4), k3=st.integers(1, 12),
       cp=st.floats(0.1, 10))
def test_rows_on_segments_within_a_cluster(seed, k1, k2, k3, cp):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(0, 1, (40, 3)), rng.normal(1, 1, (12, 3))])
    y = np.repeat([0, 1], [40, 12])
    s = MWMOTE(k1=k1, k2=k2, k3=k3, cp=cp, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # every row noise: documented fallback
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [40, 40]
    prov = s.provenance_
    syn = prov.is_synthetic
    cluster = np.full(len(X), -1)
    cluster[s.sample_rows_[1]] = s.cluster_labels_[1]
    weight = np.zeros(len(X))
    weight[s.sample_rows_[1]] = s.selection_weights_[1]
    src, par, gap = prov.source[syn], prov.partner[syn], prov.gap[syn]
    assert (y[src] == 1).all() and (cluster[src] == cluster[par]).all() and (weight[src] > 0).all()
    sizes = np.bincount(s.cluster_labels_[1])
    assert ((src != par) | (sizes[cluster[src]] == 1)).all()
    assert ((gap >= 0) & (gap <= 1)).all()
    np.testing.assert_allclose(X_res[syn], X[src] + gap[:, None] * (X[par] - X[src]), atol=1e-12)


def test_all_noise_falls_back_with_a_warning():
    # Each minority row sits inside a majority crowd: all k1=2 neighbours are majority.
    X = np.array([[0.0], [0.1], [-0.1], [10.0], [10.1], [9.9], [20.0], [20.1]])
    y = np.array([1, 0, 0, 1, 0, 0, 0, 0])
    s = MWMOTE(k1=2, k2=1, random_state=0)
    with pytest.warns(UserWarning, match="kept as non-noise"):
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [6, 6]


def test_multiclass_one_against_the_rest():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(2, 1, (20, 2)), rng.normal(-2, 1, (10, 2))])
    y = np.repeat(["a", "b", "c"], [60, 20, 10])
    s = MWMOTE(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert {c: int((y_res == c).sum()) for c in "abc"} == {"a": 60, "b": 60, "c": 60}
    prov = s.provenance_
    syn = prov.is_synthetic
    assert (y[prov.source[syn]] == y_res[syn]).all() and (y[prov.partner[syn]] == y_res[syn]).all()
    assert set(s.selection_weights_) == {"b", "c"}


def test_dataframe_reproducible_and_inputs_unchanged():
    X, y = overlapping_blobs(n_major=100, n_minor=20)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    before = df.copy()
    out1, y1 = MWMOTE(random_state=3).fit_resample(df, pd.Series(y))
    out2, _ = MWMOTE(random_state=3).fit_resample(df, pd.Series(y))
    assert isinstance(out1, pd.DataFrame) and list(out1.columns) == ["a", "b", "c", "d"]
    pd.testing.assert_frame_equal(out1, out2)
    pd.testing.assert_frame_equal(df, before)
    assert len(out1) == len(y1) == 200


def test_errors():
    X = np.arange(8.0)[:, None]
    with pytest.raises(ValueError, match="class 1 has 1 sample"):
        MWMOTE().fit_resample(X, np.array([0] * 7 + [1]))
    y = np.array([0, 0, 0, 0, 1, 1, 1, 0])
    with pytest.raises(ValueError, match="k3=4 .* lower k3 to at most 3"):
        MWMOTE(k3=4).fit_resample(X, y)
    with pytest.raises(ValueError, match="k2=6 .* lower k2 to at most 5"):
        MWMOTE(k2=6).fit_resample(X, y)
    with pytest.raises(ValueError, match="k1=8"):
        MWMOTE(k1=8).fit_resample(X, y)
    with pytest.raises(ValueError, match="cp"):
        MWMOTE(cp=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="k3"):
        MWMOTE(k3=True).fit_resample(X, y)


def test_huge_values_scale_with_the_closeness_cap():
    """The closeness factor sees distance * cf_th only: X * 2**520 with cf_th / 2**520 draws the
    same rows, scaled (the clustering and the searches scale exactly by powers of two)."""
    big = 2.0**520
    X, y = overlapping_blobs(n_major=100, n_minor=30, seed=5)
    small = MWMOTE(random_state=0).fit_resample(X, y)[0]
    huge = MWMOTE(cf_th=5.0 / big, random_state=0).fit_resample(X * big, y)[0]
    assert np.isfinite(huge).all()
    np.testing.assert_allclose(huge / big, small, rtol=1e-12)
