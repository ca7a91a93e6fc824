"""Classification metrics for imbalanced problems, with imbalanced-learn 0.14's names and meanings.

Every function counts, per class, the true positives, the rows truly in the
class and the rows predicted in it (optionally weighted), and derives its
figures from these counts. Undefined ratios (a class never present, never
predicted) count as 0 with an ``UndefinedMetricWarning``, as in scikit-learn.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import precision_recall_fscore_support
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.multiclass import type_of_target, unique_labels

__all__ = [
    "classification_report_imbalanced",
    "geometric_mean_score",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]

# Parameter constraints (imbalanced-learn 0.14's), checked by scikit-learn's validate_params:
# a bad value raises InvalidParameterError (a ValueError and a TypeError) naming the parameter.
# Nested calls between these functions skip the check (prefer_skip_nested_validation).
_AVERAGE_WORDS = {"binary", "micro", "macro", "weighted", "samples"}
_LABEL_PARAMS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "labels": ["array-like", None],
    "pos_label": [str, numbers.Integral, None],
    "average": [None, StrOptions(_AVERAGE_WORDS)],
    "sample_weight": ["array-like", None],
}


def _targets(y_true, y_pred, sample_weight):
    """1-D label arrays of equal length, their kind ('binary'/'multiclass'), and weights."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        y_true, y_pred = (np.ravel(a) if a.ndim == 2 and 1 in a.shape else a for a in (y_true, y_pred))
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1-D label arrays, got shapes {y_true.shape} and {y_pred.shape}; "
            "multilabel and multi-output targets are not supported."
        )
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true has {y_true.shape[0]} labels but y_pred has {y_pred.shape[0]}; give one prediction per row."
        )
    kinds = {type_of_target(y_true, input_name="y_true"), type_of_target(y_pred, input_name="y_pred")}
    if kinds - {"binary", "multiclass"}:
        raise ValueError(
            f"These metrics need class labels; got target types {sorted(kinds)}. Pass predicted labels "
            "(estimator.predict), not scores or probabilities."
        )
    kind = "binary" if kinds == {"binary"} and unique_labels(y_true, y_pred).size <= 2 else "multiclass"
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64).ravel()
        if sample_weight.shape[0] != y_true.shape[0]:
            raise ValueError(
                f"sample_weight has {sample_weight.shape[0]} values for {y_true.shape[0]} rows; give one per row."
            )
    return y_true, y_pred, kind, sample_weight


def _class_counts(y_true, y_pred, labels, sample_weight):
    """Weighted true-positive, true and predicted totals per label, and the grand total."""
    w = np.ones(y_true.shape[0]) if sample_weight is None else sample_weight
    labels = np.asarray(labels)
    tp = np.array([w[(y_true == lab) & (y_pred == lab)].sum() for lab in labels], dtype=np.float64)
    true = np.array([w[y_true == lab].sum() for lab in labels], dtype=np.float64)
    pred = np.array([w[y_pred == lab].sum() for lab in labels], dtype=np.float64)
    return tp, true, pred, w.sum()


def _divide(num, den, metric, warn):
    """num / den with 0 where den is 0, warning once about the classes concerned."""
    den_safe = np.where(den == 0, 1.0, den)
    out = np.asarray(num / den_safe, dtype=np.float64)
    empty = den == 0
    if empty.any():
        out[empty] = 0.0
        if warn:
            warnings.warn(
                f"{metric.capitalize()} is ill-defined and set to 0.0 for labels with no "
                f"{'true' if metric == 'sensitivity' else 'negative'} samples.",
                # 4: past this helper, the metric and validate_params' wrapper, to the caller.
                UndefinedMetricWarning, stacklevel=4,
            )
    return out


def _resolve_labels(y_true, y_pred, labels, pos_label, average, kind):
    """The labels to report, in order; None means 'return zeros' (binary data with one class)."""
    present = unique_labels(y_true, y_pred)
    if average == "binary":
        if kind != "binary":
            raise ValueError(
                f"Target is {kind} but average='binary'; choose average='macro', 'micro', 'weighted' or None."
            )
        if pos_label not in present:
            if present.size < 2:
                return None
            raise ValueError(f"pos_label={pos_label!r} is not a valid label: it must be one of {list(present)}.")
        return np.asarray([pos_label])
    if pos_label not in (None, 1):
        warnings.warn(
            f"pos_label={pos_label!r} is ignored when average={average!r} (only used with average='binary'); "
            "use labels=[pos_label] to specify a single positive class.", UserWarning, stacklevel=4,
        )
    return present if labels is None else np.asarray(labels)


@validate_params({**_LABEL_PARAMS, "warn_for": ["array-like"]}, prefer_skip_nested_validation=True)
def sensitivity_specificity_support(y_true, y_pred, *, labels=None, pos_label=1, average=None,
                                    warn_for=("sensitivity", "specificity"), sample_weight=None):
    """Sensitivity, specificity and support, per class or averaged.

    Sensitivity is ``tp / (tp + fn)`` (the recall of a class); specificity is
    ``tn / (tn + fp)`` (the recall of everything else); support is the number
    of rows truly in the class.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted class labels.
    labels : array-like, default=None
        Labels to report (in this order when ``average=None``); labels absent
        from the data count 0. Default: every label of ``y_true`` and
        ``y_pred``, sorted. Ignored with ``average='binary'``.
    pos_label : str or int, default=1
        The class reported when ``average='binary'`` and the data is binary.
    average : {None, 'binary', 'micro', 'macro', 'weighted'}, default=None
        None: one value per label. 'binary': ``pos_label`` only. 'micro':
        from the counts summed over labels. 'macro': unweighted mean over
        labels. 'weighted': mean weighted by support. ('samples' is accepted
        by name and refused, as it only makes sense for multilabel data.)
    warn_for : tuple of {'sensitivity', 'specificity'}
        Which ill-defined values trigger a warning.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    sensitivity : float or ndarray of shape (n_labels,)
    specificity : float or ndarray of shape (n_labels,)
    support : ndarray of shape (n_labels,) or None
        None when averaging.

    Notes
    -----
    With ``sample_weight``, true negatives are counted as the total weight
    minus the other cells; imbalanced-learn 0.14 subtracts weighted counts
    from the unweighted number of rows, which mixes the two scales.
    """
    y_true, y_pred, kind, sample_weight = _targets(y_true, y_pred, sample_weight)
    if average == "samples":
        raise ValueError("average='samples' is only meaningful for multilabel data; use 'macro' or 'weighted'.")
    chosen = _resolve_labels(y_true, y_pred, labels, pos_label, average, kind)
    if chosen is None:
        return 0.0, 0.0, 0
    tp, true, pred, total = _class_counts(y_true, y_pred, chosen, sample_weight)
    tn = total - (pred + true - tp)
    if average == "micro":
        tp, true, pred, tn = (np.array([a.sum()]) for a in (tp, true, pred, tn))
    sensitivity = _divide(tp, true, "sensitivity", "sensitivity" in warn_for)
    specificity = _divide(tn, tn + pred - tp, "specificity", "specificity" in warn_for)
    if average is None:
        return sensitivity, specificity, true if sample_weight is not None else true.astype(np.int64)
    weights = None
    if average == "weighted":
        if true.sum() == 0:
            return 0.0, 0.0, None
        weights = true
    return (float(np.average(sensitivity, weights=weights)),
            float(np.average(specificity, weights=weights)), None)


@validate_params(_LABEL_PARAMS, prefer_skip_nested_validation=True)
def sensitivity_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None):
    """Sensitivity (true positive rate, recall): ``tp / (tp + fn)``; best 1, worst 0.

    Parameters
    ----------
    y_true, y_pred, labels, pos_label, sample_weight
        As in :func:`sensitivity_specificity_support`.
    average : {'binary', None, 'micro', 'macro', 'weighted'}, default='binary'

    Returns
    -------
    sensitivity : float or ndarray of shape (n_labels,)
    """
    sens, _, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("sensitivity",), sample_weight=sample_weight)
    return sens


@validate_params(_LABEL_PARAMS, prefer_skip_nested_validation=True)
def specificity_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None):
    """Specificity (true negative rate): ``tn / (tn + fp)``; best 1, worst 0.

    Parameters
    ----------
    y_true, y_pred, labels, pos_label, sample_weight
        As in :func:`sensitivity_specificity_support`.
    average : {'binary', None, 'micro', 'macro', 'weighted'}, default='binary'

    Returns
    -------
    specificity : float or ndarray of shape (n_labels,)
    """
    _, spec, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("specificity",), sample_weight=sample_weight)
    return spec


@validate_params(
    {**_LABEL_PARAMS,
     "average": [None, StrOptions(_AVERAGE_WORDS | {"multiclass"})],
     "correction": [Interval(numbers.Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def geometric_mean_score(y_true, y_pred, *, labels=None, pos_label=1, average="multiclass",
                         sample_weight=None, correction=0.0):
    """Geometric mean of the per-class recalls (G-mean).

    With the default ``average='multiclass'`` this is the geometric mean of
    the sensitivity of every class (Kubat & Matwin 1997; for two classes,
    ``sqrt(sensitivity * specificity)``); one class never recognised makes it
    0 unless ``correction`` replaces such zero recalls. Any other ``average``
    gives ``sqrt(sensitivity * specificity)`` computed with that average by
    :func:`sensitivity_specificity_support`.

    Parameters
    ----------
    y_true, y_pred, labels, pos_label, sample_weight
        As in :func:`sensitivity_specificity_support`.
    average : {'multiclass', 'binary', None, 'micro', 'macro', 'weighted'}, default='multiclass'
    correction : float, default=0.0
        Value substituted for a zero recall (``average='multiclass'`` only).

    Returns
    -------
    gmean : float or ndarray of shape (n_labels,)
    """
    if average != "multiclass":
        sens, spec, _ = sensitivity_specificity_support(
            y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
            warn_for=("specificity",), sample_weight=sample_weight)
        return np.sqrt(np.multiply(sens, spec))
    y_true, y_pred, _, sample_weight = _targets(y_true, y_pred, sample_weight)
    chosen = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
    tp, true, _, _ = _class_counts(y_true, y_pred, chosen, sample_weight)
    recall = _divide(tp, true, "sensitivity", True)
    recall[recall == 0] = correction
    if recall.size == 0 or (recall == 0).any():
        return 0.0
    return float(np.exp(np.log(recall).mean()))


@validate_params({"alpha": [numbers.Real], "squared": ["boolean"]}, prefer_skip_nested_validation=True)
def make_index_balanced_accuracy(*, alpha=0.1, squared=True):
    """Turn a label-based metric into its index balanced accuracy (IBA).

    The returned decorator wraps ``score_func`` so that it returns
    ``(1 + alpha * (sensitivity - specificity)) * score`` (``score`` squared
    first when ``squared``), where sensitivity and specificity are computed
    with the same ``labels``/``pos_label``/``average``/``sample_weight``
    arguments as the call (García, Mollineda & Sánchez 2009/2012). For
    ``geometric_mean_score`` the 'multiclass' average maps to 'macro';
    ``accuracy_score`` and ``jaccard_score`` use the binary figures.

    Parameters
    ----------
    alpha : float, default=0.1
        Weight of the dominance (sensitivity minus specificity).
    squared : bool, default=True
        Square the wrapped metric before weighting.

    Returns
    -------
    decorator : callable
        ``decorator(score_func)`` returns the wrapped function.
    """
    def decorate(score_func):
        sig = inspect.signature(score_func)
        shared = set(inspect.signature(sensitivity_specificity_support).parameters)

        @functools.wraps(score_func)
        def iba(*args, **kwargs):
            # Refused when called, not when decorated (imbalanced-learn's behaviour): decorating
            # any metric is harmless, using one that scores probabilities is the mistake.
            if {"y_score", "y_prob", "y2"} & set(sig.parameters):
                raise AttributeError(
                    f"{score_func.__name__} scores probabilities or scores; the index balanced "
                    "accuracy only wraps metrics of predicted labels (y_true, y_pred)."
                )
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            score = score_func(*bound.args, **bound.kwargs)
            if squared:
                score = np.power(score, 2)
            params = {k: v for k, v in bound.arguments.items() if k in shared}
            if score_func.__name__ == "geometric_mean_score" and params.get("average") == "multiclass":
                params["average"] = "macro"
            elif score_func.__name__ in ("accuracy_score", "jaccard_score"):
                params["average"] = "binary"
            sens, spec, _ = sensitivity_specificity_support(**params)
            return (1.0 + alpha * (np.asarray(sens) - np.asarray(spec))) * score

        return iba

    return decorate


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "labels": ["array-like", None],
     "target_names": ["array-like", None], "sample_weight": ["array-like", None],
     "digits": [Interval(numbers.Integral, 0, None, closed="left")], "alpha": [numbers.Real],
     "output_dict": ["boolean"],
     "zero_division": [StrOptions({"warn"}), Interval(numbers.Integral, 0, 1, closed="both")]},
    prefer_skip_nested_validation=True,
)
def classification_report_imbalanced(y_true, y_pred, *, labels=None, target_names=None, sample_weight=None,
                                     digits=2, alpha=0.1, output_dict=False, zero_division="warn"):
    """Per-class precision, recall, specificity, F1, G-mean, IBA and support, as text or a dict.

    The text has one row per class and a last row ``avg / total`` with the
    support-weighted means and the total support, laid out as in
    imbalanced-learn.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, default=None
        Labels to report, in order (default: all, sorted).
    target_names : list of str, default=None
        Display names matching ``labels``.
    sample_weight : array-like of shape (n_samples,), default=None
    digits : int, default=2
        Decimals in the text (the dict is not rounded).
    alpha : float, default=0.1
        ``alpha`` of the index balanced accuracy.
    output_dict : bool, default=False
        Return a dict ``{name: {'pre':..., 'rec':..., 'spe':..., 'f1':..., 'geo':..., 'iba':..., 'sup':...},
        'avg_pre':..., ..., 'total_support':...}``.
    zero_division : 'warn', 0 or 1, default='warn'
        Value of an undefined precision/F1 ('warn' acts as 0 and warns).

    Returns
    -------
    report : str or dict
    """
    labels = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
    names = [f"{lab}" for lab in labels] if target_names is None else list(target_names)
    if len(names) != len(labels):
        raise ValueError(f"target_names has {len(names)} names for {len(labels)} labels; give one per label.")
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight, zero_division=zero_division)
    spec = specificity_score(y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight)
    geo = geometric_mean_score(y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight)
    iba = make_index_balanced_accuracy(alpha=alpha, squared=True)(geometric_mean_score)(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight)
    columns = {"pre": precision, "rec": recall, "spe": spec, "f1": f1, "geo": geo, "iba": iba}

    result = {}
    for i, name in enumerate(names):
        result[name] = {key: vals[i] for key, vals in columns.items()}
        result[name]["sup"] = support[i]
    for key, vals in columns.items():
        result[f"avg_{key}"] = np.average(vals, weights=support)
    result["total_support"] = np.sum(support)
    if output_dict:
        return result

    last = "avg / total"
    width = max(max(len(n) for n in names), len(last), digits)
    row = f"%{width}s  " + " ".join(["%9s"] * 7) + "\n"
    text = row % ("", *columns, "sup") + "\n"
    for name in names:
        cells = [f"{result[name][key]:0.{digits}f}" for key in columns]
        text += row % (name, *cells, f"{result[name]['sup']}")
    text += "\n"
    cells = [f"{result[f'avg_{key}']:0.{digits}f}" for key in columns]
    text += row % (last, *cells, f"{result['total_support']}")
    return text


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "sample_weight": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def macro_averaged_mean_absolute_error(y_true, y_pred, *, sample_weight=None):
    """Mean absolute error computed per true class, then averaged with equal class weights.

    For ordinal classification with imbalanced classes (Baccianella et al.
    2009): a model that always predicts the majority class no longer looks good.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Ordinal labels (numbers).
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    loss : float
        Best 0.0.

    Notes
    -----
    The mean runs over the classes present in ``y_true``; imbalanced-learn
    0.14 raises when ``y_pred`` holds a class absent from ``y_true``.
    """
    y_true, y_pred, _, sample_weight = _targets(y_true, y_pred, sample_weight)
    w = np.ones(y_true.shape[0]) if sample_weight is None else sample_weight
    errors = np.abs(y_true.astype(np.float64) - y_pred.astype(np.float64))
    per_class = [np.average(errors[y_true == lab], weights=w[y_true == lab]) for lab in np.unique(y_true)]
    return float(np.mean(per_class))
