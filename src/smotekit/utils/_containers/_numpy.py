"""The numpy adapter: numpy arrays, lists and anything else numpy reads (the fallback)."""

from __future__ import annotations

import numpy as np

from ._checks import column_is_numeric, fail_non_numeric, first_non_number, reject_complex, require_2d
from ._dtypes import fit_to_dtype
from ._table import Adapter, MixedColumns, Table, generated_column, output_rows

__all__ = ["NumpyAdapter"]


class NumpyAdapter(Adapter):
    """Arrays in, arrays out; integer arrays stay integer (rounded, as imbalanced-learn returns them)."""

    name = "numpy"

    def types(self) -> tuple:
        return (object,)  # asked last: whatever no other adapter claims is read as an array

    def label_types(self) -> tuple:
        return (object,)

    def read(self, X, *, numeric, accept_sparse):
        arr = np.asarray(X)
        require_2d(arr.shape)
        reject_complex([arr.dtype])
        values = arr
        if numeric:
            if arr.dtype.kind in "OUS":
                try:
                    values = arr.astype(np.float64)
                except (TypeError, ValueError):
                    bad = [j for j in range(arr.shape[1]) if not column_is_numeric(arr[:, j])]
                    fail_non_numeric(bad[:5], f"holding strings or other objects; "
                                              f"{first_non_number(arr[:, bad[0]] if bad else arr.ravel())}")
            elif arr.dtype.kind != "f" or arr.dtype.itemsize not in (4, 8):
                values = arr.astype(np.float64)
        return Table(X, self, arr.shape[0], arr.shape[1], _values=values, as_list=isinstance(X, list))

    def take(self, obj, rows):
        return np.asarray(obj)[rows]

    def column(self, table, j, dtype):
        return np.asarray(table.original)[:, j].astype(dtype)

    def read_labels(self, y):
        labels = np.asarray(y)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels.ravel()
        return labels, labels

    def build(self, table, kept, blocks, ends):
        if ends.partners is not None and np.asarray(table.original).dtype.kind in "iu":
            return _build_integers(table, kept, blocks, ends)
        return output_rows(table, kept, blocks, order="C")

    def mixed_columns(self, X, *, accept_sparse):
        arr = np.asarray(X)
        require_2d(arr.shape, hint=False)
        reject_complex([arr.dtype])
        table = Table(X, self, arr.shape[0], arr.shape[1], numeric=False, as_list=isinstance(X, list))
        return _ArrayColumns(table, arr)

    def build_mixed(self, table, kept, blocks, ends):
        m = table.mixed
        codes, cont = m.generated(blocks)
        n_new = codes.shape[0]
        arr = np.asarray(table.original)
        # Integer arrays stay integer, as in imbalanced-learn (SMOTE-N copies
        # category values; SMOTE-NC rounds its interpolated columns).
        if arr.dtype.kind in "fiu":
            dtype = arr.dtype
        else:
            dtype = np.dtype(object if arr.dtype.kind in "OUS" else np.float64)
        n_kept = len(kept)
        out = np.empty((n_kept + n_new, table.n_cols), dtype=dtype)
        full = table.keeps_all(kept)
        out[:n_kept] = arr if full else arr[np.asarray(kept)]
        if dtype.kind == "O":  # continuous cells as numbers in every row, as in the new ones
            out[:n_kept, m.continuous] = m.values if full else m.values[np.asarray(kept)]
        # Column by column: a fancy-indexed 2-D assignment is several times slower.
        for i, j in enumerate(m.continuous):
            if dtype.kind in "fiu":
                out[n_kept:, j] = fit_to_dtype(cont[:, i], dtype, ends.column(j))[0]
            else:
                out[n_kept:, j] = cont[:, i]
        for i, j in enumerate(m.nominal):
            out[n_kept:, j] = m.categories[i][codes[:, i]]
        return out


def _build_integers(table, kept, blocks, ends):
    """An integer array's output: its kept rows exactly, then rows generated
    from pairs of rows (the SMOTE family) in its dtype, as imbalanced-learn
    returns them, by :func:`fit_to_dtype`'s rule (rounded, never wrapped)."""
    arr = np.asarray(table.original)
    n_kept = len(kept)
    new = np.empty(sum(b.n_rows for b in blocks), dtype=table.values.dtype)  # one column's values at a time
    out = np.empty((n_kept + new.size, table.n_cols), dtype=arr.dtype)
    out[:n_kept] = arr if table.keeps_all(kept) else arr[np.asarray(kept)]
    for j in range(table.n_cols):
        out[n_kept:, j] = fit_to_dtype(generated_column(blocks, j, new), arr.dtype, ends.column(j))[0]
    return out


class _ArrayColumns(MixedColumns):
    def __init__(self, table, arr):
        super().__init__(table)
        self.arr = arr

    def nominal_mask(self):
        arr = self.arr
        if arr.dtype.kind in "OUS":
            return np.array([not column_is_numeric(arr[:, j]) for j in range(arr.shape[1])], dtype=bool)
        return super().nominal_mask()

    def continuous(self, positions, names):
        arr = self.arr
        sub = arr[:, positions]
        if arr.dtype.kind == "f" and arr.dtype.itemsize in (4, 8):
            return sub
        try:
            return sub.astype(np.float64)
        except (TypeError, ValueError):
            return [int(j) for j in positions if not column_is_numeric(arr[:, j])]

    def values(self, j):
        return self.arr[:, j], False
