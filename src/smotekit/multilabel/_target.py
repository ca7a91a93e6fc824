"""The multi-label target ``Y``: read into a boolean matrix, given back in the caller's kind.

Two shapes of ``Y`` are read:

- a 2-D indicator matrix, one column per label, cells 0/1: a numpy array
  (integer, bool, or float holding only 0 and 1), a pandas or polars
  DataFrame (the column names are the label names), or a scipy sparse matrix
  or array;
- a 1-D sequence of label collections, one per row: a list or tuple, a
  pandas Series, a 1-D numpy object array, or a polars Series of lists, whose
  items are lists, tuples, sets or frozensets of label names (an empty one is
  a row without labels). The label names are the sorted union of all items.

Internally ``Y`` is a bool ndarray ``(n_rows, n_labels)``; :meth:`LabelTarget.assemble`
rebuilds the output in the input's kind: the indicator's dtype (per column for
frames) and names kept, sparse input as CSR, label collections in the same outer
kind. pandas and polars are never imported here: their objects can only come
from a caller who did.
"""

from __future__ import annotations

import sys
from collections.abc import Set
from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = ["LabelTarget", "read_labels"]

_COLLECTIONS = (list, tuple, set, frozenset)
_ONE_LABEL_HINT = (
    "For one label per row use smotekit.over_sampling / smotekit.under_sampling (the classification "
    "samplers); smotekit.multilabel needs a 0/1 indicator matrix (n_rows, n_labels) or one collection "
    "of labels per row, e.g. [['a', 'b'], ['b'], []]."
)


@dataclass
class LabelTarget:
    """The caller's ``Y``, read: a bool matrix, the label names, and how to give it back.

    Attributes
    ----------
    original : object
        The caller's ``Y``, never modified.
    kind : str
        ``'numpy'``, ``'sparse'``, ``'pandas'``, ``'polars'`` (indicator matrices) or
        ``'sets'`` (label collections).
    matrix : ndarray of bool, shape (n_rows, n_labels)
        Whether row i carries label j.
    labels : ndarray, shape (n_labels,)
        The label names: column names of a frame, 0..L-1 for matrices, the
        sorted union of the collections.
    """

    original: object
    kind: str
    matrix: np.ndarray
    labels: np.ndarray
    #: For label collections: the outer container ('list', 'tuple', 'numpy', 'pandas', 'polars')
    #: and the one type of the inner collections (list when the input mixes them).
    outer: str | None = None
    inner: type | None = None

    @property
    def n_rows(self) -> int:
        return self.matrix.shape[0]

    def assemble(self, kept, added_source, added=None):
        """The output ``Y``: the ``kept`` input rows, then one row per added row.

        Parameters
        ----------
        kept : range or ndarray of int
            Input rows kept, in output order.
        added_source : ndarray of int or None
            The input row behind each added row.
        added : ndarray of bool, shape (n_added, n_labels), or None
            The labels of the added rows; None: each has its source's labels.

        Returns
        -------
        Same kind as the input ``Y``.
        """
        kept = np.arange(kept.start, kept.stop) if isinstance(kept, range) else np.asarray(kept, dtype=np.int64)
        source = np.empty(0, np.int64) if added_source is None else np.asarray(added_source, dtype=np.int64)
        if added is None:
            rows = np.concatenate([kept, source])
            return self._take(rows)
        added = np.asarray(added, dtype=bool)
        if added.shape != (source.size, self.matrix.shape[1]):
            raise ValueError(
                f"The labels of the added rows have shape {added.shape}; expected ({source.size}, "
                f"{self.matrix.shape[1]}) (one row per added row, one column per label)."
            )
        return self._build(np.concatenate([self.matrix[kept], added]), kept)

    def _take(self, rows):
        """Input rows ``rows``, exactly, in the caller's kind."""
        if self.kind == "sets":
            return self._build(self.matrix[rows], rows)
        if self.kind == "numpy":
            return self.original[rows]
        if self.kind == "sparse":
            return _as_csr(self.original)[rows]
        if self.kind == "pandas":
            return self.original.iloc[rows].reset_index(drop=True)
        return self.original[rows]  # polars

    def _build(self, matrix, kept):
        """Output from a bool matrix; the first ``len(kept)`` rows are the input rows ``kept``
        (label collections of kept rows are the caller's, copied, not rebuilt)."""
        if self.kind == "numpy":
            return matrix.astype(self.original.dtype)
        if self.kind == "sparse":
            out = sparse.csr_matrix(matrix.astype(self.original.dtype))
            return sparse.csr_array(out) if isinstance(self.original, sparse.sparray) else out
        if self.kind == "pandas":
            pd = sys.modules["pandas"]
            # Column by column through Series: numpy cannot cast to pandas' own dtypes (Int8, boolean).
            out = pd.concat([pd.Series(matrix[:, j]).astype(d) for j, d in enumerate(self.original.dtypes)],
                            axis=1) if matrix.shape[1] else pd.DataFrame(index=range(matrix.shape[0]))
            out.columns = self.original.columns
            return out
        if self.kind == "polars":
            pl = sys.modules["polars"]
            return pl.DataFrame([pl.Series(c, matrix[:, j]).cast(d) for j, (c, d)
                                 in enumerate(zip(self.original.columns, self.original.dtypes))])
        return self._build_sets(matrix, kept)

    def _build_sets(self, matrix, kept):
        items = _items(self.original)
        n_kept = len(kept)
        out = [_copy(items[i], self.inner) for i in kept]
        for row in matrix[n_kept:]:
            out.append(self.inner(self.labels[row].tolist()))
        if self.outer == "list":
            return out
        if self.outer == "tuple":
            return tuple(out)
        if self.outer == "numpy":
            arr = np.empty(len(out), dtype=object)
            arr[:] = out
            return arr
        if self.outer == "pandas":
            pd = sys.modules["pandas"]
            return pd.Series(out, name=self.original.name, dtype=object)
        pl = sys.modules["polars"]
        return pl.Series(self.original.name, [list(x) for x in out], dtype=self.original.dtype)


def _copy(collection, inner):
    """A kept or copied row's collection: the caller's items, in their order, in a new object
    (the output never aliases the caller's mutable lists or sets)."""
    return inner(collection.tolist() if isinstance(collection, np.ndarray) else collection)


def _as_csr(Y):
    return Y.tocsr() if Y.format != "csr" else Y


def _items(Y) -> list:
    """The per-row collections of a label-collection ``Y``, as a Python list."""
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(Y, pl.Series):
        return Y.to_list()
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(Y, pd.Series):
        return Y.tolist()
    return list(Y)


def read_labels(Y, n_rows: int | None) -> LabelTarget:
    """Read and validate ``Y`` for ``n_rows`` rows of ``X``; ``Y`` is never modified.

    Parameters
    ----------
    Y : indicator matrix or sequence of label collections
        See the module's docstring.
    n_rows : int or None
        Rows of ``X``; ``Y`` must have as many (None: not checked).

    Returns
    -------
    LabelTarget
    """
    if Y is None:
        raise ValueError(
            "Y is None; multi-label samplers need the labels of every row: a 0/1 indicator matrix "
            "(n_rows, n_labels) or one collection of labels per row."
        )
    target = _read(Y)
    if n_rows is not None and target.n_rows != n_rows:
        raise ValueError(
            f"X and Y have different numbers of rows: X has {n_rows}, Y has {target.n_rows}. Pass the "
            "labels that belong to X, one row of Y per row of X."
        )
    if target.matrix.shape[1] == 0:
        raise ValueError(
            "Y has no labels (0 columns, or no row carries any label); multi-label resampling needs at "
            "least one label."
        )
    return target


def _read(Y) -> LabelTarget:
    if sparse.issparse(Y):
        if Y.ndim != 2:
            raise ValueError(f"A sparse Y must be 2-D (n_rows, n_labels), got shape {Y.shape}.")
        data = _as_csr(Y).data
        _check_binary(data, Y.dtype, "Y")
        matrix = _as_csr(Y).toarray() != 0
        return LabelTarget(Y, "sparse", matrix, np.arange(Y.shape[1]))
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(Y, pd.DataFrame):
        return _read_pandas_frame(Y, pd)
    if pd is not None and isinstance(Y, pd.Series):
        return _read_sets(Y, "pandas")
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(Y, pl.DataFrame):
        return _read_polars_frame(Y, pl)
    if pl is not None and isinstance(Y, pl.Series):
        if not isinstance(Y.dtype, (pl.List, pl.Array)):
            raise ValueError(f"Y is a polars Series of {Y.dtype}, one label per row. {_ONE_LABEL_HINT}")
        if Y.null_count():
            raise ValueError("Y (a polars Series of lists) holds null rows; give [] for a row without labels.")
        return _read_sets(Y, "polars")
    if isinstance(Y, np.ndarray):
        if Y.ndim == 2:
            return _read_array(Y)
        if Y.ndim == 1 and Y.dtype == object:
            return _read_sets(Y, "numpy")
        raise ValueError(f"Y has shape {Y.shape}. {_ONE_LABEL_HINT}")
    if isinstance(Y, (list, tuple)):
        return _read_sets(Y, "list" if isinstance(Y, list) else "tuple")
    raise TypeError(
        f"Y of type {type(Y).__name__} is not a multi-label target. Pass a 0/1 indicator matrix (numpy, "
        "pandas, polars or scipy sparse) or a list / tuple / Series of label collections."
    )


def _check_binary(values, dtype, what: str) -> None:
    """Refuse an indicator whose cells are not 0 or 1 (or whose dtype is not numeric)."""
    if dtype.kind not in "biuf":
        raise TypeError(
            f"{what} has dtype {dtype}; an indicator matrix holds 0/1 as int, bool or float. "
            "For label names per row pass a list of label collections instead."
        )
    if dtype.kind != "b":
        bad = (values != 0) & (values != 1)
        if bad.any():
            seen = np.unique(values[bad])[:5].tolist()
            raise ValueError(
                f"{what} must hold only 0 and 1 (label absent / present); found {seen}. Convert it, e.g. "
                "(Y > 0).astype(int), or pass label collections per row."
            )


def _read_array(Y) -> LabelTarget:
    _check_binary(Y, Y.dtype, "Y")
    return LabelTarget(Y, "numpy", Y.astype(bool), np.arange(Y.shape[1]))


def _read_pandas_frame(Y, pd) -> LabelTarget:
    for column, dtype in zip(Y.columns, Y.dtypes):
        if not (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)):
            raise TypeError(
                f"Y's column {column!r} has dtype {dtype}; each column of a label DataFrame is one label, "
                "0/1 or bool. Convert it, or pass label collections per row."
            )
    if Y.isna().to_numpy().any():
        raise ValueError("Y (a DataFrame) holds missing cells; every cell must be 0 or 1.")
    values = Y.to_numpy(dtype=np.float64) if Y.shape[1] else np.zeros(Y.shape)
    _check_binary(values, values.dtype, "Y")
    return LabelTarget(Y, "pandas", values.astype(bool), np.asarray(list(Y.columns), dtype=object))


def _read_polars_frame(Y, pl) -> LabelTarget:
    for column, dtype in zip(Y.columns, Y.dtypes):
        if not (dtype == pl.Boolean or dtype.is_numeric()):
            raise TypeError(
                f"Y's column {column!r} has dtype {dtype}; each column of a label DataFrame is one label, "
                "0/1 or bool. Convert it, or pass label collections per row."
            )
    if Y.null_count().sum_horizontal().item() if Y.width else 0:
        raise ValueError("Y (a DataFrame) holds null cells; every cell must be 0 or 1.")
    values = Y.to_numpy().astype(np.float64) if Y.width else np.zeros(Y.shape)
    _check_binary(values, values.dtype, "Y")
    return LabelTarget(Y, "polars", values.astype(bool), np.asarray(Y.columns, dtype=object))


def _looks_like_indicator(items) -> bool:
    """Whether every row is a sequence of the same length (two or more) holding only 0/1 values."""
    if not items or not all(isinstance(item, (list, tuple, np.ndarray)) for item in items):
        return False
    width = len(items[0])
    return width >= 2 and all(len(item) == width for item in items) and all(
        isinstance(v, (bool, int, np.integer, np.bool_)) and v in (0, 1) for item in items for v in item)


def _read_sets(Y, outer: str) -> LabelTarget:
    items = _items(Y)
    kinds = set()
    for i, item in enumerate(items):
        if isinstance(item, np.ndarray) and item.ndim == 1:
            kinds.add(list)
            continue
        if not isinstance(item, (*_COLLECTIONS, Set)):
            raise ValueError(
                f"Y's row {i} is {item!r}, not a collection of labels. {_ONE_LABEL_HINT}"
            )
        kinds.add(type(item) if type(item) in _COLLECTIONS else frozenset)
    inner = kinds.pop() if len(kinds) == 1 else list
    if inner in (list, tuple) and _looks_like_indicator(items):
        raise ValueError(
            "Y is a list of equal-length rows of 0/1: an indicator matrix or label names 0 and 1? Pass "
            "numpy.asarray(Y) for an indicator matrix (one column per label), or sets such as {0, 1} for "
            "label names."
        )
    if outer == "polars":
        inner = list
    union = set()
    for i, item in enumerate(items):
        members = list(item.tolist() if isinstance(item, np.ndarray) else item)
        if len(set(members)) != len(members):
            raise ValueError(
                f"Y's row {i} lists a label twice ({members!r}). Each row is a collection of label names; "
                "if Y is a 0/1 indicator matrix, pass it as a 2-D array (numpy.asarray(Y))."
            )
        union.update(members)
    try:
        labels = sorted(union)
    except TypeError as exc:
        kinds_seen = sorted({type(v).__name__ for v in union})
        raise TypeError(
            f"Y's label names mix types ({', '.join(kinds_seen)}) that cannot be sorted; use one type, "
            "e.g. strings."
        ) from exc
    position = {label: j for j, label in enumerate(labels)}
    matrix = np.zeros((len(items), len(labels)), dtype=bool)
    for i, item in enumerate(items):
        for label in (item.tolist() if isinstance(item, np.ndarray) else item):
            matrix[i, position[label]] = True
    names = np.empty(len(labels), dtype=object)
    names[:] = labels
    return LabelTarget(Y, "sets", matrix, names, outer=outer, inner=inner)
