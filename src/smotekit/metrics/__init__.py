"""Metrics for imbalanced classification (imbalanced-learn's names) and regression, and scorers for model selection."""

from ._classification import (
    classification_report_imbalanced,
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)
from ._regression import rare_f1_score, rare_precision_recall_f1, rare_rmse, sera
from ._scorers import (
    geometric_mean_scorer,
    get_scorer,
    get_scorer_names,
    neg_macro_averaged_mean_absolute_error_scorer,
    neg_rare_rmse_scorer,
    neg_sera_scorer,
    rare_f1_scorer,
    sensitivity_scorer,
    specificity_scorer,
)

__all__ = [
    "classification_report_imbalanced",
    "geometric_mean_score",
    "geometric_mean_scorer",
    "get_scorer",
    "get_scorer_names",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "neg_macro_averaged_mean_absolute_error_scorer",
    "neg_rare_rmse_scorer",
    "neg_sera_scorer",
    "rare_f1_score",
    "rare_f1_scorer",
    "rare_precision_recall_f1",
    "rare_rmse",
    "sensitivity_score",
    "sensitivity_scorer",
    "sensitivity_specificity_support",
    "sera",
    "specificity_score",
    "specificity_scorer",
]
