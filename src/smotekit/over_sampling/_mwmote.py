"""MWMOTE: Barua, Islam, Yao & Murase (2014), IEEE TKDE 26(2), 405-425."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.utils._param_validation import Interval

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments, partners_in_groups
from .._random import stream
from ..neighbors import kneighbors
from ..neighbors._search import overflow_scale
from .base import BaseOverSampler

__all__ = ["MWMOTE"]

# Rows clustered at once by average linkage: its condensed distances and scipy's working copy
# take 8 * n**2 bytes (2.1 GB here). Larger classes are first split into groups of at most this size.
_LINKAGE_MAX_ROWS = 16_384
# Neighbour-table entries per chunk of the informative-minority search (k3 can be half the class).
_CHUNK_ENTRIES = 1 << 22


def selection_weights(X_class, X_border, k3: int, cf_th: float, cmax: float) -> np.ndarray:
    """The paper's selection weight ``S_w`` of every row of ``X_class`` (0 for rows not informative).

    Each border row ``y`` of ``X_border`` gives each of its ``k3`` nearest rows ``x`` of the class
    the information weight ``C_f(y, x)**2 / sum_q C_f(y, q)`` (closeness times density factor), with
    ``C_f(y, x) = cmax * min(1 / d_n, cf_th) / cf_th`` and ``d_n`` the distance over the number of
    features; ``S_w(x)`` sums them over the border rows.
    """
    n_features = X_class.shape[1]
    weights = np.zeros(X_class.shape[0])
    reached = np.zeros(X_class.shape[0], dtype=bool)
    step = max(1, _CHUNK_ENTRIES // k3)
    for start in range(0, X_border.shape[0], step):
        idx, dist = kneighbors(X_class, k3, query=X_border[start:start + step], return_distance=True)
        # cmax * min(1 / d_n, cf_th) / cf_th, written to be cmax at distance 0.
        with np.errstate(over="ignore"):
            closeness = cmax / np.maximum(dist * (cf_th / n_features), 1.0)
        total = closeness.sum(axis=1, keepdims=True)
        # C_f * (C_f / sum): no square that could underflow for distances near the float64 limit.
        information = closeness * np.divide(closeness, total, out=np.zeros_like(closeness), where=total > 0)
        weights += np.bincount(idx.ravel(), information.ravel(), minlength=weights.size)
        reached[idx.ravel()] = True
    if not weights.sum() > 0:
        # Every distance beyond ~1e300: the weights underflow; the informative rows count alike.
        return reached.astype(np.float64)
    return weights


def average_linkage_clusters(X_class, kept, cp: float, label):
    """Cluster labels of the rows of ``X_class`` and the threshold ``T_h``: average-linkage
    agglomeration, stopped when the two closest clusters are farther apart than ``T_h``, ``cp``
    times the mean distance of the rows ``kept`` (a mask) to their nearest kept row (to their
    nearest row when only one is kept)."""
    n = X_class.shape[0]
    # A power of two keeps the distances finite for huge values and changes no comparison.
    scale = overflow_scale(X_class, X_class[:0])
    X_class = X_class * scale if scale != 1.0 else X_class
    nearest = (kneighbors(X_class[kept], 1, return_distance=True) if kept.sum() > 1 else
               kneighbors(X_class, 1, query_rows=np.flatnonzero(kept), return_distance=True))[1]
    threshold = float(nearest.mean()) * cp
    labels = np.empty(n, dtype=np.int64)
    groups = list(_bisect(X_class, np.arange(n)))
    if len(groups) > 1:
        warnings.warn(
            f"MWMOTE: class {label!r} has {n} samples, more than the {_LINKAGE_MAX_ROWS} clustered at once "
            f"(the clustering takes 8 * n**2 bytes); it was split into {len(groups)} groups along its "
            "widest features and each group clustered on its own, so no cluster spans two groups.",
            UserWarning, stacklevel=4,
        )
    offset = 0
    for rows in groups:
        if rows.size == 1:
            labels[rows] = offset
        else:
            tree = linkage(pdist(X_class[rows]), method="average")
            labels[rows] = offset + fcluster(tree, t=threshold, criterion="distance") - 1
        offset = labels[rows].max() + 1
    with np.errstate(over="ignore"):
        return labels, threshold / scale


def _bisect(X, rows):
    """``rows`` split at the median of their widest feature until no group exceeds the cap."""
    if rows.size <= _LINKAGE_MAX_ROWS:
        yield rows
        return
    values = X[rows, np.argmax(np.ptp(X[rows], axis=0))]
    order = rows[np.argsort(values, kind="stable")]
    yield from _bisect(X, order[: rows.size // 2])
    yield from _bisect(X, order[rows.size // 2:])


@Substitution(**_FITTED_ATTRIBUTES)
class MWMOTE(BaseOverSampler):
    """Majority Weighted Minority Oversampling TEchnique.

    Rows of the class whose ``k1`` nearest rows are all of other classes are
    set aside as noise. The ``k2`` nearest other-class rows of the remaining
    ones form the border set; the ``k3`` nearest rows of the class to each
    border row form the informative set. Each informative row ``x`` gets the
    selection weight ``S_w(x)``: the sum over the border rows ``y`` that have
    it among their ``k3`` nearest of ``C_f(y, x) * D_f(y, x)``, where the
    closeness factor ``C_f`` grows with the inverse of their distance (capped
    at ``cf_th``, scaled to ``cmax``) and the density factor ``D_f`` is
    ``C_f(y, x)`` over the sum of ``C_f(y, .)`` over ``y``'s ``k3`` nearest.
    The class is clustered by average linkage, merging while the closest two
    clusters are within ``cp`` times the mean nearest-neighbour distance of
    the non-noise rows. Each new row lies on the segment between a seed drawn
    among the informative rows with probability proportional to ``S_w`` and
    another row of the seed's cluster, at a uniform random position.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    k1 : int, default=5
        ``k1`` of the paper: neighbours among all rows that decide whether a
        row of the class is noise (all of them of other classes).
    k2 : int, default=3
        ``k2`` of the paper: nearest other-class rows of each non-noise row,
        forming the border set.
    k3 : int or None, default=None
        ``k3`` of the paper: nearest rows of the class of each border row,
        forming the informative set. None takes the paper's ``|S_min| / 2``
        (half the class's rows, rounded down, at least 1).
    cf_th : float, default=5.0
        ``C_f(th)`` of the paper: the cap on the inverse normalised distance
        in the closeness factor.
    cmax : float, default=2.0
        ``CMAX`` of the paper: the largest closeness factor. The selection
        probabilities do not depend on it (every weight scales with it); it is
        kept for the paper's formula and ``selection_weights_``.
    cp : float, default=3.0
        ``C_p`` of the paper: the clustering threshold ``T_h`` is ``cp`` times
        the mean distance of the non-noise rows to their nearest non-noise row.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    selection_weights_ : dict
        Per over-sampled class label, ``S_w`` of each of its rows (0 for rows
        outside the informative set), aligned with ``sample_rows_``.
    cluster_labels_ : dict
        Per over-sampled class label, the cluster of each of its rows.
    threshold_ : dict
        Per over-sampled class label, the clustering threshold ``T_h``.
    noise_ : dict
        Per over-sampled class label, a boolean mask of the rows set aside as noise.
    sample_rows_ : dict
        Per over-sampled class label, the input positions of its rows.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Weights. As in the paper, ``C_f(y, x)`` counts only for the ``k3``
    nearest rows of the class to ``y`` and ``D_f`` normalises over them, and
    the normalised distance ``d_n`` is the Euclidean distance over the number
    of features. smote-variants 1.0.1 computes ``C_f`` between every border
    row and every informative row and normalises over all of them, and floors
    the normalised distance at 0.1.

    Clusters. The paper clusters the whole class by average linkage; so does
    this class (scipy's ``linkage``, cut at ``T_h``); the mean distance in
    ``T_h`` counts a duplicate row's distance 0. smote-variants clusters with
    k-means into ``M=10`` clusters instead, and its defaults differ
    (``k2=5``, ``k3=5``, ``cmax=10``). With the default ``k3``, the paper's,
    more rows of the class are informative than with smote-variants' ``k3=5``.

    Draws. Seeds are drawn with probability proportional to ``S_w``, as in the
    paper; the partner is another row of the seed's cluster drawn uniformly
    (the seed itself in a cluster of one, which gives copies). The position on
    the segment is uniform in [0, 1]; smote-variants' default simplex sampling
    puts its rows nearer the middle of their segments.

    Fallback. When every row of the class is noise the paper's border set is
    empty; the class is then weighted with all of its rows taken as non-noise,
    with a ``UserWarning`` naming the class. Distances near the float64 limit
    (beyond ~1e300) make every closeness factor underflow to 0; the informative
    rows are then drawn with equal probability.

    Scale. Like the paper's, the closeness factor compares distances with the
    fixed cap ``cf_th``: the weights depend on the scale of the features (the
    paper's experiments normalise them), so scaling ``X`` changes the draws.

    Region. Every new row lies on the segment between two rows of the class in
    the same cluster (``provenance_`` gives both); the seed is informative.

    Multiclass. Each class to over-sample is treated as the minority against
    the rows of every other class (one against the rest), from its own stream.

    Cost. The searches are exact ``kneighbors`` calls: the class among all
    rows (``k1``), the other classes' rows for the non-noise rows (``k2``), the
    class for the border rows (``k3``, in chunks of bounded memory, time
    ``O(|border| * |class|)`` with the default ``k3``). No matrix over the
    other classes is built. The clustering takes ``8 * n**2`` bytes for a
    class of ``n`` rows (1.8 GB at 15,000); a class of more than 16,384 rows
    is first split at the median of its widest feature until every group is
    that small, with a ``UserWarning``, and each group is clustered alone.

    References
    ----------
    .. [1] Barua, S., Islam, M. M., Yao, X. & Murase, K. (2014). MWMOTE: majority weighted minority
       oversampling technique for imbalanced data set learning. IEEE Transactions on Knowledge and
       Data Engineering, 26(2), 405-425.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k1": [Interval(Integral, 1, None, closed="left")],
        "k2": [Interval(Integral, 1, None, closed="left")],
        "k3": [Interval(Integral, 1, None, closed="left"), None],
        "cf_th": [Interval(Real, 0, None, closed="neither")],
        "cmax": [Interval(Real, 0, None, closed="neither")],
        "cp": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k1=5, k2=3, k3=None, cf_th=5.0,
                 cmax=2.0, cp=3.0):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k1 = k1
        self.k2 = k2
        self.k3 = k3
        self.cf_th = cf_th
        self.cmax = cmax
        self.cp = cp

    def _check_params(self, n_features):
        refuse_bools(self, "k1", "k2", "k3", "cf_th", "cmax", "cp")

    def _check_sizes(self, label, n_class, n_other) -> int:
        """``k3`` for this class, after refusing a class too small for the parameters."""
        fix = "; drop or merge this class, or over-sample it with RandomOverSampler."
        if n_class < 2:
            raise ValueError(f"MWMOTE: class {label!r} has {n_class} sample, but new samples lie between "
                             f"two samples of the class{fix}")
        if self.k2 > n_other:
            raise ValueError(f"MWMOTE: k2={self.k2} nearest rows of other classes were asked while "
                             f"over-sampling class {label!r}, but there are {n_other}; lower k2 to at "
                             f"most {n_other}.")
        k3 = max(1, n_class // 2) if self.k3 is None else int(self.k3)
        if k3 > n_class:
            raise ValueError(f"MWMOTE: k3={k3} nearest samples of class {label!r} were asked, but it has "
                             f"{n_class}; lower k3 to at most {n_class}, or leave it None (half the class)"
                             + fix)
        return k3

    def _fit_resample(self, X, codes, plan, seed):
        self.selection_weights_, self.cluster_labels_, self.threshold_ = {}, {}, {}
        self.noise_, self.sample_rows_ = {}, {}
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            X_other = X[codes != code]
            k3 = self._check_sizes(cls.label, rows.size, X_other.shape[0])
            Xc = X[rows]
            near = self._neighbors_among_all(X, rows, int(self.k1), "k1", cls.label)
            noise = ~(codes[near] == code).any(axis=1)
            if noise.all():
                warnings.warn(
                    f"MWMOTE: every sample of class {cls.label!r} has only other-class rows among its "
                    f"k1={self.k1} nearest (all are noise by the paper's filter), so no sample would "
                    "be informative; all of them were kept as non-noise instead.",
                    UserWarning, stacklevel=3,
                )
                noise[:] = False
            kept = Xc[~noise]
            border = np.unique(kneighbors(X_other, int(self.k2), query=kept))
            weights = selection_weights(Xc, X_other[border], k3, float(self.cf_th), float(self.cmax))
            labels, threshold = average_linkage_clusters(Xc, ~noise, float(self.cp), cls.label)
            rng = stream(seed, code)
            seeds = rng.choice(rows.size, size=cls.n_add, p=weights / weights.sum())
            partners = partners_in_groups(labels, seeds, rng)
            gaps = rng.random(seeds.size)
            self.selection_weights_[cls.label] = weights
            self.cluster_labels_[cls.label] = labels
            self.threshold_[cls.label] = threshold
            self.noise_[cls.label] = noise
            self.sample_rows_[cls.label] = rows
            pieces.append(Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
