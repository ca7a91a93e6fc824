"""imbalanced-learn's own tests run against smotekit: the harness, its list of known differences, and its tests."""
