"""``smotekit resample`` with the in-memory engine: read, resample, write a rebalanced copy."""

from __future__ import annotations

import time

import numpy as np

from ._checks import adds_rows, check_data, enforce, small_classes
from ._common import UserError, class_counts, format_table, names
from ._progress import Feedback, csv_size
from ._read import load
from ._samplers import prepare_sampler
from ._write import check_output_path, counts_rows, write_table

__all__ = ["cmd_resample", "count_rows", "fit_resample"]


def fit_resample(name, sampler, X, y):
    try:
        return sampler.fit_resample(X, y)
    except (ValueError, TypeError) as exc:
        # The library's validation messages name the parameter and the fix; show them as they are.
        raise UserError(f"{name}: {exc}") from exc


def count_rows(before: dict, after: dict) -> list:
    rows = []
    for lab in sorted(set(before) | set(after), key=str):
        b, a = before.get(lab, 0), after.get(lab, 0)
        rows.append([lab, b, a, f"{a - b:+d}" if a != b else "0"])
    rows.append(["total", sum(before.values()), sum(after.values()),
                 f"{sum(after.values()) - sum(before.values()):+d}"])
    return rows


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
    with Feedback(enabled=not args.quiet) as feedback:
        return _resample(args, fmt, feedback)


def _resample(args, fmt, feedback) -> int:
    reading = feedback.stage(f"reading {args.file}", total=csv_size(args.file), unit="bytes")
    data = load(args.file, args.target, args.drop, sep=args.sep, na_values=args.na_values, progress=reading.advance)
    reading.done(len(data.frame), unit="rows", detail=f"{data.frame.shape[1]} columns")
    enforce(check_data(data, adds_rows=adds_rows(args.method)), "resample")
    frame, X, y, kinds, drop = data.frame, data.X, data.y, data.kinds, data.drop
    name, sampler = prepare_sampler(args.method, X, kinds, list(class_counts(y)), params=args.param,
                                    sampling_strategy=args.sampling_strategy, random_state=args.random_state,
                                    categorical=args.categorical)
    enforce(small_classes(name, sampler, y), "resample")
    added = (["is_synthetic"] if args.mark_synthetic else []) + (["parent_1", "parent_2"] if args.mark_parents else [])
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise UserError(f"The input already has column(s) {names(clash)}; rename them before using "
                        "--mark-synthetic/--mark-parents.")
    start = time.perf_counter()
    with feedback.library():
        X_res, y_res = fit_resample(name, sampler, X, y)
    elapsed = time.perf_counter() - start
    out = _output_frame(frame, X, X_res, y_res, args.target, drop, sampler.provenance_,
                        mark_synthetic=args.mark_synthetic, mark_parents=args.mark_parents)
    writing = feedback.stage(f"writing {args.output}", total=len(out) if counts_rows(args.output) else None)
    write_table(out, args.output, progress=writing.advance)
    writing.done(len(out))
    feedback.close()  # the results below go to stdout, after the last stage line
    n_synthetic = int(sampler.provenance_.is_synthetic.sum())
    print(f"{name}: {len(y)} -> {len(out)} rows in {elapsed:.2f}s ({n_synthetic} synthetic); "
          f"wrote {args.output} ({fmt.upper()})")
    print(format_table(["class", "before", "after", "change"], count_rows(class_counts(y), class_counts(y_res))))
    return 0


def _output_frame(frame, X, X_res, y_res, target, drop, prov, *, mark_synthetic, mark_parents):
    """The table written: the input's columns in the input's order, then the requested marks.

    Built with one concat: inserting columns one at a time into a wide frame
    fragments it, and pandas warns (PerformanceWarning) on every insert.
    """
    import pandas as pd

    features = X_res.reset_index(drop=True) if hasattr(X_res, "reset_index") else pd.DataFrame(X_res, columns=X.columns)
    synthetic = prov.is_synthetic
    more = {target: np.asarray(y_res)}
    for col in drop:
        # Left-out columns keep their values on original rows; synthetic rows have none.
        values = frame[col].iloc[prov.source].reset_index(drop=True).convert_dtypes()
        more[col] = values.mask(pd.Series(synthetic))
    marks = []
    if mark_synthetic:
        more["is_synthetic"] = synthetic
        marks.append("is_synthetic")
    if mark_parents:
        parent_1 = pd.array(prov.source, dtype="Int64")
        parent_1[~synthetic] = pd.NA
        partner = prov.partner
        parent_2 = pd.array(partner, dtype="Int64")
        parent_2[partner < 0] = pd.NA
        more["parent_1"], more["parent_2"] = parent_1, parent_2
        marks += ["parent_1", "parent_2"]
    out = pd.concat([features, pd.DataFrame(more, index=features.index)], axis=1)
    return out[[c for c in frame.columns if c in out.columns] + marks]
