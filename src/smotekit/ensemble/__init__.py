"""Ensembles whose members each learn from a balanced sample of the data.

Same classes, parameters and defaults as ``imblearn.ensemble``; every member
resamples with smotekit's samplers and draws its own seeds from the
ensemble's ``random_state``, so results do not depend on ``n_jobs``.
"""

from ._bagging import BalancedBaggingClassifier
from ._easy_ensemble import EasyEnsembleClassifier
from ._forest import BalancedRandomForestClassifier
from ._weight_boosting import RUSBoostClassifier

__all__ = [
    "BalancedBaggingClassifier",
    "BalancedRandomForestClassifier",
    "EasyEnsembleClassifier",
    "RUSBoostClassifier",
]
