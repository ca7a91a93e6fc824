"""Cleaning samplers: Tomek links and the edited nearest-neighbour family.

TomekLinks: Tomek (1976), "Two modifications of CNN", IEEE Trans. SMC 6(11).
EditedNearestNeighbours: Wilson (1972), IEEE Trans. SMC 2(3), 408-421.
RepeatedEditedNearestNeighbours, AllKNN: Tomek (1976), IEEE Trans. SMC 6(6), 448-452.
NeighbourhoodCleaningRule: Laurikkala (2001), AIME, LNCS 2101, 63-66.
OneSidedSelection: Kubat & Matwin (1997), ICML, 179-186.
"""

from __future__ import annotations

from itertools import repeat
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._constraints import N_JOBS, NEIGHBORS, RANDOM_STATE, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution, _n_jobs_docstring
from .._generation import Resampled
from .._labels import estimator_targets
from .._random import stream
from .._strategy import make_plan
from ..base import PartitionedSupport
from ..neighbors import kneighbors
from ..neighbors._resolve import resolve_neighbors
from ..neighbors._sizes import check_object_fits
from ._rules import ALL_ROWS, edited_keep, first_minority, mode_codes, neighbors_of, tomek_members
from .base import BaseCleaningSampler

__all__ = ["AllKNN", "EditedNearestNeighbours", "NeighbourhoodCleaningRule", "OneSidedSelection",
           "RepeatedEditedNearestNeighbours", "TomekLinks"]

_NOTE_DUPLICATES = """A row is never its own neighbour, even when duplicated: imbalanced-learn
    takes ``kneighbors(X)[:, 1:]``, which drops an arbitrary one of several rows
    at distance 0 (possibly a duplicate instead of the row itself). On data
    without duplicated rows and without tied distances the selected rows are
    the same as imbalanced-learn 0.14's; ties are broken by lower row index."""


def _noting_duplicates(cls):
    # Appended after class creation: a docstring written as "..." + _NOTE_DUPLICATES
    # is an expression, not a docstring, and the class would show its base's doc.
    if cls.__doc__:  # None under python -OO
        cls.__doc__ = cls.__doc__.rstrip() + "\n\n    " + _NOTE_DUPLICATES.strip() + "\n"
    return cls


def _targeted_codes(plan):
    return [code for code, cls in enumerate(plan.classes) if cls.targeted]


def _class_grouped(rows, codes):
    """Rows grouped by class in sorted class order, input order within a class."""
    return rows[np.argsort(codes[rows], kind="stable")]


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
@_noting_duplicates
class TomekLinks(BaseCleaningSampler):
    """Remove Tomek links: pairs of rows of different classes that are each
    other's nearest neighbour.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes whose link members are removed ('auto' = every class but the
        minority; 'all' removes both members of every link).
    {n_jobs}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Kept input rows, in input order.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Exact, without an all-rows search: every link has a member outside the
    largest class, so the nearest neighbour is computed only for those rows
    and for the rows they point to (with 1 % minority, ~2 % of the queries).


    References
    ----------
    .. [1] Tomek, I. (1976). Two modifications of CNN. IEEE Transactions on Systems, Man, and
       Cybernetics, 6(11), 769-772.
    """

    _parameter_constraints: dict = {**BaseCleaningSampler._parameter_constraints, "n_jobs": N_JOBS}
    _partitioned = PartitionedSupport("tomek")

    def __init__(self, *, sampling_strategy="auto", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_jobs")

    def _fit_resample(self, X, codes, plan, seed):
        member = tomek_members(X, codes, n_jobs=self.n_jobs)
        removed = member & np.isin(codes, _targeted_codes(plan))
        return Resampled(np.flatnonzero(~removed))


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
@_noting_duplicates
class EditedNearestNeighbours(BaseCleaningSampler):
    """Remove rows whose nearest neighbours disagree with their class (Wilson's editing).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean ('auto' = every class but the minority).
    n_neighbors : int or object, default=3
        Neighbours examined per row, or a neighbours object with ``fit`` /
        ``kneighbors`` whose ``n_neighbors`` counts the row itself (e.g.
        ``NearestNeighbors(n_neighbors=4)`` or
        :class:`smotekit.neighbors.ApproximateNeighbors`).
    kind_sel : {{'all', 'mode'}}, default='all'
        'all': remove a row unless all its neighbours share its class;
        'mode': remove it unless its class is the most frequent among them
        (ties go to the smallest class label).
    {n_jobs}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Kept input rows, grouped by class in sorted class order (as in
        imbalanced-learn), in input order within a class.
    nn_ : NearestNeighbors or object
        The neighbours object imbalanced-learn would use (``n_neighbors + 1``),
        or a clone of the one given. Not fitted: the search is smotekit's own.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    A row can only be removed if a row of another class is among its
    neighbours. For a large class, each row's k-th neighbour within its own
    k-means cell bounds its true k-th neighbour distance from above; a row
    whose nearest other-class row is farther than that bound is kept without
    a search over all rows. Exact; only the remaining rows (with 1 %
    minority, ~1 % of the majority) are searched over all rows.


    References
    ----------
    .. [1] Wilson, D. L. (1972). Asymptotic properties of nearest neighbor rules using edited data.
       IEEE Transactions on Systems, Man, and Cybernetics, 2(3), 408-421.
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "n_neighbors": NEIGHBORS,
        "kind_sel": [StrOptions({"all", "mode"})],
        "n_jobs": N_JOBS,
    }
    _partitioned = PartitionedSupport("edited", neighbours=("n_neighbors",))
    #: The hybrid samplers hand over where their new rows lie (see ``edited_keep``)
    #: when ``_fit_resample`` and ``_keep_mask`` both take ``lines``.
    _reads_lines = True

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_jobs")

    def _make_nn(self):
        nn = resolve_neighbors(self.n_neighbors, name="n_neighbors")
        return nn.as_estimator(n_jobs=self.n_jobs) if nn.exact else clone(nn.estimator)

    def _keep_mask(self, X, codes, targeted, lines=None):
        nn = resolve_neighbors(self.n_neighbors, name="n_neighbors")
        k = nn.k
        check_object_fits(self.n_neighbors, codes.size, name="n_neighbors", where=ALL_ROWS)
        if codes.size <= k:
            raise ValueError(
                f"n_neighbors={k} needs at least {k + 1} rows (each row plus {k} neighbours); "
                f"got {codes.size}. Lower n_neighbors."
            )
        return edited_keep(X, codes, targeted, k, self.kind_sel, estimator=nn.estimator,
                           n_jobs=self.n_jobs, lines=lines)

    def _fit_resample(self, X, codes, plan, seed, lines=None):
        self.nn_ = self._make_nn()
        targeted = _targeted_codes(plan)
        keep = self._keep_mask(X, codes, targeted) if lines is None else \
            self._keep_mask(X, codes, targeted, lines=lines)
        return Resampled(_class_grouped(np.flatnonzero(keep), codes))


def _edit_in_rounds(X, codes, plan, enns, *, stop_if_unchanged, stop_below_minority):
    """Apply each editing sampler of ``enns`` in turn to the rows kept so far,
    with imbalanced-learn's stopping rules (the stopping round is kept).
    Returns the kept rows (grouped by class), the last sampler and the rounds run."""
    targeted = _targeted_codes(plan)
    counts = np.bincount(codes, minlength=len(plan.classes))
    minority = first_minority(codes, len(plan.classes))
    rows = np.arange(codes.size)
    enn, rounds = None, 0
    for enn in enns:
        rounds += 1
        keep = enn._keep_mask(X[rows], codes[rows], targeted)
        new = _class_grouped(rows[keep], codes)
        unchanged = new.size == rows.size
        rows = new
        became_minority, vanished = _stop_reasons(codes[rows], counts, minority)
        if (stop_if_unchanged and unchanged) or (stop_below_minority and became_minority) or vanished:
            break
    return rows, enn, rounds


def _stop_reasons(codes_now, counts_before, minority):
    """imbalanced-learn's stopping tests: a non-minority class fell below the
    original minority count, or a class disappeared."""
    counts = np.bincount(codes_now, minlength=counts_before.size)
    present = counts > 0
    non_min = present.copy()
    non_min[minority] = False
    became_minority = bool((counts[non_min] < counts_before[minority]).any())
    vanished = bool(present.sum() < (counts_before > 0).sum())
    return became_minority, vanished


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
@_noting_duplicates
class RepeatedEditedNearestNeighbours(BaseCleaningSampler):
    """Apply :class:`EditedNearestNeighbours` repeatedly until nothing changes.

    Stops after ``max_iter`` rounds, when a round removes nothing, when a
    cleaned class becomes smaller than the original minority, or when a
    class disappears (imbalanced-learn's rules; the last round is kept).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
    n_neighbors : int or object, default=3
    max_iter : int, default=100
    kind_sel : {{'all', 'mode'}}, default='all'
    {n_jobs}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Kept input rows, grouped by class (sorted), input order within a class.
    n_iter_ : int
        Rounds run.
    nn_ : NearestNeighbors or object
        The neighbours object (see :class:`EditedNearestNeighbours`).
    enn_ : EditedNearestNeighbours
        The editing sampler applied in every round.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    When the first round already removes nothing, imbalanced-learn 0.14
    applies the class-grouping permutation twice to ``sample_indices_`` (which
    then no longer matches its returned rows); here ``sample_indices_`` always
    matches the output.


    References
    ----------
    .. [1] Tomek, I. (1976). An experiment with the edited nearest-neighbor rule. IEEE Transactions
       on Systems, Man, and Cybernetics, 6(6), 448-452.
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "n_neighbors": NEIGHBORS,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "kind_sel": [StrOptions({"all", "mode"})],
        "n_jobs": N_JOBS,
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, max_iter=100, kind_sel="all",
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_jobs", "max_iter")

    def _fit_resample(self, X, codes, plan, seed):
        self.enn_ = EditedNearestNeighbours(sampling_strategy=self.sampling_strategy,
                                            n_neighbors=self.n_neighbors, kind_sel=self.kind_sel,
                                            n_jobs=self.n_jobs)
        self.nn_ = self.enn_._make_nn()
        rows, _, self.n_iter_ = _edit_in_rounds(X, codes, plan, repeat(self.enn_, self.max_iter),
                                                stop_if_unchanged=True, stop_below_minority=True)
        return Resampled(rows)


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
@_noting_duplicates
class AllKNN(BaseCleaningSampler):
    """Apply :class:`EditedNearestNeighbours` with 1, 2, ..., ``n_neighbors`` neighbours in turn.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
    n_neighbors : int or object, default=3
        Largest neighbourhood; an object's ``n_neighbors`` counts the row itself.
    kind_sel : {{'all', 'mode'}}, default='all'
    allow_minority : bool, default=False
        Keep going when a cleaned class becomes smaller than the original minority.
    {n_jobs}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Kept input rows, grouped by class (sorted), input order within a class.
    nn_ : NearestNeighbors or object
        The neighbours object (see :class:`EditedNearestNeighbours`).
    enn_ : EditedNearestNeighbours
        The last editing sampler applied.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----

    References
    ----------
    .. [1] Tomek, I. (1976). An experiment with the edited nearest-neighbor rule. IEEE Transactions
       on Systems, Man, and Cybernetics, 6(6), 448-452.
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "n_neighbors": NEIGHBORS,
        "kind_sel": [StrOptions({"all", "mode"})],
        "allow_minority": ["boolean"],
        "n_jobs": N_JOBS,
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", allow_minority=False,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_jobs")

    def _fit_resample(self, X, codes, plan, seed):
        k_max = resolve_neighbors(self.n_neighbors, name="n_neighbors").k
        self.nn_ = EditedNearestNeighbours(n_neighbors=self.n_neighbors)._make_nn()
        enns = (EditedNearestNeighbours(sampling_strategy=self.sampling_strategy, n_neighbors=k,
                                        kind_sel=self.kind_sel, n_jobs=self.n_jobs)
                for k in range(1, k_max + 1))
        rows, self.enn_, _ = _edit_in_rounds(X, codes, plan, enns, stop_if_unchanged=False,
                                             stop_below_minority=not self.allow_minority)
        return Resampled(rows)


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
@_noting_duplicates
class NeighbourhoodCleaningRule(BaseCleaningSampler):
    """Laurikkala's neighbourhood cleaning rule.

    Removes (A1) the rows of the cleaned classes that
    :class:`EditedNearestNeighbours` (``kind_sel='mode'``) removes, and (A2)
    the neighbours, in classes larger than ``threshold_cleaning`` times the
    minority, of every minority row that its ``n_neighbors`` nearest rows
    (itself included, as a k-NN classifier fitted on all rows sees it)
    misclassify.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
    edited_nearest_neighbours : EditedNearestNeighbours, default=None
        The editing step; None uses ``EditedNearestNeighbours(kind_sel='mode')``
        with this sampler's ``sampling_strategy``, ``n_neighbors`` and ``n_jobs``.
    n_neighbors : int or object, default=3
    threshold_cleaning : float, default=0.5
    {n_jobs}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Kept input rows, in input order.
    edited_nearest_neighbours_ : EditedNearestNeighbours
    nn_ : KNeighborsClassifier or object
        The classifier imbalanced-learn would use (not fitted here).
    classes_to_clean_ : list
        Classes whose rows step A2 may remove.
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    A neighbours object as ``n_neighbors`` is read as
    ``NearestNeighbors``-like (its ``n_neighbors`` counts the row itself);
    imbalanced-learn uses a ``KNeighborsClassifier`` given there with its own
    ``n_neighbors`` as is.


    References
    ----------
    .. [1] Laurikkala, J. (2001). Improving identification of difficult small classes by balancing
       class distribution. Artificial Intelligence in Medicine (AIME 2001), LNCS 2101, 63-66.
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "edited_nearest_neighbours": [HasMethods(["fit_resample"]), None],
        "n_neighbors": NEIGHBORS,
        "threshold_cleaning": [Interval(Real, 0, None, closed="neither")],
        "n_jobs": N_JOBS,
    }

    def __init__(self, *, sampling_strategy="auto", edited_nearest_neighbours=None, n_neighbors=3,
                 threshold_cleaning=0.5, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_jobs", "threshold_cleaning")
        # The constraint asks for a sampler (fit_resample); the rule needs ENN's editing.
        enn = self.edited_nearest_neighbours
        if enn is not None and not isinstance(enn, EditedNearestNeighbours):
            raise TypeError(
                "edited_nearest_neighbours must be None or a smotekit EditedNearestNeighbours, got "
                f"{enn!r}."
            )

    def _fit_resample(self, X, codes, plan, seed):
        n_classes = len(plan.classes)
        if self.edited_nearest_neighbours is None:
            enn = EditedNearestNeighbours(sampling_strategy=self.sampling_strategy,
                                          n_neighbors=self.n_neighbors, kind_sel="mode", n_jobs=self.n_jobs)
            enn_targeted = _targeted_codes(plan)
        else:
            enn = clone(self.edited_nearest_neighbours)
            enn._validate_params()
            enn._check_params(X.shape[1])
            labels = [c.label for c in plan.classes]
            enn_plan = make_plan(enn.sampling_strategy, labels, [c.n_before for c in plan.classes],
                                 "clean-sampling", y=np.asarray(labels, dtype=object)[codes])
            enn_targeted = _targeted_codes(enn_plan)
        self.edited_nearest_neighbours_ = enn
        removed = ~enn._keep_mask(X, codes, enn_targeted)

        nn = resolve_neighbors(self.n_neighbors, name="n_neighbors")
        k = nn.k
        self.nn_ = (KNeighborsClassifier(n_neighbors=k, n_jobs=self.n_jobs)
                    if nn.exact or isinstance(nn.estimator, NearestNeighbors)
                    else clone(self.n_neighbors))
        counts = np.bincount(codes, minlength=n_classes)
        minority = first_minority(codes, n_classes)
        targeted = set(_targeted_codes(plan))
        clean = [c for c in range(n_classes)
                 if c in targeted and counts[c] > counts[minority] * self.threshold_cleaning]
        self.classes_to_clean_ = [plan.classes[c].label for c in clean]
        rows = np.flatnonzero(codes == minority)
        nn = neighbors_of(X, k, rows, estimator=nn.estimator, n_jobs=self.n_jobs)[:, :k]
        # The classifier's k nearest rows of a training row include the row itself.
        votes = np.concatenate([codes[rows][:, None], codes[nn[:, : k - 1]]], axis=1)
        wrong = mode_codes(votes, n_classes) != minority
        around = np.unique(nn[wrong])
        removed[around[np.isin(codes[around], clean)]] = True
        return Resampled(np.flatnonzero(~removed))


@Substitution(n_jobs=_n_jobs_docstring, **_FITTED_ATTRIBUTES)
class OneSidedSelection(BaseCleaningSampler):
    """Kubat and Matwin's one-sided selection.

    For each cleaned class: draw ``n_seeds_S`` of its rows at random (with
    replacement, as imbalanced-learn), classify its other rows by their
    ``n_neighbors`` nearest among the minority rows and the drawn ones, keep
    the drawn rows and the misclassified ones; then remove the cleaned
    classes' members of Tomek links among the kept rows.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
    random_state : int, RandomState, Generator or None, default=None
    n_neighbors : int or object, default=None
        Neighbours of the classifier (None: 1); an object's ``n_neighbors`` is
        used as the classifier's.
    n_seeds_S : int, default=1
    {n_jobs}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        Kept input rows: per class in sorted class order, the drawn rows first,
        then the misclassified rows in input order (as imbalanced-learn).
    estimators_ : list of KNeighborsClassifier
        One fitted classifier per cleaned class, fitted on the class labels, or
        on class positions (0, 1, ... in sorted label order) for
        labels scikit-learn cannot take (time-zone-aware timestamps, periods...).
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    The random draws use smotekit's per-class streams, so a given
    ``random_state`` selects different rows than imbalanced-learn does; the
    procedure is the same. Nearest-neighbour ties go to the lower row.

    References
    ----------
    .. [1] Kubat, M. & Matwin, S. (1997). Addressing the curse of imbalanced training sets:
       one-sided selection. Proceedings of the 14th International Conference on Machine Learning
       (ICML 1997), 179-186.
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "random_state": RANDOM_STATE,
        "n_neighbors": [*NEIGHBORS, None],
        "n_seeds_S": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": N_JOBS,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=None, n_seeds_S=1,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_jobs", "n_seeds_S")

    def _fit_resample(self, X, codes, plan, seed):
        # The object is a classifier voting with its own n_neighbors: nothing to subtract.
        k = 1 if self.n_neighbors is None else resolve_neighbors(
            self.n_neighbors, name="n_neighbors", counts_self=False).k
        n_classes = len(plan.classes)
        minority = np.flatnonzero(codes == first_minority(codes, n_classes))
        targeted = _targeted_codes(plan)
        labels = [c.label for c in plan.classes]
        self.estimators_ = []
        kept = []
        for code in range(n_classes):
            rows = np.flatnonzero(codes == code)
            if code not in targeted:
                kept.append(rows)
                continue
            pick = stream(seed, code).integers(0, rows.size, size=self.n_seeds_S)
            train = np.concatenate([minority, rows[pick]])
            check_object_fits(self.n_neighbors, train.size, name="n_neighbors", counts_self=False,
                              where=f"the classifier of class {plan.classes[code].label!r} "
                                    f"(fitted on the minority class plus n_seeds_S={self.n_seeds_S})",
                              hint=", or raise n_seeds_S")
            if train.size < k:
                raise ValueError(
                    f"n_neighbors={k} exceeds the {train.size} rows the classifier of class "
                    f"{plan.classes[code].label!r} is fitted on (minority plus n_seeds_S); lower it."
                )
            rest = np.delete(rows, pick)
            self.estimators_.append(KNeighborsClassifier(n_neighbors=k, n_jobs=self.n_jobs)
                                    .fit(X[train], estimator_targets(labels, codes[train])))
            if rest.size:
                nn = kneighbors(X[train], k, query=X[rest], n_jobs=self.n_jobs)
                wrong = mode_codes(codes[train][nn], n_classes) != code
                rest = rest[wrong]
            kept.append(np.concatenate([rows[pick], rest]))
        under = np.concatenate(kept)
        sub_codes = codes[under]
        member = tomek_members(X[under], sub_codes, n_jobs=self.n_jobs)
        return Resampled(under[~(member & np.isin(sub_codes, targeted))])
