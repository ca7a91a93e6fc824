"""Under-samplers and cleaning samplers: keep a subset of the rows."""

from ._cleaning import (
    AllKNN,
    EditedNearestNeighbours,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)
from ._condensed import CondensedNearestNeighbour
from ._hardness import InstanceHardnessThreshold
from ._nearmiss import NearMiss
from ._prototype import ClusterCentroids
from ._random import RandomUnderSampler

__all__ = [
    "AllKNN",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]
