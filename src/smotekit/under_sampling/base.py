"""What every under-sampler shares."""

from ..base import BaseSampler

__all__ = ["BaseUnderSampler"]


class BaseUnderSampler(BaseSampler):
    """Base class of the under-samplers: samplers that keep a subset of the rows."""

    _sampling_type = "under-sampling"
    _selects_rows = True
