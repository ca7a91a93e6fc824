"""BorderlineSMOTE (kinds 1 and 2) and SVMSMOTE: smotekit vs imbalanced-learn, side by side.

Usage::

    .venv/bin/python benchmarks/bench_borderline.py                 # every case (~30-40 min)
    .venv/bin/python benchmarks/bench_borderline.py --only "1M x 20"
    .venv/bin/python benchmarks/bench_borderline.py --mem           # also peak memory

Writes benchmarks/results/borderline.md (after every case).

Data: ``_common.make_data`` (make_classification, 1 % minority, float64), at
N in {100k, 1M} x D in {2, 20, 100}. Both libraries run with random_state=0
and otherwise default parameters.

Timing: as in ``run.py`` -- a warm-up on a small slice, then rounds in which
each contender runs once, the order rotating; medians. Rounds: 5 when the
slowest first run is under 1 s, 3 under 30 s, else 1. The notes also give the
median CPU time of the process (all its threads; an OpenMP thread spinning at
a barrier counts), which depends much less than wall time on what else runs
on the shared machine.

imbalanced-learn's SVMSMOTE fits a kernel SVC on every row (~n^2): it is run
once, in a fresh subprocess, with a timeout of ``--ref-timeout`` seconds
(180 by default) and reported as "> N s (did not finish)" when it runs out.
When it finishes, its minority support vectors are compared with ours
(Jaccard index of the two sets: 1 = identical), which measures the subset
fit smotekit uses above ``SVM_SUBSET_MIN_ROWS`` rows.

Peak memory (``--mem``): each (library, case) once in a fresh subprocess, as in
``run.py``: VmHWM - VmRSS around one run after a warm-up and malloc_trim.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import _common as C

SIZES = (100_000, 1_000_000)
DIMS = (2, 20, 100)
SAMPLERS = ("BorderlineSMOTE-1", "BorderlineSMOTE-2", "SVMSMOTE")


def _fmt_n(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def case_names():
    """Every case, those the targets are about first (1M rows), the costliest last."""
    names = [f"{s} {_fmt_n(n)} x {d}" for n in SIZES for d in DIMS for s in SAMPLERS]
    first = [n for n in names if n.endswith("1M x 2")] + ["SVMSMOTE 1M x 20"]
    last = [n for n in names if n.endswith("1M x 100")]
    return first + [n for n in names if n not in first and n not in last] + last


def parse(name):
    sampler, n, _, d = name.split()
    return sampler, int(n[:-1]) * (1_000_000 if n.endswith("M") else 1000), int(d)


def make_sampler(lib, sampler):
    if lib == "smotekit":
        from smotekit.over_sampling import _borderline as mod
    else:
        import imblearn.over_sampling as mod
    if sampler == "SVMSMOTE":
        return mod.SVMSMOTE(random_state=0)
    kind = "borderline-" + sampler[-1]
    return mod.BorderlineSMOTE(kind=kind, random_state=0)


def run_once(lib, sampler, X, y):
    s = make_sampler(lib, sampler)
    out = s.fit_resample(X, y)
    return s, out


def minority_support(s, y):
    sv = s.support_ if hasattr(s, "support_") else s.svm_estimator_.support_
    return np.sort(sv[y[sv] == 1])


# --------------------------------------------------------------------------- subprocess workers

def ref_worker(name, out_path):
    """One imbalanced-learn run of ``name`` after a warm-up; results to ``out_path``."""
    sampler, n, d = parse(name)
    X, y = C.make_data(n, d)
    run_once("imblearn", sampler, *C.small_like(X, y))
    gc.collect()
    t0 = time.perf_counter()
    s, (Xr, yr) = run_once("imblearn", sampler, X, y)
    elapsed = time.perf_counter() - t0
    np.savez(out_path, time=elapsed, counts=np.bincount(np.asarray(yr)),
             support=minority_support(s, y) if sampler == "SVMSMOTE" else np.empty(0))


def mem_worker(name, lib):
    sampler, n, d = parse(name)
    X, y = C.make_data(n, d)
    out = run_once(lib, sampler, *C.small_like(X, y))
    del out
    gc.collect()
    C.malloc_trim()
    reset_ok = C.reset_peak_rss()
    base = C.proc_status_kb("VmRSS")
    out = run_once(lib, sampler, X, y)
    after = C.proc_status_kb("VmHWM")
    print(json.dumps({"peak_mb": (after["VmHWM"] - base["VmRSS"]) / 1024, "hwm_reset": reset_ok}))
    del out


def _sub(args, timeout):
    cmd = [sys.executable, __file__, *args]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if res.returncode != 0:
        return None, (res.stderr.strip().splitlines() or [f"rc={res.returncode}"])[-1]
    return res.stdout, None


def measure_memory(name, lib, timeout):
    out, err = _sub(["--mem-worker", name, "--lib", lib], timeout)
    if out is None:
        return None
    data = json.loads(out.strip().splitlines()[-1])
    return data["peak_mb"]


# --------------------------------------------------------------------------- timing

def time_case(name, X, y, with_ref):
    sampler, _, _ = parse(name)
    libs = ["smotekit"] + (["imblearn"] if with_ref else [])
    warm = C.small_like(X, y)
    for lib in libs:
        run_once(lib, sampler, *warm)
    times = {lib: [] for lib in libs}
    cpu = {lib: [] for lib in libs}
    info = {}
    rounds, r = None, 0
    while rounds is None or r < rounds:
        order = libs[r % len(libs):] + libs[:r % len(libs)]
        for lib in order:
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            s, (Xr, yr) = run_once(lib, sampler, X, y)
            times[lib].append(time.perf_counter() - t0)
            cpu[lib].append(time.process_time() - c0)
            if r == 0:
                info[lib] = {"counts": np.bincount(np.asarray(yr))}
                if sampler == "SVMSMOTE":
                    info[lib]["support"] = minority_support(s, y)
                    if lib == "smotekit":
                        rows = s.svm_fit_rows_
                        info[lib]["fit_rows"] = X.shape[0] if rows is None else rows.size
            del s, Xr, yr
        if rounds is None:
            slowest = max(t[0] for t in times.values())
            rounds = 5 if slowest < 1 else 3 if slowest < 30 else 1
        r += 1
    info["cpu"] = {lib: C.median(c) for lib, c in cpu.items()}
    return times, info


def jaccard(a, b):
    a, b = set(a.tolist()), set(b.tolist())
    return len(a & b) / max(1, len(a | b))


# --------------------------------------------------------------------------- output

COLS = ("case", "smotekit median s", "imblearn median s", "speed-up", "peak MB ours",
        "peak MB imblearn", "notes")


def _f(x, nd=3):
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    return f"{x:.{nd}f}" if abs(x) < 100 else f"{x:.1f}"


def write(meta, rows, path):
    md = [
        "# BorderlineSMOTE and SVMSMOTE: smotekit vs imbalanced-learn",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), "
        f"{meta['machine']['mem_gib']} GiB RAM; load average at start "
        f"{', '.join(f'{x:.2f}' for x in meta['machine']['loadavg'])}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- command: `{meta['command']}`",
        f"- status: {meta['status']}; wall time {meta['wall_s'] / 60:.1f} min",
        "",
        "speed-up = imblearn median / smotekit median (> 1: smotekit faster); only ratios from "
        "one run mean anything on a shared machine. SV Jaccard: minority support vectors of "
        "smotekit's SVM vs imblearn's (1 = the same set). See the docstring of "
        "benchmarks/bench_borderline.py.",
        "",
        "| " + " | ".join(COLS) + " |",
        "|---|" + "---:|" * 5 + "---|",
    ]
    for row in rows:
        md.append("| " + " | ".join([row["case"], _f(row["ours"]), _f(row["ref"]), _f(row["speedup"], 2)
                                     + ("x" if isinstance(row["speedup"], float) else ""),
                                     _f(row["mem_ours"], 1), _f(row["mem_ref"], 1),
                                     "; ".join(row["notes"])]) + " |")
    md.append("")
    C.atomic_write(path, "\n".join(md))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", action="append", default=[], metavar="TEXT",
                   help="cases whose name contains TEXT, not followed by a digit "
                        "(case-insensitive; repeatable)")
    p.add_argument("--mem", action="store_true", help="also measure peak memory (slower)")
    p.add_argument("--ref-timeout", type=float, default=180.0,
                   help="seconds allowed to imblearn's SVMSMOTE (default: %(default)s)")
    p.add_argument("--out", default=str(C.RESULTS / "borderline.md"))
    p.add_argument("--ref-worker", help=argparse.SUPPRESS)
    p.add_argument("--mem-worker", help=argparse.SUPPRESS)
    p.add_argument("--lib", help=argparse.SUPPRESS)
    p.add_argument("--npz", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.ref_worker:
        C.use_snapshot()
        return ref_worker(a.ref_worker, a.npz)
    if a.mem_worker:
        C.use_snapshot()
        return mem_worker(a.mem_worker, a.lib)
    C.snapshot_smotekit()
    # "1M x 2" must not select "1M x 20": a match may not continue with a digit.
    names = [n for n in case_names()
             if not a.only or any(re.search(re.escape(s) + r"(?!\d)", n, re.I) for s in a.only)]
    t_start = time.perf_counter()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(),
            "command": C.command_line(), "status": "running", "wall_s": 0.0}
    rows = []
    loaded, X, y = None, None, None
    for name in names:
        sampler, n, d = parse(name)
        if loaded != (n, d):
            X = y = None
            gc.collect()
            X, y = C.make_data(n, d)
            loaded = (n, d)
        notes = []
        svm = sampler == "SVMSMOTE"
        times, info = time_case(name, X, y, with_ref=not svm)
        ours = C.median(times["smotekit"])
        notes.append(f"{len(times['smotekit'])} round(s)")
        if svm:
            notes.append(f"SVM fitted on {info['smotekit']['fit_rows']:,} rows")
            with tempfile.TemporaryDirectory() as tmp:
                npz = str(Path(tmp) / "ref.npz")
                _, err = _sub(["--ref-worker", name, "--npz", npz], a.ref_timeout)
                if err == "timeout":
                    ref = f"> {a.ref_timeout:.0f} s (did not finish)"
                elif err:
                    ref = f"failed: {err[:80]}"
                else:
                    res = np.load(npz)
                    ref = float(res["time"])
                    info["imblearn"] = {"counts": res["counts"], "support": res["support"]}
                    notes.append("imblearn: 1 run in a subprocess")
        else:
            ref = C.median(times["imblearn"])
            c_ours, c_ref = info["cpu"]["smotekit"], info["cpu"]["imblearn"]
            notes.append(f"CPU s {c_ours:.1f} ours / {c_ref:.1f} imblearn ({c_ref / c_ours:.2f}x)")
        if "imblearn" in info:
            same = np.array_equal(info["smotekit"]["counts"], info["imblearn"]["counts"])
            notes.append("same class counts" if same else
                         f"COUNTS DIFFER ours {info['smotekit']['counts'].tolist()} vs "
                         f"imblearn {info['imblearn']['counts'].tolist()}")
            if svm:
                a_sv, b_sv = info["smotekit"]["support"], info["imblearn"]["support"]
                notes.append(f"SV Jaccard {jaccard(a_sv, b_sv):.3f} ({a_sv.size} ours, {b_sv.size} imblearn)")
        speedup = ref / ours if isinstance(ref, float) else (
            f"> {a.ref_timeout / ours:.1f}x" if ref.startswith(">") else "-")
        mem_ours = mem_ref = None
        if a.mem:
            mem_ours = measure_memory(name, "smotekit", 3600)
            if isinstance(ref, float):
                mem_ref = measure_memory(name, "imblearn", 3600)
        row = {"case": name, "ours": ours, "ref": ref, "speedup": speedup,
               "mem_ours": mem_ours, "mem_ref": mem_ref, "notes": notes}
        rows.append(row)
        print(f"{name:28s} ours {_f(ours):>8s}  imblearn {_f(ref):>8s}  {'; '.join(notes)}", flush=True)
        meta["wall_s"] = time.perf_counter() - t_start
        write(meta, rows, Path(a.out))
    meta["status"] = "complete"
    meta["wall_s"] = time.perf_counter() - t_start
    write(meta, rows, Path(a.out))


if __name__ == "__main__":
    main()
