"""Over-samplers: add rows to the classes that need them."""

from ._random import RandomOverSampler
from ._smote import SMOTE

__all__ = ["RandomOverSampler", "SMOTE"]
