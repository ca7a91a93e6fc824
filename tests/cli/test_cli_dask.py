"""``smotekit resample --engine dask``: Parquet folders in and out, against the in-memory engine on the same data."""

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run
from sklearn.datasets import make_classification

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """One small in-process cluster for the module, set as the default client."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as lc, distributed.Client(lc, set_as_default=True) as client:
        yield client


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The same 3,000 rows as one Parquet file, a folder of four uneven Parquet files, and CSV files."""
    d = tmp_path_factory.mktemp("dask-data")
    X, y = make_classification(n_samples=3000, n_features=4, n_informative=3, n_redundant=0, weights=[0.93],
                               flip_y=0.02, random_state=0)
    frame = pd.DataFrame(X, columns=["f0", "f1", "f2", "f3"])
    frame.insert(2, "label", np.where(y == 1, "yes", "no"))  # the target need not be the last column
    frame.to_parquet(d / "all.parquet", index=False)
    (d / "folder").mkdir()
    (d / "csv").mkdir()
    for i, (a, b) in enumerate([(0, 500), (500, 1700), (1700, 2100), (2100, 3000)]):
        frame.iloc[a:b].to_parquet(d / "folder" / f"part.{i}.parquet", index=False)
        frame.iloc[a:b].to_csv(d / "csv" / f"part.{i}.csv", index=False)
    return d, frame


def sorted_rows(frame):
    # Dask reads strings as pandas' NA-backed string dtype, pandas as its default str: same values.
    return frame.astype({"label": object}).sort_values(list(frame.columns), ignore_index=True)


@pytest.mark.parametrize("method, extra", [
    ("smote", ["--mark-synthetic", "--mark-parents"]),
    ("random-under-sampler", ["--sampling-strategy", "0.5", "--mark-synthetic"]),
    ("smote-tomek", ["--param", "smote=None"]),
    ("borderline-smote", ["--sampling-strategy", "yes=600", "--mark-parents"]),
])
def test_same_rows_as_in_memory(capsys, cluster, data, tmp_path, method, extra):
    d, frame = data
    code, out, err = run(capsys, "resample", d / "folder", "-t", "label", "-o", tmp_path / "dask_out",
                         "-m", method, "--engine", "dask", "--random-state", "3", *extra)
    assert code == 0, err
    dask_out = pd.read_parquet(tmp_path / "dask_out")
    assert run(capsys, "resample", d / "all.parquet", "-t", "label", "-o", tmp_path / "mem.parquet",
               "-m", method, "--random-state", "3", *extra)[0] == 0
    mem = pd.read_parquet(tmp_path / "mem.parquet")
    assert list(dask_out.columns) == list(mem.columns)
    assert dask_out["label"].value_counts().to_dict() == mem["label"].value_counts().to_dict()
    pd.testing.assert_frame_equal(sorted_rows(dask_out), sorted_rows(mem), check_exact=True)
    assert f"wrote {tmp_path / 'dask_out'} (Parquet folder" in out and "on Dask" in out
    for label, n in frame["label"].value_counts().items():
        after = (mem["label"] == label).sum()
        change = f"{after - n:+d}" if after != n else "0"
        assert any(line.split() == [label, str(n), str(after), change] for line in out.splitlines()), out


def test_marks_and_parents(capsys, cluster, data, tmp_path):
    d, frame = data
    code, out, _ = run(capsys, "resample", d / "folder", "-t", "label", "-o", tmp_path / "o", "--engine", "dask",
                       "--mark-synthetic", "--mark-parents", "--npartitions", "3", "--param", "k_neighbors=3")
    assert code == 0
    res = pd.read_parquet(tmp_path / "o")
    assert list(res.columns) == ["f0", "f1", "label", "f2", "f3", "is_synthetic", "parent_1", "parent_2"]
    original, synthetic = res[~res["is_synthetic"]], res[res["is_synthetic"]]
    # Original rows come first and in input order; their marks are empty.
    pd.testing.assert_frame_equal(original[frame.columns].reset_index(drop=True).astype({"label": object}),
                                  frame.astype({"label": object}))
    assert original[["parent_1", "parent_2"]].isna().all().all()
    assert res["is_synthetic"].iloc[len(frame):].all()
    n_syn = int((frame["label"] == "no").sum() - (frame["label"] == "yes").sum())
    assert len(synthetic) == n_syn and f"({n_syn} synthetic)" in out
    # Each synthetic row lies between its two parents (global row ids), both of its class.
    features = ["f0", "f1", "f2", "f3"]
    p1 = frame.loc[synthetic["parent_1"].astype(int), features].to_numpy()
    p2 = frame.loc[synthetic["parent_2"].astype(int), features].to_numpy()
    gap = (synthetic[["f0"]].to_numpy() - p1[:, :1]) / (p2[:, :1] - p1[:, :1])
    np.testing.assert_allclose(synthetic[features].to_numpy(), p1 + gap * (p2 - p1), atol=1e-9)
    assert (frame.loc[synthetic["parent_1"].astype(int), "label"] == "yes").all()


def test_csv_glob_drop_and_scheduler_address(capsys, cluster, data, tmp_path):
    d, frame = data
    code, out, err = run(capsys, "resample", d / "csv" / "part.*.csv", "-t", "label", "-o", tmp_path / "o",
                         "--engine", "dask", "-m", "rus", "--drop", "f3",
                         "--scheduler", cluster.scheduler.address)
    assert code == 0, err
    assert "--drop column(s) f3 are left out" in err and cluster.scheduler.address in err
    res = pd.read_parquet(tmp_path / "o")
    assert list(res.columns) == ["f0", "f1", "label", "f2"]
    n_yes = int((frame["label"] == "yes").sum())
    assert res["label"].value_counts().to_dict() == {"no": n_yes, "yes": n_yes}
    assert distributed.default_client() is cluster  # the CLI's own client was closed


def test_existing_output_needs_force(capsys, cluster, data, tmp_path):
    d, d_frame = data
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "keep.txt").write_text("keep me")
    argv = ["resample", d / "folder", "-t", "label", "-o", out_dir, "--engine", "dask", "-m", "rus"]
    code, _, err = run(capsys, *argv)
    assert code == 1 and "already exists; pass --force" in err and (out_dir / "keep.txt").exists()
    # A failure while running leaves the previous output as it was, and no temporary folder behind.
    code, _, err = run(capsys, *argv, "--force", "--param", "replacement=maybe")
    assert code == 1 and (out_dir / "keep.txt").exists()
    assert run(capsys, *argv, "--force")[0] == 0
    assert not (out_dir / "keep.txt").exists() and len(pd.read_parquet(out_dir)) == 2 * (d_frame.label == "yes").sum()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    code, _, err = run(capsys, "resample", d / "folder", "-t", "label", "-o", d / "folder" / "inner",
                       "--engine", "dask", "--force")
    assert code == 1 and "never writes into its input" in err


@pytest.mark.parametrize("argv, message, code", [
    (["-m", "svm-smote"], "SVMSMOTE has no Dask implementation. Methods that run on Dask: ADASYN, "
                          "BorderlineSMOTE, EditedNearestNeighbours, RandomOverSampler", 1),
    (["-m", "smote", "-t", "lable"], "no column named 'lable'. Did you mean 'label'?", 1),
    (["-o", "{t}/out.csv"], "the output is a Parquet folder", 1),
    (["--npartitions", "0"], "--npartitions must be at least 1", 1),
    (["--param", "k_neighbors=5000"], "SMOTE: ", 1),
])
def test_errors(capsys, cluster, data, tmp_path, argv, message, code):
    d, _ = data
    argv = [a.format(t=tmp_path) for a in argv]
    base = ["resample", d / "folder", "--engine", "dask"]
    base += [] if "-t" in argv else ["-t", "label"]
    base += [] if "-o" in argv else ["-o", tmp_path / "out"]
    got, _, err = run(capsys, *base, *argv)
    assert got == code and message in err and "Traceback" not in err, err


def test_usage_and_environment_errors(capsys, data, tmp_path, monkeypatch):
    d, _ = data
    code, _, err = run(capsys, "resample", d / "all.parquet", "-t", "label", "-o", tmp_path / "o.csv",
                       "--scheduler", "tcp://127.0.0.1:8786")
    assert code == 2 and "--scheduler only applies with --engine dask" in err
    code, _, err = run(capsys, "resample", d / "nowhere", "-t", "label", "-o", tmp_path / "o", "--engine", "dask")
    assert code == 1 and "File or folder not found" in err
    with dask.config.set({"distributed.comm.timeouts.connect": "0.5s"}):
        code, _, err = run(capsys, "resample", d / "folder", "-t", "label", "-o", tmp_path / "o",
                           "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 1 and "Could not connect to the Dask scheduler at 'tcp://127.0.0.1:9'" in err
    assert not (tmp_path / "o").exists()
    monkeypatch.setitem(__import__("sys").modules, "dask.dataframe", None)
    code, _, err = run(capsys, "resample", d / "folder", "-t", "label", "-o", tmp_path / "o", "--engine", "dask")
    assert code == 1 and 'pip install "smotekit[dask]"' in err


def test_each_output_partition_is_built_once(capsys, cluster, data, tmp_path, monkeypatch):
    from smotekit.cli import _dask
    from smotekit.dask import _driver

    log = tmp_path / "calls.txt"

    def counting(name, func):
        # Tasks reach the workers pickled: the count goes to a file, not to a variable here.
        def wrapper(*args, **kwargs):
            with open(log, "a") as f:
                f.write(name + "\n")
            return func(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(_dask, "_assemble", counting("assemble", _dask._assemble))
    monkeypatch.setattr(_driver, "_materialize", counting("materialize", _driver._materialize))
    monkeypatch.setattr(_driver, "_draw_chunk", counting("materialize", _driver._draw_chunk))
    code, _, err = run(capsys, "resample", data[0] / "folder", "-t", "label", "-o", tmp_path / "o",
                       "--engine", "dask", "--mark-synthetic")
    assert code == 0, err
    n_files = len(list((tmp_path / "o").glob("*.parquet")))
    calls = log.read_text().split()
    # Four input partitions, then the synthetic ones; + 1 assemble: the meta, built here.
    assert calls.count("assemble") == n_files + 1 and calls.count("materialize") == n_files - 4 > 0


def test_urls_in_and_out(capsys, cluster, data, tmp_path):
    # fsspec's in-memory filesystem stands for an object store: the in-process workers share it.
    fsspec = pytest.importorskip("fsspec")
    d, frame = data
    fs = fsspec.filesystem("memory")
    for f in sorted((d / "folder").iterdir()):
        fs.pipe(f"/cli-in/{f.name}", f.read_bytes())
    argv = ["resample", "memory://cli-in", "-t", "label", "-o", "memory://cli-out", "--engine", "dask", "-m", "ros"]
    try:
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert "wrote memory://cli-out (Parquet folder, 5 file(s))" in out
        res = dask.dataframe.read_parquet("memory://cli-out").compute()
        assert res["label"].value_counts().to_dict() == {"no": (frame["label"] == "no").sum()} | {
            "yes": (frame["label"] == "no").sum()}
        code, _, err = run(capsys, *argv)
        assert code == 1 and "'memory://cli-out' already exists; pass --force" in err
        assert run(capsys, *argv, "--force")[0] == 0
        assert len(fs.glob("/cli-out/*.parquet")) == 5
    finally:
        fs.rm(["/cli-in", "/cli-out"], recursive=True)


@pytest.mark.parametrize("categories", [(["a", "b"], ["b", "c"], ["d", "a"]), ([1, 2], [2, 3], [4, 1])],
                         ids=["strings", "integers"])
@pytest.mark.parametrize("method, columns", [("smotenc", ["amount", "colour", "label"]),
                                             ("smoten", ["colour", "shop", "label"])])
def test_categories_differ_between_files(capsys, cluster, tmp_path, categories, method, columns):
    # One Parquet file per partition, each with its own category set for the same column.
    (tmp_path / "in").mkdir()
    for i, (cats, n) in enumerate(zip(categories, [120, 150, 90])):
        rng = np.random.default_rng(i)
        pd.DataFrame({"amount": rng.normal(size=n), "colour": pd.Categorical(rng.choice(cats, n), categories=cats),
                      "shop": rng.choice(["p", "q"], n), "label": np.where(rng.random(n) < 0.2, "yes", "no")},
                     )[columns].to_parquet(tmp_path / "in" / f"part.{i}.parquet", index=False)
    code, _, err = run(capsys, "resample", tmp_path / "in", "-t", "label", "-o", tmp_path / "out", "-m", method,
                       "--engine", "dask", "--random-state", "0")
    assert code == 0, err
    # The same sampler in memory, on the data as Dask concatenates them, gives the same rows. (Not the
    # in-memory engine: pandas reads integer categories back from Parquet as plain integers.)
    from smotekit.over_sampling import SMOTEN, SMOTENC

    whole = dask.dataframe.read_parquet(tmp_path / "in").compute()
    sampler = SMOTEN(random_state=0) if method == "smoten" else SMOTENC(categorical_features=["colour"], random_state=0)
    X_mem, y_mem = sampler.fit_resample(whole.drop(columns="label"), whole["label"])
    mem = X_mem.assign(label=y_mem)[columns]
    dask_out = pd.read_parquet(tmp_path / "out")
    key = lambda frame: frame.astype(str).sort_values(list(frame.columns), ignore_index=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(dask_out), key(mem))


@pytest.mark.slow
@pytest.mark.parametrize("signum, code, group", [(__import__("signal").SIGTERM, 143, False),
                                                 (__import__("signal").SIGINT, 130, True)],
                         ids=["SIGTERM-to-the-process", "SIGINT-to-the-group"])
def test_signal_while_writing_leaves_old_output_and_no_temporary(data, tmp_path, signum, code, group):
    """A real ``smotekit resample --engine dask`` signalled while its workers write the output: as
    ``kill PID`` does, and as Ctrl-C does (to the terminal's whole process group, workers included)."""
    import os
    import subprocess
    import sys
    import time

    from smotekit.cli._io import TEMP_PREFIX, TEST_DELAY_ENV

    d, _ = data
    out = tmp_path / "out"
    out.mkdir()
    (out / "part.0.parquet").write_bytes(b"the previous output")
    env = dict(os.environ, **{TEST_DELAY_ENV: "1.5", "PYTHONUNBUFFERED": "1"})
    proc = subprocess.Popen([sys.executable, "-m", "smotekit", "resample", str(d / "folder"), "-t", "label",
                             "-o", str(out), "--engine", "dask", "--force"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not any(p.name.startswith(TEMP_PREFIX) for p in tmp_path.iterdir()):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the temporary output folder never appeared"
            time.sleep(0.05)
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, err
    assert "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert [p.name for p in out.iterdir()] == ["part.0.parquet"]
    assert (out / "part.0.parquet").read_bytes() == b"the previous output"


def test_replacing_the_output_is_not_cut_in_half_by_a_signal(tmp_path):
    # A signal that arrives while the old output is swapped for the new one waits until both are
    # renamed; it then ends the run as usual.
    import os
    import signal

    from smotekit.cli import _dask
    from smotekit.cli._io import TEMP_PREFIX, Terminated, sigterm_raises

    out, new = tmp_path / "out", tmp_path / f"{TEMP_PREFIX}new-out"
    for folder, text in [(out, "old"), (new, "new")]:
        folder.mkdir()
        (folder / "part.0.parquet").write_text(text)
    real_rename = os.rename

    def rename_then_signal(src, dst):
        real_rename(src, dst)
        os.kill(os.getpid(), signal.SIGTERM)  # between moving the old output aside and the new one in

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_dask.os, "rename", rename_then_signal)
        with pytest.raises(Terminated), sigterm_raises():
            _dask._replace(new, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "part.0.parquet").read_text() == "new"
