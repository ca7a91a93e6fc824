"""Pure sample-generation kernels shared by the SMOTE family, and what kernels return.

Nothing here knows about classes, plans or containers: arrays in, arrays out,
randomness only from the seed or generator passed in. A kernel's new rows are
:class:`Block` objects (rows on segments, computed values, rows of a mixed
table), read through one protocol; its whole answer is a :class:`Resampled`.
A backend ships blocks to other processes as payloads (:meth:`Block.payload`,
:func:`from_payload`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse

from ._random import stream

__all__ = ["DRAW_BLOCK_ROWS", "Block", "MixedBlock", "PairTable", "Piece", "Resampled", "Segments", "Values",
           "as_block", "directions", "draw_pairs", "from_payload", "in_balls", "interpolate", "partners_in_groups"]

# Synthetic rows computed per block, bounding the temporaries of interpolation.
_BLOCK_ROWS = 1 << 16

#: New rows per draw block. Block ``j`` of a draw comes from its own stream, so
#: that any range of the rows can be drawn alone (a task of a backend draws only
#: its own blocks) and equals the same rows of the whole draw: the draws depend
#: on neither partitioning nor chunking nor ``n_jobs``.
DRAW_BLOCK_ROWS = 1 << 16
# The stream key marking a draw block (after the draw's own key); no other stream uses it.
_DRAW_KEY = 1 << 21


def draw_pairs(neighbors: np.ndarray, n_samples: int, seed: np.random.SeedSequence, key: tuple = (),
               start: int = 0, stop: int | None = None):
    """Rows ``start:stop`` of ``n_samples`` (seed, neighbour, gap) triples drawn uniformly
    over all (row, neighbour) pairs of the neighbour table, gaps uniform in [0, 1).

    Parameters
    ----------
    neighbors : ndarray of shape (n_rows, k)
        The neighbour table: per row, positions of its neighbours among the rows.
    n_samples : int
        Number of triples in the whole draw.
    seed : numpy.random.SeedSequence
        The call's root seed.
    key : tuple of int, default=()
        Names the draw under ``seed`` (a class's code, say); block ``j`` of
        :data:`DRAW_BLOCK_ROWS` rows draws from ``stream(seed, *key, _DRAW_KEY, j)``.
    start, stop : int, default=0 and None (``n_samples``)
        The rows of the whole draw wanted; only the blocks they meet are drawn.

    Returns
    -------
    seeds, partners : ndarray of int
        Positions in the rows the neighbour table was built on.
    gaps : ndarray of float64
    """
    n_rows, k = neighbors.shape
    stop = n_samples if stop is None else stop
    if not 0 <= start <= stop <= n_samples:
        raise ValueError(f"Rows {start}:{stop} are not a range of a draw of {n_samples} rows.")
    # 32-bit draws are markedly faster and cover any realistic class size.
    dtype = np.int32 if n_rows * k < 2**31 else np.int64
    # The table is small and the draws are many: index it in the draws' width.
    table = neighbors.ravel().astype(dtype, copy=False)  # pair p: row p // k, column p % k
    seeds, partners = np.empty(stop - start, dtype), np.empty(stop - start, dtype)
    gaps = np.empty(stop - start)
    block = DRAW_BLOCK_ROWS
    for j in range(start // block, -(-stop // block)):
        lo = j * block
        rng = stream(seed, *key, _DRAW_KEY, j)
        size = min(block, n_samples - lo)
        flat = rng.integers(0, n_rows * k, size=size, dtype=dtype)
        a, b = max(start, lo) - lo, min(stop, lo + size) - lo
        out = slice(lo + a - start, lo + b - start)
        np.take(table, flat[a:b], out=partners[out])
        np.floor_divide(flat[a:b], k, out=seeds[out])
        if b - a == size:  # the whole block (the usual case): its gaps go straight to the output
            rng.random(out=gaps[out])
        else:
            gaps[out] = rng.random(size)[a:b]
    return seeds, partners, gaps


class PairTable(NamedTuple):
    """What one class's (seed, neighbour, gap) draws depend on: a backend computes
    it once and draws any range of the new rows from it in separate tasks.

    Attributes
    ----------
    rows : ndarray of int
        The rows the table was built on (positions in the kernel's ``X``).
    neighbors : ndarray of shape (rows.size, k)
        Per row, positions of its neighbours among ``rows``.
    n_samples : int
        Number of new rows.
    key : tuple of int
        Names the draw under the call's seed (see :func:`draw_pairs`).
    """

    rows: np.ndarray
    neighbors: np.ndarray
    n_samples: int
    key: tuple

    def piece(self, X, seed: np.random.SeedSequence, start: int = 0, stop: int | None = None) -> Piece:
        """New rows ``start:stop`` on segments between the rows of ``X`` the table names."""
        seeds, partners, gaps = draw_pairs(self.neighbors, self.n_samples, seed, self.key, start, stop)
        rows = np.asarray(self.rows)
        return Piece(rows[seeds], Segments(X[rows], seeds, partners, gaps), rows[partners], gaps)


def interpolate(X, seeds: np.ndarray, partners: np.ndarray, gaps: np.ndarray, out=None, columns=None):
    """``X[seeds] + gaps * (X[partners] - X[seeds])`` in ``X``'s dtype (dense or sparse),
    only at ``columns`` (positions in ``X``) when given: an adapter building a
    frame column by column computes each column into its own array.

    Dense results are written into ``out`` when given, so the caller's final
    array is the only large allocation: row-major (each row contiguous, as in a
    C-ordered array) or column-major (each column contiguous: a DataFrame's
    block, or a slice of rows of a Fortran-ordered array); either layout gets
    the very same values.

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
    if columns is not None:  # after `wide`: every column takes the path the whole rows take
        X = X[:, columns]
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
    if seeds.size == 0:
        return out
    _check_positions(X.shape[0], seeds, partners)
    g = gaps.astype(X.dtype, copy=False)
    blocks = [slice(start, start + _BLOCK_ROWS) for start in range(0, seeds.size, _BLOCK_ROWS)]
    # np.take(mode="raise") writes into a scratch array and copies it over `out`, so that a
    # bad index leaves `out` untouched; the positions being checked above, "clip" writes in place.
    if out.ndim == 2 and out.shape[1] > 1 and out.strides[0] == out.itemsize:
        XT = np.ascontiguousarray(X.T)
        step = np.empty(min(seeds.size, _BLOCK_ROWS), dtype=X.dtype)
        for j, head_column in enumerate(out.T):
            for sl in blocks:
                head = head_column[sl]
                np.take(XT[j], seeds[sl], out=head, mode="clip")
                _toward(head, np.take(XT[j], partners[sl], out=step[: head.size], mode="clip"), g[sl], wide, limit)
        return out
    X = np.ascontiguousarray(X)
    direct = out.flags.c_contiguous  # else (a strided view) each block goes through a scratch array
    for sl in blocks:
        head = np.take(X, seeds[sl], axis=0, out=out[sl] if direct else None, mode="clip")
        _toward(head, np.take(X, partners[sl], axis=0, mode="clip"), g[sl, None], wide, limit)
        if not direct:
            out[sl] = head
    return out


def partners_in_groups(groups: np.ndarray, seeds: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each seed row, a partner drawn uniformly among the other rows of its group (the seed
    itself when its group has one row): positions in ``groups``, labels 0 to G - 1."""
    members = np.argsort(groups, kind="stable")
    where = np.empty_like(members)
    where[members] = np.arange(members.size)
    sizes = np.bincount(groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    size, first = sizes[groups[seeds]], starts[groups[seeds]]
    # A step of 1 to size - 1 along the group from the seed never lands on the seed itself.
    step = rng.integers(1, np.maximum(size, 2)) % size
    return members[first + (where[seeds] - first + step) % size]


def directions(n: int, n_features: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` unit vectors drawn uniformly on the sphere of ``n_features`` dimensions
    (normalised standard Gaussian draws; a zero draw, of probability 0, is redrawn)."""
    u = rng.standard_normal((n, n_features))
    norms = np.linalg.norm(u, axis=1)
    while (bad := norms == 0).any():
        u[bad] = rng.standard_normal((int(bad.sum()), n_features))
        norms[bad] = np.linalg.norm(u[bad], axis=1)
    return u / norms[:, None]


def in_balls(centers: np.ndarray, radii: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One point drawn uniformly inside each ball ``(centers[i], radii[i])``, in float64.

    A uniform direction times ``radius * U**(1/d)``: the radius's law that makes
    the density uniform over the ball's volume in ``d`` dimensions.
    """
    centers = np.asarray(centers, dtype=np.float64)
    n, d = centers.shape
    r = np.asarray(radii, dtype=np.float64) * rng.random(n) ** (1.0 / d)
    return centers + directions(n, d, rng) * r[:, None]


def _check_positions(n_rows: int, *positions) -> None:
    """Refuse row positions outside ``0..n_rows - 1`` before they index anything."""
    for p in positions:
        if p.min() < 0 or p.max() >= n_rows:
            raise IndexError(f"Segment ends must be row positions in 0..{n_rows - 1}; got {p.min()}..{p.max()}.")


def _toward(head, step, g, wide: bool, limit):
    """``head + g * (step - head)`` into ``head`` (``step`` is scratch): the one formula
    of :func:`interpolate`, whatever the layout it was called on."""
    if wide:
        head *= 0.25
        step *= 0.25
    step -= head
    step *= g
    head += step
    if wide:
        with np.errstate(over="ignore"):
            head *= 4
        np.clip(head, -limit, limit, out=head)


def _largest(X) -> float:
    """The largest magnitude in ``X`` (dense or sparse), 0 when empty."""
    values = X.data if sparse.issparse(X) else X
    if values.size == 0:
        return 0.0
    return float(max(-values.min(), values.max()))


class Block(ABC):
    """Generated rows, computed when the output is built: what every block offers.

    A kernel returns its new rows as blocks (one per class, usually);
    :class:`~smotekit.utils._containers.Table`, the hybrids and the backends
    read them only through these members, whatever the rows are made of.
    """

    __slots__ = ()

    @property
    @abstractmethod
    def n_rows(self) -> int:
        """Number of generated rows."""

    @abstractmethod
    def materialize(self, out=None):
        """The rows' values: a dense array, or a sparse matrix for sparse input
        (a :class:`MixedBlock` gives its continuous columns).

        A dense result is written into ``out`` when given (the caller's final
        array then being the only large allocation) and ``out`` is returned.
        """

    def payload(self, start: int = 0, stop: int | None = None) -> tuple:
        """Rows ``start:stop`` of the block as a small picklable tuple, for a backend
        to rebuild them in another process with :func:`from_payload`.

        The payload never holds the input rows the block refers to (the
        receiver has them): rows on segments are rebuilt from their provenance.
        """
        raise NotImplementedError(f"{type(self).__name__} cannot be shipped to another process.")


@dataclass(frozen=True)
class Values(Block):
    """Rows already computed: a dense array or a sparse matrix."""

    values: object

    @property
    def n_rows(self) -> int:
        return self.values.shape[0]

    def materialize(self, out=None):
        if out is None:
            return self.values
        out[...] = self.values
        return out

    def payload(self, start=0, stop=None):
        return ("values", self.values[start:stop])


@dataclass(frozen=True)
class Segments(Block):
    """Rows on segments of ``X``: ``X[seeds] + gaps * (X[partners] - X[seeds])``,
    computed only when the output is built (see :func:`interpolate`)."""

    X: object
    seeds: np.ndarray
    partners: np.ndarray
    gaps: np.ndarray

    @property
    def n_rows(self) -> int:
        return self.seeds.size

    def materialize(self, out=None, columns=None):
        """As :meth:`Block.materialize`; only the columns at positions ``columns`` when given."""
        return interpolate(self.X, self.seeds, self.partners, self.gaps, out=out, columns=columns)

    def payload(self, start=0, stop=None):
        # The seeds and partners may be positions among one class's rows: the receiver
        # rebuilds the segments from the rows' provenance, positions in the whole input.
        return ("segments",)


@dataclass(frozen=True)
class MixedBlock(Block):
    """Generated rows of a table of nominal and continuous columns (SMOTE-N/NC).

    Attributes
    ----------
    continuous : Block or None
        The continuous columns' values (None when the table has none); an
        array is taken as a :class:`Values` block.
    codes : ndarray of shape (n_rows, n_nominal)
        Per nominal column, the category of each row as a position in the
        table's categories.
    """

    continuous: Block | None
    codes: np.ndarray

    def __post_init__(self):
        if self.continuous is not None:
            object.__setattr__(self, "continuous", as_block(self.continuous))

    @property
    def n_rows(self) -> int:
        return self.codes.shape[0]

    def materialize(self, out=None):
        if self.continuous is None:  # no continuous column: nothing to compute
            return out
        return self.continuous.materialize(out)

    def payload(self, start=0, stop=None):
        continuous = None if self.continuous is None else self.continuous.payload(start, stop)
        return ("mixed", continuous, self.codes[start:stop])


def from_payload(payload: tuple, X, source, partner=None, gap=None) -> Block:
    """The block that :meth:`Block.payload` described.

    Parameters
    ----------
    payload : tuple
        What ``payload`` returned.
    X : array, sparse matrix or mixed table
        The kernel input the block's rows were generated from (a mixed
        table's continuous segments lie on its ``values``).
    source, partner, gap : ndarray or None
        The provenance of the block's rows: their source and partner rows
        (positions in ``X``) and the position between the two.

    Returns
    -------
    Block
    """
    kind = payload[0]
    if kind == "values":
        return Values(payload[1])
    if kind == "segments":
        if partner is None or gap is None:
            raise ValueError("Rows on segments need their partners and gaps to be rebuilt.")
        return Segments(X, source, partner, gap)
    if kind == "mixed":
        _, continuous, codes = payload
        if continuous is not None:
            continuous = from_payload(continuous, X.values, source, partner, gap)
        return MixedBlock(continuous, codes)
    raise ValueError(f"Unknown block payload {kind!r}.")


def as_block(rows) -> Block:
    """``rows`` as a :class:`Block` (an array or sparse matrix becomes :class:`Values`)."""
    return rows if isinstance(rows, Block) else Values(rows)


class Piece(NamedTuple):
    """The rows a kernel adds for one class, for :meth:`Resampled.from_pieces`.

    Attributes
    ----------
    source : ndarray of int
        Per added row, its input row (positions in the kernel's ``X``).
    block : Block, array, sparse matrix or None
        The added rows' values (an array is taken as :class:`Values`); None
        when they are exact copies of ``source``.
    partner, gap : ndarray or None
        For rows on segments, the second input row and the position between
        the two (see :class:`~smotekit._provenance.Provenance`).
    """

    source: np.ndarray
    block: Block | None = None
    partner: np.ndarray | None = None
    gap: np.ndarray | None = None

    @classmethod
    def grown(cls, source, block) -> Piece:
        """Rows grown from ``source`` but not on a segment between two input rows (in a ball,
        from a Gaussian, on a curve): partner -1 and gap NaN, so that they sit beside
        interpolated rows in one provenance."""
        source = np.asarray(source)
        return cls(source, block, np.full(source.size, -1, np.int64), np.full(source.size, np.nan))


@dataclass
class Resampled:
    """What a sampler's kernel returns: positions in the input, plus generated values.

    The output is the ``kept`` input rows (a ``range`` when every row is kept in
    order, which spares an index array) followed by one added row per entry
    of ``added_source``; the added rows are exact copies of their source rows
    when ``added_blocks`` is None, else the rows of these generated blocks
    (:class:`Block`; arrays and sparse matrices are taken as :class:`Values`),
    stacked in order.
    """

    kept: np.ndarray | range
    added_source: np.ndarray | None = None
    added_partner: np.ndarray | None = None
    added_gap: np.ndarray | None = None
    added_blocks: list | None = None

    def __post_init__(self):
        if self.added_blocks is not None:
            self.added_blocks = [as_block(b) for b in self.added_blocks]

    @classmethod
    def from_pieces(cls, kept, pieces, *, copies=False) -> Resampled:
        """The output of a kernel that keeps ``kept`` and adds rows class by class.

        Parameters
        ----------
        kept : range or ndarray of int
            The input rows kept, in output order.
        pieces : list of Piece
            The added rows, in output order. ``partner`` and ``gap`` are given
            for every piece or for none.
        copies : bool, default=False
            Whether the added rows are exact copies of their sources (no
            blocks). Without pieces it still tells the two kinds of output apart:
            no rows generated is an empty list of blocks.

        Returns
        -------
        Resampled
        """
        source = _joined([p.source for p in pieces], np.int64)
        if not pieces:
            return cls(kept, source, added_blocks=None if copies else [])
        segments = pieces[0].partner is not None
        return cls(kept, source,
                   _joined([p.partner for p in pieces]) if segments else None,
                   _joined([p.gap for p in pieces]) if segments else None,
                   None if copies else [p.block for p in pieces])


def _joined(arrays, empty_dtype=None):
    """The arrays end to end; one array (one class over-sampled, the usual case) is not copied."""
    if not arrays:
        return np.empty(0, empty_dtype)
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
