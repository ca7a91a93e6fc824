"""Cleaning samplers and hybrids: smotekit vs imbalanced-learn 0.14.2, side by side.

Usage::

    .venv/bin/python benchmarks/bench_cleaning.py            # 100k x 20 pairs, then 1M x 20 runs
    .venv/bin/python benchmarks/bench_cleaning.py --only Tomek --timeout 300

Data: benchmarks/_common.make_data (make_classification, 1 % minority, 10
informative features, the rest noise). Each (library, case) runs once in a
fresh subprocess with a wall-clock timeout (reported "did not finish"); the
two contenders of a case run back to back so machine load hits both alike.
Deterministic cleaners are checked to select the same rows as imbalanced-learn;
hybrids (different SMOTE draws) are compared by output size. The approximate
runs report the recall of their neighbour lists against the exact search on
2,000 sampled rows. Writes benchmarks/results/cleaning.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import _common as C

CASES = [
    ("TomekLinks", 100_000), ("EditedNearestNeighbours", 100_000),
    ("SMOTETomek", 100_000), ("SMOTEENN", 100_000),
    ("TomekLinks", 1_000_000), ("EditedNearestNeighbours", 1_000_000),
    ("SMOTEENN approx", 1_000_000),
    ("SMOTETomek", 1_000_000), ("SMOTEENN", 1_000_000),
    ("RepeatedEditedNearestNeighbours", 100_000), ("AllKNN", 100_000),
    ("NeighbourhoodCleaningRule", 100_000), ("OneSidedSelection", 100_000),
]
HYBRIDS = ("SMOTEENN", "SMOTETomek")
# The approximate backend of the SMOTEENN cleaning step: faiss IVF lists
# (4 sqrt(n) of them), 64 searched per query. HNSW (M=16, efSearch=48) did not
# finish building its graph on the 2M over-sampled rows in 2 minutes.
APPROX = dict(method="ivf", n_probe=64)


def _child(name, n, lib):
    """Run one case in this (fresh) process; print a JSON line."""
    import numpy as np

    if lib == "smotekit":
        C.use_snapshot()
    X, y = C.make_data(n, 20)
    base = name.split()[0]
    if lib == "imblearn":
        import imblearn.combine as ic
        import imblearn.under_sampling as iu

        cls = getattr(iu, base, None) or getattr(ic, base)
    else:
        import smotekit.combine as sc
        import smotekit.under_sampling._cleaning as su

        cls = getattr(su, base, None) or getattr(sc, base)
    kw = {"random_state": 0} if base in HYBRIDS or base == "OneSidedSelection" else {}
    if name.endswith("approx"):
        from smotekit.neighbors._approx import ApproximateNeighbors
        from smotekit.under_sampling._cleaning import EditedNearestNeighbours

        approx = ApproximateNeighbors(n_neighbors=4, **APPROX)
        kw["enn"] = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=approx)
    sampler = cls(**kw)
    t0 = time.perf_counter()
    X_res, y_res = sampler.fit_resample(X, y)
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "n_out": int(len(y_res)), "counts": np.bincount(np.asarray(y_res)).tolist()}
    if hasattr(sampler, "sample_indices_") and base not in HYBRIDS:
        indices = np.asarray(sampler.sample_indices_, np.int64)
        out["indices_sha"] = __import__("hashlib").sha1(indices.tobytes()).hexdigest()
    if name.endswith("approx") and base == "SMOTEENN":
        from smotekit.neighbors import kneighbors

        # Recall on the over-sampled set the cleaner saw, rebuilt from SMOTE's provenance.
        prov = sampler.smote_.provenance_
        gap = np.nan_to_num(prov.gap)[:, None]
        partner = np.where(prov.partner < 0, prov.source, prov.partner)
        Xo = X[prov.source] + gap * (X[partner] - X[prov.source])
        rng = np.random.default_rng(0)
        rows = np.sort(rng.choice(Xo.shape[0], 2000, replace=False))
        exact = kneighbors(Xo, 3, query_rows=rows)
        approx.fit(Xo)
        got = approx.kneighbors(Xo[rows], return_distance=False)
        hits = [len(set(e) & (set(g) - {r})) for e, g, r in zip(exact, got, rows)]
        out["recall"] = float(np.sum(hits) / exact.size)
    print(json.dumps(out))


def run_case(name, n, lib, timeout):
    cmd = [sys.executable, __file__, "--child", name, str(n), lib]
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"dnf": True, "seconds": time.perf_counter() - t0}
    if res.returncode != 0:
        return {"error": res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "failed"}
    return json.loads(res.stdout.strip().splitlines()[-1])


def fmt(r):
    if r is None:
        return "not run"
    if r.get("dnf"):
        return f"did not finish (> {r['seconds']:.0f} s)"
    if "error" in r:
        return "error: " + r["error"][:60]
    return f"{r['seconds']:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=3)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--ref-timeout-1m", type=float, default=300.0)
    ap.add_argument("--skip-ref-1m", action="store_true")
    # The approximate run's target is 2 minutes; past 3 it has missed it.
    ap.add_argument("--approx-timeout", type=float, default=180.0)
    args = ap.parse_args()
    if args.child:
        name, n, lib = args.child
        return _child(name, int(n), lib)
    _, snap = C.snapshot_smotekit()
    header = ["# Cleaning samplers and hybrids: smotekit vs imbalanced-learn", "",
              f"- date: {C.now()}", f"- machine: {C.machine_info()}", f"- versions: {C.versions()}",
              f"- smotekit source snapshot sha1 {snap}", f"- command: `{C.command_line()}`", "",
              "One run per (library, case), each in a fresh process, contenders back to back. "
              "speed-up = imblearn s / smotekit s. 'same rows' compares sample_indices_; hybrids "
              "(different SMOTE draws) compare output sizes.", "",
              "| case | smotekit s | imblearn s | speed-up | same rows | notes |", "|---|---:|---:|---:|---|---|"]
    rows = []
    for name, n in CASES:
        label = f"{name} {n // 1000}k x 20" if n < 10**6 else f"{name} 1M x 20"
        if args.only and not any(o in label for o in args.only):
            continue
        limit = args.approx_timeout if name.endswith("approx") else args.timeout
        ours = run_case(name, n, "smotekit", limit)
        ref = None
        if not name.endswith("approx"):
            if n < 10**6:
                ref = run_case(name, n, "imblearn", args.timeout)
            elif not args.skip_ref_1m and name == "TomekLinks":
                ref = run_case(name, n, "imblearn", args.ref_timeout_1m)
        speed = same = ""
        if ref and "seconds" in ref and not ref.get("dnf") and "seconds" in ours and not ours.get("dnf"):
            speed = f"{ref['seconds'] / ours['seconds']:.1f}x"
        elif ref and ref.get("dnf") and "seconds" in ours and not ours.get("dnf"):
            speed = f"> {ref['seconds'] / ours['seconds']:.1f}x"
        if ref and "indices_sha" in ref and "indices_sha" in ours:
            same = "yes" if ref["indices_sha"] == ours["indices_sha"] else "NO"
        elif ref and "n_out" in ref and "n_out" in ours:
            same = f"sizes {ours['n_out']} vs {ref['n_out']}"
        notes = []
        if "counts" in ours:
            notes.append(f"ours counts {ours['counts']}")
        if "recall" in ours:
            notes.append(f"recall@3 {ours['recall']:.4f} vs exact search, 2,000 rows ({APPROX})")
        rows.append(f"| {label} | {fmt(ours)} | {fmt(ref)} | {speed} | {same} | {'; '.join(notes)} |")
        C.atomic_write(C.RESULTS / "cleaning.md", "\n".join(header + rows) + "\n")
        print(rows[-1], flush=True)


if __name__ == "__main__":
    main()
