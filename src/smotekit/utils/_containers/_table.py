"""The adapter protocol, the registry that finds an adapter by type, and :class:`Table`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..._generation import Segments
from ._checks import check_finite, check_not_empty
from ._dtypes import SegmentEnds

__all__ = ["Adapter", "MixedColumns", "Table", "adapter_for", "generated_column", "output_rows", "read_X",
           "register"]


class Adapter:
    """How one kind of container is read, cut and rebuilt.

    An adapter reads the caller's ``X`` into a :class:`Table` (the numeric
    matrix the kernels see), takes rows by position, and builds the output
    in the caller's kind from the kept rows and the generated blocks. It also
    reads label containers (``y``) and, for the samplers of mixed tables,
    opens ``X`` column by column (:meth:`mixed_columns`).

    Subclasses set ``name`` and override what their containers need; see
    :func:`register` for making one known.
    """

    #: Short name of the containers read (shown in ``repr``, read by backends).
    name = "abstract"

    def types(self) -> tuple:
        """The classes of the tables (``X``) read, from modules already imported.

        An adapter never imports its library: a library the caller has not
        imported cannot have made the object, so ``()`` is the answer then.
        """
        return ()

    def label_types(self) -> tuple:
        """The classes of the label containers (``y``) read, as :meth:`types`."""
        return ()

    def read(self, X, *, numeric: bool, accept_sparse: bool) -> Table:
        """``X`` as a :class:`Table`, its numeric matrix set when ``numeric``."""
        raise NotImplementedError

    def take(self, obj, rows):
        """Rows ``rows`` (positions) of ``obj``, copied exactly, in its own kind."""
        raise NotImplementedError

    def build(self, table: Table, kept, blocks: list, ends: SegmentEnds):
        """The output: ``kept`` rows of the input, then the rows of ``blocks``."""
        raise NotImplementedError

    def column(self, table: Table, j: int, dtype) -> np.ndarray:
        """Column ``j`` of the input, exactly, as an array of ``dtype`` (missing cells 0)."""
        raise NotImplementedError

    def read_labels(self, y) -> tuple:
        """``(labels, rows_from)``: the labels as a numpy array, and the object whose
        rows :meth:`take` gives back (the caller's own, to keep its kind)."""
        raise NotImplementedError

    def mixed_columns(self, X, *, accept_sparse: bool) -> MixedColumns:
        """``X`` opened for :func:`~smotekit.over_sampling._nominal_table.read_mixed`."""
        raise NotImplementedError

    def build_mixed(self, table: Table, kept, blocks: list, ends: SegmentEnds):
        """:meth:`build` for a table of nominal and continuous columns
        (``table.mixed``; blocks are :class:`~smotekit._generation.MixedBlock`)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{self.name} adapter>"


class MixedColumns:
    """A table opened for reading nominal and continuous columns apart.

    Attributes
    ----------
    table : Table
        Shape, column names and dtypes (no values yet).
    """

    def __init__(self, table: Table):
        self.table = table

    def nominal_mask(self) -> np.ndarray:
        """Columns whose dtype says "categorical" (categorical, string or object)."""
        return np.zeros(self.table.n_cols, dtype=bool)

    def continuous(self, positions, names) -> np.ndarray | list:
        """The columns at ``positions`` as floats (float32 if all are, else float64),
        or the names of those that are not numbers."""
        raise NotImplementedError

    def categories(self, j):
        """``(codes, categories)`` when column ``j`` carries its own categories
        (codes -1 for missing cells), else None."""
        return None

    def values(self, j) -> tuple:
        """``(values, missing)``: column ``j`` as a numpy array, and whether the
        container marks cells of it as missing."""
        raise NotImplementedError


# Most recently registered first: a backend registered later is asked before the defaults.
_ADAPTERS: list = []
# (type, labels?) -> adapter, filled on first sight of each type.
_BY_TYPE: dict = {}


def register(adapter: Adapter) -> None:
    """Make ``adapter`` read the containers of its :meth:`Adapter.types`.

    Adapters registered later are asked first, so a backend with
    containers of its own registers their adapter when it is imported; the
    core never imports it.

    Parameters
    ----------
    adapter : Adapter
        An instance; its ``types()`` and ``label_types()`` say what it reads.
    """
    _ADAPTERS.insert(0, adapter)
    _BY_TYPE.clear()


def adapter_for(obj, *, labels: bool = False) -> Adapter:
    """The adapter of ``obj``, looked up by its type.

    Parameters
    ----------
    obj : object
        A table ``X``, or a label container ``y`` when ``labels``.
    labels : bool, default=False
        Whether ``obj`` holds labels (a pandas or polars Series is a label
        container, not a table).

    Returns
    -------
    Adapter
        The most recently registered adapter whose types ``obj`` is an
        instance of; the numpy adapter for anything else.
    """
    key = (type(obj), labels)
    found = _BY_TYPE.get(key)
    if found is None:
        found = next(a for a in _ADAPTERS if isinstance(obj, a.label_types() if labels else a.types()))
        _BY_TYPE[key] = found
    return found


@dataclass
class Table:
    """The caller's ``X``, validated, with the means to return rows in its own kind."""

    original: object
    adapter: Adapter
    n_rows: int
    n_cols: int
    columns: list | None = None
    dtypes: list | None = None
    _values: object = field(default=None, repr=False)
    numeric: bool = True
    #: Continuous values and nominal codes, for samplers of mixed tables (see ``read_mixed``).
    mixed: object = field(default=None, repr=False)
    #: The caller passed a list: the output is a list too (imbalanced-learn's rule).
    as_list: bool = False

    @property
    def kind(self) -> str:
        """The adapter's name: 'numpy', 'sparse', 'pandas', 'polars', ..."""
        return self.adapter.name

    def kernel_input(self):
        """What a sampler's kernel computes on: the mixed view, the numeric matrix, or nothing."""
        if self.mixed is not None:
            return self.mixed
        return self._values if self.numeric else None

    @property
    def values(self):
        """The numeric matrix the algorithms work on (float32 kept, else float64)."""
        return self._values

    def take(self, rows: np.ndarray):
        """Rows of the input, copied exactly, in the caller's kind (fresh 0..n-1 index)."""
        return self.adapter.take(self.original, rows)

    def assemble(self, kept, added_rows, added_blocks, partners=None, gaps=None):
        """Output = ``kept`` input rows, then the added rows: exact copies of
        ``added_rows`` when ``added_blocks`` is None, else the generated
        blocks (:class:`~smotekit._generation.Block`) stacked in order.

        ``partners`` and ``gaps`` (the provenance of the generated rows, when they
        lie on segments ``added_rows`` -> ``partners``) keep every synthetic integer
        between its segment's two exact end values, which float64 cannot promise
        for 64-bit integers."""
        if added_blocks is None:
            out = self.take(_rows(kept, added_rows))
        else:
            ends = SegmentEnds(self, added_rows, partners, gaps)
            build = self.adapter.build if self.mixed is None else self.adapter.build_mixed
            out = build(self, kept, added_blocks, ends)
        return out.tolist() if self.as_list else out

    def keeps_all(self, kept) -> bool:
        """Whether ``kept`` is every input row in order (copied whole, without a gather)."""
        return isinstance(kept, range) and kept == range(self.n_rows)

# Outputs from this size write their kept and new rows on two threads (below it a thread's start
# costs more than it saves).
_PARALLEL_BYTES = 1 << 24


def output_rows(table: Table, kept, blocks: list, order: str):
    """The output's values as one new ``(n_out, n_cols)`` array of ``table.values``'s
    dtype: the ``kept`` input rows, then the rows of ``blocks``, each written once
    into it (``order`` 'C' for numpy's row-major arrays, 'F' for the contiguous
    columns of pandas and polars frames)."""
    base = table.values
    n_kept = len(kept)
    out = np.empty((n_kept + sum(b.n_rows for b in blocks), table.n_cols), dtype=base.dtype, order=order)

    def copy_kept():
        # A whole copy is a few contiguous runs; a gather of every row is several times slower.
        out[:n_kept] = base if table.keeps_all(kept) else base[np.asarray(kept)]

    if out.nbytes < _PARALLEL_BYTES or base.dtype.kind == "O":
        copy_kept()
        _write_blocks(blocks, out[n_kept:])
        return out
    # The kept rows and the new ones are disjoint parts of the output: written on two threads
    # (numpy's copies release the GIL), the pages of the fresh output are first touched on two
    # cores, which is most of a large output's cost the first time a process allocates it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        copied = pool.submit(copy_kept)
        _write_blocks(blocks, out[n_kept:])
        copied.result()
    return out


def generated_column(blocks: list, j: int, out) -> np.ndarray:
    """Column ``j`` of the rows of ``blocks``, written into the 1-D array ``out``
    (a frame adapter's column, or scratch space for values then fitted to a dtype)."""
    _write_blocks(blocks, out[:, None], [j])
    return out


def _write_blocks(blocks: list, out, columns=None) -> None:
    pos = 0
    for block in blocks:
        part = out[pos: pos + block.n_rows]
        if columns is None:
            block.materialize(out=part)
        elif isinstance(block, Segments):  # computed at these columns only
            block.materialize(out=part, columns=columns)
        else:
            part[...] = block.materialize()[:, columns]
        pos += block.n_rows


def _rows(kept, added):
    """Positions of the output rows: ``kept`` (an array or a range) then ``added``."""
    kept = np.arange(kept.start, kept.stop) if isinstance(kept, range) else np.asarray(kept)
    return kept if added is None or len(added) == 0 else np.concatenate([kept, added])


def read_X(X, *, numeric=True, allow_nan=False, accept_sparse=True) -> Table:
    """Validate ``X`` without copying what need not be copied and without modifying it."""
    table = adapter_for(X).read(X, numeric=numeric, accept_sparse=accept_sparse)
    check_not_empty(table.n_rows, table.n_cols)
    table.numeric = numeric
    if numeric and not allow_nan:
        check_finite(table.values, table.columns)
    return table
