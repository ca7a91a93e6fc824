"""SMOBD: OPTICS measures checked against scikit-learn and by hand, the density factor and its
allocation, the noise rule, differential tests against smote-variants, and the contract."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import OPTICS
from sklearn.metrics import pairwise_distances
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference

from smotekit.over_sampling import SMOBD
from smotekit.utils.estimator_checks import sampler_checks


def _fit(X, y, **params):
    sampler = SMOBD(random_state=0, **params)
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, np.asarray(X_res), np.asarray(y_res)


# -- the measures --------------------------------------------------------------------------------

@pytest.mark.parametrize("max_eps", [np.inf, 1.5, 0.8])
@pytest.mark.parametrize("min_samples", [3, 5])
def test_core_distances_are_optics(max_eps, min_samples):
    X, y = overlapping_blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler, _, _ = _fit(X, y, max_eps=max_eps, min_samples=min_samples)
        optics = OPTICS(min_samples=min_samples, max_eps=max_eps).fit(X[y == 1])
    np.testing.assert_allclose(sampler.core_distances_[1], optics.core_distances_)


def test_reachability_and_density_by_hand():
    X, y = overlapping_blobs(n_major=80, n_minor=15)
    sampler, _, _ = _fit(X, y, min_samples=4, max_eps=2.0, eta1=0.3)
    Xc = X[y == 1]
    D = pairwise_distances(Xc)
    np.fill_diagonal(D, np.inf)
    near = np.argsort(D, axis=1, kind="stable")[:, :4]
    core = np.sort(D, axis=1)[:, 2]  # the third other row: min_samples=4 counts the row itself
    core[core > 2.0] = np.inf
    d = np.take_along_axis(D, near, axis=1)
    reach = np.where(d > 2.0, np.inf, np.maximum(core[near], d)).min(axis=1)
    np.testing.assert_allclose(sampler.reachability_[1], reach)
    noise = (core > 1.8 * core[np.isfinite(core)].mean()) & (reach > 1.8 * reach[np.isfinite(reach)].mean())
    np.testing.assert_array_equal(sampler.noise_[1], noise)
    cd = np.where(np.isfinite(core), core, 1.1 * core[np.isfinite(core)].max())
    counts = (D <= 2.0).sum(axis=1) + 1  # the row itself counts
    density = 0.3 * cd / cd.max() + 0.7 * counts / counts.max()
    density[noise] = 0
    np.testing.assert_allclose(sampler.density_[1], density)
    # Shares proportional to the factor: the floor or the ceiling of each exact share.
    share = 65 * density / density.sum()
    per_row = sampler.n_generated_per_sample_[1]
    assert per_row.sum() == 65 and ((per_row == np.floor(share)) | (per_row == np.ceil(share))).all()


def test_noise_rule_fires_where_smote_variants_never_does():
    X, y = overlapping_blobs()
    X = np.concatenate([X, [[9.0, 9.0, 9.0, 9.0]]])  # a lone minority row far from everything
    y = np.append(y, 1)
    sampler, _, _ = _fit(X, y)
    lone = np.flatnonzero(sampler.sample_rows_[1] == len(y) - 1)[0]
    assert sampler.noise_[1][lone] and sampler.n_generated_per_sample_[1][lone] == 0
    assert not sampler.provenance_.source[sampler.provenance_.is_synthetic].tolist().count(len(y) - 1)
    # smote-variants compares with the mean of OPTICS' reachability, infinite by construction.
    assert np.isinf(np.mean(OPTICS(min_samples=5, max_eps=1.0).fit(X[y == 1]).reachability_))


# -- where the new rows lie ----------------------------------------------------------------------

@settings(max_examples=20, deadline=None)
@given(n_minor=st.integers(6, 20), d=st.integers(1, 4), min_samples=st.integers(2, 5),
       max_eps=st.sampled_from([np.inf, 1.0, 3.0]), seed=st.integers(0, 2**16))
def test_rows_on_segments_to_near_rows_of_the_class(n_minor, d, min_samples, max_eps, seed):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(0.0, 1.0, (40, d)), rng.normal(1.0, 1.0, (n_minor, d))])
    y = np.repeat([0, 1], [40, n_minor])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler, X_res, y_res = _fit(X, y, min_samples=min_samples, max_eps=max_eps)
    prov = sampler.provenance_
    new = prov.is_synthetic
    s, p, g = prov.source[new], prov.partner[new], prov.gap[new]
    assert np.bincount(y_res).tolist() == [40, 40]
    assert (y[s] == 1).all() and (y[p] == 1).all() and (s != p).all() and ((g >= 0) & (g <= 1)).all()
    np.testing.assert_allclose(X_res[new], X[s] + g[:, None] * (X[p] - X[s]), atol=1e-12)
    # The partner is among the min_samples nearest rows of the class.
    Xc = X[y == 1]
    kth = np.sort(pairwise_distances(X[s], Xc), axis=1)[:, min_samples]  # column 0: the row itself
    assert (np.linalg.norm(X[p] - X[s], axis=1) <= kth + 1e-12).all()
    # Noise rows seed nothing, unless every row is noise.
    if sampler.uniform_fallback_ == []:
        seeds = np.bincount(s, minlength=len(y))[sampler.sample_rows_[1]]
        assert (seeds[sampler.noise_[1]] == 0).all()


def test_every_row_noise_falls_back_to_uniform_with_a_warning():
    X, y = overlapping_blobs()
    with pytest.warns(UserWarning, match=r"SMOBD: every row of class 1 .* spread evenly"):
        sampler, _, y_res = _fit(X, y, max_eps=0.2)
    assert sampler.uniform_fallback_ == [1] and sampler.noise_[1].all()
    per_row = sampler.n_generated_per_sample_[1]
    assert per_row.max() - per_row.min() <= 1 and np.bincount(y_res).tolist() == [600, 600]


# -- differential tests against smote-variants 1.0.1 ---------------------------------------------

@pytest.mark.parametrize("params", [{}, {"max_eps": 1.5, "t": 100.0}, {"max_eps": 2.0, "eta1": 0.9, "t": 100.0}])
@pytest.mark.parametrize("seed", [0, 1])
def test_matches_smote_variants(params, seed):
    # smote-variants never marks noise (see Notes); here a few rows are: with t=1.8 the outliers,
    # with t=100 only the rows that no row reaches within max_eps (OPTICS' outliers), which
    # smote-variants favours instead. A position drawn per feature leaves each feature's law as is.
    X, y = overlapping_blobs(seed=seed)
    sampler, X_res, y_res = _fit(X, y, **params)
    sv_params = {"max_eps": np.inf, **params}
    X_sv, y_sv = reference("SMOBD", X, y, random_state=seed, **sv_params)
    assert np.bincount(y_res).tolist() == np.bincount(y_sv.astype(int)).tolist() == [600, 600]
    noise = sampler.noise_[1]
    assert noise.sum() <= 3
    if "t" in params:
        np.testing.assert_array_equal(noise, np.isinf(sampler.core_distances_[1]) & np.isinf(sampler.reachability_[1]))
    assert_same_distribution(X_res[len(X):], X_sv[len(X):])


# -- classes, containers, errors -----------------------------------------------------------------

def test_multiclass_dataframe_and_reproducibility():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 1, (50, 3)), rng.normal(2, 1, (20, 3)), rng.normal(-2, 1, (12, 3))])
    y = np.repeat(["a", "b", "c"], [50, 20, 12])
    frame = pd.DataFrame(X, columns=["u", "v", "w"])
    X_copy, frame_copy = X.copy(), frame.copy()
    sampler = SMOBD(random_state=3)
    X_res, y_res = sampler.fit_resample(frame, y)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["u", "v", "w"]
    assert pd.Series(y_res).value_counts().to_dict() == {"a": 50, "b": 50, "c": 50}
    assert set(sampler.density_) == {"b", "c"}
    X_again, _ = SMOBD(random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(X_res.to_numpy(), X_again)
    np.testing.assert_array_equal(X, X_copy)
    pd.testing.assert_frame_equal(frame, frame_copy)


def test_class_too_small():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(25, 2)), np.repeat([0, 1], [20, 5])
    with pytest.raises(ValueError, match=r"Class 1 has 5 sample\(s\), but min_samples=5 needs at least 6.*"
                                         r"Lower min_samples to at most 4"):
        SMOBD().fit_resample(X, y)
    SMOBD(min_samples=4).fit_resample(X, y)


@pytest.mark.parametrize("params", [{"eta1": 1.5}, {"t": -1.0}, {"min_samples": 1}, {"min_samples": True},
                                    {"max_eps": 0.0}, {"eta1": "half"}])
def test_bad_parameters(params):
    X, y = overlapping_blobs(n_major=30, n_minor=10)
    with pytest.raises(ValueError, match=next(iter(params))):
        SMOBD(**params).fit_resample(X, y)


def test_sampler_contract_with_a_finite_max_eps():  # the default runs in test_common
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for check in sampler_checks(SMOBD(max_eps=1.0)):
            check(SMOBD(max_eps=1.0))
