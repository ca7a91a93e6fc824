"""A Pipeline whose samplers act only while fitting.

``fit`` passes ``(X, y)`` through every step: samplers change both with
``fit_resample``, transformers change ``X``. Every other method (``predict``,
``predict_proba``, ``score``, ``transform``...) skips the samplers, so
cross-validation scores and predictions are always computed on real rows.

Built on scikit-learn's public ``Pipeline`` class: it inherits parameter
handling (``get_params``/``set_params`` with ``step__param`` names, slicing,
``named_steps``, ``get_feature_names_out``, ``set_output``) and overrides only
public methods. ``tests/test_pipeline.py`` pins this by checking every public
method of scikit-learn's Pipeline is either inherited unchanged on purpose or
overridden here.

Metadata routing (``sklearn.set_config(enable_metadata_routing=True)``) routes
requested metadata to ``fit_resample`` of samplers; for that, scikit-learn must
know ``fit_resample`` as a method name, which :mod:`smotekit._routing` declares.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from contextlib import contextmanager

from sklearn import get_config
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline as _SkPipeline
from sklearn.utils import Bunch
from sklearn.utils._param_validation import HasMethods, validate_params
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    get_routing_for_object,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, check_memory

from . import _routing  # noqa: F401  (declares fit_resample to scikit-learn's metadata routing)

__all__ = ["Pipeline", "make_pipeline"]

#: Methods of the final step that fitting the pipeline may call, by pipeline method.
_FIT_METHODS = ("fit", "fit_transform", "fit_predict", "fit_resample")


def _is_sampler(est) -> bool:
    return hasattr(est, "fit_resample")


def _skipped(est) -> bool:
    return est is None or (isinstance(est, str) and est == "passthrough")


def _routing_enabled() -> bool:
    return bool(get_config().get("enable_metadata_routing", False))


def _fit_resample_one(sampler, X, y, params):
    X_res, y_res = sampler.fit_resample(X, y, **params.get("fit_resample", {}))
    return X_res, y_res, sampler


def _fit_transform_one(transformer, X, y, params):
    if hasattr(transformer, "fit_transform"):
        return transformer.fit_transform(X, y, **params.get("fit_transform", {})), transformer
    fitted = transformer.fit(X, y, **params.get("fit", {}))
    return fitted.transform(X, **params.get("transform", {})), fitted


def _final_has(attr):
    def check(self):
        last = self.steps[-1][1]
        if _skipped(last):
            return attr in ("transform", "fit_resample", "inverse_transform")
        return hasattr(last, attr)
    return check


@contextmanager
def _not_fitted_guard(pipeline):
    """A step that is not fitted raises ``NotFittedError`` naming the pipeline. A pipeline
    whose steps do not check (stateless estimators) but which was never fitted gets a
    ``FutureWarning``, as in imbalanced-learn 0.14, rather than an error."""
    try:
        yield
    except NotFittedError as exc:
        raise NotFittedError("Pipeline is not fitted yet: call 'fit' first.") from exc
    try:
        check_is_fitted(pipeline)
    except NotFittedError:
        warnings.warn(
            "This Pipeline instance is not fitted yet. Call 'fit' with appropriate arguments "
            "before using other methods such as transform, predict, etc. This will raise an "
            "error in a future version instead of the current warning.",
            FutureWarning,
            stacklevel=3,
        )


class Pipeline(_SkPipeline):
    """Chain of transformers and samplers ending in an estimator.

    Same parameters and behaviour as :class:`sklearn.pipeline.Pipeline`,
    except that steps may be samplers (anything with ``fit_resample``), which
    are applied when fitting and skipped otherwise.

    Parameters
    ----------
    steps : list of (name, estimator) tuples
        Intermediate steps are transformers (``fit`` + ``transform``) or samplers
        (``fit_resample``), not both, and not pipelines; any step may be
        ``'passthrough'`` or ``None``.
    transform_input : list of str, default=None
        Names of metadata (e.g. a validation set ``X_val``) to pass through the
        transformers before the step that requested them, as scikit-learn does.
        Samplers never resample such metadata. Requires metadata routing
        (``sklearn.set_config(enable_metadata_routing=True)``).
    memory : str, joblib.Memory or None, default=None
        Cache the fitting of intermediate steps.
    verbose : bool, default=False
        Print the time taken by each step while fitting.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name.
    classes_ : ndarray
        The final estimator's classes (classifiers only).
    n_features_in_ : int
        Number of features seen by the first step.
    feature_names_in_ : ndarray of str
        Names of the features seen by the first step; only defined when it
        records them (``X`` with string column names).
    """

    # -- validation ----------------------------------------------------------------
    def _check_steps(self):
        self._validate_params()
        if not self.steps:
            raise ValueError("The pipeline is empty: give at least one (name, estimator) step.")
        names = [name for name, _ in self.steps]
        dupes = [n for n, c in Counter(names).items() if c > 1]
        if dupes:
            raise ValueError(f"Pipeline step names must be unique; repeated: {dupes}.")
        bad = [n for n in names if "__" in n]
        if bad:
            raise ValueError(f"Pipeline step names must not contain '__': {bad}.")
        clash = [n for n in names if n in self.get_params(deep=False)]
        if clash:
            raise ValueError(f"Pipeline step names conflict with its parameters: {clash}; rename the steps.")
        if self.transform_input is not None and not _routing_enabled():
            raise ValueError(
                "The `transform_input` parameter can only be set if metadata routing is enabled: "
                "call sklearn.set_config(enable_metadata_routing=True), or leave transform_input=None."
            )
        for name, est in self.steps[:-1]:
            if _skipped(est):
                continue
            transformer = hasattr(est, "fit") and hasattr(est, "transform")
            sampler = _is_sampler(est)
            if not (transformer or sampler):
                raise TypeError(
                    f"Pipeline step {name!r} ({type(est).__name__}) is neither a transformer nor a "
                    "sampler: intermediate steps must implement fit and transform or fit_resample, "
                    "or be 'passthrough'."
                )
            if transformer and sampler:
                raise TypeError(
                    f"Pipeline step {name!r} ({type(est).__name__}) implements both transform and "
                    "fit_resample: intermediate steps must implement fit and transform or "
                    "fit_resample, not both, so that it is clear whether it resamples."
                )
            if isinstance(est, _SkPipeline):
                raise TypeError(
                    f"Pipeline step {name!r} is itself a Pipeline: intermediate steps must not be "
                    "Pipelines; put its steps in this pipeline instead."
                )
        last = self.steps[-1][1]
        if not _skipped(last) and not hasattr(last, "fit"):
            raise TypeError(
                f"Last step of Pipeline should implement fit or be the string 'passthrough'; "
                f"{type(last).__name__} does neither."
            )

    # -- parameters ----------------------------------------------------------------
    def _step_params(self, method, params):
        """Per step name, the keyword arguments of each method it may call while fitting.

        Without metadata routing, ``step__param`` names address one step, as in
        scikit-learn; with it, each step receives what it requested.
        """
        if _routing_enabled():
            return process_routing(self, method, **params)
        routed = {name: {} for name, _ in self.steps}
        for key, value in params.items():
            step, sep, param = key.partition("__")
            if not sep or step not in routed:
                raise ValueError(
                    f"Pipeline.{method} does not accept the {key} parameter. Name fit parameters "
                    f"<step>__<parameter> with a step of this pipeline ({list(routed)}), e.g. "
                    f"`{self.steps[-1][0]}__{key}`, or enable metadata routing."
                )
            routed[step][param] = value
        # Without routing a step's parameters go to whichever fit method it is asked for.
        return {name: Bunch(**{m: p for m in _FIT_METHODS}, transform={})
                for name, p in routed.items()}

    def _transform_metadata(self, idx, step_params, params):
        """Pass the metadata named in ``transform_input`` through the transformers before
        step ``idx`` (samplers left out: metadata such as a validation set is never resampled)."""
        if self.transform_input is None or not params or idx == 0:
            return step_params
        cache = {}
        out = Bunch()
        for method, kwargs in step_params.items():
            out[method] = Bunch()
            for key, value in kwargs.items():
                if key not in self.transform_input:
                    out[method][key] = value
                    continue
                if key not in cache:
                    for _, est in self.steps[:idx]:
                        if _skipped(est) or _is_sampler(est):
                            continue
                        wanted = get_routing_for_object(est).consumes("transform", params.keys())
                        value = est.transform(value, **{k: params[k] for k in wanted})
                    cache[key] = value
                out[method][key] = cache[key]
        return out

    # -- fitting -------------------------------------------------------------------
    def _fit_head(self, X, y, method, params):
        """Fit every step but the last, resampling where a step is a sampler."""
        self._check_steps()
        routed = self._step_params(method, params)
        memory = check_memory(self.memory)
        resample = memory.cache(_fit_resample_one)
        transform = memory.cache(_fit_transform_one)
        steps = list(self.steps)
        for idx, (name, est) in enumerate(steps[:-1]):
            start = time.perf_counter()
            if not _skipped(est):
                # Caching needs an unfitted copy as the cache key; without a cache, fit in place
                # as scikit-learn does.
                est = est if getattr(memory, "location", None) is None else clone(est)
                step_params = self._transform_metadata(idx, routed[name], params)
                if _is_sampler(est):
                    X, y, fitted = resample(est, X, y, step_params)
                else:
                    X, fitted = transform(est, X, y, step_params)
                steps[idx] = (name, fitted)
            self._log(idx, name, start)
        self.steps = steps
        name = steps[-1][0]
        return X, y, self._transform_metadata(len(steps) - 1, routed[name], params)

    def _log(self, idx, name, start):
        if not self.verbose:
            return
        head = "[Pipeline] "
        message = f"(step {idx + 1} of {len(self.steps)}) Processing {name}"
        tail = f", total={time.perf_counter() - start:5.1f}s"
        dots = "." * max(1, 70 - len(head) - len(message) - len(tail))
        print(f"{head}{dots} {message}{tail}")

    def fit(self, X, y=None, **params):
        """Fit all steps; samplers resample the data seen by the following steps.

        Parameters
        ----------
        X : iterable
            Training data, as the first step accepts it.
        y : iterable, default=None
            Training targets.
        **params : dict
            ``step__param`` fit parameters, or, with metadata routing enabled, metadata
            that steps requested.

        Returns
        -------
        self : Pipeline
        """
        Xt, yt, last_params = self._fit_head(X, y, "fit", params)
        name, last = self.steps[-1]
        start = time.perf_counter()
        if not _skipped(last):
            last.fit(Xt, yt, **last_params["fit"])
        self._log(len(self.steps) - 1, name, start)
        return self

    def _can_fit_transform(self):
        last = self.steps[-1][1]
        return _skipped(last) or hasattr(last, "fit_transform") or hasattr(last, "transform")

    @available_if(_can_fit_transform)
    def fit_transform(self, X, y=None, **params):
        """Fit all steps, then return the transformed (and resampled) training data.

        Parameters
        ----------
        X : iterable
            Training data.
        y : iterable, default=None
            Training targets.
        **params : dict
            Fit parameters, as for :meth:`fit`.

        Returns
        -------
        Xt : array-like
            The training data after every step.
        """
        Xt, yt, last_params = self._fit_head(X, y, "fit_transform", params)
        name, last = self.steps[-1]
        start = time.perf_counter()
        if _skipped(last):
            out = Xt
        elif hasattr(last, "fit_transform"):
            out = last.fit_transform(Xt, yt, **last_params["fit_transform"])
        else:
            out = last.fit(Xt, yt, **last_params["fit"]).transform(Xt, **last_params.get("transform", {}))
        self._log(len(self.steps) - 1, name, start)
        return out

    @available_if(_final_has("fit_resample"))
    def fit_resample(self, X, y=None, **params):
        """Fit all steps and resample with the last one (a sampler, or ``'passthrough'``).

        Parameters
        ----------
        X : iterable
            Training data.
        y : iterable, default=None
            Training targets.
        **params : dict
            Fit parameters, as for :meth:`fit`.

        Returns
        -------
        X_resampled, y_resampled
            The data after every step.
        """
        Xt, yt, last_params = self._fit_head(X, y, "fit_resample", params)
        name, last = self.steps[-1]
        start = time.perf_counter()
        out = (Xt, yt) if _skipped(last) else last.fit_resample(Xt, yt, **last_params["fit_resample"])
        self._log(len(self.steps) - 1, name, start)
        return out

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fit all steps and return the last step's ``fit_predict`` on the resampled data.

        Parameters
        ----------
        X : iterable
            Training data.
        y : iterable, default=None
            Training targets.
        **params : dict
            Fit parameters, as for :meth:`fit`.

        Returns
        -------
        y_pred : ndarray
        """
        Xt, yt, last_params = self._fit_head(X, y, "fit_predict", params)
        name, last = self.steps[-1]
        start = time.perf_counter()
        out = last.fit_predict(Xt, yt, **last_params["fit_predict"])
        self._log(len(self.steps) - 1, name, start)
        return out

    # -- inference: samplers are skipped -------------------------------------------
    def _infer(self, method, X, params, *args):
        """Transform ``X`` through every transformer (samplers skipped), then call
        ``method`` of the last step (or return the transformed data for a skipped last step)."""
        with _not_fitted_guard(self):
            # scikit-learn routes no metadata to score_samples.
            route = _routing_enabled() and method != "score_samples"
            routed = process_routing(self, method, **params) if route else None
            for name, est in self.steps[:-1]:
                if not _skipped(est) and not _is_sampler(est):
                    X = est.transform(X, **(routed[name].transform if routed else {}))
            name, last = self.steps[-1]
            if _skipped(last):
                return X
            kwargs = routed[name][method] if routed else params
            return getattr(last, method)(X, *args, **kwargs)

    @available_if(_final_has("predict"))
    def predict(self, X, **params):
        """Transform ``X`` (no resampling) and predict with the last step.

        Parameters
        ----------
        X : iterable
            Data to predict on.
        **params : dict
            Parameters of the last step's ``predict`` (or, with metadata routing,
            metadata that steps requested).

        Returns
        -------
        y_pred : ndarray
        """
        return self._infer("predict", X, params)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Transform ``X`` (no resampling) and return the last step's class probabilities.

        Parameters
        ----------
        X : iterable
            Data to predict on.
        **params : dict
            As for :meth:`predict`.

        Returns
        -------
        y_proba : ndarray of shape (n_samples, n_classes)
        """
        return self._infer("predict_proba", X, params)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Transform ``X`` (no resampling) and return the last step's log-probabilities.

        Parameters
        ----------
        X : iterable
            Data to predict on.
        **params : dict
            As for :meth:`predict`.

        Returns
        -------
        y_log_proba : ndarray of shape (n_samples, n_classes)
        """
        return self._infer("predict_log_proba", X, params)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X, **params):
        """Transform ``X`` (no resampling) and return the last step's decision function.

        Parameters
        ----------
        X : iterable
            Data to predict on.
        **params : dict
            Metadata for the steps, with metadata routing enabled.

        Returns
        -------
        y_score : ndarray
        """
        return self._infer("decision_function", X, params)

    @available_if(_final_has("score_samples"))
    def score_samples(self, X):
        """Transform ``X`` (no resampling) and return the last step's ``score_samples``.

        Parameters
        ----------
        X : iterable
            Data to score.

        Returns
        -------
        y_score : ndarray of shape (n_samples,)
        """
        return self._infer("score_samples", X, {})

    @available_if(_final_has("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """Transform ``X`` (no resampling) and score with the last step.

        Parameters
        ----------
        X : iterable
            Data to score on.
        y : iterable, default=None
            Targets.
        sample_weight : array-like, default=None
            Passed to the last step's ``score`` when given.
        **params : dict
            Metadata for the steps, with metadata routing enabled.

        Returns
        -------
        score : float
        """
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return self._infer("score", X, params, y)

    @available_if(_final_has("transform"))
    def transform(self, X, **params):
        """Apply every transformer (samplers are skipped), including the last step.

        Parameters
        ----------
        X : iterable
            Data to transform.
        **params : dict
            Metadata for the steps, with metadata routing enabled.

        Returns
        -------
        Xt : array-like
        """
        return self._infer("transform", X, params)

    def _can_inverse_transform(self):
        return all(hasattr(est, "inverse_transform") for _, est in self.steps
                   if not _skipped(est) and not _is_sampler(est))

    @available_if(_can_inverse_transform)
    def inverse_transform(self, X, **params):
        """Apply ``inverse_transform`` of every transformer in reverse order (samplers skipped).

        Parameters
        ----------
        X : array-like
            Data in the space of the last step's output.
        **params : dict
            Metadata for the steps, with metadata routing enabled.

        Returns
        -------
        X_original : array-like
        """
        with _not_fitted_guard(self):
            routed = process_routing(self, "inverse_transform", **params) if _routing_enabled() else None
            for name, est in reversed(self.steps):
                if not _skipped(est) and not _is_sampler(est):
                    X = est.inverse_transform(X, **(routed[name].inverse_transform if routed else {}))
            return X

    # -- metadata routing ------------------------------------------------------------
    def get_metadata_routing(self):
        """Which metadata each step receives, for scikit-learn's metadata routing.

        Samplers receive, in ``fit_resample``, what they requested for it whenever the
        pipeline is fitted; they take no part in inference.

        Returns
        -------
        routing : MetadataRouter
        """
        router = MetadataRouter(owner=self)
        for name, est in self.steps[:-1]:
            if _skipped(est):
                continue
            mapping = MethodMapping()
            if _is_sampler(est):
                for caller in _FIT_METHODS:
                    mapping.add(caller=caller, callee="fit_resample")
            else:
                for caller in _FIT_METHODS:
                    if hasattr(est, "fit_transform"):
                        mapping.add(caller=caller, callee="fit_transform")
                    else:
                        mapping.add(caller=caller, callee="fit").add(caller=caller, callee="transform")
                for caller in ("predict", "predict_proba", "predict_log_proba", "decision_function",
                               "score", "transform"):
                    mapping.add(caller=caller, callee="transform")
                mapping.add(caller="inverse_transform", callee="inverse_transform")
            router.add(method_mapping=mapping, **{name: est})
        name, last = self.steps[-1]
        if _skipped(last):
            return router
        mapping = MethodMapping().add(caller="fit", callee="fit")
        if hasattr(last, "fit_transform"):
            mapping.add(caller="fit_transform", callee="fit_transform")
        else:
            mapping.add(caller="fit_transform", callee="fit").add(caller="fit_transform", callee="transform")
        for method in ("fit_predict", "fit_resample", "predict", "predict_proba", "predict_log_proba",
                       "decision_function", "score", "transform", "inverse_transform"):
            if hasattr(last, method):
                mapping.add(caller=method, callee=method)
        router.add(method_mapping=mapping, **{name: last})
        return router


@validate_params(
    {"memory": [None, str, HasMethods(["cache"])], "transform_input": [None, list], "verbose": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def make_pipeline(*steps, memory=None, transform_input=None, verbose=False):
    """Build a :class:`Pipeline` naming each step after its lower-cased class name.

    Repeated names get ``-1``, ``-2``... suffixes, as in scikit-learn.

    Parameters
    ----------
    *steps : list of estimators
        Transformers, samplers, and a final estimator.
    memory : str, joblib.Memory or None, default=None
        Cache the fitting of intermediate steps.
    transform_input : list of str, default=None
        Metadata to transform before the steps that requested it (see :class:`Pipeline`).
    verbose : bool, default=False
        Print the time taken by each step while fitting.

    Returns
    -------
    p : Pipeline
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
