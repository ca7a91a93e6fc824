"""``smotekit demo``: the SMOTE family on the classic 1:100 two-feature problem, evaluated without leakage."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import numpy as np

from ..report import figure_axes, format_table
from ._common import UserError, class_counts
from ._io import atomic_write
from ._progress import Progress
from ._samplers import parameters_of, samplers
from ._write import check_report_engine, check_writable_file, write_report

__all__ = ["RECIPES", "cmd_demo"]

#: (display name, ((sampler class name, parameters), ...)); classes are looked up by discovery.
RECIPES = (
    ("SMOTE", (("SMOTE", {}),)),
    ("SMOTE 0.1 + under 0.5", (("SMOTE", {"sampling_strategy": 0.1}),
                               ("RandomUnderSampler", {"sampling_strategy": 0.5}))),
    ("BorderlineSMOTE", (("BorderlineSMOTE", {}),)),
    ("SVMSMOTE", (("SVMSMOTE", {}),)),
    ("ADASYN", (("ADASYN", {}),)),
)
DEMO_DATA = dict(n_samples=10000, n_features=2, n_redundant=0, n_clusters_per_class=1, weights=[0.99],
                 flip_y=0, random_state=1)
DEMO_METRICS = ("roc_auc", "pr_auc", "f1", "mcc", "gmean")
#: Seed of the fold assignment (the samplers and the tree take --random-state).
CV_SEED = 1


def _plot_name(i: int, label: str) -> str:
    return f"{i:02d}-{label.lower().replace(' + ', '-then-').replace(' ', '-')}.png"


def _check_outputs(out: Path, paths, force: bool) -> None:
    """Refuse, before any work, to replace files of an earlier run without ``--force``."""
    if force:
        if out.is_dir():  # a new folder is created later; nothing in it to check
            for path in paths:
                check_writable_file(path, force=True, option="--out")
        return
    existing = [p.name for p in paths if p.exists() or p.is_symlink()]
    if existing:
        raise UserError(f"--out {str(out)!r} already holds {', '.join(existing)} from an earlier run; "
                        "pass --force to replace them, or choose another folder.")


def _build(recipe, available, random_state):
    steps = []
    for cls_name, params in recipe:
        cls = available[cls_name]
        kwargs = dict(params)
        if "random_state" in parameters_of(cls):
            kwargs["random_state"] = random_state
        steps.append(cls(**kwargs))
    return steps


def _chain(steps, X, y):
    """Apply samplers in turn; track which final rows are synthetic through every step's provenance."""
    synthetic = np.zeros(len(y), bool)
    for s in steps:
        X, y = s.fit_resample(X, y)
        prov = s.provenance_
        synthetic = np.where(prov.is_synthetic, True, synthetic[prov.source])
    return X, y, synthetic


def cmd_demo(args) -> int:
    from sklearn.datasets import make_classification
    from sklearn.tree import DecisionTreeClassifier

    from ..evaluation import compare
    from ..evaluation._compare import make_cv
    from ..pipeline import Pipeline

    t0 = time.perf_counter()
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {args.out!r} is a file; give a folder name.")
    plots = importlib.util.find_spec("matplotlib") is not None
    available = samplers()
    recipes = []
    for label, recipe in RECIPES:
        missing = [c for c, _ in recipe if c not in available]
        if missing:
            print(f"note: skipping {label}: {', '.join(missing)} is not available in this installation.")
        else:
            recipes.append((label, recipe))
    plot_paths = [out / _plot_name(i, label) for i, (label, _) in enumerate(recipes, start=1)] if plots else []
    report_path = out / "report.html"
    _check_outputs(out, [report_path, *plot_paths], args.force)
    check_report_engine()
    out.mkdir(parents=True, exist_ok=True)

    X, y = make_classification(**DEMO_DATA)
    before = class_counts(y)
    print("The classic imbalanced problem: make_classification(n_samples=10000, n_features=2, weights=[0.99], "
          "flip_y=0, random_state=1)")
    print(f"{len(y)} rows, 2 features, classes {before} (1:{before[0] // before[1]})\n")

    rows = [["(original)", before[0], before[1], 0, len(y)]]
    figures = []
    progress = Progress(len(recipes), "resampling and plotting", enabled=not args.quiet)
    try:
        for i, (label, recipe) in enumerate(recipes, start=1):
            steps = _build(recipe, available, args.random_state)
            X_res, y_res, synthetic = _chain(steps, X, y)
            after = class_counts(y_res)
            rows.append([label, after.get(0, 0), after.get(1, 0), int(synthetic.sum()), len(y_res)])
            if plots:
                from ..plotting import plot_resampling

                fig, axes = figure_axes(2, figsize=(11.0, 4.8))
                plot_resampling(X, y, X_res, y_res, synthetic, axes=axes, title=label)
                path = out / _plot_name(i, label)
                with atomic_write(path) as tmp:
                    fig.savefig(tmp, dpi=90)
                figures.append((label, path, fig))
            progress.advance(detail=label)
    finally:
        progress.close()
    print("Class counts before and after resampling (whole data set):")
    count_table = format_table(["method", "class 0", "class 1", "synthetic", "rows"], rows)
    print(count_table + "\n")

    model = DecisionTreeClassifier(random_state=args.random_state)
    # The tuned threshold is the alternative to resampling the demo puts beside the samplers.
    methods = ["none", "threshold"]
    for label, recipe in recipes:
        steps = _build(recipe, available, args.random_state)
        # A single sampler is given as one, so the comparison knows it resamples (its verdict weighs the
        # tuned threshold against the resamplers); a chain runs as a whole pipeline.
        methods.append((label, steps[0] if len(steps) == 1 else
                        Pipeline([(f"s{j}", s) for j, s in enumerate(steps)] + [("model", model)])))
    try:
        cv = make_cv(args.cv, random_state=CV_SEED)
    except ValueError as exc:
        raise UserError(f"--cv: {exc}") from None
    progress = None

    def advance(done, total, detail):
        nonlocal progress
        if progress is None:
            progress = Progress(total, "cross-validating", enabled=not args.quiet)
        progress.advance(detail=detail)

    try:
        ev = compare(X, y, model, methods=methods, cv=cv, metrics=list(DEMO_METRICS),
                     n_jobs=args.n_jobs, random_state=args.random_state, check_leak=False, progress=advance)
    finally:
        if progress is not None:
            progress.close()
    folds = cv.get_n_splits() // cv.n_repeats
    print(f"Decision tree, repeated stratified {folds}-fold CV ({cv.n_repeats} repeats), mean ± std over folds; "
          "every resampler inside a smotekit Pipeline (training folds only); 'threshold': the tree alone with "
          "its decision threshold tuned for F1 inside each training fold:")
    print(ev.text_table())
    print("* best mean per metric. Positive class: 1 (the rarest).")
    print("Verdict:")
    for sentence in ev.verdict():
        print(f"  - {sentence}")

    _write_report(report_path, count_table, figures, ev, X, y, model, available, args, plots, t0,
                  _reproduce(recipes, available, cv, args.random_state))
    total = time.perf_counter() - t0
    print(f"\nWrote {len(figures)} scatter plot(s) and {report_path} in {total:.1f}s total.")
    return 0


def _call(name, params, available, random_state) -> str:
    # As _build makes it: the seed only where the class takes one.
    seeded = {**params, "random_state": random_state} if "random_state" in parameters_of(available[name]) \
        else params
    return f"{name}({', '.join(f'{k}={v!r}' for k, v in seeded.items())})"


def _reproduce(recipes, available, cv, random_state) -> str:
    """The Python that computes the demo's scores: its data, model and ``compare`` call, with the folds used."""
    classes = sorted({name for _, recipe in recipes for name, _ in recipe})
    methods = ["'none'", "'threshold'"]
    for label, recipe in recipes:
        steps = [_call(name, params, available, random_state) for name, params in recipe]
        if len(steps) == 1:
            methods.append(f"({label!r}, {steps[0]})")
        else:
            chain = ", ".join(f"('s{j}', {step})" for j, step in enumerate(steps))
            methods.append(f"({label!r}, Pipeline([{chain}, ('model', model)]))")
    data = ", ".join(f"{k}={v!r}" for k, v in DEMO_DATA.items())
    folds = cv.get_n_splits() // cv.n_repeats
    listed = ",\n    ".join(methods)
    return (
        "from sklearn.datasets import make_classification\n"
        "from sklearn.model_selection import RepeatedStratifiedKFold\n"
        "from sklearn.tree import DecisionTreeClassifier\n"
        f"from smotekit import {', '.join(classes)}\n"
        "from smotekit.evaluation import compare\n"
        "from smotekit.pipeline import Pipeline\n\n"
        f"X, y = make_classification({data})\n"
        f"model = DecisionTreeClassifier(random_state={random_state!r})\n"
        f"methods = [\n    {listed},\n]\n"
        f"cv = RepeatedStratifiedKFold(n_splits={folds}, n_repeats={cv.n_repeats}, random_state={CV_SEED})\n"
        f"comparison = compare(X, y, model, methods=methods, cv=cv, metrics={list(DEMO_METRICS)!r},\n"
        f"                     random_state={random_state!r})\n"
        "print(comparison.text_table())"
    )


def _write_report(path, count_table, figures, ev, X, y, model, available, args, plots, t0, code):
    from ..evaluation._report import add_comparison, versions_text
    from ..report import HtmlReport

    rep = HtmlReport("smotekit demo: the SMOTE family on a 1:100 problem",
                     "make_classification(n_samples=10000, n_features=2, n_redundant=0, n_clusters_per_class=1, "
                     "weights=[0.99], flip_y=0, random_state=1)")
    rep.heading("Class counts")
    rep.paragraph("Counts after resampling the whole data set once with each method (for the pictures only; "
                  "the scores below resample each training fold separately).")
    rep.preformatted(count_table)
    if plots:
        rep.heading("Before and after")
        rep.paragraph("Left: the original data. Right: after resampling; crosses are synthetic rows "
                      "(sampler.provenance_.is_synthetic), circles are original rows that were kept.")
        for label, _, fig in figures:
            rep.figure(fig, label)
        if "SMOTE" in available:
            rep.figure(_boundaries(X, y, model, available, args.random_state),
                       "Decision regions of the tree fitted on all rows, without and with SMOTE.")
    else:
        rep.paragraph('matplotlib is not installed: no pictures. pip install "smotekit[plot]".', note=True)
    add_comparison(rep, ev, plots=plots)
    rep.heading("Reproduce")
    rep.preformatted(f"smotekit demo --cv {args.cv} --random-state {args.random_state}")
    rep.paragraph("The scores above, in Python (a threshold option tunes the tree's decision threshold for F1 "
                  "inside each training fold; each sampler runs inside a Pipeline, on the training folds only):",
                  note=True)
    rep.preformatted(code)
    rep.preformatted(versions_text())
    rep.paragraph(f"Run time up to this report: {time.perf_counter() - t0:.1f}s.", note=True)
    write_report(rep, path)


def _boundaries(X, y, model, available, random_state):
    from sklearn.base import clone

    from ..pipeline import Pipeline
    from ..plotting import plot_decision_boundary

    fig, (a1, a2) = figure_axes(2, figsize=(11.0, 4.6))
    plain = clone(model).fit(X, y)
    smote = Pipeline([("over", available["SMOTE"](random_state=random_state)), ("model", clone(model))]).fit(X, y)
    plot_decision_boundary(plain, X, y, ax=a1, title="tree alone", grid_resolution=150)
    plot_decision_boundary(smote, X, y, ax=a2, title="SMOTE, then tree", grid_resolution=150)
    return fig
