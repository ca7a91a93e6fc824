"""The four balanced ensembles: smotekit vs imbalanced-learn, fit + predict, side by side.

Usage::

    .venv/bin/python benchmarks/bench_ensemble.py                      # every case (~10 min)
    .venv/bin/python benchmarks/bench_ensemble.py --only Forest --only 100k
    .venv/bin/python benchmarks/bench_ensemble.py --rounds 5

Writes benchmarks/results/ensemble.md (after every case).

Data: ``_common.make_data`` (make_classification, 1 % minority, float64) at
100k x 20 and 1M x 20. Both libraries get the same parameters:
``n_estimators=10, random_state=0`` and ``n_jobs=1`` where the class has it
(the machine has 2 shared cores; parallel speed-ups would measure the load);
EasyEnsemble's inner AdaBoost has 10 rounds instead of 50 (its prediction
calls every inner learner on every row: at 50, the 1M case alone would take
minutes per call in both libraries, for the same work).

Timing, in this one process: a case is one ``fit(X, y)`` then one
``predict(X)`` on the same rows. The first call of each library is reported
on its own (it pays one-off costs: imports, code paths warmed, memory
mapped), then ``--rounds`` rounds alternate the two libraries (the order
flips every round) and the median is reported, with the ratio
imblearn / smotekit (above 1: smotekit is faster). Next to every figure is
the 1-minute load average (what ``uptime`` prints) read just before it: the
machine is shared, and a figure taken under load says so. The check column
gives both libraries' balanced accuracy on the training rows (the random
draws differ, so the numbers are close, not equal).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import _common as C

MODELS = ("BalancedRandomForestClassifier", "BalancedBaggingClassifier",
          "EasyEnsembleClassifier", "RUSBoostClassifier")
SIZES = ("100k x 20", "1M x 20")
CASES = [f"{m} {s}" for s in SIZES for m in MODELS]


def parse(name):
    model, n, _, d = name.split()
    return model, int(n[:-1]) * (1_000_000 if n.endswith("M") else 1000), int(d)


def make_model(lib, model):
    from sklearn.ensemble import AdaBoostClassifier

    if lib == "smotekit":
        import smotekit.ensemble as mod
    else:
        import imblearn.ensemble as mod
    params = {"n_estimators": 10, "random_state": 0}
    if model != "RUSBoostClassifier":
        params["n_jobs"] = 1
    if model == "EasyEnsembleClassifier":
        params["estimator"] = AdaBoostClassifier(n_estimators=10)
    return getattr(mod, model)(**params)


def run_once(lib, model, X, y):
    """Seconds for fit + predict, and the balanced accuracy of the predictions."""
    from sklearn.metrics import balanced_accuracy_score

    clf = make_model(lib, model)
    gc.collect()
    t0 = time.perf_counter()
    clf.fit(X, y)
    pred = clf.predict(X)
    seconds = time.perf_counter() - t0
    return seconds, balanced_accuracy_score(y, pred)


def load1():
    return os.getloadavg()[0]


def timed(lib, model, X, y):
    load = load1()
    seconds, bacc = run_once(lib, model, X, y)
    return {"s": seconds, "load": load, "bacc": bacc}


def time_case(name, rounds):
    model, n, d = parse(name)
    X, y = C.make_data(n, d)
    libs = ("smotekit", "imblearn")
    first = {lib: timed(lib, model, X, y) for lib in libs}
    runs = {lib: [] for lib in libs}
    for r in range(rounds):
        for lib in (libs if r % 2 == 0 else libs[::-1]):
            runs[lib].append(timed(lib, model, X, y))
    return {"case": name, "first": first, "runs": runs}


def _fmt(x):
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def _median(runs):
    return C.median([r["s"] for r in runs])


def _loads(runs):
    return ", ".join(f"{r['load']:.2f}" for r in runs)


def write(rows, meta, path):
    md = [
        "# Balanced ensembles: smotekit vs imbalanced-learn (fit + predict)",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), "
        f"{meta['machine']['mem_gib']} GiB RAM; load average at start "
        f"{', '.join(f'{x:.2f}' for x in meta['machine']['loadavg'])} (shared machine)",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- command: `{meta['command']}`",
        "",
        "One call = `fit(X, y)` then `predict(X)`, `n_estimators=10`, `random_state=0`, "
        "`n_jobs=1` (EasyEnsemble: inner `AdaBoostClassifier(n_estimators=10)`). "
        "Seconds; `(load x)` is the 1-minute load average read just before that call. "
        "speed-up = imblearn median / smotekit median (above 1: smotekit faster). "
        "Protocol in the docstring of benchmarks/bench_ensemble.py.",
        "",
        "| case | first call smotekit | first call imblearn | median smotekit | median imblearn "
        "| speed-up | rounds | loads smotekit / imblearn | balanced acc. smotekit / imblearn |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        f, runs = row["first"], row["runs"]
        ours, ref = _median(runs["smotekit"]), _median(runs["imblearn"])
        md.append(
            f"| {row['case']} "
            f"| {_fmt(f['smotekit']['s'])} (load {f['smotekit']['load']:.2f}) "
            f"| {_fmt(f['imblearn']['s'])} (load {f['imblearn']['load']:.2f}) "
            f"| {_fmt(ours)} | {_fmt(ref)} | {ref / ours:.2f}x | {len(runs['smotekit'])} "
            f"| {_loads(runs['smotekit'])} / {_loads(runs['imblearn'])} "
            f"| {f['smotekit']['bacc']:.3f} / {f['imblearn']['bacc']:.3f} |")
    md.append("")
    C.atomic_write(path, "\n".join(md))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", action="append", default=[],
                   help="case-name substrings (all must match)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds after the first calls")
    p.add_argument("--out", default=str(C.RESULTS / "ensemble.md"))
    a = p.parse_args(argv)
    sys.path.insert(0, str(C.HERE.parent / "src"))
    warnings.simplefilter("ignore")
    cases = [c for c in CASES if all(s.lower() in c.lower() for s in a.only)]
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(),
            "command": C.command_line()}
    rows = []
    for name in cases:
        row = time_case(name, a.rounds if "100k" in name else max(1, a.rounds - 1))
        rows.append(row)
        print(json.dumps(row), flush=True)
        write(rows, meta, Path(a.out))


if __name__ == "__main__":
    main()
