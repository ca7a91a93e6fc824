"""Atomic file writes for the CLI: a finished file or the old one, never a partial one.

Every file the CLI writes goes through :func:`atomic_write`: the writer fills a
hidden temporary file beside the target, which is flushed to disk and renamed
over the target only when complete. An error, Ctrl-C (SIGINT) or SIGTERM
removes the temporary and leaves any previous file untouched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
import uuid
from pathlib import Path

__all__ = ["Terminated", "atomic_write", "same_file", "write_delay_for_tests"]

#: Test-only hook: seconds to sleep between chunks of a CSV write, so that the
#: interrupt tests can signal a real subprocess while it is writing. Not for users.
TEST_DELAY_ENV = "SMOTEKIT_TEST_WRITE_DELAY"
TEMP_PREFIX = ".smotekit-tmp-"


class Terminated(BaseException):
    """Raised by the SIGTERM handler during a write, so that cleanup code runs before the process exits.

    A ``BaseException`` (like ``KeyboardInterrupt``) so that ``except Exception``
    blocks on the way do not swallow it.
    """


def _raise_terminated(signum, frame):
    raise Terminated(f"received signal {signum}")


def write_delay_for_tests() -> float:
    """Seconds to pause between chunks of a write (test-only, from ``SMOTEKIT_TEST_WRITE_DELAY``; else 0)."""
    try:
        return max(float(os.environ.get(TEST_DELAY_ENV, "0")), 0.0)
    except ValueError:
        return 0.0


def same_file(a, b) -> bool:
    """Whether two paths name the same file on disk (device and inode), so hard and soft links count.

    False when either does not exist.
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextlib.contextmanager
def _sigterm_raises():
    # Signal handlers can only be set from the main thread; elsewhere SIGTERM keeps its default.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _new_file_mode(target: Path) -> int:
    # The temporary is created 0600; give the result the mode a plain open() would have given it,
    # or keep the mode of the file being replaced.
    try:
        st = os.stat(target, follow_symlinks=False)
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible on every platform, so best-effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path):
    """Give a temporary path to write to; move it onto ``path`` only if the block completes.

    The temporary is a hidden, uniquely named file in the same folder as
    ``path`` (so the final :func:`os.replace` is a rename on one filesystem)
    whose name ends with ``path``'s name, so writers that choose a format or a
    compression by extension behave as for ``path``. On success the file is
    fsynced, then renamed over ``path``: a symbolic link at ``path`` is
    replaced, never written through. On any error, ``KeyboardInterrupt`` or
    SIGTERM (turned into :class:`Terminated` while the block runs) the
    temporary is removed and an existing ``path`` is left as it was.

    Parameters
    ----------
    path : str or Path
        The final file.

    Yields
    ------
    tmp : Path
        Where the writer must write the whole file.
    """
    path = Path(path)
    folder = path.parent
    tmp = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex[:12]}-{path.name}"
    with _sigterm_raises():
        try:
            # Reserve the name exclusively: never clobber another process's file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            yield tmp
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(tmp, _new_file_mode(path))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    _fsync_dir(folder)
