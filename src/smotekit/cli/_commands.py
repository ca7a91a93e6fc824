"""The ``inspect``, ``resample``, ``evaluate`` and ``methods`` commands."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from ._common import (
    Progress,
    UserError,
    atomic_write,
    check_output_path,
    check_writable_file,
    class_counts,
    column_kinds,
    format_table,
    read_table,
    split_target,
    write_report,
    write_table,
)
from ._samplers import (
    REQUIRED,
    build_sampler,
    describe,
    kind_of,
    parameters_of,
    parse_params,
    parse_sampling_strategy,
    resolve_method,
    samplers,
)

__all__ = ["cmd_evaluate", "cmd_inspect", "cmd_methods", "cmd_resample", "prepare_sampler"]


def _note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr)


def _names(cols) -> str:
    return ", ".join(map(str, cols))


def _split_list(values) -> list:
    return [part.strip() for v in values or () for part in v.split(",") if part.strip()]


# -- samplers and data -------------------------------------------------------------------------------
def prepare_sampler(method: str, X, kinds: dict, labels, *, params=(), sampling_strategy=None,
                    random_state=None, categorical="error", available=None, skip_unknown=False):
    """A sampler ready for ``X``: resolved by name, parameters checked, categorical columns handled.

    Returns ``(display name, sampler)``. With categorical columns, a sampler
    that handles them gets ``categorical_features`` filled in; plain SMOTE is
    switched to SMOTE-NC (or SMOTE-N when every feature is categorical) only
    when ``categorical='auto'``; any other numeric sampler stops with a
    message naming the columns. With ``skip_unknown``, parameters the
    sampler does not have are left out (one ``--param`` list serving several
    methods) instead of refused.
    """
    available = samplers() if available is None else available
    name, cls = resolve_method(method, available)
    values = parse_params(params)
    if skip_unknown:
        values = {k: v for k, v in values.items() if k in parameters_of(cls)}
    strategy = parse_sampling_strategy(sampling_strategy, labels)
    cat = [c for c in X.columns if kinds[c] == "categorical"]
    positions = [X.columns.get_loc(c) for c in cat]
    if cls._handles_categorical and not cat and parameters_of(cls).get("categorical_features") is REQUIRED \
            and "categorical_features" not in values:
        raise UserError(f"{name} is for data with categorical columns, and no feature column here is "
                        "categorical; use smote, or pass --param categorical_features=[...] (column positions).")
    sampler = None
    if not cls._handles_categorical or not cat:
        sampler = build_sampler(name, cls, values, random_state=random_state, sampling_strategy=strategy)
    needs_numbers = sampler is None or sampler._requires_numeric()
    if cat and needs_numbers and not cls._handles_categorical:
        if categorical == "auto" and name == "SMOTE":
            replacement = "SMOTEN" if len(cat) == X.shape[1] else "SMOTENC"
            if replacement not in available:
                raise UserError(f"Columns {_names(cat)} are categorical and {replacement} is not available in "
                                "this installation; --drop them or encode them as numbers.")
            _note(f"categorical column(s) {_names(cat)}: using {replacement} instead of SMOTE "
                  "(--categorical auto).")
            name, cls = replacement, available[replacement]
            values = {k: v for k, v in values.items() if k in parameters_of(cls)}
        else:
            fix = ("pass --categorical auto to switch to SMOTENC, which draws categories from the neighbours"
                   if name == "SMOTE" else
                   "choose a method that handles categorical data (see `smotekit methods`: the 'categorical' column)")
            raise UserError(f"{name} interpolates numbers, but these columns are categorical: {_names(cat)}. "
                            f"To go on, {fix}; or --drop the columns; or encode them as numbers first.")
    if cls._handles_categorical and cat:
        if "categorical_features" in parameters_of(cls) and "categorical_features" not in values:
            values["categorical_features"] = positions
        sampler = build_sampler(name, cls, values, random_state=random_state, sampling_strategy=strategy)
    if sampler._requires_numeric():
        other = [c for c in X.columns if kinds[c] == "other"]
        if other:
            raise UserError(f"{name} needs numbers, but columns {_names(other)} hold dates or other values; "
                            "--drop them.")
        if not sampler._allow_nan:
            gaps = {c: int(n) for c, n in X.isna().sum().items() if n}
            if gaps:
                listed = ", ".join(f"{c} ({n})" for c, n in gaps.items())
                raise UserError(f"{name} cannot use missing values; columns with gaps: {listed}. Impute them, "
                                "drop those rows, or --drop the columns.")
    return name, sampler


def _load(path, target, drop):
    frame = read_table(path)
    drop = _split_list(drop)
    X, y = split_target(frame, target, drop)
    return frame, X, y, column_kinds(X), drop


def _fit_resample(name, sampler, X, y):
    try:
        return sampler.fit_resample(X, y)
    except (ValueError, TypeError) as exc:
        # The library's validation messages name the parameter and the fix; show them as they are.
        raise UserError(f"{name}: {exc}") from exc


def _count_rows(before: dict, after: dict) -> list:
    rows = []
    for lab in sorted(set(before) | set(after), key=str):
        b, a = before.get(lab, 0), after.get(lab, 0)
        rows.append([lab, b, a, f"{a - b:+d}" if a != b else "0"])
    rows.append(["total", sum(before.values()), sum(after.values()),
                 f"{sum(after.values()) - sum(before.values()):+d}"])
    return rows


# -- inspect ---------------------------------------------------------------------------------------------
def cmd_inspect(args) -> int:
    if args.plot:
        # matplotlib would append .png itself, to a name we cannot see through atomic_write.
        if not Path(args.plot).suffix:
            args.plot = str(Path(args.plot).with_suffix(".png"))
        # An existing chart is replaced (there is no --force here), but never the input or a folder.
        check_writable_file(args.plot, inputs=[args.file], force=True, option="--plot")
    frame, X, y, kinds, drop = _load(args.file, args.target, args.drop)
    counts = class_counts(y)
    print(f"{args.file}: {frame.shape[0]} rows, {X.shape[1]} feature column(s), target {args.target!r}"
          + (f", {len(drop)} dropped" if drop else ""))
    rows = []
    warnings = []
    for col in X.columns:
        s = X[col]
        missing, unique = int(s.isna().sum()), int(s.nunique(dropna=True))
        rows.append([col, kinds[col], str(s.dtype), missing, unique])
        if missing:
            warnings.append(f"column {col!r} has {missing} missing value(s): most samplers refuse them; "
                            "impute first or --drop it.")
        if unique <= 1:
            warnings.append(f"column {col!r} is constant: it carries no information; consider --drop.")
        elif unique == len(s) and len(s) > 20 and (kinds[col] != "numeric" or s.dtype.kind in "iu"):
            warnings.append(f"column {col!r} has a different value on every row: if it is an identifier, "
                            "--drop it (kept on original rows by resample).")
    print("\n" + format_table(["column", "kind", "dtype", "missing", "unique"], rows,
                              align=["<", "<", "<", ">", ">"]))
    total = sum(counts.values())
    width = 30
    top = max(counts.values())
    crows = [[lab, n, f"{n / total:.2%}", "#" * max(1, round(width * n / top))] for lab, n in counts.items()]
    print(f"\nClasses of {args.target!r}:\n" + format_table(["class", "rows", "share", ""], crows,
                                                         align=["<", ">", ">", "<"]))
    if len(counts) < 2:
        warnings.append("only one class: there is nothing to rebalance.")
    else:
        major = max(counts, key=counts.get)
        minor = min(counts, key=counts.get)
        print(f"\nImbalance ratio: {counts[major] / counts[minor]:.1f} : 1 "
              f"(majority {major!r}, minority {minor!r})")
    k = args.k_neighbors
    for lab, n in counts.items():
        if n < k + 1 and len(counts) > 1 and n < max(counts.values()):
            warnings.append(f"class {lab!r} has {n} row(s): SMOTE with k_neighbors={k} needs at least {k + 1}; "
                            f"use --param k_neighbors={max(n - 1, 1)}" + (" (or RandomOverSampler)" if n > 1 else
                                                                         ": impossible, use RandomOverSampler."))
        if n < 10:
            warnings.append(f"class {lab!r} has {n} row(s): evaluate --cv needs at least as many rows as folds "
                            f"(try --cv {max(2, n)}x3).")
    cat = [c for c in X.columns if kinds[c] == "categorical"]
    if cat:
        warnings.append(f"categorical column(s) {_names(cat)}: SMOTE needs --categorical auto (SMOTENC) or "
                        "--drop them.")
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        warnings.append(f"column(s) {_names(other)} are neither numeric nor categorical (dates?): --drop them.")
    if y.dtype.kind == "f" and y.nunique() > 20:
        warnings.append(f"the target {args.target!r} has {y.nunique()} distinct numbers: is it really a class label?")
    print("\nWarnings:" if warnings else "\nNo warnings.")
    for w in warnings:
        print(f"  - {w}")
    if args.plot:
        from ..plotting import plot_class_distribution

        fig = plot_class_distribution(counts, title=f"Classes of {args.target!r} in {Path(args.file).name}")
        with atomic_write(args.plot) as tmp:
            fig.savefig(tmp, dpi=100)
        print(f"\nClass-distribution chart written to {args.plot}")
    return 0


# -- resample --------------------------------------------------------------------------------------------
def cmd_resample(args) -> int:
    if args.engine == "dask":
        from ._dask import resample_dask

        return resample_dask(args)
    given = [opt for opt, value in (("--scheduler", args.scheduler), ("--npartitions", args.npartitions))
             if value is not None]
    if given:
        raise UserError(f"{' and '.join(given)} only appl{'y' if len(given) > 1 else 'ies'} with --engine dask.",
                        code=2)
    fmt = check_output_path(args.output, inputs=[args.file], force=args.force)
    frame, X, y, kinds, drop = _load(args.file, args.target, args.drop)
    name, sampler = prepare_sampler(args.method, X, kinds, list(class_counts(y)), params=args.param,
                                    sampling_strategy=args.sampling_strategy, random_state=args.random_state,
                                    categorical=args.categorical)
    added = (["is_synthetic"] if args.mark_synthetic else []) + (["parent_1", "parent_2"] if args.mark_parents else [])
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise UserError(f"The input already has column(s) {_names(clash)}; rename them before using "
                        "--mark-synthetic/--mark-parents.")
    start = time.perf_counter()
    X_res, y_res = _fit_resample(name, sampler, X, y)
    elapsed = time.perf_counter() - start
    import pandas as pd

    out = X_res.reset_index(drop=True) if hasattr(X_res, "reset_index") else pd.DataFrame(X_res, columns=X.columns)
    out[args.target] = np.asarray(y_res)
    prov = sampler.provenance_
    synthetic = prov.is_synthetic
    for col in drop:
        # Left-out columns keep their values on original rows; synthetic rows have none.
        values = frame[col].iloc[prov.source].reset_index(drop=True).convert_dtypes()
        out[col] = values.mask(pd.Series(synthetic))
    out = out[[c for c in frame.columns if c in out.columns]]
    if args.mark_synthetic:
        out["is_synthetic"] = synthetic
    if args.mark_parents:
        parent_1 = pd.array(prov.source, dtype="Int64")
        parent_1[~synthetic] = pd.NA
        partner = prov.partner
        parent_2 = pd.array(partner, dtype="Int64")
        parent_2[partner < 0] = pd.NA
        out["parent_1"], out["parent_2"] = parent_1, parent_2
    write_table(out, args.output)
    print(f"{name}: {len(y)} -> {len(out)} rows in {elapsed:.2f}s ({int(synthetic.sum())} synthetic); "
          f"wrote {args.output} ({fmt.upper()})")
    print(format_table(["class", "before", "after", "change"], _count_rows(class_counts(y), class_counts(y_res))))
    return 0


# -- evaluate --------------------------------------------------------------------------------------------
def _encoder(X, kinds):
    cat = [c for c in X.columns if kinds[c] == "categorical"]
    if not cat:
        return None
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder

    return ColumnTransformer([("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False), cat)],
                             remainder="passthrough")


def cmd_evaluate(args) -> int:
    from ..pipeline import Pipeline
    from ._evaluation import evaluate_methods, make_cv, make_model, parse_scoring

    if args.report:
        _check_report(args, inputs=[args.file])
    metrics = parse_scoring(args.scoring)
    cv = make_cv(args.cv, args.random_state)
    model = make_model(args.model, args.random_state)
    _, X, y, kinds, _ = _load(args.file, args.target, args.drop)
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        raise UserError(f"Columns {_names(other)} are neither numeric nor categorical (dates?); --drop them.")
    labels = list(class_counts(y))
    encoder = _encoder(X, kinds)
    tail = ([("encode", encoder)] if encoder is not None else []) + [("model", model)]
    methods = []
    used = set()
    available = samplers()
    for word in _split_list(args.methods) or ["none", "smote"]:
        if word.lower() == "none":
            label, steps = "none", []
        else:
            label, sampler = prepare_sampler(word, X, kinds, labels, params=args.param,
                                             sampling_strategy=args.sampling_strategy,
                                             random_state=args.random_state, categorical=args.categorical,
                                             available=available, skip_unknown=True)
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
    progress = Progress(len(methods) * cv.get_n_splits(), "evaluating", enabled=not args.quiet)
    try:
        ev = evaluate_methods(methods, X, np.asarray(y), cv=cv, metrics=metrics, n_jobs=args.n_jobs,
                              progress=progress)
    except (ValueError, TypeError) as exc:
        raise UserError(f"evaluation failed: {exc}") from exc
    finally:
        progress.close()
    model_name = "LogisticRegression (scaled)" if args.model == "logreg" else type(model).__name__
    print(f"{args.file}: {len(y)} rows, model {model_name}, stratified {cv.get_n_splits() // cv.n_repeats}-fold "
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
    rep.figure(plot_class_distribution(counts, title=f"Classes of {args.target!r}"), "Class distribution.")
    add_to_report(rep, ev)
    rep.heading("Methods")
    rep.table(["method", "pipeline"], [[n, " → ".join(type(s).__name__ for _, s in p.steps)] for n, p in methods])
    write_report(rep, args.report)


# -- methods ---------------------------------------------------------------------------------------------
def _format_default(value) -> str:
    return "(required)" if value is REQUIRED else repr(value)


def cmd_methods(args) -> int:
    available = samplers()
    if args.name:
        name, cls = resolve_method(args.name, available)
        module = ".".join(p for p in cls.__module__.split(".") if not p.startswith("_"))
        print(f"{name} ({module}) — {kind_of(cls)}-sampler")
        print(describe(cls))
        print("\nParameters:")
        for p, d in parameters_of(cls).items():
            print(f"  {p} = {_format_default(d)}")
        return 0
    rows = []
    for name, cls in available.items():
        kind = kind_of(cls)
        if args.kind and kind != args.kind:
            continue
        rows.append([name, kind, "yes" if cls._handles_categorical else "no",
                     "yes" if getattr(cls, "_handles_multiclass", True) else "no",
                     "yes" if cls._allow_nan else "no", describe(cls)])
    print(format_table(["method", "kind", "categorical", "multiclass", "NaN", "description"], rows,
                       align=["<", "<", "<", "<", "<", "<"]))
    if args.verbose:
        print()
        for name, cls in available.items():
            if args.kind and kind_of(cls) != args.kind:
                continue
            params = ", ".join(f"{p}={_format_default(d)}" for p, d in parameters_of(cls).items())
            print(f"{name}({params})")
    else:
        print("\nParameters and defaults: smotekit methods NAME, or smotekit methods --verbose for all.")
    return 0
