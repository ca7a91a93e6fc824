"""smotekit vs imbalanced-learn / scikit-learn: time and peak memory, side by side.

Usage::

    .venv/bin/python benchmarks/run.py            # full suite (14-25 min on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # 100k-row cases only, fewer repeats (~2 min)
    .venv/bin/python benchmarks/run.py --only SMOTE --only "knn self"   # case-name substrings
    .venv/bin/python benchmarks/run.py --list     # print the case names

Writes benchmarks/results/latest.md and latest.json (after every case, so an
interrupted run keeps what it measured).

Data
    ``sklearn.datasets.make_classification(n_samples=N, n_features=D,
    n_informative=min(D, 2 if D == 2 else 10), n_redundant=0, n_repeated=0,
    n_clusters_per_class=2, weights=[0.99], flip_y=0, random_state=0)``,
    float64: a binary problem with a 1 % minority (exactly N/100 rows), whose
    remaining D - n_informative features are independent noise (no redundant
    or repeated columns, which would only make the data lower-dimensional than
    D says). Cached in benchmarks/.cache/.

Cases
    samplers   SMOTE, RandomOverSampler, RandomUnderSampler, all with
               random_state=0 and otherwise default parameters (so imblearn's
               SMOTE uses its default single-job NearestNeighbors), at
               N in {100k, 1M} x D in {2, 20, 100}; reference imblearn.
    knn self   all 100k rows against themselves, k=5 excluding self:
               ``smotekit.neighbors.kneighbors(X, 5)`` vs
               ``NearestNeighbors(n_neighbors=6, n_jobs=-1).fit(X).kneighbors(X)``
               with scikit-learn's default algorithm ('auto'); when 'auto'
               does not resolve to 'brute' (D=2), algorithm='brute' is timed
               as a third contender in the same interleaved loop (otherwise
               it is the same computation as the 'auto' row).
    knn query  15k held-out rows against 1M x 20 (make_classification with
               N=1,015,000, split 1M / 15k; rows are shuffled by the generator):
               ``kneighbors(X, 5, query=Q)`` vs ``NearestNeighbors(n_neighbors=5)``.
    knn minority  the 10k minority rows of the 1M x D data set against
               themselves (what SMOTE does on that data set), D in {2, 20, 100}.

    ``--quick`` keeps the 100k-row sampler cases, the 100k self-searches at
    D in {2, 20} (without the brute contender and the memory probe) and the
    minority cases; it drops every 1M-row case, the 100k x 100 self-search
    (~1.5 min a round) and the query case.

Timing
    Each contender is first run once on a small slice (imports, thread pools,
    lazy initialisation). Then, in every round, each contender runs once, the
    order rotating from round to round, so machine noise hits all of them
    alike. Rounds: 3 when the slowest contender's first run takes over 1 s,
    5 under 1 s, 9 under 0.1 s (``--quick``: 1, 3, 5); a single round if the reference's first
    run exceeds 120 s (marked in the notes). Reported: medians, and the
    speed-up = median(reference) / median(smotekit). Only ratios from one run
    mean anything on a shared machine. Process CPU seconds are kept in the
    JSON too (``cpu_s_*``): total work, less sensitive to other load.

Peak memory
    Each (library, case) once, in a fresh subprocess: load the data, warm up
    on the small slice, ``malloc_trim(0)`` (so memory the warm-up freed is not
    silently reused), reset the peak-RSS counter (``/proc/self/clear_refs``),
    read VmRSS, run once keeping the result alive, read VmHWM. Reported:
    VmHWM - VmRSS in MiB, i.e. the extra memory the operation needed
    including its output. ``--quick`` skips it for the 100k self-searches.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import _common as C

SLOW_REF_S = 120.0  # a reference slower than this on its first run gets a single round


# --------------------------------------------------------------------------- contenders

def _smotekit_sampler(name):
    def run(X, y):
        import smotekit

        return getattr(smotekit, name)(random_state=0).fit_resample(X, y)
    return run


def _imblearn_sampler(name):
    def run(X, y):
        import imblearn.over_sampling as ovs
        import imblearn.under_sampling as uns

        cls = getattr(ovs, name, None) or getattr(uns, name)
        return cls(random_state=0).fit_resample(X, y)
    return run


def _ours_knn(X, Q=None):
    from smotekit.neighbors import kneighbors

    return kneighbors(X, 5) if Q is None else kneighbors(X, 5, query=Q)


def _sklearn_knn(algorithm):
    def run(X, Q=None):
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=6 if Q is None else 5, algorithm=algorithm, n_jobs=-1)
        return nn.fit(X).kneighbors(X if Q is None else Q)
    return run


def _sampler_summary(out):
    Xr, yr = out
    return (tuple(Xr.shape), tuple(np.bincount(np.asarray(yr)).tolist()))


def _ours_knn_summary(out):
    return out


def _ref_knn_summary(self_search):
    def summ(out):
        idx = out[1]
        return idx[:, 1:] if self_search else idx
    return summ


# --------------------------------------------------------------------------- cases

@dataclass
class Case:
    name: str
    group: str
    load: Callable[[], tuple]  # -> args of the contenders
    ours: Callable
    refs: dict  # label -> callable; the first is the main reference
    summary_ours: Callable
    summary_ref: Callable
    data_key: tuple
    big: bool = False  # a 100k-row self-search: no memory probe under --quick
    notes: list = field(default_factory=list)


def _fmt_n(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _load_xy(n, d):
    return lambda: C.make_data(n, d)


def _load_self(n, d):
    return lambda: (C.make_data(n, d)[0],)


def _load_minority(n, d):
    def load():
        X, y = C.make_data(n, d)
        return (np.ascontiguousarray(X[y == 1]),)
    return load


def _load_query(n, q, d):
    def load():
        X, _ = C.make_data(n + q, d)
        return np.ascontiguousarray(X[:n]), np.ascontiguousarray(X[n:])
    return load


def build_cases(quick: bool):
    cases = []
    sizes = (100_000,) if quick else (100_000, 1_000_000)
    for n in sizes:
        for d in (2, 20, 100):
            for s in ("SMOTE", "RandomOverSampler", "RandomUnderSampler"):
                cases.append(Case(
                    f"{s} {_fmt_n(n)} x {d}", "sampler", _load_xy(n, d),
                    _smotekit_sampler(s), {"imblearn": _imblearn_sampler(s)},
                    _sampler_summary, _sampler_summary, ("xy", n, d)))
    knn_ref = lambda selfs: {"sklearn auto": _sklearn_knn("auto"),  # noqa: E731
                             "sklearn brute": _sklearn_knn("brute")}
    for d in ((2, 20) if quick else (2, 20, 100)):
        cases.append(Case(f"knn self 100k x {d}", "knn", _load_self(100_000, d), _ours_knn,
                          knn_ref(True), _ours_knn_summary, _ref_knn_summary(True),
                          ("self", 100_000, d), big=True))
    if not quick:
        cases.append(Case("knn query 15k -> 1M x 20", "knn", _load_query(1_000_000, 15_000, 20),
                          _ours_knn, {"sklearn auto": _sklearn_knn("auto")},
                          _ours_knn_summary, _ref_knn_summary(False), ("q", 1_000_000, 20)))
    for d in (2, 20, 100):
        cases.append(Case(f"knn minority 10k x {d}", "knn", _load_minority(1_000_000, d),
                          _ours_knn, knn_ref(True), _ours_knn_summary, _ref_knn_summary(True),
                          ("minority", 1_000_000, d)))
    return cases


def _warm_args(case, args):
    """Small arguments of the same kind as ``args`` for a warm-up run."""
    if case.group == "sampler":
        return C.small_like(*args)
    X = args[0]
    rng = np.random.default_rng(0)
    Xs = np.ascontiguousarray(X[np.sort(rng.choice(X.shape[0], 3000, replace=False))])
    return (Xs,) if len(args) == 1 else (Xs, np.ascontiguousarray(args[1][:300]))


def _resolve_refs(case, args, quick):
    """Drop 'sklearn brute' where 'auto' already is brute (or under --quick); add notes."""
    if case.group != "knn":
        return
    from sklearn.neighbors import NearestNeighbors

    X = args[0]
    small = _warm_args(case, args)[0]
    method = NearestNeighbors(n_neighbors=6).fit(small)._fit_method
    case.notes.append(f"sklearn auto={method}")
    try:  # private helper, whose signature changes; informative only
        from smotekit.neighbors._search import _choose

        n_queries = (args[1] if len(args) > 1 else X).shape[0]
        try:
            chosen = _choose(X, "auto", n_queries)
        except TypeError:
            chosen = _choose(X, "auto")
        case.notes.append(f"smotekit auto={chosen}")
    except Exception:
        pass
    if "sklearn brute" in case.refs and (method == "brute" or quick):
        del case.refs["sklearn brute"]


# --------------------------------------------------------------------------- memory

def mem_worker(name: str, label: str):
    case = {c.name: c for c in build_cases(quick=False) + build_cases(quick=True)}[name]
    fn = case.ours if label == "smotekit" else case.refs[label]
    args = case.load()
    warm = _warm_args(case, args)
    out = fn(*warm)
    del out, warm
    gc.collect()
    C.malloc_trim()
    reset_ok = C.reset_peak_rss()
    base = C.proc_status_kb("VmRSS", "VmHWM")
    out = fn(*args)
    after = C.proc_status_kb("VmRSS", "VmHWM")
    peak_kb = after["VmHWM"] - base["VmRSS"]
    print(json.dumps({"peak_mb": peak_kb / 1024, "base_mb": base["VmRSS"] / 1024,
                      "hwm_reset": reset_ok, "hwm_before_mb": base["VmHWM"] / 1024}))
    del out


def measure_memory(case, label, timeout=3600):
    cmd = [sys.executable, __file__, "--mem-worker", case.name, "--lib", label]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if res.returncode != 0:
        return None, res.stderr.strip().splitlines()[-1] if res.stderr.strip() else f"rc={res.returncode}"
    data = json.loads(res.stdout.strip().splitlines()[-1])
    return data["peak_mb"], None if data["hwm_reset"] else "VmHWM not resettable"


# --------------------------------------------------------------------------- timing

def time_case(case, args, quick):
    contenders = [("smotekit", case.ours)] + list(case.refs.items())
    warm = _warm_args(case, args)
    for _, fn in contenders:
        out = fn(*warm)
        del out
    del warm
    times = {label: [] for label, _ in contenders}
    cpu = {label: [] for label, _ in contenders}
    summaries = {}
    rounds, r = None, 0
    while rounds is None or r < rounds:
        order = contenders[r % len(contenders):] + contenders[: r % len(contenders)]
        for label, fn in order:
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            out = fn(*args)
            times[label].append(time.perf_counter() - t0)
            cpu[label].append(time.process_time() - c0)
            if r == 0:
                summaries[label] = (case.summary_ours if label == "smotekit" else case.summary_ref)(out)
            del out
        if rounds is None:
            slowest = max(t[0] for t in times.values())
            if quick:
                rounds = 1 if slowest > 1.0 else 3 if slowest > 0.1 else 5
            else:
                rounds = 3 if slowest > 1.0 else 5 if slowest > 0.1 else 9
            main_ref = next(iter(case.refs))
            if times[main_ref][0] > SLOW_REF_S:
                rounds = 1
                case.notes.append(f"1 round only ({main_ref} took {times[main_ref][0]:.0f} s)")
        r += 1
    return times, cpu, summaries


def check(case, summaries, label):
    a, b = summaries["smotekit"], summaries[label]
    if case.group == "sampler":
        return "same output shape and class counts" if a == b else f"MISMATCH ours {a} vs ref {b}"
    same = float(np.mean(np.asarray(a) == np.asarray(b)))
    return f"{100 * same:.2f}% same neighbour ids"


# --------------------------------------------------------------------------- output

COLS = ("case", "reference", "smotekit median s", "reference median s", "speed-up",
        "peak MB ours", "peak MB ref", "mem ours/ref", "notes")


def _f(x, nd=3):
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "-"
    if nd == "x":
        return f"{x:.2f}x"
    return f"{x:.{nd}f}" if abs(x) < 100 else f"{x:.1f}"


def row_cells(row):
    return [row["case"], row["reference"], _f(row["median_ours"]), _f(row["median_ref"]),
            _f(row["speedup"], "x"), _f(row["peak_mb_ours"], 1), _f(row["peak_mb_ref"], 1),
            _f(row["mem_ratio"], 2), "; ".join(row["notes"])]


def print_row(row, header=False):
    widths = (26, 13, 9, 9, 9, 9, 9, 8)
    if header:
        short = ("case", "reference", "ours s", "ref s", "speed-up", "MB ours", "MB ref", "mem o/r")
        print("  ".join(c.ljust(w) for c, w in zip(short, widths)) + "  notes", flush=True)
    cells = row_cells(row)
    print("  ".join(c.ljust(w) for c, w in zip(cells, widths)) + "  " + cells[-1], flush=True)


def write_results(meta, rows, outdir):
    md = [
        "# smotekit benchmarks",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), "
        f"{meta['machine']['mem_gib']} GiB RAM, {meta['machine']['platform']}; "
        f"load average (1, 5, 15 min) at start {', '.join(f'{x:.2f}' for x in meta['machine']['loadavg'])}"
        + (f", at end {', '.join(f'{x:.2f}' for x in meta['machine']['loadavg_end'])}"
           if "loadavg_end" in meta["machine"] else ""),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- command: `{meta['command']}`",
        f"- status: {meta['status']}; wall time {meta['wall_s'] / 60:.1f} min",
        "",
        "speed-up = reference median / smotekit median (> 1: smotekit faster). Peak MB = "
        "VmHWM - VmRSS around one run in a fresh process (extra memory incl. output). "
        "mem ours/ref < 1: smotekit needs less. See benchmarks/README.md.",
        "",
        "| " + " | ".join(COLS) + " |",
        "|" + "|".join(["---"] * 2 + ["---:"] * 6 + ["---"]) + "|",
    ]
    for row in rows:
        md.append("| " + " | ".join(row_cells(row)) + " |")
    md.append("")
    C.atomic_write(outdir / "latest.md", "\n".join(md))
    C.atomic_write(outdir / "latest.json", json.dumps({"meta": meta, "rows": rows}, indent=1))


# --------------------------------------------------------------------------- main

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="100k-row cases only, fewer rounds")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run the case named NAME, or else those whose name contains NAME "
                        "(case-insensitive; repeatable)")
    p.add_argument("--no-mem", action="store_true", help="skip the peak-memory subprocesses")
    p.add_argument("--list", action="store_true", help="list the case names and exit")
    p.add_argument("--out", default=str(C.RESULTS), help="results directory (default: %(default)s)")
    p.add_argument("--mem-worker", help=argparse.SUPPRESS)
    p.add_argument("--lib", help=argparse.SUPPRESS)
    p.add_argument("--no-snapshot", action="store_true",
                   help="import smotekit from src/ directly instead of a copy taken at start")
    a = p.parse_args(argv)
    if a.mem_worker:
        C.use_snapshot()
        return mem_worker(a.mem_worker, a.lib)
    snapshot = None if a.no_snapshot else C.snapshot_smotekit()

    cases = build_cases(a.quick)
    if a.only:
        picked = set()
        for s in a.only:  # an exact name selects that case alone, else substrings
            exact = {c.name for c in cases if c.name.lower() == s.lower()}
            picked |= exact or {c.name for c in cases if s.lower() in c.name.lower()}
        cases = [c for c in cases if c.name in picked]
    if a.list or not cases:
        print("\n".join(c.name for c in cases) or "no case matches --only")
        return
    outdir = Path(a.out)
    t_start = time.perf_counter()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(),
            "command": C.command_line(), "quick": a.quick, "only": a.only,
            "status": "running", "wall_s": 0.0}
    import smotekit

    where = Path(smotekit.__file__).parent
    meta["versions"]["smotekit source"] = (
        "snapshot of src/ taken at start" if snapshot else str(where)) + f", sha1 {C.src_hash(where)}"
    print(f"{meta['date']}  {meta['machine']['nproc']} CPUs {meta['machine']['cpu']}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()))
    print(f"{len(cases)} cases; writing {outdir}/latest.md\n")
    rows = []
    first = True
    loaded_key, args = None, None
    for case in cases:
        t_load = 0.0
        if case.data_key != loaded_key:
            args = None
            gc.collect()
            t0 = time.perf_counter()
            args = case.load()
            t_load = time.perf_counter() - t0
            loaded_key = case.data_key
        print(f"-- {case.name}  (data {' / '.join('x'.join(map(str, x.shape)) for x in args)}, "
              f"loaded in {t_load:.1f} s)", flush=True)
        _resolve_refs(case, args, a.quick)
        times, cpu, summaries = time_case(case, args, a.quick)
        mem = {}
        if not a.no_mem and not (a.quick and case.big):
            for label in ["smotekit", *case.refs]:
                mem[label] = measure_memory(case, label)
        for label in case.refs:
            mo, mr = median(times["smotekit"]), median(times[label])
            po = mem.get("smotekit", (None, None))[0]
            pr = mem.get(label, (None, None))[0]
            notes = list(case.notes) + [check(case, summaries, label), f"{len(times[label])} rounds"]
            for lab in ("smotekit", label):
                err = mem.get(lab, (None, None))[1]
                if err:
                    notes.append(f"memory {lab}: {err}")
            row = {"case": case.name, "group": case.group, "reference": label,
                   "times_ours": times["smotekit"], "times_ref": times[label],
                   "cpu_s_ours": cpu["smotekit"], "cpu_s_ref": cpu[label],
                   "median_ours": mo, "median_ref": mr, "speedup": mr / mo,
                   "peak_mb_ours": po, "peak_mb_ref": pr,
                   "mem_ratio": (po / pr) if po is not None and pr else None,
                   "notes": notes}
            rows.append(row)
            print_row(row, header=first)
            first = False
        meta["wall_s"] = time.perf_counter() - t_start
        write_results(meta, rows, outdir)
    meta["wall_s"] = time.perf_counter() - t_start
    meta["status"] = "complete"
    meta["machine"]["loadavg_end"] = C.machine_info()["loadavg"]
    write_results(meta, rows, outdir)
    print(f"\ndone in {meta['wall_s'] / 60:.1f} min; wrote {outdir}/latest.md and latest.json")


def median(xs):
    return C.median(xs)


if __name__ == "__main__":
    sys.exit(main())
