"""K-Means SMOTE: Douzas, Bacao & Last (2018), Information Sciences 465, 1-20."""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from threadpoolctl import threadpool_limits

from .._constraints import N_JOBS, NEIGHBORS, is_int, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments, draw_pairs
from .._random import stream
from ..neighbors._resolve import resolve_neighbors
from ._adasyn import apportion
from .base import BaseOverSampler

__all__ = ["KMeansSMOTE"]

# imbalanced-learn's default number of clusters (MiniBatchKMeans' default).
_DEFAULT_CLUSTERS = 8
# Upper bound of the number of clusters chosen from the data: clustering costs
# rows x clusters x features per pass.
_MAX_AUTO_CLUSTERS = 128
# Rows the default clustering is fitted on; every row is then assigned to its
# nearest centre. scikit-learn 1.9's MiniBatchKMeans draws each mini-batch in
# O(n_rows), so fitting 1M rows took 35 s (measured) against 1 s for 100k.
_MAX_FIT_ROWS = 100_000
# Stream key of the clustering step (classes use keys 0 .. n_classes - 1).
_CLUSTERING_KEY = 1 << 20
# Pairwise distances computed at once when measuring a cluster's sparsity.
_DISTANCE_BLOCK_ELEMENTS = 1 << 22


def _mean_pairwise_distance(Xc) -> float:
    """Mean Euclidean distance over ordered pairs of distinct rows, in blocks
    (imbalanced-learn builds the full square matrix)."""
    m = Xc.shape[0]
    block = max(1, _DISTANCE_BLOCK_ELEMENTS // m)
    total = 0.0
    for start in range(0, m, block):
        stop = min(m, start + block)
        d = euclidean_distances(Xc[start:stop], Xc)
        # The expanded product leaves rounding noise on the diagonal; it is exactly 0.
        d[np.arange(stop - start), np.arange(start, stop)] = 0.0
        total += float(d.sum())
    return total / (m * m - m)


@Substitution(**_FITTED_ATTRIBUTES)
class KMeansSMOTE(BaseOverSampler):
    """SMOTE applied within the clusters where the class is dense enough.

    The whole data set is clustered with k-means; for each class to
    over-sample, the clusters in which its share reaches
    ``cluster_balance_threshold`` and which hold more than ``k_neighbors`` of
    its rows are kept; its new samples are shared among them in proportion to
    their sparsity (sparser clusters get more); within each, SMOTE interpolates
    between a row of the class and one of its ``k_neighbors`` nearest rows of
    the class in the same cluster.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call. It also seeds the default clustering.
    k_neighbors : int or object, default=2
        Number of same-class, same-cluster neighbours to interpolate toward, or
        an object with ``fit``/``kneighbors`` whose ``n_neighbors`` counts the
        sample itself (imbalanced-learn's convention).
    n_jobs : int or None, default=None
        Accepted for compatibility with imbalanced-learn; the result never
        depends on it (neighbour searches use every core).
    kmeans_estimator : int or object, default=None
        The clustering: an object with ``fit`` and ``predict`` (cloned, e.g.
        ``KMeans(n_clusters=20, random_state=0)``), an int (a
        ``MiniBatchKMeans`` with that many clusters), or None (a
        ``MiniBatchKMeans`` whose number of clusters is chosen from the data,
        see Notes).
    cluster_balance_threshold : float or 'auto', default='auto'
        Smallest share of the class in a cluster for the cluster to be used.
        'auto': half the class's share of all samples to generate
        (``n_add(class) / n_add(all classes) / 2``; 0.5 for a binary problem),
        as in imbalanced-learn. Ignored when there is a single cluster.
    density_exponent : float or 'auto', default='auto'
        Exponent of the mean distance in a cluster's sparsity
        ``mean_distance ** exponent / n_rows_of_class``. 'auto':
        ``0.16 * log_1.6(n_rows_of_class) ** 1.8``, as in imbalanced-learn.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    kmeans_estimator_ : object
        The fitted clustering estimator (None, like ``cluster_labels_`` and
        ``n_clusters_``, when no class needed new samples).
    nn_k_ : object
        The neighbours object, or a ``NearestNeighbors`` with ``k_neighbors + 1``
        neighbours standing for the exact search used (imbalanced-learn's attribute).
    cluster_balance_threshold_ : float or 'auto'
        The threshold in force (-inf with a single cluster), as in imbalanced-learn.
    cluster_labels_ : ndarray of shape (n_samples,)
        The cluster of every input row.
    n_clusters_ : int
        The number of clusters asked of the clustering.
    valid_clusters_ : dict
        Per over-sampled class label, the ids of the clusters kept for it.
    cluster_weights_ : dict
        Per over-sampled class label, the normalised sparsity of each kept cluster.
    n_generated_per_cluster_ : dict
        Per over-sampled class label, the new samples generated in each kept
        cluster; sums to the class's planned addition.
    smote_fallback_ : list
        Labels of the classes for which no cluster qualified and which were
        over-sampled with plain SMOTE over the whole class (see Notes).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Choice of the number of clusters. With ``kmeans_estimator=None``
    imbalanced-learn clusters into 8 clusters; with a 1 % minority no cluster
    then reaches the 'auto' threshold of 0.5 and it raises "No clusters found
    with sufficient samples". Here the number of clusters is
    ``n_rows // n_smallest`` (``n_smallest``: the smallest class to
    over-sample), so that an average cluster is no larger than that class and
    a cluster made mostly of it can exist; clipped to [8, 128] (imbalanced-learn's
    8 whenever the classes are within 1:7) and to at most ``n_rows``. On more
    than 100,000 rows its centres are fitted on 100,000 rows drawn at random,
    then every row is assigned to its nearest centre: scikit-learn's
    MiniBatchKMeans spends time proportional to all rows on drawing each
    mini-batch, which made fitting 1M rows take 35 s instead of 1 s. The default
    clustering runs on one thread, so it does not depend on the machine.

    Fallback. When no cluster qualifies for a class (e.g. a minority spread
    thinly among many noise features), that class is over-sampled with plain
    SMOTE over all of its rows (``k_neighbors`` neighbours), with a
    ``UserWarning`` naming the class; imbalanced-learn raises ``RuntimeError``.

    Exact counts. imbalanced-learn gives each kept cluster the ceiling of its
    share, so it may generate more samples than planned (its issue 1186). Here
    the shares are apportioned by the largest-remainder method, so every class
    reaches its planned size exactly.

    Differences from the paper and imbalanced-learn: the paper's filter is an
    imbalance-ratio threshold and its density exponent defaults to the number
    of features; imbalanced-learn's 'auto' rules (above) are followed instead.
    The clusters are computed once per call, not once per class. With an int
    ``random_state``, the default clustering is seeded with it as in
    imbalanced-learn (so a fixed number of clusters gives its clusters).

    References
    ----------
    .. [1] Douzas, G., Bacao, F. & Last, F. (2018). Improving imbalanced learning through a
       heuristic oversampling method based on k-means and SMOTE. Information Sciences, 465,
       1-20.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS,
        "n_jobs": N_JOBS,
        "kmeans_estimator": [HasMethods(["fit", "predict"]), Interval(Integral, 1, None, closed="left"),
                             None],
        "cluster_balance_threshold": [StrOptions({"auto"}), Real],
        "density_exponent": [StrOptions({"auto"}), Real],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=2,
                 n_jobs=None, kmeans_estimator=None, cluster_balance_threshold="auto",
                 density_exponent="auto"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors", "kmeans_estimator", "cluster_balance_threshold",
                     "density_exponent", "n_jobs")
        for name in ("cluster_balance_threshold", "density_exponent"):
            value = getattr(self, name)
            # The Real constraint lets NaN through; no threshold or exponent means it.
            if not isinstance(value, str) and math.isnan(value):
                raise ValueError(f"{name} must be 'auto' or a real number, got {value!r}.")

    def _neighbors_needed(self) -> int:
        """Rows of the class a cluster needs (the sample plus its neighbours)."""
        return max(2, resolve_neighbors(self.k_neighbors, name="k_neighbors").k + 1)

    def _clustering(self, X, plan, seed):
        km = self.kmeans_estimator
        if km is not None and not is_int(km):
            est = clone(km)
        else:
            rs = self.random_state
            if not is_int(rs):
                rs = int(stream(seed, _CLUSTERING_KEY).integers(0, 2**31 - 1))
            n_rows = X.shape[0]
            if km is None:
                smallest = min(c.n_before for c in plan.classes if c.n_add > 0)
                km = min(max(_DEFAULT_CLUSTERS, min(n_rows // smallest, _MAX_AUTO_CLUSTERS)), n_rows)
            est = MiniBatchKMeans(n_clusters=int(km), random_state=rs)
            # One thread: on a shared machine OpenMP's spinning on tiny mini-batches
            # made the fit 30x slower (measured), and the clusters then cannot
            # depend on the number of cores.
            with threadpool_limits(limits=1):
                if self.kmeans_estimator is None and X.shape[0] > _MAX_FIT_ROWS:
                    fit_rows = stream(seed, _CLUSTERING_KEY, 1).choice(X.shape[0], _MAX_FIT_ROWS, replace=False)
                    return est, est.fit(X[np.sort(fit_rows)]).predict(X)
                return est, est.fit_predict(X)
        labels = np.asarray(est.fit_predict(X) if hasattr(est, "fit_predict") else est.fit(X).predict(X))
        return est, labels

    def _fit_resample(self, X, codes, plan, seed):
        self.nn_k_ = resolve_neighbors(self.k_neighbors, name="k_neighbors").as_estimator()
        self.valid_clusters_, self.cluster_weights_, self.n_generated_per_cluster_ = {}, {}, {}
        self.smote_fallback_ = []
        kept = range(X.shape[0])
        total_add = sum(c.n_add for c in plan.classes)
        if total_add == 0:  # nothing to generate: no clustering either
            self.kmeans_estimator_ = self.cluster_labels_ = self.n_clusters_ = None
            self.cluster_balance_threshold_ = self.cluster_balance_threshold
            return Resampled.from_pieces(kept, [])
        est, labels = self._clustering(X, plan, seed)
        self.kmeans_estimator_, self.cluster_labels_ = est, labels
        self.n_clusters_ = int(getattr(est, "n_clusters", np.unique(labels).size))
        single = self.n_clusters_ == 1
        self.cluster_balance_threshold_ = -np.inf if single else self.cluster_balance_threshold
        cluster_ids, cluster_of_row = np.unique(labels, return_inverse=True)
        cluster_sizes = np.bincount(cluster_of_row, minlength=cluster_ids.size)
        need = self._neighbors_needed()
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            in_cluster = np.bincount(cluster_of_row[rows], minlength=cluster_ids.size)
            if single:
                threshold = -np.inf
            elif self.cluster_balance_threshold == "auto":
                threshold = cls.n_add / total_add / 2
            else:
                threshold = float(self.cluster_balance_threshold)
            share = in_cluster / np.maximum(cluster_sizes, 1)
            valid = np.flatnonzero((cluster_sizes > 0) & (share >= threshold) & (in_cluster >= need))
            if valid.size == 0:
                pieces.append(self._smote_fallback(X, rows, cls, threshold, need, seed, code))
                continue
            members = [rows[cluster_of_row[rows] == c] for c in valid]
            weights = self._cluster_weights([X[m] for m in members])
            counts = apportion(weights, cls.n_add, stream(seed, code))
            self.valid_clusters_[cls.label] = cluster_ids[valid]
            self.cluster_weights_[cls.label] = weights
            self.n_generated_per_cluster_[cls.label] = counts
            for j, (m, n_new) in enumerate(zip(members, counts)):
                if n_new == 0:
                    continue
                Xm = X[m]
                nn = self._neighbors_within(Xm, self.k_neighbors, "k_neighbors", cls.label, m.size)
                # One cluster holds the whole class: draw from SMOTE's stream, so that
                # KMeansSMOTE with one cluster is exactly SMOTE with the same seed.
                key = (code,) if single else (code, 1, j)
                seeds, partners, gaps = draw_pairs(nn, int(n_new), seed, key)
                pieces.append(Piece(m[seeds], Segments(Xm, seeds, partners, gaps), m[partners], gaps))
        return Resampled.from_pieces(kept, pieces)

    def _cluster_weights(self, blocks) -> np.ndarray:
        """Normalised sparsity ``mean_distance ** exponent / n`` of each cluster's
        rows of the class, computed in log space so that large exponents neither
        overflow nor underflow."""
        log_sparsity = np.empty(len(blocks))
        for j, Xm in enumerate(blocks):
            n = Xm.shape[0]
            exponent = (0.16 * math.log(n, 1.6) ** 1.8 if self.density_exponent == "auto"
                        else float(self.density_exponent))
            mean = _mean_pairwise_distance(Xm)
            if exponent == 0:
                log_sparsity[j] = -math.log(n)
            else:
                # A cluster of one repeated point has no spread to fill: weight 0.
                log_sparsity[j] = exponent * math.log(mean) - math.log(n) if mean > 0 else -np.inf
        if not np.isfinite(log_sparsity).any():
            # Every cluster is a single repeated point: nothing tells them apart.
            return np.full(len(blocks), 1.0 / len(blocks))
        w = np.exp(log_sparsity - np.max(log_sparsity[np.isfinite(log_sparsity)]))
        return w / w.sum()

    def _smote_fallback(self, X, rows, cls, threshold, need, seed, code):
        warnings.warn(
            f"KMeansSMOTE: no cluster among {self.n_clusters_} holds both a share of class "
            f"{cls.label!r} of at least {threshold:.3g} (cluster_balance_threshold) and at least "
            f"{need} of its rows (k_neighbors + 1), so its {cls.n_add} new samples were generated "
            "with plain SMOTE over all of its rows. Pass more clusters (kmeans_estimator) or a "
            "lower cluster_balance_threshold to keep the sampling within clusters.",
            UserWarning, stacklevel=4,
        )
        self.smote_fallback_.append(cls.label)
        Xc = X[rows]
        nn = self._neighbors_within(Xc, self.k_neighbors, "k_neighbors", cls.label, rows.size)
        seeds, partners, gaps = draw_pairs(nn, cls.n_add, seed, (code,))
        return Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps)
