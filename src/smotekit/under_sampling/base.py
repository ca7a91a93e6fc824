"""What every under-sampler and cleaning sampler shares."""

from .._constraints import CLEAN_STRATEGY, UNDER_STRATEGY
from ..base import BaseSampler

__all__ = ["BaseCleaningSampler", "BaseUnderSampler"]


class BaseUnderSampler(BaseSampler):
    """Base class of the under-samplers: keep a subset of the rows, sized by the plan."""

    _sampling_type = "under-sampling"
    _parameter_constraints: dict = {"sampling_strategy": UNDER_STRATEGY}
    _selects_rows = True


class BaseCleaningSampler(BaseSampler):
    """Base class of the cleaning samplers: remove rows chosen by a rule on the data.

    Their plan names the classes to clean (``sampling_strategy`` as a word or
    a list of classes) but not their final sizes, which the data decide.
    """

    _sampling_type = "clean-sampling"
    _parameter_constraints: dict = {"sampling_strategy": CLEAN_STRATEGY}
    _selects_rows = True
