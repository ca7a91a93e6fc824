"""Sparse input against imbalanced-learn 0.14.2: ENN on two kinds of CSR data.

Usage::

    .venv/bin/python benchmarks/bench_sparse.py      # ~2 min on 2 idle cores

Writes benchmarks/results/sparse.md and sparse.json.

- **CSR, mostly stored**: 30k x 12 Gaussian rows (2.5% minority shifted by
  0.8), every entry stored; what a sparse-producing step in a pipeline gives
  for numeric data. smotekit searches it on a dense copy (at most 2^25
  entries, a tenth of them stored or more).
- **CSR, text-like**: 20k x 5,000, 1% of entries stored (scipy's
  ``sparse.random``), 2.5% minority; searched sparse by both libraries.

One process; a warm-up of each library on a small slice, then each case
once per library in turn. The load average is read before and after each case.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np
from scipy import sparse

import _common as C

OUT_MD = C.RESULTS / "sparse.md"
OUT_JSON = C.RESULTS / "sparse.json"


def cases():
    rng = np.random.default_rng(0)
    n = 30_000
    y = np.zeros(n, dtype=int)
    y[: n // 40] = 1
    yield "ENN, CSR 30k x 12, every entry stored", sparse.csr_matrix(rng.normal(size=(n, 12)) + y[:, None] * 0.8), y
    n = 20_000
    y = np.zeros(n, dtype=int)
    y[: n // 40] = 1
    yield "ENN, CSR 20k x 5,000, 1% stored", sparse.random(n, 5_000, density=0.01, format="csr", random_state=0), y


def main():
    _, src_hash = C.snapshot_smotekit()
    import imblearn.under_sampling as theirs

    import smotekit.under_sampling as ours

    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(), "src_hash": src_hash,
            "command": C.command_line()}
    rows = []
    for name, X, y in cases():
        for lib in (ours, theirs):
            lib.EditedNearestNeighbours().fit_resample(X[:2000], y[:2000])
        before = os.getloadavg()[0]
        row = {"case": name}
        for label, lib in (("smotekit", ours), ("imblearn", theirs)):
            t = time.perf_counter()
            _, y_res = lib.EditedNearestNeighbours().fit_resample(X, y)
            row[label] = time.perf_counter() - t
            row[label + "_counts"] = np.bincount(y_res).tolist()
        row["load"] = [before, os.getloadavg()[0]]
        rows.append(row)
        print(row, flush=True)
    C.atomic_write(OUT_JSON, json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = ["# Sparse input: ENN against imbalanced-learn", "", f"- date: {meta['date']}",
             f"- machine: {meta['machine']}", f"- versions: {meta['versions']}",
             f"- smotekit source snapshot sha1 {meta['src_hash']}", f"- command: `{meta['command']}`", "",
             "See the docstring of benchmarks/bench_sparse.py for the data.", "",
             "| case | smotekit s | imbalanced-learn s | speed-up | same counts | load |",
             "|---|---:|---:|---:|---|---|"]
    for r in rows:
        lines.append(f"| {r['case']} | {r['smotekit']:.2f} | {r['imblearn']:.2f} | "
                     f"{r['imblearn'] / r['smotekit']:.1f}x | {r['smotekit_counts'] == r['imblearn_counts']} | "
                     f"{r['load'][0]:.2f} -> {r['load'][1]:.2f} |")
    C.atomic_write(OUT_MD, "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
