"""smotekit: fast, faithful SMOTE-family resampling for imbalanced classification.

A drop-in for imbalanced-learn: same module paths, class names, parameters and
``sampling_strategy`` semantics. Everything public is also importable here.
"""

from . import (
    combine,
    datasets,
    ensemble,
    exceptions,
    metrics,
    model_selection,
    neighbors,
    over_sampling,
    pipeline,
    under_sampling,
    utils,
)
from ._function_sampler import FunctionSampler
from ._provenance import Provenance
from ._strategy import ClassPlan, SamplingPlan
from .base import BaseSampler
from .combine import SMOTEENN, SMOTETomek
from .datasets import fetch_datasets, make_imbalance
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
from .utils._show_versions import show_versions

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
    "FunctionSampler",
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
    "ensemble",
    "exceptions",
    "fetch_datasets",
    "make_imbalance",
    "make_pipeline",
    "metrics",
    "model_selection",
    "neighbors",
    "over_sampling",
    "pipeline",
    "show_versions",
    "under_sampling",
    "utils",
]
