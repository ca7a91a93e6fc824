"""smotekit.metrics' regression metrics: SERA, rare-event F1 and rare RMSE, by hand; scorers; errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LinearRegression
from sklearn.metrics import make_scorer
from sklearn.model_selection import KFold, cross_val_score

import smotekit.metrics as M
from smotekit.pipeline import Pipeline
from smotekit.regression import Relevance

Y4 = np.array([0.0, 1.0, 2.0, 10.0])
PHI4 = np.array([0.0, 0.0, 0.5, 1.0])
PRED4 = Y4 + np.array([1.0, -2.0, 3.0, -4.0])  # squared errors 1, 4, 9, 16


class LinearRelevance(BaseEstimator):
    """A stand-in relevance estimator: 0 at min(y), 1 at max(y), linear between; counts its fits."""

    n_fits = 0

    def fit(self, y):
        type(self).n_fits += 1
        self.low_, self.high_ = float(np.min(y)), float(np.max(y))
        return self

    def phi(self, y):
        return np.clip((np.asarray(y, dtype=float) - self.low_) / (self.high_ - self.low_), 0.0, 1.0)


def _top_half(values):
    """A plain relevance function: 1 above 5, 0 below, 0.5 at 5."""
    return np.where(np.asarray(values) > 5, 1.0, np.where(np.asarray(values) == 5, 0.5, 0.0))


# --- SERA -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("step", "expected"), [
    # Grid 0, .25, .5, .75, 1: SER = 30, 25, 25, 16, 16; trapezoids .25 * (27.5 + 25 + 20.5 + 16).
    (0.25, 22.25),
    # Grid 0, .3, .6, .9 (IRon's seq stops below 1): SER = 30, 25, 16, 16; .3 * (27.5 + 20.5 + 16).
    (0.3, 19.2),
    # Step 1: grid 0, 1: SER = 30, 16.
    (1.0, 23.0),
    # Each row counts t_j + step/2 (t_j the last threshold <= phi), or 1 at phi = 1:
    # 1 * .0005 + 4 * .0005 + 9 * .5005 + 16 * 1.
    (0.001, 0.0025 + 4.5045 + 16.0),
])
def test_sera_by_hand(step, expected):
    assert M.sera(Y4, PRED4, relevance=PHI4, step=step) == pytest.approx(expected, rel=1e-12)


def test_sera_curve_by_hand():
    value, thresholds, ser = M.sera(Y4, PRED4, relevance=PHI4, step=0.25, return_curve=True)
    np.testing.assert_allclose(thresholds, [0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(ser, [30, 25, 25, 16, 16])
    assert value == pytest.approx(22.25)
    _, thresholds, ser = M.sera(Y4, PRED4, relevance=PHI4, return_curve=True)
    assert thresholds.shape == ser.shape == (1001,) and thresholds[-1] == 1.0
    assert np.all(np.diff(ser) <= 0)


@pytest.mark.parametrize("step", [0.001, 0.01, 0.03, 0.3, 1.0])
def test_sera_equals_the_trapezoids_of_its_curve(step):
    # Two paths: the area from per-row weights, and IRon's sum of trapezoids over the SER curve.
    rng = np.random.default_rng(3)
    y = rng.normal(size=30)
    pred = y + rng.normal(size=30)
    phi = np.concatenate([rng.uniform(size=20), np.round(rng.uniform(size=10), 2), [0.0, 1.0]])[:30]
    value, thresholds, ser = M.sera(y, pred, relevance=phi, step=step, return_curve=True)
    expected = np.array([np.sum((y - pred)[phi >= t] ** 2) for t in thresholds])
    np.testing.assert_allclose(ser, expected, rtol=1e-12)
    assert value == pytest.approx(step * np.sum((ser[:-1] + ser[1:]) / 2), rel=1e-12)


def test_sera_closed_form_on_unaligned_relevance():
    # phi off the grid: a row of relevance p counts floor(p / step) * step + step / 2 times its squared error.
    rng = np.random.default_rng(0)
    y = rng.normal(size=40)
    pred = y + rng.normal(size=40)
    phi = rng.uniform(0.0001, 0.9999, size=40)
    step = 0.01
    weight = np.floor(phi / step) * step + step / 2
    assert M.sera(y, pred, relevance=phi, step=step) == pytest.approx(np.sum(weight * (y - pred) ** 2))
    # The limit of a fine grid: the relevance-weighted sum of squared errors.
    assert M.sera(y, pred, relevance=phi, step=1e-5) == pytest.approx(np.sum(phi * (y - pred) ** 2), rel=1e-4)


@pytest.mark.parametrize("relevance", [PHI4, _top_half, LinearRelevance(), LinearRelevance().fit([0, 20])])
def test_sera_of_perfect_predictions_is_zero(relevance):
    assert M.sera(Y4, Y4.copy(), relevance=relevance) == 0.0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=12), st.floats(1.0, 4.0), st.integers(0, 11))
def test_sera_grows_with_the_errors(errors, factor, row):
    errors = np.asarray(errors)
    y = np.arange(errors.size, dtype=float)
    phi = np.linspace(0.0, 1.0, errors.size)
    base = M.sera(y, y + errors, relevance=phi)
    assert M.sera(y, y + factor * errors, relevance=phi) >= base
    bigger = errors.copy()
    bigger[row % errors.size] *= factor
    assert M.sera(y, y + bigger, relevance=phi) >= base


def test_sera_weights_equal_repeated_rows():
    weights = np.array([2, 0, 1, 3])
    repeated = np.repeat(np.arange(4), weights)
    assert M.sera(Y4, PRED4, relevance=PHI4, sample_weight=weights, step=0.01) == pytest.approx(
        M.sera(Y4[repeated], PRED4[repeated], relevance=PHI4[repeated], step=0.01))


def test_sera_errors_on_relevant_rows_weigh_more():
    # The same total squared error, on the extreme row or on an ordinary one.
    on_extreme = Y4 + np.array([0, 0, 0, 3.0])
    on_ordinary = Y4 + np.array([3.0, 0, 0, 0])
    assert M.sera(Y4, on_extreme, relevance=PHI4) > M.sera(Y4, on_ordinary, relevance=PHI4)


# --- rare events -------------------------------------------------------------------------------------

def test_rare_precision_recall_f1_by_hand():
    # True events (> 5): rows 2, 3, 4. Predicted events: rows 1, 3, 4, 5. Hits: rows 3, 4.
    y = [1.0, 2.0, 7.0, 8.0, 9.0, 3.0]
    pred = [1.0, 6.0, 4.0, 8.0, 5.5, 9.0]
    precision, recall, f1 = M.rare_precision_recall_f1(y, pred, relevance=_top_half)
    assert (precision, recall) == pytest.approx((2 / 4, 2 / 3))
    assert f1 == pytest.approx(2 * 2 / (3 + 4)) == M.rare_f1_score(y, pred, relevance=_top_half)
    # Weights count rows: row 3 (a hit) twice, row 5 (a false event) not at all.
    w = [1, 1, 1, 2, 1, 0]
    assert M.rare_precision_recall_f1(y, pred, relevance=_top_half, sample_weight=w) == pytest.approx(
        (3 / 4, 3 / 4, 2 * 3 / (4 + 4)))


def test_rare_threshold_is_inclusive():
    # phi(5) = 0.5: an event at the default threshold, not at 0.6.
    assert M.rare_f1_score([5.0, 0.0], [5.0, 0.0], relevance=_top_half) == 1.0
    with pytest.warns(UndefinedMetricWarning, match="F1"):
        assert M.rare_f1_score([5.0, 0.0], [5.0, 0.0], relevance=_top_half, threshold=0.6) == 0.0


def test_rare_scores_ill_defined_are_zero_with_a_warning():
    with pytest.warns(UndefinedMetricWarning, match="Precision"):
        assert M.rare_precision_recall_f1([9.0, 0.0], [0.0, 0.0], relevance=_top_half) == (0.0, 0.0, 0.0)
    with pytest.warns(UndefinedMetricWarning, match="Recall"):
        assert M.rare_precision_recall_f1([0.0, 0.0], [9.0, 0.0], relevance=_top_half) == (0.0, 0.0, 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert M.rare_f1_score([9.0, 0.0], [0.0, 0.0], relevance=_top_half) == 0.0


def test_rare_scores_use_one_relevance_for_truth_and_prediction():
    # Fitted on y_true = [0, 10]: phi(8) = 0.8 is an event, even though 8 is not among the true values.
    assert M.rare_f1_score([0.0, 10.0], [0.0, 8.0], relevance=LinearRelevance()) == 1.0
    # A relevance fitted on [0, 20] is used as is: phi(10) = 0.5, phi(8) = 0.4 misses.
    assert M.rare_f1_score([0.0, 10.0], [0.0, 8.0], relevance=LinearRelevance().fit([0, 20])) == 0.0


# --- rare RMSE ----------------------------------------------------------------------------------------

def test_rare_rmse_by_hand():
    # Rows with phi >= .5: errors 3 and -4.
    assert M.rare_rmse(Y4, PRED4, relevance=PHI4) == pytest.approx(np.sqrt((9 + 16) / 2))
    assert M.rare_rmse(Y4, PRED4, relevance=PHI4, threshold=1.0) == pytest.approx(4.0)
    assert M.rare_rmse(Y4, PRED4, relevance=PHI4, sample_weight=[5, 5, 3, 1]) == pytest.approx(
        np.sqrt((3 * 9 + 16) / 4))
    assert M.rare_rmse(Y4, PRED4, relevance=PHI4, threshold=0.0) == pytest.approx(np.sqrt(30 / 4))


def test_rare_rmse_without_rare_rows_is_nan():
    with pytest.warns(UndefinedMetricWarning, match="NaN"):
        assert np.isnan(M.rare_rmse(Y4, PRED4, relevance=np.full(4, 0.2)))


# --- the relevance argument ------------------------------------------------------------------------

def test_a_fitted_relevance_is_not_refitted_and_an_unfitted_one_is_left_alone():
    fitted = LinearRelevance().fit([0, 20])
    n = LinearRelevance.n_fits
    M.sera(Y4, PRED4, relevance=fitted)
    M.rare_f1_score(Y4, PRED4, relevance=fitted)
    assert LinearRelevance.n_fits == n and fitted.high_ == 20.0
    unfitted = LinearRelevance()
    # Fitted on y_true (0..10): phi = y / 10.
    assert M.sera(Y4, PRED4, relevance=unfitted, step=0.25) == pytest.approx(
        M.sera(Y4, PRED4, relevance=Y4 / 10, step=0.25))
    assert LinearRelevance.n_fits == n + 1 and not hasattr(unfitted, "high_")


def test_default_relevance_is_fitted_on_y_true():
    rng = np.random.default_rng(1)
    y = np.concatenate([rng.normal(size=60), [6.0, 7.5, -6.5]])
    pred = y + rng.normal(scale=0.5, size=y.size)
    fitted = Relevance().fit(y)
    phi = fitted.phi(y)
    assert 0 < np.sum(phi >= 0.5) < y.size
    assert M.sera(y, pred) == pytest.approx(M.sera(y, pred, relevance=phi))
    assert M.rare_rmse(y, pred) == pytest.approx(M.rare_rmse(y, pred, relevance=phi))
    assert M.rare_f1_score(y, pred) == pytest.approx(M.rare_f1_score(y, pred, relevance=fitted))
    # An unfitted Relevance with its own parameters: a clone fitted on y_true, the caller's left unfitted.
    high = Relevance(extremes="high")
    assert M.sera(y, pred, relevance=high) == pytest.approx(
        M.sera(y, pred, relevance=Relevance(extremes="high").fit(y).phi(y)))
    assert not hasattr(high, "control_points_")
    # A fitted one is used as is, and left as it was.
    other = Relevance(control_points=[[0.0, 0.0], [3.0, 1.0]]).fit()
    points = other.control_points_.copy()
    assert M.rare_rmse(y, pred, relevance=other) == pytest.approx(M.rare_rmse(y, pred, relevance=other.phi(y)))
    np.testing.assert_array_equal(other.control_points_, points)


def test_containers_and_no_mutation():
    y, pred = Y4.copy(), PRED4.copy()
    y.setflags(write=False)
    pred.setflags(write=False)
    phi = PHI4.copy()
    phi.setflags(write=False)
    value = M.sera(y, pred, relevance=phi, sample_weight=np.ones(4))
    assert M.sera(pd.Series(Y4, index=[9, 8, 7, 6]), list(PRED4), relevance=pd.Series(PHI4)) == value
    assert M.sera(Y4[:, None], PRED4[:, None], relevance=PHI4) == value
    np.testing.assert_array_equal(y, Y4)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: M.sera(Y4, PRED4[:3], relevance=PHI4), ValueError, "one prediction per row"),
    (lambda: M.sera([], [], relevance=[]), ValueError, "empty"),
    (lambda: M.sera([0.0, np.nan], [0.0, 1.0], relevance=[0, 1]), ValueError, "y_true holds 1 NaN"),
    (lambda: M.rare_rmse([0.0, 1.0], [np.inf, 1.0], relevance=[0, 1]), ValueError, "y_pred holds 1 NaN"),
    (lambda: M.sera(np.zeros((2, 2)), np.zeros((2, 2)), relevance=[0, 1]), ValueError, "must be 1-D"),
    (lambda: M.sera(["a", "b"], [0, 1], relevance=[0, 1]), TypeError, "y_true must hold numbers"),
    (lambda: M.sera(Y4, PRED4, relevance=PHI4[:3]), ValueError, "relevance has 3 values for 4 rows"),
    (lambda: M.sera(Y4, PRED4, relevance=PHI4 * 2), ValueError, r"must lie in \[0, 1\]"),
    (lambda: M.sera(Y4, PRED4, relevance=lambda v: v), ValueError, r"relevance\(y_true\) in sera must lie"),
    (lambda: M.rare_f1_score(Y4, PRED4, relevance=PHI4), TypeError, "cannot be an array"),
    (lambda: M.sera(Y4, PRED4, relevance=PHI4, step=0), ValueError, "'step' parameter"),
    (lambda: M.rare_rmse(Y4, PRED4, relevance=PHI4, threshold=1.5), ValueError, "'threshold' parameter"),
    (lambda: M.sera(Y4, PRED4, relevance=PHI4, sample_weight=[1, -1, 1, 1]), ValueError, "non-negative"),
    (lambda: M.sera(Y4, PRED4, relevance=PHI4, sample_weight=[1, 1]), ValueError, "2 values for 4 rows"),
    (lambda: M.sera(Y4, PRED4, relevance="auto"), ValueError, "'relevance' parameter"),
])
def test_input_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- scorers --------------------------------------------------------------------------------------

def _regression_data():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(90, 2))
    y = X @ [1.0, 0.5] + 0.3 * rng.normal(size=90)
    y[::6] += 6.0  # a few extreme targets, in every fold
    return X, y


def test_scorers_by_name_and_in_cross_validation():
    X, y = _regression_data()
    relevance = LinearRelevance().fit(y)
    pipe = Pipeline([("model", LinearRegression())])
    cv = KFold(3, shuffle=True, random_state=0)
    names = {"neg_sera": -1, "rare_f1": 1, "neg_rare_rmse": -1}
    assert set(names) <= set(M.get_scorer_names())
    for name, sign in names.items():
        scorer = make_scorer(M.get_scorer(name)._score_func, greater_is_better=sign > 0, relevance=relevance)
        scores = cross_val_score(pipe, X, y, cv=cv, scoring=scorer)
        assert scores.shape == (3,) and np.all(np.isfinite(scores)) and np.all(sign * scores >= 0)
    assert M.get_scorer("neg_sera") is M.neg_sera_scorer and M.neg_sera_scorer._sign == -1
    assert M.rare_f1_scorer._sign == 1 and M.neg_rare_rmse_scorer._sign == -1
    # The scorer with a bound, fitted relevance gives minus SERA of each fold, that relevance unchanged.
    n = LinearRelevance.n_fits
    scores = cross_val_score(LinearRegression(), X, y, cv=cv,
                             scoring=make_scorer(M.sera, greater_is_better=False, relevance=relevance))
    assert LinearRelevance.n_fits == n
    train, test = next(cv.split(X))
    pred = LinearRegression().fit(X[train], y[train]).predict(X[test])
    assert scores[0] == pytest.approx(-M.sera(y[test], pred, relevance=relevance.phi(y[test])))


def test_default_scorers_run_in_cross_validation():
    X, y = _regression_data()
    for scorer in (M.neg_sera_scorer, M.rare_f1_scorer, M.neg_rare_rmse_scorer):
        scores = cross_val_score(LinearRegression(), X, y, cv=3, scoring=scorer)
        assert scores.shape == (3,) and np.all(np.isfinite(scores))


def test_scorers_with_a_regression_sampler_in_the_pipeline():
    regression = pytest.importorskip("smotekit.regression")
    if not hasattr(regression, "RandomOverSampler"):
        pytest.skip("smotekit.regression.RandomOverSampler is not built yet")
    X, y = _regression_data()
    relevance = Relevance().fit(y)
    pipe = Pipeline([("sampler", regression.RandomOverSampler(random_state=0)), ("model", LinearRegression())])
    cv = KFold(3, shuffle=True, random_state=0)
    for func, sign in ((M.sera, -1), (M.rare_f1_score, 1)):
        scorer = make_scorer(func, greater_is_better=sign > 0, relevance=relevance)
        scores = cross_val_score(pipe, X, y, cv=cv, scoring=scorer)
        assert scores.shape == (3,) and np.all(np.isfinite(scores)) and np.all(sign * scores >= 0)
