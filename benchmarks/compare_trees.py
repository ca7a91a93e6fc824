"""smotekit against smotekit: two source trees, same cases, outputs compared.

Answers "did this change make anything slower, or change any result?" for a
restructuring or a speed change. Each case runs in a fresh process per tree and
per round, in alternating order (A B, then B A, ...), so that noise from a
shared machine hits both trees alike. Within a process the case is called
``--calls`` times, as users call us: the first call is reported on its own,
the later ones by their median. Every call's output (X and y) is hashed; the
two trees must produce identical bytes, else the row says so.

Usage::

    .venv/bin/python benchmarks/compare_trees.py --before e4a1ed6      # a commit vs src/
    .venv/bin/python benchmarks/compare_trees.py --before e4a1ed6 --only SMOTE --rounds 3
    .venv/bin/python benchmarks/compare_trees.py --list

``--before`` is a git revision (its ``src/`` is exported to a temporary
folder) or a path to a ``src`` folder; ``--after`` defaults to this checkout's
``src/``. Writes ``results/trees.md`` and ``results/trees.json`` (``--out``).
Data: ``_common.make_data`` (make_classification, 1 % minority, float64).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import HERE, RESULTS, make_data  # noqa: E402

# name -> (constructor source evaluated with smotekit's namespaces, rows, features, input kind)
CASES = {
    "SMOTE": ("over_sampling.SMOTE(random_state=0)", 100_000, 20, "numpy"),
    "SMOTE pandas": ("over_sampling.SMOTE(random_state=0)", 100_000, 20, "pandas"),
    "RandomOverSampler": ("over_sampling.RandomOverSampler(random_state=0)", 100_000, 20, "numpy"),
    "RandomUnderSampler": ("under_sampling.RandomUnderSampler(random_state=0)", 100_000, 20, "numpy"),
    "BorderlineSMOTE-1": ("over_sampling.BorderlineSMOTE(random_state=0)", 100_000, 20, "numpy"),
    "BorderlineSMOTE-2": ("over_sampling.BorderlineSMOTE(kind='borderline-2', random_state=0)",
                          100_000, 20, "numpy"),
    "SVMSMOTE": ("over_sampling.SVMSMOTE(random_state=0)", 20_000, 20, "numpy"),
    "ADASYN": ("over_sampling.ADASYN(random_state=0)", 100_000, 20, "numpy"),
    "KMeansSMOTE": ("over_sampling.KMeansSMOTE(random_state=0, cluster_balance_threshold=0.01)",
                    100_000, 20, "numpy"),
    "SMOTENC": ("over_sampling.SMOTENC(categorical_features=[0, 1], random_state=0)", 100_000, 20, "nominal"),
    "SMOTEN": ("over_sampling.SMOTEN(random_state=0)", 50_000, 5, "nominal-only"),
    "TomekLinks": ("under_sampling.TomekLinks()", 100_000, 20, "numpy"),
    "EditedNearestNeighbours": ("under_sampling.EditedNearestNeighbours()", 100_000, 20, "numpy"),
    "AllKNN": ("under_sampling.AllKNN()", 100_000, 20, "numpy"),
    "NearMiss-1": ("under_sampling.NearMiss(version=1)", 100_000, 20, "numpy"),
    "NearMiss-2": ("under_sampling.NearMiss(version=2)", 100_000, 20, "numpy"),
    "NearMiss-3": ("under_sampling.NearMiss(version=3)", 100_000, 20, "numpy"),
    "CondensedNearestNeighbour": ("under_sampling.CondensedNearestNeighbour(random_state=0)",
                                  20_000, 20, "numpy"),
    "OneSidedSelection": ("under_sampling.OneSidedSelection(random_state=0)", 100_000, 20, "numpy"),
    "NeighbourhoodCleaningRule": ("under_sampling.NeighbourhoodCleaningRule()", 100_000, 20, "numpy"),
    "ClusterCentroids": ("under_sampling.ClusterCentroids(random_state=0)", 20_000, 20, "numpy"),
    "SMOTEENN": ("combine.SMOTEENN(random_state=0)", 100_000, 20, "numpy"),
    "SMOTETomek": ("combine.SMOTETomek(random_state=0)", 100_000, 20, "numpy"),
}

_WORKER = r"""
import hashlib, json, sys, time
import numpy as np
name, src, calls, cache_x, cache_y, kind = sys.argv[1:7]
sys.path.insert(0, src)
import smotekit
from smotekit import combine, over_sampling, under_sampling
assert smotekit.__file__.startswith(src), (smotekit.__file__, src)
X, y = np.load(cache_x), np.load(cache_y)
if kind == "pandas":
    import pandas as pd
    X = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
elif kind.startswith("nominal"):
    import pandas as pd
    q = np.floor(np.abs(X[:, :2] if kind == "nominal" else X) * 3).astype(int) % 5
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    for j in range(q.shape[1]):
        frame[f"f{j}"] = pd.Categorical([f"c{v}" for v in q[:, j]])
    X = frame
constructor = json.loads(sys.argv[7])
times, digests = [], set()
for _ in range(int(calls)):
    sampler = eval(constructor)
    t0 = time.perf_counter()
    Xr, yr = sampler.fit_resample(X, y)
    times.append(time.perf_counter() - t0)
    h = hashlib.sha1()
    values = Xr.to_numpy() if hasattr(Xr, "to_numpy") else np.asarray(Xr)
    h.update(np.ascontiguousarray(values.astype(str) if values.dtype == object else values).tobytes())
    h.update(np.ascontiguousarray(np.asarray(yr)).tobytes())
    digests.add(h.hexdigest())
print(json.dumps({"times": times, "digests": sorted(digests), "rows": int(len(yr))}))
"""


def export(rev: str, into: Path) -> Path:
    """``rev``'s ``src/`` tree, exported with git archive into ``into``."""
    root = HERE.parent
    archive = subprocess.run(["git", "-C", str(root), "archive", rev, "src"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def run_case(name, src, calls, timeout):
    constructor, n, d, kind = CASES[name]
    make_data(n, d)  # cached: the worker loads the same files
    from _common import CACHE
    stem = sorted(CACHE.glob(f"mc_{n}x{d}_*.X.npy"))[-1]
    fy = stem.with_name(stem.name.replace(".X.npy", ".y.npy"))
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    proc = subprocess.run([sys.executable, "-c", _WORKER, name, str(src), str(calls), str(stem), str(fy), kind,
                           json.dumps(constructor)], capture_output=True, text=True, timeout=timeout, env=env)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def loadavg() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", help="git revision or path to a src/ folder")
    ap.add_argument("--after", default=str(HERE.parent / "src"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--calls", type=int, default=3, help="calls per process (the first reported apart)")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(CASES))
        return 0
    if not args.before:
        ap.error("--before is required")
    names = [n for n in CASES if not args.only or any(o in n for o in args.only)]
    with tempfile.TemporaryDirectory(prefix="smotekit-trees-") as tmp:
        before = Path(args.before)
        if not before.is_dir():
            before = export(args.before, Path(tmp))
        trees = {"before": before.resolve(), "after": Path(args.after).resolve()}
        started = loadavg()
        print(f"# {started}", flush=True)
        rows = []
        for name in names:
            seen = {"before": [], "after": []}
            for r in range(args.rounds):
                order = ("before", "after") if r % 2 == 0 else ("after", "before")
                for tree in order:
                    seen[tree].append(run_case(name, trees[tree], args.calls, args.timeout))
            rows.append(summarise(name, seen))
            print(format_row(rows[-1]), flush=True)
        ended = loadavg()
    write(rows, args, started, ended, Path(args.out))
    return 0


def summarise(name, seen):
    out = {"case": name}
    for tree, runs in seen.items():
        errors = [r["error"] for r in runs if "error" in r]
        if errors:
            out[tree] = {"error": errors[0]}
            continue
        out[tree] = {
            "first": statistics.median(r["times"][0] for r in runs),
            "later": statistics.median(t for r in runs for t in r["times"][1:]) if runs[0]["times"][1:] else None,
            "digests": sorted({d for r in runs for d in r["digests"]}),
            "rows": runs[0]["rows"],
        }
    b, a = out["before"], out["after"]
    if "error" in b or "error" in a:
        out["same"] = None
    else:
        out["same"] = b["digests"] == a["digests"] and len(a["digests"]) == 1
        out["first_ratio"] = b["first"] / a["first"]
        out["later_ratio"] = (b["later"] / a["later"]) if a["later"] else None
    return out


def _f(x, fmt="{:.3f}"):
    return "-" if x is None else fmt.format(x)


def format_row(row):
    b, a = row["before"], row["after"]
    if row["same"] is None:
        return f"| {row['case']} | error: {b.get('error') or a.get('error')} |"
    return (f"| {row['case']} | {a['rows']:,} "
            f"| {_f(b['first'])} | {_f(a['first'])} | {_f(row['first_ratio'], '{:.2f}x')} "
            f"| {_f(b['later'])} | {_f(a['later'])} | {_f(row['later_ratio'], '{:.2f}x')} "
            f"| {'yes' if row['same'] else 'NO'} |")


def write(rows, args, started, ended, out: Path):
    out.mkdir(parents=True, exist_ok=True)
    head = [
        "# smotekit before/after, same cases, alternating rounds",
        "",
        f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`  ",
        f"before: `{args.before}`, after: `{args.after}`; {args.rounds} rounds x {args.calls} calls per process.  ",
        f"Load at start: `{started}`  ",
        f"Load at end: `{ended}`",
        "",
        "ratio = before / after seconds (above 1: the after tree is faster); under ~1.3x is noise here.",
        "same = every call of both trees gave byte-identical X and y.",
        "",
        "| case | rows out | first before s | first after s | first ratio | later before s | later after s "
        "| later ratio | same |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    text = "\n".join(head + [format_row(r) for r in rows]) + "\n"
    for path, data in ((out / "trees.md", text), (out / "trees.json", json.dumps(rows, indent=1))):
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_text(data)
        os.replace(tmp, path)
    print(f"wrote {out / 'trees.md'}")


if __name__ == "__main__":
    sys.exit(main())
