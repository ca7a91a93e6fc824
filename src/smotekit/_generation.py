"""Pure sample-generation kernels shared by the SMOTE family.

Nothing here knows about classes, plans or containers: arrays in, arrays out,
randomness only from the generator passed in.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["draw_pairs", "interpolate", "stack_rows"]

# Synthetic rows computed per block, bounding the temporaries of interpolation.
_BLOCK_ROWS = 1 << 16


def draw_pairs(neighbors: np.ndarray, n_samples: int, rng: np.random.Generator):
    """Choose ``n_samples`` (seed, neighbour, gap) triples, uniformly over all
    (row, neighbour) pairs of the neighbour table, gaps uniform in [0, 1).

    Returns positions into the rows the neighbour table was built on.
    """
    n_rows, k = neighbors.shape
    flat = rng.integers(0, n_rows * k, size=n_samples)
    seeds = flat // k
    partners = neighbors[seeds, flat % k]
    gaps = rng.random(n_samples)
    return seeds, partners, gaps


def interpolate(X, seeds: np.ndarray, partners: np.ndarray, gaps: np.ndarray):
    """``X[seeds] + gaps * (X[partners] - X[seeds])`` in ``X``'s dtype (dense or sparse)."""
    if sparse.issparse(X):
        X = X.tocsr()
        steps = sparse.diags(gaps.astype(X.dtype))
        return (X[seeds] + steps @ (X[partners] - X[seeds])).tocsr()
    out = np.empty((seeds.size, X.shape[1]), dtype=X.dtype)
    g = gaps.astype(X.dtype)[:, None]
    for start in range(0, seeds.size, _BLOCK_ROWS):
        sl = slice(start, start + _BLOCK_ROWS)
        base = X[seeds[sl]]
        np.subtract(X[partners[sl]], base, out=out[sl])
        out[sl] *= g[sl]
        out[sl] += base
    return out


def stack_rows(blocks, like):
    """Row-wise concatenation of generated blocks, dense or sparse like ``like``."""
    if not blocks:
        return like[:0]
    if sparse.issparse(like):
        return sparse.vstack(blocks, format="csr").astype(like.dtype, copy=False)
    return np.concatenate(blocks)
