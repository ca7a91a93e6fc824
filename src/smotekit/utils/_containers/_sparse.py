"""The scipy sparse adapter: CSR and CSC matrices and arrays in, the same format out."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ._checks import refuse_sparse, reject_complex
from ._table import Adapter, MixedColumns, Table

__all__ = ["SparseAdapter"]


class SparseAdapter(Adapter):
    """Sparse in, sparse out, in the input's format (other formats are read as CSR)."""

    name = "sparse"

    def types(self) -> tuple:
        return (sparse.spmatrix, sparse.sparray)

    def read(self, X, *, numeric, accept_sparse):
        if not accept_sparse:
            refuse_sparse()
        if X.format not in ("csr", "csc"):
            X = X.tocsr()
        _require_2d(X)
        reject_complex([X.dtype])
        values = X
        if numeric and values.dtype.kind not in "fc":
            values = values.astype(np.float64)
        return Table(X, self, X.shape[0], X.shape[1], _values=values)

    def take(self, obj, rows):
        return obj[rows]

    def build(self, table, kept, blocks, ends):
        values = table.values
        return sparse.vstack([values[kept], *[b.materialize() for b in blocks]],
                             format=table.original.format).astype(values.dtype)

    def mixed_columns(self, X, *, accept_sparse):
        if not accept_sparse:
            refuse_sparse()
        _require_2d(X)
        # Nominal columns are read one at a time (see values()) and only the continuous
        # block is made dense (the kernels need it so): the whole matrix never is.
        X = X if X.format in ("csr", "csc") else X.tocsr()
        reject_complex([X.dtype])
        return _SparseColumns(Table(X, self, X.shape[0], X.shape[1], None, [X.dtype], numeric=False))

    def build_mixed(self, table, kept, blocks, ends):
        m = table.mixed
        codes, cont = m.generated(blocks)
        X = table.original
        new = np.empty((codes.shape[0], table.n_cols), dtype=X.dtype)
        new[:, m.continuous] = cont
        for i, j in enumerate(m.nominal):
            new[:, j] = m.categories[i][codes[:, i]]
        kept_rows = X if table.keeps_all(kept) else X[np.asarray(kept)]
        return sparse.vstack([kept_rows, sparse.csr_matrix(new)], format=X.format).astype(X.dtype, copy=False)


def _require_2d(X):
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}.")


class _SparseColumns(MixedColumns):
    def continuous(self, positions, names):
        X = self.table.original
        dt = X.dtype if X.dtype.kind == "f" and X.dtype.itemsize in (4, 8) else np.float64
        return X[:, positions].toarray().astype(dt, copy=False)

    def values(self, j):
        """Column ``j`` as a dense 1-D array (implicit zeros included)."""
        return self.table.original[:, [int(j)]].toarray().ravel(), False
