"""MGS-GRF's categorical step: donors drawn with distributional random forest weights.

Sakho, Scornet & Malherbe (2025) draw the categorical features of a new row,
given its continuous values, from a generalized (distributional) random forest
fitted on the minority class: the training row ``i`` receives the weight
``w_i(x) = (1 / T) * sum over trees t of 1{i in L_t(x)} / |L_t(x)|``, where
``L_t(x)`` is the set of training rows that fall in the leaf of tree ``t``
reached by ``x``, and one training row is drawn with these weights; its whole
category combination is copied.

The weights are never formed: ``w(x)`` is the mixture, over a tree drawn
uniformly, of the uniform law on the rows of that tree's leaf. So a donor is
drawn by picking a tree at random, then a row of its leaf at random: the same
law, in O(1) memory per new row instead of a (new rows x training rows) matrix.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from .._huge import FLOAT32_SAFE, column_scales

__all__ = ["draw_donors", "fit_forest"]


def fit_forest(values, codes, *, n_estimators, max_depth, min_samples_leaf, random_state):
    """A random forest predicting the category columns ``codes`` (one output per
    column) from the continuous ``values`` of one class's rows; returns the forest,
    the per-column scale applied to the values before the trees, and the rows' leaves."""
    scale = column_scales(values, FLOAT32_SAFE)  # exact: the trees only compare values
    forest = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth,
                                    min_samples_leaf=min_samples_leaf, random_state=random_state)
    target = codes[:, 0] if codes.shape[1] == 1 else codes
    Z = (values * scale).astype(np.float32)
    forest.fit(Z, target)
    return forest, scale, forest.apply(Z)


def draw_donors(forest, scale, train_leaves, new_values, rng: np.random.Generator) -> np.ndarray:
    """One training row per new row (positions among the forest's training rows),
    drawn with the forest weights of the new row's continuous ``new_values``."""
    n_new = new_values.shape[0]
    n_trees = len(forest.estimators_)
    trees = rng.integers(0, n_trees, size=n_new)
    u = rng.random(n_new)
    donors = np.empty(n_new, dtype=np.int64)
    Z = np.clip(new_values * scale, -np.finfo(np.float32).max, np.finfo(np.float32).max).astype(np.float32)
    for t in np.unique(trees):
        sel = np.flatnonzero(trees == t)
        order = np.argsort(train_leaves[:, t], kind="stable")
        sorted_leaves = train_leaves[order, t]
        leaf = forest.estimators_[t].apply(Z[sel])
        lo = np.searchsorted(sorted_leaves, leaf, side="left")
        hi = np.searchsorted(sorted_leaves, leaf, side="right")
        # Every leaf holds at least one in-bag training row (the trees are grown on them only).
        donors[sel] = order[lo + np.minimum((u[sel] * (hi - lo)).astype(np.int64), hi - lo - 1)]
    return donors
