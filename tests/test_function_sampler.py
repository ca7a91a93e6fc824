"""FunctionSampler: imbalanced-learn's behaviour, every container, inside a pipeline."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import IsolationForest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from smotekit import FunctionSampler
from smotekit.pipeline import Pipeline, make_pipeline
from smotekit.under_sampling import RandomUnderSampler

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

X_NUM = np.arange(24, dtype=np.float64).reshape(8, 3)
Y_NUM = np.array([0, 1, 0, 1, 0, 0, 1, 0])


def _first_rows(X, y, n=3):
    return X[:n], y[:n]


def test_identity_is_the_default():
    X_res, y_res = FunctionSampler().fit_resample(X_NUM, Y_NUM)
    np.testing.assert_array_equal(X_res, X_NUM)
    np.testing.assert_array_equal(y_res, Y_NUM)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse_reaches_func_in_its_format(fmt):
    seen = {}

    def func(X, y):
        seen["format"] = X.format
        return X[:4] if fmt != "coo" else X.tocsr()[:4], y[:4]

    X = sparse.random(8, 3, density=0.5, format=fmt, random_state=0)
    X_res, y_res = FunctionSampler(func=func).fit_resample(X, Y_NUM)
    assert seen["format"] == fmt
    assert sparse.issparse(X_res)
    np.testing.assert_allclose(X_res.toarray(), X.toarray()[:4])
    np.testing.assert_array_equal(y_res, Y_NUM[:4])


def test_sparse_refused_when_asked():
    with pytest.raises(TypeError, match="dense data is required"):
        FunctionSampler(accept_sparse=False).fit_resample(sparse.csr_matrix(X_NUM), Y_NUM)


def test_kw_args_are_passed():
    X_res, y_res = FunctionSampler(func=_first_rows, kw_args={"n": 5}).fit_resample(X_NUM, Y_NUM)
    assert X_res.shape == (5, 3) and y_res.tolist() == Y_NUM[:5].tolist()


def test_func_sampler_equals_the_sampler_it_wraps():
    def undersample(X, y, random_state):
        return RandomUnderSampler(random_state=random_state).fit_resample(X, y)

    X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    ours = FunctionSampler(func=undersample, kw_args={"random_state": 3}).fit_resample(X, y)
    direct = RandomUnderSampler(random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(ours[0], direct[0])
    np.testing.assert_array_equal(ours[1], direct[1])


def test_pandas_comes_back_as_pandas_with_dtypes_and_names():
    X = pd.DataFrame({"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5], "c": [True, False, True, False]},
                     index=[10, 11, 12, 13])
    y = pd.Series(pd.Categorical(["u", "v", "u", "v"]), name="label", index=X.index)
    seen = {}

    def func(X, y):
        seen["types"] = type(X), type(y)
        return X[[3, 0]], y[[3, 0]]

    sampler = FunctionSampler(func=func)
    X_res, y_res = sampler.fit_resample(X, y)
    assert seen["types"] == (np.ndarray, np.ndarray)  # func sees validated arrays
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    assert X_res.dtypes.tolist() == X.dtypes.tolist()
    assert X_res["a"].tolist() == [4, 1]
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    assert isinstance(y_res.dtype, pd.CategoricalDtype) and y_res.tolist() == ["v", "u"]
    assert list(X_res.index) == list(y_res.index) == [0, 1]
    assert sampler.feature_names_in_.tolist() == ["a", "b", "c"]
    assert sampler.n_features_in_ == 3
    # The caller's objects are untouched.
    assert list(X.index) == [10, 11, 12, 13] and X["a"].tolist() == [1, 2, 3, 4]


def test_polars_comes_back_as_polars_with_its_schema():
    X = pl.DataFrame({"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5]},
                     schema={"a": pl.Int32, "b": pl.Float32})
    y = pl.Series("label", ["u", "v", "u", "v"])
    X_res, y_res = FunctionSampler(func=lambda X, y: (X[1:], y[1:])).fit_resample(X, y)
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == X.schema
    assert X_res["a"].to_list() == [2, 3, 4]
    assert isinstance(y_res, pl.Series) and y_res.name == "label"
    assert y_res.to_list() == ["v", "u", "v"]


def test_lists_come_back_as_lists():
    X_res, y_res = FunctionSampler(func=_first_rows).fit_resample(X_NUM.tolist(), Y_NUM.tolist())
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert X_res == X_NUM[:3].tolist() and y_res == Y_NUM[:3].tolist()


def test_integer_arrays_keep_their_dtype():
    X_res, _ = FunctionSampler().fit_resample(np.arange(8).reshape(4, 2), [0, 1, 0, 1])
    assert X_res.dtype.kind == "i"


def test_one_hot_target_round_trips():
    y = np.eye(3, dtype=int)[[0, 1, 2, 1, 0, 2, 1, 0]]
    seen = {}

    def func(X, y):
        seen["y"] = y.copy()
        return X[::2], y[::2]

    X_res, y_res = FunctionSampler(func=func).fit_resample(X_NUM, y)
    assert seen["y"].tolist() == [0, 1, 2, 1, 0, 2, 1, 0]
    np.testing.assert_array_equal(y_res, y[::2])


def test_extra_outputs_are_returned_after_the_arrays():
    out = FunctionSampler(func=lambda X, y: (X, y, "extra")).fit_resample(X_NUM, Y_NUM)
    assert len(out) == 3 and out[2] == "extra"


@pytest.mark.parametrize("bad", [None, (1,), "text"])
def test_func_must_return_x_and_y(bad):
    with pytest.raises(ValueError, match="must return a tuple"):
        FunctionSampler(func=lambda X, y: bad).fit_resample(X_NUM, Y_NUM)


@pytest.mark.parametrize(
    "X, y, match",
    [
        (X_NUM, np.linspace(0, 1, 8), "Unknown label type"),
        (np.where(X_NUM > 20, np.nan, X_NUM), Y_NUM, "NaN"),
        (X_NUM, np.zeros(8), "more than 1 class|at least 2 classes"),
    ],
)
def test_validation_is_imblearns(X, y, match):
    with pytest.raises(ValueError, match=match):
        FunctionSampler().fit_resample(X, y)


def test_validate_false_passes_anything_untouched():
    X = [{"text": "a"}, {"text": None}]  # not an array at all
    y = [0.25, 3.5]  # a regression target
    seen = {}

    def func(X, y):
        seen["objects"] = X, y
        return X[:1], y[:1]

    sampler = FunctionSampler(func=func, validate=False)
    sampler.fit(X, y)
    X_res, y_res = sampler.fit_resample(X, y)
    assert seen["objects"][0] is X and seen["objects"][1] is y
    assert X_res == [{"text": "a"}] and y_res == [0.25]
    assert not hasattr(sampler, "n_features_in_")


def test_validate_false_in_a_regression_pipeline():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = X @ [1.0, -2.0] + 0.1

    def drop_large_targets(X, y):
        keep = np.abs(y) < 3
        return X[keep], y[keep]

    model = make_pipeline(FunctionSampler(func=drop_large_targets, validate=False), LinearRegression())
    assert model.fit(X, y).predict(X).shape == (60,)


def test_fit_checks_without_resampling():
    sampler = FunctionSampler(func=lambda X, y: pytest.fail("fit must not call func"))
    assert sampler.fit(X_NUM, Y_NUM) is sampler
    assert sampler.sampling_strategy_ == "auto" and sampler.n_features_in_ == 3


def test_parameters_are_checked_at_fit():
    with pytest.raises(ValueError, match="func"):
        FunctionSampler(func=3).fit_resample(X_NUM, Y_NUM)
    with pytest.raises(ValueError, match="kw_args"):
        FunctionSampler(kw_args=[1]).fit(X_NUM, Y_NUM)


def test_clone_and_params():
    sampler = FunctionSampler(func=_first_rows, kw_args={"n": 2}, validate=False)
    assert clone(sampler).get_params() == sampler.get_params()
    assert sorted(sampler.get_params()) == ["accept_sparse", "func", "kw_args", "validate"]


def _reject_outliers(X, y, contamination):
    """The outlier rejection of imbalanced-learn's example, as a pipeline step."""
    forest = IsolationForest(contamination=contamination, random_state=0)
    inliers = forest.fit_predict(X) == 1
    return X[inliers], y[inliers]


def _data_with_outliers():
    X, y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0,
                               weights=[0.8], class_sep=2.0, random_state=1)
    X = X.copy()
    outliers = np.arange(0, 300, 30)  # ten rows pushed far away
    X[outliers] += 40.0
    return X, y, outliers


def test_outlier_rejection_removes_the_planted_outliers():
    X, y, outliers = _data_with_outliers()
    kept = []

    def record(X, y, contamination):
        X_res, y_res = _reject_outliers(X, y, contamination)
        kept.append(X_res)
        return X_res, y_res

    X_res, y_res = FunctionSampler(func=record, kw_args={"contamination": 10 / 300}).fit_resample(X, y)
    assert X_res.shape == (290, 4) and y_res.shape == (290,)
    assert np.all(np.abs(X_res).max(axis=1) < 30)  # every planted outlier is gone


def test_outlier_rejection_inside_pipeline_cross_validation():
    X, y, _ = _data_with_outliers()
    calls = []

    def reject(X, y):
        calls.append(len(X))
        return _reject_outliers(X, y, contamination=0.05)

    model = Pipeline([("reject", FunctionSampler(func=reject)),
                      ("clf", LogisticRegression(max_iter=1000))])
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = cross_val_score(model, X, y, cv=cv, scoring="balanced_accuracy")
    assert scores.shape == (5,) and np.all(scores > 0.7)
    # Resampling happens on the training folds only (240 rows), never at predict time.
    assert calls == [240] * 5
    assert model.fit(X, y).predict(X).shape == (300,)


def test_importable_where_imblearn_has_it():
    from smotekit.base import FunctionSampler as from_base

    assert from_base is FunctionSampler


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import arrays
except ImportError:  # pragma: no cover
    pass
else:

    @settings(max_examples=30, deadline=None)
    @given(arrays(np.float64, st.tuples(st.integers(2, 20), st.integers(1, 4)),
                  elements=st.floats(-1e6, 1e6)))
    def test_identity_returns_equal_copy_of_any_finite_matrix(X):
        y = np.arange(X.shape[0]) % 2
        X_res, y_res = FunctionSampler().fit_resample(X, y)
        np.testing.assert_array_equal(X_res, X)
        np.testing.assert_array_equal(y_res, y)


def test_set_output_applies_with_validation():
    sampler = FunctionSampler(func=_first_rows).set_output(transform="pandas")
    X_res, _ = sampler.fit_resample(X_NUM, Y_NUM)
    assert isinstance(X_res, pd.DataFrame) and X_res.shape == (3, 3)


def test_one_hot_row_without_a_label_is_refused():
    y = np.eye(2, dtype=int)[Y_NUM]
    y[0] = 0  # decoded as class 0 before; it has no class
    with pytest.raises(ValueError, match="row 0 has 0 ones"):
        FunctionSampler().fit_resample(X_NUM, y)


@pytest.mark.parametrize("n_columns", [2, 4])
def test_one_hot_keeps_the_callers_column_count(n_columns):
    y = np.eye(n_columns, dtype=np.int8)[Y_NUM]  # with 4 columns, classes 2 and 3 have no row
    X_res, y_res = FunctionSampler(func=_first_rows).fit_resample(X_NUM, y)
    assert y_res.dtype == np.int8
    np.testing.assert_array_equal(y_res, y[:3])


def test_one_hot_frame_comes_back_as_a_frame():
    y = pd.DataFrame(np.eye(3, dtype=int)[[0, 1, 2, 1, 0, 2, 1, 0]], columns=["u", "v", "w"])
    _, y_res = FunctionSampler(func=_first_rows).fit_resample(X_NUM, y)
    assert isinstance(y_res, pd.DataFrame) and list(y_res.columns) == ["u", "v", "w"]
    np.testing.assert_array_equal(y_res.to_numpy(), y.to_numpy()[:3])


def test_polars_values_that_do_not_fit_are_kept_not_nulled():
    X = pl.DataFrame({"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5]})

    def func(X, y):
        X = X.astype(np.float64)
        X[0, 0], X[1, 0] = 1e20, 2.6
        return X, y

    X_res, _ = FunctionSampler(func=func).fit_resample(X, Y_NUM[:4])
    assert X_res["a"].to_list() == [1e20, 2.6, 3.0, 4.0] and X_res.schema["a"] == pl.Float64
    X_same, _ = FunctionSampler().fit_resample(X, Y_NUM[:4])
    assert X_same.schema == X.schema


def test_uses_the_imblearn_style_template():
    """FunctionSampler is an imbalanced-learn-style sampler: the shared _check_X_y hook applies."""
    assert FunctionSampler._imblearn_style

    class Strings(FunctionSampler):
        def _check_X_y(self, X, y, accept_sparse=None):
            return np.asarray(X, dtype=object), np.asarray(y), False

    X = np.array([["a"], ["b"], ["c"]], dtype=object)
    X_res, y_res = Strings(func=lambda X, y: (X[:2], y[:2])).fit_resample(X, [0, 1, 0])
    assert X_res.tolist() == [["a"], ["b"]] and y_res == [0, 1]  # a list y stays a list
