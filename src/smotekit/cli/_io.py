"""Atomic file writes for the CLI: a finished file or the old one, never a partial one.

Every file the CLI writes goes through :func:`atomic_write`: the writer fills a
hidden temporary file beside the target, which is flushed to disk and renamed
over the target only when complete. An error, Ctrl-C (SIGINT) or SIGTERM
removes the temporary and leaves any previous file untouched. A failure of
the machine rather than of smotekit (a full disk, a read-only folder, a
file-size limit) becomes a one-line :class:`UserError` naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import threading
import uuid
from pathlib import Path

from ._common import UserError

__all__ = ["Terminated", "atomic_write", "environment_error", "same_file", "sigterm_raises", "write_delay_for_tests"]

#: Test-only hook: seconds to sleep between chunks of a CSV write, so that the
#: interrupt tests can signal a real subprocess while it is writing. Not for users.
TEST_DELAY_ENV = "SMOTEKIT_TEST_WRITE_DELAY"
TEMP_PREFIX = ".smotekit-tmp-"


_PERMISSIONS = "check the permissions of the file and its folder, or choose another place"
# errno name -> (what happened, what the person can do). Failures of the machine or of its limits,
# which the person can fix and smotekit cannot; every other OSError stays an internal error.
# By name, because not every platform defines every code (Windows has no EDQUOT).
_ENVIRONMENT_ERRNOS = {
    "ENOSPC": ("no space left on device", "free some space, or write to another disk"),
    "EDQUOT": ("disk quota exceeded", "free some space, or write where your quota allows"),
    "EFBIG": ("file too large", "the file system or the file-size limit (ulimit -f) allows no larger file: "
              "write to another file system, or raise the limit"),
    "EROFS": ("read-only file system", "choose a writable folder"),
    "EACCES": ("permission denied", _PERMISSIONS),
    "EPERM": ("operation not permitted", _PERMISSIONS),
    "EIO": ("input/output error", "the disk or network file system reported a failure: check it and retry"),
    "ENAMETOOLONG": ("file name too long", "choose a shorter name"),
    "EMFILE": ("too many open files", "raise the limit (ulimit -n) and retry"),
    "ENFILE": ("too many open files on this system", "close other programs and retry"),
}
_ENVIRONMENT = {getattr(errno, name): text for name, text in _ENVIRONMENT_ERRNOS.items() if hasattr(errno, name)}


def environment_error(exc: BaseException, *, writing=None) -> str | None:
    """One line for an ``OSError`` that the machine caused, or ``None`` for any other exception.

    Parameters
    ----------
    exc : BaseException
    writing : str or Path, optional
        The file being written when ``exc`` was raised. The exception's own
        file name is used otherwise (a write that fails for lack of space
        names no file).

    Returns
    -------
    message : str or None
        E.g. ``"no space left on device while writing 'out.csv'; free some
        space, or write to another disk."``. ``None`` for a broken pipe
        (handled on its own: the reader went away) and for an ``OSError``
        that means a defect rather than a problem with the machine.
    """
    if not isinstance(exc, OSError) or exc.errno not in _ENVIRONMENT:
        return None
    what, fix = _ENVIRONMENT[exc.errno]
    if writing is not None:
        what = f"{what} while writing {str(writing)!r}"
    elif exc.filename is not None:
        what = f"{what}: {str(exc.filename)!r}"
    return f"{what}; {fix}."


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
def sigterm_raises():
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
    temporary is removed and an existing ``path`` is left as it was; a
    failure of the machine (see :func:`environment_error`) is then raised as
    a :class:`UserError` that names ``path``.

    Parameters
    ----------
    path : str or Path
        The final file.

    Yields
    ------
    tmp : Path
        Where the writer must write the whole file.

    Raises
    ------
    UserError
        When the machine refuses the write: no space, a quota, a read-only
        or forbidden folder, a file-size limit.
    """
    path = Path(path)
    folder = path.parent
    tmp = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex[:12]}-{path.name}"
    with sigterm_raises():
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
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            message = environment_error(exc, writing=path)
            if message is not None:
                raise UserError(message) from exc
            raise
    _fsync_dir(folder)
