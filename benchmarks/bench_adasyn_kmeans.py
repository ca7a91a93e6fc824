"""ADASYN and KMeansSMOTE: smotekit vs imbalanced-learn, time and peak memory.

Usage::

    .venv/bin/python benchmarks/bench_adasyn_kmeans.py              # 100k and 1M rows
    .venv/bin/python benchmarks/bench_adasyn_kmeans.py --quick      # 100k rows, fewer rounds
    .venv/bin/python benchmarks/bench_adasyn_kmeans.py --only ADASYN --no-mem

Writes benchmarks/results/adasyn_kmeans.md and .json (after every case).

Data: ``_common.make_data`` (make_classification, 1 % minority, see run.py),
N in {100k, 1M} x D in {2, 20, 100}. Both libraries run with
``random_state=0`` and otherwise default parameters. Method as in run.py:
a warm-up run of each contender on a small slice, then rounds in rotating
order (3 rounds when the slowest first run takes over 1 s, 5 under 1 s, 9
under 0.1 s; ``--quick``: 1, 3, 5; one round when imbalanced-learn's first run
takes over 60 s), medians, speed-up = median(imblearn) / median(smotekit).
The notes add the median CPU time of the process (all threads), which depends
much less than wall time on other load on the shared machine.
A contender that raises is timed to the exception, reported as failed, and
not run again. Peak memory: one run per (library, case) in a fresh process
(VmHWM - VmRSS after a warm-up, ``malloc_trim`` and a peak reset).
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import _common as C

SAMPLERS = ("ADASYN", "KMeansSMOTE")
SLOW_REF_S = 60.0
MODULES = {"ADASYN": "smotekit.over_sampling._adasyn", "KMeansSMOTE": "smotekit.over_sampling._cluster"}


def case_names(quick):
    sizes = (100_000,) if quick else (100_000, 1_000_000)
    return [(s, n, d) for n in sizes for d in (2, 20, 100) for s in SAMPLERS]


def fmt_case(s, n, d):
    return f"{s} {n // 1_000_000}M x {d}" if n % 1_000_000 == 0 else f"{s} {n // 1000}k x {d}"


def contender(lib, sampler):
    """A callable (X, y) -> (outcome, notes) for one library's sampler."""
    def run(X, y):
        if lib == "smotekit":
            import importlib

            cls = getattr(importlib.import_module(MODULES[sampler]), sampler)
        else:
            import imblearn.over_sampling as ovs

            cls = getattr(ovs, sampler)
        s = cls(random_state=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            out = s.fit_resample(X, y)
        fallback = any("plain SMOTE" in str(w.message) or "evenly" in str(w.message) for w in caught)
        return out, fallback
    return run


def summary(out):
    (Xr, yr), fallback = out
    return {"shape": list(Xr.shape), "counts": np.bincount(np.asarray(yr)).tolist(), "fallback": fallback}


def mem_worker(sampler, n, d, lib):
    X, y = C.make_data(n, d)
    fn = contender(lib, sampler)
    try:
        out = fn(*C.small_like(X, y))
    except Exception:  # the failure is measured below, on the real data
        out = None
    del out
    gc.collect()
    C.malloc_trim()
    reset_ok = C.reset_peak_rss()
    base = C.proc_status_kb("VmRSS")
    try:
        out = fn(X, y)
        failed = None
    except Exception as exc:
        out, failed = None, type(exc).__name__
    after = C.proc_status_kb("VmHWM")
    print(json.dumps({"peak_mb": (after["VmHWM"] - base["VmRSS"]) / 1024, "hwm_reset": reset_ok,
                      "failed": failed}))
    del out


def measure_memory(sampler, n, d, lib):
    cmd = [sys.executable, __file__, "--mem-worker", sampler, str(n), str(d), lib]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if res.returncode != 0:
        return None
    data = json.loads(res.stdout.strip().splitlines()[-1])
    return data["peak_mb"] if data["hwm_reset"] and not data["failed"] else None


def time_case(sampler, X, y, quick):
    contenders = [(lib, contender(lib, sampler)) for lib in ("smotekit", "imblearn")]
    warm = C.small_like(X, y)
    for _, fn in contenders:
        try:
            fn(*warm)
        except Exception:  # imblearn's KMeansSMOTE fails on 1 % data at any size
            pass
    del warm
    times = {lib: [] for lib, _ in contenders}
    cpu = {lib: [] for lib, _ in contenders}
    results, failed = {}, {}
    rounds, r = None, 0
    while rounds is None or r < rounds:
        k = r % len(contenders)
        for lib, fn in contenders[k:] + contenders[:k]:
            if lib in failed:
                continue
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                out = fn(X, y)
            except Exception as exc:
                times[lib].append(time.perf_counter() - t0)
                failed[lib] = f"{type(exc).__name__}: {str(exc).split('.')[0]}"
                continue
            times[lib].append(time.perf_counter() - t0)
            cpu[lib].append(time.process_time() - c0)
            if r == 0:
                results[lib] = summary(out)
            del out
        if rounds is None:
            slowest = max(t[0] for t in times.values())
            rounds = (1 if slowest > 1 else 3 if slowest > 0.1 else 5) if quick else \
                (3 if slowest > 1 else 5 if slowest > 0.1 else 9)
            if times["imblearn"][0] > SLOW_REF_S:
                rounds = 1
        r += 1
    # CPU time of the process (all threads): far less sensitive to other load.
    results["cpu"] = {lib: C.median(c) for lib, c in cpu.items() if c and lib not in failed}
    return times, results, failed


COLS = ("case", "smotekit median s", "imblearn median s", "speed-up", "peak MB ours",
        "peak MB imblearn", "mem ours/ref", "notes")


def _f(x, nd=3):
    if x is None:
        return "-"
    return f"{x:.{nd}f}" if abs(x) < 100 else f"{x:.1f}"


def cells(row):
    speed = "-" if row["speedup"] is None else f"{row['speedup']:.2f}x"
    ratio = None if row["peak_ours"] is None or not row["peak_ref"] else row["peak_ours"] / row["peak_ref"]
    ref = _f(row["median_ref"]) if not row["ref_failed"] else f"failed after {_f(row['median_ref'])}"
    return [row["case"], _f(row["median_ours"]), ref, speed, _f(row["peak_ours"], 1),
            _f(row["peak_ref"], 1), _f(ratio, 2), "; ".join(row["notes"])]


def write(meta, rows, out: Path):
    md = [
        "# ADASYN and KMeansSMOTE: smotekit vs imbalanced-learn",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), "
        f"{meta['machine']['mem_gib']} GiB RAM; load average at start "
        + ", ".join(f"{x:.2f}" for x in meta["machine"]["loadavg"]),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- command: `{meta['command']}`",
        f"- status: {meta['status']}; wall time {meta['wall_s'] / 60:.1f} min",
        "",
        "Data: make_classification, 1 % minority (benchmarks/_common.py). Both with random_state=0 "
        "and default parameters. speed-up = imblearn median / smotekit median. Peak MB = VmHWM - "
        "VmRSS around one run in a fresh process. 'failed after' = time until imblearn raised.",
        "",
        "| " + " | ".join(COLS) + " |",
        "|---|" + "---:|" * 6 + "---|",
    ]
    md += ["| " + " | ".join(cells(r)) + " |" for r in rows]
    C.atomic_write(out.with_suffix(".md"), "\n".join(md) + "\n")
    C.atomic_write(out.with_suffix(".json"), json.dumps({"meta": meta, "rows": rows}, indent=1))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", action="append", default=[], help="case-name substring (repeatable)")
    p.add_argument("--no-mem", action="store_true", help="skip the peak-memory subprocesses")
    p.add_argument("--out", default=str(C.RESULTS / "adasyn_kmeans"))
    p.add_argument("--mem-worker", nargs=4, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.mem_worker:
        C.use_snapshot()
        sampler, n, d, lib = a.mem_worker
        return mem_worker(sampler, int(n), int(d), lib)
    C.snapshot_smotekit()
    cases = [c for c in case_names(a.quick)
             if not a.only or any(s.lower() in fmt_case(*c).lower() for s in a.only)]
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(),
            "command": C.command_line(), "status": "running", "wall_s": 0.0}
    t_start = time.perf_counter()
    rows = []
    for sampler, n, d in cases:
        X, y = C.make_data(n, d)
        times, results, failed = time_case(sampler, X, y, a.quick)
        del X, y
        gc.collect()
        notes = []
        ours, ref = results.get("smotekit"), results.get("imblearn")
        if ours:
            notes.append(f"ours {ours['counts']}" + (" (fallback, warned)" if ours["fallback"] else ""))
        if ref:
            notes.append(f"imblearn {ref['counts']}")
        notes += [f"{lib} {msg}" for lib, msg in failed.items()]
        notes.append(f"{len(times['smotekit'])} rounds")
        c = results["cpu"]
        if len(c) == 2:
            notes.append(f"CPU s {c['smotekit']:.1f} ours / {c['imblearn']:.1f} imblearn "
                         f"({c['imblearn'] / c['smotekit']:.2f}x)")
        peak_ours = peak_ref = None
        if not a.no_mem:
            peak_ours = measure_memory(sampler, n, d, "smotekit") if "smotekit" not in failed else None
            peak_ref = measure_memory(sampler, n, d, "imblearn") if "imblearn" not in failed else None
        mo, mr = C.median(times["smotekit"]), C.median(times["imblearn"])
        row = {"case": fmt_case(sampler, n, d), "median_ours": mo, "median_ref": mr,
               "times_ours": times["smotekit"], "times_ref": times["imblearn"],
               "speedup": None if "imblearn" in failed or "smotekit" in failed else mr / mo,
               "ref_failed": "imblearn" in failed, "peak_ours": peak_ours, "peak_ref": peak_ref,
               "notes": notes}
        rows.append(row)
        print(" | ".join(cells(row)), flush=True)
        meta["wall_s"] = time.perf_counter() - t_start
        write(meta, rows, Path(a.out))
    meta["status"] = "complete"
    meta["wall_s"] = time.perf_counter() - t_start
    write(meta, rows, Path(a.out))


if __name__ == "__main__":
    sys.exit(main())
