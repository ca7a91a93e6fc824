"""GaussianNoise (smotekit.regression._gaussian_noise): UBL's GaussNoiseRegress."""

import logging

import numpy as np
import pandas as pd
import pytest

from smotekit.regression import Relevance
from smotekit.regression import _kernels as K
from smotekit.regression._gaussian_noise import GaussianNoise


def _data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) * [1.0, 50.0, 0.01]
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    return X, y


def test_noise_scale_is_perturbation_times_bin_std():
    X, y = _data()
    bins = GaussianNoise().fit(X, y).bins_
    rare = int(np.flatnonzero(bins.rare)[0])
    rows = bins.rows(rare)
    s = GaussianNoise(perturbation=0.3, sampling_strategy={rare: rows.size + 4000}, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    p = s.provenance_
    syn = p.is_synthetic
    src = p.source[syn]
    assert (p.partner[syn] == -1).all() and np.isnan(p.gap[syn]).all()
    assert set(src.tolist()) <= set(rows.tolist())
    # standardised noise, with the bin's sample standard deviations (ddof=1, R's sd)
    z = (X_res[syn] - X[src]) / (0.3 * X[rows].std(axis=0, ddof=1))
    z_y = (y_res[syn] - y[src]) / (0.3 * y[rows].std(ddof=1))
    for v in [*z.T, z_y]:
        assert abs(v.mean()) < 0.06 and abs(v.std() - 1) < 0.04
    assert abs(np.corrcoef(z[:, 0], z_y)[0, 1]) < 0.06  # independent draws


def test_nominal_values_follow_bin_frequencies():
    rng = np.random.default_rng(1)
    codes = rng.choice(3, size=(50, 2), p=[0.6, 0.3, 0.1]).astype(np.int32)
    new = K.gaussian_rows(rng.normal(size=(50, 1)), codes, rng.normal(size=50), 6000, 0.1, np.random.default_rng(0))
    for j in range(2):
        expected = np.bincount(codes[:, j], minlength=3) / 50
        np.testing.assert_allclose(np.bincount(new.codes[:, j], minlength=3) / 6000, expected, atol=0.02)


def test_zero_perturbation_gives_copies():
    X, y = _data()
    s = GaussianNoise(perturbation=0, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    p = s.provenance_
    assert np.array_equal(X_res[p.is_synthetic], X[p.source[p.is_synthetic]])
    assert np.array_equal(y_res[p.is_synthetic], y[p.source[p.is_synthetic]])


def test_one_row_bin_gives_logged_copies(caplog):
    X, _ = _data(n=30)
    y = np.arange(30.0)
    relevance = Relevance(control_points=[[0, 0], [28, 0], [29, 1]])
    s = GaussianNoise(relevance=relevance, random_state=0)
    bins = s.fit(X, y).bins_
    assert bins.n_rows.tolist() == [29, 1]
    with caplog.at_level(logging.WARNING, logger="smotekit.regression._gaussian_noise"):
        X_res, y_res = s.fit_resample(X, y)
    assert "one row" in caplog.text
    p = s.provenance_
    assert p.is_synthetic.sum() > 0 and (p.source[p.is_synthetic] == 29).all()
    assert np.array_equal(X_res[p.is_synthetic], X[p.source[p.is_synthetic]])
    assert (y_res[p.is_synthetic] == 29).all()


def test_pandas_mixed_table_in_and_out():
    X, y = _data(seed=2)
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"a": X[:, 0], "k": rng.integers(0, 5, X.shape[0]).astype(np.int32),
                       "c": pd.Categorical(rng.choice(["x", "y", "z"], X.shape[0])),
                       "o": rng.choice(["p", "q"], X.shape[0]).astype(object)})
    df0 = df.copy(deep=True)
    s = GaussianNoise(random_state=0)
    X_res, y_res = s.fit_resample(df, pd.Series(y, name="t"))
    pd.testing.assert_frame_equal(df, df0)
    assert (X_res.dtypes == df.dtypes).all() and y_res.name == "t"
    new = X_res[s.provenance_.is_synthetic]
    assert set(new["c"]) <= {"x", "y", "z"} and set(new["o"]) <= {"p", "q"}
    assert (new["k"] == np.rint(new["k"])).all()
    kept = s.provenance_.source[~s.provenance_.is_synthetic]
    pd.testing.assert_frame_equal(X_res.iloc[: kept.size].reset_index(drop=True),
                                  df.iloc[kept].reset_index(drop=True))


def test_parameter_checks():
    X, y = _data()
    with pytest.raises(ValueError, match="perturbation"):
        GaussianNoise(perturbation=-0.1).fit_resample(X, y)
    with pytest.raises(ValueError, match="perturbation"):
        GaussianNoise(perturbation=True).fit_resample(X, y)


def test_all_nominal_table():
    X, y = _data()
    df = pd.DataFrame({"c": pd.Categorical(np.random.default_rng(0).choice(["a", "b"], X.shape[0]))})
    X_res, _ = GaussianNoise(random_state=0).fit_resample(df, y)
    assert X_res["c"].dtype == df["c"].dtype and set(X_res["c"]) <= {"a", "b"}
