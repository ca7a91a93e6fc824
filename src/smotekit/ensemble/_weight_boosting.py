"""RUSBoost: AdaBoost (SAMME) that under-samples at random before each round.

Subclass of scikit-learn's public :class:`~sklearn.ensemble.AdaBoostClassifier`,
which runs the boosting loop (weight normalisation, early stops) and
predicts. The internals relied on are the two hooks every AdaBoost variant
overrides: ``_validate_estimator`` (sets ``estimator_``) and ``_boost`` (one
round: here, under-sample, fit on the kept rows with their weights, then
reweight every row).
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import has_fit_parameter

from ..pipeline import make_pipeline
from ..under_sampling import RandomUnderSampler
from ..utils import check_target_type
from ._common import SAMPLING_STRATEGY, set_seeds

__all__ = ["RUSBoostClassifier"]


class RUSBoostClassifier(AdaBoostClassifier):
    """AdaBoost in which every round fits its learner on a random under-sample.

    Each boosting round draws a :class:`~smotekit.under_sampling.RandomUnderSampler`
    sample of the training set (keeping the rows' current boosting weights),
    fits a copy of ``estimator`` on it, and then reweights *all* training rows
    by that learner's errors, as discrete AdaBoost (SAMME) does.

    Parameters
    ----------
    estimator : estimator object, default=None
        The weak learner; it must accept ``sample_weight``. A depth-1 decision tree
        when None.
    n_estimators : int, default=50
        Maximum number of boosting rounds (fewer if the fit becomes perfect).
    learning_rate : float, default=1.0
        Shrinks each learner's weight.
    algorithm : {"SAMME", "SAMME.R"}, default="deprecated"
        Deprecated, as in imbalanced-learn: any value but the default warns.
        ``"SAMME.R"`` reweights rows with the learners' probabilities (real AdaBoost)
        and gives every learner the weight 1; predictions always vote as SAMME does.
    sampling_strategy : float, str, dict or callable, default="auto"
        The under-sampler's strategy; see
        :class:`~smotekit.under_sampling.RandomUnderSampler`.
    replacement : bool, default=False
        Whether the under-sampler draws with replacement.
    random_state : int, RandomState instance or None, default=None
        Seeds each round's learner and under-sampler (each its own seed).

    Attributes
    ----------
    estimator_ : estimator
        The unfitted learner template.
    base_sampler_ : RandomUnderSampler
        The unfitted sampler template.
    estimators_ : list of estimators
        The fitted learners.
    samplers_ : list of RandomUnderSampler
        The fitted under-sampler of each round.
    pipelines_ : list of Pipeline
        ``make_pipeline(sampler, learner)`` for each round (copies of the fitted pair).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    estimator_weights_ : ndarray of shape (n_estimators,)
    estimator_errors_ : ndarray of shape (n_estimators,)
        Weighted training error of each learner.
    feature_importances_ : ndarray of shape (n_features,)
        Weighted mean of the learners' importances (if they have them).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.

    See Also
    --------
    BalancedBaggingClassifier : Bagging whose members balance their bag.
    BalancedRandomForestClassifier : Random forest of trees grown on balanced samples.
    EasyEnsembleClassifier : Bag of AdaBoost learners trained on balanced samples.

    Notes
    -----
    Seiffert, Khoshgoftaar, Van Hulse and Napolitano, "RUSBoost: A hybrid approach to
    alleviating class imbalance", IEEE Trans. SMC-A 40(1), 2010.
    Same parameters, defaults and fitted attributes as imbalanced-learn 0.14's class;
    ``pipelines_`` hold fitted copies (imbalanced-learn keeps unfitted ones).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.ensemble import RUSBoostClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = RUSBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = {
        **copy.deepcopy(AdaBoostClassifier._parameter_constraints),
        "algorithm": [StrOptions({"SAMME", "SAMME.R", "deprecated"})],
        "sampling_strategy": SAMPLING_STRATEGY,
        "replacement": ["boolean"],
    }
    _parameter_constraints.pop("base_estimator", None)
    estimator_params: tuple = ()

    def __init__(
        self,
        estimator=None,
        *,
        n_estimators=50,
        learning_rate=1.0,
        algorithm="deprecated",
        sampling_strategy="auto",
        replacement=False,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.algorithm = algorithm
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Boost: each round under-samples ``(X, y)``, fits a learner, reweights the rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Initial row weights (uniform when None).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        self._validate_params()
        if self.algorithm != "deprecated":
            warnings.warn(
                "`algorithm` parameter is deprecated in 0.12 and will be removed in 0.14. "
                "In the future, the SAMME algorithm will always be used. Leave `algorithm` "
                "unset.", FutureWarning, stacklevel=2)
        check_classification_targets(check_target_type(y))
        self.samplers_, self.pipelines_ = [], []
        return super().fit(X, y, sample_weight)

    def _validate_estimator(self):
        # scikit-learn's hook: called once per fit, before the first round.
        self.estimator_ = (clone(self.estimator) if self.estimator is not None
                           else DecisionTreeClassifier(max_depth=1))
        if self.algorithm == "SAMME.R" and not hasattr(self.estimator_, "predict_proba"):
            raise TypeError(
                f"algorithm='SAMME.R' needs a learner with predict_proba; "
                f"{type(self.estimator_).__name__} has none. Leave `algorithm` unset (SAMME).")
        if not has_fit_parameter(self.estimator_, "sample_weight"):
            raise ValueError(
                f"{type(self.estimator_).__name__} doesn't support sample_weight; RUSBoost "
                "needs a learner whose fit takes sample_weight.")
        self.base_sampler_ = RandomUnderSampler(sampling_strategy=self.sampling_strategy,
                                                replacement=self.replacement)

    def _boost(self, iboost, X, y, sample_weight, random_state):
        # scikit-learn's hook for one round; returns (weights, learner weight, error),
        # or (None, None, None) to stop without keeping this round's learner.
        estimator = set_seeds(clone(self.estimator_), random_state)
        sampler = set_seeds(clone(self.base_sampler_), random_state)
        X_res, y_res = sampler.fit_resample(X, y)
        estimator.fit(X_res, y_res, sample_weight=sample_weight[sampler.sample_indices_])
        if iboost == 0:
            self.classes_ = estimator.classes_
            self.n_classes_ = len(self.classes_)

        if self.algorithm == "SAMME.R":
            proba = estimator.predict_proba(X)
            y_pred = self.classes_.take(np.argmax(proba, axis=1))
        else:
            y_pred = estimator.predict(X)
        incorrect = y_pred != y
        error = float(np.average(incorrect, weights=sample_weight))
        self.estimators_.append(estimator)
        self.samplers_.append(sampler)
        self.pipelines_.append(make_pipeline(copy.deepcopy(sampler), copy.deepcopy(estimator)))
        if error <= 0:
            return sample_weight, 1.0, 0.0

        k = self.n_classes_
        last = iboost == self.n_estimators - 1
        if self.algorithm == "SAMME.R":
            return self._real_reweight(proba, y, sample_weight, last), 1.0, error
        if error >= 1.0 - 1.0 / k:
            # No better than chance: drop this round and stop.
            for fitted in (self.estimators_, self.samplers_, self.pipelines_):
                fitted.pop()
            if not self.estimators_:
                raise ValueError(
                    "BaseClassifier in AdaBoostClassifier ensemble is worse than random, "
                    "ensemble can not be fit. Try a stronger estimator or another "
                    "sampling_strategy.")
            return None, None, None
        weight = self.learning_rate * (np.log((1.0 - error) / error) + np.log(k - 1.0))
        if not last:
            sample_weight = sample_weight * np.exp(weight * incorrect * (sample_weight > 0))
        return sample_weight, weight, error

    def _real_reweight(self, proba, y, sample_weight, last):
        """Real AdaBoost (SAMME.R) row update, from the learner's class probabilities."""
        if last:
            return sample_weight
        k = self.n_classes_
        # Target coding: 1 for the true class, -1/(k-1) for the others.
        coding = np.where(self.classes_ == y[:, None], 1.0, -1.0 / (k - 1))
        proba = np.clip(proba, np.finfo(proba.dtype).eps, None)
        exponent = -self.learning_rate * (k - 1.0) / k * (coding * np.log(proba)).sum(axis=1)
        return sample_weight * np.exp(exponent * ((sample_weight > 0) | (exponent < 0)))
