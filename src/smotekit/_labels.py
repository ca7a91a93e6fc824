"""Class labels for the scikit-learn classifiers some samplers fit inside.

smotekit takes any labels that can be ordered (strings, numbers, naive or
time-zone-aware timestamps, periods...); scikit-learn's classifiers take only
those its ``type_of_target`` recognises, and call the others "unknown".
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.multiclass import type_of_target

__all__ = ["estimator_targets"]


def estimator_targets(classes, codes: np.ndarray) -> np.ndarray:
    """Targets for fitting a classifier on rows of the given class codes.

    The labels themselves where scikit-learn takes them, so the fitted
    classifier predicts the user's labels, as in imbalanced-learn; else the
    class positions (0, 1, ... in sorted label order), so that a label type
    every other sampler accepts does not fail in the few that fit a
    classifier. The choice is made on the classes alone, so it is the same
    for every subset of the rows.

    Parameters
    ----------
    classes : sequence
        The labels, in class-code order.
    codes : ndarray of int
        The class code of every row to fit on.
    """
    labels = _label_array(classes)
    if type_of_target(labels) == "unknown":
        return np.asarray(codes)
    return labels[codes]


def _label_array(classes) -> np.ndarray:
    """The labels in a numpy array of their own type (object only when they need it)."""
    values = list(classes)
    try:
        out = np.asarray(values)
    except (TypeError, ValueError):
        out = None
    if out is None or out.ndim != 1:
        out = np.empty(len(values), dtype=object)
        out[:] = values
    return out
