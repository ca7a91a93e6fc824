"""Resampling for multi-label targets: each row carries a set of labels.

``Y`` is a 0/1 indicator matrix (numpy, pandas or polars DataFrame, scipy
sparse) or one collection of label names per row, and comes back in the same
kind. :func:`label_imbalance` measures the imbalance (IRLbl, MeanIR, CVIR,
SCUMBLE); the samplers record it before and after (``imbalance_before_``,
``imbalance_after_``).
"""

from ._measures import LabelImbalance, label_imbalance
from ._mlsmote import MLSMOTE
from ._random import MLROS, MLRUS
from .base import BaseMultilabelSampler

__all__ = ["BaseMultilabelSampler", "LabelImbalance", "MLROS", "MLRUS", "MLSMOTE", "label_imbalance"]
