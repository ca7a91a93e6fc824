"""ADASYN: He, Bai, Garcia & Li (2008), IEEE IJCNN, 1322-1328."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import clone

from .._constraints import NEIGHBORS, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments
from .._random import stream
from ..base import PartitionedSupport
from ..neighbors import kneighbors
from ..neighbors._resolve import resolve_neighbors
from ..neighbors._search import drop_self
from ..neighbors._sizes import check_object_fits
from .base import BaseOverSampler

__all__ = ["ADASYN", "apportion"]


def apportion(weights, total: int, rng: np.random.Generator) -> np.ndarray:
    """Split ``total`` into non-negative integers proportional to ``weights``,
    summing to ``total`` exactly (largest-remainder, or Hamilton, method).

    Every entry receives the floor of its exact quota ``total * w / sum(w)``;
    the units still missing go one each to the largest remainders. Equal
    remainders are ordered at random with ``rng`` rather than by position, so
    that no row is favoured for where it sits in the input. Integer weights are
    apportioned in exact integer arithmetic; each entry then receives the floor
    or the ceiling of its quota.

    Parameters
    ----------
    weights : array-like of shape (n,)
        Non-negative weights, not all zero.
    total : int
        The number to split.
    rng : numpy.random.Generator
        Source of the tie-breaking order.

    Returns
    -------
    counts : ndarray of int64, shape (n,)
    """
    w = np.asarray(weights)
    n = w.size
    if np.issubdtype(w.dtype, np.integer):
        w = w.astype(np.int64)
        scaled = w * total
        whole = w.sum()
        floors, remainders = scaled // whole, scaled % whole
    else:
        quota = total * (w.astype(np.float64) / w.sum())
        floors = np.floor(quota).astype(np.int64)
        remainders = quota - floors
    order = rng.permutation(n)
    ranked = order[np.argsort(-remainders[order], kind="stable")]
    missing = int(total - floors.sum())
    counts = floors
    if missing >= 0:
        counts[ranked[:missing]] += 1
    else:  # float quotas rounded up past an integer: take back from the smallest remainders
        positive = ranked[counts[ranked] > 0]
        counts[positive[missing:]] -= 1
    return counts


@Substitution(**_FITTED_ATTRIBUTES)
class ADASYN(BaseOverSampler):
    """Adaptive Synthetic sampling.

    Like SMOTE, every new sample lies on the segment between a sample of the
    class and one of its ``n_neighbors`` nearest neighbours of the same class,
    at a uniform random position. Unlike SMOTE, the number of new samples grown
    from each sample is proportional to its difficulty ``r_i``: the share of
    other-class rows among its ``n_neighbors`` nearest neighbours in the whole
    data set (one class against the rest, for every class to over-sample).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    n_neighbors : int or object, default=5
        Number of neighbours used both to measure ``r_i`` (among all rows) and
        to interpolate (among the rows of the class), or an object with
        ``fit``/``kneighbors`` (e.g. ``NearestNeighbors(n_neighbors=6)``; its
        ``n_neighbors`` counts the sample itself, as in imbalanced-learn).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    nn_ : object
        The neighbours object: the one given, or a ``NearestNeighbors`` with
        ``n_neighbors + 1`` neighbours standing for the exact search used
        (imbalanced-learn's attribute).
    difficulty_ : dict
        Per over-sampled class label, ``r_i`` of each of its rows (in input order).
    n_generated_per_sample_ : dict
        Per over-sampled class label, the number of new samples grown from each
        of its rows (in input order); sums to the class's planned addition.
    sample_rows_ : dict
        Per over-sampled class label, the input positions of its rows, aligned
        with ``difficulty_`` and ``n_generated_per_sample_``.
    uniform_fallback_ : list
        Labels of the classes for which no row had a neighbour of another
        class, and which were over-sampled uniformly instead (see Notes).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Rounding. The paper rounds each sample's share ``G * r_i / sum(r)`` on its
    own, and so does imbalanced-learn (``np.rint`` per sample), so the class
    can miss its planned size. The misses do not average out: ``r_i`` takes
    only ``n_neighbors + 1`` values, and every sample with the same ``r_i``
    has the same rounding error. On the classic 1:100 problem
    (``make_classification(n_samples=10_000, n_features=2, n_redundant=0,
    n_clusters_per_class=1, weights=[0.99], flip_y=0, random_state=1)``, 9,800
    to generate) the 66 samples with a non-zero ``r_i`` all round down, by
    0.004 to 0.021 each, 1.003 in total: imbalanced-learn returns 9,899
    minority rows instead of 9,900 (other data sets overshoot). Here the shares
    are apportioned by the largest-remainder method (:func:`apportion`): each
    sample gets the floor or the ceiling of its exact share, so its count
    differs from imbalanced-learn's by at most one, the class reaches its
    planned size exactly, and equal remainders are broken at random with the
    class's stream.

    Perfect separation. When no row of a class has a neighbour of another class
    every ``r_i`` is 0 and the paper's normalisation divides by zero;
    imbalanced-learn raises ``RuntimeError``. Here the class is over-sampled
    with equal shares for all of its rows (SMOTE's allocation, apportioned as
    above), with a ``UserWarning`` naming the class.

    Neighbours. A sample is never its own neighbour, even when duplicated
    (imbalanced-learn drops the first of the tied rows returned instead). The
    partner of each new sample is drawn uniformly among the seed's
    ``n_neighbors`` nearest rows of its class, as in imbalanced-learn.

    References
    ----------
    .. [1] He, H., Bai, Y., Garcia, E. A. & Li, S. (2008). ADASYN: adaptive synthetic sampling
       approach for imbalanced learning. IEEE International Joint Conference on Neural Networks
       (IJCNN 2008), 1322-1328.
    """

    _parameter_constraints: dict = {**BaseOverSampler._parameter_constraints, "n_neighbors": NEIGHBORS}
    # Difficulty counts the n_neighbors nearest rows of any class.
    _partitioned = PartitionedSupport("kernel", neighbours=("n_neighbors",), row_attributes=("sample_rows_",))

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors")

    def _n_neighbors(self) -> int:
        return resolve_neighbors(self.n_neighbors, name="n_neighbors").k

    def _neighbors_in_all(self, X, rows, k, label):
        """The ``k`` nearest rows of all ``X`` to each row of ``rows``, itself excluded."""
        check_object_fits(self.n_neighbors, X.shape[0], name="n_neighbors",
                          where=f"the data (class {label!r} is weighted by its neighbours "
                                "among the rows of every class)")
        if X.shape[0] < k + 1:
            raise ValueError(
                f"n_neighbors={k} needs at least {k + 1} rows in X, got {X.shape[0]} "
                f"(while over-sampling class {label!r}); lower n_neighbors."
            )
        nn = resolve_neighbors(self.n_neighbors, name="n_neighbors")
        if nn.exact:
            return kneighbors(X, k, query_rows=rows)
        est = clone(nn.estimator).fit(X)
        idx = np.asarray(est.kneighbors(X[rows], return_distance=False), dtype=np.int64)
        # In the object's own order (imbalanced-learn's), the row itself left out.
        return drop_self(idx, rows, k)[0]

    def _fit_resample(self, X, codes, plan, seed):
        k = self._n_neighbors()
        self.nn_ = resolve_neighbors(self.n_neighbors, name="n_neighbors").as_estimator()
        self.difficulty_, self.n_generated_per_sample_, self.sample_rows_ = {}, {}, {}
        self.uniform_fallback_ = []
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            Xc = X[rows]
            nn_local = self._neighbors_within(Xc, self.n_neighbors, "n_neighbors",
                                              cls.label, rows.size)
            others = np.count_nonzero(codes[self._neighbors_in_all(X, rows, k, cls.label)] != code,
                                      axis=1)
            rng = stream(seed, code)
            if others.any():
                weights = others
            else:
                warnings.warn(
                    f"ADASYN: no row of class {cls.label!r} has a neighbour of another class among "
                    f"its n_neighbors={k} nearest, so ADASYN's weights are all zero (the class is "
                    f"perfectly separated at this scale). Its {cls.n_add} new samples were spread "
                    "evenly over all of its rows instead (SMOTE's allocation).",
                    UserWarning, stacklevel=3,
                )
                self.uniform_fallback_.append(cls.label)
                weights = np.ones(rows.size, dtype=np.int64)
            per_row = apportion(weights, cls.n_add, rng)
            self.difficulty_[cls.label] = others / k
            self.n_generated_per_sample_[cls.label] = per_row
            self.sample_rows_[cls.label] = rows
            seeds = np.repeat(np.arange(rows.size, dtype=np.int64), per_row)
            partners = nn_local[seeds, rng.integers(0, nn_local.shape[1], size=seeds.size)]
            gaps = rng.random(seeds.size)
            pieces.append(Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
