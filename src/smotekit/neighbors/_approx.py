"""Approximate nearest neighbours (faiss HNSW or IVF), an explicit user choice.

Pass an :class:`ApproximateNeighbors` wherever a neighbours object is accepted
(``n_neighbors=``, ``k_neighbors=``...): the samplers then trust its answers,
which may miss some true neighbours (see ``recall`` in the benchmarks).
"""

from __future__ import annotations

import importlib.util
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from .._docstring import _FITTED_ATTRIBUTES, Substitution
from ._threads import set_faiss_threads

__all__ = ["ApproximateNeighbors"]


@Substitution(**_FITTED_ATTRIBUTES)
class ApproximateNeighbors(BaseEstimator):
    """A ``NearestNeighbors``-like index on faiss HNSW or IVF graphs/lists (float32).

    Parameters
    ----------
    n_neighbors : int, default=5
        Neighbours returned by :meth:`kneighbors` (counting the query row itself
        when it is in the index, as scikit-learn's ``kneighbors(X)`` does).
    method : {{'hnsw', 'ivf'}}, default='hnsw'
        'hnsw': a navigable small-world graph (``M`` links per node);
        'ivf': k-means lists, ``n_probe`` of them searched per query.
    M : int, default=16
        HNSW graph degree.
    ef_construction : int, default=40
        HNSW build effort.
    ef_search : int, default=64
        HNSW search effort: higher is slower and more accurate.
    n_lists : int or None, default=None
        IVF lists; None uses ``4 * sqrt(n_samples)``.
    n_probe : int, default=8
        IVF lists searched per query.
    n_jobs : int, default=None
        faiss's threads: ``None`` and ``-1`` every core, ``-2`` every core but
        one, and so on; a larger count than the cores is cut to the cores (see
        :func:`smotekit.neighbors._threads.set_faiss_threads`).
    random_state : int, default=0
        Seed of the IVF k-means.

    Attributes
    ----------
    index_ : faiss.Index
        The fitted faiss index.
    n_samples_fit_ : int
        Number of rows in the index.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Requires faiss-cpu (``pip install 'smotekit[fast]'``). Dense input only.
    Answers are not exact: measure recall on your data before relying on it.
    """

    _parameter_constraints: dict = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "method": [StrOptions({"hnsw", "ivf"})],
        "M": [Interval(Integral, 1, None, closed="left")],
        "ef_construction": [Interval(Integral, 1, None, closed="left")],
        "ef_search": [Interval(Integral, 1, None, closed="left")],
        "n_lists": [Interval(Integral, 1, None, closed="left"), None],
        "n_probe": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, n_neighbors=5, *, method="hnsw", M=16, ef_construction=40, ef_search=64,
                 n_lists=None, n_probe=8, n_jobs=None, random_state=0):
        self.n_neighbors = n_neighbors
        self.method = method
        self.M = M
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.n_lists = n_lists
        self.n_probe = n_probe
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _check(self):
        self._validate_params()
        if importlib.util.find_spec("faiss") is None:
            raise ImportError("ApproximateNeighbors needs faiss-cpu: pip install 'smotekit[fast]'.")

    def fit(self, X, y=None):
        """Build the index on ``X`` (dense, float32 internally).

        Returns
        -------
        self : ApproximateNeighbors
        """
        self._check()  # before importing faiss: a bad parameter is reported even without it
        import faiss

        if sparse.issparse(X):
            raise TypeError("ApproximateNeighbors accepts dense X only; use the exact search for sparse data.")
        # scikit-learn's validation: complex values, NaN/inf and empty X get its errors,
        # and n_features_in_ / feature_names_in_ are recorded for the queries.
        X = np.ascontiguousarray(validate_data(self, X, dtype=np.float32))
        n, d = X.shape
        set_faiss_threads(self.n_jobs)
        if self.method == "hnsw":
            index = faiss.IndexHNSWFlat(d, int(self.M))
            index.hnsw.efConstruction = int(self.ef_construction)
            index.add(X)
            index.hnsw.efSearch = int(self.ef_search)
        else:
            n_lists = int(self.n_lists or max(1, 4 * int(np.sqrt(n))))
            quantizer = faiss.IndexFlatL2(d)
            index = faiss.IndexIVFFlat(quantizer, d, n_lists)
            rng = np.random.default_rng(self.random_state)
            # 32 rows per list and 10 rounds place the lists well enough: a
            # search probes several of them anyway.
            sample = np.sort(rng.choice(n, size=min(n, 32 * n_lists), replace=False))
            index.cp.seed = int(self.random_state)
            index.cp.niter = 10
            index.cp.min_points_per_centroid = 16
            index.train(X[sample])
            index.add(X)
            index.nprobe = int(self.n_probe)
        self.index_ = index
        self.n_samples_fit_ = n
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Approximate neighbours of the rows of ``X`` (None: the fitted rows,
        each excluding itself, as scikit-learn).

        Returns
        -------
        distances : ndarray (n_queries, n_neighbors), only if ``return_distance``
        indices : ndarray (n_queries, n_neighbors)
        """
        k = int(n_neighbors or self.n_neighbors)
        set_faiss_threads(self.n_jobs)
        if X is None:
            raise ValueError("kneighbors(X=None) is not supported: pass the fitted rows explicitly.")
        if sparse.issparse(X):
            raise TypeError("ApproximateNeighbors accepts dense X only; use the exact search for sparse data.")
        Q = np.ascontiguousarray(validate_data(self, X, dtype=np.float32, reset=False))
        dist, idx = self.index_.search(Q, k)
        # faiss pads with -1 when it finds fewer than k rows; repeat the last found.
        missing = idx < 0
        if missing.any():
            first = np.where(missing.any(axis=1), np.argmax(missing, axis=1) - 1, k - 1)
            fill = idx[np.arange(idx.shape[0]), np.maximum(first, 0)]
            idx = np.where(missing, fill[:, None], idx)
            dist = np.where(missing, np.inf, dist)
        dist = np.sqrt(np.maximum(dist, 0.0, dtype=np.float64))
        idx = idx.astype(np.int64)
        return (dist, idx) if return_distance else idx

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        """Sparse (n_queries, n_samples_fit_) graph of :meth:`kneighbors`."""
        dist, idx = self.kneighbors(X, n_neighbors, return_distance=True)
        m, k = idx.shape
        data = np.ones(m * k) if mode == "connectivity" else dist.ravel()
        return sparse.csr_matrix((data, idx.ravel(), np.arange(0, m * k + 1, k)),
                                 shape=(m, self.n_samples_fit_))
