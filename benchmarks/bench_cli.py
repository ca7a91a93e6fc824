"""The command line as a user meets it: start-up, a CSV resampled end to end, reading and writing.

Every contender runs in a fresh process, the way a shell runs it, in rounds with rotating order
(so load from other work hits all of them alike); the tables give medians and ratios. smotekit is
run from ``git archive HEAD`` (the committed code) so edits made meanwhile do not leak in.

Cases:

- **start-up**: ``smotekit --version`` and ``smotekit resample --help`` against a bare
  ``python -c pass`` (the interpreter's own cost) and ``python -c "import imblearn"`` (what a
  user of imbalanced-learn pays before any work).
- **end to end**: ``smotekit resample data.csv -t label -o out.csv`` (SMOTE; reading with the
  data check, progress lines, the atomic chunked write) against the script a user writes with
  imbalanced-learn: ``pandas.read_csv``, ``SMOTE().fit_resample``, ``DataFrame.to_csv``. Both
  write the same rows; the row counts are checked.
- **read** / **write**: the CLI's reader (text target, detected separator, byte counter) and
  writer (slices of rows, temporary file, rename) against one ``pandas.read_csv`` /
  ``DataFrame.to_csv`` call, in one process each, on the same file.

Run: ``.venv/bin/python benchmarks/bench_cli.py [--rows 500000] [--rounds 5]``; writes
``benchmarks/results/cli.md``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
from pathlib import Path

import _common as C

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _snapshot(tmp: Path) -> tuple[Path, str]:
    rev = subprocess.run(["git", "--no-optional-locks", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    tar = subprocess.run(["git", "--no-optional-locks", "archive", "--format=tar", "HEAD", "src/smotekit"],
                         cwd=ROOT, check=True, capture_output=True).stdout
    tarfile.open(fileobj=io.BytesIO(tar)).extractall(tmp, filter="data")
    return tmp / "src", rev


def _data(path: Path, rows: int) -> None:
    import pandas as pd

    X, y = C.make_data(rows, 10)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["label"] = y
    frame.to_csv(path, index=False)


def _run(argv, env) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


IMBLEARN_SCRIPT = textwrap.dedent("""
    import sys
    import pandas as pd
    from imblearn.over_sampling import SMOTE
    frame = pd.read_csv(sys.argv[1])
    X, y = frame.drop(columns="label"), frame["label"]
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    X_res.assign(label=y_res).to_csv(sys.argv[2], index=False)
""")

# Reading and writing inside one process each: the CLI's own functions against one pandas call.
IO_SCRIPT = textwrap.dedent("""
    import sys, time
    import pandas as pd
    which, src, dst = sys.argv[1:4]
    if which == "cli-read":
        from smotekit.cli._read import load
        start = time.perf_counter(); load(src, "label", None); t = time.perf_counter() - start
    elif which == "pandas-read":
        start = time.perf_counter(); pd.read_csv(src); t = time.perf_counter() - start
    else:
        frame = pd.read_csv(src)
        if which == "cli-write":
            from smotekit.cli._write import write_table
            start = time.perf_counter(); write_table(frame, dst); t = time.perf_counter() - start
        else:
            start = time.perf_counter(); frame.to_csv(dst, index=False); t = time.perf_counter() - start
    print(t)
""")


def _inner(argv, env) -> float:
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} failed:\n{proc.stderr[-2000:]}")
    return float(proc.stdout.strip().splitlines()[-1])


def _rounds(contenders: dict, rounds: int) -> dict:
    times = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            times[name].append(contenders[name]())
    return times


def _count_rows(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle) - 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", default=str(C.RESULTS / "cli.md"))
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="smotekit-bench-cli-"))
    try:
        src, rev = _snapshot(tmp)
        env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("PYTHONUNBUFFERED", None)
        smotekit = [PY, "-m", "smotekit"]
        data = tmp / "data.csv"
        _data(data, args.rows)
        load_before = os.getloadavg()

        startup = _rounds({
            "python -c pass": lambda: _run([PY, "-c", "pass"], env),
            "smotekit --version": lambda: _run([*smotekit, "--version"], env),
            "smotekit resample --help": lambda: _run([*smotekit, "resample", "--help"], env),
            'python -c "import imblearn"': lambda: _run([PY, "-c", "import imblearn"], env),
            'python -c "import smotekit; smotekit.SMOTE"': lambda: _run(
                [PY, "-c", "import smotekit; smotekit.SMOTE"], env),
        }, max(args.rounds * 2, 11))

        out_cli, out_imb = tmp / "cli.csv", tmp / "imb.csv"
        script = tmp / "imblearn_smote.py"
        script.write_text(IMBLEARN_SCRIPT)

        def cli_once():
            return _run([*smotekit, "resample", str(data), "-t", "label", "-o", str(out_cli), "--force", "-q"], env)

        def imb_once():
            return _run([PY, str(script), str(data), str(out_imb)], env)

        e2e = _rounds({"smotekit resample": cli_once, "pandas + imblearn script": imb_once}, args.rounds)
        rows_cli, rows_imb = _count_rows(out_cli), _count_rows(out_imb)

        io_script = tmp / "io.py"
        io_script.write_text(IO_SCRIPT)
        io_times = _rounds({
            name: (lambda name=name: _inner([PY, str(io_script), name, str(data), str(tmp / f"{name}.csv")], env))
            for name in ("cli-read", "pandas-read", "cli-write", "pandas-write")
        }, args.rounds)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    med = {k: statistics.median(v) for d in (startup, e2e, io_times) for k, v in d.items()}
    info = C.machine_info()
    lines = [
        "# The command line: start-up, end to end, reading and writing",
        "",
        f"{C.now()} · smotekit {rev} (git archive HEAD) · {info['nproc']} cores, {info['cpu']} · "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min) · "
        f"`{C.command_line()}`",
        "",
        "Every run is a fresh process, in rounds with rotating order; medians; ratios > 1: smotekit is faster.",
        "",
        f"## Start-up ({len(startup['python -c pass'])} runs each)",
        "",
        "| command | median | fastest | minus bare python |",
        "|---|---|---|---|",
    ]
    bare = med["python -c pass"]
    for name, runs in startup.items():
        lines.append(f"| `{name}` | {med[name]:.3f} s | {min(runs):.3f} s | {med[name] - bare:+.3f} s |")
    lines += [
        "",
        f"## SMOTE on a {args.rows:,}-row CSV, end to end ({args.rounds} runs each)",
        "",
        "| contender | median | fastest | rows written |",
        "|---|---|---|---|",
        f"| `smotekit resample data.csv -t label -o out.csv -q` | {med['smotekit resample']:.2f} s | "
        f"{min(e2e['smotekit resample']):.2f} s | {rows_cli:,} |",
        f"| pandas `read_csv` + imblearn `SMOTE` + `to_csv` | {med['pandas + imblearn script']:.2f} s | "
        f"{min(e2e['pandas + imblearn script']):.2f} s | {rows_imb:,} |",
        "",
        f"Speed-up: **{med['pandas + imblearn script'] / med['smotekit resample']:.2f}x** "
        "(smotekit also checks the data, reads labels as text, counts bytes for progress and writes atomically).",
        "",
        f"## Reading and writing the same {args.rows:,}-row CSV, inside one process ({args.rounds} runs each)",
        "",
        "| step | the CLI | one pandas call | pandas / CLI |",
        "|---|---|---|---|",
        f"| read | {med['cli-read']:.2f} s | {med['pandas-read']:.2f} s | "
        f"{med['pandas-read'] / med['cli-read']:.2f}x |",
        f"| write | {med['cli-write']:.2f} s | {med['pandas-write']:.2f} s | "
        f"{med['pandas-write'] / med['cli-write']:.2f}x |",
        "",
    ]
    if rows_cli != rows_imb:
        lines.append(f"**Row counts differ: {rows_cli} against {rows_imb}.**")
    text = "\n".join(lines) + "\n"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + f".{os.getpid()}.tmp")
    part.write_text(text)
    os.replace(part, out)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
