"""The CLI reads what the file says, and checks the data once before any work (issue 13, items 3, 6, 10).

Each test writes a small file in a temporary folder and runs ``smotekit`` in process.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run


def features(n, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(size=n).round(4), "b": rng.normal(size=n).round(4)})


def labelled(n_major=40, n_minor=12, major="no", minor="yes", seed=0):
    return features(n_major + n_minor, seed).assign(label=[major] * n_major + [minor] * n_minor)


def read_text(path, **kw):
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


# -- the CLI reads what the file says -------------------------------------------------------------------------
@pytest.fixture
def codes(tmp_path):
    """Classes '01', '1' and 'NA' (three of them), and a zero-padded ID column."""
    frame = features(60).assign(label=["1"] * 36 + ["01"] * 14 + ["NA"] * 10,
                                id=[f"{i:06d}" for i in range(60)])
    path = tmp_path / "codes.csv"
    frame.to_csv(path, index=False)
    return path


def test_inspect_keeps_classes_as_written(capsys, codes):
    code, out, _ = run(capsys, "inspect", codes, "-t", "label", "--drop", "id")
    assert code == 0
    classes = out.split("Classes of 'label':")[1]
    for label, rows in (("01", 14), ("1", 36), ("NA", 10)):
        assert f"\n{label} " in classes and f" {rows} " in classes


def test_resample_writes_labels_and_dropped_columns_back_unchanged(capsys, codes, tmp_path):
    out_path = tmp_path / "out.csv"
    code, _, err = run(capsys, "resample", codes, "-t", "label", "--drop", "id", "-o", out_path,
                       "--param", "k_neighbors=3")
    assert code == 0, err
    res = read_text(out_path)
    assert res["label"].value_counts().to_dict() == {"1": 36, "01": 36, "NA": 36}
    original = read_text(codes)
    n = len(original)
    assert res["id"].iloc[:n].tolist() == original["id"].tolist()  # '000123' keeps its zeros
    assert (res["id"].iloc[n:] == "").all()  # new rows have no ID


def test_integer_looking_classes_stay_text_and_match_sampling_strategy(capsys, tmp_path):
    src = tmp_path / "bin.csv"
    labelled(major="0", minor="1").to_csv(src, index=False)
    out_path = tmp_path / "out.csv"
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", out_path, "--sampling-strategy", "1=30")
    assert code == 0, err
    res = read_text(out_path)
    assert res["label"].value_counts().to_dict() == {"0": 40, "1": 30}
    pq_out = tmp_path / "out.parquet"
    assert run(capsys, "resample", src, "-t", "label", "-o", pq_out)[0] == 0
    assert set(pd.read_parquet(pq_out)["label"]) == {0, 1}  # plain integers as written: stored as integers


def test_parquet_keeps_its_types(capsys, tmp_path):
    src = tmp_path / "bin.parquet"
    labelled(major=0, minor=1).to_parquet(src, index=False)
    out_path = tmp_path / "out.parquet"
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", out_path, "--sampling-strategy", "1=30")
    assert code == 0, err
    res = pd.read_parquet(out_path)
    assert res["label"].dtype.kind == "i" and res["label"].value_counts().to_dict() == {0: 40, 1: 30}


def test_evaluate_sees_unmerged_classes(capsys, codes):
    code, out, err = run(capsys, "evaluate", codes, "-t", "label", "--drop", "id", "--cv", "3x1", "-q",
                         "--methods", "none")
    assert code == 0, err
    assert "Multiclass target" in out  # '01', '1' and 'NA': three classes, not two


def test_only_empty_cells_are_missing_by_default(capsys, tmp_path):
    src = tmp_path / "na.csv"
    frame = labelled().assign(colour=["NA", "red", "blue", "null"] * 13)
    frame.loc[2, "a"] = np.nan
    frame.to_csv(src, index=False)
    code, out, _ = run(capsys, "inspect", src, "-t", "label")
    assert code == 0
    assert "'colour' has" not in out and "'a' has 1 missing" in out


def test_na_values_mark_tokens_missing_everywhere(capsys, tmp_path):
    src = tmp_path / "tokens.csv"
    frame = labelled()
    frame["a"] = frame["a"].astype(object)
    frame.loc[[1, 2], "a"] = "?"
    frame.loc[3, "b"] = -999
    frame.loc[4, "label"] = "NA"
    frame.to_csv(src, index=False)
    code, out, _ = run(capsys, "inspect", src, "-t", "label", "--na-values", "?,NA,-999")
    assert code == 0
    assert "'a' has 2 missing" in out and "'b' has 1 missing" in out
    assert "the target 'label' is empty on 1 row(s) (data rows 5)" in out


# -- separators -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sep, name, option", [
    (";", "semi.csv", None),
    ("|", "pipe.csv", None),
    (";", "semi.csv.gz", None),
    ("|", "pipe.csv.zip", None),
    ("\t", "tabs.tsv", None),
    ("\t", "tabs.csv", None),
    ("\t", "tabs.txt", "tab"),
    ("\t", "tabs2.txt", "\\t"),
    (";", "semi2.csv", ";"),
])
def test_separator_detected_or_given(capsys, tmp_path, sep, name, option):
    src = tmp_path / name
    labelled().to_csv(src, index=False, sep=sep)
    argv = ["resample", src, "-t", "label", "-o", tmp_path / "out.csv"] + (["--sep", option] if option else [])
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    assert list(pd.read_csv(tmp_path / "out.csv").columns) == ["a", "b", "label"]


def test_wrong_separator_gets_a_hint(capsys, tmp_path):
    src = tmp_path / "semi.csv"
    labelled().to_csv(src, index=False, sep=";")
    code, _, err = run(capsys, "inspect", src, "-t", "label", "--sep", ",")
    assert code == 1
    assert "looks separated by ';': pass --sep ';'" in err and "Did you mean" not in err


def test_sep_must_be_one_character(capsys, tmp_path):
    src = tmp_path / "d.csv"
    labelled().to_csv(src, index=False)
    code, _, err = run(capsys, "inspect", src, "-t", "label", "--sep", ";;")
    assert code == 1 and "--sep expects one character" in err


def test_csv_options_on_parquet_are_noted(capsys, tmp_path):
    src = tmp_path / "d.parquet"
    labelled().to_parquet(src, index=False)
    code, _, err = run(capsys, "inspect", src, "-t", "label", "--na-values", "?")
    assert code == 0 and "--na-values applies to CSV files" in err


# -- one data check before any work ----------------------------------------------------------------------------
@pytest.fixture
def placeholder(tmp_path):
    src = tmp_path / "q.csv"
    frame = labelled()
    frame["a"] = frame["a"].astype(object)
    frame.loc[[3, 7, 9], "a"] = "?"
    frame.to_csv(src, index=False)
    return src


@pytest.mark.parametrize("command, extra", [
    ("resample", ["--categorical", "auto"]),
    ("resample", ["-m", "smote-nc", "--param", "categorical_features=[0]"]),
    ("evaluate", ["--cv", "3x1", "-q"]),
])
def test_placeholder_in_numeric_column_is_refused(capsys, placeholder, tmp_path, command, extra):
    argv = [command, placeholder, "-t", "label", *extra] + (["-o", tmp_path / "o.csv"] if command == "resample" else [])
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert "column 'a' holds numbers except for '?' (3 rows)" in err and "--na-values '?'" in err
    assert not (tmp_path / "o.csv").exists()


def test_placeholder_named_by_inspect_and_fixed_by_na_values(capsys, placeholder, tmp_path):
    code, out, _ = run(capsys, "inspect", placeholder, "-t", "label")
    assert code == 0 and "column 'a' holds numbers except for '?' (3 rows)" in out
    assert "categorical column(s) a" not in out
    code, out, _ = run(capsys, "inspect", placeholder, "-t", "label", "--na-values", "?")
    assert code == 0 and "'a' has 3 missing" in out and "holds numbers except" not in out


def test_saved_index_column_is_refused_by_resample(capsys, tmp_path):
    src = tmp_path / "idx.csv"
    labelled().to_csv(src)  # with the index: an unnamed first column 0..n-1
    out_path = tmp_path / "out.csv"
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", out_path)
    assert code == 1 and "'Unnamed: 0' looks like a saved row index" in err and "--drop 'Unnamed: 0'" in err
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", out_path, "--drop", "Unnamed: 0")
    assert code == 0, err
    res = pd.read_csv(out_path)
    assert res["Unnamed: 0"].iloc[:52].tolist() == list(range(52)) and res["Unnamed: 0"].iloc[52:].isna().all()


@pytest.mark.parametrize("column", [
    [f"C{i:05d}" for i in range(52)],  # a text ID
    list(range(100, 152)),  # row numbers
])
def test_identifier_refused_when_rows_are_made_warned_otherwise(capsys, tmp_path, column):
    src = tmp_path / "ids.csv"
    labelled().assign(ident=column).to_csv(src, index=False)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "o.csv", "--categorical", "auto")
    assert code == 1 and "'ident' has a different value on every row" in err and "--drop ident" in err
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "u.csv", "-m", "rus")
    assert code == 0 and "warning: " in err and "'ident' has a different value on every row" in err


def test_constant_column_is_a_warning(capsys, tmp_path):
    src = tmp_path / "c.csv"
    labelled().assign(flat=3.0).to_csv(src, index=False)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "o.csv")
    assert code == 0 and "warning: column 'flat' is constant" in err


@pytest.mark.parametrize("command", ["resample", "evaluate"])
def test_one_class_refused_up_front(capsys, tmp_path, command):
    src = tmp_path / "one.csv"
    labelled(major="no", minor="no").to_csv(src, index=False)
    argv = [command, src, "-t", "label"] + (["-o", tmp_path / "o.csv"] if command == "resample" else ["-q"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, _, err = run(capsys, *argv)
    assert code == 1 and "has one class only ('no', 52 rows)" in err
    assert not caught  # evaluate used to emit ~120 metric warnings before failing half-way


def test_class_too_small_for_the_method(capsys, tmp_path):
    src = tmp_path / "small.csv"
    labelled(n_major=40, n_minor=3).to_csv(src, index=False)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "o.csv")
    assert code == 1 and "class 'yes' has 3 row(s), but SMOTE with k_neighbors=5 needs at least 6" in err
    assert "--param k_neighbors=2" in err
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "o.csv", "-m", "adasyn")
    assert code == 1 and "ADASYN with n_neighbors=5" in err


def test_class_too_small_for_the_folds_of_evaluate(capsys, tmp_path):
    src = tmp_path / "small.csv"
    labelled(n_major=40, n_minor=6).to_csv(src, index=False)
    code, _, err = run(capsys, "evaluate", src, "-t", "label", "--cv", "3x1", "-q")
    assert code == 1
    assert "class 'yes' has 6 row(s), 4 in each training fold of --cv 3x1" in err and "--param k_neighbors=3" in err
    code, _, err = run(capsys, "evaluate", src, "-t", "label", "--cv", "3x1", "-q", "--param", "k_neighbors=3")
    assert code == 0, err


@pytest.fixture
def nested(tmp_path):
    src = tmp_path / "nested.parquet"
    frame = labelled()
    frame["tags"] = [[i, i + 1] for i in range(len(frame))]
    frame["meta"] = [{"x": i % 3} for i in range(len(frame))]
    frame.to_parquet(src, index=False)
    return src


def test_inspect_describes_list_and_struct_columns(capsys, nested):
    code, out, _ = run(capsys, "inspect", nested, "-t", "label")
    assert code == 0
    table = out.split("Classes of")[0]
    assert [line.split()[1] for line in table.splitlines() if line.startswith(("tags", "meta"))] == ["nested"] * 2
    assert "tags, meta hold lists or records" in out


def test_resample_refuses_list_and_struct_columns(capsys, nested, tmp_path):
    code, _, err = run(capsys, "resample", nested, "-t", "label", "-o", tmp_path / "o.parquet")
    assert code == 1 and "tags, meta hold lists or records" in err and "--drop tags,meta" in err
    code, _, err = run(capsys, "resample", nested, "-t", "label", "-o", tmp_path / "o.parquet",
                       "--drop", "tags,meta")
    assert code == 0, err


def duplicated_csv(path):
    path.write_text("a,b,a,label\n" + "".join(f"{i},{i * 2 % 7},{i % 5},{'yes' if i < 12 else 'no'}\n"
                                              for i in range(52)))


def duplicated_parquet(path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = labelled()
    table = pa.table([pa.array(frame["a"]), pa.array(frame["b"]), pa.array(frame["b"] * 2),
                      pa.array(frame["label"])], names=["a", "b", "b", "label"])
    pq.write_table(table, path)


@pytest.mark.parametrize("make, name, repeated", [
    (duplicated_csv, "dup.csv", "'a' appears 2 times in the header (read as 'a', 'a.1')"),
    (duplicated_parquet, "dup.parquet", "'b' appears 2 times in the header (read as 'b', 'b.1')"),
])
def test_duplicated_column_names(capsys, tmp_path, make, name, repeated):
    src = tmp_path / name
    make(src)
    code, out, _ = run(capsys, "inspect", src, "-t", "label")
    assert code == 0 and repeated in out
    for command in ("resample", "evaluate"):
        argv = [command, src, "-t", "label"] + (["-o", tmp_path / "o.csv"] if command == "resample" else ["-q"])
        code, _, err = run(capsys, *argv)
        assert code == 1 and repeated in err and "give every column its own name" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_missing_labels_counted(capsys, tmp_path, fmt):
    frame = labelled()
    frame["label"] = frame["label"].astype(object)
    frame.loc[[4, 20], "label"] = None
    src = tmp_path / f"gaps.{fmt}"
    frame.to_csv(src, index=False) if fmt == "csv" else frame.to_parquet(src, index=False)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "o.csv")
    assert code == 1 and "the target 'label' is empty on 2 row(s) (data rows 5, 21)" in err
    code, out, _ = run(capsys, "inspect", src, "-t", "label")
    assert code == 0 and "is empty on 2 row(s)" in out and "Classes of 'label'" in out


def test_several_fatal_findings_listed_together(capsys, tmp_path):
    src = tmp_path / "bad.csv"
    frame = labelled().assign(ident=[f"C{i:05d}" for i in range(52)])
    frame["a"] = frame["a"].astype(object)
    frame.loc[0, "a"] = "?"
    frame.to_csv(src, index=False)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "o.csv")
    assert code == 1 and "2 problems with the data stop resample" in err
    assert "column 'a' holds numbers" in err and "'ident' has a different value" in err


# -- the Dask engine reads CSV files by the same rules ---------------------------------------------------------
def test_dask_engine_reads_csv_labels_and_separator_like_pandas(capsys, tmp_path):
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "codes.csv"
    frame = features(60).assign(label=["1"] * 36 + ["01"] * 14 + ["NA"] * 10, id=[f"{i:06d}" for i in range(60)])
    frame.to_csv(src, index=False, sep=";")
    out_dir = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as lc:
        code, _, err = run(capsys, "resample", src, "-t", "label", "--drop", "id", "-o", out_dir, "--engine", "dask",
                           "-m", "rus", "--scheduler", lc.scheduler.address)
    assert code == 0, err
    res = pd.read_parquet(out_dir)
    assert res["label"].value_counts().to_dict() == {"1": 10, "01": 10, "NA": 10}
