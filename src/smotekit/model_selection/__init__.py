"""Cross-validation splitters for imbalanced data (imbalanced-learn's ``imblearn.model_selection``)."""

from ._split import InstanceHardnessCV

__all__ = ["InstanceHardnessCV"]
