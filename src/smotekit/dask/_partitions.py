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

from ..utils._containers import adapter_for, read_y

__all__ = ["Layout", "Parts", "explain_pairing", "read_parts", "unify_categories"]


@dataclass
class Parts:
    """A Dask ``(X, y)`` pair as delayed partitions."""

    triples: list  # delayed (x, y, prov) per partition
    kind: str  # 'dataframe' | 'array'
    x_meta: object  # empty pandas DataFrame, or a 0-row numpy array
    y_meta: object  # empty pandas Series, or a 0-length numpy array
    # The caller's X and y when Dask pairs their rows by index label (they come from
    # different frames): kept to explain a failed pairing.
    paired_by_index: tuple | None = None

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
            raise ValueError(explain_pairing(X, y) or _pairing_message(
                f"X has {X.npartitions} partitions but y has {y.npartitions}", None, None))
        if X.known_divisions and y.known_divisions and X.divisions != y.divisions:
            raise ValueError(explain_pairing(X, y) or (
                "X and y are indexed differently, so Dask would pair their rows by index, not "
                "by position; take both from the same frame (X = df.drop(columns='label'), "
                "y = df['label'])."
            ))
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
        paired_by_index = None if _co_aligned(X, y) else (X, y)
        return Parts(triples, "dataframe", X._meta, y._meta, paired_by_index)
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


def _co_aligned(X, y) -> bool:
    """Whether Dask combines X and y partition by partition (they come from one frame);
    otherwise it pairs their rows by index label.

    Dask answers this only in its private expression module (no public
    function says it), so any failure there, in any Dask version, means "not
    known": False, the safe answer, since only the message of a failed pairing
    depends on it (the pairing is then diagnosed, see :func:`explain_pairing`).
    """
    try:
        from dask.dataframe.dask_expr._expr import are_co_aligned

        return bool(are_co_aligned(X.expr, y.expr))
    except Exception:  # noqa: BLE001 - ImportError, AttributeError (.expr), TypeError, or whatever it becomes
        return False


def _same_index(x, y) -> bool:
    return x.index.equals(y.index)


def explain_pairing(X, y):
    """Why X and y from different frames cannot be paired row for row, or None if they can.

    Computes the rows per partition of both, and whether their index labels
    match partition by partition: a pass over the data, so only when pairing
    them failed (or cannot work, with different partition counts). None as
    well when that pass fails: the error that led here is the one to show.
    """
    import dask

    xs, ys = X.to_delayed(), y.to_delayed()
    same = [dask.delayed(_same_index, pure=True)(a, b) for a, b in zip(xs, ys)] if len(xs) == len(ys) else []
    try:
        x_rows, y_rows, same = dask.compute([dask.delayed(len)(p) for p in xs],
                                            [dask.delayed(len)(p) for p in ys], same)
    except Exception:  # noqa: BLE001 - only a diagnosis
        return None
    if sum(x_rows) != sum(y_rows):
        problem = f"X has {sum(x_rows):,} rows but y has {sum(y_rows):,}; y needs one label per row of X"
    elif x_rows != y_rows:
        problem = "X and y are partitioned differently"
    elif not all(same):
        bad = same.index(False)
        problem = (f"X and y are indexed differently: the same rows per partition, but other index labels "
                   f"(first in partition {bad})")
    else:
        return None
    return _pairing_message(problem, x_rows, y_rows)


def _pairing_message(problem, x_rows, y_rows) -> str:
    def listing(rows):
        shown = ", ".join(f"{n:,}" for n in rows[:8])
        return shown + (f", ... ({len(rows)} partitions)" if len(rows) > 8 else "")

    rows = f". Rows per partition: X {listing(x_rows)}; y {listing(y_rows)}" if x_rows is not None else ""
    return (
        f"{problem}{rows}. Dask pairs the rows of X and y taken from different frames by index label, "
        "so both need the same rows, partitions and index. Take both from one frame "
        "(X = df.drop(columns='label'), y = df['label']; read or join the features and labels into "
        "df first), or pass y partitioned and indexed like X."
    )


# The label column's name while X and y travel as one frame.
_Y = "__smotekit_label__"


def _split(part, name):
    return part.drop(columns=_Y), part[_Y].rename(name), None


def scan_partition(sampler, triple):
    """Validate one partition as the sampler validates in-memory data, and count it.

    Returns ``(rows, classes, counts, categorical dtypes)``; the dtypes (see
    :func:`_categorical_dtypes`) let the driver unite the categories that
    differ between partitions (e.g. one Parquet file per partition).
    """
    x, y, _ = triple
    n = len(x)
    cats = _categorical_dtypes(x, y)
    if n == 0:
        return 0, np.empty(0, dtype=np.asarray(y).dtype), np.empty(0, np.int64), cats
    table = sampler._read_X(x)
    target = read_y(y, table.n_rows)
    return n, target.classes, target.counts, cats


def _categorical_dtypes(x, y):
    """``({column: dtype}, y's dtype or None)`` for the pandas categorical columns of a partition."""
    import pandas as pd

    if not hasattr(x, "dtypes"):
        return {}, None
    columns = {name: dt for name, dt in x.dtypes.items() if isinstance(dt, pd.CategoricalDtype)}
    return columns, (y.dtype if isinstance(y.dtype, pd.CategoricalDtype) else None)


def _union_dtype(dtypes, name):
    """One categorical dtype holding every category of ``dtypes``, in order of first appearance
    (as Dask unites them when it concatenates partitions)."""
    import pandas as pd
    from pandas.api.types import union_categoricals

    if all(dt == dtypes[0] for dt in dtypes[1:]):
        return dtypes[0]
    try:
        return union_categoricals([pd.Categorical([], dtype=dt) for dt in dtypes]).dtype
    except TypeError as exc:
        raise ValueError(
            f"The categorical column {name!r} has categories that cannot be united across "
            f"partitions ({exc}). Give it the same categories in every file or partition, e.g. "
            f"df[{name!r}].astype(pd.CategoricalDtype([...]))."
        ) from exc


def unify_categories(parts, scans):
    """Set ``parts.x_meta`` and ``parts.y_meta`` to dtypes whose categories are the union over
    the partitions, so that every output partition (and the gathered rows) can carry them."""
    if parts.kind != "dataframe":
        return
    per_column = {}
    y_dtypes = []
    for *_, (columns, y_dtype) in scans:
        for name, dt in columns.items():
            per_column.setdefault(name, []).append(dt)
        if y_dtype is not None:
            y_dtypes.append(y_dtype)
    if per_column:
        united = {name: _union_dtype(dts, name) for name, dts in per_column.items()}
        parts.x_meta = parts.x_meta.astype(united)
    if y_dtypes:
        parts.y_meta = parts.y_meta.astype(_union_dtype(y_dtypes, parts.y_meta.name))


def conform(obj, meta):
    """A partition's pandas ``x`` or ``y`` with the categorical dtypes of ``meta``, where they differ.

    Partitions read from different files carry their own categories; Dask
    expects every partition of a collection to carry the collection's dtypes.
    """
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        change = {name: dt for name, dt in meta.dtypes.items()
                  if isinstance(dt, pd.CategoricalDtype) and obj[name].dtype != dt}
        return obj.astype(change) if change else obj
    if isinstance(obj, pd.Series) and isinstance(meta.dtype, pd.CategoricalDtype) and obj.dtype != meta.dtype:
        return obj.astype(meta.dtype)
    return obj


def layout_from_scans(scans) -> Layout:
    """Merge per-partition counts into the global layout."""
    lengths = np.array([s[0] for s in scans], dtype=np.int64)
    present = [s[1] for s in scans if s[0]]
    if not present:
        raise ValueError("X has no rows: every partition is empty.")
    classes = np.unique(np.concatenate(present))
    counts = np.zeros((len(scans), classes.size), dtype=np.int64)
    for p, (n, cls, cnt, _) in enumerate(scans):
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
    """Rows of a partition's ``x`` or ``y``, in its own kind, by the in-memory adapter of
    that kind (a pandas partition gets a fresh 0..n-1 index; the output's is set last,
    :func:`with_index`)."""
    return adapter_for(obj, labels=getattr(obj, "ndim", 2) == 1).take(obj, rows)


def concat(pieces, kind, meta):
    """Stack pieces of ``x`` or ``y`` in their own kind (a fresh RangeIndex for pandas), with
    ``meta``'s categories (pandas would turn categoricals that differ into plain values)."""
    if kind == "dataframe":
        import pandas as pd

        return pd.concat([conform(p, meta) for p in pieces], ignore_index=True)
    return np.concatenate(pieces)


def provenance_frame(prov, gids):
    """The provenance of a partition's rows: its own frame, or input rows' ids."""
    if prov is not None:
        return prov
    import pandas as pd

    n = gids.size
    return pd.DataFrame({"is_synthetic": np.zeros(n, bool), "source": gids,
                         "partner": np.full(n, -1, np.int64), "gap": np.full(n, np.nan)})


def with_index(triple, start, x_meta, y_meta):
    """A partition's triple with pandas indexes set to its output positions and the
    collection's dtypes (:func:`conform`)."""
    import pandas as pd

    x, y, prov = triple
    index = pd.RangeIndex(start, start + len(x))
    if hasattr(x, "index"):
        x = conform(x, x_meta).set_axis(index, axis=0)
        y = conform(y, y_meta).set_axis(index, axis=0)
    return x, y, prov.set_axis(index, axis=0)
