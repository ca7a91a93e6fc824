"""CCR: radii and translations derived by hand, the growing neighbour search against a
full sort, the region of the new rows, and the differential test against smote-variants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils._param_validation import InvalidParameterError
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference

import smotekit.over_sampling._ccr as ccr_module
from smotekit.over_sampling import CCR


def _hand_data():
    """Minority m0 = (0, 0) with majority rows at 0.2 and 0.5 from it, and m1 = (100, 100) alone.

    With energy 1: reaching 0.2 costs 0.2 (1 inside), reaching 0.5 costs 0.3 * 2 = 0.6 (2 inside),
    the 0.2 left grows the radius by 0.2 / 3: r0 = 0.5 + 0.2 / 3. Nothing is near m1: r1 = 1.
    """
    minority = [(0.0, 0.0), (100.0, 100.0)]
    majority = [(0.2, 0.0), (0.0, 0.5)] + [(-50.0, float(i)) for i in range(4)]
    return np.array(minority + majority), np.array([1, 1] + [0] * 6)


def test_radii_and_translations_derived_on_paper():
    X, y = _hand_data()
    s = CCR(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    r0 = 0.5 + 0.2 / 3
    np.testing.assert_allclose(s.radii_[1], [r0, 1.0])
    np.testing.assert_array_equal(s.sample_rows_[1], [0, 1])
    # Shares 4 * (1/r0, 1) / (1/r0 + 1) = (2.55, 1.45): floors (2, 1), the unit left to the larger remainder.
    np.testing.assert_array_equal(s.n_generated_per_sample_[1], [3, 1])
    np.testing.assert_array_equal(s.translated_indices_, [2, 3])
    np.testing.assert_allclose(s.translations_, [[r0 - 0.2, 0.0], [0.0, r0 - 0.5]])
    assert np.bincount(y_res).tolist() == [6, 6]
    prov = s.provenance_
    # Every row but the two translated ones is kept bit for bit, in input order.
    assert prov.n_kept == 6
    np.testing.assert_array_equal(prov.source[:6], [0, 1, 4, 5, 6, 7])
    np.testing.assert_array_equal(X_res[:6], X[[0, 1, 4, 5, 6, 7]])
    # Then the translated rows, on the sphere's surface, traced to the rows they were moved from.
    np.testing.assert_array_equal(prov.source[6:8], [2, 3])
    np.testing.assert_allclose(X_res[6:8], [[r0, 0.0], [0.0, r0]])
    assert (prov.partner[6:] == -1).all() and np.isnan(prov.gap[6:]).all()
    np.testing.assert_array_equal(y_res[6:8], [0, 0])
    # Then the new rows, in the spheres of their sources.
    np.testing.assert_array_equal(np.bincount(prov.source[8:], minlength=2), [3, 1])
    np.testing.assert_array_equal(y_res[8:], 1)


def test_no_cleaning_keeps_every_row():
    X, y = _hand_data()
    s = CCR(cleaning="none", random_state=0)
    X_res, _ = s.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert s.translated_indices_.size == 0 and s.translations_.shape == (0, 2)
    np.testing.assert_allclose(s.radii_[1], [0.5 + 0.2 / 3, 1.0])


def test_a_row_at_the_centre_is_pushed_by_the_radius():
    X = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 0.0], [-9.0, 0.0], [-9.0, 1.0], [-9.0, 2.0]])
    y = np.array([1, 1, 0, 0, 0, 0])
    s = CCR(random_state=0)
    X_res, _ = s.fit_resample(X, y)
    # The duplicate costs nothing to reach; then 1 / 2 of radius: r = 0.5, in a random direction.
    np.testing.assert_allclose(s.radii_[1][0], 0.5)
    moved = np.flatnonzero(s.provenance_.source == 2)
    assert moved.size == 1 and s.provenance_.is_synthetic[moved[0]]
    np.testing.assert_allclose(np.linalg.norm(X_res[moved[0]]), 0.5)


def _radii_by_full_sort(Xmin, Xrest, energy):
    out = []
    for x in Xmin:
        d = np.sort(np.linalg.norm(Xrest - x, axis=1))
        r, left, inside = 0.0, energy, 0
        for dj in d:
            cost = (dj - r) * (inside + 1)
            if cost > left:
                break
            left, r, inside = left - cost, dj, inside + 1
        out.append(r + left / (inside + 1))
    return np.array(out)


@pytest.mark.parametrize("energy", [0.3, 2.0, 50.0])
def test_growing_search_matches_a_full_sort(monkeypatch, energy):
    X, y = overlapping_blobs(n_major=200, n_minor=30, n_features=3)
    expected = _radii_by_full_sort(X[y == 1], X[y == 0], energy)
    full = CCR(energy=energy, random_state=0)
    X_full, _ = full.fit_resample(X, y)
    np.testing.assert_allclose(full.radii_[1], expected, rtol=1e-12)
    # Tiny first k and tables: many rounds of growing k, many chunks; the very same output.
    monkeypatch.setattr(ccr_module, "_FIRST_K", 1)
    monkeypatch.setattr(ccr_module, "_TABLE_ENTRIES", 7)
    small = CCR(energy=energy, random_state=0)
    X_small, _ = small.fit_resample(X, y)
    np.testing.assert_array_equal(small.radii_[1], full.radii_[1])
    np.testing.assert_array_equal(X_small, X_full)


def _drawn(s):
    """Output positions of the new rows: after the kept rows and the translated ones."""
    start = s.provenance_.n_kept + s.translated_indices_.size
    return np.arange(start, len(s.provenance_))


def _translated(s):
    start = s.provenance_.n_kept
    return np.arange(start, start + s.translated_indices_.size)


def _assert_in_spheres(s, X, X_res, y_res, tol=1e-9):
    prov = s.provenance_
    drawn = _drawn(s)
    for label, rows in s.sample_rows_.items():
        radius = dict(zip(rows.tolist(), s.radii_[label]))
        new = drawn[y_res[drawn] == label]
        assert new.size == sum(c.n_add for c in s.sampling_plan_ if c.label == label)
        centre = prov.source[new]
        dist = np.linalg.norm(X_res[new] - X[centre], axis=1)
        assert (dist <= np.array([radius[c] for c in centre.tolist()]) + tol).all()


def test_new_rows_lie_in_their_spheres_three_classes():
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.normal(0, 1, (120, 3)), rng.normal(0.8, 1, (40, 3)), rng.normal(-0.8, 1, (25, 3))])
    y = np.repeat([0, 1, 2], [120, 40, 25])
    s = CCR(random_state=3)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [120, 120, 120]
    assert set(s.radii_) == {1, 2} and s.translated_indices_.size > 0
    _assert_in_spheres(s, X, X_res, y_res)
    # Each translated row is its input row plus its translation, of its own class.
    prov = s.provenance_
    moved = _translated(s)
    np.testing.assert_array_equal(prov.source[moved], s.translated_indices_)
    np.testing.assert_allclose(X_res[moved], X[s.translated_indices_] + s.translations_)
    np.testing.assert_array_equal(y_res[moved], y[s.translated_indices_])


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), energy=st.floats(0.05, 5.0))
def test_property_new_rows_in_spheres_and_counts_exact(seed, energy):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    s = CCR(energy=energy, random_state=seed)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [30, 30]
    assert (s.radii_[1] > 0).all() and (s.radii_[1] <= energy * (1 + 1e-12)).all()
    _assert_in_spheres(s, X, X_res, y_res)


def test_against_smote_variants():
    X, y = overlapping_blobs()
    ours = CCR(random_state=0)
    X_res, y_res = ours.fit_resample(X, y)
    X_sv, y_sv = reference("CCR", X, y, random_state=0, energy=1.0)
    # Counts: ours reach the plan exactly; smote-variants rounds each sphere's share on its
    # own (normalised by a ratio of sums), so it lands near it only.
    assert np.bincount(y_res).tolist() == [600, 600]
    assert abs(np.count_nonzero(y_sv == 1) - 600) <= 60
    # smote-variants computes the translations but returns the input rows unchanged (its
    # cleaning has no effect on the output); ours moves the majority rows inside spheres.
    np.testing.assert_array_equal(X_sv[: len(X)], X)
    assert ours.translated_indices_.size > 0 and (y[ours.translated_indices_] == 0).all()
    # New rows: same distribution, although theirs are drawn in L1 balls, ours in Euclidean ones.
    new = _drawn(ours)
    assert_same_distribution(X_res[new], X_sv[len(X):])


def test_pandas_in_pandas_out_and_determinism():
    pd = pytest.importorskip("pandas")
    X, y = overlapping_blobs(n_major=100, n_minor=20, n_features=3)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res = CCR(random_state=5).fit_resample(df, pd.Series(y, name="t"))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    again, _ = CCR(random_state=5).fit_resample(X, y)
    np.testing.assert_array_equal(X_res.to_numpy(), again)
    other, _ = CCR(random_state=6).fit_resample(X, y)
    assert not np.array_equal(other, again)


def test_input_untouched():
    X, y = overlapping_blobs(n_major=100, n_minor=20)
    X0, y0 = X.copy(), y.copy()
    X.setflags(write=False)
    CCR(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("params, match", [
    ({"energy": 0.0}, "energy"),
    ({"energy": -1.0}, "energy"),
    ({"energy": True}, "energy"),
    ({"cleaning": "remove"}, "cleaning"),
])
def test_bad_parameters_are_named(params, match):
    X, y = overlapping_blobs(n_major=50, n_minor=10)
    with pytest.raises((ValueError, InvalidParameterError), match=match):
        CCR(**params).fit_resample(X, y)


def test_an_energy_far_beyond_the_data_is_refused_not_swallowed(monkeypatch):
    # Spheres that hold most of the other classes would need memory in n_min x n_other.
    monkeypatch.setattr(ccr_module, "_MAX_INSIDE", 100)
    rng = np.random.default_rng(0)
    X = rng.normal(scale=0.01, size=(220, 3))
    y = np.r_[np.zeros(200, int), np.ones(20, int)]
    with pytest.raises(ValueError, match="Standardise the features, or lower energy"):
        CCR(random_state=0).fit_resample(X, y)
