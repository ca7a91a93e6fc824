"""Reading data files for the commands: CSV and Parquet into pandas, column kinds, target and features."""

from __future__ import annotations

import difflib
from pathlib import Path

from ._common import CLI_HINT, UserError, split_list

__all__ = ["column_kinds", "format_of", "load", "no_such_column", "read_table", "require_parquet", "split_target"]

_CSV = {".csv", ".tsv", ".txt"}
_PARQUET = {".parquet", ".pq"}
COMPRESSED = {".gz", ".bz2", ".zip", ".xz", ".zst"}


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise UserError(f"Reading and writing data files needs pandas: {CLI_HINT}") from exc
    return pd


def format_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in _CSV:
        return "csv"
    if ext in _PARQUET:
        return "parquet"
    raise UserError(
        f"Cannot tell the format of {str(path)!r} from its extension {ext or '(none)'!r}: "
        "use .csv (or .tsv, optionally compressed, e.g. .csv.gz) or .parquet."
    )


def require_parquet():
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise UserError(f"Parquet files need pyarrow: {CLI_HINT} (or pip install pyarrow).") from exc


def read_table(path):
    """Read a CSV or Parquet file into a pandas DataFrame, with errors a person can act on.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    frame : pandas.DataFrame
    """
    path = Path(path)
    if not path.exists():
        siblings = [p.name for p in path.parent.glob("*")] if path.parent.is_dir() else []
        close = difflib.get_close_matches(path.name, siblings, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UserError(f"File not found: {str(path)!r}.{hint}")
    if path.is_dir():
        raise UserError(f"{str(path)!r} is a folder; give a CSV or Parquet file.")
    fmt = format_of(path)
    pd = _pandas()
    try:
        if fmt == "parquet":
            require_parquet()
            frame = pd.read_parquet(path)
        else:
            sep = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
            frame = pd.read_csv(path, sep=sep)
    except UserError:
        raise
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Could not read {str(path)!r} as {fmt.upper()}: {exc}") from exc
    if frame.shape[0] == 0:
        raise UserError(f"{str(path)!r} has a header but no data rows.")
    return frame


def column_kinds(frame) -> dict:
    """``{column: 'numeric' | 'categorical' | 'other'}`` for every column of a DataFrame.

    Booleans, strings, objects and pandas categories are categorical (SMOTE
    must not interpolate them); dates, durations and the like are 'other'.
    """
    pd = _pandas()
    api = pd.api.types
    kinds = {}
    for name in frame.columns:
        col = frame[name]
        if api.is_bool_dtype(col.dtype) or isinstance(col.dtype, pd.CategoricalDtype) \
                or api.is_string_dtype(col.dtype) or api.is_object_dtype(col.dtype):
            kinds[name] = "categorical"
        elif api.is_numeric_dtype(col.dtype) and not api.is_complex_dtype(col.dtype):
            kinds[name] = "numeric"
        else:
            kinds[name] = "other"
    return kinds


def no_such_column(name, columns, option):
    close = difflib.get_close_matches(str(name), [str(c) for c in columns], n=3)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    listed = ", ".join(map(str, columns))
    return UserError(f"{option}: no column named {name!r}.{hint} Available columns: {listed}.")


def split_target(frame, target, drop=()):
    """``(X, y)`` from a frame: ``y`` is the target column, ``X`` the others minus ``drop``.

    Raises a :class:`UserError` naming the available columns when a name is
    unknown, and one counting the unlabelled rows when the target has gaps.
    """
    if target not in frame.columns:
        raise no_such_column(target, list(frame.columns), "--target")
    for name in drop:
        if name not in frame.columns:
            raise no_such_column(name, list(frame.columns), "--drop")
    y = frame[target]
    missing = int(y.isna().sum())
    if missing:
        raise UserError(f"The target column {target!r} has {missing} empty value(s); every row needs a class. "
                        "Remove or label those rows first.")
    X = frame.drop(columns=[target, *drop])
    if X.shape[1] == 0:
        raise UserError(f"No feature columns left besides the target {target!r}.")
    return X, y


def load(path, target, drop):
    """``(frame, X, y, kinds, drop)``: the file read, split into features and target, column kinds known."""
    frame = read_table(path)
    drop = split_list(drop)
    X, y = split_target(frame, target, drop)
    return frame, X, y, column_kinds(X), drop
