"""What every over-sampler shares: its kind, and the neighbour parameter."""

from __future__ import annotations

from numbers import Integral

import numpy as np

from ..base import BaseSampler
from ..neighbors import kneighbors, kneighbors_from_estimator
from ..neighbors._search import check_neighbors_param

__all__ = ["BaseOverSampler"]


class BaseOverSampler(BaseSampler):
    """Base class of the over-samplers: samplers that only add rows."""

    _sampling_type = "over-sampling"

    _check_neighbors_param = staticmethod(check_neighbors_param)

    @staticmethod
    def _neighbors_within(Xc, param, name: str, label, n_present: int) -> np.ndarray:
        """Neighbour table of one class's rows among themselves (local positions)."""
        if not isinstance(param, (Integral, np.integer)):
            return kneighbors_from_estimator(param, Xc)
        k = int(param)
        if n_present < k + 1:
            raise ValueError(
                f"Class {label!r} has {n_present} sample(s), but {name}={k} needs at least {k + 1} "
                f"(each sample plus {k} neighbours of the same class). Lower {name} to at most "
                f"{n_present - 1}" + (", " if n_present > 1 else " (impossible here), ")
                + "or drop or merge this class, or over-sample it with RandomOverSampler."
            )
        return kneighbors(Xc, k)
