"""CURE-SMOTE: Ma & Fan (2017), BMC Bioinformatics 18, 169."""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Values
from .._random import stream
from ..neighbors import kneighbors
from ._geometric import from_working_scale, to_working_scale
from .base import BaseOverSampler

__all__ = ["CURESMOTE", "cure_clusters"]

# Rows clustered agglomeratively (a random sample of a larger class, as in CURE itself): the
# merge loop holds one float64 matrix of this size squared (32 MB) and runs in about a second.
_CURE_ROWS = 2000
# CURE merges down to n_clusters on a sample of at least 3 * n_clusters rows: a cap on its square matrix.
_MAX_CLUSTERS = 1000


def _sq_dist(A, B):
    """Squared Euclidean distances between the rows of ``A`` and ``B`` (never negative)."""
    d = (A * A).sum(1)[:, None] - 2.0 * (A @ B.T) + (B * B).sum(1)[None, :]
    return np.maximum(d, 0.0, out=d)


def _scattered(points, mean, c):
    """Up to ``c`` well-scattered rows of ``points``: the farthest from ``mean``, then
    repeatedly the farthest from those already chosen (CURE's choice)."""
    if points.shape[0] <= c:
        return points
    chosen = [int(np.argmax(((points - mean) ** 2).sum(1)))]
    gap = ((points - points[chosen[0]]) ** 2).sum(1)
    for _ in range(c - 1):
        chosen.append(int(np.argmax(gap)))
        gap = np.minimum(gap, ((points - points[chosen[-1]]) ** 2).sum(1))
    return points[chosen]


def cure_clusters(Z, n_clusters, n_representatives, shrink_factor, noise_threshold):
    """CURE's agglomerative clustering of the rows of ``Z``, outliers removed.

    Every row starts as its own cluster; the two clusters whose representative
    points are closest merge until ``n_clusters`` remain. A cluster's
    representatives are ``n_representatives`` well-scattered members moved
    toward its mean by ``shrink_factor``. Clusters of fewer than
    ``noise_threshold`` rows are removed as outliers twice: once when the
    number of clusters first reaches a third of the rows (those that have
    grown slowest), and at the end.

    Returns
    -------
    labels : ndarray of int, shape (n_rows,)
        Cluster of each row (0, 1, ...), -1 for the outliers.
    reps : ndarray of shape (n_reps, n_features)
        The representatives of every cluster, kept or removed.
    rep_cluster : ndarray of int, shape (n_reps,)
        Their clusters (-1: an outlier cluster's).
    """
    m = Z.shape[0]
    owner = np.arange(m)  # cluster slot of each row (a slot is named by one of its first rows)
    size = np.ones(m, np.int64)
    mean = Z.copy()
    scattered = [Z[i:i + 1] for i in range(m)]  # unshrunk scattered members, per slot
    reps, rep_slot = Z.copy(), np.arange(m)
    D = _sq_dist(Z, Z)
    np.fill_diagonal(D, np.inf)
    active = np.ones(m, bool)
    nn_d, nn_j = D.min(1), D.argmin(1)
    removed_reps, removed_slots = [], []

    def drop(slots):
        keep = ~np.isin(rep_slot, slots)
        removed_reps.append(reps[~keep])
        removed_slots.append(rep_slot[~keep])
        active[slots] = False
        D[slots, :] = np.inf
        D[:, slots] = np.inf
        nn_d[slots] = np.inf
        stale = np.flatnonzero(active & np.isin(nn_j, slots))
        nn_d[stale], nn_j[stale] = D[stale].min(1), D[stale].argmin(1)
        return reps[keep], rep_slot[keep]

    pruned = False
    third = math.ceil(m / 3)
    while active.sum() > n_clusters:
        if not pruned and active.sum() <= third:
            pruned = True
            small = np.flatnonzero(active & (size < noise_threshold))
            if 0 < small.size < active.sum():  # the final step decides when none is large enough
                reps, rep_slot = drop(small)
                continue
        u = int(np.argmin(nn_d))
        v = int(nn_j[u])
        u, v = min(u, v), max(u, v)
        new_size = size[u] + size[v]
        mean[u] = (size[u] * mean[u] + size[v] * mean[v]) / new_size
        size[u], size[v] = new_size, 0
        owner[owner == v] = u
        # The merged cluster's scattered points are chosen among those of its two parts.
        scattered[u] = _scattered(np.vstack([scattered[u], scattered[v]]), mean[u], n_representatives)
        scattered[v] = None
        new_reps = scattered[u] + shrink_factor * (mean[u] - scattered[u])
        keep = (rep_slot != u) & (rep_slot != v)
        reps, rep_slot = reps[keep], rep_slot[keep]
        row = np.full(m, np.inf)
        if reps.shape[0]:
            np.minimum.at(row, rep_slot, _sq_dist(new_reps, reps).min(0))
        reps, rep_slot = np.vstack([reps, new_reps]), np.concatenate([rep_slot, np.full(len(new_reps), u)])
        active[v] = False
        D[v, :] = np.inf
        D[:, v] = np.inf
        D[u, :] = row
        D[:, u] = row
        nn_d[v] = np.inf
        nn_d[u], nn_j[u] = row.min(), row.argmin()
        stale = np.flatnonzero(active & ((nn_j == u) | (nn_j == v)))
        stale = stale[stale != u]
        nn_d[stale], nn_j[stale] = D[stale].min(1), D[stale].argmin(1)
        closer = active & (row < nn_d)
        nn_d[closer], nn_j[closer] = row[closer], u
    slots = np.flatnonzero(active)
    small = slots[size[slots] < noise_threshold]
    if small.size == slots.size:  # everything would go: keep the largest cluster (see CURESMOTE's Notes)
        small = np.delete(slots, np.argmax(size[slots]))
        warnings.warn("CURESMOTE: every cluster is smaller than noise_threshold; the largest one was kept "
                      "(lower noise_threshold to keep more).", UserWarning, stacklevel=5)
    if small.size:
        reps, rep_slot = drop(small)
    kept = np.flatnonzero(active)
    number = np.full(m, -1)
    number[kept] = np.arange(kept.size)
    labels = np.where(active[owner], number[owner], -1)
    all_reps = np.vstack([reps, *removed_reps]) if removed_reps else reps
    all_slots = np.concatenate([rep_slot, *removed_slots]) if removed_slots else rep_slot
    return labels, all_reps, np.where(active[all_slots], number[all_slots], -1)


@Substitution(**_FITTED_ATTRIBUTES)
class CURESMOTE(BaseOverSampler):
    """SMOTE within the clusters that CURE finds in the class (CURE-SMOTE).

    The class's rows, scaled to the data's range per feature, are clustered by
    CURE (Clustering Using REpresentatives): hierarchical clustering where
    each cluster is represented by a few well-scattered members shrunk toward
    its mean, which lets clusters take any shape while resisting chains of
    outliers. Small clusters (fewer than ``noise_threshold`` rows) are removed
    as noise during and after the clustering, and their rows never seed a new
    sample. Each new sample lies on the segment between a kept row of the
    class and the centre (mean) of its cluster, at a uniform random position.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    n_clusters : int, default=5
        Number of clusters CURE stops at (before the small ones are removed), at
        most 1,000. A class needs more rows than this.
    n_representatives : int, default=10
        Representative points per cluster (CURE's ``c``).
    shrink_factor : float in [0, 1], default=0.3
        How far the representatives move toward their cluster's mean (CURE's
        ``alpha``): 0 keeps members (single linkage), 1 uses the mean only
        (centroid linkage).
    noise_threshold : int, default=2
        Clusters with fewer rows are outliers: removed, with their rows.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    clusters_ : dict
        Per over-sampled class label, a list with the input positions of the
        rows of each kept cluster.
    centers_ : dict
        Per over-sampled class label, the centre of each kept cluster
        (rows aligned with ``clusters_``).
    outliers_ : dict
        Per over-sampled class label, the input positions of the rows removed as noise.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Region. A new row lies on the segment between its source row (its
    provenance's ``source``) and the centre of the source's cluster
    (``centers_``), so inside the convex hull of the cluster and within the
    class's bounding box. The centre is not an input row: the provenance has
    ``partner = -1`` and ``gap = NaN``.

    Choices where the paper leaves room. Ma & Fan interpolate between a
    cluster's centre and its representative points. Here every kept row is an
    end of a segment, not only the ``n_representatives`` shrunk ones (a
    representative is a point of such a segment), so that each new row grows
    from an input row, and new rows are not all on a few rays. Seeds are drawn
    uniformly over the kept rows (so each cluster in proportion to its size).
    The "slowest growing" clusters removed during the clustering are taken to
    be those below ``noise_threshold`` when the clusters number a third of
    the rows, as in CURE; in small classes this also removes rows of dense
    groups that merged late (``noise_threshold=1`` keeps every row). A
    merged cluster's scattered points are chosen among the scattered points
    of its two parts, which keeps a merge cheap. When every final cluster is
    below ``noise_threshold``, the largest is kept, with a ``UserWarning``.

    Scale. A class of more than 2,000 rows is clustered on a random sample of
    2,000 of them (drawn from the class's stream), the others then join the
    cluster of their nearest representative point, as in CURE (rows nearest to
    an outlier cluster's representatives are outliers). Memory is that of the
    sample's 2,000 x 2,000 distance matrix (``3 * n_clusters`` rows when that
    is more: at most 3,000, 72 MB), whatever the class size.

    smote-variants 1.0.1 (``CURE_SMOTE``) merges by the closest pair of
    members (no representative points), removes one smallest cluster every
    ``n_clusters`` merges, and draws the cluster of a new sample uniformly
    (a cluster of 2 rows receives as many new rows as one of 200); its
    segments also join a member and its cluster's mean, but the position on
    the segment is ``w2 / (w1 + w2)`` for two uniform draws (peaked at the
    middle) where here it is uniform, as in SMOTE. It returns no new row
    when all clusters are removed as noise. On the same data the two
    therefore agree on the counts, the region and the clusters of well
    separated groups, not on the per-feature laws.

    Multiclass: each class to over-sample is clustered on its own (one
    against the rest), each from its own random stream.

    References
    ----------
    .. [1] Ma, L. & Fan, S. (2017). CURE-SMOTE algorithm and hybrid algorithm for feature selection
       and parameter optimization based on random forests. BMC Bioinformatics, 18, 169.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_clusters": [Interval(Integral, 1, _MAX_CLUSTERS, closed="both")],
        "n_representatives": [Interval(Integral, 1, None, closed="left")],
        "shrink_factor": [Interval(Real, 0, 1, closed="both")],
        "noise_threshold": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_clusters=5, n_representatives=10,
                 shrink_factor=0.3, noise_threshold=2):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_clusters = n_clusters
        self.n_representatives = n_representatives
        self.shrink_factor = shrink_factor
        self.noise_threshold = noise_threshold

    def _check_params(self, n_features):
        refuse_bools(self, "n_clusters", "n_representatives", "shrink_factor", "noise_threshold")

    def _cluster(self, Z, rng):
        """Cluster label of each row of the scaled class ``Z`` (-1: outlier)."""
        n = Z.shape[0]
        m = min(n, max(_CURE_ROWS, 3 * self.n_clusters))
        sample = np.sort(rng.choice(n, m, replace=False)) if m < n else np.arange(n)
        labels_s, reps, rep_cluster = cure_clusters(Z[sample], self.n_clusters, self.n_representatives,
                                                    self.shrink_factor, self.noise_threshold)
        if m == n:
            return labels_s
        labels = np.empty(n, np.int64)
        labels[sample] = labels_s
        rest = np.setdiff1d(np.arange(n), sample)
        labels[rest] = rep_cluster[kneighbors(reps, 1, query=Z[rest])[:, 0]]
        return labels

    def _fit_resample(self, X, codes, plan, seed):
        dtype = X.dtype
        X, e = to_working_scale(X)
        self.clusters_, self.centers_, self.outliers_ = {}, {}, {}
        low = X.min(0)
        span = X.max(0) - low
        span[span == 0] = 1.0  # a constant feature adds nothing to any distance
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            if rows.size <= self.n_clusters:
                raise ValueError(
                    f"Class {cls.label!r} has {rows.size} sample(s), but n_clusters={self.n_clusters} needs "
                    f"more than {self.n_clusters} (CURE merges the rows until that many clusters remain). "
                    f"Lower n_clusters to at most {max(rows.size - 1, 1)}, or drop or merge this class, "
                    "or over-sample it with RandomOverSampler."
                )
            rng = stream(seed, code)
            labels = self._cluster((X[rows] - low) / span, rng)
            kept = np.flatnonzero(labels >= 0)
            n_kept = int(labels.max()) + 1
            centers = np.array([X[rows[labels == j]].mean(0, dtype=np.float64) for j in range(n_kept)])
            self.clusters_[cls.label] = [rows[labels == j] for j in range(n_kept)]
            self.centers_[cls.label] = from_working_scale(centers, e, np.float64)
            self.outliers_[cls.label] = rows[labels < 0]
            seeds = kept[rng.integers(0, kept.size, size=cls.n_add)]
            gaps = rng.random(cls.n_add)[:, None]
            start = X[rows[seeds]].astype(np.float64)
            values = from_working_scale(start + gaps * (centers[labels[seeds]] - start), e, dtype)
            pieces.append(Piece.grown(rows[seeds], Values(values)))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
