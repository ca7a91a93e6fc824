"""The CLI never damages data: atomic writes, interrupts mid-write, links at the output, ``demo --force``.

The interrupt tests run a real ``python -m smotekit resample`` subprocess with the
test-only environment variable ``SMOTEKIT_TEST_WRITE_DELAY`` (seconds to pause
between CSV chunks, see ``smotekit.cli._io``), wait until its hidden temporary
file appears, then send SIGINT or SIGTERM while the file is half-written.
"""

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run
from sklearn.datasets import make_classification

from smotekit.cli._common import UserError
from smotekit.cli._io import TEMP_PREFIX, TEST_DELAY_ENV, atomic_write

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals, links and inodes as on POSIX")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("safety")
    X, y = make_classification(n_samples=2000, n_features=4, n_informative=3, n_redundant=0, weights=[0.9],
                               flip_y=0, random_state=0)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(label=np.where(y == 1, "yes", "no"))
    frame.to_csv(d / "data.csv", index=False)
    return d / "data.csv"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


# -- the helper ---------------------------------------------------------------------------------------------
def test_atomic_write_success_keeps_extension_and_mode(tmp_path):
    target = tmp_path / "out.csv.gz"
    with atomic_write(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(TEMP_PREFIX) and tmp.name.endswith("out.csv.gz")
        assert not target.exists()
        pd.DataFrame({"x": [1, 2]}).to_csv(tmp, index=False)
    assert pd.read_csv(target)["x"].tolist() == [1, 2]  # gzip chosen from the temporary's extension
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("error, raised", [(OSError(errno.ENOSPC, "No space left on device"), UserError),
                                           (KeyboardInterrupt(), KeyboardInterrupt)])
def test_atomic_write_failure_keeps_old_file(tmp_path, error, raised):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(raised):
        with atomic_write(target) as tmp:
            tmp.write_text("half")
            raise error
    assert target.read_text() == "old" and temporaries(tmp_path) == []


def test_disk_full_during_resample_keeps_previous_output(capsys, data, tmp_path, monkeypatch):
    out_path = tmp_path / "out.csv"
    out_path.write_text("previous good output\n")
    real = pd.DataFrame.to_csv

    def half_then_full(self, path, *args, **kwargs):
        real(self.head(10), path, *args, **kwargs)  # a clean prefix on disk, as a real full disk leaves
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_full)
    code, _, err = run(capsys, "resample", data, "-t", "label", "-o", out_path, "--force")
    assert code == 1 and "no space left on device while writing" in err
    assert out_path.read_text() == "previous good output\n" and temporaries(tmp_path) == []


# -- interrupts mid-write in a real process ----------------------------------------------------------------
def _start(data, out_path, *extra):
    env = dict(os.environ, **{TEST_DELAY_ENV: "0.25"})
    cmd = [sys.executable, "-m", "smotekit", "resample", str(data), "-t", "label", "-o", str(out_path), *extra]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_partial(proc, folder, timeout=60.0):
    """Wait until the temporary exists and holds some rows (the process is mid-write)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tmp = [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
        if tmp and tmp[0].exists() and tmp[0].stat().st_size > 0:
            return tmp[0]
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.kill()
    out, err = proc.communicate()
    pytest.fail(f"the subprocess never reached the write (exit {proc.returncode}): {out} {err}")


@pytest.mark.slow
@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"),
                                             (signal.SIGTERM, 143, "terminated")])
@pytest.mark.parametrize("previous", [False, True], ids=["no-previous", "previous-output"])
def test_signal_mid_write_leaves_no_partial_file(data, tmp_path, sig, code, word, previous):
    out_path = tmp_path / "out.csv"
    if previous:
        out_path.write_text("previous good output\n")
    proc = _start(data, out_path, *(["--force"] if previous else []))
    tmp = _wait_for_partial(proc, tmp_path)
    assert tmp.name.endswith("out.csv")
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code and word in err
    assert temporaries(tmp_path) == []
    if previous:
        assert out_path.read_text() == "previous good output\n"
    else:
        assert not out_path.exists()


def test_slow_write_hook_writes_the_same_file(capsys, data, tmp_path, monkeypatch):
    run(capsys, "resample", data, "-t", "label", "-o", tmp_path / "fast.csv")
    monkeypatch.setenv(TEST_DELAY_ENV, "0.001")
    run(capsys, "resample", data, "-t", "label", "-o", tmp_path / "slow.csv")
    assert digest(tmp_path / "fast.csv") == digest(tmp_path / "slow.csv")


# -- the output must not be the input, through any link ----------------------------------------------------
@pytest.mark.parametrize("force", [False, True])
def test_hard_link_to_input_refused(capsys, data, tmp_path, force):
    src = tmp_path / "in.csv"
    src.write_bytes(data.read_bytes())
    before = digest(src)
    link = tmp_path / "link.csv"
    os.link(src, link)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", link, *(["--force"] if force else []))
    assert code == 1 and "never overwrites its input" in err
    assert digest(src) == before and os.path.samefile(src, link)


def test_symlink_to_input_refused_with_force(capsys, data, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(data.read_bytes())
    before = digest(src)
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", link, "--force")
    assert code == 1 and "never overwrites its input" in err and digest(src) == before


def test_dangling_symlink_needs_force_and_is_replaced_not_followed(capsys, data, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "nothing-here.csv"
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    code, _, err = run(capsys, "resample", data, "-t", "label", "-o", link)
    assert code == 1 and "symbolic link" in err and "--force" in err
    assert link.is_symlink() and not target.exists()
    code, _, _ = run(capsys, "resample", data, "-t", "label", "-o", link, "--force")
    assert code == 0 and not link.is_symlink() and link.is_file() and not target.exists()
    assert len(pd.read_csv(link)) > 2000


def test_force_replaces_symlink_not_its_target(capsys, data, tmp_path):
    other = tmp_path / "precious.csv"
    other.write_text("do not touch\n")
    link = tmp_path / "out.csv"
    link.symlink_to(other)
    assert run(capsys, "resample", data, "-t", "label", "-o", link, "--force")[0] == 0
    assert other.read_text() == "do not touch\n" and not link.is_symlink()


def test_output_folder_refused(capsys, data, tmp_path):
    folder = tmp_path / "out.csv"
    folder.mkdir()
    code, _, err = run(capsys, "resample", data, "-t", "label", "-o", folder, "--force")
    assert code == 1 and "is a folder" in err


# -- evaluate --report and demo ----------------------------------------------------------------------------
def test_evaluate_report_dangling_symlink_refused(capsys, data, tmp_path):
    link = tmp_path / "r.html"
    link.symlink_to(tmp_path / "missing" / "r.html")
    code, _, err = run(capsys, "evaluate", data, "-t", "label", "--cv", "2x1", "--report", link, "--quiet")
    assert code == 1 and "symbolic link" in err and link.is_symlink()


@pytest.mark.slow
def test_demo_refuses_existing_report_without_force(capsys, tmp_path, monkeypatch):
    from smotekit.cli import _demo

    monkeypatch.setitem(_demo.DEMO_DATA, "n_samples", 1500)
    out_dir = tmp_path / "demo"
    out_dir.mkdir()
    (out_dir / "report.html").write_text("my earlier report")
    code, _, err = run(capsys, "demo", "--out", out_dir, "--cv", "2x1", "--quiet")
    assert code == 1 and "report.html" in err and "--force" in err
    assert (out_dir / "report.html").read_text() == "my earlier report"
    code, _, _ = run(capsys, "demo", "--out", out_dir, "--cv", "2x1", "--quiet", "--force")
    assert code == 0 and "<html" in (out_dir / "report.html").read_text().lower()
    assert temporaries(out_dir) == []


# -- Dask engine: a glob or folder input must not take in the output ----------------------------------------
@pytest.fixture
def parquet_parts(data, tmp_path):
    pytest.importorskip("pyarrow")
    parts = tmp_path / "parts"
    parts.mkdir()
    frame = pd.read_csv(data)
    frame.iloc[:1000].to_parquet(parts / "part-0.parquet", index=False)
    frame.iloc[1000:].to_parquet(parts / "part-1.parquet", index=False)
    return parts


@pytest.mark.parametrize("pattern, output", [("parts/*.parquet", "parts/balanced.parquet"),
                                             ("parts/*.parquet", "parts/sub/balanced"),
                                             ("parts/part-*", "parts/out"),
                                             ("parts", "parts/out")])
def test_dask_output_inside_globbed_folder_refused(parquet_parts, tmp_path, pattern, output):
    from smotekit.cli._common import UserError
    from smotekit.cli._dask import _input_files, check_output_folder

    (parquet_parts / "sub").mkdir()
    spec = str(tmp_path / pattern)
    _, files = _input_files(spec)
    with pytest.raises(UserError, match="reads|overlaps"):
        check_output_folder(tmp_path / output, inputs=files, spec=spec)


def test_dask_glob_output_beside_folder_accepted(parquet_parts, tmp_path):
    from smotekit.cli._dask import _input_files, check_output_folder

    spec = str(parquet_parts / "*.parquet")
    _, files = _input_files(spec)
    assert check_output_folder(tmp_path / "balanced.parquet", inputs=files, spec=spec) == tmp_path / "balanced.parquet"


def test_dask_resample_refuses_output_inside_glob(capsys, parquet_parts):
    pytest.importorskip("dask.dataframe")
    code, _, err = run(capsys, "resample", parquet_parts / "*.parquet", "-t", "label", "--engine", "dask",
                       "-o", parquet_parts / "balanced.parquet")
    assert code == 1 and "which the input" in err
    assert sorted(p.name for p in parquet_parts.iterdir()) == ["part-0.parquet", "part-1.parquet"]


@pytest.mark.slow
def test_demo_force_into_new_folder(capsys, tmp_path, monkeypatch):
    from smotekit.cli import _demo

    monkeypatch.setitem(_demo.DEMO_DATA, "n_samples", 1500)
    out_dir = tmp_path / "new" / "demo"
    assert run(capsys, "demo", "--out", out_dir, "--cv", "2x1", "--quiet", "--force")[0] == 0
    assert (out_dir / "report.html").is_file() and temporaries(out_dir) == []


# -- inspect --plot ------------------------------------------------------------------------------------------
def test_inspect_plot_never_the_input_and_no_stray_temporary(capsys, data, tmp_path):
    pytest.importorskip("matplotlib")
    src = tmp_path / "in.csv"
    src.write_bytes(data.read_bytes())
    before = digest(src)
    code, _, err = run(capsys, "inspect", src, "-t", "label", "--plot", src)
    assert code == 1 and "never overwrites its input" in err and digest(src) == before
    code, out, _ = run(capsys, "inspect", src, "-t", "label", "--plot", tmp_path / "chart")
    assert code == 0 and (tmp_path / "chart.png").is_file() and temporaries(tmp_path) == []
