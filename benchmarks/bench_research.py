"""The research oversamplers against smote-variants 1.0.1: time and peak memory, side by side.

Usage::

    .venv/bin/python benchmarks/bench_research.py                 # every method (~40 min on 2 cores)
    .venv/bin/python benchmarks/bench_research.py --only CCR --only MWMOTE
    .venv/bin/python benchmarks/bench_research.py --sizes 10k      # one size

Writes benchmarks/results/research.md (and research.json).

Data: the speed table's ``make_classification`` data (``_common.make_data(n, 20, majority=0.985,
flip_y=0.01)``: two classes, ~1.5 % minority, 10 informative features of 20), at 10k, 100k and 1M
rows. Each library's default parameters, both balancing the classes (smote-variants'
``proportion=1.0``, smotekit's ``sampling_strategy='auto'``), ``random_state=0``.

Every (method, library, size) runs in a fresh process, as a user's script would: the first call is
timed on its own (imports done, data loaded), then, when it took under 30 s, two more calls in the
same process give the warm time. Peak memory is the process's VmHWM minus its VmRSS just before the
first call (the data and the imports are in the baseline). smote-variants runs at 10k and 100k
(stopped after ``--timeout`` seconds, 240 by default, and under an address-space limit of 16 GiB so
that a method building n x n matrices fails instead of swapping the machine); smotekit runs at every
size. smote-variants runs on one thread (its ``n_jobs`` default); smotekit on the machine's two
(``n_jobs`` is not a parameter of these methods: the searches and BLAS use both cores). The load
average is read before and after every run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

import _common as C

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
# smotekit class -> (module, smote-variants class, its parameters matching smotekit's defaults).
METHODS = {
    "SMOTE": ("smotekit.over_sampling", "SMOTE", {}),
    "PolynomFitSMOTE": ("smotekit.over_sampling", "polynom_fit_SMOTE_star", {}),
    "ProWSyn": ("smotekit.over_sampling", "ProWSyn", {}),
    "SMOTEIPF": ("smotekit.combine", "SMOTE_IPF", {}),
    "LeeSMOTE": ("smotekit.over_sampling", "Lee", {}),
    "SMOBD": ("smotekit.over_sampling", "SMOBD", {}),
    "GeometricSMOTE": ("smotekit.over_sampling", "G_SMOTE", {}),
    "CCR": ("smotekit.over_sampling", "CCR", {}),
    "LVQSMOTE": ("smotekit.over_sampling", "LVQ_SMOTE", {}),
    "MWMOTE": ("smotekit.over_sampling", "MWMOTE", {}),
    "SafeLevelSMOTE": ("smotekit.over_sampling", "Safe_Level_SMOTE", {}),
    "CURESMOTE": ("smotekit.over_sampling", "CURE_SMOTE", {}),
    "MGS": ("smotekit.over_sampling", None, {}),
}
_WARM_UNDER = 30.0
_ADDRESS_SPACE = 16 * 2**30


def _sampler(method, lib):
    module, sv_name, sv_params = METHODS[method]
    if lib == "smotekit":
        import importlib

        # Imported before the clock starts, as smote-variants is below.
        cls = getattr(importlib.import_module(module), method)
        return lambda X, y: cls(random_state=0).fit_resample(X, y)
    import logging

    import smote_variants as sv

    logging.getLogger("smote_variants").setLevel(logging.ERROR)
    return lambda X, y: getattr(sv, sv_name)(proportion=1.0, random_state=0, **sv_params).sample(X, y)


def worker(method, lib, size):
    """One (method, library, size) in this process: prints a JSON line."""
    if lib == "smote-variants":
        resource.setrlimit(resource.RLIMIT_AS, (_ADDRESS_SPACE, _ADDRESS_SPACE))
    X, y = C.make_data(SIZES[size], 20, majority=0.985, flip_y=0.01)
    run = _sampler(method, lib)
    gc.collect()
    C.malloc_trim()
    C.reset_peak_rss()
    base = C.proc_status_kb("VmRSS")["VmRSS"]
    t0 = time.perf_counter()
    X_out, y_out = run(X, y)
    first = time.perf_counter() - t0
    peak = (C.proc_status_kb("VmHWM")["VmHWM"] - base) / 1024
    counts = np.unique(np.asarray(y_out), return_counts=True)[1].tolist()
    n_out = int(np.asarray(X_out).shape[0])
    del X_out, y_out
    warm = []
    if first < _WARM_UNDER:
        for _ in range(2):
            gc.collect()
            t0 = time.perf_counter()
            out = run(X, y)
            warm.append(time.perf_counter() - t0)
            del out
    print(json.dumps({"first": first, "warm": warm, "peak_mb": peak, "n_out": n_out, "counts": counts}))


def measure(method, lib, size, timeout):
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    try:
        res = subprocess.run([sys.executable, __file__, "--worker", method, lib, size],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout} s (stopped)", "load": (load_before, os.getloadavg()[0])}
    out = {"load": (load_before, os.getloadavg()[0]), "wall": time.perf_counter() - t0}
    if res.returncode != 0:
        tail = (res.stderr.strip().splitlines() or [f"exit code {res.returncode}"])[-1]
        out["error"] = "MemoryError (16 GiB limit)" if "MemoryError" in res.stderr else tail[:120]
        return out
    out.update(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def _fmt(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def _cell(r):
    if r is None:
        return "-", "-", "-"
    if "error" in r:
        return r["error"], "-", "-"
    warm = C.median(r["warm"]) if r["warm"] else None
    return _fmt(r["first"]), _fmt(warm), _fmt(r["peak_mb"], 0)


def table(results, sizes) -> list:
    lines = ["| method | size | smotekit first s | warm s | peak MB | smote-variants first s | warm s | peak MB "
             "| speed-up (first) | memory ratio | rows out (ours / theirs) | load 1-min |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for method in results:
        for size in sizes:
            ours, theirs = results[method].get(size, {}).get("smotekit"), \
                results[method].get(size, {}).get("smote-variants")
            if ours is None and theirs is None:
                continue
            speed = mem = "-"
            if ours and theirs and "error" not in ours and "error" not in theirs:
                speed = f"{theirs['first'] / ours['first']:.1f}x"
                mem = f"{theirs['peak_mb'] / max(ours['peak_mb'], 1):.1f}x"
            elif ours and theirs and "error" not in ours:
                speed = f"> {float(theirs['error'].split()[1]) / ours['first']:.0f}x" \
                    if theirs["error"].startswith(">") else "-"
            rows = " / ".join(str(r["n_out"]) if r and "n_out" in r else "-" for r in (ours, theirs))
            loads = ", ".join(f"{a:.1f}-{b:.1f}" for r in (ours, theirs) if r for a, b in [r["load"]])
            lines.append(f"| {method} | {size} | {' | '.join(_cell(ours))} | {' | '.join(_cell(theirs))} "
                         f"| {speed} | {mem} | {rows} | {loads} |")
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--worker", nargs=3)
    p.add_argument("--only", action="append", choices=list(METHODS))
    p.add_argument("--sizes", action="append", choices=list(SIZES))
    p.add_argument("--timeout", type=float, default=240.0)
    p.add_argument("--report", action="store_true", help="rewrite research.md from research.json, measuring nothing")
    a = p.parse_args(argv)
    if a.report:
        saved = json.loads((C.RESULTS / "research.json").read_text())
        return report(saved["runs"], saved["results"])
    if a.worker:
        C.use_snapshot()
        return worker(*a.worker)
    C.snapshot_smotekit()
    started = time.perf_counter()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(), "command": C.command_line()}
    import importlib.metadata as md

    meta["versions"]["smote-variants"] = md.version("smote-variants")
    sizes = a.sizes or list(SIZES)
    # A partial run (--only, --sizes) updates the recorded results instead of replacing them.
    saved = C.RESULTS / "research.json"
    previous = json.loads(saved.read_text()) if saved.exists() and (a.only or a.sizes) else {}
    results, runs = previous.get("results", {}), previous.get("runs", [])
    for method in a.only or METHODS:
        results.setdefault(method, {})
        for size in sizes:
            results[method][size] = {}
            libs = ["smotekit"] + (["smote-variants"] if size != "1M" and METHODS[method][1] else [])
            for lib in libs:
                r = measure(method, lib, size, a.timeout if lib == "smote-variants" else 3 * a.timeout)
                results[method][size][lib] = r
                print(method, size, lib, r, flush=True)
    meta["wall_min"] = (time.perf_counter() - started) / 60
    runs.append(meta)
    report(runs, results)


def report(runs, results):
    """Write research.json and research.md from every run's description and the results."""
    meta = runs[-1]
    m = meta["machine"]
    md_lines = ["# Research oversamplers against smote-variants", "",
                f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB RAM",
                "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if k != "smotekit git"),
                "- runs (a partial run updates the rows it measured):",
                *(f"  - {r['date']}, smotekit git {r['versions'].get('smotekit git', '?')}: `{r['command']}`; "
                  f"wall time {r['wall_min']:.1f} min; load average at start "
                  + ", ".join(f"{x:.2f}" for x in r["machine"]["loadavg"]) for r in runs),
                "", "Each cell is one fresh process (see the script's docstring). speed-up = smote-variants' "
                "first call / smotekit's first call; memory ratio = smote-variants' peak / smotekit's peak "
                "(above 1: smotekit needs less). The load column gives the 1-minute load average before and "
                "after each library's run.", "", *table(results, list(SIZES))]
    C.atomic_write(C.RESULTS / "research.json", json.dumps({"runs": runs, "results": results}, indent=1))
    C.atomic_write(C.RESULTS / "research.md", "\n".join(md_lines) + "\n")
    print("\n".join(md_lines))


if __name__ == "__main__":
    sys.exit(main())
