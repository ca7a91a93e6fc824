"""The rules behind the cleaning samplers (neighbourhoods, tree votes), as functions of arrays.

Everything here works on a numeric matrix ``X`` and integer class ``codes``
(code i = i-th sorted class) and returns boolean masks or row positions; the
sampler classes only wire parameters and fitted attributes around them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import repeat

import numpy as np
from sklearn.tree import DecisionTreeClassifier

from .._huge import FLOAT32_SAFE, scale_columns
from .._random import stream
from ..neighbors import kneighbors_from_estimator
from ..neighbors._cells import BallCells, exact_knn, maybe_cells, nearest_distance_lower_bound
from ..neighbors._threads import n_threads

__all__ = ["edited_agree", "edited_keep", "first_minority", "mode_codes", "neighbors_of",
           "noise_votes", "partition_filter_keep", "tomek_linked", "tomek_members"]


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


# What a cleaning rule's neighbours object is fitted on, for its error messages.
ALL_ROWS = "the data (the rows of every class)"


def neighbors_of(X, k, rows, *, estimator=None, n_jobs=None, cells=None):
    """Exact ``k`` neighbours (self excluded) of the given rows among all rows of X,
    or those of a user's neighbours object (its ``n_neighbors`` counting the row itself)."""
    if estimator is not None:
        return kneighbors_from_estimator(estimator, X, where=ALL_ROWS)[rows]
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
        cells = maybe_cells(X, n_threads(n_jobs)) if side.size >= n // 8 else None
    nearest = np.full(n, -1, dtype=np.int64)
    if cells is None:
        nearest[side] = exact_knn(X, 1, side, n_jobs=n_jobs)[:, 0]
    else:
        nearest[side] = _nearest_or_same_class(X, codes, side, cells, n_jobs)
    cross = codes[nearest[side]] != codes[side]
    b = nearest[side[cross]]
    unknown = np.unique(b[nearest[b] < 0])
    if unknown.size:
        nearest[unknown] = exact_knn(X, 1, unknown, cells=cells, n_jobs=n_jobs)[:, 0]
    known = np.flatnonzero(nearest >= 0)
    member[known] = tomek_linked(known, nearest[known], codes[known])
    return member


def tomek_linked(rows, nearest, codes):
    """Which of ``rows`` belong to a Tomek link, given each one's nearest neighbour.

    A link is two rows of different classes, each the other's nearest
    neighbour; it is found when both its rows are among ``rows``. A row's
    ``nearest`` may also be any row of its own class (the row itself, say)
    where its true nearest neighbour is known to be of its class: no link is
    lost.

    Parameters
    ----------
    rows : ndarray of int
        Distinct row ids, in any order.
    nearest : ndarray of int
        The id of each row's nearest neighbour.
    codes : ndarray of int
        The class code of each row.

    Returns
    -------
    ndarray of bool
    """
    if rows.size == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(rows, kind="stable")
    partner = order[np.minimum(np.searchsorted(rows, nearest, sorter=order), rows.size - 1)]
    return (rows[partner] == nearest) & (nearest[partner] == rows) & (codes[partner] != codes)


def _nearest_or_same_class(X, codes, rows, cells, n_jobs):
    """Per row: its exact nearest neighbour, or the row itself where that
    neighbour is certainly of the row's own class (enough to rule out a Tomek
    link).

    The nearest row in the row's own cell is an upper bound U on its nearest
    neighbour distance; when no other-class row is within U, every row within
    U (the true nearest among them) is of its class. The other rows get the
    certified local search, then the search over all rows.
    """
    out = np.full(rows.size, -1, dtype=np.int64)
    upper = cells.kth_upper_bound(rows, 1, 1)
    if rows.size * len(cells.members) <= _CELL_BOUNDS_BUDGET:
        near = cells.any_other_within(rows, codes, upper)
        out[~near] = rows[~near]
    else:
        for c in np.unique(codes[rows]):
            sel = np.flatnonzero(codes[rows] == c)
            near = _OtherClassScreen(X, np.flatnonzero(codes != c)).near(rows[sel], upper[sel])
            out[sel[~near]] = rows[sel[~near]]
    todo = np.flatnonzero(out < 0)
    if todo.size:
        out[todo] = exact_knn(X, 1, rows[todo], cells=cells, n_jobs=n_jobs)[:, 0]
    return out


def edited_agree(labels, own, kind_sel, n_classes):
    """Keep flags of Wilson's rule: whether each row's neighbours agree with its class.

    Parameters
    ----------
    labels : ndarray of int, shape (n_rows, k)
        The class codes of each row's ``k`` nearest neighbours.
    own : int or ndarray of int
        The rows' class code (one for all, or one per row).
    kind_sel : {'all', 'mode'}
        Agreement when all the neighbours are of the row's class, or when
        their most frequent class is (ties to the smallest code).
    n_classes : int

    Returns
    -------
    ndarray of bool
    """
    own = np.asarray(own)
    if kind_sel == "all":
        return (labels == own[..., None]).all(axis=1)
    return mode_codes(labels, n_classes) == own


def edited_keep(X, codes, targeted, k, kind_sel, *, estimator=None, n_jobs=None, lines=None):
    """Keep mask of the edited nearest-neighbour rule: a row of a targeted class is
    removed when its ``k`` nearest neighbours are not all of its class
    (``kind_sel='all'``) or their most frequent class is not its own ('mode').

    Either rule can only remove a row with a neighbour of another class among
    its k nearest. For a large class, rows are screened. Diffuse rows: with
    ``r`` a lower bound on the distance to the nearest row of another class
    (all pairs, float32), a row with k rows certainly nearer than ``r`` (all
    of its class, then) is kept without a search over all rows; those k rows
    are looked for in the row's own k-means cell, then in up to 32 cells near
    it. Dense rows (SMOTE's): the k-th distance in nearby cells is checked
    against the other-class rows of the few cells within reach. Rows of a
    class whose other-class rows lie on few segments (``lines``, an
    :class:`~smotekit.neighbors._segments.OnSegments` over the rows of ``X``:
    SMOTE's output in SMOTEENN) are screened by their distance to those
    segments instead of by all pairs. Only the rows left are searched exactly
    (the certified cell search first when they are many and it pays).
    """
    n = codes.size
    n_classes = int(codes.max()) + 1
    keep = np.ones(n, dtype=bool)
    if estimator is not None:
        nn = kneighbors_from_estimator(estimator, X, where=ALL_ROWS)
        for c in targeted:
            rows = np.flatnonzero(codes == c)
            keep[rows] = edited_agree(codes[nn[rows]], c, kind_sel, n_classes)
        return keep
    cells = None
    for c in targeted:
        rows = np.flatnonzero(codes == c)
        others = np.flatnonzero(codes != c)
        if rows.size == 0 or others.size == 0:
            continue
        todo = np.ones(rows.size, dtype=bool)
        if rows.size >= _SCREEN_MIN_ROWS:
            cells = cells if cells is not None else maybe_cells(X, n_threads(n_jobs))
        if cells is not None and rows.size >= _SCREEN_MIN_ROWS:
            if _dense(cells, rows, codes, k):
                todo = _screen_in_cells(cells, rows, codes, k)
            elif lines is not None and lines.endpoint_count(others) * _FEW_ENDS <= others.size:
                todo = _screen_by_segments(X, cells, lines, rows, others, k, n_threads(n_jobs))
            elif rows.size * others.size <= _ALL_PAIRS_BUDGET:
                r = nearest_distance_lower_bound(X[others], X[rows], n_threads(n_jobs))
                todo = ~cells.has_k_within(rows, r, k)
            else:
                todo = _screen_by_balls(X, cells, rows, others, k)
        if todo.any():
            many = cells if todo.sum() >= _SCREEN_MIN_ROWS else None
            nn = exact_knn(X, k, rows[todo], cells=many, n_jobs=n_jobs)
            keep[rows[todo]] = edited_agree(codes[nn], c, kind_sel, n_classes)
    return keep


def _dense(cells, rows, codes, k):
    """Whether another class within each row's k-th distance in its own cell is
    found by scanning few cells (:meth:`CellIndex.any_other_within`), judged on
    a sample: so for dense rows (SMOTE's segments), not for diffuse ones."""
    if rows.size * len(cells.members) > _CELL_BOUNDS_BUDGET:
        return False
    sample = rows[:: max(1, rows.size // 2000)]
    return cells.scanned_fraction(sample, codes, cells.kth_upper_bound(sample, k, 1)) < _DENSE_FRACTION


def _screen_in_cells(cells, rows, codes, k):
    """Rows whose k-th neighbour may be of another class: the k-th distance U
    among the rows of the row's own cell (then of 32 cells) bounds the k-th
    neighbour distance from above, and a row with no other-class row within
    U has only neighbours of its class."""
    todo = cells.any_other_within(rows, codes, cells.kth_upper_bound(rows, k, 1))
    pending = np.flatnonzero(todo)
    if pending.size:
        upper = cells.kth_upper_bound(rows[pending], k, _TIGHT_PROBES)
        todo[pending[~cells.any_other_within(rows[pending], codes, upper)]] = False
    return todo


def _screen_by_segments(X, cells, lines, rows, others, k, threads):
    """Rows whose k-th neighbour may be of another class, when the other-class
    rows lie on few segments: with U the k-th distance in the row's own cell
    (an upper bound on its k-th neighbour distance), a row with no segment
    within U is kept; so is one with k rows nearer than its distance to the
    nearest segment (exact below U)."""
    reach = cells.kth_upper_bound(rows, k, 1) * (1.0 + 1e-9)
    # Asked a little beyond the reach, so a bound above the reach means no segment within it.
    lower = lines.lower_bound(X[rows], others, reach * (1.0 + 1e-6), threads)
    todo = ~(lower > reach)
    pending = np.flatnonzero(todo)
    if pending.size:
        todo[pending[cells.has_k_within(rows[pending], lower[pending], k)]] = False
    return todo


def _screen_by_balls(X, cells, rows, others, k):
    """Rows whose k-th neighbour may be of another class, for classes too large
    for the all-pairs bound: the k-th distance among the rows of the row's own
    cell (then of 32 cells) bounds the k-th neighbour distance U from above,
    and :class:`_OtherClassScreen` tells whether another class is within U."""
    screen = _OtherClassScreen(X, others)
    todo = screen.near(rows, cells.kth_upper_bound(rows, k, 1))
    pending = np.flatnonzero(todo)
    if pending.size:
        upper = cells.kth_upper_bound(rows[pending], k, _TIGHT_PROBES)
        todo[pending[~screen.near(rows[pending], upper)]] = False
    return todo


class _OtherClassScreen:
    """Is any row of ``others`` within distance ``U`` of these rows? (False only
    when certainly not.) Small cells with exact radii prune the search where the
    other class is concentrated (SMOTE's segments); elsewhere a float32
    all-pairs minimum with a rounding bound, computed once per row."""

    def __init__(self, X, others):
        self.X = X
        self.others = others
        self.balls = None
        self.lower = np.full(X.shape[0], np.nan)
        if others.size >= _BALL_MIN_ROWS:
            self.balls = BallCells(X[others])

    def near(self, rows, U):
        reach = U * (1.0 + 1e-9)
        if rows.size == 0:
            return np.zeros(0, dtype=bool)
        if self.balls is not None:
            sample = rows[:: max(1, rows.size // 2000)]
            if self.balls.pass_fraction(self.X[sample], reach[:: max(1, rows.size // 2000)]) < 0.25:
                return self.balls.any_within(self.X[rows], reach)
            self.balls = None
        new = rows[np.isnan(self.lower[rows])]
        if new.size:
            self.lower[new] = nearest_distance_lower_bound(self.X[self.others], self.X[new])
        lower = self.lower[rows]
        return lower <= reach


_SCREEN_MIN_ROWS = 20_000
# The segment screen pays when the other-class rows have at least this many
# times fewer distinct segment ends than rows (SMOTEENN at 1.5 % minority: ~50).
_FEW_ENDS = 4
# Row pairs above which the all-pairs lower bound gives way to the small-cell
# screen (3e10 pairs: about 10 s of float32 products on 2 cores).
_ALL_PAIRS_BUDGET = 3e10
# Fraction of (row, cell) pairs below which rows count as dense: measured
# ~0.6 % for SMOTE's rows, ~50 % for diffuse 20-feature rows.
_DENSE_FRACTION = 0.05
# Rows x cells above which the cell bounds of CellIndex.any_other_within give
# way to the small-cell screen (~1e8: ~0.5 s of bounds).
_CELL_BOUNDS_BUDGET = 2e8
# Cells searched for the tighter bound of the second screen.
_TIGHT_PROBES = 32
# Other-class rows from which small cells are tried before the all-pairs screen.
_BALL_MIN_ROWS = 20_000


# --------------------------------------------------------------------------- tree votes

#: Where the iterative-partitioning filter's streams start under the seed it is given:
#: clear of the class codes that an over-sampler's streams use under the same root.
_PARTITION_FILTER_KEY = 1 << 22
#: scikit-learn's stand-in for C4.5 (Weka's J48 with its default of at least two rows per
#: leaf): information gain, grown to leaves of two rows; C4.5's pessimistic pruning has no
#: counterpart. A tree that fits every row of its own part would never vote against one.
_C45_LIKE = {"criterion": "entropy", "min_samples_leaf": 2}


def partition_filter_keep(X, codes, seed, *, n_folds=5, voting="majority", n_iterations=3, p=0.01,
                          n_jobs=None):
    """Keep mask of the Iterative-Partitioning Filter (Khoshgoftaar & Rebours, 2007).

    Each round splits the rows still kept into ``n_folds`` parts (stratified
    by class), grows a decision tree on each part, and lets every tree
    classify every kept row. A row is noise, and removed, when its own
    part's tree misclassifies it and so do more than half of the trees
    (``voting='majority'``) or all of them (``'consensus'``). Rounds go on
    until ``n_iterations`` consecutive rounds each remove fewer than
    ``p * n`` rows, ``n`` being the number of rows given (the rows removed
    in those rounds go too). A round that is not quiet removes at least
    ``p * n`` rows, so there are at most ``(1 / p + 1) * n_iterations`` rounds.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n, n_features)
    codes : ndarray of int of shape (n,)
        The class code of each row.
    seed : numpy.random.SeedSequence
        Root of the draws: round ``i`` splits the rows with the stream
        ``(i, 0)`` and seeds part ``f``'s tree from the stream ``(i, 1 + f)``
        (under :data:`_PARTITION_FILTER_KEY`), so the result does not depend
        on ``n_jobs``.
    n_folds : int, default=5
        Parts per round (the paper's n); fewer when fewer rows are left.
    voting : {'majority', 'consensus'}, default='majority'
    n_iterations : int, default=3
        Consecutive quiet rounds that stop the filter (the paper's k).
    p : float, default=0.01
        A round is quiet when it removes fewer than ``p * n`` rows.
    n_jobs : int, default=None
        Threads growing the trees of a round.

    Returns
    -------
    keep : ndarray of bool of shape (n,)
    removed : ndarray of int
        Rows removed in each round, in order.
    """
    n = codes.size
    # The trees compute in float32: one copy for all rounds rather than one per tree.
    X = scale_columns(X, FLOAT32_SAFE).astype(np.float32)
    alive = np.arange(n)
    removed, quiet = [], 0
    with ThreadPoolExecutor(max_workers=max(1, n_threads(n_jobs))) as pool:
        while quiet < n_iterations and alive.size:
            i = len(removed)
            X_cur = X if alive.size == n else X[alive]
            y_cur = codes[alive]
            parts = min(n_folds, alive.size)
            fold = _stratified_parts(y_cur, parts, stream(seed, _PARTITION_FILTER_KEY, i, 0))
            states = [int(stream(seed, _PARTITION_FILTER_KEY, i, 1 + f).integers(2**31 - 1)) for f in range(parts)]
            mine = [fold == f for f in range(parts)]
            wrong = np.stack(list(pool.map(_tree_misclassifies, repeat(X_cur), repeat(y_cur), mine, states)))
            noisy = noise_votes(wrong, fold, voting)
            alive = alive[~noisy]
            removed.append(int(noisy.sum()))
            quiet = quiet + 1 if removed[-1] < p * n else 0
    keep = np.zeros(n, dtype=bool)
    keep[alive] = True
    return keep, np.asarray(removed, dtype=np.int64)


def noise_votes(wrong, part, voting):
    """Which rows the trees' votes mark as noise.

    Parameters
    ----------
    wrong : ndarray of bool of shape (n_trees, n)
        Whether tree ``t`` misclassifies row ``i``.
    part : ndarray of int of shape (n,)
        The tree grown on each row's part.
    voting : {'majority', 'consensus'}
        Noise when more than half of the trees err on the row, or all of them;
        either way its own part's tree must err on it too (Khoshgoftaar &
        Rebours' condition, kept by the SMOTE-IPF authors' implementation).

    Returns
    -------
    ndarray of bool of shape (n,)
    """
    noisy = wrong[part, np.arange(wrong.shape[1])]
    if voting == "consensus":
        return noisy & wrong.all(axis=0)
    return noisy & (wrong.sum(axis=0) * 2 > wrong.shape[0])


def _tree_misclassifies(X, y, mine, random_state):
    """Which rows of ``X`` a C4.5-like tree grown on the rows ``mine`` misclassifies."""
    tree = DecisionTreeClassifier(**_C45_LIKE, random_state=random_state).fit(X[mine], y[mine])
    return tree.predict(X) != y


def _stratified_parts(codes, n_parts, rng):
    """Part of each row: every class's rows in random order dealt out in turn, each class
    starting where the previous one stopped, so part sizes differ by at most one."""
    part = np.empty(codes.size, dtype=np.int64)
    start = 0
    for c in np.unique(codes):
        rows = np.flatnonzero(codes == c)
        part[rng.permutation(rows)] = (start + np.arange(rows.size)) % n_parts
        start += rows.size
    return part
