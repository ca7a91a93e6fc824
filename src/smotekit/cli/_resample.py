"""``smotekit resample`` with the in-memory engine: read, resample, write a rebalanced copy."""

from __future__ import annotations

import time

import numpy as np

from ._common import UserError, class_counts, format_table, names
from ._read import load
from ._samplers import prepare_sampler
from ._write import check_output_path, write_table

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
    frame, X, y, kinds, drop = load(args.file, args.target, args.drop)
    name, sampler = prepare_sampler(args.method, X, kinds, list(class_counts(y)), params=args.param,
                                    sampling_strategy=args.sampling_strategy, random_state=args.random_state,
                                    categorical=args.categorical)
    added = (["is_synthetic"] if args.mark_synthetic else []) + (["parent_1", "parent_2"] if args.mark_parents else [])
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise UserError(f"The input already has column(s) {names(clash)}; rename them before using "
                        "--mark-synthetic/--mark-parents.")
    start = time.perf_counter()
    X_res, y_res = fit_resample(name, sampler, X, y)
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
    print(format_table(["class", "before", "after", "change"], count_rows(class_counts(y), class_counts(y_res))))
    return 0
