"""Imbalanced regression: the relevance of target values, its bins, and samplers per bin.

A continuous target has no classes; its rare values (usually the extremes)
are told apart by a relevance function ``phi(y)`` in [0, 1] (Ribeiro 2011),
and the sorted target splits into bins of rare and of normal values, which
the samplers resample as the classification samplers resample classes.
"""

from ._gaussian_noise import GaussianNoise
from ._random import RandomOverSampler, RandomUnderSampler
from ._relevance import Relevance, RelevanceBins, relevance_bins
from ._smogn import SMOGN
from ._smoter import SMOTER
from .base import BaseRegressionSampler

__all__ = ["BaseRegressionSampler", "GaussianNoise", "RandomOverSampler", "RandomUnderSampler", "Relevance",
           "RelevanceBins", "SMOGN", "SMOTER", "relevance_bins"]
