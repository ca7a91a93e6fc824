"""NearMiss: Mani & Zhang (2003), "kNN approach to unbalanced data distributions:
a case study involving information extraction", ICML workshop on learning from
imbalanced datasets."""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils._param_validation import Interval

from .._constraints import N_JOBS, NEIGHBORS, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution, _n_jobs_docstring
from .._generation import Resampled
from ..neighbors import kneighbors
from ..neighbors._farthest import farthest_sum
from ..neighbors._resolve import resolve_neighbors
from ..neighbors._sizes import check_object_fits
from ._rules import first_minority
from .base import BaseUnderSampler

__all__ = ["NearMiss"]


def _neighbors(param, name):
    # NearMiss queries rows of other classes (or a class from the minority):
    # an object's n_neighbors never counts the query row.
    return resolve_neighbors(param, name=name, counts_self=False)


def _too_few(name, k, label, n, what):
    return ValueError(
        f"{name}={k} needs at least {k} samples of {what}, but class {label!r} has {n}. "
        f"Lower {name} to at most {n}."
    )


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
class NearMiss(BaseUnderSampler):
    """Under-sample by keeping the samples closest to (or farthest from) the minority class.

    For every targeted class, each sample gets a score from its distances to
    the minority class, and the ``n`` best-scored samples are kept:

    * ``version=1``: mean distance to its ``n_neighbors`` nearest minority
      samples; the smallest are kept.
    * ``version=2``: mean distance to its ``n_neighbors`` *farthest* minority
      samples; the smallest are kept.
    * ``version=3``: first, only the ``n_neighbors_ver3`` nearest samples of
      the class around each minority sample are short-listed; of these, those
      with the *largest* mean distance to their ``n_neighbors`` nearest
      minority samples are kept. The short list may hold fewer than ``n``
      samples: then all of it is kept, with a warning.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to under-sample and to what size (imbalanced-learn's semantics).
    version : {{1, 2, 3}}, default=1
    n_neighbors : int or object, default=3
        Number of minority neighbours in the score, or an object with
        ``fit``/``kneighbors`` (e.g. ``NearestNeighbors(n_neighbors=3)``).
    n_neighbors_ver3 : int or object, default=3
        Version 3's short list: neighbours of each minority sample in the class.
    {n_jobs}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Input row behind each output row: per class in sorted class order,
        and within a class in input order.
    nn_ : NearestNeighbors
        The minority-class neighbours object (fitted on the minority class).
    nn_ver3_ : NearestNeighbors
        Version 3 only: the short-list neighbours object (fitted on the last
        targeted class).
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    The minority class is the smallest class (ties: the first to appear in
    ``y``), as in imbalanced-learn. Scores are computed from exact float64
    distances and selected exactly, also at a million rows: versions 1 and 3
    search from the (small) minority side, version 2 scans the minority in
    bounded blocks (imbalanced-learn materialises every majority-to-minority
    distance at once). Equal scores are kept in input order, as in
    imbalanced-learn. Differences from imbalanced-learn 0.14: within a class
    the kept rows come in input order (imbalanced-learn orders them by
    score); with samples at exactly equal distances (duplicates), version 3's
    short list takes the lowest row index first (imbalanced-learn's choice
    depends on its search algorithm); scores near-tied within float64 rounding
    (about 1e-12 relative) may be ordered differently, as imbalanced-learn's
    distances carry that rounding error.

    References
    ----------
    .. [1] Mani, I. & Zhang, I. (2003). kNN approach to unbalanced data distributions: a case study
       involving information extraction. ICML 2003 Workshop on Learning from Imbalanced
       Datasets.
    """

    @property
    def _exact_counts(self):
        # NearMiss-3 keeps at most its short list, which may be below the target.
        return self.version != 3

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "version": [Interval(Integral, 1, 3, closed="both")],
        "n_neighbors": NEIGHBORS,
        "n_neighbors_ver3": NEIGHBORS,
        "n_jobs": N_JOBS,
    }

    def __init__(self, *, sampling_strategy="auto", version=1, n_neighbors=3, n_neighbors_ver3=3,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "version", "n_neighbors")
        if self.version == 3:
            refuse_bools(self, "n_neighbors_ver3")
        if self.n_jobs == 0:  # an int constraint cannot leave out one value
            raise ValueError(f"n_jobs must be None or a non-zero int, got {self.n_jobs!r}.")

    def _neighbors_object(self, param, name):
        nn = clone(_neighbors(param, name).as_estimator())
        if "n_jobs" in nn.get_params():
            nn.set_params(n_jobs=self.n_jobs)
        return nn

    def _nearest_sum(self, X_min, X_query, label_min):
        """Sum of distances from each query row to its k nearest minority rows."""
        nn = _neighbors(self.n_neighbors, "n_neighbors")
        k = nn.k
        if not nn.exact:
            check_object_fits(self.n_neighbors, X_min.shape[0], name="n_neighbors",
                              counts_self=False, where=f"the minority class {label_min!r}")
            dist, _ = self.nn_.kneighbors(X_query, n_neighbors=k)
            return np.asarray(dist, dtype=np.float64).sum(axis=1)
        if k > X_min.shape[0]:
            raise _too_few("n_neighbors", k, label_min, X_min.shape[0], "the minority class")
        _, dist = kneighbors(X_min, k, query=X_query, n_jobs=self.n_jobs, return_distance=True)
        return dist.sum(axis=1)

    def _fit_resample(self, X, codes, plan, seed):
        minority = first_minority(codes, len(plan.classes))
        label_min = plan.classes[minority].label
        min_rows = self._class_rows(codes, minority)
        X_min = X[min_rows]
        self.nn_ = self._neighbors_object(self.n_neighbors, "n_neighbors").fit(X_min)
        k = _neighbors(self.n_neighbors, "n_neighbors").k
        kept = []
        for code, cls in enumerate(plan.classes):
            rows = self._class_rows(codes, code)
            if cls.targeted:
                X_class = X[rows]
                if self.version == 1:
                    pick = self._select(self._nearest_sum(X_min, X_class, label_min), cls.n_target)
                elif self.version == 2:
                    pick = self._select(self._farthest(X_min, X_class, k, label_min), cls.n_target)
                else:
                    pick = self._version3(X_min, X_class, cls, label_min)
                rows = rows[np.sort(pick)]
            kept.append(rows)
        return Resampled(np.concatenate(kept))

    def _farthest(self, X_min, X_class, k, label_min):
        if not _neighbors(self.n_neighbors, "n_neighbors").exact:
            dist, _ = self.nn_.kneighbors(X_class, n_neighbors=X_min.shape[0])
            return np.asarray(dist, dtype=np.float64)[:, -k:].sum(axis=1)
        if k > X_min.shape[0]:
            raise _too_few("n_neighbors", k, label_min, X_min.shape[0], "the minority class")
        return farthest_sum(X_min, X_class, k, self.n_jobs)

    def _version3(self, X_min, X_class, cls, label_min):
        param = self.n_neighbors_ver3
        check_object_fits(param, X_class.shape[0], name="n_neighbors_ver3", counts_self=False,
                          where=f"class {cls.label!r}")
        self.nn_ver3_ = self._neighbors_object(param, "n_neighbors_ver3").fit(X_class)
        ver3 = _neighbors(param, "n_neighbors_ver3")
        if ver3.exact:
            if ver3.k > X_class.shape[0]:
                raise _too_few("n_neighbors_ver3", ver3.k, cls.label, X_class.shape[0],
                               "each under-sampled class")
            near = kneighbors(X_class, ver3.k, query=X_min, n_jobs=self.n_jobs)
        else:
            near = np.asarray(self.nn_ver3_.kneighbors(X_min, return_distance=False))
        short = np.unique(near)
        if short.size < cls.n_target:
            warnings.warn(
                f"NearMiss-3 short-listed {short.size} samples of class {cls.label!r}, fewer than "
                f"the {cls.n_target} asked by sampling_strategy; all of them are kept. Raise "
                "n_neighbors_ver3 to short-list more.", UserWarning, stacklevel=4)
        score = self._nearest_sum(X_min, X_class[short], label_min)
        # Largest scores first; equal scores in input order.
        order = np.lexsort((np.arange(short.size), -score))
        return short[order[:cls.n_target]]

    @staticmethod
    def _select(score, n):
        """Positions of the ``n`` smallest scores, equal scores in input order."""
        return np.argsort(score, kind="stable")[:n]
