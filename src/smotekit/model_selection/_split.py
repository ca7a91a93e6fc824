"""Splitters that spread hard-to-classify samples evenly over the folds."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import BaseCrossValidator, cross_val_predict
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d

__all__ = ["InstanceHardnessCV"]


class InstanceHardnessCV(BaseCrossValidator):
    """K-fold cross-validation that spreads hard samples evenly over the folds.

    A sample's instance hardness is how badly a classifier predicts it: its
    predicted probability of the positive class, estimated out of fold with
    ``estimator`` and a stratified ``n_splits``-fold cross-validation. The
    samples are ordered by class, then by that probability, and dealt round
    robin to the folds, so every fold receives the same share of each class
    and of each level of hardness. Scores then vary less from fold to fold
    than with folds that happen to collect the hard samples.

    Parameters
    ----------
    estimator : estimator object
        Classifier with ``predict_proba`` used to estimate the hardness
        (cloned, never fitted in place).
    n_splits : int, default=5
        Number of folds, at least 2. Also the number of folds of the inner
        cross-validation that estimates the hardness.
    pos_label : int, float, bool or str, default=None
        The class whose predicted probability orders the samples. ``None``
        takes the second class in sorted order (``estimator.classes_[1]``).

    Notes
    -----
    Only binary targets are supported. The folds depend on ``estimator``'s
    own randomness (its ``random_state``), not on a seed of the splitter.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from smotekit.model_selection import InstanceHardnessCV
    >>> X, y = make_classification(weights=[0.9], flip_y=0.05, random_state=0)
    >>> cv = InstanceHardnessCV(LogisticRegression(), n_splits=3)
    >>> cross_val_score(LogisticRegression(), X, y, cv=cv).shape
    (3,)
    """

    def __init__(self, estimator, *, n_splits=5, pos_label=None):
        self.estimator = estimator
        self.n_splits = n_splits
        self.pos_label = pos_label

    def split(self, X, y, groups=None):
        """Yield the train and test indices of each fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Binary target.
        groups : object
            Ignored (with a warning when given).

        Yields
        ------
        train : ndarray
            Positions of the training samples of the fold.
        test : ndarray
            Positions of the test samples of the fold.
        """
        if groups is not None:
            warnings.warn(
                f"The groups parameter is ignored by {type(self).__name__}; its folds are "
                "decided by the instance hardness. Drop groups=.",
                UserWarning,
                stacklevel=2,
            )
        fold = self._fold_of_each_sample(X, y)
        for k in range(self.n_splits):
            yield np.flatnonzero(fold != k), np.flatnonzero(fold == k)

    def _fold_of_each_sample(self, X, y):
        n_splits = self.n_splits
        if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
            raise ValueError(f"n_splits must be an integer of at least 2, got {n_splits!r}.")
        if type_of_target(y) != "binary":
            raise ValueError(
                "InstanceHardnessCV only supports binary classification. y has "
                f"{np.unique(np.asarray(y)).size} classes; use StratifiedKFold for multiclass targets."
            )
        y_array = column_or_1d(np.asarray(y))
        classes = np.unique(y_array)
        if self.pos_label is None:
            column = 1
        else:
            matches = np.flatnonzero(classes == self.pos_label)
            if matches.size == 0:
                raise ValueError(
                    f"pos_label={self.pos_label!r} is not a class of y; the classes are "
                    f"{classes.tolist()}."
                )
            column = int(matches[0])
        proba = cross_val_predict(clone(self.estimator), X, y, cv=n_splits, method="predict_proba")
        n_samples = proba.shape[0]
        # By class first, then by hardness; the stable sort keeps input order among ties,
        # so the folds are reproducible.
        order = np.lexsort((proba[:, column], y_array))
        fold = np.empty(n_samples, dtype=np.intp)
        fold[order] = np.arange(n_samples) % n_splits
        return fold

    def get_n_splits(self, X=None, y=None, groups=None):
        """The number of folds.

        Parameters
        ----------
        X, y, groups : object
            Ignored.

        Returns
        -------
        n_splits : int
        """
        return self.n_splits
