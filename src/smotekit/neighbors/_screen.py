"""Exact k-NN of some query rows among many rows: a float32 screen under per-query bounds.

The search of one class against all the data (Borderline-SMOTE, ADASYN,
SVM-SMOTE), chosen by ``kneighbors(method='auto')``. It is
:mod:`smotekit.neighbors._blocked`'s method (bounds from a sample, a float32
screen that loses no row within them, certified exact ranking), with the
products cut for many rows: each task screens one block of queries against
``_TASK_COLUMNS`` rows, and the per-query bound is folded into the product
(``|q|^2 - reach`` in place of ``|q|^2``) so that a kept pair is a computed
value ``<= 0``, a compare with a scalar instead of a column of bounds (20%
faster per block). The answer is exact and ordered by (exact distance,
index), like every other backend.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ._blocked import (
    _EPS32,
    TooManyPairs,
    by_bucket,
    expansion_error_bound,
    kept_entries,
    prepare,
    rank_block,
    runner,
    thresholds,
)

__all__ = ["TooManyPairs", "expansion_error_bound", "screen_search"]

# Queries x rows of one float32 product: 512 x 256 (512 KB) stays in L2, the
# fastest shape at 20 features (benchmarks/tune_search.py, 'block' table).
_QUERY_BLOCK = 512
_ROW_BLOCK = 256
# Rows per task (a 512 x 65536 screen, ~40 ms): many tasks per thread, so a
# core slowed by another process does not hold the other back.
_TASK_COLUMNS = 1 << 16
# Query rows whose kept pairs are held at once (memory).
_WAVE_QUERIES = 1 << 12
# Sampled rows at least needed * n / _KEPT_PER_ROW (memory: a wave's kept
# pairs are held at once, ~20 bytes each).
_KEPT_PER_ROW = 1024
# Kept pairs allowed beyond a few hundred per query before the screen gives up
# (float32 cannot tell such rows apart; the caller searches otherwise).
_PAIR_BUDGET = 1 << 20


def screen_search(X, Q, needed, threads):
    """The first ``needed`` rows of ``X`` in (exact distance, index) order for
    each row of ``Q``, with their exact squared distances.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    Q : ndarray of shape (m, d)
    needed : int
        At most ``n``.
    threads : int
        Threads; the answer does not depend on it.

    Returns
    -------
    cand : ndarray of shape (m, needed), int64
    sq : ndarray of shape (m, needed), float64

    Raises
    ------
    TooManyPairs
        When float32 cannot tell the rows apart.
    """
    state = prepare(X, Q, needed, _PAIR_BUDGET, _KEPT_PER_ROW)
    m, n = state.Q.shape[0], state.X.shape[0]
    cand = np.empty((m, needed), dtype=np.int64)
    sq = np.empty((m, needed))
    with runner(threads) as run:
        for w0 in range(0, m, _WAVE_QUERIES):
            starts = range(w0, min(m, w0 + _WAVE_QUERIES), _QUERY_BLOCK)
            run(lambda s: thresholds(state, s, min(m, s + _QUERY_BLOCK)), starts)
            tasks = [(s, j) for s in starts for j in range(0, n, _TASK_COLUMNS)]
            found = run(lambda task: _screen_columns(state, *task), tasks)
            run(partial(_rank, state, cand, sq, by_bucket(starts, found)), starts)
    return cand, sq


def _rank(state, cand, sq, buckets, start):
    stop = min(state.Q.shape[0], start + _QUERY_BLOCK)
    cand[start:stop], sq[start:stop] = rank_block(state, state.Q[start:stop], start, buckets[start])


def _screen_columns(state, start, j0):
    """Kept (query, row, computed distance) triples of the query block at
    ``start`` against rows ``j0:j0 + _TASK_COLUMNS``."""
    stop = min(state.Q.shape[0], start + _QUERY_BLOCK)
    j1 = min(state.X.shape[0], j0 + _TASK_COLUMNS)
    XA, reach = state.XA, state.reach[start:stop]
    d = XA.shape[1] - 2
    # The reach folded in, rounded down: a row within reach stays <= 0.
    QA = state.QA[start:stop].copy()
    folded = QA[:, d].astype(np.float64) - reach
    QA[:, d] = (folded - np.abs(folded) * 2 * _EPS32).astype(np.float32)
    kept = kept_entries(state, QA, j0, j1, np.zeros(-(-(j1 - j0) // _ROW_BLOCK), dtype=np.float32), _ROW_BLOCK)
    if kept is None:
        return []
    rows, cols, values = kept
    # Back to computed distances (value + reach): the candidates' order.
    return [(start, rows.astype(np.int32), cols, values + reach[rows])]
