"""Random over-sampling, optionally as a smoothed bootstrap (ROSE; Menardi & Torelli 2014)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import Interval

from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled
from .._huge import column_magnitudes, column_scales
from .._random import stream
from ..base import PartitionedSupport
from ..utils._containers import read_X
from ..utils._containers._checks import check_finite
from .base import BaseOverSampler

__all__ = ["RandomOverSampler"]


@Substitution(**_FITTED_ATTRIBUTES)
class RandomOverSampler(BaseOverSampler):
    """Over-sample by drawing rows of each class with replacement.

    Without ``shrinkage`` the added rows are exact copies, so any column type
    (strings, categories, NaN) is accepted. With ``shrinkage`` each copy is
    perturbed by Gaussian noise scaled per feature (a smoothed bootstrap), which
    needs numeric, finite data: NaN or infinity anywhere in ``X`` raises a
    ``ValueError`` naming the columns (impute first, or keep ``shrinkage=None``).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
    random_state : int, RandomState, Generator or None, default=None
    shrinkage : float, dict or None, default=None
        Noise scale factor (>= 0), one for all classes or ``{{class: factor}}``
        for every over-sampled class. The noise standard deviation of feature
        j is ``shrinkage * h * std_j`` with ``h = (4 / ((d + 2) n)) ** (1 / (d + 4))``,
        ``n`` the total number of rows, as in imbalanced-learn. Huge values
        are fine: a column whose squares would overflow is drawn on values
        scaled by a power of two, which gives the same numbers exactly. A
        drawn value beyond the largest finite value of ``X``'s dtype (data or
        noise near that limit) is set to that value, with its sign, instead of
        infinity; no other value is clipped.

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Input row behind each output row.
    shrinkage_ : dict or None
        The factor used per class.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    References
    ----------
    .. [1] Menardi, G. & Torelli, N. (2014). Training and assessing classification rules with
       imbalanced data. Data Mining and Knowledge Discovery, 28(1), 92-122 (the smoothed
       bootstrap of ``shrinkage``).
    """

    _selects_rows = True

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "shrinkage": [Interval(Real, 0, None, closed="left"), Mapping, None],  # any mapping, not only a dict
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    @property
    def _allow_nan(self):
        # Copies carry NaN along untouched; the smoothed bootstrap scales its noise by each
        # column's standard deviation, which one NaN or inf makes NaN for every new row.
        # An instance property, so the tags, the checks and the command line see the
        # answer for this sampler's parameters.
        return self.shrinkage is None

    def _requires_numeric(self):
        return self.shrinkage is not None

    @property
    def _partitioned(self):
        # Peak while drawing 12 bytes per new row, plus the 16 a worker copies while spilling;
        # the smoothed bootstrap also keeps every new row's values.
        return PartitionedSupport("kernel", bytes_per_row=28, values_per_row=self.shrinkage is not None)

    def _read_X(self, X):
        if self.shrinkage is None:
            return super()._read_X(X)
        # imbalanced-learn's first sentence, which code written for it may match on.
        why = "When shrinkage is not None, X needs to contain only numerical data to later " \
              "generate a smoothed bootstrap sample"
        try:
            table = read_X(X, allow_nan=True, accept_sparse=self._accept_sparse)
        except ValueError as exc:
            if "non-numeric" not in str(exc):
                raise
            raise type(exc)(f"{why}. {exc}") from exc
        try:
            check_finite(table.values, table.columns)
        except ValueError as exc:
            raise ValueError(
                f"{why}, and finite values: the noise of each column is scaled by its standard "
                f"deviation, which one NaN or infinite cell turns into NaN for every new row. {exc} "
                f"Or pass shrinkage=None (shrinkage={self.shrinkage!r} here): the plain bootstrap "
                "copies rows as they are and accepts missing values."
            ) from exc
        return table

    def _check_params(self, n_features):
        s = self.shrinkage
        if s is None:
            return
        values = s.values() if isinstance(s, Mapping) else [s]
        for v in values:
            # NaN fails every comparison, so test for a finite non-negative number directly.
            if isinstance(v, bool) or not isinstance(v, Real) or not (0 <= v < math.inf):
                raise ValueError(
                    f"The shrinkage factor needs to be >= 0: shrinkage factors must be finite, "
                    f"non-negative numbers, got {s!r}."
                )

    def _fit_resample(self, X, codes, plan, seed):
        targeted = [c for c in plan.classes if c.targeted]
        if self.shrinkage is None:
            self.shrinkage_ = None
        elif isinstance(self.shrinkage, Mapping):
            missing = [c.label for c in targeted if c.label not in self.shrinkage]
            if missing:
                raise ValueError(
                    "`shrinkage` should contain a shrinkage factor for each class that will be "
                    f"over-sampled: none for class(es) {missing}. Give one per class, or a single "
                    "float for all."
                )
            self.shrinkage_ = dict(self.shrinkage)
        else:
            self.shrinkage_ = {c.label: self.shrinkage for c in targeted}

        # The bandwidth depends on the size of the whole data set, taken from the plan so
        # that a backend running this kernel on the over-sampled classes alone (Dask) agrees.
        n_rows = sum(c.n_before for c in plan.classes)
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            rng = stream(seed, code)
            picked = rows[rng.integers(0, rows.size, size=cls.n_add)]
            if self.shrinkage_ is None:
                pieces.append(Piece(picked))
            else:
                pieces.append(Piece(picked, self._smoothed(X, n_rows, rows, picked, self.shrinkage_[cls.label], rng)))
        return Resampled.from_pieces(range(len(codes)), pieces, copies=self.shrinkage_ is None)

    @staticmethod
    def _smoothed(X, n, rows, picked, factor, rng):
        d = X.shape[1]
        factor_h = factor * (4 / ((d + 2) * n)) ** (1 / (d + 4))
        Xc = X[rows]
        z = rng.standard_normal((picked.size, d))
        base = X[picked]
        # Columns whose squares could overflow in the standard deviation, or whose
        # noise scale does, are drawn again below on values scaled by a power of
        # two; the overflows of this first pass are discarded with them.
        with np.errstate(over="ignore", invalid="ignore"):
            sigma = factor_h * _std(Xc)
            if sparse.issparse(base):
                # In float64 like the dense result, which is exact for float32 values.
                out = np.asarray(base + (z * sigma).astype(base.dtype), dtype=np.float64)
            else:
                out = base + z * sigma
        limit = np.finfo(X.dtype).max
        # Below sqrt(limit / 4n), the n squared deviations (each under (2 * max|x|)**2) add up
        # to a finite sum (_read_X refused NaN and inf).
        redo = (column_magnitudes(Xc) > np.sqrt(limit / (4 * rows.size))) | ~np.isfinite(sigma)
        if redo.any():
            out[:, redo] = _smoothed_scaled(Xc[:, redo], base[:, redo], z[:, redo], factor_h)
        # A draw beyond the dtype's range (the data or the noise near its limit) keeps
        # its sign at the largest finite value; every other value is left as drawn.
        np.clip(out, -limit, limit, out=out)
        out = out.astype(X.dtype, copy=False)
        return sparse.csr_matrix(out) if sparse.issparse(base) else out


def _std(X):
    """Per-column population standard deviation of ``X`` (dense or sparse)."""
    if not sparse.issparse(X):
        return X.std(axis=0)
    mean = np.asarray(X.mean(axis=0)).ravel()
    return np.sqrt(np.maximum(np.asarray(X.multiply(X).mean(axis=0)).ravel() - mean**2, 0))


def _smoothed_scaled(Xc, base, z, factor_h):
    """``base + z * factor_h * std(Xc)`` per column, computed on every column
    multiplied by the power of two that brings its largest ``|x|`` below 1.

    The scaling is exact, so the values are those of the plain formula wherever
    it does not overflow; a result beyond float64's range is inf (clipped by the
    caller). Computed in float64 whatever ``Xc``'s dtype.
    """
    scales = column_scales(Xc, 0.0)
    if sparse.issparse(Xc):
        Xs = sparse.csr_matrix(Xc, dtype=np.float64) @ sparse.diags(scales)
        base = base.toarray()
    else:
        Xs = Xc.astype(np.float64) * scales
    sigma = factor_h * _std(Xs)
    with np.errstate(over="ignore"):
        return (base * scales + z * sigma) / scales
