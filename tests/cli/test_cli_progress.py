"""What long commands show while they work: stage lines on stderr, nothing with --quiet, nothing on stdout
from the library, and no pandas warning from building wide outputs."""

import io
import logging
import warnings

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run
from sklearn.datasets import make_classification

from smotekit.cli import _progress
from smotekit.cli._progress import Feedback, Progress, open_counted
from smotekit.cli._write import counts_rows, write_table
from smotekit.over_sampling import SMOTE, BorderlineSMOTE


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("progress")
    X, y = make_classification(n_samples=400, n_features=4, n_informative=3, n_redundant=0, weights=[0.85],
                               flip_y=0, random_state=0)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(label=np.where(y == 1, "yes", "no"))
    frame.to_csv(d / "data.csv", index=False)
    return d / "data.csv"


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


# -- the commands ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [
    ("resample", "-o", "{tmp}/out.csv"),
    ("resample", "-o", "{tmp}/out.parquet", "--method", "borderline-smote"),
    ("evaluate", "--cv", "2x1", "--methods", "none,smote"),
    ("inspect",),
])
def test_quiet_prints_nothing_on_stderr(capsys, data, tmp_path, command):
    # Without --quiet the same command reports its reading stage (inspect included).
    argv = [a.format(tmp=tmp_path / "loud") for a in command]
    (tmp_path / "loud").mkdir()
    assert "reading" in run(capsys, argv[0], data, "-t", "label", *argv[1:])[2]
    argv = [a.format(tmp=tmp_path) for a in command]
    code, out, err = run(capsys, argv[0], data, "-t", "label", *argv[1:], "--quiet")
    assert code == 0 and out and err == ""


@pytest.mark.parametrize("method, stages", [
    ("smote", ["reading", "SMOTE (over-sampling): 400 rows", "neighbour search: 1 search", "generation:",
               "output:", "writing"]),
    ("borderline-smote", ["reading", "BorderlineSMOTE (over-sampling)", "neighbour search: 2 searches",
                          "generation:", "output:", "writing"]),
    ("random-under-sampler", ["reading", "RandomUnderSampler (under-sampling)", "selection:", "output:",
                              "writing"]),
])
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".csv.gz"])
def test_resample_prints_one_line_per_stage_without_carriage_returns(capsys, data, tmp_path, method, stages,
                                                                      suffix):
    out_path = tmp_path / f"out{suffix}"
    code, out, err = run(capsys, "resample", data, "-t", "label", "-o", out_path, "--method", method)
    assert code == 0 and "\r" not in err
    lines = err.splitlines()
    # Each stage once, in order; then the results on stdout only.
    found = [next(i for i, line in enumerate(lines) if stage in line.lstrip()) for stage in stages]
    assert found == sorted(found) and len(lines) == len(stages)
    assert lines[0].startswith(f"reading {data}: 400 rows, 5 columns in ")
    written = len(pd.read_parquet(out_path) if suffix == ".parquet" else pd.read_csv(out_path))
    assert lines[-1].startswith(f"writing {out_path}: {written:,} rows in ")
    assert "reading" not in out and "neighbour search" not in out


def test_evaluate_prints_reading_and_fold_lines(capsys, data):
    code, out, err = run(capsys, "evaluate", data, "-t", "label", "--cv", "2x1", "--methods", "none,smote")
    assert code == 0 and "\r" not in err
    assert err.splitlines()[0].startswith(f"reading {data}: 400 rows")
    assert "evaluating data.csv: 4 fits done in " in err and "evaluating" not in out


# -- the library reports through logging ----------------------------------------------------------------------
def test_library_logs_stages_without_printing(capsys, caplog):
    X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    BorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert capsys.readouterr() == ("", "")  # silent unless logging is configured
    with caplog.at_level(logging.DEBUG, logger="smotekit"):
        BorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert capsys.readouterr() == ("", "")
    events = [(r.smotekit["stage"], r.smotekit["event"]) for r in caplog.records if hasattr(r, "smotekit")]
    assert events[0] == ("resample", "start") and events[-2:] == [("resample", "kernel"), ("resample", "end")]
    assert events.count(("search", "start")) == events.count(("search", "end")) >= 2
    first = caplog.records[0]
    assert first.levelno == logging.INFO and first.getMessage() == \
        "BorderlineSMOTE: resampling 300 rows x 20 features (over-sampling)"


def test_library_handler_restores_the_logger_and_shows_library_warnings():
    logger = logging.getLogger("smotekit")
    before = (logger.level, list(logger.handlers))
    stream = io.StringIO()
    with Feedback(stream=stream) as feedback, feedback.library():
        logging.getLogger("smotekit.some_module").warning("a thing to know")
        logging.getLogger("smotekit.some_module").info("not a stage")
    assert (logger.level, list(logger.handlers)) == before
    assert stream.getvalue() == "warning: a thing to know\n"


def test_quiet_feedback_attaches_nothing():
    logger = logging.getLogger("smotekit")
    handlers = list(logger.handlers)
    with Feedback(enabled=False) as feedback, feedback.library():
        assert logger.handlers == handlers


def test_nested_searches_count_once():
    stream = io.StringIO()
    X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    with Feedback(stream=stream) as feedback, feedback.library():
        SMOTE(random_state=0).fit_resample(X, y)
        logger = logging.getLogger("smotekit.test")
        for event in ("start", "start", "end", "end"):  # a search that runs a smaller one
            logger.info("x", extra={"smotekit": {"stage": "search", "event": event, "rows": 7, "backend": "b"}})
    assert stream.getvalue().splitlines()[-1].startswith("neighbour search: 7 rows in ")


# -- modes and lines ----------------------------------------------------------------------------------------
def test_modes(monkeypatch):
    assert Feedback(enabled=False, stream=FakeTerminal()).mode == "off"
    assert Feedback(stream=io.StringIO()).mode == "lines"
    assert Feedback(stream=FakeTerminal(), live=False).mode == "lines"
    assert Feedback(stream=FakeTerminal()).mode == "live"
    real = _progress.importlib.util.find_spec
    monkeypatch.setattr(_progress.importlib.util, "find_spec", lambda name: None if name == "rich" else real(name))
    assert Feedback(stream=FakeTerminal()).mode == "lines"  # without rich: plain lines on a terminal too


def test_live_display_ends_with_the_same_lines(capsys):
    terminal = FakeTerminal()
    with Feedback(stream=terminal) as feedback:
        stage = feedback.stage("writing [x].csv", total=10)
        stage.advance(4)
        stage.advance(6)
        stage.done()
    assert "writing [x].csv: 10 rows in " in terminal.getvalue()  # no rich markup in names
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("count, detail, expected", [
    (None, "", "stage: in "),
    (0, "", "stage: in "),
    (1234567, "", "stage: 1,234,567 rows in "),
    (12, "3 columns", "stage: 12 rows, 3 columns in "),
])
def test_stage_line(count, detail, expected):
    stream = io.StringIO()
    Feedback(stream=stream).stage("stage").done(count, detail=detail)
    assert stream.getvalue().startswith(expected) and stream.getvalue().count("\n") == 1


def test_progress_keeps_its_summary_line():
    stream = io.StringIO()
    progress = Progress(3, "evaluating", stream=stream)
    for _ in range(3):
        progress.advance(detail="smote")
    progress.close()
    assert stream.getvalue().startswith("evaluating: 3/3 done in ") and "\r" not in stream.getvalue()


# -- writing and reading in pieces -------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [0, 1, 5000])
@pytest.mark.parametrize("delay", [None, "0.0001"])
def test_chunked_csv_write_is_the_same_file(tmp_path, monkeypatch, rows, delay):
    if delay:
        monkeypatch.setenv("SMOTEKIT_TEST_WRITE_DELAY", delay)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=rows), "s": rng.choice(["a", "b,c", 'q"'], rows),
                          "n": pd.array(rng.integers(0, 5, rows), dtype="Int64")})
    frame.loc[frame.index[::7], "n"] = pd.NA
    frame.to_csv(tmp_path / "whole.csv", index=False)
    counted = []
    monkeypatch.setattr("smotekit.cli._write._CELLS_PER_CHUNK", 3000)  # several slices
    write_table(frame, tmp_path / "chunks.csv", progress=counted.append)
    assert (tmp_path / "chunks.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert sum(counted) == rows and (len(counted) > 1 or rows <= 1000)


@pytest.mark.parametrize("name, chunked", [("o.csv", True), ("o.tsv", True), ("o.csv.gz", False),
                                           ("o.parquet", False)])
def test_only_plain_csv_reports_rows(tmp_path, name, chunked):
    counted = []
    write_table(pd.DataFrame({"x": range(10)}), tmp_path / name, progress=counted.append)
    assert counts_rows(tmp_path / name) is chunked and (sum(counted) == 10 if chunked else counted == [])


@pytest.mark.parametrize("name", ["d.csv", "d.tsv", "d.csv.gz", "d.csv.bz2", "d.csv.xz", "d.csv.zip"])
def test_open_counted_reads_the_same_table(tmp_path, name):
    sep = "\t" if name.endswith(".tsv") else ","
    frame = pd.DataFrame({"x": np.arange(20000) * 0.5, "label": ["007", "NA"] * 10000})
    frame.to_csv(tmp_path / name, index=False, sep=sep)
    options = dict(sep=sep, dtype={"label": str}, keep_default_na=False)
    counted = []
    with open_counted(tmp_path / name, counted.append) as (source, compression):
        read = pd.read_csv(source, compression=compression, **options)
    pd.testing.assert_frame_equal(read, pd.read_csv(tmp_path / name, **options))
    size = (tmp_path / name).stat().st_size
    # A zip archive's directory, at its end, is read before the data: a little more than the size.
    assert sum(counted) == size if not name.endswith(".zip") else size <= sum(counted) < 2 * size


# -- wide files -----------------------------------------------------------------------------------------------
def test_wide_file_resamples_without_performance_warning(capsys, tmp_path):
    rng = np.random.default_rng(0)
    n = 200
    columns = {f"f{i}": rng.normal(size=n) if i % 2 else rng.integers(0, 100, n) for i in range(320)}
    columns.update({f"id{i}": np.arange(n) + i for i in range(120)})
    frame = pd.DataFrame(columns).assign(label=np.where(np.arange(n) < 30, "yes", "no"))
    frame.to_csv(tmp_path / "wide.csv", index=False)
    drop = ",".join(f"id{i}" for i in range(120))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, _, err = run(capsys, "resample", tmp_path / "wide.csv", "-t", "label", "-o", tmp_path / "out.csv",
                           "--drop", drop, "--mark-synthetic", "--mark-parents", "--quiet")
    assert code == 0, err
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns) == list(frame.columns) + ["is_synthetic", "parent_1", "parent_2"]
    original = ~out["is_synthetic"]
    assert (out.loc[original, "id5"] == frame["id5"]).all() and out.loc[~original, "id5"].isna().all()
    assert (out.loc[~original, "label"] == "yes").all() and out.loc[~original, "parent_1"].notna().all()
