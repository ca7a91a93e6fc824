"""A continuous target ``y``: validated, read as float64, and given back in the caller's kind.

The classification reader (:func:`smotekit.utils._containers.read_y`) encodes
labels into classes; a regression target is a number per row, so it has its
own small reader. Containers are told apart by ``isinstance`` against the
classes of libraries the caller has already imported (never by class name),
as the adapters do.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = ["RegressionTarget", "as_float_vector", "read_target"]

_MULTILABEL_HINT = (
    "For a matrix of labels (several 0/1 columns, one per label) use smotekit.multilabel; "
    "for one numeric target pass a 1-D array or a Series."
)


def _pandas():
    return sys.modules.get("pandas")


def _polars():
    return sys.modules.get("polars")


@dataclass
class RegressionTarget:
    """The caller's ``y``, read as float64 values, with the means to rebuild its kind.

    Attributes
    ----------
    values : ndarray of float64, shape (n_rows,)
        The target values (a fresh array, never the caller's).
    kind : {'numpy', 'list', 'pandas', 'polars'}
        The caller's container.
    dtype : object
        The container's dtype (numpy, pandas or polars dtype).
    name : object
        The Series' name (pandas, polars), or None.
    frame : bool
        Whether ``y`` was a one-column DataFrame (given back as one).
    column : bool
        Whether ``y`` was a numpy array of shape (n, 1) (given back in that shape).
    """

    values: np.ndarray
    kind: str
    dtype: object = None
    name: object = None
    frame: bool = False
    column: bool = False
    #: The caller's numbers in their own numpy dtype, for exact copies of integer targets.
    exact: np.ndarray | None = None

    @property
    def is_integer(self) -> bool:
        """Whether the caller's values are integers (generated values are then rounded)."""
        return self.exact is not None and self.exact.dtype.kind in "iu"

    def assemble(self, kept, added_source=None, new_values=None, low=None, high=None):
        """The output target: the ``kept`` rows' values, then the added rows' values.

        Parameters
        ----------
        kept : range or ndarray of int
            Input rows kept, in output order.
        added_source : ndarray of int, optional
            The added rows' input rows; with ``new_values`` None the added rows are
            exact copies of them.
        new_values : ndarray of float64, optional
            Generated values of the added rows. For an integer target they are
            rounded half to even and clipped to ``[low, high]`` (per row, when
            given) and to the dtype's range.
        low, high : ndarray of float64, optional
            Per added row, the bounds its value must stay in (the two parents' values).

        Returns
        -------
        ndarray, list, pandas or polars Series (or one-column DataFrame)
        """
        base = self.exact if self.exact is not None else self.values
        kept = np.arange(kept.start, kept.stop) if isinstance(kept, range) else np.asarray(kept, dtype=np.intp)
        head = base[kept]
        if new_values is None:
            tail = base[np.asarray(added_source, dtype=np.intp)] if added_source is not None else base[:0]
        else:
            tail = _fit_to_dtype(np.asarray(new_values, dtype=np.float64), base.dtype, low, high)
        return self._build(np.concatenate([head, tail]))

    def _build(self, out: np.ndarray):
        if self.kind == "numpy":
            return out.reshape(-1, 1) if self.column else out
        if self.kind == "list":
            return out.tolist()
        if self.kind == "pandas":
            pd = _pandas()
            series = pd.Series(out, name=self.name).astype(self.dtype)
            return series.to_frame() if self.frame else series
        pl = _polars()
        series = pl.Series(self.name, out).cast(self.dtype)
        return series.to_frame() if self.frame else series


def _fit_to_dtype(values, dtype, low=None, high=None):
    """Generated float64 values in the target's numpy dtype: integers rounded and kept
    within the parents' values and the dtype's range."""
    if dtype.kind == "f":
        return values.astype(dtype)
    if dtype.kind not in "iu":  # object columns of numbers: given back as floats
        return values
    out = np.rint(values)
    if low is not None:
        out = np.clip(out, low, high)
    info = np.iinfo(dtype)
    # float(info.max) of a 64-bit type rounds up past the range: stop just below it.
    top = float(info.max) if info.bits < 64 else np.nextafter(float(info.max), 0.0)
    return np.clip(out, float(info.min), top).astype(dtype)


def _numeric_array(arr: np.ndarray, where: str) -> np.ndarray:
    """``arr`` (1-D) checked to hold numbers: bools, strings and dates are refused."""
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(
            f"y holds booleans ({where}); a regression sampler needs a numeric target. For class "
            "labels use the classification samplers (smotekit.over_sampling / under_sampling); for "
            "a number, pass y.astype(float)."
        )
    if kind in "iuf":
        return arr
    if kind == "O":
        try:
            return arr.astype(np.float64)
        except (TypeError, ValueError):
            pass
    raise TypeError(
        f"y must hold numbers, got dtype {arr.dtype} ({where}). Regression samplers resample a "
        "continuous target; convert y to numbers, or use the classification samplers for labels."
    )


def _read(y):
    """``(array, kind, dtype, name, frame, column)`` of the caller's ``y``."""
    pd, pl = _pandas(), _polars()
    if pd is not None and isinstance(y, (pd.Series, pd.DataFrame)):
        frame = isinstance(y, pd.DataFrame)
        if frame:
            if y.shape[1] != 1:
                raise ValueError(f"y must be one column, got a DataFrame with {y.shape[1]} columns. "
                                 + _MULTILABEL_HINT)
            y = y.iloc[:, 0]
        if y.isna().any():
            raise ValueError(f"y contains {int(y.isna().sum())} missing value(s) (NaN/None); every row "
                             "needs a target. Drop those rows or impute y first.")
        if isinstance(y.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(y.dtype):
            what = "booleans" if pd.api.types.is_bool_dtype(y.dtype) else "categories"
            raise TypeError(f"y holds {what} (pandas dtype {y.dtype}); a regression sampler needs numbers. "
                            "Convert y to a numeric dtype, or use the classification samplers for labels.")
        # Nullable numbers (Int64, Float64) come out as objects unless asked for their numpy dtype.
        own = getattr(y.dtype, "numpy_dtype", None)
        arr = y.to_numpy(dtype=own) if own is not None else y.to_numpy()
        return _numeric_array(arr, f"pandas dtype {y.dtype}"), "pandas", y.dtype, y.name, frame, False
    if pl is not None and isinstance(y, (pl.Series, pl.DataFrame)):
        frame = isinstance(y, pl.DataFrame)
        if frame:
            if y.width != 1:
                raise ValueError(f"y must be one column, got a DataFrame with {y.width} columns. "
                                 + _MULTILABEL_HINT)
            y = y.to_series(0)
        if y.null_count():
            raise ValueError(f"y contains {y.null_count()} null value(s); every row needs a target. Drop "
                             "those rows or impute y first.")
        if not y.dtype.is_numeric():
            raise TypeError(f"y must hold numbers, got polars dtype {y.dtype}. Convert y to a numeric "
                            "dtype, or use the classification samplers for labels.")
        return _numeric_array(y.to_numpy(), f"polars dtype {y.dtype}"), "polars", y.dtype, y.name, frame, False
    if sparse.issparse(y):
        raise TypeError("y is a sparse matrix; " + _MULTILABEL_HINT)
    arr = np.asarray(y)
    kind = "list" if isinstance(y, (list, tuple)) else "numpy"
    column = False
    if arr.ndim == 2 and arr.shape[1] == 1 and kind == "numpy":
        arr, column = arr[:, 0], True
    if arr.ndim != 1:
        raise ValueError(f"y must be 1-D (one number per row), got shape {arr.shape}. " + _MULTILABEL_HINT)
    return _numeric_array(arr, f"numpy dtype {arr.dtype}"), kind, arr.dtype, None, False, column


def read_target(y, n_rows: int | None = None) -> RegressionTarget:
    """Validate a continuous target and read it as float64; ``y`` is never modified.

    Parameters
    ----------
    y : array-like of shape (n_rows,)
        numpy array (integers or floats), list, pandas or polars Series, or a
        one-column DataFrame (pandas or polars) or numpy array of shape (n, 1).
    n_rows : int, optional
        The rows of ``X``: a ``y`` of another length is refused.

    Returns
    -------
    RegressionTarget

    Raises
    ------
    TypeError
        Booleans, strings, categories, sparse matrices.
    ValueError
        2-D targets, NaN or infinity, missing values, a length other than ``n_rows``,
        fewer than two distinct values.
    """
    if y is None:
        raise ValueError("y is None; a regression sampler needs the target value of every row of X.")
    arr, kind, dtype, name, frame, column = _read(y)
    values = np.array(arr, dtype=np.float64)  # a copy: the caller's array is never touched
    if n_rows is not None and values.size != n_rows:
        raise ValueError(
            f"X and y have different numbers of rows: X has {n_rows}, y has {values.size}. Pass the "
            "target column that belongs to X."
        )
    bad = ~np.isfinite(values)
    if bad.any():
        what = "NaN" if np.isnan(values[bad]).all() else "infinity" if not np.isnan(values[bad]).any() \
            else "NaN and infinity"
        raise ValueError(f"y contains {what} in {int(bad.sum())} row(s) (e.g. row {int(np.flatnonzero(bad)[0])}); "
                         "every row needs a finite target. Drop those rows or impute y first.")
    if values.size < 2:
        raise ValueError(f"y has {values.size} row(s); a regression sampler needs at least two (rows of X with "
                         "their targets).")
    if values.min() == values.max():
        raise ValueError(
            f"y has a single distinct value ({arr[0]!r}) over {values.size} rows; relevance needs at least "
            "two distinct target values. Check that you passed the target column."
        )
    exact = np.asarray(arr) if np.asarray(arr).dtype.kind in "iuf" else None
    return RegressionTarget(values, kind, dtype, name, frame, column, exact)


def as_float_vector(y) -> np.ndarray:
    """Any 1-D numeric container as a new float64 array, for relevance (NaN in numpy
    arrays and lists passes; missing values of a Series, booleans and strings do not).

    Parameters
    ----------
    y : array-like of shape (n,)
        As :func:`read_target` reads it.

    Returns
    -------
    ndarray of float64
    """
    return np.array(_read(y)[0], dtype=np.float64)
