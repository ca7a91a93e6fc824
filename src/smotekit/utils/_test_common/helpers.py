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
    return bool(getattr(_tags(estimator).input_tags, name, False))


def _sampler_tag(estimator, name, default):
    """A field of the estimator's ``sampler_tags``, or ``default`` where its tags have none
    (a non-sampler, or imbalanced-learn's tags, which hold fewer fields)."""
    sampler_tags = getattr(_tags(estimator), "sampler_tags", None)
    return getattr(sampler_tags, name, default)


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
