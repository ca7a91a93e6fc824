"""Tables of nominal and continuous columns, as SMOTE-N and SMOTE-NC read them.

:func:`read_mixed` opens ``X`` through its container's adapter
(:meth:`~smotekit.utils._containers.Adapter.mixed_columns`), lets the sampler
say which columns are nominal, and encodes each nominal column as codes into
its categories; the adapter builds the output back in the caller's kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..utils._containers import NonNumericError, Table, adapter_for
from ..utils._containers._checks import check_finite, check_not_empty

__all__ = ["Mixed", "read_mixed"]


@dataclass
class Mixed:
    """A table of nominal and continuous columns, as the SMOTE-N/NC kernels see it.

    Attributes
    ----------
    nominal, continuous : ndarray of int
        Positions of the nominal and of the continuous columns in ``X``, increasing.
    values : ndarray of shape (n_rows, n_continuous)
        The continuous columns as floats (float32 if they all are, else float64).
    codes : ndarray of shape (n_rows, n_nominal), int32
        Per nominal column, each row's category as a position in ``categories[j]``.
    categories : list of ndarray
        Per nominal column, the category values (sorted when they can be ordered;
        a pandas categorical column keeps its own categories and their order).
    """

    nominal: np.ndarray
    continuous: np.ndarray
    values: np.ndarray
    codes: np.ndarray
    categories: list

    @property
    def n_categories(self) -> list:
        return [len(c) for c in self.categories]

    def generated(self, blocks) -> tuple:
        """``(codes, values)``: the nominal codes and the continuous values of the
        rows of ``blocks`` (:class:`~smotekit._generation.MixedBlock`), each one array."""
        codes = np.concatenate([b.codes for b in blocks]) if blocks else np.empty((0, self.nominal.size), np.int32)
        values = np.empty((codes.shape[0], self.continuous.size), dtype=self.values.dtype)
        pos = 0
        for b in blocks:
            if self.continuous.size:
                b.materialize(out=values[pos: pos + b.n_rows])
            pos += b.n_rows
        return codes, values


def read_mixed(X, choose_nominal, *, accept_sparse=True) -> Table:
    """Validate a table of nominal and continuous columns without modifying it.

    Parameters
    ----------
    X : array-like or DataFrame
        numpy arrays (numeric, object or string), lists, pandas or polars
        DataFrames, scipy sparse matrices.
    choose_nominal : callable
        ``choose_nominal(n_cols, columns, dtype_mask) -> positions``: the sampler's
        resolution of its own parameter. ``columns`` are the column names (None for
        arrays) and ``dtype_mask`` flags the columns whose dtype is categorical,
        string or object.
    accept_sparse : bool, default=True
        False: sparse ``X`` is refused with an error that says how to convert it.

    Returns
    -------
    Table
        With ``mixed`` set; rebuilt by ``assemble`` in the caller's kind, every
        column keeping its dtype.
    """
    columns = adapter_for(X).mixed_columns(X, accept_sparse=accept_sparse)
    table = columns.table
    n_rows, n_cols = table.n_rows, table.n_cols
    check_not_empty(n_rows, n_cols)
    nominal = np.asarray(choose_nominal(n_cols, table.columns, columns.nominal_mask()), dtype=np.intp)
    continuous = np.setdiff1d(np.arange(n_cols), nominal)
    names = table.columns if table.columns is not None else list(range(n_cols))
    values = columns.continuous(continuous, names)
    if isinstance(values, list):
        raise NonNumericError(
            f"Columns {values[:5]} are treated as continuous but hold non-numeric values. List them as "
            "categorical (categorical_features=...), or encode them as numbers."
        )
    check_finite(values, [names[j] for j in continuous])
    codes = np.empty((n_rows, nominal.size), dtype=np.int32)
    categories = []
    for i, j in enumerate(nominal):
        own = columns.categories(j)
        if own is not None:  # a column with categories of its own (pandas categorical) keeps them
            if (own[0] < 0).any():
                _fail_missing_nominal(names[j])
            codes[:, i], cats = own
        else:
            codes[:, i], cats = _encode_nominal(*columns.values(j), names[j])
        categories.append(cats)
    table.mixed = Mixed(nominal, continuous, values, codes, categories)
    return table


def _encode_nominal(values, missing, name):
    """Codes (positions in the returned categories) of one nominal column's values."""
    if not missing:
        if values.dtype.kind == "f":
            missing = not np.isfinite(values).all()
        elif values.dtype.kind == "O":
            missing = bool((np.equal(values, None) | (values != values)).any())
    if missing:
        _fail_missing_nominal(name)
    if values.dtype.kind != "O":
        categories, codes = np.unique(values, return_inverse=True)
        return codes.ravel(), categories
    # Hashing, then sorting the few distinct values, is several times faster than
    # sorting every Python object.
    distinct = list(dict.fromkeys(values.tolist()))
    index = {v: i for i, v in enumerate(distinct)}
    codes = np.fromiter(map(index.__getitem__, values.tolist()), np.int64, len(values))
    categories = np.empty(len(distinct), dtype=object)
    categories[:] = distinct
    try:
        order = np.argsort(categories, kind="stable")
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in categories})
        raise TypeError(
            f"Categorical column {name!r} mixes value types ({', '.join(kinds)}) that cannot be "
            "ordered; convert it to one type, e.g. with .astype(str)."
        ) from exc
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[codes], categories[order]


def _fail_missing_nominal(name):
    raise ValueError(
        f"Categorical column {name!r} has missing or infinite values (NaN/None/inf). Fill them with a category of "
        "their own (e.g. df[col].fillna('missing')) or impute them before resampling."
    )
