"""SMOTE-IPF: Sáez, Luengo, Stefanowski & Herrera (2015), Information Sciences 291, 184-203."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import N_JOBS, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Resampled
from ..over_sampling import SMOTE
from ..under_sampling._rules import partition_filter_keep
from ..under_sampling.base import BaseCleaningSampler
from ._base import BaseCombineSampler

__all__ = ["SMOTEIPF"]

_FILTER_CONSTRAINTS = {
    "n_folds": [Interval(Integral, 2, None, closed="left")],
    "voting": [StrOptions({"majority", "consensus"})],
    "n_iterations": [Interval(Integral, 1, None, closed="left")],
    # p > 0: a round removing no row must count as quiet, or the filter never stops.
    "p": [Interval(Real, 0, 1, closed="right")],
    "n_jobs": N_JOBS,
}


@Substitution(**_FITTED_ATTRIBUTES)
class SMOTEIPF(BaseCombineSampler):
    """Over-sample with SMOTE, then remove noise with the Iterative-Partitioning Filter.

    SMOTE first balances the classes; the filter then cleans the whole
    over-sampled set, input and synthetic rows of every class alike. Each
    round splits the rows left into ``n_folds`` parts (stratified by class),
    grows a decision tree on each part and lets every tree classify every
    row; a row that its own part's tree and a majority of the trees
    (``voting='majority'``), or all of them ('consensus'), misclassify is
    removed. Rounds go on until ``n_iterations`` rounds in a row each remove
    fewer than ``p`` times the size of the over-sampled set. What goes is
    what the trees cannot fit: mislabelled rows, rows deep in the other
    class's region, and the synthetic rows SMOTE drew between them, which
    is where SMOTE alone makes matters worse. Use it on noisy data with
    overlapping classes, where SMOTE's segments cross the other class.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Passed to the default SMOTE (ignored when ``smote`` is given).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the default SMOTE and of the filter's part splits and trees.
    smote : smotekit over-sampler, default=None
        None: ``SMOTE(sampling_strategy=sampling_strategy, random_state=random_state)``
        (the paper's SMOTE with k=5).
    n_folds : int, default=5
        Parts per round, one tree each (the paper's n).
    voting : {{'majority', 'consensus'}}, default='majority'
        Trees that must misclassify a row (its own part's tree among them)
        for it to be removed: more than half, or all (the paper uses 'majority').
    n_iterations : int, default=3
        Consecutive quiet rounds that stop the filter (the paper's k).
    p : float in (0, 1], default=0.01
        A round is quiet when it removes fewer than ``p`` times the number of
        rows of the over-sampled set (the paper's p = 1 %).
    n_jobs : int, default=None
        Threads growing a round's trees; results do not depend on it.

    Attributes
    ----------
    smote_ : over-sampler
        The fitted over-sampling step.
    ipf_ : object
        The fitted filter: ``ipf_.sample_indices_`` are the survivors among
        the over-sampled rows, ``ipf_.removed_per_iteration_`` the rows each
        round removed.
    provenance_ : Provenance
        For every output row: the input row it is, or, for a surviving synthetic
        row, its SMOTE parents and gap, as positions in the original input.
    {sampling_strategy_}
    {sampling_plan_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Output order: the surviving input rows in input order, then the surviving
    synthetic rows in SMOTE's order. Class sizes are decided by the filter
    (the classes end near, not at, the plan's targets). Several classes: SMOTE
    over-samples each class the plan names; the trees classify all classes at
    once, and a row of any class may be removed.

    The trees are scikit-learn's ``DecisionTreeClassifier(criterion='entropy',
    min_samples_leaf=2)``, the stand-in for the paper's C4.5 (Weka's J48 with
    its two rows per leaf); C4.5's pruning has no counterpart, so these
    trees may err less on the rows of their own part, and remove fewer rows,
    than C4.5 would. A row must be misclassified by its own part's tree too,
    as in Khoshgoftaar & Rebours' filter and in the SMOTE-IPF authors' KEEL
    implementation: a tree grown to pure leaves would never do that, hence
    the leaves of two rows. The quiet-round threshold is counted on the size
    of the set given to the filter, not on the rows left; the rows removed in
    the quiet rounds go too. Khoshgoftaar & Rebours' option of also setting
    aside a share of the well-classified rows each round is not offered
    (SMOTE-IPF does not use it).

    smote-variants' ``SMOTE_IPF`` differs: 9 folds, Gini trees grown to pure
    leaves, each tree grown on the other eight folds (rather than on its own
    part) with no condition on the row's own tree, and the quiet threshold
    counted on the rows left. Each row is then in the training set of eight
    of the nine trees, which classify it correctly, so on continuous data it
    removes no row and returns SMOTE's output. With labels 0 and 1, its
    'consensus' removes only rows labelled 0.

    Randomness: the default SMOTE draws from ``random_state``; the filter's
    splits and trees from streams of the same seed kept apart from SMOTE's, so
    the same ``random_state`` gives the same output for any ``n_jobs``. Not
    run on Dask collections: the filter votes over all rows at once.

    References
    ----------
    .. [1] Sáez, J. A., Luengo, J., Stefanowski, J. & Herrera, F. (2015). SMOTE-IPF: addressing the
       noisy and borderline examples problem in imbalanced classification by a re-sampling method
       with filtering. Information Sciences, 291, 184-203.
    .. [2] Khoshgoftaar, T. M. & Rebours, P. (2007). Improving software quality prediction by noise
       filtering techniques. Journal of Computer Science and Technology, 22(3), 387-396.
    """

    _cleaner_attr = "ipf_"
    # The filter's votes need every row in one process: no backend runs it.
    _partitioned = None

    _parameter_constraints: dict = {
        **BaseCombineSampler._parameter_constraints,
        **_FILTER_CONSTRAINTS,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, n_folds=5, voting="majority",
                 n_iterations=3, p=0.01, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.n_folds = n_folds
        self.voting = voting
        self.n_iterations = n_iterations
        self.p = p
        self.n_jobs = n_jobs

    def _check_params(self, n_features):
        refuse_bools(self, "n_folds", "n_iterations", "p", "n_jobs")

    def _validate_estimator(self):
        """Set the unfitted steps ``smote_`` and ``ipf_`` (the filter has no parameter of its own)."""
        if self.smote is None:
            self.smote_ = SMOTE(sampling_strategy=self.sampling_strategy, random_state=self.random_state)
        else:
            self.smote_ = clone(self.smote)
        self.ipf_ = _PartitionFilter(n_folds=self.n_folds, voting=self.voting, n_iterations=self.n_iterations,
                                     p=self.p, n_jobs=self.n_jobs)


class _PartitionFilter(BaseCleaningSampler):
    """SMOTEIPF's cleaning step: :func:`~smotekit.under_sampling._rules.partition_filter_keep`
    over every class, drawing from the hybrid's seed."""

    _parameter_constraints: dict = {**BaseCleaningSampler._parameter_constraints, **_FILTER_CONSTRAINTS}

    def __init__(self, *, sampling_strategy="all", n_folds=5, voting="majority", n_iterations=3, p=0.01,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_folds = n_folds
        self.voting = voting
        self.n_iterations = n_iterations
        self.p = p
        self.n_jobs = n_jobs

    def _fit_resample(self, X, codes, plan, seed):
        keep, self.removed_per_iteration_ = partition_filter_keep(
            X, codes, seed, n_folds=self.n_folds, voting=self.voting, n_iterations=self.n_iterations, p=self.p,
            n_jobs=self.n_jobs)
        return Resampled(np.flatnonzero(keep))
