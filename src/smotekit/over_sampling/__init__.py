"""Over-samplers: add rows to the classes that need them."""

from ._adasyn import ADASYN
from ._borderline import SVMSMOTE, BorderlineSMOTE
from ._ccr import CCR
from ._cluster import KMeansSMOTE
from ._cure import CURESMOTE
from ._geometric import GeometricSMOTE
from ._lee import LeeSMOTE
from ._lvq import LVQSMOTE
from ._mgs import MGS
from ._mwmote import MWMOTE
from ._nominal import SMOTEN, SMOTENC
from ._polynom_fit import PolynomFitSMOTE
from ._prowsyn import ProWSyn
from ._random import RandomOverSampler
from ._safe_level import SafeLevelSMOTE
from ._smobd import SMOBD
from ._smote import SMOTE

__all__ = ["ADASYN", "BorderlineSMOTE", "CCR", "CURESMOTE", "GeometricSMOTE", "KMeansSMOTE", "LVQSMOTE", "LeeSMOTE",
           "MGS", "MWMOTE", "PolynomFitSMOTE", "ProWSyn", "RandomOverSampler", "SMOBD", "SMOTE", "SMOTEN", "SMOTENC",
           "SVMSMOTE", "SafeLevelSMOTE"]
