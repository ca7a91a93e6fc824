"""Under-samplers: keep a subset of the rows."""

from ._random import RandomUnderSampler

__all__ = ["RandomUnderSampler"]
