"""ClusterCentroids: under-sampling by clustering (prototype generation), after
Yen & Lee (2009), "Cluster-based under-sampling approaches for imbalanced data
distributions", Expert Systems with Applications 36(3), 5718-5727, in the form
of imbalanced-learn's ``ClusterCentroids`` (one prototype per cluster)."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.utils._param_validation import HasMethods, StrOptions

from .._constraints import RANDOM_STATE
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled
from .._random import stream
from ..neighbors import kneighbors
from ..neighbors._search import overflow_scale
from .base import BaseUnderSampler

__all__ = ["ClusterCentroids"]

_VOTING = ("auto", "hard", "soft")


@Substitution(**_FITTED_ATTRIBUTES)
class ClusterCentroids(BaseUnderSampler):
    """Replace each targeted class by the centres of as many clusters as it must keep.

    Every targeted class is clustered into its target number of clusters;
    with ``voting='soft'`` the cluster centres themselves become the class's
    samples (new rows), with ``voting='hard'`` the class's sample nearest to
    each centre is kept instead (a selection of input rows).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to under-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the default ``KMeans`` (one independent stream per class).
    estimator : estimator object, default=None
        A clustering estimator with an ``n_clusters`` parameter and a fitted
        ``cluster_centers_`` attribute (``KMeans``, ``MiniBatchKMeans``...);
        ``None`` means ``KMeans()``. It is cloned and used as given (its own
        ``random_state`` is not overridden, as in imbalanced-learn).
        For millions of rows, ``MiniBatchKMeans`` is the practical choice.
    voting : {{'auto', 'hard', 'soft'}}, default='auto'
        'soft' returns the centres, 'hard' the nearest input rows; 'auto' is
        'hard' for sparse input and 'soft' otherwise.

    Attributes
    ----------
    estimator_ : estimator object
        The clustering estimator, fitted on the last targeted class.
    voting_ : str
        The voting used ('hard' or 'soft').
    sample_indices_ : ndarray of int
        Only with hard voting: input row behind each output row (per class in
        sorted class order, within a class in input order; a row nearest to
        several centres appears once per centre). Absent with soft voting,
        whose centres are not input rows.
    provenance_ : Provenance
        With soft voting the centres are the synthetic rows at the end of the
        output; the ``source`` of a centre is the class sample nearest to it,
        its ``partner`` is -1 and its ``gap`` NaN (it is not an interpolation
        of two rows).
    {sampling_strategy_}
    {sampling_plan_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Differences from imbalanced-learn 0.14: with soft voting the untouched
    classes come first and the centres last (imbalanced-learn outputs class
    by class in label order); hard voting keeps the rows in input order and
    breaks equal distances to a centre by the lowest row index; hard voting
    exposes ``sample_indices_`` (imbalanced-learn exposes it for neither
    voting). The default ``KMeans`` of each class is seeded from
    ``random_state`` through its own stream, so results match
    imbalanced-learn's in size but not draw for draw. Centres of integer
    pandas/polars columns are rounded.
    """

    #: KMeans runs other code on sparse input, and 'auto' voting depends on sparsity.
    _sparse_same_as_dense = False

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "random_state": RANDOM_STATE,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "voting": [StrOptions(set(_VOTING))],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, estimator=None, voting="auto"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting

    @property
    def _selects_rows(self):
        # Centres are new points: only hard voting returns input rows.
        return getattr(self, "voting_", self.voting) == "hard"

    def _check_params(self, n_features):
        # The constraint asks for fit and predict; the centres need an n_clusters parameter.
        if self.estimator is not None:
            if not hasattr(self.estimator, "get_params") or "n_clusters" not in self.estimator.get_params():
                raise ValueError(
                    "`estimator` should be a clustering estimator exposing a parameter `n_clusters` "
                    f"and a fitted parameter `cluster_centers_` (e.g. KMeans, MiniBatchKMeans); got "
                    f"{self.estimator!r}."
                )

    def _fit_resample(self, X, codes, plan, seed):
        is_sparse = sparse.issparse(X)
        voting = ("hard" if is_sparse else "soft") if self.voting == "auto" else self.voting
        # The clustering estimator is a local clone, published as estimator_ only
        # at the end: an instance shared between threads must not see another
        # call's set_params between its own set_params and fit.
        estimator = KMeans() if self.estimator is None else clone(self.estimator)
        kept, pieces = [], []
        for code, cls in enumerate(plan.classes):
            rows = self._class_rows(codes, code)
            if not cls.targeted:
                kept.append(rows)
                continue
            params = {"n_clusters": cls.n_target}
            if self.estimator is None:
                params["random_state"] = int(stream(seed, code).integers(2**31 - 1))
            estimator.set_params(**params)
            X_class = X[rows]
            centers = self._centers(estimator, X_class)
            nearest = rows[kneighbors(X_class, 1, query=centers)[:, 0]]
            if voting == "hard":
                kept.append(np.sort(nearest))
            else:
                pieces.append(Piece(nearest, sparse.csr_matrix(centers) if is_sparse else centers))
        self.voting_ = voting
        if voting != "hard":
            # Left by an earlier hard-voting fit (pop: another thread may have removed it).
            self.__dict__.pop("sample_indices_", None)
        self.estimator_ = estimator
        kept = np.concatenate(kept) if kept else np.empty(0, np.int64)
        if voting == "hard" or not pieces:
            # No targeted class (e.g. sampling_strategy={}): the input, unchanged.
            return Resampled(kept)
        return Resampled.from_pieces(kept, pieces)

    def _centers(self, estimator, X_class):
        """Fit ``estimator`` on one class and return its cluster centres, finite.

        The default KMeans is fitted on the class scaled by a power of two when
        its squared distances could overflow (k-means is scale-equivariant, and
        the scaling is exact), and its centres scaled back: a centre is a mean
        of the class's rows, so it is finite too.
        """
        scale = overflow_scale(X_class, X_class[:0]) if self.estimator is None else 1.0
        estimator.fit(X_class * scale if scale != 1.0 else X_class)
        centers = getattr(estimator, "cluster_centers_", None)
        if centers is None:
            # RuntimeError, as imbalanced-learn: the estimator's type looked right until fitted.
            raise RuntimeError(
                "`estimator` should be a clustering estimator exposing a fitted parameter "
                f"`cluster_centers_`; {self.estimator!r} has none after fitting. Use e.g. "
                "KMeans or MiniBatchKMeans."
            )
        centers = np.asarray(centers, dtype=np.float64)
        if scale != 1.0:
            centers = centers / scale
        centers = centers.astype(X_class.dtype, copy=False)
        if not np.isfinite(centers).all():
            bad = np.flatnonzero(~np.isfinite(centers).all(axis=0))
            raise ValueError(
                f"The clustering estimator {estimator!r} returned non-finite cluster centres "
                f"(column(s) {bad.tolist()} at positions in X): its arithmetic overflows on "
                "values this large. Rescale those columns (e.g. StandardScaler) before "
                "resampling, or leave estimator=None (the default KMeans handles them)."
            )
        return centers
