"""Writing files for the commands: output checks before any work, then tables and reports, atomically."""

from __future__ import annotations

import os
import time
from pathlib import Path

from ._common import UserError
from ._io import atomic_write, same_file, write_delay_for_tests
from ._read import COMPRESSED, format_of, require_parquet

__all__ = [
    "check_output_path",
    "check_report_engine",
    "check_writable_file",
    "counts_rows",
    "write_report",
    "write_table",
]

# Cells formatted per slice of a chunked CSV write: large enough that slicing costs nothing
# next to formatting, small enough for a few updates a second.
_CELLS_PER_CHUNK = 1_000_000


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
    fmt = format_of(out)
    if fmt == "parquet":
        require_parquet()
    check_writable_file(out, inputs=inputs, force=force, option="--output")
    return fmt


def check_report_engine() -> None:
    """Refuse, before any work, to start a command whose HTML report could not be rendered."""
    import importlib.util

    if importlib.util.find_spec("jinja2") is None:
        from ..report import INSTALL_HINT

        raise UserError(INSTALL_HINT)


def write_report(report, path) -> None:
    """Write an :class:`~smotekit.report.HtmlReport` to ``path`` (UTF-8), atomically."""
    page = report.render()
    with atomic_write(path) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")


def _write_csv_in_chunks(frame, path, sep, progress, delay) -> None:
    # The same bytes as one to_csv call: the header once, then slices of rows, each formatted
    # by pandas as a whole write would. Between slices the progress display gets its count, and
    # the test-only pause (SMOTEKIT_TEST_WRITE_DELAY) lets the interrupt tests signal a real
    # process while the file is half-written.
    step = max(len(frame) // 20, 1) if delay else max(_CELLS_PER_CHUNK // max(frame.shape[1], 1), 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        for start in range(0, max(len(frame), 1), step):
            part = frame.iloc[start:start + step]
            part.to_csv(handle, index=False, sep=sep, header=start == 0)
            if progress is not None:
                progress(len(part))
            if delay:
                handle.flush()
                time.sleep(delay)


def write_table(frame, out, *, progress=None) -> None:
    """Write a DataFrame as CSV or Parquet, chosen by the extension of ``out``, atomically.

    The file appears at ``out`` only once complete (see :func:`atomic_write`);
    an error or an interrupt leaves a previous ``out`` as it was.

    Parameters
    ----------
    frame : pandas.DataFrame
    out : str or Path
    progress : callable, optional
        ``progress(n_rows)`` after each slice of rows written to an uncompressed
        CSV; compressed CSV and Parquet files are written in one piece.
    """
    out = Path(out)
    fmt = format_of(out)
    with atomic_write(out) as tmp:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            sep = "\t" if ".tsv" in [s.lower() for s in out.suffixes] else ","
            if any(s.lower() in COMPRESSED for s in out.suffixes):
                frame.to_csv(tmp, index=False, sep=sep)
            else:
                _write_csv_in_chunks(frame, tmp, sep, progress, write_delay_for_tests())


def counts_rows(out) -> bool:
    """Whether :func:`write_table` reports rows as it writes ``out`` (uncompressed CSV), for a bar."""
    out = Path(out)
    return format_of(out) == "csv" and not any(s.lower() in COMPRESSED for s in out.suffixes)
