"""smotekit: fast, faithful SMOTE-family resampling for imbalanced classification.

A drop-in for imbalanced-learn: same module paths, class names, parameters and
``sampling_strategy`` semantics. Everything public is also importable here.
"""

from . import datasets, metrics, neighbors, over_sampling, pipeline, under_sampling
from ._provenance import Provenance
from ._strategy import ClassPlan, SamplingPlan
from .base import BaseSampler
from .datasets import make_imbalance
from .over_sampling import ADASYN, SMOTE, SMOTEN, SMOTENC, KMeansSMOTE, RandomOverSampler
from .pipeline import Pipeline, make_pipeline
from .under_sampling import RandomUnderSampler

__version__ = "0.1.0"

__all__ = [
    "ADASYN",
    "BaseSampler",
    "ClassPlan",
    "KMeansSMOTE",
    "Pipeline",
    "Provenance",
    "RandomOverSampler",
    "RandomUnderSampler",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SamplingPlan",
    "__version__",
    "datasets",
    "make_imbalance",
    "make_pipeline",
    "metrics",
    "neighbors",
    "over_sampling",
    "pipeline",
    "under_sampling",
]
