"""Containers in, same kind out; bad input gets a clear error, never silent damage."""

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from smotekit import SMOTE, RandomOverSampler, RandomUnderSampler, make_imbalance


def _data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (np.arange(n) % 10 == 0).astype(int)
    X[y == 1] += 2
    return X, y


def test_lists_in_lists_out():
    # imbalanced-learn's rule: a list comes back as a list (X and y each on their own).
    X, y = _data()
    X_res, y_res = SMOTE(random_state=0).fit_resample(X.tolist(), y.tolist())
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert np.shape(X_res) == (360, 3)


def test_numpy_integer_features_keep_their_dtype():
    # As in imbalanced-learn; rounding and the other samplers: tests/test_messages.py.
    X, y = _data()
    X_res, _ = SMOTE(random_state=0).fit_resample(np.rint(X * 10).astype(np.int32), y)
    assert X_res.dtype == np.int32


def test_pandas_integer_and_bool_columns_are_rounded_not_truncated():
    X, y = _data()
    df = pd.DataFrame({"count": np.rint(X[:, 0] * 10).astype(np.int64), "flag": X[:, 1] > 0, "x": X[:, 2]})
    s = SMOTE(random_state=0)
    X_res, _ = s.fit_resample(df, y)
    assert list(X_res.dtypes) == list(df.dtypes)
    p = s.provenance_
    syn = p.is_synthetic
    exact = df["count"].to_numpy()[p.source[syn]] + p.gap[syn] * (
        df["count"].to_numpy()[p.partner[syn]] - df["count"].to_numpy()[p.source[syn]])
    np.testing.assert_array_equal(X_res["count"].to_numpy()[syn], np.rint(exact).astype(np.int64))


def test_pandas_y_keeps_name_dtype_and_x_keeps_columns():
    X, y = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c"], index=np.arange(1000, 1200))
    ys = pd.Series(np.where(y == 1, "fraud", "ok"), name="is_fraud", index=df.index)
    X_res, y_res = SMOTE(random_state=0).fit_resample(df, ys)
    assert list(X_res.columns) == ["a", "b", "c"] and y_res.name == "is_fraud"
    assert y_res.value_counts().to_dict() == {"ok": 180, "fraud": 180}
    # the caller's index labels are not invented for synthetic rows: fresh RangeIndex
    assert X_res.index.equals(pd.RangeIndex(360)) and y_res.index.equals(pd.RangeIndex(360))


def test_categorical_column_given_to_smote_points_to_smotenc():
    X, y = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df["city"] = pd.Categorical(np.where(X[:, 0] > 0, "Paris", "Lyon"))
    with pytest.raises(TypeError, match=r"\['city'\].*SMOTENC"):
        SMOTE().fit_resample(df, y)


def test_object_strings_in_numpy_are_named():
    X, y = _data()
    Xo = X.astype(object)
    Xo[:, 1] = "text"
    with pytest.raises(TypeError, match=r"\[1\].*SMOTENC"):
        SMOTE().fit_resample(Xo, y)


def test_random_samplers_take_any_columns_and_nan():
    X, y = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df["city"] = pd.Categorical(np.where(X[:, 0] > 0, "Paris", "Lyon"))
    df["note"] = pd.Series(["x"] * len(df), dtype="string")
    df.loc[3, "a"] = np.nan
    for sampler in (RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0)):
        X_res, y_res = sampler.fit_resample(df, y)
        assert list(X_res.dtypes) == list(df.dtypes)
        pd.testing.assert_frame_equal(X_res, df.iloc[sampler.sample_indices_].reset_index(drop=True))


def test_shrinkage_needs_numbers():
    X, y = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df["city"] = "Paris"
    with pytest.raises(TypeError, match="non-numeric"):
        RandomOverSampler(shrinkage=1.0).fit_resample(df, y)


def test_polars_in_polars_out():
    X, y = _data()
    df = pl.DataFrame({"a": X[:, 0], "b": X[:, 1], "n": np.rint(X[:, 2] * 5).astype(np.int64)})
    X_res, y_res = SMOTE(random_state=0).fit_resample(df, pl.Series("y", y))
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == df.schema
    assert y_res.name == "y" and y_res.to_list().count(1) == 180


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_float32_stays(fmt):
    X, y = _data()
    X[np.abs(X) < 0.8] = 0
    Xs = (sparse.csr_matrix if fmt == "csr" else sparse.csc_matrix)(X.astype(np.float32))
    X_res, _ = SMOTE(random_state=0).fit_resample(Xs, y)
    assert X_res.format == fmt and X_res.dtype == np.float32


def test_nan_and_inf_errors_name_the_fix():
    X, y = _data()
    X[5, 2] = np.nan
    with pytest.raises(ValueError, match="NaN.*impute"):
        SMOTE().fit_resample(X, y)
    X[5, 2] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        SMOTE().fit_resample(X, y)


def test_small_class_error_names_class_count_and_fix():
    X, y = _data()
    y = y.copy()
    y[[0, 10, 20, 30]] = 2  # class 2 has 4 rows
    with pytest.raises(ValueError, match=r"Class 2 has 4 sample\(s\).*k_neighbors=5.*at most 3"):
        SMOTE(sampling_strategy={2: 50}).fit_resample(X, y)


@pytest.mark.parametrize("bad, exc, words", [
    (0, ValueError, r"'k_neighbors' parameter of SMOTE must be an int in the range \[1, inf\)"),
    ("five", TypeError, "'k_neighbors' parameter of SMOTE .* or an object implementing 'fit' and 'kneighbors'"),
])
def test_bad_k_neighbors(bad, exc, words):
    X, y = _data()
    with pytest.raises(exc, match=words):
        SMOTE(k_neighbors=bad).fit_resample(X, y)


def test_wrong_shapes():
    X, y = _data()
    with pytest.raises(ValueError, match="2-D"):
        SMOTE().fit_resample(X[:, 0], y)
    with pytest.raises(ValueError, match="different numbers of rows"):
        SMOTE().fit_resample(X, y[:-3])
    with pytest.raises(ValueError, match="continuous"):
        SMOTE().fit_resample(X, y + 0.5)
    with pytest.raises(ValueError, match="Multilabel and multioutput targets are not supported"):
        SMOTE().fit_resample(X, np.c_[y, y])


def test_bad_random_state():
    X, y = _data()
    with pytest.raises(TypeError, match="random_state"):
        SMOTE(random_state="zero").fit_resample(X, y)


def test_neighbours_object_is_accepted_and_cloned():
    X, y = _data()
    nn = NearestNeighbors(n_neighbors=4)
    s = SMOTE(k_neighbors=nn, random_state=0)
    X_res, _ = s.fit_resample(X, y)
    assert X_res.shape == (360, 3)
    assert not hasattr(nn, "n_samples_fit_"), "the caller's object is not fitted in place"


def test_random_state_instances_are_consumed():
    X, y = _data()
    rs = np.random.RandomState(0)
    a, _ = SMOTE(random_state=rs).fit_resample(X, y)
    b, _ = SMOTE(random_state=rs).fit_resample(X, y)
    assert not np.array_equal(a, b)
    g1, _ = SMOTE(random_state=np.random.default_rng(3)).fit_resample(X, y)
    g2, _ = SMOTE(random_state=np.random.default_rng(3)).fit_resample(X, y)
    assert np.array_equal(g1, g2)


def test_make_imbalance():
    X, y = _data(600)
    y = np.arange(600) % 3
    X_res, y_res = make_imbalance(X, y, sampling_strategy={0: 50, 1: 20}, random_state=0)
    assert np.bincount(y_res).tolist() == [50, 20, 200]
    X_res, y_res = make_imbalance(X, y, sampling_strategy=lambda y, m: {0: m}, random_state=0, m=7)
    assert np.bincount(y_res).tolist() == [7, 200, 200]
    with pytest.raises(ValueError, match="'sampling_strategy' parameter of make_imbalance .*Mapping"):
        make_imbalance(X, y, sampling_strategy=0.5)


def test_provenance_frame_marks_synthetic_rows():
    X, y = _data()
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    s = SMOTE(random_state=0)
    X_res, y_res = s.fit_resample(df, y)
    X_res["is_synthetic"] = s.provenance_.is_synthetic
    assert X_res["is_synthetic"].sum() == 160
    frame = s.provenance_.to_frame()
    assert list(frame.columns) == ["is_synthetic", "source", "partner", "gap"]
    assert (frame.loc[~frame.is_synthetic, "source"] == np.arange(200)).all()
