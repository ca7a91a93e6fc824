"""Progress on stderr for long commands: a live bar on a terminal, a summary line otherwise."""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, one summary line otherwise.

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
        self.enabled = enabled
        self.stream = sys.stderr if stream is None else stream
        self.live = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.start = time.perf_counter()
        self._drawn = 0.0

    def advance(self, n: int = 1, detail: str = "") -> None:
        """Count ``n`` more units as done."""
        self.done += n
        now = time.perf_counter()
        if self.live and (now - self._drawn > 0.08 or self.done >= self.total):
            self._drawn = now
            frac = min(self.done / self.total, 1.0)
            bar = "#" * int(28 * frac) + "-" * (28 - int(28 * frac))
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} "
                              f"{now - self.start:5.1f}s {detail[:30]:<30}")
            self.stream.flush()

    def close(self) -> float:
        """Finish the bar and return the seconds elapsed."""
        elapsed = time.perf_counter() - self.start
        if self.enabled:
            if self.live:
                self.stream.write("\r" + " " * (len(self.label) + 80) + "\r")
            self.stream.write(f"{self.label}: {self.done}/{self.total} done in {elapsed:.1f}s\n")
            self.stream.flush()
        return elapsed
