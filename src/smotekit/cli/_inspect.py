"""``smotekit inspect``: what a data file holds and what will go wrong with it later."""

from __future__ import annotations

from pathlib import Path

from ._common import class_counts, format_table, names
from ._io import atomic_write
from ._read import load
from ._write import check_writable_file

__all__ = ["cmd_inspect"]


def cmd_inspect(args) -> int:
    if args.plot:
        # matplotlib would append .png itself, to a name we cannot see through atomic_write.
        if not Path(args.plot).suffix:
            args.plot = str(Path(args.plot).with_suffix(".png"))
        # An existing chart is replaced (there is no --force here), but never the input or a folder.
        check_writable_file(args.plot, inputs=[args.file], force=True, option="--plot")
    frame, X, y, kinds, drop = load(args.file, args.target, args.drop)
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
        warnings.append(f"categorical column(s) {names(cat)}: SMOTE needs --categorical auto (SMOTENC) or "
                        "--drop them.")
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        warnings.append(f"column(s) {names(other)} are neither numeric nor categorical (dates?): --drop them.")
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
