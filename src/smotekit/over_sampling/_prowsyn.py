"""ProWSyn: Barua, Islam & Murase (2013), PAKDD, LNCS 7819, 317-328."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments, partners_in_groups
from .._random import stream
from ..neighbors import kneighbors
from ._adasyn import apportion
from .base import BaseOverSampler

__all__ = ["ProWSyn"]


def proximity_levels(X_class, X_other, n_neighbors: int, n_levels: int) -> np.ndarray:
    """The proximity level (1 to ``n_levels``) of each row of ``X_class``.

    Level ``i < n_levels`` holds the rows still unassigned that are among the
    ``n_neighbors`` nearest unassigned rows of some row of ``X_other``; the rows
    left after ``n_levels - 1`` such passes form level ``n_levels``.
    """
    level = np.full(X_class.shape[0], n_levels, dtype=np.int64)
    left = np.arange(X_class.shape[0])
    for i in range(1, n_levels):
        if left.size == 0:
            break
        nearest = kneighbors(X_class[left], min(n_neighbors, left.size), query=X_other)
        taken = np.unique(nearest)
        level[left[taken]] = i
        left = np.delete(left, taken)
    return level


@Substitution(**_FITTED_ATTRIBUTES)
class ProWSyn(BaseOverSampler):
    """Proximity Weighted Synthetic oversampling.

    The rows of the class are sorted into proximity levels by their distance
    to the other classes: level 1 holds every row that is among the
    ``n_neighbors`` nearest rows of the class to some row of another class;
    these rows are set aside and level 2 is found the same way among the rest,
    and so on for ``n_levels - 1`` passes; the rows left form the last level.
    Level ``l`` receives the share ``exp(-theta * (l - 1))`` (normalised over
    the non-empty levels) of the new rows, so the rows nearest the boundary
    receive the most. Each new row lies on the segment between two rows of
    the same level drawn at random, at a uniform random position.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    n_neighbors : int, default=5
        ``K`` of the paper: the nearest unassigned rows of the class taken for
        each row of the other classes to form a level.
    n_levels : int, default=5
        ``L`` of the paper: the number of proximity levels.
    theta : float, default=1.0
        ``theta`` of the paper: how fast the levels' shares decay with their
        distance to the boundary (0 gives every non-empty level the same share).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    proximity_level_ : dict
        Per over-sampled class label, the proximity level (1 to ``n_levels``)
        of each of its rows, aligned with ``sample_rows_``.
    n_generated_per_level_ : dict
        Per over-sampled class label, the number of new rows generated in each
        level (an array of ``n_levels`` counts summing to the planned addition).
    sample_rows_ : dict
        Per over-sampled class label, the input positions of its rows.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Levels. The paper makes ``L - 1`` passes and puts the remaining rows in
    level ``L``; so does this class. smote-variants 1.0.1 makes ``L`` passes
    and keeps the remaining rows as one more group, also weighted as level
    ``L``, so its last group gets an extra share; with the default
    ``n_neighbors`` the first passes usually take nearly every row, and the
    two agree closely.

    Counts. The paper gives level ``i`` exactly ``w_i * G`` new rows (``w_i``
    its normalised weight); they are apportioned here by the largest-remainder
    method (:func:`~smotekit.over_sampling._adasyn.apportion`) so that the class
    reaches its planned size exactly. smote-variants draws the level of each
    new row at random with the same probabilities. Where the paper sets the
    total ``G`` from a ratio ``beta``, ``sampling_strategy`` decides it here.

    Pairs. Within a level, the seed and its partner are two different rows
    drawn uniformly (as in smote-variants); a level of one row yields copies of
    it. The position on the segment is uniform in [0, 1], as in the paper;
    smote-variants' default simplex sampling normalises two uniform draws
    instead, which puts its rows nearer the middle of their segments, so its
    per-feature spread is slightly smaller.

    Region. Every new row lies on the segment between two rows of the class in
    the same proximity level (``provenance_`` gives both).

    Multiclass. Each class to over-sample is treated as the minority against
    the rows of every other class (one against the rest), from its own stream.

    Cost. Each pass is one exact search of the other classes' rows among the
    class's unassigned rows, ``n_neighbors`` each: no distance matrix is built,
    memory is linear in the number of rows.

    References
    ----------
    .. [1] Barua, S., Islam, M. M. & Murase, K. (2013). ProWSyn: proximity weighted synthetic
       oversampling technique for imbalanced data set learning. In Advances in Knowledge
       Discovery and Data Mining (PAKDD 2013), Lecture Notes in Computer Science, 7819, 317-328.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_levels": [Interval(Integral, 1, None, closed="left")],
        "theta": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, n_levels=5, theta=1.0):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_levels = n_levels
        self.theta = theta

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_levels", "theta")

    def _fit_resample(self, X, codes, plan, seed):
        L = int(self.n_levels)
        self.proximity_level_, self.n_generated_per_level_, self.sample_rows_ = {}, {}, {}
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            if rows.size < 2:
                raise ValueError(
                    f"ProWSyn: class {cls.label!r} has {rows.size} sample, but new samples lie between two "
                    "samples of the class; drop or merge this class, or over-sample it with RandomOverSampler."
                )
            Xc = X[rows]
            level = proximity_levels(Xc, X[codes != code], int(self.n_neighbors), L)
            sizes = np.bincount(level, minlength=L + 1)[1:]
            weights = np.where(sizes > 0, np.exp(-float(self.theta) * np.arange(L)), 0.0)
            rng = stream(seed, code)
            per_level = apportion(weights, cls.n_add, rng)
            # Rows grouped by level: members[starts[l - 1]:][:sizes[l - 1]] is level l.
            members = np.argsort(level, kind="stable")
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            size = np.repeat(sizes, per_level)
            first = np.repeat(starts, per_level)
            seeds = members[first + rng.integers(0, size)]
            partners = partners_in_groups(level - 1, seeds, rng)
            gaps = rng.random(seeds.size)
            self.proximity_level_[cls.label] = level
            self.n_generated_per_level_[cls.label] = per_level
            self.sample_rows_[cls.label] = rows
            pieces.append(Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
