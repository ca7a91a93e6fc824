"""``resample --engine dask`` runs the shared data check (names and types whole, values on the first partition),
stays quiet with ``-q``, and does not depend on Dask's private pairing test."""

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import _dask, main

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

SUFFIX = " (Checked on the {n} rows of the first partition only.)"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=":0") as lc, distributed.Client(lc, set_as_default=True) as client:
        yield client


def frame(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                         "label": np.where(rng.random(n) < 0.2, "yes", "no")})


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


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
