"""Exact k-nearest neighbours of chosen rows, searched near each row first.

The cleaning samplers need the neighbours of many rows of one data set. An
all-pairs search costs ``n_queries * n_rows``; most rows, though, have their
neighbours in their immediate surroundings. :class:`CellIndex` cuts the rows
into Voronoi cells (k-means centroids, ~``cell_size`` rows each), searches each
query row among the rows of the ``n_probe`` cells nearest its own, and then
*certifies* the answer: a row of an unsearched cell ``j`` is at least

    (|x - c_j|^2 - |x - c_h|^2) / (2 |c_j - c_h|)

away from ``x`` (the distance from ``x`` to the half-space of points nearer
``c_j`` than ``x``'s own centroid ``c_h``). When every unsearched cell is
farther than the k-th neighbour found, that answer is the exact one. Rows
that cannot be certified are searched again over all rows by
:func:`smotekit.neighbors.kneighbors`. Either way the result is exact, ordered
by (distance, index), and a row is never its own neighbour.

Dense synthetic rows (SMOTE's segments) and rows inside a class are certified
almost always; rows in sparse regions of many-feature data less often.
"""

from __future__ import annotations

import importlib.util

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from ..neighbors import kneighbors

__all__ = ["CellIndex", "exact_knn"]

# Below this many rows the all-pairs search is cheaper than building cells.
_MIN_ROWS = 20_000
# Query-cell x centroid distances computed at once, in elements.
_BLOCK = 1 << 22


def _sq_dist_rows(A, B):
    """|a - b|^2 for aligned rows of A and B, from differences (no cancellation)."""
    diff = A - B
    return np.einsum("ij,ij->i", diff, diff)


class CellIndex:
    """Voronoi cells over the rows of ``X`` for certified local k-NN search.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    cell_size : int
        Rows per cell on average.
    n_probe : int
        Cells searched per query row: its own and the nearest others.
    """

    def __init__(self, X, cell_size=256, n_probe=8):
        import faiss

        X = np.asarray(X, dtype=np.float64)
        self.center = X.mean(axis=0)
        self.X = X - self.center
        n, d = self.X.shape
        n_cells = max(2, n // cell_size)
        # A fixed sample and seed: the cells (hence the speed, never the answer)
        # are the same on every call.
        rng = np.random.default_rng(0)
        sample = rng.choice(n, size=min(n, 32 * n_cells), replace=False)
        km = faiss.Kmeans(d, n_cells, niter=8, seed=1, max_points_per_centroid=1 << 30,
                          min_points_per_centroid=1)
        km.train(np.ascontiguousarray(self.X[np.sort(sample)], dtype=np.float32))
        self.centroids = km.centroids.astype(np.float64)
        c_sq = np.einsum("ij,ij->i", self.centroids, self.centroids)
        self._c_sq = c_sq
        self.assign = np.empty(n, dtype=np.int64)
        step = max(1, _BLOCK // n_cells)
        for start in range(0, n, step):
            self.assign[start:start + step] = np.argmin(self._to_centroids(self.X[start:start + step]), axis=1)
        order = np.argsort(self.assign, kind="stable")
        self.members = np.split(order, np.cumsum(np.bincount(self.assign, minlength=n_cells))[:-1])
        # Radius of each cell: a row of cell j is at least |x - c_j| - radius_j from x.
        self.radius = np.zeros(n_cells)
        np.maximum.at(self.radius, self.assign, np.sqrt(_sq_dist_rows(self.X, self.centroids[self.assign])))
        cc = self._to_centroids(self.centroids)
        np.maximum(cc, 0.0, out=cc)
        self.c_gap = np.sqrt(cc)
        self.n_probe = min(n_probe, n_cells)
        self.probe = np.argsort(cc, axis=1, kind="stable")[:, : self.n_probe]
        # Squared-distance rounding of the assignment and of the bound itself,
        # with a wide margin (coordinates are centred, so norms are small).
        scale = float(np.einsum("ij,ij->i", self.X, self.X).max()) + float(c_sq.max()) + 1.0
        self._slack = 1e-9 * scale

    def _to_centroids(self, A):
        a_sq = np.einsum("ij,ij->i", A, A)
        out = A @ (-2.0 * self.centroids.T)
        out += a_sq[:, None]
        out += self._c_sq
        return out

    def knn(self, rows, k, *, n_probe=None, certify=True):
        """Neighbours of ``rows`` (positions in X), searched in the probed cells.

        ``n_probe`` (at most the index's) searches fewer cells; ``certify=False``
        skips the certificate, for callers that only need the upper bound
        given by the k-th distance found (every row is then reported uncertified).

        Returns
        -------
        idx : ndarray (m, k) and dist : ndarray (m, k)
            Exact for certified rows (garbage elsewhere).
        certified : ndarray of bool (m,)
        """
        with threadpool_limits(limits=1, user_api="blas"):
            return self._knn(np.asarray(rows, dtype=np.int64), k,
                             min(n_probe or self.n_probe, self.n_probe), certify)

    def _knn(self, rows, k, n_probe, certify):
        # Many small products: one BLAS thread each is several times faster.
        m = rows.size
        idx = np.zeros((m, k), dtype=np.int64)
        dist = np.full((m, k), np.inf)
        certified = np.zeros(m, dtype=bool)
        home = self.assign[rows]
        order = np.argsort(home, kind="stable")
        bounds = np.searchsorted(home[order], np.arange(len(self.members) + 1))
        for h in np.flatnonzero(np.diff(bounds)):
            at = order[bounds[h]:bounds[h + 1]]
            q = rows[at]
            db = np.concatenate([self.members[j] for j in self.probe[h, :n_probe]])
            if db.size < k + 1:
                continue
            i, dd, ok = self._local(q, db, k)
            idx[at], dist[at] = i, dd
            if certify and n_probe == self.n_probe:
                certified[at] = ok & (dd[:, -1] < self._cell_bound(q, h))
        return idx, dist, certified

    def _local(self, q, db, k):
        Q, B = self.X[q], self.X[db]
        local_center = B.mean(axis=0)
        Qc, Bc = Q - local_center, B - local_center
        approx = Qc @ (-2.0 * Bc.T)
        approx += np.einsum("ij,ij->i", Bc, Bc)
        approx += np.einsum("ij,ij->i", Qc, Qc)[:, None]
        kk = min(db.size, k + 5)
        part = np.argpartition(approx, kk - 1, axis=1)[:, :kk] if kk < db.size else \
            np.broadcast_to(np.arange(db.size), (q.size, db.size)).copy()
        cand = db[part]
        exact = np.stack([_sq_dist_rows(Q, self.X[cand[:, j]]) for j in range(kk)], axis=1)
        # Each query's own row is never its neighbour.
        exact[cand == q[:, None]] = np.inf
        rank = np.lexsort((cand, exact), axis=-1)[:, :k]
        idx = np.take_along_axis(cand, rank, axis=1)
        sq = np.take_along_axis(exact, rank, axis=1)
        ok = np.isfinite(sq[:, -1])
        if kk < db.size:
            # Rows not among the kk candidates have an expanded squared distance
            # above the kk-th one, so an exact one above it minus the rounding.
            last = np.take_along_axis(approx, part, axis=1).max(axis=1)
            bound = 4.0 * (Q.shape[1] + 4) * np.finfo(np.float64).eps * (
                np.sqrt(np.einsum("ij,ij->i", Qc, Qc)) + np.sqrt(np.einsum("ij,ij->i", Bc, Bc).max())
            ) ** 2 + self._slack
            ok &= sq[:, -1] < last - bound
        return idx, np.sqrt(sq), ok

    def _cell_bound(self, q, h, Q=None):
        """Lower bound on the distance from each query row (home cell h) to any
        row of an unprobed cell; ``Q`` gives the query points when they are not rows."""
        others = np.ones(len(self.members), dtype=bool)
        others[self.probe[h]] = False
        if not others.any():
            return np.full(len(q), np.inf)
        gap = self.c_gap[h, others]
        if not (gap > 0).all():  # a centroid on top of ours bounds nothing
            return np.zeros(len(q))
        D = self._to_centroids(self.X[q] if Q is None else Q)
        lb = (D[:, others] - D[:, [h]] - self._slack) / (2.0 * gap)
        # The ball bound is the stronger one for queries far from the cells.
        ball = np.sqrt(np.maximum(D[:, others] - self._slack, 0.0)) - self.radius[others] * (1.0 + 1e-9)
        return np.maximum(lb, ball).min(axis=1) * (1.0 - 1e-9)

    def lower_bound(self, Q):
        """Per point of ``Q`` (any points, same coordinates as X), a lower bound
        on its distance to every row of the index: exact over the probed cells,
        the half-space bound beyond them."""
        Q = np.asarray(Q, dtype=np.float64) - self.center
        out = np.empty(Q.shape[0])
        with threadpool_limits(limits=1, user_api="blas"):
            step = max(1, _BLOCK // len(self.members))
            home = np.concatenate([np.argmin(self._to_centroids(Q[s:s + step]), axis=1)
                                   for s in range(0, Q.shape[0], step)]) if Q.shape[0] else np.empty(0, int)
            order = np.argsort(home, kind="stable")
            bounds = np.searchsorted(home[order], np.arange(len(self.members) + 1))
            for h in np.flatnonzero(np.diff(bounds)):
                at = order[bounds[h]:bounds[h + 1]]
                Qh = Q[at]
                db = np.concatenate([self.members[j] for j in self.probe[h]])
                B = self.X[db]
                mid = B.mean(axis=0)
                Bc = B - mid
                b_sq = np.einsum("ij,ij->i", Bc, Bc)
                Bt = -2.0 * Bc.T
                near = np.empty(at.size)
                for s in range(0, at.size, 1024):
                    Qc = Qh[s:s + 1024] - mid
                    q_sq = np.einsum("ij,ij->i", Qc, Qc)
                    approx = (Qc @ Bt + b_sq).min(axis=1) + q_sq
                    err = 4.0 * (Q.shape[1] + 4) * np.finfo(np.float64).eps * (
                        np.sqrt(q_sq) + np.sqrt(b_sq.max())) ** 2 + self._slack
                    near[s:s + 1024] = np.maximum(approx - err, 0.0)
                out[at] = np.minimum(np.sqrt(near) * (1.0 - 1e-9), self._cell_bound(at, h, Qh))
        return out


def _cells_available(X) -> bool:
    return (not sparse.issparse(X) and X.shape[0] >= _MIN_ROWS
            and importlib.util.find_spec("faiss") is not None)


def exact_knn(X, k, rows, *, cells=None, n_jobs=None, return_distance=False):
    """Exact ``k`` nearest rows of ``X`` (self excluded) for the given row positions.

    Uses ``cells`` (a :class:`CellIndex` on ``X``) for certified local answers,
    the all-pairs search for the rest.
    """
    rows = np.asarray(rows, dtype=np.int64)
    idx = np.empty((rows.size, k), dtype=np.int64)
    dist = np.empty((rows.size, k))
    todo = np.ones(rows.size, dtype=bool)
    if cells is not None and rows.size:
        i, dd, ok = cells.knn(rows, k)
        idx[ok], dist[ok] = i[ok], dd[ok]
        todo = ~ok
    if todo.any():
        i, dd = kneighbors(X, k, query_rows=rows[todo], n_jobs=n_jobs, return_distance=True)
        idx[todo], dist[todo] = i, dd
    return (idx, dist) if return_distance else idx


def maybe_cells(X):
    """A :class:`CellIndex` on ``X`` when it pays (many dense rows, faiss installed), else None."""
    return CellIndex(X) if _cells_available(X) else None
