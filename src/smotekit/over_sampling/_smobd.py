"""SMOBD: Cao & Wang (2011), ICIII 2011, vol. 2, 543-548."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.spatial import cKDTree
from sklearn.utils._param_validation import Interval

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments
from .._random import stream
from ..neighbors import kneighbors
from ._adasyn import apportion
from .base import BaseOverSampler

__all__ = ["SMOBD"]


def _finite_mean(values: np.ndarray) -> float:
    """Mean of the finite values; 0 when there is none (every value then exceeds any multiple)."""
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else 0.0


@Substitution(**_FITTED_ATTRIBUTES)
class SMOBD(BaseOverSampler):
    """Synthetic Minority Over-sampling Based on Density.

    Each row of the class is given a density factor from OPTICS' measures
    computed within the class: its core distance (the distance to its
    ``min_samples - 1``-th nearest row of the class; the sparser its
    neighbourhood, the larger) and the number of rows of the class within
    ``max_eps``. Rows whose core distance and reachability distance both exceed
    ``t`` times their class averages are noise and get no new samples; the
    others get new samples in proportion to their factor. Like SMOTE, every new
    sample lies on the segment between its row and one of the row's
    ``min_samples`` nearest rows of the class (drawn uniformly), at a uniform
    random position.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    eta1 : float in [0, 1], default=0.5
        Weight of the core-distance factor in the density factor; the
        neighbour-count factor weighs ``1 - eta1``.
    t : float, default=1.8
        Noise threshold: a row is noise when its core distance and its
        reachability distance are both above ``t`` times the class's averages.
    min_samples : int, default=5
        OPTICS' ``min_samples`` (the row itself counted): the core distance is
        the distance to the ``min_samples - 1``-th nearest other row of the
        class. Also the number of nearest rows of the class a new sample may be
        interpolated toward.
    max_eps : float, default=inf
        OPTICS' ``max_eps``: core and reachability distances above it are
        infinite, and the neighbour-count factor counts the rows of the class
        within this distance (the row itself included).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    core_distances_ : dict
        Per over-sampled class label, the core distance of each of its rows.
    reachability_ : dict
        Per over-sampled class label, the reachability distance of each of its rows (see Notes).
    noise_ : dict
        Per over-sampled class label, a boolean mask of its rows taken as noise.
    density_ : dict
        Per over-sampled class label, the density factor of each of its rows (0 for noise).
    n_generated_per_sample_ : dict
        Per over-sampled class label, the number of new samples grown from each
        of its rows; sums to the class's planned addition.
    sample_rows_ : dict
        Per over-sampled class label, the input positions of its rows, aligned
        with the arrays above.
    uniform_fallback_ : list
        Labels of the classes whose rows all had a density factor of 0 (all
        noise), and which were over-sampled uniformly instead.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Density factor. With ``cd`` the core distances (infinite ones replaced by
    1.1 times the largest finite one) and ``m`` the counts within ``max_eps``,
    each divided by its largest value in the class, the factor is
    ``eta1 * cd + (1 - eta1) * m``, set to 0 for noise rows. The class's
    planned addition is split in proportion to it by the largest-remainder
    method (each row gets the floor or the ceiling of its exact share, see
    :func:`~smotekit.over_sampling._adasyn.apportion`), so the class reaches
    its planned size exactly.

    Reachability. OPTICS' reachability distance of a row depends on the order
    in which OPTICS visits the rows (the first row of each cluster gets an
    infinite one). Here it is the smallest ``max(core distance of q, d(p, q))``
    over the ``min_samples`` nearest rows ``q`` of ``p``: the reachability ``p``
    gets from the nearest row that reaches it. It does not depend on the rows'
    order and needs only one exact ``min_samples``-nearest-neighbour search
    within the class (no quadratic OPTICS run). Core distances are OPTICS'
    exactly. Averages in the noise rule are over the finite values, and an
    infinite distance exceeds them: a row with no ``min_samples - 1`` rows
    within ``max_eps`` that no core row reaches within ``max_eps`` (an outlier
    of OPTICS) is noise whatever ``t``. smote-variants instead gives such rows
    the largest core-distance factor (1.1 times the largest finite one).

    smote-variants (``SMOBD``) runs scikit-learn's OPTICS. Its noise rule
    compares with the mean of OPTICS' reachability distances, which is always
    infinite (OPTICS' first row), so it never marks a row as noise; here the
    rule applies. It draws the seeds at random with probabilities proportional
    to the factor (here, shares apportioned as above) and draws a separate
    position for every feature, so that its new samples lie in the box spanned
    by the two rows rather than on their segment (here, one position per
    sample: SMOTE's segment, as the paper describes); the distribution of each
    feature is the same either way. Its default ``max_eps=1.0`` is in the
    data's units: on standardised data with more than a few features every
    core distance is then infinite and it returns the data unchanged; the
    default here is OPTICS' own, ``inf``. When every factor is 0 (every row
    noise), both over-sample uniformly; this class says so with a ``UserWarning``.

    Multiclass: each class with samples to add is over-sampled from its own
    rows only (no other class enters the construction), each from its own
    random stream.

    References
    ----------
    .. [1] Cao, Q. & Wang, S. (2011). Applying over-sampling technique based on data density and
       cost-sensitive SVM to imbalanced learning. 2011 International Conference on Information
       Management, Innovation Management and Industrial Engineering (ICIII), 2, 543-548.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "eta1": [Interval(Real, 0, 1, closed="both")],
        "t": [Interval(Real, 0, None, closed="left")],
        "min_samples": [Interval(Integral, 2, None, closed="left")],
        "max_eps": [Interval(Real, 0, None, closed="right")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, eta1=0.5, t=1.8, min_samples=5,
                 max_eps=np.inf):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.eta1 = eta1
        self.t = t
        self.min_samples = min_samples
        self.max_eps = max_eps

    def _check_params(self, n_features):
        refuse_bools(self, "eta1", "t", "min_samples", "max_eps")

    def _measures(self, Xc, label):
        """Neighbour table, core and reachability distances, and counts within ``max_eps``."""
        k, n = self.min_samples, Xc.shape[0]
        if n < k + 1:
            raise ValueError(
                f"Class {label!r} has {n} sample(s), but min_samples={k} needs at least {k + 1} "
                f"(each sample plus {k} neighbours of the same class). Lower min_samples to at most "
                f"{n - 1}" + (" (at least 2), " if n > 2 else " (impossible here, it must be at least 2), ")
                + "or drop or merge this class, or over-sample it with RandomOverSampler."
            )
        nn, dist = kneighbors(Xc, k, return_distance=True)
        core = dist[:, k - 2].copy()  # the (min_samples - 1)-th other row: OPTICS counts the row itself
        core[core > self.max_eps] = np.inf
        reach = np.maximum(core[nn], dist)
        reach[dist > self.max_eps] = np.inf
        reach = reach.min(axis=1)
        if np.isinf(self.max_eps):
            counts = np.full(n, n, dtype=np.int64)
        else:
            counts = np.asarray(cKDTree(Xc).query_ball_point(Xc, r=self.max_eps, return_length=True))
        return nn, core, reach, counts

    def _density(self, core, reach, counts):
        noise = (core > self.t * _finite_mean(core)) & (reach > self.t * _finite_mean(reach))
        finite = np.isfinite(core)
        cd = np.where(finite, core, 1.1 * core[finite].max() if finite.any() else 1.0)
        cd = cd / cd.max() if cd.max() > 0 else cd
        density = self.eta1 * cd + (1.0 - self.eta1) * counts / counts.max()
        density[noise] = 0.0
        return noise, density

    def _fit_resample(self, X, codes, plan, seed):
        self.core_distances_, self.reachability_, self.noise_, self.density_ = {}, {}, {}, {}
        self.n_generated_per_sample_, self.sample_rows_, self.uniform_fallback_ = {}, {}, []
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            Xc = X[rows]
            nn, core, reach, counts = self._measures(Xc, cls.label)
            noise, density = self._density(core, reach, counts)
            weights = density
            if not density.any():
                warnings.warn(
                    f"SMOBD: every row of class {cls.label!r} has a density factor of 0 (all are "
                    f"noise at t={self.t}, min_samples={self.min_samples}, max_eps={self.max_eps}). Its "
                    f"{cls.n_add} new samples were spread evenly over all of its rows instead.",
                    UserWarning, stacklevel=3,
                )
                self.uniform_fallback_.append(cls.label)
                weights = np.ones(rows.size, dtype=np.int64)
            rng = stream(seed, code)
            per_row = apportion(weights, cls.n_add, rng)
            for attr, value in ((self.core_distances_, core), (self.reachability_, reach), (self.noise_, noise),
                                (self.density_, density), (self.n_generated_per_sample_, per_row),
                                (self.sample_rows_, rows)):
                attr[cls.label] = value
            seeds = np.repeat(np.arange(rows.size, dtype=np.int64), per_row)
            partners = nn[seeds, rng.integers(0, nn.shape[1], size=seeds.size)]
            gaps = rng.random(seeds.size)
            pieces.append(Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
