"""The pandas adapter: DataFrames in, DataFrames out, every column in its dtype.

Also the label containers: a Series, or a DataFrame of one column. pandas is
never imported here: a DataFrame can only come from a caller who imported it.
"""

from __future__ import annotations

import sys

import numpy as np
from scipy import sparse

from ._checks import column_is_numeric, fail_non_numeric, float_dtype, reject_complex
from ._dtypes import fit_to_dtype, range_dtype
from ._table import Adapter, MixedColumns, Table, generated_column, output_rows

__all__ = ["PandasAdapter", "cast_columns"]


def _pd():
    return sys.modules["pandas"]


class PandasAdapter(Adapter):
    """DataFrames keep their column names and dtypes (nullable, categorical, sparse);
    the output has a fresh 0..n-1 index."""

    name = "pandas"

    def types(self) -> tuple:
        pd = sys.modules.get("pandas")
        return () if pd is None else (pd.DataFrame,)

    def label_types(self) -> tuple:
        pd = sys.modules.get("pandas")
        return () if pd is None else (pd.Series, pd.DataFrame)

    def read(self, X, *, numeric, accept_sparse):
        pd = _pd()
        dtypes = list(X.dtypes)
        columns = list(X.columns)
        reject_complex(dtypes)
        values = None
        if numeric:
            bad = [c for c, d in zip(columns, dtypes)
                   if not (pd.api.types.is_numeric_dtype(d) or pd.api.types.is_bool_dtype(d))]
            if bad:
                fail_non_numeric(bad, "categorical, string or other non-numeric dtypes")
            dt = float_dtype(dtypes)
            if accept_sparse and dtypes and all(isinstance(d, pd.SparseDtype) and d.fill_value == 0
                                                for d in dtypes):
                # Sparse columns stay sparse, as scikit-learn's check_array makes them: the
                # samplers then take their sparse path and the output columns are sparse again.
                # A sampler without a sparse path gets them dense, and gives dense columns back.
                values = sparse.csr_matrix(X.sparse.to_coo(), dtype=dt)
            else:
                values = X.to_numpy(dtype=dt, na_value=np.nan)
        return Table(X, self, X.shape[0], X.shape[1], columns, dtypes, _values=values)

    def take(self, obj, rows):
        return obj.iloc[rows].reset_index(drop=True)

    def column(self, table, j, dtype):
        return table.original.iloc[:, j].to_numpy(dtype=dtype, na_value=0)

    def read_labels(self, y):
        if isinstance(y, _pd().DataFrame):
            if y.shape[1] != 1:
                raise ValueError(f"y must be one column of labels, got a DataFrame with {y.shape[1]} columns.")
            # Read as its one column, but given back as a one-column DataFrame.
            return self.read_labels(y.iloc[:, 0])[0], y
        if y.isna().any():
            raise ValueError("y contains missing labels (NaN/None); drop unlabelled rows.")
        return y.to_numpy(), y

    def build(self, table, kept, blocks, ends):
        pd = _pd()
        if sparse.issparse(table.values):
            return _build_sparse_columns(table, kept, blocks, ends)
        if all(isinstance(d, np.dtype) and d == table.values.dtype for d in table.dtypes):
            # Every column of the kernel's float dtype: the output is one new column-major
            # array (pandas' own layout for a block of columns), the frame its only user.
            values = output_rows(table, kept, blocks, order="F")
            return pd.DataFrame(values, columns=table.original.columns, copy=False)
        n_new = sum(b.n_rows for b in blocks)
        columns = {j: _column_of(table, j, kept, blocks, n_new, ends) for j in range(table.n_cols)}
        out = pd.DataFrame(_kept_object(table, columns), copy=False)
        out.columns = table.original.columns  # by position: names may repeat
        return out

    def mixed_columns(self, X, *, accept_sparse):
        dtypes = list(X.dtypes)
        reject_complex(dtypes)
        return _FrameColumns(Table(X, self, X.shape[0], X.shape[1], list(X.columns), dtypes, numeric=False))

    def build_mixed(self, table, kept, blocks, ends):
        pd = _pd()
        m = table.mixed
        codes, cont = m.generated(blocks)
        where = {int(j): ("c", i) for i, j in enumerate(m.continuous)}
        where.update({int(j): ("n", i) for i, j in enumerate(m.nominal)})
        cols = {}
        for j, dt in enumerate(table.dtypes):
            part, i = where[j]
            if part == "n" and isinstance(dt, pd.CategoricalDtype):
                new = pd.Categorical.from_codes(codes[:, i], dtype=dt)
            elif part == "n":
                new = pd.array(m.categories[i][codes[:, i]], dtype=dt)
            else:
                new = column_out(cont[:, i], dt, pd.api.types.is_bool_dtype(dt), _is_nullable(dt), ends.column(j))
            cols[j] = _joined(table, j, kept, new)
        out = pd.DataFrame(_kept_object(table, cols), copy=False)
        out.columns = table.original.columns  # by position: names may repeat
        return out


def _kept_object(table, columns: dict) -> dict:
    """``columns`` with each object column of the input wrapped as an object Series: pandas 3
    would infer a numpy object array of strings as its ``str`` dtype."""
    pd = _pd()
    return {j: pd.Series(c, dtype=object, copy=False)
            if isinstance(table.dtypes[j], np.dtype) and table.dtypes[j].kind == "O" else c
            for j, c in columns.items()}


def _column_of(table, j, kept, blocks, n_new, ends):
    """Output column ``j``: its ``kept`` input cells, then the synthetic ones computed
    for this column alone, in the column's dtype."""
    dt = table.dtypes[j]
    if isinstance(dt, np.dtype) and dt == table.values.dtype:  # the kernel's own dtype: nothing to fit
        out = _kept_cells(table, j, kept, n_new)
        generated_column(blocks, j, out[len(kept):])
        return out
    new = generated_column(blocks, j, np.empty(n_new, dtype=table.values.dtype))
    return _joined(table, j, kept, column_out(new, dt, _pd().api.types.is_bool_dtype(dt), _is_nullable(dt),
                                              ends.column(j)))


def _kept_cells(table, j, kept, n_new):
    """A new array for column ``j`` of the output (a numpy dtype), its ``kept`` input cells set."""
    out = np.empty(len(kept) + n_new, dtype=table.dtypes[j])
    cells = table.original.iloc[:, j].to_numpy()
    out[: len(kept)] = cells if table.keeps_all(kept) else cells[np.asarray(kept)]
    return out


def _joined(table, j, kept, new):
    """Column ``j`` of the output: its ``kept`` input cells, then ``new`` (values of the
    column's dtype), written once into the column's new array."""
    pd = _pd()
    dt = table.dtypes[j]
    if isinstance(dt, np.dtype):
        out = _kept_cells(table, j, kept, len(new))
        out[len(kept):] = new
        return out
    # Extension dtypes (nullable, categorical, string, sparse): pandas' own concatenation.
    col = table.original.iloc[:, j].array
    head = col if table.keeps_all(kept) else col.take(np.asarray(kept))
    return pd.concat([pd.Series(head, copy=False), pd.Series(new, dtype=dt, copy=False)], ignore_index=True)


def _build_sparse_columns(table, kept, blocks, ends):
    """Output of a DataFrame of sparse columns: sparse columns again, of the input dtypes."""
    pd = _pd()
    values = [b.materialize() for b in blocks]
    if any(pd.api.types.is_integer_dtype(d) or pd.api.types.is_bool_dtype(d) for d in table.dtypes):
        # Rounding integer columns needs the values; generated rows are few next to the input.
        dense = np.concatenate([v.toarray() if sparse.issparse(v) else v for v in values]) \
            if values else np.empty((0, table.n_cols))
        new = cast_columns(pd.DataFrame(dense, columns=table.columns), table.dtypes, ends)
    else:
        stacked = sparse.vstack([sparse.csr_matrix(v) for v in values], format="csr") if values \
            else sparse.csr_matrix((0, table.n_cols))
        new = pd.DataFrame.sparse.from_spmatrix(stacked, columns=table.columns)
        new = new.astype(dict(zip(table.columns, table.dtypes)))
    return pd.concat([table.take(kept), new], ignore_index=True)


def column_out(col, dt, bool_dtype, nullable=False, bounds=None):
    """One synthetic column as an array of the column's dtype ``dt`` (numpy dtype or
    pandas extension dtype); see :func:`~._dtypes.fit_to_dtype`."""
    if bool_dtype:
        return col >= 0.5
    np_dt = range_dtype(dt)
    if np_dt is None:
        return col
    values, missing = fit_to_dtype(col, np_dt, bounds)
    if nullable:
        values = _pd().array(values, dtype=dt)
        if missing is not None and missing.any():
            values[missing] = _pd().NA
    return values


def _is_nullable(dt) -> bool:
    pd = _pd()
    return isinstance(dt, pd.api.extensions.ExtensionDtype) and not isinstance(dt, pd.SparseDtype)


def cast_columns(df, dtypes, ends=None):
    """The columns of ``df`` (synthetic values) in ``dtypes``, rounded and clipped
    where the dtype is narrower (see :func:`column_out`)."""
    pd = _pd()
    out = {}
    # By position, not name: column names may repeat.
    for j, dt in enumerate(dtypes):
        values = column_out(df.iloc[:, j].to_numpy(), dt, pd.api.types.is_bool_dtype(dt),
                            _is_nullable(dt), ends and ends.column(j))
        out[j] = pd.Series(values).astype(dt)
    out = pd.DataFrame(out)
    out.columns = df.columns
    return out


class _FrameColumns(MixedColumns):
    def nominal_mask(self):
        pd = _pd()
        return np.array([isinstance(d, pd.CategoricalDtype) or pd.api.types.is_object_dtype(d)
                         or pd.api.types.is_string_dtype(d) for d in self.table.dtypes], dtype=bool)

    def continuous(self, positions, names):
        pd = _pd()
        X, dtypes = self.table.original, self.table.dtypes
        sub_dtypes = [dtypes[j] for j in positions]
        is_number = [pd.api.types.is_numeric_dtype(d) or pd.api.types.is_bool_dtype(d) for d in sub_dtypes]
        if all(is_number):
            return X.iloc[:, positions].to_numpy(dtype=float_dtype(sub_dtypes), na_value=np.nan)
        # Object columns named continuous may hold numbers (a DataFrame built from an object
        # array): read them as numbers, as imbalanced-learn does; only non-numbers are refused.
        out = np.empty((X.shape[0], len(positions)), dtype=np.float64)
        bad = []
        for i, (j, ok) in enumerate(zip(positions, is_number)):
            col = X.iloc[:, j]
            if ok:
                out[:, i] = col.to_numpy(dtype=np.float64, na_value=np.nan)
                continue
            values = col.to_numpy(dtype=object)
            if column_is_numeric(values) and not isinstance(col.dtype, pd.CategoricalDtype):
                out[:, i] = values.astype(np.float64)
            else:
                bad.append(names[j])
        return bad or out

    def categories(self, j):
        col = self.table.original.iloc[:, j]
        if isinstance(col.dtype, _pd().CategoricalDtype):
            return col.cat.codes.to_numpy(), col.cat.categories.to_numpy()
        return None

    def values(self, j):
        col = self.table.original.iloc[:, j]
        return col.to_numpy(), bool(col.isna().any())
