"""InstanceHardnessCV: hard samples spread evenly over the folds, imbalanced-learn's folds."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, cross_validate
from sklearn.tree import DecisionTreeClassifier

from smotekit.model_selection import InstanceHardnessCV


def _data(n_samples=120, weights=(0.7,), seed=3):
    return make_classification(n_samples=n_samples, n_features=5, n_informative=3,
                               n_redundant=1, weights=list(weights), flip_y=0.1,
                               class_sep=0.8, random_state=seed)


@pytest.mark.parametrize("n_splits", [2, 3, 5])
def test_folds_partition_the_samples(n_splits):
    X, y = _data()
    folds = list(InstanceHardnessCV(LogisticRegression(), n_splits=n_splits).split(X, y))
    assert len(folds) == n_splits
    tests = np.concatenate([test for _, test in folds])
    assert np.array_equal(np.sort(tests), np.arange(len(y)))
    for train, test in folds:
        assert np.intersect1d(train, test).size == 0
        assert train.size + test.size == len(y)


@pytest.mark.parametrize("n_splits", [2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hard_samples_are_spread_evenly(n_splits, seed):
    # Within each class, the m hardest samples (for every m) fall in the folds
    # as evenly as possible: fold counts differ by at most one.
    X, y = _data(seed=seed)
    estimator = LogisticRegression()
    fold_of = np.empty(len(y), dtype=int)
    for k, (_, test) in enumerate(InstanceHardnessCV(estimator, n_splits=n_splits).split(X, y)):
        fold_of[test] = k
    proba = cross_val_predict(estimator, X, y, cv=n_splits, method="predict_proba")[:, 1]
    for cls in np.unique(y):
        rows = np.flatnonzero(y == cls)
        by_hardness = rows[np.argsort(proba[rows], kind="stable")]
        for m in range(1, rows.size + 1):
            counts = np.bincount(fold_of[by_hardness[:m]], minlength=n_splits)
            assert counts.max() - counts.min() <= 1


def test_classes_are_stratified():
    X, y = _data(n_samples=200, weights=(0.9,))
    for _, test in InstanceHardnessCV(DecisionTreeClassifier(random_state=0), n_splits=4).split(X, y):
        share = y[test].mean()
        assert abs(share - y.mean()) <= 1 / len(test) + 1 / 50


@pytest.mark.parametrize("pos_label", [None, "a", "b"])
def test_same_folds_as_imblearn(pos_label):
    imb = pytest.importorskip("imblearn.model_selection")
    X, y = _data()
    y = np.array(["a", "b"])[y]
    ours = InstanceHardnessCV(LogisticRegression(), n_splits=3, pos_label=pos_label).split(X, y)
    theirs = imb.InstanceHardnessCV(LogisticRegression(), n_splits=3, pos_label=pos_label).split(X, y)
    for (train_o, test_o), (train_t, test_t) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(test_o, test_t)
        np.testing.assert_array_equal(train_o, train_t)


def test_used_by_cross_validate():
    X, y = _data()
    result = cross_validate(LogisticRegression(), X, y, cv=InstanceHardnessCV(LogisticRegression()))
    assert result["test_score"].shape == (5,)


def test_unknown_pos_label_is_named():
    X, y = _data()
    with pytest.raises(ValueError, match="pos_label=7 is not a class of y"):
        next(InstanceHardnessCV(LogisticRegression(), pos_label=7).split(X, y))


@pytest.mark.parametrize("n_splits", [1, 0, 2.5, True])
def test_invalid_n_splits(n_splits):
    X, y = _data()
    with pytest.raises(ValueError, match="n_splits must be an integer of at least 2"):
        next(InstanceHardnessCV(LogisticRegression(), n_splits=n_splits).split(X, y))


def test_estimator_is_not_fitted_in_place():
    X, y = _data()
    estimator = LogisticRegression()
    list(InstanceHardnessCV(estimator, n_splits=3).split(X, y))
    assert not hasattr(estimator, "coef_")


def test_repr_and_n_splits():
    cv = InstanceHardnessCV(LogisticRegression(), n_splits=4)
    assert cv.get_n_splits() == 4
    assert "InstanceHardnessCV" in repr(cv) and "n_splits=4" in repr(cv)
