"""Exit codes when the machine, not the input, stops a command: full disk, closed pipe, permissions.

Each is exit 1 with one clear line (naming the file where there is one; never
exit 3, "please report it") and leaves no partial or temporary file; so is a
closed output pipe (``| head -1``). The real-process tests
use a file-size limit (``RLIMIT_FSIZE``, which Python turns into ``EFBIG``) and a
pipe whose reading end is closed before the command starts.
"""

import errno
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import _main, main
from smotekit.cli._common import UserError
from smotekit.cli._io import TEMP_PREFIX, atomic_write

resource = pytest.importorskip("resource", reason="file-size limits as on POSIX")

# No .pyc write may hit the file-size limit; standard output buffered, as for anyone who has not set
# PYTHONUNBUFFERED (the tests that want it unbuffered say so).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "PYTHONDONTWRITEBYTECODE": "1"}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(2000, 4)), columns=list("abcd"))
    frame["label"] = np.where(rng.random(2000) < 0.1, "yes", "no")
    path = tmp_path_factory.mktemp("exit") / "data.csv"
    frame.to_csv(path, index=False)
    return path


def temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def smotekit(*argv, env=ENV, **kwargs):
    return subprocess.run([sys.executable, "-m", "smotekit", *map(str, argv)], env=env, timeout=300,
                          **kwargs)


def one_error_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "please report" not in err, err
    return lines[0]


# -- a full disk or a file-size limit, in a real process -----------------------------------------------------
def _limit_file_size():
    # 16 KiB: the input (read only) is larger, every output here is larger too.
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["out.csv", "out.csv.gz", "out.parquet"])
@pytest.mark.parametrize("previous", [False, True], ids=["no-previous", "previous-output"])
def test_file_size_limit_is_exit_1_with_one_line_and_no_partial_file(data, tmp_path, name, previous):
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    out = tmp_path / name
    if previous:
        out.write_bytes(b"previous good output\n")
    proc = smotekit("resample", data, "-t", "label", "-o", out, "-q", *(["--force"] if previous else []),
                    capture_output=True, text=True, preexec_fn=_limit_file_size)
    assert proc.returncode == 1, proc.stderr
    line = one_error_line(proc.stderr)
    assert line.startswith(f"smotekit resample: error: file too large while writing {str(out)!r}; ")
    assert "ulimit -f" in line
    assert temporaries(tmp_path) == []
    if previous:
        assert out.read_bytes() == b"previous good output\n"
    else:
        assert not out.exists()


# -- every environment errno, in this process ---------------------------------------------------------------
ENVIRONMENT = [
    (errno.ENOSPC, "no space left on device"),
    (errno.EDQUOT, "disk quota exceeded"),
    (errno.EFBIG, "file too large"),
    (errno.EROFS, "read-only file system"),
    (errno.EACCES, "permission denied"),
    (errno.EPERM, "operation not permitted"),
    (errno.EIO, "input/output error"),
]


@pytest.mark.parametrize("code, words", ENVIRONMENT, ids=[errno.errorcode[c] for c, _ in ENVIRONMENT])
@pytest.mark.parametrize("name", ["out.csv", "out.csv.gz", "out.parquet"])
def test_write_failure_of_the_machine_is_exit_1_naming_the_output(capsys, monkeypatch, data, tmp_path, code,
                                                                    words, name):
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    method = "to_parquet" if name.endswith(".parquet") else "to_csv"
    real = getattr(pd.DataFrame, method)

    def half_then_fail(self, target, *args, **kwargs):
        real(self.head(10), target, *args, **kwargs)  # some bytes on disk first, as a real failure leaves
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(pd.DataFrame, method, half_then_fail)
    out = tmp_path / name
    assert main(["resample", str(data), "-t", "label", "-o", str(out), "-q"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"smotekit resample: error: {words} while writing {str(out)!r}; ")
    assert not out.exists() and temporaries(tmp_path) == []


@pytest.mark.parametrize("code, words", ENVIRONMENT, ids=[errno.errorcode[c] for c, _ in ENVIRONMENT])
def test_machine_failure_outside_a_write_is_exit_1_naming_the_file(capsys, monkeypatch, code, words):
    def refuse(args):
        raise OSError(code, os.strerror(code), "data.csv")

    monkeypatch.setattr(_main, "_dispatch", refuse)
    assert main(["inspect", "data.csv", "-t", "label"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"smotekit inspect: error: {words}: 'data.csv'; ") and line.endswith(".")


@pytest.mark.parametrize("error", [OSError(errno.EBADF, "Bad file descriptor"), OSError("no errno"),
                                   ValueError("a defect")], ids=["EBADF", "no-errno", "ValueError"])
def test_other_errors_stay_internal(capsys, monkeypatch, error):
    def fail(args):
        raise error

    monkeypatch.setattr(_main, "_dispatch", fail)
    assert main(["inspect", "data.csv", "-t", "label"]) == _main.EXIT_INTERNAL
    assert "unexpected error" in capsys.readouterr().err


def test_atomic_write_names_the_target_not_the_temporary(tmp_path):
    target = tmp_path / "report.html"
    with pytest.raises(UserError, match=re.escape(f"no space left on device while writing {str(target)!r}")) as info:
        with atomic_write(target) as tmp:
            tmp.write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert isinstance(info.value.__cause__, OSError)  # --debug shows the original error
    assert temporaries(tmp_path) == [] and not target.exists()


@pytest.mark.parametrize("error", [BrokenPipeError(errno.EPIPE, "Broken pipe"), OSError(errno.EBADF, "x")],
                         ids=["EPIPE", "EBADF"])
def test_atomic_write_lets_other_os_errors_through(tmp_path, error):
    with pytest.raises(type(error)):
        with atomic_write(tmp_path / "out.csv"):
            raise error
    assert temporaries(tmp_path) == []


# -- permission denied, in a real process --------------------------------------------------------------------
@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder this process may not create files in: a read-only one, or /sys when running as root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    candidates = [folder, "/sys"]
    try:
        for candidate in candidates:
            try:
                fd = os.open(os.path.join(candidate, "probe"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as exc:
                if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                    yield candidate
                    return
            else:
                os.close(fd)
                os.unlink(os.path.join(candidate, "probe"))
        pytest.skip("no folder here refuses to be written to (root without /sys)")
    finally:
        folder.chmod(0o700)


def test_permission_denied_is_exit_1_with_one_line(data, unwritable_folder):
    out = os.path.join(unwritable_folder, "out.csv")
    proc = smotekit("resample", data, "-t", "label", "-o", out, "-q", capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    line = one_error_line(proc.stderr)
    assert re.match(rf"smotekit resample: error: (permission denied|operation not permitted|read-only file "
                    rf"system) while writing {re.escape(repr(out))}; ", line), line
    assert not os.path.exists(out)


# -- a closed output pipe, in a real process -----------------------------------------------------------------
def _closed_pipe():
    """The writing end of a pipe whose reader has already gone, as after `| head -1` has exited."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


@pytest.mark.slow
@pytest.mark.parametrize("argv", [
    ["methods"],
    ["methods", "smote"],
    ["--help"],
    ["resample", "--help"],
    ["inspect", "{data}", "-t", "label"],
    ["resample", "{data}", "-t", "label", "-o", "{out}", "-q"],
], ids=lambda argv: " ".join(a for a in argv if "{" not in a))
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_closed_output_pipe_exits_1_with_one_line(data, tmp_path, argv, unbuffered):
    if unbuffered and "--help" in argv:
        pytest.skip("argparse ignores a failed write of the help; unbuffered, it fails there, unseen (exit 0)")
    argv = [a.format(data=data, out=tmp_path / "out.csv") for a in argv]
    write_end = _closed_pipe()
    try:
        proc = smotekit(*argv, stdout=write_end, stderr=subprocess.PIPE, text=True,
                        env={**ENV, "PYTHONUNBUFFERED": "1"} if unbuffered else ENV)
    finally:
        os.close(write_end)
    assert proc.returncode == 1, proc.stderr
    # One error line, last, and no traceback or "Exception ignored ... BrokenPipeError" at exit
    # (progress lines of the command before it are fine).
    lines = proc.stderr.splitlines()
    assert "broken pipe" in lines[-1] and sum("error" in line for line in lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert temporaries(tmp_path) == []


def test_closed_pipe_inside_a_command_is_not_an_error_to_report(monkeypatch, capsys):
    def write_to_gone_reader(args):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(_main, "_dispatch", write_to_gone_reader)
    assert main(["methods"]) == 1
    assert "broken pipe" in capsys.readouterr().err


# -- the help tells all of it ---------------------------------------------------------------------------------
def test_help_lists_every_exit_code():
    paragraph = _main._TOP.split("exit codes:", 1)[1]
    codes = {value for name, value in vars(_main).items() if name.startswith("EXIT_")}
    assert codes == {0, 1, 2, 3, 130, 143}
    for code in codes:
        assert re.search(rf"\b{code}\b", paragraph), code
    assert "143" in main.__doc__ and "pipe" in main.__doc__
