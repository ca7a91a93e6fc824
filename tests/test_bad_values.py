"""Awkward values and parameters that used to crash or hang (issue 13, items 7, 9, 10).

* Huge but finite values (|x| >= 1e154): squared distances overflow float64,
  so the exact search must scale the data (by a power of two, which keeps the
  neighbours exactly) instead of reporting "no neighbour" (an IndexError).
  The models inside InstanceHardnessThreshold and SVMSMOTE are fitted on
  data scaled the same way when they are the defaults (a forest, an RBF SVM
  with gamma='scale': both blind to such scaling); a user's model that fails
  on such values gets a message naming the columns. Generation, dense or
  sparse, never overflows; nor does the smoothed bootstrap
  (``RandomOverSampler(shrinkage=...)``), whose ordinary results are pinned.
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

from smotekit.neighbors import _search, available_methods, kneighbors
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


#: Parameters that are distances in X's units (or their inverses): scaled with X, so that the
#: method sees the same geometry at both scales.
_IN_X_UNITS = {
    "CCR": lambda scale: {"energy": 1.0 * scale},
    "MWMOTE": lambda scale: {"cf_th": 5.0 / scale},
}


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[n for n, _ in SAMPLERS])
def test_every_sampler_on_huge_values(name, cls):
    X, y = _inputs(name, *_data())
    Xb = X * BIG
    if name == "SMOTENC":
        Xb[:, 0] = X[:, 0]
    scaled = _IN_X_UNITS.get(name, lambda scale: {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_res, y_res = _sampler(cls).set_params(**scaled(1.0)).fit_resample(X, y)
        Xb_res, yb_res = _sampler(cls).set_params(**scaled(BIG)).fit_resample(Xb, y)
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


# --- RandomOverSampler(shrinkage=...) on huge values; the overflow helpers ----

def _smoothing_data():
    X = np.random.default_rng(3).normal(size=(11, 2)) * [1.0, 250.0]
    y = np.array([0] * 6 + [1] * 3 + [2] * 2)
    return X, y


# The synthetic rows of the smoothed bootstrap before it learned to handle
# huge values: ordinary data keep the very same random stream and arithmetic.
_SMOOTHED_GOLDEN = {
    "float": [[1.5107897306454363, -60.99810669852166], [-0.6219047435270466, -98.86071168401067],
              [-1.6605920298772539, -139.95123767579682], [0.8294090249003578, 52.24897432546537],
              [0.05481099057236103, 525.9271080324861], [-0.0542271317796884, 296.2342886507225],
              [1.0306225543383818, -12.87576014237699]],
    "dict": [[1.1249731023434424, -60.48821730282916], [-0.7843719214063247, -98.42553641825555],
             [-1.433551475375204, -124.1071151631219], [0.6368845078112486, 205.5482342136309],
             [0.10063812881590564, 735.1349508764108], [-0.17195717706421795, 160.90290242200166],
             [1.1399183314063082, 42.73639804402504]],
    "float32": [[1.7680007219314575, -61.33803176879883], [-0.5135932564735413, -99.15082550048828],
                [-1.8119523525238037, -150.51397705078125], [0.797321617603302, 77.7988510131836],
                [0.06244884803891182, 560.7950439453125], [-0.07384880632162094, 273.6790466308594],
                [1.048838496208191, -3.6070656776428223]],
    "sparse": [[1.0193868989375108, -61.33803296231665], [-0.6258872678511149, -99.15082852784742],
               [-1.6550266317294122, -150.51398601758012], [0.7931522022748188, 77.79885097349293],
               [0.03918173631456844, 560.7950818398068], [-0.10065798929284932, 273.6790576126024],
               [1.0512054788551493, -3.607067111309995]],
}


@pytest.mark.parametrize("case", sorted(_SMOOTHED_GOLDEN))
def test_smoothed_bootstrap_golden_on_ordinary_data(case):
    from smotekit import RandomOverSampler

    X, y = _smoothing_data()
    shrinkage = {"float": 0.8, "dict": {1: 0.5, 2: 2.0}}.get(case, 1.0)
    if case == "float32":
        X = X.astype(np.float32)
    elif case == "sparse":
        X = sparse.csr_matrix(np.where(np.abs(X) < 0.6, 0, X))
    X_res, _ = RandomOverSampler(shrinkage=shrinkage, random_state=7).fit_resample(X, y)
    new = X_res[11:].toarray() if sparse.issparse(X_res) else X_res[11:]
    assert new.dtype == (np.float32 if case == "float32" else np.float64)
    np.testing.assert_array_equal(new, np.array(_SMOOTHED_GOLDEN[case], dtype=new.dtype))


def _container(X, kind):
    if kind == "pandas":
        import pandas as pd

        return pd.DataFrame(X, columns=["a", "b"])
    if kind == "polars":
        pl = pytest.importorskip("polars")
        return pl.DataFrame(X, schema=["a", "b"])
    if kind == "sparse":
        # Relative to the column's largest value, so X * 2**k keeps the same zeros.
        return sparse.csr_matrix(np.where(np.abs(X) < 0.25 * np.abs(X).max(axis=0), 0, X))
    return X


def _as_array(X):
    if sparse.issparse(X):
        return X.toarray()
    return X.to_numpy() if hasattr(X, "to_numpy") else np.asarray(X)


def _smoothed_rows(X, y, shrinkage):
    from smotekit import RandomOverSampler

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's overflow warnings included
        X_res, _ = RandomOverSampler(shrinkage=shrinkage, random_state=7).fit_resample(X, y)
    return _as_array(X_res)[len(y):]


@pytest.mark.parametrize("kind", ["numpy", "pandas", "polars", "sparse"])
@pytest.mark.parametrize("shrinkage", [0.8, {1: 0.5, 2: 2.0}])
@pytest.mark.parametrize("columns", [[0, 1], [1]])
@pytest.mark.parametrize("exponent", [664, 1013])  # about 1e200, and 1e305 (data up to 1.3e308)
def test_smoothed_bootstrap_huge_values_are_the_scaled_answer(kind, shrinkage, columns, exponent):
    # Issue 13, round 2: the standard deviation squared the values and overflowed,
    # so every synthetic cell was inf (and numpy warned). Scaling a column by a
    # power of two scales the whole draw exactly: the answer is the ordinary one
    # times 2**exponent, clipped to float64's range where the draw exceeds it.
    X, y = _smoothing_data()
    factors = np.ones(2)
    factors[columns] = 2.0**exponent
    expected = _smoothed_rows(_container(X, kind), y, shrinkage)
    with np.errstate(over="ignore"):
        expected = np.clip(expected * factors, -np.finfo(np.float64).max, np.finfo(np.float64).max)
    got = _smoothed_rows(_container(X * factors, kind), y, shrinkage)
    assert np.isfinite(got).all()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("kind", ["numpy", "pandas", "polars", "sparse"])
def test_smoothed_bootstrap_at_the_float64_limit(kind):
    rng = np.random.default_rng(1)
    X = np.where(rng.random((200, 2)) < 0.5, -1e308, 1e308)
    y = np.r_[np.zeros(150, int), np.ones(50, int)]
    got = _smoothed_rows(_container(X, kind) if kind != "sparse" else sparse.csr_matrix(X), y, 1.0)
    limit = np.finfo(np.float64).max
    assert np.isfinite(got).all()
    clipped = np.abs(got) == limit
    assert 0 < clipped.mean() < 0.5  # noise of sd ~0.4e308 around +-1e308
    assert (np.abs(got[~clipped]) < limit).all()


@pytest.mark.parametrize("kind", ["numpy", "pandas", "polars"])
def test_smoothed_bootstrap_float32_near_its_limit(kind):
    X, y = _smoothing_data()
    X32 = X.astype(np.float32)
    ordinary = _smoothed_rows(_container(X32, kind), y, 1.0)
    got = _smoothed_rows(_container(X32 * np.float32(2.0**118), kind), y, 1.0)
    assert got.dtype == np.float32 and np.isfinite(got).all()
    # Computed in float64 once scaled: equal to float32 rounding of the ordinary draw.
    np.testing.assert_allclose(got.astype(np.float64), ordinary.astype(np.float64) * 2.0**118,
                               rtol=1e-5)
    top = np.finfo(np.float32).max
    at_limit = _smoothed_rows(_container(np.sign(X32) * top, kind), y, 1.0)
    assert at_limit.dtype == np.float32 and np.isfinite(at_limit).all()
    assert (np.abs(at_limit) == top).any() and (np.abs(at_limit) < top).any()


@pytest.mark.parametrize("kind", ["numpy", "sparse"])
def test_smoothed_bootstrap_huge_shrinkage_stays_finite(kind):
    # The noise scale itself overflows (1e307 * h * sd 250): drawn on scaled values too.
    X, y = _smoothing_data()
    got = _smoothed_rows(_container(X, kind), y, 1e307)
    limit = np.finfo(np.float64).max
    assert np.isfinite(got).all()
    assert (np.abs(got) == limit).any() and (np.abs(got) < limit).any()


def test_scale_columns_sparse_without_diags_array(monkeypatch):
    # pyproject allows SciPy 1.10, which has no sparse.diags_array.
    from smotekit._huge import scale_columns

    monkeypatch.delattr(sparse, "diags_array", raising=False)
    X, _ = _data(4)
    X[:, 1] *= 1e300
    X[np.abs(X) < 0.5] = 0
    Xs = sparse.csr_matrix(X)
    before = Xs.copy()
    scaled = scale_columns(Xs, 1e30)
    np.testing.assert_array_equal(scaled.toarray(), scale_columns(X, 1e30))
    assert (Xs != before).nnz == 0  # the caller's matrix is left alone
    assert np.abs(scaled.toarray()[:, 1]).max() < 1 and scaled.dtype == np.float64


def test_overflow_scale_is_a_named_helper_of_neighbors():
    from pathlib import Path

    import smotekit

    assert "overflow_scale" in _search.__all__
    assert _search.overflow_scale(np.array([[3.0, 1e300]]), np.empty((0, 2))) == 2.0**-997
    src = Path(smotekit.__file__).parent
    users = [p.relative_to(src).as_posix() for p in src.rglob("*.py") if "_overflow_scale" in p.read_text()]
    assert users == []


# --------------------------------------------------------------------------- NaN and inf with shrinkage


def _with_bad_cell(bad, kind, row=25):
    # One non-finite cell in the minority class (rows 24..29), column "a" / 0.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    X[row, 0] = bad
    y = np.array([0] * 24 + [1] * 6)
    if kind == "pandas":
        import pandas as pd

        return pd.DataFrame(X, columns=["a", "b"]), y
    if kind == "sparse":
        return sparse.csr_matrix(X), y
    return X, y


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("kind, column", [("numpy", "[0]"), ("pandas", "['a']"), ("sparse", "[0]")])
@pytest.mark.parametrize("shrinkage", [1.0, 0.0, {1: 1.0}], ids=["float", "zero", "dict"])
def test_smoothed_bootstrap_refuses_non_finite_X(bad, kind, column, shrinkage):
    # One NaN or inf in a class made its standard deviation NaN, and the whole column of
    # every new row NaN (np.clip keeps NaN). imbalanced-learn refuses such X too.
    from smotekit import RandomOverSampler

    X, y = _with_bad_cell(bad, kind)
    word = "NaN" if np.isnan(bad) else "infinity"
    with pytest.raises(ValueError) as info:
        RandomOverSampler(shrinkage=shrinkage, random_state=0).fit_resample(X, y)
    msg = str(info.value)
    assert msg.startswith("When shrinkage is not None, X needs to contain only numerical data")  # imblearn's
    assert f"X contains {word} in 1 cell(s) of 1 column(s), e.g. columns {column}" in msg
    assert "impute" in msg and f"Or pass shrinkage=None (shrinkage={shrinkage!r} here)" in msg


def test_smoothed_bootstrap_refuses_non_finite_X_in_any_class():
    # As in imbalanced-learn: X is checked whole, not only the classes drawn from.
    from smotekit import RandomOverSampler

    X, y = _with_bad_cell(np.nan, "numpy", row=3)
    with pytest.raises(ValueError, match=r"X contains NaN .* columns \[0\]"):
        RandomOverSampler(shrinkage=1.0, random_state=0).fit_resample(X, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
@pytest.mark.parametrize("kind", ["numpy", "pandas"])
def test_plain_bootstrap_still_copies_non_finite_X(bad, kind):
    from smotekit import RandomOverSampler

    X, y = _with_bad_cell(bad, kind)
    before = np.array(X, copy=True)
    sampler = RandomOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    values = np.asarray(X_res)
    assert np.bincount(y_res).tolist() == [24, 24]
    # The added rows are copies: the bad cell only where row 25 was drawn, column 1 untouched.
    np.testing.assert_array_equal(values[30:], before[sampler.sample_indices_[30:]])
    assert np.isfinite(values[30:, 1]).all()
    np.testing.assert_array_equal(np.asarray(X), before)  # the caller's X is left alone


@pytest.mark.parametrize("shrinkage, allow_nan", [(None, True), (1.0, False), ({1: 0.5}, False)])
def test_random_over_sampler_nan_capability_follows_shrinkage(shrinkage, allow_nan):
    # The tags (read by `smotekit methods` and the check suites) and the attribute the command
    # line reads answer for this instance's parameters.
    from sklearn.utils import get_tags

    from smotekit import RandomOverSampler

    sampler = RandomOverSampler(shrinkage=shrinkage)
    assert sampler._allow_nan is allow_nan
    assert get_tags(sampler).input_tags.allow_nan is allow_nan
    assert clone(sampler)._allow_nan is allow_nan


@pytest.mark.parametrize("cell, words", [("", "cannot use missing values; columns with gaps: a (1)"),
                                         ("inf", "X contains infinity in 1 cell(s) of 1 column(s), e.g. "
                                                 "columns ['a']")])
def test_cli_smoothed_bootstrap_refuses_gaps(tmp_path, capsys, cell, words):
    from smotekit.cli import main

    rng = np.random.default_rng(0)
    lines = ["a,b,label"] + [
        f"{cell if i == 25 else round(rng.normal(), 3)},{round(rng.normal(), 3)},{'y' if i >= 24 else 'n'}"
        for i in range(30)]
    src = tmp_path / "nan.csv"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "o.csv"
    code = main(["resample", str(src), "-t", "label", "-o", str(out), "--method", "ros", "--param", "shrinkage=1"])
    err = capsys.readouterr().err
    assert code == 1 and words in err and not out.exists()
    # Without shrinkage the rows are copied, gaps included.
    assert main(["resample", str(src), "-t", "label", "-o", str(out), "--method", "ros"]) == 0
    assert out.exists()
