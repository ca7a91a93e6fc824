"""Issue 14's speed table: smotekit against imbalanced-learn 0.14.2, first and warm calls.

Usage::

    .venv/bin/python benchmarks/bench_speed.py                  # every case (~30 min on 2 idle cores)
    .venv/bin/python benchmarks/bench_speed.py --only SMOTE     # cases whose name contains a string
    .venv/bin/python benchmarks/bench_speed.py --list

Writes benchmarks/results/speed.md and speed.json after every case, so an
interrupted run keeps what it measured.

Data: ``_common.make_data(n, d, majority=0.985, flip_y=0.01)``:
make_classification with 1.5 % minority before label noise (2 % after),
n_informative=10 (2 at d=2), n_redundant=0, random_state=0, float64.

What is measured, the way users call a sampler:

- **first call**: each library in a fresh subprocess imports itself (timed
  on its own, reported as "import s"), loads the data, then runs
  ``fit_resample`` once: what a user pays on every new process or notebook
  kernel.
- **warm calls**: one process holding both libraries, after a warm-up on a
  3,000-row slice; rounds in which each library runs once, the order rotating,
  so load from other processes hits both alike; medians. Rounds: 3 when the
  reference's first call took under 15 s, 2 under 60 s, else 1; 1 when
  smotekit's took over 15 s, none when it took over a minute and no
  reference runs beside it (its first call is then the only figure).
- **speed-up** = reference seconds / smotekit seconds, for each.
- The reference is not run where it cannot finish in reasonable time: SVM-SMOTE
  fits a kernel SVC on every row (more than 180 s at 1M x 20 in
  results/borderline.md), and the cleaners search all rows among all rows at 1M
  (TomekLinks did not finish in 120 s, results/cleaning.md).
- **loaded**: the same first call while ``--burn`` processes spin on the
  cores (issue 14 asks SVM-SMOTE to stay under 30 s on a loaded machine).
- **search**: the two exact neighbour searches the samplers ask (a class
  among its own rows; one class against all rows), timed alone against
  scikit-learn's brute force, and as a fraction of the machine's float32
  matrix-product peak (4096^3 ``np.matmul``, all cores, best of 3):
  fraction = 2 * queries * rows * features / seconds / peak. A search
  that skips work (symmetry, screening) can exceed 1; it is the rate of an
  equivalent dense product.

The load average (what ``uptime`` prints) is read before and after every case.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time

import numpy as np

import _common as C

OUT_MD = C.RESULTS / "speed.md"
OUT_JSON = C.RESULTS / "speed.json"
DATA = dict(majority=0.985, flip_y=0.01)

# (name, sampler, n, d, the reference's first-call timeout in seconds: None no limit, 0 not run)
CASES = [
    ("SMOTE 1M x 2", "SMOTE", 1_000_000, 2, None),
    ("SMOTE 1M x 20", "SMOTE", 1_000_000, 20, None),
    ("SMOTE 1M x 100", "SMOTE", 1_000_000, 100, None),
    ("BorderlineSMOTE-1 1M x 2", "BorderlineSMOTE-1", 1_000_000, 2, None),
    ("BorderlineSMOTE-1 1M x 20", "BorderlineSMOTE-1", 1_000_000, 20, None),
    ("ADASYN 1M x 2", "ADASYN", 1_000_000, 2, None),
    ("ADASYN 1M x 20", "ADASYN", 1_000_000, 20, None),
    ("SVMSMOTE 1M x 20", "SVMSMOTE", 1_000_000, 20, 0),
    ("EditedNearestNeighbours 100k x 20", "EditedNearestNeighbours", 100_000, 20, None),
    ("TomekLinks 100k x 20", "TomekLinks", 100_000, 20, None),
    ("SMOTEENN 100k x 20", "SMOTEENN", 100_000, 20, None),
    ("SMOTETomek 100k x 20", "SMOTETomek", 100_000, 20, None),
    ("EditedNearestNeighbours 1M x 20", "EditedNearestNeighbours", 1_000_000, 20, 0),
    ("TomekLinks 1M x 20", "TomekLinks", 1_000_000, 20, 0),
    ("SMOTEENN 1M x 20", "SMOTEENN", 1_000_000, 20, 0),
    ("SMOTETomek 1M x 20", "SMOTETomek", 1_000_000, 20, 0),
    # The costliest references last: an interrupted run still has every other row.
    ("BorderlineSMOTE-1 1M x 100", "BorderlineSMOTE-1", 1_000_000, 100, None),
    ("ADASYN 1M x 100", "ADASYN", 1_000_000, 100, None),
]
SEARCHES = [("knn self, minority of 1M x 20 (20k x 20k)", "self"),
            ("knn minority -> all rows, 1M x 20 (20k x 1M)", "query")]


def make_sampler(lib, name):
    """The sampler ``name`` of ``lib`` with random_state=0 and default parameters."""
    if lib == "smotekit":
        import smotekit.combine as comb
        import smotekit.over_sampling as over
        import smotekit.under_sampling as under
    else:
        import imblearn.combine as comb
        import imblearn.over_sampling as over
        import imblearn.under_sampling as under
    if name.startswith("BorderlineSMOTE"):
        return over.BorderlineSMOTE(kind="borderline-" + name[-1], random_state=0)
    for mod in (over, comb):
        if hasattr(mod, name):
            return getattr(mod, name)(random_state=0)
    return getattr(under, name)()


def _import(lib):
    t = time.perf_counter()
    if lib == "smotekit":
        import smotekit.combine  # noqa: F401
        import smotekit.over_sampling  # noqa: F401
        import smotekit.under_sampling  # noqa: F401
    else:
        import imblearn.combine  # noqa: F401
        import imblearn.over_sampling  # noqa: F401
        import imblearn.under_sampling  # noqa: F401
    return time.perf_counter() - t


# --------------------------------------------------------------------------- subprocesses

def first_worker(lib, case_name):
    """A fresh process: import ``lib``, load the data, time one call; JSON line to stdout."""
    if lib == "smotekit":
        C.use_snapshot()
    _, sampler, n, d, _ = next(c for c in CASES if c[0] == case_name)
    import_s = _import(lib)
    X, y = C.make_data(n, d, **DATA)
    gc.collect()
    t = time.perf_counter()
    _, y_res = make_sampler(lib, sampler).fit_resample(X, y)
    first = time.perf_counter() - t
    print(json.dumps({"import_s": import_s, "first_s": first, "counts": np.bincount(np.asarray(y_res)).tolist()}))


def _run_first(lib, case_name, timeout, burn=0):
    """``first_worker`` in a subprocess, with ``burn`` spinning processes beside it."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(burn)]
    try:
        cmd = [sys.executable, __file__, "--first-worker", lib, case_name]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
    finally:
        for b in burners:
            b.kill()
            b.wait()
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or [f"rc={res.returncode}"])[-1]}
    return json.loads(res.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- cases

def measure_case(case, args):
    name, sampler, n, d, ref_timeout = case
    load_before = os.getloadavg()
    row = {"case": name, "load_before": load_before}
    row["first"] = {"smotekit": _run_first("smotekit", name, args.timeout),
                    "imblearn": _run_first("imblearn", name, ref_timeout) if ref_timeout != 0 else {"skipped": True}}
    if sampler == "SVMSMOTE" and args.burn:
        row["first_loaded"] = _run_first("smotekit", name, args.timeout, burn=args.burn)
    ref_first = row["first"]["imblearn"].get("first_s")
    libs = ["smotekit"] + (["imblearn"] if ref_first is not None else [])
    rounds = 3 if ref_first is None or ref_first < 15 else 2 if ref_first < 60 else 1
    ours_first = row["first"]["smotekit"].get("first_s")
    if ours_first is None:
        rounds = 0  # it failed or ran out of time in its own process: not again here
        ours_first = 0
    if ours_first > 15:
        rounds = min(rounds, 1)
    if ours_first > 60 and ref_first is None:
        rounds = 0  # its first call is the only figure, as no reference runs beside it
    X, y = C.make_data(n, d, **DATA)
    Xs, ys = C.small_like(X, y)
    for lib in libs:
        make_sampler(lib, sampler).fit_resample(Xs, ys)
    times = {lib: [] for lib in libs}
    for r in range(rounds):
        for lib in libs[r % len(libs):] + libs[:r % len(libs)]:
            gc.collect()
            t = time.perf_counter()
            out = make_sampler(lib, sampler).fit_resample(X, y)
            times[lib].append(time.perf_counter() - t)
            del out
    row["warm"] = times
    row["load_after"] = os.getloadavg()
    return row


def gemm_peak():
    """float32 matrix-product rate of this machine (4096^3, all cores, best of 3), GFLOPS."""
    a = np.random.default_rng(0).random((4096, 4096), dtype=np.float32)
    best = float("inf")
    for _ in range(4):
        t = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - t)
    return 2 * 4096**3 / best / 1e9


def measure_search(kind, peak):
    """One exact search of issue 14's shapes: smotekit warm (median of 3) against scikit-learn's brute force."""
    from sklearn.neighbors import NearestNeighbors

    from smotekit.neighbors import kneighbors

    X, y = C.make_data(1_000_000, 20, **DATA)
    rows = np.flatnonzero(y == 1)
    Xm = X[rows]
    if kind == "self":
        m, n, k = rows.size, rows.size, 5

        def ours():
            return kneighbors(Xm, k)

        def ref():
            return NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(Xm).kneighbors(Xm)
    else:
        m, n, k = rows.size, X.shape[0], 10

        def ours():
            return kneighbors(X, k, query_rows=rows)

        def ref():
            return NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(X).kneighbors(Xm)
    load_before = os.getloadavg()
    ours()
    t_ours, t_ref = [], []
    for _ in range(3 if kind == "self" else 1):
        t = time.perf_counter()
        ours()
        t_ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        ref()
        t_ref.append(time.perf_counter() - t)
    flops = 2.0 * m * n * X.shape[1]
    s = C.median(t_ours)
    return {"ours_s": s, "ref_s": C.median(t_ref), "gflops": flops / s / 1e9, "peak_gflops": peak,
            "fraction": flops / s / 1e9 / peak, "load_before": load_before, "load_after": os.getloadavg()}


# --------------------------------------------------------------------------- report

def _s(v):
    return "-" if v is None else f"{v:.3f}" if v < 10 else f"{v:.1f}"


def _first_cell(f):
    if "first_s" in f:
        return _s(f["first_s"])
    if "timeout" in f:
        return f"> {f['timeout']} s (not finished)"
    if f.get("skipped"):
        return "not run"
    return "error: " + f.get("error", "?")[:60]


def _ratio(ref, ours):
    if ref is None or ours is None or not ours:
        return "-"
    return f"{ref / ours:.2f}x"


def render(meta, rows, searches):
    lines = ["# Issue 14: speed against imbalanced-learn, first and warm calls", "",
             f"- date: {meta['date']}", f"- machine: {meta['machine']}", f"- versions: {meta['versions']}",
             f"- smotekit source snapshot sha1 {meta['src_hash']}", f"- command: `{meta['command']}`",
             f"- float32 matrix-product peak (4096^3, all cores): {meta['peak_gflops']:.0f} GFLOPS",
             f"- status: {meta['status']}", "",
             "First call: a fresh process per library, import timed apart. Warm: both libraries in one process, "
             "rounds in rotating order, medians. speed-up = imbalanced-learn s / smotekit s. Load = 1-minute "
             "load average before -> after the case (what `uptime` prints). See the docstring of "
             "benchmarks/bench_speed.py.", "",
             "| case | first s ours | first s imblearn | first speed-up | warm s ours | warm s imblearn "
             "| warm speed-up | import s ours / imblearn | rounds | load | notes |",
             "|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|"]
    for r in rows:
        fo, fr = r["first"]["smotekit"], r["first"]["imblearn"]
        wo, wr = r["warm"].get("smotekit", []), r["warm"].get("imblearn", [])
        mo, mr = (C.median(wo) if wo else None), (C.median(wr) if wr else None)
        notes = []
        if "counts" in fo and "counts" in fr and fo["counts"] != fr["counts"]:
            notes.append(f"class counts differ: ours {fo['counts']}, imblearn {fr['counts']}")
        elif "counts" in fo:
            notes.append(f"counts {fo['counts']}")
        if "first_loaded" in r:
            notes.append(f"first call with {meta['burn']} spinning processes: {_first_cell(r['first_loaded'])} s")
        ratio_first = _ratio(fr.get("first_s"), fo.get("first_s"))
        if "timeout" in fr and "first_s" in fo:
            ratio_first = f"> {fr['timeout'] / fo['first_s']:.1f}x"
        lines.append(
            f"| {r['case']} | {_first_cell(fo)} | {_first_cell(fr)} | {ratio_first} | {_s(mo)} | {_s(mr)} "
            f"| {_ratio(mr, mo)} | {_s(fo.get('import_s'))} / {_s(fr.get('import_s'))} | {len(wo)} "
            f"| {r['load_before'][0]:.2f} -> {r['load_after'][0]:.2f} | {'; '.join(notes)} |")
    if searches:
        lines += ["", "## The exact searches alone", "",
                  "Warm calls (median of 3 for the self-search, 1 for the other), against scikit-learn's "
                  "brute force (float64) in the same process. Fraction of peak = 2 * queries * rows * "
                  "features / seconds / the float32 peak above (the rate of an equivalent dense product).", "",
                  "| search | smotekit s | scikit-learn brute s | speed-up | GFLOPS equivalent | fraction of "
                  "peak | load |", "|---|---:|---:|---:|---:|---:|---|"]
        for name, s in searches.items():
            lines.append(f"| {name} | {_s(s['ours_s'])} | {_s(s['ref_s'])} | {_ratio(s['ref_s'], s['ours_s'])} "
                         f"| {s['gflops']:.0f} | {s['fraction']:.0%} | {s['load_before'][0]:.2f} -> "
                         f"{s['load_after'][0]:.2f} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", default=[], help="run cases whose name contains this")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--no-search", action="store_true", help="skip the search-alone measurements")
    ap.add_argument("--burn", type=int, default=2, help="spinning processes for the loaded SVMSMOTE run")
    ap.add_argument("--timeout", type=int, default=900, help="smotekit's first-call timeout, seconds")
    ap.add_argument("--append", action="store_true",
                    help="keep the rows of results/speed.json, replacing those of the cases run again")
    ap.add_argument("--first-worker", nargs=2, metavar=("LIB", "CASE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.first_worker:
        first_worker(*args.first_worker)
        return
    cases = [c for c in CASES if not args.only or any(o in c[0] for o in args.only)]
    if args.list:
        print("\n".join(c[0] for c in CASES))
        return
    _, src_hash = C.snapshot_smotekit()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(), "src_hash": src_hash,
            "command": C.command_line(), "burn": args.burn, "status": "running"}
    meta["peak_gflops"] = gemm_peak()
    rows, searches = [], {}
    if args.append and OUT_JSON.exists():
        # A run of a few cases completes an earlier one: its header (peak, date) is kept, and
        # each case's row says its own load.
        earlier = json.loads(OUT_JSON.read_text())
        meta = {**earlier["meta"], "command": earlier["meta"]["command"] + " + `" + meta["command"] + "`",
                "src_hash": earlier["meta"]["src_hash"] + " + " + meta["src_hash"]}
        searches = earlier["searches"]
        again = {c[0] for c in cases}
        rows = [r for r in earlier["rows"] if r["case"] not in again]

    def write():
        C.atomic_write(OUT_MD, render(meta, rows, searches))
        C.atomic_write(OUT_JSON, json.dumps({"meta": meta, "rows": rows, "searches": searches}, indent=1))

    started = time.perf_counter()
    if not args.no_search and not args.only:
        for name, kind in SEARCHES:
            searches[name] = measure_search(kind, meta["peak_gflops"])
            print(name, searches[name], flush=True)
            write()
    for case in cases:
        rows.append(measure_case(case, args))
        print(json.dumps(rows[-1]), flush=True)
        write()
    meta["status"] = f"complete; wall time {(time.perf_counter() - started) / 60:.1f} min"
    meta["machine"]["loadavg_end"] = os.getloadavg()
    write()


if __name__ == "__main__":
    main()
