"""Huge but finite values and the scikit-learn models some samplers fit inside.

A random forest casts X to float32 (largest value 3.4e38); an RBF kernel
squares distances (overflowing float64 beyond about 1e154). Where the model is
ours and scale-free, the data are scaled by powers of two, which is exact;
where it is the user's, a failure is reported with the columns to rescale.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["FLOAT32_SAFE", "column_magnitudes", "column_scales", "huge_values_error", "scale_columns"]

# Half the float32 range: a column below it survives a float32 cast with no value
# rounded up to infinity.
FLOAT32_SAFE = 2.0**126
# Beyond this, a failure of a user's model is put down to the magnitudes:
# 1e30 squared still fits float64, but few models are written for such values.
_SUSPECT = 1e30


def column_magnitudes(X) -> np.ndarray:
    """The largest absolute value of every column of ``X`` (dense or sparse), float64."""
    if sparse.issparse(X):
        if X.shape[0] == 0:
            return np.zeros(X.shape[1])
        return abs(sparse.csc_array(X)).max(axis=0).toarray().astype(np.float64).ravel()
    X = np.asarray(X)
    if X.size == 0:
        return np.zeros(X.shape[1] if X.ndim == 2 else 0)
    return np.abs(X).max(axis=0).astype(np.float64)


def column_scales(X, limit: float) -> np.ndarray:
    """Per column of ``X``, the power of two that brings its largest ``|x|`` into
    [0.5, 1) when that value exceeds ``limit``, else 1.0 (float64).

    Multiplying by a power of two changes no value's mantissa: barring
    underflow, scaled values, their sums, differences, products and square
    roots are the unscaled ones times a power of two, exactly.
    """
    big = column_magnitudes(X)
    factors = np.ones(big.size)
    over = np.isfinite(big) & (big > limit)
    if over.any():
        _, exponents = np.frexp(big[over])
        factors[over] = np.ldexp(1.0, -exponents)
    return factors


def scale_columns(X, limit: float):
    """``X`` with every column whose largest ``|x|`` exceeds ``limit`` multiplied
    by the power of two of :func:`column_scales`.

    Models that treat each column on its own by thresholds (decision trees and
    forests) give the same answer on the scaled data, exactly: a power of two
    changes no value's mantissa, so no order and no float32 rounding. Returns
    ``X`` itself when no column needs it, else a scaled float64 copy (CSR when
    ``X`` is sparse).
    """
    factors = column_scales(X, limit)
    if (factors == 1.0).all():
        return X
    if sparse.issparse(X):
        scaled = sparse.csr_array(X).astype(np.float64)  # a copy: the caller's data stay as they are
        scaled.data *= factors[scaled.indices]
        return scaled
    return np.asarray(X, dtype=np.float64) * factors


def huge_values_error(estimator, err: Exception, X, what: str) -> ValueError | None:
    """A ``ValueError`` naming the columns of huge values when ``estimator``
    failed with ``err`` on ``X`` that holds some, else None (the failure has
    another cause: re-raise it)."""
    big = column_magnitudes(X)
    cols = np.flatnonzero(big > _SUSPECT)
    if cols.size == 0:
        return None
    return ValueError(
        f"{what} {estimator!r} failed on X: {err} Column(s) {cols.tolist()} (positions in X) hold "
        f"values up to {big[cols].max():.3g}, beyond what most models take. Rescale those "
        "columns (e.g. StandardScaler in a Pipeline before the sampler), or leave the estimator "
        "to its default, which handles such values."
    )
