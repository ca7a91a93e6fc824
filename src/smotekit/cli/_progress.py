"""What a long command shows on stderr while it works: stages with their time, live on a terminal.

One :class:`Feedback` per command picks one of three modes:

``off``    ``--quiet``: nothing at all.
``lines``  stderr is not a terminal (a log file, CI), or rich is not installed:
           one plain line per finished stage, never a carriage return; a
           stage that runs long adds a line at most every 10 s while it
           counts (``1,200,000 / 2,000,000 rows (60%), 41,000 rows/s``), and
           one every 30 s while it runs without counting (``still running``).
``live``   stderr is a terminal and rich (the ``[cli]`` extra) is installed: a
           spinner, or a bar when the size is known, redrawn in place, with the
           same lines printed above it as stages finish.

The library reports its own stages (a sampler's neighbour searches, the
generation, building the output) as :mod:`logging` records of the ``smotekit``
logger that carry a ``smotekit`` attribute; :meth:`Feedback.library` turns them
into stages. Nothing is written to stdout, which carries the command's results.
rich is imported only when a live display starts, so ``smotekit --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import logging
import os
import sys
import threading
import time
from pathlib import Path

__all__ = ["Feedback", "Progress", "Stage", "csv_size", "open_counted"]

# Lines mode: the shortest time between two lines about one running stage, while it counts, and while
# it only runs (a log of a long run stays readable; a live display has no such need).
_PROGRESS_SECONDS = 10.0
_STILL_RUNNING_SECONDS = 30.0
# How often the background thread of a lines-mode display looks whether a line is due (real time).
_TICK_SECONDS = 1.0


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _number_text(count, unit) -> str:
    return f"{count / 1e6:,.1f}" if unit == "bytes" else f"{count:,}"


def _count_text(count, unit) -> str:
    return f"{_number_text(count, unit)} {'MB' if unit == 'bytes' else unit}".rstrip()


class Feedback:
    """Stages of a command, shown on ``stream`` (stderr) as plain lines or a live display.

    Use as a context manager, so that a live display is stopped however the
    command ends.

    Parameters
    ----------
    enabled : bool, default=True
        False shows nothing (``--quiet``).
    stream : file, default=sys.stderr
        Where to write; a terminal gets the live display when rich is installed.
    live : bool, default=True
        False: plain lines even on a terminal (for a stage not run inside a
        ``with`` block, which could not stop a live display on an error).
    clock : callable, default=time.perf_counter
        Seconds, for the durations and rates shown and for when a line is due.

    Notes
    -----
    In lines mode, inside a ``with`` block, a background thread prints the
    lines that fall due while the work holds the main thread (a neighbour
    search that makes no call back for minutes); outside one, lines come
    only from :meth:`Stage.advance`, since nothing would stop the thread.
    """

    def __init__(self, enabled: bool = True, stream=None, *, live: bool = True, clock=None):
        self.stream = sys.stderr if stream is None else stream
        self.clock = time.perf_counter if clock is None else clock
        if not enabled:
            self.mode = "off"
        elif live and _is_terminal(self.stream) and importlib.util.find_spec("rich") is not None:
            self.mode = "live"
        else:
            self.mode = "lines"
        self._live = None  # a rich Progress, started by the first stage of a live display
        # Lines mode: the stages running, and the thread that prints their due lines (only while some run).
        self._running = []
        self._lock = threading.RLock()  # one line at a time, from the work's thread or the ticker
        self._wake = threading.Event()
        self._ticker = None
        self._entered = False

    def __enter__(self):
        self._entered = True
        return self

    def __exit__(self, *exc_info):
        self.close()

    def line(self, text: str) -> None:
        """Print one line (above the live display, if one is running)."""
        if self.mode == "off":
            return
        if self._live is not None:
            self._live.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            with self._lock:
                self.stream.write(text + "\n")
                self.stream.flush()

    def stage(self, label: str, *, total=None, unit: str = "rows") -> Stage:
        """Start a stage; finish it with :meth:`Stage.done` (a line) or :meth:`Stage.close` (none).

        Parameters
        ----------
        label : str
            What is being done, e.g. ``'reading data.csv'``.
        total : int, optional
            Units of work, when known: a bar instead of a spinner.
        unit : str, default='rows'
            What :meth:`Stage.advance` counts; ``'bytes'`` is shown in MB.
        """
        return Stage(self, label, total, unit)

    def _rich(self):
        if self._live is None:
            from rich.console import Console
            from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            console = Console(file=self.stream, highlight=False)
            # stdout carries the results and must not pass through the display; writes to stderr
            # (notes, warnings) are printed above it instead of through it.
            # File names are shown as written: no rich markup ('[x]' is text).
            self._live = RichProgress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                                      BarColumn(bar_width=24), TextColumn("{task.fields[count]}", markup=False),
                                      TimeElapsedColumn(), console=console, transient=True, redirect_stdout=False,
                                      redirect_stderr=True)
            self._live.start()
        return self._live

    @contextlib.contextmanager
    def library(self):
        """Show the library's stage records (searches, generation, output) as stages while the block runs."""
        if self.mode == "off":
            yield
            return
        logger = logging.getLogger("smotekit")
        handler = _StageHandler(self)
        level = logger.level
        logger.addHandler(handler)
        # The end of a stage is a DEBUG record: the library stays quiet at INFO for its users.
        logger.setLevel(logging.DEBUG)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            handler.close_all()

    def tick(self) -> None:
        """Print the lines due for the running stages (lines mode); the background thread calls it."""
        now = self.clock()
        with self._lock:
            for stage in list(self._running):
                self._report(stage, now)

    def _report(self, stage, now) -> None:
        with self._lock:  # the work's thread and the ticker must not both print the same line
            text = stage._due_line(now)
            if text is not None:
                self.line(text)

    def _started(self, stage) -> None:
        with self._lock:
            self._running.append(stage)
            if self._entered and self._ticker is None:
                self._ticker = threading.Thread(target=self._tick_loop, name="smotekit-progress", daemon=True)
                self._ticker.start()

    def _ended(self, stage) -> None:
        with self._lock:
            if stage in self._running:
                self._running.remove(stage)
            if not self._running:
                self._wake.set()

    def _tick_loop(self) -> None:
        while True:
            if self._wake.wait(_TICK_SECONDS):
                self._wake.clear()
            with self._lock:
                if not self._running:
                    self._ticker = None
                    return
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - a display must never break the work it shows
                with self._lock:
                    self._running.clear()
                    self._ticker = None
                return

    def close(self) -> None:
        """Stop the live display or the lines' thread, if any (lines already printed stay)."""
        with self._lock:
            self._running.clear()
            self._wake.set()
            ticker = self._ticker
        if ticker is not None and ticker is not threading.current_thread():
            ticker.join()
        if self._live is not None:
            self._live.stop()
            self._live = None


class Stage:
    """One stage of a command: a live spinner or bar while it runs, one line when done.

    Made by :meth:`Feedback.stage`.
    """

    def __init__(self, feedback: Feedback, label: str, total, unit: str):
        self.feedback, self.label, self.total, self.unit = feedback, label, total, unit
        self.count = 0
        self.started = feedback.clock()
        self._task = None
        # Lines mode: when the last line about this stage was printed, and the count it showed.
        self._line_at, self._line_count = self.started, 0
        if feedback.mode == "live":
            self._task = feedback._rich().add_task(label, total=total, count="")
        elif feedback.mode == "lines":
            feedback._started(self)

    def advance(self, n: int = 1, detail: str = "") -> None:
        """Count ``n`` more units as done; ``detail`` (e.g. the item just finished) is shown live."""
        self.count += n
        if self.feedback.mode == "lines":
            self.feedback._report(self, self.feedback.clock())
        elif self._task is not None:
            rate = self.count / max(self.feedback.clock() - self.started, 1e-9)
            shown = _count_text(self.count, self.unit)
            if self.total is not None:  # '5,000/10,000 rows'
                whole = _count_text(self.total, self.unit)
                shown = shown.split(" ")[0] + "/" + whole
            elif self.unit:
                shown += f" ({_count_text(round(rate), self.unit)}/s)"
            description = f"{self.label} · {detail}" if detail else self.label
            self.feedback._live.update(self._task, completed=self.count, count=shown, description=description)

    def _due_line(self, now):
        """The progress line due at ``now`` in lines mode, or None (and remember it as printed)."""
        since = now - self._line_at
        elapsed = now - self.started
        if self.count != self._line_count and since >= _PROGRESS_SECONDS:
            if self.total:
                text = (f"{self.label}: {_number_text(self.count, self.unit)} / {_count_text(self.total, self.unit)} "
                        f"({int(100 * self.count / self.total)}%)")
            else:
                text = f"{self.label}: {_count_text(self.count, self.unit)} so far"
            if self.unit and elapsed > 0:
                text += f", {_count_text(round(self.count / elapsed), self.unit)}/s"
        elif since >= _STILL_RUNNING_SECONDS:
            text = f"{self.label}: still running, {elapsed:.0f}s"
        else:
            return None
        self._line_at, self._line_count = now, self.count
        return text

    def close(self) -> float:
        """End the stage without a line; returns the seconds it took."""
        if self._task is not None and self.feedback._live is not None:
            self.feedback._live.remove_task(self._task)
        self._task = None
        if self.feedback.mode == "lines":
            self.feedback._ended(self)
        return self.feedback.clock() - self.started

    def done(self, count=None, *, detail: str = "", unit: str | None = None, summary: str | None = None) -> float:
        """End the stage with one line; returns the seconds it took.

        Parameters
        ----------
        count : int, optional
            Units done, shown with their rate (``'2,000,000 rows in 8.1s (247,000 rows/s)'``);
            by default the units counted by :meth:`advance`, if any.
        detail : str
            Added after the count, e.g. ``'12 columns'``.
        unit : str, optional
            What ``count`` counts, when not the stage's unit (a read followed in bytes, reported in rows).
        summary : str, optional
            The whole line instead.
        """
        elapsed = self.close()
        count = self.count if count is None else count
        unit = self.unit if unit is None else unit
        if summary is None:
            summary = f"{self.label}: "
            if count:
                summary += _count_text(count, unit) + (f", {detail}" if detail else "") + f" in {elapsed:.1f}s"
                if elapsed >= 0.1:  # a rate over a few milliseconds says nothing
                    summary += f" ({_count_text(round(count / elapsed), unit)}/s)"
            else:
                summary += (f"{detail} " if detail else "") + f"in {elapsed:.1f}s"
        self.feedback.line(summary)
        return elapsed


class _Sampler:
    """What the handler knows about one running ``fit_resample``."""

    def __init__(self, name, kind, depth, created):
        self.name, self.kind, self.depth, self.created = name, kind, depth, created
        self.searches = self.search_rows = 0
        self.search_seconds = 0.0
        self.children = 0
        self.kernel_end = None


class _StageHandler(logging.Handler):
    """Turns the library's stage records into stages of a :class:`Feedback`.

    Searches are added up per sampler: a sampler may search hundreds of times
    (one class after another, or in rounds), and one line per search would
    bury the rest. Records from other threads are left out, so that a sampler
    run in a worker thread cannot tangle the display.
    """

    def __init__(self, feedback: Feedback):
        super().__init__(logging.DEBUG)
        self.feedback = feedback
        self.thread = threading.get_ident()
        self.samplers = []  # the fit_resample calls under way, outermost first
        self.live = None  # the spinner of what runs now
        self.searches = []  # start times of the searches under way: a search may run smaller ones

    def _indent(self) -> str:
        return "  " * len(self.samplers)

    def _show(self, label):
        if self.live is not None:
            self.live.close()
        # In lines mode the stage prints nothing but the sparse 'still running' lines of a long step.
        self.live = self.feedback.stage(label, unit="")

    def _show_working(self):
        s = self.samplers[-1]
        doing = {"over-sampling": "generating", "regression": "resampling", "multilabel": "resampling"}
        self._show(f"{self._indent()}{s.name}: {doing.get(s.kind, 'selecting rows')}")

    def emit(self, record):
        info = getattr(record, "smotekit", None)
        if info is None:
            if record.levelno >= logging.WARNING:  # handled here, so no longer by logging's last resort
                self.feedback.line(f"warning: {record.getMessage()}")
            return
        if record.thread != self.thread:
            return
        try:
            getattr(self, f"_{info['stage']}_{info['event']}")(info, record.created)
        except Exception:  # noqa: BLE001 - a display must never break the work it shows
            self.handleError(record)

    def _resample_start(self, info, created):
        if self.samplers:
            self.samplers[-1].children += 1
        self.feedback.line(f"{self._indent()}{info['sampler']} ({info['kind']}): {info['rows']:,} rows")
        self.samplers.append(_Sampler(info["sampler"], info["kind"], len(self.samplers), created))
        self._show_working()

    def _resample_kernel(self, info, created):
        if not self.samplers:
            return
        s = self.samplers[-1]
        s.kernel_end = created
        pad = "  " * (s.depth + 1)
        if s.searches:
            plural = "es" if s.searches > 1 else ""
            self.feedback.line(f"{pad}neighbour search: {s.searches:,} search{plural} for {s.search_rows:,} rows "
                               f"in {s.search_seconds:.1f}s")
        if not s.children:
            work = max(created - s.created - s.search_seconds, 0.0)
            what = f"generation: {info['rows']:,} rows" if s.kind == "over-sampling" else "selection:"
            self.feedback.line(f"{pad}{what} in {work:.1f}s")
        self._show(f"{pad}{s.name}: building the output")

    def _resample_end(self, info, created):
        if not self.samplers:
            return
        s = self.samplers.pop()
        pad = "  " * (s.depth + 1)
        if s.kernel_end is not None:
            self.feedback.line(f"{pad}output: {info['rows']:,} rows in {created - s.kernel_end:.1f}s")
        if self.samplers:
            self._show_working()
        else:
            self._stop()

    def _search_start(self, info, created):
        self.searches.append(created)
        if len(self.searches) == 1:
            self._show(f"{self._indent()}neighbour search: {info['rows']:,} rows, backend {info['backend']}")

    def _search_end(self, info, created):
        if not self.searches:
            return
        seconds = created - self.searches.pop()
        if self.searches:  # a search within a search is part of it
            return
        if self.samplers:
            s = self.samplers[-1]
            s.searches += 1
            s.search_rows += info["rows"]
            s.search_seconds += seconds
            self._show_working()
        else:  # a search outside any sampler gets its own line
            self._stop()
            self.feedback.line(f"neighbour search: {info['rows']:,} rows in {seconds:.1f}s")

    def _stop(self):
        if self.live is not None:
            self.live.close()
        self.live = None

    def close_all(self) -> None:
        """Forget unfinished samplers (after an error) and stop the spinner."""
        self.samplers.clear()
        self.searches.clear()
        self._stop()


class Progress:
    """A counted task on stderr (e.g. cross-validation folds): a bar on a terminal, one line when closed.

    Parameters
    ----------
    total : int
        Units of work.
    label : str
        What is being done.
    enabled : bool, default=True
        False prints nothing (``--quiet``).
    stream : file, default=sys.stderr
    """

    def __init__(self, total: int, label: str, *, enabled: bool = True, stream=None):
        self.total = max(int(total), 1)
        self.label = label
        self.done = 0
        self._feedback = Feedback(enabled, stream)
        self._stage = self._feedback.stage(label, total=self.total, unit="")

    def advance(self, n: int = 1, detail: str = "") -> None:
        """Count ``n`` more units as done; ``detail`` names the one just finished."""
        self.done += n
        self._stage.advance(n, detail=detail)

    def close(self) -> float:
        """Finish, print the summary line, and return the seconds elapsed."""
        elapsed = self._stage.done(summary=f"{self.label}: {self.done}/{self.total} done in "
                                           f"{self._feedback.clock() - self._stage.started:.1f}s")
        self._feedback.close()
        return elapsed


class _CountedFile(io.FileIO):
    """A file read for its bytes, reporting each read to a callback (the reading stage's bar)."""

    def __init__(self, path, callback):
        super().__init__(path, "rb")
        self._callback = callback

    def readinto(self, buffer):
        n = super().readinto(buffer)
        if n and self._callback is not None:
            self._callback(n)
        return n


@contextlib.contextmanager
def open_counted(path, progress):
    """Open ``path`` for ``pandas.read_csv`` so that ``progress(n_bytes)`` follows the reading.

    ``progress`` may be None (nothing is reported).

    pandas reads the same bytes as from the path, so the result is the same;
    compression, which pandas infers only from a path, is passed on explicitly.

    Yields
    ------
    source : file
        A buffered binary file; give it to ``read_csv`` as the path.
    compression : str or None
        For ``read_csv(..., compression=...)``.
    """
    from ._read import COMPRESSED  # here: _read imports this module

    compression = COMPRESSED.get(Path(path).suffix.lower())
    with io.BufferedReader(_CountedFile(path, progress), buffer_size=1 << 20) as source:
        yield source, compression


def csv_size(path):
    """The size in bytes of a CSV file, for the reading bar; None otherwise (a spinner then)."""
    if not any(s.lower() in (".csv", ".tsv", ".txt") for s in Path(path).suffixes):
        return None
    try:
        return os.path.getsize(path)
    except OSError:
        return None
