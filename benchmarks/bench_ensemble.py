"""The four balanced ensembles: smotekit vs imbalanced-learn, fit + predict, side by side.

Usage::

    .venv/bin/python benchmarks/bench_ensemble.py                      # every case (~3 min)
    .venv/bin/python benchmarks/bench_ensemble.py --only Forest --only 100k
    .venv/bin/python benchmarks/bench_ensemble.py --rounds 5
    .venv/bin/python benchmarks/bench_ensemble.py --code tree          # uncommitted src/

Writes benchmarks/results/ensemble.md (after every case).

Code measured: by default the committed ``src/smotekit`` of ``HEAD``
(extracted with ``git archive`` into a temporary directory and imported from
there), so the commit named in the results is the code that ran, whatever
other people are editing in the working tree meanwhile. ``--code tree``
measures a copy of the working tree taken at start instead; the results then
name ``HEAD+dirty`` if ``src/smotekit/ensemble`` differs from ``HEAD`` and
list any other ``src/`` file that differs.

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

Fitted estimators: every call records ``len(clf.estimators_)`` (and, for
EasyEnsemble, the total number of inner AdaBoost rounds). The bagging-type
ensembles always fit ``n_estimators``; boosting does not: AdaBoost (hence
RUSBoost, and EasyEnsemble's inner learners) stops as soon as a round's
learner is no better than chance on the re-weighted rows, and the round at
which that happens depends on each library's random draws. Two RUSBoost calls
can then do different amounts of work, so the table also gives the speed-up
per fitted estimator: the median of seconds / fitted estimators for each
library, imblearn over smotekit. It is the like-for-like figure when the
counts differ, with two caveats that both favour the library that kept more
rounds: the per-call costs (input checks, encoding the labels, predict's
set-up) are spread over more rounds, and a call that stops early also fitted
the learner it then dropped (``len(estimators_) + 1`` learners in all).
Stopping early is kept rather than avoided: it is what both libraries do with
their default settings on these data, and the per-fitted figure makes the
comparison fair without changing what is measured.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

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
    return seconds, balanced_accuracy_score(y, pred), fitted(clf)


def fitted(clf):
    """(estimators fitted, inner boosting rounds summed over them or None)."""
    members = clf.estimators_
    inner = [getattr(m[-1] if hasattr(m, "steps") else m, "estimators_", None) for m in members]
    inner_rounds = sum(len(e) for e in inner) if all(e is not None for e in inner) else None
    return len(members), inner_rounds


def load1():
    return os.getloadavg()[0]


def timed(lib, model, X, y):
    load = load1()
    seconds, bacc, (n_fitted, inner) = run_once(lib, model, X, y)
    return {"s": seconds, "load": load, "bacc": bacc, "fitted": n_fitted, "inner": inner}


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


def _median_per_fitted(runs):
    return C.median([r["s"] / r["fitted"] for r in runs])


def _loads(runs):
    return ", ".join(f"{r['load']:.2f}" for r in runs)


def _counts(calls):
    """Fitted estimators over all calls of one library: "10", or "3, 3, 2" if they vary."""
    def one(r):
        return f"{r['fitted']}" + (f" ({r['inner']} inner)" if r["inner"] is not None else "")
    labels = [one(r) for r in calls]
    return labels[0] if len(set(labels)) == 1 else ", ".join(labels)


def write(rows, meta, path):
    md = [
        "# Balanced ensembles: smotekit vs imbalanced-learn (fit + predict)",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), "
        f"{meta['machine']['mem_gib']} GiB RAM; load average at start "
        f"{', '.join(f'{x:.2f}' for x in meta['machine']['loadavg'])} (shared machine)",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- code measured: {meta['code']}",
        f"- command: `{meta['command']}`",
        "",
        "One call = `fit(X, y)` then `predict(X)`, `n_estimators=10`, `random_state=0`, "
        "`n_jobs=1` (EasyEnsemble: inner `AdaBoostClassifier(n_estimators=10)`). "
        "Seconds; `(load x)` is the 1-minute load average read just before that call. "
        "speed-up = imblearn median / smotekit median (above 1: smotekit faster). "
        "fitted = `len(clf.estimators_)` in every call (the same in all calls unless listed "
        "per call; EasyEnsemble adds the inner AdaBoost rounds summed over its members): "
        "boosting stops early when a round's learner is no better than chance. "
        "speed-up per fitted = imblearn median of seconds / fitted over smotekit's, the "
        "like-for-like figure when the counts differ. "
        "Protocol in the docstring of benchmarks/bench_ensemble.py.",
        "",
        "| case | first call smotekit | first call imblearn | median smotekit | median imblearn "
        "| speed-up | fitted smotekit / imblearn | speed-up per fitted | repeats "
        "| loads smotekit / imblearn | balanced acc. smotekit / imblearn |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---|---|",
    ]
    for row in rows:
        f, runs = row["first"], row["runs"]
        ours, ref = _median(runs["smotekit"]), _median(runs["imblearn"])
        per = _median_per_fitted(runs["imblearn"]) / _median_per_fitted(runs["smotekit"])
        calls = {lib: [f[lib], *runs[lib]] for lib in f}
        md.append(
            f"| {row['case']} "
            f"| {_fmt(f['smotekit']['s'])} (load {f['smotekit']['load']:.2f}) "
            f"| {_fmt(f['imblearn']['s'])} (load {f['imblearn']['load']:.2f}) "
            f"| {_fmt(ours)} | {_fmt(ref)} | {ref / ours:.2f}x "
            f"| {_counts(calls['smotekit'])} / {_counts(calls['imblearn'])} | {per:.2f}x "
            f"| {len(runs['smotekit'])} "
            f"| {_loads(runs['smotekit'])} / {_loads(runs['imblearn'])} "
            f"| {f['smotekit']['bacc']:.3f} / {f['imblearn']['bacc']:.3f} |")
    md.append("")
    C.atomic_write(path, "\n".join(md))


# --------------------------------------------------------------------------- code measured

ROOT = C.HERE.parent
ENSEMBLE = "src/smotekit/ensemble"


def _git(*args):
    # --no-optional-locks: only read the repository (other people work in it).
    return subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT, check=True,
                          capture_output=True).stdout


def _differs(path):
    """Files under path that differ from HEAD (changed, staged or untracked)."""
    out = _git("status", "--porcelain", "--untracked-files=all", "--", path).decode()
    return [line[3:] for line in out.splitlines() if line.strip()]


def prepare_code(kind):
    """Import smotekit from a snapshot of HEAD or of the working tree; describe it."""
    rev = _git("rev-parse", "--short", "HEAD").decode().strip()
    tmp = tempfile.mkdtemp(prefix="smotekit-bench-")
    atexit.register(shutil.rmtree, tmp, True)
    if kind == "head":
        tar = tarfile.open(fileobj=io.BytesIO(_git("archive", "--format=tar", "HEAD",
                                                   "src/smotekit")))
        tar.extractall(tmp, filter="data")
        snap = Path(tmp) / "src"
        label = rev
        note = f"committed src/smotekit of {rev} (git archive HEAD)"
    else:
        snap = Path(tmp)
        shutil.copytree(ROOT / "src" / "smotekit", snap / "smotekit",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        changed = _differs(ENSEMBLE)
        others = [f for f in _differs("src") if not f.startswith(ENSEMBLE)]
        label = rev + ("+dirty" if changed else "")
        note = (f"working tree copied at start; {ENSEMBLE} "
                + (f"differs from {rev}: {', '.join(changed)}" if changed
                   else f"as in {rev}")
                + (f"; other src files differing from {rev}: {', '.join(others)}"
                   if others else ""))
    C.use_snapshot(str(snap))
    import smotekit.ensemble

    if not Path(smotekit.ensemble.__file__).resolve().is_relative_to(Path(tmp).resolve()):
        raise RuntimeError(f"smotekit was imported from {smotekit.ensemble.__file__}, "
                           f"not from the snapshot in {tmp}; is it imported before this?")
    return label, f"{note}; source sha1 {C.src_hash(snap / 'smotekit')}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", action="append", default=[],
                   help="case-name substrings (all must match)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds after the first calls")
    p.add_argument("--out", default=str(C.RESULTS / "ensemble.md"))
    p.add_argument("--code", choices=("head", "tree"), default="head",
                   help="measure the committed src/smotekit of HEAD (default) or the working tree")
    a = p.parse_args(argv)
    label, code = prepare_code(a.code)
    warnings.simplefilter("ignore")
    cases = [c for c in CASES if all(s.lower() in c.lower() for s in a.only)]
    versions = C.versions()
    # C.versions() marks any change under src/ as dirty; what matters here is the code
    # that ran, described by prepare_code.
    versions["smotekit git"] = label
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": versions,
            "code": code, "command": C.command_line()}
    rows = []
    for name in cases:
        row = time_case(name, a.rounds if "100k" in name else max(1, a.rounds - 1))
        rows.append(row)
        print(json.dumps(row), flush=True)
        write(rows, meta, Path(a.out))


if __name__ == "__main__":
    main()
