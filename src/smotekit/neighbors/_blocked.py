"""Exact k-NN by blocked float32 matrix products screened under per-row bounds.

The engine behind ``kneighbors(method='auto')`` for dense data with more than a
few features: all rows of a class among themselves (SMOTE's table), here, and
one class against all rows (the selective over-samplers), in
:mod:`~smotekit.neighbors._screen` from the pieces here. Its cost is one pass
of cache-sized float32 matrix products (about 1.5x the bare product at 20
features: the compare and the listing of kept pairs read every entry once
more) and a little work per kept pair:

1. **Bounds.** Each query's approximate squared distances to a random sample
   of the rows, folded into the minimum of each of ``_GROUPS`` groups of the
   sample: the ``needed``-th smallest group minimum is the distance of some
   ``needed`` distinct rows, hence (plus the rounding bound) an upper bound
   ``t`` on the exact squared distance of the ``needed``-th nearest row. No
   sorting: a matrix product and a minimum per sampled pair.
2. **Screen.** One float32 product per block gives ``|q|^2 + |x|^2 - 2 q.x``;
   every pair within ``t`` plus the expansion's rounding bound
   (:func:`expansion_error_bound`) is kept, so no row within ``t`` is ever
   lost. All rows among themselves: the distance matrix is symmetric, so only
   the blocks on and above the diagonal are computed, the rows sorted by bound
   so that one scalar per block (the larger bound of its two row ranges) is a
   tight compare, and each value within it goes to each of its two rows whose
   own bound keeps it.
3. **Certified ranking.** Per query, the ``needed + _EXTRA`` kept rows with the
   smallest float32 values are ranked by exact float64 distance, ties by index.
   When the ``needed``-th of them is nearer than every other kept row can be
   (its float32 value minus the bound), they are the answer; otherwise (near
   ties, duplicated rows) every kept row of that query is ranked exactly.

Blocks are spread over threads as many small tasks (a core slowed by another
process does not hold the other back), each running single-threaded products.
Answers never depend on threads or blocks: every kept set contains all rows
that can be among the nearest, and the ranking is exact.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

from ._threads import serial_blas

__all__ = ["TooManyPairs", "expansion_error_bound", "kept_entries", "prepare", "rank_block", "runner",
           "symmetric_kneighbors", "thresholds", "where_pairs"]

# Rows x columns of one float32 product: 512 x 256 keeps the product (512 KB)
# in L2 and is the fastest shape at 20 features (benchmarks/tune_search.py,
# 'block' table).
_ROW_BLOCK = 512
_COL_BLOCK = 256
# Columns per task of the search among the rows themselves (512 x 2048
# products): many tasks per thread.
_SYM_TASK_COLUMNS = 1 << 11
# Groups of the sampled rows whose minima bound the needed-th distance: many
# more than ``needed`` so that the nearest sampled rows rarely share a group.
_GROUPS = 64
# Sampled rows: about sqrt(_SAMPLE_COST * needed * n) balances the sample's
# products against the kept pairs (a kept pair costs about as much as
# _SAMPLE_COST sampled product entries; a query keeps ~needed * n / sample
# rows) (benchmarks/tune_search.py, 'sample' table); and at least
# needed * n / kept_per_row, so that the pairs held stay within memory: all of
# them at once in the search among the rows themselves (_SYM_KEPT_PER_ROW,
# ~1.5 KB per row), a wave of queries at a time otherwise (_screen).
_SAMPLE_COST = 90
_SYM_KEPT_PER_ROW = 64
# Candidates ranked exactly per query beyond the needed ones: certification
# then fails only on near-ties.
_EXTRA = 2
# Relative margin on the bound: rows whose exact distance rounds to the bound's.
_MARGIN = 1e-9
# Kept pairs per query beyond which float32 cannot tell the rows apart (masses
# of duplicates, or a spread tiny beside the norms), in multiples of the
# expected count plus a constant: the caller then uses another engine.
_GIVE_UP_FACTOR = 8
_GIVE_UP_PER_ROW = 512
_EPS32 = float(np.finfo(np.float32).eps)


class TooManyPairs(Exception):
    """Raised when a screen keeps too many pairs to be worth finishing."""


def expansion_error_bound(x_norm, q_norm, n_features, eps):
    """Per query, a bound on |computed - exact| squared distance when computed
    as |q|^2 + |x|^2 - 2 q.x with unit roundoff ``eps`` (including the rounding
    of the coordinates to that precision), with a safety factor of 4 over the
    textbook (d + 2) * eps bound; ``x_norm`` is the largest row norm of the
    searched rows, ``q_norm`` the query rows' norms."""
    return 4.0 * (n_features + 4) * eps * (q_norm + x_norm) ** 2 + 1e-30


def where_pairs(mask):
    """``np.nonzero`` of a C-contiguous 2-D mask, from the flat positions: numpy's
    1-D path is 3-15x faster on the sparse masks of the screens."""
    rows, cols = np.divmod(np.flatnonzero(mask), mask.shape[1])
    return rows, cols


def symmetric_kneighbors(X, needed, threads):
    """The first ``needed`` rows of ``X`` in (exact distance, index) order for
    each row of ``X`` (itself first, for the caller to drop), with their exact
    squared distances, computing only half of the distance matrix.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    needed : int
        At most ``n``.
    threads : int
        Threads; the answer does not depend on it.

    Returns
    -------
    cand : ndarray of shape (n, needed), int64
    sq : ndarray of shape (n, needed), float64

    Raises
    ------
    TooManyPairs
        When float32 cannot tell the rows apart (see ``_GIVE_UP_PER_ROW``).
    """
    state = prepare(X, None, needed, 0, _SYM_KEPT_PER_ROW)
    with runner(threads) as run:
        return _symmetric(state, run)


def prepare(X, Q, needed, budget, kept_per_row):
    """The shared state of a search of ``Q`` (None: the rows of ``X``) among
    ``X``: float32 sides of the products, rounding bounds and the sample (large
    enough to keep about ``kept_per_row`` pairs per query at most); it gives up
    (``TooManyPairs``) beyond ``budget`` kept pairs plus a few times the pairs
    expected per query."""
    X = np.asarray(X, dtype=np.float64)
    Q = X if Q is None else np.asarray(Q, dtype=np.float64)
    n, d = X.shape
    center = X.mean(axis=0)  # centring shrinks norms, hence the error bound
    XA, x_sq = _augmented(X, center, query=False)
    QA, q_sq = _augmented(Q, center, query=True)
    # Up to two more terms than coordinates per product (|q|^2 - reach, |x|^2),
    # and the float32 rounding of those entries: d + 4 covers them.
    bound = expansion_error_bound(np.sqrt(max(x_sq.max(), q_sq.max())), np.sqrt(q_sq), d + 4, _EPS32)
    groups = max(_GROUPS, 4 * needed)
    s = int(max(np.sqrt(_SAMPLE_COST * needed * n), needed * n / kept_per_row, 4 * groups))
    # A fixed seed: the sample decides the speed, never the answer.
    sample = np.sort(np.random.default_rng(0).choice(n, min(n, s), replace=False))
    per_row = _GIVE_UP_FACTOR * needed * n / s + _GIVE_UP_PER_ROW
    return _State(X, Q, QA, XA, XA[sample], bound, needed, groups,
                  int(Q.shape[0] * per_row) + budget)


@contextmanager
def runner(threads):
    """``run(f, items)``: ``[f(i) for i in items]`` on ``threads`` threads, each
    running single-threaded BLAS (a multi-threaded BLAS inside these threads
    would oversubscribe the cores)."""
    with serial_blas():
        if threads <= 1:
            yield lambda f, items: [f(i) for i in items]
            return
        pool = ThreadPoolExecutor(max_workers=threads)
        try:
            yield lambda f, items: list(pool.map(f, items))
        finally:
            pool.shutdown(cancel_futures=True)


def _augmented(A, center, query):
    """Centred float32 rows with their squared norms appended, so that one
    product of a query side ``[q, |q|^2, 1]`` and a data side ``[-2x, 1, |x|^2]``
    gives ``|q - x|^2`` up to rounding; also the squared norms (float64, of the
    float32 coordinates the products use)."""
    n, d = A.shape
    out = np.empty((n, d + 2), dtype=np.float32)
    sq = np.empty(n)
    step = max(1, (1 << 20) // max(1, d))  # centred in float64 a block at a time
    for a in range(0, n, step):
        block = (A[a:a + step] - center).astype(np.float32)
        sq[a:a + step] = np.einsum("ij,ij->i", block, block, dtype=np.float64)
        out[a:a + step, :d] = block if query else block * -2.0  # scaling by -2 is exact
    out[:, d] = sq if query else 1.0
    out[:, d + 1] = 1.0 if query else sq
    return out, sq


class _State:
    """What the tasks share: the data, the bounds, per-thread buffers and the
    count of kept pairs."""

    def __init__(self, X, Q, QA, XA, SA, bound, needed, groups, give_up):
        self.X, self.Q, self.QA, self.XA, self.SA = X, Q, QA, XA, SA
        self.bound, self.needed, self.groups = bound, needed, groups
        self.t = np.empty(Q.shape[0])
        self.reach = np.empty(Q.shape[0])
        self.give_up = give_up
        self.held = 0
        self.lock = threading.Lock()
        self.local = threading.local()

    def buffers(self, rows, cols):
        """This thread's contiguous product and mask buffers of that shape
        (allocated once per thread: fresh pages for every block would cost
        more than the product)."""
        size = rows * cols
        have = getattr(self.local, "bufs", None)
        if have is None or have[0].size < size:
            have = (np.empty(size, dtype=np.float32), np.empty(size, dtype=bool))
            self.local.bufs = have
        return have[0][:size].reshape(rows, cols), have[1][:size].reshape(rows, cols)

    def count(self, kept):
        with self.lock:
            self.held += kept
            if self.held > self.give_up:
                raise TooManyPairs


def thresholds(state, start, stop):
    """Set ``t`` (an exact upper bound on the needed-th squared distance) and
    ``reach`` (the largest computed distance a row within ``t`` can get) for
    query rows ``start:stop`` (module docstring, step 1)."""
    QA, SA, g = state.QA[start:stop], state.SA, state.groups
    b = stop - start
    mins = np.full((b, g), np.inf, dtype=np.float32)
    for j in range(0, SA.shape[0], _COL_BLOCK):
        w = min(_COL_BLOCK, SA.shape[0] - j)
        o = state.buffers(b, w)[0]
        np.matmul(QA, SA[j:j + w].T, out=o)
        # Column c of the sample goes to group c % g (the sample is random,
        # so any split will do); slices, as numpy reduces a middle axis slowly.
        for c in range(0, w, g):
            part = o[:, c:c + g]
            np.minimum(mins[:, :part.shape[1]], part, out=mins[:, :part.shape[1]])
    v = np.partition(mins, state.needed - 1, axis=1)[:, state.needed - 1].astype(np.float64)
    bound = state.bound[start:stop]
    state.t[start:stop] = v + bound
    state.reach[start:stop] = state.t[start:stop] * (1 + _MARGIN) + bound


def _symmetric(state, run):
    """Rows sorted by reach, then the blocks on and above the diagonal, each
    compared with the larger reach of its two row ranges (a scalar) and the
    few values within it given to each of their two rows whose own reach
    keeps them; then every row block ranked."""
    n = state.X.shape[0]
    run(lambda s: thresholds(state, s, min(n, s + _ROW_BLOCK)), range(0, n, _ROW_BLOCK))
    # Sorted, nearby rows of the order have nearly the same reach, so one
    # scalar per block keeps few more values than the rows' own reaches.
    perm = np.argsort(state.reach, kind="stable")
    state.perm = perm
    state.QA, state.XA = state.QA[perm], state.XA[perm]
    state.t, state.reach, state.bound = state.t[perm], state.reach[perm], state.bound[perm]
    # Compared with the float32 values: rounded up, they keep a superset.
    state.reach32 = (state.reach + np.abs(state.reach) * 2 * _EPS32).astype(np.float32)
    state.top = np.maximum.reduceat(state.reach32, np.arange(0, n, _COL_BLOCK))
    starts = range(0, n, _ROW_BLOCK)
    tasks = [(i, j) for i in starts for j in range(i, n, _SYM_TASK_COLUMNS)]
    found = run(lambda task: _symmetric_task(state, *task), tasks)
    buckets = by_bucket(starts, found)
    del found
    cand = np.empty((n, state.needed), dtype=np.int64)
    sq = np.empty((n, state.needed))

    def rank(s):
        rows = perm[s:s + _ROW_BLOCK]
        cand[rows], sq[rows] = rank_block(state, state.X[rows], s, buckets[s])

    run(rank, starts)
    return cand, sq


def _symmetric_task(state, i0, j0):
    """Row block ``i0`` against the columns ``j0:j0 + _SYM_TASK_COLUMNS`` (on or
    right of its diagonal block), in the sorted order; the triples carry the
    original row numbers as columns."""
    n = state.X.shape[0]
    i1 = min(n, i0 + _ROW_BLOCK)
    j1 = min(n, j0 + _SYM_TASK_COLUMNS)
    QA, reach, perm = state.QA[i0:i1], state.reach32, state.perm
    first = j0 // _COL_BLOCK
    limits = np.maximum(reach[i0:i1].max(), state.top[first:first + -(-(j1 - j0) // _COL_BLOCK)])
    kept = kept_entries(state, QA, j0, j1, limits, _COL_BLOCK)
    if kept is None:
        return []
    r, c, value = kept
    # Row i keeps column j under its own reach; within the diagonal block
    # (both orders are computed) that covers both directions, elsewhere
    # column j keeps row i under its own reach too.
    mine = value <= reach[i0 + r]
    parts = [(i0, r[mine].astype(np.int32), perm[c[mine]], value[mine])]
    theirs = np.flatnonzero((c >= i1) & (value <= reach[c]))
    where = c[theirs] // _ROW_BLOCK * _ROW_BLOCK
    for bucket in np.unique(where):
        pick = theirs[where == bucket]
        parts.append((int(bucket), (c[pick] - bucket).astype(np.int32), perm[i0 + r[pick]], value[pick]))
    return parts


def kept_entries(state, QA, j0, j1, limits, width):
    """The entries of the float32 products ``QA . XA[j0:j1]^T`` (blocks of
    ``width`` columns) at most their block's limit (``limits[i]`` for the i-th
    block), as (row of ``QA``, column of ``XA``, value), counted against the
    give-up budget; None when no entry is kept."""
    b = QA.shape[0]
    flats, values, offsets = [], [], []
    full = state.buffers(b, width)
    for i, j in enumerate(range(j0, j1, width)):
        w = min(width, j1 - j)
        o, k = full if w == width else state.buffers(b, w)
        np.matmul(QA, state.XA[j:j + w].T, out=o)
        np.less_equal(o, limits[i], out=k)
        # (numpy counts before listing: an empty block costs a count only.)
        flat = k.ravel().nonzero()[0]
        if flat.size:
            values.append(o.ravel()[flat])
            # Positions as in a full-width block, so the task's are split at once.
            flats.append(flat if w == width else flat // w * width + flat % w)
            offsets.append(np.full(flat.size, j))
    if not flats:
        return None
    flat = np.concatenate(flats)
    state.count(flat.size)
    return flat // width, flat % width + np.concatenate(offsets), np.concatenate(values)


def by_bucket(starts, found):
    """The tasks' triples gathered per query block."""
    buckets = {s: ([], [], []) for s in starts}
    for parts in found:
        for where, rows, cols, vals in parts:
            bucket = buckets[where]
            bucket[0].append(rows)
            bucket[1].append(cols)
            bucket[2].append(vals)
    return buckets


def rank_block(state, Q, start, pairs):
    """The needed nearest of the query rows ``Q`` (the block at ``start``) from
    their kept pairs, certified, with their exact squared distances (module
    docstring, step 3)."""
    X, needed = state.X, state.needed
    b = Q.shape[0]
    stop = start + b
    rows, cols, vals = pairs
    if not rows:
        # Impossible (the sampled rows within t are always kept) unless
        # every pair was lost to overflow, which overflow_scale prevents.
        raise RuntimeError("the screen kept no pair")
    r = np.concatenate(rows)
    c = np.concatenate(cols).astype(np.int64, copy=False)
    a = np.concatenate(vals)
    # Grouped by query (a radix sort: the keys are 16-bit), each group in the
    # order found.
    order = np.argsort(r.astype(np.uint16), kind="stable")
    r, c, a = r[order], c[order], a[order]
    counts = np.bincount(r, minlength=b)
    first = np.cumsum(counts) - counts
    width = needed + _EXTRA
    if counts.max() > width:
        pos = np.arange(r.size) - first[r]
        P = np.full((b, int(counts.max())), np.inf, dtype=a.dtype)
        P[r, pos] = a
        # The computed distance of the (width + 1)-th kept row: the candidates
        # are the kept rows below it, every other row is at least that far.
        cut = np.partition(P, width, axis=1)[:, width]
    else:
        cut = np.full(b, np.inf, dtype=a.dtype)
    chosen = a < cut[r]
    rc, cc = r[chosen], c[chosen]
    ccount = np.bincount(rc, minlength=b)
    cpos = np.arange(rc.size) - (np.cumsum(ccount) - ccount)[rc]
    E = np.full((b, width), np.inf)
    C = np.full((b, width), np.iinfo(np.int64).max, dtype=np.int64)
    E[rc, cpos] = _pair_sq(X, Q, rc, cc)
    C[rc, cpos] = cc
    order = np.lexsort((C, np.sqrt(E)), axis=-1)[:, :needed]
    C = np.take_along_axis(C, order, axis=1)
    E = np.take_along_axis(E, order, axis=1)
    bound = state.bound[start:stop]
    lower = np.minimum(cut.astype(np.float64) - bound, state.t[start:stop] * (1 + _MARGIN))
    unsure = np.flatnonzero(~(E[:, -1] * (1 + 1e-9) < lower))
    if unsure.size:
        # Every row within t was kept, and the needed-th nearest is within t:
        # ranking all the kept rows of these queries is exact.
        mask = np.zeros(b, dtype=bool)
        mask[unsure] = True
        pick = mask[r]
        ru, cu = r[pick], c[pick]
        sq = _pair_sq(X, Q, ru, cu)
        order = np.lexsort((cu, np.sqrt(sq), ru))
        ru, cu, sq = ru[order], cu[order], sq[order]
        keep = np.arange(ru.size) - np.searchsorted(ru, ru) < needed
        C[unsure] = cu[keep].reshape(-1, needed)
        E[unsure] = sq[keep].reshape(-1, needed)
    return C, E


def _pair_sq(X, Q, r, c):
    """Exact squared distances of query ``r[i]`` to row ``c[i]``, from float64
    coordinate differences, in cache-sized blocks."""
    out = np.empty(r.size)
    step = max(1, (1 << 18) // max(1, X.shape[1]))
    for p in range(0, r.size, step):
        diff = X[c[p:p + step]] - Q[r[p:p + step]]
        out[p:p + step] = np.einsum("ij,ij->i", diff, diff)
    return out
