"""Test-suite configuration.

Under CI (the CI environment variable is set, as it is for `.ci/run`) hypothesis
runs a fixed, derandomised set of examples, so a red build is reproducible and
never depends on the luck of the draw; local runs keep exploring new examples.
Set HYPOTHESIS_PROFILE to choose explicitly.

imbalanced-learn's own test files, rewritten to smotekit, run in the same
session: the two hooks imported from ``imblearn_suite.harness`` generate them
(``pytest_configure``) and mark their known differences
(``pytest_collection_modifyitems``); see ``tests/imblearn_suite/``.
"""

import importlib.util
import os

from hypothesis import settings

from imblearn_suite.harness import pytest_collection_modifyitems, pytest_configure  # noqa: F401  (pytest hooks)

# Keras 3 reads its backend once, when first imported, from KERAS_BACKEND (default: TensorFlow,
# which the test extra leaves out); run it on PyTorch, which the test extra installs.
if importlib.util.find_spec("torch") is not None:
    os.environ.setdefault("KERAS_BACKEND", "torch")

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))
