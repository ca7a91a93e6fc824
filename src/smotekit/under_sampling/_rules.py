"""The neighbourhood rules behind the cleaning samplers, as functions of arrays.

Everything here works on a numeric matrix ``X`` and integer class ``codes``
(code i = i-th sorted class) and returns boolean masks or row positions; the
sampler classes only wire parameters and fitted attributes around them.
"""

from __future__ import annotations


import numpy as np

from ..neighbors import kneighbors, kneighbors_from_estimator
from ._cells import CellIndex, exact_knn, maybe_cells

__all__ = ["edited_keep", "first_minority", "mode_codes", "neighbors_of",
           "tomek_members"]


def first_minority(codes, n_classes) -> int:
    """The minority class as imbalanced-learn picks it: the smallest count,
    ties going to the class that appears first in ``y``."""
    counts = np.bincount(codes, minlength=n_classes)
    tied = np.flatnonzero(counts == counts.min())
    if tied.size == 1:
        return int(tied[0])
    first = np.array([np.argmax(codes == c) for c in tied])
    return int(tied[np.argmin(first)])


def mode_codes(labels, n_classes):
    """Most frequent code per row; ties go to the smallest code (as scipy's mode)."""
    counts = np.zeros((labels.shape[0], n_classes), dtype=np.int32)
    rows = np.arange(labels.shape[0])
    for j in range(labels.shape[1]):
        np.add.at(counts, (rows, labels[:, j]), 1)
    return np.argmax(counts, axis=1)


def neighbors_of(X, k, rows, *, estimator=None, n_jobs=None, cells=None):
    """Exact ``k`` neighbours (self excluded) of the given rows among all rows of X,
    or those of a user's neighbours object (its ``n_neighbors`` counting the row itself)."""
    if estimator is not None:
        return kneighbors_from_estimator(estimator, X)[rows]
    return exact_knn(X, k, rows, cells=cells, n_jobs=n_jobs)


def tomek_members(X, codes, *, n_jobs=None, cells="auto"):
    """Boolean mask of the rows that belong to a Tomek link: two rows of different
    classes, each the other's nearest neighbour (ties by lower index).

    Every link has a member outside the largest class, so only those rows and
    their nearest neighbours are searched: exact, with ``n - n_largest`` (plus at
    most as many verification) queries instead of ``n``.
    """
    n = codes.size
    member = np.zeros(n, dtype=bool)
    if n < 2:
        return member
    largest = int(np.argmax(np.bincount(codes)))
    side = np.flatnonzero(codes != largest)
    if side.size == 0:
        return member
    if isinstance(cells, str):
        cells = maybe_cells(X) if side.size >= n // 8 else None
    nearest = np.full(n, -1, dtype=np.int64)
    if cells is None:
        nearest[side] = exact_knn(X, 1, side, n_jobs=n_jobs)[:, 0]
    else:
        nearest[side] = _nearest_or_same_class(X, codes, side, cells, n_jobs)
    cross = codes[nearest[side]] != codes[side]
    a, b = side[cross], nearest[side[cross]]
    unknown = np.unique(b[nearest[b] < 0])
    if unknown.size:
        nearest[unknown] = exact_knn(X, 1, unknown, cells=cells, n_jobs=n_jobs)[:, 0]
    link = nearest[b] == a
    member[a[link]] = True
    member[b[link]] = True
    return member


def _nearest_or_same_class(X, codes, rows, cells, n_jobs):
    """Per row: its exact nearest neighbour, or, where that is certainly of the
    row's own class, some row of its class (enough to rule out a Tomek link).

    The local search certifies most rows; of the rest, a row whose local nearest
    row is of its class at distance U, with every other-class row farther than
    U (a lower bound from cells over those rows), has a same-class nearest
    neighbour. Only the remaining rows are searched over all rows.
    """
    local, dist, sure = cells.knn(rows, 1)
    out = local[:, 0].copy()
    pending = np.flatnonzero(~sure)
    same = codes[out[pending]] == codes[rows[pending]]
    settled = np.zeros(pending.size, dtype=bool)
    for c in np.unique(codes[rows[pending[same]]]):
        sel = np.flatnonzero(same & (codes[rows[pending]] == c))
        far = _distance_lower_bound(X, np.flatnonzero(codes != c), rows[pending[sel]], n_jobs)
        settled[sel[far > dist[pending[sel], 0] * (1.0 + 1e-9)]] = True
    todo = pending[~settled]
    if todo.size:
        out[todo] = exact_knn(X, 1, rows[todo], n_jobs=n_jobs)[:, 0]
    return out


def _decide(codes, nn, own, kind_sel, n_classes):
    """Keep flags of rows of class ``own`` given their neighbour table."""
    labels = codes[nn]
    if kind_sel == "all":
        return (labels == own).all(axis=1)
    return mode_codes(labels, n_classes) == own


def edited_keep(X, codes, targeted, k, kind_sel, *, estimator=None, n_jobs=None):
    """Keep mask of the edited nearest-neighbour rule: a row of a targeted class is
    removed when its ``k`` nearest neighbours are not all of its class
    (``kind_sel='all'``) or their most frequent class is not its own ('mode').

    Either rule can only remove a row with a neighbour of another class among
    its k nearest. For a large class whose complement is smaller, rows are
    first screened: a row whose k-th neighbour found locally (an upper bound
    ``U`` on the true k-th distance) is nearer than every row of other
    classes (a lower bound ``L`` from cells over those rows) has only
    same-class neighbours and is kept without a full search. Only the rest
    are searched exactly over all rows.
    """
    n = codes.size
    n_classes = int(codes.max()) + 1
    keep = np.ones(n, dtype=bool)
    if estimator is not None:
        nn = kneighbors_from_estimator(estimator, X)
        for c in targeted:
            rows = np.flatnonzero(codes == c)
            keep[rows] = _decide(codes, nn[rows], c, kind_sel, n_classes)
        return keep
    cells = None
    for c in targeted:
        rows = np.flatnonzero(codes == c)
        others = np.flatnonzero(codes != c)
        if rows.size == 0 or others.size == 0:
            continue
        todo = np.ones(rows.size, dtype=bool)
        if rows.size >= _SCREEN_MIN_ROWS:
            cells = cells if cells is not None else maybe_cells(X)
        if cells is not None and rows.size >= _SCREEN_MIN_ROWS:
            # Screen: the own cell alone gives k rows, hence the bound U.
            local, dist, _ = cells.knn(rows, k, n_probe=1, certify=False)
            screen = np.flatnonzero((codes[local] == c).all(axis=1))
            if screen.size:
                far = _distance_lower_bound(X, others, rows[screen], n_jobs)
                cleared = far > dist[screen, -1] * (1.0 + 1e-9)
                todo[screen[cleared]] = False
                rest = screen[~cleared]
                if rest.size and others.size >= _SCREEN_MIN_ROWS:
                    # The cell bound is loose in many dimensions; the exact distance
                    # to the other classes is still cheaper than a search over all rows.
                    _, near = kneighbors(X[others], 1, query=X[rows[rest]], n_jobs=n_jobs,
                                         return_distance=True)
                    todo[rest[near[:, 0] * (1.0 - 1e-12) > dist[rest, -1] * (1.0 + 1e-9)]] = False
            if todo.sum() >= _SCREEN_MIN_ROWS:
                # Dense rows (SMOTE's segments) are usually certified locally.
                pending = np.flatnonzero(todo)
                local, _, sure = cells.knn(rows[pending], k)
                done = pending[sure]
                keep[rows[done]] = _decide(codes, local[sure], c, kind_sel, n_classes)
                todo[done] = False
        if todo.any():
            nn = exact_knn(X, k, rows[todo], n_jobs=n_jobs)
            keep[rows[todo]] = _decide(codes, nn, c, kind_sel, n_classes)
    return keep


_SCREEN_MIN_ROWS = 20_000


def _distance_lower_bound(X, others, query_rows, n_jobs):
    """Lower bound on the distance from each query row to the nearest of ``others``."""
    if others.size >= 20_000 and not hasattr(X, "tocsr"):
        return CellIndex(X[others]).lower_bound(X[query_rows])
    _, dist = kneighbors(X[others], 1, query=X[query_rows], n_jobs=n_jobs, return_distance=True)
    return dist[:, 0] * (1.0 - 1e-12)
