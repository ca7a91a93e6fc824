"""The floors under issue 14's targets on this machine: what no implementation
in numpy can go below, measured the way bench_speed.py measures the samplers.

Usage::

    .venv/bin/python benchmarks/bench_floors.py      # ~2 min on 2 idle cores

Writes benchmarks/results/floors.md and floors.json.

Three figures:

- **first touch**: a fresh process allocates SMOTE 1M x 20's output (2M x 20
  float64, 320 MB) and writes it on 1 thread (another fresh process: on 2);
  then the same again in that process (pages now recycled). On this virtual machine the first write
  of fresh memory costs several times the write itself: every process pays it
  on its first large output, whichever library it uses.
- **product rate at the samplers' shapes**: the float32 products alone of
  the blocked screen (queries augmented to d + 2 columns, 512 x 256 blocks,
  one thread per core with single-threaded BLAS), without the compare and
  listing that the screen adds, for the searches Borderline-SMOTE / ADASYN
  (20k minority rows against 1M rows) and SMOTE (20k rows among themselves,
  half the matrix) ask at 1M x 20; and the 4096^3 peak for scale.
- **floors**: those products are the least any exact search by products can
  cost (every pair must be bounded once), so with the rest of the sampler's
  measured time they bound the speed-up reachable against the reference
  figures of results/speed.json.

The load average is read before and after each figure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import _common as C

OUT_MD = C.RESULTS / "floors.md"
OUT_JSON = C.RESULTS / "floors.json"
ROWS, COLS = 2_000_000, 20  # SMOTE 1M x 20's output


def touch_worker(threads):
    """In a fresh process: write a new 320 MB array on ``threads`` threads, twice."""
    src = np.ones((ROWS, COLS))  # the input-like source (its own first touch not timed)
    bounds = np.linspace(0, ROWS, threads + 1).astype(int)
    out = {}
    with ThreadPoolExecutor(threads) as pool:
        for label in ("first", "again"):
            t = time.perf_counter()
            a = np.empty((ROWS, COLS))

            def part(i, a=a):
                np.multiply(src[bounds[i]:bounds[i + 1]], 1.0, out=a[bounds[i]:bounds[i + 1]])

            list(pool.map(part, range(threads)))
            out[f"{label}_{threads}"] = time.perf_counter() - t
            del a
    print(json.dumps(out))


def first_touch():
    """Each thread count in its own fresh process, after a pause: memory another
    process has just freed is cheap to touch again, which would hide the cost."""
    out = {}
    for threads in (1, 2):
        time.sleep(5)
        res = subprocess.run([sys.executable, __file__, "--touch-worker", str(threads)],
                             capture_output=True, text=True, check=True)
        out.update(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def products(n_queries, n_rows, d, symmetric):
    """Seconds of the screen's float32 products alone (512 x 256 blocks, 2 threads)."""
    from smotekit.neighbors._threads import serial_blas

    rng = np.random.default_rng(0)
    Q = rng.random((n_queries, d + 2), dtype=np.float32)
    X = Q if symmetric else rng.random((n_rows, d + 2), dtype=np.float32)
    tasks = [(i, j) for i in range(0, n_queries, 512)
             for j in range(i if symmetric else 0, X.shape[0], 65536)]

    def task(ij):
        i, j0 = ij
        q = Q[i:i + 512]
        buf = np.empty((q.shape[0], 256), dtype=np.float32)
        for j in range(j0, min(X.shape[0], j0 + 65536), 256):
            x = X[j:j + 256]
            np.matmul(q, x.T, out=buf[:, :x.shape[0]])

    best = float("inf")
    with serial_blas(), ThreadPoolExecutor(2) as pool:
        for _ in range(2):
            t = time.perf_counter()
            list(pool.map(task, tasks))
            best = min(best, time.perf_counter() - t)
    return best


def main():
    if "--touch-worker" in sys.argv:
        touch_worker(int(sys.argv[-1]))
        return
    from bench_speed import gemm_peak

    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(),
            "command": C.command_line()}
    fig = {}
    load = [os.getloadavg()[0]]
    fig["peak_gflops"] = gemm_peak()
    fig["touch"] = first_touch()
    load.append(os.getloadavg()[0])
    fig["query_all_s"] = products(20_000, 1_000_000, 20, symmetric=False)
    load.append(os.getloadavg()[0])
    fig["self_half_s"] = products(20_000, 20_000, 20, symmetric=True)
    load.append(os.getloadavg()[0])
    meta["loads"] = load
    speed = json.loads((C.RESULTS / "speed.json").read_text())
    rows = {r["case"]: r for r in speed["rows"]}
    fig["searches"] = speed["searches"]
    C.atomic_write(OUT_JSON, json.dumps({"meta": meta, "figures": fig}, indent=1))
    C.atomic_write(OUT_MD, render(meta, fig, rows))
    print(render(meta, fig, rows))


def _times(row, lib):
    """(first, warm) seconds of ``lib`` in a row of results/speed.json."""
    first = row.get("first", {}).get(lib, {}).get("first_s")
    warm = row.get("warm", {}).get(lib)
    return first, (C.median(warm) if warm else None)


def render(meta, fig, rows):
    t = fig["touch"]
    mb = ROWS * COLS * 8 / 2**20
    lines = [
        "# Floors under issue 14's targets on this machine",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']}",
        f"- command: `{meta['command']}`",
        f"- load average (1 min) before and after each figure: {', '.join(f'{x:.2f}' for x in meta['loads'])}",
        f"- float32 matrix-product peak (4096^3, all cores): {fig['peak_gflops']:.0f} GFLOPS",
        "",
        "See the docstring of benchmarks/bench_floors.py for what is measured.",
        "",
        f"## Writing a fresh {mb:.0f} MB output (SMOTE 1M x 20's)",
        "",
        "| | 1 thread | 2 threads |",
        "|---|---:|---:|",
        f"| first in a fresh process, s | {t['first_1']:.3f} | {t['first_2']:.3f} |",
        f"| again in that process, s | {t['again_1']:.3f} | {t['again_2']:.3f} |",
        f"| first, ms per MB per thread | {t['first_1'] * 1e3 / mb:.2f} | {t['first_2'] * 2e3 / mb:.2f} |",
        "",
        "## The screen's float32 products alone (512 x 256 blocks, 2 threads, d + 2 = 22 columns)",
        "",
        "| search at 1M x 20 | products s | GFLOPS | fraction of peak |",
        "|---|---:|---:|---:|",
    ]
    for name, s, flops in [("one class against all rows (20k x 1M)", fig["query_all_s"], 2 * 20e3 * 1e6 * 22),
                           ("a class among its own rows, half (20k x 20k / 2)", fig["self_half_s"],
                            2 * 20e3 * 20e3 / 2 * 22)]:
        lines.append(f"| {name} | {s:.3f} | {flops / s / 1e9:.0f} | {flops / s / 1e9 / fig['peak_gflops']:.0%} |")
    lines += ["", "## What that leaves reachable against imbalanced-learn (results/speed.json)", ""]
    searches = fig.get("searches", {})
    query_search = searches.get("knn minority -> all rows, 1M x 20 (20k x 1M)", {}).get("ours_s")
    for case in ("BorderlineSMOTE-1 1M x 20", "ADASYN 1M x 20"):
        r = rows.get(case)
        if not r or query_search is None:
            continue
        _, ours = _times(r, "smotekit")
        _, ref = _times(r, "imblearn")
        if ours is None or ref is None:
            continue
        floor = fig["query_all_s"] + max(0.0, ours - query_search)
        lines.append(f"- {case} (warm): ours {ours:.1f} s, of which the search {query_search:.1f} s; with the "
                     f"search at the bare products ({fig['query_all_s']:.1f} s) and the rest as it is: "
                     f"{floor:.1f} s, at most {ref / floor:.1f}x against {ref:.1f} s.")
    r = rows.get("SMOTE 1M x 20")
    if r:
        first_ref = _times(r, "imblearn")[0]
        floor = t["first_2"] + fig["self_half_s"]
        if first_ref:
            lines.append(f"- SMOTE 1M x 20 (first call): writing the fresh output on 2 threads ({t['first_2']:.2f} s) "
                         f"plus the half self-search's bare products ({fig['self_half_s']:.2f} s): {floor:.2f} s, "
                         f"at most {first_ref / floor:.1f}x against {first_ref:.2f} s, before reading the "
                         "input, validating it and ranking the neighbours.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
