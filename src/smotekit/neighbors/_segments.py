"""Distance bounds to rows known to lie on segments between a few points.

After SMOTE, most rows of the minority class are points on segments between
minority input rows: 100k rows on ~8k segments between ~2k rows. The distance
from a query to the nearest of them is bounded from below by its distance to
the nearest segment, and segments are found from their endpoints alone: on the
segment from ``a`` to ``b`` (length ``L``), at position ``g`` in [0, 1],

    |q - s|^2 = (1 - g) |q - a|^2 + g |q - b|^2 - g (1 - g) L^2
             >= min(|q - a|^2, |q - b|^2) - L^2 / 4,

so a query only looks at the segments of the endpoints ``v`` with
``|q - v|^2 - h_v^2`` within its reach (``h_v`` the longest half-segment at
``v``), and takes the exact minimum of the quadratic in ``g`` for those. The
cost is one product of the queries with the endpoints (the few input rows),
not with the many rows on the segments.

The cleaning samplers use it (:func:`~smotekit.under_sampling._rules.edited_keep`)
when the hybrid samplers hand them the provenance of the over-sampled rows.
"""

from __future__ import annotations

import numpy as np

from ._blocked import expansion_error_bound, runner, where_pairs
from ._cells import float32_squares

__all__ = ["OnSegments"]

# Queries per task: a (block x endpoints) float32 product and its compare.
_BLOCK = 2048
# (query, segment) pairs evaluated at once (~100 bytes each).
_PAIRS = 1 << 20
_EPS32 = float(np.finfo(np.float32).eps)
_EPS64 = float(np.finfo(np.float64).eps)


class OnSegments:
    """Rows of a matrix that lie on segments between rows of ``P``.

    Row ``i`` lies on the segment from ``P[first[i]]`` to ``P[second[i]]``
    (``first[i] == second[i]``: the point itself), up to the rounding of the
    dtype it was stored in (unit roundoff ``eps``).

    Parameters
    ----------
    P : ndarray of shape (n_points, n_features)
    first, second : ndarray of int, shape (n_rows,)
    eps : float
        Unit roundoff of the stored rows' dtype.
    """

    def __init__(self, P, first, second, eps):
        self.P = np.asarray(P, dtype=np.float64)
        self.first = np.asarray(first, dtype=np.int64)
        self.second = np.asarray(second, dtype=np.int64)
        self.eps = float(eps)

    def endpoint_count(self, rows):
        """Distinct endpoints of the segments of ``rows``: the width of the product."""
        return np.unique(np.concatenate([self.first[rows], self.second[rows]])).size

    def lower_bound(self, Q, rows, tau, threads=1):
        """Per row of ``Q``, a lower bound on its distance to every row of
        ``rows``: the distance to their nearest segment when that is below
        ``tau`` (less a rounding margin), else at least ``tau`` less the margin.

        Parameters
        ----------
        Q : ndarray of shape (n_queries, n_features)
        rows : ndarray of int
            The rows (of the matrix this describes) to bound the distance to.
        tau : ndarray of shape (n_queries,)
            Per query, the distance beyond which the answer need not be exact.
        threads : int

        Returns
        -------
        ndarray of shape (n_queries,), float64, never negative
        """
        Q = np.asarray(Q, dtype=np.float64)
        tau = np.asarray(tau, dtype=np.float64)
        if len(rows) == 0:
            return np.full(Q.shape[0], np.inf)
        first, second = self.first[rows], self.second[rows]
        if not float32_squares(Q, self.P[np.unique(np.concatenate([first, second]))]):
            return np.zeros(Q.shape[0])  # no bound: the caller searches exactly
        lines = _Lines(self.P, first, second)
        lb = np.empty(Q.shape[0])
        q_sq = np.einsum("ij,ij->i", Q - lines.center, Q - lines.center)
        # Two more terms than coordinates per product, and their float32 rounding.
        err = expansion_error_bound(lines.scale, np.sqrt(q_sq), Q.shape[1] + 4, _EPS32)

        def task(s):
            e = min(Q.shape[0], s + _BLOCK)
            lb[s:e] = lines.bound(Q[s:e] - lines.center, q_sq[s:e], err[s:e], tau[s:e])

        with runner(threads) as run:
            run(task, range(0, Q.shape[0], _BLOCK))
        # The stored rows sit within ~3 eps of their exact segment points,
        # relative to the endpoints' magnitudes.
        margin = 8.0 * self.eps * lines.raw_norm + 1e-300
        return np.maximum(lb * (1.0 - 1e-9) - margin, 0.0)


class _Lines:
    """The distinct segments of some rows, indexed by endpoint."""

    def __init__(self, P, first, second):
        n = P.shape[0]
        a, b = np.minimum(first, second), np.maximum(first, second)
        key = np.unique(a * n + b)
        ends, inv = np.unique(np.concatenate([key // n, key % n]), return_inverse=True)
        self.a, self.b = inv[:key.size], inv[key.size:]
        self.raw_norm = float(np.sqrt(np.einsum("ij,ij->i", P[ends], P[ends]).max()))
        self.center = P[ends].mean(axis=0)  # centring shrinks the products' rounding
        self.V = P[ends] - self.center
        self.v_sq = np.einsum("ij,ij->i", self.V, self.V)
        diff = self.V[self.a] - self.V[self.b]
        self.L2 = np.einsum("ij,ij->i", diff, diff)
        # Each endpoint's longest half-segment, squared: |q - s|^2 >= |q - v|^2 - h2[v].
        self.h2 = np.zeros(ends.size)
        np.maximum.at(self.h2, self.a, self.L2 / 4)
        np.maximum.at(self.h2, self.b, self.L2 / 4)
        # The segments at each endpoint (each segment listed at both of its ends).
        at = np.concatenate([self.a, self.b])
        order = np.argsort(at, kind="stable")
        self.seg = np.concatenate([np.arange(key.size)] * 2)[order]
        self.ptr = np.searchsorted(at[order], np.arange(ends.size + 1))
        # The product's data side [-2 v, |v|^2 - h_v^2] in float32 (twice the
        # speed of float64; its rounding is bounded like the blocked screen's).
        self.VA = np.empty((ends.size, self.V.shape[1] + 1), dtype=np.float32)
        self.VA[:, :-1] = -2.0 * self.V
        self.VA[:, -1] = self.v_sq - self.h2
        self.scale = float(np.sqrt(self.v_sq.max() + self.h2.max()))

    def bound(self, Q, q_sq, err, tau):
        """Distance lower bounds for one block of centred queries (before the
        storage margin); ``err`` bounds the rounding of the float32 products."""
        QA = np.empty((Q.shape[0], Q.shape[1] + 1), dtype=np.float32)
        QA[:, :-1] = Q
        QA[:, -1] = 1.0
        # |q - v|^2 - h_v^2 - |q|^2, within err of exact.
        A = QA @ self.VA.T
        t2 = tau * tau
        # Endpoints whose segments may pass within tau.
        qi, vi = where_pairs(A <= (t2 * (1 + 1e-12) + err - q_sq).astype(np.float32)[:, None])
        out = tau.copy()
        count = self.ptr[vi + 1] - self.ptr[vi]
        # (query, segment) pairs a chunk at a time: overlapping classes in many
        # dimensions can give hundreds of segments per query.
        ends = np.cumsum(count)
        cuts = np.searchsorted(ends, np.arange(_PAIRS, ends[-1] if ends.size else 0, _PAIRS))
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, qi.size]):
            if hi > lo:
                self._segment_minima(A, qi[lo:hi], vi[lo:hi], count[lo:hi], q_sq, err, out)
        return out

    def _segment_minima(self, A, qi, vi, count, q_sq, err, out):
        """Lower ``out`` (distances) for queries ``qi`` (sorted) to the exact
        distance of every segment at endpoints ``vi``."""
        q = np.repeat(qi, count)
        first = np.repeat(self.ptr[vi] - (np.cumsum(count) - count), count)
        s = self.seg[first + np.arange(q.size)]
        a, b = self.a[s], self.b[s]
        # Squared distances to the two endpoints, each within err of exact.
        a_sq = A[q, a].astype(np.float64) + self.h2[a] + q_sq[q]
        b_sq = A[q, b].astype(np.float64) + self.h2[b] + q_sq[q]
        L2 = self.L2[s]
        # The minimum over g in [0, 1] of (1 - g) A + g B - g (1 - g) L^2 moves
        # by at most err when A and B do; the rest of its rounding is a few eps
        # of A + B + L^2.
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.clip((a_sq - b_sq + L2) / (2.0 * L2), 0.0, 1.0)
        g[L2 <= 0] = 0.0
        f = (1.0 - g) * a_sq + g * b_sq - g * (1.0 - g) * L2
        f -= err[q] + 8.0 * _EPS64 * (np.abs(a_sq) + np.abs(b_sq) + L2)
        if f.size == 0:
            return
        # q is sorted (np.nonzero lists row by row): a minimum per run of q.
        starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
        best = np.minimum.reduceat(f, starts)
        at = q[starts]
        out[at] = np.minimum(out[at], np.sqrt(np.maximum(best, 0.0)))
