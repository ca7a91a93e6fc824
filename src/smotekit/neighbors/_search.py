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
``brute``    scikit-learn's chunked brute force in float64 (also sparse input).
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np
from scipy import sparse
from sklearn.base import clone
from threadpoolctl import threadpool_limits

__all__ = ["METHODS", "available_methods", "kneighbors", "kneighbors_from_estimator"]

METHODS = ("auto", "kd_tree", "faiss", "brute")

# Above this many features kd-trees lose to blocked matrix products (measured:
# benchmarks/neighbors.py on make_classification data).
KD_TREE_MAX_FEATURES = 8
# Below this many query-row x data-row pairs a search runs on one thread.
_THREADS_MIN_WORK = 1 << 28
# Rows of candidate coordinates materialised at once while re-ranking, in elements.
_RERANK_BLOCK_ELEMENTS = 1 << 23


def available_methods() -> tuple[str, ...]:
    """The backends usable on this machine (``faiss`` only if faiss-cpu is installed)."""
    has_faiss = importlib.util.find_spec("faiss") is not None
    return tuple(m for m in METHODS if m != "faiss" or has_faiss)


def _n_threads(n_jobs) -> int:
    cpus = os.cpu_count() or 1
    if n_jobs is None or n_jobs == -1:
        return cpus
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return int(n_jobs)


def _choose(X, method) -> str:
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
    return "faiss" if "faiss" in available_methods() else "brute"


def kneighbors(X, n_neighbors, *, query=None, method="auto", n_jobs=None, return_distance=False):
    """Exact ``n_neighbors`` nearest rows of ``X`` for every row of ``query``.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        The rows searched.
    n_neighbors : int
        Neighbours per query row.
    query : array-like of shape (n_queries, n_features), optional
        The rows whose neighbours are wanted. ``None`` means ``X`` itself, in
        which case each row's own index is excluded (its duplicates are not).
    method : {'auto', 'kd_tree', 'faiss', 'brute'}
        Backend; all give the same answer.
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
    exclude_self = query is None
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
    backend = _choose(X, method)
    # Starting threads costs more than it saves on small searches.
    threads = _n_threads(n_jobs) if Q.shape[0] * n >= _THREADS_MIN_WORK else 1
    if backend == "kd_tree":
        cand = _kd_tree(X, Q, needed, threads)
    elif backend == "faiss":
        cand = _faiss(X, Q, needed, threads)
    else:
        cand = _brute(X, Q, needed, threads)
    idx, dist = _finalize(X, Q, cand, k, exclude_self)
    return (idx, dist) if return_distance else idx


def kneighbors_from_estimator(estimator, X):
    """Neighbours of every row of ``X`` among the other rows, from any object
    with scikit-learn's ``fit``/``kneighbors`` API (a ``NearestNeighbors``, a
    GPU implementation, an approximate index...).

    The object is cloned and fitted on ``X``; its ``n_neighbors`` counts the
    row itself, as in imbalanced-learn, so ``n_neighbors - 1`` neighbours are
    returned. Self-exclusion and ordering are then done here, exactly as for
    the built-in backends.
    """
    try:
        est = clone(estimator)
    except TypeError:
        est = estimator
    est.fit(X)
    dist, idx = est.kneighbors(X, return_distance=True)
    idx = np.asarray(idx, dtype=np.int64)
    if idx.shape[1] < 2:
        raise ValueError(
            f"The neighbours object {estimator!r} returns {idx.shape[1]} neighbour per row; it "
            "must return at least 2 (each row itself plus one neighbour): raise its n_neighbors."
        )
    return _finalize(X, X, idx, idx.shape[1] - 1, exclude_self=True)[0]


def _kd_tree(X, Q, k, threads):
    from scipy.spatial import cKDTree

    tree = cKDTree(np.asarray(X, dtype=np.float64), compact_nodes=False, balanced_tree=False)
    _, idx = tree.query(np.asarray(Q, dtype=np.float64), k=k, workers=threads)
    return np.asarray(idx, dtype=np.int64).reshape(Q.shape[0], k)


def _brute(X, Q, k, threads):
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k, algorithm="brute", n_jobs=threads).fit(X)
    return nn.kneighbors(Q, return_distance=False).astype(np.int64, copy=False)


# Slack in candidates fetched beyond k, so float32 rounding rarely forces a recomputation.
_FAISS_EXTRA = 4


def _faiss(X, Q, k, threads):
    """Candidates from faiss in float32, certified exact or recomputed.

    faiss computes squared distances as |q|^2 + |x|^2 - 2 q.x in float32. A
    row outside the candidate set is at squared float32 distance >= D (the
    last candidate's); its true squared distance is >= D - B, with B a
    rounding-error bound. If the k-th exact candidate distance is below
    D - B, no outside row can beat it and the answer is exact; otherwise the
    row is searched again in float64.
    """
    import faiss

    X = np.asarray(X, dtype=np.float64)
    Q = np.asarray(Q, dtype=np.float64)
    n, d = X.shape
    kk = min(n, k + _FAISS_EXTRA)
    center = X.mean(axis=0)  # centring shrinks norms, hence the error bound
    Xc = np.ascontiguousarray(X - center, dtype=np.float32)
    Qc = np.ascontiguousarray(Q - center, dtype=np.float32)
    faiss.omp_set_num_threads(threads)
    index = faiss.IndexFlatL2(d)
    index.add(Xc)
    # faiss parallelises over query blocks itself; a multi-threaded BLAS inside
    # each of its threads oversubscribes the cores (measured 4x slower on 2 cores).
    with threadpool_limits(limits=1, user_api="blas"):
        d32, idx = index.search(Qc, kk)
    idx = idx.astype(np.int64)
    if kk == n:  # every row is a candidate: nothing outside to miss
        return idx
    # Bound on |float32 squared distance - exact squared distance|: conversion
    # of coordinates to float32 plus the dot-product and norm rounding, with a
    # safety factor of 4 over the textbook (d + 2) * eps bound.
    eps = np.finfo(np.float32).eps
    x_norm = float(np.sqrt(np.einsum("ij,ij->i", Xc, Xc, dtype=np.float64).max()))
    q_norm = np.sqrt(np.einsum("ij,ij->i", Qc, Qc, dtype=np.float64))
    bound = 4.0 * (d + 4) * eps * (q_norm + x_norm) ** 2 + 1e-30
    kth_exact = _exact_sq_dist(X, Q, idx)
    kth_exact.sort(axis=1)
    unsure = kth_exact[:, k - 1] >= d32[:, -1].astype(np.float64) - bound
    if unsure.any():
        rows = np.flatnonzero(unsure)
        idx[rows] = _brute(X, Q[rows], kk, threads)
    return idx


def _exact_sq_dist(X, Q, idx):
    """Squared Euclidean distances from each query row to its candidate rows,
    from coordinate differences in float64 (no cancellation), in blocks."""
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


def _finalize(X, Q, cand, k, exclude_self):
    """Order candidates by (exact distance, index), drop each query's own row, keep k."""
    sq = _exact_sq_dist(X, Q, cand)
    order = np.lexsort((cand, sq), axis=-1)
    cand = np.take_along_axis(cand, order, axis=1)
    sq = np.take_along_axis(sq, order, axis=1)
    m = cand.shape[0]
    if exclude_self:
        own = cand == np.arange(m)[:, None]
        # Rows whose own index was not fetched (more than k tied duplicates)
        # lose their last candidate instead: it is tied with the kept ones.
        no_own = ~own.any(axis=1)
        own[no_own, -1] = True
        keep = ~own
        cand = cand[keep].reshape(m, -1)
        sq = sq[keep].reshape(m, -1)
    return cand[:, :k].copy(), np.sqrt(sq[:, :k])
