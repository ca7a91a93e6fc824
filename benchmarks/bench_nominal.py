"""SMOTENC and SMOTEN vs imbalanced-learn: time and peak memory, side by side.

Usage::

    .venv/bin/python benchmarks/bench_nominal.py          # all cases (~3 min on 2 cores)
    .venv/bin/python benchmarks/bench_nominal.py --no-mem # timing only

Writes benchmarks/results/nominal.md.

Data
    SMOTENC: the suite's ``make_classification`` data (see run.py; 1 % minority),
    N x D continuous features plus one categorical column appended last: 5
    categories coded 0..4 drawn uniformly (numpy.random.default_rng(0)), in one
    float64 array; ``categorical_features=[D]``.
    SMOTEN: 100k rows, 5 categorical columns of strings ("v0".."v7", with 3 to 8
    categories), whose distribution depends on the class of the suite's 100k x 2
    labels (1 % minority), as a numpy object array.

Timing and memory as in run.py: warm-up on a small slice, rounds rotating the
order (3 when a first run takes over 1 s, else 5), medians; peak memory = VmHWM -
VmRSS around one run in a fresh process.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time

import numpy as np

import _common as C

CASES = {
    "SMOTENC 100k x 2 +1 cat": ("nc", 100_000, 2),
    "SMOTENC 1M x 2 +1 cat": ("nc", 1_000_000, 2),
    "SMOTENC 100k x 20 +1 cat": ("nc", 100_000, 20),
    "SMOTEN 100k x 5 cat": ("n", 100_000, 5),
}


def load(kind, n, d):
    if kind == "nc":
        X, y = C.make_data(n, d)
        cat = np.random.default_rng(0).integers(0, 5, n).astype(np.float64)
        return np.column_stack([X, cat]), y
    _, y = C.make_data(n, 2)
    rng = np.random.default_rng(0)
    cols = []
    for j in range(d):
        n_cat = 3 + j
        # Class-dependent frequencies, so that the value difference metric is informative.
        p0 = rng.dirichlet(np.ones(n_cat))
        p1 = rng.dirichlet(np.ones(n_cat))
        draws = np.where(y == 1, (rng.random(n)[:, None] > np.cumsum(p1)).sum(1),
                         (rng.random(n)[:, None] > np.cumsum(p0)).sum(1))
        cols.append(np.array([f"v{i}" for i in range(n_cat)], dtype=object)[np.minimum(draws, n_cat - 1)])
    return np.column_stack(cols), y


def small(X, y, n=3000):
    minority = np.flatnonzero(y == 1)[:max(30, n // 100)]
    majority = np.flatnonzero(y == 0)[: n - minority.size]
    rows = np.sort(np.concatenate([minority, majority]))
    return X[rows], y[rows]


def contender(lib, kind, d):
    def run(X, y):
        if lib == "smotekit":
            from smotekit.over_sampling._nominal import SMOTEN, SMOTENC
        else:
            from imblearn.over_sampling import SMOTEN, SMOTENC
        sampler = SMOTENC([d], random_state=0) if kind == "nc" else SMOTEN(random_state=0)
        return sampler.fit_resample(X, y)
    return run


def mem_worker(name, lib):
    kind, n, d = CASES[name]
    X, y = load(kind, n, d)
    fn = contender(lib, kind, d)
    out = fn(*small(X, y))
    del out
    gc.collect()
    C.malloc_trim()
    ok = C.reset_peak_rss()
    base = C.proc_status_kb("VmRSS")
    out = fn(X, y)
    peak = C.proc_status_kb("VmHWM")["VmHWM"] - base["VmRSS"]
    print(json.dumps({"peak_mb": peak / 1024, "reset": ok}))
    del out


def measure_memory(name, lib):
    res = subprocess.run([sys.executable, __file__, "--mem-worker", name, "--lib", lib],
                         capture_output=True, text=True, timeout=3600)
    if res.returncode != 0:
        return None
    return json.loads(res.stdout.strip().splitlines()[-1])["peak_mb"]


def time_case(kind, n, d, X, y):
    libs = ["smotekit", "imblearn"]
    fns = {lib: contender(lib, kind, d) for lib in libs}
    for lib in libs:
        fns[lib](*small(X, y))
    times = {lib: [] for lib in libs}
    shapes = {}
    rounds, r = None, 0
    while rounds is None or r < rounds:
        for lib in libs[r % 2:] + libs[: r % 2]:
            gc.collect()
            t0 = time.perf_counter()
            Xr, yr = fns[lib](X, y)
            times[lib].append(time.perf_counter() - t0)
            shapes[lib] = (Xr.shape, np.unique(yr, return_counts=True)[1].tolist())
            del Xr, yr
        if rounds is None:
            rounds = 3 if max(t[0] for t in times.values()) > 1.0 else 5
        r += 1
    return times, shapes


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--no-mem", action="store_true")
    p.add_argument("--mem-worker")
    p.add_argument("--lib")
    a = p.parse_args(argv)
    if a.mem_worker:
        C.use_snapshot()
        return mem_worker(a.mem_worker, a.lib)
    C.snapshot_smotekit()
    t_start = time.perf_counter()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(), "command": C.command_line()}
    rows = []
    for name, (kind, n, d) in CASES.items():
        X, y = load(kind, n, d)
        times, shapes = time_case(kind, n, d, X, y)
        del X, y
        mo, mr = C.median(times["smotekit"]), C.median(times["imblearn"])
        po = None if a.no_mem else measure_memory(name, "smotekit")
        pr = None if a.no_mem else measure_memory(name, "imblearn")
        same = "same shape and class counts" if shapes["smotekit"] == shapes["imblearn"] else \
            f"MISMATCH {shapes}"
        rows.append((name, mo, mr, mr / mo, po, pr, (po / pr) if po and pr else None,
                     f"{same}; {len(times['smotekit'])} rounds"))
        print(rows[-1], flush=True)
    fmt = lambda x, nd=3: "-" if x is None else f"{x:.{nd}f}"  # noqa: E731
    m = meta["machine"]
    md = ["# SMOTENC / SMOTEN benchmark", "",
          f"- date: {meta['date']}",
          f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB RAM; load average at start "
          + ", ".join(f"{x:.2f}" for x in m["loadavg"]),
          "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
          f"- command: `{meta['command']}`; wall time {(time.perf_counter() - t_start) / 60:.1f} min",
          "", "speed-up = imblearn median / smotekit median; peak MB = VmHWM - VmRSS around one run "
          "in a fresh process; mem ours/ref < 1: smotekit needs less.", "",
          "| case | smotekit median s | imblearn median s | speed-up | peak MB ours | peak MB imblearn "
          "| mem ours/ref | notes |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, mo, mr, sp, po, pr, ratio, note in rows:
        md.append(f"| {name} | {fmt(mo)} | {fmt(mr)} | {sp:.2f}x | {fmt(po, 1)} | {fmt(pr, 1)} | "
                  f"{fmt(ratio, 2)} | {note} |")
    C.atomic_write(C.RESULTS / "nominal.md", "\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    sys.exit(main())
