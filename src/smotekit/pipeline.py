"""A Pipeline whose samplers act only while fitting.

``fit`` passes ``(X, y)`` through every step: samplers change both with
``fit_resample``, transformers change ``X``. Every other method (``predict``,
``predict_proba``, ``score``, ``transform``...) skips the samplers, so
cross-validation scores and predictions are always computed on real rows.

Built on scikit-learn's public ``Pipeline`` class: it inherits parameter
handling (``get_params``/``set_params`` with ``step__param`` names, slicing,
``named_steps``, fitted-state checks) and overrides only public methods. The
one thing it relies on beyond the documented API is that those methods are
the whole of the inference surface; ``tests/test_pipeline.py`` pins this by
checking every public method of scikit-learn's Pipeline is either inherited
unchanged on purpose or overridden here.
"""

from __future__ import annotations

import time
from collections import Counter

from sklearn.base import clone
from sklearn.pipeline import Pipeline as _SkPipeline
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_memory

__all__ = ["Pipeline", "make_pipeline"]


def _is_sampler(est) -> bool:
    return hasattr(est, "fit_resample")


def _skipped(est) -> bool:
    return est is None or (isinstance(est, str) and est == "passthrough")


def _fit_resample_one(sampler, X, y, params):
    X_res, y_res = sampler.fit_resample(X, y, **params)
    return X_res, y_res, sampler


def _fit_transform_one(transformer, X, y, params):
    if hasattr(transformer, "fit_transform"):
        return transformer.fit_transform(X, y, **params), transformer
    return transformer.fit(X, y, **params).transform(X), transformer


def _final_has(attr):
    def check(self):
        last = self.steps[-1][1]
        return _skipped(last) if attr == "transform" and _skipped(last) else hasattr(last, attr)
    return check


class Pipeline(_SkPipeline):
    """Chain of transformers and samplers ending in an estimator.

    Same parameters and behaviour as :class:`sklearn.pipeline.Pipeline`,
    except that steps may be samplers (anything with ``fit_resample``), which
    are applied when fitting and skipped otherwise.

    Parameters
    ----------
    steps : list of (name, estimator) tuples
        Intermediate steps are transformers or samplers; any step may be
        ``'passthrough'`` or ``None``.
    transform_input : None
        Accepted for signature compatibility; metadata routing of transformed
        inputs is not supported, so it must be None.
    memory : str, joblib.Memory or None, default=None
        Cache the fitting of intermediate steps.
    verbose : bool, default=False
        Print the time taken by each step while fitting.
    """

    def __init__(self, steps, *, transform_input=None, memory=None, verbose=False):
        self.steps = steps
        self.transform_input = transform_input
        self.memory = memory
        self.verbose = verbose

    # -- fitting -----------------------------------------------------------------
    def _check_steps(self):
        if not self.steps:
            raise ValueError("The pipeline is empty: give at least one (name, estimator) step.")
        names = [name for name, _ in self.steps]
        dupes = [n for n, c in Counter(names).items() if c > 1]
        if dupes:
            raise ValueError(f"Pipeline step names must be unique; repeated: {dupes}.")
        bad = [n for n in names if "__" in n]
        if bad:
            raise ValueError(f"Pipeline step names must not contain '__': {bad}.")
        if self.transform_input is not None:
            raise ValueError("transform_input is not supported by smotekit's Pipeline; leave it None.")
        for name, est in self.steps[:-1]:
            if _skipped(est) or _is_sampler(est):
                continue
            if not (hasattr(est, "fit") or hasattr(est, "fit_transform")) or not hasattr(est, "transform"):
                raise TypeError(
                    f"Pipeline step {name!r} ({type(est).__name__}) is neither a transformer "
                    "(fit + transform) nor a sampler (fit_resample), nor 'passthrough'."
                )
        last = self.steps[-1][1]
        if not _skipped(last) and not hasattr(last, "fit"):
            raise TypeError(f"The last step {type(last).__name__} must implement fit, or be 'passthrough'.")

    def _route(self, params):
        routed = {name: {} for name, _ in self.steps}
        for key, value in params.items():
            step, sep, param = key.partition("__")
            if not sep or step not in routed:
                raise ValueError(
                    f"Fit parameter {key!r} must be named <step>__<parameter> with a step of this "
                    f"pipeline ({list(routed)})."
                )
            routed[step][param] = value
        return routed

    def _fit_head(self, X, y, routed):
        """Fit every step but the last, resampling where a step is a sampler."""
        self._check_steps()
        memory = check_memory(self.memory)
        resample = memory.cache(_fit_resample_one)
        transform = memory.cache(_fit_transform_one)
        steps = list(self.steps)
        for idx, (name, est) in enumerate(steps[:-1]):
            if _skipped(est):
                continue
            start = time.perf_counter()
            # Caching needs an unfitted copy as the cache key; without a cache, fit in place
            # as scikit-learn does.
            est = est if getattr(memory, "location", None) is None else clone(est)
            if _is_sampler(est):
                X, y, fitted = resample(est, X, y, routed[name])
            else:
                X, fitted = transform(est, X, y, routed[name])
            steps[idx] = (name, fitted)
            self._log(idx, name, start)
        self.steps = steps
        return X, y

    def _log(self, idx, name, start):
        if self.verbose:
            print(f"[Pipeline] ({idx + 1} of {len(self.steps)}) Processing {name}, "
                  f"total={time.perf_counter() - start:.1f}s")

    def fit(self, X, y=None, **params):
        """Fit all steps; samplers resample the data seen by the following steps."""
        routed = self._route(params)
        Xt, yt = self._fit_head(X, y, routed)
        name, last = self.steps[-1]
        if not _skipped(last):
            start = time.perf_counter()
            last.fit(Xt, yt, **routed[name])
            self._log(len(self.steps) - 1, name, start)
        return self

    def _can_fit_transform(self):
        last = self.steps[-1][1]
        return _skipped(last) or hasattr(last, "fit_transform") or hasattr(last, "transform")

    @available_if(_can_fit_transform)
    def fit_transform(self, X, y=None, **params):
        """Fit all steps, then return the transformed (and resampled) training data."""
        routed = self._route(params)
        Xt, yt = self._fit_head(X, y, routed)
        name, last = self.steps[-1]
        if _skipped(last):
            return Xt
        if hasattr(last, "fit_transform"):
            return last.fit_transform(Xt, yt, **routed[name])
        return last.fit(Xt, yt, **routed[name]).transform(Xt)

    @available_if(_final_has("fit_resample"))
    def fit_resample(self, X, y=None, **params):
        """Fit all steps and resample with the last one, which must be a sampler."""
        routed = self._route(params)
        Xt, yt = self._fit_head(X, y, routed)
        name, last = self.steps[-1]
        return last.fit_resample(Xt, yt, **routed[name])

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fit all steps and return the last step's ``fit_predict`` on the resampled data."""
        routed = self._route(params)
        Xt, yt = self._fit_head(X, y, routed)
        name, last = self.steps[-1]
        return last.fit_predict(Xt, yt, **routed[name])

    # -- inference: samplers are skipped ------------------------------------------
    def _transform_head(self, X):
        for _, est in self.steps[:-1]:
            if not _skipped(est) and not _is_sampler(est):
                X = est.transform(X)
        return X

    @available_if(_final_has("predict"))
    def predict(self, X, **params):
        """Transform ``X`` (no resampling) and predict with the last step."""
        return self.steps[-1][1].predict(self._transform_head(X), **params)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Transform ``X`` (no resampling) and return the last step's class probabilities."""
        return self.steps[-1][1].predict_proba(self._transform_head(X), **params)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Transform ``X`` (no resampling) and return the last step's log-probabilities."""
        return self.steps[-1][1].predict_log_proba(self._transform_head(X), **params)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X, **params):
        """Transform ``X`` (no resampling) and return the last step's decision function."""
        return self.steps[-1][1].decision_function(self._transform_head(X), **params)

    @available_if(_final_has("score_samples"))
    def score_samples(self, X):
        """Transform ``X`` (no resampling) and return the last step's ``score_samples``."""
        return self.steps[-1][1].score_samples(self._transform_head(X))

    @available_if(_final_has("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """Transform ``X`` (no resampling) and score with the last step."""
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return self.steps[-1][1].score(self._transform_head(X), y, **params)

    @available_if(_final_has("transform"))
    def transform(self, X, **params):
        """Apply every transformer (samplers are skipped), including the last step."""
        Xt = self._transform_head(X)
        last = self.steps[-1][1]
        return Xt if _skipped(last) else last.transform(Xt, **params)

    def _can_inverse_transform(self):
        return all(hasattr(est, "inverse_transform") for _, est in self.steps
                   if not _skipped(est) and not _is_sampler(est))

    @available_if(_can_inverse_transform)
    def inverse_transform(self, X, **params):
        """Apply ``inverse_transform`` of every transformer in reverse order (samplers skipped)."""
        for _, est in reversed(self.steps):
            if not _skipped(est) and not _is_sampler(est):
                X = est.inverse_transform(X)
        return X


def make_pipeline(*steps, memory=None, transform_input=None, verbose=False):
    """Build a :class:`Pipeline` naming each step after its lower-cased class name.

    Repeated names get ``-1``, ``-2``... suffixes, as in scikit-learn.
    """
    names = [type(s).__name__.lower() if not isinstance(s, str) else s for s in steps]
    counts = Counter(names)
    seen: Counter = Counter()
    unique = []
    for n in names:
        if counts[n] > 1:
            seen[n] += 1
            unique.append(f"{n}-{seen[n]}")
        else:
            unique.append(n)
    return Pipeline(list(zip(unique, steps)), memory=memory, transform_input=transform_input,
                    verbose=verbose)
