"""smotekit.metrics: hand-computed values, agreement with imbalanced-learn, scorers, errors."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_score

import smotekit.metrics as M

Y_TRUE = [0, 1, 1, 0, 1, 1]
Y_PRED = [0, 1, 0, 0, 1, 0]


def test_hand_computed_binary():
    # class 1: tp=2 of 4 -> sensitivity 0.5; class 0: 2 of 2 right, no false positive -> specificity 1.
    assert M.sensitivity_score(Y_TRUE, Y_PRED) == 0.5
    assert M.specificity_score(Y_TRUE, Y_PRED) == 1.0
    sens, spec, sup = M.sensitivity_specificity_support(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(sens, [1.0, 0.5])
    np.testing.assert_allclose(spec, [0.5, 1.0])
    np.testing.assert_array_equal(sup, [2, 4])
    assert M.geometric_mean_score(Y_TRUE, Y_PRED) == pytest.approx(np.sqrt(0.5))
    assert M.geometric_mean_score(Y_TRUE, Y_PRED, average="binary") == pytest.approx(np.sqrt(0.5))
    # IBA: (1 + 0.1 * (0.5 - 1.0)) * gmean**2 = 0.95 * 0.5
    iba = M.make_index_balanced_accuracy(alpha=0.1, squared=True)(M.geometric_mean_score)
    assert iba(Y_TRUE, Y_PRED, average="binary") == pytest.approx(0.475)
    weighted = M.sensitivity_score(Y_TRUE, Y_PRED, average="weighted")
    assert weighted == pytest.approx((2 * 1.0 + 4 * 0.5) / 6)


def test_hand_computed_multiclass_and_strings():
    y_true = ["cat", "dog", "pig", "cat", "dog", "pig"]
    y_pred = ["cat", "pig", "dog", "cat", "cat", "dog"]
    # recalls: cat 1, dog 0, pig 0 -> macro 1/3; one zero recall -> multiclass G-mean 0.
    assert M.sensitivity_score(y_true, y_pred, average="macro") == pytest.approx(1 / 3)
    assert M.geometric_mean_score(y_true, y_pred) == 0.0
    assert M.geometric_mean_score(y_true, y_pred, correction=0.001) == pytest.approx((1 * 0.001 * 0.001) ** (1 / 3))
    assert M.sensitivity_score(y_true, y_pred, average="macro", labels=["dog"]) == 0.0
    with pytest.warns(UserWarning, match="ignored"):
        M.sensitivity_score(y_true, y_pred, pos_label="dog", average="macro")


def test_macro_averaged_mae():
    assert M.macro_averaged_mean_absolute_error([1, 1, 2, 2], [1, 2, 1, 2]) == 0.5
    assert M.macro_averaged_mean_absolute_error([1, 2, 2, 2], [1, 2, 1, 2]) == pytest.approx(1 / 6)


def test_sample_weight_counts_true_negatives_on_the_weighted_scale():
    w = [1, 2, 1, 3, 1, 1]
    # class 1 (pos): tp = w[1] + w[4] = 3 of 2+1+1+1 = 5; negatives 0 and 3 (weights 1, 3) all right.
    assert M.sensitivity_score(Y_TRUE, Y_PRED, sample_weight=w) == pytest.approx(3 / 5)
    assert M.specificity_score(Y_TRUE, Y_PRED, sample_weight=w) == pytest.approx(1.0)


def test_classification_report_layout():
    text = M.classification_report_imbalanced([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], target_names=["a", "b", "c"])
    lines = text.splitlines()
    assert lines[0].split() == ["pre", "rec", "spe", "f1", "geo", "iba", "sup"]
    assert lines[2].split() == ["a", "0.50", "1.00", "0.75", "0.67", "0.87", "0.77", "1"]
    assert lines[-1].split()[:3] == ["avg", "/", "total"] and lines[-1].split()[-1] == "5"
    d = M.classification_report_imbalanced([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], output_dict=True)
    assert d["2"]["rec"] == pytest.approx(2 / 3) and d["total_support"] == 5


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_imblearn(seed):
    imb = pytest.importorskip("imblearn.metrics")
    rng = np.random.default_rng(seed)
    k = 2 + seed % 3
    yt, yp = rng.integers(0, k, 40), rng.integers(0, k, 40)
    averages = [None, "macro", "micro", "weighted"] + (["binary"] if k == 2 else [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for avg in averages:
            ours = M.sensitivity_specificity_support(yt, yp, average=avg)
            theirs = imb.sensitivity_specificity_support(yt, yp, average=avg)
            for a, b in zip(ours, theirs):
                assert (a is None and b is None) or np.allclose(a, b)
            assert np.allclose(M.geometric_mean_score(yt, yp, average=avg),
                               imb.geometric_mean_score(yt, yp, average=avg))
            iba_ours = M.make_index_balanced_accuracy(alpha=0.2)(M.geometric_mean_score)
            iba_theirs = imb.make_index_balanced_accuracy(alpha=0.2)(imb.geometric_mean_score)
            assert np.allclose(iba_ours(yt, yp, average=avg), iba_theirs(yt, yp, average=avg))
        assert np.isclose(M.geometric_mean_score(yt, yp, correction=0.01),
                          imb.geometric_mean_score(yt, yp, correction=0.01))
        assert (M.classification_report_imbalanced(yt, yp, digits=3)
                == imb.classification_report_imbalanced(yt, yp, digits=3))
        w = rng.random(40)
        assert np.allclose(M.sensitivity_score(yt, yp, average="macro", sample_weight=w),
                           imb.sensitivity_score(yt, yp, average="macro", sample_weight=w))
        assert np.isclose(M.macro_averaged_mean_absolute_error(yt, yt[::-1]),
                          imb.macro_averaged_mean_absolute_error(yt, yt[::-1]))


def test_signatures_match_imblearn():
    imb = pytest.importorskip("imblearn.metrics")
    import inspect

    for name in imb.__all__:
        assert str(inspect.signature(getattr(M, name))) == str(inspect.signature(getattr(imb, name))), name


@pytest.mark.parametrize("kwargs, match", [
    ({"average": "samples"}, "multilabel"),
    ({"average": "bogus"}, "'average' parameter of sensitivity_specificity_support must be"),
    ({"pos_label": 7, "average": "binary"}, "pos_label=7"),
])
def test_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        M.sensitivity_specificity_support(Y_TRUE, Y_PRED, **kwargs)


def test_other_errors():
    with pytest.raises(ValueError, match="average='binary'"):
        M.sensitivity_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="one prediction per row"):
        M.specificity_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="class labels"):
        M.sensitivity_score([0, 1, 1], [0.2, 0.7, 0.9])
    with pytest.raises(ValueError, match="correction"):
        M.geometric_mean_score(Y_TRUE, Y_PRED, correction=-1)
    iba_auc = M.make_index_balanced_accuracy()(roc_auc_score)  # decorating is allowed
    with pytest.raises(AttributeError, match="predicted labels"):
        iba_auc(Y_TRUE, Y_PRED)


def test_ill_defined_warns_and_is_zero():
    with pytest.warns(UndefinedMetricWarning):
        sens = M.sensitivity_score([0, 0, 0], [0, 1, 0], average=None)
    np.testing.assert_allclose(sens, [2 / 3, 0.0])
    assert M.sensitivity_specificity_support([0, 0], [0, 0], average="binary") == (0.0, 0.0, 0)


def test_scorers_in_model_selection():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=120) > 0.8).astype(int)
    model = LogisticRegression()
    for scorer in (M.geometric_mean_scorer, M.sensitivity_scorer, M.specificity_scorer,
                   M.get_scorer("geometric_mean"), M.get_scorer("specificity_macro")):
        scores = cross_val_score(model, X, y, cv=3, scoring=scorer)
        assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))
    assert M.get_scorer("roc_auc")._score_func is roc_auc_score
    assert M.get_scorer(M.sensitivity_scorer) is M.sensitivity_scorer
    assert {"geometric_mean", "sensitivity", "roc_auc"} <= set(M.get_scorer_names())
    assert M.neg_macro_averaged_mean_absolute_error_scorer._sign == -1
    with pytest.raises(ValueError, match="geometric_mean"):
        M.get_scorer("geometric_mena")


def test_all_is_sorted_and_complete():
    assert M.__all__ == sorted(M.__all__)
    assert all(hasattr(M, n) for n in M.__all__)
