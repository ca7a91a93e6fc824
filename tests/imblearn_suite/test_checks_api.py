"""smotekit's own tests of the imbalanced-learn-style check suite and test helpers."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.exceptions import SkipTestWarning

from smotekit.base import BaseSampler
from smotekit.over_sampling import SMOTE, RandomOverSampler
from smotekit.under_sampling import RandomUnderSampler
from smotekit.utils import estimator_checks as checks
from smotekit.utils._test_common.instance_generator import _get_check_estimator_ids, _tested_estimators
from smotekit.utils.testing import _CustomClusterer, _CustomNearestNeighbors, all_estimators


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), RandomUnderSampler(random_state=0)],
                         ids=type)
def test_check_estimator_passes_our_samplers(sampler):
    results = checks.check_estimator(sampler)
    names = {r["check"] for r in results}
    assert {"check_samplers_fit", "check_samplers_sparse", "check_samplers_pandas"} <= names
    assert all(r["status"] == "passed" for r in results), [r for r in results if r["status"] != "passed"]


def test_check_estimator_skips_the_expected_failures():
    results = checks.check_estimator(SMOTE(random_state=0),
                                     expected_failed_checks={"check_samplers_list": "on purpose"})
    skipped = [r for r in results if r["status"] == "skipped"]
    assert [r["check"] for r in skipped] == ["check_samplers_list"] and "on purpose" in skipped[0]["reason"]


def test_capabilities_decide_which_checks_run():
    names = {checks._check_name(c) for _, c in checks.estimator_checks_generator(RandomOverSampler())}
    assert {"check_samplers_string", "check_samplers_nan"} <= names  # it only copies rows
    names = {checks._check_name(c) for _, c in checks.estimator_checks_generator(SMOTE())}
    assert not {"check_samplers_string", "check_samplers_nan"} & names  # it interpolates


class _NoClassCheck(BaseSampler):
    """Resamples nothing and never looks at y (so accepts a single class)."""

    _sampling_type = "bypass"

    def fit_resample(self, X, y):
        self.sampling_strategy_ = {}
        return X, y


class _Float64(BaseSampler):
    """Returns float64 whatever it gets."""

    _sampling_type = "bypass"

    def _fit_resample(self, X, y):
        return np.asarray(X, dtype=np.float64), y


@pytest.mark.parametrize(
    "check, sampler, message",
    [
        (checks.check_samplers_one_label, _NoClassCheck(), "only one class"),
        (checks.check_target_type, _NoClassCheck(), "continuous target"),
        (checks.check_samplers_preserve_dtype, _Float64(), "X dtype is not preserved"),
    ],
)
def test_checks_fail_a_bad_sampler(check, sampler, message):
    with pytest.raises(AssertionError, match=message):
        check(type(sampler).__name__, sampler)


def test_parametrize_with_checks_rejects_classes():
    with pytest.raises(TypeError, match="instances, not classes"):
        checks.parametrize_with_checks([SMOTE])


@checks.parametrize_with_checks([RandomUnderSampler(random_state=0)])
def test_parametrize_with_checks(estimator, check):
    check(estimator)


def test_parametrize_with_checks_marks_the_expected_failures():
    decorator = checks.parametrize_with_checks(
        [RandomUnderSampler()], expected_failed_checks=lambda est: {"check_samplers_list": "on purpose"})
    argnames, params = decorator.mark.args[:2]
    assert argnames == "estimator, check"
    marked = [p for p in params if hasattr(p, "marks")]
    assert len(marked) == 1 and checks._check_name(marked[0].values[1]) == "check_samplers_list"
    assert marked[0].marks[0].name == "xfail" and marked[0].marks[0].kwargs["reason"] == "on purpose"


def test_all_estimators_lists_public_estimators_only():
    listed = dict(all_estimators())
    assert {"SMOTE", "Pipeline", "RandomUnderSampler"} <= set(listed)
    assert not [name for name in listed if name.startswith(("_", "Base"))]
    assert all(issubclass(cls, BaseEstimator) for cls in listed.values())
    samplers = dict(all_estimators(type_filter=["sampler"]))
    assert "Pipeline" not in samplers and all(hasattr(cls, "fit_resample") for cls in samplers.values())


def test_instances_are_seeded_and_named():
    with pytest.warns(SkipTestWarning, match="Can't instantiate estimator SMOTENC"):
        ids = [_get_check_estimator_ids(est) for est in _tested_estimators("sampler")]
    assert "SMOTE(random_state=42)" in ids and "NearMiss(version=3)" in ids
    assert not any(name.startswith("SMOTENC") for name in ids)  # needs categorical columns


def test_custom_neighbours_plug_into_a_sampler():
    rng = np.random.RandomState(0)
    X, y = rng.randn(60, 2), np.array([0] * 45 + [1] * 15)
    X_res, y_res = SMOTE(k_neighbors=_CustomNearestNeighbors(n_neighbors=4), random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [45, 45]


def test_custom_clusterer_may_hide_its_centres():
    X = np.zeros((5, 2))
    assert hasattr(_CustomClusterer().fit(X), "cluster_centers_")
    assert not hasattr(_CustomClusterer(expose_cluster_centers=False).fit(X), "cluster_centers_")
    assert _CustomClusterer().predict(X).tolist() == [0] * 5
