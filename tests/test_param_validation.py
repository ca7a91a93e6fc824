"""Parameter constraints: every sampler declares them, and a bad value fails at fit, once.

scikit-learn's ``InvalidParameterError`` is both a ``ValueError`` and a
``TypeError``, so code written against imbalanced-learn (which raises it too)
catches the same exceptions.
"""

import inspect
from collections import OrderedDict
from unittest import mock

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import _param_validation
from sklearn.utils._param_validation import (
    InvalidParameterError,
    generate_invalid_param_val,
    make_constraint,
)

from smotekit import datasets, metrics
from smotekit.base import BaseSampler, Resampled
from smotekit.combine import SMOTEENN, SMOTETomek
from smotekit.combine._base import BaseCombineSampler
from smotekit.over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler
from smotekit.pipeline import Pipeline
from smotekit.under_sampling import EditedNearestNeighbours, NearMiss, RandomUnderSampler, TomekLinks
from smotekit.under_sampling.base import BaseUnderSampler
from smotekit.utils import all_samplers
from smotekit.utils.estimator_checks import construct_sampler

SAMPLERS = all_samplers()
NAMES = [name for name, _ in SAMPLERS]


class _BadType:
    """A value of a type no constraint accepts."""

    def __repr__(self):
        return "BadType()"


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    X[:, 0] = rng.integers(0, 3, size=60)  # a nominal column for SMOTENC/SMOTEN
    y = np.r_[[0] * 40, [1] * 20]
    return X, y


def _invalid_values(constraints):
    """A value of no accepted type, then one out-of-range value per constraint that has one."""
    yield _BadType()
    for c in constraints:
        try:
            yield generate_invalid_param_val(make_constraint(c))
        except NotImplementedError:
            continue


def _cases():
    for name, cls in SAMPLERS:
        for param, constraints in cls._parameter_constraints.items():
            for i, bad in enumerate(_invalid_values(constraints)):
                yield pytest.param(cls, param, bad, id=f"{name}-{param}-{i}")


# --------------------------------------------------------------------------- declarations

def test_the_combined_samplers_are_covered():
    assert {"SMOTEENN", "SMOTETomek"} <= set(NAMES)


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=NAMES)
def test_one_constraint_per_init_parameter(name, cls):
    params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    assert set(cls._parameter_constraints) == set(params), (
        f"{name}: constraints for {sorted(cls._parameter_constraints)}, parameters {sorted(params)}"
    )
    for param, constraints in cls._parameter_constraints.items():
        assert isinstance(constraints, list) and constraints, f"{name}.{param}"
        for c in constraints:
            make_constraint(c)  # every entry is scikit-learn vocabulary


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=NAMES)
def test_defaults_and_check_values_satisfy_the_constraints(name, cls):
    # Declaring a constraint that rejects the default would break every fit.
    construct_sampler(cls)._validate_params()


# --------------------------------------------------------------------------- invalid values

@pytest.mark.parametrize("cls, param, bad", list(_cases()))
def test_invalid_value_raises_naming_the_parameter(cls, param, bad):
    X, y = _data()
    sampler = construct_sampler(cls).set_params(**{param: bad})
    match = rf"The '{param}' parameter of {cls.__name__} must be .* Got .* instead\."
    for method in ("fit_resample", "fit"):
        with pytest.raises(InvalidParameterError, match=match) as info:
            getattr(sampler, method)(X, y)
        assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize("sampler, param", [
    (SMOTE(sampling_strategy="majority"), "sampling_strategy"),
    (RandomOverSampler(sampling_strategy="most"), "sampling_strategy"),
    (RandomUnderSampler(sampling_strategy="minority"), "sampling_strategy"),
    (TomekLinks(sampling_strategy={0: 5}), "sampling_strategy"),
    (RandomUnderSampler(replacement=1), "replacement"),
    (NearMiss(version=3, n_neighbors_ver3=0), "n_neighbors_ver3"),
    (BorderlineSMOTE(kind="borderline-3"), "kind"),
    (SMOTEENN(enn=TomekLinks()), "enn"),
    (SMOTETomek(smote=RandomUnderSampler()), "smote"),
])
def test_family_specific_values(sampler, param):
    X, y = _data()
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of {type(sampler).__name__}"):
        sampler.fit_resample(X, y)


def test_inner_samplers_of_a_combination_are_validated():
    X, y = _data()
    with pytest.raises(InvalidParameterError, match="'k_neighbors' parameter of SMOTE"):
        SMOTEENN(smote=SMOTE(k_neighbors=0)).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'kind_sel' parameter of EditedNearestNeighbours"):
        SMOTEENN(enn=EditedNearestNeighbours(kind_sel="any")).fit_resample(X, y)


def test_constraints_leave_the_data_dependent_checks_to_the_sampler():
    # k_neighbors=10 is a valid value; that the minority class is too small for it is
    # the sampler's own, more specific error.
    X, y = _data()
    y = np.r_[[0] * 55, [1] * 5]
    with pytest.raises(ValueError, match="k_neighbors=10") as info:
        SMOTE(k_neighbors=10).fit_resample(X, y)
    assert not isinstance(info.value, InvalidParameterError)


# --------------------------------------------------------------------------- what is accepted

class _FitKneighborsOnly:
    """A neighbours object with only fit/kneighbors (no kneighbors_graph), as GPU libraries give."""

    def __init__(self, n_neighbors=6):
        self.n_neighbors = n_neighbors

    def get_params(self, deep=True):
        return {"n_neighbors": self.n_neighbors}

    def set_params(self, **params):
        self.n_neighbors = params.get("n_neighbors", self.n_neighbors)
        return self

    def fit(self, X):
        self._nn = NearestNeighbors(n_neighbors=self.n_neighbors).fit(X)
        return self

    def kneighbors(self, X, return_distance=True):
        return self._nn.kneighbors(X, return_distance=return_distance)


@pytest.mark.parametrize("sampler", [
    SMOTE(random_state=np.random.default_rng(0)),
    SMOTE(random_state=np.random.RandomState(0)),
    SMOTE(random_state=np.int64(3)),
    SMOTE(k_neighbors=np.int32(3), sampling_strategy=np.float64(0.9)),
    SMOTE(k_neighbors=_FitKneighborsOnly()),
    SMOTE(sampling_strategy=OrderedDict({1: 40})),
    SMOTE(sampling_strategy=lambda y: {1: 40}),
    RandomOverSampler(shrinkage={1: 0.5}),
    TomekLinks(sampling_strategy=[0]),
    TomekLinks(sampling_strategy=(0, 1)),
    RandomUnderSampler(replacement=np.bool_(True)),
])
def test_valid_values_pass(sampler):
    X, y = _data()
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape[0] == y_res.shape[0]


# --------------------------------------------------------------------------- when it runs

@pytest.mark.parametrize("name, cls", SAMPLERS, ids=NAMES)
def test_bad_values_fail_only_at_fit(name, cls):
    X, y = _data()
    param = "sampling_strategy"
    bad = _BadType()
    with pytest.raises(TypeError):  # not a valid keyword at all: Python's own error
        cls(**cls._check_init_params, not_a_parameter=1)
    sampler = cls(**{**cls._check_init_params, param: bad})  # constructing does not validate
    copy = clone(sampler)  # cloning does not validate either
    fresh = clone(construct_sampler(cls)).set_params(**{param: bad})  # nor does set_params
    for s in (sampler, copy, fresh):
        assert isinstance(s.get_params()[param], _BadType)  # clone deep-copies it
        with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of {name}"):
            s.fit_resample(X, y)


def test_set_params_in_a_pipeline_fails_at_fit():
    X, y = _data()
    pipe = Pipeline([("over", SMOTE()), ("model", LogisticRegression())])
    pipe.set_params(over__k_neighbors="five")
    with pytest.raises(InvalidParameterError, match="'k_neighbors' parameter of SMOTE"):
        pipe.fit(X, y)


@pytest.mark.parametrize("method", ["fit", "fit_resample"])
@pytest.mark.parametrize("name, cls", SAMPLERS, ids=NAMES)
def test_validation_runs_once_per_fit(name, cls, method):
    X, y = _data()
    sampler = construct_sampler(cls)
    if issubclass(cls, BaseCombineSampler) and method == "fit_resample":
        pytest.skip("a combination also validates its inner samplers (once each)")
    with mock.patch.object(BaseSampler, "_validate_params", autospec=True,
                           side_effect=BaseSampler._validate_params) as spy:
        try:
            getattr(sampler, method)(X, y)
        except (ValueError, RuntimeError) as exc:  # data unsuited to this sampler: the count holds
            assert not isinstance(exc, InvalidParameterError)
    assert spy.call_count == 1


def test_combination_validates_each_estimator_once():
    X, y = _data()
    sampler = SMOTEENN(random_state=0)
    with mock.patch.object(BaseSampler, "_validate_params", autospec=True,
                           side_effect=BaseSampler._validate_params) as spy:
        sampler.fit_resample(X, y)
    assert [type(call.args[0]).__name__ for call in spy.call_args_list] == [
        "SMOTEENN", "SMOTE", "EditedNearestNeighbours"]


def test_dask_input_is_validated_before_anything_else():
    da = pytest.importorskip("dask.array")
    X, y = _data()
    # No cluster is needed to learn that the parameter is wrong.
    with pytest.raises(InvalidParameterError, match="'k_neighbors' parameter of SMOTE"):
        SMOTE(k_neighbors=0).fit_resample(da.from_array(X, chunks=30), da.from_array(y, chunks=30))


def test_parameters_without_a_constraint_are_not_checked():
    # A user's sampler inherits its family's constraints; parameters it adds are checked
    # only if it declares them.
    class KeepAll(BaseUnderSampler):
        def __init__(self, *, sampling_strategy="auto", note=None):
            self.sampling_strategy = sampling_strategy
            self.note = note

        def _fit_resample(self, X, codes, plan, seed):
            return Resampled(range(X.shape[0]))

    X, y = _data()
    X_res, _ = KeepAll(note=_BadType()).fit_resample(X, y)
    assert X_res.shape == X.shape
    with pytest.raises(InvalidParameterError, match="'sampling_strategy' parameter of KeepAll"):
        KeepAll(sampling_strategy="minority").fit_resample(X, y)


# --------------------------------------------------------------------------- public functions

FUNCTIONS = [
    datasets.make_imbalance,
    metrics.classification_report_imbalanced,
    metrics.geometric_mean_score,
    metrics.macro_averaged_mean_absolute_error,
    metrics.make_index_balanced_accuracy,
    metrics.sensitivity_score,
    metrics.sensitivity_specificity_support,
    metrics.specificity_score,
]


@pytest.mark.parametrize("func", FUNCTIONS, ids=lambda f: f.__name__)
def test_public_functions_declare_every_parameter(func):
    sig = inspect.signature(func)
    params = {p.name for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    assert set(func._skl_parameter_constraints) == params


@pytest.mark.parametrize("call, param", [
    (lambda: metrics.sensitivity_score([0, 1], [0, 1], average="mega"), "average"),
    (lambda: metrics.specificity_score([0, 1], [0, 1], pos_label=1.5), "pos_label"),
    (lambda: metrics.geometric_mean_score([0, 1], [0, 1], correction=-0.1), "correction"),
    (lambda: metrics.sensitivity_specificity_support([0, 1], [0, 1], warn_for=3), "warn_for"),
    (lambda: metrics.make_index_balanced_accuracy(alpha="0.1"), "alpha"),
    (lambda: metrics.make_index_balanced_accuracy(squared=1), "squared"),
    (lambda: metrics.classification_report_imbalanced([0, 1], [0, 1], digits=-1), "digits"),
    (lambda: metrics.classification_report_imbalanced([0, 1], [0, 1], zero_division=2), "zero_division"),
    (lambda: metrics.macro_averaged_mean_absolute_error(1, [1]), "y_true"),
    (lambda: datasets.make_imbalance([[0], [1]], [0, 1], sampling_strategy=0.5), "sampling_strategy"),
    (lambda: datasets.make_imbalance([[0], [1]], [0, 1], sampling_strategy={0: 1}, verbose="yes"),
     "verbose"),
])
def test_public_function_bad_value_names_the_parameter(call, param):
    with pytest.raises(InvalidParameterError, match=f"The '{param}' parameter of"):
        call()


def test_make_imbalance_accepts_any_mapping_and_a_generator():
    from types import MappingProxyType

    X, y = _data()
    _, y_res = datasets.make_imbalance(X, y, sampling_strategy=MappingProxyType({0: 20}),
                                       random_state=np.random.default_rng(0))
    assert np.bincount(y_res).tolist() == [20, 20]


def test_nested_metric_calls_are_not_validated_again():
    # classification_report_imbalanced calls the other metrics with values it built itself.
    with mock.patch.object(_param_validation, "validate_parameter_constraints",
                           wraps=_param_validation.validate_parameter_constraints) as spy:
        metrics.classification_report_imbalanced([0, 1, 1, 0], [0, 1, 0, 0])
    assert spy.call_count == 1
