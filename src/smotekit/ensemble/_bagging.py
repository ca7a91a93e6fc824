"""Bagging whose members resample their bag before fitting: BalancedBaggingClassifier.

Built on scikit-learn's public :class:`~sklearn.ensemble.BaggingClassifier`,
which draws the bags, fits members in parallel, predicts, scores out of bag
and handles ``warm_start``. The member is a smotekit
:class:`~smotekit.pipeline.Pipeline` ``(sampler, classifier)``, so each bag is
resampled (only while fitting) before the classifier sees it. The one
scikit-learn internal used is the ``_validate_estimator`` hook, through which
every scikit-learn ensemble sets ``estimator_`` during ``fit`` (after ``y``
has been encoded, so ``classes_`` is known); we override it to build the
pipeline.
"""

from __future__ import annotations

import copy
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import BaggingClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import column_or_1d

from .._provenance import kept_class_counts
from ..pipeline import Pipeline
from ..under_sampling import RandomUnderSampler
from ..utils import check_target_type
from ._common import SAMPLING_STRATEGY, class_shares, encode_strategy

__all__ = ["BalancedBaggingClassifier"]

# Bagging's own constraints (imbalanced-learn 0.14's values), used when this
# scikit-learn's BaggingClassifier declares none for a parameter.
_BAGGING_CONSTRAINTS = {
    "estimator": [HasMethods(["fit", "predict"]), None],
    "n_estimators": [Interval(Integral, 1, None, closed="left")],
    "max_samples": [Interval(Integral, 1, None, closed="left"),
                    Interval(Real, 0, 1, closed="right")],
    "max_features": [Interval(Integral, 1, None, closed="left"),
                     Interval(Real, 0, 1, closed="right")],
    "bootstrap": ["boolean"],
    "bootstrap_features": ["boolean"],
    "oob_score": ["boolean"],
    "warm_start": ["boolean"],
    "n_jobs": [None, Integral],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}


def bagging_constraints(drop=()) -> dict:
    """scikit-learn's BaggingClassifier constraints without ``drop``, plus the balancing ones."""
    constraints = {**_BAGGING_CONSTRAINTS,
                   **copy.deepcopy(BaggingClassifier._parameter_constraints)}
    for name in (*drop, "base_estimator"):
        constraints.pop(name, None)
    constraints.update({"sampling_strategy": SAMPLING_STRATEGY, "replacement": ["boolean"]})
    return constraints


def _sampling_type(sampler):
    """The sampler's sampling type, from its tags where they carry one.

    imbalanced-learn's tags do not (its ``SamplerTags`` holds ``sample_indices``
    only): its samplers declare the type in the class attribute
    ``_sampling_type``, which its own bagging reads, so it is read here too.
    """
    try:
        tags = sampler.__sklearn_tags__()
    except (AttributeError, TypeError):  # a duck-typed sampler, not an estimator
        tags = None
    sampling_type = getattr(getattr(tags, "sampler_tags", None), "sampling_type", None)
    return sampling_type or getattr(sampler, "_sampling_type", None)


class _ResampledBagging(BaggingClassifier):
    """Bagging of ``Pipeline(sampler, classifier)`` members; subclasses choose both."""

    def _member_sampler(self):
        raise NotImplementedError

    def _default_estimator(self):
        raise NotImplementedError

    def _validate_estimator(self, default=None):
        # scikit-learn's hook, called by BaggingClassifier's fit once y is encoded. Its
        # ``default`` differs between scikit-learn versions; ours is the class's own.
        if self.estimator is not None:
            estimator = clone(self.estimator)
        else:
            estimator = self._default_estimator()
        self.estimator_ = Pipeline([("sampler", self._member_sampler()), ("classifier", estimator)])

    def _member_strategy(self):
        # Members see y encoded as positions in classes_, so dict keys must be positions.
        return encode_strategy(self.sampling_strategy, self.classes_)

    def fit(self, X, y):
        """Build the ensemble: each member resamples its bag, then fits its classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse input needs a sampler and a classifier that take it.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        # No sample_weight, as in imbalanced-learn: the samplers select rows, and weights
        # drawn into the bags would silently be ignored by most of them.
        check_target_type(y)  # multilabel targets: imbalanced-learn's error, before any work
        super().fit(X, y)
        self.member_class_shares_ = self._member_class_shares(y)
        return self

    def _member_class_shares(self, y):
        """Class shares in the rows each member's classifier was fitted on (after its sampler).

        Members are fitted on ``y`` encoded as positions in ``classes_`` (as
        BaggingClassifier encodes it), restricted to their bag.
        """
        _, codes = np.unique(column_or_1d(y), return_inverse=True)
        positions = np.arange(self.n_classes_)
        counts = [kept_class_counts(member.named_steps["sampler"], positions, codes[rows])
                  for member, rows in zip(self.estimators_, self.estimators_samples_)]
        return class_shares(np.array(counts, dtype=float).reshape(-1, self.n_classes_))


class BalancedBaggingClassifier(_ResampledBagging):
    """A bagging classifier whose members each balance their bag before fitting.

    Each member is a :class:`~smotekit.pipeline.Pipeline` of a sampler and a
    copy of ``estimator``. A member draws its bag from ``X`` (bootstrap or
    not, of ``max_samples`` rows and ``max_features`` features), resamples
    the bag with its sampler (by default a random under-sampler), then fits
    its classifier. Predictions never resample. This covers Exactly
    Balanced Bagging, Over-Bagging, SMOTE-Bagging or Roughly Balanced
    Bagging, depending on ``sampler``.

    Parameters
    ----------
    estimator : estimator object, default=None
        The classifier fitted by each member; a decision tree when None.
    n_estimators : int, default=10
        Number of members.
    max_samples : int or float, default=1.0
        Rows drawn into each bag: a count, or a fraction of ``X``'s rows.
    max_features : int or float, default=1.0
        Features drawn for each member: a count, or a fraction of ``X``'s columns.
    bootstrap : bool, default=True
        Draw the bag's rows with replacement. The bag is drawn first, then resampled.
    bootstrap_features : bool, default=False
        Draw the features with replacement.
    oob_score : bool, default=False
        Estimate the accuracy on the rows left out of each bag.
    warm_start : bool, default=False
        Keep the members of the previous ``fit`` and add new ones up to ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Given to each member's sampler (also to a ``sampler`` you pass, unless it ignores
        the strategy, as ``FunctionSampler`` does): the under-samplers' meaning, see
        :class:`~smotekit.under_sampling.RandomUnderSampler`. A dict names the labels of
        ``y``; a callable receives ``y`` encoded as positions in ``classes_``.
    replacement : bool, default=False
        Whether the default random under-sampler draws with replacement.
    n_jobs : int, default=None
        Members fitted in parallel (joblib); results do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the bags and every member's sampler and classifier (each its own seed).
    verbose : int, default=0
        Verbosity while fitting and predicting.
    sampler : sampler object, default=None
        The sampler of every member (cloned); a
        :class:`~smotekit.under_sampling.RandomUnderSampler` when None.

    Attributes
    ----------
    estimator_ : Pipeline
        The unfitted member template ``Pipeline([('sampler', ...), ('classifier', ...)])``.
    estimators_ : list of Pipeline
        The fitted members.
    sampler_ : sampler object
        The sampler template given to every member.
    estimators_samples_ : list of ndarray
        The rows of ``X`` drawn into each member's bag (before resampling).
    estimators_features_ : list of ndarray
        The features drawn for each member.
    member_class_shares_ : ndarray of shape (n_estimators, n_classes)
        Per member, the share of each class (columns in the order of ``classes_``)
        in the rows its classifier was fitted on, after its sampler; NaN in a row
        whose sampler neither fixes its counts nor tells which rows it returned.
        :class:`~smotekit.evaluation.PriorCorrectedClassifier` reads it.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    oob_score_ : float
        Out-of-bag accuracy (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities; NaN for rows that were in every bag.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.

    See Also
    --------
    BalancedRandomForestClassifier : Random forest of trees grown on balanced samples.
    EasyEnsembleClassifier : Bag of AdaBoost learners trained on balanced samples.
    RUSBoostClassifier : AdaBoost that under-samples before each boosting round.

    Notes
    -----
    Same parameters, defaults and fitted attributes as imbalanced-learn 0.14's class,
    plus ``member_class_shares_``.
    Each member's sampler and classifier get their own seeds, drawn from
    ``random_state`` before any member is fitted, so the result does not depend on
    ``n_jobs``. As in imbalanced-learn, ``sampling_strategy`` is applied to a
    ``sampler`` you pass (replacing the sampler's own) unless that sampler ignores it.
    Built on scikit-learn's BaggingClassifier; the one internal relied on is its
    ``_validate_estimator`` hook.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.ensemble import BalancedBaggingClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = BalancedBaggingClassifier(random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = bagging_constraints()
    _parameter_constraints["sampler"] = [HasMethods(["fit_resample"]), None]

    def __init__(
        self,
        estimator=None,
        n_estimators=10,
        *,
        max_samples=1.0,
        max_features=1.0,
        bootstrap=True,
        bootstrap_features=False,
        oob_score=False,
        warm_start=False,
        sampling_strategy="auto",
        replacement=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
        sampler=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.sampler = sampler

    # scikit-learn's BaseEnsemble reads this when it builds members.
    estimator_params: tuple = ()

    def _default_estimator(self):
        return DecisionTreeClassifier()

    def _member_sampler(self):
        if self.sampler is None:
            sampler = RandomUnderSampler(replacement=self.replacement)
        else:
            sampler = clone(self.sampler)
        # A sampler that ignores sampling_strategy (FunctionSampler: 'bypass') keeps its own.
        if (_sampling_type(sampler) != "bypass"
                and "sampling_strategy" in sampler.get_params(deep=False)):
            sampler.set_params(sampling_strategy=self._member_strategy())
        self.sampler_ = sampler
        return sampler
