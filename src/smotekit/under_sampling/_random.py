"""Random under-sampling."""

from __future__ import annotations

import numpy as np

from .._random import stream
from ..base import Resampled
from .base import BaseUnderSampler

__all__ = ["RandomUnderSampler"]


class RandomUnderSampler(BaseUnderSampler):
    """Under-sample the targeted classes by keeping a random subset of their rows.

    Rows are only selected, never computed, so any column type (strings,
    categories, NaN) is accepted.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
    random_state : int, RandomState, Generator or None, default=None
    replacement : bool, default=False
        Draw with replacement (a row may then be kept more than once).

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Input row behind each output row: per class in sorted class order,
        and within a class in input order.
    """

    _allow_nan = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _requires_numeric(self):
        return False

    def _check_params(self, n_features):
        if not isinstance(self.replacement, (bool, np.bool_)):
            raise TypeError(f"replacement must be True or False, got {self.replacement!r}.")

    def _fit_resample(self, X, codes, plan, seed):
        kept = []
        for code, cls in enumerate(plan.classes):
            rows = self._class_rows(codes, code)
            if cls.targeted and cls.n_target < rows.size or (cls.targeted and self.replacement):
                rng = stream(seed, code)
                if self.replacement:
                    pick = np.sort(rng.integers(0, rows.size, size=cls.n_target))
                else:
                    pick = np.sort(rng.choice(rows.size, size=cls.n_target, replace=False))
                rows = rows[pick]
            kept.append(rows)
        return Resampled(np.concatenate(kept))
