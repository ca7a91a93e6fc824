"""Exact k nearest neighbours over data cut into parts, from each part's answer.

Each part answers every query row with its own exact ``k`` nearest rows
(:func:`part_knn`), numbered by global row id; :func:`merge_knn` merges the
answers by ``(distance, global row id)``. That is the order of the in-memory
search (:func:`smotekit.neighbors.kneighbors`, whose distances are recomputed
in float64 the same way whatever the backend), so the merged neighbours are
exactly those of an in-memory search over the whole data, ties included,
whatever the partitioning. A query row is never its own neighbour (matched by
global id); its duplicates are, as in memory.
"""

from __future__ import annotations

import numpy as np

from ._search import drop_self, kneighbors

__all__ = ["merge_knn", "part_knn"]


def part_knn(X, Q, qid, offset, k):
    """The ``k`` nearest rows of one part to each query row.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_features)
        The part's rows: global rows ``offset`` to ``offset + n_rows - 1``.
    Q : ndarray of shape (n_queries, n_features)
        The query rows.
    qid : ndarray of int of shape (n_queries,)
        Global id of each query row (a query row of this part is left out
        of its own neighbours).
    offset : int
        Global id of the part's first row.
    k : int
        Neighbours per query row.

    Returns
    -------
    dist : ndarray of shape (n_queries, k), float64
    gid : ndarray of shape (n_queries, k), int64
        Global ids, ordered by (distance, global id).
    local : ndarray of shape (n_queries, k), int64
        The same rows as positions in ``X``.

    Where the part holds fewer than ``k`` rows besides the query row, the
    answer is padded with distance ``inf`` and ids -1 (no such part: 0 columns).
    """
    n, m = X.shape[0], Q.shape[0]
    if n == 0 or m == 0:
        empty = np.empty((m, 0))
        return empty, empty.astype(np.int64), empty.astype(np.int64)
    # One spare candidate: the query row itself may be in this part.
    idx, dist = kneighbors(X, min(k + 1, n), query=Q, n_jobs=1, return_distance=True)
    local, dist = drop_self(idx, np.asarray(qid) - offset, k, dist)
    gid = np.where(local >= 0, local + offset, -1)
    return dist, gid, local


def merge_knn(k, *answers):
    """Merge per-part answers into the ``k`` first rows by (distance, global id).

    Parameters
    ----------
    k : int
        Neighbours kept per query row.
    *answers : tuple of (dist, gid, *payload)
        Per part, aligned arrays of shape (n_queries, n_candidates): distances,
        global ids and any arrays to carry along (class codes...).

    Returns
    -------
    dist, gid, *payload : ndarrays of shape (n_queries, at most k)
    """
    merged = [np.concatenate(parts, axis=1) for parts in zip(*answers)]
    order = np.lexsort((merged[1], merged[0]), axis=-1)[:, :k]
    return tuple(np.take_along_axis(a, order, axis=1) for a in merged)
