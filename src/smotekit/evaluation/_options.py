"""What to fit for each compared option: method names become estimators, grouped so one fit serves several rows.

An option is one row of a comparison. Its name is a base method, optionally
followed by modifiers:

- base methods: ``none`` (the model as given), ``balanced`` (the model with
  ``class_weight='balanced'``), ``calibrated`` (``CalibratedClassifierCV``),
  a sampler (a name such as ``smote``, or a ``(name, sampler)`` pair) put
  before the model in a :class:`~smotekit.pipeline.Pipeline`, a balanced
  ensemble (``balanced-bagging`` around the model; ``balanced-random-forest``,
  ``easy-ensemble`` and ``rusboost`` with their own learners), or any
  ``(name, estimator)`` pair;
- ``+threshold``: the same fitted model, predicting with a decision threshold
  tuned by cross-validation inside the training folds
  (``TunedThresholdClassifierCV``); ``threshold`` alone means ``none+threshold``;
- ``+prior``: the same fitted model, its probabilities corrected for the
  change of class priors its samplers made (:class:`PriorCorrectedClassifier`).

Every option of one base method reads the same fitted estimator: the modifiers
change how its output is read, not what is fitted, so ``smote``,
``smote+threshold`` and ``smote+prior`` cost one fit (plus the inner folds of
the threshold search) per outer fold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sklearn.base import clone, is_classifier

from ..base import SamplerMixin
from ._prior import final_estimator

__all__ = ["ENSEMBLES", "KEYWORDS", "Unit", "all_methods", "numeric_samplers", "plan_units"]

KEYWORDS = ("none", "balanced", "calibrated")
ENSEMBLES = ("balanced-bagging", "balanced-random-forest", "easy-ensemble", "rusboost")
# The ensembles that average members fitted on equally resampled data: their priors can be corrected
# (boosting's weighted vote cannot).
_AVERAGING = ("balanced-bagging", "balanced-random-forest", "easy-ensemble")
_MODIFIERS = ("threshold", "prior")


@dataclass
class Unit:
    """One estimator fitted per outer fold, and the options read from it.

    Attributes
    ----------
    base : str
        The base method's name.
    estimator : estimator object
        Unfitted; cloned for every fold.
    reads : dict
        ``{option name: 'plain' | 'threshold' | 'prior'}``.
    is_sampler : bool
        Whether a sampler sits before the model (``+prior`` needs one).
    """

    base: str
    estimator: object
    reads: dict = field(default_factory=dict)
    is_sampler: bool = False

    def describe(self, read: str) -> str:
        """What an option of this unit fits and how it predicts, in a few words."""
        text = _steps_text(self.estimator)
        if read == "threshold":
            return f"{text}, decision threshold tuned by inner cross-validation (TunedThresholdClassifierCV)"
        if read == "prior":
            return f"{text}, probabilities corrected for the sampler's change of priors (PriorCorrectedClassifier)"
        return text

    @property
    def tune(self) -> bool:
        return "threshold" in self.reads.values()

    @property
    def prior(self) -> bool:
        return "prior" in self.reads.values()


def _steps_text(est) -> str:
    steps = getattr(est, "steps", None)
    if isinstance(steps, list):
        return " → ".join(_steps_text(step) for _, step in steps if step is not None and not isinstance(step, str))
    inner = getattr(est, "estimator", None)
    if inner is not None and hasattr(inner, "fit"):
        return f"{type(est).__name__}({_steps_text(inner)})"
    weight = getattr(est, "class_weight", None)
    return type(est).__name__ + (f"(class_weight={weight!r})" if isinstance(weight, str) else "")


def _split(name: str, known):
    """``(base, read)`` of an option name: a known pair's name whole, else 'base+modifier' or a base alone."""
    if name in known:
        return name, "plain"
    if name.lower() == "threshold":
        return "none", "threshold"
    base, plus, modifier = name.rpartition("+")
    if not plus:
        return name, "plain"
    if modifier.strip().lower() not in _MODIFIERS:
        raise ValueError(f"Option {name!r}: after '+' put one of {', '.join(_MODIFIERS)} (as in 'smote+prior'); "
                         f"got {modifier.strip()!r}.")
    base = base.strip()
    if not base:
        raise ValueError(f"Option {name!r}: put a method before '+{modifier.strip()}'.")
    if base.rpartition("+")[2].strip().lower() in _MODIFIERS and base not in known:
        raise ValueError(f"Option {name!r}: use one modifier per option ('{base}' or '+{modifier.strip()}'); a "
                         "threshold tuned on corrected probabilities gives the same decisions as one tuned on the "
                         "uncorrected ones.")
    return base, modifier.strip().lower()


def _has_sampler(estimator) -> bool:
    steps = getattr(estimator, "steps", None)
    return isinstance(steps, list) and any(isinstance(step, SamplerMixin) or _has_sampler(step)
                                           for _, step in steps)


def _class_weight_key(estimator):
    """The parameter name that sets the final classifier's ``class_weight``, or None."""
    params = estimator.get_params(deep=True)
    if "class_weight" in params and not hasattr(estimator, "steps"):
        return "class_weight"
    keys = [k for k in params if k.endswith("__class_weight")]
    # The deepest key of the last step belongs to the classifier that predicts.
    last = [k for k in keys if final_estimator(estimator) is params.get(k.rsplit("__", 1)[0])]
    return last[0] if last else None


def _with_random_state(est, random_state):
    if random_state is not None and "random_state" in est.get_params(deep=False) \
            and est.get_params(deep=False)["random_state"] is None:
        est.set_params(random_state=random_state)
    return est


def _base_estimator(base, model, *, random_state, known):
    """``(estimator, is_sampler)`` for a base method name, or raise ValueError / return a skip reason."""
    from ..pipeline import Pipeline

    key = base.lower()
    if base in known:
        obj = known[base]
        if isinstance(obj, SamplerMixin):
            return Pipeline([("sampler", clone(obj)), ("model", clone(model))]), True
        # A pipeline given whole resamples if a sampler is among its steps (its priors can be corrected).
        return clone(obj), _has_sampler(obj)
    if key == "none":
        return clone(model), False
    if key == "balanced":
        param = _class_weight_key(model)
        if param is None:
            return f"{type(final_estimator(model)).__name__} takes no class_weight", False
        return clone(model).set_params(**{param: "balanced"}), False
    if key == "calibrated":
        from sklearn.calibration import CalibratedClassifierCV

        return CalibratedClassifierCV(clone(model)), False
    norm = re.sub(r"[\s_]+", "-", key)
    if norm in ENSEMBLES:
        from .. import ensemble

        if norm == "balanced-bagging":
            est = ensemble.BalancedBaggingClassifier(estimator=clone(model))
        else:
            est = {"balanced-random-forest": ensemble.BalancedRandomForestClassifier,
                   "easy-ensemble": ensemble.EasyEnsembleClassifier,
                   "rusboost": ensemble.RUSBoostClassifier}[norm]()
        return _with_random_state(est, random_state), False
    from ..utils.discovery import find_sampler

    _, cls = find_sampler(base)
    required = getattr(cls, "_check_init_params", {})
    if required:
        raise ValueError(f"{cls.__name__} needs {', '.join(required)}: pass it as a (name, sampler) pair, "
                         f"e.g. ('{base}', {cls.__name__}({next(iter(required))}=...)).")
    sampler = _with_random_state(cls(), random_state)
    return Pipeline([("sampler", sampler), ("model", clone(model))]), True


def plan_units(methods, model, *, n_classes, random_state=None):
    """Group the options into fit units.

    Parameters
    ----------
    methods : sequence
        Option names (str), samplers, or ``(name, sampler_or_estimator)`` pairs.
    model : classifier
        The model every option is built around.
    n_classes : int
    random_state : int or None
        Given to the samplers and ensembles built here whose ``random_state`` is None.

    Returns
    -------
    units : list of Unit
    options : list of str
        Option names in the order given (duplicates dropped).
    skipped : dict
        ``{option: reason}`` for options that cannot apply here (e.g.
        ``balanced`` for a model without ``class_weight``, ``+threshold`` on a
        multiclass target).
    """
    if not is_classifier(final_estimator(model)) and not hasattr(model, "predict_proba"):
        raise TypeError(f"estimator must be a classifier; got {type(model).__name__}.")
    known, names = {}, []
    for item in methods:
        if isinstance(item, str):
            names.append(item.strip())
            continue
        if isinstance(item, SamplerMixin):
            item = (type(item).__name__, item)
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and hasattr(item[1], "fit")):
            raise TypeError(f"Each method must be a name, a sampler or a (name, estimator) pair; got {item!r}.")
        name, obj = item
        base, plus, modifier = name.rpartition("+")
        if plus and modifier.strip().lower() in _MODIFIERS and base.strip():
            # ('SMOTE+prior', sampler): the sampler is known as 'SMOTE', and only the modified option runs.
            known.setdefault(base.strip(), obj)
        else:
            known[name] = obj
        names.append(name)
    units, options, skipped = {}, [], {}
    for name in names:
        if name in options or name in skipped:
            continue
        base, read = _split(name, known)
        if read == "threshold" and n_classes > 2:
            skipped[name] = "threshold tuning is for two classes"
            continue
        if base not in units:
            est, is_sampler = _base_estimator(base, model, random_state=random_state, known=known)
            if isinstance(est, str):
                skipped[name] = est
                continue
            units[base] = Unit(base, est, is_sampler=is_sampler)
        unit = units[base]
        if read == "prior" and not (unit.is_sampler or unit.base.lower() in _AVERAGING):
            skipped[name] = "no sampler before the model: nothing to correct"
            continue
        if read == "prior" and not hasattr(unit.estimator, "predict_proba"):
            skipped[name] = "the model gives no probabilities to correct (no predict_proba)"
            continue
        unit.reads[name] = read
        options.append(name)
    return [u for u in units.values() if u.reads], options, skipped


def all_methods(samplers, *, n_classes, ensembles=True):
    """The options that ``'all'`` stands for, around the sampler names given.

    Parameters
    ----------
    samplers : sequence of str
        The samplers that apply to the data (the caller knows its columns).
    n_classes : int
    ensembles : bool, default=True

    Returns
    -------
    list of str
        ``none``, ``threshold`` (binary), ``balanced``, ``calibrated``, each
        sampler, the balanced ensembles, then each sampler ``+threshold``
        (binary) and ``+prior``, and the averaging ensembles ``+prior``.
    """
    binary = n_classes == 2
    out = ["none", *(["threshold"] if binary else []), "balanced", "calibrated", *samplers]
    if ensembles:
        out += list(ENSEMBLES)
    if binary:
        out += [f"{s}+threshold" for s in samplers]
    out += [f"{s}+prior" for s in samplers]
    if ensembles:
        out += [f"{e}+prior" for e in _AVERAGING]
    return out


def numeric_samplers(n_classes):
    """Names of the samplers that take numeric data as they are (no required parameter) for this many classes."""
    from sklearn.utils import get_tags

    from ..utils import all_samplers

    out = []
    for name, cls in all_samplers():
        if getattr(cls, "_check_init_params", {}):
            continue
        tags = get_tags(cls())
        if tags.input_tags.categorical or (n_classes > 2 and not tags.sampler_tags.multiclass):
            continue
        out.append(name)
    return out
