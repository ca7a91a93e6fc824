"""What ``smotekit resample`` writes keeps the types of what it read (issue 13, second round).

``--drop`` columns keep their dtype (a nullable one of the same kind and width
when new rows need a missing value), a CSV target of plain integers is stored
as integers in Parquet, and class tables list numeric labels by value.
Each test writes a small file in a temporary folder and runs ``smotekit`` in process.
"""

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run

from smotekit.cli import main
from smotekit.cli._common import class_counts, label_order

N_MAJOR, N_MINOR = 40, 12
N = N_MAJOR + N_MINOR


def read_text(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def features(n=N, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x1": rng.normal(size=n).round(4), "x2": rng.normal(size=n).round(4)})


# Passed-through columns of every kind, and the dtype each must have once synthetic rows are added
# (None: its own dtype, as the input gives it back).
PASSED = {
    "row": (lambda i: i.astype("int64"), "Int64"),
    "weight": (lambda i: i.astype("float64"), None),  # whole numbers in a float column
    "small": (lambda i: (i % 7).astype("int32"), "Int32"),
    "byte": (lambda i: (i % 200).astype("uint8"), "UInt8"),
    "flag": (lambda i: i % 3 == 0, "boolean"),
    "ratio": (lambda i: (i / 4).astype("float32"), None),
    "name": (lambda i: pd.Series([f"r{k:03d}" for k in i], dtype="str"), None),
    "code": (lambda i: pd.Series([f"c{k % 4}" for k in i], dtype="object"), None),
    "group": (lambda i: pd.Categorical([f"g{k % 3}" for k in i]), None),
    "when": (lambda i: pd.Timestamp("2024-01-01") + pd.to_timedelta(i, unit="D"), None),
    "count": (lambda i: pd.array(np.where(i % 5 == 0, -1, i), dtype="Int32"), None),
}


@pytest.fixture
def parquet_input(tmp_path):
    idx = np.arange(N)
    frame = features().assign(**{col: make(idx) for col, (make, _) in PASSED.items()})
    frame["count"] = frame["count"].mask(idx % 5 == 0)  # a nullable column with missing values already
    frame["label"] = [0] * N_MAJOR + [1] * N_MINOR
    path = tmp_path / "in.parquet"
    frame.to_parquet(path, index=False)
    return path


def resample(capsys, src, out, method, *extra):
    code, _, err = run(capsys, "resample", src, "-t", "label", "--drop", ",".join(PASSED), "-o", out,
                       "-m", method, "--mark-synthetic", "-q", "--random-state", "0", *extra)
    assert code == 0, err
    return err


def originals(res, source):
    """The output's original rows and the input rows they came from (matched by the unique 'row')."""
    kept = res.loc[~res["is_synthetic"].astype(bool)].reset_index(drop=True)
    return kept, source.set_index("row", drop=False).loc[kept["row"].astype("int64")].reset_index(drop=True)


@pytest.mark.parametrize("col", list(PASSED))
def test_parquet_passed_through_column_keeps_dtype_when_no_row_is_added(capsys, parquet_input, tmp_path, col):
    out = tmp_path / "out.parquet"
    resample(capsys, parquet_input, out, "rus")
    source, res = pd.read_parquet(parquet_input), pd.read_parquet(out)
    assert res[col].dtype == source[col].dtype
    kept, expected = originals(res, source)
    pd.testing.assert_series_equal(kept[col], expected[col], check_names=False)


@pytest.mark.parametrize("col", list(PASSED))
def test_parquet_passed_through_column_gets_nullable_dtype_of_same_kind_when_rows_are_added(
        capsys, parquet_input, tmp_path, col):
    out = tmp_path / "out.parquet"
    resample(capsys, parquet_input, out, "smote")
    source, res = pd.read_parquet(parquet_input), pd.read_parquet(out)
    wanted = PASSED[col][1]
    assert res[col].dtype == (source[col].dtype if wanted is None else pd.api.types.pandas_dtype(wanted))
    synthetic = res["is_synthetic"].to_numpy(dtype=bool)
    assert synthetic.sum() == N_MAJOR - N_MINOR and res.loc[synthetic, col].isna().all()
    kept, expected = originals(res, source)
    assert kept[col].astype(object).where(kept[col].notna(), None).tolist() == \
        expected[col].astype(object).where(expected[col].notna(), None).tolist()


@pytest.mark.parametrize("method", ["rus", "smote"])
def test_csv_output_writes_passed_through_values_as_the_input_would(capsys, parquet_input, tmp_path, method):
    # A whole-number float stays '3.0' and an integer '3' (no '3.0' once new rows are missing values).
    out = tmp_path / "out.csv"
    resample(capsys, parquet_input, out, method)
    as_csv = tmp_path / "as_csv.csv"
    pd.read_parquet(parquet_input).to_csv(as_csv, index=False)
    source, res = read_text(as_csv), read_text(out)
    synthetic = res["is_synthetic"] == "True"
    kept = res.loc[~synthetic].reset_index(drop=True)
    expected = source.set_index("row", drop=False).loc[kept["row"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept[list(PASSED)], expected[list(PASSED)])
    assert (res.loc[synthetic, list(PASSED)] == "").all().all()


def test_csv_passed_through_columns_stay_text(capsys, tmp_path):
    src = tmp_path / "in.csv"
    frame = features().assign(id=[f"{i:06d}" for i in range(N)], weight=[f"{i}.50" for i in range(N)],
                              label=["no"] * N_MAJOR + ["yes"] * N_MINOR)
    frame.to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    code, _, err = run(capsys, "resample", src, "-t", "label", "--drop", "id,weight", "-o", out, "-q")
    assert code == 0, err
    res = pd.read_parquet(out)
    for col in ("id", "weight"):
        assert pd.api.types.is_string_dtype(res[col])
        assert res[col].iloc[:N].tolist() == frame[col].tolist() and res[col].iloc[N:].isna().all()


# -- the target, from CSV text to a Parquet output --------------------------------------------------------------
def csv_with_labels(tmp_path, major, minor):
    src = tmp_path / "labels.csv"
    features().assign(label=[major] * N_MAJOR + [minor] * N_MINOR).to_csv(src, index=False)
    return src


@pytest.mark.parametrize("major, minor", [("0", "1"), ("-3", "7"), ("1", "12")])
def test_integer_labels_from_csv_are_integers_in_parquet(capsys, tmp_path, major, minor):
    out = tmp_path / "out.parquet"
    code, _, err = run(capsys, "resample", csv_with_labels(tmp_path, major, minor), "-t", "label", "-o", out, "-q")
    assert code == 0, err
    assert "note:" not in err
    res = pd.read_parquet(out)
    assert res["label"].dtype == np.int64
    assert (res["label"] == int(minor)).sum() == N_MAJOR and (res["label"] == int(major)).sum() == N_MAJOR


@pytest.mark.parametrize("major, minor, why", [
    ("01", "1", "classes '01' and '1' are distinct"),
    ("1.0", "2.0", "class '1.0' is not an integer"),
    ("+1", "-1", "class '+1' would come back as 1"),
    ("0", "9223372036854775808", "class '9223372036854775808' does not fit in a 64-bit integer"),
    ("0", "yes", "class 'yes' is not an integer"),
])
def test_other_labels_stay_text_in_parquet_with_one_note(capsys, tmp_path, major, minor, why):
    out = tmp_path / "out.parquet"
    code, _, err = run(capsys, "resample", csv_with_labels(tmp_path, major, minor), "-t", "label", "-o", out, "-q")
    assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "'label' is written to" in notes[0] and "as text" in notes[0] and why in notes[0]
    res = pd.read_parquet(out)
    assert pd.api.types.is_string_dtype(res["label"])
    assert res["label"].value_counts().to_dict() == {major: N_MAJOR, minor: N_MAJOR}


def test_text_labels_that_are_not_numbers_stay_text_without_a_note(capsys, tmp_path):
    out = tmp_path / "out.parquet"
    code, _, err = run(capsys, "resample", csv_with_labels(tmp_path, "no", "yes"), "-t", "label", "-o", out, "-q")
    assert code == 0 and "note:" not in err
    assert set(pd.read_parquet(out)["label"]) == {"no", "yes"}


@pytest.mark.parametrize("major, minor", [("0", "1"), ("01", "1"), ("1.0", "+2")])
def test_csv_output_writes_labels_as_read(capsys, tmp_path, major, minor):
    out = tmp_path / "out.csv"
    code, _, err = run(capsys, "resample", csv_with_labels(tmp_path, major, minor), "-t", "label", "-o", out, "-q")
    assert code == 0 and "note:" not in err
    assert read_text(out)["label"].value_counts().to_dict() == {major: N_MAJOR, minor: N_MAJOR}


@pytest.mark.parametrize("target", [
    pd.Series(["0"] * N_MAJOR + ["1"] * N_MINOR, dtype="str"),  # Parquet stores text: it stays text
    pd.Series(pd.Categorical(["a"] * N_MAJOR + ["b"] * N_MINOR)),
    pd.Series([0] * N_MAJOR + [1] * N_MINOR, dtype="int16"),
])
def test_parquet_target_keeps_its_type(capsys, tmp_path, target):
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    features().assign(label=target.to_numpy() if target.dtype != "category" else target.array).to_parquet(src)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", out, "-q")
    assert code == 0 and "note:" not in err
    assert pd.read_parquet(out)["label"].dtype == pd.read_parquet(src)["label"].dtype


# -- class tables in natural order -------------------------------------------------------------------------------
def test_label_order_puts_numbers_by_value_then_text():
    labels = ["b", "10", "9", "A", "-1", "1.5", "1", "01", "2e3", ".5"]
    assert sorted(labels, key=label_order) == ["-1", ".5", "01", "1", "1.5", "9", "10", "2e3", "A", "b"]
    assert sorted([10, 2, 9.5, -1], key=label_order) == [-1, 2, 9.5, 10]


def test_class_counts_keeps_labels_and_orders_them_naturally():
    y = np.array([str(k) for k in range(12, 0, -1) for _ in range(k)], dtype=object)
    counts = class_counts(y)
    assert list(counts) == [str(k) for k in range(1, 13)] and counts["10"] == 10


@pytest.fixture
def twelve(tmp_path):
    src = tmp_path / "twelve.csv"
    labels = [str(k) for k in range(1, 13) for _ in range(10)]
    features(len(labels)).assign(label=labels).to_csv(src, index=False)
    return src


def first_column(table_text):
    return [line.split()[0] for line in table_text.strip().splitlines()[2:]]


def test_inspect_lists_classes_one_to_twelve_in_order(capsys, twelve):
    code, out, err = run(capsys, "inspect", twelve, "-t", "label", "-q")
    assert code == 0, err
    classes = out.split("Classes of 'label':")[1].split("\n\n")[0]
    assert first_column(classes) == [str(k) for k in range(1, 13)]


def test_resample_lists_classes_one_to_twelve_in_order(capsys, twelve, tmp_path):
    code, out, err = run(capsys, "resample", twelve, "-t", "label", "-o", tmp_path / "out.csv", "-m", "rus", "-q")
    assert code == 0, err
    table = out.split("\n", 1)[1]
    assert first_column(table) == [str(k) for k in range(1, 13)] + ["total"]
    assert out.splitlines()[-1].split() == ["total", "120", "120", "0"]


def test_class_counts_keep_nanosecond_times_as_times():
    from smotekit.cli._common import class_counts

    y = np.array(["2020-01-01T00:00:00.000000001", "1970-01-01", "1970-01-01"], dtype="datetime64[ns]")
    counts = class_counts(y)
    assert list(counts.values()) == [2, 1]
    assert all(isinstance(label, pd.Timestamp) for label in counts)


@pytest.mark.slow
@pytest.mark.parametrize("labels, stored", [(["0", "1"], "int64"), (["01", "1"], "text")])
def test_dask_engine_stores_csv_integer_labels_as_the_memory_engine_does(tmp_path, capsys, labels, stored):
    pytest.importorskip("dask.dataframe")
    pytest.importorskip("distributed")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    frame["label"] = [labels[0]] * 48 + [labels[1]] * 12
    frame.to_csv(tmp_path / "d.csv", index=False)
    assert main(["resample", str(tmp_path / "d.csv"), "-t", "label", "-o", str(tmp_path / "out"),
                 "--engine", "dask", "-q"]) == 0
    out = pd.read_parquet(tmp_path / "out")
    if stored == "int64":
        assert out["label"].dtype == np.int64 and sorted(out["label"].unique()) == [0, 1]
    else:
        assert sorted(out["label"].astype(str).unique()) == ["01", "1"]
        assert "as text" in capsys.readouterr().err


def test_labels_of_mixed_types_are_counted_in_reading_order():
    from smotekit.cli._common import encode_labels

    classes, codes = encode_labels(pd.Series([1, pd.Timestamp("2020-01-01"), "a", "10", "9", 1], dtype=object))
    assert classes == [1, "9", "10", pd.Timestamp("2020-01-01"), "a"]
    assert [classes[c] for c in codes] == [1, pd.Timestamp("2020-01-01"), "a", "10", "9", 1]
    with pytest.raises(ValueError, match="missing"):
        encode_labels(pd.Series(["a", None]))
