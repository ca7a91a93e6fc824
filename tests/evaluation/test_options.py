"""Which estimator each option name stands for, what is skipped and why, and what is refused."""

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import make_classification
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from smotekit import ensemble
from smotekit.evaluation import compare
from smotekit.evaluation._options import ENSEMBLES, all_methods, plan_units
from smotekit.over_sampling import SMOTE, RandomOverSampler
from smotekit.pipeline import Pipeline
from smotekit.under_sampling import RandomUnderSampler


def _plan(methods, model=None, *, n_classes=2, random_state=0):
    return plan_units(methods, LogisticRegression() if model is None else model, n_classes=n_classes,
                      random_state=random_state)


def _unit_of(units, option):
    (unit,) = [u for u in units if option in u.reads]
    return unit


@pytest.fixture(scope="module")
def binary():
    return make_classification(n_samples=90, n_features=4, weights=[0.8], random_state=3)


# ---------------------------------------------------------------------------------------------
# names and modifiers


def test_threshold_alone_is_none_plus_threshold():
    units, options, skipped = _plan(["none", "threshold", "none+threshold"])
    assert options == ["none", "threshold", "none+threshold"] and skipped == {}
    # One fitted unit serves all three rows: the modifiers change how its output is read.
    (unit,) = units
    assert unit.base == "none"
    assert unit.reads == {"none": "plain", "threshold": "threshold", "none+threshold": "threshold"}


def test_threshold_and_none_plus_threshold_score_the_same(binary):
    X, y = binary
    comp = compare(X, y, LogisticRegression(), methods=["none", "threshold", "none+threshold"], cv="2x1",
                   threshold_cv=2, metrics=["f1", "mcc", "log_loss"], check_leak=False)
    np.testing.assert_array_equal(comp.fold_scores("threshold", "f1"), comp.fold_scores("none+threshold", "f1"))
    np.testing.assert_array_equal(comp.thresholds[1], comp.thresholds[2])
    assert np.isfinite(comp.thresholds[1]).all() and np.isnan(comp.thresholds[0]).all()


def test_modifiers_share_one_fit_per_base():
    units, options, _ = _plan(["SMOTE", "SMOTE+threshold", "SMOTE+prior", "none"])
    assert [u.base for u in units] == ["SMOTE", "none"]
    assert units[0].reads == {"SMOTE": "plain", "SMOTE+threshold": "threshold", "SMOTE+prior": "prior"}
    assert units[0].is_sampler and units[0].tune and units[0].prior
    assert not units[1].is_sampler and not units[1].tune and not units[1].prior


def test_modifier_names_ignore_case_and_spaces():
    units, options, skipped = _plan(["SMOTE + Threshold", " THRESHOLD "])
    assert skipped == {}
    assert options == ["SMOTE + Threshold", "THRESHOLD"]
    assert _unit_of(units, "SMOTE + Threshold").reads["SMOTE + Threshold"] == "threshold"


def test_duplicate_names_are_dropped():
    _, options, _ = _plan(["none", "smote", "none", "smote"])
    assert options == ["none", "smote"]


@pytest.mark.parametrize("name", ["no-such-sampler", "smoteee"])
def test_unknown_base_name_is_refused_by_name(name):
    with pytest.raises(ValueError, match=name):
        _plan(["none", name])


@pytest.mark.parametrize(("name", "named"), [("smote+foo", "foo"), ("none+thresh", "thresh"),
                                             ("smote+threshold+bar", "bar")])
def test_unknown_modifier_is_refused_by_name(name, named):
    with pytest.raises(ValueError, match=rf"(?s){name.replace('+', '[+]')}.*{named}"):
        _plan([name])


def test_two_modifiers_are_refused():
    with pytest.raises(ValueError, match="one modifier"):
        _plan(["smote+threshold+prior"])


def test_modifier_without_base_is_refused():
    with pytest.raises(ValueError, match="put a method before"):
        _plan(["+threshold"])


def test_sampler_that_needs_parameters_asks_for_a_pair():
    with pytest.raises(ValueError, match=r"SMOTENC needs categorical_features.*pair"):
        _plan(["smotenc"])


# ---------------------------------------------------------------------------------------------
# balanced


def test_balanced_sets_class_weight_on_a_copy():
    model = LogisticRegression(C=0.5)
    units, _, skipped = _plan(["balanced"], model)
    assert skipped == {}
    est = units[0].estimator
    assert est is not model and est.get_params()["class_weight"] == "balanced" and est.C == 0.5
    assert model.class_weight is None


def test_balanced_skipped_with_reason_for_model_without_class_weight(binary):
    units, options, skipped = _plan(["none", "balanced"], KNeighborsClassifier())
    assert options == ["none"]
    assert "KNeighborsClassifier" in skipped["balanced"] and "class_weight" in skipped["balanced"]
    X, y = binary
    comp = compare(X, y, KNeighborsClassifier(), methods=["none", "balanced"], cv="2x1", metrics=["f1"],
                   check_leak=False)
    assert comp.options == ["none"] and "balanced" in comp.skipped


def test_balanced_through_a_pipeline_sets_the_last_step():
    model = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())])
    units, options, skipped = _plan(["balanced"], model)
    assert options == ["balanced"] and skipped == {}
    est = units[0].estimator
    assert est.get_params()["clf__class_weight"] == "balanced"
    assert model.get_params()["clf__class_weight"] is None


def test_balanced_ignores_class_weight_of_an_earlier_step():
    # The selector's LogisticRegression takes class_weight, but the model that predicts (KNN) does not.
    model = Pipeline([("select", SelectFromModel(LogisticRegression())), ("knn", KNeighborsClassifier())])
    _, options, skipped = _plan(["balanced"], model)
    assert options == [] and "KNeighborsClassifier" in skipped["balanced"]


def test_balanced_in_nested_pipeline_reaches_the_predicting_model():
    inner = Pipeline([("scale", StandardScaler()), ("tree", DecisionTreeClassifier())])
    model = Pipeline([("prep", StandardScaler()), ("inner", inner)])
    units, _, skipped = _plan(["balanced"], model)
    assert skipped == {}
    assert units[0].estimator.get_params()["inner__tree__class_weight"] == "balanced"


def test_balanced_changes_the_scores(binary):
    X, y = binary
    comp = compare(X, y, LogisticRegression(), methods=["none", "balanced"], cv="2x1", metrics=["log_loss"],
                   check_leak=False)
    assert not np.array_equal(comp.fold_scores("none", "log_loss"), comp.fold_scores("balanced", "log_loss"))


def test_calibrated_wraps_a_clone_of_the_model():
    model = LogisticRegression(C=0.3)
    units, _, _ = _plan(["calibrated"], model)
    est = units[0].estimator
    assert isinstance(est, CalibratedClassifierCV) and not units[0].is_sampler
    assert isinstance(est.estimator, LogisticRegression) and est.estimator is not model and est.estimator.C == 0.3


# ---------------------------------------------------------------------------------------------
# skipped modifiers


@pytest.mark.parametrize("name", ["threshold", "smote+threshold", "none+threshold"])
def test_threshold_skipped_on_multiclass(name):
    units, options, skipped = _plan(["none", name], n_classes=3)
    assert options == ["none"] and "two classes" in skipped[name]
    assert not any(u.tune for u in units)


def test_threshold_skipped_on_multiclass_in_compare():
    X, y = make_classification(n_samples=120, n_features=5, n_informative=3, n_classes=3,
                               weights=[0.6, 0.3, 0.1], random_state=0)
    comp = compare(X, y, LogisticRegression(), methods=["none", "threshold", "smote", "smote+threshold"],
                   cv="2x1", metrics=["f1", "log_loss"], check_leak=False)
    assert comp.options == ["none", "smote"]
    assert set(comp.skipped) == {"threshold", "smote+threshold"}
    assert np.isfinite(comp.scores).all()


@pytest.mark.parametrize("name", ["none+prior", "balanced+prior", "calibrated+prior"])
def test_prior_on_a_non_sampler_is_skipped(name):
    _, options, skipped = _plan(["none", name])
    assert options == ["none"] and "no sampler" in skipped[name]


def test_prior_on_a_sampler_pair_applies():
    units, options, skipped = _plan([("rus", RandomUnderSampler(random_state=1)), "rus+prior"])
    assert options == ["rus", "rus+prior"] and skipped == {}
    assert units[0].reads == {"rus": "plain", "rus+prior": "prior"}


# ---------------------------------------------------------------------------------------------
# pairs, instances and ensembles


def test_sampler_pair_builds_a_pipeline_around_a_clone():
    sampler = RandomOverSampler(random_state=7, shrinkage=0.5)
    units, options, _ = _plan([("ros", sampler)])
    assert options == ["ros"]
    est = units[0].estimator
    assert isinstance(est, Pipeline) and units[0].is_sampler
    inner = est.steps[0][1]
    assert isinstance(inner, RandomOverSampler) and inner is not sampler
    assert inner.get_params() == sampler.get_params()
    assert isinstance(est.steps[-1][1], LogisticRegression)


def test_sampler_instance_is_named_by_its_class():
    units, options, _ = _plan([SMOTE(k_neighbors=3, random_state=0)])
    assert options == ["SMOTE"]
    assert units[0].estimator.steps[0][1].k_neighbors == 3


def test_estimator_pair_is_used_as_given():
    tree = DecisionTreeClassifier(max_depth=2)
    units, options, _ = _plan([("tree", tree)])
    assert options == ["tree"] and not units[0].is_sampler
    assert isinstance(units[0].estimator, DecisionTreeClassifier) and units[0].estimator is not tree


def test_pair_name_with_plus_is_taken_whole():
    units, options, skipped = _plan([("a+b", RandomUnderSampler()), "a+b+prior", "a+b+threshold"])
    assert options == ["a+b", "a+b+prior", "a+b+threshold"] and skipped == {}
    (unit,) = units
    assert unit.reads == {"a+b": "plain", "a+b+prior": "prior", "a+b+threshold": "threshold"}


@pytest.mark.parametrize("item", [3, ("name",), ("name", "not an estimator"), (1, SMOTE())])
def test_malformed_method_is_a_type_error(item):
    with pytest.raises(TypeError, match="name, a sampler or a"):
        _plan([item])


def test_regressor_is_refused():
    with pytest.raises(TypeError, match="LinearRegression"):
        _plan(["none"], LinearRegression())


def test_samplers_by_name_get_the_random_state():
    units, _, _ = _plan(["smote", "rus"], random_state=11)
    assert [u.estimator.steps[0][1].random_state for u in units] == [11, 11]
    # A sampler given with its own random_state keeps it.
    units, _, _ = _plan([("s", SMOTE(random_state=5))], random_state=11)
    assert units[0].estimator.steps[0][1].random_state == 5


@pytest.mark.parametrize(("name", "cls"), [
    ("balanced-bagging", ensemble.BalancedBaggingClassifier),
    ("Balanced_Bagging", ensemble.BalancedBaggingClassifier),
    ("balanced-random-forest", ensemble.BalancedRandomForestClassifier),
    ("easy-ensemble", ensemble.EasyEnsembleClassifier),
    ("easy ensemble", ensemble.EasyEnsembleClassifier),
    ("rusboost", ensemble.RUSBoostClassifier),
])
def test_ensembles_by_name(name, cls):
    units, options, _ = _plan([name], random_state=4)
    est = units[0].estimator
    assert options == [name] and type(est) is cls and not units[0].is_sampler
    assert est.random_state == 4
    if cls is ensemble.BalancedBaggingClassifier:
        assert isinstance(est.estimator, LogisticRegression)


def test_ensembles_run_in_compare(binary):
    X, y = binary
    comp = compare(X, y, DecisionTreeClassifier(random_state=0), methods=["none", "balanced-bagging", "rusboost"],
                   cv="2x1", metrics=["roc_auc"], check_leak=False)
    assert comp.errors == {}
    assert comp.kinds == {"none": "model", "balanced-bagging": "ensemble", "rusboost": "ensemble"}
    assert np.isfinite(comp.scores).all()


# ---------------------------------------------------------------------------------------------
# 'all'


def test_all_methods_binary_and_multiclass():
    out = all_methods(["A", "B"], n_classes=2)
    assert out == ["none", "threshold", "balanced", "calibrated", "A", "B", *ENSEMBLES,
                   "A+threshold", "B+threshold", "A+prior", "B+prior", "balanced-bagging+prior",
                   "balanced-random-forest+prior", "easy-ensemble+prior"]
    out = all_methods(["A"], n_classes=3, ensembles=False)
    assert out == ["none", "balanced", "calibrated", "A", "A+prior"]


def test_all_options_plan_without_error():
    from smotekit.evaluation._options import numeric_samplers

    names = numeric_samplers(2)
    assert "SMOTE" in names and "RandomUnderSampler" in names and "SMOTENC" not in names
    units, options, skipped = _plan(all_methods(names, n_classes=2))
    assert skipped == {}
    # every averaging ensemble (all but rusboost) also +prior
    assert len(options) == 4 + len(names) * 3 + len(ENSEMBLES) + len(ENSEMBLES) - 1
    assert len(units) == 3 + len(names) + len(ENSEMBLES)


def test_prior_applies_to_averaging_ensembles_not_to_boosting(binary):
    X, y = binary
    comp = compare(X, y, DecisionTreeClassifier(random_state=0), cv="2x1", metrics=["log_loss"], check_leak=False,
                   methods=["none", "balanced-bagging+prior", "rusboost+prior"])
    assert comp.options == ["none", "balanced-bagging+prior"] and comp.errors == {}
    assert comp.kinds["balanced-bagging+prior"] == "ensemble+prior"
    assert "rusboost+prior" in comp.skipped


@pytest.mark.slow
def test_all_runs_on_a_tiny_data_set():
    X, y = make_classification(n_samples=80, n_features=4, weights=[0.75], random_state=0)
    comp = compare(X, y, LogisticRegression(), methods="all", cv="2x1", threshold_cv=2,
                   metrics=["f1", "log_loss"], check_leak=False)
    assert {"none", "threshold", "SMOTE", "SMOTE+threshold", "SMOTE+prior", "easy-ensemble"} <= set(comp.options)
    assert comp.skipped == {}
    ran = [o for o in comp.options if o not in comp.errors]
    # Most options run on 80 rows; a failure is recorded, never raised.
    assert len(ran) >= 0.8 * len(comp.options)
    for option in ran:
        assert np.isfinite(comp.fold_scores(option, "log_loss")).all(), option
