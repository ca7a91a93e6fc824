"""CondensedNearestNeighbour: Hart (1968), "The condensed nearest neighbor rule",
IEEE Transactions on Information Theory 14(3), 515-516."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils._param_validation import Interval

from .._constraints import N_JOBS, NEIGHBORS, RANDOM_STATE, is_int, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution, _n_jobs_docstring
from .._generation import Resampled
from .._labels import estimator_targets
from .._random import stream
from ..neighbors import kneighbors
from ..neighbors._search import exact_sq_dist, overflow_scale
from ..neighbors._sizes import check_object_fits
from ._rules import first_minority
from .base import BaseCleaningSampler

__all__ = ["CondensedNearestNeighbour"]

# Rows of a class examined per step; their distances to the store are computed at once.
_BLOCK = 2048


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
class CondensedNearestNeighbour(BaseCleaningSampler):
    """Keep a consistent subset of each cleaned class: the samples a nearest-neighbour
    rule needs to classify the others correctly against the minority class.

    For each cleaned class, a store starts with the whole minority class and
    ``n_seeds_S`` random samples of the class. The class's samples are then
    visited once, in input order; a sample the k-NN rule on the store
    misclassifies joins the store. The kept samples of the class are its
    samples in the store.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Which classes to clean ('auto' = every class but the minority).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the initial store (one independent stream per class).
    n_neighbors : int, KNeighborsClassifier or None, default=None
        Neighbours of the k-NN rule (``None`` means 1, Hart's rule), or a
        ``KNeighborsClassifier`` used as given (refitted at every addition:
        slow on large classes).
    n_seeds_S : int, default=1
        Samples of the class in the initial store.
    {n_jobs}

    Attributes
    ----------
    estimators_ : list of KNeighborsClassifier
        Per cleaned class, the k-NN rule fitted on its final store: on the
        class labels, or on class positions (0, 1, ... in sorted label order)
        for labels scikit-learn cannot take (time-zone-aware timestamps, periods...).
    sample_indices_ : ndarray of int
        Input row behind each output row: per class in sorted class order,
        and within a class in input order.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    As in imbalanced-learn: each class is condensed against the minority
    class alone (the minority is the smallest class, ties going to the first
    in ``y``), and the class is visited once, where Hart repeats the passes
    until no sample is added. With an int ``n_neighbors`` the rule is run
    with exact distances in blocks (every sample's distances to the store,
    never a full refit), which makes it usable on large classes; equal
    distances to a minority and to a stored sample count the minority sample
    first (it precedes in the store), and a tied vote goes to the class with
    the smaller label, as scikit-learn's k-NN does. Differences from
    imbalanced-learn 0.14: the initial samples are drawn without replacement
    (imbalanced-learn may draw a sample twice and return it twice); a stored
    sample is never added again; every sample not yet stored is checked
    (imbalanced-learn skips a sample whose position in its class equals the
    row index of a stored sample, a bookkeeping slip); random draws come from
    smotekit's streams, so the kept samples differ from imbalanced-learn's
    draw for draw but follow the same rule.

    References
    ----------
    .. [1] Hart, P. E. (1968). The condensed nearest neighbor rule. IEEE Transactions on Information
       Theory, 14(3), 515-516.
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "random_state": RANDOM_STATE,
        "n_neighbors": [*NEIGHBORS, None],
        "n_seeds_S": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": N_JOBS,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=None,
                 n_seeds_S=1, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_seeds_S")
        k = self.n_neighbors
        # The constraint takes any neighbours object; the 1-NN rule needs a classifier.
        if k is not None and not (is_int(k) or isinstance(k, KNeighborsClassifier)):
            raise TypeError(
                f"n_neighbors must be None, a positive int or a KNeighborsClassifier; got {k!r}."
            )

    def _estimator(self):
        if isinstance(self.n_neighbors, KNeighborsClassifier):
            return clone(self.n_neighbors)
        return KNeighborsClassifier(n_neighbors=1 if self.n_neighbors is None else int(self.n_neighbors),
                                    n_jobs=self.n_jobs)

    def _fit_resample(self, X, codes, plan, seed):
        minority = first_minority(codes, len(plan.classes))
        min_rows = self._class_rows(codes, minority)
        labels = [c.label for c in plan.classes]
        self._check_k(codes, plan, minority, min_rows.size)
        self.estimators_ = []
        kept = []
        for code, cls in enumerate(plan.classes):
            rows = self._class_rows(codes, code)
            if cls.targeted:
                if self.n_seeds_S > rows.size:
                    raise ValueError(
                        f"n_seeds_S={self.n_seeds_S} exceeds the {rows.size} samples of class "
                        f"{cls.label!r}. Lower n_seeds_S to at most {rows.size}."
                    )
                seeds = np.sort(stream(seed, code).choice(rows.size, self.n_seeds_S, replace=False))
                if code == minority:
                    stored = seeds  # the store already holds the whole class
                else:
                    stored = self._condense(X, min_rows, rows, seeds, code, minority)
                store = np.concatenate([min_rows, rows[stored]])
                y_store = np.concatenate([np.full(min_rows.size, minority), np.full(stored.size, code)])
                self.estimators_.append(
                    self._estimator().fit(X[store], estimator_targets(labels, y_store)))
                rows = rows[stored]
            kept.append(rows)
        return Resampled(np.concatenate(kept))

    def _check_k(self, codes, plan, minority, n_minority):
        """Refuse an int ``n_neighbors`` beyond the rows a store can ever hold,
        and a classifier asking more neighbours than its first store holds.

        The store of a cleaned class holds the minority class and samples of
        that class only, so a larger k votes over every one of them whatever
        its value, and the pass's cost grows as k squared (3000 on 120 rows ran
        40 s): an error is more useful than that wait. A user's classifier is
        refitted on the store as it grows, and its first prediction is made
        from the minority class and the ``n_seeds_S`` seeds alone.
        """
        k = self.n_neighbors
        if k is None:
            return
        counts = np.bincount(codes, minlength=len(plan.classes))
        for code, cls in enumerate(plan.classes):
            if not cls.targeted or code == minority:
                continue
            if isinstance(k, KNeighborsClassifier):
                first = n_minority + min(self.n_seeds_S, int(counts[code]))
                check_object_fits(
                    k, first, name="n_neighbors", counts_self=False, hint=", or raise n_seeds_S",
                    where=f"the first store for class {cls.label!r} (the {n_minority} samples of "
                          f"minority class {plan.classes[minority].label!r} plus "
                          f"n_seeds_S={self.n_seeds_S})")
                continue
            usable = int(n_minority + counts[code])
            if int(k) > usable:
                raise ValueError(
                    f"n_neighbors={int(k)} is larger than the {usable} samples a k-NN store can "
                    f"hold for class {cls.label!r} ({counts[code]} samples) against the minority "
                    f"class {plan.classes[minority].label!r} ({n_minority} samples). Use "
                    f"n_neighbors <= {usable} (the default, 1, is Hart's rule)."
                )

    def _condense(self, X, min_rows, rows, seeds, code, minority):
        """Positions (in ``rows``) of the class's samples in the final store."""
        if isinstance(self.n_neighbors, KNeighborsClassifier):
            return self._condense_estimator(X, min_rows, rows, seeds, code, minority)
        k = 1 if self.n_neighbors is None else int(self.n_neighbors)
        # Distances are also computed here, outside kneighbors: scale the data
        # the way it does (a power of two, exact) where their squares overflow.
        scale = overflow_scale(X, X[:0])
        if scale != 1.0:
            X = X * scale
        # A tied vote goes to the smaller label, i.e. the smaller code.
        minority_wins_ties = minority < code
        X_class = X[rows]
        km = min(k, min_rows.size)
        _, d_min = kneighbors(X[min_rows], km, query=X_class, n_jobs=self.n_jobs,
                              return_distance=True)
        if km < k:
            d_min = np.hstack([d_min, np.full((rows.size, k - km), np.inf)])
        in_store = np.zeros(rows.size, dtype=bool)
        in_store[seeds] = True
        stored = list(seeds)
        for start in range(0, rows.size, _BLOCK):
            stop = min(rows.size, start + _BLOCK)
            d_store = self._store_distances(X_class, np.asarray(stored), start, stop, k)
            pos = 0
            while True:
                wrong = ~in_store[start + pos:stop] & _misclassified(
                    d_min[start + pos:stop], d_store[pos:], k, minority_wins_ties)
                hits = np.flatnonzero(wrong)
                if hits.size == 0:
                    break
                i = start + pos + int(hits[0])
                in_store[i] = True
                stored.append(i)
                pos = i - start + 1
                if pos == stop - start:
                    break
                # Only the samples after i are still to be visited in this block.
                new = np.sqrt(exact_sq_dist(X_class, X_class[i:i + 1],
                                             np.arange(i + 1, stop)[None, :])[0])
                rest = np.hstack([d_store[pos:], new[:, None]])
                d_store = np.concatenate([d_store[:pos], np.sort(rest, axis=1)[:, :k]])
        return np.flatnonzero(in_store)

    def _store_distances(self, X_class, stored, start, stop, k):
        """Sorted distances from rows start:stop of the class to their k nearest stored samples."""
        ks = min(k, stored.size)
        _, d = kneighbors(X_class[stored], ks, query=X_class[start:stop], n_jobs=self.n_jobs,
                          return_distance=True)
        if ks < k:
            d = np.hstack([d, np.full((stop - start, k - ks), np.inf)])
        return d

    def _condense_estimator(self, X, min_rows, rows, seeds, code, minority):
        """Hart's pass with the user's classifier, refitted after every addition."""
        in_store = np.zeros(rows.size, dtype=bool)
        in_store[seeds] = True
        X_class = X[rows]

        def refit():
            store = np.concatenate([min_rows, rows[np.flatnonzero(in_store)]])
            y_store = np.where(np.isin(store, min_rows), minority, code)
            return clone(self.n_neighbors).fit(X[store], y_store)

        est = refit()
        pred = est.predict(X_class)
        i = 0
        while i < rows.size:
            wrong = np.flatnonzero((pred[i:] != code) & ~in_store[i:])
            if wrong.size == 0:
                break
            i += int(wrong[0])
            in_store[i] = True
            est = refit()
            i += 1
            if i < rows.size:
                pred[i:] = est.predict(X_class[i:])
        return np.flatnonzero(in_store)


def _misclassified(d_min, d_store, k, minority_wins_ties):
    """Whether the k-NN vote over a store (minority rows at distances ``d_min``,
    stored rows of the class at ``d_store``, both sorted, inf-padded) goes to
    the minority; a minority row precedes a stored row at equal distance."""
    # The j-th nearest minority row is among the k nearest overall iff fewer
    # than k - j stored rows are strictly nearer.
    nearer = np.empty(d_min.shape, dtype=np.int64)
    for j in range(k):
        nearer[:, j] = (d_store < d_min[:, j:j + 1]).sum(axis=1)
    votes = (((nearer + np.arange(k)) < k) & np.isfinite(d_min)).sum(axis=1)
    own = np.minimum(k - votes, np.isfinite(d_store).sum(axis=1))
    return (votes > own) | ((votes == own) & minority_wins_ties)

