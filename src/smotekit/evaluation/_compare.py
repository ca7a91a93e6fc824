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



#: The objectives a threshold can be tuned for, by name (a scorer callable is taken as given).
OBJECTIVES = ("f1", "mcc", "gmean", "balanced_accuracy", "cost")


def _objective_scorer(objective, pos_label, cost):
    """A scikit-learn scorer for the threshold search, ``pos_label`` being the positive class's label.

    The search scores every candidate threshold on every inner fold (500 calls by default), so the
    named objectives are computed from the confusion counts (the formulas the scores use), not by
    scikit-learn's metric functions, which validate their input on every call.
    """
    from sklearn.metrics import make_scorer

    from ._scores import FROM_COUNTS, confusion_counts

    if callable(objective):
        return objective
    key = str(objective).lower().replace("-", "_")
    key = {"g_mean": "gmean", "bal_acc": "balanced_accuracy"}.get(key, key)
    if key == "cost":
        if cost is None:
            raise ValueError("objective='cost' needs cost=(cost of a false positive, cost of a false negative).")
        c_fp, c_fn = cost

        def formula(tp, fp, fn, tn):
            return -(c_fp * fp + c_fn * fn) / (tp + fp + fn + tn)
    elif key in OBJECTIVES:
        formula = FROM_COUNTS[key]
    else:
        # A scorer name would need this comparison's positive class, which scikit-learn's named scorers do not
        # take; threshold-free ones (roc_auc, log loss) would make the search meaningless.
        raise ValueError(f"objective {objective!r} is not one a threshold can be tuned for here; use one of "
                         f"{', '.join(OBJECTIVES)}, or a scorer callable built with the positive label "
                         "(make_scorer(..., pos_label=...)).")

    def score(y_true, y_pred, pos_label):
        return formula(*confusion_counts(np.asarray(y_true), np.asarray(y_pred), pos_label))

    score.__name__ = key
    # pos_label on the scorer is what tells the threshold search which class's probability to cut.
    return make_scorer(score, pos_label=pos_label)


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


def _predicted(est, Xte, classes, scores):
    """``(scores, predictions)`` of a fitted estimator, as columns and codes of ``classes``."""
    return _aligned(scores, est.classes_, classes), _codes_of(est.predict(Xte), classes)


def _fit_plain(unit, reads, Xtr, ytr, Xte, classes):
    """The options read from the unit's own fit: as fitted, or prior-corrected."""
    from sklearn.base import clone

    from ._prior import PriorCorrectedClassifier

    out = {}
    if unit.prior:
        corrected = [name for name, read in reads.items() if read == "prior"]
        try:
            est = PriorCorrectedClassifier(unit.estimator)
            seconds, notes = _fit(est, Xtr, ytr)
            result = (*_predicted(est, Xte, classes, est.predict_proba(Xte)), np.nan, seconds, None, notes)
            out = dict.fromkeys(corrected, result)
            plain, plain_time, plain_notes = est.estimator_, seconds, notes
        except Exception as exc:  # one option failing on one fold must not end the comparison
            # The correction can fail where the model does not (a sampler without a plan): the plain
            # options still get their own fit.
            out = dict.fromkeys(corrected, _failed(exc))
            plain = None
    else:
        plain = None
    wanted = [name for name, read in reads.items() if read == "plain"]
    if not wanted:
        return out
    try:
        if plain is None:
            plain = clone(unit.estimator)
            plain_time, plain_notes = _fit(plain, Xtr, ytr)
        result = (*_predicted(plain, Xte, classes, _scores_of(plain, Xte)), np.nan, plain_time, None, plain_notes)
    except Exception as exc:
        result = _failed(exc)
    out.update(dict.fromkeys(wanted, result))
    return out


def _fit_tuned(unit, Xtr, ytr, Xte, classes, *, scorer, threshold_cv, random_state):
    """What a threshold tuned by inner cross-validation of the training fold predicts."""
    from sklearn.base import clone
    from sklearn.model_selection import TunedThresholdClassifierCV

    try:
        tuner = TunedThresholdClassifierCV(clone(unit.estimator), scoring=scorer, cv=threshold_cv,
                                           random_state=random_state)
        seconds, notes = _fit(tuner, Xtr, ytr)
        return (*_predicted(tuner, Xte, classes, _scores_of(tuner.estimator_, Xte)), float(tuner.best_threshold_),
                seconds, None, notes)
    except Exception as exc:
        return _failed(exc)


def _fit_unit(unit, X, y, classes, train, test, u, s, *, scorer, threshold_cv, random_state):
    """Fit one unit on one outer training fold; what each of its options predicts on the test fold.

    The estimators see the labels as given (a sampler's or a model's parameters may name classes);
    what they predict comes back as class codes and score columns in the order of ``classes``.
    """
    from ..utils._containers import adapter_for

    # Fold rows through the container's own adapter: numpy, sparse, pandas and polars alike.
    adapter = adapter_for(X)
    Xtr, ytr, Xte = adapter.take(X, train), y[train], adapter.take(X, test)
    reads = {name: read for name, read in unit.reads.items() if read != "threshold"}
    out = _fit_plain(unit, reads, Xtr, ytr, Xte, classes) if reads else {}
    tuned = [name for name, read in unit.reads.items() if read == "threshold"]
    if tuned:
        # The search refits the model on the whole training fold: the threshold options read that fit,
        # and their fit time is the whole search's.
        result = _fit_tuned(unit, Xtr, ytr, Xte, classes, scorer=scorer, threshold_cv=threshold_cv,
                            random_state=random_state)
        out.update(dict.fromkeys(tuned, result))
    return u, s, out


def _check_cost(cost, n_classes, pos):
    """``cost`` checked (a pair, or a matrix C[true, predicted] of class codes), and the binary pair it gives."""
    if cost is None:
        return None, None
    values = np.asarray(cost, dtype=float)
    if values.shape == (2,) and n_classes > 2:
        raise ValueError(f"cost=(FP, FN) names no classes, and y has {n_classes}: give a ({n_classes}, "
                         f"{n_classes}) matrix C[true, predicted] (classes in sorted order).")
    if values.shape not in ((2,), (n_classes, n_classes)) or not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"cost must be (cost of a false positive, cost of a false negative), or a ({n_classes}, "
                         f"{n_classes}) matrix C[true, predicted], finite and >= 0; got {cost!r}.")
    if values.shape == (2,):
        return tuple(values.tolist()), tuple(values.tolist())
    binary = (float(values[1 - pos, pos]), float(values[pos, 1 - pos])) if n_classes == 2 else None
    return values, binary


def _kind(unit, read):
    """The kind of an option, for ``Comparison.kinds``."""
    suffix = "" if read == "plain" else f"+{read}"
    if unit.is_sampler:
        return "resampler" + suffix
    if unit.base.lower() in KEYWORDS:
        return "threshold" if read == "threshold" else "model"
    if re.sub(r"[\s_]+", "-", unit.base.lower()) in ENSEMBLES:
        return "ensemble" + suffix
    return "other" + suffix


def _codes_of(labels, classes):
    """Class codes (positions in the sorted ``classes``) of predicted labels."""
    labels = np.asarray(labels)
    idx = np.clip(np.searchsorted(classes, labels), 0, len(classes) - 1)
    if not np.array_equal(classes[idx], labels):
        raise ValueError(f"the model predicted labels outside the classes of y: {np.setdiff1d(labels, classes)[:5]}")
    return idx


def _aligned(proba, model_classes, classes):
    """Score columns in the order of ``classes`` (a fold's model may have seen fewer classes)."""
    if proba is None or np.array_equal(np.asarray(model_classes), classes):
        return proba
    full = np.zeros((proba.shape[0], len(classes)))
    full[:, _codes_of(model_classes, classes)] = proba
    return full


def _encode(y):
    y = np.asarray(y)
    if y.ndim != 1:
        y = y.ravel() if y.ndim == 2 and 1 in y.shape else y
    if y.ndim != 1:
        raise ValueError(f"y must be one column of class labels; got shape {np.shape(y)}.")
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError("y has missing labels (NaN); drop those rows or give them a class.")
    classes, codes = np.unique(y, return_inverse=True)
    return y, classes, codes


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
        ``'balanced_accuracy'``, ``'cost'`` (minimises the expected cost), or
        a scorer callable built with the positive class's label
        (``make_scorer(..., pos_label=...)``).
    cost : (float, float) or array-like of shape (n_classes, n_classes), default=None
        Cost of a false positive and of a false negative (two classes), or a
        ``(n_classes, n_classes)`` matrix ``C[true, predicted]`` in the order of
        the sorted classes; adds the expected cost per row as a metric.
    baseline : str, default='none'
        The option every other is tested against.
    threshold_cv : int or splitter, default=5
        The inner cross-validation of the threshold search.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); the scores do not depend on it
        (fit times do).
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
    from sklearn.utils.multiclass import type_of_target

    from ._scores import parse_metrics, score_fold

    if not hasattr(X, "shape") and not hasattr(X, "iloc"):
        X = np.asarray(X)
    labels, classes, codes = _encode(y)
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
    cost, binary_cost = _check_cost(cost, len(classes), pos)
    if cost is not None and "cost" not in metric_keys:
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
    # The estimators see the labels as given, so that parameters naming classes work; labels scikit-learn
    # cannot classify (timestamps, mixed types) are given as their codes instead.
    if type_of_target(labels) in ("binary", "multiclass"):
        y_fit, fit_classes = labels, classes
    else:
        y_fit, fit_classes = codes, np.arange(len(classes))
    scorer = _objective_scorer(objective, fit_classes[pos], binary_cost) if any(u.tune for u in units) else None
    kinds, descriptions = {}, {}
    for unit in units:
        for name, read in unit.reads.items():
            descriptions[name] = unit.describe(read)
            kinds[name] = _kind(unit, read)
    comp = Comparison(options=options, kinds=kinds, descriptions=descriptions, metrics=metric_keys,
                      classes=list(classes), y=codes, pos=pos,
                      baseline=baseline, splits=splits, per_repeat=per_repeat, skipped=skipped,
                      objective=objective if isinstance(objective, str) else getattr(objective, "__name__", "custom"),
                      cost=cost)
    jobs = (delayed(_fit_unit)(unit, X, y_fit, fit_classes, tr, te, u, s, scorer=scorer, threshold_cv=threshold_cv,
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
        # Kept in comp.errors for the caller to show; logged for those who only read logs.
        _log.info("option %s failed on at least one fold: %s", name, error)
    scored = [k for k in metric_keys if k != "fit_time"]
    row = comp.scores[options.index(baseline)][:, [metric_keys.index(k) for k in scored]]
    if scored and np.isnan(row).all():
        raise ValueError(f"The baseline {baseline!r} could not be scored on any fold"
                         + (f" ({comp.errors[baseline]})" if baseline in comp.errors else "")
                         + "; every comparison needs it. Fix that option, or choose another baseline.")
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
