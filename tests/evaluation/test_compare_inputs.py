"""compare() on the inputs people give it: labels as they are, failing options, costs, copies of options."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from smotekit import FunctionSampler
from smotekit.evaluation import compare
from smotekit.over_sampling import SMOTE
from smotekit.pipeline import Pipeline
from smotekit.under_sampling import RandomUnderSampler


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=240, n_features=5, weights=[0.8], random_state=0)
    return X, np.where(y == 1, "yes", "no")


def test_estimators_see_the_labels_as_given(data):
    X, y = data
    # Parameters that name classes by label work: a sampler's strategy and the model's class weights.
    comp = compare(X, y, LogisticRegression(class_weight={"no": 1, "yes": 5}), cv="2x1", check_leak=False,
                   methods=["none", ("rus", RandomUnderSampler(sampling_strategy={"no": 60, "yes": 20},
                                                               random_state=0))])
    assert comp.errors == {} and np.isfinite(comp.scores[..., :-1]).all()
    assert comp.classes == ["no", "yes"] and comp.positive_label == "yes"


def test_a_failing_correction_leaves_its_plain_option_alone(data):
    X, y = data
    half = FunctionSampler(func=lambda X, y: (X[::2], y[::2]))  # no sampling_plan_: nothing to correct with
    comp = compare(X, y, LogisticRegression(), cv="2x1", metrics=["f1"], check_leak=False,
                   methods=["none", ("fs", half), "fs+prior"])
    assert "fs" not in comp.errors and np.isfinite(comp.fold_scores("fs", "f1")).all()
    assert "sampling_plan_" in comp.errors["fs+prior"]


def test_a_baseline_that_never_runs_is_an_error(data):
    X, y = data

    class Broken(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            raise RuntimeError("cannot fit")

    with pytest.raises(ValueError, match="baseline 'none' could not be scored on any fold.*cannot fit"):
        compare(X, y, Broken(), methods=["none", "threshold"], cv="2x1", check_leak=False)


def test_a_sampler_named_with_a_modifier_runs_only_that_option(data):
    X, y = data
    comp = compare(X, y, LogisticRegression(), cv="2x1", metrics=["log_loss"], check_leak=False,
                   methods=["none", ("SMOTE+prior", SMOTE(random_state=0))])
    assert comp.options == ["none", "SMOTE+prior"] and comp.kinds["SMOTE+prior"] == "resampler+prior"


def test_a_pipeline_with_a_sampler_counts_as_resampling(data):
    X, y = data
    pipe = Pipeline([("over", SMOTE(random_state=0)), ("under", RandomUnderSampler(random_state=0)),
                     ("model", LogisticRegression())])
    comp = compare(X, y, LogisticRegression(), cv="2x1", metrics=["log_loss"], check_leak=False,
                   methods=["none", ("chain", pipe), "chain+prior"])
    assert comp.kinds["chain"] == "resampler" and comp.errors == {}


def test_costs_pair_binary_matrix_multiclass(data):
    X, y = data
    comp = compare(X, y, LogisticRegression(), methods=["none"], cv="2x1", cost=np.array([[0, 1], [5, 0]]),
                   metrics=["f1"], check_leak=False)
    assert comp.metrics == ["f1", "cost"] and np.isfinite(comp.fold_scores("none", "cost")).all()
    X3, y3 = make_classification(n_samples=240, n_features=5, n_informative=3, n_classes=3, random_state=0)
    with pytest.raises(ValueError, match=r"give a \(3, 3\) matrix"):
        compare(X3, y3, LogisticRegression(), methods=["none"], cv="2x1", cost=(1, 5), check_leak=False)
    comp = compare(X3, y3, LogisticRegression(), methods=["none"], cv="2x1", cost=np.ones((3, 3)) - np.eye(3),
                   metrics=["f1"], check_leak=False)
    assert np.isfinite(comp.fold_scores("none", "cost")).all()


def test_options_equal_by_construction_stay_out_of_the_holm_family(data):
    X, y = data
    comp = compare(X, y, LogisticRegression(), cv="3x2", metrics=["roc_auc", "f1"], check_leak=False,
                   methods=["none", "threshold", "SMOTE", "SMOTE+threshold", "SMOTE+prior"])
    by = {(d.option, d.metric): d for d in comp.differences()}
    # The tuned threshold and the correction leave ROC AUC as it is: they read their source's test.
    assert by["threshold", "roc_auc"].pvalue_holm == 1.0
    assert by["SMOTE+threshold", "roc_auc"].pvalue_holm == by["SMOTE", "roc_auc"].pvalue_holm
    assert by["SMOTE+prior", "roc_auc"].pvalue_holm == by["SMOTE", "roc_auc"].pvalue_holm
    # With one real test left in the ROC AUC family, Holm does not adjust it.
    assert by["SMOTE", "roc_auc"].pvalue_holm == pytest.approx(by["SMOTE", "roc_auc"].test.pvalue)


def test_an_option_that_failed_somewhere_is_not_marked_best(data):
    X, y = data
    comp = compare(X, y, LogisticRegression(), cv="2x1", metrics=["f1"], check_leak=False, methods=["none", "SMOTE"])
    comp.errors["SMOTE"] = "RuntimeError: failed on a fold"
    comp.scores[comp.options.index("SMOTE")] = 1.0  # a perfect mean over the folds it ran on
    assert comp.best()["f1"] == ["none"]


def test_decision_values_rank_without_probabilities(data):
    X, y = data
    comp = compare(X, y, LinearSVC(), methods=["none", "SMOTE"], cv="2x1", metrics=["roc_auc", "log_loss"],
                   check_leak=False)
    assert np.isfinite(comp.fold_scores("none", "roc_auc")).all()
    assert np.isnan(comp.fold_scores("none", "log_loss")).all()
