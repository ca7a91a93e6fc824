"""``fit_resample`` on Dask collections: plan from one pass, decide on gathered rows,
stream the output.

1. One pass validates every partition as the sampler validates in-memory data
   and counts the classes: the plan is the in-memory plan.
2. The rows the decision depends on are gathered (bounded by the gather
   limit): the classes being over-sampled, plus their neighbours in the whole
   data when the method looks at other classes (exact, :mod:`._neighbors`);
   for the cleaners, every class but the largest. The sampler's own in-memory
   kernel runs on them, with the global plan and seed, so the decisions and
   the synthetic rows are the in-memory ones. Where the new rows are draws of
   pairs (SMOTE), that task computes only the neighbour tables, and each
   output task draws its own blocks of pairs (keyed by block, as in memory).
3. The output is lazy: the input partitions, filtered where rows are
   removed, then the synthetic rows in chunks; nothing of the largest class
   ever reaches one process.

What to gather and which rule decides come from the sampler's tags
(:class:`~smotekit.base.PartitionedSupport`), never from its class: a
subclass runs here whenever its parent does, unless it overrides how the
parent decides. Of the sampler, the driver calls only the template's hooks:
``_validate_params``, ``_check_params``, ``_read_X``, ``_fit_plan``,
``_seed``, and by rule ``_fit_resample``, ``_pair_tables``, ``_picks`` or
``_steps`` (ENN's ``_make_nn`` for its ``nn_``).
"""

from __future__ import annotations

import copy
import operator
import os
import warnings
from dataclasses import dataclass

import dask
import numpy as np
from sklearn.base import clone

from .._generation import DRAW_BLOCK_ROWS, MixedBlock, from_payload
from ..neighbors._resolve import resolve_neighbors
from ..under_sampling._rules import edited_agree, edited_keep, tomek_linked
from ..utils._containers import read_y
from ..utils._containers._pandas import cast_columns
from ._cluster import gather_limit, get_client
from ._neighbors import gather, knn, query_of
from ._partitions import (
    Layout,
    codes_of,
    explain_pairing,
    kernel_values,
    layout_from_scans,
    provenance_frame,
    read_parts,
    scan_partition,
    take,
    unify_categories,
    with_index,
)

__all__ = ["backend", "fit", "fit_resample", "supported_samplers"]

# Synthetic rows per output partition: the input's typical partition size, within these bounds.
_MIN_CHUNK_ROWS, _MAX_CHUNK_ROWS = 10_000, 1_000_000
_NONE = np.empty(0, dtype=np.int64)
# What a worker process holds before any task (measured: 212 MB idle).
_WORKER_BASE_BYTES = 256 * 2**20
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Output:
    """A resampled collection as delayed ``(x, y, prov)`` triples with known sizes."""

    triples: list
    lengths: np.ndarray
    counts: np.ndarray  # (n_partitions, n_classes)


# --------------------------------------------------------------------------- entry points

def _partitioned_support(sampler):
    """The sampler's :class:`~smotekit.base.PartitionedSupport` (from its tags), or None."""
    sampler_tags = getattr(sampler.__sklearn_tags__(), "sampler_tags", None)
    return None if sampler_tags is None else sampler_tags.partitioned


def supported_samplers() -> dict:
    """The sampler classes of smotekit that run on Dask, by name.

    A subclass of one of them runs on Dask too, unless it overrides how its parent
    decides without declaring ``_partitioned`` (its tags say so).
    """
    from ..utils.discovery import all_samplers

    return {name: cls for name, cls in all_samplers()
            if _partitioned_support(cls(**cls._check_init_params)) is not None}


def _declared(sampler):
    """What the sampler declares for partitioned data; a sampler declaring nothing is refused."""
    support = _partitioned_support(sampler)
    if support is None:
        supported = supported_samplers()
        parent = next((cls.__name__ for cls in type(sampler).__mro__[1:] if cls in supported.values()), None)
        why = "" if parent is None else (
            f" It overrides how {parent} decides (_fit_resample, _picks or _steps), so what {parent} "
            "declares for Dask may not hold for it; if it does, say so with a class attribute "
            "_partitioned (a smotekit.base.PartitionedSupport)."
        )
        raise TypeError(
            f"{type(sampler).__name__} has no Dask implementation.{why} Samplers that run on Dask: "
            f"{', '.join(sorted(supported))}. If the data fit in memory, compute them first: "
            "sampler.fit_resample(X.compute(), y.compute())."
        )
    return support


def _runner(sampler):
    return _RULES[_declared(sampler).rule]


def _prepare(sampler, X, y):
    _declared(sampler)
    sampler._validate_params()
    get_client()
    # Attributes of an earlier fit would be stale, and the sampler travels in the task
    # graph: a fitted provenance_ alone can weigh megabytes.
    params = set(sampler.get_params(deep=False))
    for name in [k for k in vars(sampler) if k not in params and not k.startswith("__")]:
        delattr(sampler, name)
    parts = read_parts(X, y)
    sampler._check_params(parts.n_cols)
    try:
        scans = dask.compute(*[dask.delayed(scan_partition, pure=True)(sampler, t) for t in parts.triples])
    except Exception as exc:
        # Pairing X and y by index fails inside Dask ("cannot reindex on an axis with duplicate
        # labels") or leaves labels missing: say what does not match, if that is the cause.
        message = explain_pairing(*parts.paired_by_index) if parts.paired_by_index else None
        if message is None:
            raise
        raise ValueError(message) from exc
    layout = layout_from_scans(scans)
    unify_categories(parts, scans)
    plan = _plan(sampler, layout.classes, layout.totals, parts, columns=parts.columns)
    return parts, layout, plan


def _plan(sampler, classes, counts, parts, *, columns=None):
    """The sampler's plan for these class counts, with its fitted attributes set."""
    if callable(sampler.sampling_strategy):
        raise ValueError(
            "A callable sampling_strategy needs the whole y in memory, which Dask input does not "
            "have. Pass the dict it would return instead; the class counts are "
            "y.value_counts().compute()."
        )
    return sampler._fit_plan(classes, counts, n_features=parts.n_cols, columns=columns)


def fit(sampler, X, y):
    """``sampler.fit(X, y)`` for Dask input: validate and plan (one pass)."""
    _prepare(sampler, X, y)
    return sampler


def fit_resample(sampler, X, y):
    """``sampler.fit_resample(X, y)`` for Dask input; see :mod:`smotekit.dask`."""
    parts, layout, plan = _prepare(sampler, X, y)
    out = _runner(sampler)(sampler, parts, layout, plan, sampler._seed())
    return _collections(sampler, parts, out)


class _DaskBackend:
    """The backend object of :mod:`smotekit._backends`: Dask collections go to this driver."""

    name = "dask"

    @staticmethod
    def handles(X, y) -> bool:
        return dask.is_dask_collection(X) or dask.is_dask_collection(y)

    fit = staticmethod(fit)
    fit_resample = staticmethod(fit_resample)


#: Registered by :mod:`smotekit.dask` on import, and named by the ``smotekit.backends`` entry point.
backend = _DaskBackend()


def _collections(sampler, parts, out):
    import dask.array as da
    import dask.dataframe as dd

    # Empty partitions are left out, so that the divisions are known and the output
    # aligns with other collections (e.g. X_res.assign(label=y_res)) without a shuffle.
    full = np.flatnonzero(out.lengths) if out.lengths.any() else np.arange(min(1, out.lengths.size))
    lengths = out.lengths[full]
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    final = [dask.delayed(with_index, pure=True)(out.triples[p], int(s), parts.x_meta, parts.y_meta)
             for p, s in zip(full, starts)]
    pieces = [[dask.delayed(operator.getitem, pure=True)(t, i) for t in final] for i in range(3)]
    divisions = tuple(int(s) for s in starts[:-1]) + (int(starts[-1]) - 1,) if starts[-1] else None
    prov_meta = provenance_frame(None, np.empty(0, np.int64))
    provenance = dd.from_delayed(pieces[2], meta=prov_meta, divisions=divisions, verify_meta=False)
    if parts.kind == "dataframe":
        X_res = dd.from_delayed(pieces[0], meta=parts.x_meta, divisions=divisions, verify_meta=False)
        y_res = dd.from_delayed(pieces[1], meta=parts.y_meta, divisions=divisions, verify_meta=False)
    else:
        d = parts.n_cols
        X_res = da.concatenate([da.from_delayed(p, shape=(int(n), d), dtype=parts.x_meta.dtype)
                                for p, n in zip(pieces[0], lengths)])
        y_res = da.concatenate([da.from_delayed(p, shape=(int(n),), dtype=parts.y_meta.dtype)
                                for p, n in zip(pieces[1], lengths)])
    sampler.provenance_ = provenance
    if sampler.__sklearn_tags__().sampler_tags.sample_indices:
        sampler.sample_indices_ = provenance["source"].to_dask_array(lengths=tuple(int(n) for n in lengths))
    return X_res, y_res


# --------------------------------------------------------------------------- shared steps

def _check_gather(n_rows, parts, what):
    itemsize = 8 if parts.kind == "dataframe" else parts.x_meta.dtype.itemsize
    need = int(n_rows) * max(parts.n_cols, 1) * itemsize
    limit = gather_limit()
    if need > limit:
        raise ValueError(
            f"Resampling on Dask gathers {what} onto one process: {int(n_rows):,} rows, about "
            f"{need / 2**20:,.0f} MiB, above the gather limit of {limit / 2**20:,.0f} MiB. Raise the "
            "limit if a worker has the memory (dask.config.set({'smotekit.gather-limit': '16GiB'}) "
            "or DASK_SMOTEKIT__GATHER_LIMIT), or resample fewer classes (sampling_strategy)."
        )


def _check_kernel_memory(support, n_add, n_gathered, parts):
    """Refuse, with the fixes, a kernel task that would not fit one worker's memory.

    The sampler's draws for every new row live in one task, which cannot spill
    (peak bytes per new row as the sampler declares them), beside a few copies
    of the gathered rows.
    """
    per_row = support.bytes_per_row
    if support.values_per_row:
        per_row += 8 * parts.n_cols  # generated values (or nominal codes) kept per new row
    need = _WORKER_BASE_BYTES + per_row * n_add + 3 * n_gathered * parts.n_cols * 8
    _refuse_above_limit(need, f"Over-sampling by {n_add:,} rows needs about {need / 2**30:.2f} GiB in one task",
                        "add fewer rows (sampling_strategy)")


def _check_output_memory(support, chunk_rows, n_gathered, parts):
    """Refuse, with the fixes, output tasks of pair draws that would not fit one worker's
    memory: each holds a few copies of the gathered rows and one chunk of new rows
    (their values, plus the peak bytes per new row the sampler declares)."""
    per_row = support.bytes_per_row + 8 * parts.n_cols
    need = _WORKER_BASE_BYTES + per_row * chunk_rows + 3 * n_gathered * parts.n_cols * 8
    _refuse_above_limit(need, f"Over-sampling needs about {need / 2**30:.2f} GiB in each output task "
                        f"({n_gathered:,} gathered rows and {chunk_rows:,} new rows)",
                        "gather fewer rows (sampling_strategy)")


def _refuse_above_limit(need, what, fewer):
    from distributed import default_client

    limits = [w.get("memory_limit") or 0 for w in default_client().scheduler_info()["workers"].values()]
    limit = min((m for m in limits if m), default=0)
    if limit and need > 0.9 * limit:
        raise ValueError(
            f"{what}, more than 90% of the smallest Dask worker's {limit / 2**30:.2f} GiB (Dask "
            "restarts a worker that reaches 95%). Start workers with more memory "
            f"(e.g. LocalCluster(n_workers=2, memory_limit='8GB')), or {fewer}."
        )


def _persist(*objs):
    """Compute delayed objects on the cluster and keep them there (errors raise here)."""
    from distributed import wait

    done = dask.persist(*objs)
    wait([d for d in done if dask.is_dask_collection(d)])
    return done


def _resolved(parts, layout):
    """Input partitions with their provenance (their own global ids) attached."""
    return [dask.delayed(_attach_ids, pure=True)(t, int(off)) for t, off in zip(parts.triples, layout.offsets)]


def _attach_ids(triple, offset):
    x, y, prov = triple
    return x, y, provenance_frame(prov, offset + np.arange(len(x), dtype=np.int64))


def _whole_k(sampler, support) -> int:
    """Neighbours among all rows that the sampler's rule needs per gathered row (0: none)."""
    counts = []
    for name in support.neighbours:
        value = getattr(sampler, name)
        resolved = resolve_neighbors(value, name=name)
        if not resolved.exact:
            raise TypeError(
                f"On Dask, {type(sampler).__name__}'s {name} must be an int (the exact search runs "
                f"partition by partition); got {value!r}."
            )
        counts.append(resolved.k)
    return max(counts, default=0)


# --------------------------------------------------------------------------- over-sampling

def _oversample(sampler, parts, layout, plan, seed, *, raw=False):
    """Run the sampler's kernel on the rows its result depends on: the classes being
    over-sampled, and their nearest rows among all the data when the sampler asks.
    ``raw``: synthetic rows as the kernel computed them, not yet cast to the
    columns' dtypes (integer columns unrounded), for a cleaner to search."""
    support = _declared(sampler)
    whole_k = _whole_k(sampler, support)
    kernel_args = {}
    if support.value_class_counts:
        # SMOTE-N's metric counts each value's classes over all the data.
        per_part = [dask.delayed(_value_class_counts, pure=True)(sampler, t, layout.classes)
                    for t in parts.triples]
        kernel_args["value_class_counts"] = dask.compute(dask.delayed(_sum_counts, pure=True)(*per_part))[0]
    targets, n_gathered = _over_sampled(plan, parts, layout)
    originals = _resolved(parts, layout)
    if not targets:
        return Output(originals, layout.lengths, layout.counts)
    small = gather(sampler, parts, layout, codes=targets)
    if whole_k:
        nn = knn(sampler, parts, layout, query_of(sampler, small), whole_k)
        ids, = _persist(dask.delayed(_support, pure=True)(small, nn))
        n_ids = dask.compute(dask.delayed(len)(ids))[0]
        _check_gather(n_ids, parts, "the over-sampled classes and their neighbours")
        n_gathered = int(n_ids)
        small = gather(sampler, parts, layout, ids=ids)
    n_add = np.array([c.n_add for c in plan.classes])
    total = int(n_add.sum())
    _check_kernel_memory(support, total, n_gathered, parts)
    size = _chunk_rows(layout)
    bounds = [(a, min(a + size, total)) for a in range(0, total, size)]
    kernel = dask.delayed(_run_kernel, pure=True, nout=len(bounds) + 1)(
        sampler, small, plan, seed, bounds, kernel_args, support.row_attributes)
    small, *kernel = _persist(small, *kernel)
    _adopt(sampler, *kernel[0].compute())
    synthetic = [dask.delayed(_materialize, pure=True)(sampler, small, payload, raw)
                 for payload in kernel[1:]]
    # Added rows come class by class, in code order: the class counts of each chunk.
    ends = np.cumsum(n_add)
    counts = np.array([[max(0, min(e, b) - max(e - n, a)) for e, n in zip(ends, n_add)]
                       for a, b in bounds], dtype=np.int64).reshape(len(bounds), n_add.size)
    return Output(originals + synthetic,
                  np.concatenate([layout.lengths, [b - a for a, b in bounds]]).astype(np.int64),
                  np.concatenate([layout.counts, counts]))


def _chunk_rows(layout, multiple=1):
    """Synthetic rows per output partition: the input's typical partition size, within
    bounds, in whole multiples of ``multiple`` rows."""
    typical = int(np.median(layout.lengths[layout.lengths > 0]))
    size = int(np.clip(typical, _MIN_CHUNK_ROWS, _MAX_CHUNK_ROWS))
    return max(1, round(size / multiple)) * multiple


def _adopt(sampler, fitted, caught):
    """Set the attributes fitted on the cluster, and repeat the sampler's warnings to the caller."""
    for message, category in caught:
        warnings.warn(message, category, stacklevel=5)
    for name, value in fitted.items():
        setattr(sampler, name, value)


def _in_clone(sampler, method, *args, **kwargs):
    """``method`` of a fresh clone of the sampler: its result, its fitted attributes, and
    the sampler's own warnings (not those of the libraries it calls inside a worker)."""
    est = clone(sampler)
    params = set(est.get_params(deep=False))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = getattr(est, method)(*args, **kwargs)
    fitted = {k: v for k, v in vars(est).items() if k not in params}
    return result, fitted, [(w.message, w.category) for w in caught if w.filename.startswith(_PACKAGE_DIR)]


def _over_sampled(plan, parts, layout):
    """Codes of the classes the plan adds rows to, and their rows in all, checked
    against the gather limit (those rows are gathered onto one process)."""
    targets = [code for code, c in enumerate(plan.classes) if c.n_add]
    n_gathered = int(layout.totals[targets].sum())
    if targets:
        _check_gather(n_gathered, parts, "the rows of the classes being over-sampled")
    return targets, n_gathered


def _support(small, nn):
    """Sorted global ids of the gathered rows and of all their neighbours."""
    return np.unique(np.concatenate([small[2], nn[1].ravel()]))


def _run_kernel(sampler, small, plan, seed, bounds, kernel_args, row_attributes):
    """The sampler's in-memory kernel on the gathered rows, its output cut into chunks."""
    x, _, gids, codes = small
    res, fitted, caught = _in_clone(sampler, "_fit_resample", sampler._read_X(x).kernel_input(), codes, plan, seed,
                                    **kernel_args)
    for name in row_attributes:
        if name in fitted:
            fitted[name] = {label: gids[np.asarray(r)] for label, r in fitted[name].items()}
    src = np.asarray(res.added_source)
    partner = None if res.added_partner is None else np.asarray(res.added_partner)
    gap = None if res.added_gap is None else np.asarray(res.added_gap, np.float64)
    blocks = res.added_blocks or None  # None: the added rows are copies of their sources
    del res
    # Positions among the gathered rows, in 32 bits when they fit: half the memory per chunk.
    width = np.int32 if gids.size < 2**31 else np.int64
    src = src.astype(width, copy=False)
    partner = None if partner is None else partner.astype(width, copy=False)
    if src.size != (bounds[-1][1] if bounds else 0):
        raise RuntimeError(f"{type(sampler).__name__} generated {src.size} rows where the plan asks "
                           f"for {bounds[-1][1] if bounds else 0}.")

    def cut(a, lo, hi):
        return None if a is None else a[lo:hi]

    payloads = [(src[a:b], cut(partner, a, b), cut(gap, a, b), None if blocks is None else _ship(blocks, a, b))
                for a, b in bounds]
    return ((fitted, caught), *payloads)


def _ship(blocks, start, stop):
    """The blocks' rows ``start:stop`` (of all their rows, stacked) as ``(rows, payload)`` pairs."""
    shipped, at = [], 0
    for block in blocks:
        lo, hi = max(start - at, 0), min(stop - at, block.n_rows)
        if lo < hi:
            shipped.append((hi - lo, block.payload(lo, hi)))
        at += block.n_rows
    return shipped


def _materialize(sampler, small, payload, raw):
    """One chunk of synthetic rows, in the caller's kind, with its provenance."""
    src, partner, gap, shipped = payload
    table = sampler._read_X(small[0])
    blocks = None
    if shipped is not None:
        base = table.kernel_input()
        blocks, at = [], 0
        for n, block in shipped:
            rows = slice(at, at + n)
            blocks.append(from_payload(block, base, src[rows], None if partner is None else partner[rows],
                                       None if gap is None else gap[rows]))
            at += n
    return _assembled(table, small, src, partner, gap, blocks, raw)


def _assembled(table, small, src, partner, gap, blocks, raw):
    """Synthetic rows (``src``, ``partner``: positions among the gathered rows ``small``;
    ``blocks`` None for copies of their sources) in the caller's kind, with their provenance."""
    import pandas as pd

    x, y, gids, _ = small
    if blocks is None:
        X_new = table.assemble(_NONE, src, None)
    elif raw and table.kind == "pandas" and not any(isinstance(b, MixedBlock) for b in blocks):
        values = [b.materialize() for b in blocks]
        X_new = pd.DataFrame(values[0] if len(values) == 1 else np.concatenate(values), columns=x.columns)
    else:
        X_new = table.assemble(_NONE, src, blocks, partner, gap)
    y_new = read_y(y, len(gids)).take(src)
    prov = pd.DataFrame({
        "is_synthetic": np.ones(src.size, bool), "source": gids[src],
        "partner": np.full(src.size, -1, np.int64) if partner is None else gids[partner],
        "gap": np.full(src.size, np.nan) if gap is None else gap,
    })
    return X_new, y_new, prov


def _pairs(sampler, parts, layout, plan, seed, *, raw=False):
    """Over-sampling by draws of pairs (:class:`~smotekit._generation.PairTable`): one
    task computes what the draws depend on (the neighbour tables of the gathered
    classes); every output task draws its own blocks of pairs and builds its rows,
    so generation runs on every worker and no task holds the draws of all new rows.
    Each output partition is whole draw blocks of one class: no block is drawn twice.
    ``raw`` as for :func:`_oversample`."""
    targets, n_gathered = _over_sampled(plan, parts, layout)
    originals = _resolved(parts, layout)
    if not targets:
        return Output(originals, layout.lengths, layout.counts)
    size = _chunk_rows(layout, DRAW_BLOCK_ROWS)
    _check_output_memory(_declared(sampler), size, n_gathered, parts)
    small = gather(sampler, parts, layout, codes=targets)
    kernel = dask.delayed(_run_tables, pure=True, nout=2)(sampler, small, plan)
    small, adopted, tables = _persist(small, *kernel)
    _adopt(sampler, *adopted.compute())
    chunks = [(i, code, a, min(a + size, plan.classes[code].n_add))
              for i, code in enumerate(targets) for a in range(0, plan.classes[code].n_add, size)]
    synthetic = [dask.delayed(_draw_chunk, pure=True)(sampler, small, tables, seed, i, a, b, raw)
                 for i, _, a, b in chunks]
    counts = np.zeros((len(chunks), layout.classes.size), dtype=layout.counts.dtype)
    for row, (_, code, a, b) in enumerate(chunks):
        counts[row, code] = b - a
    return Output(originals + synthetic, np.concatenate([layout.lengths, counts.sum(axis=1)]).astype(np.int64),
                  np.concatenate([layout.counts, counts]))


def _run_tables(sampler, small, plan):
    """The sampler's pair tables of the gathered rows (one per class over-sampled, in
    class order), and what fitting them set."""
    x, _, _, codes = small
    tables, fitted, caught = _in_clone(sampler, "_pair_tables", sampler._read_X(x).kernel_input(), codes, plan)
    asked = [c.n_add for c in plan.classes if c.n_add]
    if [t.n_samples for t in tables] != asked:
        raise RuntimeError(f"{type(sampler).__name__}'s pair tables draw {[t.n_samples for t in tables]} rows "
                           f"where the plan asks for {asked}, one table per class over-sampled.")
    return (fitted, caught), tables


def _draw_chunk(sampler, small, tables, seed, which, start, stop, raw):
    """New rows ``start:stop`` of the class of table ``which``, drawn here, with their provenance."""
    table = sampler._read_X(small[0])
    piece = tables[which].piece(table.kernel_input(), seed, start, stop)
    return _assembled(table, small, piece.source, piece.partner, piece.gap, [piece.block], raw)


def _value_class_counts(sampler, triple, classes):
    """Per nominal column, ``{value: rows per class}`` of one partition."""
    x, y, _ = triple
    if len(x) == 0:
        return None
    m = sampler._read_X(x).kernel_input()
    codes = codes_of(y, classes)
    out = []
    for j, cats in enumerate(m.categories):
        c = np.bincount(m.codes[:, j].astype(np.int64) * classes.size + codes,
                        minlength=len(cats) * classes.size).reshape(len(cats), classes.size)
        out.append({v: c[i] for i, v in enumerate(cats.tolist())})
    return out


def _sum_counts(*parts):
    total = None
    for part in parts:
        if part is None:
            continue
        if total is None:
            total = [dict(col) for col in part]
            continue
        for mine, theirs in zip(total, part):
            for v, c in theirs.items():
                mine[v] = mine[v] + c if v in mine else c
    return total


# --------------------------------------------------------------------------- row selection

def _filter(triple, offset, classes, keep_spec):
    """A partition's rows kept by ``keep_spec``: ``('ids', removed global ids)`` or
    ``('picks', {code: positions among the partition's rows of that class})``."""
    x, y, prov = triple
    n = len(x)
    gids = offset + np.arange(n, dtype=np.int64)
    prov = provenance_frame(prov, gids)
    how, what = keep_spec
    if how == "ids":
        rows = np.flatnonzero(~np.isin(gids, what))
    else:
        codes = codes_of(y, classes)
        mask = np.ones(n, dtype=bool)
        chosen = []
        for code, picks in what.items():
            members = np.flatnonzero(codes == code)
            mask[members] = False
            chosen.append(members[picks])
        rows = np.sort(np.concatenate([np.flatnonzero(mask), *chosen]))
    return take(x, rows), take(y, rows), prov.iloc[rows].reset_index(drop=True)


def _undersample(sampler, parts, layout, plan, seed):
    """Random under-sampling: which rows of a class are kept depends only on its size."""
    picks = {code: sampler._picks(cls, code, seed) for code, cls in enumerate(plan.classes)}
    picks = {code: p for code, p in picks.items() if p is not None}
    starts = np.cumsum(layout.counts, axis=0) - layout.counts
    triples, counts = [], layout.counts.copy()
    for p, (t, off) in enumerate(zip(parts.triples, layout.offsets)):
        spec = {}
        for code, pk in picks.items():
            lo, hi = np.searchsorted(pk, [starts[p, code], starts[p, code] + layout.counts[p, code]])
            spec[code] = pk[lo:hi] - starts[p, code]
            counts[p, code] = hi - lo
        triples.append(dask.delayed(_filter, pure=True)(t, int(off), layout.classes, ("picks", spec)))
    return Output(triples, counts.sum(axis=1), counts)


def _remove(parts, layout, removed_ids, removed_codes):
    """Output without the given global ids (sorted), with exact sizes."""
    triples, counts = [], layout.counts.copy()
    for p, (t, off, n) in enumerate(zip(parts.triples, layout.offsets, layout.lengths)):
        lo, hi = np.searchsorted(removed_ids, [off, off + n])
        counts[p] -= np.bincount(removed_codes[lo:hi], minlength=layout.classes.size)
        triples.append(dask.delayed(_filter, pure=True)(t, int(off), layout.classes,
                                                        ("ids", removed_ids[lo:hi])))
    return Output(triples, counts.sum(axis=1), counts)


def _targeted(plan):
    return [code for code, c in enumerate(plan.classes) if c.targeted]


def _side(parts, layout, sampler):
    """The rows of every class but the largest: each Tomek link and each edited row
    of the largest class involves one of them."""
    largest = int(np.argmax(layout.totals))
    others = [c for c in range(layout.classes.size) if c != largest]
    _check_gather(layout.totals[others].sum(), parts, "every class but the largest")
    return largest, gather(sampler, parts, layout, codes=others)


def _tomek(sampler, parts, layout, plan, seed):
    largest, side = _side(parts, layout, sampler)
    side, nn = _persist(side, knn(sampler, parts, layout, query_of(sampler, side), 1))
    # Links from the side rows' nearest neighbours; the partners outside the side
    # need their own nearest neighbour to confirm the link.
    far_ids, = _persist(dask.delayed(_unknown_partners, pure=True)(side, nn))
    far = gather(sampler, parts, layout, ids=far_ids)
    far_nn = knn(sampler, parts, layout, query_of(sampler, far), 1)
    removed = dask.delayed(_tomek_removed, pure=True)(side, nn, far, far_nn, _targeted(plan))
    removed_ids, removed_codes = dask.compute(removed)[0]
    return _remove(parts, layout, removed_ids, removed_codes)


def _unknown_partners(side, nn):
    _, _, gids, codes = side
    cross = nn[2][:, 0] != codes
    partners = np.unique(nn[1][cross, 0])
    return partners[~np.isin(partners, gids)]


def _tomek_removed(side, nn, far, far_nn, targeted):
    """Sorted global ids (and codes) of the targeted members of Tomek links: every link
    has a side row, and both its rows' nearest neighbours are known."""
    ids = np.concatenate([side[2], far[2]])
    nearest = np.concatenate([nn[1][:, 0], far_nn[1][:, 0]])
    codes = np.concatenate([side[3], far[3]])
    removed = tomek_linked(ids, nearest, codes) & np.isin(codes, targeted)
    order = np.argsort(ids[removed])
    return ids[removed][order], codes[removed][order]


def _edited(sampler, parts, layout, plan, seed):
    """Wilson's editing: every targeted row of the smaller classes is searched; a row
    of the largest class can only be edited if a smaller-class row is among its
    neighbours, which its partition plus the smaller classes already rule out
    for most rows (their k-th neighbour there bounds the true one)."""
    k = _whole_k(sampler, _declared(sampler))
    if layout.n_rows <= k:
        raise ValueError(
            f"n_neighbors={k} needs at least {k + 1} rows (each row plus {k} neighbours); "
            f"got {layout.n_rows}. Lower n_neighbors."
        )
    sampler.nn_ = sampler._make_nn()  # as EditedNearestNeighbours._fit_resample sets it
    targeted = _targeted(plan)
    largest, side = _side(parts, layout, sampler)
    side, = _persist(side)
    checks = []
    if any(c != largest for c in targeted):
        rows = dask.delayed(_rows_of, pure=True)(side, [c for c in targeted if c != largest])
        checks.append((rows, knn(sampler, parts, layout, query_of(sampler, rows), k)))
    if largest in targeted:
        screened = [dask.delayed(_edit_candidates, pure=True)(sampler, t, int(off), layout.classes,
                                                               side, largest, k)
                    for t, off in zip(parts.triples, layout.offsets)]
        cand_ids, = _persist(dask.delayed(_concat_ids, pure=True)(*screened))
        cand = gather(sampler, parts, layout, ids=cand_ids)
        checks.append((cand, knn(sampler, parts, layout, query_of(sampler, cand), k)))
    decided = [dask.delayed(_edited_removed, pure=True)(rows, nn, sampler.kind_sel, layout.classes.size)
               for rows, nn in checks]
    removed = dask.compute(*decided)
    ids = np.concatenate([r[0] for r in removed]) if removed else np.empty(0, np.int64)
    codes = np.concatenate([r[1] for r in removed]) if removed else np.empty(0, np.int64)
    order = np.argsort(ids)
    return _remove(parts, layout, ids[order], codes[order])


def _rows_of(gathered, codes_wanted):
    x, y, gids, codes = gathered
    rows = np.flatnonzero(np.isin(codes, codes_wanted))
    return take(x, rows), take(y, rows), gids[rows], codes[rows]


def _edit_candidates(sampler, triple, offset, classes, side, largest, k):
    """Global ids of the largest-class rows of one partition whose neighbours, among
    the partition and the smaller classes, are not all of their class."""
    x, y, _ = triple
    codes = codes_of(y, classes)
    mine = np.flatnonzero(codes == largest)
    if mine.size == 0:
        return np.empty(0, np.int64)
    gids = offset + np.arange(len(x), dtype=np.int64)
    sx, _, sgids, scodes = side
    X_part = kernel_values(sampler, x)
    X_side = kernel_values(sampler, sx) if len(sgids) else X_part[:0]
    # The partition's rows and the side rows of other partitions, in global order, so
    # that ties go by global id as in the exact search.
    outside = (sgids < offset) | (sgids >= offset + len(x))
    all_ids = np.concatenate([gids, sgids[outside]])
    order = np.argsort(all_ids, kind="stable")
    X_red = np.concatenate([np.asarray(X_part), np.asarray(X_side)[outside]])[order]
    codes_red = np.concatenate([codes, scodes[outside]])[order]
    if X_red.shape[0] <= k:
        return gids[mine]
    keep = edited_keep(X_red, codes_red, [largest], k, "all", n_jobs=1)
    doubtful = all_ids[order][~keep & (codes_red == largest)]
    return np.sort(doubtful)


def _concat_ids(*ids):
    return np.concatenate(ids)


def _edited_removed(rows, nn, kind_sel, n_classes):
    _, _, gids, codes = rows
    keep = edited_agree(nn[2], codes, kind_sel, n_classes)
    return gids[~keep], codes[~keep]


# --------------------------------------------------------------------------- combinations

def _combine(sampler, parts, layout, plan, seed):
    """The hybrid's over-sampler, then its cleaner on the over-sampled collection:
    provenance flows through the cleaner's filter."""
    smote, smote_seed, cleaner = sampler._steps(seed)
    for step in (smote, cleaner):
        _declared(step)
        step._validate_params()
        step._check_params(parts.n_cols)
    over_plan = _plan(smote, layout.classes, layout.totals, parts)
    # The cleaner searches the synthetic values as computed, as in memory (integer
    # columns are rounded only in the output).
    over = _runner(smote)(smote, parts, layout, over_plan, smote_seed, raw=True)
    _collections(smote, parts, over)  # smote_.provenance_, as in memory
    over_parts = copy.copy(parts)
    over_parts.triples = over.triples
    over_layout = Layout(over.lengths, layout.classes, over.counts)
    clean_plan = _plan(cleaner, layout.classes, over_layout.totals, parts)
    out = _runner(cleaner)(cleaner, over_parts, over_layout, clean_plan, np.random.SeedSequence(0))
    if parts.kind == "dataframe":
        dtypes = list(parts.x_meta.dtypes)
        out.triples = [dask.delayed(_cast_like, pure=True)(t, dtypes) for t in out.triples]
    return out


def _cast_like(triple, dtypes):
    """A partition's columns back in the input's dtypes (integer columns rounded)."""
    x, y, prov = triple
    if list(x.dtypes) != dtypes:
        x = cast_columns(x, dtypes)
    return x, y, prov


# How each rule of PartitionedSupport runs here.
_RULES = {"kernel": _oversample, "pairs": _pairs, "picks": _undersample, "tomek": _tomek, "edited": _edited,
          "steps": _combine}
