"""smotekit's sampler contract as checks taking a sampler instance.

Each check reads the sampler's capabilities from its tags
(``__sklearn_tags__``: ``input_tags.allow_nan``, ``sampler_tags.exact_counts``,
...) instead of knowing samplers by name, so a new sampler is covered the
moment it exists. A check that does not apply to a sampler (a NaN check for a
sampler that accepts NaN, a pandas check without pandas) raises
``unittest.SkipTest`` with the reason, which pytest reports as a skip; a
check never passes without having checked something.
:func:`sampler_checks` yields only the checks that apply.
"""

from __future__ import annotations

import importlib.util
import inspect
from functools import wraps

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.utils._testing import SkipTest

from .helpers import _input_tag, _random_state, _sampler_tag

__all__ = [
    "check_sampler",
    "construct_sampler",
    "sampler_checks",
]


def _data(n_classes=2, n=300, d=4, weights=None, seed=0):
    """Well-separated, imbalanced Gaussian blobs with no duplicate rows."""
    rng = np.random.default_rng(seed)
    weights = weights or ([0.8, 0.2] if n_classes == 2 else [0.6, 0.25, 0.15][:n_classes])
    sizes = [max(12, int(round(w * n))) for w in weights]
    X = np.concatenate([rng.normal(3.0 * c, 1.0, size=(m, d)) for c, m in enumerate(sizes)])
    y = np.concatenate([np.full(m, c) for c, m in enumerate(sizes)])
    order = rng.permutation(len(y))
    return X[order], y[order]


def _counts(y):
    labels, counts = np.unique(np.asarray(y), return_counts=True)
    return dict(zip(labels.tolist(), counts.tolist()))


def _with_seed(sampler, seed=0):
    """A clone of ``sampler`` whose ``random_state`` parameters (nested ones too) are ``seed``."""
    return _random_state(clone(sampler), seed)


def _dense(X):
    return X.toarray() if sparse.issparse(X) else np.asarray(X)


def _applies_when(reason_not):
    """Mark a check as applying only where ``reason_not(sampler)`` returns None.

    Elsewhere the check raises ``SkipTest`` with the reason returned, and
    :func:`sampler_checks` leaves it out.
    """
    def decorate(check):
        @wraps(check)
        def run(sampler):
            reason = reason_not(sampler)
            if reason is not None:
                raise SkipTest(f"{check.__name__} skipped for {type(sampler).__name__}: {reason}")
            return check(sampler)

        run.not_applicable = reason_not
        return run

    return decorate


def _needs(library):
    def missing(sampler):
        if importlib.util.find_spec(library) is None:
            return f"{library} is not installed"
        return None

    return missing


def construct_sampler(cls):
    """An instance of ``cls`` for the checks: its defaults, plus the values in
    ``cls._check_init_params`` for parameters without a default (imbalanced-learn's
    ``SMOTENC(categorical_features)``)."""
    return cls(**cls._check_init_params)


def check_init_only_stores_params(sampler):
    params = inspect.signature(type(sampler).__init__).parameters
    names = [p for p in params if p != "self"]
    # Only parameters imbalanced-learn itself takes positionally may be positional.
    positional = set(sampler._positional_params)
    assert all(params[p].kind == params[p].KEYWORD_ONLY or p in positional for p in names), \
        "parameters must be keyword-only"
    required = {p: getattr(sampler, p) for p in names if params[p].default is params[p].empty}
    fresh = type(sampler)(**required)
    assert sorted(vars(fresh)) == sorted(names), f"__init__ sets {sorted(vars(fresh))}, expected {names}"
    for p in names:
        if p not in required:
            assert getattr(fresh, p) is params[p].default or getattr(fresh, p) == params[p].default


def _comparable(params):
    # A clone holds new sub-estimators: compare them by class and parameters.
    return {key: (type(value), _comparable(value.get_params(deep=False))) if hasattr(value, "get_params")
            else value for key, value in params.items()}


def check_clone_and_params(sampler):
    s = clone(sampler)
    assert _comparable(s.get_params()) == _comparable(sampler.get_params())
    params = s.get_params(deep=False)
    s.set_params(**params)
    assert _comparable(s.get_params()) == _comparable(clone(sampler).get_params())


def check_fit_returns_self_and_plan(sampler):
    X, y = _data()
    s = _with_seed(sampler)
    assert s.fit(X, y) is s
    assert s.n_features_in_ == X.shape[1]
    assert list(s.sampling_strategy_) == sorted(s.sampling_strategy_)
    assert [c.label for c in s.sampling_plan_] == sorted(set(y.tolist()))


def check_counts_follow_plan(sampler):
    for n_classes in (2, 3):
        X, y = _data(n_classes)
        s = _with_seed(sampler)
        X_res, y_res = s.fit_resample(X, y)
        assert X_res.shape[0] == len(y_res) == len(s.provenance_)
        counts = _counts(y_res)
        for c in s.sampling_plan_:
            if c.n_target is not None and _sampler_tag(s, "exact_counts", True):
                assert counts[c.label] == c.n_target, (c, counts)


def check_originals_kept(sampler):
    X, y = _data(3)
    s = _with_seed(sampler)
    X_res, y_res = s.fit_resample(X, y)
    X_res = _dense(X_res)
    prov = s.provenance_
    kept = ~prov.is_synthetic
    # Every non-synthetic output row is its source input row, bit for bit.
    assert np.array_equal(X_res[kept], X[prov.source[kept]])
    assert np.array_equal(np.asarray(y_res)[kept], y[prov.source[kept]])
    assert np.array_equal(np.asarray(y_res), y[prov.source]), "every output row has its source's class"
    if _sampler_tag(s, "sampling_type", None) == "over-sampling" and _sampler_tag(s, "exact_counts", True):
        assert np.array_equal(X_res[: len(X)], X) and np.array_equal(np.asarray(y_res)[: len(y)], y)
    if _sampler_tag(s, "sample_indices", False):
        assert np.array_equal(s.sample_indices_, prov.source)


def check_deterministic(sampler):
    X, y = _data(3)
    a = _with_seed(sampler, 7).fit_resample(X, y)
    b = _with_seed(sampler, 7).fit_resample(X, y)
    assert np.array_equal(_dense(a[0]), _dense(b[0])) and np.array_equal(a[1], b[1])


def check_does_not_mutate_input(sampler):
    X, y = _data()
    X_copy, y_copy = X.copy(), y.copy()
    X.setflags(write=False)
    y.setflags(write=False)  # any in-place write would raise
    _with_seed(sampler).fit_resample(X, y)
    assert np.array_equal(X, X_copy) and np.array_equal(y, y_copy)


def check_labels_of_any_type(sampler):
    X, y = _data(3)
    for labels in (np.array(["cat", "dog", "eel"]), np.array([10, -3, 7]), np.array([0.0, 1.0, 2.0])):
        y_l = labels[y]
        _, y_res = _with_seed(sampler).fit_resample(X, y_l)
        assert np.asarray(y_res).dtype == y_l.dtype
        assert set(np.asarray(y_res).tolist()) <= set(labels.tolist())
    Xb, yb = _data(2)
    _, y_res = _with_seed(sampler).fit_resample(Xb, yb.astype(bool))
    assert np.asarray(y_res).dtype == bool


def check_float32_kept(sampler):
    X, y = _data()
    X_res, _ = _with_seed(sampler).fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32


@_applies_when(_needs("pandas"))
def check_pandas_round_trip(sampler):
    pd = __import__("pandas")
    X, y = _data(3)
    df = pd.DataFrame(X, columns=["alpha", "beta", "gamma", "delta"])
    df["beta"] = df["beta"].astype(np.float32)
    df["gamma"] = (df["gamma"] * 10).round().astype(np.int64)
    ys = pd.Series(np.array(["a", "b", "c"])[y], name="label", dtype="category")
    X_res, y_res = _with_seed(sampler).fit_resample(df, ys)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(df.columns)
    assert list(X_res.dtypes) == list(df.dtypes)
    assert y_res.name == "label" and y_res.dtype == ys.dtype
    assert X_res.index.equals(pd.RangeIndex(len(X_res)))
    ref_X, ref_y = _with_seed(sampler).fit_resample(df.to_numpy(dtype=np.float64), np.asarray(ys))
    assert np.array_equal(np.asarray(y_res), ref_y)
    # Integer columns hold rounded values of the float result.
    np.testing.assert_allclose(X_res["alpha"].to_numpy(), ref_X[:, 0])
    np.testing.assert_array_equal(X_res["gamma"].to_numpy(), np.rint(ref_X[:, 2]).astype(np.int64))


@_applies_when(_needs("polars"))
def check_polars_round_trip(sampler):
    pl = __import__("polars")
    X, y = _data(2)
    df = pl.DataFrame({"a": X[:, 0], "b": X[:, 1].astype(np.float32), "c": np.rint(X[:, 2] * 10).astype(np.int32)})
    ys = pl.Series("target", np.array(["no", "yes"])[y])
    X_res, y_res = _with_seed(sampler).fit_resample(df, ys)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == df.schema and y_res.name == "target" and y_res.dtype == ys.dtype
    assert X_res.height == y_res.len()


def _not_sparse_as_dense(sampler):
    if not _input_tag(sampler, "sparse"):
        return "its tags say it does not accept sparse X (input_tags.sparse)"
    if not _sampler_tag(sampler, "sparse_same_as_dense", True):
        return "its tags say sparse X may change the result (sampler_tags.sparse_same_as_dense)"
    return None


@_applies_when(_not_sparse_as_dense)
def check_sparse_round_trip(sampler):
    X, y = _data()
    X[np.abs(X) < 1.0] = 0.0
    dense = _with_seed(sampler).fit_resample(X, y)
    for fmt in ("csr", "csc"):
        Xs = sparse.csr_matrix(X) if fmt == "csr" else sparse.csc_matrix(X)
        X_res, y_res = _with_seed(sampler).fit_resample(Xs, y)
        assert sparse.issparse(X_res) and X_res.format == fmt
        np.testing.assert_allclose(X_res.toarray(), dense[0], rtol=1e-12, atol=1e-12)
        assert np.array_equal(y_res, dense[1])


def _accepts_nan(sampler):
    if _input_tag(sampler, "allow_nan"):
        return "its tags say it accepts NaN (input_tags.allow_nan)"
    return None


@_applies_when(_accepts_nan)
def check_rejects_nan(sampler):
    X, y = _data()
    for bad in (np.nan, np.inf):
        Xb = X.copy()
        Xb[3, 1] = bad
        try:
            _with_seed(sampler).fit_resample(Xb, y)
        except ValueError as exc:
            assert "NaN" in str(exc) or "infinity" in str(exc)
        else:
            raise AssertionError(f"no error for {bad} in X")


def check_clear_errors(sampler):
    X, y = _data()
    cases = [
        (X, np.zeros(len(y)), "class"),  # one class
        (X, y[:-1], "different numbers of rows"),
        (X[:0], y[:0], "0 rows"),
        (X[:, :0], y, "0 columns"),
    ]
    for Xc, yc, words in cases:
        try:
            _with_seed(sampler).fit_resample(Xc, yc)
        except ValueError as exc:
            assert words in str(exc), f"{words!r} not in {exc}"
        else:
            raise AssertionError(f"no error for a case that should mention {words!r}")


@_applies_when(_needs("imblearn"))
def check_inside_imblearn_pipeline(sampler):
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression

    X, y = _data()
    pipe = make_pipeline(_with_seed(sampler), LogisticRegression())
    pipe.fit(X, y)
    assert pipe.predict(X).shape == y.shape


_CHECKS = (
    check_init_only_stores_params,
    check_clone_and_params,
    check_fit_returns_self_and_plan,
    check_counts_follow_plan,
    check_originals_kept,
    check_deterministic,
    check_does_not_mutate_input,
    check_labels_of_any_type,
    check_float32_kept,
    check_pandas_round_trip,
    check_polars_round_trip,
    check_sparse_round_trip,
    check_rejects_nan,
    check_clear_errors,
    check_inside_imblearn_pipeline,
)


def sampler_checks(sampler):
    """The checks that apply to ``sampler``, as callables taking the sampler.

    Checks that its tags make irrelevant (e.g. the NaN check for a sampler
    that accepts NaN) or that need a library not installed are left out;
    called anyway, they raise ``SkipTest`` with the reason.

    Parameters
    ----------
    sampler : sampler instance

    Yields
    ------
    check : callable
        Takes the sampler; raises ``AssertionError`` (or the sampler's own
        error) on failure.
    """
    for check in _CHECKS:
        reason_not = getattr(check, "not_applicable", None)
        if reason_not is None or reason_not(sampler) is None:
            yield check


def check_sampler(sampler):
    """Run every check that applies to ``sampler``.

    Parameters
    ----------
    sampler : sampler instance

    Raises
    ------
    AssertionError or the sampler's own error
        On the first check that fails.
    """
    for check in sampler_checks(sampler):
        check(sampler)

