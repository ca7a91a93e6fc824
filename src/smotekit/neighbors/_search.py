"""Exact k-nearest neighbours with correct self-exclusion and bounded memory.

Every backend proposes *candidates*; :func:`_finalize` then recomputes their
distances in float64 from coordinate differences, orders them by
``(distance, index)`` and removes each query's own row. That one place is why
all backends agree with each other, and why duplicated rows are handled right:
a row's duplicates are its neighbours at distance 0, the row itself never is
(``kneighbors(X)[:, 1:]`` drops an arbitrary one of the tied rows instead).

Backends, chosen by ``method='auto'`` from the data's shape (measured in
``benchmarks/``):

``kd_tree``  scipy's cKDTree, all cores; best for few features.
``faiss``    faiss-cpu exact flat index in float32, every answer verified
             against a rounding-error bound and recomputed in float64 where the
             bound cannot certify it (optional extra ``smotekit[fast]``).
``brute``    scikit-learn's chunked brute force in float64 (also sparse input),
             certified against a rounding-error bound like ``faiss``.

Rows the bound cannot certify (near-ties, large offsets, more tied rows than
candidates) are searched again exactly by :func:`_exact_search`, so ``faiss``
and ``brute`` return the first rows in (exact distance, index) order.

With ``method='auto'``, dense data with more than ``KD_TREE_MAX_FEATURES``
features skip the ranking backends for the two searches the samplers ask most:
every row among the others (a class's own neighbours) goes to the symmetric
float32 screen of :mod:`smotekit.neighbors._blocked` (half of the distance
matrix, 3-4x faster than ``brute`` at 20k rows), and few rows against many
(one class against all the data) to the screen of
:mod:`smotekit.neighbors._screen`. Both keep, under per-row bounds taken from a
random sample, every row that may be among the nearest, and rank those exactly;
where float32 cannot tell the rows apart they give up and the float64 engines
answer.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from ._blocked import TooManyPairs, symmetric_kneighbors, where_pairs
from ._screen import expansion_error_bound, screen_search
from ._sizes import check_object_fits
from ._threads import n_threads, set_faiss_threads

__all__ = ["METHODS", "available_methods", "drop_self", "exact_sq_dist", "kneighbors",
           "kneighbors_from_estimator", "overflow_scale"]

METHODS = ("auto", "kd_tree", "faiss", "brute")

_log = logging.getLogger(__name__)

# Above this many features kd-trees lose to blocked matrix products (measured:
# benchmarks/neighbors.py on make_classification data).
KD_TREE_MAX_FEATURES = 8
# Smaller searches (queries x rows) go to scikit-learn's brute force even when faiss is
# installed (measured: 10k x 10k on par, 1k x 100k brute 2x faster, 15k x 1M faiss 2x faster).
FAISS_MIN_PAIRS = 10**9
# Few queries against many rows (a class against all the data) are answered by
# the float32 screen of neighbors/_screen.py when there are at least this many
# rows per query and this many (query, row) pairs, and the rows outnumber the
# neighbours asked by SCREEN_MIN_ROW_RATIO * _SCREEN_SAMPLE (its sample needs
# _SCREEN_SAMPLE rows per neighbour, well inside the rows)
# (measured: benchmarks/bench_borderline.py).
SCREEN_MIN_ROW_RATIO = 8
SCREEN_MIN_PAIRS = 10**7
_SCREEN_SAMPLE = 16
# Every row among the others (a class's own neighbours, SMOTE) is answered by
# the symmetric float32 screen of neighbors/_blocked.py from this many rows
# (faster than scikit-learn's brute force and faiss from 500 rows at 10, 20 and
# 100 features: benchmarks/tune_search.py, 'engines' table) up to
# SYMMETRIC_MAX_ROWS: its kept pairs are all held at once, ~1.5 KB per row
# (measured peak 284 MB at 200k x 20, 22 s, where faiss takes several times longer),
# so at most ~600 MB, which a 1.2 GB Dask worker holding a 340k-row class still has.
SYMMETRIC_MIN_ROWS = 500
SYMMETRIC_MAX_ROWS = 400_000
# Starting threads costs more than it saves on small searches: a kd-tree query
# costs about log(n) node visits, a brute-force one n * d multiply-adds.
_THREADS_MIN_TREE_QUERIES = 50_000
_THREADS_MIN_BRUTE_WORK = 1 << 26
# Rows of candidate coordinates materialised at once while re-ranking, in elements.
_RERANK_BLOCK_ELEMENTS = 1 << 20
# Query x data distances screened at once by the exact re-search (cache-sized).
_SCREEN_BLOCK_ELEMENTS = 1 << 20


def available_methods() -> tuple[str, ...]:
    """The backends usable on this machine (``faiss`` only if faiss-cpu is installed)."""
    has_faiss = importlib.util.find_spec("faiss") is not None
    return tuple(m for m in METHODS if m != "faiss" or has_faiss)


def _choose(X, method, n_queries) -> str:
    if method not in METHODS:
        raise ValueError(f"method={method!r} is not a neighbour backend; use one of {METHODS}.")
    if method == "faiss" and "faiss" not in available_methods():
        raise ValueError(
            "method='faiss' needs the optional faiss-cpu package: pip install 'smotekit[fast]'."
        )
    if method != "auto":
        if sparse.issparse(X) and method != "brute":
            raise ValueError(f"method={method!r} does not accept sparse input; use 'brute'.")
        return method
    if sparse.issparse(X):
        return "brute"
    if X.shape[1] <= KD_TREE_MAX_FEATURES:
        return "kd_tree"
    # faiss's float32 scan pays off on large searches only.
    if n_queries * X.shape[0] >= FAISS_MIN_PAIRS and "faiss" in available_methods():
        return "faiss"
    return "brute"


def kneighbors(X, n_neighbors, *, query=None, query_rows=None, method="auto", n_jobs=None,
               return_distance=False):
    """Exact ``n_neighbors`` nearest rows of ``X`` for every row of ``query``.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        The rows searched.
    n_neighbors : int
        Neighbours per query row.
    query : array-like of shape (n_queries, n_features), optional
        The rows whose neighbours are wanted. ``None`` (and no ``query_rows``)
        means every row of ``X``, each excluding its own index (its duplicates
        are neighbours like any other row, at distance 0).
    query_rows : array-like of int, optional
        Positions of the query rows within ``X`` (e.g. one class among all the
        data); each excludes its own index, as above. Exclusive with ``query``.
    method : {'auto', 'kd_tree', 'faiss', 'brute'}
        Backend; all give the same answer. ``'auto'`` may also answer every
        row among the others, or few dense queries against many rows, by a
        screened float32 search (see the module docstring).
    n_jobs : int, optional
        Threads; ``None`` uses every core. Results never depend on it.
    return_distance : bool
        Also return the Euclidean distances.

    Returns
    -------
    indices : ndarray of shape (n_queries, n_neighbors), int64
        Ordered by increasing distance, ties by increasing index.
    distances : ndarray of shape (n_queries, n_neighbors), float64
        Only when ``return_distance`` is true.
    """
    if query is not None and query_rows is not None:
        raise ValueError("Give either query (new rows) or query_rows (positions in X), not both.")
    if method == "auto" and sparse.issparse(X) and _dense_pays(X):
        # Sparse in name only: the dense engines answer, on a dense copy.
        X = X.toarray()
        query = query.toarray() if sparse.issparse(query) else query
    exclude_self = query is None
    if query_rows is not None:
        own = np.asarray(query_rows, dtype=np.int64)
        Q = X[own]
    else:
        own = None
        Q = X if exclude_self else query
    n = X.shape[0]
    k = int(n_neighbors)
    needed = k + 1 if exclude_self else k
    if k < 1:
        raise ValueError(f"n_neighbors must be at least 1, got {n_neighbors}.")
    if needed > n:
        raise ValueError(
            f"{k} neighbours were asked among {n} rows"
            + (" (a row is not its own neighbour)" if exclude_self else "")
            + f"; at most {n - exclude_self} are available."
        )
    if Q.shape[0] == 0:
        empty = np.empty((0, k), dtype=np.int64)
        return (empty, empty.astype(np.float64)) if return_distance else empty
    scale = overflow_scale(X, Q)
    if scale != 1.0:
        # Scaled copies; the caller's arrays are left alone.
        X = X * scale
        Q = X[own] if own is not None else (X if exclude_self else Q * scale)
    backend = _choose(X, method, Q.shape[0])
    if method == "auto" and backend != "kd_tree":
        if exclude_self and own is None and _symmetric_pays(X, needed):
            backend = "symmetric"
        elif _few_against_many(X, Q.shape[0], needed):
            backend = "screen"
    if backend == "kd_tree":
        worth_threads = Q.shape[0] >= _THREADS_MIN_TREE_QUERIES
    else:
        worth_threads = Q.shape[0] * n * X.shape[1] >= _THREADS_MIN_BRUTE_WORK
    threads = n_threads(n_jobs) if worth_threads else 1
    started = _log_search_start(Q.shape[0], n, k, backend)
    cand = None
    if backend == "kd_tree":
        # One spare candidate: a kd-tree returns an arbitrary one of the rows
        # tied at the last place, so rows whose last two distances tie are
        # re-searched exactly by _certify and ties go by index as elsewhere.
        cand = _kd_tree(X, Q, min(n, needed + 1), threads)
        if cand.shape[1] > needed:
            lower = exact_sq_dist(X, Q, cand[:, -1:])[:, 0]
            cand, sq = _certify(X, Q, cand, lower, needed)
        else:
            sq = None
    elif backend in ("screen", "symmetric"):
        try:
            cand, sq = (symmetric_kneighbors(X, needed, threads) if backend == "symmetric"
                        else screen_search(X, Q, needed, threads))
        except TooManyPairs:
            # Rows float32 cannot tell apart (masses of duplicates, a spread
            # tiny beside the norms): the float64 engines answer.
            _log.debug("neighbour search: the float32 screen gave up; %s answers", _choose(X, "auto", Q.shape[0]))
            backend = _choose(X, "auto", Q.shape[0])
            cand = None
    if cand is None:
        search = _faiss if backend == "faiss" else _brute
        cand, lower = search(X, Q, min(n, needed + _EXTRA), threads)
        cand, sq = _certify(X, Q, cand, lower, needed)
    idx, dist = _finalize(X, Q, cand, k, exclude_self, own, sq)
    _log_search_end(Q.shape[0], started)
    if scale != 1.0 and return_distance:
        # Exact (a power of two); a distance beyond the float64 range is inf.
        with np.errstate(over="ignore"):
            dist = dist / scale
    return (idx, dist) if return_distance else idx


# Above this, max |x| * sqrt(n_features) puts squared distances (and the
# rounding-error bounds, which square sums of norms) near the float64 limit
# (1.8e308): every distance would be inf and no row a neighbour.
_OVERFLOW_NORM = 1e150


def overflow_scale(X, Q):
    """The factor that keeps squared distances between rows of ``X`` and ``Q`` finite.

    Multiplying by a power of two is exact (barring underflow of values
    2**1000 times smaller than the largest, which cannot change their rows'
    distances by more than a rounding), so the neighbours found in the scaled
    data are exactly those of the original data, ties included. Samplers that
    fit a distance-based model of their own (an RBF SVM, k-means) scale by it
    too.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        The rows searched.
    Q : array-like or sparse matrix of shape (n_queries, n_features)
        The query rows (``X[:0]`` when there are none besides ``X``).

    Returns
    -------
    scale : float
        A power of two bringing the largest magnitude in ``X`` and ``Q`` below 1
        when squared distances could overflow float64, else 1.0.
    """
    def largest(A):
        if sparse.issparse(A):
            A = A.data
        A = np.asarray(A)
        if A.size == 0 or not np.issubdtype(A.dtype, np.number):
            return 0.0
        return float(max(abs(A.max()), abs(A.min())))

    big = max(largest(X), largest(Q))
    if not np.isfinite(big) or big <= _OVERFLOW_NORM / np.sqrt(max(1, X.shape[1])):
        return 1.0
    # frexp: big = m * 2**e with 0.5 <= m < 1, so every scaled |x| is below 1
    # and every squared distance below 4 * n_features.
    _, e = np.frexp(big)
    return float(np.ldexp(1.0, -int(e)))


def _dense_pays(X) -> bool:
    """Whether a sparse ``X`` is searched faster as a dense copy: most of it
    stored anyway (a tenth of its entries or more) and the copy small (at most
    ``_DENSE_COPY_ENTRIES``). scikit-learn's sparse brute force, the other way,
    took 31 s for ENN on 30k x 12 stored as CSR against 0.4 s dense."""
    entries = X.shape[0] * X.shape[1]
    return entries <= _DENSE_COPY_ENTRIES and X.nnz >= 0.1 * entries


# Entries of the dense copy of a sparse matrix (float64: 256 MB).
_DENSE_COPY_ENTRIES = 1 << 25


def _few_against_many(X, n_queries, needed):
    """Whether :func:`screen_search` should answer: dense data, few queries, many rows,
    and few neighbours (the sample must hold ``needed`` rows with room to spare,
    or every row would be kept)."""
    n = X.shape[0]
    return (not sparse.issparse(X) and n_queries * SCREEN_MIN_ROW_RATIO <= n
            and n_queries * n >= SCREEN_MIN_PAIRS
            and needed * _SCREEN_SAMPLE * SCREEN_MIN_ROW_RATIO <= n)


def _symmetric_pays(X, needed):
    """Whether :func:`symmetric_kneighbors` should answer a search of every row
    among the others: dense data, enough rows, and few neighbours (as for the
    screen's sample)."""
    n = X.shape[0]
    return (not sparse.issparse(X) and SYMMETRIC_MIN_ROWS <= n <= SYMMETRIC_MAX_ROWS
            and needed * _SCREEN_SAMPLE * SCREEN_MIN_ROW_RATIO <= n)


def kneighbors_from_estimator(estimator, X, *, name="n_neighbors", where="the data", hint=""):
    """Neighbours of every row of ``X`` among the other rows, from any object
    with scikit-learn's ``fit``/``kneighbors`` API (a ``NearestNeighbors``, a
    GPU implementation, an approximate index...).

    The object is cloned and fitted on ``X``; its ``n_neighbors`` counts the
    row itself, as in imbalanced-learn, so ``n_neighbors - 1`` neighbours are
    returned. Self-exclusion and ordering are then done here, exactly as for
    the built-in backends. ``name`` (the sampler's parameter), ``where`` (what
    the rows of ``X`` are) and ``hint`` (another fix) word the error raised
    when it asks more neighbours than ``X`` has rows.
    """
    check_object_fits(estimator, X.shape[0], name=name, where=where, hint=hint)
    try:
        est = clone(estimator)
    except TypeError:
        est = estimator
    started = _log_search_start(X.shape[0], X.shape[0], getattr(estimator, "n_neighbors", "?"),
                                type(estimator).__name__)
    est.fit(X)
    dist, idx = est.kneighbors(X, return_distance=True)
    idx = np.asarray(idx, dtype=np.int64)
    if idx.shape[1] < 2:
        raise ValueError(
            f"The neighbours object {estimator!r} returns {idx.shape[1]} neighbour per row; it "
            "must return at least 2 (each row itself plus one neighbour): raise its n_neighbors."
        )
    idx = _finalize(X, X, idx, idx.shape[1] - 1, exclude_self=True)[0]
    _log_search_end(X.shape[0], started)
    return idx


def _log_search_start(n_queries, n_rows, k, backend) -> float:
    # Stage records for progress displays (the CLI shows them as a stage); the ``smotekit``
    # attribute carries the message's facts as data.
    _log.info("neighbour search: %d query rows among %d, k=%s, backend %s", n_queries, n_rows, k, backend,
              extra={"smotekit": {"stage": "search", "event": "start", "rows": n_queries, "backend": backend}})
    return time.perf_counter()


def _log_search_end(n_queries, started) -> None:
    _log.debug("neighbour search: %d query rows done in %.2fs", n_queries, time.perf_counter() - started,
               extra={"smotekit": {"stage": "search", "event": "end", "rows": n_queries}})


def _kd_tree(X, Q, k, threads):
    from scipy.spatial import cKDTree

    tree = cKDTree(np.asarray(X, dtype=np.float64), compact_nodes=False, balanced_tree=False)
    _, idx = tree.query(np.asarray(Q, dtype=np.float64), k=k, workers=threads)
    return np.asarray(idx, dtype=np.int64).reshape(Q.shape[0], k)


def _brute(X, Q, kk, threads):
    """Candidates from scikit-learn's brute force, which expands |q - x|^2 as
    |q|^2 + |x|^2 - 2 q.x in float64; returns them with a lower bound on the
    exact squared distance of every other row (see :func:`_certify`)."""
    from sklearn.neighbors import NearestNeighbors

    if not sparse.issparse(X):
        X = np.asarray(X, dtype=np.float64)
        center = X.mean(axis=0)  # centring shrinks norms, hence the error bound
        X, Q = X - center, np.asarray(Q, dtype=np.float64) - center
    else:
        # scipy's sparse products hold the GIL: scikit-learn's threads over
        # chunks only wait for each other (20k x 5,000 at 1%: 12.3 s on 2
        # threads, 9.9 s on 1).
        threads = 1
    nn = NearestNeighbors(n_neighbors=kk, algorithm="brute", n_jobs=threads).fit(X)
    # scikit-learn's kernel takes its OpenMP thread count from the runtime, not
    # from n_jobs; on small searches idle OpenMP threads cost more than the
    # search (measured 184 ms instead of 8 ms for 1k x 1k x 20 with 2 threads).
    with threadpool_limits(limits=threads, user_api="openmp"):
        dist, idx = nn.kneighbors(Q, return_distance=True)
    idx = idx.astype(np.int64, copy=False)
    if kk == X.shape[0]:  # every row is a candidate: nothing outside to miss
        return idx, np.full(idx.shape[0], np.inf)
    # Twice the bound: the returned distances may themselves be rounded ones.
    bound = 2.0 * _expansion_error_bound(X, Q, np.finfo(np.float64).eps)
    return idx, dist[:, -1].astype(np.float64) ** 2 - bound


# Candidates fetched beyond the k needed, so rounding rarely forces a recomputation.
_EXTRA = 4
# faiss searches split the queries into chunks run by a pool of threads: a few
# chunks per thread balance the load when another process slows one core; a
# chunk below this many queries would leave faiss's blocked matrix products idle.
_FAISS_CHUNKS_PER_THREAD = 2
_FAISS_MIN_CHUNK = 256


def _faiss(X, Q, kk, threads):
    """Candidates from faiss in float32, with a lower bound on the exact squared
    distance of every other row (see :func:`_certify`).

    faiss computes squared distances as |q|^2 + |x|^2 - 2 q.x in float32. A
    row outside the candidate set is at squared float32 distance >= D (the
    last candidate's); its true squared distance is >= D - B, with B a
    rounding-error bound.
    """
    import faiss

    X = np.asarray(X, dtype=np.float64)
    Q = np.asarray(Q, dtype=np.float64)
    n, d = X.shape
    center = X.mean(axis=0)  # centring shrinks norms, hence the error bound
    # Centred straight into float32 buffers: no float64 copy of the data.
    Xc = np.empty(X.shape, dtype=np.float32)
    np.subtract(X, center, out=Xc, casting="same_kind")
    Qc = np.empty(Q.shape, dtype=np.float32)
    np.subtract(Q, center, out=Qc, casting="same_kind")

    def search(part):
        # One OpenMP thread per search, set in each worker thread: the reason
        # is in set_faiss_threads' policy.
        set_faiss_threads(1)
        return faiss.knn(part, Xc, kk)

    # A multi-threaded BLAS inside these threads would oversubscribe the cores.
    with threadpool_limits(limits=1, user_api="blas"):
        if threads == 1 or Qc.shape[0] < _FAISS_MIN_CHUNK * 2:
            d32, idx = search(Qc)
        else:
            n_chunks = min(threads * _FAISS_CHUNKS_PER_THREAD, Qc.shape[0] // _FAISS_MIN_CHUNK)
            parts = np.array_split(Qc, n_chunks)
            with ThreadPoolExecutor(max_workers=threads) as pool:
                found = list(pool.map(search, parts))
            d32 = np.concatenate([f[0] for f in found])
            idx = np.concatenate([f[1] for f in found])
    idx = idx.astype(np.int64)
    if kk == n:  # every row is a candidate: nothing outside to miss
        return idx, np.full(idx.shape[0], np.inf)
    bound = _expansion_error_bound(Xc, Qc, np.finfo(np.float32).eps)
    return idx, d32[:, -1].astype(np.float64) - bound


def _expansion_error_bound(X, Q, eps):
    """Per row of ``Q``, :func:`expansion_error_bound` for a search among ``X``."""
    def sq_norms(A):
        if sparse.issparse(A):
            return np.asarray(A.multiply(A).sum(axis=1), dtype=np.float64).ravel()
        return np.einsum("ij,ij->i", A, A, dtype=np.float64)

    return expansion_error_bound(float(np.sqrt(sq_norms(X).max())), np.sqrt(sq_norms(Q)),
                                 X.shape[1], eps)


def _certify(X, Q, cand, lower, needed):
    """The first ``needed`` rows of ``X`` in (exact distance, index) order for each
    query row, with their exact squared distances, given candidates and a lower
    bound ``lower`` on the exact squared distance of every non-candidate row.

    Where the ``needed``-th exact candidate distance is below ``lower``, every
    row at most that far is a candidate, so the candidates decide the answer.
    Elsewhere (rounding too coarse, or ties beyond the candidates) the row is
    searched again exactly by :func:`_exact_search`. Either way the answer is
    the exact one and does not depend on the backend's rounding or threads.
    """
    sq = exact_sq_dist(X, Q, cand)
    order = np.lexsort((cand, np.sqrt(sq)), axis=-1)[:, :needed]
    cand = np.take_along_axis(cand, order, axis=1)
    sq = np.take_along_axis(sq, order, axis=1)
    t = sq.max(axis=1)
    # The margin covers rows a few ulps beyond t whose distance rounds to the same value.
    unsure = np.flatnonzero(t * (1 + 1e-9) >= lower)
    if unsure.size:
        cand[unsure] = _exact_search(X, Q[unsure], t[unsure], needed)
        sq[unsure] = exact_sq_dist(X, Q[unsure], cand[unsure])
    return cand, sq


def _exact_search(X, Q, t, needed):
    """The first ``needed`` rows of ``X`` in (exact distance, index) order for each
    row of ``Q``, knowing that at least ``needed`` rows lie within squared distance
    ``t`` of it: a float64 expanded-product screen (blocked matrix products)
    keeps every row that may lie within ``t``, whose exact distances decide."""
    n, d = X.shape
    if sparse.issparse(X):
        X, Q = X.tocsr(), sparse.csr_matrix(Q)
        Xs, Qs = X, Q
        x_sq = np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel()
        q_sq = np.asarray(Q.multiply(Q).sum(axis=1), dtype=np.float64).ravel()
    else:
        X = np.asarray(X, dtype=np.float64)
        Q = np.asarray(Q, dtype=np.float64)
        center = X.mean(axis=0)
        Xs, Qs = X - center, Q - center
        x_sq = np.einsum("ij,ij->i", Xs, Xs)
        q_sq = np.einsum("ij,ij->i", Qs, Qs)
    # Keep x where |x|^2 - 2 q.x <= t + bound - |q|^2 (scaling by -2 is exact).
    reach = t + _expansion_error_bound(Xs, Qs, np.finfo(np.float64).eps) - q_sq
    Xt = (-2.0 * Xs).T
    m = Q.shape[0]
    out = np.empty((m, needed), dtype=np.int64)
    block = max(1, _SCREEN_BLOCK_ELEMENTS // n)
    pair_block = max(1, _RERANK_BLOCK_ELEMENTS // max(1, d))
    for start in range(0, m, block):
        stop = min(m, start + block)
        approx = Qs[start:stop] @ Xt
        approx = approx.toarray() if sparse.issparse(approx) else approx
        approx += x_sq
        rows, cols = where_pairs(approx <= reach[start:stop, None])
        rows, cols = rows.astype(np.int64), cols.astype(np.int64)
        Qb = Q[start:stop]
        sq = np.concatenate([
            exact_sq_dist(X, Qb[rows[p:p + pair_block]], cols[p:p + pair_block, None])[:, 0]
            for p in range(0, rows.size, pair_block)
        ])
        order = np.lexsort((cols, np.sqrt(sq), rows))
        rows, cols = rows[order], cols[order]
        first = np.searchsorted(rows, np.arange(stop - start))
        keep = np.arange(rows.size) - first[rows] < needed
        out[start:stop] = cols[keep].reshape(stop - start, needed)
    return out


def exact_sq_dist(X, Q, idx):
    """Squared Euclidean distances from each query row to its candidate rows,
    from coordinate differences in float64 (no cancellation), in blocks.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    Q : ndarray or sparse matrix of shape (n_queries, n_features)
    idx : ndarray of int of shape (n_queries, n_candidates)
        Rows of ``X`` per query row.

    Returns
    -------
    sq : ndarray of shape (n_queries, n_candidates), float64
        Every rank-sensitive distance in smotekit is this one, so that all
        engines order tied rows the same way.
    """
    m, kk = idx.shape
    out = np.empty((m, kk), dtype=np.float64)
    d = X.shape[1]
    block = max(1, _RERANK_BLOCK_ELEMENTS // max(1, kk * d))
    for start in range(0, m, block):
        stop = min(m, start + block)
        cand = idx[start:stop]
        if sparse.issparse(X):
            b = stop - start
            Qb = sparse.csr_matrix(Q[start:stop])[np.repeat(np.arange(b), kk)]
            diff = sparse.csr_matrix(X[cand.ravel()]) - Qb
            out[start:stop] = np.asarray(diff.multiply(diff).sum(axis=1)).reshape(b, kk)
        else:
            diff = np.asarray(X[cand], dtype=np.float64) - np.asarray(Q[start:stop], dtype=np.float64)[:, None, :]
            out[start:stop] = np.einsum("ijk,ijk->ij", diff, diff)
    return out


def _finalize(X, Q, cand, k, exclude_self, own_rows=None, sq=None):
    """Order candidates by (exact distance, index), drop each query's own row
    (query i is row ``own_rows[i]`` of X, or row i when not given), keep k.
    ``sq``: the candidates' exact squared distances, when already known."""
    # Sorted on the distances returned (not their squares, which can differ by an
    # ulp where the distances are equal), so equal distances come in index order.
    sq = np.sqrt(exact_sq_dist(X, Q, cand) if sq is None else sq)
    order = np.lexsort((cand, sq), axis=-1)
    cand = np.take_along_axis(cand, order, axis=1)
    sq = np.take_along_axis(sq, order, axis=1)
    if exclude_self:
        return drop_self(cand, np.arange(cand.shape[0]) if own_rows is None else own_rows, k, sq)
    return cand[:, :k].copy(), sq[:, :k].copy()


def drop_self(cand, own_rows, k, *aligned, fill=np.inf):
    """Each query's first ``k`` candidates other than its own row: the one
    place where a row is kept from being its own neighbour.

    Parameters
    ----------
    cand : ndarray of int of shape (n_queries, n_candidates)
        Candidate rows per query, in the order to keep ((distance, index) for
        the exact search, the object's own order for a user's neighbours object).
    own_rows : ndarray of int of shape (n_queries,)
        The row each query is (in the numbering of ``cand``; a row that is
        not among the candidates' rows matches none).
    k : int
        Candidates kept per query.
    *aligned : ndarray of shape (n_queries, n_candidates)
        Arrays following ``cand`` (distances...), kept alike.
    fill : scalar, default=np.inf
        Value of ``aligned`` where a query has fewer than ``k`` other
        candidates (a search over fewer than ``k + 1`` rows); ``cand`` holds -1 there.

    Returns
    -------
    cand, *aligned : ndarrays of shape (n_queries, k)

    Notes
    -----
    Only the row itself is removed, never a duplicate of it: duplicates are
    neighbours at distance 0 (``kneighbors(X)[:, 1:]`` drops an arbitrary one
    of the tied rows instead). A query whose own row was not fetched (more
    tied duplicates than candidates) keeps its first ``k`` candidates, which
    are as near as its own row.
    """
    own = cand == np.asarray(own_rows)[:, None]
    m, width = cand.shape
    if width > k:
        # A query without its own row drops its last candidate instead; with
        # one row out per query (the search's rows are distinct) a reshape
        # keeps the rest, three times faster than the general case below.
        own[~own.any(axis=1), -1] = True
        if np.count_nonzero(own) == m:
            keep = ~own
            return tuple(a[keep].reshape(m, width - 1)[:, :k].copy() for a in (cand, *aligned))
    rank = np.cumsum(~own, axis=1) - 1
    keep = ~own & (rank < k)
    at = np.nonzero(keep)[0], rank[keep]
    out = np.full((cand.shape[0], k), -1, dtype=cand.dtype)
    out[at] = cand[keep]
    rest = []
    for a in aligned:
        b = np.full((cand.shape[0], k), fill, dtype=a.dtype)
        b[at] = a[keep]
        rest.append(b)
    return (out, *rest)
