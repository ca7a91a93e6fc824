"""Prior correction of a resampled model's probabilities, and expected calibration error."""

from __future__ import annotations

import logging

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_is_fitted, column_or_1d

from .._constraints import is_int
from .._provenance import kept_class_counts, returned_labels
from ..base import SamplerMixin
from ..ensemble import RUSBoostClassifier

__all__ = ["PriorCorrectedClassifier", "expected_calibration_error"]

_log = logging.getLogger(__name__)


#: Largest relative spread between the members' normalised prior ratios that still
#: counts as one ratio: the members' shares are ratios of whole row counts, equal up to
#: floating-point rounding when the sampler fixes them.
MEMBER_RATIO_RTOL = 1e-9


def _fitted_samplers(estimator):
    """The smotekit samplers inside a fitted estimator, in the order they ran.

    Pipelines (anything with ``steps``) are walked step by step, nested ones
    included; any other estimator is a leaf: an ensemble's samplers resample
    inside each member, and :func:`_member_ratio` accounts for them.
    """
    if isinstance(estimator, SamplerMixin):
        return [estimator]
    steps = getattr(estimator, "steps", None)
    if not isinstance(steps, list):
        return []
    found = []
    for _, step in steps:
        if step is None or isinstance(step, str):  # 'passthrough' or a dropped step
            continue
        found.extend(_fitted_samplers(step))
    return found


def final_estimator(estimator):
    """The estimator that makes the predictions: the last step of (nested) pipelines."""
    steps = getattr(estimator, "steps", None)
    if not isinstance(steps, list):
        return estimator
    for _, step in reversed(steps):
        if step is not None and not isinstance(step, str):
            return final_estimator(step)
    return estimator


def _member_ratio(ensemble, n_in):
    """The prior ratio of an ensemble that averages its members' probabilities.

    Parameters
    ----------
    ensemble : estimator object
        The fitted final estimator.
    n_in : ndarray of float, shape (n_classes,)
        Rows per class (in the order of ``ensemble.classes_``) in the data the ensemble was fitted on.

    Returns
    -------
    ratio, shares : ndarray of shape (n_classes,), or None, None
        Per class, the members' common training share over its share in that
        data, and the members' mean shares; None, None when ``ensemble`` does
        not average members fitted at declared class shares.
    """
    name = type(ensemble).__name__
    if isinstance(ensemble, RUSBoostClassifier):
        raise ValueError(
            "PriorCorrectedClassifier cannot correct RUSBoostClassifier: it is boosting, so its "
            "probabilities are a weighted vote of learners each fitted on rows reweighted by the "
            "previous rounds' errors, not an average of models fitted at one known class prior. "
            "Use BalancedBaggingClassifier or EasyEnsembleClassifier (averages of balanced members, "
            "which it corrects), or calibrate RUSBoostClassifier with CalibratedClassifierCV."
        )
    shares = getattr(ensemble, "member_class_shares_", None)
    if shares is None:
        return None, None
    shares = np.asarray(shares, dtype=float)
    unknown = np.flatnonzero(np.isnan(shares).any(axis=1))
    if unknown.size:
        raise ValueError(
            f"The class shares that {unknown.size} of the {len(shares)} members of {name} were "
            "fitted on are unknown: their sampler neither fixes its counts ('sampling_plan_') nor "
            "tells which rows it returned ('provenance_' or 'sample_indices_'). Give the ensemble "
            "one of smotekit's samplers, or fit it without PriorCorrectedClassifier."
        )
    ratios = shares / (n_in / n_in.sum())
    classes = np.asarray(ensemble.classes_)
    absent = np.flatnonzero((ratios <= 0).any(axis=0))
    if absent.size:
        raise ValueError(
            f"Some members of {name} were fitted without a row of the classes "
            f"{classes[absent].tolist()}, so their averaged probability of those classes cannot be "
            "corrected: a bootstrap bag drew none of them, or the sampler removed them. Use "
            "bootstrap=False, or a sampling_strategy that keeps every class."
        )
    normalised = ratios / ratios.sum(axis=1, keepdims=True)
    spread = float(np.max(normalised.max(axis=0) / normalised.min(axis=0)) - 1.0)
    if spread > MEMBER_RATIO_RTOL:
        low, high = np.argmin(normalised, axis=0), np.argmax(normalised, axis=0)
        worst = int(np.argmax(normalised.max(axis=0) / normalised.min(axis=0)))
        raise ValueError(
            f"The members of {name} were fitted on different class shares (their prior ratios "
            f"differ by {spread:.3g} relative, above the tolerance {MEMBER_RATIO_RTOL:g}; class "
            f"{classes[worst].tolist()!r}: share {shares[low[worst], worst]:.6g} in member {low[worst]}, "
            f"{shares[high[worst], worst]:.6g} in member {high[worst]}), so their average has no single "
            "prior to correct to. Members resample differently when the sampler's counts depend on "
            "the data (cleaning samplers, hybrids), when a float sampling_strategy rounds each bag's "
            "counts differently, when bootstrap bags are not balanced after drawing, or when row "
            "weights differ. Use a sampler whose counts the strategy fixes ('auto', 'all' or a dict "
            "of counts with RandomUnderSampler or RandomOverSampler), or bootstrap=False."
        )
    return ratios.mean(axis=0), shares.mean(axis=0)


def _class_change(sampler, classes, y_in):
    """Rows per class before and after one fitted sampler, and the labels it returned.

    Parameters
    ----------
    sampler : SamplerMixin
        A fitted smotekit sampler.
    classes : ndarray
        The labels to count, in order.
    y_in : ndarray or None
        The labels the sampler saw, when they could be followed this far.

    Returns
    -------
    n_in, n_out : ndarray of float, shape (n_classes,)
    y_out : ndarray or None
    """
    name = type(sampler).__name__
    plan = getattr(sampler, "sampling_plan_", None)
    if plan is None:
        raise ValueError(
            f"The fitted sampler {name} has no 'sampling_plan_', so the change of class priors it "
            "made is unknown (FunctionSampler and imbalanced-learn-style samplers resolve no plan). "
            "Use one of smotekit's samplers, or fit the model without PriorCorrectedClassifier."
        )
    steps = [next((c for c in plan if c.label == label), None) for label in classes]
    n_in = np.array([0 if c is None else c.n_before for c in steps], dtype=float)
    y_out = returned_labels(sampler, y_in)
    n_out = kept_class_counts(sampler, classes, y_in)
    if np.isnan(n_out).any():
        raise ValueError(
            f"The rows the fitted sampler {name} kept per class cannot be counted: its counts "
            "depend on the data, and the labels it saw could not be followed through the pipeline "
            "(the sampler exposes neither 'provenance_' nor 'sample_indices_'). Use a smotekit "
            "sampler, or put this sampler first in the pipeline."
        )
    return n_in, n_out, y_out


class PriorCorrectedClassifier(ClassifierMixin, BaseEstimator):
    """Correct a resampled model's probabilities for the class priors resampling changed.

    Fits ``estimator`` (typically a :class:`smotekit.pipeline.Pipeline` with
    one or more samplers before the classifier), reads from every fitted
    smotekit sampler in it how much each class's share of the training rows
    changed, and divides the model's probabilities by that factor
    (Elkan, 2001; Saerens et al., 2002):

    .. math:: p'_c = \\frac{p_c / r_c}{\\sum_k p_k / r_k},

    where :math:`r_c` is the product over the samplers of (rows of class
    :math:`c` in the sampler's output / rows in its input). For binary random
    under-sampling keeping a fraction :math:`\\beta` of the majority class this
    is Dal Pozzolo et al.'s (2015) :math:`p' = \\beta p / (\\beta p - p + 1)`.

    The correction is exact when resampling changes only the priors and not
    the class-conditional distributions: random under-sampling and random
    over-sampling (without ``shrinkage``). It is an approximation for the
    SMOTE family (synthetic rows change the distribution within the class)
    and for cleaning samplers and hybrids (which remove rows chosen by their
    position, e.g. near the class boundary). "Exact" is about the bias
    resampling adds, not about the variance: a model fitted on the fewer rows
    under-sampling leaves is noisier, which no prior correction undoes;
    averaging balanced members before correcting (below) reduces it.

    **Balanced ensembles.** The estimator (or a pipeline's last step) may be
    one of smotekit's ensembles that average their members' probabilities:
    :class:`~smotekit.ensemble.BalancedBaggingClassifier`,
    :class:`~smotekit.ensemble.EasyEnsembleClassifier` and
    :class:`~smotekit.ensemble.BalancedRandomForestClassifier`. Each declares
    ``member_class_shares_``, the class shares each member was fitted on
    after its sampler; a member's ratio is those shares over the class shares
    of the data given to the ensemble. When every member's ratio is the same
    up to a constant factor (the ratios, each normalised to sum 1, differ by
    at most 1e-9 relative), the averaged probabilities are corrected with it:
    the members all estimate the same prior-shifted probabilities, so this is
    exact, or approximate, under the same conditions as for one model. Their
    ratios agree when the sampler fixes the counts, as the ensembles' default
    balancing does (bags drawn first, then balanced; a forest's bootstrap
    after its under-sampler counts at its expectation). Otherwise (a cleaning or SMOTE-family sampler
    whose counts depend on each bag, a float ``sampling_strategy`` that rounds
    each bag's counts differently, differing row weights) the members were
    fitted at different priors, their average has no single one to correct
    to, and :meth:`fit` raises a ValueError. Samplers in a pipeline before the
    ensemble multiply into the ratio as usual.
    :class:`~smotekit.ensemble.RUSBoostClassifier` is refused: boosting's
    output is a weighted vote, not an average of prior-shifted probabilities.
    Any other estimator is a leaf: samplers inside it are not looked for.

    Resampling must happen inside the training data only: resampling before
    splitting off the test rows leaks copies or neighbours of test rows into
    training and makes every score, corrected or not, optimistic.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``predict_proba``, usually a smotekit ``Pipeline``
        ending in one; it is cloned before fitting.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``.
    classes_ : ndarray of shape (n_classes,)
        The class labels, as ``estimator_.classes_``.
    prior_ratio_ : ndarray of shape (n_classes,)
        Per class (aligned with ``classes_``), the factor by which resampling
        changed its rows in the data the classifier was fitted on; all ones
        when there is no sampler. With a balanced ensemble, the samplers'
        factors times the members' common ratio (their class shares over
        the shares of the ensemble's input); only ratios between classes
        matter, as the correction renormalises.
    true_prior_ : ndarray of shape (n_classes,)
        Class shares in the ``y`` given to :meth:`fit`.
    training_prior_ : ndarray of shape (n_classes,)
        Class shares in the data the classifier saw after resampling; with a
        balanced ensemble, the members' mean training shares.
    samplers_ : list of sampler objects
        The fitted samplers found in the pipeline, in the order they ran. An
        ensemble's member samplers are not listed (they are the ensemble's:
        ``estimators_`` or ``samplers_``); ``member_class_shares_`` is read instead.
    n_features_in_ : int
        Number of features seen by ``estimator_`` during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen during fit; only when ``X`` had string
        column names (as ``estimator_.feature_names_in_``).

    See Also
    --------
    expected_calibration_error : How far predicted probabilities are from observed frequencies.

    References
    ----------
    .. [1] C. Elkan, "The foundations of cost-sensitive learning", IJCAI 2001.
    .. [2] M. Saerens, P. Latinne and C. Decaestecker, "Adjusting the outputs of a classifier
       to new a priori probabilities: a simple procedure", Neural Computation 14(1), 2002.
    .. [3] A. Dal Pozzolo, O. Caelen, R. A. Johnson and G. Bontempi, "Calibrating probability
       with undersampling for unbalanced classification", IEEE SSCI 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from smotekit.evaluation import PriorCorrectedClassifier
    >>> from smotekit.pipeline import make_pipeline
    >>> from smotekit.under_sampling import RandomUnderSampler
    >>> X, y = make_classification(n_samples=2000, weights=[0.9, 0.1], random_state=0)
    >>> model = PriorCorrectedClassifier(
    ...     make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression()))
    >>> model.fit(X, y).prior_ratio_.round(3)
    array([0.117, 1.   ])

    An average of balanced under-sampled members, corrected (its members are
    balanced, so each class's ratio is 0.5 over its share in ``y``):

    >>> from smotekit.ensemble import BalancedBaggingClassifier
    >>> bagged = PriorCorrectedClassifier(BalancedBaggingClassifier(LogisticRegression(), random_state=0))
    >>> bagged.fit(X, y).training_prior_
    array([0.5, 0.5])
    """

    # predict_proba is checked in fit, with an error that says how to get it.
    _parameter_constraints: dict = {"estimator": [HasMethods(["fit"])]}

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, **fit_params):
        """Fit the estimator and read the change of class priors from its samplers.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        **fit_params : dict
            Passed to ``estimator.fit``.

        Returns
        -------
        self : object
        """
        self._validate_params()
        if not hasattr(self.estimator, "predict_proba"):
            raise TypeError(
                f"PriorCorrectedClassifier needs an estimator with predict_proba; "
                f"{type(self.estimator).__name__} has none. Use a probabilistic classifier as the "
                "last step (e.g. LogisticRegression, or SVC(probability=True)), or wrap it in "
                "CalibratedClassifierCV."
            )
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        self.classes_ = self.estimator_.classes_
        # The fitted estimator validated X: its feature attributes are this model's too.
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, name):
                setattr(self, name, getattr(self.estimator_, name))
        y_seen = column_or_1d(np.asarray(y), warn=True)
        self.samplers_ = _fitted_samplers(self.estimator_)
        n_true = np.array([np.sum(y_seen == c) for c in self.classes_], dtype=float)
        ratio = np.ones(len(self.classes_))
        n_train = n_true
        for sampler in self.samplers_:
            n_in, n_out, y_seen = _class_change(sampler, self.classes_, y_seen)
            ratio *= np.divide(n_out, n_in, out=np.ones_like(n_out), where=n_in > 0)
            n_train = n_out
        training_prior = n_train / n_train.sum()
        member_ratio, member_shares = _member_ratio(final_estimator(self.estimator_), n_train)
        if member_ratio is not None:
            ratio *= member_ratio
            training_prior = member_shares
        self.prior_ratio_ = ratio
        self.true_prior_ = n_true / n_true.sum()
        self.training_prior_ = training_prior
        _log.debug("prior ratio per class %s: %s", list(self.classes_), ratio)
        return self

    def predict_proba(self, X):
        """Class probabilities, corrected back to the class priors of the training ``y``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self, "prior_ratio_")
        proba = np.asarray(self.estimator_.predict_proba(X), dtype=float)
        if np.all(self.prior_ratio_ == 1.0):
            return proba
        weighted = proba / self.prior_ratio_
        total = weighted.sum(axis=1, keepdims=True)
        return np.divide(weighted, total, out=np.full_like(weighted, 1 / weighted.shape[1]), where=total > 0)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The class of highest corrected probability.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "prior_ratio_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The input this model takes is the input its estimator takes.
        inner = get_tags(self.estimator).input_tags
        tags.input_tags.sparse = inner.sparse
        tags.input_tags.allow_nan = inner.allow_nan
        return tags


def expected_calibration_error(y_true, y_prob, n_bins=15):
    """Expected calibration error over equal-width probability bins.

    The rows are grouped by predicted probability into ``n_bins`` bins of
    equal width on [0, 1] (a probability of exactly 1 falls in the last one);
    the error is the mean, weighted by the rows in each bin, of
    ``|observed frequency - mean predicted probability|``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        With a 1-D ``y_prob``: 0/1 (or bool) outcomes of the positive class.
        With a 2-D ``y_prob``: the column index (0..n_classes-1) of each row's class.
    y_prob : array-like of shape (n_samples,) or (n_samples, n_classes)
        1-D: the probability of the positive class. 2-D: class probabilities;
        the top-label (confidence) error is computed, from each row's largest
        probability and whether that class is the true one.
    n_bins : int, default=15
        Number of equal-width bins.

    Returns
    -------
    float
    """
    if not is_int(n_bins) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive int, got {n_bins!r}.")
    y_true = np.asarray(y_true)
    y_prob = np.asarray(y_prob, dtype=float)
    if y_prob.ndim == 2:
        outcome = (np.argmax(y_prob, axis=1) == y_true).astype(float)
        prob = y_prob.max(axis=1)
    elif y_prob.ndim == 1:
        if not np.isin(y_true, [0, 1]).all():
            raise ValueError(
                "y_true must hold 0/1 outcomes of the positive class with a 1-D y_prob; "
                f"got the values {np.unique(y_true)[:5]}. Pass (y == positive_label)."
            )
        outcome, prob = y_true.astype(float), y_prob
    else:
        raise ValueError(f"y_prob must be 1-D or 2-D, got {y_prob.ndim} dimensions.")
    if len(outcome) != len(prob) or len(prob) == 0:
        raise ValueError(f"y_true and y_prob need the same, non-zero length; got {len(outcome)} and {len(prob)}.")
    if np.any((prob < 0) | (prob > 1)) or np.isnan(prob).any():
        raise ValueError("y_prob must hold probabilities in [0, 1].")
    bins = np.minimum((prob * n_bins).astype(np.int64), n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    gap = np.abs(np.bincount(bins, outcome, n_bins) - np.bincount(bins, prob, n_bins))
    return float(gap.sum() / count.sum())
