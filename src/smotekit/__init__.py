"""smotekit: fast, faithful SMOTE-family resampling for imbalanced classification.

A drop-in for imbalanced-learn: same module paths, class names, parameters and
``sampling_strategy`` semantics. Everything public is also importable here.
"""

from . import combine, datasets, metrics, neighbors, over_sampling, pipeline, under_sampling
from ._provenance import Provenance
from ._strategy import ClassPlan, SamplingPlan
from .base import BaseSampler
from .combine import SMOTEENN, SMOTETomek
from .datasets import make_imbalance
from .neighbors import ApproximateNeighbors
from .over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)
from .pipeline import Pipeline, make_pipeline
from .under_sampling import (
    AllKNN,
    ClusterCentroids,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    InstanceHardnessThreshold,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RandomUnderSampler,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)

__version__ = "0.1.0"

__all__ = [
    "ADASYN",
    "AllKNN",
    "ApproximateNeighbors",
    "BaseSampler",
    "BorderlineSMOTE",
    "ClassPlan",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "KMeansSMOTE",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "Pipeline",
    "Provenance",
    "RandomOverSampler",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "SMOTE",
    "SMOTEENN",
    "SMOTEN",
    "SMOTENC",
    "SMOTETomek",
    "SVMSMOTE",
    "SamplingPlan",
    "TomekLinks",
    "__version__",
    "combine",
    "datasets",
    "make_imbalance",
    "make_pipeline",
    "metrics",
    "neighbors",
    "over_sampling",
    "pipeline",
    "under_sampling",
]
