"""Small helpers of the imbalanced-learn-style checks in ``smotekit.utils.estimator_checks``."""

from __future__ import annotations

import re
from contextlib import contextmanager

from sklearn.datasets import make_blobs
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from sklearn.utils._testing import SkipTest


@contextmanager
def _raises(expected, *, match=None, err_msg=None):
    """Assert that the block raises ``expected`` (whose message matches ``match``)."""
    try:
        yield
    except expected as exc:
        if match is not None and not re.search(match, str(exc)):
            raise AssertionError(err_msg or f"the error {exc!r} does not match {match!r}") from exc
    else:
        raise AssertionError(err_msg or f"{getattr(expected, '__name__', expected)} was not raised")


def _tags(estimator):
    return get_tags(estimator)


def _input_tag(estimator, name):
    """An input tag; without smotekit's tags, the sampler's capability attributes decide."""
    tags = _tags(estimator)
    if getattr(tags, "sampler_tags", None) is not None or not hasattr(estimator, "_sampling_type"):
        return bool(getattr(tags.input_tags, name, False))
    numeric = estimator._requires_numeric() if hasattr(estimator, "_requires_numeric") else True
    fallback = {"sparse": getattr(estimator, "_accept_sparse", False), "dataframe": True,
                "string": not numeric, "allow_nan": getattr(estimator, "_allow_nan", False) or not numeric,
                "two_d_array": True}
    return bool(fallback.get(name, getattr(tags.input_tags, name, False)))


def _sampler_tag(estimator, name, default):
    sampler_tags = getattr(_tags(estimator), "sampler_tags", None)
    if sampler_tags is not None and hasattr(sampler_tags, name):
        return getattr(sampler_tags, name)
    return {"sample_indices": getattr(estimator, "_selects_rows", default),
            "exact_counts": getattr(estimator, "_exact_counts", default),
            "sparse_same_as_dense": getattr(estimator, "_sparse_same_as_dense", default)}.get(name, default)


def _random_state(estimator, seed=0):
    """``estimator`` with every ``random_state`` parameter (nested ones too) set to ``seed``."""
    params = {key: seed for key in estimator.get_params() if key.split("__")[-1] == "random_state"}
    return estimator.set_params(**params) if params else estimator


def _pandas():
    try:
        import pandas
    except ImportError as exc:
        raise SkipTest("pandas is not installed: the pandas checks need it") from exc
    return pandas


def _skip_without_validation(name, estimator):
    if not _input_tag(estimator, "two_d_array") or _tags(estimator).no_validation:
        raise SkipTest(f"{name} does not validate 2-D input: no feature names to check")


def _blobs():
    X, y = make_blobs(n_samples=30, centers=[[0, 0, 0], [1, 1, 1]], cluster_std=0.1, random_state=0)
    return StandardScaler().fit_transform(X), y
