"""SVMSMOTE's subset fit above SVM_SUBSET_MIN_ROWS rows: which rows enter it, and the isolated rows."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotekit.neighbors import kneighbors
from smotekit.over_sampling import _borderline as borderline
from smotekit.over_sampling._borderline import SVMSMOTE


@pytest.fixture
def small_subset(monkeypatch):
    # About 4 neighbours per minority row: fewer than m_neighbors, so isolated rows are left out.
    monkeypatch.setattr(borderline, "SVM_SUBSET_MIN_ROWS", 500)
    monkeypatch.setattr(borderline, "SVM_SUBSET_ROWS", 1500)


@pytest.mark.parametrize("seed", [0, 1])
def test_isolated_rows_are_noise_support_vectors_outside_the_fit(small_subset, seed):
    # Label noise (flip_y) puts minority rows deep among majority rows.
    X, y = make_classification(n_samples=3000, n_features=5, n_informative=5, n_redundant=0,
                               weights=[0.9], flip_y=0.05, random_state=seed)
    s = SVMSMOTE(random_state=0)
    s.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    nn = kneighbors(X, 10, query_rows=minority)
    all_other = (y[nn] != 1).all(axis=1)
    # An isolated row is fitted only as the neighbour of a fitted row.
    isolated = np.setdiff1d(minority[all_other], s.svm_fit_rows_)
    assert isolated.size > 0
    assert np.isin(isolated, s.support_).all()
    assert np.isin(isolated, s.noise_indices_[1]).all()
    # The other support vectors are the fitted SVM's, translated to input rows.
    fitted = s.svm_fit_rows_[s.svm_estimator_.support_]
    assert np.array_equal(s.support_, np.concatenate([fitted, isolated]))
    # Every minority row that is not isolated is fitted, with its nearest row.
    assert np.isin(minority[~all_other], s.svm_fit_rows_).all()
    assert np.isin(nn[~all_other, 0], s.svm_fit_rows_).all()


def test_fit_gets_both_classes_when_the_nearest_rows_are_all_minority(monkeypatch):
    # Every minority row is duplicated, so its nearest row is its twin (distance 0):
    # one neighbour per row would leave the fit without a majority row.
    rng = np.random.default_rng(0)
    X_maj = rng.normal(size=(1200, 3))
    X_min = np.repeat(rng.normal(size=(200, 3)) * 0.5 + 1.0, 2, axis=0)
    X = np.vstack([X_maj, X_min])
    y = np.r_[np.zeros(1200, int), np.ones(400, int)]
    monkeypatch.setattr(borderline, "SVM_SUBSET_MIN_ROWS", 500)
    monkeypatch.setattr(borderline, "SVM_SUBSET_ROWS", 400)
    s = SVMSMOTE(random_state=0)
    _, y_res = s.fit_resample(X, y)
    assert np.bincount(y[s.svm_fit_rows_]).min() > 0
    assert np.bincount(y_res).tolist() == [1200, 1200]


def test_every_row_isolated_falls_back_to_the_rows_as_given(monkeypatch):
    # Minority rows scattered one by one among majority rows: all are isolated, hence
    # noise whatever the SVM says, which is the error SVM-SMOTE gives for them.
    rng = np.random.default_rng(1)
    centres = np.c_[np.arange(40) * 100.0, np.zeros(40)]
    X = np.vstack([centres, (centres[:, None, :] + rng.normal(size=(40, 30, 2))).reshape(-1, 2)])
    y = np.r_[np.ones(40, int), np.zeros(1200, int)]
    monkeypatch.setattr(borderline, "SVM_SUBSET_MIN_ROWS", 500)
    monkeypatch.setattr(borderline, "SVM_SUBSET_ROWS", 200)  # 5 neighbours per minority row
    nn = kneighbors(X, 10, query_rows=np.flatnonzero(y == 1))
    assert (y[nn] == 0).all()
    with pytest.raises(ValueError, match="none usable"):
        SVMSMOTE(random_state=0).fit_resample(X, y)


def test_a_budget_of_m_neighbors_per_row_fits_every_row_of_the_classes(monkeypatch):
    X, y = make_classification(n_samples=3000, n_features=5, n_informative=5, n_redundant=0,
                               weights=[0.9], flip_y=0.05, random_state=0)
    minority = np.flatnonzero(y == 1)
    monkeypatch.setattr(borderline, "SVM_SUBSET_MIN_ROWS", 500)
    monkeypatch.setattr(borderline, "SVM_SUBSET_ROWS", 12 * minority.size)
    s = SVMSMOTE(random_state=0)
    s.fit_resample(X, y)
    nn = kneighbors(X, 12, query_rows=minority)
    assert np.array_equal(s.svm_fit_rows_, np.union1d(minority, nn))
    assert np.array_equal(s.support_, s.svm_fit_rows_[s.svm_estimator_.support_])
