"""PolynomFitSMOTE: differential tests against smote-variants' polynom_fit_SMOTE_*, where each
topology puts its rows (from provenance_), counts, order invariance, and the usual contract."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference

from smotekit.over_sampling import PolynomFitSMOTE
from smotekit.over_sampling._polynom_fit import principal_order
from smotekit.utils.estimator_checks import sampler_checks

TOPOLOGIES = ["star", "bus", "mesh", "polynomial"]


def _synthetic(sampler, X, y):
    X_res, y_res = sampler.fit_resample(X, y)
    new = sampler.provenance_.is_synthetic
    return np.asarray(X_res)[new], np.asarray(y_res)


def _curve(seed=0, n_minor=80):
    """A minority class along a noisy curve (its first principal axis and the order of the rows'
    means agree: both libraries then fit the same curve), rows shuffled, and a majority blob."""
    rng = np.random.default_rng(seed)
    s = rng.uniform(0.0, 3.0, n_minor)
    minor = np.column_stack([s, s**2 / 3, np.sin(s), 2 * s]) + rng.normal(0.0, 0.05, (n_minor, 4))
    X = np.concatenate([rng.normal(1.0, 1.0, (400, 4)), minor])
    return X, np.repeat([0, 1], [400, n_minor])


# -- differential tests against smote-variants 1.0.1 --------------------------------------------

@pytest.mark.parametrize("topology, name", [("star", "polynom_fit_SMOTE_star"), ("mesh", "polynom_fit_SMOTE_mesh")])
@pytest.mark.parametrize("seed", [0, 1])
def test_star_and_mesh_match_smote_variants(topology, name, seed):
    X, y = overlapping_blobs(seed=seed)  # 600 vs 60: 540 to add, 9 per row
    ours, y_ours = _synthetic(PolynomFitSMOTE(topology=topology, random_state=seed), X, y)
    X_sv, y_sv = reference(name, X, y, random_state=seed)
    assert np.bincount(y_ours).tolist() == np.bincount(y_sv.astype(int)).tolist() == [600, 600]
    assert_same_distribution(ours, X_sv[len(X):])


@pytest.mark.parametrize("seed", [0, 1])
def test_bus_matches_smote_variants_on_rows_given_in_bus_order(seed):
    # smote-variants links the rows in input order; given in our order (the first principal
    # axis), both libraries build the same bus.
    X, y = overlapping_blobs(seed=seed)
    minority = np.flatnonzero(y == 1)
    X = np.concatenate([X[y == 0], X[minority][principal_order(X[minority])]])
    ours, y_ours = _synthetic(PolynomFitSMOTE(topology="bus", random_state=seed), X, y)
    X_sv, y_sv = reference("polynom_fit_SMOTE_bus", X, y, random_state=seed)
    assert_same_distribution(ours, X_sv[len(X):])
    # Counts: the plan here; round(540 / 60) = 9 per link on its 59 links there.
    assert np.bincount(y_ours).tolist() == [600, 600]
    assert np.bincount(y_sv.astype(int)).tolist() == [600, 60 + 59 * 9]


@pytest.mark.parametrize("degree", [1, 2, 3])
def test_polynomial_matches_smote_variants_where_the_orders_agree(degree):
    X, y = _curve()
    ours, y_ours = _synthetic(PolynomFitSMOTE(topology="polynomial", degree=degree, random_state=0), X, y)
    X_sv, y_sv = reference("polynom_fit_SMOTE_poly", X, y, random_state=0, order=degree)
    assert np.bincount(y_ours).tolist() == np.bincount(y_sv.astype(int)).tolist() == [400, 400]
    assert_same_distribution(ours, X_sv[len(X):])


# -- where the new rows lie --------------------------------------------------------------------

def _fitted(topology, X, y, **params):
    sampler = PolynomFitSMOTE(topology=topology, random_state=0, **params)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    new = prov.is_synthetic
    return sampler, np.asarray(X_res)[new], prov.source[new], prov.partner[new], prov.gap[new]


def _assert_on_star(X, center, new, source):
    # new = x + g (c - x) with g in [0, 1]: g from the projection, then no residual.
    step = center - X[source]
    g = np.einsum("ij,ij->i", new - X[source], step) / np.einsum("ij,ij->i", step, step)
    assert ((g >= 0) & (g <= 1)).all()
    np.testing.assert_allclose(new, X[source] + g[:, None] * step, atol=1e-12)


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_region(topology):
    X, y = overlapping_blobs(n_major=200, n_minor=23)
    sampler, new, source, partner, gap = _fitted(topology, X, y)
    assert new.shape[0] == 177 and (y[source] == 1).all()
    if topology == "star":
        assert (partner == -1).all() and np.isnan(gap).all()
        _assert_on_star(X, sampler.centers_[1], new, source)
        np.testing.assert_allclose(sampler.centers_[1], X[y == 1].mean(axis=0))
    elif topology in ("bus", "mesh"):
        assert (y[partner] == 1).all() and (partner != source).all() and ((gap >= 0) & (gap <= 1)).all()
        np.testing.assert_allclose(new, X[source] + gap[:, None] * (X[partner] - X[source]), atol=1e-12)
        if topology == "bus":  # links join consecutive rows of the path
            position = {row: j for j, row in enumerate(sampler.paths_[1])}
            assert all(position[p] == position[s] + 1 for s, p in zip(source, partner))
    else:
        assert (partner == -1).all() and np.isnan(gap).all()
        coef, path = sampler.coefficients_[1], sampler.paths_[1]
        grid = np.polynomial.polynomial.polyvander(np.linspace(0, 1, 2001), 2) @ coef
        assert ((new >= grid.min(axis=0) - 1e-9) & (new <= grid.max(axis=0) + 1e-9)).all()
        assert set(source) <= set(path)


def test_polynomial_of_degree_one_lies_on_the_fitted_segment():
    X, y = overlapping_blobs(n_major=200, n_minor=23)
    sampler, new, source, _, _ = _fitted("polynomial", X, y, degree=1)
    coef = sampler.coefficients_[1]
    start, end = coef[0], coef[0] + coef[1]
    t = (new - start) @ (end - start) / ((end - start) @ (end - start))
    assert ((t >= 0) & (t <= 1)).all()
    np.testing.assert_allclose(new, start + t[:, None] * (end - start), atol=1e-12)
    # The source is the row of the path nearest to the sample's parameter.
    path = sampler.paths_[1]
    np.testing.assert_array_equal(source, path[np.rint(t * (path.size - 1)).astype(int)])
    # Least squares of each feature on the position along the path.
    s = np.linspace(0, 1, path.size)
    np.testing.assert_allclose(coef, np.polynomial.polynomial.polyfit(s, X[path], 1))


@pytest.mark.parametrize("topology", ["star", "bus"])
def test_even_shares_one_per_stretch_of_each_link(topology):
    X, y = overlapping_blobs(n_major=200, n_minor=23)  # 177 = 23 * 7 + 16 on the star, 22 * 8 + 1 on the bus
    sampler, new, source, _, gap = _fitted(topology, X, y)
    if topology == "star":
        centre = sampler.centers_[1]
        gap = np.linalg.norm(new - X[source], axis=1) / np.linalg.norm(centre - X[source], axis=1)
    counts = np.bincount(source, minlength=len(y))[y == 1]
    if topology == "bus":
        counts = counts[np.isin(np.flatnonzero(y == 1), sampler.paths_[1][:-1])]
    assert counts.sum() == 177 and counts.max() - counts.min() <= 1
    for row in np.unique(source):
        g = np.sort(gap[source == row])
        np.testing.assert_array_equal(np.floor(g * g.size), np.arange(g.size))


@settings(max_examples=25, deadline=None)
@given(topology=st.sampled_from(TOPOLOGIES), n_minor=st.integers(4, 15), d=st.integers(1, 4),
       seed=st.integers(0, 2**16))
def test_counts_and_region_property(topology, n_minor, d, seed):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(0.0, 1.0, (40, d)), rng.normal(1.0, 2.0, (n_minor, d))])
    y = np.repeat([0, 1], [40, n_minor])
    sampler, new, source, partner, gap = _fitted(topology, X, y)
    assert new.shape[0] == 40 - n_minor and np.isfinite(new).all()
    if topology == "star":
        box = X[y == 1]
        assert ((new >= box.min(axis=0) - 1e-9) & (new <= box.max(axis=0) + 1e-9)).all()
    elif topology != "polynomial":
        np.testing.assert_allclose(new, X[source] + gap[:, None] * (X[partner] - X[source]), atol=1e-9)


# -- order, classes, containers, errors ---------------------------------------------------------

@pytest.mark.parametrize("topology", ["bus", "polynomial"])
def test_path_does_not_depend_on_the_input_order(topology):
    X, y = overlapping_blobs(n_major=100, n_minor=30)
    perm = np.random.default_rng(3).permutation(len(y))
    a, b = PolynomFitSMOTE(topology=topology, random_state=0), PolynomFitSMOTE(topology=topology, random_state=0)
    a.fit_resample(X, y)
    b.fit_resample(X[perm], y[perm])
    np.testing.assert_array_equal(perm[b.paths_[1]], a.paths_[1])
    if topology == "polynomial":
        np.testing.assert_allclose(b.coefficients_[1], a.coefficients_[1])


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_multiclass_dataframe_and_reproducibility(topology):
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 1, (50, 3)), rng.normal(2, 1, (20, 3)), rng.normal(-2, 1, (12, 3))])
    y = np.repeat(["a", "b", "c"], [50, 20, 12])
    frame = pd.DataFrame(X, columns=["u", "v", "w"])
    X_copy, frame_copy = X.copy(), frame.copy()
    sampler = PolynomFitSMOTE(topology=topology, random_state=7)
    X_res, y_res = sampler.fit_resample(frame, y)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["u", "v", "w"]
    assert pd.Series(y_res).value_counts().to_dict() == {"a": 50, "b": 50, "c": 50}
    X_again, _ = PolynomFitSMOTE(topology=topology, random_state=7).fit_resample(X, y)
    np.testing.assert_array_equal(X_res.to_numpy(), X_again)
    # Each class grows from its own rows only.
    prov = sampler.provenance_
    assert set(prov.source[prov.is_synthetic][y_res[prov.is_synthetic] == "c"]) <= set(np.flatnonzero(y == "c"))
    np.testing.assert_array_equal(X, X_copy)
    pd.testing.assert_frame_equal(frame, frame_copy)


def test_float32_keeps_its_dtype():
    X, y = overlapping_blobs(n_major=100, n_minor=20)
    for topology in TOPOLOGIES:
        X_res, _ = PolynomFitSMOTE(topology=topology, random_state=0).fit_resample(X.astype(np.float32), y)
        assert X_res.dtype == np.float32


@pytest.mark.parametrize("topology, degree, n_minor, match", [
    ("star", 2, 1, r"Class 1 has 1 sample\(s\), but PolynomFitSMOTE with topology='star' needs at least 2"),
    ("mesh", 2, 1, r"has 1 sample\(s\).*RandomOverSampler"),
    ("polynomial", 3, 3, r"topology='polynomial' and degree=3 needs at least 4 .*lower degree to at most 2"),
])
def test_class_too_small(topology, degree, n_minor, match):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20 + n_minor, 2))
    y = np.repeat([0, 1], [20, n_minor])
    with pytest.raises(ValueError, match=match):
        PolynomFitSMOTE(topology=topology, degree=degree).fit_resample(X, y)


@pytest.mark.parametrize("params, match", [
    ({"topology": "ring"}, "topology"), ({"degree": 0}, "degree"), ({"degree": True}, "degree"),
    ({"degree": 1.5}, "degree"),
])
def test_bad_parameters(params, match):
    X, y = overlapping_blobs(n_major=30, n_minor=10)
    with pytest.raises(ValueError, match=match):
        PolynomFitSMOTE(**params).fit_resample(X, y)


@pytest.mark.parametrize("topology", ["bus", "mesh", "polynomial"])  # the default runs in test_common
def test_sampler_contract(topology):
    for check in sampler_checks(PolynomFitSMOTE(topology=topology)):
        check(PolynomFitSMOTE(topology=topology))
