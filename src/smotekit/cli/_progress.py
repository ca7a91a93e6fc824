"""What a long command shows on stderr while it works: stages with their time, live on a terminal.

One :class:`Feedback` per command picks one of three modes:

``off``    ``--quiet``: nothing at all.
``lines``  stderr is not a terminal (a log file, CI), or rich is not installed:
           one plain line per finished stage, never a carriage return.
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

_COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz", ".zst": "zstd"}


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _count_text(count, unit) -> str:
    if unit == "bytes":
        return f"{count / 1e6:,.1f} MB"
    return f"{count:,} {unit}".rstrip()


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
    """

    def __init__(self, enabled: bool = True, stream=None, *, live: bool = True):
        self.stream = sys.stderr if stream is None else stream
        if not enabled:
            self.mode = "off"
        elif live and _is_terminal(self.stream) and importlib.util.find_spec("rich") is not None:
            self.mode = "live"
        else:
            self.mode = "lines"
        self._live = None  # a rich Progress, started by the first stage of a live display

    def __enter__(self):
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
            from rich.progress import BarColumn, Progress as RichProgress, SpinnerColumn, TextColumn, \
                TimeElapsedColumn

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

    def close(self) -> None:
        """Stop the live display, if any (lines already printed stay)."""
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
        self.started = time.perf_counter()
        self._task = None
        if feedback.mode == "live":
            self._task = feedback._rich().add_task(label, total=total, count="")

    def advance(self, n: int = 1, detail: str = "") -> None:
        """Count ``n`` more units as done; ``detail`` (e.g. the item just finished) is shown live."""
        self.count += n
        if self._task is not None:
            rate = self.count / max(time.perf_counter() - self.started, 1e-9)
            shown = _count_text(self.count, self.unit)
            if self.total is not None:  # '5,000/10,000 rows'
                whole = _count_text(self.total, self.unit)
                shown = shown.split(" ")[0] + "/" + whole
            elif self.unit:
                shown += f" ({_count_text(round(rate), self.unit)}/s)"
            description = f"{self.label} · {detail}" if detail else self.label
            self.feedback._live.update(self._task, completed=self.count, count=shown, description=description)

    def close(self) -> float:
        """End the stage without a line; returns the seconds it took."""
        if self._task is not None and self.feedback._live is not None:
            self.feedback._live.remove_task(self._task)
        self._task = None
        return time.perf_counter() - self.started

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
        self.live = self.feedback.stage(label, unit="") if self.feedback.mode == "live" else None

    def _show_working(self):
        s = self.samplers[-1]
        self._show(f"{self._indent()}{s.name}: {'generating' if s.kind == 'over-sampling' else 'selecting rows'}")

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
                                           f"{time.perf_counter() - self._stage.started:.1f}s")
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
    suffix = str(path).lower().rsplit(".", 1)[-1]
    compression = _COMPRESSION.get(f".{suffix}")
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
