"""The metrics a comparison reports, and the scores of one test fold.

Pure functions on arrays of class codes (0 .. n_classes-1). Every metric is
computed by scikit-learn's or smotekit's own function, imported when a fold
is scored: the registry itself (names, titles, directions) costs only numpy,
so command-line start-up does not pay for scikit-learn.

A fold whose test rows lack a class a metric needs gives NaN for that metric
(the fold cannot measure it); a model that never predicts a class gets the
metric's value for that choice (precision 0, MCC 0, G-mean 0), never NaN.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["DEFAULT_METRICS", "METRICS", "Metric", "parse_metrics", "score_fold"]


@dataclass(frozen=True)
class Metric:
    """One metric of a comparison: its key, how it is shown, and what it needs.

    Attributes
    ----------
    key : str
        The name used in ``metrics=`` and in tables' data, e.g. ``'pr_auc'``.
    title : str
        Column title, e.g. ``'PR AUC'``.
    higher_is_better : bool
        Direction: True for scores, False for losses, costs and times.
    needs : {'proba', 'labels', 'cost', 'time'}
        What it is computed from: continuous scores (``predict_proba`` or
        ``decision_function``), hard predictions, hard predictions and a
        cost, or the fit's duration (filled in by the caller).
    description : str
        One line for a report's legend.
    """

    key: str
    title: str
    higher_is_better: bool
    needs: str
    description: str


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("pr_auc", "PR AUC", True, "proba",
           "Average precision: area under the precision-recall curve of the positive class "
           "(multiclass: mean over classes, each against the rest)."),
    Metric("roc_auc", "ROC AUC", True, "proba",
           "Area under the ROC curve: chance that a positive row scores above a negative one "
           "(multiclass: mean over classes, each against the rest)."),
    Metric("log_loss", "log loss", False, "proba",
           "Mean negative log-likelihood of the true class under the predicted probabilities."),
    Metric("brier", "Brier", False, "proba",
           "Mean squared error of the predicted probabilities (binary: of the positive class; "
           "multiclass: half the sum over classes, so 0 is perfect and 1 the worst)."),
    Metric("ece", "ECE", False, "proba",
           "Expected calibration error over 15 equal-width bins (binary: of the positive class; "
           "multiclass: mean over classes, each against the rest)."),
    Metric("f1", "F1", True, "labels",
           "Harmonic mean of precision and recall of the positive class (multiclass: macro average)."),
    Metric("mcc", "MCC", True, "labels",
           "Matthews correlation coefficient between true and predicted classes (-1 to 1, 0 is chance)."),
    Metric("gmean", "G-mean", True, "labels",
           "Geometric mean of the recalls of every class (0 when one class is never recognised)."),
    Metric("balanced_accuracy", "bal. acc.", True, "labels",
           "Mean of the recalls of every class."),
    Metric("recall", "recall", True, "labels",
           "Share of the positive rows predicted positive (sensitivity; multiclass: macro average)."),
    Metric("precision", "precision", True, "labels",
           "Share of the rows predicted positive that are positive (multiclass: macro average)."),
    Metric("specificity", "specificity", True, "labels",
           "Share of the negative rows predicted negative (multiclass: macro average over classes)."),
    Metric("cost", "cost", False, "cost",
           "Mean misclassification cost per row, from the given costs of false positives and negatives."),
    Metric("fit_time", "fit time", False, "time",
           "Seconds to fit the option (resampling included; a tuned threshold: its whole inner search) on one "
           "training fold; the only score that depends on the machine and on n_jobs."),
)}

DEFAULT_METRICS: tuple[str, ...] = ("pr_auc", "roc_auc", "log_loss", "brier", "ece", "f1", "mcc", "gmean",
                                    "balanced_accuracy", "fit_time")

_ALIASES = {
    "average_precision": "pr_auc", "ap": "pr_auc",
    "auc": "roc_auc",
    "logloss": "log_loss", "neg_log_loss": "log_loss",
    "brier_score": "brier", "brier_score_loss": "brier",
    "calibration_error": "ece", "expected_calibration_error": "ece",
    "matthews": "mcc", "matthews_corrcoef": "mcc",
    "g_mean": "gmean", "geometric_mean": "gmean",
    "bal_acc": "balanced_accuracy",
    "sensitivity": "recall", "tpr": "recall",
    "tnr": "specificity",
    "expected_cost": "cost",
    "time": "fit_time",
}

# Which classes a fold's test rows must hold for the metric to be defined:
# 'pos' the positive class, 'neg' the negative one (both read 'all' in multiclass,
# where every class's one-vs-rest part enters a macro average), 'all' every class,
# 'two' at least two classes (MCC's correlation needs variation in the truth).
_REQUIRES = {
    "pr_auc": "pos", "roc_auc": "all", "f1": "pos", "mcc": "two", "gmean": "all",
    "balanced_accuracy": "all", "recall": "pos", "precision": "pos", "specificity": "neg",
}
# Metrics of probabilities, not of any ranking score (NaN for decision_function values).
_CALIBRATION = frozenset({"log_loss", "brier", "ece"})
# Rows of predict_proba sum to one up to rounding (float32 models included).
_SUM_TOLERANCE = 1e-6


def parse_metrics(spec) -> list[str]:
    """Metric keys from a comma-separated string or a list of names, aliases resolved.

    Parameters
    ----------
    spec : None, str or iterable of str
        None or an empty string: :data:`DEFAULT_METRICS`. Names are
        case-insensitive, ``-`` reads as ``_``, and common aliases are
        accepted (``average_precision``/``ap`` for ``pr_auc``, ``auc`` for
        ``roc_auc``, ``neg_log_loss``/``logloss`` for ``log_loss``,
        ``brier_score`` for ``brier``, ``calibration_error`` for ``ece``,
        ``g_mean`` for ``gmean``, ``bal_acc`` for ``balanced_accuracy``,
        ``sensitivity``/``tpr`` for ``recall``, ``expected_cost`` for
        ``cost``, ``time`` for ``fit_time``, ...).

    Returns
    -------
    list of str
        Keys of :data:`METRICS`, each once, in the order given.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the choices) or an empty list.
    TypeError
        For a name that is not a string.
    """
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return list(DEFAULT_METRICS)
    names = re.split(r"[,\s]+", spec.strip()) if isinstance(spec, str) else list(spec)
    if not names:
        raise ValueError("metrics is empty; pass None for the default metrics "
                         f"({', '.join(DEFAULT_METRICS)}) or name at least one.")
    out = []
    for raw in names:
        if not isinstance(raw, str):
            raise TypeError(f"metrics must hold metric names (str), got {raw!r} of type {type(raw).__name__}.")
        key = raw.strip().lower().replace("-", "_")
        key = _ALIASES.get(key, key)
        if key not in METRICS:
            raise ValueError(f"metrics: unknown metric {raw!r}; choose from {', '.join(METRICS)} "
                             f"(or an alias: {', '.join(sorted(_ALIASES))}).")
        if key not in out:
            out.append(key)
    return out


def score_fold(metrics, y_true, y_pred, proba, *, pos, n_classes, cost=None) -> np.ndarray:
    """Score one test fold: one float per metric, in the order of ``metrics``.

    Binary targets score the positive class ``pos``. Multiclass targets use
    macro averages over classes for F1, recall, precision and specificity;
    one-vs-rest macro averages for ROC AUC, PR AUC and ECE; the log loss over
    all classes; G-mean and balanced accuracy over the recalls of all classes.
    The Brier score is the mean over rows of half the sum over classes of the
    squared difference between the predicted probability and the 0/1 outcome:
    in binary that is exactly :func:`sklearn.metrics.brier_score_loss` of the
    positive class, in any case it lies between 0 (perfect) and 1.

    A metric is NaN when it cannot be computed from this fold:

    - the test rows lack a class it needs (binary: PR AUC, F1, recall and
      precision need positive rows, specificity negative rows, ROC AUC,
      G-mean and balanced accuracy both; multiclass: every macro average
      needs every class; MCC needs two classes);
    - it needs ``proba`` and ``proba`` is None, or holds non-finite values;
    - it is a calibration metric (log loss, Brier, ECE) and ``proba`` does
      not hold probabilities (values outside [0, 1] or rows not summing to
      1, as ``decision_function`` values);
    - it is ``fit_time``, which the caller measures and fills in.

    Parameters
    ----------
    metrics : iterable of str
        Keys of :data:`METRICS` (see :func:`parse_metrics`).
    y_true, y_pred : array-like of int, shape (n_samples,)
        True and predicted class codes, 0 .. n_classes-1.
    proba : array-like of shape (n_samples, n_classes) or None
        Class probabilities, or any continuous scores (one column per class,
        higher meaning more likely) for the ranking metrics. Never modified.
    pos : int
        Code of the positive class (binary targets; ignored in multiclass).
    n_classes : int
        Number of classes, at least 2.
    cost : (float, float) or array-like of shape (n_classes, n_classes), default=None
        ``(cost of a false positive, cost of a false negative)`` (binary), or
        a matrix whose entry ``[t, p]`` is the cost of predicting class ``p``
        for a row of class ``t``. Needed for the ``'cost'`` metric, which is
        the mean cost per test row; NaN for a pair with more than two classes.

    Returns
    -------
    ndarray of float64, shape (len(metrics),)

    Raises
    ------
    ValueError
        For an unknown metric key, codes out of range, mismatched lengths or
        shapes, or a missing or malformed ``cost`` when ``'cost'`` is asked.
    """
    keys = list(metrics)
    unknown = [k for k in keys if k not in METRICS]
    if unknown:
        raise ValueError(f"metrics: unknown keys {unknown}; choose from {', '.join(METRICS)} "
                         "(parse_metrics resolves aliases).")
    fold = _Fold(y_true, y_pred, proba, pos=pos, n_classes=n_classes)
    matrix = _cost_matrix(cost, fold.k, fold.pos) if "cost" in keys else None
    out = np.full(len(keys), np.nan)
    with warnings.catch_warnings():
        from sklearn.exceptions import UndefinedMetricWarning

        # Undefined metrics never reach scikit-learn (they stay NaN); what it would still say is about
        # the by-products of a computed value (the other class's specificity, rows a rounding off one).
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.filterwarnings("ignore", message=".*do not sum to one", category=UserWarning)
        for i, key in enumerate(keys):
            if key == "cost":
                if matrix is not None:
                    out[i] = float(np.mean(matrix[fold.y_true, fold.y_pred]))
            elif key != "fit_time" and fold.defined(key):
                out[i] = _COMPUTE[key](fold)
    return out


class _Fold:
    """The validated arrays of one test fold, and which metrics they define."""

    def __init__(self, y_true, y_pred, proba, *, pos, n_classes):
        if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
            raise ValueError(f"n_classes must be an int of at least 2, got {n_classes!r}.")
        self.k = int(n_classes)
        self.y_true = self._codes(y_true, "y_true")
        self.y_pred = self._codes(y_pred, "y_pred")
        if self.y_true.shape != self.y_pred.shape:
            raise ValueError(f"y_true and y_pred need one code per test row; got {self.y_true.size} and "
                             f"{self.y_pred.size}.")
        self.binary = self.k == 2
        if self.binary and pos not in (0, 1):
            raise ValueError(f"pos must be the code (0 or 1) of the positive class, got {pos!r}.")
        self.pos = int(pos) if self.binary else None
        self.codes = list(range(self.k))
        self.counts = np.bincount(self.y_true, minlength=self.k)
        self.proba = None
        self.is_probability = False
        self._confusion = None
        if proba is not None:
            proba = np.asarray(proba, dtype=np.float64)
            if proba.shape != (self.y_true.size, self.k):
                raise ValueError(f"proba must have shape (n_test_rows, n_classes) = {(self.y_true.size, self.k)}, "
                                 f"got {proba.shape}.")
            if np.isfinite(proba).all():
                self.proba = proba
                self.is_probability = is_probability(proba)

    def _codes(self, y, name):
        y = np.asarray(y)
        if y.ndim != 1 or y.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array of class codes, got shape {y.shape}.")
        if y.dtype.kind not in "iub" or y.min() < 0 or y.max() >= self.k:
            raise ValueError(f"{name} must hold class codes 0..{self.k - 1} (n_classes={self.k}); got values "
                             f"{np.unique(y)[:5]} of dtype {y.dtype}. Encode labels first, e.g. "
                             "np.unique(y, return_inverse=True)[1].")
        return y.astype(np.intp, copy=False)

    def defined(self, key) -> bool:
        """Whether this fold's rows and scores define metric ``key``."""
        if METRICS[key].needs == "proba":
            if self.proba is None or (key in _CALIBRATION and not self.is_probability):
                return False
        need = _REQUIRES.get(key)
        present = self.counts > 0
        if need is None:
            return True
        if need == "two":
            return int(present.sum()) >= 2
        if self.binary and need in ("pos", "neg"):
            return bool(present[self.pos if need == "pos" else 1 - self.pos])
        return bool(present.all())

    @property
    def confusion(self):
        """``(tp, fp, fn, tn)`` of the positive class (binary)."""
        if self._confusion is None:
            self._confusion = confusion_counts(self.y_true, self.y_pred, self.pos)
        return self._confusion

    def one_vs_rest(self, score):
        """Mean over classes of ``score(is_class, class_scores)``: the multiclass macro average."""
        return float(np.mean([score(self.y_true == c, self.proba[:, c]) for c in self.codes]))

    def positive(self, score):
        """``score(is_positive, positive_scores)`` in binary, else its one-vs-rest mean."""
        if self.binary:
            return float(score(self.y_true == self.pos, self.proba[:, self.pos]))
        return self.one_vs_rest(score)

    def labels(self, score, **options):
        """A label metric of the positive class (binary), else its macro average over all classes."""
        kw = {"pos_label": self.pos, "average": "binary"} if self.binary else {"average": "macro"}
        return float(score(self.y_true, self.y_pred, labels=self.codes, **kw, **options))


# Binary folds are scored from their confusion counts and sorted scores in numpy: a comparison scores
# every option on every fold (thousands of calls), and scikit-learn's functions spend most of each call
# validating their input. The values are scikit-learn's (tests pin each against it); multiclass folds
# use scikit-learn itself.


def _ratio(num, den):
    return num / den if den else 0.0


def _mean_recall(tp, fp, fn, tn):
    # As balanced_accuracy_score: the mean recall of the classes present in y_true.
    recalls = ([_ratio(tp, tp + fn)] if tp + fn else []) + ([_ratio(tn, tn + fp)] if tn + fp else [])
    return sum(recalls) / len(recalls) if recalls else 0.0


#: Binary decision metrics from the confusion counts ``(tp, fp, fn, tn)`` of the positive class, with
#: scikit-learn's conventions (0 where a ratio has no denominator). Also the threshold search's objectives.
FROM_COUNTS = {
    "f1": lambda tp, fp, fn, tn: _ratio(2 * tp, 2 * tp + fp + fn),
    "recall": lambda tp, fp, fn, tn: _ratio(tp, tp + fn),
    "precision": lambda tp, fp, fn, tn: _ratio(tp, tp + fp),
    "specificity": lambda tp, fp, fn, tn: _ratio(tn, tn + fp),
    "mcc": lambda tp, fp, fn, tn: _ratio(tp * tn - fp * fn,
                                         float(np.sqrt(float(tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)))),
    "gmean": lambda tp, fp, fn, tn: float(np.sqrt(_ratio(tp, tp + fn) * _ratio(tn, tn + fp))),
    "balanced_accuracy": _mean_recall,
}


def is_probability(scores) -> bool:
    """Whether finite ``(n, n_classes)`` scores are probabilities (in [0, 1], rows summing to 1), not decisions."""
    return bool(scores.min() >= 0 and scores.max() <= 1
                and np.allclose(scores.sum(axis=1), 1.0, rtol=0, atol=_SUM_TOLERANCE))


def confusion_counts(y_true, y_pred, pos):
    """``(tp, fp, fn, tn)`` of the class ``pos``."""
    hit, said = y_true == pos, y_pred == pos
    tp = int(np.count_nonzero(hit & said))
    fp, fn = int(np.count_nonzero(said)) - tp, int(np.count_nonzero(hit)) - tp
    return tp, fp, fn, len(y_true) - tp - fp - fn


def _binary_roc_auc(is_pos, score):
    # Mann-Whitney: the chance a positive row scores above a negative one, ties counting half.
    from scipy.stats import rankdata

    n_pos = int(np.count_nonzero(is_pos))
    n_neg = is_pos.size - n_pos
    ranks = rankdata(score)
    return float((ranks[is_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _binary_average_precision(is_pos, score):
    # Precision at each distinct score, from the highest down, weighted by the recall it adds.
    order = np.argsort(-score, kind="mergesort")
    ranked, hits = score[order], is_pos[order]
    last = np.r_[np.flatnonzero(np.diff(ranked)), ranked.size - 1]
    tps = np.cumsum(hits)[last]
    precision = tps / (last + 1)
    recall_gain = np.diff(np.r_[0, tps]) / tps[-1]
    return float(np.sum(recall_gain * precision))


def _pr_auc(f):
    if f.binary:
        return f.positive(_binary_average_precision)
    from sklearn.metrics import average_precision_score

    return f.positive(average_precision_score)


def _roc_auc(f):
    if f.binary:
        return f.positive(_binary_roc_auc)
    from sklearn.metrics import roc_auc_score

    # One class against the rest, averaged: equal to roc_auc_score(multi_class='ovr', average='macro'),
    # which accepts only probabilities, while this also ranks decision_function values.
    return f.positive(roc_auc_score)


def _log_loss(f):
    # A copy clipped to [eps, 1 - eps], as log_loss does: a probability of exactly 0 costs a finite amount.
    if f.binary:
        eps = np.finfo(np.float64).eps
        return float(-np.mean(np.log(np.clip(f.proba[np.arange(f.y_true.size), f.y_true], eps, 1 - eps))))
    from sklearn.metrics import log_loss

    return float(log_loss(f.y_true, f.proba, labels=f.codes))


def _brier(f):
    if f.binary:
        return float(np.mean((f.proba[:, f.pos] - (f.y_true == f.pos)) ** 2))
    # Half the sum over classes keeps it in [0, 1], and equal to the binary definition for two classes.
    outcome = f.y_true[:, None] == np.arange(f.k)
    return float(np.mean(np.sum((f.proba - outcome) ** 2, axis=1)) / 2)


def _ece(f):
    from ._prior import expected_calibration_error

    return f.positive(lambda is_class, p: expected_calibration_error(is_class.astype(np.int8), p))


def _f1(f):
    if f.binary:
        return FROM_COUNTS["f1"](*f.confusion)
    from sklearn.metrics import f1_score

    return f.labels(f1_score, zero_division=0)


def _recall(f):
    if f.binary:
        return FROM_COUNTS["recall"](*f.confusion)
    from sklearn.metrics import recall_score

    return f.labels(recall_score, zero_division=0)


def _precision(f):
    if f.binary:
        return FROM_COUNTS["precision"](*f.confusion)
    from sklearn.metrics import precision_score

    return f.labels(precision_score, zero_division=0)


def _specificity(f):
    if f.binary:
        return FROM_COUNTS["specificity"](*f.confusion)
    from ..metrics import specificity_score

    return f.labels(specificity_score)


def _mcc(f):
    if f.binary:
        return FROM_COUNTS["mcc"](*f.confusion)
    from sklearn.metrics import matthews_corrcoef

    return float(matthews_corrcoef(f.y_true, f.y_pred))


def _gmean(f):
    if f.binary:
        return FROM_COUNTS["gmean"](*f.confusion)
    from ..metrics import geometric_mean_score

    return float(geometric_mean_score(f.y_true, f.y_pred, labels=f.codes))


def _balanced_accuracy(f):
    if f.binary:
        return FROM_COUNTS["balanced_accuracy"](*f.confusion)
    from sklearn.metrics import balanced_accuracy_score

    return float(balanced_accuracy_score(f.y_true, f.y_pred))


_COMPUTE = {
    "pr_auc": _pr_auc, "roc_auc": _roc_auc, "log_loss": _log_loss, "brier": _brier, "ece": _ece,
    "f1": _f1, "mcc": _mcc, "gmean": _gmean, "balanced_accuracy": _balanced_accuracy,
    "recall": _recall, "precision": _precision, "specificity": _specificity,
}


def _cost_matrix(cost, n_classes, pos) -> np.ndarray:
    """``cost`` as a matrix ``C[true, predicted]``: from a pair (binary) or the matrix itself; None for a
    pair in multiclass."""
    if cost is None:
        raise ValueError("The 'cost' metric needs cost=(cost_of_false_positive, cost_of_false_negative), or a "
                         f"({n_classes}, {n_classes}) matrix C[true, predicted]; drop 'cost' from metrics otherwise.")
    try:
        values = np.asarray(cost, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"cost must be numbers, got {cost!r}.") from exc
    if not np.isfinite(values).all():
        raise ValueError(f"cost must be finite numbers, got {cost!r}.")
    if values.shape == (2,):
        if n_classes > 2:
            return None  # a pair names no classes: no cost in multiclass (a matrix gives one)
        # A false positive predicts the positive class for a negative row; a false negative the reverse.
        matrix = np.zeros((2, 2))
        matrix[1 - pos, pos], matrix[pos, 1 - pos] = values
        return matrix
    if values.shape != (n_classes, n_classes):
        raise ValueError(f"cost must be (cost_fp, cost_fn) or a ({n_classes}, {n_classes}) matrix C[true, predicted], "
                         f"got shape {values.shape}.")
    return values
