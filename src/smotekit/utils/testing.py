"""Helpers for testing smotekit and estimators built on it.

``all_estimators`` lists every public estimator smotekit ships, with
imbalanced-learn's signature and meaning, so imbalanced-learn's own test
files run unchanged against smotekit. The two small test doubles stand in
for a nearest-neighbours object and a clusterer that are *not* scikit-learn
classes, to exercise the duck-typed parameters of the samplers.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
import warnings

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.neighbors import KDTree

__all__ = ["all_estimators"]

logger = logging.getLogger(__name__)

_TYPE_FILTERS = ("sampler",)
#: Modules that exist only with an optional extra installed.
_OPTIONAL_EXTRAS = ("smotekit.cli", "smotekit.dask", "smotekit.keras", "smotekit.plotting",
                    "smotekit.report", "smotekit.tensorflow")
#: Packages whose targets are not class labels (a continuous y, a label matrix). imbalanced-learn's
#: checks, which call this function, fit every estimator on class labels; and the regression
#: package reuses class names (RandomOverSampler) that a list keyed by name would confuse.
_OTHER_TARGETS = ("smotekit.regression", "smotekit.multilabel")


def _sampler_base():
    """The class every smotekit sampler derives from (``SamplerMixin`` once it exists)."""
    from smotekit import base

    return getattr(base, "SamplerMixin", base.BaseSampler)


def _is_public_module(name: str) -> bool:
    parts = name.split(".")[1:]
    return not any(part.startswith("_") or part == "tests" for part in parts)


def _import_public_modules():
    """Import every public smotekit module, skipping those whose optional extra is missing."""
    import smotekit

    for info in pkgutil.walk_packages(smotekit.__path__, "smotekit."):
        if not _is_public_module(info.name) or info.name.startswith(_OTHER_TARGETS):
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError as exc:
            # A module whose optional dependency is missing or unusable (keras without
            # a backend, dask, matplotlib, ...) has nothing to list; a broken smotekit
            # module is a real error and propagates.
            third_party = isinstance(exc, ModuleNotFoundError) and exc.name is not None \
                and exc.name.split(".")[0] != "smotekit"
            if not (third_party or info.name.startswith(_OPTIONAL_EXTRAS)):
                raise
            logger.debug("all_estimators: skipping %s (%s)", info.name, exc)


def all_estimators(type_filter=None):
    """List the public estimators smotekit ships.

    Every class deriving from :class:`sklearn.base.BaseEstimator` that a
    public smotekit module exposes is listed, except base classes (abstract,
    or named ``Base...``), private names and scikit-learn's own classes
    re-exported by smotekit. Modules of an optional extra whose dependency is
    not installed are skipped, and so are :mod:`smotekit.regression` and
    :mod:`smotekit.multilabel`, whose targets are not class labels (each
    package lists its samplers in its ``__all__``).

    Parameters
    ----------
    type_filter : {"sampler"}, list of str or None, default=None
        Keep only estimators of this kind; a list keeps the estimators of
        any of its kinds. ``"sampler"`` means an estimator with
        ``fit_resample`` deriving from smotekit's sampler base class.
        None lists every estimator.

    Returns
    -------
    estimators : list of (str, type)
        ``(class name, class)`` pairs, sorted by name.

    Raises
    ------
    ValueError
        If ``type_filter`` names an unknown kind.
    """
    if type_filter is None:
        kinds = []
    elif isinstance(type_filter, str):
        kinds = [type_filter]
    else:
        kinds = list(type_filter)
    unknown = [kind for kind in kinds if kind not in _TYPE_FILTERS]
    if unknown:
        raise ValueError(
            f"Parameter type_filter must be 'sampler' or None, got {unknown!r}. "
            "Pass type_filter='sampler' to list the samplers, or None for every estimator."
        )

    found = {}
    with warnings.catch_warnings():
        # Deprecated aliases may warn when their module is imported; listing is not using them.
        warnings.simplefilter("ignore", FutureWarning)
        for module in _import_public_modules():
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, BaseEstimator)
                    and not name.startswith(("_", "Base"))
                    and not inspect.isabstract(cls)
                    and cls.__module__.split(".")[0] == "smotekit"
                ):
                    found[name] = cls

    if kinds:
        sampler = _sampler_base()
        found = {name: cls for name, cls in found.items() if issubclass(cls, sampler)}
    return sorted(found.items(), key=lambda item: item[0])


class _CustomNearestNeighbors(BaseEstimator):
    """A nearest-neighbours object that is not scikit-learn's.

    It has ``kneighbors`` and ``kneighbors_graph`` (the duck-typed interface
    the samplers accept) but no scikit-learn neighbours base class. ``metric``
    is stored and ignored: distances are always Euclidean.
    """

    def __init__(self, n_neighbors=1, metric="euclidean"):
        self.n_neighbors = n_neighbors
        self.metric = metric

    def fit(self, X, y=None):
        self._tree = KDTree(_dense(X))
        return self

    def kneighbors(self, X, n_neighbors=None, return_distance=True):
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        distances, indices = self._tree.query(_dense(X), k=k)
        return (distances, indices) if return_distance else indices

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        """Present for duck-typing only; the samplers never call it."""
        raise NotImplementedError("_CustomNearestNeighbors does not build neighbour graphs.")


class _CustomClusterer(BaseEstimator):
    """A clusterer that puts every row in cluster 0 and may hide ``cluster_centers_``."""

    def __init__(self, n_clusters=1, expose_cluster_centers=True):
        self.n_clusters = n_clusters
        self.expose_cluster_centers = expose_cluster_centers

    def fit(self, X, y=None):
        if self.expose_cluster_centers:
            # Any centres do (the tests only look at whether the attribute exists); the
            # mean keeps the double deterministic.
            self.cluster_centers_ = np.tile(_dense(X).mean(axis=0), (self.n_clusters, 1))
        return self

    def predict(self, X):
        return np.zeros(X.shape[0], dtype=int)


def _dense(X):
    return X.toarray() if sparse.issparse(X) else np.asarray(X)
