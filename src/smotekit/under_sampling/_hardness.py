"""InstanceHardnessThreshold: Smith, Martinez & Giraud-Carrier (2014), "An instance
level analysis of data complexity", Machine Learning 95(2), 225-256."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils._param_validation import HasMethods

from .._constraints import N_JOBS, RANDOM_STATE, is_int
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Resampled
from .._huge import FLOAT32_SAFE, huge_values_error, scale_columns
from .._random import stream
from .base import BaseUnderSampler

__all__ = ["InstanceHardnessThreshold"]


@Substitution(**_FITTED_ATTRIBUTES)
class InstanceHardnessThreshold(BaseUnderSampler):
    """Under-sample by removing the samples a classifier finds hardest.

    A sample's instance hardness is one minus the probability a classifier,
    trained without it, gives to its true class. Probabilities come from
    cross-validation (``cv`` stratified folds); in each targeted class the
    samples whose probability falls below the class's quantile matching
    ``sampling_strategy`` are removed.

    Parameters
    ----------
    estimator : classifier or None, default=None
        Any classifier with ``predict_proba``; ``None`` means
        ``RandomForestClassifier(n_estimators=100)``. It is cloned; every
        ``random_state`` parameter in it is set from ``random_state``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to under-sample and to about what size (see Notes).
    random_state : int, RandomState, Generator or None, default=None
        Seeds the folds and the classifier.
    cv : int or cross-validation splitter, default=5
        Number of stratified, shuffled folds, or a splitter object (with a
        ``split`` method) or an iterable of (train, test) index pairs.
    n_jobs : int or None, default=None
        Parallel jobs of the default forest and of the cross-validation; the
        result does not depend on it.

    Attributes
    ----------
    estimator_ : classifier
        The configured (unfitted) classifier, as cross-validation fits clones of it.
    sample_indices_ : ndarray of int
        Input row behind each output row: per class in sorted class order,
        and within a class in input order.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    As in imbalanced-learn, a targeted class keeps the samples whose
    probability is at least the ``100 * (1 - n_target / n_class)``-th
    percentile (linear interpolation) of its probabilities, so samples tied
    at the threshold are all kept and a class may keep *more* than its
    target (classifiers such as forests give many equal probabilities).
    The paper filters by a hardness threshold without a target size; the
    quantile is imbalanced-learn's. Differences from imbalanced-learn 0.14:
    ``cv`` may also be a splitter or an iterable (imbalanced-learn accepts an
    int only); folds and classifier are seeded from ``random_state`` through
    smotekit's streams, so the kept samples match imbalanced-learn's in rule,
    not draw for draw; labels of any type work (probabilities are looked up
    by class position).

    References
    ----------
    .. [1] Smith, M. R., Martinez, T. & Giraud-Carrier, C. (2014). An instance level analysis of
       data complexity. Machine Learning, 95(2), 225-256.
    """

    #: Samples tied at the threshold are all kept: a class may exceed its target.
    _exact_counts = False

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "random_state": RANDOM_STATE,
        "cv": ["cv_object"],
        "n_jobs": N_JOBS,
    }

    def __init__(self, *, estimator=None, sampling_strategy="auto", random_state=None, cv=5,
                 n_jobs=None):
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        est = self.estimator
        if est is not None and not (is_classifier(est) and hasattr(est, "predict_proba")):
            raise TypeError(
                "estimator must be a classifier with predict_proba (e.g. "
                f"RandomForestClassifier(), LogisticRegression()) or None; got {est!r}."
            )
        # scikit-learn's 'cv_object' constraint also takes None, which has no meaning here.
        if self.cv is None:
            raise TypeError(
                "cv must be an int (number of folds), a splitter with split() or an iterable of "
                "(train, test) index pairs; got None. Pass cv=5 for the default."
            )

    def _configured_estimator(self, rng):
        if self.estimator is None:
            return RandomForestClassifier(n_estimators=100, n_jobs=self.n_jobs,
                                          random_state=int(rng.integers(2**31 - 1)))
        est = clone(self.estimator)
        # Every random_state inside the classifier (nested ones too) comes from ours.
        names = sorted(k for k in est.get_params(deep=True)
                       if k == "random_state" or k.endswith("__random_state"))
        est.set_params(**{k: int(rng.integers(2**31 - 1)) for k in names})
        return est

    def _fit_resample(self, X, codes, plan, seed):
        rng = stream(seed, 0)
        self.estimator_ = self._configured_estimator(rng)
        cv = self.cv
        if is_int(cv):
            smallest = min(c.n_before for c in plan.classes)
            if cv > smallest:
                raise ValueError(
                    f"cv={cv} stratified folds need at least {cv} samples per class, but the "
                    f"smallest class has {smallest}. Lower cv to at most {smallest}."
                )
            cv = StratifiedKFold(n_splits=int(cv), shuffle=True,
                                 random_state=int(rng.integers(2**31 - 1)))
        if self.estimator is None:
            # The forest casts X to float32; it splits each column by thresholds,
            # so columns scaled by powers of two give exactly the same forest.
            X_fit = scale_columns(X, FLOAT32_SAFE)
        else:
            X_fit = X
        try:
            proba = cross_val_predict(self.estimator_, X_fit, codes, cv=cv, n_jobs=self.n_jobs,
                                      method="predict_proba")
        except ValueError as err:
            named = huge_values_error(self.estimator, err, X, "The estimator")
            if named is None:
                raise
            raise named from err
        own = proba[np.arange(codes.size), codes]
        kept = []
        for code, cls in enumerate(plan.classes):
            rows = self._class_rows(codes, code)
            if cls.targeted:
                p = own[rows]
                threshold = np.percentile(p, (1.0 - (cls.n_target / cls.n_before)) * 100.0)
                rows = rows[p >= threshold]
            kept.append(rows)
        return Resampled(np.concatenate(kept))
