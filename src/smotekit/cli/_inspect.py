"""``smotekit inspect``: what a data file holds and what will go wrong with it later."""

from __future__ import annotations

from pathlib import Path

from ..report import figure_axes, format_table
from ._checks import check_data, fold_classes, label_text, small_classes
from ._common import class_counts, names
from ._io import atomic_write
from ._main import EVALUATE_CV
from ._progress import Feedback, csv_size
from ._read import load
from ._write import check_writable_file

__all__ = ["cmd_inspect"]


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
        data = load(args.file, args.target, args.drop, sep=args.sep, na_values=args.na_values, decimal=args.decimal,
                    progress=reading.advance)
        reading.done(len(data.frame), unit="rows", detail=f"{data.frame.shape[1]} columns")
    X, y, kinds, drop = data.X, data.y, data.kinds, data.drop
    if y.dtype.kind in "mM":
        y = y.astype(object)  # pandas timestamps: numpy would give nanosecond times as bare integers
    # inspect describes everything it can and lists every finding; only resample and evaluate refuse.
    findings = check_data(data, adds_rows=True)
    warnings = [f.text for f in findings]
    flagged = {c for f in findings for c in f.columns}
    counts = class_counts(y.dropna()) if y.notna().any() else {}
    print(f"{args.file}: {data.frame.shape[0]} rows, {X.shape[1]} feature column(s), target {args.target!r}"
          + (f", {len(drop)} dropped" if drop else ""))
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
    if counts:
        total = sum(counts.values())
        width = 30
        top = max(counts.values())
        crows = [[lab, n, f"{n / total:.2%}", "#" * max(1, round(width * n / top))] for lab, n in counts.items()]
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
        warnings += [f.text for f in small_classes("SMOTE", SMOTE(k_neighbors=args.k_neighbors), labelled)]
        folds, repeats = (int(n) for n in EVALUATE_CV.split("x"))
        warnings += [f"in evaluate, {f.text}" for f in fold_classes(labelled, folds, repeats)]
    cat = [c for c in X.columns if kinds[c] == "categorical" and c not in flagged]
    if cat:
        warnings.append(f"categorical column(s) {names(cat)}: SMOTE needs --categorical auto (SMOTENC) or "
                        "--drop them.")
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        warnings.append(f"column(s) {names(other)} are neither numeric nor categorical (dates?): --drop them.")
    distinct = _numeric_target(y)
    if distinct > 20:
        warnings.append(f"the target {args.target!r} has {distinct} distinct numbers: is it really a class label?")
    print("\nWarnings:" if warnings else "\nNo warnings.")
    for w in warnings:
        print(f"  - {w}")
    if args.plot and counts:
        from ..plotting import plot_class_distribution

        fig, (ax,) = figure_axes(figsize=(6.0, 1.6 + 0.45 * len(counts)))
        plot_class_distribution(counts, ax=ax, title=f"Classes of {args.target!r} in {Path(args.file).name}")
        with atomic_write(args.plot) as tmp:
            fig.savefig(tmp, dpi=100)
        print(f"\nClass-distribution chart written to {args.plot}")
    return 0
