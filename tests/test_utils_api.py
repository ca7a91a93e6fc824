"""imbalanced-learn's utility API: validation helpers, docstrings, deprecation,
versions, exceptions and the value difference metric."""

import warnings
from collections import OrderedDict

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

import smotekit
from smotekit._docstring import _n_jobs_docstring, _random_state_docstring
from smotekit.exceptions import raise_isinstance_error
from smotekit.metrics.pairwise import ValueDifferenceMetric
from smotekit.utils import (
    Substitution,
    check_neighbors_object,
    check_sampling_strategy,
    check_target_type,
)
from smotekit.utils._show_versions import _get_deps_info, show_versions
from smotekit.utils._validation import ArraysTransformer, _deprecate_positional_args
from smotekit.utils.deprecation import deprecate_parameter

Y_MULTI = np.array(["a"] * 40 + ["b"] * 25 + ["c"] * 10)
Y_BINARY = np.array([1] * 30 + [0] * 70)

CASES = (
    [(s, kind, Y_MULTI) for kind in ("over-sampling",)
     for s in ["auto", "minority", "not minority", "not majority", "all", {"b": 40, "c": 12}]]
    + [(s, kind, Y_MULTI) for kind in ("under-sampling",)
       for s in ["auto", "majority", "not minority", "not majority", "all", {"a": 10, "b": 25}]]
    + [(s, "clean-sampling", Y_MULTI) for s in ["auto", "majority", "all", ["a", "c"]]]
    + [(r, kind, Y_BINARY) for kind in ("over-sampling", "under-sampling") for r in (0.5, 0.75, 1.0)]
    + [(lambda y: {"c": 30}, "over-sampling", Y_MULTI)]
)


@pytest.mark.parametrize("strategy, kind, y", CASES)
def test_check_sampling_strategy_equals_imblearn(strategy, kind, y):
    imb = pytest.importorskip("imblearn.utils")
    ours = check_sampling_strategy(strategy, y, kind)
    theirs = imb.check_sampling_strategy(strategy, y, kind)
    assert isinstance(ours, OrderedDict)
    assert list(ours.items()) == list(theirs.items())


@pytest.mark.parametrize("kind", ["bypass", "ensemble"])
def test_bypass_kinds_return_the_strategy_unchanged(kind):
    strategy = {"anything": object()}
    assert check_sampling_strategy(strategy, Y_MULTI, kind) is strategy
    with pytest.raises(ValueError, match="more than 1 class"):
        check_sampling_strategy("auto", np.zeros(5), kind)


def test_callable_strategy_receives_kwargs():
    def double(y, factor):
        classes, counts = np.unique(y, return_counts=True)
        return {c: int(n * factor) for c, n in zip(classes, counts) if n < 20}

    assert check_sampling_strategy(double, Y_MULTI, "over-sampling", factor=3) == {"c": 20}


def test_check_sampling_strategy_accepts_lists_and_keeps_order():
    result = check_sampling_strategy({"c": 10, "a": 10}, list(Y_MULTI), "under-sampling")
    assert list(result) == ["a", "c"]


def test_unknown_sampling_type():
    with pytest.raises(ValueError, match="'sampling_type' should be one of"):
        check_sampling_strategy("auto", Y_MULTI, "sideways")


def test_check_neighbors_object():
    nn = check_neighbors_object("n_neighbors", 3, additional_neighbor=1)
    assert isinstance(nn, NearestNeighbors) and nn.n_neighbors == 4
    template = NearestNeighbors(n_neighbors=2, metric="manhattan")
    cloned = check_neighbors_object("n_neighbors", template)
    assert cloned is not template and cloned.get_params() == template.get_params()
    with pytest.raises(TypeError, match="kneighbors"):
        check_neighbors_object("n_neighbors", "five")
    with pytest.raises(TypeError, match="bool"):
        check_neighbors_object("n_neighbors", True)


def test_check_target_type():
    one_hot = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]])
    y, was_one_hot = check_target_type(one_hot, indicate_one_vs_all=True)
    assert y.tolist() == [1, 0, 2] and was_one_hot
    assert check_target_type([[1], [0]]).tolist() == [1, 0]
    with pytest.raises(ValueError, match="Multilabel"):
        check_target_type(np.array([[1, 1], [0, 1]]))


def test_arrays_transformer_polars():
    pl = pytest.importorskip("polars")
    X = pl.DataFrame({"u": [1, 2]}, schema={"u": pl.Int16})
    y = pl.Series("t", [True, False])
    X_res, y_res = ArraysTransformer(X, y).transform(np.array([[3.0]]), np.array([True]))
    assert X_res.schema == X.schema and X_res["u"].to_list() == [3]
    assert y_res.name == "t" and y_res.dtype == pl.Boolean


def test_substitution_fills_fields_and_survives_no_docstring():
    @Substitution(random_state=_random_state_docstring)
    def f():
        """Doc.

        Parameters
        ----------
        {random_state}
        """

    assert "random_state : int" in f.__doc__ and "{random_state}" not in f.__doc__

    def g():
        pass

    assert Substitution(x="y")(g) is g and g.__doc__ is None
    with pytest.raises(AssertionError, match="not both"):
        Substitution("a", x="b")
    assert "n_jobs" in _n_jobs_docstring


def test_deprecate_parameter_forwards_the_value():
    class Sampler:
        old, new = 5, None

    sampler = Sampler()
    with pytest.warns(FutureWarning, match=r"'old' is deprecated from 0\.3 .* removed in 0\.5"):
        deprecate_parameter(sampler, "0.3", "old", "new")
    assert sampler.new == 5
    sampler.old = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        deprecate_parameter(sampler, "0.3", "old", "new")


def test_deprecate_positional_args():
    @_deprecate_positional_args
    def f(a, *, b=1, c=2):
        return a, b, c

    assert f(0, b=5) == (0, 5, 2)
    with pytest.warns(FutureWarning, match="Pass b=7, c=8 as keyword args"):
        assert f(0, 7, 8) == (0, 7, 8)


def test_show_versions(capsys):
    info = _get_deps_info()
    assert info["smotekit"] == smotekit.__version__
    assert {"numpy", "scipy", "scikit-learn", "imbalanced-learn"} <= set(info)
    show_versions()
    plain = capsys.readouterr().out
    assert "executable" in plain and "smotekit" in plain
    smotekit.show_versions(github=True)
    marked = capsys.readouterr().out
    assert marked.startswith("<details>") and "* numpy" in marked


def test_raise_isinstance_error():
    with pytest.raises(ValueError, match="n_neighbors has to be one of .*Got <class 'str'>"):
        raise_isinstance_error("n_neighbors", [int], "x")


def test_utils_all_is_sorted_and_importable():
    import smotekit.utils as utils

    assert list(utils.__all__) == sorted(utils.__all__)
    for name in utils.__all__:
        assert hasattr(utils, name)
    assert "FunctionSampler" in smotekit.__all__ and "show_versions" in smotekit.__all__


# --------------------------------------------------------------- value difference metric

def test_vdm_hand_computed():
    X = np.array([[0, 0], [0, 0], [0, 1], [1, 0], [1, 1], [2, 0]])
    y = np.array(["x", "x", "y", "x", "y", "y"])
    # Columns of the tables: classes in sorted order (x, y).
    # Feature 0: category 0 in rows 0, 1, 2 (x, x, y) -> (2/3, 1/3); category 1 in rows
    # 3, 4 (x, y) -> (1/2, 1/2); category 2 in row 5 (y) -> (0, 1).
    # Feature 1: category 0 in rows 0, 1, 3, 5 (x, x, x, y) -> (3/4, 1/4); category 1 in
    # rows 2, 4 (y, y) -> (0, 1).
    vdm = ValueDifferenceMetric(k=1, r=2).fit(X, y)
    np.testing.assert_allclose(vdm.proba_per_class_[0], [[2 / 3, 1 / 3], [1 / 2, 1 / 2], [0, 1]])
    np.testing.assert_allclose(vdm.proba_per_class_[1], [[3 / 4, 1 / 4], [0, 1]])
    # d([0, 0], [2, 1]) = (|2/3 - 0| + |1/3 - 1|)^2 + (|3/4 - 0| + |1/4 - 1|)^2
    #                   = (4/3)^2 + (3/2)^2
    expected = (4 / 3) ** 2 + (3 / 2) ** 2
    assert vdm.pairwise([[0, 0]], [[2, 1]])[0, 0] == pytest.approx(expected)
    # k=2, r=1: Euclidean distance between distributions, summed.
    vdm2 = ValueDifferenceMetric(k=2, r=1).fit(X, y)
    expected2 = np.hypot(2 / 3, 2 / 3) + np.hypot(3 / 4, 3 / 4)
    assert vdm2.pairwise([[0, 0]], [[2, 1]])[0, 0] == pytest.approx(expected2)


@pytest.mark.parametrize("k, r", [(1, 1), (1, 2), (2, 1), (3, 2)])
def test_vdm_equals_imblearn(k, r):
    imb = pytest.importorskip("imblearn.metrics.pairwise")
    rng = np.random.default_rng(k * 10 + r)
    X = rng.integers(0, 6, size=(150, 4))
    y = rng.integers(0, 3, size=150)
    ours = ValueDifferenceMetric(k=k, r=r).fit(X, y)
    theirs = imb.ValueDifferenceMetric(k=k, r=r).fit(X, y)
    for a, b in zip(ours.proba_per_class_, theirs.proba_per_class_, strict=True):
        np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(ours.pairwise(X[:40], X[40:]), theirs.pairwise(X[:40], X[40:]))


def test_vdm_is_a_symmetric_zero_diagonal_distance():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 4, size=(60, 3))
    y = rng.integers(0, 2, size=60)
    D = ValueDifferenceMetric().fit(X, y).pairwise(X)
    np.testing.assert_allclose(D, D.T)
    np.testing.assert_allclose(np.diag(D), 0)
    assert np.all(D >= 0)


def test_vdm_errors_name_the_fix():
    X = np.array([[0, 1], [2, 0], [1, 1]])
    y = [0, 1, 0]
    with pytest.raises(ValueError, match="n_categories"):
        ValueDifferenceMetric(n_categories=[2, 2]).fit(X, y)
    vdm = ValueDifferenceMetric().fit(X, y)
    with pytest.raises(ValueError, match="category code 5"):
        vdm.pairwise([[5, 0]])
    with pytest.raises(ValueError, match="features"):
        vdm.pairwise([[0, 0, 0]])
    with pytest.raises(ValueError, match="Negative values in data passed to X"):
        ValueDifferenceMetric().fit([[-1], [0]], [0, 1])
    with pytest.raises(ValueError, match="'k'"):
        ValueDifferenceMetric(k=0).fit(X, y)


def test_vdm_feature_names_from_pandas():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"colour": [0, 1, 2, 1], "size": [1, 0, 0, 1]})
    vdm = ValueDifferenceMetric().fit(X, [0, 1, 1, 0])
    assert vdm.feature_names_in_.tolist() == ["colour", "size"] and vdm.n_features_in_ == 2


@pytest.mark.parametrize("path", [
    "FunctionSampler",
    "show_versions",
    "base.FunctionSampler",
    "model_selection.InstanceHardnessCV",
    "metrics.pairwise.ValueDifferenceMetric",
    "utils.check_neighbors_object",
    "utils.check_sampling_strategy",
    "utils.check_target_type",
    "utils.Substitution",
    "utils.deprecation.deprecate_parameter",
    "utils._show_versions.show_versions",
    "utils._show_versions._get_deps_info",
    "exceptions.raise_isinstance_error",
])
def test_same_signature_as_imblearn(path):
    import importlib
    import inspect

    pytest.importorskip("imblearn")
    *module, name = path.split(".")

    def resolve(package):
        return getattr(importlib.import_module(".".join([package, *module])), name)

    ours, theirs = inspect.signature(resolve("smotekit")), inspect.signature(resolve("imblearn"))
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.parameters.values()]


@pytest.mark.parametrize("row", [np.array([0, 0, 0]), np.array([1, 1, 0])])
def test_check_target_type_wants_exactly_one_label_per_row(row):
    one_hot = np.eye(3, dtype=int)[[0, 1, 2, 1]]
    one_hot[2] = row
    with pytest.raises(ValueError, match=f"row 2 has {row.sum()} ones.*exactly one 1"):
        check_target_type(one_hot)


def _containers():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    from scipy import sparse

    base = np.eye(4, dtype=np.int64)[[0, 2, 1, 0]]
    return [
        (base, lambda y: y),
        (base.tolist(), np.asarray),
        (pd.DataFrame(base, columns=list("abcd")), lambda y: y.to_numpy()),
        (pl.DataFrame(base, schema=list("abcd"), orient="row"), lambda y: y.to_numpy()),
        (sparse.csr_matrix(base), lambda y: y.toarray()),
    ]


def test_split_one_hot_rebuilds_the_callers_columns_and_container():
    from smotekit.utils._validation import _split_one_hot

    for y, as_array in _containers():
        labels, encode = _split_one_hot(y)
        assert labels.tolist() == [0, 2, 1, 0]
        out = encode(np.array([2, 2, 0]))
        assert type(out) is type(y)
        np.testing.assert_array_equal(as_array(out), np.eye(4)[[2, 2, 0]])
    for not_one_hot in ([0, 1, 1], np.array([[0], [1]]), np.array([[0, 2], [1, 0]])):
        assert _split_one_hot(not_one_hot)[1] is None


def test_arrays_transformer_polars_keeps_values_that_do_not_fit():
    pl = pytest.importorskip("polars")
    X = pl.DataFrame({"i": [1, 2], "f": [0.5, 1.5]}, schema={"i": pl.Int64, "f": pl.Float32})
    y = pl.Series("t", [0, 1], dtype=pl.Int8)
    X_res, y_res = ArraysTransformer(X, y).transform(np.array([[1e20, 1.0], [2.6, 2.0]]),
                                                     np.array([0.5, 300.0]))
    # Neither nulled nor truncated: the column keeps the dtype the function returned.
    assert X_res["i"].to_list() == [1e20, 2.6] and X_res.schema["f"] == pl.Float32
    assert y_res.to_list() == [0.5, 300.0]
    X_res, y_res = ArraysTransformer(X, y).transform(np.array([[3.0, 1.0]]), np.array([1.0]))
    assert X_res.schema == X.schema and X_res["i"].to_list() == [3] and y_res.dtype == pl.Int8
