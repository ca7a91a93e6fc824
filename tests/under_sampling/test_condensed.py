"""CondensedNearestNeighbour: Hart's rule by hand, against imbalanced-learn, and the contract."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier

from smotekit.under_sampling._condensed import CondensedNearestNeighbour, _misclassified
from smotekit.utils.estimator_checks import sampler_checks

imblearn_us = pytest.importorskip("imblearn.under_sampling")


def _majority_first(seed, n=600, n_features=5, k_flip=0.05):
    """Binary data with every majority row before the minority rows: there the
    positions within the class equal the row indices, so imbalanced-learn's
    index slip (see the class Notes) has no effect and its rows can be compared."""
    X, y = make_classification(n_samples=n, n_features=n_features, weights=[0.8], flip_y=k_flip,
                               random_state=seed)
    order = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)])
    return X[order], y[order]


def test_hand_built_pass():
    # 1-D: minority at 0.0 and 0.2; the class visited in order a=1.0, b=5.0 (the
    # seed), c=0.5, d=6.0, e=0.4. a is nearer the minority than b: stored; c is
    # nearer 0.2 than a: stored; d is nearest b, e nearest c: both well classified.
    X = np.array([[0.0], [1.0], [5.0], [0.2], [0.5], [6.0], [0.4]])
    y = np.array([1, 0, 0, 1, 0, 0, 0])
    s = CondensedNearestNeighbour()
    stored = s._condense(X, np.flatnonzero(y == 1), np.flatnonzero(y == 0), np.array([1]), 0, 1)
    assert stored.tolist() == [0, 1, 2]


def test_equal_distance_counts_the_minority_first():
    # Sample at 1.0 is as far from the minority (0.0) as from the seed (2.0): the
    # minority sample precedes in the store, so the sample is misclassified.
    X = np.array([[0.0], [2.0], [1.0]])
    s = CondensedNearestNeighbour()
    assert s._condense(X, np.array([0]), np.array([1, 2]), np.array([0]), 0, 1).tolist() == [0, 1]


def test_vote_rule():
    inf = np.inf
    d_min = np.array([[1.0, 2.0, 3.0], [1.0, inf, inf], [0.5, 0.6, 5.0]])
    d_store = np.array([[1.5, 2.5, 9.0], [0.1, 0.2, 0.3], [0.5, 0.7, 0.8]])
    # Row 0: nearest three are m, s, m -> minority. Row 1: s, s, s. Row 2: m (tie
    # first), s, m -> minority.
    assert _misclassified(d_min, d_store, 3, False).tolist() == [True, False, True]
    # k=2, tied vote: goes to the smaller label.
    d2_min, d2_store = np.array([[1.0, 5.0]]), np.array([[2.0, 6.0]])
    assert _misclassified(d2_min, d2_store, 2, True).tolist() == [True]
    assert _misclassified(d2_min, d2_store, 2, False).tolist() == [False]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_neighbors", [None, 3, 4])
def test_same_rows_as_imblearn_given_the_same_seeds(seed, n_neighbors):
    X, y = _majority_first(seed)
    theirs = imblearn_us.CondensedNearestNeighbour(random_state=seed, n_neighbors=n_neighbors)
    theirs.fit_resample(X, y)
    seeds = np.random.RandomState(seed).randint(0, np.sum(y == 0), size=1)
    ours = CondensedNearestNeighbour(n_neighbors=n_neighbors)._condense(
        X, np.flatnonzero(y == 1), np.flatnonzero(y == 0), seeds, 0, 1)
    kept = np.sort(theirs.sample_indices_[y[theirs.sample_indices_] == 0])
    assert ours.tolist() == kept.tolist()


def test_classifier_object_gives_the_int_rule():
    X, y = make_classification(n_samples=500, n_features=4, weights=[0.1, 0.3, 0.6], n_classes=3,
                               n_informative=3, n_redundant=0, random_state=4)
    a = CondensedNearestNeighbour(random_state=3, n_neighbors=3)
    a.fit_resample(X, y)
    b = CondensedNearestNeighbour(random_state=3, n_neighbors=KNeighborsClassifier(n_neighbors=3))
    b.fit_resample(X, y)
    assert np.array_equal(a.sample_indices_, b.sample_indices_)
    assert len(a.estimators_) == 2
    # Each rule is fitted on the whole minority class plus the class's kept rows.
    for est, label in zip(a.estimators_, (1, 2)):
        assert isinstance(est, KNeighborsClassifier)
        assert est.n_samples_fit_ == np.sum(y == 0) + np.sum(y[a.sample_indices_] == label)


def test_multiclass_counts_close_to_imblearn_and_seed_independent_of_n_jobs():
    X, y = make_classification(n_samples=700, n_features=6, weights=[0.1, 0.3, 0.6], n_classes=3,
                               n_informative=4, flip_y=0.02, random_state=0)
    ours = [np.bincount(CondensedNearestNeighbour(random_state=r).fit_resample(X, y)[1])
            for r in range(3)]
    theirs = [np.bincount(imblearn_us.CondensedNearestNeighbour(random_state=r).fit_resample(X, y)[1])
              for r in range(3)]
    # The minority is untouched; the kept sizes depend on the seeds, but follow
    # the same rule: the medians agree to within a few percent.
    assert all(o[0] == t[0] == np.sum(y == 0) for o, t in zip(ours, theirs))
    for c in (1, 2):
        mo, mt = np.median([o[c] for o in ours]), np.median([t[c] for t in theirs])
        assert abs(mo - mt) <= 0.1 * mt + 5, (c, mo, mt)
    a = CondensedNearestNeighbour(random_state=7, n_jobs=1)
    a.fit_resample(X, y)
    b = CondensedNearestNeighbour(random_state=7, n_jobs=-1)
    b.fit_resample(X, y)
    assert np.array_equal(a.sample_indices_, b.sample_indices_)


def test_blocks_do_not_change_the_result(monkeypatch):
    import smotekit.under_sampling._condensed as cnn

    X, y = make_classification(n_samples=1200, n_features=5, weights=[0.85], flip_y=0.05,
                               random_state=9)
    for k in (None, 3):
        ref = CondensedNearestNeighbour(random_state=1, n_neighbors=k)
        ref.fit_resample(X, y)
        monkeypatch.setattr(cnn, "_BLOCK", 7)
        small = CondensedNearestNeighbour(random_state=1, n_neighbors=k)
        small.fit_resample(X, y)
        monkeypatch.undo()
        assert np.array_equal(ref.sample_indices_, small.sample_indices_)


def test_all_keeps_the_seeds_of_the_minority():
    # With 'all', the minority is condensed against itself: every sample is already
    # in the store, so only its seeds remain (as in imbalanced-learn).
    X, y = make_classification(n_samples=300, n_features=4, weights=[0.8], random_state=0)
    _, y_res = CondensedNearestNeighbour(sampling_strategy="all", n_seeds_S=3,
                                         random_state=0).fit_resample(X, y)
    _, y_ref = imblearn_us.CondensedNearestNeighbour(sampling_strategy="all", n_seeds_S=3,
                                                     random_state=0).fit_resample(X, y)
    assert np.sum(y_res == 1) == np.sum(y_ref == 1) == 3


@pytest.mark.parametrize("params, error, words", [
    ({"n_neighbors": 0}, ValueError, r"'n_neighbors' parameter .* an int in the range \[1, inf\)"),
    ({"n_neighbors": "one"}, TypeError, "'n_neighbors' parameter of CondensedNearestNeighbour .* or None"),
    ({"n_seeds_S": 0}, ValueError, r"'n_seeds_S' parameter .* an int in the range \[1, inf\). Got 0"),
    ({"n_seeds_S": 10_000}, ValueError, "n_seeds_S=10000 exceeds the"),
])
def test_clear_errors(params, error, words):
    X, y = make_classification(n_samples=200, n_features=4, weights=[0.8], random_state=0)
    with pytest.raises(error, match=words):
        CondensedNearestNeighbour(**params).fit_resample(X, y)


@pytest.mark.parametrize("n_neighbors", [None, 3])
def test_sampler_contract(n_neighbors):
    s = CondensedNearestNeighbour(n_neighbors=n_neighbors)
    for check in sampler_checks(s):
        check(s)
