"""The sampler contract, run over every sampler smotekit ships (found automatically),
each in several configurations (see ``_CONTRACT_VARIANTS``).

Every check runs on every instance: where a check does not apply (its tags say
so, or a library is missing) it is reported as skipped, with the reason.
"""

import numpy as np
import pytest
from sklearn.utils import estimator_checks as sk_checks

from smotekit.utils import all_samplers
from smotekit.utils._test_common.contract import _CHECKS
from smotekit.utils._test_common.instance_generator import (
    _contract_instances,
    _get_check_estimator_ids,
)
from smotekit.utils.estimator_checks import construct_sampler, sampler_checks

SAMPLERS = all_samplers()
INSTANCES = [sampler for _, cls in SAMPLERS for sampler in _contract_instances(cls)]


def test_discovery_finds_the_samplers():
    names = {name for name, _ in SAMPLERS}
    assert {"SMOTE", "RandomOverSampler", "RandomUnderSampler"} <= names


@pytest.mark.parametrize("name, cls", SAMPLERS)
def test_every_sampler_documents_itself(name, cls):
    # Its own docstring, not its base class's (help(), the docs and `smotekit methods`).
    own = vars(cls).get("__doc__")
    assert own and not own.lstrip().startswith("Base class")


@pytest.mark.parametrize("check", _CHECKS, ids=_get_check_estimator_ids)
@pytest.mark.parametrize("sampler", INSTANCES, ids=_get_check_estimator_ids)
def test_sampler_contract(sampler, check):
    check(sampler)


def test_inapplicable_checks_skip_with_their_reason():
    from smotekit.under_sampling import RandomUnderSampler
    from smotekit.utils.estimator_checks import check_rejects_nan

    sampler = RandomUnderSampler()
    assert check_rejects_nan not in list(sampler_checks(sampler))
    with pytest.raises(pytest.skip.Exception, match="accepts NaN"):
        check_rejects_nan(sampler)


def test_every_check_applies_to_some_sampler():
    # A check no sampler runs would be one that cannot fail.
    for library in ("pandas", "polars", "imblearn"):
        pytest.importorskip(library)
    applied = {check for sampler in INSTANCES for check in sampler_checks(sampler)}
    assert applied == set(_CHECKS)


@pytest.mark.parametrize("name, cls", SAMPLERS)
def test_multiclass_tag_tells_the_truth(name, cls):
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(3.0 * c, 1.0, size=(m, 3)) for c, m in enumerate((60, 25, 15))])
    y = np.repeat([0, 1, 2], (60, 25, 15))
    sampler = construct_sampler(cls)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    if sampler.__sklearn_tags__().sampler_tags.multiclass:
        _, y_res = sampler.fit_resample(X, y)
        # Cleaning may empty a class; each of the three still has its own plan.
        assert [c.label for c in sampler.sampling_plan_] == [0, 1, 2]
        assert set(np.asarray(y_res).tolist()) <= {0, 1, 2}
    else:
        with pytest.raises(ValueError, match="class"):
            sampler.fit_resample(X, y)


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
