"""Utilities: container adapters, sampler discovery, the public sampler checks and
imbalanced-learn's validation helpers (``check_sampling_strategy`` and friends)."""

from .._docstring import Substitution
from ._validation import check_neighbors_object, check_sampling_strategy, check_target_type
from .discovery import all_samplers

__all__ = [
    "Substitution",
    "all_samplers",
    "check_neighbors_object",
    "check_sampling_strategy",
    "check_target_type",
]
