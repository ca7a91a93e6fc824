"""``sampling_strategy`` → a per-class plan, with imbalanced-learn's semantics.

Pure functions of the class counts. The plan is the single source of truth:
``sampling_strategy_`` (imbalanced-learn's ordered dict: samples to *generate*
for over-samplers, samples to *keep* for under-samplers) is derived from it.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real

import numpy as np

from ._constraints import is_int

__all__ = ["ClassPlan", "SamplingPlan", "make_plan", "SAMPLING_TYPES", "STRATEGY_WORDS"]

SAMPLING_TYPES = ("over-sampling", "under-sampling", "clean-sampling")
STRATEGY_WORDS = ("auto", "minority", "majority", "not minority", "not majority", "all")


@dataclass(frozen=True)
class ClassPlan:
    """What happens to one class.

    ``n_target`` is the class size after resampling, or ``None`` for cleaning
    samplers, whose result is decided by the data rather than by a count.
    """

    label: object
    n_before: int
    n_target: int | None
    targeted: bool

    @property
    def n_add(self) -> int:
        return max(0, (self.n_target or self.n_before) - self.n_before)

    @property
    def n_remove(self) -> int:
        if self.n_target is None:
            return 0
        return max(0, self.n_before - self.n_target)


@dataclass(frozen=True)
class SamplingPlan:
    """The resolved sampling plan: one :class:`ClassPlan` per class, sorted by label."""

    sampling_type: str
    classes: tuple[ClassPlan, ...]

    def __iter__(self):
        return iter(self.classes)

    def __getitem__(self, label) -> ClassPlan:
        for c in self.classes:
            if c.label == label:
                return c
        raise KeyError(label)

    @property
    def targeted(self) -> tuple[ClassPlan, ...]:
        return tuple(c for c in self.classes if c.targeted)

    def as_strategy_dict(self) -> OrderedDict:
        """imbalanced-learn's ``sampling_strategy_``: number to generate
        (over-sampling) or to keep (under- and clean-sampling) per targeted class."""
        if self.sampling_type == "over-sampling":
            return OrderedDict((c.label, c.n_add) for c in self.targeted)
        return OrderedDict(
            (c.label, c.n_target if c.n_target is not None else _min_count(self))
            for c in self.targeted
        )

    def to_frame(self):
        """The plan as a pandas DataFrame (requires pandas)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "class": [c.label for c in self.classes],
                "before": [c.n_before for c in self.classes],
                "target": [c.n_target for c in self.classes],
                "added": [c.n_add for c in self.classes],
                "removed": [c.n_remove for c in self.classes],
            }
        )

    def __str__(self) -> str:
        rows = [("class", "before", "target", "added", "removed")]
        for c in self.classes:
            target = "data-driven" if c.n_target is None else str(c.n_target)
            rows.append((str(c.label), str(c.n_before), target, str(c.n_add), str(c.n_remove)))
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        return "\n".join("  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in rows)


def _min_count(plan: SamplingPlan) -> int:
    return min(c.n_before for c in plan.classes)


def _label(value):
    """Plain Python scalars in plans and messages (``1`` rather than ``np.int64(1)``)."""
    return value.item() if isinstance(value, np.generic) else value


def make_plan(sampling_strategy, classes, counts, sampling_type: str, y=None) -> SamplingPlan:
    """Resolve ``sampling_strategy`` for a target with the given sorted classes and counts.

    Parameters
    ----------
    sampling_strategy : float, str, dict, list or callable
        As in imbalanced-learn; see docs/user-guide.md for the table of meanings.
    classes : sequence
        The sorted class labels present in ``y``.
    counts : sequence of int
        Number of samples of each class, aligned with ``classes``.
    sampling_type : {'over-sampling', 'under-sampling', 'clean-sampling'}
    y : array-like, optional
        The original target, passed to a callable ``sampling_strategy``.
    """
    if sampling_type not in SAMPLING_TYPES:
        raise ValueError(f"sampling_type must be one of {SAMPLING_TYPES}, got {sampling_type!r}.")
    classes = [_label(c) for c in classes]
    counts = [int(n) for n in counts]
    if len(classes) < 2:
        raise ValueError(
            f"The target 'y' needs to have more than 1 class. Got {len(classes)} class instead "
            f"({classes!r}); resampling needs at least 2 classes. Check that you passed the label "
            "column and not a constant."
        )
    stats = dict(zip(classes, counts))

    if isinstance(sampling_strategy, str):
        targets = _from_word(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, Mapping):
        targets = _from_dict(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, (list, tuple)):
        targets = _from_list(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        targets = _from_float(float(sampling_strategy), stats, sampling_type)
    elif callable(sampling_strategy):
        result = sampling_strategy(y)
        if not isinstance(result, Mapping):
            raise ValueError(
                "A callable sampling_strategy must return a dict {class: number of samples}; "
                f"{getattr(sampling_strategy, '__name__', sampling_strategy)!r} returned "
                f"{type(result).__name__}."
            )
        targets = _from_dict(result, stats, sampling_type)
    else:
        raise ValueError(
            f"sampling_strategy={sampling_strategy!r} is not understood. Use a float (binary "
            f"targets only), one of {list(STRATEGY_WORDS)}, a dict {{class: n_samples}} or a "
            "callable y -> dict."
        )
    return SamplingPlan(
        sampling_type,
        tuple(
            ClassPlan(c, stats[c], targets.get(c, stats[c]), c in targets)
            for c in classes
        ),
    )


def _minority(stats):
    return min(stats, key=stats.get)


def _majority(stats):
    return max(stats, key=stats.get)


def _from_word(word, stats, sampling_type):
    """Targets (class sizes after resampling) for a string strategy."""
    if word not in STRATEGY_WORDS:
        raise ValueError(
            f"When 'sampling_strategy' is a string, it needs to be one of {list(STRATEGY_WORDS)}. "
            f"Got {word!r}, which is not a known strategy; a float, a dict or a callable also work."
        )
    over = sampling_type == "over-sampling"
    if word == "auto":
        word = "not majority" if over else "not minority"
    if word == "majority" and over:
        raise ValueError(
            "'sampling_strategy'='majority' cannot be used with over-sampler: an over-sampler "
            "would add nothing to the majority class. Use 'minority', 'not majority' or 'auto'."
        )
    if word == "minority" and not over:
        raise ValueError(
            "'sampling_strategy'='minority' cannot be used with under-sampler and clean-sampler: "
            "the minority cannot shrink below its own size. Use 'majority', 'not minority' or "
            "'auto'."
        )
    chosen = {
        "all": list(stats),
        "minority": [_minority(stats)],
        "majority": [_majority(stats)],
        "not minority": [c for c in stats if c != _minority(stats)],
        "not majority": [c for c in stats if c != _majority(stats)],
    }[word]
    if sampling_type == "clean-sampling":
        return {c: None for c in chosen}
    size = max(stats.values()) if over else min(stats.values())
    return {c: size for c in chosen}


def _check_keys(keys, stats, what):
    unknown = [k for k in keys if _label(k) not in stats]
    if unknown:
        raise ValueError(
            f"sampling_strategy {what} names classes {unknown!r} that are not present in the "
            f"data. The classes in y are {list(stats)!r}."
        )


def _from_dict(mapping, stats, sampling_type):
    _check_keys(mapping, stats, "dict")
    if sampling_type == "clean-sampling":
        raise ValueError(
            "'sampling_strategy' as a dict for cleaning methods is not supported: their result "
            "is decided by the data. Pass a list of the classes to clean instead."
        )
    targets = {}
    for key, n in mapping.items():
        key = _label(key)
        if not is_int(n):
            raise ValueError(
                f"sampling_strategy[{key!r}] must be an integer number of samples, got {n!r}."
            )
        n = int(n)
        if n < 0:
            raise ValueError(
                f"The number of samples in a class cannot be negative: sampling_strategy[{key!r}] "
                f"= {n}. Give the number of samples the class should have after resampling."
            )
        if sampling_type == "over-sampling" and n < stats[key]:
            raise ValueError(
                "With over-sampling methods, the number of samples in a class should be greater "
                "or equal to the original number of samples. Originally, there is "
                f"{stats[key]} samples and {n} samples are asked. Class {key!r}: ask for at "
                f"least {stats[key]} samples, or use an under-sampler to remove some."
            )
        if sampling_type == "under-sampling" and n > stats[key]:
            raise ValueError(
                "With under-sampling methods, the number of samples in a class should be less "
                "or equal to the original number of samples. Originally, there is "
                f"{stats[key]} samples and {n} samples are asked. Class {key!r}: ask for at "
                f"most {stats[key]} samples, or use an over-sampler to add some."
            )
        targets[key] = n
    return targets


def _from_list(classes, stats, sampling_type):
    if sampling_type != "clean-sampling":
        raise ValueError(
            f"'sampling_strategy' cannot be a list for samplers which are not cleaning methods "
            f"(got {list(classes)!r}). For this sampler pass a dict {{class: n_samples}}."
        )
    _check_keys(classes, stats, "list")
    return {_label(c): None for c in classes}


def _from_float(ratio, stats, sampling_type):
    if len(stats) != 2:
        raise ValueError(
            f"sampling_strategy={ratio}: 'sampling_strategy' can be a float only when the type "
            f"of target is binary, but y has {len(stats)} classes {list(stats)!r}. Pass a dict "
            "{class: n_samples} or a word such as 'auto'."
        )
    if sampling_type == "clean-sampling":
        raise ValueError(
            f"sampling_strategy={ratio} is a ratio, which cleaning samplers cannot reach: their "
            "result is decided by the data ('clean-sampling' methods do let the user specify the "
            "sampling ratio only as which classes to clean). Pass a word such as 'auto' or a "
            "list of classes."
        )
    if not 0 < ratio <= 1:
        raise ValueError(
            f"When 'sampling_strategy' is a float, it should be in the range (0, 1]; "
            f"{ratio} is out of range. It is the desired ratio of minority to majority samples "
            "after resampling."
        )
    # Two distinct classes even when their counts are equal, as in imbalanced-learn:
    # the class resampled is the one other than the (first) majority / minority.
    if sampling_type == "over-sampling":
        majority = _majority(stats)
        minority = next(c for c in stats if c != majority)
        n_min, n_maj = stats[minority], stats[majority]

        def adds(r):
            # int() truncates the float product exactly as imbalanced-learn does.
            return int(n_maj * r - n_min)

        n_add = adds(ratio)
        if n_add <= 0:
            # Refused, as in imbalanced-learn, also when it adds nothing: an
            # over-sampler that returns its input unchanged is a mistake.
            raise ValueError(_float_refusal(ratio, n_min, n_maj, minority, majority, n_add,
                                            lambda r: adds(r) >= 1))
        return {minority: n_min + n_add}
    minority = _minority(stats)
    majority = next(c for c in stats if c != minority)
    n_min, n_maj = stats[minority], stats[majority]
    n_keep = int(n_min / ratio)
    if n_keep > n_maj:
        least = _smallest_ratio(lambda r: int(n_min / r) <= n_maj, n_min / (n_maj + 1))
        raise ValueError(
            f"sampling_strategy={ratio} asks for {n_keep} samples of the majority class "
            f"{majority!r}, but y has {n_maj} (the minority/majority ratio in y is "
            f"{_ratio(n_min, n_maj)}): it would generate new sample in the majority class while "
            f"trying to remove samples. Pass at least {least!r}, or use an over-sampler."
        )
    return {majority: n_keep}


def _ratio(n_min, n_maj) -> str:
    return f"{n_min}/{n_maj} = {n_min / n_maj:.6g}"


def _float_refusal(ratio, n_min, n_maj, minority, majority, n_add, works) -> str:
    """The message refusing a float ratio that adds no sample to the minority class."""
    now = (f"y has {n_min} samples of the minority class {minority!r} and {n_maj} of the "
           f"majority class {majority!r} (ratio {_ratio(n_min, n_maj)})")
    if n_min >= n_maj:
        fix = ("The classes are already balanced, so no float up to 1 adds samples: pass a dict "
               "{class: n_samples} to grow a class beyond the majority.")
    else:
        fix = (f"Pass at least {_smallest_ratio(works, (n_min + 1) / n_maj)!r} to add samples, "
               "or use an under-sampler to reach a lower ratio.")
    if n_add == 0:
        # Below one sample's worth the ratio asked is already reached: nothing to generate.
        return (f"sampling_strategy={ratio} would add no sample: {now}, and {ratio} x {n_maj} = "
                f"{ratio * n_maj:.6g} is short of the {n_min + 1} minority samples one new "
                f"sample makes. {fix}")
    return (f"sampling_strategy={ratio} is below the ratio already in y: {now}. Reaching it would "
            "remove samples from the minority class while trying to generate new samples. " + fix)


def _smallest_ratio(works, lower: float) -> float:
    """The smallest decimal of four significant digits (more if needed) at or above
    ``lower`` that ``works`` accepts; at most 1.0, returned when nothing else does."""
    for digits in range(max(1, 3 - math.floor(math.log10(lower))), 17):
        step = 10.0**-digits
        start = math.ceil(lower / step)
        for n in (start, start + 1):
            r = round(n * step, digits)
            if r <= 1.0 and works(r):
                return r
    return 1.0
