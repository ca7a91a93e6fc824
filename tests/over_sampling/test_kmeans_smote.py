"""KMeansSMOTE: a cluster weighting derived on paper, agreement with imbalanced-learn
where it works, success where it fails, properties, and the sampler contract."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification

from smotekit.over_sampling._cluster import KMeansSMOTE
from smotekit.utils.estimator_checks import sampler_checks


def _triangle(center, side):
    h = side * np.sqrt(3) / 2
    return np.array([[0.0, 0.0], [side, 0.0], [side / 2, h]]) + center


def _hand_data():
    """Three far-apart groups: A = a unit triangle of minority rows plus one majority
    row; B = a triangle of side 3 of minority rows plus one majority row; C = 12
    majority rows. 14 majority, 6 minority: 8 to generate.

    With density_exponent=1 a cluster's sparsity is mean distance / minority rows:
    A 1/3, B 3/3, so weights 1/4 and 3/4 and 2 and 6 new rows; C holds no minority row.
    """
    A = np.vstack([_triangle((0, 0), 1.0), [[0.5, -0.5]]])
    B = np.vstack([_triangle((100, 0), 3.0), [[101.5, -0.5]]])
    C = np.column_stack([np.arange(12.0) * 0.1, np.full(12, 100.0)])
    X = np.vstack([A, B, C])
    y = np.array([1, 1, 1, 0, 1, 1, 1, 0] + [0] * 12)
    return X, y


def test_cluster_weights_derived_on_paper():
    X, y = _hand_data()
    s = KMeansSMOTE(kmeans_estimator=KMeans(n_clusters=3, n_init=10, random_state=0),
                    density_exponent=1, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [14, 14]
    valid = s.valid_clusters_[1]
    assert len(valid) == 2
    by_cluster = {int(s.cluster_labels_[0]): "A", int(s.cluster_labels_[4]): "B"}
    weights = dict(zip((by_cluster[c] for c in valid), s.cluster_weights_[1]))
    counts = dict(zip((by_cluster[c] for c in valid), s.n_generated_per_cluster_[1]))
    assert weights["A"] == pytest.approx(0.25) and weights["B"] == pytest.approx(0.75)
    assert counts == {"A": 2, "B": 6}
    prov = s.provenance_
    syn = prov.is_synthetic
    # Parents: minority rows of one group (A = rows 0-2, B = rows 4-6).
    group = np.where(prov.source[syn] < 3, 0, 1)
    assert np.bincount(group).tolist() == [2, 6]
    assert np.all((prov.partner[syn] < 3) == (prov.source[syn] < 3))
    assert not set(prov.source[syn].tolist()) & {3, 7}


def test_auto_threshold_and_density_as_imblearn():
    # The same data and estimator in imbalanced-learn: 'auto' keeps A and B
    # (share 3/4 >= 0.5) and weighs them 1/4 and 3/4 with exponent 1.
    from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE

    X, y = _hand_data()
    km = KMeans(n_clusters=3, n_init=10, random_state=0)
    theirs = ImbKMeansSMOTE(kmeans_estimator=km, density_exponent=1, random_state=0)
    _, y_imb = theirs.fit_resample(X, y)
    assert np.bincount(y_imb).tolist() == [14, 14]
    assert theirs.cluster_balance_threshold_ == "auto"
    ours = KMeansSMOTE(kmeans_estimator=km, density_exponent=1, random_state=0).fit_resample(X, y)
    assert np.bincount(ours[1]).tolist() == [14, 14]


def _record_imblearn_clusters(monkeypatch, estimator):
    """Run imbalanced-learn and record the minority rows and sparsity of each
    cluster it kept (it computes one sparsity per kept cluster)."""
    from imblearn.over_sampling._smote import cluster as imb_cluster

    seen = []
    original = imb_cluster.KMeansSMOTE._find_cluster_sparsity

    def recording(self, X):
        value = original(self, X)
        seen.append((X.copy(), value))
        return value

    monkeypatch.setattr(imb_cluster.KMeansSMOTE, "_find_cluster_sparsity", recording)
    return seen


def _fixed_kmeans_data():
    return make_classification(n_samples=2000, n_features=2, n_informative=2, n_redundant=0,
                               weights=[0.9], class_sep=2, flip_y=0, random_state=3)


def test_fixed_kmeans_agrees_with_imblearn_except_overshoot(monkeypatch):
    from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE

    X, y = _fixed_kmeans_data()
    km = KMeans(n_clusters=30, n_init=1, random_state=0)
    seen = _record_imblearn_clusters(monkeypatch, km)
    theirs = ImbKMeansSMOTE(kmeans_estimator=km, random_state=0)
    _, y_imb = theirs.fit_resample(X, y)
    ours = KMeansSMOTE(kmeans_estimator=km, random_state=0)
    _, y_res = ours.fit_resample(X, y)
    np.testing.assert_array_equal(ours.cluster_labels_, theirs.kmeans_estimator_.labels_)
    # Same kept clusters (identified by their minority rows), same weights.
    valid = ours.valid_clusters_[1]
    assert len(valid) == len(seen)
    minority = X[y == 1]
    minority_labels = ours.cluster_labels_[y == 1]
    for c, (rows, _) in zip(valid, seen):
        np.testing.assert_array_equal(minority[minority_labels == c], rows)
    sparsity = np.array([v for _, v in seen])
    np.testing.assert_allclose(ours.cluster_weights_[1], sparsity / sparsity.sum(), rtol=1e-9)
    # imbalanced-learn takes the ceiling per cluster and overshoots; we do not.
    n_add = ours.sampling_strategy_[1]
    quota = n_add * sparsity / sparsity.sum()
    counts = ours.n_generated_per_cluster_[1]
    assert counts.sum() == n_add and np.all(counts >= np.floor(quota)) and np.all(counts <= np.ceil(quota))
    n_major, n_minor = np.bincount(y)
    assert np.bincount(y_res).tolist() == [n_major, n_major]
    assert np.bincount(y_imb)[1] == n_minor + np.ceil(quota).sum() > n_major


def test_int_kmeans_estimator_gives_imblearns_clusters():
    from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE

    X, y = _fixed_kmeans_data()
    theirs = ImbKMeansSMOTE(kmeans_estimator=20, random_state=7)
    theirs.fit_resample(X, y)
    ours = KMeansSMOTE(kmeans_estimator=20, random_state=7)
    _, y_res = ours.fit_resample(X, y)
    np.testing.assert_array_equal(ours.cluster_labels_, theirs.kmeans_estimator_.labels_)
    assert ours.n_clusters_ == 20 and np.bincount(y_res).tolist() == [np.bincount(y)[0]] * 2


def test_defaults_work_on_one_percent_minority_where_imblearn_fails():
    from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE

    X, y = make_classification(n_samples=10_000, n_features=2, n_informative=2, n_redundant=0,
                               weights=[0.99], flip_y=0, random_state=1)
    with pytest.raises(RuntimeError, match="No clusters found with sufficient samples"):
        ImbKMeansSMOTE(random_state=0).fit_resample(X, y)
    s = KMeansSMOTE(random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # the clusters suffice: no fallback
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [9900, 9900]
    assert s.n_clusters_ == 100 and len(s.valid_clusters_[1]) >= 1 and s.smote_fallback_ == []
    assert s.n_generated_per_cluster_[1].sum() == 9800
    prov = s.provenance_
    syn = prov.is_synthetic
    labels = s.cluster_labels_
    assert np.all(labels[prov.source[syn]] == labels[prov.partner[syn]])
    assert set(labels[prov.source[syn]].tolist()) <= set(s.valid_clusters_[1].tolist())


def test_falls_back_to_smote_with_warning_when_no_cluster_qualifies():
    from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE

    X, y = make_classification(n_samples=10_000, n_features=20, weights=[0.99], flip_y=0,
                               random_state=1)
    with pytest.raises(RuntimeError, match="No clusters found"):
        ImbKMeansSMOTE(random_state=0).fit_resample(X, y)
    s = KMeansSMOTE(random_state=0)
    with pytest.warns(UserWarning, match=r"class 1 .*plain SMOTE over all of its rows"):
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [9900, 9900] and s.smote_fallback_ == [1]


def test_multiclass_each_class_follows_the_plan():
    X, y = make_classification(n_samples=1200, n_features=3, n_informative=3, n_redundant=0,
                               n_classes=3, n_clusters_per_class=1, weights=[0.7, 0.2, 0.1],
                               class_sep=3, flip_y=0, random_state=0)
    s = KMeansSMOTE(kmeans_estimator=KMeans(n_clusters=12, n_init=3, random_state=0), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _, y_res = s.fit_resample(X, y)
    counts = np.bincount(y_res)
    assert counts.tolist() == [counts[0]] * 3
    prov = s.provenance_
    syn = prov.is_synthetic
    assert np.all(y[prov.source[syn]] == y[prov.partner[syn]])


def test_n_jobs_does_not_change_the_result():
    X, y = _fixed_kmeans_data()
    a = KMeansSMOTE(kmeans_estimator=10, random_state=0, n_jobs=1).fit_resample(X, y)
    b = KMeansSMOTE(kmeans_estimator=10, random_state=0, n_jobs=-1).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])


@pytest.mark.parametrize("params, error, words", [
    (dict(cluster_balance_threshold="high"), ValueError, "'cluster_balance_threshold' parameter .* Got 'high' instead"),
    (dict(density_exponent="x"), ValueError, "'density_exponent' parameter .* Got 'x' instead"),
    (dict(kmeans_estimator=0), ValueError, r"'kmeans_estimator' parameter .* an int in the range \[1,"),
    (dict(kmeans_estimator="kmeans"), TypeError, "'kmeans_estimator' parameter .* or None"),
    (dict(k_neighbors=0), ValueError, r"'k_neighbors' parameter .* an int in the range \[1,"),
    (dict(n_jobs="all"), TypeError, "'n_jobs' parameter of KMeansSMOTE must be an instance of"),
])
def test_bad_parameters(params, error, words):
    X, y = _hand_data()
    with pytest.raises(error, match=words):
        KMeansSMOTE(**params).fit_resample(X, y)


def test_class_too_small_for_k_neighbors_falls_back_then_errors_clearly():
    X, y = _hand_data()
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="k_neighbors=6 needs at least 7"):
        KMeansSMOTE(k_neighbors=6, kmeans_estimator=3, random_state=0).fit_resample(X, y)


def test_signature_matches_imblearn():
    import inspect

    from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE

    assert str(inspect.signature(KMeansSMOTE)) == str(inspect.signature(ImbKMeansSMOTE))


@pytest.mark.filterwarnings("ignore:KMeansSMOTE. no cluster:UserWarning")
def test_sampler_contract():
    for check in sampler_checks(KMeansSMOTE()):
        check(KMeansSMOTE())


@st.composite
def _datasets(draw):
    n_classes = draw(st.integers(2, 3))
    sizes = [draw(st.integers(8, 40)) for _ in range(n_classes)]
    d = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = np.vstack([rng.normal(draw(st.floats(-3, 3)), 1.0, (m, d)) for m in sizes])
    y = np.repeat(np.arange(n_classes), sizes)
    return X, y


@settings(max_examples=20, deadline=None)
@given(data=_datasets(), seed=st.integers(0, 100), n_clusters=st.integers(1, 6),
       threshold=st.sampled_from(["auto", 0.0, 0.3]))
def test_properties(data, seed, n_clusters, threshold):
    X, y = data
    params = dict(kmeans_estimator=n_clusters, cluster_balance_threshold=threshold, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        s = KMeansSMOTE(**params)
        X_res, y_res = s.fit_resample(X, y)
        X_again, _ = KMeansSMOTE(**params).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_again)
    for c in s.sampling_plan_:
        assert np.count_nonzero(y_res == c.label) == c.n_target
    prov = s.provenance_
    syn = prov.is_synthetic
    src, par, gap = prov.source[syn], prov.partner[syn], prov.gap[syn]
    assert np.all(y[src] == y[par]) and np.all((gap >= 0) & (gap <= 1))
    np.testing.assert_allclose(X_res[syn], X[src] + gap[:, None] * (X[par] - X[src]), atol=1e-12)
    if not syn.any():
        return
    labels = s.cluster_labels_
    within = np.isin(y[src], list(s.valid_clusters_))  # classes sampled within clusters
    assert np.all(labels[src[within]] == labels[par[within]])


def test_one_cluster_is_smote():
    from smotekit import SMOTE

    X, y = make_classification(n_samples=600, weights=[0.9], flip_y=0, random_state=4)
    ours = KMeansSMOTE(kmeans_estimator=1, k_neighbors=5, random_state=7).fit_resample(X, y)
    plain = SMOTE(k_neighbors=5, random_state=7).fit_resample(X, y)
    np.testing.assert_array_equal(ours[0], plain[0])
    np.testing.assert_array_equal(ours[1], plain[1])
