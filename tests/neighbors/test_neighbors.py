"""Differential and property tests of ``smotekit.neighbors``.

References:

* scikit-learn's ``NearestNeighbors(algorithm='brute')`` in float64 (its
  ``kneighbors()`` without arguments excludes each row's own index, duplicates
  included, so it is a correct self-excluding reference);
* a naive O(n^2) numpy computation from coordinate differences, ordered by
  ``(distance, index)``: the exact answer every backend must reproduce.

Where the reference has ties among the first neighbours only distances are
compared (any tied row is a correct answer); on tie-free rows indices are
compared exactly.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from smotekit.neighbors import _search, available_methods, kneighbors, kneighbors_from_estimator

METHODS = available_methods()  # includes 'auto'
CONCRETE = tuple(m for m in METHODS if m != "auto")
DENSE_METHODS = METHODS
SPARSE_METHODS = ("brute", "auto")

RTOL = 1e-12
ATOL = 1e-12


# --------------------------------------------------------------------------- helpers


def _dense64(A):
    return np.asarray(A.toarray() if sparse.issparse(A) else A, dtype=np.float64)


def naive_sq(X, query=None):
    """Full matrix of exact squared distances (query rows x X rows), self at +inf."""
    Xd = _dense64(X)
    Qd = Xd if query is None else _dense64(query)
    diff = Xd[None, :, :] - Qd[:, None, :]
    D = np.einsum("ijk,ijk->ij", diff, diff)
    if query is None:
        np.fill_diagonal(D, np.inf)
    return D


def naive_knn(X, k, query=None):
    """Exact k nearest neighbours ordered by (distance, index), self excluded when query is None."""
    D = np.sqrt(naive_sq(X, query))
    cols = np.arange(D.shape[1])
    order = np.array([np.lexsort((cols, row)) for row in D], dtype=np.int64).reshape(D.shape)
    idx = order[:, :k]
    return idx, np.take_along_axis(D, idx, axis=1)


def sklearn_knn(X, k, query=None):
    """scikit-learn brute force in float64 (self-excluding when query is None)."""
    Xd = X.astype(np.float64) if sparse.issparse(X) else _dense64(X)
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(Xd)
    if query is None:
        dist, idx = nn.kneighbors()
    else:
        Qd = query.astype(np.float64) if sparse.issparse(query) else _dense64(query)
        dist, idx = nn.kneighbors(Qd)
    return idx, dist


def tie_free_rows(X, k, query=None, rel=1e-9):
    """Rows whose k+1 smallest exact distances are pairwise well separated."""
    D = np.sqrt(naive_sq(X, query))
    m = min(k + 1, D.shape[1] - (query is None))
    part = np.sort(D, axis=1)[:, :m]
    gaps = np.diff(part, axis=1)
    scale = np.maximum(part[:, 1:], 1e-300)
    return (gaps > rel * scale).all(axis=1)


def check_structure(X, idx, dist, k, query=None):
    """Shape, dtype, self-exclusion, distinct rows, consistency and (distance, index) order."""
    m = (X if query is None else query).shape[0]
    assert idx.shape == (m, k) and dist.shape == (m, k)
    assert idx.dtype == np.int64 and dist.dtype == np.float64
    assert ((idx >= 0) & (idx < X.shape[0])).all()
    if query is None:
        assert not (idx == np.arange(m)[:, None]).any(), "a row is its own neighbour"
    assert all(np.unique(row).size == k for row in idx), "a neighbour is repeated"
    D = naive_sq(X, query)
    np.testing.assert_allclose(dist, np.sqrt(np.take_along_axis(D, idx, axis=1)), rtol=RTOL, atol=ATOL)
    # Lexicographic (distance, index) order within each row.
    d_next, d_prev = dist[:, 1:], dist[:, :-1]
    assert (d_next >= d_prev).all()
    same = d_next == d_prev
    assert (idx[:, 1:][same] > idx[:, :-1][same]).all()


def sklearn_atol(X, query=None):
    """scikit-learn expands |q - x|^2 = |q|^2 + |x|^2 - 2 q.x: near 0 its distances carry
    an absolute error of about sqrt(eps * (|q|^2 + |x|^2)) (e.g. duplicates at 1e-8)."""
    Xd = _dense64(X)
    Qd = Xd if query is None else _dense64(query)
    scale = (Xd**2).sum(axis=1).max() + (Qd**2).sum(axis=1).max()
    return max(ATOL, float(np.sqrt(64 * np.finfo(np.float64).eps * scale)))


def assert_matches(X, k, idx, dist, ref_idx, ref_dist, query=None, require_tie_free=False,
                   atol=ATOL):
    """Distances equal row by row; indices equal wherever the reference has no ties."""
    check_structure(X, idx, dist, k, query)
    np.testing.assert_allclose(dist, ref_dist, rtol=RTOL, atol=atol)
    free = tie_free_rows(X, k, query)
    if require_tie_free:
        assert free.all()
    np.testing.assert_array_equal(idx[free], ref_idx[free])


def gaussian(shape, seed, dtype=np.float64):
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


def duplicate_heavy(seed, n=240, d=5, distinct=40):
    """Few distinct rows repeated many times (dyadic values, so every method is exact)."""
    rng = np.random.default_rng(seed)
    base = np.round(rng.normal(size=(distinct, d)) * 16) / 16
    X = base[rng.integers(0, distinct, size=n)]
    assert np.unique(X, axis=0).shape[0] < n // 2
    return X


def integer_grid(seed, n=300, d=3, levels=4):
    """Integer grid points: many duplicates and very many exactly equal distances."""
    return np.random.default_rng(seed).integers(0, levels, size=(n, d)).astype(np.float64)


# --------------------------------------------------------------------------- differential


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("shape", [(300, 2), (500, 20), (200, 100)])
@pytest.mark.parametrize("k", [1, 5, -1], ids=["k=1", "k=5", "k=n-1"])
def test_gaussian_matches_sklearn(method, shape, k):
    X = gaussian(shape, seed=shape[1])
    k = shape[0] - 1 if k == -1 else k
    idx, dist = kneighbors(X, k, method=method, return_distance=True)
    ref_idx, ref_dist = sklearn_knn(X, k)
    assert_matches(X, k, idx, dist, ref_idx, ref_dist, require_tie_free=k < 10)
    if k < 10:
        np.testing.assert_array_equal(idx, ref_idx)
    n_idx, n_dist = naive_knn(X, k)
    assert_matches(X, k, idx, dist, n_idx, n_dist)


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("make", [duplicate_heavy, integer_grid], ids=["duplicates", "grid"])
@pytest.mark.parametrize("k", [1, 4, 12, -1], ids=["k=1", "k=4", "k=12", "k=n-1"])
def test_ties_match_sklearn_distances(method, make, k):
    X = make(seed=3)
    k = X.shape[0] - 1 if k == -1 else k
    idx, dist = kneighbors(X, k, method=method, return_distance=True)
    ref_idx, ref_dist = sklearn_knn(X, k)
    assert_matches(X, k, idx, dist, ref_idx, ref_dist)
    n_idx, n_dist = naive_knn(X, k)
    np.testing.assert_array_equal(dist, n_dist)  # dyadic / integer data: bit-exact


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("k", [1, 7])
def test_high_dimensional_grid_ties(method, k):
    # Many equal distances with enough features for the faiss / brute paths to be chosen.
    X = integer_grid(seed=5, n=200, d=12, levels=2)
    idx, dist = kneighbors(X, k, method=method, return_distance=True)
    ref_idx, ref_dist = sklearn_knn(X, k)
    assert_matches(X, k, idx, dist, ref_idx, ref_dist)


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("d", [3, 30])
def test_float32_input(method, d):
    X = gaussian((400, d), seed=11, dtype=np.float32)
    idx, dist = kneighbors(X, 6, method=method, return_distance=True)
    ref_idx, ref_dist = sklearn_knn(X, 6)  # float64 reference on the float32 values
    assert_matches(X, 6, idx, dist, ref_idx, ref_dist, require_tie_free=True)
    np.testing.assert_array_equal(idx, ref_idx)
    assert X.dtype == np.float32


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("d", [2, 20])
@pytest.mark.parametrize("k", [1, 5, -1], ids=["k=1", "k=5", "k=n"])
def test_query_differs_from_X(method, d, k):
    X = gaussian((250, d), seed=21)
    Q = gaussian((90, d), seed=22)
    Q[:10] = X[:10]  # a query equal to a row of X finds that row at distance 0
    k = X.shape[0] if k == -1 else k
    idx, dist = kneighbors(X, k, query=Q, method=method, return_distance=True)
    ref_idx, ref_dist = sklearn_knn(X, k, query=Q)
    assert_matches(X, k, idx, dist, ref_idx, ref_dist, query=Q, atol=sklearn_atol(X, Q))
    np.testing.assert_array_equal(idx[:10, 0], np.arange(10))
    np.testing.assert_array_equal(dist[:10, 0], 0.0)
    n_idx, n_dist = naive_knn(X, k, query=Q)
    assert_matches(X, k, idx, dist, n_idx, n_dist, query=Q)


@pytest.mark.parametrize("method", SPARSE_METHODS)
@pytest.mark.parametrize("density", [0.05, 0.5])
@pytest.mark.parametrize("k", [1, 5, -1], ids=["k=1", "k=5", "k=n-1"])
def test_sparse_csr(method, density, k):
    X = sparse.random(150, 30, density=density, format="csr", random_state=7,
                      data_rvs=np.random.default_rng(7).standard_normal)
    k = X.shape[0] - 1 if k == -1 else k
    idx, dist = kneighbors(X, k, method=method, return_distance=True)
    ref_idx, ref_dist = sklearn_knn(X, k)
    assert_matches(X, k, idx, dist, ref_idx, ref_dist)
    # Same answer as the dense input.
    d_idx, d_dist = kneighbors(X.toarray(), k, method="kd_tree", return_distance=True)
    np.testing.assert_allclose(dist, d_dist, rtol=RTOL, atol=ATOL)
    # And with a sparse query.
    Q = sparse.random(40, 30, density=density, format="csr", random_state=8)
    kq = min(k, X.shape[0])
    q_idx, q_dist = kneighbors(X, kq, query=Q, method=method, return_distance=True)
    ref_idx, ref_dist = sklearn_knn(X, kq, query=Q)
    assert_matches(X, kq, q_idx, q_dist, ref_idx, ref_dist, query=Q)


# Backends that certify their candidates (faiss, brute) return exactly the first rows in
# (distance, index) order, even when ties extend beyond the rows they fetched.
CERTIFIED = tuple(m for m in CONCRETE if m != "kd_tree")


@pytest.mark.parametrize("method", CERTIFIED)
@pytest.mark.parametrize("make", [duplicate_heavy, integer_grid,
                                  lambda seed: integer_grid(seed, n=200, d=12, levels=2)],
                         ids=["duplicates", "grid", "grid-12"])
@pytest.mark.parametrize("k", [1, 4, 12])
def test_certified_backends_break_ties_by_index(method, make, k):
    X = make(seed=9)
    idx, dist = kneighbors(X, k, method=method, return_distance=True)
    n_idx, n_dist = naive_knn(X, k)
    np.testing.assert_array_equal(idx, n_idx)
    np.testing.assert_array_equal(dist, n_dist)
    Q = X[::7] + 0.5
    q_idx = kneighbors(X, k, query=Q, method=method)
    np.testing.assert_array_equal(q_idx, naive_knn(X, k, query=Q)[0])


@pytest.mark.parametrize("k", [1, 4, 12])
def test_sparse_binary_ties_broken_by_index(k):
    X = sparse.random(200, 40, density=0.1, format="csr", random_state=3)
    X.data[:] = 1.0  # binary rows: many duplicates (all-zero rows) and equal distances
    idx = kneighbors(X, k, method="brute")
    np.testing.assert_array_equal(idx, naive_knn(X, k)[0])


# --------------------------------------------------------------------------- exactness


def _offset_data(seed, n=300, d=20, offset=1e6, noise=1e-3):
    return offset + np.random.default_rng(seed).normal(size=(n, d)) * noise


def _two_far_clusters(seed, n=300, d=20):
    """Centring cannot shrink these norms: a float32 or expanded-product search is unsure."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 1e-3
    X[: n // 2] += 1e6
    X[n // 2:] -= 1e6
    return X


def _near_sphere(seed, n=400, d=20, offset=1e3):
    """One centre with every other point at almost the same distance from it."""
    rng = np.random.default_rng(seed)
    P = rng.normal(size=(n, d))
    P /= np.linalg.norm(P, axis=1, keepdims=True)
    P *= 1 + rng.uniform(-1e-6, 1e-6, size=(n, 1))
    return np.vstack([np.zeros((1, d)), P]) + offset


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("make", [_offset_data, _two_far_clusters, _near_sphere],
                         ids=["offset", "far-clusters", "near-sphere"])
def test_exact_on_ill_conditioned_data(method, make):
    """Large common offsets and near-equal distances: the answer is still the exact one."""
    X = make(seed=1)
    k = 5
    idx, dist = kneighbors(X, k, method=method, return_distance=True)
    n_idx, n_dist = naive_knn(X, k)
    assert_matches(X, k, idx, dist, n_idx, n_dist)


def _near_sphere_far(seed):
    return _near_sphere(seed, offset=1e6)


@pytest.mark.skipif("faiss" not in METHODS, reason="faiss-cpu not installed")
@pytest.mark.parametrize("make", [_two_far_clusters, _near_sphere, _near_sphere_far],
                         ids=["far-clusters", "near-sphere", "near-sphere-offset"])
def test_faiss_uncertain_rows_are_recomputed_exactly(make, monkeypatch):
    """Data the float32 bound cannot certify: the recomputed rows equal the exact answer."""
    X = make(seed=2)
    calls = {"n": 0, "rows": 0}
    original = _search._exact_search  # the exact re-search of uncertified rows

    def counting(X_, Q_, *args, **kwargs):
        calls["n"] += 1
        calls["rows"] += Q_.shape[0]
        return original(X_, Q_, *args, **kwargs)

    monkeypatch.setattr(_search, "_exact_search", counting)
    k = 6
    idx, dist = kneighbors(X, k, method="faiss", return_distance=True)
    assert calls["n"] >= 1, "the uncertain path was not exercised"
    assert 0 < calls["rows"] <= X.shape[0]
    n_idx, n_dist = naive_knn(X, k)
    assert_matches(X, k, idx, dist, n_idx, n_dist)


# --------------------------------------------------------------------------- self-exclusion


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("d", [2, 20])
def test_duplicates_come_first_but_never_self(method, d):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(120, d))
    X[[10, 50, 90]] = X[10]  # three identical rows
    X[[20, 21, 22, 23, 24, 25, 26, 27]] = X[20]  # eight identical rows (more than k)
    k = 4
    idx, dist = kneighbors(X, k, method=method, return_distance=True)
    check_structure(X, idx, dist, k)
    for i, others in ((10, [50, 90]), (50, [10, 90]), (90, [10, 50])):
        np.testing.assert_array_equal(idx[i, :2], others)  # ordered by index among ties
        np.testing.assert_array_equal(dist[i, :2], 0.0)
        assert dist[i, 2] > 0
    group = set(range(20, 28))
    for i in group:
        assert set(idx[i]) <= group - {i}
        np.testing.assert_array_equal(dist[i], 0.0)


@pytest.mark.parametrize("method", DENSE_METHODS)
def test_all_rows_identical(method):
    X = np.ones((7, 3))
    idx, dist = kneighbors(X, 6, method=method, return_distance=True)
    np.testing.assert_array_equal(dist, 0.0)
    for i in range(7):
        np.testing.assert_array_equal(idx[i], [j for j in range(7) if j != i])


@pytest.mark.parametrize("method", DENSE_METHODS + ("sparse",))
def test_equal_distances_in_index_order(method):
    """Squared distances summed in another order can differ by an ulp where the distances
    are equal; the order must follow the distances returned, ties by index."""
    X = np.full((17, 7), -0.001)
    X[0, 0] = 0
    X[2, 3] = 0
    X[9, 1] = 0.000375
    X[9, 2] = -0.0005
    Xin = sparse.csr_matrix(X) if method == "sparse" else X
    idx, dist = kneighbors(Xin, 16, method="brute" if method == "sparse" else method,
                           return_distance=True)
    check_structure(X, idx, dist, 16)


def test_kneighbors_from_estimator_self_exclusion():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    X[[3, 7, 12]] = X[3]  # three identical rows
    nn = NearestNeighbors(n_neighbors=4)
    idx = kneighbors_from_estimator(nn, X)
    assert idx.shape == (30, 3) and idx.dtype == np.int64
    assert not (idx == np.arange(30)[:, None]).any()
    for i, others in ((3, [7, 12]), (7, [3, 12]), (12, [3, 7])):
        np.testing.assert_array_equal(idx[i, :2], others)
    # Same neighbours as the built-in search (up to the choice among tied rows).
    np.testing.assert_array_equal(np.sort(naive_sq(X)[np.arange(30)[:, None], idx], axis=1),
                                  naive_sq(X)[np.arange(30)[:, None], kneighbors(X, 3)])
    # The estimator passed in is not fitted (it is cloned).
    assert not hasattr(nn, "n_samples_fit_")
    # The naive "drop the first column" approach keeps a row as its own neighbour.
    naive = NearestNeighbors(n_neighbors=4).fit(X).kneighbors(X, return_distance=False)[:, 1:]
    assert (naive == np.arange(30)[:, None]).any()


def test_kneighbors_from_estimator_more_duplicates_than_neighbours():
    X = np.vstack([np.zeros((6, 2)), np.arange(10, 20, dtype=float).reshape(5, 2)])
    idx = kneighbors_from_estimator(NearestNeighbors(n_neighbors=3), X)
    assert idx.shape == (11, 2)
    for i in range(6):
        assert i not in idx[i]
        assert set(idx[i]) <= set(range(6))


def test_kneighbors_from_estimator_too_few_neighbours():
    with pytest.raises(ValueError, match="at least 2"):
        kneighbors_from_estimator(NearestNeighbors(n_neighbors=1), np.random.rand(10, 2))


# --------------------------------------------------------------------------- determinism


def _tied_and_plain():
    return {
        "gaussian-3": gaussian((400, 3), seed=31),
        "gaussian-40": gaussian((300, 40), seed=32),
        "grid-3": integer_grid(seed=33, n=400, d=3),
        "grid-12": integer_grid(seed=34, n=300, d=12, levels=2),
        "duplicates": duplicate_heavy(seed=35),
    }


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("name", list(_tied_and_plain()))
def test_deterministic_and_thread_independent(method, name, monkeypatch):
    # Small searches run on one thread whatever n_jobs says: lift that threshold so
    # n_jobs really changes the number of threads.
    monkeypatch.setattr(_search, "_THREADS_MIN_TREE_QUERIES", 0)
    monkeypatch.setattr(_search, "_THREADS_MIN_BRUTE_WORK", 0)
    X = _tied_and_plain()[name]
    k = 8
    a = kneighbors(X, k, method=method, return_distance=True)
    b = kneighbors(X, k, method=method, return_distance=True)
    c = kneighbors(X, k, method=method, n_jobs=1, return_distance=True)
    d = kneighbors(X, k, method=method, n_jobs=2, return_distance=True)
    for other in (b, c, d):
        np.testing.assert_array_equal(a[0], other[0])
        np.testing.assert_array_equal(a[1], other[1])


@pytest.mark.parametrize("method", DENSE_METHODS)
def test_input_not_modified(method):
    X = gaussian((200, 12), seed=41)
    Q = gaussian((30, 12), seed=42)
    X0, Q0 = X.copy(), Q.copy()
    kneighbors(X, 3, method=method)
    kneighbors(X, 3, query=Q, method=method)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Q, Q0)


def test_return_distance_flag():
    X = gaussian((50, 4), seed=0)
    idx = kneighbors(X, 3)
    assert isinstance(idx, np.ndarray)
    np.testing.assert_array_equal(idx, kneighbors(X, 3, return_distance=True)[0])


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("method", DENSE_METHODS)
def test_k_too_large(method):
    X = gaussian((10, 3), seed=0)
    with pytest.raises(ValueError, match="at most 9"):
        kneighbors(X, 10, method=method)
    with pytest.raises(ValueError, match="at most 9"):
        kneighbors(X, 15, method=method)
    with pytest.raises(ValueError, match="at most 10"):
        kneighbors(X, 11, query=X[:3], method=method)
    with pytest.raises(ValueError, match="at least 1"):
        kneighbors(X, 0, method=method)


def test_unknown_method():
    with pytest.raises(ValueError, match="not a neighbour backend"):
        kneighbors(gaussian((10, 3), seed=0), 2, method="ball_tree")


@pytest.mark.parametrize("method", ["faiss", "kd_tree"])
def test_sparse_rejected_by_dense_backends(method):
    X = sparse.random(20, 5, density=0.5, format="csr", random_state=0)
    with pytest.raises(ValueError, match="sparse"):
        kneighbors(X, 2, method=method)


# --------------------------------------------------------------------------- hypothesis


@st.composite
def small_arrays(draw):
    n_distinct = draw(st.integers(1, 10))
    d = draw(st.integers(1, 4))
    elements = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    base = draw(hnp.arrays(np.float64, (n_distinct, d), elements=elements))
    n = draw(st.integers(max(2, n_distinct), 16))
    picks = draw(hnp.arrays(np.int64, n, elements=st.integers(0, n_distinct - 1)))
    X = base[picks]
    k = draw(st.integers(1, n - 1))
    return X, k


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=small_arrays(), method=st.sampled_from(DENSE_METHODS + ("sparse",)))
def test_distances_match_naive(data, method):
    X, k = data
    Xin = sparse.csr_matrix(X) if method == "sparse" else X
    idx, dist = kneighbors(Xin, k, method="brute" if method == "sparse" else method,
                           return_distance=True)
    n_idx, n_dist = naive_knn(X, k)
    check_structure(X, idx, dist, k)
    np.testing.assert_allclose(dist, n_dist, rtol=RTOL, atol=0)
    if method in CERTIFIED:
        # Same float64 arithmetic as the reference: equal distances are bit-equal, so
        # the (distance, index) order is the reference's, ties included.
        np.testing.assert_array_equal(idx, n_idx)
    elif method == "sparse":
        # Sparse sums run in another order: mathematically equal distances may differ
        # by an ulp, so indices are compared where distances are well separated.
        free = tie_free_rows(X, k)
        np.testing.assert_array_equal(idx[free], n_idx[free])


@st.composite
def ill_conditioned_arrays(draw):
    """Small spreads on large offsets, optionally duplicated: cancellation-prone data."""
    n = draw(st.integers(2, 30))
    d = draw(st.integers(1, 12))
    offset = draw(st.sampled_from([0.0, 1e3, 1e6, -1e8]))
    scale = draw(st.sampled_from([1.0, 1e-3, 1e-6]))
    base = draw(hnp.arrays(np.float64, (n, d), elements=st.floats(-1, 1)))
    X = offset + base * scale
    if draw(st.booleans()):
        X = X[draw(hnp.arrays(np.int64, n, elements=st.integers(0, n - 1)))]
    return X, draw(st.integers(1, n - 1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=ill_conditioned_arrays(), method=st.sampled_from(DENSE_METHODS + ("sparse",)))
def test_ill_conditioned_match_naive(data, method):
    X, k = data
    Xin = sparse.csr_matrix(X) if method == "sparse" else X
    idx, dist = kneighbors(Xin, k, method="brute" if method == "sparse" else method,
                           return_distance=True)
    n_idx, n_dist = naive_knn(X, k)
    check_structure(X, idx, dist, k)
    np.testing.assert_allclose(dist, n_dist, rtol=RTOL, atol=0)
    if method in CERTIFIED:
        np.testing.assert_array_equal(idx, n_idx)
