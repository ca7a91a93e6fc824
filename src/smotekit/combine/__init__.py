"""Hybrid samplers: SMOTE over-sampling followed by a cleaning step."""

from ._smote_enn import SMOTEENN
from ._smote_ipf import SMOTEIPF
from ._smote_tomek import SMOTETomek

__all__ = ["SMOTEENN", "SMOTEIPF", "SMOTETomek"]
