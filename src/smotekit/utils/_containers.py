"""Containers in, same kind out: numpy, lists, pandas, polars, scipy sparse.

Samplers never see containers. :func:`read_X` turns the caller's ``X`` into a
:class:`Table` (a read-only view of the input with a numeric matrix for the
algorithms and the knowledge to rebuild the caller's kind of object), and
:func:`read_y` does the same for the target. Containers are recognised with
``isinstance`` against the libraries the caller has already imported, never
by class name, and pandas/polars are never imported here on their own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .._generation import materialize

__all__ = ["Mixed", "MixedBlock", "NonNumericError", "Table", "Target", "read_X", "read_mixed", "read_y"]


def _pandas():
    return sys.modules.get("pandas")


def _polars():
    return sys.modules.get("polars")


def _is_pandas_frame(X) -> bool:
    pd = _pandas()
    return pd is not None and isinstance(X, pd.DataFrame)


def _is_polars_frame(X) -> bool:
    pl = _polars()
    return pl is not None and isinstance(X, pl.DataFrame)


@dataclass
class Table:
    """The caller's ``X``, validated, with the means to return rows in its own kind."""

    original: object
    kind: str  # 'numpy' | 'sparse' | 'pandas' | 'polars'
    n_rows: int
    n_cols: int
    columns: list | None = None
    dtypes: list | None = None
    _values: object = field(default=None, repr=False)
    numeric: bool = True
    #: Continuous values and nominal codes, for samplers of mixed tables (see :func:`read_mixed`).
    mixed: Mixed | None = field(default=None, repr=False)
    #: The caller passed a list: the output is a list too (imbalanced-learn's rule).
    as_list: bool = False

    def kernel_input(self):
        """What a sampler's kernel computes on: the mixed view, the numeric matrix, or nothing."""
        if self.mixed is not None:
            return self.mixed
        return self._values if self.numeric else None

    @property
    def values(self):
        """The numeric matrix the algorithms work on (float32 kept, else float64)."""
        return self._values

    def take(self, rows: np.ndarray):
        """Rows of the input, copied exactly, in the caller's kind (fresh 0..n-1 index)."""
        X = self.original
        if self.kind == "pandas":
            return X.iloc[rows].reset_index(drop=True)
        if self.kind == "polars":
            return X[rows]
        if self.kind == "sparse":
            return X[rows]
        return np.asarray(X)[rows]

    def assemble(self, kept: np.ndarray, added_rows, added_blocks, partners=None, gaps=None):
        """Output = ``kept`` input rows, then the added rows: exact copies of
        ``added_rows`` when ``added_blocks`` is None, else the generated
        blocks (a list of arrays or sparse matrices) stacked in order.

        ``partners`` and ``gaps`` (the provenance of the generated rows, when they
        lie on segments ``added_rows`` -> ``partners``) keep every synthetic integer
        between its segment's two exact end values, which float64 cannot promise
        for 64-bit integers."""
        ends = None if added_blocks is None else _SegmentEnds(self, added_rows, partners, gaps)
        out = self._assemble(kept, added_rows, added_blocks, ends)
        return out.tolist() if self.as_list else out

    def _integer_array(self) -> bool:
        return self.kind == "numpy" and np.asarray(self.original).dtype.kind in "iu"

    def _assemble_integers(self, kept, added_blocks, ends):
        """An integer array's output: its kept rows exactly, then rows generated
        from pairs of rows (the SMOTE family) in its dtype, as imbalanced-learn
        returns them, by :func:`fit_to_dtype`'s rule (rounded, never wrapped)."""
        arr = np.asarray(self.original)
        new = np.concatenate([materialize(b) for b in added_blocks]) if added_blocks \
            else np.empty((0, self.n_cols))
        out = np.empty((len(kept) + new.shape[0], self.n_cols), dtype=arr.dtype)
        out[: len(kept)] = arr if isinstance(kept, range) and kept == range(self.n_rows) \
            else arr[np.asarray(kept)]
        for j in range(self.n_cols):
            out[len(kept):, j] = fit_to_dtype(new[:, j], arr.dtype, ends.column(j))[0]
        return out

    def _original_column(self, j, dtype) -> np.ndarray:
        """Column ``j`` of the input, exactly, as an array of ``dtype`` (missing cells 0)."""
        if self.kind == "pandas":
            return self.original.iloc[:, j].to_numpy(dtype=dtype, na_value=0)
        if self.kind == "polars":
            return self.original.to_series(j).fill_null(0).to_numpy().astype(dtype, copy=False)
        return np.asarray(self.original)[:, j].astype(dtype)

    def _assemble(self, kept, added_rows, added_blocks, ends=None):
        if added_blocks is None:
            return self.take(_rows(kept, added_rows))
        if self.mixed is not None:
            return _assemble_mixed(self, kept, added_blocks, ends)
        if self.kind == "numpy" and ends is not None and ends.partners is not None \
                and self._integer_array():
            return self._assemble_integers(kept, added_blocks, ends)
        if self.kind == "numpy":
            base = self._values
            n_added = sum(b.shape[0] for b in added_blocks)
            out = np.empty((len(kept) + n_added, self.n_cols), dtype=base.dtype)
            head = out[: len(kept)]
            if isinstance(kept, range) and kept == range(self.n_rows):
                head[...] = base  # contiguous copy; a gather is several times slower
            else:
                head[...] = base[np.asarray(kept)]
            pos = len(kept)
            for block in added_blocks:
                materialize(block, out=out[pos: pos + block.shape[0]])
                pos += block.shape[0]
            return out
        blocks = [materialize(b) for b in added_blocks]
        if self.kind == "sparse":
            fmt = self.original.format
            return sparse.vstack([self._values[kept], *blocks], format=fmt).astype(self._values.dtype)
        if self.kind == "pandas" and sparse.issparse(self._values):
            return _assemble_pandas_sparse(self, kept, blocks, ends)
        values = np.concatenate(blocks) if blocks else np.empty((0, self.n_cols))
        if self.kind == "pandas":
            pd = _pandas()
            new = _cast_columns_pandas(pd.DataFrame(values, columns=self.columns), self.dtypes, ends)
            return pd.concat([self.take(kept), new], ignore_index=True)
        pl = _polars()
        new = pl.DataFrame([_polars_column(name, values[:, j], dt, ends and ends.column(j))
                            for j, (name, dt) in enumerate(zip(self.columns, self.dtypes))])
        return pl.concat([self.take(kept), new])


def _assemble_pandas_sparse(table, kept, blocks, ends=None):
    """Output of a DataFrame of sparse columns: sparse columns again, of the input dtypes."""
    pd = _pandas()
    if any(pd.api.types.is_integer_dtype(d) or pd.api.types.is_bool_dtype(d) for d in table.dtypes):
        # Rounding integer columns needs the values; generated rows are few next to the input.
        dense = np.concatenate([b.toarray() if sparse.issparse(b) else b for b in blocks]) \
            if blocks else np.empty((0, table.n_cols))
        new = _cast_columns_pandas(pd.DataFrame(dense, columns=table.columns), table.dtypes, ends)
    else:
        stacked = sparse.vstack([sparse.csr_matrix(b) for b in blocks], format="csr") if blocks \
            else sparse.csr_matrix((0, table.n_cols))
        new = pd.DataFrame.sparse.from_spmatrix(stacked, columns=table.columns)
        new = new.astype(dict(zip(table.columns, table.dtypes)))
    return pd.concat([table.take(kept), new], ignore_index=True)


def _rows(kept, added):
    """Positions of the output rows: ``kept`` (an array or a range) then ``added``."""
    kept = np.arange(kept.start, kept.stop) if isinstance(kept, range) else np.asarray(kept)
    return kept if added is None or len(added) == 0 else np.concatenate([kept, added])


def _range_dtype(dt):
    """The numpy dtype whose range bounds a column of dtype ``dt`` (numpy, pandas
    or polars), or None when there is none to respect (objects, Int128, Decimal)."""
    dt = getattr(dt, "subtype", dt)  # pandas sparse columns
    dt = getattr(dt, "numpy_dtype", dt)  # pandas nullable Int8 ... Float64
    try:
        np_dt = np.dtype(dt)
    except TypeError:
        try:  # polars: Int8 ... UInt64, Float16 ... Float64 share numpy's names
            np_dt = np.dtype(str(dt).lower())
        except (TypeError, ValueError):
            return None
    return np_dt if np_dt.kind in "iuf" else None


class _SegmentEnds:
    """Per synthetic row, the exact input values at the two ends of its segment.

    Rows generated on a segment (``0 <= gap <= 1`` towards a ``partner``) lie between
    its ends; rows without one (copies with noise, SVMSMOTE's extrapolations) get
    no bound but the dtype's own.
    """

    def __init__(self, table, sources, partners, gaps):
        self.table = table
        self.sources = None if sources is None else np.asarray(sources)
        self.partners = partners
        self.on_segment = None
        if sources is not None and partners is not None and gaps is not None:
            partners, gaps = np.asarray(partners), np.asarray(gaps, dtype=np.float64)
            self.on_segment = (partners >= 0) & (gaps >= 0) & (gaps <= 1)  # NaN gaps: False
            self.partners = np.where(self.on_segment, partners, self.sources)

    def column(self, j):
        """Callable ``dtype -> (low, high)`` for column ``j``, or None without segments."""
        if self.on_segment is None or not self.on_segment.any():
            return None

        def bounds(dtype):
            original = self.table._original_column(j, dtype)
            a, b = original[self.sources], original[self.partners]
            info = np.iinfo(dtype)
            low = np.where(self.on_segment, np.minimum(a, b), info.min).astype(dtype)
            high = np.where(self.on_segment, np.maximum(a, b), info.max).astype(dtype)
            return low, high

        return bounds


def fit_to_dtype(col, dtype, bounds=None):
    """Synthetic values of one column, made representable in ``dtype`` before the cast.

    Integer columns receive rounded values (truncation toward zero would bias every
    interpolated value toward the origin), clipped to the dtype's range: an
    extrapolation (SVMSMOTE), a smoothing noise (``RandomOverSampler(shrinkage=...)``)
    or float64's rounding near 2**63 would otherwise wrap around in the cast (127.97
    in an int8 column stored as -128). Float columns narrower than the values are
    clipped to their largest finite magnitude instead of becoming infinite.

    Parameters
    ----------
    col : ndarray of float, 1-D
        The synthetic values as the kernels computed them.
    dtype : numpy dtype
        The column's value dtype (see :func:`_range_dtype`).
    bounds : callable or None
        For an integer column, ``bounds(dtype) -> (low, high)``: per row, exact
        integer limits the values must also respect (see :class:`_SegmentEnds`).

    Returns
    -------
    values : ndarray of ``dtype``
        NaN cells of an integer column hold 0 (see ``missing``).
    missing : ndarray of bool or None
        For integer columns, the cells that were NaN (only a nullable column can hold them).
    """
    dtype = np.dtype(dtype)
    col = np.asarray(col)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        r = np.rint(col.astype(np.float64, copy=False))
        missing = np.isnan(r)
        # float64 cannot hold 2**63 - 1 (nor 2**64 - 1): float(info.max) rounds up to a
        # power of two that the cast would wrap. Clip below it, then give the cells at
        # or beyond it the exact maximum after the cast.
        top = float(info.max)
        at_top = r >= top
        r = np.clip(r, float(info.min), np.nextafter(top, -np.inf))
        r[missing] = 0
        out = r.astype(dtype)
        out[at_top] = info.max
        if bounds is not None:
            low, high = bounds(dtype)
            np.clip(out, low, high, out=out)
        return out, missing
    if dtype.kind == "f" and dtype.itemsize < col.dtype.itemsize:
        info = np.finfo(dtype)
        # Only finite values are clipped: an infinity is the caller's own, not an overflow.
        clipped = np.where(np.isfinite(col), np.clip(col, float(info.min), float(info.max)), col)
        return clipped.astype(dtype), None
    return col, None


def _column_out(col, dt, bool_dtype, nullable=False, bounds=None):
    """One synthetic column as an array of the column's dtype ``dt`` (numpy dtype or
    pandas extension dtype); see :func:`fit_to_dtype`."""
    if bool_dtype:
        return col >= 0.5
    np_dt = _range_dtype(dt)
    if np_dt is None:
        return col
    values, missing = fit_to_dtype(col, np_dt, bounds)
    if nullable:
        values = _pandas().array(values, dtype=dt)
        if missing is not None and missing.any():
            values[missing] = _pandas().NA
    return values


def _is_nullable(dt) -> bool:
    pd = _pandas()
    return isinstance(dt, pd.api.extensions.ExtensionDtype) and not isinstance(dt, pd.SparseDtype)


def _cast_columns_pandas(df, dtypes, ends=None):
    pd = _pandas()
    out = {}
    # By position, not name: column names may repeat.
    for j, dt in enumerate(dtypes):
        values = _column_out(df.iloc[:, j].to_numpy(), dt, pd.api.types.is_bool_dtype(dt),
                             _is_nullable(dt), ends and ends.column(j))
        out[j] = pd.Series(values).astype(dt)
    out = pd.DataFrame(out)
    out.columns = df.columns
    return out


def _polars_column(name, col, dt, bounds=None):
    """One synthetic column of a polars frame, in its dtype ``dt``."""
    pl = _polars()
    if dt == pl.Boolean:
        return pl.Series(name, col >= 0.5)
    np_dt = _range_dtype(dt)
    if np_dt is None:  # Int128, Decimal...: polars' own cast, which refuses what does not fit
        return pl.Series(name, np.rint(col) if dt.is_integer() else col, dtype=pl.Float64).cast(dt)
    values, missing = fit_to_dtype(col, np_dt, bounds)
    series = pl.Series(name, values)
    if missing is not None and missing.any():
        series = series.scatter(np.flatnonzero(missing), None)
    return series.cast(dt)


class NonNumericError(TypeError, ValueError):
    """X holds values that are not numbers where a sampler computes with them.

    Both a ``TypeError`` (the values' type is wrong) and a ``ValueError``
    (what scikit-learn's ``check_array`` raises for the same input, so code
    written for imbalanced-learn catches it)."""


def _fail_non_numeric(names, where):
    raise NonNumericError(
        f"X has non-numeric columns {names} ({where}). This sampler interpolates numbers; "
        "encode these columns (e.g. one-hot), drop them, or use SMOTENC for mixed numeric and "
        "categorical data (SMOTEN if every column is categorical)."
    )


def _check_finite(values, columns=None):
    data = values.data if sparse.issparse(values) else values
    # Values near the dtype's limit overflow the sum (inf, or inf - inf = nan), harmlessly.
    with np.errstate(over="ignore", invalid="ignore"):
        total = data.sum() if data.size else 0.0
    if np.isfinite(total):
        # A finite sum proves every entry finite; an overflowing sum falls through.
        return
    if sparse.issparse(values):
        coo = values.tocoo()
        bad = ~np.isfinite(coo.data)
        bad_values, cols = coo.data[bad], np.unique(coo.col[bad])
    else:
        bad_cells = ~np.isfinite(values)
        bad_values, cols = values[bad_cells], np.flatnonzero(bad_cells.any(axis=0))
    if bad_values.size == 0:
        return
    names = [columns[j] for j in cols[:5]] if columns is not None else [int(j) for j in cols[:5]]
    n_nan = int(np.isnan(bad_values).sum())
    what = "NaN" if n_nan == bad_values.size else ("infinity" if n_nan == 0 else "NaN and infinity")
    raise ValueError(
        f"X contains {what} in {bad_values.size} cell(s) of {len(cols)} column(s), e.g. columns "
        f"{names}. This sampler needs finite values: impute missing values (e.g. with "
        "sklearn.impute.SimpleImputer in a Pipeline before the sampler) or drop those rows."
    )


def _float_dtype(dtypes) -> np.dtype:
    return np.dtype(np.float32) if dtypes and all(_value_dtype(d) == np.float32 for d in dtypes) \
        else np.dtype(np.float64)


def _value_dtype(d):
    """numpy dtype of a column's values (a pandas sparse column's is its ``subtype``)."""
    d = getattr(d, "subtype", d)
    try:
        return np.dtype(d)
    except TypeError:  # pandas extension dtypes (nullable Int64, ...) hold no numpy float32
        return np.dtype(object)


def _reject_complex(dtypes, where="X"):
    """scikit-learn's rule: complex values are refused, never silently cast to their real part."""
    if any(_value_dtype(d).kind == "c" for d in dtypes):
        raise ValueError(
            f"Complex data not supported: {where} holds complex numbers. Resampling needs real "
            "values: pass X.real, np.abs(X), or split real and imaginary parts into two columns."
        )


def _refuse_sparse():
    raise TypeError("This sampler does not accept sparse X; convert it with X.toarray() if it fits in memory.")


def read_X(X, *, numeric=True, allow_nan=False, accept_sparse=True) -> Table:
    """Validate ``X`` without copying what need not be copied and without modifying it."""
    if _is_pandas_frame(X):
        table = _read_pandas(X, numeric)
    elif _is_polars_frame(X):
        table = _read_polars(X, numeric)
    elif sparse.issparse(X):
        if not accept_sparse:
            _refuse_sparse()
        if X.format not in ("csr", "csc"):
            X = X.tocsr()
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, got shape {X.shape}.")
        _reject_complex([X.dtype])
        values = X
        if numeric and values.dtype.kind not in "fc":
            values = values.astype(np.float64)
        table = Table(X, "sparse", X.shape[0], X.shape[1], _values=values)
    else:
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise ValueError(
                f"X must be 2-D (n_samples, n_features), got an array of shape {arr.shape}. "
                + ("Reshape a single feature with X.reshape(-1, 1)." if arr.ndim == 1 else "")
            )
        _reject_complex([arr.dtype])
        values = arr
        if numeric:
            if arr.dtype.kind in "OUS":
                try:
                    values = arr.astype(np.float64)
                except (TypeError, ValueError):
                    bad = [j for j in range(arr.shape[1]) if not _column_is_numeric(arr[:, j])]
                    _fail_non_numeric(bad[:5], f"holding strings or other objects; "
                                               f"{_first_non_number(arr[:, bad[0]] if bad else arr.ravel())}")
            elif arr.dtype.kind != "f" or arr.dtype.itemsize not in (4, 8):
                values = arr.astype(np.float64)
        table = Table(X, "numpy", arr.shape[0], arr.shape[1], _values=values, as_list=isinstance(X, list))
    _check_not_empty(table.n_rows, table.n_cols)
    table.numeric = numeric
    if numeric and not allow_nan:
        _check_finite(table.values, table.columns)
    return table


def _check_not_empty(n_rows, n_cols):
    """scikit-learn's wording first (code written for it matches on it), then the fix."""
    shape = (n_rows, n_cols)
    if n_rows == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={shape}) while a minimum of 1 is required: "
            "X has 0 rows; resampling needs data."
        )
    if n_cols == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={shape}) while a minimum of 1 is required: "
            f"X has {n_rows} rows but 0 columns (features); pass at least one column."
        )


def _first_non_number(col):
    """Why the first cell of ``col`` that is not a number fails, in words."""
    for value in col:
        try:
            float(value)
        except (TypeError, ValueError):
            if isinstance(value, (str, bytes)):
                return f"e.g. the string {value!r} is not a number"
            # Python's own words for float(<dict>): code written for scikit-learn matches on them.
            return f"e.g. a {type(value).__name__}: float() argument must be a string or a number"
    return "values that do not convert to float"


def _column_is_numeric(col) -> bool:
    try:
        col.astype(np.float64)
        return True
    except (TypeError, ValueError):
        return False


def _read_pandas(X, numeric):
    pd = _pandas()
    dtypes = list(X.dtypes)
    columns = list(X.columns)
    _reject_complex(dtypes)
    values = None
    if numeric:
        bad = [c for c, d in zip(columns, dtypes)
               if not (pd.api.types.is_numeric_dtype(d) or pd.api.types.is_bool_dtype(d))]
        if bad:
            _fail_non_numeric(bad, "categorical, string or other non-numeric dtypes")
        dt = _float_dtype(dtypes)
        if dtypes and all(isinstance(d, pd.SparseDtype) and d.fill_value == 0 for d in dtypes):
            # Sparse columns stay sparse, as scikit-learn's check_array makes them: the
            # samplers then take their sparse path and the output columns are sparse again.
            values = sparse.csr_matrix(X.sparse.to_coo(), dtype=dt)
        else:
            values = X.to_numpy(dtype=dt, na_value=np.nan)
    return Table(X, "pandas", X.shape[0], X.shape[1], columns, dtypes, _values=values)


def _read_polars(X, numeric):
    pl = _polars()
    dtypes = list(X.dtypes)
    columns = list(X.columns)
    values = None
    if numeric:
        bad = [c for c, d in zip(columns, dtypes) if not (d.is_numeric() or d == pl.Boolean)]
        if bad:
            _fail_non_numeric(bad, "categorical, string or other non-numeric dtypes")
        as_np = [np.float32 if d == pl.Float32 else np.float64 for d in dtypes]
        dt = np.float32 if all(d == np.float32 for d in as_np) else np.float64
        values = X.cast({c: pl.Float64 for c in columns}).to_numpy().astype(dt, copy=False)
    return Table(X, "polars", X.shape[0], X.shape[1], columns, dtypes, _values=values)


@dataclass
class Target:
    """The caller's ``y``: labels, their encoding, and the means to return it in kind."""

    original: object
    kind: str  # 'numpy' | 'pandas' (a Series or a DataFrame) | 'polars'
    labels: np.ndarray  # numpy view of the labels
    classes: np.ndarray  # sorted unique labels
    codes: np.ndarray  # position of each row's label in ``classes``
    counts: np.ndarray
    #: The caller passed a list: the output is a list too (imbalanced-learn's rule).
    as_list: bool = False

    def take(self, rows):
        y = self.original
        if self.kind == "pandas":  # a Series, or a DataFrame of one label column
            return y.iloc[rows].reset_index(drop=True)
        if self.kind == "polars":
            return y[rows]
        return self.labels[rows].tolist() if self.as_list else self.labels[rows]

    def assemble(self, kept, added):
        """Labels of the output rows: ``kept`` input rows, then the sources of the added rows."""
        if (self.kind == "numpy" and not self.as_list
                and isinstance(kept, range) and kept == range(len(self.labels))):
            n = len(self.labels)
            out = np.empty(n + (0 if added is None else len(added)), dtype=self.labels.dtype)
            out[:n] = self.labels
            if added is not None:
                np.take(self.labels, added, out=out[n:])
            return out
        return self.take(_rows(kept, added))


def read_y(y, n_rows: int) -> Target:
    """Validate the target and encode it; ``y`` itself is never modified."""
    kind = "numpy"
    if _pandas() is not None and isinstance(y, _pandas().Series):
        if y.isna().any():
            raise ValueError("y contains missing labels (NaN/None); drop unlabelled rows.")
        kind, labels = "pandas", y.to_numpy()
    elif _pandas() is not None and isinstance(y, _pandas().DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"y must be one column of labels, got a DataFrame with {y.shape[1]} columns.")
        # Read as its one column, but given back as a one-column DataFrame.
        target = read_y(y.iloc[:, 0], n_rows)
        target.original = y
        return target
    elif _polars() is not None and isinstance(y, _polars().DataFrame):
        if y.width != 1:
            raise ValueError(f"y must be one column of labels, got a DataFrame with {y.width} columns.")
        target = read_y(y.to_series(0), n_rows)
        target.original = y
        return target
    elif _polars() is not None and isinstance(y, _polars().Series):
        if y.null_count():
            raise ValueError("y contains missing labels (null); drop unlabelled rows.")
        kind, labels = "polars", y.to_numpy()
    else:
        labels = np.asarray(y)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels.ravel()
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
    return Target(y, kind, labels, classes, codes, counts, as_list=isinstance(y, list))


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


# --------------------------------------------------------------------------- mixed tables

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


@dataclass(frozen=True)
class MixedBlock:
    """Generated rows of a mixed table: continuous values (an array or a deferred
    :class:`~smotekit._generation.Segments`, or None without continuous columns)
    and nominal codes."""

    continuous: object
    codes: np.ndarray


def _nominal_dtype_mask(kind, X, dtypes, arr=None) -> np.ndarray:
    """Columns whose dtype says "categorical": pandas/polars categorical, string or
    object columns; for numpy object or string arrays, the columns that do not parse as numbers."""
    if kind == "pandas":
        pd = _pandas()
        return np.array([isinstance(d, pd.CategoricalDtype) or pd.api.types.is_object_dtype(d)
                         or pd.api.types.is_string_dtype(d) for d in dtypes], dtype=bool)
    if kind == "polars":
        pl = _polars()
        return np.array([d == pl.Categorical or isinstance(d, pl.Enum) or d == pl.String
                         or d == pl.Object for d in dtypes], dtype=bool)
    if kind == "sparse":
        return np.zeros(X.shape[1], dtype=bool)
    if arr.dtype.kind in "OUS":
        return np.array([not _column_is_numeric(arr[:, j]) for j in range(arr.shape[1])], dtype=bool)
    return np.zeros(arr.shape[1], dtype=bool)


def read_mixed(X, choose_nominal, *, accept_sparse=True) -> Table:
    """Validate a table of nominal and continuous columns without modifying it.

    Parameters
    ----------
    X : array-like or DataFrame
        numpy arrays (numeric, object or string), lists, pandas or polars DataFrames.
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
    arr = None
    if _is_pandas_frame(X) or _is_polars_frame(X):
        kind = "pandas" if _is_pandas_frame(X) else "polars"
        columns, dtypes = list(X.columns), list(X.dtypes)
        n_rows, n_cols = X.shape
    elif sparse.issparse(X):
        if not accept_sparse:
            _refuse_sparse()
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, got shape {X.shape}.")
        # Nominal columns are read one at a time (see _sparse_column) and only the continuous
        # block is made dense (the kernels need it so): the whole matrix never is.
        kind, columns, dtypes = "sparse", None, [X.dtype]
        X = X if X.format in ("csr", "csc") else X.tocsr()
        n_rows, n_cols = X.shape
    else:
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise ValueError(f"X must be 2-D (n_samples, n_features), got an array of shape {arr.shape}.")
        kind, columns, dtypes = "numpy", None, None
        n_rows, n_cols = arr.shape
    _reject_complex(dtypes if arr is None else [arr.dtype])
    _check_not_empty(n_rows, n_cols)
    nominal = np.asarray(choose_nominal(n_cols, columns, _nominal_dtype_mask(kind, X, dtypes, arr)),
                         dtype=np.intp)
    continuous = np.setdiff1d(np.arange(n_cols), nominal)
    names = columns if columns is not None else list(range(n_cols))
    values = _continuous_values(kind, X, arr, continuous, dtypes, names)
    _check_finite(values, [names[j] for j in continuous])
    codes = np.empty((n_rows, nominal.size), dtype=np.int32)
    categories = []
    for i, j in enumerate(nominal):
        codes[:, i], cats = _encode_nominal(kind, X, arr, j, names[j])
        categories.append(cats)
    table = Table(X, kind, n_rows, n_cols, columns, dtypes, numeric=False, as_list=isinstance(X, list))
    table.mixed = Mixed(nominal, continuous, values, codes, categories)
    return table


def _sparse_column(X, j) -> np.ndarray:
    """Column ``j`` of a sparse matrix as a dense 1-D array (implicit zeros included)."""
    return X[:, [int(j)]].toarray().ravel()


def _continuous_values(kind, X, arr, continuous, dtypes, names):
    bad = []
    if kind == "sparse":
        dt = X.dtype if X.dtype.kind == "f" and X.dtype.itemsize in (4, 8) else np.float64
        return X[:, continuous].toarray().astype(dt, copy=False)
    if kind == "pandas":
        pd = _pandas()
        sub_dtypes = [dtypes[j] for j in continuous]
        is_number = [pd.api.types.is_numeric_dtype(d) or pd.api.types.is_bool_dtype(d) for d in sub_dtypes]
        if all(is_number):
            return X.iloc[:, continuous].to_numpy(dtype=_float_dtype(sub_dtypes), na_value=np.nan)
        # Object columns named continuous may hold numbers (a DataFrame built from an object
        # array): read them as numbers, as imbalanced-learn does; only non-numbers are refused.
        out = np.empty((X.shape[0], len(continuous)), dtype=np.float64)
        for i, (j, ok) in enumerate(zip(continuous, is_number)):
            col = X.iloc[:, j]
            if ok:
                out[:, i] = col.to_numpy(dtype=np.float64, na_value=np.nan)
                continue
            values = col.to_numpy(dtype=object)
            if _column_is_numeric(values) and not isinstance(col.dtype, pd.CategoricalDtype):
                out[:, i] = values.astype(np.float64)
            else:
                bad.append(names[j])
        if not bad:
            return out
    elif kind == "polars":
        pl = _polars()
        sub = [(names[j], dtypes[j]) for j in continuous]
        bad = [c for c, d in sub if not (d.is_numeric() or d == pl.Boolean)]
        if not bad:
            dt = np.float32 if sub and all(d == pl.Float32 for _, d in sub) else np.float64
            if not sub:
                return np.empty((X.height, 0), dtype=dt)
            return X.select([c for c, _ in sub]).cast(pl.Float64).to_numpy().astype(dt, copy=False)
    else:
        sub = arr[:, continuous]
        if arr.dtype.kind == "f" and arr.dtype.itemsize in (4, 8):
            return sub
        try:
            return sub.astype(np.float64)
        except (TypeError, ValueError):
            bad = [int(j) for j in continuous if not _column_is_numeric(arr[:, j])]
    raise NonNumericError(
        f"Columns {bad[:5]} are treated as continuous but hold non-numeric values. List them as "
        "categorical (categorical_features=...), or encode them as numbers."
    )


def _encode_nominal(kind, X, arr, j, name):
    """Codes (positions in the returned categories) of one nominal column."""
    missing = False
    if kind == "pandas":
        col = X.iloc[:, j]
        pd = _pandas()
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy()
            if (codes < 0).any():
                _fail_missing_nominal(name)
            return codes, col.cat.categories.to_numpy()
        missing = bool(col.isna().any())
        values = col.to_numpy()
    elif kind == "polars":
        col = X.to_series(int(j))
        missing = col.null_count() > 0
        values = col.to_numpy()
    elif kind == "sparse":
        values = _sparse_column(X, j)
    else:
        values = arr[:, j]
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


def _assemble_mixed(table, kept, blocks, ends=None):
    """Output of a mixed table: ``kept`` input rows then the generated ``blocks``
    (:class:`MixedBlock`), every column in its input dtype."""
    m = table.mixed
    codes = np.concatenate([b.codes for b in blocks]) if blocks else np.empty((0, m.nominal.size), np.int32)
    n_new = codes.shape[0]
    cont = np.empty((n_new, m.continuous.size), dtype=m.values.dtype)
    pos = 0
    for b in blocks:
        if m.continuous.size:
            materialize(b.continuous, out=cont[pos: pos + b.codes.shape[0]])
        pos += b.codes.shape[0]
    where = {int(j): ("c", i) for i, j in enumerate(m.continuous)}
    where.update({int(j): ("n", i) for i, j in enumerate(m.nominal)})
    if table.kind == "sparse":
        X = table.original
        new = np.empty((n_new, table.n_cols), dtype=X.dtype)
        new[:, m.continuous] = cont
        for i, j in enumerate(m.nominal):
            new[:, j] = m.categories[i][codes[:, i]]
        kept_rows = X if isinstance(kept, range) and kept == range(table.n_rows) else X[np.asarray(kept)]
        return sparse.vstack([kept_rows, sparse.csr_matrix(new)], format=X.format).astype(X.dtype, copy=False)
    if table.kind == "numpy":
        arr = np.asarray(table.original)
        # Integer arrays stay integer, as in imbalanced-learn (SMOTE-N copies
        # category values; SMOTE-NC rounds its interpolated columns).
        if arr.dtype.kind in "fiu":
            dtype = arr.dtype
        else:
            dtype = np.dtype(object if arr.dtype.kind in "OUS" else np.float64)
        n_kept = len(kept)
        out = np.empty((n_kept + n_new, table.n_cols), dtype=dtype)
        full = isinstance(kept, range) and kept == range(table.n_rows)
        out[:n_kept] = arr if full else arr[np.asarray(kept)]
        if dtype == object:  # continuous cells as numbers in every row, as in the new ones
            out[:n_kept, m.continuous] = m.values if full else m.values[np.asarray(kept)]
        # Column by column: a fancy-indexed 2-D assignment is several times slower.
        for i, j in enumerate(m.continuous):
            if dtype.kind in "fiu":
                out[n_kept:, j] = fit_to_dtype(cont[:, i], dtype, ends and ends.column(j))[0]
            else:
                out[n_kept:, j] = cont[:, i]
        for i, j in enumerate(m.nominal):
            out[n_kept:, j] = m.categories[i][codes[:, i]]
        return out
    if table.kind == "pandas":
        pd = _pandas()
        cols = {}
        for j, dt in enumerate(table.dtypes):
            part, i = where[j]
            if part == "n" and isinstance(dt, pd.CategoricalDtype):
                cols[j] = pd.Categorical.from_codes(codes[:, i], dtype=dt)
            elif part == "n":
                cols[j] = pd.array(m.categories[i][codes[:, i]], dtype=dt)
            else:
                cols[j] = pd.Series(_column_out(cont[:, i], dt, pd.api.types.is_bool_dtype(dt),
                                                _is_nullable(dt), ends and ends.column(j))).astype(dt)
        new = pd.DataFrame({j: pd.Series(c) for j, c in cols.items()})
        new.columns = table.original.columns
        return pd.concat([table.take(kept), new], ignore_index=True)
    pl = _polars()
    series = []
    for j, (name, dt) in enumerate(zip(table.columns, table.dtypes)):
        part, i = where[j]
        if part == "n":
            series.append(pl.Series(name, m.categories[i][codes[:, i]]).cast(dt))
        else:
            series.append(_polars_column(name, cont[:, i], dt, ends and ends.column(j)))
    return pl.concat([table.take(kept), pl.DataFrame(series)])
