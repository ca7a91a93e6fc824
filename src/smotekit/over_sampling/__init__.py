"""Over-samplers: add rows to the classes that need them."""

from ._adasyn import ADASYN
from ._cluster import KMeansSMOTE
from ._nominal import SMOTEN, SMOTENC
from ._random import RandomOverSampler
from ._smote import SMOTE

__all__ = ["ADASYN", "KMeansSMOTE", "RandomOverSampler", "SMOTE", "SMOTEN", "SMOTENC"]
