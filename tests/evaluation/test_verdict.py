"""The plain-words verdict, on hand-made comparisons: never stronger than the tests, names right."""

import re

import numpy as np
import pytest

from smotekit.evaluation import Comparison
from smotekit.evaluation._scores import METRICS

BASE = np.array([0.60, 0.62, 0.58, 0.61])
STEADY = np.array([0.10, 0.11, 0.09, 0.10])  # a shift far beyond the folds' variation
NOISE = np.array([0.02, -0.03, 0.01, -0.005])  # a shift the folds cannot tell from 0

KINDS = {"none": "model", "threshold": "threshold", "balanced": "model", "SMOTE": "resampler",
         "ROS": "resampler", "SMOTE+threshold": "resampler+threshold", "SMOTE+prior": "resampler+prior"}


def make(fold_scores, metrics=("f1",), *, objective="f1", baseline="none", errors=None):
    """A 4-fold Comparison (10 test rows of 40 per fold) from ``{option: (n_folds, n_metrics) scores}``."""
    options = list(fold_scores)
    scores = np.stack([np.asarray(fold_scores[o], dtype=float).reshape(4, len(metrics)) for o in options])
    y = np.array([0, 0, 0, 1] * 10)
    splits = [(np.setdiff1d(np.arange(40), np.arange(10 * s, 10 * s + 10)), np.arange(10 * s, 10 * s + 10))
              for s in range(4)]
    comp = Comparison(options=options, metrics=list(metrics), classes=[0, 1], y=y, pos=1, baseline=baseline,
                      splits=splits, per_repeat=4, skipped={}, kinds={o: KINDS.get(o, "other") for o in options},
                      objective=objective, scores=scores)
    comp.errors.update(errors or {})
    return comp


def _threshold_sentences(comp):
    return [s for s in comp.verdict() if "hreshold tuning" in s]


# ---------------------------------------------------------------------------------------------
# the tuned threshold against the best resampler


def test_threshold_and_resampler_not_significantly_different():
    comp = make({"none": BASE, "threshold": BASE + STEADY + NOISE, "SMOTE": BASE + STEADY, "ROS": BASE})
    (sentence,) = _threshold_sentences(comp)
    # Not significant is not equal: the sentence says what the test says, with the interval.
    assert sentence.startswith("Threshold tuning and the best resampler on F1, SMOTE, differ by no more than the "
                               "folds allow (threshold - SMOTE: ")
    assert "beats" not in sentence and "matches" not in sentence


def test_threshold_beats_when_significantly_higher():
    comp = make({"none": BASE, "threshold": BASE + 2 * STEADY, "SMOTE": BASE + STEADY + NOISE / 10,
                 "ROS": BASE})
    (sentence,) = _threshold_sentences(comp)
    assert sentence.startswith("Threshold tuning beats the best resampler on F1, SMOTE (")
    assert "matches" not in sentence


def test_resampler_beats_threshold_when_significantly_higher():
    comp = make({"none": BASE, "threshold": BASE, "ROS": BASE + STEADY / 2, "SMOTE": BASE + STEADY + NOISE / 10})
    (sentence,) = _threshold_sentences(comp)
    assert sentence.startswith("SMOTE beats threshold tuning on F1 (threshold - SMOTE: -")


def test_best_resampler_follows_the_metric_direction():
    # Cost: lower is better, so the best resampler is the one with the lowest cost.
    comp = make({"none": BASE, "threshold": BASE - STEADY, "SMOTE": BASE + STEADY, "ROS": BASE - STEADY / 2},
                metrics=("cost",), objective="cost")
    (sentence,) = _threshold_sentences(comp)
    assert "best resampler on cost, ROS (threshold - ROS: -" in sentence
    assert sentence.startswith("Threshold tuning beats")


def test_resampler_plus_threshold_counts_as_a_resampler():
    comp = make({"none": BASE, "threshold": BASE + STEADY, "SMOTE": BASE, "SMOTE+threshold": BASE + STEADY + NOISE})
    (sentence,) = _threshold_sentences(comp)
    assert "best resampler on F1, SMOTE+threshold, differ by no more than" in sentence


def test_best_resampler_includes_prior_corrected_ones():
    comp = make({"none": BASE, "threshold": BASE, "SMOTE": BASE + NOISE, "SMOTE+prior": BASE + STEADY})
    (sentence,) = _threshold_sentences(comp)
    assert "SMOTE+prior" in sentence and "matches" not in sentence


def test_resampler_beats_sentence_does_not_say_the_resampler_keeps_probabilities():
    comp = make({"none": BASE, "threshold": BASE, "SMOTE": BASE + STEADY})
    (sentence,) = _threshold_sentences(comp)
    assert sentence.startswith("SMOTE beats threshold tuning")
    assert "no resampling" not in sentence


@pytest.mark.parametrize(("options", "metrics", "objective"), [
    ({"none": BASE, "SMOTE": BASE + STEADY}, ("f1",), "f1"),  # no threshold option
    ({"none": BASE, "threshold": BASE + STEADY, "balanced": BASE}, ("f1",), "f1"),  # no resampler
    ({"none": BASE, "threshold": BASE + STEADY, "SMOTE": BASE}, ("f1",), "mcc"),  # objective not scored
])
def test_no_threshold_sentence_without_its_pieces(options, metrics, objective):
    assert _threshold_sentences(make(options, metrics, objective=objective)) == []


# ---------------------------------------------------------------------------------------------
# one sentence per metric against the baseline


def test_metric_sentences_name_the_significant_options_only():
    comp = make({"none": BASE, "up": BASE + STEADY, "down": BASE - STEADY, "flat": BASE + NOISE})
    (f1,) = comp.verdict()
    assert f1.startswith("F1: up is significantly better than none (higher is better; largest: up +0.100, 95% "
                         "interval [")
    assert "; down is significantly worse; the other 1 differs by no more than the folds' variation allows." in f1
    assert "flat" not in f1


def test_nothing_significant_says_so():
    comp = make({"none": BASE, "a": BASE + NOISE, "b": BASE - NOISE})
    assert comp.verdict() == ["F1: no option is significantly better than none."]


def test_lower_is_better_metric_is_read_the_right_way_round():
    comp = make({"none": BASE, "up": BASE + STEADY, "down": BASE - STEADY}, metrics=("log_loss",),
                objective="f1")
    (sentence,) = comp.verdict()
    assert sentence.startswith("log loss: down is significantly better than none (lower is better; largest: down")
    assert "up is significantly worse" in sentence


def test_fit_time_gets_no_sentence_and_failures_are_listed():
    scores = {"none": np.c_[BASE, [1, 1, 1, 1.1]], "a": np.c_[BASE + STEADY, [5, 5, 5, 5.1]],
              "b": np.c_[BASE, [1, 1, 1, 1.2]]}
    comp = make(scores, metrics=("f1", "fit_time"), errors={"b": "RuntimeError: x", "a": "ValueError: y"})
    sentences = comp.verdict()
    assert not any(s.startswith("fit time") for s in sentences)
    assert sentences[-1].startswith("a and b failed on some folds")


_NAMES = ["alpha", "beta", "gamma", "delta", "omega"]


def _clause_names(text):
    return set(re.split(r", | and ", text.strip()))


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("key", ["f1", "log_loss"])
def test_never_stronger_than_the_statistics(seed, key):
    rng = np.random.default_rng(seed)
    scores = {"none": BASE}
    for name in _NAMES:
        shift = rng.choice([-1, 0, 1]) * rng.uniform(0, 0.12)
        scores[name] = BASE + shift + rng.normal(0, rng.choice([0.002, 0.02, 0.05]), size=4)
    comp = make(scores, metrics=(key,), objective="f1")
    reading = {d.option: d.better for d in comp.differences()}
    (sentence,) = comp.verdict()
    title = METRICS[key].title
    better = re.match(rf"{re.escape(title)}: (.+?) (?:is|are) significantly better than none", sentence)
    worse = re.search(r"(?:^|; )([^;()]+?) (?:is|are) significantly worse", sentence)
    said_better = _clause_names(better.group(1)) if better and better.group(1) != "no option" else set()
    said_worse = _clause_names(worse.group(1)) if worse else set()
    assert said_better == {o for o, b in reading.items() if b is True}
    assert said_worse == {o for o, b in reading.items() if b is False}
    if not said_better:
        assert sentence.startswith(f"{title}: no option is significantly better than none")
    else:
        largest = re.search(r"largest: (\w+) ", sentence).group(1)
        assert largest in said_better
        means = {d.option: abs(d.test.mean) for d in comp.differences() if d.better is True}
        assert means[largest] == max(means.values())


def test_a_long_list_names_the_largest_differences_and_counts_the_rest():
    # Ten options all clearly better, by growing amounts: the sentence names the five largest first.
    scores = {"none": BASE, **{f"opt{i}": BASE + STEADY * (1 + i / 10) for i in range(10)}}
    (sentence,) = [s for s in make(scores).verdict() if s.startswith("F1:")]
    named = sentence.split(" are significantly better")[0].removeprefix("F1: ")
    assert named == "opt9, opt8, opt7, opt6, opt5 and 5 others"
    assert "largest: opt9 " in sentence


def test_the_best_resampler_is_adjusted_for_being_picked_after_the_fact():
    # Threshold vs SMOTE alone: p about 0.01 (raw); picked as the best of many resamplers, Holm-adjusted: not
    # significant.
    rng = np.random.default_rng(1)
    steady = STEADY / 3 + rng.normal(0, 0.004, 4)
    scores = {"none": BASE, "threshold": BASE + steady, "SMOTE": BASE}
    scores.update({f"R{i}": BASE - STEADY for i in range(8)})
    comp = make(scores)
    for name in scores:
        comp.kinds[name] = "resampler" if name not in ("none", "threshold") else comp.kinds[name]
    (sentence,) = _threshold_sentences(comp)
    assert "adjusted p" in sentence


def test_a_threshold_that_changed_nothing_says_so():
    comp = make({"none": BASE, "threshold": BASE, "SMOTE": BASE + NOISE})
    (sentence,) = _threshold_sentences(comp)
    assert "changed no decision" in sentence
