"""Dask inputs as lists of partitions, the one pass that counts them, and the
functions every task applies to one partition.

A partition travels as a triple ``(x, y, prov)``: ``x`` and ``y`` in the
caller's kind (pandas DataFrame and Series, or numpy arrays) and ``prov`` the
provenance of its rows as a pandas DataFrame, or None for input rows (whose
provenance is their global row id). Global row ids number the rows of the
whole collection in partition order; they never depend on scheduling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..utils._containers import read_y

__all__ = ["Layout", "Parts", "read_parts"]


@dataclass
class Parts:
    """A Dask ``(X, y)`` pair as delayed partitions."""

    triples: list  # delayed (x, y, prov) per partition
    kind: str  # 'dataframe' | 'array'
    x_meta: object  # empty pandas DataFrame, or a 0-row numpy array
    y_meta: object  # empty pandas Series, or a 0-length numpy array

    @property
    def n_cols(self) -> int:
        return self.x_meta.shape[1]

    @property
    def columns(self):
        return list(self.x_meta.columns) if self.kind == "dataframe" else None


@dataclass
class Layout:
    """Rows and class counts of every partition: all the driver needs to plan."""

    lengths: np.ndarray  # rows per partition
    classes: np.ndarray  # sorted class labels of the whole collection
    counts: np.ndarray  # (n_partitions, n_classes)

    @property
    def offsets(self) -> np.ndarray:
        """Global id of the first row of each partition."""
        return np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)

    @property
    def totals(self) -> np.ndarray:
        return self.counts.sum(axis=0)

    @property
    def n_rows(self) -> int:
        return int(self.lengths.sum())


def read_parts(X, y) -> Parts:
    """Split a Dask ``X`` (DataFrame or 2-D Array) and ``y`` (Series, one-column
    DataFrame or 1-D Array) into aligned partitions."""
    import dask
    import dask.array as da
    import dask.dataframe as dd

    if isinstance(X, dd.DataFrame):
        if isinstance(y, dd.DataFrame) and len(y.columns) == 1:
            y = y[y.columns[0]]
        if not isinstance(y, dd.Series):
            raise TypeError(
                f"X is a Dask DataFrame, so y must be a Dask Series partitioned like it (e.g. the "
                f"label column of the same frame, df['label']); got {type(y).__name__}."
            )
        if X.npartitions != y.npartitions:
            raise ValueError(
                f"X has {X.npartitions} partitions but y has {y.npartitions}; take both from the "
                "same frame (X = df.drop(columns='label'), y = df['label'])."
            )
        if X.known_divisions and y.known_divisions and X.divisions != y.divisions:
            raise ValueError(
                "X and y are indexed differently, so Dask would pair their rows by index, not "
                "by position; take both from the same frame (X = df.drop(columns='label'), "
                "y = df['label'])."
            )
        # One frame, split inside each task: optimised separately, X and y could be
        # partitioned differently (Dask merges Parquet files by the columns read).
        try:
            both = X.assign(**{_Y: y})
        except Exception as exc:
            raise ValueError(
                "X and y are not aligned partition by partition; take both from the same frame "
                "(X = df.drop(columns='label'), y = df['label'])."
            ) from exc
        triples = [dask.delayed(_split, pure=True)(part, y.name) for part in both.to_delayed()]
        return Parts(triples, "dataframe", X._meta, y._meta)
    if isinstance(X, da.Array):
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (rows x features), got a Dask array of shape {X.shape}.")
        if not isinstance(y, da.Array):
            raise TypeError(f"X is a Dask Array, so y must be a Dask Array too; got {type(y).__name__}.")
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D (one label per row), got shape {y.shape}.")
        X = X.rechunk({1: -1})
        if y.chunks[0] != X.chunks[0]:
            if any(np.isnan(c) for c in X.chunks[0] + y.chunks[0]):
                raise ValueError(
                    "X and y have unknown chunk sizes that differ; call X.compute_chunk_sizes() "
                    "and y.compute_chunk_sizes() first."
                )
            y = y.rechunk((X.chunks[0],))
        xs, ys = X.to_delayed()[:, 0], y.to_delayed()
        triples = [dask.delayed(_triple, pure=True)(a, b) for a, b in zip(xs, ys)]
        return Parts(triples, "array", np.empty((0, X.shape[1]), X.dtype), np.empty(0, y.dtype))
    raise TypeError(f"Expected a Dask DataFrame or Array for X, got {type(X).__name__}.")


def _triple(x, y):
    return x, y, None


# The label column's name while X and y travel as one frame.
_Y = "__smotekit_label__"


def _split(part, name):
    return part.drop(columns=_Y), part[_Y].rename(name), None


def scan_partition(sampler, triple):
    """Validate one partition as the sampler validates in-memory data, and count it."""
    x, y, _ = triple
    n = len(x)
    if n == 0:
        return 0, np.empty(0, dtype=np.asarray(y).dtype), np.empty(0, np.int64)
    table = sampler._read_X(x)
    target = read_y(y, table.n_rows)
    return n, target.classes, target.counts


def layout_from_scans(scans) -> Layout:
    """Merge per-partition counts into the global layout."""
    lengths = np.array([s[0] for s in scans], dtype=np.int64)
    present = [s[1] for s in scans if s[0]]
    if not present:
        raise ValueError("X has no rows: every partition is empty.")
    classes = np.unique(np.concatenate(present))
    counts = np.zeros((len(scans), classes.size), dtype=np.int64)
    for p, (n, cls, cnt) in enumerate(scans):
        if n:
            counts[p, np.searchsorted(classes, cls)] = cnt
    return Layout(lengths, classes, counts)


def codes_of(y, classes) -> np.ndarray:
    """Class codes (positions in the sorted global ``classes``) of a partition's labels."""
    labels = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    return np.searchsorted(classes, labels).astype(np.int64)


def kernel_values(sampler, x):
    """What the sampler's kernel computes on, for one partition or gathered rows."""
    return sampler._read_X(x).kernel_input()


def take(obj, rows):
    """Rows of a partition's ``x``, ``y`` or provenance frame, in its own kind."""
    if hasattr(obj, "iloc"):
        return obj.iloc[rows]
    return np.asarray(obj)[rows]


def concat(pieces, kind):
    """Stack pieces of ``x`` or ``y`` in their own kind (a fresh RangeIndex for pandas)."""
    if kind == "dataframe":
        import pandas as pd

        return pd.concat(pieces, ignore_index=True)
    return np.concatenate(pieces)


def provenance_frame(prov, gids):
    """The provenance of a partition's rows: its own frame, or input rows' ids."""
    if prov is not None:
        return prov
    import pandas as pd

    n = gids.size
    return pd.DataFrame({"is_synthetic": np.zeros(n, bool), "source": gids,
                         "partner": np.full(n, -1, np.int64), "gap": np.full(n, np.nan)})


def with_index(triple, start):
    """A partition's triple with pandas indexes set to its output positions."""
    import pandas as pd

    x, y, prov = triple
    index = pd.RangeIndex(start, start + len(x))
    if hasattr(x, "index"):
        x = x.set_axis(index, axis=0)
        y = y.set_axis(index, axis=0)
    return x, y, prov.set_axis(index, axis=0)
