"""SMOTER (smotekit.regression._smoter) and the kernels it shares with GN and SMOGN."""


import numpy as np
import pandas as pd
import pytest

from smotekit.regression import _kernels as K
from smotekit.regression._smoter import SMOTER
from smotekit.regression.base import seed_rows


def _data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) * [1.0, 50.0, 0.01]
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    return X, y


def _out_bins(sampler):
    """Bin of every output row: its source's bin (kept rows and new rows alike)."""
    return sampler.bins_.bin_of_row[sampler.provenance_.source]


# ---- kernels ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n, n_add", [(5, 3), (5, 5), (5, 13), (1, 4), (7, 70)])
def test_seed_rows_spread_as_ubl(n, n_add):
    seeds = seed_rows(np.arange(n), n_add, np.random.default_rng(0))
    counts = np.bincount(seeds, minlength=n)
    whole, extra = divmod(n_add, n)
    assert seeds.size == n_add
    assert set(counts.tolist()) <= {whole, whole + 1}
    assert (counts == whole + 1).sum() == extra


def test_embedding_gives_heom_distances():
    rng = np.random.default_rng(1)
    values = rng.normal(size=(12, 3)) * [1, 100, 0.01]
    values[:, 2] = 5.0  # a constant column plays no part
    codes = rng.integers(0, 4, size=(12, 2)).astype(np.int32)
    E = K.embed(values, codes)
    spread = np.ptp(values, axis=0)
    scaled = np.where(spread > 0, values / np.where(spread > 0, spread, 1), 0)
    for i in range(12):
        heom = np.sqrt(((scaled[i] - scaled) ** 2).sum(1) + (codes[i] != codes).sum(1))
        np.testing.assert_allclose(np.linalg.norm(E[i] - E, axis=1), heom, atol=1e-12)


def test_target_between_rules():
    ys, yp = np.array([0.0, 1.0, 3.0]), np.array([10.0, -1.0, 3.0])
    out = K.target_between(ys, yp, np.array([0.25, 0.5, 0.9]), np.array([1.0, 2.0, 0.0]))
    np.testing.assert_array_equal(out, [2.5, 0.0, 3.0])
    # identical parents (distance 0): the mean, not the value at the gap
    assert K.target_between(np.array([1.0]), np.array([3.0]), np.array([0.9]), np.array([0.0]))[0] == 2.0
    # the new row took the partner's category and sits on the partner: the partner's target
    out = K.target_between(np.array([0.0]), np.array([1.0]), np.array([0.0]), np.array([0.0]), np.array([1]),
                           np.array([0]))
    assert out[0] == 1.0
    # hand-computed HEOM weights: d1 = sqrt(0.5**2 * 4 + 1) = sqrt(2), d2 = sqrt(0.5**2 * 4) = 1
    out = K.target_between(np.array([0.0]), np.array([10.0]), np.array([0.5]), np.array([4.0]), np.array([1]),
                           np.array([0]))
    np.testing.assert_allclose(out, [10 * np.sqrt(2) / (np.sqrt(2) + 1)])


def test_smoter_kernel_partners_are_neighbours():
    rng = np.random.default_rng(3)
    values, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    new = K.smoter_rows(values, None, y, 4, 100, np.random.default_rng(0))
    nn = K.heom_neighbors(K.embed(values), 4)[0]
    assert all(p in nn[s] for s, p in zip(new.seeds, new.partners))
    assert ((new.gaps >= 0) & (new.gaps < 1)).all()


# ---- the sampler -----------------------------------------------------------------------------


def test_rows_on_segments_and_target_interpolated():
    X, y = _data()
    s = SMOTER(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    p = s.provenance_
    syn = p.is_synthetic
    src, par, gap = p.source[syn], p.partner[syn], p.gap[syn]
    assert syn.sum() > 0 and (par >= 0).all()
    np.testing.assert_allclose(X_res[syn], X[src] + gap[:, None] * (X[par] - X[src]), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y_res[syn], y[src] + gap * (y[par] - y[src]), rtol=1e-12)
    lo, hi = np.minimum(y[src], y[par]), np.maximum(y[src], y[par])
    assert ((y_res[syn] >= lo) & (y_res[syn] <= hi)).all()
    assert (s.bins_.bin_of_row[src] == s.bins_.bin_of_row[par]).all()
    assert (src != par).all()


@pytest.mark.parametrize("strategy", ["balance", "extreme", [0.6, 2.5], {0: 150, 1: 80}])
def test_rows_per_bin_and_seeds(strategy):
    X, y = _data()
    s = SMOTER(sampling_strategy=strategy, random_state=1)
    X_res, y_res = s.fit_resample(X, y)
    counts = np.bincount(_out_bins(s), minlength=s.bins_.n_bins)
    assert counts.tolist() == [s.sampling_strategy_[b] for b in range(s.bins_.n_bins)]
    assert X_res.shape[0] == y_res.shape[0] == counts.sum()
    p = s.provenance_
    for b in range(s.bins_.n_bins):
        rows = s.bins_.rows(b)
        n_add = s.sampling_strategy_[b] - rows.size
        if n_add <= 0:
            continue
        seeded = np.bincount(p.source[p.is_synthetic & (_out_bins(s) == b)], minlength=X.shape[0])[rows]
        whole, extra = divmod(n_add, rows.size)
        assert set(seeded.tolist()) <= {whole, whole + 1} and (seeded == whole + 1).sum() == extra


def test_pandas_mixed_table_in_and_out():
    X, y = _data(seed=4)
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"a": X[:, 0], "n": rng.integers(0, 100, X.shape[0]),
                       "c": pd.Categorical(rng.choice(["lo", "mid", "hi"], X.shape[0]), categories=["lo", "mid", "hi"]),
                       "o": rng.choice(["u", "v"], X.shape[0]).astype(object), "b": X[:, 1]})
    df0 = df.copy(deep=True)
    ys = pd.Series(y, name="target")
    s = SMOTER(random_state=0)
    X_res, y_res = s.fit_resample(df, ys)
    pd.testing.assert_frame_equal(df, df0)
    assert list(X_res.columns) == list(df.columns) and (X_res.dtypes == df.dtypes).all()
    assert X_res["c"].cat.categories.tolist() == ["lo", "mid", "hi"]
    assert s.categorical_features_.tolist() == [2, 3]
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    assert y_res.index.equals(pd.RangeIndex(len(y_res)))
    p = s.provenance_
    syn, src, par, gap = p.is_synthetic, p.source[p.is_synthetic], p.partner[p.is_synthetic], p.gap[p.is_synthetic]
    new = X_res[syn]
    for col in ["c", "o"]:
        from_seed = new[col].to_numpy() == df[col].to_numpy()[src]
        from_partner = new[col].to_numpy() == df[col].to_numpy()[par]
        assert (from_seed | from_partner).all() and from_seed.any() and (~from_seed).any()
    # continuous columns on the segment, the integer one rounded and between its ends
    a = df["a"].to_numpy()
    np.testing.assert_allclose(new["a"], a[src] + gap * (a[par] - a[src]), rtol=1e-12)
    n = df["n"].to_numpy()
    expect = np.rint(n[src] + gap * (n[par] - n[src]))
    assert (new["n"].to_numpy() == expect).all()
    # the target weighs each parent by the other's HEOM distance (hand formula)
    cont = df[["a", "n", "b"]].to_numpy(float)
    rows = s.bins_.rows(s.bins_.bin_of_row[src[0]])
    spread = np.ptp(cont[rows], axis=0)
    sq = (((cont[src] - cont[par]) / spread) ** 2).sum(1)
    m1 = sum((new[c].to_numpy() != df[c].to_numpy()[src]).astype(int) for c in ["c", "o"])
    m2 = sum((new[c].to_numpy() != df[c].to_numpy()[par]).astype(int) for c in ["c", "o"])
    d1, d2 = np.sqrt(gap**2 * sq + m1), np.sqrt((1 - gap) ** 2 * sq + m2)
    single_bin = (s.bins_.bin_of_row[src] == s.bins_.bin_of_row[src[0]])
    np.testing.assert_allclose(y_res[syn].to_numpy()[single_bin],
                               ((d2 * y[src] + d1 * y[par]) / (d1 + d2))[single_bin], rtol=1e-10)


def test_integer_numpy_columns_rounded_within_segment():
    X, y = _data(seed=5)
    Xi = np.rint(X * [10, 1, 1000]).astype(np.int64)
    s = SMOTER(random_state=0)
    X_res, _ = s.fit_resample(Xi, y)
    p = s.provenance_
    syn = p.is_synthetic
    assert X_res.dtype == np.int64
    a, b = Xi[p.source[syn]], Xi[p.partner[syn]]
    assert ((X_res[syn] >= np.minimum(a, b)) & (X_res[syn] <= np.maximum(a, b))).all()
    np.testing.assert_array_equal(X_res[syn], np.rint(a + p.gap[syn][:, None] * (b - a)))


def test_k_larger_than_bin_is_a_clear_error():
    X, y = _data(n=40)
    n_rare = int(SMOTER().fit(X, y).bins_.n_rows.min())
    with pytest.raises(ValueError, match=rf"has {n_rare} rows, but k_neighbors={n_rare}.*GaussianNoise"):
        SMOTER(k_neighbors=n_rare, random_state=0).fit_resample(X, y)
    SMOTER(k_neighbors=n_rare - 1, random_state=0).fit_resample(X, y)


def test_k_neighbors_checks():
    # clone, pipelines and the rest of the contract: test_reg_common.py
    X, y = _data()
    with pytest.raises(ValueError, match="k_neighbors"):
        SMOTER(k_neighbors=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="k_neighbors"):
        SMOTER(k_neighbors=True).fit_resample(X, y)


def test_integer_target_rounded_between_parents():
    X, y = _data(seed=6)
    yi = np.rint(y * 10).astype(np.int64)
    s = SMOTER(random_state=0)
    _, y_res = s.fit_resample(X, yi)
    p = s.provenance_
    syn = p.is_synthetic
    a, b = yi[p.source[syn]], yi[p.partner[syn]]
    assert y_res.dtype == np.int64
    assert ((y_res[syn] >= np.minimum(a, b)) & (y_res[syn] <= np.maximum(a, b))).all()


def test_polars_in_and_out():
    pl = pytest.importorskip("polars")
    X, y = _data(seed=8)
    rng = np.random.default_rng(8)
    frame = pl.DataFrame({"a": X[:, 0], "s": rng.choice(["p", "q"], X.shape[0]), "i": rng.integers(0, 9, X.shape[0])})
    s = SMOTER(random_state=0)
    X_res, y_res = s.fit_resample(frame, pl.Series("t", y))
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == frame.schema
    assert isinstance(y_res, pl.Series) and y_res.name == "t" and len(y_res) == X_res.height
    assert s.categorical_features_.tolist() == [1]
    p = s.provenance_
    new, src, par = X_res.filter(pl.Series(p.is_synthetic)), p.source[p.is_synthetic], p.partner[p.is_synthetic]
    col = frame["s"].to_numpy()
    assert ((new["s"].to_numpy() == col[src]) | (new["s"].to_numpy() == col[par])).all()


def test_strings_with_categorical_features_none_name_the_regression_fix():
    X, y = _data()
    df = pd.DataFrame({"a": X[:, 0], "s": np.where(X[:, 1] > 0, "u", "v")})
    with pytest.raises(ValueError, match=r"\['s'\].*list these columns in categorical_features") as err:
        SMOTER(categorical_features=None).fit_resample(df, y)
    assert "SMOTENC" not in str(err.value)
    # the tags say what is read: nominal columns unless categorical_features=None
    assert SMOTER().__sklearn_tags__().input_tags.string and SMOTER().__sklearn_tags__().input_tags.categorical
    assert not SMOTER(categorical_features=None).__sklearn_tags__().input_tags.string
