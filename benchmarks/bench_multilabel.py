"""Multi-label samplers: speed, memory and imbalance at 10k-1M rows, and what they do on real data.

Usage::

    .venv/bin/python benchmarks/bench_multilabel.py                # both parts (~5 min on 2 idle cores, est.)
    .venv/bin/python benchmarks/bench_multilabel.py --part speed   # speed and memory only
    .venv/bin/python benchmarks/bench_multilabel.py --part quality # the cross-validation on Yeast only
    .venv/bin/python benchmarks/bench_multilabel.py --only MLROS-label --sizes 1M   # update some cells
    .venv/bin/python benchmarks/bench_multilabel.py --quick        # 10k rows, 2 folds, kNN only: ~15 s
    .venv/bin/python benchmarks/bench_multilabel.py --report       # rewrite the .md from the .json

Writes benchmarks/results/multilabel.md and multilabel.json (``multilabel_quick.*`` for ``--quick``),
atomically; a partial run (``--part``, ``--only``, ``--sizes``) updates the cells it measured and keeps
the rest.

**Speed and memory.** ``MLSMOTE`` (``interpolation='box'``, the paper's, and ``'segment'``),
``MLROS`` and ``MLRUS`` (``by='label'``: ML-ROS / ML-RUS, and ``by='labelset'``: LP-ROS / LP-RUS)
from ``smotekit.multilabel``, each with its defaults otherwise (k=5, 'ranking'; percentage 25) and
``random_state=0``, on ``sklearn.datasets.make_multilabel_classification(n_samples, n_features=20,
n_classes=20, n_labels=2, random_state=0)`` at 10k, 100k and 1M rows: bag-of-words counts as
features (float64), a 0/1 int64 indicator of 20 labels whose frequencies are drawn at random, so
skewed (at 100k: 372 to 16,025 rows per label, MeanIR 4.5, MaxIR 43, three minority labels).
scikit-learn's generator is fast enough (2 s at 100k, so ~20 s at 1M, once: sets from 100k rows are cached
in ``benchmarks/.cache/``), so no generator of our own is needed. Every (method, size) runs in a
fresh process, as a user's script would: the first call is timed on its own (imports done, data
loaded), then, when it took under 30 s, two more calls in the same process give the warm time
(their median is shown). Peak memory is the process's VmHWM minus its VmRSS just before the first
call (the data and the imports are in the baseline; the output is included). The 1-minute load
average is read before and after every process. Rows out, and MeanIR / MaxIR / SCUMBLE of the input
and of the output (``imbalance_before_`` / ``imbalance_after_``) are recorded.

**Reference.** multismote 0.1.0 (PyPI; pure Python on numpy, scikit-learn and scipy) is *a different
MLSMOTE variant*, not the paper's algorithm: IR per label as ``(n - count) / count``, one bag for all
minority ("tail") labels together, neighbours searched among all rows (scikit-learn's
``NearestNeighbors``, one thread by default), one synthetic row per bag row on the segment, and
labels voted by the neighbours without the seed. Its times are side by side, not a like-for-like
comparison; its MeanIR figures are smotekit's measures of its output. It is imported only if it is
installed, or from a directory given by ``--site`` (default ``benchmarks/.cache/site``), for
instance after ``pip install --no-deps --target benchmarks/.cache/site multismote==0.1.0``; it is
not a dependency of the project. It runs at 10k and 100k rows (its search among all rows is
quadratic: at 1M it would take many minutes), stopped after ``--timeout`` seconds (240 by default)
and under an address-space limit of 16 GiB.

**Quality on real data.** MULAN's Yeast (2,417 genes x 103 features, 14 labels; MeanIR 7.2, two
minority labels, Class9 and Class14 with 178 and 34 rows), as shipped inside the wheel of ``river``
0.26.1 (``river/datasets/yeast.csv.gz``; the same data as OpenML 40597). The file is read
directly, river is never imported: from an installed river, from a wheel or a ``.csv.gz`` given by
``--yeast``, or from a ``river-*.whl`` in ``benchmarks/.cache/`` (``pip download --no-deps -d
benchmarks/.cache river==0.26.1``); without one the part is skipped and the report says so. No other
multi-label set installs offline here: scikit-multilearn(-ng), libmultilabel and multilabel-knn
download theirs. Features are z-scored once over the whole set (they are already nearly so). 5x2
cross-validation (2 folds repeated 5 times, ``random_state=0``), stratified on each row's rarest
label (by whole-set counts), so each half holds about half of every label's rows. Options: no
resampling, ``MLSMOTE()``, ``MLROS()`` and ``MLRUS()`` (``by='label'``, percentage 25), each with
``random_state=0``, in ``smotekit.pipeline.Pipeline([sampler, model])`` so that resampling touches
the training half only. Models: ``KNeighborsClassifier()`` (5 neighbours, native multi-label) and
``MultiOutputClassifier(LogisticRegression(max_iter=1000))``. Scores on the test half: macro-F1 and
micro-F1 over the labels, and the mean F1 of the minority labels (IRLbl > MeanIR on the whole set).
Differences against no resampling are tested with the corrected resampled t-test (Nadeau & Bengio
2003, test/train ratio 1) over the 10 paired folds. Folds run in parallel (``--n-jobs``, 2).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

import _common as C

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
#: benchmark name -> (smotekit.multilabel class, parameters); None: the reference.
METHODS = {
    "MLSMOTE-box": ("MLSMOTE", {"interpolation": "box"}),
    "MLSMOTE-segment": ("MLSMOTE", {"interpolation": "segment"}),
    "MLROS-label": ("MLROS", {"by": "label"}),
    "MLROS-labelset": ("MLROS", {"by": "labelset"}),
    "MLRUS-label": ("MLRUS", {"by": "label"}),
    "MLRUS-labelset": ("MLRUS", {"by": "labelset"}),
    "multismote": None,
}
REFERENCE = "multismote"
REFERENCE_SIZES = ("10k", "100k")
REFERENCE_LABEL = "multismote 0.1.0 (a different MLSMOTE variant)"
DATA = dict(n_features=20, n_classes=20, n_labels=2, random_state=0)
SITE_ENV = "SMOTEKIT_BENCH_MULTISMOTE_SITE"
_CACHE_FROM = 100_000
_WARM_UNDER = 30.0
_ADDRESS_SPACE = 16 * 2**30

QUALITY_METHODS = ("none", "MLSMOTE", "MLROS", "MLRUS")
MODELS = ("kNN", "LR")
METRICS = {"macro_f1": "macro-F1", "micro_f1": "micro-F1", "minority_f1": "minority-label F1"}
YEAST_MEMBER = "river/datasets/yeast.csv.gz"
YEAST_SHAPE = (2417, 103, 14)


# --------------------------------------------------------------------------- speed

def make_data(n_samples):
    """``make_multilabel_classification`` data (float64 X, int64 Y); cached from 100k rows."""
    from sklearn import __version__ as skv
    from sklearn.datasets import make_multilabel_classification

    params = dict(n_samples=n_samples, **DATA)
    if n_samples < _CACHE_FROM:
        return make_multilabel_classification(**params)
    key = hashlib.sha1(json.dumps([params, skv], sort_keys=True).encode()).hexdigest()[:12]
    stem = C.CACHE / f"mlc_{n_samples}x{DATA['n_features']}_L{DATA['n_classes']}_{key}"
    fx, fy = stem.with_suffix(".X.npy"), stem.with_suffix(".Y.npy")
    if fx.exists() and fy.exists():
        return np.load(fx), np.load(fy)
    X, Y = make_multilabel_classification(**params)
    C.CACHE.mkdir(parents=True, exist_ok=True)
    for f, a in ((fx, X), (fy, Y)):
        tmp = f.with_name(f.name + f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.save(fh, a)
        os.replace(tmp, f)
    return X, Y


def import_reference(site=None):
    """The multismote module: installed, else from ``site`` (appended to sys.path, so it shadows nothing)."""
    site = site or os.environ.get(SITE_ENV) or str(C.CACHE / "site")
    try:
        import multismote
    except ImportError:
        if site not in sys.path:
            sys.path.append(site)
        import multismote
    return multismote


def reference_version(site):
    """multismote's version if it can be imported (without importing it), else None."""
    import importlib.metadata as md
    import importlib.util

    if importlib.util.find_spec("multismote") is not None:
        return md.version("multismote")
    for dist in md.distributions(path=[site]):
        if dist.metadata["Name"] == "multismote":
            return dist.version
    return None


def _runner(method):
    """A function of (X, Y) -> (X_res, Y_res, before, after), the measures as dicts."""
    from smotekit.multilabel import label_imbalance

    def measures(m):
        return {"mean_ir": m.mean_ir, "max_ir": m.max_ir, "scumble": m.scumble}

    if METHODS[method] is None:
        MultiSMOTE = import_reference().MultiSMOTE

        def run(X, Y):
            X_res, Y_res = MultiSMOTE(k_neighbors=5, random_state=0).fit_resample(X, Y)
            return X_res, Y_res, None, None
        # Its own IR is not MeanIR: both sides are smotekit's measures, taken outside the clock.
        return run, lambda Y, Y_res: (measures(label_imbalance(Y)), measures(label_imbalance(Y_res)))
    import smotekit.multilabel as ML

    name, params = METHODS[method]
    cls = getattr(ML, name)

    def run(X, Y):
        s = cls(random_state=0, **params)
        X_res, Y_res = s.fit_resample(X, Y)
        return X_res, Y_res, measures(s.imbalance_before_), measures(s.imbalance_after_)
    return run, None


def speed_worker(method, n_rows):
    """One (method, size) in this process: prints a JSON line."""
    X, Y = make_data(n_rows)
    run, measure = _runner(method)
    gc.collect()
    C.malloc_trim()
    C.reset_peak_rss()
    base = C.proc_status_kb("VmRSS")["VmRSS"]
    t0 = time.perf_counter()
    X_res, Y_res, before, after = run(X, Y)
    first = time.perf_counter() - t0
    peak = (C.proc_status_kb("VmHWM")["VmHWM"] - base) / 1024
    if measure is not None:
        before, after = measure(Y, np.asarray(Y_res))
    n_out = int(np.asarray(X_res).shape[0])
    del X_res, Y_res
    warm = []
    if first < _WARM_UNDER:
        for _ in range(2):
            gc.collect()
            t0 = time.perf_counter()
            out = run(X, Y)
            warm.append(time.perf_counter() - t0)
            del out
    print(json.dumps({"first": first, "warm": warm, "peak_mb": peak, "n_in": int(X.shape[0]), "n_out": n_out,
                      "before": before, "after": after}))


def speed_measure(method, size, timeout, site):
    load = os.getloadavg()
    env = dict(os.environ, **{SITE_ENV: site})
    try:
        res = subprocess.run([sys.executable, __file__, "--worker", method, str(SIZES[size])],
                             capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s (stopped)", "load": [load, os.getloadavg()]}
    out = {"load": [load, os.getloadavg()]}
    if res.returncode != 0:
        tail = (res.stderr.strip().splitlines() or [f"exit code {res.returncode}"])[-1]
        out["error"] = "MemoryError (16 GiB limit)" if "MemoryError" in res.stderr else tail[:160]
        return out
    out.update(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def run_speed(methods, sizes, timeout, site, results):
    for size in sizes:
        if SIZES[size] >= _CACHE_FROM:
            make_data(SIZES[size])  # generated once here, not inside a measured process
        for method in methods:
            if METHODS[method] is None and size not in REFERENCE_SIZES:
                continue
            r = speed_measure(method, size, timeout if METHODS[method] is None else 3 * timeout, site)
            results.setdefault(method, {})[size] = r
            print("speed", method, size, {k: v for k, v in r.items() if k not in ("before", "after")}, flush=True)
    return results


# --------------------------------------------------------------------------- quality

def yeast_source(given=None):
    """Where Yeast's CSV is: (path, member in a wheel or None, description), or None if nowhere."""
    import importlib.metadata as md
    import importlib.util

    if given:
        p = Path(given)
        return (p, YEAST_MEMBER if p.suffix == ".whl" else None, p.name)
    spec = importlib.util.find_spec("river")
    if spec is not None and spec.submodule_search_locations:
        p = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "yeast.csv.gz"
        if p.exists():
            return (p, None, f"river {md.version('river')} (installed)")
    wheels = sorted(C.CACHE.glob("river-*.whl"))
    return (wheels[-1], YEAST_MEMBER, wheels[-1].name) if wheels else None


def load_yeast(source):
    """(X, Y, label names): X float64 (2417, 103) z-scored per column, Y int64 (2417, 14)."""
    import pandas as pd

    path, member, _ = source
    if member is None:
        raw = Path(path).read_bytes()
    else:
        with zipfile.ZipFile(path) as z:
            raw = z.read(member)
    frame = pd.read_csv(io.BytesIO(raw), compression="gzip")
    n, d, L = YEAST_SHAPE
    features = [f"Att{i}" for i in range(1, d + 1)]
    labels = [f"Class{i}" for i in range(1, L + 1)]
    if frame.shape != (n, d + L) or list(frame.columns) != features + labels:
        raise ValueError(f"{path}: expected MULAN's Yeast ({n} rows, Att1..Att{d}, Class1..Class{L}); "
                         f"got shape {frame.shape}")
    X = frame[features].to_numpy(dtype=np.float64)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, frame[labels].to_numpy(dtype=np.int64), labels


def quality_splits(Y, folds, repeats):
    """Repeated K-fold stratified on each row's rarest label (rows without labels form one stratum)."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    counts = Y.sum(axis=0)
    rank = np.where(Y.astype(bool), counts, np.iinfo(np.int64).max)
    strata = np.where(Y.any(axis=1), rank.argmin(axis=1), -1)
    cv = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=0)
    return list(cv.split(np.zeros((Y.shape[0], 1)), strata))


def model(name):
    from sklearn.linear_model import LogisticRegression
    from sklearn.multioutput import MultiOutputClassifier
    from sklearn.neighbors import KNeighborsClassifier

    if name == "kNN":
        return KNeighborsClassifier(n_neighbors=5)
    return MultiOutputClassifier(LogisticRegression(max_iter=1000))


def pipeline(method, model_name):
    from smotekit.pipeline import Pipeline

    if method == "none":
        sampler = "passthrough"
    else:
        import smotekit.multilabel as ML

        sampler = getattr(ML, method)(random_state=0)
    return Pipeline([("sampler", sampler), ("model", model(model_name))])


def scores(Y_true, Y_pred, minority):
    from sklearn.metrics import f1_score

    per_label = f1_score(Y_true, Y_pred, average=None, zero_division=0)
    return {"macro_f1": float(per_label.mean()),
            "micro_f1": float(f1_score(Y_true, Y_pred, average="micro", zero_division=0)),
            "minority_f1": float(per_label[minority].mean()) if minority.any() else float("nan")}


def quality_fold(X, Y, split, train, test, models=MODELS):
    """Every option and model on one split: a list of records."""
    if os.environ.get(C.SNAPSHOT_ENV) and os.environ[C.SNAPSHOT_ENV] not in sys.path:
        C.use_snapshot()  # a worker process: import the run's copy of smotekit, as the parent does
    import warnings

    import smotekit
    from smotekit.multilabel import label_imbalance

    minority = label_imbalance(Y).minority
    out = []
    for method in QUALITY_METHODS:
        for name in models:
            rec = {"split": split, "method": method, "model": name, "n_train": int(train.size),
                   "smotekit_file": smotekit.__file__}
            pipe = pipeline(method, name)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # a label never predicted on a fold scores 0, as defined
                    t0 = time.perf_counter()
                    pipe.fit(X[train], Y[train])
                    rec["fit_s"] = time.perf_counter() - t0
                    rec.update(scores(Y[test], np.asarray(pipe.predict(X[test])), minority))
                s = pipe.named_steps["sampler"]
                rec["n_out"] = int(len(s.provenance_)) if hasattr(s, "provenance_") else int(train.size)
            except Exception as exc:  # noqa: BLE001 (a failing option is a result, reported as such)
                rec["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
            out.append(rec)
    return out


def run_quality(source, folds, repeats, n_jobs, models=MODELS):
    from joblib import Parallel, delayed

    from smotekit.multilabel import label_imbalance

    X, Y, labels = load_yeast(source)
    imb = label_imbalance(Y, labels=labels)
    units = list(enumerate(quality_splits(Y, folds, repeats)))
    load = os.getloadavg()
    t0 = time.perf_counter()
    chunks = Parallel(n_jobs=n_jobs)(delayed(quality_fold)(X, Y, i, tr, te, models) for i, (tr, te) in units)
    records = [r for chunk in chunks for r in chunk]
    files = {r.pop("smotekit_file") for r in records}
    data = {"name": "Yeast", "source": source[2], "rows": int(X.shape[0]), "features": int(X.shape[1]),
            "labels": len(labels), "mean_ir": imb.mean_ir, "max_ir": imb.max_ir, "scumble": imb.scumble,
            "cardinality": imb.cardinality, "minority": [f"{lab} ({int(c)})" for lab, c, m in
                                                         zip(labels, imb.counts, imb.minority) if m]}
    cv = f"{folds} folds x {repeats} repeat{'s' * (repeats > 1)}"
    return {"records": records, "data": data, "cv": cv, "models": list(models),
            "wall_s": time.perf_counter() - t0, "load": [load, os.getloadavg()], "smotekit_files": sorted(files)}


def summarise(q):
    """Per (model, method, metric): mean, sd and fold values; against 'none': difference and p."""
    from smotekit.evaluation import corrected_ttest

    cells, failures = {}, {}
    for r in sorted(q["records"], key=lambda r: r["split"]):
        if "error" in r:
            failures.setdefault((r["method"], r["model"], r["error"]), 0)
            failures[(r["method"], r["model"], r["error"])] += 1
            continue
        for m in [*METRICS, "fit_s", "n_out", "n_train"]:
            cells.setdefault((r["model"], r["method"], m), []).append(r[m])
    out = {}
    for (mo, me, m), v in cells.items():
        a = np.asarray(v, dtype=float)
        row = {"mean": float(np.nanmean(a)), "sd": float(np.nanstd(a, ddof=1)) if a.size > 1 else float("nan")}
        base = cells.get((mo, "none", m))
        if m in METRICS and me != "none" and base is not None and len(base) == a.size >= 2:
            d = a - np.asarray(base, dtype=float)
            row["diff"] = float(np.nanmean(d))
            pv = float(corrected_ttest(d, test_train_ratio=1.0).pvalue)
            row["p"] = 1.0 if not np.isfinite(pv) and not d.any() else pv  # identical folds: no difference
        out[f"{mo}|{me}|{m}"] = row
    return out, [[me, mo, e, n] for (me, mo, e), n in failures.items()]


# --------------------------------------------------------------------------- report


def _imb(r, key):
    if not r.get("before"):
        return "-"
    return f"{r['before'][key]:.{4 if key == 'scumble' else 2}f} -> {r['after'][key]:.{4 if key == 'scumble' else 2}f}"


def speed_lines(sp):
    lines = ["## Speed and memory", "", *C.meta_lines(sp["meta"]),
             "- data: `make_multilabel_classification(n, n_features=20, n_classes=20, n_labels=2, "
             "random_state=0)`; each cell one fresh process (see the docstring); first = the first call, warm = "
             "median of two more; peak = MB above the process's size before the call",
             f"- {REFERENCE_LABEL}: {sp.get('reference') or 'not installed, not measured'}",
             "", "| method | rows | first s | warm s | peak MB | rows out | MeanIR before -> after "
             "| MaxIR | SCUMBLE | load 1-min before-after |",
             "|---|---:|---:|---:|---:|---:|---|---|---|---|"]
    for method in METHODS:
        for size in SIZES:
            r = sp["results"].get(method, {}).get(size)
            if r is None:
                continue
            label = REFERENCE_LABEL if METHODS[method] is None else method
            loads = f"{r['load'][0][0]:.2f}-{r['load'][1][0]:.2f}"
            if "error" in r:
                lines.append(f"| {label} | {size} | {r['error']} | - | - | - | - | - | - | {loads} |")
                continue
            warm = C.cell(C.median(r["warm"]), ".3f") if r["warm"] else "-"
            lines.append(f"| {label} | {size} | {r['first']:.3f} | {warm} | {r['peak_mb']:.0f} | "
                         f"{r['n_in']} -> {r['n_out']} | {_imb(r, 'mean_ir')} | {_imb(r, 'max_ir')} | "
                         f"{_imb(r, 'scumble')} | {loads} |")
    side = []
    for size in REFERENCE_SIZES:
        ref = sp["results"].get(REFERENCE, {}).get(size)
        if not ref or "error" in ref:
            continue
        for method in ("MLSMOTE-box", "MLSMOTE-segment"):
            ours = sp["results"].get(method, {}).get(size)
            if ours and "error" not in ours:
                side.append(f"| {method} | {size} | {ref['first'] / ours['first']:.1f}x | "
                            f"{ref['peak_mb'] / max(ours['peak_mb'], 1):.1f}x | {ours['n_out'] - ours['n_in']} / "
                            f"{ref['n_out'] - ref['n_in']} |")
    if side:
        lines += ["", f"Side by side with {REFERENCE_LABEL}: ratios of its first call and peak memory to ours "
                  "(above 1: smotekit is faster / smaller). The two add different rows (its bag is every row with "
                  "a minority label, ours one bag per minority label), so this is not a like-for-like comparison.",
                  "", "| ours | rows | time ratio (first) | memory ratio | rows added (ours / multismote) |",
                  "|---|---:|---:|---:|---|", *side]
    return lines


def quality_lines(q):
    if "skipped" in q:
        return ["## Quality on real data", "", f"Skipped: {q['skipped']}"]
    s, failures = summarise(q)
    d = q["data"]
    lines = ["## Quality on real data: Yeast", "", *C.meta_lines(q["meta"]),
             f"- data: {d['name']} from {d['source']}: {d['rows']} rows, {d['features']} features (z-scored), "
             f"{d['labels']} labels, cardinality {d['cardinality']:.2f}, MeanIR {d['mean_ir']:.2f}, MaxIR "
             f"{d['max_ir']:.2f}, SCUMBLE {d['scumble']:.4f}; minority labels (rows): {', '.join(d['minority'])}",
             f"- cv: {q['cv']}, stratified on each row's rarest label; {q['wall_s'] / 60:.1f} min; load (1 min) "
             f"{q['load'][0][0]:.2f} at the start of the part, {q['load'][1][0]:.2f} at its end; smotekit imported "
             f"from {', '.join(q['smotekit_files'])}",
             "", "Mean ± sd over the folds (higher is better); in brackets the difference from no resampling and "
             "the corrected resampled t-test's p-value. rows = training rows after the sampler / before; fit s = "
             "one pipeline fit (sampler and model)."]
    for mo in q["models"]:
        name = "KNeighborsClassifier()" if mo == "kNN" else "MultiOutputClassifier(LogisticRegression())"
        lines += ["", f"**{name}**", "", "| option | " + " | ".join(METRICS.values()) + " | rows | fit s |",
                  "|---|" + "---|" * len(METRICS) + "---:|---:|"]
        for me in QUALITY_METHODS:
            cells = []
            for m in METRICS:
                c = s.get(f"{mo}|{me}|{m}")
                if c is None:
                    cells.append("-")
                    continue
                txt = f"{c['mean']:.4f} ± {C.cell(c['sd'], '.4f')}"
                if "diff" in c:
                    txt += f" ({c['diff']:+.4f}, p={c['p']:.2g})"
                cells.append(txt)
            rows = s.get(f"{mo}|{me}|n_out"), s.get(f"{mo}|{me}|n_train"), s.get(f"{mo}|{me}|fit_s")
            tail = (f"{rows[0]['mean']:.0f} / {rows[1]['mean']:.0f} | {rows[2]['mean']:.3f}" if all(rows)
                    else "- | -")
            lines.append(f"| {me} | " + " | ".join(cells) + f" | {tail} |")
    if failures:
        lines += ["", "Failed fits (no score on those folds): "
                  + "; ".join(f"{me} with {mo} on {n} folds: {e}" for me, mo, e, n in failures) + "."]
    return lines


def report(record, stem, out_dir=None):
    out_dir = Path(out_dir) if out_dir else C.RESULTS
    lines = ["# Multi-label samplers: speed, memory, imbalance, and quality on Yeast", "",
             "Produced by `benchmarks/bench_multilabel.py`; its docstring has the protocol.", ""]
    if "speed" in record:
        lines += speed_lines(record["speed"]) + [""]
    if "quality" in record:
        lines += quality_lines(record["quality"])
    C.atomic_write(out_dir / f"{stem}.json", json.dumps(record, indent=1))
    C.atomic_write(out_dir / f"{stem}.md", "\n".join(lines) + "\n")
    return lines


def meta(extra=None):
    import importlib.metadata as md

    versions = C.versions()
    versions["pandas"] = md.version("pandas")
    versions.update(extra or {})
    return {"date": C.now(), "machine": C.machine_info(), "versions": versions, "command": C.command_line()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--worker", nargs=2, metavar=("METHOD", "ROWS"))
    p.add_argument("--quick", action="store_true", help="10k rows only, 2 folds x 1 repeat with kNN only")
    p.add_argument("--part", choices=["speed", "quality", "both"], default="both")
    p.add_argument("--only", action="append", choices=list(METHODS), help="speed: only these methods")
    p.add_argument("--sizes", action="append", choices=list(SIZES), help="speed: only these sizes")
    p.add_argument("--site", default=str(C.CACHE / "site"), help="a directory holding multismote (pip --target)")
    p.add_argument("--yeast", help="river's wheel, or yeast.csv.gz (default: installed river, .cache/river-*.whl)")
    p.add_argument("--n-jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=240.0, help="seconds per reference process (x3 for ours)")
    p.add_argument("--report", action="store_true", help="rewrite the .md from the .json, measuring nothing")
    a = p.parse_args(argv)
    if a.worker:
        if METHODS[a.worker[0]] is None:
            # Here, not in speed_worker: a test calling the worker in-process must keep its address space.
            resource.setrlimit(resource.RLIMIT_AS, (_ADDRESS_SPACE, _ADDRESS_SPACE))
        C.use_snapshot()
        return speed_worker(a.worker[0], int(a.worker[1]))
    stem = "multilabel_quick" if a.quick else "multilabel"
    saved = C.RESULTS / f"{stem}.json"
    if a.report:
        print("\n".join(report(json.loads(saved.read_text()), stem)))
        return 0
    C.snapshot_smotekit()
    partial = a.part != "both" or a.only or a.sizes
    record = json.loads(saved.read_text()) if saved.exists() and partial else {}
    if a.part in ("speed", "both"):
        started = time.perf_counter()
        version = reference_version(a.site)
        m = meta({"multismote": version} if version else None)
        methods = [x for x in (a.only or METHODS) if METHODS[x] is not None or version]
        sizes = a.sizes or (["10k"] if a.quick else list(SIZES))
        previous = record.get("speed", {}).get("results", {}) if partial else {}
        results = run_speed(methods, sizes, a.timeout, a.site, previous)
        m.update(wall_min=(time.perf_counter() - started) / 60, load_end=os.getloadavg())
        record["speed"] = {"results": results, "meta": m,
                           "reference": f"imported from {a.site} or the environment" if version else None}
    if a.part in ("quality", "both"):
        started = time.perf_counter()
        source = yeast_source(a.yeast)
        if source is None:
            record["quality"] = {"skipped": "no multi-label data set found offline (Yeast ships inside river's "
                                 "wheel: `pip download --no-deps -d benchmarks/.cache river==0.26.1`)."}
        else:
            m = meta()
            models = ("kNN",) if a.quick else MODELS
            folds, repeats = (2, 1) if a.quick else (2, 5)
            q = run_quality(source, folds, repeats, 1 if a.quick else a.n_jobs, models)
            m.update(wall_min=(time.perf_counter() - started) / 60, load_end=os.getloadavg())
            record["quality"] = {**q, "meta": m}
    print("\n".join(report(record, stem)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
