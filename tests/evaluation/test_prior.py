"""PriorCorrectedClassifier and expected_calibration_error."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.svm import LinearSVC

from smotekit import FunctionSampler
from smotekit.combine import SMOTEENN
from smotekit.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from smotekit.evaluation import PriorCorrectedClassifier, expected_calibration_error
from smotekit.over_sampling import SMOTE, RandomOverSampler
from smotekit.pipeline import make_pipeline
from smotekit.under_sampling import RandomUnderSampler, TomekLinks


class FixedProba(ClassifierMixin, BaseEstimator):
    """A classifier whose probabilities are given: the same row for every sample."""

    def __init__(self, row=None):
        self.row = row

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.tile(np.asarray(self.row, dtype=float), (len(X), 1))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


@pytest.fixture(scope="module")
def binary():
    return make_classification(n_samples=600, weights=[0.85, 0.15], n_informative=3, random_state=0)


def _shares_change(samplers, X, y):
    """Hand count: run the samplers one after another and divide rows per class."""
    classes = np.unique(y)
    ratio = np.ones(len(classes))
    for sampler in samplers:
        X_res, y_res = clone(sampler).fit_resample(X, y)
        ratio *= np.array([np.sum(y_res == c) / np.sum(y == c) for c in classes])
        X, y = X_res, y_res
    return ratio


def test_binary_matches_dal_pozzolo(binary):
    X, y = binary
    model = PriorCorrectedClassifier(make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression()))
    model.fit(X, y)
    beta = np.sum(y == 1) / np.sum(y == 0)  # the share of the majority kept: balanced output
    p = model.estimator_.predict_proba(X)[:, 1]
    expected = beta * p / (beta * p - p + 1)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], expected, rtol=1e-12)
    np.testing.assert_allclose(model.prior_ratio_, [beta, 1.0])
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(model.predict_proba(X)))


def test_multiclass_hand_computed():
    X = np.arange(200, dtype=float).reshape(100, 2)
    y = np.repeat([0, 1, 2], [60, 30, 10])
    pipe = make_pipeline(RandomUnderSampler(sampling_strategy={0: 10, 1: 15}, random_state=0),
                         FixedProba(row=[0.2, 0.3, 0.5]))
    model = PriorCorrectedClassifier(pipe).fit(X, y)
    np.testing.assert_allclose(model.prior_ratio_, [1 / 6, 1 / 2, 1])
    # p / r = (1.2, 0.6, 0.5), total 2.3
    np.testing.assert_allclose(model.predict_proba(X[:2]), [[12 / 23, 6 / 23, 5 / 23]] * 2)
    np.testing.assert_array_equal(model.predict(X[:2]), [0, 0])  # uncorrected argmax is class 2
    np.testing.assert_allclose(model.training_prior_, [10 / 35, 15 / 35, 10 / 35])
    np.testing.assert_allclose(model.true_prior_, [0.6, 0.3, 0.1])


@pytest.mark.parametrize("estimator", [LogisticRegression(), make_pipeline(LogisticRegression())])
def test_identity_without_samplers(binary, estimator):
    X, y = binary
    model = PriorCorrectedClassifier(estimator).fit(X, y)
    np.testing.assert_array_equal(model.prior_ratio_, [1.0, 1.0])
    np.testing.assert_array_equal(model.predict_proba(X), model.estimator_.predict_proba(X))
    np.testing.assert_array_equal(model.predict(X), model.estimator_.predict(X))


@pytest.mark.parametrize("samplers", [
    [RandomUnderSampler(random_state=0)],
    [RandomOverSampler(random_state=0)],
    [SMOTE(random_state=0)],
    [TomekLinks()],
    [SMOTEENN(random_state=0)],
    [SMOTE(sampling_strategy=0.5, random_state=0), TomekLinks(), RandomUnderSampler(random_state=0)],
], ids=["under", "over", "smote", "tomek", "smoteenn", "chained"])
def test_ratio_equals_hand_count(binary, samplers):
    X, y = binary
    model = PriorCorrectedClassifier(make_pipeline(*samplers, LogisticRegression())).fit(X, y)
    np.testing.assert_allclose(model.prior_ratio_, _shares_change(samplers, X, y), rtol=1e-12)
    assert len(model.samplers_) == len(samplers)


def test_chained_samplers_multiply(binary):
    X, y = binary
    first, second = SMOTE(sampling_strategy=0.5, random_state=0), RandomUnderSampler(random_state=0)
    chained = PriorCorrectedClassifier(make_pipeline(first, second, LogisticRegression())).fit(X, y)
    alone = PriorCorrectedClassifier(make_pipeline(first, LogisticRegression())).fit(X, y)
    X_mid, y_mid = clone(first).fit_resample(X, y)
    after = PriorCorrectedClassifier(make_pipeline(second, LogisticRegression())).fit(X_mid, y_mid)
    np.testing.assert_allclose(chained.prior_ratio_, alone.prior_ratio_ * after.prior_ratio_)


def test_string_labels_and_bare_sampler_pipeline():
    X, y = make_classification(n_samples=300, weights=[0.8, 0.2], random_state=2)
    labels = np.where(y == 1, "yes", "no")
    model = PriorCorrectedClassifier(make_pipeline(RandomOverSampler(random_state=0), LogisticRegression()))
    model.fit(X, labels)
    np.testing.assert_allclose(model.prior_ratio_, [1.0, np.sum(y == 0) / np.sum(y == 1)])
    assert set(model.predict(X)) <= {"yes", "no"}


def test_clone_params_cross_val_and_grid(binary):
    X, y = binary
    model = PriorCorrectedClassifier(make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression()))
    cloned = clone(model)
    assert not hasattr(cloned, "estimator_")
    assert "estimator__logisticregression__C" in model.get_params()
    scores = cross_val_score(model, X, y, cv=StratifiedKFold(3), scoring="neg_log_loss")
    assert scores.shape == (3,) and np.all(np.isfinite(scores))
    grid = GridSearchCV(model, {"estimator__logisticregression__C": [0.1, 1.0]}, cv=3,
                        scoring="neg_log_loss").fit(X, y)
    assert grid.best_params_["estimator__logisticregression__C"] in (0.1, 1.0)


def test_corrected_probabilities_close_to_unresampled():
    X, y = make_classification(n_samples=40_000, n_features=10, n_informative=5, weights=[20 / 21],
                               flip_y=0, class_sep=0.8, random_state=0)
    X_train, X_test, y_train = X[:30_000], X[30_000:], y[:30_000]
    plain = LogisticRegression().fit(X_train, y_train).predict_proba(X_test)[:, 1]
    model = PriorCorrectedClassifier(make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression()))
    model.fit(X_train, y_train)
    corrected = model.predict_proba(X_test)[:, 1]
    uncorrected = model.estimator_.predict_proba(X_test)[:, 1]
    # Under-sampling leaves ~2,900 training rows, so the corrected model differs by its own variance.
    assert np.mean(np.abs(corrected - plain)) < 0.03
    assert np.mean(np.abs(uncorrected - plain)) > 5 * np.mean(np.abs(corrected - plain))


def test_error_without_predict_proba(binary):
    X, y = binary
    with pytest.raises(TypeError, match="predict_proba.*CalibratedClassifierCV"):
        PriorCorrectedClassifier(make_pipeline(RandomUnderSampler(), LinearSVC())).fit(X, y)


def test_nested_pipeline(binary):
    X, y = binary
    inner = make_pipeline(SMOTE(random_state=0), LogisticRegression())
    model = PriorCorrectedClassifier(make_pipeline(RandomUnderSampler(sampling_strategy=0.5, random_state=0), inner))
    model.fit(X, y)
    n_min, n_maj = np.sum(y == 1), np.sum(y == 0)
    # the majority is cut to twice the minority, then SMOTE doubles the minority
    np.testing.assert_allclose(model.prior_ratio_, [2 * n_min / n_maj, 2.0])
    assert len(model.samplers_) == 2


def test_error_for_sampler_without_plan(binary):
    X, y = binary
    sampler = FunctionSampler(func=lambda X, y: (X[:300], y[:300]))
    with pytest.raises(ValueError, match="FunctionSampler has no 'sampling_plan_'"):
        PriorCorrectedClassifier(make_pipeline(sampler, LogisticRegression())).fit(X, y)


def test_no_decision_function(binary):
    assert not hasattr(PriorCorrectedClassifier(LogisticRegression()), "decision_function")


def test_ece_hand_computed():
    # 3 bins of width 1/3: bin 0 holds 0.1, 0.2 (outcomes 0, 1); bin 1 holds 0.5 (1);
    # bin 2 holds 0.9, 1.0 (1, 1). |1 - 0.3| + |1 - 0.5| + |2 - 1.9| = 0.7 + 0.5 + 0.1, over 5 rows.
    y_true = [0, 1, 1, 1, 1]
    y_prob = [0.1, 0.2, 0.5, 0.9, 1.0]
    assert expected_calibration_error(y_true, y_prob, n_bins=3) == pytest.approx(1.3 / 5)
    assert expected_calibration_error([0, 1], [0.0, 1.0]) == 0.0


def test_ece_top_label():
    proba = np.array([[0.7, 0.3], [0.4, 0.6], [0.9, 0.1]])
    # confidences 0.7, 0.6, 0.9 (two bins of 0.5 width: all in bin 1), correct: yes, no, yes
    assert expected_calibration_error([0, 0, 0], proba, n_bins=2) == pytest.approx(abs(2 - 2.2) / 3)


@pytest.mark.parametrize("y_true, y_prob, n_bins, match", [
    ([0, 2], [0.1, 0.2], 15, "0/1 outcomes"),
    ([0, 1], [0.1, 1.2], 15, r"\[0, 1\]"),
    ([0, 1], [0.1], 15, "same, non-zero length"),
    ([0, 1], [0.1, 0.2], 0, "n_bins"),
])
def test_ece_errors(y_true, y_prob, n_bins, match):
    with pytest.raises(ValueError, match=match):
        expected_calibration_error(y_true, y_prob, n_bins=n_bins)


# --- balanced ensembles: members' common prior ratio ---------------------------------


def _hand_correct(proba, ratio):
    weighted = proba / ratio
    return weighted / weighted.sum(axis=1, keepdims=True)


def _true_shares(y):
    return np.unique(y, return_counts=True)[1] / len(y)


@pytest.mark.parametrize("ensemble", [
    BalancedBaggingClassifier(LogisticRegression(), n_estimators=5, random_state=0),
    BalancedBaggingClassifier(LogisticRegression(), n_estimators=5, bootstrap=False, random_state=0),
    EasyEnsembleClassifier(n_estimators=3, random_state=0),
    BalancedRandomForestClassifier(n_estimators=10, random_state=0),
    BalancedRandomForestClassifier(n_estimators=10, bootstrap=True, random_state=0),
    BalancedRandomForestClassifier(n_estimators=10, bootstrap=True, class_weight="balanced_subsample",
                                   random_state=0),
], ids=["bagging", "bagging-no-bootstrap", "easy", "forest", "forest-bootstrap", "forest-subsample"])
def test_balanced_ensemble_binary_closed_form(binary, ensemble):
    X, y = binary
    model = PriorCorrectedClassifier(ensemble).fit(X, y)
    # Every member is balanced: each class's ratio is 0.5 over its share in y.
    np.testing.assert_allclose(model.prior_ratio_, 0.5 / _true_shares(y), rtol=1e-12)
    np.testing.assert_allclose(model.training_prior_, [0.5, 0.5], rtol=1e-12)
    np.testing.assert_allclose(model.true_prior_, _true_shares(y))
    assert model.samplers_ == []
    averaged = model.estimator_.predict_proba(X)
    np.testing.assert_allclose(model.predict_proba(X), _hand_correct(averaged, 0.5 / _true_shares(y)), rtol=1e-12)


def test_bagging_matches_dal_pozzolo(binary):
    X, y = binary
    model = PriorCorrectedClassifier(BalancedBaggingClassifier(LogisticRegression(), n_estimators=4, random_state=0))
    model.fit(X, y)
    beta = np.sum(y == 1) / np.sum(y == 0)
    p = model.estimator_.predict_proba(X)[:, 1]
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], beta * p / (beta * p - p + 1), rtol=1e-12)


@pytest.mark.parametrize("labels", [[0, 1, 2], ["a", "b", "c"]], ids=["int", "str"])
def test_bagging_multiclass_dict_strategy(labels):
    # Counts fixed by the strategy: the bags differ, the members' shares do not.
    X = np.arange(400, dtype=float).reshape(200, 2)
    y = np.repeat(np.array(labels, dtype=object if isinstance(labels[0], str) else int), [120, 60, 20])
    strategy = dict(zip(labels, [10, 8, 5]))
    bag = BalancedBaggingClassifier(FixedProba(row=[0.2, 0.3, 0.5]), n_estimators=6, sampling_strategy=strategy,
                                    random_state=0)
    model = PriorCorrectedClassifier(bag).fit(X, y)
    shares = np.array([10, 8, 5]) / 23
    ratio = shares / np.array([0.6, 0.3, 0.1])
    np.testing.assert_allclose(model.prior_ratio_, ratio, rtol=1e-12)
    np.testing.assert_allclose(model.estimator_.member_class_shares_, np.tile(shares, (6, 1)), rtol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X[:2]), _hand_correct(np.array([[0.2, 0.3, 0.5]] * 2), ratio))
    assert list(model.predict(X[:1])) == [labels[0]]  # uncorrected, the last class wins


def test_multiclass_balanced_easy_ensemble():
    X, y = make_classification(n_samples=900, n_classes=3, n_informative=4, weights=[0.7, 0.2, 0.1],
                               random_state=0)
    model = PriorCorrectedClassifier(EasyEnsembleClassifier(n_estimators=3, random_state=0)).fit(X, y)
    np.testing.assert_allclose(model.prior_ratio_, (1 / 3) / _true_shares(y), rtol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X), _hand_correct(model.estimator_.predict_proba(X),
                                                                       model.prior_ratio_), rtol=1e-12)


def test_forest_class_weight_counts_in_the_shares(binary):
    X, y = binary
    forest = BalancedRandomForestClassifier(n_estimators=5, class_weight={0: 1.0, 1: 3.0}, random_state=0)
    model = PriorCorrectedClassifier(forest).fit(X, y)
    # Balanced rows, the positives weighted 3: the trees see the positives at 3/4.
    np.testing.assert_allclose(model.training_prior_, [0.25, 0.75], rtol=1e-12)
    np.testing.assert_allclose(model.prior_ratio_, [0.25, 0.75] / _true_shares(y), rtol=1e-12)


def test_forest_warm_start_keeps_member_shares(binary):
    X, y = binary
    forest = BalancedRandomForestClassifier(n_estimators=3, warm_start=True, random_state=0).fit(X, y)
    forest.set_params(n_estimators=5).fit(X, y)
    assert forest.member_class_shares_.shape == (5, 2)
    np.testing.assert_allclose(forest.member_class_shares_, 0.5)


def test_sampler_before_ensemble_multiplies(binary):
    X, y = binary
    first = RandomUnderSampler(sampling_strategy=0.5, random_state=0)
    bag = BalancedBaggingClassifier(LogisticRegression(), n_estimators=3, random_state=0)
    model = PriorCorrectedClassifier(make_pipeline(first, bag)).fit(X, y)
    n_min, n_maj = np.sum(y == 1), np.sum(y == 0)
    # The sampler keeps 2 majority rows per minority row (shares 2/3, 1/3); the members are balanced.
    np.testing.assert_allclose(model.prior_ratio_, [2 * n_min / n_maj * 0.5 / (2 / 3), 0.5 / (1 / 3)], rtol=1e-12)
    assert model.samplers_ == [model.estimator_[0]]
    # Up to a constant factor, the ratio of the balanced members alone: the correction is the same.
    alone = 0.5 / _true_shares(y)
    np.testing.assert_allclose(model.prior_ratio_ / model.prior_ratio_.sum(), alone / alone.sum(), rtol=1e-12)


@pytest.mark.parametrize("estimator", [
    RUSBoostClassifier(n_estimators=3, random_state=0),
    make_pipeline(RandomUnderSampler(random_state=0), RUSBoostClassifier(n_estimators=3, random_state=0)),
], ids=["bare", "in-pipeline"])
def test_rusboost_is_refused(binary, estimator):
    X, y = binary
    with pytest.raises(ValueError, match="cannot correct RUSBoostClassifier: it is boosting.*BalancedBagging"):
        PriorCorrectedClassifier(estimator).fit(X, y)


@pytest.mark.parametrize("bag", [
    BalancedBaggingClassifier(LogisticRegression(), n_estimators=4, sampler=TomekLinks(), random_state=0),
    BalancedBaggingClassifier(LogisticRegression(), n_estimators=4, sampling_strategy=0.3, random_state=0),
    BalancedBaggingClassifier(LogisticRegression(), n_estimators=4, sampler=SMOTE(), sampling_strategy=0.5,
                              random_state=0),
], ids=["cleaning", "float-rounding", "smote-float"])
def test_members_at_different_shares_are_refused(binary, bag):
    X, y = binary
    with pytest.raises(ValueError, match=r"different class shares \(their prior ratios differ by .* relative, "
                                         r"above the tolerance 1e-09.*bootstrap=False"):
        PriorCorrectedClassifier(bag).fit(X, y)


def test_same_float_strategy_without_bootstrap_is_accepted(binary):
    X, y = binary
    bag = BalancedBaggingClassifier(LogisticRegression(), n_estimators=3, sampling_strategy=0.3, bootstrap=False,
                                    random_state=0)
    model = PriorCorrectedClassifier(bag).fit(X, y)
    kept = model.estimator_.estimators_[0].named_steps["sampler"].sampling_plan_
    shares = np.array([kept[0].n_target, kept[1].n_target]) / sum(c.n_target for c in kept)
    np.testing.assert_allclose(model.prior_ratio_, shares / _true_shares(y), rtol=1e-12)


def test_members_with_unknown_shares_are_refused(binary):
    X, y = binary
    bag = BalancedBaggingClassifier(LogisticRegression(), n_estimators=3, random_state=0,
                                    sampler=FunctionSampler(func=lambda X, y: (X[:200], y[:200])))
    with pytest.raises(ValueError, match="shares that 3 of the 3 members of BalancedBaggingClassifier.*unknown"):
        PriorCorrectedClassifier(bag).fit(X, y)


def test_ensemble_clone_and_params_unchanged(binary):
    X, y = binary
    model = PriorCorrectedClassifier(BalancedBaggingClassifier(LogisticRegression(), n_estimators=3, random_state=0))
    assert set(model.get_params(deep=False)) == {"estimator"}
    assert model.get_params()["estimator__n_estimators"] == 3
    cloned = clone(model.fit(X, y))
    assert not hasattr(cloned, "prior_ratio_") and not hasattr(cloned.estimator, "member_class_shares_")
    scores = cross_val_score(cloned, X, y, cv=StratifiedKFold(3), scoring="neg_log_loss")
    assert scores.shape == (3,) and np.all(np.isfinite(scores))
