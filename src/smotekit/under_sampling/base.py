"""What every under-sampler and cleaning sampler shares."""

from ..base import BaseSampler

__all__ = ["BaseCleaningSampler", "BaseUnderSampler"]


class BaseUnderSampler(BaseSampler):
    """Base class of the under-samplers: keep a subset of the rows, sized by the plan."""

    _sampling_type = "under-sampling"
    _selects_rows = True


class BaseCleaningSampler(BaseSampler):
    """Base class of the cleaning samplers: remove rows chosen by a rule on the data.

    Their plan names the classes to clean (``sampling_strategy`` as a word or
    a list of classes) but not their final sizes, which the data decide.
    """

    _sampling_type = "clean-sampling"
    _selects_rows = True
