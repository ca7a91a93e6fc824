"""Reading Y (every kind of multi-label target) and giving it back in the caller's kind."""

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import sparse

from smotekit.multilabel._target import read_labels

MATRIX = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1], [0, 0, 0]])
KEPT, SOURCE = np.array([0, 2, 3]), np.array([2, 1])
ROWS = np.concatenate([KEPT, SOURCE])
ADDED = np.array([[0, 1, 1], [1, 1, 1]], dtype=bool)


def _dense(Y):
    """Any indicator output as a numpy int matrix."""
    if sparse.issparse(Y):
        return Y.toarray().astype(int)
    if isinstance(Y, (pd.DataFrame, pl.DataFrame)):
        return Y.to_numpy().astype(int)
    return np.asarray(Y).astype(int)


@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.uint8, bool, np.float32])
def test_numpy_indicator_dtype_kept(dtype):
    Y = MATRIX.astype(dtype)
    target = read_labels(Y, 4)
    assert target.kind == "numpy" and target.matrix.dtype == bool
    np.testing.assert_array_equal(target.labels, [0, 1, 2])
    copies = target.assemble(KEPT, SOURCE)
    generated = target.assemble(KEPT, SOURCE, ADDED)
    assert copies.dtype == dtype and generated.dtype == dtype
    np.testing.assert_array_equal(_dense(copies), MATRIX[ROWS])
    np.testing.assert_array_equal(_dense(generated), np.vstack([MATRIX[KEPT], ADDED]))


@pytest.mark.parametrize("dtype", ["int64", "int8", "bool", "Int64", "boolean", "float64"])
def test_pandas_indicator_names_and_dtypes_kept(dtype):
    Y = pd.DataFrame(MATRIX, columns=["x", "y", "z"], index=[10, 11, 12, 13]).astype(dtype)
    Y["z"] = Y["z"].astype("int16")  # columns of different dtypes keep theirs
    target = read_labels(Y, 4)
    assert list(target.labels) == ["x", "y", "z"]
    for out in (target.assemble(KEPT, SOURCE), target.assemble(KEPT, SOURCE, ADDED)):
        assert isinstance(out, pd.DataFrame)
        assert list(out.columns) == ["x", "y", "z"]
        assert list(out.dtypes) == list(Y.dtypes)
        assert list(out.index) == list(range(5))  # fresh index, as for X
    np.testing.assert_array_equal(_dense(target.assemble(KEPT, SOURCE)), MATRIX[ROWS])
    np.testing.assert_array_equal(_dense(target.assemble(KEPT, SOURCE, ADDED)), np.vstack([MATRIX[KEPT], ADDED]))


def test_polars_indicator_schema_kept():
    Y = pl.DataFrame({"x": MATRIX[:, 0], "y": MATRIX[:, 1].astype(bool), "z": MATRIX[:, 2].astype(np.int8)})
    target = read_labels(Y, 4)
    assert list(target.labels) == ["x", "y", "z"]
    for out in (target.assemble(KEPT, SOURCE), target.assemble(KEPT, SOURCE, ADDED)):
        assert isinstance(out, pl.DataFrame) and out.schema == Y.schema
    np.testing.assert_array_equal(_dense(target.assemble(KEPT, SOURCE, ADDED)), np.vstack([MATRIX[KEPT], ADDED]))


@pytest.mark.parametrize("make", [sparse.csr_matrix, sparse.csc_matrix, sparse.coo_matrix, sparse.csr_array])
def test_sparse_indicator_comes_back_csr(make):
    Y = make(MATRIX.astype(np.int32))
    target = read_labels(Y, 4)
    for out in (target.assemble(KEPT, SOURCE), target.assemble(KEPT, SOURCE, ADDED)):
        assert sparse.issparse(out) and out.format == "csr" and out.dtype == np.int32
        assert isinstance(out, sparse.sparray) == isinstance(Y, sparse.sparray)
    np.testing.assert_array_equal(_dense(target.assemble(KEPT, SOURCE)), MATRIX[ROWS])
    np.testing.assert_array_equal(_dense(target.assemble(KEPT, SOURCE, ADDED)), np.vstack([MATRIX[KEPT], ADDED]))


SETS = [["b", "a"], ["a"], ["a", "c"], []]


@pytest.mark.parametrize("outer", [list, tuple, "series", "numpy", "polars"])
@pytest.mark.parametrize("inner", [list, tuple, set, frozenset])
def test_label_collections_round_trip(outer, inner):
    rows = [inner(r) for r in SETS]
    if outer == "series":
        Y = pd.Series(rows, name="tags", index=[5, 6, 7, 8])
    elif outer == "numpy":
        Y = np.empty(4, dtype=object)
        Y[:] = rows
    elif outer == "polars":
        if inner in (set, frozenset):
            pytest.skip("a polars Series holds lists only")
        Y = pl.Series("tags", [list(r) for r in rows])
    else:
        Y = outer(rows)
    target = read_labels(Y, 4)
    assert target.kind == "sets"
    assert list(target.labels) == ["a", "b", "c"]  # the sorted union
    np.testing.assert_array_equal(target.matrix, MATRIX.astype(bool))
    copies = target.assemble(KEPT, SOURCE)
    generated = target.assemble(KEPT, SOURCE, ADDED)
    for out in (copies, generated):
        if outer == "series":
            assert isinstance(out, pd.Series) and out.name == "tags" and list(out.index) == list(range(5))
        elif outer == "numpy":
            assert isinstance(out, np.ndarray) and out.dtype == object and out.shape == (5,)
        elif outer == "polars":
            assert isinstance(out, pl.Series) and out.name == "tags" and out.dtype == Y.dtype
        else:
            assert type(out) is outer
        items = list(out)
        if outer != "polars":
            assert all(type(item) is inner for item in items)
    # Kept and copied rows are the caller's collections, items in their order (copies, not aliases).
    items = list(copies)
    expected = [SETS[i] for i in ROWS]
    assert [list(x) for x in items] == [list(inner(e)) for e in expected]
    if outer != "polars" and inner in (list, set):  # tuples and frozensets are immutable: shared is fine
        assert all(items[j] is not rows[i] for j, i in enumerate(ROWS))
    # Generated rows list their labels in sorted order.
    assert [sorted(x) for x in list(generated)[3:]] == [["b", "c"], ["a", "b", "c"]]
    if inner in (list, tuple):
        assert list(list(generated)[3]) == ["b", "c"]


def test_label_collections_of_integers_and_empty_rows():
    target = read_labels([[3], [], [1, 3]], 3)
    np.testing.assert_array_equal(target.labels, [1, 3])
    np.testing.assert_array_equal(target.matrix, [[0, 1], [0, 0], [1, 1]])
    out = target.assemble(range(3), np.array([2]), np.array([[True, False]]))
    assert out == [[3], [], [1, 3], [1]]


def test_mixed_inner_kinds_come_back_as_lists():
    target = read_labels([["a"], ("b",), {"a", "b"}], 3)
    out = target.assemble(range(3), np.array([0]), np.array([[True, True]]))
    assert all(type(x) is list for x in out) and out[3] == ["a", "b"]


def test_inputs_never_modified():
    Y = MATRIX.copy()
    frame = pd.DataFrame(MATRIX, columns=list("xyz"))
    rows = [list(r) for r in SETS]
    for obj in (Y, frame, rows):
        target = read_labels(obj, 4)
        target.assemble(KEPT, SOURCE, ADDED)
    np.testing.assert_array_equal(Y, MATRIX)
    pd.testing.assert_frame_equal(frame, pd.DataFrame(MATRIX, columns=list("xyz")))
    assert rows == [list(r) for r in SETS]


@pytest.mark.parametrize("Y, error, match", [
    (np.array([[0, 2], [1, 0]]), ValueError, r"only 0 and 1.*found \[2\]"),
    (np.array([[0.5, 1.0], [1.0, 0.0]]), ValueError, "only 0 and 1"),
    (np.array([["a", "b"], ["c", "d"]]), TypeError, "dtype"),
    (np.array([0, 1, 1, 0]), ValueError, "smotekit.over_sampling / smotekit.under_sampling"),
    (np.zeros((2, 2, 2)), ValueError, "shape"),
    (["a", "b"], ValueError, "smotekit.over_sampling"),
    ([1, 0], ValueError, "smotekit.over_sampling"),
    (pd.Series([0, 1]), ValueError, "smotekit.over_sampling"),
    (pl.Series([0, 1]), ValueError, "smotekit.over_sampling"),
    ([["a", "a"], ["b"]], ValueError, "lists a label twice"),
    ([[0, 1], [1, 0]], ValueError, r"numpy.asarray\(Y\)"),
    ([["a"], [1]], TypeError, "cannot be sorted"),
    (pd.DataFrame({"x": [0, 1], "y": ["a", "b"]}), TypeError, "column 'y'"),
    (pd.DataFrame({"x": [0.0, np.nan]}), ValueError, "missing"),
    (pd.DataFrame({"x": [0, 3]}), ValueError, "only 0 and 1"),
    (sparse.csr_matrix(np.array([[0, 5], [1, 0]])), ValueError, "only 0 and 1"),
    ([[], []], ValueError, "no labels"),
    (np.zeros((2, 0)), ValueError, "no labels"),
    (None, ValueError, "Y is None"),
    ({"a": 1}, TypeError, "not a multi-label target"),
])
def test_refused_targets(Y, error, match):
    with pytest.raises(error, match=match):
        read_labels(Y, 2 if not isinstance(Y, np.ndarray) or Y.ndim != 1 else 4)


def test_rows_must_match_X():
    with pytest.raises(ValueError, match="X has 5, Y has 4"):
        read_labels(MATRIX, 5)


def test_wrong_shape_of_added_labels():
    target = read_labels(MATRIX, 4)
    with pytest.raises(ValueError, match=r"expected \(2, 3\)"):
        target.assemble(KEPT, SOURCE, np.ones((2, 2), bool))
