"""Progress off a terminal: sparse plain lines while a long stage runs (a fake clock; no real waiting on time)."""

import io
import logging
import threading

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import _progress, main
from smotekit.cli._progress import Feedback, open_counted
from smotekit.cli._read import COMPRESSED


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def lines(stream):
    return stream.getvalue().splitlines()


@pytest.mark.parametrize("unit, steps, expected", [
    ("rows", [(5.0, 600_000), (12.0, 600_000), (15.0, 400_000), (23.0, 200_000)],
     ["writing out.csv: 1,200,000 / 2,000,000 rows (60%), 100,000 rows/s",
      "writing out.csv: 1,800,000 / 2,000,000 rows (90%), 78,261 rows/s"]),
    ("bytes", [(10.0, 120_000_000), (19.0, 60_000_000), (20.0, 1)],
     ["writing out.csv: 120.0 / 300.0 MB (40%), 12.0 MB/s", "writing out.csv: 180.0 / 300.0 MB (60%), 9.0 MB/s"]),
])
def test_counted_stage_prints_a_line_at_most_every_ten_seconds(unit, steps, expected):
    clock, stream = Clock(), io.StringIO()
    total = 2_000_000 if unit == "rows" else 300_000_000
    stage = Feedback(stream=stream, clock=clock).stage("writing out.csv", total=total, unit=unit)
    start = clock.now
    for at, n in steps:
        clock.now = start + at
        stage.advance(n)
    assert lines(stream) == expected and "\r" not in stream.getvalue()
    stage.done()
    assert lines(stream)[-1].startswith("writing out.csv: ") and len(lines(stream)) == len(expected) + 1


def test_counted_stage_without_a_total_says_so_far():
    clock, stream = Clock(), io.StringIO()
    stage = Feedback(stream=stream, clock=clock).stage("reading data.csv")
    clock.now += 10
    stage.advance(5_000)
    assert lines(stream) == ["reading data.csv: 5,000 rows so far, 500 rows/s"]


@pytest.mark.parametrize("total", [None, 100])
def test_stage_that_does_not_advance_says_still_running_every_thirty_seconds(total):
    clock, stream = Clock(), io.StringIO()
    feedback = Feedback(stream=stream, clock=clock)
    stage = feedback.stage("  SMOTE: generating", total=total, unit="")
    start = clock.now
    for at in (9, 29, 30, 45, 59, 61, 75):
        clock.now = start + at
        feedback.tick()
    assert lines(stream) == ["  SMOTE: generating: still running, 30s", "  SMOTE: generating: still running, 61s"]
    stage.close()
    clock.now += 100
    feedback.tick()  # a closed stage is no longer reported
    assert len(lines(stream)) == 2


def test_a_counted_stage_that_stalls_says_still_running():
    clock, stream = Clock(), io.StringIO()
    feedback = Feedback(stream=stream, clock=clock)
    stage = feedback.stage("writing out.csv", total=10, unit="rows")
    clock.now += 10
    stage.advance(4)
    clock.now += 20
    feedback.tick()  # nothing new counted, and 30 s not yet gone since the last line
    clock.now += 10
    feedback.tick()
    assert lines(stream) == ["writing out.csv: 4 / 10 rows (40%), 0 rows/s", "writing out.csv: still running, 40s"]


@pytest.mark.parametrize("stream, enabled", [(FakeTerminal(), True), (io.StringIO(), False)])
def test_live_and_quiet_modes_print_no_progress_lines(stream, enabled):
    clock = Clock()
    feedback = Feedback(enabled=enabled, stream=stream, clock=clock)
    stage = feedback.stage("writing out.csv", total=10)
    for _ in range(5):
        clock.now += 40
        stage.advance(1)
        feedback.tick()
    feedback.close()
    assert "still running" not in stream.getvalue() and "(10%)" not in stream.getvalue()


def test_library_stage_in_lines_mode_says_still_running():
    clock, stream = Clock(), io.StringIO()
    logger = logging.getLogger("smotekit.test")
    with Feedback(stream=stream, clock=clock) as feedback, feedback.library():
        logger.info("x", extra={"smotekit": {"stage": "search", "event": "start", "rows": 7, "backend": "b"}})
        clock.now += 31
        feedback.tick()
        logger.info("x", extra={"smotekit": {"stage": "search", "event": "end", "rows": 7, "backend": "b"}})
    assert lines(stream)[0] == "neighbour search: 7 rows, backend b: still running, 31s"
    assert lines(stream)[1].startswith("neighbour search: 7 rows in ")


class SignallingStream(io.StringIO):
    """Sets an event when a line is written from another thread."""

    def __init__(self):
        super().__init__()
        self.written = threading.Event()

    def write(self, text):
        n = super().write(text)
        if threading.current_thread() is not threading.main_thread():
            self.written.set()
        return n


def _tickers():
    return [t for t in threading.enumerate() if t.name == "smotekit-progress"]


def test_the_background_thread_prints_while_the_work_holds_the_main_thread(monkeypatch):
    monkeypatch.setattr(_progress, "_TICK_SECONDS", 0.01)
    clock, stream = Clock(), SignallingStream()
    with Feedback(stream=stream, clock=clock) as feedback:
        stage = feedback.stage("neighbour search")
        assert _tickers()
        clock.now += 30
        assert stream.written.wait(30)  # an event, not a sleep: returns as soon as the line is there
        stage.close()
    assert lines(stream) == ["neighbour search: still running, 30s"]
    assert not _tickers()  # stopped with the display


def test_no_background_thread_outside_a_with_block():
    feedback = Feedback(stream=io.StringIO())
    stage = feedback.stage("reading data.csv")
    assert not _tickers()  # nothing would stop it after an error
    stage.close()


def test_csv_write_to_a_log_prints_progress_lines(capsys, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.normal(size=3000),
                          "label": np.where(rng.random(3000) < 0.2, "yes", "no")})
    frame.to_csv(tmp_path / "in.csv", index=False)
    monkeypatch.setattr("smotekit.cli._write._CELLS_PER_CHUNK", 300)  # many slices
    ticks = iter(range(0, 10**9, 4))  # every reading of the clock is 4 s later
    monkeypatch.setattr(_progress.time, "perf_counter", lambda: float(next(ticks)))
    code = main(["resample", str(tmp_path / "in.csv"), "-t", "label", "-o", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    written = [line for line in err.splitlines() if line.startswith(f"writing {tmp_path / 'out.csv'}: ")]
    assert code == 0 and "\r" not in err
    rows = len(pd.read_csv(tmp_path / "out.csv"))
    assert any(f" / {rows:,} rows (" in line and "rows/s" in line for line in written[:-1])
    assert written[-1].startswith(f"writing {tmp_path / 'out.csv'}: {rows:,} rows in ")


@pytest.mark.parametrize("suffix", [".gz", ".custom"])
def test_reading_follows_the_one_compression_table(tmp_path, monkeypatch, suffix):
    monkeypatch.setitem(COMPRESSED, ".custom", "gzip")  # one table: what _read knows, reading knows
    path = tmp_path / f"data.csv{suffix}"
    pd.DataFrame({"x": [1, 2]}).to_csv(path, index=False, compression="gzip")
    with open_counted(path, None) as (source, compression):
        assert compression == "gzip"
        assert pd.read_csv(source, compression=compression)["x"].tolist() == [1, 2]


def test_evaluate_in_a_log_prints_reading_and_fold_lines(capsys, tmp_path, monkeypatch):
    import smotekit.evaluation

    rng = np.random.default_rng(0)
    pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200),
                  "label": np.where(rng.random(200) < 0.3, "yes", "no")}).to_csv(tmp_path / "in.csv", index=False)
    ticks = iter(range(0, 10**9, 11))  # every reading of the clock is 11 s later: every count is due a line
    monkeypatch.setattr(_progress.time, "perf_counter", lambda: float(next(ticks)))
    seen = {}
    compare = smotekit.evaluation.compare

    def spy(*args, progress=None, **kwargs):
        def watched(done, total, detail):
            progress(done, total, detail)
            # The folds are a stage of the command's entered Feedback: its thread prints while a fold runs.
            seen.setdefault("tickers", len(_tickers()))
            seen["total"] = total

        return compare(*args, progress=watched, **kwargs)

    monkeypatch.setattr(smotekit.evaluation, "compare", spy)
    argv = ["evaluate", str(tmp_path / "in.csv"), "-t", "label", "--cv", "2x2", "--methods", "none,smote"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0 and "\r" not in err and seen == {"tickers": 1, "total": 8}
    reading = [line for line in err.splitlines() if line.startswith(f"reading {tmp_path / 'in.csv'}: ")]
    assert any(" MB (" in line and "%)" in line for line in reading[:-1])  # followed in bytes
    assert reading[-1].startswith(f"reading {tmp_path / 'in.csv'}: 200 rows, 3 columns in ")
    folds = [line for line in err.splitlines() if line.startswith("evaluating in.csv: ")]
    assert any(" / 8 (" in line for line in folds[:-1]) and folds[-1].startswith("evaluating in.csv: 8 fits done in ")
    assert "evaluating" not in out and "reading" not in out
    assert not _tickers()  # stopped with the command
