"""The polars adapter: DataFrames in, DataFrames out, every column in its dtype.

Also the label containers: a Series, or a DataFrame of one column. polars is
never imported here: a DataFrame can only come from a caller who imported it.
"""

from __future__ import annotations

import sys

import numpy as np

from ._checks import fail_non_numeric, reject_complex
from ._dtypes import fit_to_dtype, range_dtype
from ._table import Adapter, MixedColumns, Table, generated_column

__all__ = ["PolarsAdapter"]


def _pl():
    return sys.modules["polars"]


class PolarsAdapter(Adapter):
    """DataFrames keep their column names and dtypes (Boolean, Enum, Categorical, Int128, ...)."""

    name = "polars"

    def types(self) -> tuple:
        pl = sys.modules.get("polars")
        return () if pl is None else (pl.DataFrame,)

    def label_types(self) -> tuple:
        pl = sys.modules.get("polars")
        return () if pl is None else (pl.Series, pl.DataFrame)

    def read(self, X, *, numeric, accept_sparse):
        pl = _pl()
        dtypes = list(X.dtypes)
        columns = list(X.columns)
        values = None
        if numeric:
            bad = [c for c, d in zip(columns, dtypes) if not (d.is_numeric() or d == pl.Boolean)]
            if bad:
                fail_non_numeric(bad, "categorical, string or other non-numeric dtypes")
            as_np = [np.float32 if d == pl.Float32 else np.float64 for d in dtypes]
            dt = np.float32 if all(d == np.float32 for d in as_np) else np.float64
            values = X.cast({c: pl.Float64 for c in columns}).to_numpy().astype(dt, copy=False)
        return Table(X, self, X.shape[0], X.shape[1], columns, dtypes, _values=values)

    def take(self, obj, rows):
        return obj[rows]

    def column(self, table, j, dtype):
        return table.original.to_series(j).fill_null(0).to_numpy().astype(dtype, copy=False)

    def read_labels(self, y):
        if isinstance(y, _pl().DataFrame):
            if y.width != 1:
                raise ValueError(f"y must be one column of labels, got a DataFrame with {y.width} columns.")
            return self.read_labels(y.to_series(0))[0], y
        if y.null_count():
            raise ValueError("y contains missing labels (null); drop unlabelled rows.")
        return y.to_numpy(), y

    def build(self, table, kept, blocks, ends):
        n_new = sum(b.n_rows for b in blocks)
        head = table.original if table.keeps_all(kept) else table.take(kept)
        return _pl().DataFrame([_output_column(table, j, head, blocks, n_new, ends) for j in range(table.n_cols)])

    def mixed_columns(self, X, *, accept_sparse):
        dtypes = list(X.dtypes)
        reject_complex(dtypes)
        return _FrameColumns(Table(X, self, X.shape[0], X.shape[1], list(X.columns), dtypes, numeric=False))

    def build_mixed(self, table, kept, blocks, ends):
        pl = _pl()
        m = table.mixed
        codes, cont = m.generated(blocks)
        where = {int(j): ("c", i) for i, j in enumerate(m.continuous)}
        where.update({int(j): ("n", i) for i, j in enumerate(m.nominal)})
        head = table.original if table.keeps_all(kept) else table.take(kept)
        series = []
        for j, (name, dt) in enumerate(zip(table.columns, table.dtypes)):
            part, i = where[j]
            if part == "n":
                new = pl.Series(name, m.categories[i][codes[:, i]]).cast(dt)
            else:
                new = _column(name, cont[:, i], dt, ends.column(j))
            # One copy of the column into its final buffer: the kept cells, then the new ones.
            series.append(pl.concat([head.to_series(j), new], rechunk=True))
        return pl.DataFrame(series)


def _output_column(table, j, head, blocks, n_new, ends):
    """Output column ``j``: the cells of ``head`` (the kept rows), then the synthetic
    ones computed for this column alone, written once into the column's buffer."""
    pl = _pl()
    name, dt = table.columns[j], table.dtypes[j]
    kept = head.to_series(j)
    np_dt = range_dtype(dt)
    if np_dt is not None and dt != pl.Boolean and kept.null_count() == 0:
        # A numpy array of the column's dtype, which the Series then wraps without a copy.
        out = np.empty(kept.len() + n_new, dtype=np_dt)
        out[: kept.len()] = kept.to_numpy()
        if np_dt == table.values.dtype:  # the kernel's own dtype: nothing to fit
            generated_column(blocks, j, out[kept.len():])
        else:
            new = generated_column(blocks, j, np.empty(n_new, dtype=table.values.dtype))
            out[kept.len():] = fit_to_dtype(new, np_dt, ends.column(j))[0]
        return pl.Series(name, out, dtype=dt)
    new = generated_column(blocks, j, np.empty(n_new, dtype=table.values.dtype))
    return pl.concat([kept, _column(name, new, dt, ends.column(j))], rechunk=True)


def _column(name, col, dt, bounds=None):
    """One synthetic column of a polars frame, in its dtype ``dt``."""
    pl = _pl()
    if dt == pl.Boolean:
        return pl.Series(name, col >= 0.5)
    np_dt = range_dtype(dt)
    if np_dt is None:  # Int128, Decimal...: polars' own cast, which refuses what does not fit
        return pl.Series(name, np.rint(col) if dt.is_integer() else col, dtype=pl.Float64).cast(dt)
    values, missing = fit_to_dtype(col, np_dt, bounds)
    series = pl.Series(name, values)
    if missing is not None and missing.any():
        series = series.scatter(np.flatnonzero(missing), None)
    return series.cast(dt)


class _FrameColumns(MixedColumns):
    def nominal_mask(self):
        pl = _pl()
        return np.array([d == pl.Categorical or isinstance(d, pl.Enum) or d == pl.String
                         or d == pl.Object for d in self.table.dtypes], dtype=bool)

    def continuous(self, positions, names):
        pl = _pl()
        X, dtypes = self.table.original, self.table.dtypes
        sub = [(names[j], dtypes[j]) for j in positions]
        bad = [c for c, d in sub if not (d.is_numeric() or d == pl.Boolean)]
        if bad:
            return bad
        dt = np.float32 if sub and all(d == pl.Float32 for _, d in sub) else np.float64
        if not sub:
            return np.empty((X.height, 0), dtype=dt)
        return X.select([c for c, _ in sub]).cast(pl.Float64).to_numpy().astype(dt, copy=False)

    def values(self, j):
        col = self.table.original.to_series(int(j))
        return col.to_numpy(), col.null_count() > 0
