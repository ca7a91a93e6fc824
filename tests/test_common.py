"""The sampler contract, run over every sampler smotekit ships (found automatically)."""

import pytest
from sklearn.utils import estimator_checks as sk_checks

from smotekit.utils import all_samplers
from smotekit.utils.estimator_checks import construct_sampler, sampler_checks

SAMPLERS = all_samplers()


def test_discovery_finds_the_samplers():
    names = {name for name, _ in SAMPLERS}
    assert {"SMOTE", "RandomOverSampler", "RandomUnderSampler"} <= names


@pytest.mark.parametrize("name, cls", SAMPLERS)
def test_every_sampler_documents_itself(name, cls):
    # Its own docstring, not its base class's (help(), the docs and `smotekit methods`).
    own = vars(cls).get("__doc__")
    assert own and not own.lstrip().startswith("Base class")


@pytest.mark.parametrize(
    "sampler, check",
    [(construct_sampler(cls), check) for _, cls in SAMPLERS for check in sampler_checks(construct_sampler(cls))],
    ids=lambda v: v.__name__ if callable(v) and not isinstance(v, type) and hasattr(v, "__name__") else type(v).__name__,
)
def test_sampler_contract(sampler, check):
    check(sampler)


# scikit-learn's own checks that apply to estimators that are neither
# classifiers nor transformers.
SKLEARN_CHECKS = [
    sk_checks.check_no_attributes_set_in_init,
    sk_checks.check_parameters_default_constructible,
    sk_checks.check_get_params_invariance,
    sk_checks.check_set_params,
    sk_checks.check_estimators_overwrite_params,
    sk_checks.check_dont_overwrite_parameters,
    sk_checks.check_estimators_unfitted,
]


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[n for n, _ in SAMPLERS])
@pytest.mark.parametrize("check", SKLEARN_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_checks(name, cls, check):
    check(name, construct_sampler(cls))
