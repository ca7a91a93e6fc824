"""InstanceHardnessThreshold and ClusterCentroids: imbalanced-learn's rule and counts, and the contract."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from smotekit.under_sampling._hardness import InstanceHardnessThreshold
from smotekit.under_sampling._prototype import ClusterCentroids
from smotekit.utils.estimator_checks import (
    check_clone_and_params,
    check_counts_follow_plan,
    check_sparse_round_trip,
    sampler_checks,
)

imblearn_us = pytest.importorskip("imblearn.under_sampling")


def _data(n=600, classes=2, seed=0):
    weights = [0.15] if classes == 2 else [0.1, 0.3, 0.6]
    return make_classification(n_samples=n, n_features=5, n_informative=3, n_redundant=0,
                               n_classes=classes, weights=weights, random_state=seed)


# ------------------------------------------------------------------ InstanceHardnessThreshold

@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("strategy", ["auto", "all"])
def test_iht_same_rows_as_imblearn_given_the_same_folds(classes, strategy):
    X, y = _data(classes=classes)
    theirs = imblearn_us.InstanceHardnessThreshold(estimator=GaussianNB(), random_state=3,
                                                    sampling_strategy=strategy)
    _, y_ref = theirs.fit_resample(X, y)
    # imbalanced-learn shuffles its folds with RandomState(3); GaussianNB has no
    # random_state of its own, so nothing else is drawn before.
    folds = list(StratifiedKFold(5, shuffle=True, random_state=np.random.RandomState(3)).split(X, y))
    ours = InstanceHardnessThreshold(estimator=GaussianNB(), cv=folds, sampling_strategy=strategy)
    _, y_res = ours.fit_resample(X, y)
    assert sorted(ours.sample_indices_.tolist()) == sorted(theirs.sample_indices_.tolist())
    assert np.bincount(y_res).tolist() == np.bincount(y_ref).tolist()


def test_iht_keeps_ties_at_the_threshold_like_imblearn():
    # A forest's probabilities are multiples of 1/100: many ties at the threshold,
    # all kept, so the class keeps more than its target -- in both libraries.
    X, y = _data(n=800)
    _, y_res = InstanceHardnessThreshold(random_state=0).fit_resample(X, y)
    _, y_ref = imblearn_us.InstanceHardnessThreshold(random_state=0).fit_resample(X, y)
    target = np.sum(y == 0)  # the minority: kept whole, and the majority's target
    assert np.sum(y_res == 0) == np.sum(y_ref == 0) == target
    assert np.sum(y_res == 1) > target and np.sum(y_ref == 1) > target
    assert abs(int(np.sum(y_res == 1)) - int(np.sum(y_ref == 1))) <= 0.2 * np.sum(y_ref == 1)


def test_iht_hard_samples_go_first():
    # A majority sample inside the minority cluster is the hardest: it is removed.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(6, 1, (40, 2)), [[6.0, 6.0]]])
    y = np.array([0] * 200 + [1] * 40 + [0])
    s = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    s.fit_resample(X, y)
    assert 240 not in s.sample_indices_
    assert np.sum(y[s.sample_indices_] == 0) >= 40


def test_iht_seeds_every_random_state_and_n_jobs_is_neutral():
    X, y = _data()
    est = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=5, random_state=None))
    s = InstanceHardnessThreshold(estimator=est, random_state=5, n_jobs=1)
    s.fit_resample(X, y)
    assert isinstance(s.estimator_.get_params()["randomforestclassifier__random_state"], int)
    again = InstanceHardnessThreshold(estimator=est, random_state=5, n_jobs=2)
    again.fit_resample(X, y)
    assert np.array_equal(s.sample_indices_, again.sample_indices_)
    # The default is imbalanced-learn's: a 100-tree random forest.
    default = InstanceHardnessThreshold(n_jobs=2)._configured_estimator(np.random.default_rng(0))
    assert isinstance(default, RandomForestClassifier)
    assert default.n_estimators == 100 and default.n_jobs == 2


def test_iht_string_labels():
    X, y = _data(classes=3)
    labels = np.array(["cat", "dog", "eel"])
    tree = DecisionTreeClassifier(max_depth=3)
    _, y_res = InstanceHardnessThreshold(estimator=tree, random_state=0).fit_resample(X, labels[y])
    _, y_int = InstanceHardnessThreshold(estimator=tree, random_state=0).fit_resample(X, y)
    assert np.array_equal(y_res, labels[y_int])


@pytest.mark.parametrize("params, error, words", [
    ({"estimator": LinearSVC()}, TypeError, "'estimator' parameter .* implementing 'fit' and 'predict_proba'"),
    ({"estimator": KMeans()}, TypeError, "'estimator' parameter .* implementing 'fit' and 'predict_proba'"),
    ({"cv": 1}, ValueError, r"'cv' parameter of InstanceHardnessThreshold must be an int in the range \[2,"),
    ({"cv": "five"}, TypeError, "'cv' parameter of InstanceHardnessThreshold .* Got 'five' instead"),
    ({"cv": 500}, ValueError, "cv=500 stratified folds need at least 500 samples per class"),
])
def test_iht_clear_errors(params, error, words):
    X, y = _data(n=300)
    with pytest.raises(error, match=words):
        InstanceHardnessThreshold(**params).fit_resample(X, y)


def test_iht_contract():
    # A shallow tree keeps the checks fast; the default forest is in test_common.
    # Parameters holding objects compare by identity, so the clone check runs on
    # the default instance.
    s = InstanceHardnessThreshold(estimator=DecisionTreeClassifier(max_depth=3))
    for check in sampler_checks(s):
        # Ties at the threshold are kept (imbalanced-learn's rule): sizes are at
        # least, not exactly, the plan's targets.
        if check is check_counts_follow_plan:
            continue
        check(InstanceHardnessThreshold() if check is check_clone_and_params else s)


# ------------------------------------------------------------------ ClusterCentroids

def _rows(A):
    A = A.toarray() if sparse.issparse(A) else np.asarray(A)
    return A[np.lexsort(A.T[::-1])]


@pytest.mark.parametrize("classes", [2, 3])
def test_cc_soft_same_centres_as_imblearn_with_the_same_estimator(classes):
    X, y = _data(classes=classes)
    est = KMeans(n_init=1, random_state=0)
    X_res, y_res = ClusterCentroids(estimator=est, voting="soft").fit_resample(X, y)
    X_ref, y_ref = imblearn_us.ClusterCentroids(estimator=est, voting="soft").fit_resample(X, y)
    assert np.bincount(y_res).tolist() == np.bincount(y_ref).tolist()
    for c in np.unique(y):
        np.testing.assert_allclose(_rows(X_res[y_res == c]), _rows(X_ref[y_ref == c]), rtol=1e-12)


def test_cc_hard_nearest_rows_as_imblearn_ties_by_lowest_index():
    X, y = _data()
    est = KMeans(n_init=1, random_state=0)
    ours = ClusterCentroids(estimator=est, voting="hard")
    X_res, y_res = ours.fit_resample(X, y)
    theirs = imblearn_us.ClusterCentroids(estimator=est, voting="hard")
    X_ref, y_ref = theirs.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == np.bincount(y_ref).tolist()
    rows = np.flatnonzero(y == 1)
    centres = theirs.estimator_.cluster_centers_
    D = np.sqrt(((centres[:, None, :] - X[rows][None]) ** 2).sum(-1))
    # Two-sample clusters put their centre at equal distance from both samples:
    # smotekit takes the lower row, scikit-learn's kd-tree either.
    assert ours.sample_indices_[y_res == 1].tolist() == np.sort(rows[D.argmin(1)]).tolist()
    D_ref = np.sqrt(((centres[:, None, :] - X_ref[y_ref == 1][None]) ** 2).sum(-1))
    np.testing.assert_allclose(np.sort(D_ref.min(1)), np.sort(D.min(1)), rtol=1e-12)


def test_cc_soft_voting_provenance_is_honest():
    X, y = _data(classes=3)
    s = ClusterCentroids(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert s.voting_ == "soft" and not hasattr(s, "sample_indices_")
    prov = s.provenance_
    n_min = np.sum(y == 0)
    # The untouched minority first, exactly; then the centres, marked synthetic.
    assert not prov.is_synthetic[:n_min].any() and prov.is_synthetic[n_min:].all()
    assert np.array_equal(X_res[:n_min], X[y == 0])
    assert (prov.partner[n_min:] == -1).all() and np.isnan(prov.gap[n_min:]).all()
    # A centre's source is the sample of its class nearest to it.
    src = prov.source[n_min:]
    assert np.array_equal(y[src], y_res[n_min:])
    for i in np.flatnonzero(prov.is_synthetic)[:20]:
        same = np.flatnonzero(y == y_res[i])
        d = np.linalg.norm(X[same] - X_res[i], axis=1)
        assert prov.source[i] == same[np.argmin(d)]


def test_cc_hard_voting_selects_rows_and_auto_follows_sparsity():
    X, y = _data()
    s = ClusterCentroids(random_state=0, voting="hard")
    X_res, _ = s.fit_resample(X, y)
    assert np.array_equal(X_res, X[s.sample_indices_])
    s.set_params(voting="soft")
    s.fit_resample(X, y)
    assert not hasattr(s, "sample_indices_"), "a soft fit must not leave hard-voting indices"
    auto = ClusterCentroids(random_state=0)
    Xs_res, _ = auto.fit_resample(sparse.csr_matrix(X), y)
    assert auto.voting_ == "hard" and sparse.issparse(Xs_res)
    assert np.array_equal(Xs_res.toarray(), X[auto.sample_indices_])


def test_cc_minibatch_and_float32():
    X, y = _data(n=2000)
    s = ClusterCentroids(estimator=MiniBatchKMeans(n_init=1, random_state=0))
    X_res, y_res = s.fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32
    n_min = np.bincount(y).min()
    assert np.bincount(y_res).tolist() == [n_min, n_min]


@pytest.mark.parametrize("params, error, words", [
    ({"voting": "majority"}, ValueError, "'voting' parameter of ClusterCentroids must be a str among"),
    ({"estimator": GaussianNB()}, ValueError, "should be a clustering estimator exposing a parameter .n_clusters."),
])
def test_cc_clear_errors(params, error, words):
    X, y = _data(n=300)
    with pytest.raises(error, match=words):
        ClusterCentroids(**params).fit_resample(X, y)


@pytest.mark.parametrize("voting", ["auto", "hard"])
def test_cc_contract(voting):
    s = ClusterCentroids(voting=voting)
    for check in sampler_checks(s):
        # KMeans runs other code on sparse input (and 'auto' voting is defined to
        # differ by sparsity): sparse and dense results are not the same rows.
        if check is check_sparse_round_trip:
            continue
        check(s)
