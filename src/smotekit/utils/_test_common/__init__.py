"""Instances of every smotekit estimator for the common tests (imbalanced-learn's layout)."""
