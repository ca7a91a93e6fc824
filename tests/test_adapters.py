"""Container adapters found by type, the block protocol, and Resampled built from pieces."""

import subprocess
import sys

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import sparse

from smotekit import SMOTE, SMOTENC, RandomOverSampler, RandomUnderSampler
from smotekit._generation import MixedBlock, Piece, Resampled, Segments, Values, as_block, interpolate
from smotekit.utils._containers import _table, adapter_for, read_X, register
from smotekit.utils._containers._numpy import NumpyAdapter


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (np.arange(n) % 6 == 0).astype(int)
    X[y == 1] += 1.5
    return X, y


@pytest.mark.parametrize("obj, name", [
    (np.ones((3, 2)), "numpy"),
    ([[1.0, 2.0]], "numpy"),
    (sparse.csr_matrix(np.eye(3)), "sparse"),
    (sparse.csc_array(np.eye(3)), "sparse"),
    (sparse.coo_matrix(np.eye(3)), "sparse"),
    (pd.DataFrame({"a": [1.0]}), "pandas"),
    (pl.DataFrame({"a": [1.0]}), "polars"),
    # A Series is no table: read as the 1-D array it is, and refused as one.
    (pd.Series([1.0]), "numpy"),
    (pl.Series([1.0]), "numpy"),
], ids=lambda v: v if isinstance(v, str) else type(v).__name__)
def test_tables_find_their_adapter_by_type(obj, name):
    assert adapter_for(obj).name == name


@pytest.mark.parametrize("obj, name", [
    (np.array([0, 1]), "numpy"), ([0, 1], "numpy"), (sparse.csr_matrix(np.eye(2)), "numpy"),
    (pd.Series([0, 1]), "pandas"), (pd.DataFrame({"t": [0, 1]}), "pandas"),
    (pl.Series([0, 1]), "polars"), (pl.DataFrame({"t": [0, 1]}), "polars"),
], ids=lambda v: v if isinstance(v, str) else type(v).__name__)
def test_labels_find_their_adapter_by_type(obj, name):
    assert adapter_for(obj, labels=True).name == name


def test_detection_is_by_isinstance_not_by_class_name():
    class Frame(pd.DataFrame):  # a subclass is still a pandas DataFrame
        pass

    class DataFrame:  # a class of that name from elsewhere is not
        def __array__(self, dtype=None, copy=None):
            return np.ones((2, 2))

    assert adapter_for(Frame({"a": [1.0]})).name == "pandas"
    assert adapter_for(DataFrame()).name == "numpy"


def test_arrays_need_neither_pandas_nor_polars():
    # Both libraries blocked: the adapters never import them, and arrays go through.
    code = (
        "import sys\n"
        "sys.modules['pandas'] = None\n"
        "sys.modules['polars'] = None\n"
        "import numpy as np\n"
        "from smotekit import SMOTE\n"
        "X = np.random.default_rng(0).normal(size=(60, 3))\n"
        "y = np.r_[np.zeros(50, int), np.ones(10, int)]\n"
        "X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)\n"
        "assert X_res.shape == (100, 3) and type(X_res) is np.ndarray\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


class Box:
    """A container the package does not know: an array in a box."""

    def __init__(self, values):
        self.values = np.asarray(values)

    def __array__(self, dtype=None, copy=None):
        return self.values


class BoxAdapter(NumpyAdapter):
    """What a backend registers: its own types, read and rebuilt in kind."""

    name = "box"

    def types(self):
        return (Box,)

    def label_types(self):
        return ()

    def take(self, obj, rows):
        return Box(super().take(obj, rows))

    def build(self, table, kept, blocks, ends):
        return Box(super().build(table, kept, blocks, ends))


@pytest.fixture
def registry(monkeypatch):
    """The registry, restored after the test."""
    monkeypatch.setattr(_table, "_ADAPTERS", list(_table._ADAPTERS))
    monkeypatch.setattr(_table, "_BY_TYPE", {})


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), RandomOverSampler(random_state=0),
                                     RandomOverSampler(random_state=0, shrinkage=0.3),
                                     RandomUnderSampler(random_state=0)], ids=repr)
def test_a_registered_adapter_is_asked_first_and_builds_its_kind(registry, sampler):
    X, y = _data()
    assert adapter_for(Box(X)).name == "numpy"  # seen before registration: re-asked after it
    register(BoxAdapter())
    assert adapter_for(Box(X)).name == "box"
    X_res, y_res = sampler.fit_resample(Box(X), y)
    expected, expected_y = sampler.fit_resample(X, y)
    assert isinstance(X_res, Box)
    np.testing.assert_array_equal(X_res.values, expected)
    np.testing.assert_array_equal(y_res, expected_y)


def test_table_kind_names_the_adapter():
    X, _ = _data()
    assert read_X(X).kind == "numpy"
    assert read_X(pd.DataFrame(X)).kind == "pandas"
    assert read_X(sparse.csr_matrix(X)).kind == "sparse"


# --------------------------------------------------------------------------- blocks

def _segments(sparse_input=False):
    X, _ = _data(20)
    X = sparse.csr_matrix(X) if sparse_input else X
    rng = np.random.default_rng(1)
    return Segments(X, rng.integers(0, 20, 7), rng.integers(0, 20, 7), rng.random(7))


def test_segments_compute_the_interpolation_into_the_given_array():
    block = _segments()
    expected = interpolate(block.X, block.seeds, block.partners, block.gaps)
    out = np.full((block.n_rows, 3), np.nan)
    assert block.n_rows == 7
    assert block.materialize(out=out) is out
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(block.materialize(), expected)


def test_sparse_segments_stay_sparse():
    block = _segments(sparse_input=True)
    assert sparse.issparse(block.materialize())


@pytest.mark.parametrize("values", [np.arange(6.0).reshape(3, 2), sparse.csr_matrix(np.eye(3))],
                         ids=["dense", "sparse"])
def test_arrays_are_values_blocks(values):
    block = as_block(values)
    assert isinstance(block, Values) and block.n_rows == 3
    assert block.materialize() is values
    assert as_block(block) is block


def test_mixed_blocks_give_their_continuous_values_and_codes():
    seg = _segments()
    block = MixedBlock(seg, np.zeros((7, 2), np.int32))
    assert block.n_rows == 7
    np.testing.assert_array_equal(block.materialize(), seg.materialize())
    as_array = MixedBlock(np.ones((2, 1)), np.zeros((2, 1), np.int32))
    assert isinstance(as_array.continuous, Values)
    # Without continuous columns there is nothing to compute.
    out = np.empty((4, 0))
    assert MixedBlock(None, np.zeros((4, 1), np.int32)).materialize(out=out) is out


# --------------------------------------------------------------------------- Resampled

def test_resampled_is_importable_from_base():
    from smotekit.base import Resampled as from_base

    assert from_base is Resampled


def test_from_pieces_joins_the_pieces_in_order():
    seg = _segments()
    pieces = [Piece(np.array([3, 4]), seg, np.array([5, 6]), np.array([0.1, 0.2])),
              Piece(np.array([7]), seg, np.array([8]), np.array([0.3]))]
    out = Resampled.from_pieces(range(10), pieces)
    assert out.kept == range(10)
    np.testing.assert_array_equal(out.added_source, [3, 4, 7])
    np.testing.assert_array_equal(out.added_partner, [5, 6, 8])
    np.testing.assert_array_equal(out.added_gap, [0.1, 0.2, 0.3])
    assert out.added_blocks == [seg, seg]


def test_from_pieces_does_not_copy_a_single_piece():
    source = np.array([1, 2])
    out = Resampled.from_pieces(range(3), [Piece(source, np.zeros((2, 1)))])
    assert out.added_source is source
    assert out.added_partner is None and out.added_gap is None
    assert isinstance(out.added_blocks[0], Values)


def test_from_pieces_tells_generated_rows_from_copies_even_without_pieces():
    generated = Resampled.from_pieces(range(3), [])
    copies = Resampled.from_pieces(range(3), [], copies=True)
    assert generated.added_blocks == [] and copies.added_blocks is None
    for out in (generated, copies):
        assert out.added_source.dtype == np.int64 and out.added_source.size == 0
    with_rows = Resampled.from_pieces(range(3), [Piece(np.array([0, 0]))], copies=True)
    assert with_rows.added_blocks is None
    np.testing.assert_array_equal(with_rows.added_source, [0, 0])


def test_every_kind_of_block_reaches_the_output():
    # Segments (SMOTE), values (RandomOverSampler's smoothing), mixed (SMOTENC): one
    # protocol read by the containers, output rows in the input's kind.
    X, y = _data()
    df = pd.DataFrame(X, columns=list("abc"))
    df["c"] = pd.Categorical(np.where(X[:, 2] > 0, "u", "v"))
    for sampler, data in [(SMOTE(random_state=0), X), (RandomOverSampler(random_state=0, shrinkage=0.2), X),
                          (SMOTENC(categorical_features=["c"], random_state=0), df)]:
        X_res, _ = sampler.fit_resample(data, y)
        assert type(X_res) is type(data) and X_res.shape == (2 * np.bincount(y).max(), 3)


@pytest.mark.parametrize("order", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_interpolation_gives_the_same_values_in_every_output_layout(order, dtype):
    block = _segments()
    X = block.X.astype(dtype)
    expected = X[block.seeds] + block.gaps.astype(dtype)[:, None] * (X[block.partners] - X[block.seeds])
    if order == "strided":
        out = np.full((block.n_rows, 6), np.nan, dtype=dtype)[:, ::2]
    else:  # rows 2: of a bigger array, as the adapters write the generated rows after the kept ones
        out = np.full((block.n_rows + 2, 3), np.nan, dtype=dtype, order=order)[2:]
    interpolate(X, block.seeds, block.partners, block.gaps, out=out)
    np.testing.assert_array_equal(out, expected)


def test_interpolation_refuses_positions_outside_the_rows():
    block = _segments()
    with pytest.raises(IndexError, match="row positions in 0..19"):
        interpolate(block.X, block.seeds, block.partners + 20, block.gaps)


def _frames(X):
    names = [f"x{j}" for j in range(X.shape[1])]
    mixed = pd.DataFrame(X, columns=names).astype({"x0": np.float32})
    mixed["x1"] = np.round(X[:, 1] * 10).astype(np.int16)
    mixed["x2"] = pd.array(np.round(X[:, 2] * 10), dtype="Int64")
    polars_mixed = pl.DataFrame(X, schema=names).with_columns(pl.col("x0").cast(pl.Float32),
                                                              (pl.col("x1") * 10).round().cast(pl.Int16))
    return {"numpy": X, "numpy F": np.asfortranarray(X), "pandas": pd.DataFrame(X, columns=names),
            "pandas float32": pd.DataFrame(X.astype(np.float32), columns=names),
            "pandas from C array": pd.DataFrame(X, columns=names, copy=False),
            "pandas mixed": mixed, "polars": pl.DataFrame(X, schema=names),
            "polars float32": pl.DataFrame(X.astype(np.float32), schema=names), "polars mixed": polars_mixed}


def _column_arrays(obj):
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, pl.DataFrame):
        return [s.to_numpy() for s in obj.get_columns()]
    return [np.asarray(obj.iloc[:, j].array) for j in range(obj.shape[1])]


def _as_floats(obj):
    if isinstance(obj, pl.DataFrame):
        return obj.cast(pl.Float64).to_numpy()
    if isinstance(obj, pd.DataFrame):
        return obj.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(obj, dtype=np.float64)


@pytest.mark.parametrize("kind", list(_frames(_data()[0])))
def test_smote_output_is_new_memory_holding_the_arrays_result(kind):
    X, y = _data(n=300)
    X[:, 1:] *= 0.5
    data = _frames(X)[kind]
    before = _as_floats(data).copy()
    X_res, y_res = SMOTE(random_state=0).fit_resample(data, y)
    # The array the sampler computes on (float32 when every column is), resampled as an array.
    X_ref, y_ref = SMOTE(random_state=0).fit_resample(np.asarray(read_X(data).values), y)
    np.testing.assert_array_equal(y_res, y_ref)
    assert type(X_res) is type(data)
    values, n = _as_floats(X_res), len(y)
    np.testing.assert_array_equal(values[:n], before)
    for j, dt in enumerate(data.dtypes if hasattr(data, "dtypes") else [data.dtype] * X.shape[1]):
        name = str(dt).lower()
        # Each column holds the array's result in its own dtype (integers rounded).
        expected = X_ref[n:, j] if name.startswith("float") else np.rint(X_ref[n:, j])
        np.testing.assert_array_equal(values[n:, j], expected.astype(name if name.startswith("float") else float))
    # The output shares no memory with the input, and writing into it leaves the input as it was.
    for out_col in _column_arrays(X_res):
        assert not any(np.shares_memory(out_col, in_col) for in_col in _column_arrays(data))
    if isinstance(X_res, pl.DataFrame):
        assert all(s.n_chunks() == 1 for s in X_res.get_columns())
    elif isinstance(X_res, pd.DataFrame):
        assert list(X_res.index) == list(range(len(X_res)))
        X_res.iloc[0, 0] = 99
    else:
        X_res[0, 0] = 99
    np.testing.assert_array_equal(_as_floats(data), before)
