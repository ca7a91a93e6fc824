"""MLSMOTE's pure kernels: the draws and the synthetic labelsets.

Arrays in, arrays out; randomness only from the root seed passed in, one
stream per minority label (keyed by the label's column), so that what a label
generates depends neither on the other labels nor on the order they are
visited in. Nothing here knows about containers or estimators.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import numpy as np
from scipy import sparse

from .._random import stream
from ..neighbors import kneighbors

__all__ = ["INTERPOLATIONS", "LABEL_GENERATIONS", "MLSMOTEDraws", "box_rows", "label_votes", "mlsmote_draws"]

_log = logging.getLogger(__name__)

#: The three labelset rules of Charte et al. (2015), section 4.
LABEL_GENERATIONS = ("ranking", "union", "intersection")
#: Where a synthetic row lies: in the box of its two parents (one number per feature, the
#: paper's Algorithm 1) or on the segment between them (one number per row, as SMOTE).
INTERPOLATIONS = ("box", "segment")

# Values computed per chunk of dense box rows, bounding the temporaries. The draws are
# consumed in row order whatever the chunk, so the result does not depend on it.
_BOX_CHUNK = 1 << 20


class MLSMOTEDraws(NamedTuple):
    """What :func:`mlsmote_draws` returns: one entry per synthetic row, label by label.

    Attributes
    ----------
    source : ndarray of int64, shape (n_added,)
        The seed row of each synthetic row (a position in ``X``).
    partner : ndarray of int64, shape (n_added,)
        The reference neighbour drawn among the seed's neighbours.
    gap : ndarray of float64, shape (n_added,)
        Position on the segment from ``source`` to ``partner``, in [0, 1)
        (``'segment'``); NaN for rows in a box, which have one position per
        feature.
    Y_added : ndarray of bool, shape (n_added, n_labels)
        The synthetic labelsets.
    n_added : dict
        Per minority label (column position), the rows generated from its bag
        (0 for a bag of one row, which has no neighbour).
    values : ndarray, sparse matrix or None
        The synthetic rows, computed (``'box'``, in ``X``'s dtype and kind);
        None for rows on segments, which are built from ``source``,
        ``partner`` and ``gap`` when the output is.
    """

    source: np.ndarray
    partner: np.ndarray
    gap: np.ndarray
    Y_added: np.ndarray
    n_added: dict
    values: object = None


def box_rows(X, seeds: np.ndarray, partners: np.ndarray, rng: np.random.Generator, out=None, *,
             wide: bool = False):
    """Rows drawn uniformly in the boxes spanned by ``X[seeds]`` and ``X[partners]``.

    Feature by feature, ``x_s + u * (x_p - x_s)`` with its own ``u`` uniform in
    [0, 1). A ``u`` is drawn only where the two parents differ (elsewhere it
    would change nothing), in row-major order: row by row, and within a row
    by increasing feature. So the draws, and the rows, are the same for a
    dense ``X`` and for the same values held sparse, and a sparse ``X``
    costs draws in proportion to its nonzeros, not to its width.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        Floating-point features.
    seeds, partners : ndarray of int, shape (n,)
        The two parents of each row (positions in ``X``).
    rng : numpy.random.Generator
        Where the ``u`` come from; it advances by one draw per differing
        (row, feature).
    out : ndarray of shape (n, n_features) or None, default=None
        Where dense rows are written (a C-contiguous array of ``X``'s dtype).
    wide : bool, default=False
        Whether ``X`` holds magnitudes beyond half its dtype's largest value,
        where a difference of two values can overflow: the formula is then
        computed on the values divided by 4 (a power of two, which rounds
        nothing), the result multiplied back and clipped to the finite range.

    Returns
    -------
    ndarray or sparse matrix (CSR) of shape (n, n_features)
    """
    limit = np.finfo(X.dtype).max if wide else None
    if sparse.issparse(X):
        X = X.tocsr()
        head, tail = X[seeds], X[partners]
        if wide:
            head, tail = head * 0.25, tail * 0.25
        step = (tail - head).tocsr()
        # Canonical (sorted features, no duplicates): the stored values in the dense draw order.
        step.sum_duplicates()
        moved = step.data != 0
        step.data[moved] *= rng.random(int(moved.sum())).astype(X.dtype, copy=False)
        res = (head + step).tocsr()
        if wide:
            _unscale(res.data, limit)
        return res
    n, d = seeds.size, X.shape[1]
    if out is None:
        out = np.empty((n, d), dtype=X.dtype)
    rows = max(1, _BOX_CHUNK // max(d, 1))
    for start in range(0, n, rows):
        sl = slice(start, start + rows)
        head = out[sl]
        np.take(X, seeds[sl], axis=0, out=head)
        step = np.take(X, partners[sl], axis=0)
        if wide:
            head *= 0.25
            step *= 0.25
        step -= head
        moved = step != 0
        step[moved] *= rng.random(int(moved.sum())).astype(X.dtype, copy=False)
        head += step
        if wide:
            _unscale(head, limit)
    return out


def _unscale(values: np.ndarray, limit) -> None:
    """Undo the division by 4 of :func:`box_rows`' wide path, in place, within the finite range."""
    with np.errstate(over="ignore"):
        values *= 4
    np.clip(values, -limit, limit, out=values)


def _is_wide(X) -> bool:
    """Whether ``X`` (floating, dense or sparse) holds magnitudes where a difference can overflow."""
    values = X.data if sparse.issparse(X) else X
    if not np.issubdtype(values.dtype, np.floating) or values.size == 0:
        return False
    return float(np.abs(values).max()) > np.finfo(values.dtype).max / 2


def label_votes(Y: np.ndarray, seeds: np.ndarray, neighbors: np.ndarray, rule: str) -> np.ndarray:
    """The labelsets of synthetic rows, voted by each seed and its neighbours.

    Parameters
    ----------
    Y : ndarray of bool, shape (n_rows, n_labels)
        The labels of every input row.
    seeds : ndarray of int, shape (m,)
        The seed rows (positions in ``Y``).
    neighbors : ndarray of int, shape (m, k)
        Each seed's ``k`` neighbours (positions in ``Y``), ``k >= 1``.
    rule : {'ranking', 'union', 'intersection'}
        ``'ranking'``: the labels carried by more than half of the ``k + 1``
        rows (the pseudo-code's ``counts > (k + 1) / 2``); ``'union'``: by at
        least one of them; ``'intersection'``: by all of them.

    Returns
    -------
    ndarray of bool, shape (m, n_labels)
    """
    k = neighbors.shape[1]
    # Counts of at most k + 1 votes: summed one neighbour column at a time, so the
    # temporaries stay (m, n_labels) whatever k is.
    dtype = np.uint16 if k < np.iinfo(np.uint16).max else np.int64
    counts = Y[seeds].astype(dtype)
    for c in range(k):
        counts += Y[neighbors[:, c]]
    if rule == "ranking":
        return 2 * counts.astype(np.int64) > k + 1
    if rule == "union":
        return counts > 0
    if rule == "intersection":
        return counts == k + 1
    raise ValueError(f"label_generation must be one of {LABEL_GENERATIONS}; got {rule!r}.")


def mlsmote_draws(X, Y: np.ndarray, labels: np.ndarray, k: int, rule: str,
                  seed: np.random.SeedSequence, interpolation: str = "box") -> MLSMOTEDraws:
    """MLSMOTE's synthetic rows: one per row of each minority label's bag.

    For each label of ``labels`` (ascending), its bag is the input rows that
    carry it; every row of the bag seeds one synthetic row between itself and
    a neighbour drawn uniformly among its ``k`` nearest rows of the bag
    (Euclidean, the row itself excluded, ties by position): in the box the two
    span (``'box'``, see :func:`box_rows`) or on the segment joining them
    (``'segment'``). Its labelset is voted by the seed and those ``k``
    neighbours (:func:`label_votes`). A bag of ``m <= k`` rows uses its
    ``m - 1`` other rows; a bag of one row generates nothing.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        Numeric features.
    Y : ndarray of bool, shape (n_rows, n_labels)
        The labels; read only.
    labels : ndarray of int
        Column positions of the minority labels.
    k : int
        Neighbours per seed, ``k >= 1``.
    rule : {'ranking', 'union', 'intersection'}
        The labelset rule.
    seed : numpy.random.SeedSequence
        The call's root seed; label ``j`` draws from ``stream(seed, j)``: the
        neighbour picks (one per seed), then the positions (one per seed for
        ``'segment'``; for ``'box'`` one per feature where the seed and its
        neighbour differ).
    interpolation : {'box', 'segment'}, default='box'
        Where the synthetic rows lie.

    Returns
    -------
    MLSMOTEDraws
    """
    if rule not in LABEL_GENERATIONS:
        raise ValueError(f"label_generation must be one of {LABEL_GENERATIONS}; got {rule!r}.")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {INTERPOLATIONS}; got {interpolation!r}.")
    labels = np.asarray(labels, dtype=np.int64)
    n_labels = Y.shape[1]
    box = interpolation == "box"
    dense_box = box and not sparse.issparse(X)
    wide = box and _is_wide(X)
    values = None
    if dense_box:  # every label's rows written once, into the final array
        sizes = Y[:, labels].sum(axis=0)
        values = np.empty((int(sizes[sizes >= 2].sum()), X.shape[1]), dtype=X.dtype)
    sources, partners, gaps, votes, blocks, n_added = [], [], [], [], [], {}
    done = 0
    for j in labels:
        bag = np.flatnonzero(Y[:, j])
        m = bag.size
        if m < 2:
            _log.warning("MLSMOTE: label column %d has %d row(s); a bag needs two rows to interpolate, none added.",
                         j, m)
            n_added[int(j)] = 0
            continue
        kk = min(int(k), m - 1)
        if kk < k:
            _log.info("MLSMOTE: label column %d has %d rows; k_neighbors=%d clipped to %d.", j, m, k, kk)
        near = bag[kneighbors(X[bag], kk)]
        rng = stream(seed, int(j))
        pick = rng.integers(0, kk, size=m)
        partner = near[np.arange(m), pick]
        sources.append(bag)
        partners.append(partner)
        if not box:
            gaps.append(rng.random(m))
        elif dense_box:
            box_rows(X, bag, partner, rng, out=values[done:done + m], wide=wide)
        else:
            blocks.append(box_rows(X, bag, partner, rng, wide=wide))
        done += m
        votes.append(label_votes(Y, bag, near, rule))
        n_added[int(j)] = m
    if not sources:
        empty = np.empty(0, np.int64)
        return MLSMOTEDraws(empty, empty.copy(), np.empty(0), np.zeros((0, n_labels), bool), n_added)
    gap = np.full(done, np.nan) if box else np.concatenate(gaps)
    if blocks:
        values = sparse.vstack(blocks, format="csr")
    return MLSMOTEDraws(np.concatenate(sources).astype(np.int64), np.concatenate(partners).astype(np.int64),
                        gap, np.concatenate(votes), n_added, values)
