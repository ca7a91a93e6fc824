"""Data-set helpers."""

from ._imbalance import make_imbalance

__all__ = ["make_imbalance"]
