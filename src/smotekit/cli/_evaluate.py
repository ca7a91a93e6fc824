"""``smotekit evaluate``: cross-validate a model with several resampling methods, leakage-free."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._checks import check_data, enforce, fold_classes, label_text, small_classes
from ._common import UserError, class_counts, encode_labels, figure_axes, names, split_list
from ._progress import Feedback, csv_size
from ._read import load
from ._samplers import parse_params, prepare_sampler, samplers
from ._write import check_report_engine, check_writable_file, write_report

__all__ = ["cmd_evaluate"]


def _encoder(X, kinds):
    cat = [c for c in X.columns if kinds[c] == "categorical"]
    if not cat:
        return None
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder

    return ColumnTransformer([("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False), cat)],
                             remainder="passthrough")


def _strategy_by_code(sampler, labels) -> None:
    """Key a sampler's classes (``class=count`` or a list of classes) by class code, as it sees the target here."""
    strategy = sampler.sampling_strategy
    if not isinstance(strategy, (dict, list, tuple)):
        return
    unknown = [lab for lab in strategy if lab not in labels]
    if unknown:
        raise UserError(f"sampling_strategy names {label_text(unknown[0])}, which is not a class of the target; "
                        f"classes are {', '.join(map(label_text, labels))}.")
    codes = ({labels.index(lab): n for lab, n in strategy.items()} if isinstance(strategy, dict)
             else [labels.index(lab) for lab in strategy])
    sampler.set_params(sampling_strategy=codes)


def cmd_evaluate(args) -> int:
    from ._evaluation import make_cv, make_model, parse_scoring

    if args.report:
        _check_report(args, inputs=[args.file])
    metrics = parse_scoring(args.scoring)
    cv = make_cv(args.cv, args.random_state)
    model = make_model(args.model, args.random_state)
    # Inside the block, a stage that holds the main thread (one long fold) still gets its timed lines,
    # and a live display is stopped however the command ends.
    with Feedback(enabled=not args.quiet) as feedback:
        return _evaluate(args, metrics, cv, model, feedback)


def _evaluate(args, metrics, cv, model, feedback) -> int:
    from ..pipeline import Pipeline
    from ._evaluation import evaluate_methods

    reading = feedback.stage(f"reading {args.file}", total=csv_size(args.file), unit="bytes")
    data = load(args.file, args.target, args.drop, sep=args.sep, na_values=args.na_values,
                decimal=args.decimal, progress=reading.advance)
    reading.done(len(data.frame), unit="rows", detail=f"{data.frame.shape[1]} columns")
    enforce(check_data(data, evaluates=True), "evaluate")
    X, kinds = data.X, data.kinds
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        raise UserError(f"Columns {names(other)} are neither numeric nor categorical (dates?); --drop them.")
    # Everything below the command line sees class codes; the labels (dates, booleans...) are only shown.
    labels, codes = encode_labels(data.y)
    y = np.empty(len(labels), dtype=object)
    y[:] = labels
    y = y[codes]
    folds = cv.get_n_splits() // cv.n_repeats
    enforce(fold_classes(y, folds, cv.n_repeats), "evaluate")
    encoder = _encoder(X, kinds)
    tail = ([("encode", encoder)] if encoder is not None else []) + [("model", model)]
    methods = []
    used = set()
    available = samplers()
    for word in split_list(args.methods) or ["none", "smote"]:
        if word.lower() == "none":
            label, steps = "none", []
        else:
            label, sampler = prepare_sampler(word, X, kinds, labels, params=args.param,
                                             sampling_strategy=args.sampling_strategy,
                                             random_state=args.random_state, categorical=args.categorical,
                                             available=available, skip_unknown=True)
            enforce(small_classes(label, sampler, y, folds=folds, repeats=cv.n_repeats), "evaluate")
            _strategy_by_code(sampler, labels)
            steps = [("sampler", sampler)]
            used.update(k for k in parse_params(args.param) if k in sampler.get_params())
        if label not in [m for m, _ in methods]:
            methods.append((label, Pipeline(steps + tail)))
    unused = [k for k in parse_params(args.param) if k not in used]
    if unused:
        raise UserError(f"--param {', '.join(unused)}: no method in --methods has such a parameter "
                        "(see `smotekit methods NAME`).")
    if encoder is None:
        X = X.to_numpy(dtype=np.float64)  # all numeric: plain arrays are cheaper to slice per fold
    # Folds, not rows: the stage counts fits (methods x splits) and reports them as such.
    total = len(methods) * cv.get_n_splits()
    folds_stage = feedback.stage("evaluating", total=total, unit="")
    try:
        ev = evaluate_methods(methods, X, codes, classes=labels, cv=cv, metrics=metrics, n_jobs=args.n_jobs,
                              progress=folds_stage)
    except (ValueError, TypeError) as exc:  # the with block of cmd_evaluate ends the stage
        raise UserError(f"evaluation failed: {exc}") from exc
    folds_stage.done(summary=f"evaluating: {folds_stage.count}/{total} done in "
                             f"{feedback.clock() - folds_stage.started:.1f}s")
    feedback.close()  # the results below go to stdout, after the last stage line
    model_name = "LogisticRegression (scaled)" if args.model == "logreg" else type(model).__name__
    print(f"{args.file}: {len(y)} rows, model {model_name}, stratified {folds}-fold "
          f"CV x {cv.n_repeats}; resampling inside the pipeline, training folds only.")
    print(ev.text_table())
    print("* best mean per metric. " + ev.averaging_note())
    if args.report:
        _write_evaluate_report(args, ev, y, model_name, methods)
        print(f"Report written to {args.report}")
    return 0


def _check_report(args, inputs=()):
    path = Path(args.report)
    if path.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"--report {args.report!r}: give a file name ending in .html.")
    check_writable_file(path, inputs=inputs, force=args.force, option="--report")
    check_report_engine()


def _write_evaluate_report(args, ev, y, model_name, methods):
    from ..plotting import plot_class_distribution
    from ..report import HtmlReport
    from ._evaluation import add_to_report

    rep = HtmlReport(f"smotekit evaluate: {Path(args.file).name}",
                     f"target {args.target!r} · model {model_name} · CV {args.cv}")
    counts = class_counts(y)
    rep.heading("Data")
    rep.paragraph(f"{len(y)} rows; classes and counts below.")
    total = sum(counts.values())
    rep.table(["class", "rows", "share"], [[k, v, f"{v / total:.2%}"] for k, v in counts.items()])
    fig, (ax,) = figure_axes(figsize=(6.0, 1.6 + 0.45 * len(counts)))
    plot_class_distribution(counts, ax=ax, title=f"Classes of {args.target!r}")
    rep.figure(fig, "Class distribution.")
    add_to_report(rep, ev)
    rep.heading("Methods")
    rep.table(["method", "pipeline"], [[n, " → ".join(type(s).__name__ for _, s in p.steps)] for n, p in methods])
    write_report(rep, args.report)
