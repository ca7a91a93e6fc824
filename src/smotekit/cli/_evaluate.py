"""``smotekit evaluate``: should this data be resampled? Every option on the same folds, with statistics.

Each file is read, checked and handed to :func:`smotekit.evaluation.compare`;
with several files (or a folder) the options are also ranked across data sets.
Resampling happens inside the training folds only, by construction.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np

from ..evaluation._report import failure_text
from ..report import figure_axes
from ._checks import check_data, enforce, fold_classes, label_text, small_classes
from ._common import UserError, class_counts, encode_labels, names, note, split_list
from ._progress import Feedback, csv_size
from ._read import load
from ._samplers import capabilities, parameters_of, parse_params, prepare_sampler, resolve_method, samplers
from ._targets import refuse_other_kinds
from ._write import check_report_engine, check_writable_file, write_report

__all__ = ["cmd_evaluate", "data_files"]

_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq")
_COMPRESSED = (".gz", ".bz2", ".xz", ".zip", ".zst")
DEFAULT_METHODS = ("none", "threshold", "balanced", "calibrated", "smote", "smote+threshold", "smote+prior")
#: What to do instead of evaluate for the targets it does not take.
_OTHER_KINDS = {
    "regression": "Compare in Python, resampling inside the training folds with smotekit.pipeline.Pipeline: "
                  "cross_val_score(Pipeline([('smogn', SMOGN()), ('model', model)]), X, y, "
                  "scoring=smotekit.metrics.neg_sera_scorer) against cross_val_score(model, ...) "
                  "(smotekit.metrics.sera and rare_f1_score score predictions by relevance).",
    "multilabel": "Compare in Python, resampling inside the training folds with smotekit.pipeline.Pipeline: "
                  "cross_val_score(Pipeline([('mlsmote', MLSMOTE()), ('model', model)]), X, Y, scoring='f1_macro') "
                  "against cross_val_score(model, X, Y, scoring='f1_macro').",
}


def _is_data_file(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED:
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in _SUFFIXES


def data_files(items) -> list:
    """The files named, a folder standing for the data files directly inside it (sorted by name)."""
    out = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and _is_data_file(p))
            if not found:
                raise UserError(f"{item}: no CSV or Parquet file in this folder.")
            out.extend(found)
        else:
            out.append(path)
    seen, unique = set(), []
    for p in out:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


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


def _applicable(available, X, kinds, n_classes) -> list:
    """The sampler names ``--methods all`` stands for on this data."""
    from ..evaluation._options import numeric_samplers

    cat = [c for c in X.columns if kinds[c] == "categorical"]
    numeric = [n for n in numeric_samplers(n_classes) if n in available]
    if not cat:
        return numeric
    # With categorical columns only the methods that keep rows whole or draw categories apply. SMOTE-NC
    # needs a numeric column to interpolate; SMOTE-N treats every column as categorical.
    out = [n for n in numeric if capabilities(available[n]).categorical == "kept"]
    for name, cls in available.items():
        cap = capabilities(cls)
        if cap.categorical != "yes" or (n_classes > 2 and not cap.multiclass):
            continue
        # prepare_sampler fills categorical_features; any other required parameter has no value here.
        if set(getattr(cls, "_check_init_params", {})) - {"categorical_features"}:
            continue
        takes_positions = "categorical_features" in parameters_of(cls)
        if takes_positions == (len(cat) < X.shape[1]):
            out.append(name)
    return out


def _key(word: str) -> str:
    """A method word as compared: case, spaces and '_' do not matter."""
    return re.sub(r"[\s_]+", "-", word.strip().lower())


def _methods(args, X, kinds, labels, y, cv, available):
    """``(methods for compare, parameters used, built)``: keywords as words, samplers built for this data.

    ``built`` maps a sampler word (lower case) to the option name its sampler got (None if left out).
    """
    from ..evaluation._options import _MODIFIERS, ENSEMBLES, KEYWORDS, all_methods

    words = split_list(args.methods) or list(DEFAULT_METHODS)
    folds, repeats = cv.get_n_splits() // cv.n_repeats, cv.n_repeats
    categorical = [c for c in X.columns if kinds[c] == "categorical"]
    expanded = []
    for word in words:
        if word.lower() == "all":
            # The ensembles turn X into an array before the model's encoder sees the categorical columns.
            if categorical:
                note(f"--methods all: left out the balanced ensembles, which cannot pass categorical columns "
                     f"{names(categorical)} on to the model's encoder.")
            expanded.extend((w, True) for w in all_methods(_applicable(available, X, kinds, len(labels)),
                                                           n_classes=len(labels), ensembles=not categorical))
        else:
            expanded.append((word, False))
    plain = {k.lower() for k in (*KEYWORDS, *ENSEMBLES, "threshold")}
    built, samplers_of, used, dropped = {}, {}, set(), []
    for word, from_all in expanded:
        base = word.partition("+")[0].strip()
        if _key(base) in plain or base.lower() in built:
            continue
        try:
            label, sampler = prepare_sampler(base, X, kinds, labels, params=args.param,
                                             sampling_strategy=args.sampling_strategy,
                                             random_state=args.random_state, categorical=args.categorical,
                                             available=available, skip_unknown=True)
            findings = small_classes(label, sampler, y, folds=folds, repeats=repeats)
            if from_all and any(f.fatal for f in findings):
                raise UserError(next(f.text for f in findings if f.fatal))
            enforce(findings, "evaluate")
        except UserError as exc:
            if not from_all:
                raise
            dropped.append(f"{base} ({exc})")
            built[base.lower()] = None
            continue
        _strategy_by_code(sampler, labels)
        used.update(k for k in parse_params(args.param) if k in sampler.get_params())
        built[base.lower()] = label
        samplers_of[label] = sampler
    # Every sampler option is given as (option name, sampler): 'SMOTE+prior' alone registers SMOTE for the
    # comparison without adding the plain option nobody asked for.
    methods, seen = [], set()
    for word, _ in expanded:
        base, plus, modifier = word.partition("+")
        base = base.strip()
        if _key(base) in plain:
            name, item = word.strip(), word.strip()
        elif built[base.lower()] is None:
            continue
        else:
            label = built[base.lower()]
            name = f"{label}+{modifier.strip()}" if plus else label
            if plus and modifier.strip().lower() not in _MODIFIERS:
                # Refused by compare, with the modifiers it knows, once the sampler is there to refer to.
                methods.append((label, samplers_of[label]))
                item = name
            else:
                item = (name, samplers_of[label])
        if name not in seen:
            seen.add(name)
            methods.append(item)
    if dropped:
        note(f"--methods all: left out {len(dropped)} sampler(s) that cannot run on this data: "
             + "; ".join(dropped))
    return methods, used, built


def _baseline(text, methods, built, available):
    """The option name ``--baseline`` stands for: an option as typed in any case, or a sampler by any name."""
    options = [m if isinstance(m, str) else m[0] for m in methods]
    by_key = {_key(o): o for o in options}
    if _key(text) in by_key:
        return by_key[_key(text)]
    base, plus, modifier = text.partition("+")
    label = built.get(base.strip().lower())
    if label is None:
        try:
            label = resolve_method(base.strip(), available)[0]
        except UserError:
            label = None
    name = f"{label}+{modifier.strip()}" if plus else label
    if name is not None and _key(name) in by_key:
        return by_key[_key(name)]
    raise UserError(f"--baseline {text!r} is not among the options ({', '.join(options)}); name one of them, "
                    "or add it to --methods.")


def _parse_cost(text):
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        cost = tuple(float(p) for p in parts)
    except ValueError:
        cost = ()
    if len(cost) != 2 or min(cost) < 0:
        raise UserError(f"--cost expects FP,FN: the cost of a false positive and of a false negative, two "
                        f"non-negative numbers such as 1,20; got {text!r}.")
    return cost


def cmd_evaluate(args) -> int:
    from ..evaluation._compare import make_cv
    from ..evaluation._scores import parse_metrics
    from ._models import make_model

    refuse_other_kinds(args, "evaluate", _OTHER_KINDS)
    files = data_files(args.file)
    if args.report:
        _check_report(args, inputs=files)
    try:
        metrics = parse_metrics(args.scoring)
    except ValueError as exc:
        raise UserError(f"--scoring: {exc}") from None
    try:
        cv = make_cv(args.cv, args.random_state)
    except ValueError:
        raise UserError(f"--cv expects FOLDSxREPEATS such as 5x2 (5 folds, 2 repeats), at least 2 folds; "
                        f"got {args.cv!r}.") from None
    cost = _parse_cost(args.cost)
    if args.objective == "cost" and cost is None:
        raise UserError("--objective cost needs --cost FP,FN (the cost of a false positive and of a false negative).")
    model = make_model(args.model, args.random_state)
    # Inside the block, a stage that holds the main thread (one long fold) still gets its timed lines,
    # and a live display is stopped however the command ends.
    with Feedback(enabled=not args.quiet) as feedback:
        results = {}
        for path in files:
            results[path.name if path.name not in results else str(path)] = _evaluate_file(
                args, path, metrics, cv, cost, model, feedback)
        feedback.close()  # the results below go to stdout, after the last stage line
    model_name = "LogisticRegression (scaled)" if args.model == "logreg" else type(model).__name__
    folds = cv.get_n_splits() // cv.n_repeats
    for name, (comp, n_rows) in results.items():
        print(f"\n{name}: {n_rows} rows, model {model_name}, stratified {folds}-fold CV x {cv.n_repeats}; "
              "resampling inside the pipeline, training folds only.")
        print(comp.text_table())
        averaging = comp.averaging_note() if comp.multiclass else \
            f"Positive class: {label_text(comp.positive_label)} (the rarest)."
        print("* best mean per metric. " + averaging)
        for option, why in comp.skipped.items():
            print(f"  {option}: skipped ({why})")
        for option, error in comp.errors.items():
            print(f"  {option}: {failure_text(comp, option)} ({error})")
        print("Verdict:")
        for sentence in comp.verdict():
            print(f"  - {sentence}")
    multi = None
    if len(results) > 1:
        from ..evaluation._result import MultiComparison

        multi = MultiComparison({n: c for n, (c, _) in results.items()})
        _print_ranks(multi)
    if args.report:
        _write_evaluate_report(args, results, multi, model_name)
        print(f"\nReport written to {args.report}")
    return 0


def _print_ranks(multi) -> None:
    from ..evaluation._scores import METRICS
    from ..evaluation._stats import format_p
    from ..report import format_table

    keys, left_out = multi.rankable_metrics()
    rows = []
    for key in keys:
        res = multi.friedman(key)
        order = np.argsort(res.ranks)
        p = format_p(res.pvalue)
        rows.append([METRICS[key].title, p, f"{res.critical_difference:.2f}",
                     ", ".join(f"{res.names[i]} {res.ranks[i]:.1f}" for i in order[:3])])
    print(f"\nAcross {len(multi.results)} data sets (mean rank, 1 = best; options whose ranks differ by less "
          "than the critical difference are not significantly different):")
    if rows:
        print(format_table(["metric", "Friedman p", "Nemenyi CD", "best mean ranks"], rows))
    if left_out:
        print(f"Not ranked (fewer than 2 options with a score on every data set): "
              f"{', '.join(METRICS[k].title for k in left_out)}.")


def _evaluate_file(args, path, metrics, cv, cost, model, feedback):
    from ..evaluation import compare

    reading = feedback.stage(f"reading {path}", total=csv_size(str(path)), unit="bytes")
    data = load(str(path), args.target, args.drop, sep=args.sep, na_values=args.na_values,
                decimal=args.decimal, progress=reading.advance)
    reading.done(len(data.frame), unit="rows", detail=f"{data.frame.shape[1]} columns")
    enforce(check_data(data, evaluates=True), "evaluate")
    X, kinds = data.X, data.kinds
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        raise UserError(f"{path}: columns {names(other)} are neither numeric nor categorical (dates?); --drop them.")
    # Everything below the command line sees class codes; the labels (dates, booleans...) are only shown.
    labels, codes = encode_labels(data.y)
    y = np.empty(len(labels), dtype=object)
    y[:] = labels
    y = y[codes]
    enforce(fold_classes(y, cv.get_n_splits() // cv.n_repeats, cv.n_repeats), "evaluate")
    available = samplers()
    methods, used, built = _methods(args, X, kinds, labels, y, cv, available)
    baseline = _baseline(args.baseline, methods, built, available)
    unused = [k for k in parse_params(args.param) if k not in used]
    if unused:
        raise UserError(f"--param {', '.join(unused)}: no method in --methods has such a parameter "
                        "(see `smotekit methods NAME`).")
    encoder = _encoder(X, kinds)
    if encoder is None:
        X = X.to_numpy(dtype=np.float64)  # all numeric: plain arrays are cheaper to slice per fold
        estimator = model
    else:
        from sklearn.pipeline import make_pipeline

        estimator = make_pipeline(encoder, model)
    stage = None

    def progress(done, total, detail):
        nonlocal stage
        if stage is None:
            stage = feedback.stage(f"evaluating {path.name}", total=total, unit="")
        stage.advance(detail=detail)

    try:
        comp = compare(X, codes, estimator, methods=methods, cv=cv, metrics=metrics, objective=args.objective,
                       cost=cost, baseline=baseline, n_jobs=args.n_jobs, random_state=args.random_state,
                       progress=progress)
    except (ValueError, TypeError) as exc:  # the with block of cmd_evaluate ends the stage
        raise UserError(f"{path}: evaluation failed: {exc}") from exc
    if stage is not None:
        stage.done(summary=f"evaluating {path.name}: {stage.count} fits done in "
                           f"{feedback.clock() - stage.started:.1f}s")
    comp.classes = list(labels)
    return comp, len(y)


def _check_report(args, inputs=()):
    path = Path(args.report)
    if path.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"--report {args.report!r}: give a file name ending in .html.")
    check_writable_file(path, inputs=inputs, force=args.force, option="--report")
    check_report_engine()


def _write_evaluate_report(args, results, multi, model_name):
    from ..evaluation._report import add_comparison, add_datasets, versions_text
    from ..plotting import plot_class_distribution
    from ..report import HtmlReport

    rep = HtmlReport(f"smotekit evaluate: {', '.join(results)}",
                     f"target {args.target!r} · model {model_name} · CV {args.cv} · threshold objective "
                     f"{args.objective}")
    if multi is not None:
        add_datasets(rep, multi)
    for name, (comp, n_rows) in results.items():
        prefix = f"{name}: " if len(results) > 1 else ""
        counts = class_counts(np.asarray(comp.classes, dtype=object)[comp.y])
        rep.heading(f"{prefix}Data")
        rep.paragraph(f"{n_rows} rows; classes and counts below.")
        total = sum(counts.values())
        rep.table(["class", "rows", "share"], [[k, v, f"{v / total:.2%}"] for k, v in counts.items()])
        fig, (ax,) = figure_axes(figsize=(6.0, 1.6 + 0.45 * len(counts)))
        plot_class_distribution(counts, ax=ax, title=f"Classes of {args.target!r}")
        rep.figure(fig, "Class distribution.")
        add_comparison(rep, comp, heading_prefix=prefix)
    rep.heading("Reproduce")
    rep.preformatted(shlex.join(["smotekit", *args.argv]))
    rep.preformatted(versions_text())
    write_report(rep, args.report)
