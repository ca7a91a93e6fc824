"""MGS and MGS-GRF (Sakho, Malherbe & Scornet 2024; Sakho, Scornet & Malherbe 2025).

smote-variants 1.0.1 has no MGS, so there is no differential test against it. The
statistical tests below check the paper's law directly (N(mean, biased covariance)
of the seed and its K nearest rows, as in the authors' code, artefactory/mgs-grf),
and the coherence promise of MGS-GRF as a property.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit.over_sampling import MGS, SMOTENC


def _block_class(X_min, n_major=50, n_total=None, seed=0):
    """A majority far away plus the minority rows ``X_min``; the minority grows to ``n_total``."""
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(100.0, 1.0, (n_major, X_min.shape[1])), X_min])
    y = np.r_[np.zeros(n_major, int), np.ones(len(X_min), int)]
    strategy = "auto" if n_total is None else {1: n_total}
    return X, y, strategy


def _new(sampler, X_res):
    return np.asarray(X_res)[sampler.provenance_.is_synthetic]


# ---------------------------------------------------------------- the Gaussian law


@pytest.mark.parametrize("shrinkage", [0.0, 0.5])
def test_draws_follow_the_neighbourhood_gaussian(shrinkage):
    # K + 1 = 4 rows: every seed's neighbourhood is the whole class, so every draw
    # comes from the one Gaussian N(mean, (1 - a) S + a tr(S)/d I), S the biased covariance.
    X_min = np.array([[0.0, 0.0, 0.0], [2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.5, 0.5, 2.0]])
    X, y, strategy = _block_class(X_min, n_total=20_004)
    sampler = MGS(n_neighbors=3, shrinkage=shrinkage, sampling_strategy=strategy, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new = _new(sampler, X_res)
    S = np.cov(X_min.T, bias=True)
    expected = (1 - shrinkage) * S + shrinkage * np.trace(S) / 3 * np.eye(3)
    se = np.sqrt(np.diag(expected) / new.shape[0])
    assert np.all(np.abs(new.mean(axis=0) - X_min.mean(axis=0)) < 4 * se)
    assert np.linalg.norm(np.cov(new.T) - expected) < 0.05 * np.linalg.norm(expected)


def test_rank_deficient_neighbourhood_stays_in_its_plane_unless_shrunk():
    # Three rows in 3-D: a rank-2 covariance. No ridge: the draws stay in the rows' plane.
    X_min = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    normal = np.cross(X_min[1] - X_min[0], X_min[2] - X_min[0])
    X, y, strategy = _block_class(X_min, n_total=500)
    plain = MGS(n_neighbors=2, sampling_strategy=strategy, random_state=0)
    off = np.abs((_new(plain, plain.fit_resample(X, y)[0]) - X_min[0]) @ normal)
    assert off.max() < 1e-9
    shrunk = MGS(n_neighbors=2, shrinkage=0.3, sampling_strategy=strategy, random_state=0)
    off = np.abs((_new(shrunk, shrunk.fit_resample(X, y)[0]) - X_min[0]) @ normal)
    assert off.max() > 0.1


def test_duplicated_rows_give_copies_and_collinear_columns_stay_collinear():
    X_min = np.tile([[1.5, -2.0, 3.0]], (6, 1))
    X, y, _ = _block_class(X_min)
    sampler = MGS(random_state=0)
    new = _new(sampler, sampler.fit_resample(X, y)[0])
    assert np.array_equal(new, np.tile(X_min[:1], (len(new), 1)))
    rng = np.random.default_rng(1)
    t = rng.normal(size=(12, 1))
    X_min = np.hstack([t, 2 * t - 1, rng.normal(size=(12, 1))])  # column 1 = 2 * column 0 - 1
    X, y, _ = _block_class(X_min)
    sampler = MGS(random_state=0)
    new = _new(sampler, sampler.fit_resample(X, y)[0])
    assert np.allclose(new[:, 1], 2 * new[:, 0] - 1)


def test_provenance_default_k_and_reproducibility():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    y = np.r_[np.zeros(90, int), np.ones(30, int)]
    X_copy = X.copy()
    sampler = MGS(random_state=3)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    new = prov.is_synthetic
    assert new.sum() == 60 and np.bincount(y_res).tolist() == [90, 90]
    assert np.all(y[prov.source[new]] == 1)
    assert np.all(prov.partner[new] == -1) and np.isnan(prov.gap[new]).all()
    assert sampler.n_neighbors_ == {1: 4}  # the authors' default: the number of continuous columns
    assert sampler.category_donor_ is None and sampler.categorical_features_.size == 0
    assert np.array_equal(X, X_copy)
    again, _ = MGS(random_state=3).fit_resample(X, y)
    assert np.array_equal(again, X_res)
    other, _ = MGS(random_state=4).fit_resample(X, y)
    assert not np.array_equal(other, X_res)


def test_new_rows_are_centred_near_their_seed_neighbourhood():
    # Two far-apart minority clusters: with local neighbourhoods no draw lands between them.
    rng = np.random.default_rng(2)
    X_min = np.vstack([rng.normal(-10, 0.5, (20, 2)), rng.normal(10, 0.5, (20, 2))])
    X, y, strategy = _block_class(X_min, n_total=400)
    sampler = MGS(n_neighbors=5, sampling_strategy=strategy, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new = _new(sampler, X_res)
    seed_side = np.sign(X_res[sampler.provenance_.source[sampler.provenance_.is_synthetic], 0])
    assert np.all(np.sign(new[:, 0]) == seed_side)
    assert np.all(np.abs(np.abs(new) - 10) < 4)


def test_huge_values_stay_finite():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3)) * 1e307
    y = np.r_[np.zeros(45, int), np.ones(15, int)]
    X_res, _ = MGS(random_state=0).fit_resample(X, y)
    assert np.isfinite(X_res).all()


# ---------------------------------------------------------------- MGS-GRF


def _mixed(rng, n_min, n_maj=60):
    """Minority rows whose category combination follows the sign of x0."""
    x = rng.normal(size=(n_min + n_maj, 2))
    x[:n_min, 0] += np.where(np.arange(n_min) % 2 == 0, -6.0, 6.0)
    a = np.where(x[:, 0] > 0, "pos", "neg").astype(object)
    b = np.where(x[:, 0] > 0, "hi", np.where(x[:, 1] > 0, "mid", "lo")).astype(object)
    X = np.empty((n_min + n_maj, 4), dtype=object)
    X[:, 0], X[:, 1], X[:, 2], X[:, 3] = x[:, 0], a, x[:, 1], b
    y = np.r_[np.ones(n_min, int), np.zeros(n_maj, int)]
    return X, y


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), n_min=st.integers(4, 30), n_estimators=st.integers(1, 5),
       min_samples_leaf=st.integers(1, 4))
def test_every_generated_combination_occurs_in_its_class(seed, n_min, n_estimators, min_samples_leaf):
    rng = np.random.default_rng(seed)
    X, y = _mixed(rng, n_min)
    sampler = MGS(categorical_features=[1, 3], n_neighbors=2, n_estimators=n_estimators,
                  min_samples_leaf=min_samples_leaf, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    new = sampler.provenance_.is_synthetic
    donors = sampler.category_donor_
    assert donors.shape == (new.sum(),)
    assert np.all(y[donors] == y_res[new])
    combos = {tuple(r) for r in X[y == 1][:, [1, 3]]}
    assert {tuple(r) for r in X_res[new][:, [1, 3]]} <= combos
    assert np.array_equal(X_res[new][:, [1, 3]], X[donors][:, [1, 3]])  # the donor's whole combination


def test_categories_follow_the_continuous_values():
    rng = np.random.default_rng(0)
    X, y = _mixed(rng, 80)
    sampler = MGS(categorical_features=[1, 3], random_state=0, sampling_strategy={1: 1000})
    X_res, _ = sampler.fit_resample(X, y)
    new = X_res[sampler.provenance_.is_synthetic]
    agree = np.mean((new[:, 0].astype(float) > 0) == (new[:, 1] == "pos"))
    assert agree > 0.9  # random donors would agree half of the time
    assert np.all(np.isin(new[:, 0], X[:, 0]) == False)  # noqa: E712 - continuous values are new
    assert all(isinstance(v, float) for v in new[:, 0])


def test_pandas_mixed_frame_keeps_every_dtype():
    rng = np.random.default_rng(0)
    n = 150
    df = pd.DataFrame({
        "amount": rng.normal(size=n),
        "count": rng.integers(0, 40, n),
        "segment": pd.Categorical(rng.choice(["a", "b", "c"], n), categories=["c", "b", "a", "unused"]),
        "channel": pd.Categorical(rng.choice(["web", "shop"], n)),
        "region": pd.array(rng.choice(["n", "s"], n), dtype="string"),
        "ratio": rng.random(n).astype(np.float32),
    })
    y = pd.Series(np.r_[np.zeros(110, int), np.ones(40, int)], name="target")
    sampler = MGS(categorical_features="auto", random_state=0)
    X_res, y_res = sampler.fit_resample(df, y)
    assert list(X_res.columns) == list(df.columns)
    assert X_res.dtypes.to_dict() == df.dtypes.to_dict()
    assert list(X_res["segment"].cat.categories) == ["c", "b", "a", "unused"]
    assert sampler.categorical_features_.tolist() == [2, 3, 4]
    assert sampler.continuous_features_.tolist() == [0, 1, 5]
    assert isinstance(y_res, pd.Series) and y_res.value_counts().tolist() == [110, 110]
    new = X_res.iloc[150:]
    combos = set(map(tuple, df[y == 1][["segment", "channel", "region"]].astype(str).to_numpy()))
    assert set(map(tuple, new[["segment", "channel", "region"]].astype(str).to_numpy())) <= combos
    by_name = MGS(categorical_features=["segment", "channel", "region"], random_state=0).fit_resample(df, y)[0]
    pd.testing.assert_frame_equal(by_name, X_res)


@pytest.mark.parametrize("sampler", [MGS(categorical_features=[1], random_state=0),
                                     SMOTENC(categorical_features=[1], random_state=0)], ids=["MGS", "SMOTENC"])
def test_pandas_object_column_stays_object(sampler):
    # pandas 3 would infer the output's numpy object array of strings as its str dtype.
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"amount": rng.normal(size=60), "channel": pd.Series(rng.choice(["web", "shop"], 60),
                                                                          dtype=object)})
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    X_res, _ = sampler.fit_resample(df, y)
    assert X_res["channel"].dtype == object


def test_numeric_dataframe_out_and_auto_without_categories_is_mgs():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(80, 3)), columns=["u", "v", "w"])
    y = np.r_[np.zeros(60, int), np.ones(20, int)]
    plain, _ = MGS(random_state=0).fit_resample(df, y)
    auto = MGS(categorical_features="auto", random_state=0)
    X_auto, _ = auto.fit_resample(df, y)
    assert list(plain.columns) == ["u", "v", "w"]
    pd.testing.assert_frame_equal(plain, X_auto)
    assert auto.category_donor_ is None


def test_multiclass_each_class_from_its_own_rows():
    rng = np.random.default_rng(0)
    X, _ = _mixed(rng, 90, n_maj=0)
    y = np.repeat([0, 1, 2], [50, 25, 15])
    sampler = MGS(categorical_features=[1, 3], n_neighbors=3, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [50, 50, 50]
    new = sampler.provenance_.is_synthetic
    assert np.all(y[sampler.category_donor_] == y_res[new])
    assert np.all(y[sampler.provenance_.source[new]] == y_res[new])
    assert set(sampler.forests_) == {1, 2} and sampler.n_neighbors_ == {1: 3, 2: 3}


# ---------------------------------------------------------------- errors


def test_errors_name_the_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = np.r_[np.zeros(35, int), np.ones(5, int)]
    with pytest.raises(ValueError, match=r"n_neighbors=5 needs at least 6.*at most 4"):
        MGS(n_neighbors=5).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"has 1 sample"):
        MGS().fit_resample(X, np.r_[np.zeros(39, int), 1])
    with pytest.raises(ValueError, match="shrinkage"):
        MGS(shrinkage=1.5).fit_resample(X, y)
    with pytest.raises(ValueError, match="all 3 columns categorical"):
        MGS(categorical_features=[0, 1, 2]).fit_resample(X, y)
    with pytest.raises(ValueError, match="no column"):
        MGS(categorical_features=["a"]).fit_resample(X, y)
    with pytest.raises(ValueError, match="non-numeric|categorical"):
        MGS().fit_resample(np.array([["a", 1.0]] * 20, dtype=object), np.r_[np.zeros(15, int), np.ones(5, int)])


def test_default_k_is_lowered_for_a_small_class_with_a_warning():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6))
    y = np.r_[np.zeros(36, int), np.ones(4, int)]
    sampler = MGS(random_state=0)
    with pytest.warns(UserWarning, match=r"class 1 has 4 samples.*used n_neighbors=3"):
        X_res, _ = sampler.fit_resample(X, y)
    assert sampler.n_neighbors_ == {1: 3}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MGS(n_neighbors=3, random_state=0).fit_resample(X, y)


def test_float32_input_gives_finite_float32_rows():
    rng = np.random.default_rng(0)
    X = (rng.normal(size=(60, 3)) * 1e38).astype(np.float32)
    y = np.r_[np.zeros(45, int), np.ones(15, int)]
    X_res, _ = MGS(shrinkage=0.5, random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.float32 and np.isfinite(X_res).all()
