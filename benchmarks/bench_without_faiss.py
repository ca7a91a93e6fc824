"""The cleaners on an install without faiss (no ``[fast]`` extra).

Usage::

    .venv/bin/python benchmarks/bench_without_faiss.py      # ~3 min on 2 idle cores

Writes benchmarks/results/without_faiss.md and without_faiss.json.

Each mode runs in a fresh process on bench_speed.py's 100k x 20 data:

- **faiss**: as installed here (the cells' k-means and nearest centroids by faiss);
- **no faiss**: ``sys.modules['faiss'] = None`` before smotekit is imported, so
  every ``import faiss`` fails and ``find_spec`` finds nothing, as on an
  install without the extra: the cells run on numpy;
- **no faiss, no cells**: the same, with the cells also refused, which is
  what an install without faiss did before the cells had a numpy path.

Per sampler: the first call, then the median of two more. The load average is
read before and after each mode.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np

import _common as C

OUT_MD = C.RESULTS / "without_faiss.md"
OUT_JSON = C.RESULTS / "without_faiss.json"
MODES = ("faiss", "no faiss", "no faiss, no cells")
SAMPLERS = ("EditedNearestNeighbours", "TomekLinks", "SMOTEENN")


def worker(mode):
    if mode != "faiss":
        sys.modules["faiss"] = None
    C.use_snapshot()
    import smotekit.combine as comb
    import smotekit.under_sampling as under
    from smotekit.neighbors import _cells

    if mode == "no faiss, no cells":
        _cells._cells_available = lambda X: False
    X, y = C.make_data(100_000, 20, majority=0.985, flip_y=0.01)
    out = {}
    for name in SAMPLERS:
        times = []
        for _ in range(3):
            sampler = comb.SMOTEENN(random_state=0) if name == "SMOTEENN" else getattr(under, name)()
            t = time.perf_counter()
            sampler.fit_resample(X, y)
            times.append(time.perf_counter() - t)
        out[name] = {"first_s": times[0], "warm_s": float(np.median(times[1:]))}
    print(json.dumps(out))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
        return
    _, src_hash = C.snapshot_smotekit()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(), "src_hash": src_hash,
            "command": C.command_line()}
    results = {}
    for mode in MODES:
        before = os.getloadavg()[0]
        res = subprocess.run([sys.executable, __file__, "--worker", mode], capture_output=True, text=True,
                             check=True)
        results[mode] = {"load": [before, os.getloadavg()[0]], **json.loads(res.stdout.strip().splitlines()[-1])}
        print(mode, results[mode], flush=True)
    C.atomic_write(OUT_JSON, json.dumps({"meta": meta, "results": results}, indent=1))
    C.atomic_write(OUT_MD, render(meta, results))
    print(render(meta, results))


def render(meta, results):
    lines = [
        "# The cleaners without faiss, 100k x 20",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']}",
        f"- versions: {meta['versions']}",
        f"- smotekit source snapshot sha1 {meta['src_hash']}",
        f"- command: `{meta['command']}`",
        "",
        "See the docstring of benchmarks/bench_without_faiss.py for the modes. Seconds: first call / "
        "median of the next two. Load: 1-minute load average before -> after the mode.",
        "",
        "| mode | " + " | ".join(SAMPLERS) + " | load |",
        "|---|" + "---:|" * len(SAMPLERS) + "---|",
    ]
    for mode, r in results.items():
        cells = [f"{r[s]['first_s']:.2f} / {r[s]['warm_s']:.2f}" for s in SAMPLERS]
        lines.append(f"| {mode} | " + " | ".join(cells) + f" | {r['load'][0]:.2f} -> {r['load'][1]:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
