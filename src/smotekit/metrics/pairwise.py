"""Distances between samples: the value difference metric for categorical features."""

from __future__ import annotations

import sys
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ..over_sampling._nominal import _class_frequencies

__all__ = ["ValueDifferenceMetric"]


class ValueDifferenceMetric(BaseEstimator):
    r"""The value difference metric (VDM) between samples of categorical features.

    Two categories of a feature are close when the classes are distributed
    alike among the samples holding them. With :math:`P_f(c \mid v)` the share
    of class :math:`c` among the training samples whose feature :math:`f`
    equals :math:`v`, the distance between two values is the Minkowski
    distance of order ``k`` between their class distributions, and the
    distance between two samples sums these over the features, each raised to
    the power ``r``:

    .. math::
       \delta_f(u, v) = \Big(\sum_{c} |P_f(c \mid u) - P_f(c \mid v)|^{k}\Big)^{1/k},
       \qquad
       \Delta(x, y) = \sum_{f} \delta_f(x_f, y_f)^{r}.

    The metric was proposed by Stanfill and Waltz (1986); SMOTE-N
    (:class:`~smotekit.over_sampling.SMOTEN`) searches neighbours with it.

    Parameters
    ----------
    n_categories : 'auto' or array-like of shape (n_features,), default='auto'
        Number of categories of each feature. 'auto' takes the largest code
        seen in ``fit`` plus one; give the counts (e.g. from an
        :class:`~sklearn.preprocessing.OrdinalEncoder`'s ``categories_``) when
        some categories may be absent from the training data.
    k : int, default=1
        Order of the Minkowski distance between class distributions (at least 1).
    r : int, default=2
        Power applied to each feature's distance before summing (at least 1).

    Attributes
    ----------
    n_categories_ : ndarray of shape (n_features,)
        Number of categories of each feature.
    proba_per_class_ : list of ndarray of shape (n_categories, n_classes)
        Per feature, row ``v`` holds the class distribution among the training
        samples with category ``v`` (zeros for a category never seen).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.

    Notes
    -----
    ``X`` holds category codes ``0 .. n_categories - 1``, for instance the
    output of :class:`~sklearn.preprocessing.OrdinalEncoder`; other numeric
    types are converted to ``int32`` (floats are truncated). ``pairwise``
    computes one small table of distances between the categories of each
    feature and looks the pairs of samples up in it.

    References
    ----------
    .. [1] C. Stanfill and D. Waltz, "Toward memory-based reasoning",
       Communications of the ACM 29(12), 1213-1228, 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.metrics.pairwise import ValueDifferenceMetric
    >>> X = np.array([[0], [0], [0], [1], [1], [2]])
    >>> y = np.array([0, 0, 1, 0, 1, 1])
    >>> vdm = ValueDifferenceMetric(k=1, r=1).fit(X, y)
    >>> vdm.pairwise(np.array([[0], [1], [2]])).round(3)
    array([[0.   , 0.333, 1.333],
           [0.333, 0.   , 1.   ],
           [1.333, 1.   , 0.   ]])
    """

    _parameter_constraints: dict = {
        "n_categories": [StrOptions({"auto"}), "array-like"],
        # Order and power below 1 give no metric (k=0 divides by zero); imbalanced-learn
        # accepts any integer.
        "k": [Interval(Integral, 1, None, closed="left")],
        "r": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, n_categories="auto", k=1, r=2):
        self.n_categories = n_categories
        self.k = k
        self.r = r

    def fit(self, X, y):
        """Count the class distribution of every category of every feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Category codes (non-negative integers).
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
        """
        self._validate_params()
        check_consistent_length(X, y)
        names = _string_columns(X)
        X = _check_codes(X)
        self.n_features_in_ = X.shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        if isinstance(self.n_categories, str):
            self.n_categories_ = X.max(axis=0).astype(np.int64) + 1
        else:
            n_categories = np.asarray(self.n_categories)
            if n_categories.ndim != 1 or len(n_categories) != self.n_features_in_:
                raise ValueError(
                    "The length of n_categories is not consistent with the number of features "
                    f"in X. Got {np.size(n_categories)} elements in n_categories and "
                    f"{self.n_features_in_} in X; give one count per column."
                )
            too_small = np.flatnonzero(X.max(axis=0) >= n_categories)
            if too_small.size:
                f = int(too_small[0])
                raise ValueError(
                    f"Feature {f} holds the code {int(X[:, f].max())}, but n_categories[{f}] = "
                    f"{n_categories[f]}; codes must be below n_categories. Raise the count or "
                    "use n_categories='auto'."
                )
            self.n_categories_ = n_categories
        classes, y_codes = np.unique(column_or_1d(y), return_inverse=True)
        self.proba_per_class_ = _class_frequencies(
            X, y_codes.ravel(), len(classes), [int(n) for n in self.n_categories_]
        )
        return self

    def pairwise(self, X, Y=None):
        """VDM distance between every row of ``X`` and every row of ``Y``.

        Parameters
        ----------
        X : array-like of shape (n_samples_X, n_features)
            Category codes.
        Y : array-like of shape (n_samples_Y, n_features), default=None
            Category codes; ``None`` means ``X``.

        Returns
        -------
        distances : ndarray of shape (n_samples_X, n_samples_Y)
        """
        check_is_fitted(self, "proba_per_class_")
        X = self._check_query(X, "X")
        Y = X if Y is None else self._check_query(Y, "Y")
        distances = np.zeros((X.shape[0], Y.shape[0]), dtype=np.float64)
        for f, proba in enumerate(self.proba_per_class_):
            table = _category_distances(proba, self.k) ** self.r
            distances += table[X[:, f][:, None], Y[:, f][None, :]]
        return distances

    def _check_query(self, X, name):
        X = _check_codes(X, name)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{name} has {X.shape[1]} features, but ValueDifferenceMetric was fitted with "
                f"{self.n_features_in_}; pass the same columns as in fit."
            )
        unknown = np.flatnonzero(X.max(axis=0) >= self.n_categories_) if X.size else []
        if len(unknown):
            f = int(unknown[0])
            raise ValueError(
                f"{name} holds category code {int(X[:, f].max())} in feature {f}, which has "
                f"{self.n_categories_[f]} categories; set n_categories to the full counts "
                "when fitting."
            )
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags


def _category_distances(proba, k):
    """Minkowski distances of order ``k`` between the rows (categories) of ``proba``."""
    diff = np.abs(proba[:, None, :] - proba[None, :, :])
    if k == 1:
        return diff.sum(axis=-1)
    return (diff ** k).sum(axis=-1) ** (1.0 / k)


def _check_codes(X, name="X"):
    X = check_array(X, dtype=np.int32)
    if X.size and X.min() < 0:
        raise ValueError(
            f"Negative values in data passed to {name}: the value difference metric needs "
            "category codes 0 .. n_categories - 1 (e.g. from sklearn.preprocessing.OrdinalEncoder)."
        )
    return X


def _string_columns(X):
    pd, pl = sys.modules.get("pandas"), sys.modules.get("polars")
    is_frame = (pd is not None and isinstance(X, pd.DataFrame)) or (
        pl is not None and isinstance(X, pl.DataFrame))
    if is_frame and len(X.columns) and all(isinstance(c, str) for c in X.columns):
        return np.asarray(list(X.columns), dtype=object)
    return None
