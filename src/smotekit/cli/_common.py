"""What every command shares: the user-facing error, small text helpers, class counts."""

from __future__ import annotations

import math
import re
import sys
from numbers import Real

__all__ = [
    "CLI_HINT", "INTEGER_TEXT", "NUMBER_TEXT", "UserError", "class_counts",
    "encode_labels",
    "label_order", "names", "note", "split_list",
]

CLI_HINT = 'pip install "smotekit[cli]"'
# Numbers as people write them in a data file (Python's float() also takes 'nan', 'inf' and '1_0'),
# and the integers among them.
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
INTEGER_TEXT = re.compile(r"[+-]?\d+", re.ASCII)


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


def label_order(label) -> tuple:
    """Sort key for class labels as a person reads them: numbers by value, then the rest as text.

    Text that is a number counts as one (a CSV target is read as text), so
    ``'9'`` comes before ``'10'``; the label itself is never changed. Two
    labels of equal value (``'01'`` and ``'1'``) are ordered as text.
    """
    if isinstance(label, str):
        if NUMBER_TEXT.fullmatch(label):
            # int() for integers: a float would round labels beyond 2**53 onto each other.
            value = int(label) if INTEGER_TEXT.fullmatch(label) else float(label)
            return (0, value, label)
    elif isinstance(label, Real) and not math.isnan(label):
        return (0, label, str(label))
    return (1, str(label), "")


def class_counts(y) -> dict:
    """``{label: count}`` in :func:`label_order` (labels as in :func:`encode_labels`)."""
    import numpy as np

    classes, codes = encode_labels(y)
    counts = np.bincount(codes, minlength=len(classes))
    return dict(sorted(zip(classes, map(int, counts)), key=lambda pair: label_order(pair[0])))


def encode_labels(y):
    """The classes of ``y`` in :func:`label_order`, and each row's class code.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels of any type :func:`label_order` can sort (mixed types too), none missing.

    Returns
    -------
    classes : list
        The distinct labels, as plain Python values (pandas timestamps for
        dates and times).
    codes : ndarray of shape (n_samples,)
        ``classes[codes[i]]`` is the label of row ``i``.

    Raises
    ------
    ValueError
        If a label is missing.
    """
    # Imported here, not at the top: the parser imports this module, and --help stays fast.
    import numpy as np
    import pandas as pd

    # Hashing, then ordering only the distinct labels: np.unique would sort every row (seconds for
    # a million text labels) and cannot compare mixed types. Index.tolist() gives plain values.
    if not isinstance(y, pd.Series):
        # A list through np.asarray would turn [1, 'a'] into two strings; a Series keeps each value.
        y = pd.Series(y if hasattr(y, "dtype") else list(y))
    codes, uniques = pd.factorize(y)
    if (codes < 0).any():
        raise ValueError(f"{int((codes < 0).sum())} label(s) are missing; every row needs a class.")
    found = pd.Index(uniques).tolist()
    order = sorted(range(len(found)), key=lambda i: label_order(found[i]))
    rank = np.empty(len(found), dtype=np.intp)
    rank[order] = np.arange(len(found))
    return [found[i] for i in order], rank[codes]


def note(text: str) -> None:
    """A ``note:`` line on stderr (something the person should know; not an error)."""
    print(f"note: {text}", file=sys.stderr)


def names(cols) -> str:
    """Column or class names as a comma-separated list."""
    return ", ".join(map(str, cols))


def split_list(values) -> list:
    """Items from repeated, comma-separated options (``--drop a,b --drop c``)."""
    return [part.strip() for v in values or () for part in v.split(",") if part.strip()]
