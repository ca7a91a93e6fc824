"""What every command shares: user errors, reading and writing tables, column kinds, text tables."""

from __future__ import annotations

import difflib
import os
import sys
import time
from pathlib import Path

import numpy as np

from ._io import atomic_write, same_file, write_delay_for_tests

__all__ = [
    "Progress",
    "UserError",
    "atomic_write",
    "check_output_path",
    "check_writable_file",
    "column_kinds",
    "format_table",
    "read_table",
    "split_target",
    "write_report",
    "write_table",
]

CLI_HINT = 'pip install "smotekit[cli]"'
_CSV = {".csv", ".tsv", ".txt"}
_PARQUET = {".parquet", ".pq"}
_COMPRESSED = {".gz", ".bz2", ".zip", ".xz", ".zst"}


class UserError(Exception):
    """A problem with the command's input that the person can fix; shown without a traceback.

    Parameters
    ----------
    message : str
        What went wrong and what to do about it.
    code : int, default=1
        The process exit code.
    """

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise UserError(f"Reading and writing data files needs pandas: {CLI_HINT}") from exc
    return pd


def _format_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED:
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


def _require_parquet():
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
    fmt = _format_of(path)
    pd = _pandas()
    try:
        if fmt == "parquet":
            _require_parquet()
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


def check_writable_file(path, *, inputs=(), force=False, option="--output") -> None:
    """Refuse, before any work, a file path the CLI must not write to.

    Refuses an input file, even with ``force``: files are compared by
    identity (device and inode), so a hard link or a symbolic link to an
    input is refused too. Refuses an existing file or symbolic link (dangling
    or not) without ``force``; with ``force`` a link itself is replaced, never
    written through (see :func:`atomic_write`). Refuses a folder, and a
    missing parent folder.

    Parameters
    ----------
    path : str or Path
    inputs : iterable of str or Path
        Files the command reads.
    force : bool
        Whether ``--force`` was given.
    option : str
        The option named in messages.
    """
    path = Path(path)
    for src in inputs:
        if same_file(path, src):
            raise UserError(f"{option} {str(path)!r} is the input file {str(src)!r} (the same file on disk, "
                            "perhaps through a link); smotekit never overwrites its input. Choose another name.")
    if path.is_symlink() and not path.exists():
        if not force:
            raise UserError(f"{option} {str(path)!r} is a symbolic link to {os.readlink(path)!r}, which does not "
                            "exist; pass --force to replace the link with the new file, or choose another name.")
    elif path.is_dir():
        raise UserError(f"{option} {str(path)!r} is a folder; give a file name.")
    elif path.exists() and not force:
        raise UserError(f"{str(path)!r} already exists; pass --force to replace it, or choose another name.")
    if not path.parent.exists():
        raise UserError(f"The folder {str(path.parent)!r} does not exist; create it or choose another path.")


def check_output_path(out, *, inputs=(), force=False) -> str:
    """Validate an output path before any work is done; returns its format ('csv' or 'parquet').

    See :func:`check_writable_file` for what is refused.
    """
    out = Path(out)
    fmt = _format_of(out)
    if fmt == "parquet":
        _require_parquet()
    check_writable_file(out, inputs=inputs, force=force, option="--output")
    return fmt


def write_report(report, path) -> None:
    """Write an :class:`~smotekit.report.HtmlReport` to ``path`` (UTF-8), atomically."""
    page = report.render()
    with atomic_write(path) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")


def _write_csv_slowly(frame, path, sep, delay) -> None:
    # Test-only path (SMOTEKIT_TEST_WRITE_DELAY): chunks with pauses, so the interrupt tests can
    # signal a real process while the file is half-written. The result is the same file.
    step = max(len(frame) // 20, 1)
    with open(path, "w", newline="") as handle:
        for start in range(0, max(len(frame), 1), step):
            frame.iloc[start:start + step].to_csv(handle, index=False, sep=sep, header=start == 0)
            handle.flush()
            time.sleep(delay)


def write_table(frame, out) -> None:
    """Write a DataFrame as CSV or Parquet, chosen by the extension of ``out``, atomically.

    The file appears at ``out`` only once complete (see :func:`atomic_write`);
    an error or an interrupt leaves a previous ``out`` as it was.
    """
    out = Path(out)
    fmt = _format_of(out)
    with atomic_write(out) as tmp:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            sep = "\t" if ".tsv" in [s.lower() for s in out.suffixes] else ","
            delay = write_delay_for_tests()
            if delay and not any(s.lower() in _COMPRESSED for s in out.suffixes):
                _write_csv_slowly(frame, tmp, sep, delay)
            else:
                frame.to_csv(tmp, index=False, sep=sep)


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


def _no_such_column(name, columns, option):
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
        raise _no_such_column(target, list(frame.columns), "--target")
    for name in drop:
        if name not in frame.columns:
            raise _no_such_column(name, list(frame.columns), "--drop")
    y = frame[target]
    missing = int(y.isna().sum())
    if missing:
        raise UserError(f"The target column {target!r} has {missing} empty value(s); every row needs a class. "
                        "Remove or label those rows first.")
    X = frame.drop(columns=[target, *drop])
    if X.shape[1] == 0:
        raise UserError(f"No feature columns left besides the target {target!r}.")
    return X, y


def format_table(header, rows, *, align=None) -> str:
    """Rows of strings as an aligned text table (first column left-aligned, the rest right)."""
    table = [list(map(str, header))] + [list(map(str, r)) for r in rows]
    widths = [max(len(r[j]) for r in table) for j in range(len(header))]
    align = align or ["<"] + [">"] * (len(header) - 1)
    lines = []
    for i, row in enumerate(table):
        lines.append("  ".join(f"{c:{a}{w}}" for c, a, w in zip(row, align, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def class_counts(y) -> dict:
    """``{label: count}`` sorted by label (labels as plain Python values)."""
    labels, counts = np.unique(np.asarray(y), return_counts=True)
    return {lab.item() if hasattr(lab, "item") else lab: int(c) for lab, c in zip(labels, counts)}


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, one summary line otherwise.

    Parameters
    ----------
    total : int
        Units of work.
    label : str
        What is being done.
    enabled : bool, default=True
        False prints nothing (``--quiet``).
    stream : file, default=sys.stderr
    """

    def __init__(self, total: int, label: str, *, enabled: bool = True, stream=None):
        self.total = max(int(total), 1)
        self.label = label
        self.done = 0
        self.enabled = enabled
        self.stream = sys.stderr if stream is None else stream
        self.live = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.start = time.perf_counter()
        self._drawn = 0.0

    def advance(self, n: int = 1, detail: str = "") -> None:
        """Count ``n`` more units as done."""
        self.done += n
        now = time.perf_counter()
        if self.live and (now - self._drawn > 0.08 or self.done >= self.total):
            self._drawn = now
            frac = min(self.done / self.total, 1.0)
            bar = "#" * int(28 * frac) + "-" * (28 - int(28 * frac))
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} "
                              f"{now - self.start:5.1f}s {detail[:30]:<30}")
            self.stream.flush()

    def close(self) -> float:
        """Finish the bar and return the seconds elapsed."""
        elapsed = time.perf_counter() - self.start
        if self.enabled:
            if self.live:
                self.stream.write("\r" + " " * (len(self.label) + 80) + "\r")
            self.stream.write(f"{self.label}: {self.done}/{self.total} done in {elapsed:.1f}s\n")
            self.stream.flush()
        return elapsed
