"""Awkward values and parameters that used to crash or hang (issue 13, items 7, 9, 10).

* Huge but finite values (|x| >= 1e154): squared distances overflow float64,
  so the exact search must scale the data (by a power of two, which keeps the
  neighbours exactly) instead of reporting "no neighbour" (an IndexError).
  The models inside InstanceHardnessThreshold and SVMSMOTE are fitted on
  data scaled the same way when they are the defaults (a forest, an RBF SVM
  with gamma='scale': both blind to such scaling); a user's model that fails
  on such values gets a message naming the columns. Generation, dense or
  sparse, never overflows.
* ``CondensedNearestNeighbour`` with a k larger than any store: refused.
* ``ClusterCentroids``: an empty ``sampling_strategy`` dict, and one instance
  shared between threads.
"""

from __future__ import annotations

import threading
import time
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans

from smotekit.neighbors import available_methods, kneighbors
from smotekit.neighbors import _search
from smotekit.over_sampling import SMOTENC
from smotekit.under_sampling import ClusterCentroids, CondensedNearestNeighbour
from smotekit.utils import all_samplers
from smotekit.utils.estimator_checks import construct_sampler

SAMPLERS = all_samplers()
# 2**520 ~ 3.4e156: beyond the overflow limit of squared distances, and a power
# of two, so X * BIG is exactly representable and neighbour order is unchanged.
BIG = 2.0**520


def _data(seed=0, n=120, d=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.r_[np.zeros(n * 3 // 4, int), np.ones(n - n * 3 // 4, int)]
    return X, y


def _sampler(cls):
    est = construct_sampler(cls)
    if "random_state" in est.get_params():
        est.set_params(random_state=0)
    return est


def _inputs(name, X, y):
    if name == "SMOTENC":  # column 0 categorical
        X = X.copy()
        X[:, 0] = np.arange(X.shape[0]) % 3
    return X, y


# --------------------------------------------------------------------------- item 7: the search


@pytest.mark.parametrize("method", [m for m in available_methods()])
def test_kneighbors_huge_values_equal_scaled_answer(method):
    X, _ = _data(1, n=200, d=5)
    idx, dist = kneighbors(X, 6, method=method, return_distance=True)
    idx_big, dist_big = kneighbors(X * BIG, 6, method=method, return_distance=True)
    np.testing.assert_array_equal(idx_big, idx)
    np.testing.assert_array_equal(dist_big, dist * BIG)  # powers of two: exact


@pytest.mark.parametrize("method", [m for m in available_methods()])
def test_kneighbors_huge_queries_and_query_rows(method):
    X, _ = _data(2, n=150, d=4)
    Q = X[:20] + 0.01
    rows = np.arange(10, 40)
    np.testing.assert_array_equal(kneighbors(X * BIG, 3, query=Q * BIG, method=method),
                                  kneighbors(X, 3, query=Q, method=method))
    np.testing.assert_array_equal(kneighbors(X * BIG, 3, query_rows=rows, method=method),
                                  kneighbors(X, 3, query_rows=rows, method=method))


def test_kneighbors_huge_values_sparse():
    X, _ = _data(3, n=100, d=6)
    X[X < 0.3] = 0.0
    S = sparse.csr_matrix(X)
    np.testing.assert_array_equal(kneighbors(S * BIG, 4), kneighbors(S, 4))


def test_kneighbors_huge_values_screened(monkeypatch):
    # Force the float32 screen (few queries against many rows) on small data.
    monkeypatch.setattr(_search, "SCREEN_MIN_PAIRS", 0)
    monkeypatch.setattr(_search, "SCREEN_MIN_ROW_RATIO", 1)
    monkeypatch.setattr(_search, "_SCREEN_SAMPLE", 8)
    X, _ = _data(4, n=2000, d=12)
    rows = np.arange(0, 2000, 40)
    np.testing.assert_array_equal(kneighbors(X * BIG, 5, query_rows=rows),
                                  kneighbors(X, 5, query_rows=rows))


def test_kneighbors_at_the_float64_limit_does_not_mutate():
    X, _ = _data(5, n=60, d=3)
    X = np.clip(X, -1, 1) * 1e308
    before = X.copy()
    idx, dist = kneighbors(X, 3, return_distance=True)
    assert idx.shape == (60, 3) and (idx >= 0).all() and (idx < 60).all()
    assert not np.isnan(dist).any()
    np.testing.assert_array_equal(X, before)


# --------------------------------------------------------------------------- item 7: every sampler


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[n for n, _ in SAMPLERS])
def test_every_sampler_on_huge_values(name, cls):
    X, y = _inputs(name, *_data())
    Xb = X * BIG
    if name == "SMOTENC":
        Xb[:, 0] = X[:, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_res, y_res = _sampler(cls).fit_resample(X, y)
        Xb_res, yb_res = _sampler(cls).fit_resample(Xb, y)
    assert np.isfinite(Xb_res).all()
    np.testing.assert_array_equal(yb_res, y_res)
    if name == "SMOTENC":
        Xb_res = Xb_res.copy()
        Xb_res[:, 1:] /= BIG
    else:
        Xb_res = Xb_res / BIG
    # Neighbours are exactly those of the unscaled data; k-means may round differently.
    np.testing.assert_allclose(Xb_res, X_res, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[n for n, _ in SAMPLERS])
def test_every_sampler_at_the_float64_limit(name, cls):
    # Twelve columns: neighbours far apart, with opposite signs near the float64
    # limit, whose differences overflow unless generation avoids them.
    X, y = _inputs(name, *_data(6, d=12))
    X = np.clip(X, -1, 1) * 1.79e308
    if name == "SMOTENC":
        X[:, 0] = np.arange(X.shape[0]) % 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_res, y_res = _sampler(cls).fit_resample(X, y)
    assert np.isfinite(X_res).all()
    assert X_res.shape[0] == y_res.shape[0]


def test_smotenc_median_std_finite_on_huge_values():
    X, y = _inputs("SMOTENC", *_data(7, d=12))
    X[:, 2:] = np.clip(X[:, 2:], -1, 1) * 1.79e308
    X[:, 1] = np.arange(X.shape[0]) % 4
    sampler = SMOTENC(categorical_features=[0, 1], random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert all(np.isfinite(v) and v > 0 for v in sampler.median_std_.values())
    assert np.isfinite(X_res).all()


def test_cluster_centroids_user_estimator_overflow_is_named():
    X, y = _data(8)
    X = np.clip(X, -1, 1) * 1e308
    X[:, 1] = 0.5  # a column of ordinary values, not named
    sampler = ClusterCentroids(estimator=KMeans(n_init=1, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            X_res, _ = sampler.fit_resample(X, y)
        except ValueError as err:
            assert "non-finite cluster centres" in str(err) and "[0, 2]" in str(err)
        else:  # this KMeans happened not to overflow: its centres must then be finite
            assert np.isfinite(X_res).all()


# --------------------------------------------------------------------------- item 9


def test_condensed_refuses_k_beyond_the_store():
    X, y = _data(9)  # 90 + 30 rows
    with pytest.raises(ValueError, match=r"n_neighbors=3000 .* 120 samples.*class 0 \(90 samples\)"
                                         r".*class 1 \(30 samples\).*n_neighbors <= 120"):
        CondensedNearestNeighbour(n_neighbors=3000, random_state=0).fit_resample(X, y)


def test_condensed_accepts_the_largest_usable_k():
    X, y = _data(9)
    X_res, y_res = CondensedNearestNeighbour(n_neighbors=120, random_state=0).fit_resample(X, y)
    assert (y_res == 1).sum() == 30


# --------------------------------------------------------------------------- item 10


@pytest.mark.parametrize("voting", ["soft", "hard"])
def test_cluster_centroids_empty_strategy_returns_input(voting):
    X, y = _data(10)
    X_res, y_res = ClusterCentroids(sampling_strategy={}, voting=voting,
                                    random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)


class _SlowKMeans(KMeans):
    """KMeans whose fit yields to other threads first, so that interleavings
    with a shared instance happen on every run."""

    def fit(self, X, y=None, sample_weight=None):
        time.sleep(0.05)
        return super().fit(X, y, sample_weight=sample_weight)


def test_cluster_centroids_shared_between_threads():
    shared = ClusterCentroids(estimator=_SlowKMeans(n_init=1, random_state=0))
    jobs = []
    for seed in range(4):
        X, y = _data(20 + seed, n=80 + 40 * seed)
        jobs.append((X, y, clone(shared).fit_resample(X, y)))
    results, errors = [None] * len(jobs), []

    def run(i):
        try:
            results[i] = shared.fit_resample(jobs[i][0], jobs[i][1])
        except Exception as err:  # collected: an exception in a thread would be lost
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for (_, _, (X_ref, y_ref)), (X_res, y_res) in zip(jobs, results):
        np.testing.assert_array_equal(X_res, X_ref)
        np.testing.assert_array_equal(y_res, y_ref)
    assert hasattr(shared.estimator_, "cluster_centers_")


@pytest.mark.parametrize("shrinkage", [float("nan"), float("inf"), -0.5, {1: float("nan")}, {1: float("inf")}])
def test_non_finite_or_negative_shrinkage_is_refused(shrinkage):
    # Issue 13, item 4: a NaN/inf shrinkage used to fill every synthetic cell with NaN/inf.
    from smotekit import RandomOverSampler

    X = np.arange(40.0).reshape(20, 2)
    y = np.array([0] * 15 + [1] * 5)
    with pytest.raises(ValueError, match="shrinkage"):
        RandomOverSampler(shrinkage=shrinkage, random_state=0).fit_resample(X, y)


# --------------------------------------------------------------------------- models inside samplers


def _one_huge_column(seed=10, scale=2.0**997):
    X, y = _data(seed)
    Xb = X.copy()
    Xb[:, 1] *= scale  # ~1.3e300: beyond float32, and its squares beyond float64
    return X, Xb, y


def test_instance_hardness_default_forest_on_huge_column_is_the_unscaled_answer():
    # The forest splits each column by thresholds: scaling a column by a power of
    # two gives exactly the same forest, so the same rows are kept.
    from smotekit.under_sampling import InstanceHardnessThreshold

    X, Xb, y = _one_huge_column()
    ref = InstanceHardnessThreshold(random_state=0)
    ref.fit_resample(X, y)
    big = InstanceHardnessThreshold(random_state=0)
    Xb_res, _ = big.fit_resample(Xb, y)
    np.testing.assert_array_equal(big.sample_indices_, ref.sample_indices_)
    np.testing.assert_array_equal(Xb_res, Xb[ref.sample_indices_])


def test_svmsmote_default_svm_on_huge_values_is_the_unscaled_answer():
    # gamma='scale' makes the RBF kernel blind to a common factor of all columns.
    from smotekit.over_sampling import SVMSMOTE

    X, y = _data(11)
    ref = SVMSMOTE(random_state=0)
    X_res, _ = ref.fit_resample(X, y)
    big = SVMSMOTE(random_state=0)
    Xb_res, _ = big.fit_resample(X * 2.0**997, y)
    np.testing.assert_array_equal(big.support_, ref.support_)
    assert np.isfinite(Xb_res).all()
    np.testing.assert_allclose(Xb_res / 2.0**997, X_res, rtol=1e-12)


@pytest.mark.parametrize("make", ["iht", "svmsmote"])
def test_user_model_failing_on_huge_values_names_the_column(make):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.svm import SVC

    from smotekit.over_sampling import SVMSMOTE
    from smotekit.under_sampling import InstanceHardnessThreshold

    _, Xb, y = _one_huge_column()
    sampler = (InstanceHardnessThreshold(estimator=RandomForestClassifier(n_estimators=5),
                                         random_state=0)
               if make == "iht" else SVMSMOTE(svm_estimator=SVC(), random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match=r"Column\(s\) \[1\] .* hold values up to [0-9.]+e\+300.*"
                                             r"Rescale those columns"):
            sampler.fit_resample(Xb, y)


@pytest.mark.parametrize("name", ["SMOTE", "BorderlineSMOTE", "ADASYN", "KMeansSMOTE", "SVMSMOTE"])
def test_sparse_generation_at_the_float64_limit(name):
    # Issue 13, item 4: the dense kernel avoided overflowing differences; the
    # sparse one computed X[partner] - X[seed] and returned inf and NaN.
    cls = dict(SAMPLERS)[name]
    X, y = _data(12, d=8)
    X = np.where(np.abs(X) < 0.5, 0.0, np.sign(X) * 1e308)  # sparse, signs mixed
    Xs = sparse.csr_matrix(X)
    sampler = _sampler(cls)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_res, _ = sampler.fit_resample(Xs, y)
    dense = X_res.toarray()
    assert np.isfinite(dense).all()
    prov = sampler.provenance_
    new = prov.is_synthetic
    seeds, partners = prov.source[new], prov.partner[new]
    if name == "SVMSMOTE":  # extrapolates beyond the seed, clipped to the float64 range
        return
    lo = np.minimum(X[seeds], X[partners])
    hi = np.maximum(X[seeds], X[partners])
    assert (dense[new] >= lo).all() and (dense[new] <= hi).all()
