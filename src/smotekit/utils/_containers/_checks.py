"""Validation shared by every adapter, and its messages (each names the value and the fix)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["NonNumericError", "check_finite", "check_not_empty", "column_is_numeric", "fail_non_numeric",
           "first_non_number", "float_dtype", "refuse_sparse", "reject_complex", "require_2d"]


class NonNumericError(TypeError, ValueError):
    """X holds values that are not numbers where a sampler computes with them.

    Both a ``TypeError`` (the values' type is wrong) and a ``ValueError``
    (what scikit-learn's ``check_array`` raises for the same input, so code
    written for imbalanced-learn catches it).

    ``problem`` is the message's first sentence (which columns, and why), so that a
    sampler family with another fix can say it after the same facts.
    """

    def __init__(self, message, problem=None):
        super().__init__(message)
        self.problem = message if problem is None else problem


def fail_non_numeric(names, where):
    problem = f"X has non-numeric columns {names} ({where})."
    raise NonNumericError(
        f"{problem} This sampler interpolates numbers; encode these columns (e.g. one-hot), drop "
        "them, or use SMOTENC for mixed numeric and categorical data (SMOTEN if every column is "
        "categorical).", problem
    )


def check_finite(values, columns=None):
    """Refuse NaN and infinity in ``values`` (dense or sparse), naming a few columns."""
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


def float_dtype(dtypes) -> np.dtype:
    """float32 when every column is, else float64: the dtype the algorithms compute in."""
    return np.dtype(np.float32) if dtypes and all(_value_dtype(d) == np.float32 for d in dtypes) \
        else np.dtype(np.float64)


def _value_dtype(d):
    """numpy dtype of a column's values (a pandas sparse column's is its ``subtype``)."""
    d = getattr(d, "subtype", d)
    try:
        return np.dtype(d)
    except TypeError:  # pandas extension dtypes (nullable Int64, ...) hold no numpy float32
        return np.dtype(object)


def reject_complex(dtypes, where="X"):
    """scikit-learn's rule: complex values are refused, never silently cast to their real part."""
    if any(_value_dtype(d).kind == "c" for d in dtypes):
        raise ValueError(
            f"Complex data not supported: {where} holds complex numbers. Resampling needs real "
            "values: pass X.real, np.abs(X), or split real and imaginary parts into two columns."
        )


def refuse_sparse():
    raise TypeError("This sampler does not accept sparse X; convert it with X.toarray() if it fits in memory.")


def require_2d(shape, *, hint=True):
    """Refuse an ``X`` that is not a table; ``hint``: say how to reshape a single feature."""
    if len(shape) != 2:
        message = f"X must be 2-D (n_samples, n_features), got an array of shape {shape}."
        if hint:
            message += " Reshape a single feature with X.reshape(-1, 1)." if len(shape) == 1 else " "
        raise ValueError(message)


def check_not_empty(n_rows, n_cols):
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


def first_non_number(col):
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


def column_is_numeric(col) -> bool:
    try:
        col.astype(np.float64)
        return True
    except (TypeError, ValueError):
        return False
