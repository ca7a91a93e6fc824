"""Instances of every smotekit estimator for the common tests.

The names and signatures follow imbalanced-learn's module of the same path,
so its ``tests/test_common.py`` runs unchanged against smotekit. Tables are
keyed by class *name*, so an estimator family that is not installed (or not
written yet) simply does not appear.
"""

from __future__ import annotations

import re
import warnings
from functools import partial
from inspect import isfunction

from sklearn import clone, config_context
from sklearn.exceptions import SkipTestWarning
from sklearn.utils._testing import SkipTest

from ..testing import all_estimators

#: Seed given to every estimator with a ``random_state`` unless its entry in
#: ``_INIT_PARAMS`` says otherwise, so the common tests are reproducible.
_DEFAULT_SEED = 42


def _pipeline_steps():
    from sklearn.linear_model import LogisticRegression

    from smotekit.under_sampling import RandomUnderSampler

    return [("sampler", RandomUnderSampler(random_state=0)), ("logistic", LogisticRegression())]


def _pipeline():
    from smotekit.pipeline import Pipeline

    return Pipeline(_pipeline_steps())


def _balanced_bagging():
    from sklearn.linear_model import LogisticRegression

    from smotekit.ensemble import BalancedBaggingClassifier

    return BalancedBaggingClassifier(LogisticRegression(), n_estimators=3, random_state=0)


def _tree():
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(random_state=_DEFAULT_SEED)


#: Constructor arguments per class, one dict per instance to test. A callable
#: value is called at construction, so every instance gets its own sub-estimator.
_INIT_PARAMS = {
    # AdaBoost (the default) rejects NaN; a decision tree accepts it: both paths are tested.
    "EasyEnsembleClassifier": [{}, {"estimator": _tree}],
    "KMeansSMOTE": [{"random_state": 0}],
    "NearMiss": [{"version": 1}, {"version": 2}, {"version": 3}],
    "Pipeline": [{"steps": _pipeline_steps}],
    # Both ways it finds the change of priors: a pipeline's samplers, an ensemble's members.
    "PriorCorrectedClassifier": [{"estimator": lambda: _pipeline()}, {"estimator": _balanced_bagging}],
}

#: Classes the common tests cannot build from defaults alone (SMOTENC needs to
#: be told which columns are categorical, and the generic data have none).
_SKIPPED = {"SMOTENC": "it needs categorical_features, and the common checks' data have no categorical column"}

#: Parameters for one check only (several dicts: the check runs once per dict).
_PER_CHECK_PARAMS = {
    "Pipeline": {
        # The check's labels are iris species names: a plan keyed by them exercises label lookup.
        "check_classifiers_with_encoded_labels": [
            {"sampler__sampling_strategy": {"setosa": 20, "virginica": 20}}
        ],
    },
}

#: Parameters that keep the common checks fast on their small data.
_CHECKING_PARAMS = {
    "ClusterCentroids": lambda: {"voting": "soft", "estimator": _kmeans()},
    "KMeansSMOTE": lambda: {"kmeans_estimator": 12},
    # Its default forest of 100 trees, cross-validated on every call, dominates the checks' time.
    "InstanceHardnessThreshold": lambda: {"estimator": _forest()},
}


#: Instances of the contract checks (``smotekit.utils.estimator_checks.sampler_checks``)
#: besides each class's default: every value of a parameter that selects a different
#: algorithm or path, and custom sub-samplers for the compositions. A callable value is
#: called at construction, so every instance gets its own sub-estimator.
_CONTRACT_VARIANTS = {
    "AllKNN": [{"kind_sel": "mode"}, {"allow_minority": True}],
    "BorderlineSMOTE": [{"kind": "borderline-2"}],
    "CCR": [{"cleaning": "none"}],
    "ClusterCentroids": [{"voting": "soft"}, {"voting": "hard"}],
    "EditedNearestNeighbours": [{"kind_sel": "mode"}],
    "GeometricSMOTE": [{"selection_strategy": "majority", "truncation_factor": -0.5, "deformation_factor": 0.5},
                       {"selection_strategy": "minority"}],
    "KMeansSMOTE": [{"kmeans_estimator": 4}],
    "NearMiss": [{"version": 2}, {"version": 3}],
    "NeighbourhoodCleaningRule": [{"edited_nearest_neighbours": lambda: _enn(kind_sel="mode")}],
    "PolynomFitSMOTE": [{"topology": "bus"}, {"topology": "mesh"}, {"topology": "polynomial"}],
    "RandomOverSampler": [{"shrinkage": 1.0}],
    "RandomUnderSampler": [{"replacement": True}],
    "RepeatedEditedNearestNeighbours": [{"kind_sel": "mode"}],
    "SMOTEENN": [{"smote": lambda: _over("BorderlineSMOTE", kind="borderline-2"),
                  "enn": lambda: _enn(sampling_strategy="all", kind_sel="mode")}],
    "SMOTEN": [{"categorical_encoder": lambda: _encoder("OrdinalEncoder")}],
    "SMOTENC": [{"categorical_encoder": lambda: _encoder("OneHotEncoder")}],
    "SMOTETomek": [{"smote": lambda: _over("SMOTE", k_neighbors=3),
                    "tomek": lambda: _under("TomekLinks", sampling_strategy="all")}],
    "SVMSMOTE": [{"out_step": 0.0}],
}


def _over(name, **params):
    from smotekit import over_sampling

    return getattr(over_sampling, name)(**params)


def _under(name, **params):
    from smotekit import under_sampling

    return getattr(under_sampling, name)(**params)


def _enn(**params):
    return _under("EditedNearestNeighbours", **params)


def _encoder(name):
    from sklearn import preprocessing

    return getattr(preprocessing, name)()


#: Parameters of every contract instance of a class: a forest of 100 trees, cross-validated
#: at each fit, would take most of the contract's run time for no other path.
_CONTRACT_FAST = {
    "InstanceHardnessThreshold": {"estimator": lambda: _forest()},
}


def _contract_instances(Sampler):
    """Yield the instances of ``Sampler`` the contract checks run on: its default
    (with ``_check_init_params`` for parameters without one, and ``_CONTRACT_FAST``),
    then every entry of ``_CONTRACT_VARIANTS``."""
    base = {**getattr(Sampler, "_check_init_params", {}), **_CONTRACT_FAST.get(Sampler.__name__, {})}
    for params in [{}, *_CONTRACT_VARIANTS.get(Sampler.__name__, [])]:
        params = {**base, **params}
        yield Sampler(**{key: value() if callable(value) else value for key, value in params.items()})


def _kmeans():
    from sklearn.cluster import KMeans

    return KMeans(random_state=0, algorithm="lloyd", n_init=1)


def _forest():
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=10, random_state=0)


def _construct_instances(Estimator):
    """Yield the instances of ``Estimator`` the common tests run on.

    Raises
    ------
    SkipTest
        If the class cannot be built for the common tests (see ``_SKIPPED``).
    """
    name = Estimator.__name__
    if name in _SKIPPED:
        message = f"Can't instantiate estimator {name}: {_SKIPPED[name]}"
        warnings.warn(message, SkipTestWarning, stacklevel=2)
        raise SkipTest(message)
    for params in _INIT_PARAMS.get(name, [{}]):
        params = {key: value() if callable(value) else value for key, value in params.items()}
        estimator = Estimator(**params)
        if "random_state" in estimator.get_params(deep=False) and "random_state" not in params:
            estimator.set_params(random_state=_DEFAULT_SEED)
        yield estimator


def _tested_estimators(type_filter=None):
    """Yield one or more instances of every estimator ``all_estimators`` lists."""
    for _, Estimator in all_estimators(type_filter=type_filter):
        try:
            yield from _construct_instances(Estimator)
        except SkipTest:
            continue


def _set_checking_parameters(estimator):
    """Adjust ``estimator`` in place so the common checks run quickly."""
    params = estimator.get_params()
    if "n_estimators" in params:
        estimator.set_params(n_estimators=min(5, params["n_estimators"]))
    extra = _CHECKING_PARAMS.get(type(estimator).__name__)
    if extra is not None:
        estimator.set_params(**extra())


def _get_check_estimator_ids(obj):
    """pytest id of a common-test parameter.

    An estimator reads as its repr with only the non-default parameters and
    no whitespace; a check reads as its function name, followed by its
    keyword arguments when it is a ``functools.partial`` that has some.
    Anything else gets pytest's default id (None).
    """
    if isfunction(obj):
        return obj.__name__
    if isinstance(obj, partial):
        if not obj.keywords:
            return obj.func.__name__
        kwargs = ",".join(f"{key}={value}" for key, value in obj.keywords.items())
        return f"{obj.func.__name__}({kwargs})"
    if hasattr(obj, "get_params"):
        with config_context(print_changed_only=True):
            return re.sub(r"\s", "", str(obj))
    return None


def _check_name(check):
    while hasattr(check, "__wrapped__"):
        check = check.__wrapped__
    return check.func.__name__ if isinstance(check, partial) else check.__name__


def _yield_instances_for_check(check, estimator_orig):
    """Yield the instances one check runs on: ``estimator_orig`` itself, unless
    ``_PER_CHECK_PARAMS`` asks for variants of it for this check."""
    variants = _PER_CHECK_PARAMS.get(type(estimator_orig).__name__, {}).get(_check_name(check))
    if variants is None:
        yield estimator_orig
        return
    for params in variants:
        yield clone(estimator_orig).set_params(**params)


def _get_expected_failed_checks(estimator):
    """Checks expected to fail for ``estimator``, as ``{check name: reason}``.

    Always empty: smotekit keeps its list of expected differences from
    imbalanced-learn's tests in one place, the test harness's
    ``tests/imblearn_suite/known_differences.py``, where each entry is a
    strict expected failure that must keep failing.
    """
    return {}
