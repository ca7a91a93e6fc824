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
:func:`smotekit.neighbors.kneighbors` (whose float32 screen answers few rows
against many). Either way the result is exact, ordered by (distance, index),
and a row is never its own neighbour.

Dense synthetic rows (SMOTE's segments) are certified almost always; rows of
diffuse many-feature data (20 Gaussian-like features) almost never, which is
why the cleaning rules first *screen* rows instead, answering "is any row of
the other class within U of this row?" without an exact all-pairs search: a
lower bound on the distance to the nearest row of another class
(:func:`nearest_distance_lower_bound`) against a count of nearer rows in nearby
cells (:meth:`CellIndex.has_k_within`) for diffuse rows; a scan of the few
cells within reach (:meth:`CellIndex.any_other_within`) for dense rows; small
cells with exact radii (:class:`BallCells`) for sets too large for either.
"""

from __future__ import annotations

import importlib.util

import numpy as np
from scipy import sparse

from ._blocked import expansion_error_bound, runner, where_pairs
from ._search import drop_self, kneighbors
from ._threads import serial_blas, set_faiss_threads

__all__ = ["BallCells", "CellIndex", "exact_knn", "float32_squares", "nearest_distance_lower_bound"]

# Below this many rows the all-pairs search is cheaper than building cells.
_MIN_ROWS = 20_000
# Query-cell x centroid distances computed at once, in elements.
_BLOCK = 1 << 22
# Most cells a query may search (nearest first to its own centroid).
_MAX_PROBE = 32
# (cell, point) pairs held at once by BallCells.any_within.
_PAIRS = 1 << 25
# Rows tried before the certified cell search is run on many rows, and the
# fraction of them it must answer.
_TRIAL_ROWS = 1000
_MIN_CERTIFIED = 0.25


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
    threads : int
        Threads of the per-cell loops (the answers do not depend on it).
    """

    def __init__(self, X, cell_size=256, n_probe=8, threads=2):
        self.threads = threads
        X = np.asarray(X, dtype=np.float64)
        self.center = X.mean(axis=0)
        self.X = X - self.center
        n, d = self.X.shape
        n_cells = max(2, n // cell_size)
        X32 = self.X.astype(np.float32)
        self.centroids = _kmeans(X32, n_cells, 32 if n_cells < 2048 else 16, threads)
        c_sq = np.einsum("ij,ij->i", self.centroids, self.centroids)
        self._c_sq = c_sq
        # Nearest centroid in float32 (several times faster than float64); the
        # certificate below allows for the rounding with a wider slack.
        self.assign, assign_err = _nearest_centroid(X32, self.centroids, threads)
        order = np.argsort(self.assign, kind="stable")
        self.members = np.split(order, np.cumsum(np.bincount(self.assign, minlength=n_cells))[:-1])
        # Squared norms of each cell's rows, for the bounds computed cell by cell.
        self._m_sq = [np.einsum("ij,ij->i", self.X[mem], self.X[mem]) for mem in self.members]
        # Radius of each cell: a row of cell j is at least |x - c_j| - radius_j from x.
        self.radius = np.zeros(n_cells)
        np.maximum.at(self.radius, self.assign, np.sqrt(_sq_dist_rows(self.X, self.centroids[self.assign])))
        cc = self._to_centroids(self.centroids)
        np.maximum(cc, 0.0, out=cc)
        self.c_gap = np.sqrt(cc)
        self.n_probe = min(n_probe, n_cells)
        self.probe = _nearest_columns(cc, min(_MAX_PROBE, n_cells))
        # Squared-distance rounding of the bound itself, with a wide margin
        # (coordinates are centred, so norms are small), plus the float32
        # assignment's: a row of cell j is at most 2 * assign_err (squared)
        # nearer another centroid than its own.
        # The largest row norm, for the rounding-error bounds of the expanded distances.
        x_sq_max = float(np.einsum("ij,ij->i", self.X, self.X).max())
        self._x_norm = float(np.sqrt(x_sq_max))
        scale = x_sq_max + float(c_sq.max()) + 1.0
        self._slack = 1e-9 * scale + 2.0 * assign_err

    def _by_cell(self, cells, queries):
        """``(cell, its queries)`` for every cell in ``cells`` (one per entry of
        ``queries``), queries in their given order: each cell's rows are then
        read once for all the queries that probe it."""
        order = np.argsort(cells, kind="stable")
        queries = queries[order]
        bounds = np.searchsorted(cells[order], np.arange(len(self.members) + 1))
        for j in np.flatnonzero(np.diff(bounds)):
            yield j, queries[bounds[j]:bounds[j + 1]]

    def _on_threads(self, cells, queries, work, threads):
        """``work(groups)`` on ``threads`` threads, each given an interleaved share
        of the ``(cell, its queries)`` groups of :meth:`_by_cell`, with
        single-threaded BLAS; the list of their results. A query may be in
        several groups, so each share accumulates into its own arrays."""
        groups = list(self._by_cell(cells, queries))
        shares = [groups[i::threads] for i in range(threads)] if threads > 1 and len(groups) > 1 else [groups]
        with runner(len(shares)) as run:
            return run(work, shares)

    def _partial_sq(self, Q, q, j):
        """``|x|^2 - 2 q.x`` for the query rows ``Q[q]`` and the rows x of cell ``j``."""
        sq = Q[q] @ (-2.0 * self.X[self.members[j]].T)
        sq += self._m_sq[j]
        return sq

    def _own_entries(self, rows, q, j):
        """Where the queries ``rows[q]`` (positions in X) meet themselves among
        the members of cell ``j``: (positions in ``q``, columns); members are
        in row order, and a row is a member of its home cell only."""
        own = np.flatnonzero(self.assign[rows[q]] == j)
        return own, np.searchsorted(self.members[j], rows[q[own]])

    def _to_centroids(self, A):
        a_sq = np.einsum("ij,ij->i", A, A)
        out = A @ (-2.0 * self.centroids.T)
        out += a_sq[:, None]
        out += self._c_sq
        return out

    def knn(self, rows, k, *, n_probe=None, certify=True):
        """Neighbours of ``rows`` (positions in X), searched in the probed cells.

        ``n_probe`` (up to 32) sets the cells searched; ``certify=False``
        skips the certificate, for callers that only need the upper bound
        given by the k-th distance found (every row is then reported uncertified).

        Returns
        -------
        idx : ndarray (m, k) and dist : ndarray (m, k)
            Exact for certified rows (garbage elsewhere).
        certified : ndarray of bool (m,)
        """
        with serial_blas():
            return self._knn(np.asarray(rows, dtype=np.int64), k,
                             min(n_probe or self.n_probe, self.probe.shape[1]), certify)

    def kth_upper_bound(self, rows, k, n_probe, threads=None):
        """Per row (a position in X), an upper bound on the distance to its k-th
        nearest other row: the k-th smallest distance, widened by its rounding,
        among the rows of the ``n_probe`` cells nearest its own (inf when they
        hold fewer than k other rows).

        Cheaper than :meth:`knn` for rows scattered over many cells: each cell
        is visited once, for all the rows that probe it. The answer does not
        depend on ``threads`` (default: the index's).
        """
        threads = self.threads if threads is None else threads
        rows = np.asarray(rows, dtype=np.int64)
        m = rows.size
        n_probe = min(n_probe, self.probe.shape[1])
        probe = self.probe[self.assign[rows], :n_probe].ravel()
        Q = self.X[rows]
        q_sq = np.einsum("ij,ij->i", Q, Q)

        def work(groups):
            best = np.full((m, k), np.inf)
            for j, q in groups:
                sq = self._partial_sq(Q, q, j)
                sq += q_sq[q, None]
                # A bound over distances, not a neighbour list: the row
                # itself is left out by an infinite distance.
                sq[self._own_entries(rows, q, j)] = np.inf
                if k == 1:
                    best[q, 0] = np.minimum(best[q, 0], sq.min(axis=1))
                    continue
                merged = np.concatenate([best[q], sq], axis=1)
                best[q] = np.partition(merged, k - 1, axis=1)[:, :k] if merged.shape[1] > k else merged
            return best

        with serial_blas():
            bests = self._on_threads(probe, np.repeat(np.arange(m), n_probe), work, threads)
        best = np.concatenate(bests, axis=1)
        kth = best.max(axis=1) if len(bests) == 1 else np.partition(best, k - 1, axis=1)[:, k - 1]
        err = expansion_error_bound(self._x_norm, np.sqrt(q_sq), Q.shape[1], np.finfo(np.float64).eps) + self._slack
        return np.sqrt(np.maximum(kth + err, 0.0))

    def has_k_within(self, rows, reach, k, stages=(1, 8, 32), threads=None):
        """Per row (a position in X), whether at least ``k`` other rows are
        certainly nearer than ``reach`` (False may be a near miss), counted
        among the rows of its probed cells.

        The cells are probed nearest first, in ``stages`` (ends of probe
        ranks): a row stops at the stage where it reaches ``k``, so most rows
        visit their own cell only. A count, not a ranking: comparing the
        distances is far cheaper than partitioning them. The answer does not
        depend on ``threads`` (default: the index's).
        """
        threads = self.threads if threads is None else threads
        rows = np.asarray(rows, dtype=np.int64)
        m, d = rows.size, self.X.shape[1]
        Q = self.X[rows]
        q_sq = np.einsum("ij,ij->i", Q, Q)
        err = expansion_error_bound(self._x_norm, np.sqrt(q_sq), d, np.finfo(np.float64).eps)
        # |q - x|^2 <= computed + err < reach^2 certifies "nearer than reach"
        # (the margin covers the rounding of reach^2 itself).
        below = (np.asarray(reach, dtype=np.float64) * (1.0 - 1e-9)) ** 2 - err - q_sq
        count = np.zeros(m, dtype=np.int64)
        home = self.assign[rows]

        def work(groups):
            found = np.zeros(m, dtype=np.int64)
            for j, q in groups:
                hits = self._partial_sq(Q, q, j) < below[q, None]
                # A row is not its own neighbour: its own entry is not counted.
                hits[self._own_entries(rows, q, j)] = False
                found[q] += np.count_nonzero(hits, axis=1)
            return found

        start = 0
        with serial_blas():
            for stop in stages:
                stop = min(stop, self.probe.shape[1])
                active = np.flatnonzero((count < k) & (below > -q_sq))
                if active.size == 0 or start >= stop:
                    break
                probe = self.probe[home[active], start:stop].ravel()
                for found in self._on_threads(probe, np.repeat(active, stop - start), work, threads):
                    count += found
                start = stop
        return count >= k

    def any_other_within(self, rows, codes, reach, threads=None):
        """Per row (a position in X), whether a row of another class (``codes``,
        one per row of X) may lie within ``reach`` of it: never False when one
        does (a True may be a near miss).

        A cell is scanned for a row only when the row's distance to the
        bisector between the cell's centroid and its own cell's (a lower
        bound on its distance to the cell's rows) is within reach: for small
        reaches (dense rows) a handful of cells out of hundreds
        (:meth:`scanned_fraction` tells). ``threads`` workers (default: the
        index's) share the bounds; the answer does not depend on it.
        """
        threads = self.threads if threads is None else threads
        rows = np.asarray(rows, dtype=np.int64)
        reach = np.asarray(reach, dtype=np.float64) * (1.0 + 1e-9)
        hit = np.zeros(rows.size, dtype=bool)
        own_code = codes[rows]
        with serial_blas():
            queries, cells = self._scanned_pairs(rows, codes, reach, threads)
            Q = self.X[rows]
            q_sq = np.einsum("ij,ij->i", Q, Q)
            err = expansion_error_bound(self._x_norm, np.sqrt(q_sq), Q.shape[1], np.finfo(np.float64).eps)
            # "May lie within": computed - err <= reach^2.
            above = reach ** 2 + err - q_sq

            def work(groups):
                # Threads share ``hit``: a query found by another is skipped
                # here, or scanned once more if seen too late; either way True.
                for j, q in groups:
                    q = q[~hit[q]]
                    if q.size == 0:
                        continue
                    foreign = codes[self.members[j]][None, :] != own_code[q, None]
                    hit[q[((self._partial_sq(Q, q, j) <= above[q, None]) & foreign).any(axis=1)]] = True

            self._on_threads(cells, queries, work, threads)
        return hit

    def scanned_fraction(self, rows, codes, reach):
        """Fraction of (row, cell) pairs that :meth:`any_other_within` would scan."""
        rows = np.asarray(rows, dtype=np.int64)
        reach = np.asarray(reach, dtype=np.float64) * (1.0 + 1e-9)
        with serial_blas():
            queries, _ = self._scanned_pairs(rows, codes, reach, 1)
        return queries.size / max(1, rows.size * len(self.members))

    def _scanned_pairs(self, rows, codes, reach, threads):
        """(row position, cell) pairs where a row of another class may be within
        reach, by the bisector bound; computed by home cell, where the
        bisectors' gaps are one row of a table."""
        home = self.assign[rows]
        order = np.argsort(home, kind="stable")
        bounds = np.searchsorted(home[order], np.arange(len(self.members) + 1))
        own_code = codes[rows]
        # Per cell, how many of its rows are not of a given class.
        per_class = np.zeros((len(self.members), int(codes.max()) + 1), dtype=np.int64)
        np.add.at(per_class, (self.assign, codes), 1)
        foreign_rows = per_class.sum(axis=1)[:, None] - per_class
        centroids_T = -2.0 * self.centroids.T

        def bound(h):
            at = order[bounds[h]:bounds[h + 1]]
            # |q - c_j|^2 - |q|^2; a row of cell j is at least
            # (|q - c_j|^2 - |q - c_h|^2 - slack) / (2 |c_j - c_h|) from q.
            D = self.X[rows[at]] @ centroids_T
            D += self._c_sq
            gap = 2.0 * self.c_gap[h]
            scanned = D <= (D[:, h] + self._slack)[:, None] + reach[at, None] * gap
            # A centroid on top of ours bounds nothing: its cell is scanned.
            scanned[:, gap <= 0] = True
            scanned[:, h] = True
            scanned &= foreign_rows[:, own_code[at]].T > 0
            q, j = where_pairs(scanned)
            return at[q], j

        with runner(threads) as run:
            pairs = run(bound, np.flatnonzero(np.diff(bounds)))
        if not pairs:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])

    def _knn(self, rows, k, n_probe, certify):
        # Many small products: one BLAS thread each is several times faster.
        m = rows.size
        idx = np.zeros((m, k), dtype=np.int64)
        dist = np.full((m, k), np.inf)
        certified = np.zeros(m, dtype=bool)
        for h, at in self._by_cell(self.assign[rows], np.arange(m)):
            q = rows[at]
            db = np.concatenate([self.members[j] for j in self.probe[h, :n_probe]])
            if db.size < k + 1:
                continue
            i, dd, ok = self._local(q, db, k)
            idx[at], dist[at] = i, dd
            if certify:
                certified[at] = ok & (dd[:, -1] < self._cell_bound(q, h, n_probe))
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
        rank = np.lexsort((cand, exact), axis=-1)
        idx, sq = drop_self(np.take_along_axis(cand, rank, axis=1), q, k,
                            np.take_along_axis(exact, rank, axis=1))
        ok = np.isfinite(sq[:, -1])
        if kk < db.size:
            # Rows not among the kk candidates have an expanded squared distance
            # above the kk-th one, so an exact one above it minus the rounding.
            last = np.take_along_axis(approx, part, axis=1).max(axis=1)
            bound = expansion_error_bound(np.sqrt(np.einsum("ij,ij->i", Bc, Bc).max()),
                                          np.sqrt(np.einsum("ij,ij->i", Qc, Qc)), Q.shape[1],
                                          np.finfo(np.float64).eps) + self._slack
            ok &= sq[:, -1] < last - bound
        return idx, np.sqrt(sq), ok

    def _cell_bound(self, q, h, n_probe):
        """Lower bound on the distance from each query row (home cell h) to any
        row outside its ``n_probe`` probed cells."""
        others = np.ones(len(self.members), dtype=bool)
        others[self.probe[h, :n_probe]] = False
        if not others.any():
            return np.full(len(q), np.inf)
        gap = self.c_gap[h, others]
        if not (gap > 0).all():  # a centroid on top of ours bounds nothing
            return np.zeros(len(q))
        D = self._to_centroids(self.X[q])
        lb = (D[:, others] - D[:, [h]] - self._slack) / (2.0 * gap)
        # The ball bound is the stronger one for queries far from the cells.
        ball = np.sqrt(np.maximum(D[:, others] - self._slack, 0.0)) - self.radius[others] * (1.0 + 1e-9)
        return np.maximum(lb, ball).min(axis=1) * (1.0 - 1e-9)


def _nearest_columns(D, p):
    """Per row of D, the columns of its p smallest entries in (value, column) order."""
    part = np.argpartition(D, p - 1, axis=1)[:, :p] if p < D.shape[1] else \
        np.broadcast_to(np.arange(D.shape[1]), D.shape).copy()
    rank = np.lexsort((part, np.take_along_axis(D, part, axis=1)), axis=-1)
    return np.take_along_axis(part, rank, axis=1)


def _kmeans(X32, n_cells, per_cell=32, threads=2):
    """k-means centroids (float64) of float32 rows, from a fixed sample of
    ``per_cell`` rows per centroid and a fixed seed: the cells (hence the
    speed, never the answer) are the same on every call. faiss's when it is
    installed (faster here), else 8 rounds of Lloyd's algorithm in numpy,
    started from sampled rows (a centroid left without rows stays)."""
    n, d = X32.shape
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(n, size=min(n, per_cell * n_cells), replace=False))
    if _has_faiss():
        import faiss

        km = faiss.Kmeans(d, n_cells, niter=8, seed=1, max_points_per_centroid=1 << 30,
                          min_points_per_centroid=1)
        set_faiss_threads(threads)
        with serial_blas():
            km.train(np.ascontiguousarray(X32[sample]))
        return km.centroids.astype(np.float64)
    S = X32[sample]
    centroids = S[rng.choice(S.shape[0], n_cells, replace=False)].astype(np.float64)
    S64 = S.astype(np.float64)
    for _ in range(8):
        assign = _nearest(S, centroids.astype(np.float32), threads, index=True)[0]
        order = np.argsort(assign, kind="stable")
        counts = np.bincount(assign, minlength=n_cells)
        used = counts > 0
        starts = (np.cumsum(counts) - counts)[used]
        centroids[used] = np.add.reduceat(S64[order], starts, axis=0) / counts[used, None]
    return centroids


def _nearest_centroid(X32, centroids, threads=2):
    """Index of the nearest centroid of each float32 row, computed in float32, and
    a bound on the error of the squared distances it compared."""
    c32 = np.ascontiguousarray(centroids, dtype=np.float32)
    assign = _nearest(np.ascontiguousarray(X32), c32, threads, index=True)[0]
    err = expansion_error_bound(np.sqrt(np.einsum("ij,ij->i", X32, X32, dtype=np.float64).max()),
                           np.sqrt(np.einsum("ij,ij->i", c32, c32, dtype=np.float64).max()),
                           X32.shape[1], np.finfo(np.float32).eps)
    return assign, float(err)


def _has_faiss() -> bool:
    return importlib.util.find_spec("faiss") is not None


# Rows x columns of the numpy products of _nearest: 512 x 1024 was the fastest
# for 98k x 98k at 20 features (4.6 s, against 5.6-7.3 s for other shapes).
_NEAREST_ROWS = 512
_NEAREST_COLUMNS = 1024


def _nearest(Q32, B32, threads, index=False):
    """Per row q of ``Q32``, the smallest squared distance to a row of ``B32``
    as computed in float32 (faiss's flat index when installed, else blocked
    numpy products on ``threads`` threads), and with ``index`` the row reaching
    it (else None)."""
    if _has_faiss():
        import faiss

        flat = faiss.IndexFlatL2(B32.shape[1])
        flat.add(np.ascontiguousarray(B32))
        set_faiss_threads(threads)
        with serial_blas():
            d32, at = flat.search(np.ascontiguousarray(Q32), 1)
        return (at[:, 0].astype(np.int64) if index else None), d32[:, 0]
    BT = np.ascontiguousarray(-2.0 * B32.T)
    b_sq = np.einsum("ij,ij->i", B32, B32, dtype=np.float64).astype(np.float32)
    n, m = Q32.shape[0], B32.shape[0]
    value = np.empty(n, dtype=np.float32)
    where = np.empty(n, dtype=np.int64) if index else None

    def block(s):
        q = Q32[s:s + _NEAREST_ROWS]
        best = np.full(q.shape[0], np.inf, dtype=np.float32)
        at = np.zeros(q.shape[0], dtype=np.int64)
        buf = np.empty((q.shape[0], min(_NEAREST_COLUMNS, m)), dtype=np.float32)
        part = np.empty(q.shape[0], dtype=np.float32)
        for j in range(0, m, _NEAREST_COLUMNS):
            o = buf[:, :min(_NEAREST_COLUMNS, m - j)]
            np.matmul(q, BT[:, j:j + o.shape[1]], out=o)
            o += b_sq[j:j + o.shape[1]]
            if index:
                a = o.argmin(axis=1)
                v = o[np.arange(o.shape[0]), a]
                better = v < best
                best[better], at[better] = v[better], a[better] + j
            else:
                np.min(o, axis=1, out=part)
                np.minimum(best, part, out=best)
        # |q|^2 added last, as faiss's distances include it.
        value[s:s + q.shape[0]] = best + np.einsum("ij,ij->i", q, q)
        if index:
            where[s:s + q.shape[0]] = at

    with runner(threads) as run:
        run(block, range(0, n, _NEAREST_ROWS))
    return where, value


def nearest_distance_lower_bound(B, Q, threads=2):
    """Per point of ``Q``, a lower bound on its distance to the nearest row of
    ``B``: the float32 all-pairs minimum (:func:`_nearest`) less a bound on its
    rounding error. For a screen; never above the true distance."""
    B = np.asarray(B, dtype=np.float64)
    if not float32_squares(B, Q):
        return np.zeros(np.asarray(Q).shape[0])  # no bound: every row to the exact search
    center = B.mean(axis=0)
    B32 = (B - center).astype(np.float32)
    Q32 = (np.asarray(Q, dtype=np.float64) - center).astype(np.float32)
    d32 = _nearest(Q32, B32, threads)[1].astype(np.float64)
    err = expansion_error_bound(np.sqrt(np.einsum("ij,ij->i", Q32, Q32, dtype=np.float64)),
                           np.sqrt(np.einsum("ij,ij->i", B32, B32, dtype=np.float64).max()),
                           B32.shape[1], np.finfo(np.float32).eps)
    return np.sqrt(np.maximum(d32 - err, 0.0)) * (1.0 - 1e-9)


class BallCells:
    """The rows of a point set grouped into small k-means cells, each with the
    exact radius of its members around its centroid, to answer "is any row
    within distance r of this point?" without an all-pairs scan.

    A row of cell j is at least ``|q - c_j| - r_j`` from a point q (triangle
    inequality), so only the cells where that bound is within r are scanned.
    The bound needs no nearest-centroid property, so the grouping is done in
    float32, and so are the distances, widened by a bound on their rounding.
    It prunes well where the rows are concentrated (SMOTE's rows lie on
    segments between minority rows); on diffuse data in many dimensions most
    cells pass (:meth:`pass_fraction` tells).

    Parameters
    ----------
    P : ndarray of shape (n_rows, n_features)
    cell_size : int
        Rows per cell on average.
    """

    def __init__(self, P, cell_size=64):
        P = np.asarray(P, dtype=np.float64)
        self.center = P.mean(axis=0)
        Pc = P - self.center
        P32 = Pc.astype(np.float32)
        n_cells = max(1, P.shape[0] // cell_size)
        # Tight enough cells from a small sample: only the radii must be exact.
        centroids = _kmeans(P32, n_cells, 8)
        assign, _ = _nearest_centroid(P32, centroids)
        order = np.argsort(assign, kind="stable")
        counts = np.bincount(assign, minlength=n_cells)
        used = counts > 0
        centroids = centroids[used]
        self.start = np.concatenate([[0], np.cumsum(counts[used])])
        cell_of = np.repeat(np.arange(used.sum()), counts[used])
        radius = np.zeros(used.sum())
        np.maximum.at(radius, cell_of, np.sqrt(_sq_dist_rows(Pc[order], centroids[cell_of])))
        # Exact up to the float64 rounding of the radius itself.
        self.radius = radius * (1.0 + 1e-9)
        self.centroids = centroids.astype(np.float32)
        self.points = P32[order]
        self.p_sq = np.einsum("ij,ij->i", self.points, self.points)
        self._c_sq = np.einsum("ij,ij->i", self.centroids, self.centroids)
        self._p_norm = float(np.sqrt(self.p_sq.max()))
        self._c_norm = float(np.sqrt(self._c_sq.max()))

    def _centred(self, Q):
        Qc = (np.asarray(Q, dtype=np.float64) - self.center).astype(np.float32)
        return Qc, np.einsum("ij,ij->i", Qc, Qc)

    def _cell_lower(self, Qc, q_sq):
        """Lower bound on the distance from each centred point to each cell's rows."""
        D = Qc @ (-2.0 * self.centroids.T)
        D += q_sq[:, None]
        D += self._c_sq
        D -= expansion_error_bound(np.sqrt(q_sq), self._c_norm, Qc.shape[1],
                              np.finfo(np.float32).eps)[:, None]
        np.maximum(D, 0.0, out=D)
        np.sqrt(D, out=D)
        # float32 rounding of the square root and of the subtraction.
        D *= 1.0 - 1e-6
        D -= self.radius.astype(np.float32) * (1.0 + 1e-6)
        return D

    def pass_fraction(self, Q, radius):
        """Fraction of (point, row) pairs that :meth:`any_within` would scan."""
        Qc, q_sq = self._centred(Q)
        lower = self._cell_lower(Qc, q_sq)
        sizes = np.diff(self.start)
        return float(((lower <= np.asarray(radius)[:, None]) * sizes).sum()
                     / max(1, Qc.shape[0] * self.points.shape[0]))

    def any_within(self, Q, radius):
        """Per point of ``Q`` (same coordinates as the rows), whether some row may
        lie within ``radius`` of it: never False when one does (a True may be
        a near miss)."""
        Qc, q_sq = self._centred(Q)
        m, d = Qc.shape
        radius = np.asarray(radius, dtype=np.float64)
        # Squared-distance threshold per point, widened by the rounding of the
        # float32 expanded products below.
        reach = (radius ** 2 * (1.0 + 1e-6)
                 + expansion_error_bound(np.sqrt(q_sq), self._p_norm, d, np.finfo(np.float32).eps))
        hit = np.zeros(m, dtype=bool)
        n_cells = self.centroids.shape[0]
        step = max(1, _BLOCK // n_cells)
        with serial_blas():
            # Nearby points together (by the nearest of ~256 centroids): each
            # cell then meets long runs of points.
            order = np.argsort(_nearest_centroid(Qc, self.centroids[:: max(1, n_cells // 256)])[0],
                               kind="stable")
            pairs_q, pairs_c, held = [], [], 0
            for s in range(0, m, step):
                at = order[s:s + step]
                q, c = where_pairs(self._cell_lower(Qc[at], q_sq[at]) <= radius[at, None])
                pairs_c.append(c.astype(np.int32))
                pairs_q.append(at[q].astype(np.int32))
                held += c.size
                if held >= _PAIRS or s + step >= m:
                    self._scan(np.concatenate(pairs_c), np.concatenate(pairs_q), Qc, q_sq, reach, hit)
                    pairs_q, pairs_c, held = [], [], 0
        return hit

    def _scan(self, cells, queries, Qc, q_sq, reach, hit):
        """Mark the queries with a row within reach, over the given (cell, query) pairs."""
        order = np.argsort(cells, kind="stable")
        cells, queries = cells[order], queries[order]
        bounds = np.searchsorted(cells, np.arange(self.centroids.shape[0] + 1))
        for j in np.flatnonzero(np.diff(bounds)):
            q = queries[bounds[j]:bounds[j + 1]]
            q = q[~hit[q]]
            if q.size == 0:
                continue
            lo, hi = self.start[j], self.start[j + 1]
            sq = Qc[q] @ (-2.0 * self.points[lo:hi].T)
            sq += self.p_sq[lo:hi]
            sq += q_sq[q, None]
            hit[q[(sq <= reach[q, None]).any(axis=1)]] = True


def _cells_available(X) -> bool:
    return (not sparse.issparse(X) and X.shape[0] >= _MIN_ROWS
            and float32_squares(X))


def float32_squares(*arrays) -> bool:
    """Whether the float32 products of the screens stay finite, with meaningful
    error bounds, on the rows of ``arrays`` taken together (their spread far
    below float32's range); where they would not, the screens are skipped and
    the exact search answers."""
    arrays = [np.asarray(A, dtype=np.float64) for A in arrays if np.asarray(A).size]
    if not arrays:
        return True
    hi = np.max([A.max(axis=0) for A in arrays], axis=0)
    lo = np.min([A.min(axis=0) for A in arrays], axis=0)
    d = arrays[0].shape[1]
    # Centred rows are within the spread per coordinate: squared norms and
    # products below d * spread^2, well inside float32 with room for the bound.
    return bool(4.0 * (d + 4) * d * float(np.max(hi - lo)) ** 2 < 1e36)


def exact_knn(X, k, rows, *, cells=None, n_jobs=None, return_distance=False):
    """Exact ``k`` nearest rows of ``X`` (self excluded) for the given row positions.

    Uses ``cells`` (a :class:`CellIndex` on ``X``) for certified local answers,
    and :func:`smotekit.neighbors.kneighbors` for whatever is left.
    """
    rows = np.asarray(rows, dtype=np.int64)
    idx = np.empty((rows.size, k), dtype=np.int64)
    dist = np.empty((rows.size, k))
    todo = np.ones(rows.size, dtype=bool)
    if cells is not None and rows.size and _certifies(cells, rows, k):
        i, dd, ok = cells.knn(rows, k)
        idx[ok], dist[ok] = i[ok], dd[ok]
        todo = ~ok
    if todo.any():
        i, dd = kneighbors(X, k, query_rows=rows[todo], n_jobs=n_jobs, return_distance=True)
        idx[todo], dist[todo] = i, dd
    return (idx, dist) if return_distance else idx


def _certifies(cells, rows, k):
    """Whether the certified cell search pays for these rows, from a sample of
    them: it answers most rows of dense data (SMOTE's segments) and almost
    none of diffuse many-feature data, where it would only add its cost."""
    sample = rows[:: max(1, rows.size // _TRIAL_ROWS)]
    return rows.size <= _TRIAL_ROWS or cells.knn(sample, k)[2].mean() >= _MIN_CERTIFIED


def maybe_cells(X, threads=2):
    """A :class:`CellIndex` on ``X`` when it pays (many dense rows, values float32
    can square), else None."""
    return CellIndex(X, threads=threads) if _cells_available(X) else None
