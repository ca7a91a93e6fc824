"""Geometric SMOTE: the region of every new row, the surface-point rules, a differential
test against an independent per-sample implementation of the authors' rule, smote-variants'
G_SMOTE (another method), and the sampler contract."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference, sv

from smotekit.over_sampling import GeometricSMOTE
from smotekit.over_sampling._geometric import geometric_points


def _in_region(X, X_res, sampler, tol=1e-9):
    """Per new row: inside the (deformed) ball of its centre and surface row, beyond the truncation plane."""
    prov = sampler.provenance_
    new = prov.is_synthetic
    c, s, x = X[prov.source[new]], X[sampler.surface_], X_res[new]
    assert np.all(prov.partner[new] == -1) and np.all(np.isnan(prov.gap[new]))
    r = np.linalg.norm(s - c, axis=1)
    zero = r == 0
    assert np.allclose(x[zero], c[zero])  # a centre equal to its surface row gives itself
    q = (x - c)[~zero] / r[~zero, None]
    e = (s - c)[~zero] / r[~zero, None]
    along = np.einsum("ij,ij->i", q, e)
    across = np.linalg.norm(q - along[:, None] * e, axis=1)
    t, d = sampler.truncation_factor, sampler.deformation_factor
    if d < 1:
        assert np.all(along**2 + (across / (1 - d)) ** 2 <= 1 + tol)
    else:
        assert np.all(across <= tol) and np.all(np.abs(along) <= 1 + tol)
    if t > 0:
        assert np.all(along >= t - 1 - tol)
    if t < 0:
        assert np.all(along <= 1 + t + tol)
    return along, across


@pytest.mark.parametrize("strategy", ["combined", "majority", "minority"])
@pytest.mark.parametrize("t, d", [(1.0, 0.0), (0.0, 0.0), (-1.0, 0.0), (0.5, 0.5), (-0.3, 0.8), (1.0, 1.0)])
def test_every_new_row_lies_in_its_region(strategy, t, d):
    X, y = overlapping_blobs()
    s = GeometricSMOTE(truncation_factor=t, deformation_factor=d, selection_strategy=strategy, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [600, 600]
    along, _ = _in_region(X, X_res, s)
    if t == 1.0 and d == 1.0:  # SMOTE's segment from the centre to the surface row
        assert np.all((along >= -1e-12) & (along <= 1 + 1e-12))
    if t == 0.0 and d == 0.0:  # the whole ball: both halves are used
        assert (along < 0).mean() > 0.3 and (along > 0).mean() > 0.3


def test_surface_rows_follow_the_selection_strategy():
    X, y = overlapping_blobs()
    minority, majority = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    d = np.linalg.norm(X[minority][:, None] - X[None], axis=2)
    d[np.arange(minority.size), minority] = np.inf
    nearest_other = majority[np.argmin(d[:, majority], axis=1)]
    order = np.argsort(d[:, minority], axis=1, kind="stable")[:, :5]
    position = {r: i for i, r in enumerate(minority)}
    fits = {}
    for strategy in ("combined", "majority", "minority"):
        s = GeometricSMOTE(selection_strategy=strategy, random_state=1)
        s.fit_resample(X, y)
        fits[strategy] = s
        src = s.provenance_.source[s.provenance_.is_synthetic]
        i = np.array([position[r] for r in src])
        same = np.isin(s.surface_, minority)
        if strategy == "majority":
            assert np.array_equal(s.surface_, nearest_other[i])
            continue
        if strategy == "minority":
            assert same.all()
        # A same-class surface row is one of the centre's 5 nearest rows of the class.
        assert all(s.surface_[j] in minority[order[i[j]]] for j in np.flatnonzero(same))
        if strategy == "combined":
            # The other-class surface is the nearest one, and only where it is closer.
            other = ~same
            assert np.array_equal(s.surface_[other], nearest_other[i[other]])
            r = np.linalg.norm(X[s.surface_] - X[src], axis=1)
            assert np.all(r <= np.linalg.norm(X[nearest_other[i]] - X[src], axis=1) + 1e-12)
            assert 0 < other.mean() < 1
    assert fits["combined"].surface_.size == 540


def _authors_rule(X, y, n_new, t, d, seed):
    """An independent, per-sample reading of the paper's 'combined' rule (k = 5), for the
    differential test: draw a (centre, neighbour) pair, take the nearest other-class row if it
    is closer, then a point in the unit ball, truncated and deformed, moved to the centre."""
    rng = np.random.default_rng(seed)
    pos, neg = X[y == 1], X[y == 0]
    out = np.empty((n_new, X.shape[1]))
    for n in range(n_new):
        i = rng.integers(pos.shape[0])
        dist = np.linalg.norm(pos - pos[i], axis=1)
        dist[i] = np.inf
        surface = pos[np.argsort(dist, kind="stable")[rng.integers(5)]]
        other = neg[np.argmin(np.linalg.norm(neg - pos[i], axis=1))]
        if np.linalg.norm(surface - pos[i]) > np.linalg.norm(other - pos[i]):
            surface = other
        r = np.linalg.norm(surface - pos[i])
        e = (surface - pos[i]) / r
        v = rng.normal(size=X.shape[1])
        p = v / np.linalg.norm(v) * rng.random() ** (1 / X.shape[1])
        if (t > 0 and p @ e < t - 1) or (t < 0 and p @ e > t + 1):
            p = p - 2 * (p @ e) * e
        p = (p @ e) * e + (1 - d) * (p - (p @ e) * e)
        out[n] = pos[i] + r * p
    return out


@pytest.mark.parametrize("t, d", [(1.0, 0.0), (0.0, 0.5), (-0.5, 0.2)])
def test_differential_against_a_per_sample_reading_of_the_paper(t, d):
    X, y = overlapping_blobs()
    X_res, _ = GeometricSMOTE(truncation_factor=t, deformation_factor=d, random_state=0).fit_resample(X, y)
    assert_same_distribution(X_res[660:], _authors_rule(X, y, 540, t, d, seed=0))


def test_smote_variants_g_smote_is_another_method():
    # smote-variants' G_SMOTE is Sandhan & Choi's (2014) partially guided hybrid sampling, not
    # Geometric SMOTE: only the class counts can match (its new rows lie on segments inside
    # the class's box, ours in balls that may leave it).
    assert "Partially" in sv.G_SMOTE.__doc__ and "Sandhan" in sv.G_SMOTE.__doc__
    X, y = overlapping_blobs()
    X_sv, y_sv = reference("G_SMOTE", X, y, random_state=0)
    X_res, y_res = GeometricSMOTE(random_state=0).fit_resample(X, y)
    assert np.bincount(y_sv).tolist() == np.bincount(y_res).tolist() == [600, 600]
    np.testing.assert_array_equal(X_sv[:660], X)  # it appends its new rows too


def test_multiclass_one_against_the_rest_and_own_streams():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, (80, 3)), rng.normal(2, 1, (20, 3)), rng.normal(-2, 1, (20, 3))])
    y = np.repeat([0, 1, 2], [80, 20, 20])
    s = GeometricSMOTE(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [80, 80, 80]
    _in_region(X, X_res, s)
    new = s.provenance_.is_synthetic
    assert np.all(y[s.provenance_.source[new]] == y_res[new])
    # The 'majority' of class 1 is every row of classes 0 and 2.
    other = y[s.surface_] != y_res[new]
    assert set(y[s.surface_[other & (y_res[new] == 1)]]) <= {0, 2}
    # Classes 1 and 2 (equal sizes) get different draws.
    assert not np.allclose(X_res[new][y_res[new] == 1][:5] - 2, X_res[new][y_res[new] == 2][:5] + 2)


def test_dataframe_in_dataframe_out_and_reproducible():
    X, y = overlapping_blobs(n_major=100, n_minor=20)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    X_copy, y_copy = df.copy(), y.copy()
    out, y_out = GeometricSMOTE(random_state=5).fit_resample(df, y)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["a", "b", "c", "d"]
    again, _ = GeometricSMOTE(random_state=5).fit_resample(X, y)
    np.testing.assert_array_equal(out.to_numpy(), again)
    pd.testing.assert_frame_equal(df, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_float32_keeps_its_dtype():
    X, y = overlapping_blobs(n_major=100, n_minor=20)
    X_res, _ = GeometricSMOTE(random_state=0).fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32


def test_errors_name_the_parameter():
    X, y = overlapping_blobs(n_major=30, n_minor=4)
    with pytest.raises(ValueError, match="Class 1 has 4 sample.*k_neighbors=5 needs at least 6"):
        GeometricSMOTE().fit_resample(X, y)
    GeometricSMOTE(selection_strategy="majority").fit_resample(X, y)  # k_neighbors unused
    with pytest.raises(ValueError, match="'truncation_factor' parameter of GeometricSMOTE must be a float in"):
        GeometricSMOTE(truncation_factor=1.5).fit_resample(X, y)
    with pytest.raises(ValueError, match="'deformation_factor' parameter"):
        GeometricSMOTE(deformation_factor=-0.1).fit_resample(X, y)
    with pytest.raises(ValueError, match="'selection_strategy' parameter of GeometricSMOTE must be a str among"):
        GeometricSMOTE(selection_strategy="both").fit_resample(X, y)


@settings(max_examples=40, deadline=None)
@given(t=st.floats(-1, 1), d=st.floats(0, 1), dim=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_geometric_points_stay_in_their_region(t, d, dim, seed):
    rng = np.random.default_rng(seed)
    c, s = rng.normal(size=(50, dim)), rng.normal(size=(50, dim))
    s[0] = c[0]
    x = geometric_points(c, s, t, d, rng)
    r = np.linalg.norm(s - c, axis=1)
    np.testing.assert_array_equal(x[0], c[0])
    q, e = (x - c)[1:] / r[1:, None], (s - c)[1:] / r[1:, None]
    along = np.einsum("ij,ij->i", q, e)
    across = np.linalg.norm(q - along[:, None] * e, axis=1)
    assert np.all(along**2 + across**2 <= 1 + 1e-9)
    assert np.all(across <= (1 - d) * np.sqrt(np.maximum(1 - along**2, 0)) + 1e-9)
    if t > 0:
        assert np.all(along >= t - 1 - 1e-9)
    if t < 0:
        assert np.all(along <= 1 + t + 1e-9)
