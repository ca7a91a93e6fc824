"""Compare ways of handling imbalance on the same cross-validation folds, resampling inside training folds only.

Every option is fitted on the same outer training folds and scored on the
same held-out rows, so the per-fold differences between two options are
paired. Samplers run inside a Pipeline, so held-out rows are always real.
"""

from __future__ import annotations

import logging
import re
import time
import warnings

import numpy as np

from ._options import ENSEMBLES, KEYWORDS, all_methods, numeric_samplers, plan_units
from ._result import Comparison

__all__ = ["compare", "compare_datasets", "make_cv"]

_log = logging.getLogger(__name__)


def make_cv(cv="5x2", random_state=0):
    """A repeated stratified K-fold splitter from ``'FOLDSxREPEATS'``, an int, or a splitter.

    Parameters
    ----------
    cv : str, int or splitter, default='5x2'
        ``'5x2'``: 5 folds, repeated twice (10 fits per option); ``'2x5'``
        is Dietterich's 5x2cv. An int: that many folds, once. A splitter
        (anything with ``split`` and ``get_n_splits``) is used as given.
    random_state : int or None, default=0
        Seed of the fold assignment.

    Returns
    -------
    splitter
    """
    from sklearn.model_selection import RepeatedStratifiedKFold

    if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
        return cv
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        folds, repeats = int(cv), 1
    else:
        m = re.fullmatch(r"\s*(\d+)\s*(?:[xX*]\s*(\d+))?\s*", str(cv))
        if not m:
            raise ValueError(f"cv expects 'FOLDSxREPEATS' such as '5x2', an int or a splitter; got {cv!r}.")
        folds, repeats = int(m.group(1)), int(m.group(2) or 1)
    if folds < 2 or repeats < 1:
        raise ValueError(f"cv needs at least 2 folds and 1 repeat; got {cv!r}.")
    return RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=random_state)


def _take(X, idx):
    if hasattr(X, "iloc"):
        return X.iloc[idx]
    return X[idx]


def _confusion(y_true, y_pred, pos):
    hit, said = y_true == pos, y_pred == pos
    tp = np.count_nonzero(hit & said)
    fp = np.count_nonzero(said) - tp
    fn = np.count_nonzero(hit) - tp
    return tp, fp, fn, len(y_true) - tp - fp - fn


def _ratio(num, den):
    return num / den if den else 0.0


# Binary objectives from the confusion counts. The threshold search scores every candidate threshold
# on every inner fold (500 calls by default): scikit-learn's metric functions validate their input on
# each call and cost about three times the model's own fits; these give the same values (tested).
_OBJECTIVES = {
    "f1": lambda tp, fp, fn, tn: _ratio(2 * tp, 2 * tp + fp + fn),
    "mcc": lambda tp, fp, fn, tn: _ratio(tp * tn - fp * fn,
                                         float(np.sqrt(float(tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)))),
    "gmean": lambda tp, fp, fn, tn: float(np.sqrt(_ratio(tp, tp + fn) * _ratio(tn, tn + fp))),
    "balanced_accuracy": lambda tp, fp, fn, tn: _mean_recall(tp, fp, fn, tn),
}


def _mean_recall(tp, fp, fn, tn):
    # As balanced_accuracy_score: the mean recall of the classes present in y_true (an inner fold
    # may hold no positive row).
    recalls = [_ratio(tp, tp + fn)] if tp + fn else []
    recalls += [_ratio(tn, tn + fp)] if tn + fp else []
    return sum(recalls) / len(recalls) if recalls else 0.0


def _objective_scorer(objective, pos, cost):
    """A scikit-learn scorer for the threshold search, the positive class being code ``pos``."""
    from sklearn.metrics import get_scorer_names, make_scorer

    if callable(objective):
        return objective
    key = str(objective).lower().replace("-", "_")
    key = {"g_mean": "gmean", "bal_acc": "balanced_accuracy"}.get(key, key)
    if key == "cost":
        if cost is None:
            raise ValueError("objective='cost' needs cost=(cost of a false positive, cost of a false negative).")
        c_fp, c_fn = cost
        formula = lambda tp, fp, fn, tn: -(c_fp * fp + c_fn * fn) / (tp + fp + fn + tn)  # noqa: E731
    elif key in _OBJECTIVES:
        formula = _OBJECTIVES[key]
    elif key in get_scorer_names():
        return key
    else:
        raise ValueError(f"objective {objective!r} is unknown; use f1, mcc, gmean, balanced_accuracy, cost, a "
                         "scikit-learn scorer name or a scorer callable.")

    def score(y_true, y_pred, pos_label):
        return formula(*_confusion(np.asarray(y_true), np.asarray(y_pred), pos_label))

    score.__name__ = key
    # pos_label on the scorer is what tells the threshold search which class's probability to cut.
    return make_scorer(score, pos_label=pos)


def _scores_of(est, X):
    """One column of scores per class: probabilities, or decision values (which rank, not calibrate)."""
    if hasattr(est, "predict_proba"):
        return np.asarray(est.predict_proba(X), dtype=float)
    if hasattr(est, "decision_function"):
        d = np.asarray(est.decision_function(X), dtype=float)
        return np.column_stack([-d, d]) if d.ndim == 1 else d
    return None


def _fit(est, X, y):
    """Fit ``est``; the seconds it took and the warnings it raised (kept per option, reported once)."""
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, y)
    return time.perf_counter() - start, sorted({f"{w.category.__name__}: {w.message}" for w in caught})


def _failed(exc):
    # (probabilities, predictions, threshold, seconds, error, warnings) of an option that could not run
    return None, None, np.nan, np.nan, f"{type(exc).__name__}: {exc}", []


def _fit_plain(unit, reads, Xtr, ytr, Xte):
    """The options read from the unit's own fit: as fitted, or prior-corrected."""
    from sklearn.base import clone

    from ._prior import PriorCorrectedClassifier

    try:
        est = PriorCorrectedClassifier(unit.estimator) if unit.prior else clone(unit.estimator)
        seconds, notes = _fit(est, Xtr, ytr)
        plain = est.estimator_ if unit.prior else est
        plain_proba = _scores_of(plain, Xte)
        return {name: (plain_proba, np.asarray(plain.predict(Xte)), np.nan, seconds, None, notes)
                if read == "plain" else
                (est.predict_proba(Xte), np.asarray(est.predict(Xte)), np.nan, seconds, None, notes)
                for name, read in reads.items()}
    except Exception as exc:  # one option failing on one fold must not end the comparison
        return dict.fromkeys(reads, _failed(exc))


def _fit_tuned(unit, Xtr, ytr, Xte, *, scorer, threshold_cv, random_state):
    """What a threshold tuned by inner cross-validation of the training fold predicts."""
    from sklearn.base import clone
    from sklearn.model_selection import TunedThresholdClassifierCV

    try:
        tuner = TunedThresholdClassifierCV(clone(unit.estimator), scoring=scorer, cv=threshold_cv,
                                           random_state=random_state)
        seconds, notes = _fit(tuner, Xtr, ytr)
        return (_scores_of(tuner.estimator_, Xte), np.asarray(tuner.predict(Xte)), float(tuner.best_threshold_),
                seconds, None, notes)
    except Exception as exc:
        return _failed(exc)


def _fit_unit(unit, X, y, train, test, u, s, *, scorer, threshold_cv, random_state):
    """Fit one unit on one outer training fold; what each of its options predicts on the test fold."""
    Xtr, ytr, Xte = _take(X, train), y[train], _take(X, test)
    reads = {name: read for name, read in unit.reads.items() if read != "threshold"}
    out = _fit_plain(unit, reads, Xtr, ytr, Xte) if reads else {}
    tuned = [name for name, read in unit.reads.items() if read == "threshold"]
    if tuned:
        # The search refits the model on the whole training fold: the threshold options read that fit,
        # and their fit time is the whole search's.
        result = _fit_tuned(unit, Xtr, ytr, Xte, scorer=scorer, threshold_cv=threshold_cv,
                            random_state=random_state)
        out.update(dict.fromkeys(tuned, result))
    return u, s, out


def _encode(y):
    y = np.asarray(y)
    if y.ndim != 1:
        y = y.ravel() if y.ndim == 2 and 1 in y.shape else y
    if y.ndim != 1:
        raise ValueError(f"y must be one column of class labels; got shape {np.shape(y)}.")
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError("y has missing labels (NaN); drop those rows or give them a class.")
    classes, codes = np.unique(y, return_inverse=True)
    return classes, codes


def compare(X, y, estimator, *, methods=("none", "threshold", "balanced", "calibrated", "SMOTE", "SMOTE+threshold",
                                        "SMOTE+prior"),
            cv="5x2", metrics=None, objective="f1", cost=None, baseline="none", threshold_cv=5, n_jobs=None,
            random_state=0, check_leak=True, progress=None) -> Comparison:
    """Cross-validate several ways of handling class imbalance on the same folds, and compare them to a baseline.

    Parameters
    ----------
    X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        The data, *before* any resampling: resampling happens inside each
        training fold. Data that look already resampled draw a
        :class:`~smotekit.exceptions.ResampledDataWarning`.
    y : array-like of shape (n_samples,)
        Class labels. The rarest class is the positive one.
    estimator : classifier
        The model every option is built around (cloned, never fitted itself).
    methods : sequence, default=('none', 'threshold', 'balanced', 'calibrated', 'SMOTE', 'SMOTE+threshold', \
'SMOTE+prior')
        The options to compare: names (``'none'``, ``'threshold'``,
        ``'balanced'``, ``'calibrated'``, any sampler's name, a balanced
        ensemble: ``'balanced-bagging'``, ``'balanced-random-forest'``,
        ``'easy-ensemble'``, ``'rusboost'``, each optionally followed by
        ``'+threshold'`` or ``'+prior'``), sampler instances, or ``(name,
        sampler or estimator)`` pairs. ``'all'`` stands for every option
        with every sampler that takes numeric data.
    cv : str, int or splitter, default='5x2'
        See :func:`make_cv`. The confidence intervals assume repeated
        K-fold (the test share enters the corrected t-test).
    metrics : str or list of str, default=None
        Metric keys (see :data:`smotekit.evaluation.METRICS`); the default set
        when None. ``'cost'`` is added when ``cost`` is given.
    objective : str or callable, default='f1'
        What the tuned threshold maximises: ``'f1'``, ``'mcc'``, ``'gmean'``,
        ``'balanced_accuracy'``, ``'cost'`` (minimises the expected cost), a
        scikit-learn scorer name or a scorer.
    cost : (float, float), default=None
        Cost of a false positive and of a false negative; adds the expected
        cost per row as a metric (two classes only).
    baseline : str, default='none'
        The option every other is tested against.
    threshold_cv : int or splitter, default=5
        The inner cross-validation of the threshold search.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); results do not depend on it.
    random_state : int or None, default=0
        Seed of the folds, and of the samplers and ensembles built from names.
    check_leak : bool, default=True
        Warn when ``X, y`` look already resampled.
    progress : callable, default=None
        Called as ``progress(done, total, detail)`` after each fitted fold:
        folds fitted so far, folds to fit (every base method on every
        split), and the base method just fitted.

    Returns
    -------
    Comparison
    """
    from joblib import Parallel, delayed

    from ._scores import parse_metrics, score_fold

    if not hasattr(X, "shape") and not hasattr(X, "iloc"):
        X = np.asarray(X)
    classes, codes = _encode(y)
    if len(classes) < 2:
        raise ValueError(f"y has a single class ({classes[0]!r}); there is nothing to balance or compare.")
    n_rows = X.shape[0] if hasattr(X, "shape") else len(X)
    if n_rows != len(codes):
        raise ValueError(f"X has {n_rows} rows and y {len(codes)}; they must match.")
    if check_leak:
        from ._leak import suspicions, warn_resampled

        # Attributed to the caller of compare, whose data it is.
        warn_resampled(suspicions(X, y), stacklevel=3)
    counts = np.bincount(codes, minlength=len(classes))
    # The rarest class is the positive one; on ties the last label (as in a 0/1 target).
    pos = max(range(len(classes)), key=lambda i: (-counts[i], i))
    metric_keys = parse_metrics(metrics)
    if cost is None and "cost" in metric_keys:
        raise ValueError("metrics include 'cost', which needs cost=(cost of a false positive, cost of a false "
                         "negative).")
    if cost is not None:
        cost = tuple(float(c) for c in cost)
        if len(cost) != 2 or min(cost) < 0:
            raise ValueError(f"cost must be (cost of a false positive, cost of a false negative), both >= 0; "
                             f"got {cost!r}.")
        if "cost" not in metric_keys:
            metric_keys.append("cost")
    methods = [methods] if isinstance(methods, str) else list(methods)
    if any(isinstance(m, str) and m.lower() == "all" for m in methods):
        expanded = []
        for m in methods:
            expanded.extend(all_methods(numeric_samplers(len(classes)), n_classes=len(classes))
                            if isinstance(m, str) and m.lower() == "all" else [m])
        methods = expanded
    units, options, skipped = plan_units(methods, estimator, n_classes=len(classes), random_state=random_state)
    for name, why in skipped.items():
        _log.info("option %s skipped: %s", name, why)
    if baseline not in options:
        raise ValueError(f"baseline {baseline!r} is not among the options compared ({', '.join(options)}).")
    splitter = make_cv(cv, random_state)
    splits = list(splitter.split(np.zeros((n_rows, 1)), codes))
    per_repeat = splitter.get_n_splits() // getattr(splitter, "n_repeats", 1)
    scorer = _objective_scorer(objective, pos, cost) if any(u.tune for u in units) else None
    kinds, descriptions = {}, {}
    for unit in units:
        for name, read in unit.reads.items():
            descriptions[name] = unit.describe(read)
            if unit.is_sampler:
                kinds[name] = "resampler" if read == "plain" else f"resampler+{read}"
            elif read == "threshold":
                kinds[name] = "threshold"
            elif unit.base.lower() in KEYWORDS:
                kinds[name] = "model"
            elif re.sub(r"[\s_]+", "-", unit.base.lower()) in ENSEMBLES:
                kinds[name] = "ensemble" if read == "plain" else f"ensemble+{read}"
            else:
                kinds[name] = "other"
    comp = Comparison(options=options, kinds=kinds, descriptions=descriptions, metrics=metric_keys,
                      classes=list(classes), y=codes, pos=pos,
                      baseline=baseline, splits=splits, per_repeat=per_repeat, skipped=skipped,
                      objective=objective if isinstance(objective, str) else getattr(objective, "__name__", "custom"),
                      cost=cost)
    jobs = (delayed(_fit_unit)(unit, X, codes, tr, te, u, s, scorer=scorer, threshold_cv=threshold_cv,
                               random_state=random_state)
            for u, unit in enumerate(units) for s, (tr, te) in enumerate(splits))
    time_col = metric_keys.index("fit_time") if "fit_time" in metric_keys else None
    total = len(units) * len(splits)
    for done, (u, s, out) in enumerate(Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs), start=1):
        test = splits[s][1]
        for name, (proba, pred, threshold, seconds, error, notes) in out.items():
            row = options.index(name)
            comp.warnings.setdefault(name, set()).update(notes)
            if error is not None:
                comp.errors.setdefault(name, error)
                continue
            comp.scores[row, s] = score_fold(metric_keys, codes[test], pred, proba, pos=pos, n_classes=len(classes),
                                             cost=cost)
            if time_col is not None:
                comp.scores[row, s, time_col] = seconds
            comp.thresholds[row, s] = threshold
            if s < per_repeat and proba is not None:
                comp.oof[name][test] = proba
        if progress is not None:
            progress(done, total, units[u].base)
    for name, error in comp.errors.items():
        _log.warning("option %s failed on at least one fold: %s", name, error)
    if baseline in comp.errors:
        _log.warning("the baseline %s failed on some folds: its comparisons use the other folds only", baseline)
    return comp


def compare_datasets(datasets, estimator, *, progress=None, **kwargs):
    """:func:`compare` on each data set, with the same options and settings.

    Parameters
    ----------
    datasets : dict
        ``{name: (X, y)}``.
    estimator : classifier
    progress : callable, default=None
        Called as ``progress(dataset_name, done, total, detail)`` after each
        fitted fold (see :func:`compare`).
    **kwargs
        Passed to :func:`compare`.

    Returns
    -------
    MultiComparison
    """
    from ._result import MultiComparison

    if not datasets:
        raise ValueError("datasets is empty; give {name: (X, y)} for at least one data set.")
    results = {}
    for name, (X, y) in datasets.items():
        step = None if progress is None else (lambda done, total, detail, _n=name: progress(_n, done, total, detail))
        results[name] = compare(X, y, estimator, progress=step, **kwargs)
    return MultiComparison(results)
