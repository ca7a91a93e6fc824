"""CURE-SMOTE: the clusters CURE finds, the outliers it removes, the segment of every new row,
the differential test against smote-variants' CURE_SMOTE, and the sampler contract."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from smote_variants_reference import overlapping_blobs, reference

from smotekit.over_sampling import CURESMOTE
from smotekit.over_sampling._cure import cure_clusters

_CENTRES = np.array([[0, 0, 0], [8, 0, 0], [0, 8, 0], [0, 0, 8], [8, 8, 8]], float)


def _blobs(n_per=40, n_major=1000, seed=1):
    """Five tight, well-separated minority blobs (label 1) in a uniform majority."""
    rng = np.random.default_rng(seed)
    X_min = np.concatenate([c + rng.normal(0, 0.5, (n_per, 3)) for c in _CENTRES])
    X = np.r_[rng.uniform(-3, 11, (n_major, 3)), X_min]
    return X, np.repeat([0, 1], [n_major, len(X_min)])


def _segment_positions(X, X_res, s):
    """Per new row, its position ``t`` on the segment from its source row to its cluster's centre;
    asserts that it is on that segment."""
    prov = s.provenance_
    new = prov.is_synthetic
    assert np.all(prov.partner[new] == -1) and np.all(np.isnan(prov.gap[new]))
    cluster_of, centre_of = {}, {}
    for label, clusters in s.clusters_.items():
        for j, rows in enumerate(clusters):
            for r in rows:
                cluster_of[r] = j
                centre_of[r] = s.centers_[label][j]
    src = prov.source[new]
    if src.size == 0:
        return np.empty(0)
    assert not np.isin(src, np.concatenate([[], *s.outliers_.values()])).any()  # outliers seed nothing
    a = X[src]
    b = np.array([centre_of[r] for r in src])
    t = np.einsum("ij,ij->i", X_res[new] - a, b - a) / np.maximum(np.einsum("ij,ij->i", b - a, b - a), 1e-300)
    np.testing.assert_allclose(X_res[new], a + t[:, None] * (b - a), atol=1e-9)
    assert np.all((t >= -1e-9) & (t <= 1 + 1e-9))
    return t


def test_clusters_are_the_blobs_and_new_rows_on_member_centre_segments():
    X, y = _blobs()
    s = CURESMOTE(noise_threshold=1, random_state=0)  # nothing removed: the clusters are the blobs
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [1000, 1000]
    clusters = sorted(s.clusters_[1], key=lambda rows: rows[0])
    np.testing.assert_array_equal(np.concatenate(clusters), np.arange(1000, 1200))
    assert [len(c) for c in clusters] == [40] * 5 and s.outliers_[1].size == 0
    np.testing.assert_allclose(s.centers_[1], [X[c].mean(0) for c in s.clusters_[1]])
    t = _segment_positions(X, X_res, s)
    assert stats.kstest(t, "uniform").pvalue > 1e-3  # a uniform position on the segment


def test_isolated_rows_are_removed_as_outliers():
    X, y = _blobs(n_per=30)
    far = np.array([[30.0, 30, 30], [-30, 30, -30], [30, -30, 30]])
    X, y = np.r_[X, far], np.r_[y, [1, 1, 1]]
    s = CURESMOTE(random_state=0)
    X_res, _ = s.fit_resample(X, y)
    far_rows = np.arange(X.shape[0] - 3, X.shape[0])
    assert np.isin(far_rows, s.outliers_[1]).all()
    assert len(s.clusters_[1]) == 5
    _segment_positions(X, X_res, s)
    # New rows stay inside the blobs: none is drawn toward the isolated rows.
    new = X_res[s.provenance_.is_synthetic]
    assert np.min(np.linalg.norm(new[:, None] - _CENTRES, axis=2), axis=1).max() < 3


def test_cure_clusters_shrink_factor_extremes():
    rng = np.random.default_rng(0)
    Z = np.r_[rng.normal(0, 0.1, (30, 2)), rng.normal(5, 0.1, (30, 2))]
    for alpha in (0.0, 0.3, 1.0):
        labels, reps, rep_cluster = cure_clusters(Z, 2, 4, alpha, 1)
        assert set(labels[:30]) != set(labels[30:]) and len(set(labels[:30])) == 1
        assert reps.shape[1] == 2 and set(rep_cluster) == {0, 1}
        if alpha == 1.0:  # every representative is its cluster's mean
            for j in (0, 1):
                np.testing.assert_allclose(reps[rep_cluster == j], Z[labels == j].mean(0)[None].repeat(
                    (rep_cluster == j).sum(), 0), atol=1e-12)


def test_differential_against_smote_variants():
    # Both put every new row on a segment between a kept row and its cluster's mean, with the
    # clusters of tight separated blobs. Where they differ (see CURESMOTE's Notes): smote-variants
    # draws the cluster uniformly, here rows are drawn uniformly (clusters in proportion to their
    # kept sizes); its position on the segment is w2 / (w1 + w2) for two uniform draws (peaked at
    # the middle), here uniform as in SMOTE. So the per-feature laws differ; what must agree does.
    X, y = _blobs()
    X_sv, y_sv = reference("CURE_SMOTE", X, y, random_state=0)
    s = CURESMOTE(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_sv).tolist() == np.bincount(y_res).tolist() == [1000, 1000]
    np.testing.assert_array_equal(X_sv[:1200], X)
    ours, theirs = X_res[1200:], X_sv[1200:]
    box = X[y == 1]
    for new in (ours, theirs):  # inside the class's box, and every blob receives rows
        assert np.all((new >= box.min(0)) & (new <= box.max(0)))
        blob = np.argmin(np.linalg.norm(new[:, None] - _CENTRES, axis=2), axis=1)
        assert np.min(np.linalg.norm(new - _CENTRES[blob], axis=1)) < 2
        assert np.bincount(blob, minlength=5).min() > 0
    # Shares per blob: in proportion to the kept rows here, uniform there.
    blob = np.argmin(np.linalg.norm(ours[:, None] - _CENTRES, axis=2), axis=1)
    kept = np.bincount(np.argmin(np.linalg.norm(X[np.concatenate(s.clusters_[1])][:, None] - _CENTRES, axis=2),
                                 axis=1), minlength=5)
    assert stats.chisquare(np.bincount(blob, minlength=5), kept / kept.sum() * 800).pvalue > 1e-3
    blob_sv = np.argmin(np.linalg.norm(theirs[:, None] - _CENTRES, axis=2), axis=1)
    assert stats.chisquare(np.bincount(blob_sv, minlength=5)).pvalue > 1e-3
    # The positions on the segments: uniform here, as in SMOTE.
    t = _segment_positions(X, X_res, s)
    assert stats.kstest(t, "uniform").pvalue > 1e-3


def test_overlapping_blobs_counts_and_region():
    X, y = overlapping_blobs()
    _, y_sv = reference("CURE_SMOTE", X, y, random_state=0)
    s = CURESMOTE(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_sv).tolist() == np.bincount(y_res).tolist() == [600, 600]
    _segment_positions(X, X_res, s)


def test_large_class_is_clustered_on_a_sample_and_labelled():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (3000, 4)), rng.normal(0, 0.3, (1300, 4)) + [4, 0, 0, 0],
              rng.normal(0, 0.3, (1300, 4)) - [4, 0, 0, 0]]
    y = np.repeat([0, 1], [3000, 2600])
    s = CURESMOTE(n_clusters=2, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [3000, 3000]
    sides = sorted(tuple(set(np.sign(X[c, 0]).tolist())) for c in s.clusters_[1])
    assert sides == [(-1.0,), (1.0,)]
    assert sum(len(c) for c in s.clusters_[1]) + s.outliers_[1].size == 2600
    _segment_positions(X, X_res, s)


def test_multiclass_one_against_the_rest():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, (80, 3)), rng.normal(3, 1, (30, 3)), rng.normal(-3, 1, (30, 3))])
    y = np.repeat([0, 1, 2], [80, 30, 30])
    s = CURESMOTE(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [80, 80, 80]
    assert set(s.clusters_) == {1, 2}
    _segment_positions(X, X_res, s)
    new = s.provenance_.is_synthetic
    assert np.all(y[s.provenance_.source[new]] == y_res[new])


def test_dataframe_in_dataframe_out_reproducible_and_inputs_unchanged():
    X, y = overlapping_blobs(n_major=100, n_minor=30)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    X_copy, y_copy = df.copy(), y.copy()
    out, _ = CURESMOTE(random_state=5).fit_resample(df, y)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["a", "b", "c", "d"]
    again, _ = CURESMOTE(random_state=5).fit_resample(X, y)
    np.testing.assert_array_equal(out.to_numpy(), again)
    pd.testing.assert_frame_equal(df, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_all_clusters_small_keeps_the_largest_with_a_warning():
    X, y = overlapping_blobs(n_major=100, n_minor=30)
    with pytest.warns(UserWarning, match="CURESMOTE: every cluster is smaller than noise_threshold"):
        s = CURESMOTE(noise_threshold=1000, random_state=0)
        _, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [100, 100] and len(s.clusters_[1]) == 1


def test_errors_name_the_parameter():
    X, y = overlapping_blobs(n_major=30, n_minor=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="Class 1 has 5 sample.*n_clusters=5 needs more than 5.*at most 4"):
            CURESMOTE().fit_resample(X, y)
    CURESMOTE(n_clusters=2).fit_resample(X, y)
    with pytest.raises(ValueError, match="'shrink_factor' parameter of CURESMOTE must be a float in"):
        CURESMOTE(shrink_factor=1.5).fit_resample(X, y)
    with pytest.raises(ValueError, match="'n_clusters' parameter of CURESMOTE must be an int in"):
        CURESMOTE(n_clusters=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="'noise_threshold' parameter"):
        CURESMOTE(noise_threshold=True).fit_resample(X, y)


@settings(max_examples=20, deadline=None)
@given(sizes=st.lists(st.integers(7, 40), min_size=2, max_size=3), d=st.integers(1, 4),
       seed=st.integers(0, 2**16), n_clusters=st.integers(1, 6), noise=st.integers(1, 4))
def test_properties(sizes, d, seed, n_clusters, noise):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(i, 1.0, (m, d)) for i, m in enumerate(sizes)])
    y = np.repeat(np.arange(len(sizes)), sizes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        s = CURESMOTE(n_clusters=n_clusters, noise_threshold=noise, random_state=seed)
        X_res, y_res = s.fit_resample(X, y)
        X_again, _ = CURESMOTE(n_clusters=n_clusters, noise_threshold=noise, random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_again)
    for c in s.sampling_plan_:
        assert np.count_nonzero(y_res == c.label) == c.n_target
    for label in s.clusters_:
        rows = np.concatenate([*s.clusters_[label], s.outliers_[label]])
        np.testing.assert_array_equal(np.sort(rows), np.flatnonzero(y == label))
    _segment_positions(X, X_res, s)
