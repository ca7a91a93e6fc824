"""sampling_strategy: imbalanced-learn's semantics, our messages, our plan."""

from collections import OrderedDict

import numpy as np
import pytest

from smotekit import SMOTE, RandomOverSampler, RandomUnderSampler
from smotekit._strategy import make_plan

imb_validation = pytest.importorskip("imblearn.utils._validation")

Y_BINARY = np.array([0] * 90 + [1] * 10)
Y_MULTI = np.array(["a"] * 50 + ["b"] * 30 + ["c"] * 20 + ["d"] * 20)


def _plan(strategy, y, kind):
    classes, counts = np.unique(y, return_counts=True)
    return make_plan(strategy, classes, counts, kind, y=y)


VALID = [
    ("over-sampling", Y_BINARY, s)
    for s in ["auto", "minority", "not minority", "not majority", "all", 0.5, 1.0, 0.2001, {1: 40}, {0: 95, 1: 10}]
] + [
    ("under-sampling", Y_BINARY, s)
    for s in ["auto", "majority", "not minority", "not majority", "all", 0.5, 1.0, 0.3, {0: 40}]
] + [
    ("over-sampling", Y_MULTI, s)
    for s in ["auto", "minority", "not minority", "not majority", "all", {"c": 60, "d": 21}]
] + [
    ("under-sampling", Y_MULTI, s)
    for s in ["auto", "majority", "not minority", "not majority", "all", {"a": 20, "b": 25}]
] + [
    ("clean-sampling", Y_MULTI, s) for s in ["auto", "majority", "not minority", "not majority", "all", ["a", "c"]]
] + [
    ("over-sampling", Y_MULTI, lambda y: {"d": 50}),
    ("under-sampling", Y_MULTI, lambda y: {"a": 30}),
]


@pytest.mark.parametrize("kind, y, strategy", VALID)
def test_same_sampling_strategy_as_imblearn(kind, y, strategy):
    ours = _plan(strategy, y, kind).as_strategy_dict()
    theirs = imb_validation.check_sampling_strategy(strategy, y, kind)
    assert isinstance(ours, OrderedDict)
    assert list(ours.items()) == [(k.item() if hasattr(k, "item") else k, v) for k, v in theirs.items()]


INVALID = [
    ("over-sampling", Y_BINARY, 0.05, "remove samples from the minority class"),
    ("over-sampling", Y_BINARY, 1.5, "out of range"),
    ("over-sampling", Y_BINARY, 0.0, "out of range"),
    ("under-sampling", Y_BINARY, 0.05, "generate new sample in the majority class"),
    ("over-sampling", Y_MULTI, 0.5, "float only when the type of target is binary"),
    ("clean-sampling", Y_BINARY, 0.5, "cleaning samplers cannot reach"),
    ("over-sampling", Y_BINARY, "majority", "cannot be used with over-sampler"),
    ("under-sampling", Y_BINARY, "minority", "cannot be used with under-sampler"),
    ("over-sampling", Y_BINARY, "most", "not a known strategy"),
    ("over-sampling", Y_BINARY, {1: 5}, "ask for at least 10 samples"),
    ("under-sampling", Y_BINARY, {0: 100}, "ask for at most 90 samples"),
    ("over-sampling", Y_BINARY, {2: 100}, "not present in the data"),
    ("over-sampling", Y_BINARY, {1: -1}, "negative"),
    ("over-sampling", Y_BINARY, {1: 20.5}, "integer number of samples"),
    ("clean-sampling", Y_BINARY, {0: 5}, "dict for cleaning methods is not supported"),
    ("over-sampling", Y_BINARY, [0, 1], "pass a dict"),
    ("clean-sampling", Y_BINARY, [0, 7], "not present in the data"),
    ("over-sampling", Y_BINARY, lambda y: [1], "must return a dict"),
    ("over-sampling", Y_BINARY, object(), "is not understood"),
]


@pytest.mark.parametrize("kind, y, strategy, words", INVALID)
def test_invalid_strategies_explain_themselves(kind, y, strategy, words):
    with pytest.raises(ValueError, match=words):
        _plan(strategy, y, kind)


def test_one_class_is_an_error():
    with pytest.raises(ValueError, match="at least 2 classes"):
        _plan("auto", np.zeros(10), "over-sampling")


def test_plan_is_unambiguous_for_both_kinds():
    over = _plan(0.5, Y_BINARY, "over-sampling")
    assert (over[1].n_before, over[1].n_target, over[1].n_add, over[1].n_remove) == (10, 45, 35, 0)
    under = _plan(0.5, Y_BINARY, "under-sampling")
    assert (under[0].n_before, under[0].n_target, under[0].n_add, under[0].n_remove) == (90, 20, 0, 70)
    assert "before" in str(under) and "70" in str(under)
    frame = under.to_frame()
    assert list(frame.columns) == ["class", "before", "target", "added", "removed"]


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), RandomOverSampler(random_state=0)])
def test_over_samplers_expose_added_counts(sampler):
    X = np.random.default_rng(0).normal(size=(100, 3))
    sampler.fit_resample(X, Y_BINARY)
    assert sampler.sampling_strategy_ == OrderedDict([(1, 80)])
    assert sampler.sampling_plan_[1].n_target == 90


def test_under_sampler_exposes_kept_counts():
    X = np.random.default_rng(0).normal(size=(100, 3))
    s = RandomUnderSampler(random_state=0, sampling_strategy={0: 30})
    _, y_res = s.fit_resample(X, Y_BINARY)
    assert s.sampling_strategy_ == OrderedDict([(0, 30)])
    assert np.bincount(y_res).tolist() == [30, 10]
