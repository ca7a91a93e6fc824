"""Where should ``method='auto'`` switch from kd-trees to matrix products?

Times ``smotekit.neighbors.kneighbors(X, 5, method=m)`` (every row against the
others) for m in kd_tree, faiss, brute on make_classification data (the
benchmark suite's generator, see run.py) and prints the fastest per D:

- 100k rows, D in {2, 4, 6, 8, 10, 12, 16, 20}: n_informative = min(D, 10) as
  in the suite, and, where that differs (D > 10), n_informative = D: no
  low-dimensional structure, the worst case for kd-trees.
- 10k rows (the minority-class size of the 1M-row suite cases), same grid.
- 1M rows, D in {2, 8, 12}.

Exhaustive search costs O(N^2 D), so not every cell is run in full:

- every method is first *probed* with 5,000 query rows (``query=``, k=6 so
  each query does the work of a self-search; smotekit's thread cut-offs are
  set to 0 meanwhile, so the probe uses every core like the full run), and
  its fixed cost with 8 query rows (tree build, copies); the full
  self-search is estimated as fixed + (probe - fixed) * N / 5000;
- 10k and 100k rows: the full self-search is then run where the estimate is
  under 30 s or within 3x of the best estimate; other cells show the
  estimate, prefixed with '~';
- 1M rows: full runs for estimates under 60 s, else the estimate.

Probes run in 3 rounds (1 at 1M rows) and full runs in 3 rounds when all are under 2 s
(else 1), each round running every method once in rotating order; medians of
wall-clock seconds decide, process CPU seconds are kept in the JSON (less
sensitive to other load on a shared machine).

Usage::

    .venv/bin/python benchmarks/neighbors_threshold.py [--quick] [--sizes 100000,1000000] [--append]

Writes benchmarks/results/neighbors_threshold.md and .json. One run on a
shared machine: treat differences under ~1.5x as ties.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import numpy as np

import _common as C

METHODS = ("kd_tree", "faiss", "brute")
GRID = {10_000: (2, 4, 6, 8, 10, 12, 16, 20),
        100_000: (2, 4, 6, 8, 10, 12, 16, 20),
        1_000_000: (2, 8, 12)}
PROBE = 5000
# smotekit's cut-offs below which a search runs on one thread (names over versions).
_THREAD_KNOBS = ("_THREADS_MIN_WORK", "_THREADS_MIN_TREE_QUERIES", "_THREADS_MIN_BRUTE_WORK")


def _run(fn):
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def rounds(fns, n_rounds):
    """Run every callable once per round, rotating the order; median wall and CPU seconds."""
    names = list(fns)
    wall = {m: [] for m in names}
    cpu = {m: [] for m in names}
    for r in range(n_rounds):
        for m in names[r % len(names):] + names[: r % len(names)]:
            w, c = _run(fns[m])
            wall[m].append(w)
            cpu[m].append(c)
    return {m: (float(np.median(wall[m])), float(np.median(cpu[m]))) for m in names}


def measure(kneighbors, _search, X, full_cap, ratio_cap):
    n = X.shape[0]
    rng = np.random.default_rng(0)
    est = {m: 0.0 for m in METHODS}
    if n > 2 * PROBE:
        # Probes must use every core as the full search would, though smaller
        # than smotekit's thresholds for starting threads.
        saved = {k: getattr(_search, k) for k in _THREAD_KNOBS if hasattr(_search, k)}
        for k in saved:
            setattr(_search, k, 0)
        Qp = np.ascontiguousarray(X[rng.choice(n, PROBE, replace=False)])
        Qf = np.ascontiguousarray(Qp[:8])
        n_probe = 3 if n <= 100_000 else 1
        fixed = rounds({m: (lambda m=m: kneighbors(X, 6, query=Qf, method=m)) for m in METHODS}, n_probe)
        probe = rounds({m: (lambda m=m: kneighbors(X, 6, query=Qp, method=m)) for m in METHODS}, n_probe)
        for m in METHODS:
            f, p = fixed[m][0], probe[m][0]
            est[m] = f + max(p - f, 0.0) * n / PROBE
        for k, v in saved.items():
            setattr(_search, k, v)
    best = min(est.values())
    full = [m for m in METHODS if est[m] <= full_cap or est[m] <= ratio_cap * best]
    n_rounds = 3 if full and max(est[m] for m in full) < 2.0 else 1
    got = rounds({m: (lambda m=m: kneighbors(X, 5, method=m)) for m in full}, n_rounds) if full else {}
    cell = {}
    for m in METHODS:
        if m in got:
            cell[m] = {"s": got[m][0], "cpu_s": got[m][1], "measured": True, "rounds": n_rounds}
        else:
            cell[m] = {"s": est[m], "cpu_s": None, "measured": False}
        cell[m]["estimate"] = est[m] or None
    return cell


def fmt(c):
    return ("" if c["measured"] else "~") + (f"{c['s']:.2f}" if c["s"] < 100 else f"{c['s']:.0f}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="10k and 100k rows, D in {2, 8, 12, 16}")
    p.add_argument("--sizes", help="comma-separated subset of 10000,100000,1000000")
    p.add_argument("--no-snapshot", action="store_true", help="import smotekit from src/ directly")
    p.add_argument("--out", default=str(C.RESULTS))
    p.add_argument("--append", action="store_true",
                   help="keep the rows of an earlier neighbors_threshold.json not measured again")
    a = p.parse_args(argv)
    snap = None if a.no_snapshot else C.snapshot_smotekit()
    from smotekit.neighbors import _search, kneighbors

    sizes = [int(s) for s in a.sizes.split(",")] if a.sizes else list(GRID)
    if a.quick:
        sizes = [s for s in sizes if s <= 100_000]
    t_start = time.perf_counter()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(),
            "command": C.command_line(),
            "KD_TREE_MAX_FEATURES": getattr(_search, "KD_TREE_MAX_FEATURES", None),
            "smotekit source": ("snapshot of src/ at start, sha1 " + snap[1]) if snap else "src/",
            "status": "running"}
    print(f"{meta['date']}  {meta['machine']['nproc']} CPUs {meta['machine']['cpu']}; "
          f"KD_TREE_MAX_FEATURES={meta['KD_TREE_MAX_FEATURES']}")
    rows, kept, earlier = [], [], []
    prev = Path(a.out) / "neighbors_threshold.json"
    if a.append and prev.exists():
        old = json.loads(prev.read_text())
        kept, earlier = old["rows"], [old["meta"]] + old["meta"].get("earlier_runs", [])
        for m in earlier:
            m.pop("earlier_runs", None)
    meta["earlier_runs"] = earlier
    header = (f"{'N':>9} {'D':>3} {'inf':>3} | {'kd_tree s':>10} {'faiss s':>10} {'brute s':>10} "
              "| fastest   kd/faiss  kd/brute")
    print(header)
    for n in sizes:
        grid = GRID[n] if not a.quick else tuple(d for d in GRID[n] if d in (2, 8, 12, 16))
        full_cap = 60.0 if n >= 1_000_000 else 30.0
        ratio_cap = 0.0 if n >= 1_000_000 else 3.0
        for d in grid:
            for inf in sorted({C.informative(d), d}):
                X, _ = C.make_data(n, d, n_informative=inf)
                cell = measure(kneighbors, _search, X, full_cap, ratio_cap)
                del X
                fastest = min(METHODS, key=lambda m: cell[m]["s"])
                row = {"n": n, "d": d, "informative": inf, "cells": cell, "fastest": fastest,
                       "kd_over_faiss": cell["kd_tree"]["s"] / cell["faiss"]["s"],
                       "kd_over_brute": cell["kd_tree"]["s"] / cell["brute"]["s"]}
                rows.append(row)
                print(f"{n:>9} {d:>3} {inf:>3} | {fmt(cell['kd_tree']):>10} {fmt(cell['faiss']):>10} "
                      f"{fmt(cell['brute']):>10} | {fastest:<9} {row['kd_over_faiss']:>7.2f}  "
                      f"{row['kd_over_brute']:>7.2f}", flush=True)
                meta["wall_s"] = time.perf_counter() - t_start
                write(meta, merge(kept, rows), recommend(merge(kept, rows)), a.out)
    meta["wall_s"] = time.perf_counter() - t_start
    meta["status"] = "complete"
    allrows = merge(kept, rows)
    if not any(r in allrows for r in kept):
        meta["earlier_runs"] = []
    rec = recommend(allrows)
    print("\n" + "\n".join(rec["text"]))
    print(f"\ndone in {meta['wall_s'] / 60:.1f} min")
    write(meta, allrows, rec, a.out)


def merge(kept, rows):
    key = lambda r: (r["n"], r["d"], r["informative"])  # noqa: E731
    new = {key(r) for r in rows}
    return sorted([r for r in kept if key(r) not in new] + rows, key=key)


def recommend(rows):
    """Largest D where kd_tree is still the fastest (vs faiss, and vs brute) per N and variant."""
    out, text = {}, []
    for n in sorted({r["n"] for r in rows}):
        for label, pick in (("inf=min(D,10)", lambda r: r["informative"] == C.informative(r["d"])),
                            ("inf=D", lambda r: r["informative"] == r["d"])):
            sel = sorted((r for r in rows if r["n"] == n and pick(r)), key=lambda r: r["d"])
            for other, key in (("faiss", "kd_over_faiss"), ("brute", "kd_over_brute")):
                if not sel:
                    continue
                last_win = first_loss = None
                for r in sel:  # scanning up in D: last win before the first loss
                    if r[key] > 1.0:
                        first_loss = r["d"]
                        break
                    last_win = r["d"]
                later = [r["d"] for r in sel if first_loss and r["d"] > first_loss and r[key] <= 1.0]
                ratios = ", ".join(f"D={r['d']}: {r[key]:.2f}" for r in sel)
                out[f"{n}/{label}/kd_tree_vs_{other}"] = {"last_kd_win": last_win,
                                                          "first_kd_loss": first_loss,
                                                          "kd_wins_again_at": later}
                text.append(f"N={n:,} {label}, kd_tree vs {other}: kd_tree fastest up to D={last_win}, "
                            f"first loss at D={first_loss}" + (f" (wins again at {later})" if later else "")
                            + f"; time ratio kd/{other}: {ratios}")
    return {"by_case": out, "text": text}


def write(meta, rows, rec, outdir):
    outdir = Path(outdir)
    md = ["# kNN backend crossover (smotekit.neighbors.kneighbors, k=5, self-search)", "",
          f"- date: {meta['date']}",
          f"- machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']})",
          "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
          f"- smotekit source: {meta['smotekit source']}; KD_TREE_MAX_FEATURES was {meta['KD_TREE_MAX_FEATURES']}",
          f"- command: `{meta['command']}`; wall time {meta['wall_s'] / 60:.1f} min; {meta['status']}",
          *[f"- earlier run kept (--append): {m['date']}, `{m['command']}`, smotekit {m['smotekit source']}"
            for m in meta.get("earlier_runs", [])], "",
          "Seconds for the whole self-search; '~' = estimated from a 5,000-query probe "
          "(see the script's docstring).", "",
          "| N | D | informative | kd_tree s | faiss s | brute s | fastest | kd/faiss | kd/brute |",
          "|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    for r in rows:
        c = r["cells"]
        md.append(f"| {r['n']:,} | {r['d']} | {r['informative']} | {fmt(c['kd_tree'])} | {fmt(c['faiss'])} | "
                  f"{fmt(c['brute'])} | {r['fastest']} | {r['kd_over_faiss']:.2f} | {r['kd_over_brute']:.2f} |")
    md += ["", *[f"- {t}" for t in rec["text"]], ""]
    C.atomic_write(outdir / "neighbors_threshold.md", "\n".join(md))
    C.atomic_write(outdir / "neighbors_threshold.json",
                   json.dumps({"meta": meta, "rows": rows, "recommendation": rec["by_case"]}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
