"""Over-samplers: add rows to the classes that need them."""

from ._adasyn import ADASYN
from ._borderline import SVMSMOTE, BorderlineSMOTE
from ._cluster import KMeansSMOTE
from ._nominal import SMOTEN, SMOTENC
from ._random import RandomOverSampler
from ._smote import SMOTE

__all__ = ["ADASYN", "BorderlineSMOTE", "KMeansSMOTE", "RandomOverSampler", "SMOTE", "SMOTEN",
           "SMOTENC", "SVMSMOTE"]
