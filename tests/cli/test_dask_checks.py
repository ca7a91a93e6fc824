"""``resample --engine dask`` runs the shared data check (names and types whole, values on the first partition),
stays quiet with ``-q``, and does not depend on Dask's private pairing test."""

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run

from smotekit.cli import _dask
from smotekit.cli._common import UserError

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

SUFFIX = " (Checked on the first {n} rows only.)"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=":0") as lc, distributed.Client(lc, set_as_default=True) as client:
        yield client


def frame(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                         "label": np.where(rng.random(n) < 0.2, "yes", "no")})


def _error(err):
    return err.split("smotekit resample: error: ", 1)[1].rstrip("\n")


def saved_index(path):
    frame().to_csv(path / "data.csv")  # with pandas' index: 'Unnamed: 0'
    return path / "data.csv"


def placeholder(path):
    f = frame().astype({"a": object})
    f.loc[[3, 17, 40], "a"] = "?"
    f.to_csv(path / "data.csv", index=False)
    return path / "data.csv"


def missing_label(path):
    f = frame()
    f.loc[4, "label"] = ""
    f.to_csv(path / "data.csv", index=False)
    return path / "data.csv"


def row_numbers(path):
    frame().assign(row=np.arange(300)).to_csv(path / "data.csv", index=False)
    return path / "data.csv"


def text_ids(path):
    frame().assign(id=[f"u{i:04d}" for i in range(300)]).to_csv(path / "data.csv", index=False)
    return path / "data.csv"


def repeated_header(path):
    text = frame().to_csv(index=False).replace("a,b,label", "a,a,label", 1)
    (path / "data.csv").write_text(text)
    return path / "data.csv"


def nested(path):
    frame().assign(tags=[[1, i] for i in range(300)]).to_parquet(path / "data.parquet", index=False)
    return path / "data.parquet"


@pytest.mark.parametrize("make, expected, from_values", [
    (saved_index, "column 'Unnamed: 0' looks like a saved row index", True),
    (placeholder, "column 'a' holds numbers except for '?' (3 rows)", True),
    (missing_label, "the target 'label' is empty on 1 row(s) (data rows 5)", True),
    (row_numbers, "column 'row' has a different value on every row (0..299: row numbers?)", True),
    (text_ids, "text column 'id' has a different value on every row", True),
    (repeated_header, "the column name 'a' appears 2 times in the header", False),
    (nested, "column(s) tags hold lists or records", False),
])
def test_dask_refuses_what_the_in_memory_engine_refuses(capsys, cluster, tmp_path, make, expected, from_values):
    path = make(tmp_path)
    code, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "mem.csv", "-q")
    assert code == 1 and expected in err
    in_memory = _error(err)
    code, out, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "dask_out", "--engine", "dask",
                         "-q")
    assert code == 1 and out == "" and not (tmp_path / "dask_out").exists()
    # The same finding word for word, but for what --drop does; one drawn from values says which rows it saw
    # (here: the whole file).
    assert "original rows" not in _error(err)
    assert _error(err) == _dask._dask_drop(in_memory) + (SUFFIX.format(n=300) if from_values else "")


def test_one_class_in_the_first_partition_is_not_refused(capsys, cluster, tmp_path):
    # A folder sorted by class: the first file holds one class, the data two.
    f = frame(600).sort_values("label", ignore_index=True)
    (tmp_path / "in").mkdir()
    f.iloc[:300].to_parquet(tmp_path / "in" / "part.0.parquet", index=False)
    f.iloc[300:].to_parquet(tmp_path / "in" / "part.1.parquet", index=False)
    assert f.iloc[:300]["label"].nunique() == 1
    code, out, err = run(capsys, "resample", tmp_path / "in", "-t", "label", "-o", tmp_path / "out", "--engine",
                         "dask", "-q")
    assert code == 0 and err == "" and "SMOTE on Dask" in out


@pytest.mark.parametrize("bad, expected", [("missing label", "missing labels"), ("one class", "1 class")])
def test_what_needs_every_row_is_refused_by_the_resampling(capsys, cluster, tmp_path, bad, expected):
    first, second = frame(300, seed=1), frame(300, seed=2)
    if bad == "missing label":
        second.loc[7, "label"] = None  # beyond the first partition
    else:
        first["label"] = second["label"] = "no"  # not looked for in one partition: see the sorted folder above
    (tmp_path / "in").mkdir()
    first.to_parquet(tmp_path / "in" / "part.0.parquet", index=False)
    second.to_parquet(tmp_path / "in" / "part.1.parquet", index=False)
    code, _, err = run(capsys, "resample", tmp_path / "in", "-t", "label", "-o", tmp_path / "out", "--engine",
                       "dask", "-q")
    assert code == 1 and expected in err and "Checked on" not in err and not (tmp_path / "out").exists()


def test_quiet_keeps_warnings_and_drops_status(capsys, cluster, tmp_path):
    # Different integers on every row, not consecutive: a warning, not a refusal.
    frame().assign(code=np.arange(300) * 7).to_csv(tmp_path / "data.csv", index=False)
    args = ["resample", tmp_path / "data.csv", "-t", "label", "--engine", "dask"]
    code, _, loud = run(capsys, *args, "-o", tmp_path / "loud")
    assert code == 0 and "note: Dask scheduler" in loud and "writing" in loud
    code, _, quiet = run(capsys, *args, "-o", tmp_path / "quiet", "-q")
    warning = "warning: column 'code' has a different value on every row"
    assert code == 0 and quiet.startswith(warning) and quiet.count("\n") == 1 and warning in loud


# -- pairing X and y without Dask's private test --------------------------------------------------------------
def _broken(*args, **kwargs):
    raise TypeError("are_co_aligned() takes other arguments now")


@pytest.mark.parametrize("how", ["raises", "missing", "no expr"])
def test_pairing_test_failing_means_not_known(monkeypatch, how):
    # False only decides that a failed pairing gets diagnosed (the rows per partition of X and y, see
    # test_dask_safety.py); the pairing itself is Dask's.
    import sys
    import types

    from smotekit.dask._partitions import _co_aligned

    df = dd.from_pandas(frame(60), npartitions=3)
    X, y = df.drop(columns="label"), df["label"]
    assert _co_aligned(X, y) is True
    if how == "no expr":  # collections without .expr (another Dask)
        assert _co_aligned(types.SimpleNamespace(), types.SimpleNamespace()) is False
        return
    # A stand-in for Dask's private module, only while smotekit imports from it: Dask's own code imports from
    # it lazily too.
    stand_in = types.ModuleType("dask.dataframe.dask_expr._expr")
    if how == "raises":
        stand_in.are_co_aligned = _broken
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "dask.dataframe.dask_expr._expr", stand_in)
        assert _co_aligned(X, y) is False


# -- the check reads only the rows it looks at ----------------------------------------------------------------
def typed_frame(n=300):
    import datetime

    return pd.DataFrame({"s": [f"t{i % 7}" for i in range(n)], "c": pd.Categorical(["x", "y", "z"] * (n // 3)),
                         "i": np.arange(n), "f": np.linspace(0.0, 1.0, n),
                         "n": pd.array([1, None, 3] * (n // 3), dtype="Int64"),
                         "d": [datetime.date(2020, 1, 1 + i % 28) for i in range(n)],
                         "b": [True, False, True] * (n // 3), "label": ["yes", "no", "no"] * (n // 3)})


def _write_input(kind, tmp_path):
    """``(spec as typed, files as resample_dask finds them)`` for one kind of input."""
    f = typed_frame()
    if kind in ("csv", "csv.gz"):
        path = tmp_path / f"data.{kind}"
        f.to_csv(path, index=False)
        return str(path)
    if kind == "url csv":
        import fsspec

        with fsspec.open(f"memory://{tmp_path.name}/data.csv", "w") as fh:
            f.to_csv(fh, index=False)
        return f"memory://{tmp_path.name}/data.csv"
    if kind == "url parquet":
        import fsspec

        with fsspec.open(f"memory://{tmp_path.name}/in/part.0.parquet", "wb") as fh:
            f.to_parquet(fh, index=False)
        return f"memory://{tmp_path.name}/in"
    folder = tmp_path / "in"
    if kind == "parquet folder":  # natural order: part.2 comes before part.10
        folder.mkdir()
        f.iloc[:100].to_parquet(folder / "part.2.parquet", index=False)
        f.iloc[100:].to_parquet(folder / "part.10.parquet", index=False)
    elif kind == "hive":  # the column 'g' lives in the folder names
        f.assign(g=np.repeat(["a", "b"], 150)).to_parquet(folder, partition_cols=["g"], index=False)
    else:
        f.to_parquet(tmp_path / "data.parquet", index=False)
        return str(tmp_path / "data.parquet")
    return str(folder)


@pytest.mark.parametrize("kind", ["csv", "csv.gz", "url csv", "parquet", "parquet folder", "hive", "url parquet"])
@pytest.mark.parametrize("sample_rows", [40, 100_000])
def test_first_rows_are_the_first_partition_as_dask_types_it(monkeypatch, tmp_path, kind, sample_rows):
    # The rows and dtypes the check sees are those of Dask's first partition (up to the sample size):
    # text, categories, integers with and without missing values, floats, dates, booleans.
    monkeypatch.setattr(_dask, "_SAMPLE_ROWS", sample_rows)
    spec = _write_input(kind, tmp_path)
    fmt, files = _dask._input_files(spec)
    sep = _dask.csv_options(files[0])["sep"] if fmt == "csv" else None
    frame, files = _dask.read_frame(spec, sep=sep, text_columns=["label"])
    csv_read = _dask._csv_read_options(files, sep=sep, na_values=(), text_columns=["label"], decimal=None) \
        if fmt == "csv" else None
    first = _dask._first_rows(fmt, files, frame, csv_read)
    partition = dask.compute(frame.get_partition(0), scheduler="sync")[0]
    expected = partition.iloc[:sample_rows].reset_index(drop=True)
    assert first.dtypes.to_dict() == expected.dtypes.to_dict()
    assert len(first) == min(sample_rows, len(partition))
    pd.testing.assert_frame_equal(first.reset_index(drop=True), expected, check_categorical=False)


@pytest.mark.parametrize("kind", ["csv.gz", "parquet"])
def test_the_check_computes_no_partition(capsys, monkeypatch, tmp_path, kind):
    # A compressed CSV file, or a Parquet file of one row group, is one partition however large: the check
    # reads the rows it looks at and no more, and finds what it found when it read the whole partition.
    monkeypatch.setattr(_dask, "_SAMPLE_ROWS", 100)
    f = frame().assign(id=[f"u{i:04d}" for i in range(300)])
    path = tmp_path / f"data.{kind}"
    f.to_csv(path, index=False) if kind == "csv.gz" else f.to_parquet(path, index=False)
    computed = []

    def no_compute(*args, **kwargs):
        computed.append(args)
        raise AssertionError("the data check computed a Dask collection")

    monkeypatch.setattr(dask, "compute", no_compute)
    monkeypatch.setattr(dd.DataFrame, "compute", no_compute)
    code, out, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "out", "--engine", "dask", "-q")
    assert computed == [] and code == 1 and out == ""
    assert _error(err).startswith("text column 'id' has a different value on every row")
    assert _error(err).endswith(SUFFIX.format(n=100))


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_the_check_reads_with_the_options_of_the_dask_read(capsys, monkeypatch, tmp_path, suffix):
    f = frame().assign(id=[f"{i:06d}" for i in range(300)])
    for name in "ab":
        f[name] = f[name].map(lambda v: f"{v:.3f}".replace(".", ","))
    f.loc[5, "b"] = "n/a"
    path = tmp_path / f"data{suffix}"
    f.to_csv(path, index=False, sep=";")
    seen = {}
    read_csv, pandas_read_csv = dd.read_csv, pd.read_csv

    def dask_spy(*args, **kwargs):
        seen["dask"] = kwargs
        return read_csv(*args, **kwargs)

    def pandas_spy(*args, **kwargs):
        if kwargs.get("nrows") == _dask._SAMPLE_ROWS:
            seen["sample"] = kwargs
        return pandas_read_csv(*args, **kwargs)

    monkeypatch.setattr(dd, "read_csv", dask_spy)
    monkeypatch.setattr(pd, "read_csv", pandas_spy)
    stop = "stopped after the data check"
    monkeypatch.setattr(_dask, "check_output_folder", lambda *a, **k: tmp_path / "out")

    def stopped(*args):
        raise UserError(stop)

    monkeypatch.setattr(_dask, "_connect", stopped)  # past the check: no cluster needed
    code, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "out", "--engine", "dask", "--sep",
                       ";", "--decimal", ",", "--na-values", "n/a", "--drop", "id", "-q")
    assert code == 1 and _error(err) == stop
    dask_only = {"blocksize", "compression"}
    assert seen["sample"] == {"nrows": _dask._SAMPLE_ROWS,
                              **{k: v for k, v in seen["dask"].items() if k not in dask_only}}
    assert seen["sample"]["dtype"] == {"label": str, "id": str} and seen["sample"]["decimal"] == ","
