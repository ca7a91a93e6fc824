"""The sampler contract as executable checks, public so that any sampler
(ours or a user's) can be verified.

Two suites live here:

- smotekit's contract, ``for check in sampler_checks(s): check(s)`` (or
  ``check_sampler(s)``): each check takes a sampler instance and reads its
  capabilities from its tags instead of knowing samplers by name, so a new
  sampler is covered the moment it exists (the checks live in
  ``smotekit.utils._test_common.contract``);
- imbalanced-learn's public checks, with its names and signatures
  (``check_samplers_fit(name, sampler)``, ``parametrize_with_checks``,
  ``check_param_validation``, ...), which read capabilities from the
  estimator's tags (``sklearn.utils.get_tags``).

Each check raises ``AssertionError`` (or the sampler's own error) on failure,
and ``unittest.SkipTest`` (with the reason) where it does not apply.
"""

from __future__ import annotations

import warnings
from collections import Counter
from functools import partial, wraps

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_iris, make_classification, make_multilabel_classification
from sklearn.exceptions import SkipTestWarning
from sklearn.preprocessing import label_binarize
from sklearn.utils._testing import SkipTest
from sklearn.utils.multiclass import type_of_target

from ..over_sampling.base import BaseOverSampler
from ..under_sampling.base import BaseCleaningSampler, BaseUnderSampler
from ._test_common.contract import (
    check_clear_errors,
    check_clone_and_params,
    check_counts_follow_plan,
    check_deterministic,
    check_does_not_mutate_input,
    check_fit_returns_self_and_plan,
    check_float32_kept,
    check_init_only_stores_params,
    check_inside_imblearn_pipeline,
    check_labels_of_any_type,
    check_originals_kept,
    check_pandas_round_trip,
    check_polars_round_trip,
    check_rejects_nan,
    check_sampler,
    check_sparse_round_trip,
    construct_sampler,
    sampler_checks,
)
from ._test_common.helpers import (
    _blobs,
    _input_tag,
    _pandas,
    _raises,
    _random_state,
    _sampler_tag,
    _skip_without_validation,
    _tags,
)
from ._test_common.instance_generator import (
    _check_name,
    _get_check_estimator_ids,
    _set_checking_parameters,  # noqa: F401  (imbalanced-learn's tests import it from here)
    _yield_instances_for_check,
)

__all__ = [
    "check_classifier_on_multilabel_or_multioutput_targets",
    "check_classifiers_with_encoded_labels",
    "check_clear_errors",
    "check_clone_and_params",
    "check_counts_follow_plan",
    "check_dataframe_column_names_consistency",
    "check_deterministic",
    "check_does_not_mutate_input",
    "check_estimator",
    "check_fit_returns_self_and_plan",
    "check_float32_kept",
    "check_init_only_stores_params",
    "check_inside_imblearn_pipeline",
    "check_labels_of_any_type",
    "check_originals_kept",
    "check_pandas_round_trip",
    "check_param_validation",
    "check_polars_round_trip",
    "check_rejects_nan",
    "check_sampler",
    "check_sampler_get_feature_names_out",
    "check_sampler_get_feature_names_out_pandas",
    "check_samplers_2d_target",
    "check_samplers_fit",
    "check_samplers_fit_resample",
    "check_samplers_list",
    "check_samplers_multiclass_ova",
    "check_samplers_nan",
    "check_samplers_one_label",
    "check_samplers_pandas",
    "check_samplers_pandas_sparse",
    "check_samplers_preserve_dtype",
    "check_samplers_sample_indices",
    "check_samplers_sampling_strategy_fit_resample",
    "check_samplers_sparse",
    "check_samplers_string",
    "check_sparse_round_trip",
    "check_target_type",
    "construct_sampler",
    "estimator_checks_generator",
    "parametrize_with_checks",
    "sample_dataset_generator",
    "sampler_checks",
]


# ---------------------------------------------------------------------------
# imbalanced-learn's public check suite: the same names, signatures
# (``check(name, estimator)``) and assertions, so tests written against
# ``imblearn.utils.estimator_checks`` run against smotekit's samplers, and
# third-party samplers built on smotekit can be checked with the same calls.
# Capabilities are read from the estimator's tags (``sklearn.utils.get_tags``).
# ---------------------------------------------------------------------------


def sample_dataset_generator():
    """The checks' three-class data: 1000 rows, classes of 201, 301 and 498 rows."""
    return make_classification(n_samples=1000, n_classes=3, n_informative=4,
                               weights=[0.2, 0.3, 0.5], random_state=0)


def check_target_type(name, estimator_orig):
    """A continuous or a multilabel target raises ValueError."""
    estimator = clone(estimator_orig)
    rng = np.random.RandomState(0)
    X = rng.random_sample((20, 2))
    with _raises(ValueError, err_msg=f"{name} accepted a continuous target; it must raise "
                 "'Unknown label type:'"):
        estimator.fit_resample(X, np.linspace(0, 1, 20))
    with _raises(ValueError, err_msg=f"{name} accepted a multilabel target; it must raise "
                 "'Multilabel and multioutput targets are not supported.'"):
        estimator.fit_resample(X, rng.randint(2, size=(20, 3)))


def check_samplers_one_label(name, sampler_orig):
    """A target with a single class raises a ValueError that mentions the class."""
    sampler = clone(sampler_orig)
    X = np.random.RandomState(0).random_sample((20, 2))
    try:
        sampler.fit_resample(X, np.zeros(20))
    except ValueError as exc:
        if "class" not in repr(exc):
            raise AssertionError(f"{name}'s error for a single class does not mention the class: "
                                 f"{exc!r}") from exc
        return
    raise AssertionError("Sampler can't balance when only one class is present: "
                         f"{name} resampled a single-class target without an error.")


def check_samplers_fit(name, sampler_orig):
    """``fit_resample`` sets ``sampling_strategy_``."""
    sampler = clone(sampler_orig)
    X = np.random.RandomState(42).random_sample((30, 2))
    sampler.fit_resample(X, np.array([1] * 20 + [0] * 10))
    assert hasattr(sampler, "sampling_strategy_"), \
        f"No fitted attribute sampling_strategy_ on {name} after fit_resample"


def check_samplers_fit_resample(name, sampler_orig):
    """Default plans: over-samplers reach the majority's size, under-samplers the
    minority's (at most, for samplers whose counts the data decide), and cleaning
    samplers remove rows from every class but the minority."""
    sampler = clone(sampler_orig)
    X, y = sample_dataset_generator()
    before = Counter(y)
    _, y_res = sampler.fit_resample(X, y)
    after = Counter(y_res)
    if isinstance(sampler, BaseOverSampler):
        assert all(n >= max(before.values()) for n in after.values()), (before, after)
    elif isinstance(sampler, BaseUnderSampler):
        if _sampler_tag(sampler, "exact_counts", True):
            assert all(n == min(before.values()) for n in after.values()), (before, after)
        else:
            assert all(after[c] <= before[c] for c in before), (before, after)
    elif isinstance(sampler, BaseCleaningSampler):
        minority = min(before, key=before.get)
        assert all(after[c] < before[c] for c in before if c != minority), (before, after)


def check_samplers_sampling_strategy_fit_resample(name, sampler_orig):
    """A class left out of a dict (or list) ``sampling_strategy`` keeps its size."""
    sampler = clone(sampler_orig)
    X, y = sample_dataset_generator()
    counts = Counter(y)
    if isinstance(sampler, BaseOverSampler):
        strategy = {2: max(counts.values()), 0: max(counts.values())}
    elif isinstance(sampler, BaseUnderSampler):
        strategy = {2: min(counts.values()), 0: min(counts.values())}
    elif isinstance(sampler, BaseCleaningSampler):
        strategy = [2, 0]
    else:
        raise SkipTest(f"{name} derives from no over-, under- or cleaning-sampler base: "
                       "its class sizes depend on more than its plan")
    sampler.set_params(sampling_strategy=strategy)
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res)[1] == counts[1], f"{name} changed class 1, absent from {strategy}"


def check_samplers_sparse(name, sampler_orig):
    """CSR input gives sparse output, with the values of the same data dense."""
    X, y = sample_dataset_generator()
    X_res_sparse, y_res_sparse = clone(sampler_orig).fit_resample(sparse.csr_matrix(X), y)
    X_res, y_res = clone(sampler_orig).fit_resample(X, y)
    assert sparse.issparse(X_res_sparse), f"{name} returned {type(X_res_sparse)} for sparse input"
    if _sampler_tag(sampler_orig, "sparse_same_as_dense", True):
        np.testing.assert_allclose(X_res_sparse.toarray(), X_res, rtol=1e-5)
        np.testing.assert_allclose(y_res_sparse, y_res)
    else:
        assert Counter(y_res_sparse) == Counter(y_res)


def check_samplers_pandas(name, sampler_orig):
    """DataFrame and Series in, DataFrame and Series out: same columns, name and values."""
    pd = _pandas()
    sampler = clone(sampler_orig)
    X, y = sample_dataset_generator()
    X_df = pd.DataFrame(X, columns=[str(i) for i in range(X.shape[1])])
    y_df, y_s = pd.DataFrame(y), pd.Series(y, name="class")
    X_res_df, y_res_s = sampler.fit_resample(X_df, y_s)
    X_res_df, y_res_df = sampler.fit_resample(X_df, y_df)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res_df, pd.DataFrame) and isinstance(y_res_df, pd.DataFrame)
    assert isinstance(y_res_s, pd.Series)
    assert X_res_df.columns.tolist() == X_df.columns.tolist()
    assert y_res_df.columns.tolist() == y_df.columns.tolist()
    assert y_res_s.name == y_s.name
    np.testing.assert_allclose(X_res_df.to_numpy(), X_res)
    np.testing.assert_allclose(y_res_df.to_numpy().ravel(), y_res)
    np.testing.assert_allclose(y_res_s.to_numpy(), y_res)


def check_samplers_pandas_sparse(name, sampler_orig):
    """A DataFrame of sparse columns comes back with sparse columns and the dense values."""
    pd = _pandas()
    sampler = clone(sampler_orig)
    X, y = sample_dataset_generator()
    X_df = pd.DataFrame(X, columns=[str(i) for i in range(X.shape[1])],
                        dtype=pd.SparseDtype(float, 0))
    y_s = pd.Series(y, name="class")
    X_res_df, y_res_s = sampler.fit_resample(X_df, y_s)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res_df, pd.DataFrame) and isinstance(y_res_s, pd.Series)
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in X_res_df.dtypes), list(X_res_df.dtypes)
    assert X_res_df.columns.tolist() == X_df.columns.tolist() and y_res_s.name == y_s.name
    np.testing.assert_allclose(X_res_df.to_numpy(), X_res)
    np.testing.assert_allclose(y_res_s.to_numpy(), y_res)


def check_samplers_list(name, sampler_orig):
    """Lists in, lists out, with the values of the same data as arrays."""
    sampler = clone(sampler_orig)
    X, y = sample_dataset_generator()
    X_res, y_res = sampler.fit_resample(X, y)
    X_res_list, y_res_list = sampler.fit_resample(X.tolist(), y.tolist())
    assert isinstance(X_res_list, list) and isinstance(y_res_list, list)
    np.testing.assert_allclose(X_res, X_res_list)
    np.testing.assert_allclose(y_res, y_res_list)


def check_samplers_multiclass_ova(name, sampler_orig):
    """A one-hot (one-vs-all) target is resampled as its labels, and comes back one-hot."""
    sampler = clone(sampler_orig)
    X, y = sample_dataset_generator()
    y_ova = label_binarize(y, classes=np.unique(y))
    X_res, y_res = sampler.fit_resample(X, y)
    X_res_ova, y_res_ova = sampler.fit_resample(X, y_ova)
    np.testing.assert_allclose(X_res, X_res_ova)
    assert type_of_target(y_res_ova) == type_of_target(y_ova)
    np.testing.assert_allclose(y_res, y_res_ova.argmax(axis=1))


def check_samplers_2d_target(name, sampler_orig):
    """A column-vector target of shape (n, 1) is accepted."""
    X, y = sample_dataset_generator()
    clone(sampler_orig).fit_resample(X, y.reshape(-1, 1))


def check_samplers_preserve_dtype(name, sampler_orig):
    """float32 X and int32 y keep their dtypes."""
    X, y = sample_dataset_generator()
    X, y = X.astype(np.float32), y.astype(np.int32)
    X_res, y_res = clone(sampler_orig).fit_resample(X, y)
    assert X_res.dtype == X.dtype, f"X dtype is not preserved by {name}: {X_res.dtype}"
    assert y_res.dtype == y.dtype, f"y dtype is not preserved by {name}: {y_res.dtype}"


def check_samplers_sample_indices(name, sampler_orig):
    """``sample_indices_`` exists after fitting exactly when the tags say so."""
    sampler = clone(sampler_orig)
    X, y = sample_dataset_generator()
    sampler.fit_resample(X, y)
    declared = bool(_sampler_tag(sampler, "sample_indices", False))
    assert hasattr(sampler, "sample_indices_") is declared, \
        f"{name}: sample_indices_ {'missing' if declared else 'set'}, but its tags say {declared}"


def check_samplers_string(name, sampler_orig):
    """Object arrays of strings pass through, every category kept."""
    rng = np.random.RandomState(0)
    categories = np.array(["A", "B", "C"], dtype=object)
    X = categories[rng.randint(0, 3, size=30).reshape(-1, 1)]
    y = rng.permutation([0] * 10 + [1] * 20)
    X_res, y_res = clone(sampler_orig).fit_resample(X, y)
    assert X_res.dtype == object and X_res.shape[0] == y_res.shape[0]
    np.testing.assert_array_equal(np.unique(X_res.ravel()), categories)


def check_samplers_nan(name, sampler_orig):
    """NaN values are accepted and kept, in a float64 output."""
    rng = np.random.RandomState(0)
    X = np.array([0, 1, np.nan])[rng.randint(0, 3, size=100).reshape(-1, 1)]
    y = rng.permutation([0] * 40 + [1] * 60)
    X_res, y_res = clone(sampler_orig).fit_resample(X, y)
    assert X_res.dtype == np.float64 and X_res.shape[0] == y_res.shape[0]
    assert np.isnan(X_res).any(), f"{name} dropped every NaN"


def check_sampler_get_feature_names_out(name, sampler_orig):
    """``get_feature_names_out`` names every output column, and rejects a wrong length."""
    _skip_without_validation(name, sampler_orig)
    X, y = _blobs()
    sampler = _random_state(clone(sampler_orig))
    X_res, _ = sampler.fit_resample(X, y)
    names_in = [f"feature{i}" for i in range(X.shape[1])]
    with _raises(ValueError, match="input_features should have length equal"):
        sampler.get_feature_names_out(names_in[::2])
    names_out = sampler.get_feature_names_out(names_in)
    assert isinstance(names_out, np.ndarray) and names_out.dtype == object
    assert all(isinstance(n, str) for n in names_out) and len(names_out) == X_res.shape[1]


def check_sampler_get_feature_names_out_pandas(name, sampler_orig):
    """After a DataFrame, ``get_feature_names_out`` defaults to its columns and rejects others."""
    pd = _pandas()
    _skip_without_validation(name, sampler_orig)
    X, y = _blobs()
    sampler = _random_state(clone(sampler_orig))
    columns = [f"col{i}" for i in range(X.shape[1])]
    X_res, _ = sampler.fit_resample(pd.DataFrame(X, columns=columns), y)
    with _raises(ValueError, match="input_features is not equal to feature_names_in_"):
        sampler.get_feature_names_out([f"bad{i}" for i in range(X.shape[1])])
    default = sampler.get_feature_names_out()
    np.testing.assert_array_equal(default, sampler.get_feature_names_out(columns))
    assert len(default) == X_res.shape[1]


def check_classifier_on_multilabel_or_multioutput_targets(name, estimator_orig):
    """A classifier refuses a multilabel target with a clear error."""
    X, y = make_multilabel_classification(n_samples=30, random_state=0)
    with _raises(ValueError, match="Multilabel and multioutput targets are not supported."):
        clone(estimator_orig).fit(X, y)


def check_classifiers_with_encoded_labels(name, classifier_orig):
    """Categorical string labels from a pandas Series are the classifier's classes."""
    pd = _pandas()
    from ..datasets import make_imbalance

    iris = load_iris(as_frame=True)
    y = pd.Series(iris.target_names[iris.target], dtype="category")
    X, y = make_imbalance(iris.data, y, sampling_strategy={"setosa": 30, "versicolor": 20, "virginica": 50})
    classifier = clone(classifier_orig).fit(X, y)
    categories = set(y.cat.categories.tolist())
    assert set(classifier.classes_) == categories
    assert set(classifier.predict(X)) == categories


def check_param_validation(name, estimator_orig):
    """Every constructor parameter has a constraint, and a value violating it makes
    every fitting method raise scikit-learn's informative ``InvalidParameterError``."""
    try:
        from sklearn.utils._param_validation import generate_invalid_param_val, make_constraint
    except ImportError as exc:  # the helpers moved: nothing to generate invalid values with
        raise SkipTest(f"scikit-learn's parameter-validation helpers are unavailable: {exc}") from exc
    rng = np.random.RandomState(0)
    X, y = rng.uniform(size=(20, 5)), rng.randint(0, 2, size=20)
    params = estimator_orig.get_params(deep=False)
    constraints = getattr(estimator_orig, "_parameter_constraints", {})
    if params:
        assert constraints.keys() == params.keys(), (
            f"_parameter_constraints of {name} do not match its parameters: unexpected "
            f"{sorted(set(constraints) - set(params))}, missing {sorted(set(params) - set(constraints))}"
        )
    methods = [m for m in ("fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample")
               if hasattr(estimator_orig, m)]
    bad_type = type("BadType", (), {})()
    for param, param_constraints in constraints.items():
        if param_constraints == "no_validation":
            continue
        match = rf"The '{param}' parameter of {name} must be .* Got .* instead."
        err_msg = f"{name} does not raise an informative error for an invalid {param}"
        bad_values = [bad_type]
        for constraint in map(make_constraint, param_constraints):
            try:
                bad_values.append(generate_invalid_param_val(constraint))
            except NotImplementedError:
                continue
        for value in bad_values:
            estimator = clone(estimator_orig).set_params(**{param: value})
            for method in methods:
                with _raises(ValueError, match=match, err_msg=err_msg):
                    getattr(estimator, method)(X, y)


def check_dataframe_column_names_consistency(name, estimator_orig):
    """Fitting on a DataFrame records ``feature_names_in_`` (documented in the
    docstring), and prediction-like methods reject renamed or reordered columns."""
    pd = _pandas()
    tags = _tags(estimator_orig)
    if not (tags.input_tags.two_d_array or tags.input_tags.categorical) or tags.no_validation:
        raise SkipTest(f"{name} does not validate 2-D input: no feature names to check")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(150, 8))
    if tags.input_tags.positive_only:
        X -= X.min()
    names = np.array([f"col_{i}" for i in range(X.shape[1])], dtype=object)
    y = rng.randint(0, 2, size=X.shape[0])
    estimator = _random_state(clone(estimator_orig))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="X does not have valid feature names",
                                category=UserWarning, module="smotekit")
        estimator.fit(pd.DataFrame(X, columns=names), y)
    assert hasattr(estimator, "feature_names_in_"), \
        f"{name} has no feature_names_in_ after fitting on a DataFrame"
    assert isinstance(estimator.feature_names_in_, np.ndarray)
    assert estimator.feature_names_in_.dtype == object
    np.testing.assert_array_equal(estimator.feature_names_in_, names)
    module = type(estimator_orig).__module__
    if module.startswith("smotekit.") and "feature_names_in_" not in (type(estimator_orig).__doc__ or ""):
        raise AssertionError(f"{name} does not document its feature_names_in_ attribute")
    df = pd.DataFrame(X, columns=names)
    methods = [m for m in ("predict", "transform", "decision_function", "predict_proba", "score",
                           "score_samples", "predict_log_proba") if hasattr(estimator, m)]
    for method in methods:
        call = partial(getattr(estimator, method), y=y) if method == "score" else getattr(estimator, method)
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message="X does not have valid feature names",
                                    category=UserWarning, module="sklearn")
            call(df)
        for bad in (names[::-1], [f"another_prefix_{i}" for i in range(len(names))]):
            with _raises(ValueError, match="The feature names should match those that were passed",
                         err_msg=f"{name}.{method} accepted renamed or reordered columns"):
                call(pd.DataFrame(X, columns=bad))
        with _raises(ValueError, match="The feature names should match those that were passed"):
            call(pd.DataFrame(X[:, :3], columns=names[:3]))


def _yield_sampler_checks(sampler):
    yield from (check_target_type, check_samplers_one_label, check_samplers_fit,
                check_samplers_fit_resample, check_samplers_sampling_strategy_fit_resample)
    if _input_tag(sampler, "sparse"):
        yield check_samplers_sparse
    if _input_tag(sampler, "dataframe"):
        yield check_samplers_pandas
        yield check_samplers_pandas_sparse
    if _input_tag(sampler, "string"):
        yield check_samplers_string
    if _input_tag(sampler, "allow_nan"):
        yield check_samplers_nan
    # Not filtered by the tag: a sampler that does not declare sample_indices_ must not set it.
    yield from (check_samplers_list, check_samplers_multiclass_ova, check_samplers_preserve_dtype,
                check_samplers_sample_indices, check_samplers_2d_target,
                check_sampler_get_feature_names_out, check_sampler_get_feature_names_out_pandas)


def _yield_classifier_checks(classifier):
    yield check_classifier_on_multilabel_or_multioutput_targets
    yield check_classifiers_with_encoded_labels


def _yield_all_checks(estimator, legacy=True):
    if _tags(estimator)._skip_test:
        warnings.warn(f"Explicit SKIP via _skip_test tag for estimator {type(estimator).__name__}.",
                      SkipTestWarning, stacklevel=2)
        return
    if hasattr(estimator, "fit_resample"):
        yield from _yield_sampler_checks(estimator)
    if hasattr(estimator, "predict"):
        yield from _yield_classifier_checks(estimator)


def _skipping(check, reason):
    @wraps(check)
    def skipped(*args, **kwargs):
        raise SkipTest(f"Skipping {_check_name(check)}: {reason}")

    return skipped


def estimator_checks_generator(estimator, *, legacy=True, expected_failed_checks=None, mark=None):
    """Yield ``(estimator, check)`` pairs: every check that applies to ``estimator``.

    Parameters
    ----------
    estimator : estimator instance
    legacy : bool, default=True
        Accepted for compatibility with scikit-learn's signature; every check runs.
    expected_failed_checks : dict of {str: str}, default=None
        Check names expected to fail, with the reason.
    mark : {"xfail", "skip"} or None, default=None
        What to do with the expected failures: a ``pytest.param`` marked xfail,
        a check that raises ``SkipTest``, or nothing (None).
    """
    expected_failed_checks = expected_failed_checks or {}
    name = type(estimator).__name__
    for check in _yield_all_checks(estimator, legacy=legacy):
        named = partial(check, name)
        for instance in _yield_instances_for_check(check, estimator):
            reason = expected_failed_checks.get(check.__name__)
            if reason is None or mark is None:
                yield instance, named
            elif mark == "xfail":
                import pytest

                yield pytest.param(instance, named, marks=pytest.mark.xfail(reason=reason))
            else:
                yield instance, _skipping(named, reason)


def parametrize_with_checks(estimators, *, legacy=True, expected_failed_checks=None):
    """A ``pytest.mark.parametrize`` over every ``(estimator, check)`` pair.

    Parameters
    ----------
    estimators : list of estimator instances
    legacy : bool, default=True
        Accepted for compatibility with scikit-learn's signature.
    expected_failed_checks : callable, default=None
        Takes an estimator and returns ``{check name: reason}``; those checks
        are marked as expected failures.

    Returns
    -------
    decorator : pytest.mark.parametrize
        Parametrizes the arguments ``estimator`` and ``check``; the test body
        calls ``check(estimator)``.

    Examples
    --------
    >>> from smotekit.over_sampling import SMOTE
    >>> @parametrize_with_checks([SMOTE()])
    ... def test_sampler(estimator, check):
    ...     check(estimator)
    """
    import pytest

    if any(isinstance(est, type) for est in estimators):
        raise TypeError("parametrize_with_checks takes estimator instances, not classes: "
                        "pass SMOTE() rather than SMOTE.")

    def pairs():
        for estimator in estimators:
            expected = expected_failed_checks(estimator) if callable(expected_failed_checks) else None
            yield from estimator_checks_generator(estimator, legacy=legacy,
                                                  expected_failed_checks=expected, mark="xfail")

    return pytest.mark.parametrize("estimator, check", list(pairs()), ids=_get_check_estimator_ids)


def check_estimator(estimator, *, expected_failed_checks=None):
    """Run every imbalanced-learn-style check that applies to ``estimator``.

    Parameters
    ----------
    estimator : estimator instance
    expected_failed_checks : dict of {str: str}, default=None
        Check names to skip, with the reason.

    Returns
    -------
    results : list of dict
        One ``{"check": name, "status": "passed" or "skipped", "reason": ...}``
        per check run.

    Raises
    ------
    AssertionError or the check's own error
        On the first check that fails.
    """
    results = []
    for instance, check in estimator_checks_generator(
            estimator, expected_failed_checks=expected_failed_checks, mark="skip"):
        try:
            check(instance)
        except SkipTest as exc:
            results.append({"check": _check_name(check), "status": "skipped", "reason": str(exc)})
        else:
            results.append({"check": _check_name(check), "status": "passed", "reason": None})
    return results
