"""Over-samplers: add rows to the classes that need them."""

from ._nominal import SMOTEN, SMOTENC
from ._random import RandomOverSampler
from ._smote import SMOTE

__all__ = ["RandomOverSampler", "SMOTE", "SMOTEN", "SMOTENC"]
