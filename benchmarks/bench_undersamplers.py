"""NearMiss 1/2/3, CondensedNearestNeighbour, InstanceHardnessThreshold and
ClusterCentroids: smotekit vs imbalanced-learn, side by side.

Usage::

    .venv/bin/python benchmarks/bench_undersamplers.py                  # every case
    .venv/bin/python benchmarks/bench_undersamplers.py --only NearMiss --only "1M"
    .venv/bin/python benchmarks/bench_undersamplers.py --ref-timeout 120

Writes benchmarks/results/undersamplers.md (after every case).

Data: ``_common.make_data`` (make_classification, 1 % minority, float64) at
100k x 20 and 1M x 20. Samplers run with their default parameters and
random_state=0 where they have one; "ClusterCentroids-MB" passes
``estimator=MiniBatchKMeans(n_init=1, random_state=0)`` to both libraries
(the default KMeans with one cluster per kept sample is impractical at 1M
rows in both).

Timing: smotekit runs in this process after a warm-up on a small slice;
imbalanced-learn runs in a fresh subprocess per round (after the same
warm-up), with a timeout of ``--ref-timeout`` seconds, so that a reference
that cannot finish (CNN refits its classifier after every addition; NearMiss-2
materialises every majority-to-minority distance) is reported as such. Rounds
alternate the two libraries: 3 when the slower first run is under 30 s, else 1.
Reported: medians and speed-up = median(imblearn) / median(smotekit); the
check column compares the class counts of the two outputs (and, for NearMiss,
the selected rows).
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import _common as C

SAMPLERS = ("NearMiss-1", "NearMiss-2", "NearMiss-3", "CondensedNearestNeighbour",
            "InstanceHardnessThreshold", "ClusterCentroids", "ClusterCentroids-MB")
CASES = [f"{s} 100k x 20" for s in SAMPLERS] + [
    f"{s} 1M x 20" for s in ("NearMiss-1", "NearMiss-2", "NearMiss-3", "ClusterCentroids-MB",
                             "CondensedNearestNeighbour")]


def parse(name):
    sampler, n, _, d = name.split()
    return sampler, int(n[:-1]) * (1_000_000 if n.endswith("M") else 1000), int(d)


def make_sampler(lib, sampler):
    if lib == "smotekit":
        from smotekit.under_sampling import _condensed, _hardness, _nearmiss, _prototype
        mods = {"NearMiss": _nearmiss, "CondensedNearestNeighbour": _condensed,
                "InstanceHardnessThreshold": _hardness, "ClusterCentroids": _prototype}
        mod = mods[sampler.split("-")[0]]
    else:
        import imblearn.under_sampling as mod
    if sampler.startswith("NearMiss"):
        return mod.NearMiss(version=int(sampler[-1]))
    if sampler == "ClusterCentroids-MB":
        from sklearn.cluster import MiniBatchKMeans

        return mod.ClusterCentroids(estimator=MiniBatchKMeans(n_init=1, random_state=0),
                                    random_state=0)
    return getattr(mod, sampler)(random_state=0)


def run_once(lib, sampler, X, y):
    s = make_sampler(lib, sampler)
    Xr, yr = s.fit_resample(X, y)
    idx = getattr(s, "sample_indices_", None)
    return np.bincount(np.asarray(yr)), (np.sort(idx) if idx is not None else np.empty(0))


def ref_worker(name, out_path):
    """One imbalanced-learn run after a warm-up; time, counts and rows to ``out_path``."""
    import warnings

    warnings.simplefilter("ignore")
    sampler, n, d = parse(name)
    X, y = C.make_data(n, d)
    run_once("imblearn", sampler, *C.small_like(X, y))
    gc.collect()
    t0 = time.perf_counter()
    counts, idx = run_once("imblearn", sampler, X, y)
    np.savez(out_path, time=time.perf_counter() - t0, counts=counts, idx=idx)


def run_ref(name, timeout):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ref.npz"
        cmd = [sys.executable, __file__, "--ref-worker", name, "--out-file", str(out)]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"> {timeout:.0f} s (did not finish)"
        if res.returncode != 0 or not out.exists():
            last = (res.stderr.strip().splitlines() or [f"rc={res.returncode}"])[-1]
            return None, f"failed: {last[:120]}"
        data = np.load(out)
        return (float(data["time"]), data["counts"], data["idx"]), None


def time_case(name, timeout, with_ref=True):
    import warnings

    warnings.simplefilter("ignore")
    sampler, n, d = parse(name)
    X, y = C.make_data(n, d)
    run_once("smotekit", sampler, *C.small_like(X, y))
    ours, refs, notes = [], [], []
    out_ours = out_ref = None
    rounds, r = 1, 0
    while r < rounds:
        gc.collect()
        t0 = time.perf_counter()
        out_ours = run_once("smotekit", sampler, X, y)
        ours.append(time.perf_counter() - t0)
        if with_ref and (r == 0 or refs):
            res, err = run_ref(name, timeout)
            if res is None:
                notes.append(f"imblearn {err}")
            else:
                refs.append(res[0])
                out_ref = res[1:]
        if r == 0 and max(ours + refs) < 30:
            rounds = 3
        r += 1
    check = "-"
    if out_ref is not None:
        same_counts = np.array_equal(out_ours[0], out_ref[0])
        check = "same class counts" if same_counts else \
            f"counts ours {out_ours[0].tolist()} vs imblearn {out_ref[0].tolist()}"
        if sampler.startswith("NearMiss"):
            check += ", same rows" if np.array_equal(out_ours[1], out_ref[1]) else ", ROWS DIFFER"
    else:
        check = f"ours {out_ours[0].tolist()}"
    return {"case": name, "ours_s": C.median(ours), "ref_s": C.median(refs) if refs else None,
            "rounds": len(ours), "check": check, "notes": notes}


def _fmt(x):
    return "-" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def write(rows, meta, path):
    md = [
        "# Under-samplers: smotekit vs imbalanced-learn",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), "
        f"{meta['machine']['mem_gib']} GiB RAM; load average at start "
        f"{', '.join(f'{x:.2f}' for x in meta['machine']['loadavg'])} (shared machine)",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- command: `{meta['command']}`",
        "",
        "speed-up = imblearn median / smotekit median. See the docstring of "
        "benchmarks/bench_undersamplers.py for the protocol.",
        "",
        "| case | smotekit s | imblearn s | speed-up | rounds | check | notes |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        sp = f"{row['ref_s'] / row['ours_s']:.1f}x" if row["ref_s"] else "-"
        md.append(f"| {row['case']} | {_fmt(row['ours_s'])} | {_fmt(row['ref_s'])} | {sp} | "
                  f"{row['rounds']} | {row['check']} | {'; '.join(row['notes'])} |")
    md.append("")
    C.atomic_write(path, "\n".join(md))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", action="append", default=[], help="case-name substrings (all must match)")
    p.add_argument("--ref-timeout", type=float, default=240.0)
    p.add_argument("--no-ref", action="store_true", help="time smotekit only")
    p.add_argument("--out", default=str(C.RESULTS / "undersamplers.md"))
    p.add_argument("--ref-worker", help=argparse.SUPPRESS)
    p.add_argument("--out-file", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.ref_worker:
        return ref_worker(a.ref_worker, a.out_file)
    sys.path.insert(0, str(C.HERE.parent / "src"))
    cases = [c for c in CASES if all(s.lower() in c.lower() for s in a.only)]
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(),
            "command": C.command_line()}
    rows = []
    for name in cases:
        row = time_case(name, a.ref_timeout, with_ref=not a.no_ref)
        rows.append(row)
        print(json.dumps(row), flush=True)
        write(rows, meta, Path(a.out))


if __name__ == "__main__":
    main()
