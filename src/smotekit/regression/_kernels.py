"""Pure kernels of the generating regression samplers (SMOTER, Gaussian noise, SMOGN).

Arrays in, arrays out, randomness only from the generator passed in. A kernel
sees one relevance bin: its continuous values ``values`` (n, p), its nominal
codes ``codes`` (n, m) or None, its targets ``y`` (n,), and answers in
positions among these ``n`` rows (the sampler maps them to input positions).

Distances are HEOM (Wilson & Martinez 1997): per continuous column the
difference divided by the column's range within the bin, per nominal column 0
when equal and 1 otherwise, combined as a Euclidean norm. They are computed as
plain Euclidean distances on an embedding (continuous columns scaled to
[0, 1], one-hot nominal columns times ``1 / sqrt(2)``, so a mismatch adds 1 to
the squared distance), which lets the exact search of
:func:`smotekit.neighbors.kneighbors` answer.

The order of the draws of each kernel is fixed (it is the reproducibility
contract of the samplers): the seeds' extra rows first, then the kernel's own
draws in the order its docstring lists them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.metrics.pairwise import euclidean_distances

from .._generation import interpolate
from ..neighbors import kneighbors
from .base import seed_rows

__all__ = ["Generated", "bin_std", "check_bin_size", "embed", "gaussian_rows", "heom_neighbors",
           "nominal_by_frequency", "nominal_from_parents", "safe_distances", "smogn_rows",
           "smoter_rows", "target_between"]

# Above this many cells the embedding of a bin is kept sparse: a nominal column of
# many categories must not be densified.
_DENSE_EMBEDDING_CELLS = 1 << 24
_HALF_SQRT2 = np.sqrt(0.5)
# Bytes of one block of distances of SMOGN's safe_distance='bin' (see safe_distances).
_SAFE_BLOCK_BYTES = 16 << 20


class Generated(NamedTuple):
    """What a kernel generated for one bin (positions among the bin's rows).

    Attributes
    ----------
    seeds : ndarray of int64 (n_add,)
        Per new row, its seed row.
    partners : ndarray of int64 (n_add,)
        Per new row, the neighbour it was interpolated towards; -1 for rows
        grown by Gaussian noise.
    gaps : ndarray of float64 (n_add,)
        Position on the segment seed -> partner (continuous columns); NaN for
        rows grown by noise.
    values : ndarray (n_add, p) or None
        The continuous values of the new rows, in ``values``' dtype; None when
        every new row lies on a segment (the caller interpolates lazily).
    codes : ndarray of int32 (n_add, m) or None
        The nominal codes of the new rows (None without nominal columns).
    y : ndarray of float64 (n_add,)
        The targets of the new rows.
    """

    seeds: np.ndarray
    partners: np.ndarray
    gaps: np.ndarray
    values: np.ndarray | None
    codes: np.ndarray | None
    y: np.ndarray


def check_bin_size(k: int, y_bin: np.ndarray, sampler: str) -> None:
    """Refuse a bin with fewer than ``k + 1`` rows (each row needs ``k`` neighbours within its bin).

    UBL's SMOGNRegress and smogn do not lower ``k`` (they fail, or index past the
    neighbours found), so neither does smotekit: the error says what to change.
    """
    n = y_bin.size
    if n >= k + 1:
        return
    where = f"The relevance bin with y in [{y_bin.min():.6g}, {y_bin.max():.6g}] has {n} row{'s' * (n != 1)}"
    if n == 1:
        raise ValueError(
            f"{where}, but {sampler} interpolates between a row and its neighbours within the bin, which "
            "needs at least 2 rows. Use GaussianNoise or RandomOverSampler for this data, or move the bin's "
            "bounds (relevance control points, threshold) so that it holds more rows."
        )
    raise ValueError(
        f"{where}, but k_neighbors={k} needs at least {k + 1} (each row plus {k} neighbours within its bin). "
        f"Lower k_neighbors to at most {n - 1}, or use GaussianNoise or RandomOverSampler for this data."
    )


def embed(values: np.ndarray, codes: np.ndarray | None = None):
    """The HEOM embedding of a bin's rows: Euclidean distances on it are HEOM distances.

    Continuous columns become ``(v - min) / range`` over the bin's rows (a
    constant column becomes 0 and plays no part); each nominal column becomes
    the one-hot indicator of the categories present in the bin, times
    ``1 / sqrt(2)``. Returns a float64 array, or a CSR matrix when large.
    """
    values = np.asarray(values, dtype=np.float64)
    n = values.shape[0]
    low = values.min(axis=0) if n else np.zeros(values.shape[1])
    spread = (values.max(axis=0) - low) if n else np.zeros(values.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.where(spread > 0, (values - low) / np.where(spread > 0, spread, 1.0), 0.0)
    if codes is None or codes.shape[1] == 0:
        return scaled
    blocks, width = [], 0
    for j in range(codes.shape[1]):
        present, inverse = np.unique(codes[:, j], return_inverse=True)
        blocks.append((width + inverse.ravel(), present.size))
        width += present.size
    if n * (scaled.shape[1] + width) <= _DENSE_EMBEDDING_CELLS:
        onehot = np.zeros((n, width))
        for cols, _ in blocks:
            onehot[np.arange(n), cols] = _HALF_SQRT2
        return np.hstack([scaled, onehot])
    cols = np.concatenate([c for c, _ in blocks])
    rows = np.tile(np.arange(n), len(blocks))
    onehot = sparse.csr_matrix((np.full(cols.size, _HALF_SQRT2), (rows, cols)), shape=(n, width))
    return sparse.hstack([sparse.csr_matrix(scaled), onehot], format="csr")


def heom_neighbors(embedding, k: int):
    """``(indices, distances)`` of the ``k`` nearest rows of each row of the bin
    (itself excluded, duplicates included at distance 0, ties by index)."""
    return kneighbors(embedding, k, return_distance=True)


def nominal_from_parents(seed_codes: np.ndarray, partner_codes: np.ndarray, rng: np.random.Generator):
    """Per new row and nominal column, the seed's or the partner's category with
    probability 1/2 each (one draw of ``rng``, shape (n_add, m))."""
    take_partner = rng.random(seed_codes.shape) < 0.5
    return np.where(take_partner, partner_codes, seed_codes).astype(np.int32, copy=False)


def nominal_by_frequency(codes: np.ndarray, n_new: int, rng: np.random.Generator) -> np.ndarray:
    """``n_new`` rows of nominal codes, each column drawn independently from its
    frequencies among the bin's rows (UBL's rule for rows grown by noise):
    the category of a uniformly drawn row, per column (one draw of ``rng``)."""
    n, m = codes.shape
    picks = rng.integers(0, n, size=(n_new, m))
    return codes[picks, np.arange(m)].astype(np.int32, copy=False)


def target_between(y_seed, y_partner, gaps, sq_numeric, seed_mismatch=None, partner_mismatch=None):
    """The target of rows on segments: the parents' targets weighted by the other
    parent's distance, ``(d2 * y_seed + d1 * y_partner) / (d1 + d2)``.

    ``d1`` and ``d2`` are the HEOM distances of the new row to the seed and to
    the partner: its continuous part lies at ``gap`` along the segment, so with
    ``sq_numeric`` the squared continuous HEOM distance between the parents,
    ``d1**2 = gap**2 * sq_numeric + seed_mismatch`` and ``d2**2 = (1 - gap)**2 *
    sq_numeric + partner_mismatch`` (the mismatches count the nominal columns
    where the new row differs from each parent). Without nominal columns the
    weight of the partner is ``gap`` itself, so the target is the linear
    interpolation at the row's gap; parents at distance 0 give the mean.
    The result is kept within the parents' targets (against rounding).
    """
    y_seed = np.asarray(y_seed, dtype=np.float64)
    y_partner = np.asarray(y_partner, dtype=np.float64)
    gaps = np.asarray(gaps, dtype=np.float64)
    if seed_mismatch is None:
        weight = np.where(sq_numeric > 0, gaps, 0.5)
    else:
        d1 = np.sqrt(gaps**2 * sq_numeric + seed_mismatch)
        d2 = np.sqrt((1.0 - gaps) ** 2 * sq_numeric + partner_mismatch)
        total = d1 + d2
        with np.errstate(invalid="ignore", divide="ignore"):
            weight = np.where(total > 0, d1 / np.where(total > 0, total, 1.0), 0.5)
    out = y_seed + weight * (y_partner - y_seed)
    return np.clip(out, np.minimum(y_seed, y_partner), np.maximum(y_seed, y_partner))


def bin_std(values: np.ndarray) -> np.ndarray:
    """Per column, the sample standard deviation (``ddof=1``, R's ``sd``, as UBL)
    over the bin's rows, in float64; 0 for a bin of one row."""
    values = np.asarray(values, dtype=np.float64)
    if values.shape[0] < 2:
        return np.zeros(values.shape[1:])
    return values.std(axis=0, ddof=1)


def _noisy(center: np.ndarray, sd: np.ndarray, z: np.ndarray, dtype) -> np.ndarray:
    """``center + z * sd`` in float64, then in ``dtype`` clipped to its finite range."""
    out = np.asarray(center, dtype=np.float64) + z * sd
    if np.issubdtype(dtype, np.floating):
        limit = np.finfo(dtype).max
        np.clip(out, -limit, limit, out=out)
    return out.astype(dtype, copy=False)


def smoter_rows(values, codes, y, k: int, n_add: int, rng: np.random.Generator) -> Generated:
    """SMOTER's new rows for one bin (Torgo et al. 2013).

    Each seed (spread over the bin by :func:`~smotekit.regression.base.seed_rows`)
    takes one of its ``k`` HEOM nearest rows of the bin uniformly; the new
    row's continuous values lie on the segment seed -> neighbour at a uniform
    gap, its nominal values come from either parent with probability 1/2, and
    its target is :func:`target_between`. Draws, in order: the seeds' extra
    rows, the neighbour ranks, the gaps, the nominal picks. ``values`` of the
    result is None: the rows are
    ``values[seeds] + gaps * (values[partners] - values[seeds])``.
    """
    values = np.asarray(values)
    y = np.asarray(y, dtype=np.float64)
    nominal = codes is not None and codes.shape[1] > 0
    embedding = embed(values, codes if nominal else None)
    neighbors, _ = heom_neighbors(embedding, k)
    seeds = seed_rows(np.arange(values.shape[0]), n_add, rng)
    partners = neighbors[seeds, rng.integers(0, k, size=seeds.size)]
    gaps = rng.random(seeds.size)
    new_codes = nominal_from_parents(codes[seeds], codes[partners], rng) if nominal else None
    sq = _sq_numeric(embedding, values.shape[1], seeds, partners)
    if nominal:
        y_new = target_between(y[seeds], y[partners], gaps, sq, (new_codes != codes[seeds]).sum(axis=1),
                               (new_codes != codes[partners]).sum(axis=1))
    else:
        y_new = target_between(y[seeds], y[partners], gaps, sq)
    return Generated(seeds, partners, gaps, None, new_codes if nominal else None, y_new)


def gaussian_rows(values, codes, y, n_add: int, perturbation: float, rng: np.random.Generator) -> Generated:
    """Gaussian-noise rows for one bin (UBL's GaussNoiseRegress).

    Each seed's continuous values and target receive independent Gaussian
    noise of standard deviation ``perturbation`` times the column's standard
    deviation over the bin (:func:`bin_std`); each nominal value is drawn
    from the column's frequencies in the bin (:func:`nominal_by_frequency`).
    Draws, in order: the seeds' extra rows, the noise of the continuous
    columns (n_add, p), the noise of the target (n_add,), the nominal draws.
    """
    values = np.asarray(values)
    y = np.asarray(y, dtype=np.float64)
    seeds = seed_rows(np.arange(values.shape[0]), n_add, rng)
    z = rng.standard_normal((seeds.size, values.shape[1]))
    z_y = rng.standard_normal(seeds.size)
    new_values = _noisy(values[seeds], bin_std(values) * perturbation, z, values.dtype)
    y_new = y[seeds] + z_y * (bin_std(y[:, None])[0] * perturbation)
    nominal = codes is not None and codes.shape[1] > 0
    new_codes = nominal_by_frequency(codes, seeds.size, rng) if nominal else None
    return Generated(seeds, np.full(seeds.size, -1, np.int64), np.full(seeds.size, np.nan), new_values,
                     new_codes, y_new)


def smogn_rows(values, codes, y, k: int, n_add: int, perturbation: float, rng: np.random.Generator,
               safe_distance: str = "neighbors") -> Generated:
    """SMOGN's new rows for one bin (Branco, Torgo & Ribeiro 2017).

    Each seed takes one of its ``k`` HEOM nearest rows of the bin uniformly.
    The seed's safe distance is half the median of its distances to its ``k``
    neighbours (``safe_distance='neighbors'``), or to every row of the bin,
    itself included (``'bin'``, UBL's and smogn's rule; see
    :func:`safe_distances`); a neighbour strictly closer than it gives a
    SMOTER row (as :func:`smoter_rows`), any other a Gaussian-noise row grown from the seed
    (as :func:`gaussian_rows`, with perturbation ``min(safe distance,
    perturbation)``). Draws, in order: the seeds' extra rows, the neighbour
    ranks, the gaps, the nominal picks from the parents, the noise of the
    continuous columns, the noise of the target, the nominal draws by
    frequency; each is drawn for every new row (then used by its path), so the
    draws of a row do not depend on the path of the others.
    """
    values = np.asarray(values)
    y = np.asarray(y, dtype=np.float64)
    nominal = codes is not None and codes.shape[1] > 0
    embedding = embed(values, codes if nominal else None)
    neighbors, distances = heom_neighbors(embedding, k)
    radius = safe_distances(embedding, distances, safe_distance)
    seeds = seed_rows(np.arange(values.shape[0]), n_add, rng)
    rank = rng.integers(0, k, size=seeds.size)
    partners = neighbors[seeds, rank]
    gaps = rng.random(seeds.size)
    parent_codes = nominal_from_parents(codes[seeds], codes[partners], rng) if nominal else None
    z = rng.standard_normal((seeds.size, values.shape[1]))
    z_y = rng.standard_normal(seeds.size)
    frequency_codes = nominal_by_frequency(codes, seeds.size, rng) if nominal else None

    safe = distances[seeds, rank] < radius[seeds]
    # Interpolated rows: the continuous values on the segment, in values' dtype.
    s, p, g = seeds[safe], partners[safe], gaps[safe]
    new_values = np.empty((seeds.size, values.shape[1]), dtype=values.dtype)
    new_values[safe] = interpolate(values, s, p, g)
    sq = _sq_numeric(embedding, values.shape[1], s, p)
    y_new = np.empty(seeds.size)
    if nominal:
        c = parent_codes[safe]
        y_new[safe] = target_between(y[s], y[p], g, sq, (c != codes[s]).sum(axis=1), (c != codes[p]).sum(axis=1))
    else:
        y_new[safe] = target_between(y[s], y[p], g, sq)
    # Noise rows: grown from the seed, the perturbation capped by the seed's safe distance.
    noisy = ~safe
    scale = np.minimum(radius[seeds[noisy]], perturbation)
    new_values[noisy] = _noisy(values[seeds[noisy]], bin_std(values)[None, :] * scale[:, None], z[noisy],
                               values.dtype)
    y_new[noisy] = y[seeds[noisy]] + z_y[noisy] * bin_std(y[:, None])[0] * scale
    new_codes = np.where(safe[:, None], parent_codes, frequency_codes).astype(np.int32) if nominal else None
    return Generated(seeds, np.where(safe, partners, -1), np.where(safe, gaps, np.nan), new_values,
                     new_codes, y_new)


def safe_distances(embedding, distances: np.ndarray, rule: str = "neighbors") -> np.ndarray:
    """Per row of the bin, SMOGN's safe distance: half the median of its distances
    to its ``k`` neighbours (``rule='neighbors'``, ``distances`` being their
    distances), or to every row of the bin, its own distance 0 included
    (``'bin'``: UBL's ``SMOGNRegress`` and smogn).

    ``'bin'`` takes time quadratic in the bin's size but not memory: the
    distances are computed by blocks of rows of at most ``_SAFE_BLOCK_BYTES``
    (scikit-learn's chunking would take up to its ``working_memory``, 1 GiB by
    default, and the median a copy of it: 2.3 GB for a bin of 12,000 rows).
    """
    if rule == "neighbors":
        return np.median(distances, axis=1) / 2
    if rule != "bin":
        raise ValueError(f"safe_distance must be 'neighbors' or 'bin', got {rule!r}.")
    n = embedding.shape[0]
    out = np.empty(n)
    step = max(1, _SAFE_BLOCK_BYTES // (8 * max(n, 1)))
    for start in range(0, n, step):
        block = euclidean_distances(embedding[start:start + step], embedding)
        # A row's distance to itself is 0 exactly, not the rounding residue of the dot-product form.
        block[np.arange(block.shape[0]), np.arange(start, start + block.shape[0])] = 0.0
        out[start:start + step] = np.median(block, axis=1, overwrite_input=True)
    return out / 2


def _sq_numeric(embedding, n_numeric: int, seeds: np.ndarray, partners: np.ndarray) -> np.ndarray:
    """Squared continuous HEOM distance between each seed and its partner (the
    embedding's first ``n_numeric`` columns are the scaled continuous ones)."""
    if n_numeric == 0:
        return np.zeros(seeds.size)
    part = embedding[:, :n_numeric]
    if sparse.issparse(part):
        part = part.toarray()
    diff = part[seeds] - part[partners]
    return np.einsum("ij,ij->i", diff, diff)
