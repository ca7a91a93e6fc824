"""``smotekit inspect``: what a data file holds and what will go wrong with it later.

Class labels are described here; a numeric target (relevance and its bins)
and several labels per row (the label imbalance measures) by
:mod:`._regression` and :mod:`._multilabel`.
"""

from __future__ import annotations

from pathlib import Path

from ..report import figure_axes, format_table
from ._checks import check_data, fold_classes, label_text, small_classes
from ._common import UserError, class_counts, names
from ._io import atomic_write
from ._main import EVALUATE_CV
from ._progress import Feedback, csv_size
from ._targets import load_target
from ._write import check_writable_file

__all__ = ["cmd_inspect"]

#: More distinct numbers than this in a class target: probably a quantity.
_QUANTITY = 20
#: Classes and per-class findings shown for a target that looks like a quantity.
_SHOWN, _SHOWN_FINDINGS = 20, 3


def _unique(s, kind) -> int:
    if kind == "nested":
        # Lists and records are unhashable: count them by their text form.
        return int(s.dropna().map(lambda v: repr(v.tolist() if hasattr(v, "tolist") else v)).nunique())
    return int(s.nunique(dropna=True))


def _numeric_target(y) -> int:
    """How many distinct numbers the target holds when every label is a non-integer-looking number, else 0."""
    import pandas as pd

    labels = y.dropna()
    if y.dtype.kind == "f":
        return int(labels.nunique())
    if y.dtype.kind in "iub" or not len(labels):
        return 0
    numbers = pd.to_numeric(labels.astype(str), errors="coerce")
    if numbers.isna().any() or (numbers == numbers.round()).all():
        return 0
    return int(numbers.nunique())


def cmd_inspect(args) -> int:
    if args.plot:
        # matplotlib would append .png itself, to a name we cannot see through atomic_write.
        if not Path(args.plot).suffix:
            args.plot = str(Path(args.plot).with_suffix(".png"))
        check_writable_file(args.plot, inputs=[args.file], force=args.force, option="--plot")
    with Feedback(enabled=not args.quiet) as feedback:
        reading = feedback.stage(f"reading {args.file}", total=csv_size(args.file), unit="bytes")
        data, target = load_target(args, progress=reading.advance)
        reading.done(len(data.frame), unit="rows", detail=f"{data.frame.shape[1]} columns")
    X, y, kinds, drop = data.X, data.y, data.kinds, data.drop
    classes = target.kind == "classification"
    if classes and y.dtype.kind in "mM":
        y = y.astype(object)  # pandas timestamps: numpy would give nanosecond times as bare integers
    if args.param and target.kind != "regression":
        raise UserError("--param applies to inspect with --target-kind regression (the relevance's settings).",
                        code=2)
    # inspect describes everything it can and lists every finding; only resample and evaluate refuse.
    findings = check_data(data, adds_rows=True, class_target=classes)
    warnings = [f.text for f in findings]
    flagged = {c for f in findings for c in f.columns}
    counts = class_counts(y.dropna()) if classes and y.notna().any() else {}
    # A quantity read as class labels (prices, ages) has a class per value: say so first, and keep
    # the class table and the per-class findings short.
    distinct = _numeric_target(y) if classes else 0
    quantity = distinct > _QUANTITY
    if quantity:
        warnings.insert(0, f"the target {args.target!r} has {distinct} distinct numbers: is it really a class "
                           "label? If it is a quantity, --target-kind regression rebalances its rare values.")
    what = {"classification": "target", "regression": "numeric target", "multilabel": "multi-label target:"}
    print(f"{args.file}: {data.frame.shape[0]} rows, {X.shape[1]} feature column(s), {what[target.kind]} "
          f"{target.text}" + (f", {len(drop)} dropped" if drop else ""))
    rows = []
    for col in X.columns:
        s = X[col]
        missing = int(s.isna().sum())
        rows.append([col, kinds[col], str(s.dtype), missing, _unique(s, kinds[col])])
        if missing:
            warnings.append(f"column {col!r} has {missing} missing value(s): most samplers refuse them; "
                            "impute first or --drop it.")
    print("\n" + format_table(["column", "kind", "dtype", "missing", "unique"], rows,
                              align=["<", "<", "<", ">", ">"]))
    if not classes:
        _other_target(args, data, target, warnings, kinds, flagged)
        return 0
    if counts:
        total = sum(counts.values())
        width = 30
        top = max(counts.values())
        crows = [[lab, n, f"{n / total:.2%}", "#" * max(1, round(width * n / top))] for lab, n in counts.items()]
        if quantity and len(crows) > _SHOWN:
            crows = crows[:_SHOWN] + [["...", "", "", f"({len(crows) - _SHOWN} more classes)"]]
        print(f"\nClasses of {args.target!r}:\n" + format_table(["class", "rows", "share", ""], crows,
                                                             align=["<", ">", ">", "<"]))
    if len(counts) >= 2:
        major = max(counts, key=counts.get)
        minor = min(counts, key=counts.get)
        print(f"\nImbalance ratio: {counts[major] / counts[minor]:.1f} : 1 "
              f"(majority {label_text(major)}, minority {label_text(minor)})")
        from ..over_sampling import SMOTE

        # The rules resample and evaluate enforce: SMOTE with --k-neighbors, evaluate's default --cv.
        labelled = y.dropna()
        small = [f.text for f in small_classes("SMOTE", SMOTE(k_neighbors=args.k_neighbors), labelled)]
        folds, repeats = (int(n) for n in EVALUATE_CV.split("x"))
        few = [f"in evaluate, {f.text}" for f in fold_classes(labelled, folds, repeats)]
        warnings += _shortened(small, "more classes are too small for SMOTE", quantity)
        warnings += _shortened(few, "more classes are too small for evaluate's folds", quantity)
    cat = [c for c in X.columns if kinds[c] == "categorical" and c not in flagged]
    if cat:
        warnings.append(f"categorical column(s) {names(cat)}: SMOTE needs --categorical auto (SMOTENC) or "
                        "--drop them.")
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        warnings.append(f"column(s) {names(other)} are neither numeric nor categorical (dates?): --drop them.")
    _print_warnings(warnings)
    if args.plot and counts:
        from ..plotting import plot_class_distribution

        fig, (ax,) = figure_axes(figsize=(6.0, 1.6 + 0.45 * len(counts)))
        plot_class_distribution(counts, ax=ax, title=f"Classes of {args.target!r} in {Path(args.file).name}")
        with atomic_write(args.plot) as tmp:
            fig.savefig(tmp, dpi=100)
        print(f"\nClass-distribution chart written to {args.plot}")
    return 0


def _shortened(texts, more: str, short: bool) -> list:
    """``texts``, or with ``short`` the first few and a count of the rest."""
    if not short or len(texts) <= _SHOWN_FINDINGS:
        return texts
    return texts[:_SHOWN_FINDINGS] + [f"... and {len(texts) - _SHOWN_FINDINGS} {more}."]


def _print_warnings(warnings) -> None:
    print("\nWarnings:" if warnings else "\nNo warnings.")
    for w in warnings:
        print(f"  - {w}")


def _other_target(args, data, target, warnings, kinds, flagged) -> None:
    """The target part of inspect for regression and multi-label targets, then the warnings."""
    X = data.X
    if target.kind == "regression":
        from ._regression import inspect_regression

        inspect_regression(args, data, target, warnings)
        samplers = "SMOGN and SMOTER treat them as nominal; GaussianNoise draws them by frequency"
    else:
        from ._multilabel import inspect_multilabel

        inspect_multilabel(args, data, target, warnings)
        samplers = "MLSMOTE needs numbers: --drop them or encode them (MLROS and MLRUS copy rows whole)"
    cat = [c for c in X.columns if kinds[c] == "categorical" and c not in flagged]
    if cat:
        warnings.append(f"categorical column(s) {names(cat)}: {samplers}.")
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        warnings.append(f"column(s) {names(other)} are neither numeric nor categorical (dates?): --drop them.")
    _print_warnings(warnings)
