"""Exact k nearest neighbours of a gathered query set among all partitions.

The search and the merge are :mod:`smotekit.neighbors._merge`'s (why the
merged answer equals the in-memory one is told there); this module builds the
task graph: gather rows, one search task per partition, merges in a tree.
"""

from __future__ import annotations

import dask
import numpy as np

from ..neighbors._merge import merge_knn, part_knn
from ._partitions import codes_of, concat, kernel_values, take

__all__ = ["gather", "knn"]

# Partial answers merged per task: bounds a merge task's memory to this many
# (n_queries x (k + 1)) blocks.
_FAN_IN = 8


def _select(sampler, triple, offset, classes, codes_wanted, ids):
    """Rows of one partition wanted by code or by global id, with their ids and codes."""
    x, y, _ = triple
    gids = offset + np.arange(len(x), dtype=np.int64)
    codes = codes_of(y, classes)
    if ids is not None:
        lo, hi = np.searchsorted(ids, [offset, offset + len(x)])
        rows = ids[lo:hi] - offset
    else:
        rows = np.flatnonzero(np.isin(codes, codes_wanted))
    return take(x, rows), take(y, rows), gids[rows], codes[rows]


def _stack(kind, x_meta, y_meta, *pieces):
    xs, ys, gids, codes = zip(*pieces)
    return concat(xs, kind, x_meta), concat(ys, kind, y_meta), np.concatenate(gids), np.concatenate(codes)


def gather(sampler, parts, layout, *, codes=None, ids=None):
    """Delayed ``(x, y, gids, codes)`` of the rows of the given classes, or of the given
    sorted global ids (a delayed array), in global row order."""
    wanted = None if codes is None else np.asarray(codes, dtype=np.int64)
    pieces = [dask.delayed(_select, pure=True)(sampler, t, int(off), layout.classes, wanted, ids)
              for t, off in zip(parts.triples, layout.offsets)]
    return dask.delayed(_stack, pure=True)(parts.kind, parts.x_meta, parts.y_meta, *pieces)


def _query(sampler, gathered):
    x, _, gids, _ = gathered
    return kernel_values(sampler, x), gids


def _partition_knn(sampler, triple, offset, classes, query, k):
    Q, qid = query
    x, y, _ = triple
    # The sampler's reader refuses 0 rows; part_knn answers an empty part with 0 columns.
    X = kernel_values(sampler, x) if len(x) else np.empty((0, Q.shape[1]))
    dist, gid, local = part_knn(X, Q, qid, offset, k)
    # Padding (a partition of at most k rows) has no class: -1, never kept (its distance is inf).
    return dist, gid, np.where(local >= 0, codes_of(y, classes)[local], -1)


def _finish(k, merged):
    dist, gid, code = merged
    if dist.shape[1] < k or (dist.size and not np.isfinite(dist[:, -1]).all()):
        raise ValueError(
            f"{k} neighbours were asked, but the data have fewer than {k + 1} rows; lower the "
            "number of neighbours."
        )
    return dist, gid, code


def knn(sampler, parts, layout, query, k):
    """Delayed ``(distances, global ids, class codes)`` of the ``k`` nearest rows of
    all partitions to each query row; ``query`` is a delayed ``(values, gids)``."""
    answers = [dask.delayed(_partition_knn, pure=True)(sampler, t, int(off), layout.classes, query, k)
               for t, off in zip(parts.triples, layout.offsets)]
    while len(answers) > 1:
        answers = [dask.delayed(merge_knn, pure=True)(k, *answers[i:i + _FAN_IN])
                   for i in range(0, len(answers), _FAN_IN)]
    return dask.delayed(_finish, pure=True)(k, dask.delayed(merge_knn, pure=True)(k, answers[0]))


query_of = dask.delayed(_query, pure=True)
