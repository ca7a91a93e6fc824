"""NearMiss: Mani & Zhang (2003), "kNN approach to unbalanced data distributions:
a case study involving information extraction", ICML workshop on learning from
imbalanced datasets."""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import Interval
from threadpoolctl import threadpool_limits

from .._constraints import N_JOBS, NEIGHBORS, refuse_bools
from ..base import Resampled
from ..neighbors import available_methods, kneighbors
from ..neighbors._search import _exact_sq_dist, _n_threads
from ..neighbors._sizes import check_object_fits
from ..utils._docstring import _FITTED_ATTRIBUTES, Substitution
from ._rules import first_minority
from .base import BaseUnderSampler

__all__ = ["NearMiss"]

# Query x minority distances held at once by the farthest-neighbour scan, in elements.
_FARTHEST_BLOCK_ELEMENTS = 1 << 22
# Query rows sent to faiss at once (bounds the float32 copies and the results).
_FAISS_BLOCK_ROWS = 1 << 16
# Candidates fetched beyond the k farthest, so rounding rarely forces a recomputation.
_EXTRA = 4


def _k_of(param) -> int:
    return int(param) if isinstance(param, (Integral, np.integer)) else int(param.n_neighbors)


def _too_few(name, k, label, n, what):
    return ValueError(
        f"{name}={k} needs at least {k} samples of {what}, but class {label!r} has {n}. "
        f"Lower {name} to at most {n}."
    )


def _farthest_sum(M, Q, k, n_jobs=None):
    """For each row of ``Q``, the sum of its Euclidean distances to its ``k``
    farthest rows of ``M`` (added in increasing order, as imbalanced-learn does).

    Candidates come from an expanded product (faiss's inner-product search in
    float32 when available, else blocked float64 products); they are re-ranked
    from coordinate differences and certified against a rounding-error bound
    (every row left out is provably no farther than the k-th kept one); rows
    the bound cannot certify are recomputed exactly against all of ``M``.
    Ties at the k-th place do not change the sum, so the answer is exact.
    """
    n_m = M.shape[0]
    kk = min(n_m, k + _EXTRA)
    use_faiss = not sparse.issparse(M) and "faiss" in available_methods()
    if sparse.issparse(M):
        M = sparse.csr_matrix(M, dtype=np.float64)
        center = None
        m_sq = np.asarray(M.multiply(M).sum(axis=1)).ravel()
        Mt = (-2.0 * M).T.tocsr()
    else:
        M = np.asarray(M, dtype=np.float64)
        center = M.mean(axis=0)  # centring shrinks norms, hence the error bound
        Mc = M - center
        m_sq = np.einsum("ij,ij->i", Mc, Mc)
        Mt = np.ascontiguousarray((-2.0 * Mc).T)
    m_norm = float(np.sqrt(m_sq.max()))
    if use_faiss:
        index = _faiss_ip_index(Mc, m_sq, n_jobs)
        block = _FAISS_BLOCK_ROWS
    else:
        block = max(1, _FARTHEST_BLOCK_ELEMENTS // n_m)
    out = np.empty(Q.shape[0], dtype=np.float64)
    for start in range(0, Q.shape[0], block):
        raw = Q[start:start + block]
        if center is None:
            Qb = sparse.csr_matrix(raw, dtype=np.float64)
            q_sq = np.asarray(Qb.multiply(Qb).sum(axis=1)).ravel()
        else:
            Qb = np.asarray(raw, dtype=np.float64) - center
            q_sq = np.einsum("ij,ij->i", Qb, Qb)
        if kk == n_m:  # every row is a candidate: nothing left out
            cand = np.broadcast_to(np.arange(n_m), (Qb.shape[0], n_m))
            low, eps = np.full(Qb.shape[0], -np.inf), 0.0
        elif use_faiss:
            cand, low = _faiss_farthest(index, Qb, kk)
            eps = 2.0 * np.finfo(np.float32).eps  # float32 inputs and arithmetic
        else:
            # |q|^2 is the same along a row: ranking |m|^2 - 2 q.m suffices.
            part = Qb @ Mt
            part = part.toarray() if sparse.issparse(part) else np.asarray(part)
            part += m_sq
            cand = np.argpartition(part, n_m - kk, axis=1)[:, n_m - kk:]
            low = np.take_along_axis(part, cand, axis=1).min(axis=1)
            eps = np.finfo(np.float64).eps
        sq = np.sort(_exact_sq_dist(M, raw, cand), axis=1)[:, kk - k:]
        # A row left out is at most |q|^2 + low + bound away (squared): the
        # candidates are certified when their k-th farthest is at least that far.
        bound = 4.0 * (M.shape[1] + 4) * eps * (np.sqrt(q_sq) + m_norm) ** 2 + 1e-30
        unsure = np.flatnonzero(sq[:, 0] < q_sq + low + bound)
        step = max(1, _FARTHEST_BLOCK_ELEMENTS // n_m)
        for u in range(0, unsure.size, step):
            rows = unsure[u:u + step]
            sq[rows] = _farthest_screened(M, Mt, m_sq, m_norm, center, raw[rows], sq[rows, 0], k)
        out[start:start + block] = np.sqrt(sq).sum(axis=1)
    return out


def _farthest_screened(M, Mt, m_sq, m_norm, center, raw, t, k):
    """Sorted squared distances to the ``k`` farthest rows of ``M``, for query rows
    known to have at least ``k`` rows at squared distance >= ``t``: a float64
    expanded product keeps every row that may be that far (near-ties and
    duplicates included), whose exact distances decide."""
    if center is None:
        Qb = sparse.csr_matrix(raw, dtype=np.float64)
        q_sq = np.asarray(Qb.multiply(Qb).sum(axis=1)).ravel()
        approx = Qb @ Mt
        approx = approx.toarray() if sparse.issparse(approx) else np.asarray(approx)
    else:
        Qb = np.asarray(raw, dtype=np.float64) - center
        q_sq = np.einsum("ij,ij->i", Qb, Qb)
        approx = Qb @ Mt
    approx += m_sq
    bound = 4.0 * (M.shape[1] + 4) * np.finfo(np.float64).eps * (np.sqrt(q_sq) + m_norm) ** 2
    rows, cols = np.nonzero(approx >= (t - q_sq - bound - 1e-30)[:, None])
    pair_block = max(1, _FARTHEST_BLOCK_ELEMENTS // (4 * M.shape[1]))
    exact = np.concatenate([
        _exact_sq_dist(M, raw[rows[p:p + pair_block]], cols[p:p + pair_block, None])[:, 0]
        for p in range(0, rows.size, pair_block)
    ])
    order = np.lexsort((-exact, rows))
    rows, exact = rows[order], exact[order]
    first = np.searchsorted(rows, np.arange(raw.shape[0]))
    top = exact[(np.arange(rows.size) - first[rows]) < k].reshape(raw.shape[0], k)
    return np.sort(top, axis=1)


def _faiss_ip_index(Mc, m_sq, n_jobs):
    """A faiss inner-product index whose score for a query ``[q, 1]`` is
    ``|m|^2 - 2 q.m``: the largest scores are the farthest rows."""
    import faiss

    faiss.omp_set_num_threads(_n_threads(n_jobs))
    index = faiss.IndexFlatIP(Mc.shape[1] + 1)
    index.add(np.ascontiguousarray(np.hstack([-2.0 * Mc, m_sq[:, None]]), dtype=np.float32))
    return index


def _faiss_farthest(index, Qc, kk):
    """The ``kk`` best-scored rows per query, and the lowest score among them."""
    q = np.ascontiguousarray(np.hstack([Qc, np.ones((Qc.shape[0], 1))]), dtype=np.float32)
    # faiss parallelises over queries; a threaded BLAS inside would oversubscribe.
    with threadpool_limits(limits=1, user_api="blas"):
        score, idx = index.search(q, kk)
    return idx.astype(np.int64), score[:, -1].astype(np.float64)


@Substitution(**_FITTED_ATTRIBUTES)
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
    n_jobs : int or None, default=None
        Threads of the neighbour searches; the result never depends on it.

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

    def _neighbors_object(self, param):
        nn = NearestNeighbors(n_neighbors=int(param)) if isinstance(param, (Integral, np.integer)) \
            else clone(param)
        if "n_jobs" in nn.get_params():
            nn.set_params(n_jobs=self.n_jobs)
        return nn

    def _nearest_sum(self, X_min, X_query, label_min):
        """Sum of distances from each query row to its k nearest minority rows."""
        k = _k_of(self.n_neighbors)
        if not isinstance(self.n_neighbors, (Integral, np.integer)):
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
        self.nn_ = self._neighbors_object(self.n_neighbors).fit(X_min)
        k = _k_of(self.n_neighbors)
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
        if not isinstance(self.n_neighbors, (Integral, np.integer)):
            dist, _ = self.nn_.kneighbors(X_class, n_neighbors=X_min.shape[0])
            return np.asarray(dist, dtype=np.float64)[:, -k:].sum(axis=1)
        if k > X_min.shape[0]:
            raise _too_few("n_neighbors", k, label_min, X_min.shape[0], "the minority class")
        return _farthest_sum(X_min, X_class, k, self.n_jobs)

    def _version3(self, X_min, X_class, cls, label_min):
        param = self.n_neighbors_ver3
        check_object_fits(param, X_class.shape[0], name="n_neighbors_ver3", counts_self=False,
                          where=f"class {cls.label!r}")
        self.nn_ver3_ = self._neighbors_object(param).fit(X_class)
        if isinstance(param, (Integral, np.integer)):
            if param > X_class.shape[0]:
                raise _too_few("n_neighbors_ver3", int(param), cls.label, X_class.shape[0],
                               "each under-sampled class")
            near = kneighbors(X_class, int(param), query=X_min, n_jobs=self.n_jobs)
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
