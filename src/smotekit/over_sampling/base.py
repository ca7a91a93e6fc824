"""What every over-sampler shares: its kind, and the neighbour parameter."""

from __future__ import annotations

import numpy as np

from .._constraints import OVER_STRATEGY, RANDOM_STATE
from ..base import BaseSampler
from ..neighbors import kneighbors, kneighbors_from_estimator
from ..neighbors._resolve import resolve_neighbors

__all__ = ["BaseOverSampler"]

# The other ways out when a class is too small for its neighbour search.
_CLASS_HINT = ", or drop or merge this class, or over-sample it with RandomOverSampler"


class BaseOverSampler(BaseSampler):
    """Base class of the over-samplers: samplers that only add rows."""

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {"sampling_strategy": OVER_STRATEGY, "random_state": RANDOM_STATE}

    @staticmethod
    def _neighbors_attr(param, name: str, **params):
        """The fitted ``nn_k_`` / ``nn_m_`` / ``nn_`` attribute imbalanced-learn exposes: for an
        int ``k``, an unfitted ``NearestNeighbors(n_neighbors=k + 1)`` (the sample counts
        itself); for a neighbours object, that object. smotekit's own search runs for ints."""
        return resolve_neighbors(param, name=name).as_estimator(**params)

    @staticmethod
    def _neighbors_within(Xc, param, name: str, label, n_present: int) -> np.ndarray:
        """Neighbour table of one class's rows among themselves (local positions)."""
        nn = resolve_neighbors(param, name=name)
        if not nn.exact:
            return kneighbors_from_estimator(param, Xc, name=name, where=f"class {label!r}",
                                             hint=_CLASS_HINT)
        k = nn.k
        if n_present < k + 1:
            raise ValueError(
                f"Class {label!r} has {n_present} sample(s), but {name}={k} needs at least {k + 1} "
                f"(each sample plus {k} neighbours of the same class). Lower {name} to at most "
                f"{n_present - 1}" + (", " if n_present > 1 else " (impossible here), ")
                + "or drop or merge this class, or over-sample it with RandomOverSampler."
            )
        return kneighbors(Xc, k)

    @staticmethod
    def _neighbors_among_all(X, rows, k: int, name: str, label=None, *, return_distance=False):
        """The ``k`` nearest rows of all of ``X`` (every class) to each row of ``rows``, itself
        excluded: positions in ``X``, ordered by (distance, index); with distances if asked.
        ``label`` names the class over-sampled in the error, when known."""
        n = X.shape[0]
        if n < k + 1:
            during = "" if label is None else f" while over-sampling class {label!r}"
            raise ValueError(
                f"{name}={k} needs at least {k + 1} rows in the data (each sample plus {k} neighbours "
                f"among all classes), got {n}{during}. Lower {name} to at most {max(n - 1, 1)}."
            )
        return kneighbors(X, k, query_rows=rows, return_distance=return_distance)
