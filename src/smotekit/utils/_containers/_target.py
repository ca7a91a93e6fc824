"""The target ``y``: validated, encoded, and given back in the caller's kind."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._table import Adapter, _rows, adapter_for

__all__ = ["Target", "read_y"]


@dataclass
class Target:
    """The caller's ``y``: labels, their encoding, and the means to return it in kind."""

    original: object
    adapter: Adapter
    labels: np.ndarray  # numpy view of the labels
    classes: np.ndarray  # sorted unique labels
    codes: np.ndarray  # position of each row's label in ``classes``
    counts: np.ndarray
    #: The object rows are taken from: the caller's own container, or ``labels`` for arrays.
    rows_from: object = None
    #: The caller passed a list: the output is a list too (imbalanced-learn's rule).
    as_list: bool = False

    @property
    def kind(self) -> str:
        """The adapter's name: 'numpy', 'pandas', 'polars', ..."""
        return self.adapter.name

    def take(self, rows):
        out = self.adapter.take(self.rows_from, rows)
        return out.tolist() if self.as_list else out

    def assemble(self, kept, added):
        """Labels of the output rows: ``kept`` input rows, then the sources of the added rows."""
        if (self.rows_from is self.labels and not self.as_list
                and isinstance(kept, range) and kept == range(len(self.labels))):
            # One preallocated array, the labels copied whole: no index array, no gather.
            n = len(self.labels)
            out = np.empty(n + (0 if added is None else len(added)), dtype=self.labels.dtype)
            out[:n] = self.labels
            if added is not None:
                np.take(self.labels, added, out=out[n:])
            return out
        return self.take(_rows(kept, added))


def read_y(y, n_rows: int) -> Target:
    """Validate the target and encode it; ``y`` itself is never modified."""
    adapter = adapter_for(y, labels=True)
    labels, rows_from = adapter.read_labels(y)
    if labels.ndim != 1:
        raise ValueError(
            f"y must be 1-D (one label per row), got shape {labels.shape}. Multilabel and "
            "multioutput targets are not supported."
        )
    if labels.shape[0] != n_rows:
        raise ValueError(
            f"X and y have different numbers of rows: X has {n_rows}, y has {labels.shape[0]}. "
            "Pass the label column that belongs to X."
        )
    if labels.dtype.kind == "f":
        if not np.isfinite(labels).all():
            raise ValueError("y contains NaN or infinity; every row needs a class label. Drop unlabelled rows.")
        if not np.array_equal(labels, np.round(labels)):
            raise ValueError(
                "Unknown label type: continuous. y holds continuous values; resampling needs "
                "class labels. For regression "
                "targets, bin them into classes first (e.g. with numpy.digitize)."
            )
    elif labels.dtype.kind == "O":
        if any(v is None or (isinstance(v, float) and v != v) for v in labels):
            raise ValueError("y contains missing labels (None/NaN); drop unlabelled rows.")
    classes, codes, counts = _encode(labels)
    return Target(y, adapter, labels, classes, codes, counts, rows_from, as_list=isinstance(y, list))


def _encode(labels):
    """Sorted classes, per-row codes and counts; linear time for small-range integers."""
    if labels.dtype.kind in "iub" and labels.size:
        as_int = labels.astype(np.int64, copy=False)
        lo, hi = int(as_int.min()), int(as_int.max())
        if hi - lo <= 4 * labels.size + 1024:
            counts_all = np.bincount(as_int - lo, minlength=hi - lo + 1)
            present = np.flatnonzero(counts_all)
            lookup = np.zeros(hi - lo + 1, dtype=np.intp)
            lookup[present] = np.arange(present.size)
            classes = (present + lo).astype(labels.dtype)
            return classes, lookup[as_int - lo], counts_all[present]
    try:
        classes, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in labels[:1000]})
        raise TypeError(
            f"y mixes label types ({', '.join(kinds)}) that cannot be ordered; convert the labels "
            "to one type, e.g. y.astype(str)."
        ) from exc
    return classes, codes.ravel(), counts
