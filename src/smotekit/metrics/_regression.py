"""Relevance-aware metrics for imbalanced regression: they weigh the errors on the rare target values.

A regression target is imbalanced when its most important values (the
extremes, usually) are rare. Mean errors are then dominated by the common
values, so a model can improve them while getting worse where it matters.
These metrics read a relevance function ``phi`` (0 = ordinary, 1 = most
important; see :class:`smotekit.regression.Relevance`) and measure the errors
on the relevant cases:

- :func:`sera`, the Squared Error-Relevance Area of Ribeiro & Moniz (2020);
- :func:`rare_precision_recall_f1` and :func:`rare_f1_score`, the
  classification of "rare event" (``phi >= threshold``) read from a
  regressor's predictions;
- :func:`rare_rmse`, the root mean squared error on the rare true cases.

Which relevance function is used (the ``relevance`` parameter), in every metric:

- ``None`` (default): ``Relevance()`` fitted on ``y_true``, the box-plot
  extremes of the values being scored;
- a fitted ``Relevance``: used as is (the way to score every cross-validation
  fold with one function);
- an unfitted ``Relevance``: a clone of it fitted on ``y_true`` (the caller's
  object is left unfitted);
- any other callable: ``relevance(values)`` returns the relevance of each
  value, in [0, 1];
- an array of ``len(y_true)`` values in [0, 1]: the relevance of ``y_true``,
  precomputed (not for the rare-event scores, which need the relevance of the
  predictions too).
"""

from __future__ import annotations

import logging
import numbers
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError, UndefinedMetricWarning
from sklearn.utils._param_validation import HasMethods, Interval, validate_params
from sklearn.utils.validation import check_is_fitted

__all__ = [
    "rare_f1_score",
    "rare_precision_recall_f1",
    "rare_rmse",
    "sera",
]

_log = logging.getLogger(__name__)

# Checked by scikit-learn's validate_params: a bad value raises InvalidParameterError (a ValueError and a
# TypeError) naming the parameter and the value. A relevance estimator is anything with fit and phi.
_TARGET_PARAMS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "relevance": [None, HasMethods(["fit", "phi"]), callable, "array-like"],
    "sample_weight": ["array-like", None],
}
_THRESHOLD = {"threshold": [Interval(numbers.Real, 0, 1, closed="both")]}

# Relevance values a hair outside [0, 1] (rounding in an interpolation) are clipped; farther is an error.
_PHI_TOLERANCE = 1e-9


def _column(values, name):
    """``values`` as a 1-D float64 array (possibly the caller's: only read); a column (n, 1) is raveled."""
    try:
        out = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold numbers, got {type(values).__name__} that does not convert to "
                        f"float ({exc}); pass a numeric 1-D array.") from None
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one target value per row), got shape {out.shape}; these metrics "
                         "score a single-output regression.")
    return out


def _targets(y_true, y_pred, sample_weight):
    """y_true, y_pred and weights as equal-length, non-empty, finite float64 arrays (never the caller's to write)."""
    y_true = _column(y_true, "y_true")
    y_pred = _column(y_pred, "y_pred")
    if y_true.shape[0] == 0:
        raise ValueError("y_true is empty; these metrics need at least one row.")
    if y_pred.shape[0] != y_true.shape[0]:
        raise ValueError(f"y_true has {y_true.shape[0]} values but y_pred has {y_pred.shape[0]}; give one "
                         "prediction per row.")
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        bad = ~np.isfinite(values)
        if bad.any():
            raise ValueError(f"{name} holds {int(bad.sum())} NaN or infinite value(s) (first at position "
                             f"{int(np.flatnonzero(bad)[0])}); drop or impute those rows before scoring.")
    if sample_weight is not None:
        sample_weight = _column(sample_weight, "sample_weight")
        if sample_weight.shape[0] != y_true.shape[0]:
            raise ValueError(f"sample_weight has {sample_weight.shape[0]} values for {y_true.shape[0]} rows; "
                             "give one per row.")
        bad = ~np.isfinite(sample_weight) | (sample_weight < 0)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(f"sample_weight must be finite and non-negative; got {sample_weight[first]!r} at "
                             f"position {first}. Give every row a weight >= 0.")
    return y_true, y_pred, sample_weight


def _checked_phi(values, name, n):
    """Relevance values: ``n`` finite values in [0, 1] (rounding slips clipped)."""
    phi = _column(values, name)
    if phi.shape[0] != n:
        raise ValueError(f"{name} has {phi.shape[0]} values for {n} rows; the relevance must give one value "
                         "per target value.")
    if not np.all(np.isfinite(phi)):
        raise ValueError(f"{name} holds NaN or infinite values; relevance must be finite, in [0, 1].")
    lo, hi = float(phi.min()), float(phi.max())
    if lo < -_PHI_TOLERANCE or hi > 1 + _PHI_TOLERANCE:
        raise ValueError(f"{name} must lie in [0, 1], got values in [{lo!r}, {hi!r}]; rescale the relevance "
                         "or pass a Relevance.")
    return np.clip(phi, 0.0, 1.0)


def _is_relevance_estimator(obj):
    # Duck-typed so that this module does not import smotekit.regression (and its samplers) when loaded.
    return callable(getattr(obj, "fit", None)) and callable(getattr(obj, "phi", None))


def _relevance_function(relevance, y_true, metric, *, need_function):
    """``(phi of y_true, phi function or None)`` from the ``relevance`` argument; see the module docstring."""
    if relevance is None:
        from ..regression._relevance import Relevance

        _log.debug("%s: fitting Relevance() on the %d values of y_true", metric, y_true.shape[0])
        relevance = Relevance().fit(y_true)
        function = relevance.phi
    elif _is_relevance_estimator(relevance):
        try:
            check_is_fitted(relevance)
        except NotFittedError:
            # A clone: fitting the caller's object here would change it for the caller's next call.
            _log.debug("%s: fitting a clone of %r on y_true", metric, relevance)
            relevance = clone(relevance, safe=False).fit(y_true)
        function = relevance.phi
    elif callable(relevance):
        function = relevance
    else:
        if need_function:
            raise TypeError(f"{metric} needs the relevance of the predictions too, so relevance cannot be an "
                            "array of values; pass a Relevance (fitted or not) or a function of the target "
                            "values.")
        return _checked_phi(relevance, "relevance", y_true.shape[0]), None
    phi_true = _checked_phi(function(y_true), f"relevance(y_true) in {metric}", y_true.shape[0])
    return phi_true, function


def _n_intervals(step):
    # R's seq(0, 1, step), as IRon builds its thresholds: floor(1/step + 1e-10) intervals, points i * step.
    return int(np.floor(1.0 / step + 1e-10))


def _ser_curve(phi, squared, step):
    """IRon's thresholds ``0, step, 2*step, ... <= 1`` and the (weighted) squared error at each."""
    thresholds = np.arange(_n_intervals(step) + 1) * step
    order = np.argsort(phi, kind="stable")
    # tail[k] = sum of the errors of the rows at sorted positions >= k; tail[n_rows] = 0.
    tail = np.concatenate([np.cumsum(squared[order][::-1])[::-1], [0.0]])
    first = np.searchsorted(phi[order], thresholds, side="left")  # first row with phi >= t
    return thresholds, tail[first]


def _sera_row_weights(phi, step):
    """What each row's squared error counts in the trapezoid area: ``t_j + step/2``, or ``t_n`` past the last
    threshold, ``t_j = j * step`` the largest threshold ``<= phi`` (no grid is built: O(n) for any step)."""
    n = _n_intervals(step)
    j = np.floor(phi / step)
    # Compare with the thresholds as IRon computes them (j * step), not with the quotient's rounding.
    j += (j + 1) * step <= phi
    j -= j * step > phi
    j = np.minimum(j, n)
    return np.where(j < n, j * step + step / 2, n * step)


@validate_params(
    {**_TARGET_PARAMS, "step": [Interval(numbers.Real, 0, 1, closed="right")], "return_curve": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def sera(y_true, y_pred, *, relevance=None, step=0.001, sample_weight=None, return_curve=False):
    """Squared Error-Relevance Area (SERA): the squared errors, integrated over the relevance threshold.

    For a threshold ``t`` in [0, 1], ``SER_t`` is the sum of the squared
    errors ``(y_true - y_pred)**2`` of the rows whose true relevance
    ``phi(y_true)`` is at least ``t``; SERA is the area under ``t -> SER_t``
    on [0, 1]. ``SER_0`` is the sum of squared errors of every row and, as
    ``t`` grows, only the more relevant rows keep counting, so an error weighs
    about ``phi(y_true)`` times its square: lower is better, 0 for perfect
    predictions, and a model that misses the extremes scores worse than one
    with the same total error spread over ordinary values.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True target values.
    y_pred : array-like of shape (n_samples,)
        Predicted target values.
    relevance : None, Relevance, callable or array-like of shape (n_samples,), default=None
        The relevance of ``y_true``. None: ``Relevance()`` fitted on
        ``y_true``. A fitted ``Relevance``: used as is. An unfitted one: a
        clone fitted on ``y_true``. A callable: ``relevance(y_true)``. An
        array: the relevance values of ``y_true``, in [0, 1].
    step : float in (0, 1], default=0.001
        Spacing of the thresholds ``0, step, 2*step, ...`` (up to 1) on which
        ``SER_t`` is evaluated and integrated by trapezoids; 0.001 is IRon's
        default.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the squared errors in ``SER_t``.
    return_curve : bool, default=False
        Also return the thresholds and ``SER_t`` at each.

    Returns
    -------
    sera : float
        The area; in squared target units (a sum over rows, not a mean).
    thresholds : ndarray of shape (n_thresholds,)
        Only with ``return_curve=True``: ``0, step, 2*step, ...``.
    ser : ndarray of shape (n_thresholds,)
        Only with ``return_curve=True``: ``SER_t`` at each threshold
        (non-increasing).

    See Also
    --------
    rare_rmse : root mean squared error of the rare cases only.
    smotekit.regression.Relevance : the relevance function.

    Notes
    -----
    The paper defines SERA as an integral; the thresholds and the trapezoid
    rule are those of the authors' R package IRon (``sera``): thresholds
    ``i * step`` for ``i = 0 .. floor(1/step)``, each interval of width
    ``step`` (when ``step`` does not divide 1, the area stops at the last
    threshold below 1, as IRon's does). A row of relevance ``p`` then counts
    ``t_j + step/2`` times its squared error, ``t_j`` the largest threshold
    ``<= p`` (and the last threshold when ``p`` reaches it), which is how the
    area is computed here (same value as IRon's sum of trapezoids, in O(n)
    whatever ``step``): as ``step`` goes to 0, SERA tends to
    ``sum(phi(y_true) * (y_true - y_pred)**2)``. IRon replaces NaN errors
    by 0; here NaN and infinite values are refused. IRon's ``norm`` option
    (divide the curve by ``SER_0``, "for internal optimisation") is left out.

    SERA is a sum, so it grows with the number of rows scored: compare models
    on the same rows (the same cross-validation folds), not folds of different
    sizes. With ``relevance=None`` the relevance is refitted on each call's
    ``y_true``; see :data:`smotekit.metrics.neg_sera_scorer` for what this
    means in cross-validation.

    References
    ----------
    .. [1] Ribeiro, R. P. & Moniz, N. (2020). Imbalanced regression and extreme value prediction. Machine
       Learning, 109, 1803-1835.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.metrics import sera
    >>> y_true = np.array([0.0, 1.0, 2.0, 10.0])
    >>> phi = np.array([0.0, 0.0, 0.5, 1.0])  # precomputed relevance of y_true
    >>> round(sera(y_true, y_true + 1, relevance=phi), 6)  # rows count 0.0005, 0.0005, 0.5005 and 1
    1.5015
    """
    y_true, y_pred, sample_weight = _targets(y_true, y_pred, sample_weight)
    phi, _ = _relevance_function(relevance, y_true, "sera", need_function=False)
    squared = (y_true - y_pred) ** 2
    if sample_weight is not None:
        squared = squared * sample_weight
    step = float(step)
    area = float(np.dot(_sera_row_weights(phi, step), squared))
    if return_curve:
        return (area, *_ser_curve(phi, squared, step))
    return area


def _warn_undefined(what, why):
    # 4: past this helper, the metric and validate_params' wrapper, to the caller.
    warnings.warn(f"{what} is ill-defined and set to 0.0: {why}.", UndefinedMetricWarning, stacklevel=4)


@validate_params({**_TARGET_PARAMS, **_THRESHOLD}, prefer_skip_nested_validation=True)
def rare_precision_recall_f1(y_true, y_pred, *, relevance=None, threshold=0.5, sample_weight=None):
    """Precision, recall and F1 of the rare events: rows whose relevance reaches ``threshold``.

    A row is a true rare event when ``phi(y_true) >= threshold`` and a
    predicted one when ``phi(y_pred) >= threshold``, with the same relevance
    function for both (by default fitted on ``y_true``). Precision is the
    share of predicted events that are true events, recall the share of true
    events predicted, F1 their harmonic mean ``2 tp / (2 tp + fp + fn)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True target values.
    y_pred : array-like of shape (n_samples,)
        Predicted target values.
    relevance : None, Relevance or callable, default=None
        None: ``Relevance()`` fitted on ``y_true``. A fitted ``Relevance``:
        used as is. An unfitted one: a clone fitted on ``y_true``. A callable
        mapping target values to relevance in [0, 1]. (An array of values is
        refused: the relevance of the predictions is needed too.)
    threshold : float in [0, 1], default=0.5
        Relevance from which a value is a rare event; 0.5 is the usual choice
        (UBL, smogn, and the samplers of :mod:`smotekit.regression`).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights of the counts.

    Returns
    -------
    precision : float
    recall : float
    f1 : float
        Each 0.0, with an ``UndefinedMetricWarning``, when its denominator is
        0 (no predicted event, no true event, neither).

    Notes
    -----
    This is the plain F1 of the event "relevance >= threshold": it asks only
    whether the prediction lands in a relevant region, not how close it is. With
    ``extremes='both'``, a prediction in the high tail for a true value in the
    low tail therefore counts as a hit; use a relevance with
    ``extremes='high'`` (or ``'low'``) to score one tail.

    Torgo & Ribeiro (2009) and Branco et al. (2017), who evaluate SMOGN with
    it, use instead a *utility-based* precision and recall: each hit counts
    ``1 + U(y_pred, y_true)``, with ``U`` read from a benefit-cost surface
    built from the relevance function and a bump-wise tolerance (Ribeiro,
    2011, implemented in C in the R package uba), and each event counts
    ``1 + phi``. That surface has parameters and interpolation choices not
    fully fixed by the papers, so it is not implemented here: the scores of
    this function are not comparable to the F1 values published there.

    References
    ----------
    .. [1] Torgo, L. & Ribeiro, R. (2009). Precision and recall for regression. Discovery Science (DS
       2009), Lecture Notes in Computer Science, 5808, 332-346.
    .. [2] Branco, P., Torgo, L. & Ribeiro, R. P. (2017). SMOGN: a pre-processing approach for imbalanced
       regression. Proceedings of Machine Learning Research (LIDTA 2017), 74, 36-50.
    .. [3] Ribeiro, R. P. (2011). Utility-based regression. PhD thesis, University of Porto.
    """
    tp, n_true, n_pred = _rare_counts(y_true, y_pred, relevance, threshold, sample_weight,
                                      "rare_precision_recall_f1")
    if n_pred > 0:
        precision = tp / n_pred
    else:
        precision = 0.0
        _warn_undefined("Precision of the rare events", f"no prediction has relevance >= {threshold}")
    if n_true > 0:
        recall = tp / n_true
    else:
        recall = 0.0
        _warn_undefined("Recall of the rare events", f"no true value has relevance >= {threshold}")
    f1 = 2 * tp / (n_true + n_pred) if n_true + n_pred > 0 else 0.0
    return precision, recall, f1


def _rare_counts(y_true, y_pred, relevance, threshold, sample_weight, metric):
    """Weighted counts of the rows that are true and predicted events, true events, predicted events."""
    y_true, y_pred, sample_weight = _targets(y_true, y_pred, sample_weight)
    phi_true, function = _relevance_function(relevance, y_true, metric, need_function=True)
    phi_pred = _checked_phi(function(y_pred), f"relevance(y_pred) in {metric}", y_pred.shape[0])
    true, pred = phi_true >= threshold, phi_pred >= threshold
    w = np.ones(y_true.shape[0]) if sample_weight is None else sample_weight
    return float(w[true & pred].sum()), float(w[true].sum()), float(w[pred].sum())


@validate_params({**_TARGET_PARAMS, **_THRESHOLD}, prefer_skip_nested_validation=True)
def rare_f1_score(y_true, y_pred, *, relevance=None, threshold=0.5, sample_weight=None):
    """F1 of the rare events (``phi >= threshold``) read from a regressor's predictions; best 1, worst 0.

    Parameters
    ----------
    y_true, y_pred, relevance, threshold, sample_weight
        As in :func:`rare_precision_recall_f1`.

    Returns
    -------
    f1 : float
        ``2 tp / (2 tp + fp + fn)``, where a true (predicted) event is a row
        whose ``y_true`` (``y_pred``) has relevance ``>= threshold``; 0.0 when
        there is no event, true or predicted.

    Notes
    -----
    The F1 of the event "relevance >= threshold", not the utility-based F1 of
    Torgo & Ribeiro (2009); see :func:`rare_precision_recall_f1`.

    References
    ----------
    .. [1] Torgo, L. & Ribeiro, R. (2009). Precision and recall for regression. Discovery Science (DS
       2009), Lecture Notes in Computer Science, 5808, 332-346.
    """
    tp, n_true, n_pred = _rare_counts(y_true, y_pred, relevance, threshold, sample_weight, "rare_f1_score")
    if n_true + n_pred == 0:
        _warn_undefined("F1 of the rare events", f"no true value and no prediction has relevance >= {threshold}")
        return 0.0
    return 2 * tp / (n_true + n_pred)


@validate_params({**_TARGET_PARAMS, **_THRESHOLD}, prefer_skip_nested_validation=True)
def rare_rmse(y_true, y_pred, *, relevance=None, threshold=0.5, sample_weight=None):
    """Root mean squared error over the rare cases: the rows whose true relevance reaches ``threshold``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True target values.
    y_pred : array-like of shape (n_samples,)
        Predicted target values.
    relevance : None, Relevance, callable or array-like of shape (n_samples,), default=None
        The relevance of ``y_true``, as in :func:`sera`.
    threshold : float in [0, 1], default=0.5
        Rows with ``phi(y_true) >= threshold`` are scored.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the squared errors.

    Returns
    -------
    rmse : float
        In target units; lower is better. NaN, with an
        ``UndefinedMetricWarning``, when no row (or only rows of weight 0)
        reaches the threshold: a fold without rare cases says nothing about
        them, and 0 would read as a perfect score.

    Notes
    -----
    Only the true value decides which rows count: a prediction that wrongly
    places an ordinary case in a tail is not penalised here (it is in
    :func:`rare_f1_score`'s precision and, weighted by nothing, in the
    ordinary RMSE).
    """
    y_true, y_pred, sample_weight = _targets(y_true, y_pred, sample_weight)
    phi, _ = _relevance_function(relevance, y_true, "rare_rmse", need_function=False)
    rare = phi >= threshold
    w = np.ones(y_true.shape[0]) if sample_weight is None else sample_weight
    total = float(w[rare].sum())
    if total == 0:
        warnings.warn(f"rare_rmse is undefined and set to NaN: no row of y_true has relevance >= {threshold} "
                      "(with a positive weight).", UndefinedMetricWarning, stacklevel=3)
        return float("nan")
    return float(np.sqrt(np.sum(w[rare] * (y_true[rare] - y_pred[rare]) ** 2) / total))
