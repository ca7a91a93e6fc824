"""Data-set helpers: imbalance a data set, fetch imbalanced-learn's benchmark collection."""

from ._fetch import fetch_datasets
from ._imbalance import make_imbalance

__all__ = ["fetch_datasets", "make_imbalance"]
