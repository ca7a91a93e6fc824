"""Random over-sampling, optionally as a smoothed bootstrap (ROSE; Menardi & Torelli 2014)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import Interval

from .._random import stream
from ..base import Resampled
from .base import BaseOverSampler

__all__ = ["RandomOverSampler"]


class RandomOverSampler(BaseOverSampler):
    """Over-sample by drawing rows of each class with replacement.

    Without ``shrinkage`` the added rows are exact copies, so any column type
    (strings, categories, NaN) is accepted. With ``shrinkage`` each copy is
    perturbed by Gaussian noise scaled per feature (a smoothed bootstrap), which
    needs numeric, finite data.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
    random_state : int, RandomState, Generator or None, default=None
    shrinkage : float, dict or None, default=None
        Noise scale factor (>= 0), one for all classes or ``{class: factor}``
        for every over-sampled class. The noise standard deviation of feature
        j is ``shrinkage * h * std_j`` with ``h = (4 / ((d + 2) n)) ** (1 / (d + 4))``,
        ``n`` the total number of rows, as in imbalanced-learn.

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Input row behind each output row.
    shrinkage_ : dict or None
        The factor used per class.
    sampling_strategy_ : OrderedDict
        imbalanced-learn's dict for the targeted classes (see :class:`smotekit.base.BaseSampler`).
    sampling_plan_ : SamplingPlan
        Per class: the size before, the target, the rows added and removed.
    provenance_ : Provenance
        The origin of every output row (see :class:`smotekit.base.BaseSampler`).
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of ``X``; set only when they are all strings.
    """

    _allow_nan = True
    _selects_rows = True

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "shrinkage": [Interval(Real, 0, None, closed="left"), Mapping, None],  # any mapping, not only a dict
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def _requires_numeric(self):
        return self.shrinkage is not None

    def _read_X(self, X):
        try:
            return super()._read_X(X)
        except ValueError as exc:
            if self.shrinkage is None or "non-numeric" not in str(exc):
                raise
            raise type(exc)(
                "When shrinkage is not None, X needs to contain only numerical data to later "
                f"generate a smoothed bootstrap sample. {exc}"
            ) from exc

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
        sources, values = [], []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            rng = stream(seed, code)
            picked = rows[rng.integers(0, rows.size, size=cls.n_add)]
            sources.append(picked)
            if self.shrinkage_ is not None:
                values.append(self._smoothed(X, n_rows, rows, picked, self.shrinkage_[cls.label], rng))
        n = len(codes)
        added = np.concatenate(sources) if sources else np.empty(0, np.int64)
        if self.shrinkage_ is None:
            return Resampled(range(n), added)
        return Resampled(range(n), added, added_blocks=values)

    @staticmethod
    def _smoothed(X, n, rows, picked, factor, rng):
        d = X.shape[1]
        h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
        Xc = X[rows]
        if sparse.issparse(Xc):
            mean = np.asarray(Xc.mean(axis=0)).ravel()
            std = np.sqrt(np.maximum(np.asarray(Xc.multiply(Xc).mean(axis=0)).ravel() - mean**2, 0))
        else:
            std = Xc.std(axis=0)
        noise = rng.standard_normal((picked.size, d)) * (factor * h * std)
        base = X[picked]
        if sparse.issparse(base):
            return sparse.csr_matrix(base + noise.astype(base.dtype))
        return (base + noise).astype(X.dtype, copy=False)
