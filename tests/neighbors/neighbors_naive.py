"""The reference the engine tests of this folder compare with: exact neighbours
from float64 coordinate differences over the full distance matrix."""

from __future__ import annotations

import numpy as np


def naive(X, k, query=None, query_rows=None):
    """Exact neighbours from float64 coordinate differences, ordered by
    (distance, index); a row is never its own neighbour, its duplicates are."""
    self_search = query is None and query_rows is None
    Q = X if self_search else (X[query_rows] if query_rows is not None else query)
    diff = X[None, :, :] - Q[:, None, :]
    D = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    if self_search:
        np.fill_diagonal(D, np.inf)
    elif query_rows is not None:
        D[np.arange(Q.shape[0]), query_rows] = np.inf
    cols = np.arange(X.shape[0])
    idx = np.array([np.lexsort((cols, row))[:k] for row in D], dtype=np.int64).reshape(-1, k)
    return idx, np.take_along_axis(D, idx, axis=1)
