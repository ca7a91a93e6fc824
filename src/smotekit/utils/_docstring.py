"""imbalanced-learn's import path of the shared docstring texts (its test suite imports them
from here); they live in :mod:`smotekit._docstring`."""

from .._docstring import Substitution, _n_jobs_docstring, _random_state_docstring  # noqa: F401
