"""NearMiss 1, 2, 3: hand-built cases, a brute-force reference, and imbalanced-learn's rows."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit.neighbors._farthest import farthest_sum
from smotekit.under_sampling._nearmiss import NearMiss
from smotekit.utils.estimator_checks import check_counts_follow_plan, sampler_checks

imblearn_us = pytest.importorskip("imblearn.under_sampling")


def _reference(X, y, version, k=3, k3=3):
    """NearMiss from its definition, with a full distance matrix (small data only)."""
    labels, counts = np.unique(y, return_counts=True)
    first = [np.flatnonzero(y == c)[0] for c in labels]
    smallest = np.flatnonzero(counts == counts.min())
    minority = labels[min(smallest, key=lambda i: first[i])]
    n_keep = counts.min()
    M = X[y == minority]
    kept = []
    for c in labels:
        rows = np.flatnonzero(y == c)
        if c == minority:
            kept.append(rows)
            continue
        D = np.sqrt(((X[rows][:, None, :] - M[None]) ** 2).sum(-1))
        Ds = np.sort(D, axis=1)
        if version == 1:
            pick = np.argsort(Ds[:, :k].sum(1), kind="stable")[:n_keep]
        elif version == 2:
            pick = np.argsort(Ds[:, -k:].sum(1), kind="stable")[:n_keep]
        else:
            near = np.lexsort((np.broadcast_to(np.arange(rows.size)[:, None], D.shape), D), axis=0)[:k3]
            short = np.unique(near)
            score = Ds[short, :k].sum(1)
            pick = short[np.lexsort((np.arange(short.size), -score))[:n_keep]]
        kept.append(rows[np.sort(pick)])
    return np.concatenate(kept)


# ------------------------------------------------------------------ hand-built cases

# Minority at (0, 0) and (0, 1); majority along the x axis and one far point.
X_HAND = np.array([
    [0.0, 0.0], [0.0, 1.0],            # 0, 1: minority
    [1.0, 0.0], [2.0, 0.0], [3.0, 0.0],  # 2, 3, 4
    [0.5, 0.5], [10.0, 10.0],           # 5, 6
])
Y_HAND = np.array([1, 1, 0, 0, 0, 0, 0])


def test_hand_built_version1():
    # Mean distance to the 2 nearest minority points: row 5 (0.707 each) and row 2
    # (1 + 1.414) are the two closest.
    s = NearMiss(version=1, n_neighbors=2)
    _, y_res = s.fit_resample(X_HAND, Y_HAND)
    assert s.sample_indices_.tolist() == [2, 5, 0, 1]
    assert y_res.tolist() == [0, 0, 1, 1]


def test_hand_built_version2():
    # Distance to the farthest minority point: row 5 is 0.707 from both, row 2 is
    # sqrt 2 from (0, 1); every other row is farther.
    s = NearMiss(version=2, n_neighbors=1)
    s.fit_resample(X_HAND, Y_HAND)
    assert s.sample_indices_.tolist() == [2, 5, 0, 1]


def test_hand_built_version3():
    # Short list: the nearest majority row of each minority point: row 5 for both.
    # Only one row can be short-listed, so one is kept, with a warning.
    s = NearMiss(version=3, n_neighbors=1, n_neighbors_ver3=1)
    with pytest.warns(UserWarning, match="short-listed 1 samples"):
        s.fit_resample(X_HAND, Y_HAND)
    assert s.sample_indices_.tolist() == [5, 0, 1]
    # Two per minority point: rows 5 and 2 for both (row 3 is sqrt 5 from (0, 1)).
    s = NearMiss(version=3, n_neighbors=1, n_neighbors_ver3=2).fit(X_HAND, Y_HAND)
    s.fit_resample(X_HAND, Y_HAND)
    assert s.sample_indices_.tolist() == [2, 5, 0, 1]


def test_equal_scores_keep_input_order():
    # Four majority rows at the same distance from the single minority point.
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [5.0, 5.0]])
    y = np.array([1, 0, 0, 0, 0, 0])
    for version in (1, 2, 3):
        s = NearMiss(version=version, n_neighbors=1, n_neighbors_ver3=5,
                     sampling_strategy={0: 2})
        s.fit_resample(X, y)
        # NearMiss-3 keeps the far row 5 first, then the first of the tied rows.
        expected = [1, 5] if version == 3 else [1, 2]
        assert sorted(s.sample_indices_[:2].tolist()) == expected, version


def test_minority_tie_goes_to_first_seen_class():
    # Classes 0 and 2 both have 3 rows; 2 appears first in y, so it is the minority.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2))
    y = np.array([2, 0, 0, 1, 1, 1, 1, 1, 1, 0, 2, 2])
    s = NearMiss()
    _, y_res = s.fit_resample(X, y)
    theirs = imblearn_us.NearMiss().fit(X, y)
    theirs.fit_resample(X, y)
    assert sorted(s.sample_indices_.tolist()) == sorted(theirs.sample_indices_.tolist())


# ------------------------------------------------------------------ reference and imblearn

def _datasets():
    rng = np.random.default_rng(42)
    out = {}
    X, y = make_classification(n_samples=1500, n_features=6, n_informative=4, weights=[0.9],
                               random_state=0)
    out["random"] = (X, y)
    X, y = make_classification(n_samples=1500, n_features=20, n_informative=5, n_redundant=0,
                               n_clusters_per_class=3, class_sep=2.0, weights=[0.92],
                               random_state=1)
    out["clustered"] = (X, y)
    pool, y_pool = rng.normal(size=(150, 20)), (rng.random(150) < 0.2).astype(int)
    pick = rng.integers(0, 150, 1500)
    out["duplicates"] = (pool[pick], y_pool[pick])
    X, y = make_classification(n_samples=2000, n_features=8, n_informative=5, n_classes=4,
                               weights=[0.05, 0.15, 0.3, 0.5], random_state=3)
    out["multiclass"] = (X, y)
    return out


DATASETS = _datasets()


def _per_class(idx, y):
    return {c: sorted(idx[y[idx] == c].tolist()) for c in np.unique(y)}


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("version", [1, 2, 3])
def test_same_rows_as_imblearn(name, version):
    X, y = DATASETS[name]
    ours = NearMiss(version=version)
    X_res, y_res = ours.fit_resample(X, y)
    kwargs = {}
    if version == 3 and X.shape[1] <= 15:
        # scikit-learn's kd-tree orders equal distances by its traversal; brute
        # force by row index, as smotekit does (see NearMiss's Notes).
        kwargs["n_neighbors_ver3"] = NearestNeighbors(n_neighbors=3, algorithm="brute")
    theirs = imblearn_us.NearMiss(version=version, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_ref, y_ref = theirs.fit_resample(X, y)
    assert _per_class(ours.sample_indices_, y) == _per_class(theirs.sample_indices_, y)
    assert np.array_equal(X_res, X[ours.sample_indices_])
    assert np.bincount(y_res).tolist() == np.bincount(y_ref).tolist()


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("version", [1, 2, 3])
def test_matches_reference(name, version):
    X, y = DATASETS[name]
    s = NearMiss(version=version)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s.fit_resample(X, y)
    assert s.sample_indices_.tolist() == _reference(X, y, version).tolist()


@settings(max_examples=25, deadline=None)
@given(
    X=arrays(np.float64, st.tuples(st.integers(8, 30), st.integers(1, 4)),
             elements=st.integers(-3, 3).map(float)),
    version=st.sampled_from([1, 2, 3]),
    k=st.integers(1, 3),
    minority_size=st.integers(3, 5),
)
def test_property_matches_reference(X, version, k, minority_size):
    # Small integer grids: many exact ties and duplicates.
    y = np.zeros(X.shape[0], dtype=int)
    y[:minority_size] = 1
    y = np.roll(y, X.shape[0] // 3)
    s = NearMiss(version=version, n_neighbors=k, n_neighbors_ver3=k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_res, y_res = s.fit_resample(X, y)
    assert s.sample_indices_.tolist() == _reference(X, y, version, k, k).tolist()
    assert np.array_equal(X_res, X[s.sample_indices_])
    if version != 3:
        # With 8 rows and 5 "minority" rows, class 0 is the smaller one.
        smallest = int(np.bincount(y).min())
        assert np.bincount(y_res).tolist() == [smallest, smallest]


# ------------------------------------------------------------------ the farthest-rows scan

def test_farthest_sum_exact_and_backend_independent(monkeypatch):
    import smotekit.neighbors._farthest as nm

    rng = np.random.default_rng(5)
    M = rng.normal(size=(300, 7)) + 1e4  # a large offset stresses the rounding bound
    Q = rng.normal(size=(900, 7)) + 1e4
    Q[:50] = M[:50]
    D = np.sqrt(((Q[:, None, :] - M[None]) ** 2).sum(-1))
    ref = np.sort(D, axis=1)[:, -4:].sum(1)
    got = farthest_sum(M, Q, 4)
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    monkeypatch.setattr(nm, "_FARTHEST_BLOCK_ELEMENTS", 4096)
    monkeypatch.setattr(nm, "available_methods", lambda: ("auto", "kd_tree", "brute"))
    assert np.array_equal(farthest_sum(M, Q, 4), got)
    # Sparse rows sum their squares in another order: equal up to the last bits.
    np.testing.assert_allclose(farthest_sum(sparse.csr_matrix(M), sparse.csr_matrix(Q), 4), got,
                               rtol=1e-13)
    np.testing.assert_allclose(farthest_sum(M[:5], Q, 4), np.sort(D[:, :5], axis=1)[:, -4:].sum(1),
                               rtol=1e-12)


def test_farthest_sum_with_a_duplicated_minority():
    # Many minority rows tie at the k-th farthest place: the certificate fails
    # for most queries, which are then screened and recomputed exactly.
    rng = np.random.default_rng(6)
    M = rng.normal(size=(12, 5))[rng.integers(0, 12, 400)]
    Q = rng.normal(size=(700, 5))
    D = np.sqrt(((Q[:, None, :] - M[None]) ** 2).sum(-1))
    np.testing.assert_allclose(farthest_sum(M, Q, 3), np.sort(D, axis=1)[:, -3:].sum(1),
                               rtol=1e-13)


def test_sparse_and_n_jobs_give_the_same_rows():
    X, y = DATASETS["multiclass"]
    for version in (1, 2, 3):
        dense = NearMiss(version=version).fit(X, y)
        dense.fit_resample(X, y)
        for Xs, n_jobs in ((sparse.csr_matrix(X), None), (X, 1), (X, -1)):
            s = NearMiss(version=version, n_jobs=n_jobs)
            s.fit_resample(Xs, y)
            assert np.array_equal(s.sample_indices_, dense.sample_indices_)


def test_neighbors_objects_are_used_and_fitted_attributes():
    X, y = DATASETS["random"]
    s = NearMiss(version=3, n_neighbors=NearestNeighbors(n_neighbors=3),
                 n_neighbors_ver3=NearestNeighbors(n_neighbors=3, algorithm="brute"))
    s.fit_resample(X, y)
    ints = NearMiss(version=3)
    ints.fit_resample(X, y)
    assert np.array_equal(s.sample_indices_, ints.sample_indices_)
    assert isinstance(ints.nn_, NearestNeighbors) and ints.nn_.n_neighbors == 3
    assert ints.nn_.n_samples_fit_ == np.sum(y == 1)
    assert ints.nn_ver3_.n_samples_fit_ == np.sum(y == 0)
    v1 = NearMiss(version=1)
    v1.fit_resample(X, y)
    assert not hasattr(v1, "nn_ver3_")


# ------------------------------------------------------------------ errors and the contract

@pytest.mark.parametrize("params, words", [
    ({"version": 4}, r"'version' parameter of NearMiss must be an int in the range \[1, 3\]. Got 4"),
    ({"n_neighbors": 0}, r"'n_neighbors' parameter of NearMiss must be an int in the range \[1, inf\)"),
    ({"n_neighbors": "three"}, "'n_neighbors' parameter of NearMiss .* Got 'three' instead"),
    ({"version": 3, "n_neighbors_ver3": -1}, r"'n_neighbors_ver3' parameter of NearMiss .* Got -1"),
    ({"n_neighbors": 50}, "n_neighbors=50 needs at least 50 samples of the minority class"),
    ({"n_jobs": 0}, "n_jobs must be None or a non-zero int"),
])
def test_clear_errors(params, words):
    X, y = DATASETS["random"][0][:400], DATASETS["random"][1][:400]
    with pytest.raises((ValueError, TypeError), match=words):
        NearMiss(**params).fit_resample(X, y)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_sampler_contract(version):
    s = NearMiss(version=version)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for check in sampler_checks(s):
            # NearMiss-3 keeps at most its short list, which may be shorter than
            # the plan's target (imbalanced-learn does the same): no exact counts.
            if version == 3 and check is check_counts_follow_plan:
                continue
            check(s)
