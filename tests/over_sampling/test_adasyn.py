"""ADASYN: allocation derived on paper, differential tests against imbalanced-learn,
the perfectly separated case, properties, and the sampler contract."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit.over_sampling._adasyn import ADASYN, apportion
from smotekit.utils.estimator_checks import sampler_checks


def _hand_data(n_far_majority):
    """Minority rows m0..m3 (label 1) whose 3 nearest neighbours are known:

    m0 = (0, 0) sits among three majority rows at 0.1, 0.2, 0.3: r = 3/3.
    m1, m2, m3 = (100, 0), (101, 0), (102, 0) with one majority row at (100, 1.5):
    m1 -> m2 (1), M (1.5), m3 (2); m2 -> m1 (1), m3 (1), M (1.80);
    m3 -> m2 (1), m1 (2), M (2.5): r = 1/3 each. Other majority rows are far away.
    """
    minority = [(0.0, 0.0), (100.0, 0.0), (101.0, 0.0), (102.0, 0.0)]
    majority = [(0.1, 0.0), (0.0, 0.2), (-0.3, 0.0), (100.0, 1.5)]
    majority += [(-100.0, float(i)) for i in range(n_far_majority)]
    X = np.array(minority + majority)
    y = np.array([1] * 4 + [0] * len(majority))
    return X, y


def test_allocation_derived_on_paper_exact():
    # 10 majority rows -> 6 to generate; shares 6 * (3, 1, 1, 1) / 6 = (3, 1, 1, 1).
    X, y = _hand_data(6)
    s = ADASYN(n_neighbors=3, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    np.testing.assert_allclose(s.difficulty_[1], [1.0, 1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_array_equal(s.n_generated_per_sample_[1], [3, 1, 1, 1])
    np.testing.assert_array_equal(s.sample_rows_[1], [0, 1, 2, 3])
    assert np.bincount(y_res).tolist() == [10, 10]
    # Seeds of the new rows, per input row, are exactly the allocation.
    prov = s.provenance_
    np.testing.assert_array_equal(np.bincount(prov.source[prov.is_synthetic], minlength=4), [3, 1, 1, 1])
    # imbalanced-learn agrees when every share is a whole number.
    from imblearn.over_sampling import ADASYN as ImbADASYN

    _, y_imb = ImbADASYN(n_neighbors=3, random_state=0).fit_resample(X, y)
    assert np.bincount(y_imb).tolist() == [10, 10]


def test_allocation_with_remainders_is_exact_where_rounding_is_not():
    # 12 majority rows -> 8 to generate; exact shares (4, 4/3, 4/3, 4/3):
    # floors (4, 1, 1, 1) and the one missing unit to one of the tied 1/3 remainders.
    X, y = _hand_data(8)
    for seed in range(5):
        s = ADASYN(n_neighbors=3, random_state=seed)
        _, y_res = s.fit_resample(X, y)
        alloc = s.n_generated_per_sample_[1]
        assert alloc[0] == 4 and sorted(alloc[1:].tolist()) == [1, 1, 2]
        assert np.bincount(y_res).tolist() == [12, 12]
    # imbalanced-learn rounds each share on its own: rint(4/3) = 1 three times -> 7, not 8.
    from imblearn.over_sampling import ADASYN as ImbADASYN

    _, y_imb = ImbADASYN(n_neighbors=3, random_state=0).fit_resample(X, y)
    assert np.bincount(y_imb).tolist() == [12, 11]


def test_apportion_is_exact_and_within_floor_and_ceiling():
    rng = np.random.default_rng(0)
    for _ in range(50):
        w = rng.integers(0, 6, size=rng.integers(1, 40))
        w[0] = max(w[0], 1)
        total = int(rng.integers(0, 1000))
        got = apportion(w, total, rng)
        quota = total * w / w.sum()
        assert got.sum() == total
        assert np.all(got >= np.floor(quota)) and np.all(got <= np.ceil(quota))
        wf = rng.random(w.size) ** 8  # float weights
        got = apportion(wf, total, rng)
        assert got.sum() == total and np.all(got >= 0)
        assert np.all(np.abs(got - total * wf / wf.sum()) < 1 + 1e-9)


@pytest.mark.parametrize("weights", [[0.9, 0.1], [0.7, 0.2, 0.1]])
def test_differential_against_imblearn(weights):
    from imblearn.over_sampling import ADASYN as ImbADASYN

    X, y = make_classification(n_samples=1500, n_features=5, n_informative=3, n_redundant=0,
                               n_classes=len(weights), n_clusters_per_class=1, weights=weights,
                               flip_y=0.02, random_state=4)
    ours = ADASYN(random_state=0)
    _, y_res = ours.fit_resample(X, y)
    theirs = ImbADASYN(random_state=0)
    _, y_imb = theirs.fit_resample(X, y)
    for label, n_add in ours.sampling_strategy_.items():
        assert np.count_nonzero(y_res == label) == np.count_nonzero(y == label) + n_add
        rows = np.flatnonzero(y == label)
        nn = NearestNeighbors(n_neighbors=6).fit(X).kneighbors(X[rows], return_distance=False)[:, 1:]
        r = np.mean(y[nn] != label, axis=1)  # imbalanced-learn's ratio (no duplicate rows here)
        np.testing.assert_allclose(ours.difficulty_[label], r)
        quota = r / r.sum() * n_add
        alloc = ours.n_generated_per_sample_[label]
        assert np.all((alloc == np.floor(quota)) | (alloc == np.ceil(quota)))
        rint = np.rint(quota).astype(int)
        assert np.abs(alloc - rint).max() <= 1
        # imbalanced-learn's class count is the sum of its per-sample roundings.
        assert np.count_nonzero(y_imb == label) == np.count_nonzero(y == label) + rint.sum()
    assert ours.sampling_strategy_ == theirs.sampling_strategy_


def test_classic_one_to_hundred_problem():
    from imblearn.over_sampling import ADASYN as ImbADASYN

    X, y = make_classification(n_samples=10_000, n_features=2, n_redundant=0, n_clusters_per_class=1,
                               weights=[0.99], flip_y=0, random_state=1)
    ours = ADASYN(random_state=0)
    _, y_res = ours.fit_resample(X, y)
    _, y_imb = ImbADASYN(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [9900, 9900]
    assert np.bincount(y_imb).tolist() == [9900, 9899]  # per-sample rounding misses by one
    # Every sample with the same r_i has the same rounding error: they add up.
    r = ours.difficulty_[1]
    quota = 9800 * r / r.sum()
    assert np.rint(quota).sum() == 9799 and len(np.unique(quota)) <= 6


def test_partner_is_one_of_the_seeds_class_neighbours_and_point_on_segment():
    X, y = make_classification(n_samples=600, n_features=4, weights=[0.85], flip_y=0.05,
                               random_state=2)
    s = ADASYN(n_neighbors=4, random_state=1)
    X_res, y_res = s.fit_resample(X, y)
    prov = s.provenance_
    syn = prov.is_synthetic
    src, par, gap = prov.source[syn], prov.partner[syn], prov.gap[syn]
    np.testing.assert_allclose(X_res[syn], X[src] + gap[:, None] * (X[par] - X[src]))
    assert np.all((gap >= 0) & (gap < 1)) and np.all(y[src] == y[par]) and np.all(y_res[syn] == y[src])
    rows = np.flatnonzero(y == 1)
    local = NearestNeighbors(n_neighbors=5).fit(X[rows]).kneighbors(X[rows], return_distance=False)[:, 1:]
    position = {r: i for i, r in enumerate(rows)}
    for a, b in zip(src, par):
        assert position[b] in local[position[a]]


def test_perfect_separation_falls_back_to_uniform_allocation_with_warning():
    from imblearn.over_sampling import ADASYN as ImbADASYN

    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (40, 3)), rng.normal(50, 1, (10, 3))])
    y = np.array([0] * 40 + [1] * 10)
    with pytest.raises(RuntimeError, match="Not any neigbours"):
        ImbADASYN(random_state=0).fit_resample(X, y)
    s = ADASYN(random_state=0)
    with pytest.warns(UserWarning, match=r"class 1 .*evenly over all of its rows"):
        X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [40, 40]
    assert s.uniform_fallback_ == [1]
    np.testing.assert_array_equal(s.n_generated_per_sample_[1], np.full(10, 3))
    np.testing.assert_array_equal(s.difficulty_[1], np.zeros(10))
    assert np.all(np.abs(X_res[50:] - 50) < 6)  # stays within the minority blob


def test_duplicated_rows_are_not_their_own_neighbours():
    # Three copies of one minority row among majority rows: each copy's nearest
    # neighbours are its two copies, then majority rows.
    X = np.array([[0.0, 0.0]] * 3 + [[10.0, 0.0], [11.0, 0.0], [0.5, 0.0], [0.0, 0.6], [5.0, 5.0],
                                      [6.0, 5.0], [7.0, 5.0], [8.0, 5.0], [9.0, 5.0]])
    y = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    s = ADASYN(n_neighbors=3, random_state=0)
    s.fit_resample(X, y)
    np.testing.assert_allclose(s.difficulty_[1][:3], [1 / 3] * 3)


def test_neighbours_object_equals_int():
    X, y = make_classification(n_samples=400, n_features=3, n_informative=3, n_redundant=0,
                               weights=[0.8], random_state=5)
    a = ADASYN(n_neighbors=4, random_state=3).fit_resample(X, y)
    s = ADASYN(n_neighbors=NearestNeighbors(n_neighbors=5), random_state=3)
    b = s.fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    assert s.nn_.n_neighbors == 5


def test_errors_name_the_parameter():
    X, y = _hand_data(6)
    with pytest.raises(ValueError, match="n_neighbors=4 needs at least 5"):
        ADASYN(n_neighbors=4).fit_resample(X, y)
    # Parameter constraints (scikit-learn's messages) name the parameter, the range and the value.
    with pytest.raises(ValueError, match=r"'n_neighbors' parameter of ADASYN must be an int in the range \[1,"):
        ADASYN(n_neighbors=0).fit_resample(X, y)
    with pytest.raises(TypeError, match="'n_neighbors' parameter of ADASYN .* Got 'five' instead"):
        ADASYN(n_neighbors="five").fit_resample(X, y)


def test_signature_matches_imblearn():
    import inspect

    from imblearn.over_sampling import ADASYN as ImbADASYN

    assert str(inspect.signature(ADASYN)) == str(inspect.signature(ImbADASYN))


@pytest.mark.filterwarnings("ignore:ADASYN. no row:UserWarning")
def test_sampler_contract():
    for check in sampler_checks(ADASYN()):
        check(ADASYN())


@st.composite
def _datasets(draw):
    n_classes = draw(st.integers(2, 3))
    sizes = [draw(st.integers(6, 25)) for _ in range(n_classes)]
    d = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(draw(st.floats(-2, 2)), 1.0, (m, d)) for m in sizes])
    y = np.repeat(np.arange(n_classes), sizes)
    return X, y


@settings(max_examples=30, deadline=None)
@given(data=_datasets(), seed=st.integers(0, 100), k=st.integers(1, 5))
def test_properties(data, seed, k):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        s = ADASYN(n_neighbors=k, random_state=seed)
        X_res, y_res = s.fit_resample(X, y)
        X_again, y_again = ADASYN(n_neighbors=k, random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_again)
    np.testing.assert_array_equal(y_res, y_again)
    for c in s.sampling_plan_:
        assert np.count_nonzero(y_res == c.label) == c.n_target
    prov = s.provenance_
    syn = prov.is_synthetic
    src, par, gap = prov.source[syn], prov.partner[syn], prov.gap[syn]
    assert np.all(y[src] == y[par]) and np.all((gap >= 0) & (gap <= 1))
    np.testing.assert_allclose(X_res[syn], X[src] + gap[:, None] * (X[par] - X[src]), atol=1e-12)
    for label, alloc in s.n_generated_per_sample_.items():
        assert alloc.sum() == s.sampling_strategy_[label]
