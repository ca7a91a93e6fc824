"""Random under-sampling."""

from __future__ import annotations

import numpy as np

from .._constraints import RANDOM_STATE
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Resampled
from .._random import stream
from ..base import PartitionedSupport
from .base import BaseUnderSampler

__all__ = ["RandomUnderSampler"]


@Substitution(**_FITTED_ATTRIBUTES)
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
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}
    """

    _allow_nan = True
    # The rows kept of a class depend on its size only (see _picks).
    _partitioned = PartitionedSupport("picks")

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "random_state": RANDOM_STATE,
        "replacement": ["boolean"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _requires_numeric(self):
        return False

    def _fit_resample(self, X, codes, plan, seed):
        kept = []
        for code, cls in enumerate(plan.classes):
            rows = self._class_rows(codes, code)
            pick = self._picks(cls, code, seed)
            kept.append(rows if pick is None else rows[pick])
        return Resampled(np.concatenate(kept))

    def _picks(self, cls, code, seed):
        """Sorted positions, among the rows of class ``code``, of the rows kept (a row
        drawn twice with replacement appears twice); None keeps the whole class. Depends
        only on the class size, so a partitioned backend draws the same rows."""
        if not cls.targeted or (cls.n_target >= cls.n_before and not self.replacement):
            return None
        rng = stream(seed, code)
        if self.replacement:
            return np.sort(rng.integers(0, cls.n_before, size=cls.n_target))
        return np.sort(rng.choice(cls.n_before, size=cls.n_target, replace=False))
