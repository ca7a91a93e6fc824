"""Test-suite configuration.

Under CI (the CI environment variable is set, as it is for `.ci/run`) hypothesis
runs a fixed, derandomised set of examples, so a red build is reproducible and
never depends on the luck of the draw; local runs keep exploring new examples.
Set HYPOTHESIS_PROFILE to choose explicitly.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))
