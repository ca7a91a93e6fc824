"""Synthetic values made to fit their column's dtype: rounded, clipped, never wrapped.

Shared by the adapters that rebuild typed columns (numpy integer arrays, pandas
and polars columns, the continuous columns of mixed tables).
"""

from __future__ import annotations

import numpy as np

__all__ = ["SegmentEnds", "fit_to_dtype", "range_dtype"]


def range_dtype(dt):
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


class SegmentEnds:
    """Per synthetic row, the exact input values at the two ends of its segment.

    Rows generated on a segment (``0 <= gap <= 1`` towards a ``partner``) lie between
    its ends; rows without one (copies with noise, SVMSMOTE's extrapolations) get
    no bound but the dtype's own.
    """

    def __init__(self, table, sources, partners, gaps):
        self.table = table
        self.sources = None if sources is None else np.asarray(sources)
        self.partners = partners
        self._gaps = gaps
        self._ends = None

    def _segment_ends(self):
        """``(on_segment, partners)``, or ``(None, None)`` when no row lies on a segment;
        computed on the first integer column (float columns never ask)."""
        if self._ends is None:
            self._ends = (None, None)
            if self.sources is not None and self.partners is not None and self._gaps is not None:
                partners, gaps = np.asarray(self.partners), np.asarray(self._gaps, dtype=np.float64)
                on_segment = (partners >= 0) & (gaps >= 0) & (gaps <= 1)  # NaN gaps: False
                if on_segment.any():
                    self._ends = (on_segment, np.where(on_segment, partners, self.sources))
        return self._ends

    def column(self, j):
        """Callable ``dtype -> (low, high)`` for column ``j``, or None without segments."""
        on_segment, partners = self._segment_ends()
        if on_segment is None:
            return None

        def bounds(dtype):
            original = self.table.adapter.column(self.table, j, dtype)
            a, b = original[self.sources], original[partners]
            info = np.iinfo(dtype)
            low = np.where(on_segment, np.minimum(a, b), info.min).astype(dtype)
            high = np.where(on_segment, np.maximum(a, b), info.max).astype(dtype)
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
        The column's value dtype (see :func:`range_dtype`).
    bounds : callable or None
        For an integer column, ``bounds(dtype) -> (low, high)``: per row, exact
        integer limits the values must also respect (see :class:`SegmentEnds`).

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
