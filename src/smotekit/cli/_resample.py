"""``smotekit resample`` with the in-memory engine: read, resample, write a rebalanced copy.

Class labels are resampled here; a numeric target (``--target-kind
regression``) and several labels per row (multi-label) by
:mod:`._regression` and :mod:`._multilabel`, which share the output steps
below (marks, pass-through columns, atomic write, summary line).
"""

from __future__ import annotations

import time

import numpy as np

from ..report import format_table
from ._checks import adds_rows, check_data, enforce, small_classes
from ._common import (
    INTEGER_TEXT,
    NUMBER_TEXT,
    UserError,
    class_counts,
    encode_labels,
    label_order,
    names,
    note,
)
from ._progress import Feedback, csv_size
from ._samplers import prepare_sampler
from ._targets import DEFAULT_METHODS, load_target, refuse_family_method
from ._write import check_output_path, counts_rows, write_table

__all__ = ["check_marks", "cmd_resample", "count_rows", "fit_resample", "integer_labels", "output_frame",
           "stores_integer_labels", "write_and_report"]


def fit_resample(name, sampler, X, y):
    try:
        return sampler.fit_resample(X, y)
    except (ValueError, TypeError) as exc:
        # The library's validation messages name the parameter and the fix; show them as they are.
        raise UserError(f"{name}: {exc}") from exc


def count_rows(before: dict, after: dict) -> list:
    """The rows of the class table: each class in :func:`label_order`, then the totals."""
    rows = [[lab, before.get(lab, 0), after.get(lab, 0)] for lab in sorted(set(before) | set(after), key=label_order)]
    rows.append(["total", sum(before.values()), sum(after.values())])
    return [[lab, b, a, f"{a - b:+d}" if a != b else "0"] for lab, b, a in rows]


def cmd_resample(args) -> int:
    if args.engine == "dask":
        from ._dask import resample_dask
        from ._targets import refuse_other_kinds

        in_memory = "Leave out --engine dask to resample in memory (the default engine; the data must fit in memory)."
        refuse_other_kinds(args, "--engine dask", {"regression": in_memory, "multilabel": in_memory})
        args.method = args.method or DEFAULT_METHODS["classification"]
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
    data, target = load_target(args, progress=reading.advance)
    reading.done(len(data.frame), unit="rows", detail=f"{data.frame.shape[1]} columns")
    if target.kind == "regression":
        from ._regression import resample_regression

        return resample_regression(args, data, target, fmt, feedback)
    if target.kind == "multilabel":
        from ._multilabel import resample_multilabel

        return resample_multilabel(args, data, target, fmt, feedback)
    args.method = args.method or DEFAULT_METHODS["classification"]
    refuse_family_method(args.method)
    enforce(check_data(data, adds_rows=adds_rows(args.method)), "resample")
    frame, X, y, kinds, drop = data.frame, data.X, data.y, data.kinds, data.drop
    name, sampler = prepare_sampler(args.method, X, kinds, list(class_counts(y)), params=args.param,
                                    sampling_strategy=args.sampling_strategy, random_state=args.random_state,
                                    categorical=args.categorical)
    enforce(small_classes(name, sampler, y), "resample")
    check_marks(args, frame)
    start = time.perf_counter()
    with feedback.library():
        X_res, y_res = fit_resample(name, sampler, X, y)
    elapsed = time.perf_counter() - start
    out = output_frame(frame, X, X_res, _target_column(y_res, args, data.fmt, fmt), drop, sampler.provenance_,
                       mark_synthetic=args.mark_synthetic, mark_parents=args.mark_parents)
    write_and_report(args, out, fmt, feedback, name, len(y), elapsed, sampler.provenance_)
    print(format_table(["class", "before", "after", "change"], count_rows(class_counts(y), class_counts(y_res))))
    return 0


def check_marks(args, frame) -> None:
    """Refuse --mark-synthetic / --mark-parents when the input already has columns of those names."""
    added = (["is_synthetic"] if args.mark_synthetic else []) + (["parent_1", "parent_2"] if args.mark_parents else [])
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise UserError(f"The input already has column(s) {names(clash)}; rename them before using "
                        "--mark-synthetic/--mark-parents.")


def write_and_report(args, out, fmt, feedback, name, n_in, elapsed, prov) -> None:
    """Write the output table atomically, then print the summary line (the caller prints its table)."""
    writing = feedback.stage(f"writing {args.output}", total=len(out) if counts_rows(args.output) else None)
    write_table(out, args.output, progress=writing.advance)
    writing.done(len(out))
    feedback.close()  # the results below go to stdout, after the last stage line
    n_synthetic = int(prov.is_synthetic.sum())
    print(f"{name}: {n_in} -> {len(out)} rows in {elapsed:.2f}s ({n_synthetic} synthetic); "
          f"wrote {args.output} ({fmt.upper()})")


def integer_labels(labels):
    """Why class labels read as text cannot be stored as integers, or None when they can.

    They can when every label is an integer written the way Python writes it
    (``'0'``, ``'1'``, ``'-3'``), so that reading the integers back gives the
    same labels: not ``'01'``, ``'+1'`` or ``'1.0'``, and never two labels of
    one value (``'01'`` and ``'1'`` are two classes).

    Parameters
    ----------
    labels : iterable of str
        The distinct class labels.

    Returns
    -------
    reason : str or None
        E.g. ``"classes '01' and '1' are distinct"``.
    """
    labels = sorted(labels, key=label_order)
    int64 = np.iinfo(np.int64)
    by_value = {}
    for lab in labels:
        if isinstance(lab, str) and INTEGER_TEXT.fullmatch(lab):
            by_value.setdefault(int(lab), []).append(lab)
    same = next((group for group in by_value.values() if len(group) > 1), None)
    if same:
        return f"classes {names(map(repr, same[:-1]))} and {same[-1]!r} are distinct"
    for lab in labels:
        if not (isinstance(lab, str) and INTEGER_TEXT.fullmatch(lab)):
            return f"class {lab!r} is not an integer"
        if str(int(lab)) != lab:
            return f"class {lab!r} would come back as {int(lab)}"
        if not int64.min <= int(lab) <= int64.max:
            return f"class {lab!r} does not fit in a 64-bit integer"
    return None


def _target_column(y_res, args, in_fmt, out_fmt):
    """The target as written: its own dtype, except CSV labels that are plain integers go to Parquet as int64.

    A CSV target is read as text so that ``01`` and ``1`` stay two classes; a
    CSV output writes it back as read. Parquet stores types, and a ``label``
    column of strings ``'0'``/``'1'`` would make ``df.label == 1`` find
    nothing, so labels that are integers as written are stored as int64.
    """
    import pandas as pd

    y = pd.Series(y_res).reset_index(drop=True) if hasattr(y_res, "dtype") else pd.Series(list(y_res))
    if not (in_fmt == "csv" and out_fmt == "parquet"):
        return y.rename(args.target)
    labels, inverse = encode_labels(y)
    if stores_integer_labels(labels, args):
        return pd.Series(np.array([int(lab) for lab in labels], dtype=np.int64)[inverse], name=args.target)
    return y.rename(args.target)


def stores_integer_labels(labels, args) -> bool:
    """Whether CSV class labels (read as text) go to a Parquet output as int64; a note when they cannot.

    Shared by both engines, so that one file gives one output type whichever runs it.
    """
    reason = integer_labels(labels)
    if reason is not None and any(NUMBER_TEXT.fullmatch(str(lab)) for lab in labels):
        # Only worth saying when the labels look like numbers: nobody compares 'cat' with 1.
        example = next(str(lab) for lab in sorted(labels, key=label_order))
        note(f"the target {args.target!r} is written to {args.output} as text, because {reason}; "
             f"compare it with text ({args.target} == {example!r}).")
    return reason is None


def _passed_through(values, synthetic):
    """A ``--drop`` column on the output rows, in its own dtype when it can be.

    Original rows keep their values; synthetic rows have none. The dtype is
    kept exactly when no row is synthetic. Otherwise integers and booleans,
    which have no missing value in numpy, become pandas' nullable dtype of the
    same kind and width (int32 -> Int32, uint8 -> UInt8, bool -> boolean);
    floats get NaN, datetimes NaT, and text, categories and nullable dtypes
    their own missing value.

    Parameters
    ----------
    values : pandas.Series
        The column's values on the source row of every output row.
    synthetic : numpy.ndarray of bool
        Which output rows are synthetic.

    Returns
    -------
    pandas.Series
    """
    import pandas as pd

    values = values.reset_index(drop=True)
    synthetic = np.asarray(synthetic, dtype=bool)
    if not synthetic.any():
        return values
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        nullable = "boolean" if dtype.kind == "b" else f"{'U' if dtype.kind == 'u' else ''}Int{dtype.itemsize * 8}"
        values = values.astype(nullable)
    return values.mask(pd.Series(synthetic, index=values.index))


def output_frame(frame, X, X_res, y_out, drop, prov, *, mark_synthetic, mark_parents):
    """The table written: the input's columns in the input's order, then the requested marks.

    ``y_out`` is the target column (a named Series), or ``{column: Series}``
    for several target columns.

    Built with one concat: inserting columns one at a time into a wide frame
    fragments it, and pandas warns (PerformanceWarning) on every insert.
    """
    import pandas as pd

    features = X_res.reset_index(drop=True) if hasattr(X_res, "reset_index") else pd.DataFrame(X_res, columns=X.columns)
    synthetic = prov.is_synthetic
    more = dict(y_out) if isinstance(y_out, dict) else {y_out.name: y_out}
    for col in drop:
        more[col] = _passed_through(frame[col].iloc[prov.source], synthetic)
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
