"""Pure sample-generation kernels shared by the SMOTE family.

Nothing here knows about classes, plans or containers: arrays in, arrays out,
randomness only from the generator passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

__all__ = ["Segments", "draw_pairs", "interpolate", "materialize"]

# Synthetic rows computed per block, bounding the temporaries of interpolation.
_BLOCK_ROWS = 1 << 16


def draw_pairs(neighbors: np.ndarray, n_samples: int, rng: np.random.Generator):
    """Choose ``n_samples`` (seed, neighbour, gap) triples, uniformly over all
    (row, neighbour) pairs of the neighbour table, gaps uniform in [0, 1).

    Returns positions into the rows the neighbour table was built on.
    """
    n_rows, k = neighbors.shape
    # 32-bit draws are markedly faster and cover any realistic class size.
    dtype = np.int32 if n_rows * k < 2**31 else np.int64
    flat = rng.integers(0, n_rows * k, size=n_samples, dtype=dtype)
    # The table is small and the draws are many: index it in the draws' width.
    partners = neighbors.ravel().astype(dtype, copy=False)[flat]  # row flat // k, column flat % k
    flat //= k
    gaps = rng.random(n_samples)
    return flat, partners, gaps


def interpolate(X, seeds: np.ndarray, partners: np.ndarray, gaps: np.ndarray, out=None):
    """``X[seeds] + gaps * (X[partners] - X[seeds])`` in ``X``'s dtype (dense or sparse).

    Dense results are written into ``out`` when given, so the caller's final
    array is the only large allocation.

    Near the dtype's largest value (beyond half of it a difference of two
    values can overflow to inf) the same formula is computed on the values
    divided by 4, a power of two, which rounds nothing: a gap in [0, 1] then
    gives the very value the plain formula would, and never inf. Gaps outside
    [0, 1] (SVM-SMOTE's extrapolation) can reach beyond the dtype's range; such
    values are clipped to its largest finite value. Ordinary data never takes
    this path.
    """
    floating = np.issubdtype(X.dtype, np.floating)
    limit = np.finfo(X.dtype).max if floating else None
    beyond = gaps.size > 0 and (gaps.min() < 0 or gaps.max() > 1)
    wide = floating and _largest(X) > limit / (4 if beyond else 2)
    if sparse.issparse(X):
        X = X.tocsr()
        steps = sparse.diags(gaps.astype(X.dtype))
        if not wide:
            return (X[seeds] + steps @ (X[partners] - X[seeds])).tocsr()
        head = X[seeds] * 0.25
        res = (head + steps @ (X[partners] * 0.25 - head)).tocsr()
        with np.errstate(over="ignore"):
            res.data *= 4
        np.clip(res.data, -limit, limit, out=res.data)
        return res
    if out is None:
        out = np.empty((seeds.size, X.shape[1]), dtype=X.dtype)
    g = gaps.astype(X.dtype)[:, None]
    for start in range(0, seeds.size, _BLOCK_ROWS):
        sl = slice(start, start + _BLOCK_ROWS)
        head = out[sl]
        np.take(X, seeds[sl], axis=0, out=head)
        step = np.take(X, partners[sl], axis=0)
        if wide:
            head *= 0.25
            step *= 0.25
        step -= head
        step *= g[sl]
        head += step
        if wide:
            with np.errstate(over="ignore"):
                head *= 4
            np.clip(head, -limit, limit, out=head)
    return out


def _largest(X) -> float:
    """The largest magnitude in ``X`` (dense or sparse), 0 when empty."""
    values = X.data if sparse.issparse(X) else X
    if values.size == 0:
        return 0.0
    return float(max(-values.min(), values.max()))



@dataclass(frozen=True)
class Segments:
    """Synthetic rows on segments of ``X``, computed only when the output is assembled."""

    X: object
    seeds: np.ndarray
    partners: np.ndarray
    gaps: np.ndarray

    @property
    def shape(self):
        return (self.seeds.size, self.X.shape[1])

    def fill(self, out=None):
        return interpolate(self.X, self.seeds, self.partners, self.gaps, out=out)


def materialize(block, out=None):
    """A generated block as an array (written into ``out`` when given and dense)."""
    if isinstance(block, Segments):
        return block.fill(out)
    if out is not None:
        out[...] = block
        return out
    return block
