"""Leakage-safe comparison of resampling methods: every sampler inside a Pipeline, fitted per training fold.

Every method sees the same folds (a paired comparison). Per fold the model
predicts the held-out rows once; all metrics come from those predictions.
Samplers, models and metrics see class codes (0, 1, ... in sorted label
order), whatever type the labels have (dates, timestamps with a time zone,
booleans); the labels themselves are only shown.
Out-of-fold scores of the first repetition (each row predicted exactly
once) feed the ROC and precision-recall curves.
"""

from __future__ import annotations

import importlib
import re
import time
from dataclasses import dataclass, field

import numpy as np

from ._checks import fold_classes, label_text
from ._common import UserError, encode_labels, figure_axes, format_table

# scikit-learn is imported inside the functions that use it: the results table and the
# report need only numpy, and every command pays for what this module imports at the top.

__all__ = ["Evaluation", "METRICS", "best_cells", "evaluate_methods", "make_cv", "make_model",
           "parse_scoring"]

#: name -> (column title, needs continuous scores)
METRICS = {
    "roc_auc": ("ROC AUC", True),
    "pr_auc": ("PR AUC", True),
    "f1": ("F1", False),
    "mcc": ("MCC", False),
    "gmean": ("G-mean", False),
    "recall": ("recall", False),
    "precision": ("precision", False),
    "specificity": ("specificity", False),
    "balanced_accuracy": ("bal. acc.", False),
}
_METRIC_ALIASES = {"average_precision": "pr_auc", "ap": "pr_auc", "auc": "roc_auc", "g_mean": "gmean",
                   "geometric_mean": "gmean", "sensitivity": "recall", "matthews": "mcc", "tpr": "recall"}
DEFAULT_SCORING = ("roc_auc", "pr_auc", "f1", "mcc", "gmean", "recall", "precision")
MODELS = ("tree", "logreg", "forest", "hgb")


def parse_scoring(text) -> list[str]:
    """Metric names from a comma-separated list (aliases accepted)."""
    if not text:
        return list(DEFAULT_SCORING)
    out = []
    for raw in re.split(r"[,\s]+", text.strip()):
        key = raw.lower().replace("-", "_")
        key = _METRIC_ALIASES.get(key, key)
        if key not in METRICS:
            raise UserError(f"--scoring: unknown metric {raw!r}; choose from {', '.join(METRICS)}.")
        if key not in out:
            out.append(key)
    return out


def make_cv(text: str, random_state=None):
    """``RepeatedStratifiedKFold`` from '10x3' (10 folds, 3 repeats) or '5' (one repeat)."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    m = re.fullmatch(r"\s*(\d+)\s*(?:[xX*]\s*(\d+))?\s*", text or "")
    if not m:
        raise UserError(f"--cv expects FOLDSxREPEATS such as 10x3 or 5, got {text!r}.")
    folds, repeats = int(m.group(1)), int(m.group(2) or 1)
    if folds < 2 or repeats < 1:
        raise UserError(f"--cv needs at least 2 folds and 1 repeat, got {text!r}.")
    return RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=random_state)


def make_model(spec: str, random_state=None):
    """A classifier from a short name or a dotted import path (``sklearn.svm.SVC``)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    short = {
        "tree": lambda: DecisionTreeClassifier(random_state=random_state),
        # Scaled so the solver converges and the penalty treats features alike.
        "logreg": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "forest": lambda: RandomForestClassifier(n_estimators=100, random_state=random_state),
        "hgb": lambda: HistGradientBoostingClassifier(random_state=random_state),
    }
    if spec.lower() in short:
        return short[spec.lower()]()
    module_name, _, attr = spec.rpartition(".")
    if not module_name:
        raise UserError(f"--model {spec!r}: use one of {', '.join(MODELS)} or a dotted path such as "
                        "sklearn.svm.SVC.")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise UserError(f"--model {spec!r}: cannot import it ({exc}).") from exc
    try:
        model = factory()
    except TypeError as exc:
        raise UserError(f"--model {spec!r}: cannot build it without arguments ({exc}).") from exc
    if not (hasattr(model, "fit") and hasattr(model, "predict")):
        raise UserError(f"--model {spec!r} is not a classifier (it needs fit and predict).")
    if random_state is not None and "random_state" in model.get_params():
        model.set_params(random_state=random_state)
    return model


def _scores(model, X):
    """Continuous scores, one column per class of ``model.classes_``, or None if the model has none."""
    if hasattr(model, "predict_proba"):
        return np.asarray(model.predict_proba(X))
    if hasattr(model, "decision_function"):
        d = np.asarray(model.decision_function(X))
        return np.column_stack([-d, d]) if d.ndim == 1 else d
    return None


def _take(X, idx):
    return X.iloc[idx] if hasattr(X, "iloc") else X[idx]


def _fit_one(estimator, X, y, train, test, m, s):
    from sklearn.base import clone

    est = clone(estimator)
    start = time.perf_counter()
    est.fit(_take(X, train), y[train])
    Xt = _take(X, test)
    return m, s, est.predict(Xt), _scores(est, Xt), list(getattr(est, "classes_", [])), \
        time.perf_counter() - start


def _metric(name, y_true, y_pred, proba, n_classes, pos, multiclass):
    from sklearn.metrics import (
        average_precision_score,
        balanced_accuracy_score,
        f1_score,
        matthews_corrcoef,
        precision_score,
        recall_score,
        roc_auc_score,
    )
    from sklearn.preprocessing import label_binarize

    from ..metrics import geometric_mean_score, specificity_score

    if METRICS[name][1] and proba is None:
        return np.nan
    if not multiclass:
        score = None if proba is None else proba[:, pos]
        truth = y_true == pos
        return {
            "roc_auc": lambda: roc_auc_score(truth, score),
            "pr_auc": lambda: average_precision_score(truth, score),
            "f1": lambda: f1_score(y_true, y_pred, pos_label=pos, zero_division=0),
            "recall": lambda: recall_score(y_true, y_pred, pos_label=pos, zero_division=0),
            "precision": lambda: precision_score(y_true, y_pred, pos_label=pos, zero_division=0),
            "specificity": lambda: specificity_score(y_true, y_pred, pos_label=pos),
            "mcc": lambda: matthews_corrcoef(y_true, y_pred),
            "gmean": lambda: geometric_mean_score(y_true, y_pred),
            "balanced_accuracy": lambda: balanced_accuracy_score(y_true, y_pred),
        }[name]()
    codes = list(range(n_classes))
    return {
        "roc_auc": lambda: roc_auc_score(y_true, proba, multi_class="ovr", average="macro", labels=codes),
        "pr_auc": lambda: average_precision_score(label_binarize(y_true, classes=codes), proba, average="macro"),
        "f1": lambda: f1_score(y_true, y_pred, average="macro", zero_division=0),
        "recall": lambda: recall_score(y_true, y_pred, average="macro", zero_division=0),
        "precision": lambda: precision_score(y_true, y_pred, average="macro", zero_division=0),
        "specificity": lambda: specificity_score(y_true, y_pred, average="macro"),
        "mcc": lambda: matthews_corrcoef(y_true, y_pred),
        "gmean": lambda: geometric_mean_score(y_true, y_pred),
        "balanced_accuracy": lambda: balanced_accuracy_score(y_true, y_pred),
    }[name]()


#: Means this close count as tied for best: the tables print three decimals.
_TIE = 5e-4


def best_cells(means) -> set:
    """``(method index, metric index)`` of the best mean of every metric; every metric is better higher.

    The one decision behind the terminal table's ``*`` marks and the
    report's highlighted cells. Means within the printed precision of the
    best are all marked; a metric with no value (all NaN) marks nothing.

    Parameters
    ----------
    means : array-like of shape (n_methods, n_metrics)

    Returns
    -------
    set of (int, int)
    """
    means = np.asarray(means, dtype=float)
    out = set()
    for j in range(means.shape[1]):
        col = means[:, j]
        if np.all(np.isnan(col)):
            continue
        top = np.nanmax(col)
        out |= {(int(i), j) for i in np.flatnonzero(np.isclose(col, top, rtol=0, atol=_TIE))}
    return out


@dataclass
class Evaluation:
    """Per-fold scores of every method, and the out-of-fold scores of the first repetition.

    ``y`` holds class codes, ``classes`` the label of each code, ``pos`` the
    code of the positive class (binary targets).
    """

    methods: list
    metrics: list
    y: np.ndarray
    pos: int
    classes: list
    multiclass: bool
    cv_text: str
    fold_scores: dict = field(default_factory=dict)   # method -> (n_splits, n_metrics)
    oof: dict = field(default_factory=dict)           # method -> (n_rows, n_classes) or None
    seconds: dict = field(default_factory=dict)       # method -> fit + predict time, all folds

    @property
    def pos_label(self):
        """The label of the positive class."""
        return self.classes[self.pos]

    def means(self) -> np.ndarray:
        return np.array([np.nanmean(self.fold_scores[m], axis=0) for m in self.methods])

    def stds(self) -> np.ndarray:
        return np.array([np.nanstd(self.fold_scores[m], axis=0) for m in self.methods])

    def table(self):
        """The results table, and which of its cells hold a best mean.

        Returns
        -------
        header : list of str
            'method', one title per metric, 'fit time'.
        rows : list of list of str
            Per method: its name, 'mean ± std' per metric, its time.
        best : set of (int, int)
            ``(row, column)`` positions, in this table, of the cells that
            :func:`best_cells` marks.
        """
        means, stds = self.means(), self.stds()
        # Column 0 holds the method's name: metric j is table column j + 1.
        best = {(i, j + 1) for i, j in best_cells(means)}
        rows = []
        for i, m in enumerate(self.methods):
            cells = [m]
            for j in range(len(self.metrics)):
                cells.append("n/a" if np.isnan(means[i, j]) else f"{means[i, j]:.3f} ± {stds[i, j]:.3f}")
            cells.append(f"{self.seconds[m]:.1f}s")
            rows.append(cells)
        return ["method", *(METRICS[k][0] for k in self.metrics), "fit time"], rows, best

    def text_table(self) -> str:
        """The table as text, each best mean followed by ' *'."""
        header, rows, best = self.table()
        marked = [[cell + " *" if (i, j) in best else cell for j, cell in enumerate(row)]
                  for i, row in enumerate(rows)]
        return format_table(header, marked)

    def averaging_note(self) -> str:
        if self.multiclass:
            return ("Multiclass target: F1, recall, precision, specificity, ROC AUC (one-vs-rest) and PR AUC are "
                    "macro-averaged over classes; G-mean is the geometric mean of the per-class recalls.")
        return f"Positive class: {label_text(self.pos_label)} (the least frequent)."

    def oof_scores(self) -> dict:
        """``{method: scores of the positive class}`` over the first repetition's test folds."""
        return {m: s[:, self.pos] for m, s in self.oof.items() if s is not None}


def evaluate_methods(methods, X, y, *, cv, metrics, classes=None, n_jobs=None, progress=None) -> Evaluation:
    """Cross-validate each ``(name, estimator)`` on the same folds.

    Parameters
    ----------
    methods : list of (str, estimator)
        Pipelines (samplers first, the model last) or plain estimators.
    X : DataFrame or ndarray
    y : array-like
        Class labels of any sortable type, encoded here (see
        :func:`encode_labels`); or, with ``classes``, codes already.
        Samplers see codes: a ``sampling_strategy`` dict is keyed by them.
    cv : RepeatedStratifiedKFold
    metrics : list of str
        Keys of :data:`METRICS`.
    classes : list, default=None
        The label of each code of ``y``, as returned by :func:`encode_labels`.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); results do not depend on it.
    progress : Stage or Progress, default=None
        Its ``advance(detail=method)`` is called once per fitted fold.

    Returns
    -------
    Evaluation
    """
    from joblib import Parallel, delayed

    if classes is None:
        classes, y = encode_labels(y)
    y = np.asarray(y)
    counts = np.bincount(y, minlength=len(classes))
    n_folds = cv.get_n_splits()
    per_repeat = n_folds // cv.n_repeats
    too_small = fold_classes(np.asarray(classes, dtype=object)[y], per_repeat, cv.n_repeats)
    if too_small:
        raise UserError(too_small[0].text)
    # The rarest class is the positive one; on ties, the last label (as in a 0/1 target).
    pos = max(range(len(classes)), key=lambda i: (-counts[i], i))
    splits = list(cv.split(np.zeros(len(y)), y))
    ev = Evaluation([n for n, _ in methods], list(metrics), y, pos, classes, len(classes) > 2,
                    f"{per_repeat}x{cv.n_repeats}")
    for name, _ in methods:
        ev.fold_scores[name] = np.full((n_folds, len(metrics)), np.nan)
        ev.oof[name] = np.zeros((len(y), len(classes)))
        ev.seconds[name] = 0.0
    jobs = (delayed(_fit_one)(est, X, y, tr, te, m, s)
            for m, (_, est) in enumerate(methods) for s, (tr, te) in enumerate(splits))
    parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    for m, s, y_pred, proba, model_classes, secs in parallel(jobs):
        name = methods[m][0]
        test = splits[s][1]
        if proba is not None and len(model_classes) != len(classes):
            # A fold's model may have seen fewer classes: place its columns under their codes.
            full = np.zeros((len(test), len(classes)))
            full[:, np.asarray(model_classes, dtype=np.intp)] = proba
            proba = full
        for j, metric in enumerate(metrics):
            ev.fold_scores[name][s, j] = _metric(metric, y[test], y_pred, proba, len(classes), pos, ev.multiclass)
        if s < per_repeat:
            if proba is None:
                ev.oof[name] = None
            elif ev.oof[name] is not None:
                ev.oof[name][test] = proba
        ev.seconds[name] += secs
        if progress is not None:
            progress.advance(detail=name)
    return ev


def add_to_report(report, ev: Evaluation, *, plots: bool = True) -> None:
    """The metric table (best highlighted) and the out-of-fold ROC and PR curves."""
    report.heading("Cross-validated scores")
    report.paragraph(f"Mean ± standard deviation over the {len(next(iter(ev.fold_scores.values())))} test folds "
                     f"(stratified {ev.cv_text.replace('x', '-fold, repeated ')} times). Every resampler runs "
                     "inside a Pipeline on the training folds only; test folds hold real rows only. "
                     "The best mean per metric is highlighted.")
    header, rows, best = ev.table()
    report.table(header, rows, best=best)
    report.paragraph(ev.averaging_note(), note=True)
    scores = ev.oof_scores()
    if not plots or not scores:
        if not scores:
            report.paragraph("The model gives no scores (no predict_proba or decision_function): "
                             "no ROC or precision-recall curve.", note=True)
        return
    from ..plotting import plot_precision_recall_curves, plot_roc_curves

    fig, (ax1, ax2) = figure_axes(2, figsize=(11.0, 4.8))
    positive = label_text(ev.pos_label)
    plot_roc_curves(ev.y, scores, pos_label=ev.pos, ax=ax1, title=f"ROC, positive class {positive}")
    plot_precision_recall_curves(ev.y, scores, pos_label=ev.pos, ax=ax2,
                                 title=f"Precision-recall, positive class {positive}")
    report.heading("ROC and precision-recall curves")
    report.figure(fig, f"Out-of-fold scores of the first repetition (each row predicted once by a model that "
                       f"never saw it); positive class {positive}"
                       + (" against all others." if ev.multiclass else "."))
