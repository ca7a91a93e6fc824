"""A comparison's conclusions in plain words, worded no stronger than its tests allow.

A difference is called better or worse only when the corrected resampled
t-test, Holm-adjusted over the options compared on that metric, rejects "no
difference" at the comparison's ``alpha``; everything else is reported as not
significant, which is not the same as equal: the interval says how large a
difference the folds still allow.
"""

from __future__ import annotations

import numpy as np

from ._stats import format_p

__all__ = ["verdict"]


def _interval(test, alpha) -> str:
    return f"{test.mean:+.3f}, {1 - alpha:.0%} interval [{test.low:+.3f}, {test.high:+.3f}]"


#: A sentence names at most this many options; the rest are counted (``--methods all`` compares dozens).
_LISTED = 6


def _names(items) -> str:
    items = list(items)
    if len(items) > _LISTED:
        items = items[:_LISTED - 1] + [f"{len(items) - _LISTED + 1} others"]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _by_size(diffs):
    """Largest difference first, so that a shortened list names the options that matter most."""
    return sorted(diffs, key=lambda d: -abs(d.test.mean))


def _metric_sentence(comp, key, diffs) -> str:
    from ._scores import METRICS

    metric = METRICS[key]
    better = _by_size(d for d in diffs if d.better is True)
    worse = _by_size(d for d in diffs if d.better is False)
    direction = "higher" if metric.higher_is_better else "lower"
    parts = []
    if better:
        best = better[0]
        parts.append(f"{_names(d.option for d in better)} {'is' if len(better) == 1 else 'are'} significantly "
                     f"better than {comp.baseline} ({direction} is better; largest: {best.option} "
                     f"{_interval(best.test, comp.alpha)})")
    else:
        parts.append(f"no option is significantly better than {comp.baseline}")
    if worse:
        parts.append(f"{_names(d.option for d in worse)} {'is' if len(worse) == 1 else 'are'} significantly worse")
    flat = len(diffs) - len(better) - len(worse)
    if flat and (better or worse):
        parts.append(f"the other {flat} differ{'s' if flat == 1 else ''} by no more than the folds' variation "
                     "allows")
    return f"{metric.title}: " + "; ".join(parts) + "."


def _threshold_sentence(comp, key):
    """Tuned threshold against the best resampler on the metric the threshold was tuned for.

    The best resampler is chosen after seeing the scores, so its test against the threshold is
    Holm-adjusted over the tests against every resampler: picking the luckiest of forty must not
    make a difference look significant.
    """
    from ._scores import METRICS
    from ._stats import corrected_ttest, holm

    if "threshold" not in comp.options or key not in comp.metrics:
        return None
    resamplers = [o for o in comp.options if comp.kinds.get(o, "").startswith("resampler")]
    means = comp.means()[:, comp.metrics.index(key)]
    sign = 1 if METRICS[key].higher_is_better else -1
    tests = {}
    for option in resamplers:
        diff = comp.fold_scores("threshold", key) - comp.fold_scores(option, key)
        diff = diff[np.isfinite(diff)]
        if diff.size >= 2 and not np.isnan(means[comp.options.index(option)]):
            tests[option] = corrected_ttest(diff, test_train_ratio=comp.test_train_ratio, confidence=1 - comp.alpha)
    if not tests:
        return None
    top = max(tests, key=lambda o: sign * means[comp.options.index(o)])
    adjusted = dict(zip(tests, holm([t.pvalue for t in tests.values()])))[top]
    test, title = tests[top], METRICS[key].title
    gap = f"threshold - {top}: {_interval(test, comp.alpha)}, adjusted p {format_p(adjusted)}"
    keeps = "; the threshold leaves the model's probabilities as they are (no resampling)"
    if "none" in comp.options and np.array_equal(comp.fold_scores("threshold", key), comp.fold_scores("none", key),
                                                 equal_nan=True):
        keeps += (", and here changed no decision: this model's scores take too few values for a threshold "
                  "to matter (a fully grown tree's are 0 or 1)")
    if not adjusted < comp.alpha:
        return (f"Threshold tuning and the best resampler on {title}, {top}, differ by no more than the folds "
                f"allow ({gap}){keeps}.")
    if (test.mean > 0) == METRICS[key].higher_is_better:
        return f"Threshold tuning beats the best resampler on {title}, {top} ({gap}){keeps}."
    return f"{top} beats threshold tuning on {title} ({gap})."


def verdict(comp) -> list:
    """Sentences: the tuned threshold against the best resampler, then one per metric against the baseline.

    Parameters
    ----------
    comp : Comparison

    Returns
    -------
    list of str
    """
    diffs = comp.differences()
    by_metric = {}
    for d in diffs:
        by_metric.setdefault(d.metric, []).append(d)
    out = []
    objective = comp.objective if comp.objective in comp.metrics else None
    sentence = _threshold_sentence(comp, objective) if objective else None
    if sentence:
        out.append(sentence)
    for key in comp.metrics:
        if key == "fit_time" or key not in by_metric:
            continue
        out.append(_metric_sentence(comp, key, by_metric[key]))
    failed = sorted(comp.errors)
    if failed:
        out.append(f"{_names(failed)} failed on some folds; their statistics use the folds where they ran "
                   "(see errors).")
    return out
