"""Exact k-nearest-neighbour search shared by every sampler.

See :func:`kneighbors`. Self-exclusion, tie-breaking and backend choice live
here and nowhere else.
"""

from ._approx import ApproximateNeighbors
from ._search import METHODS, available_methods, kneighbors, kneighbors_from_estimator

__all__ = ["ApproximateNeighbors", "METHODS", "available_methods", "kneighbors",
           "kneighbors_from_estimator"]
