"""The farthest rows: for each query row, the sum of its distances to its ``k``
farthest rows of a set (NearMiss-2's score).

Candidates come from an expanded product (faiss's inner-product search in
float32 when available, else blocked float64 products), are re-ranked from
exact float64 distances (:func:`smotekit.neighbors._search.exact_sq_dist`)
and certified against a rounding-error bound; rows the bound cannot certify
are recomputed exactly against every row of the set.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from ._blocked import where_pairs
from ._search import available_methods, exact_sq_dist
from ._threads import set_faiss_threads

__all__ = ["farthest_sum"]

# Query x minority distances held at once by the farthest-neighbour scan, in elements.
_FARTHEST_BLOCK_ELEMENTS = 1 << 22
# Query rows sent to faiss at once (bounds the float32 copies and the results).
_FAISS_BLOCK_ROWS = 1 << 16
# Candidates fetched beyond the k farthest, so rounding rarely forces a recomputation.
_EXTRA = 4


def farthest_sum(M, Q, k, n_jobs=None):
    """For each row of ``Q``, the sum of its Euclidean distances to its ``k``
    farthest rows of ``M`` (added in increasing order, as imbalanced-learn does).

    Candidates come from an expanded product (faiss's inner-product search in
    float32 when available, else blocked float64 products); they are re-ranked
    from coordinate differences and certified against a rounding-error bound
    (every row left out is provably no farther than the k-th kept one); rows
    the bound cannot certify are recomputed exactly against all of ``M``.
    Ties at the k-th place do not change the sum, so the answer is exact.

    Parameters
    ----------
    M : ndarray or sparse matrix of shape (n_rows, n_features)
        The rows measured from (NearMiss's minority class).
    Q : ndarray or sparse matrix of shape (n_queries, n_features)
        The query rows.
    k : int
        Farthest rows summed per query, at most ``n_rows``.
    n_jobs : int or None, default=None
        faiss threads (:func:`smotekit.neighbors._threads.set_faiss_threads`);
        the answer does not depend on it.

    Returns
    -------
    ndarray of shape (n_queries,), float64
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
        sq = np.sort(exact_sq_dist(M, raw, cand), axis=1)[:, kk - k:]
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
    rows, cols = where_pairs(approx >= (t - q_sq - bound - 1e-30)[:, None])
    pair_block = max(1, _FARTHEST_BLOCK_ELEMENTS // (4 * M.shape[1]))
    exact = np.concatenate([
        exact_sq_dist(M, raw[rows[p:p + pair_block]], cols[p:p + pair_block, None])[:, 0]
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

    set_faiss_threads(n_jobs)
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
