"""The metric registry and per-fold scoring of smotekit.evaluation._scores."""

import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import gmean as geometric_mean
from sklearn import metrics as skm
from sklearn.preprocessing import label_binarize

from smotekit.evaluation import expected_calibration_error
from smotekit.evaluation._scores import DEFAULT_METRICS, METRICS, Metric, parse_metrics, score_fold

LABEL_KEYS = [k for k, m in METRICS.items() if m.needs == "labels"]
PROBA_KEYS = [k for k, m in METRICS.items() if m.needs == "proba"]
SCORED = [k for k in METRICS if k not in ("cost", "fit_time")]


def fold(n_classes, n=300, seed=0):
    """Random codes with every class present, probabilities, and predictions that mostly follow them."""
    rng = np.random.default_rng(seed)
    y = np.concatenate([np.arange(n_classes), rng.integers(0, n_classes, n - n_classes)])
    proba = rng.dirichlet(np.ones(n_classes), n)
    # Tilt the probabilities towards the truth so the scores are away from chance.
    proba[np.arange(n), y] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    pred = np.where(rng.random(n) < 0.8, proba.argmax(axis=1), rng.integers(0, n_classes, n))
    return y, pred, proba


def reference(key, y, pred, proba, pos, k):
    """The metric by scikit-learn's own functions (and the ECE function it is defined by)."""
    codes = list(range(k))
    if k == 2:
        truth, score = y == pos, proba[:, pos]
        return {
            "pr_auc": lambda: skm.average_precision_score(truth, score),
            "roc_auc": lambda: skm.roc_auc_score(truth, score),
            "log_loss": lambda: skm.log_loss(y, proba, labels=codes),
            "brier": lambda: skm.brier_score_loss(truth, score),
            "ece": lambda: expected_calibration_error(truth.astype(int), score),
            "f1": lambda: skm.f1_score(y, pred, pos_label=pos),
            "mcc": lambda: skm.matthews_corrcoef(y, pred),
            "gmean": lambda: np.sqrt(skm.recall_score(y, pred, pos_label=pos)
                                     * skm.recall_score(y, pred, pos_label=1 - pos)),
            "balanced_accuracy": lambda: skm.balanced_accuracy_score(y, pred),
            "recall": lambda: skm.recall_score(y, pred, pos_label=pos),
            "precision": lambda: skm.precision_score(y, pred, pos_label=pos),
            "specificity": lambda: skm.recall_score(y, pred, pos_label=1 - pos),
        }[key]()
    return {
        "pr_auc": lambda: skm.average_precision_score(label_binarize(y, classes=codes), proba, average="macro"),
        "roc_auc": lambda: skm.roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=codes),
        "log_loss": lambda: skm.log_loss(y, proba, labels=codes),
        "brier": lambda: np.mean(np.sum((proba - np.eye(k)[y]) ** 2, axis=1)) / 2,
        "ece": lambda: np.mean([expected_calibration_error((y == c).astype(int), proba[:, c]) for c in codes]),
        "f1": lambda: skm.f1_score(y, pred, average="macro"),
        "mcc": lambda: skm.matthews_corrcoef(y, pred),
        "gmean": lambda: geometric_mean(skm.recall_score(y, pred, average=None)),
        "balanced_accuracy": lambda: skm.balanced_accuracy_score(y, pred),
        "recall": lambda: skm.recall_score(y, pred, average="macro"),
        "precision": lambda: skm.precision_score(y, pred, average="macro"),
        "specificity": lambda: np.mean([skm.recall_score(y != c, pred != c) for c in codes]),
    }[key]()


# -- the registry ---------------------------------------------------------------------------------


def test_registry_order_and_fields():
    assert list(METRICS) == ["pr_auc", "roc_auc", "log_loss", "brier", "ece", "f1", "mcc", "gmean",
                             "balanced_accuracy", "recall", "precision", "specificity", "cost", "fit_time"]
    assert DEFAULT_METRICS == ("pr_auc", "roc_auc", "log_loss", "brier", "ece", "f1", "mcc", "gmean",
                               "balanced_accuracy", "fit_time")
    for key, m in METRICS.items():
        assert isinstance(m, Metric) and m.key == key
        assert m.needs in {"proba", "labels", "cost", "time"}
        assert m.title and m.description.endswith(".")
    lower = {k for k, m in METRICS.items() if not m.higher_is_better}
    assert lower == {"log_loss", "brier", "ece", "cost", "fit_time"}
    with pytest.raises(AttributeError):
        METRICS["f1"].title = "x"  # frozen


# -- parse_metrics --------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [None, "", "  "])
def test_parse_metrics_default(spec):
    assert parse_metrics(spec) == list(DEFAULT_METRICS)


@pytest.mark.parametrize("alias, key", [
    ("average_precision", "pr_auc"), ("ap", "pr_auc"), ("auc", "roc_auc"), ("g_mean", "gmean"),
    ("geometric_mean", "gmean"), ("sensitivity", "recall"), ("matthews", "mcc"), ("tpr", "recall"),
    ("log_loss", "log_loss"), ("logloss", "log_loss"), ("neg_log_loss", "log_loss"), ("brier", "brier"),
    ("brier_score", "brier"), ("ece", "ece"), ("calibration_error", "ece"), ("bal_acc", "balanced_accuracy"),
    ("cost", "cost"), ("expected_cost", "cost"), ("time", "fit_time"), ("fit_time", "fit_time"),
    ("PR-AUC", "pr_auc"), ("Balanced-Accuracy", "balanced_accuracy"),
])
def test_parse_metrics_aliases(alias, key):
    assert parse_metrics(alias) == [key]
    assert parse_metrics([alias]) == [key]


def test_parse_metrics_string_list_order_and_duplicates():
    assert parse_metrics("f1, ap,auc  mcc,f1,average_precision") == ["f1", "pr_auc", "roc_auc", "mcc"]
    assert parse_metrics(("brier", "ece")) == ["brier", "ece"]


def test_parse_metrics_errors():
    with pytest.raises(ValueError, match=r"unknown metric 'accuracy'.*pr_auc.*fit_time"):
        parse_metrics("f1,accuracy")
    with pytest.raises(ValueError, match="metrics is empty"):
        parse_metrics([])
    with pytest.raises(TypeError, match="metric names"):
        parse_metrics(["f1", 3])


# -- score_fold against scikit-learn --------------------------------------------------------------


@pytest.mark.parametrize("key", SCORED)
@pytest.mark.parametrize("pos", [0, 1])
@pytest.mark.parametrize("seed", [0, 1])
def test_binary_matches_sklearn(key, pos, seed):
    y, pred, proba = fold(2, seed=seed)
    got = score_fold([key], y, pred, proba, pos=pos, n_classes=2)
    assert got.shape == (1,)
    assert got[0] == pytest.approx(reference(key, y, pred, proba, pos, 2), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("key", SCORED)
@pytest.mark.parametrize("k", [3, 5])
def test_multiclass_matches_sklearn(key, k):
    y, pred, proba = fold(k, seed=k)
    got = score_fold([key], y, pred, proba, pos=0, n_classes=k)
    assert got[0] == pytest.approx(reference(key, y, pred, proba, 0, k), rel=1e-12, abs=1e-12)


def test_multiclass_brier_matches_sklearn_where_it_has_one():
    if "scale_by_half" not in inspect.signature(skm.brier_score_loss).parameters:
        pytest.skip("this scikit-learn has no multiclass Brier score (added in 1.7)")
    y, pred, proba = fold(4)
    expected = skm.brier_score_loss(y, proba, labels=[0, 1, 2, 3], scale_by_half=True)
    assert score_fold(["brier"], y, pred, proba, pos=0, n_classes=4)[0] == pytest.approx(expected)


def test_all_metrics_in_the_order_asked():
    y, pred, proba = fold(2)
    keys = ["fit_time", "mcc", "pr_auc", "cost"]
    got = score_fold(keys, y, pred, proba, pos=1, n_classes=2, cost=(1.0, 4.0))
    assert np.isnan(got[0])
    assert got[1] == pytest.approx(skm.matthews_corrcoef(y, pred))
    assert got[2] == pytest.approx(skm.average_precision_score(y == 1, proba[:, 1]))
    assert got.dtype == np.float64


def test_decision_scores_rank_but_do_not_calibrate():
    y, pred, proba = fold(2)
    d = np.log(proba[:, 1] / proba[:, 0]) * 3.0
    scores = np.column_stack([-d, d])
    got = dict(zip(SCORED, score_fold(SCORED, y, pred, scores, pos=1, n_classes=2)))
    assert got["roc_auc"] == pytest.approx(skm.roc_auc_score(y, d))
    assert got["pr_auc"] == pytest.approx(skm.average_precision_score(y, d))
    assert np.isnan([got["log_loss"], got["brier"], got["ece"]]).all()
    assert got["f1"] == pytest.approx(skm.f1_score(y, pred))


def test_multiclass_decision_scores_rank():
    y, pred, proba = fold(3)
    scores = np.log(proba) * 2.0 + 1.0
    got = score_fold(["roc_auc", "pr_auc", "log_loss"], y, pred, scores, pos=0, n_classes=3)
    assert got[0] == pytest.approx(skm.roc_auc_score(y, proba, multi_class="ovr", labels=[0, 1, 2]))
    assert got[1] == pytest.approx(reference("pr_auc", y, pred, proba, 0, 3))
    assert np.isnan(got[2])


# -- undefined metrics are NaN, silently ----------------------------------------------------------


def quiet_score(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return dict(zip(args[0], score_fold(*args, **kwargs)))


@pytest.mark.parametrize("pos", [0, 1])
def test_fold_without_positives(pos):
    y = np.full(40, 1 - pos)
    pred = np.where(np.arange(40) < 5, pos, 1 - pos)
    proba = np.tile([0.7, 0.3], (40, 1))
    got = quiet_score(list(METRICS), y, pred, proba, pos=pos, n_classes=2, cost=(1.0, 10.0))
    undefined = {"pr_auc", "roc_auc", "f1", "mcc", "gmean", "balanced_accuracy", "recall", "precision", "fit_time"}
    assert {k for k, v in got.items() if np.isnan(v)} == undefined
    assert got["specificity"] == pytest.approx(35 / 40)
    assert got["cost"] == pytest.approx(5 * 1.0 / 40)
    assert got["brier"] == pytest.approx(skm.brier_score_loss(y == pos, proba[:, pos]))


@pytest.mark.parametrize("pos", [0, 1])
def test_fold_without_negatives(pos):
    y = np.full(30, pos)
    pred = np.where(np.arange(30) < 20, pos, 1 - pos)
    proba = np.tile([0.4, 0.6], (30, 1))
    got = quiet_score(SCORED, y, pred, proba, pos=pos, n_classes=2)
    assert {k for k, v in got.items() if np.isnan(v)} == {"roc_auc", "mcc", "gmean", "balanced_accuracy",
                                                           "specificity"}
    assert got["recall"] == pytest.approx(20 / 30)
    assert got["precision"] == 1.0
    assert got["pr_auc"] == 1.0


def test_multiclass_fold_missing_a_class():
    y, pred, proba = fold(3)
    keep = y != 2
    got = quiet_score(SCORED, y[keep], pred[keep], proba[keep], pos=0, n_classes=3)
    defined = {"log_loss", "brier", "ece", "mcc"}
    assert {k for k, v in got.items() if not np.isnan(v)} == defined
    assert got["mcc"] == pytest.approx(skm.matthews_corrcoef(y[keep], pred[keep]))
    assert got["log_loss"] == pytest.approx(skm.log_loss(y[keep], proba[keep], labels=[0, 1, 2]))


def test_multiclass_fold_of_one_class():
    y = np.zeros(20, dtype=int)
    got = quiet_score(["mcc", "specificity", "log_loss"], y, y, np.tile([0.5, 0.3, 0.2], (20, 1)),
                      pos=0, n_classes=3)
    assert np.isnan(got["mcc"]) and np.isnan(got["specificity"])
    assert got["log_loss"] == pytest.approx(-np.log(0.5))


def test_model_that_never_predicts_the_positive_class_scores_zero_not_nan():
    y, _, proba = fold(2)
    pred = np.zeros_like(y)
    got = quiet_score(LABEL_KEYS, y, pred, proba, pos=1, n_classes=2)
    assert got == {"f1": 0.0, "mcc": 0.0, "gmean": 0.0, "balanced_accuracy": 0.5, "recall": 0.0,
                   "precision": 0.0, "specificity": 1.0}


@pytest.mark.parametrize("k", [2, 3])
def test_no_proba_gives_nan_for_proba_metrics_only(k):
    y, pred, _ = fold(k)
    got = quiet_score(SCORED, y, pred, None, pos=1, n_classes=k)
    assert all(np.isnan(got[key]) for key in PROBA_KEYS)
    assert not any(np.isnan(got[key]) for key in LABEL_KEYS)


def test_non_finite_proba_gives_nan_for_proba_metrics():
    y, pred, proba = fold(2)
    proba[3, 0] = np.nan
    got = quiet_score(SCORED, y, pred, proba, pos=1, n_classes=2)
    assert all(np.isnan(got[key]) for key in PROBA_KEYS)
    assert not any(np.isnan(got[key]) for key in LABEL_KEYS)


# -- cost -----------------------------------------------------------------------------------------


def test_cost_by_hand_binary():
    y = np.array([0, 0, 0, 1, 1, 0, 1, 0])
    pred = np.array([0, 1, 1, 0, 1, 0, 0, 0])
    # Positive class 1: two false positives (rows 1, 2), two false negatives (rows 3, 6).
    assert score_fold(["cost"], y, pred, None, pos=1, n_classes=2, cost=(1.0, 5.0))[0] == (2 * 1 + 2 * 5) / 8
    # Positive class 0: the same mistakes swap roles.
    assert score_fold(["cost"], y, pred, None, pos=0, n_classes=2, cost=(1.0, 5.0))[0] == (2 * 5 + 2 * 1) / 8
    perfect = score_fold(["cost"], y, y, None, pos=1, n_classes=2, cost=(1.0, 5.0))[0]
    assert perfect == 0.0


def test_cost_matrix_multiclass_and_binary():
    y = np.array([0, 1, 2, 2, 1])
    pred = np.array([1, 1, 0, 2, 2])
    C = np.array([[0, 1, 2], [3, 0, 4], [5, 6, 0]], dtype=float)
    assert score_fold(["cost"], y, pred, None, pos=0, n_classes=3, cost=C)[0] == (1 + 0 + 5 + 0 + 4) / 5
    y2, p2 = np.array([0, 1, 1]), np.array([1, 0, 1])
    assert score_fold(["cost"], y2, p2, None, pos=1, n_classes=2, cost=[[0, 2], [7, 0]])[0] == 3.0


def test_cost_pair_in_multiclass_is_nan():
    y = np.array([0, 1, 2, 2, 1])
    got = score_fold(["cost", "mcc"], y, y, None, pos=0, n_classes=3, cost=(1.0, 5.0))
    assert np.isnan(got[0]) and got[1] == 1.0


@pytest.mark.parametrize("cost, n_classes, match", [
    (None, 2, "needs cost="),
    (np.ones((2, 2)), 3, r"\(3, 3\) matrix"),
    ((1.0, np.inf), 2, "finite"),
    (("a", "b"), 2, "numbers"),
])
def test_cost_errors(cost, n_classes, match):
    y = np.arange(6) % n_classes
    with pytest.raises(ValueError, match=match):
        score_fold(["f1", "cost"], y, y, None, pos=1, n_classes=n_classes, cost=cost)


# -- inputs ---------------------------------------------------------------------------------------


def test_proba_not_modified():
    y, pred, proba = fold(3)
    proba[:5] = [1.0, 0.0, 0.0]  # log loss clips these
    before = proba.copy()
    proba.flags.writeable = False
    score_fold(list(METRICS), y, pred, proba, pos=0, n_classes=3, cost=np.ones((3, 3)))
    np.testing.assert_array_equal(proba, before)


def test_float32_probabilities_are_probabilities():
    y, pred, proba = fold(3)
    got = score_fold(["log_loss", "brier"], y, pred, proba.astype(np.float32), pos=0, n_classes=3)
    assert not np.isnan(got).any()


@pytest.mark.parametrize("kwargs, match", [
    ({"metrics": ["accuracy"]}, "unknown keys"),
    ({"y_true": np.array([0, 1, 2])}, "class codes 0..1"),
    ({"y_true": np.array([0.0, 1.0, 1.0])}, "class codes"),
    ({"y_pred": np.array([0, 1])}, "one code per test row"),
    ({"proba": np.ones((3, 3)) / 3}, "shape"),
    ({"pos": 2}, "pos must be"),
    ({"n_classes": 1}, "n_classes"),
])
def test_input_errors(kwargs, match):
    args = {"metrics": ["f1"], "y_true": np.array([0, 1, 1]), "y_pred": np.array([0, 1, 0]),
            "proba": None, "pos": 1, "n_classes": 2}
    args.update(kwargs)
    metrics, y_true, y_pred, proba = (args.pop(k) for k in ("metrics", "y_true", "y_pred", "proba"))
    with pytest.raises(ValueError, match=match):
        score_fold(metrics, y_true, y_pred, proba, **args)


def test_module_imports_sklearn_only_inside_functions():
    # The CLI reads the registry at start-up: the module's own top-level imports stay light.
    import ast

    import smotekit.evaluation._scores as module

    tree = ast.parse(inspect.getsource(module))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = [a.name for n in top if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in top if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("sklearn") or n.startswith("scipy")], names


# ---------------------------------------------------------------------------------------------
# the binary fast paths give scikit-learn's values, ties and degenerate predictions included


@settings(max_examples=150, deadline=None)
@given(n=st.integers(4, 60), levels=st.sampled_from([2, 3, 5, 1000]), pos=st.sampled_from([0, 1]),
       seed=st.integers(0, 2**31 - 1))
def test_binary_scores_equal_sklearn_with_ties(n, levels, pos, seed):
    from sklearn.metrics import (
        average_precision_score,
        balanced_accuracy_score,
        brier_score_loss,
        f1_score,
        log_loss,
        matthews_corrcoef,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    from smotekit.metrics import geometric_mean_score, specificity_score

    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    y_true[:2] = [0, 1]  # both classes: every metric defined
    # Few distinct probabilities: many ties in the ranking metrics; predictions of one class sometimes.
    p = rng.integers(0, levels + 1, n) / levels
    proba = np.column_stack([1 - p, p]) if pos == 1 else np.column_stack([p, 1 - p])
    y_pred = rng.integers(0, 2, n) if seed % 3 else np.full(n, seed % 2)
    keys = ["pr_auc", "roc_auc", "log_loss", "brier", "f1", "mcc", "gmean", "balanced_accuracy", "recall",
            "precision", "specificity"]
    got = dict(zip(keys, score_fold(keys, y_true, y_pred, proba, pos=pos, n_classes=2)))
    is_pos = y_true == pos
    expected = {
        "pr_auc": average_precision_score(is_pos, proba[:, pos]),
        "roc_auc": roc_auc_score(is_pos, proba[:, pos]),
        "log_loss": log_loss(y_true, proba, labels=[0, 1]),
        "brier": brier_score_loss(is_pos, proba[:, pos]),
        "f1": f1_score(y_true, y_pred, pos_label=pos, zero_division=0),
        "mcc": matthews_corrcoef(y_true, y_pred),
        "gmean": geometric_mean_score(y_true, y_pred, labels=[0, 1]),
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "recall": recall_score(y_true, y_pred, pos_label=pos, zero_division=0),
        "precision": precision_score(y_true, y_pred, pos_label=pos, zero_division=0),
        "specificity": specificity_score(y_true, y_pred, labels=[0, 1], average=None)[pos],
    }
    for key in keys:
        assert got[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-12), key
