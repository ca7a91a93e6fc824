"""What every command shares: the user-facing error, small text helpers, class counts."""

from __future__ import annotations

import sys

__all__ = ["CLI_HINT", "UserError", "class_counts", "figure_axes", "format_table", "names", "note", "split_list"]

CLI_HINT = 'pip install "smotekit[cli]"'


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
    import numpy as np  # here, not at the top: the parser imports this module, and --help stays fast

    labels, counts = np.unique(np.asarray(y), return_counts=True)
    return {lab.item() if hasattr(lab, "item") else lab: int(c) for lab, c in zip(labels, counts)}


def note(text: str) -> None:
    """A ``note:`` line on stderr (something the person should know; not an error)."""
    print(f"note: {text}", file=sys.stderr)


def names(cols) -> str:
    """Column or class names as a comma-separated list."""
    return ", ".join(map(str, cols))


def split_list(values) -> list:
    """Items from repeated, comma-separated options (``--drop a,b --drop c``)."""
    return [part.strip() for v in values or () for part in v.split(",") if part.strip()]


def figure_axes(ncols: int = 1, figsize=(6.0, 4.5)):
    """``(figure, [axes...])`` for a picture the command writes to a file or a report.

    The figure is never registered with pyplot, even when pyplot is loaded (a
    notebook or a test session calling :func:`smotekit.cli.main`): pyplot would
    keep every figure of every run alive until closed.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, list(fig.subplots(1, ncols, squeeze=False)[0])
