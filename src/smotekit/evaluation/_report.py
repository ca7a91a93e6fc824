"""A comparison as sections of an HTML report: scores, paired differences, verdict, curves, ranks across data sets."""

from __future__ import annotations

import platform
import sys

import numpy as np

from ..report import figure_axes
from ._scores import is_probability
from ._stats import format_p

__all__ = ["add_comparison", "add_datasets", "failure_text", "versions_text", "write_html"]

#: Metrics whose paired-difference plots the report draws (those a comparison has).
_PLOTTED = ("pr_auc", "roc_auc", "log_loss", "ece", "f1", "cost")
#: Bins of the reliability curves: those of the ECE in the scores table.
_ECE_BINS = 15
#: At most this many options' curves in one picture.
_CURVES = 8


def versions_text() -> str:
    """Python and the versions of the libraries a comparison's numbers depend on."""
    from importlib import metadata

    lines = [f"python {platform.python_version()} ({sys.platform})"]
    for dist in ("smotekit", "scikit-learn", "numpy", "scipy", "pandas", "joblib"):
        try:
            lines.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return "\n".join(lines)


def failure_text(comp, option) -> str:
    """'failed on every fold' or 'failed on N of M folds': a fold failed where every score but fit time is NaN."""
    keep = [i for i, k in enumerate(comp.metrics) if k != "fit_time"]
    scores = comp.scores[comp.options.index(option)][:, keep]
    failed = int(np.isnan(scores).all(axis=1).sum())
    n = scores.shape[0]
    return "failed on every fold" if failed == n else f"failed on {failed} of {n} folds"



def add_comparison(report, comp, *, plots=True, heading_prefix="") -> None:
    """Add one comparison's sections to an :class:`~smotekit.report.HtmlReport`.

    Parameters
    ----------
    report : HtmlReport
    comp : Comparison
    plots : bool, default=True
        Draw the figures (needs matplotlib).
    heading_prefix : str, default=''
        Put before every heading (a data set's name, when a report holds several).
    """
    from ._scores import METRICS

    p = heading_prefix
    report.heading(f"{p}Verdict")
    for sentence in comp.verdict():
        report.paragraph(sentence)
    report.paragraph(
        f"Better or worse means the corrected resampled t-test (Nadeau and Bengio), Holm-adjusted over the "
        f"options, rejects 'no difference' at {comp.alpha:g}; otherwise the difference is within what the "
        f"{comp.n_folds} folds allow, which is not proof of equality.", note=True)
    report.heading(f"{p}Scores")
    header, rows, best = comp.table()
    report.table(header, rows, best=best)
    legend = "; ".join(f"{METRICS[k].title}: {METRICS[k].description}" for k in comp.metrics)
    report.paragraph(f"Mean ± standard deviation over {comp.n_folds} test folds; the best mean per metric is "
                     f"highlighted (lowest for log loss, Brier score, ECE, cost and fit time). {legend}.", note=True)
    report.paragraph(comp.averaging_note() + ("" if comp.multiclass else
                     f" Threshold options tune the decision threshold for {comp.objective} inside each training "
                     "fold."), note=True)
    if comp.descriptions:
        report.heading(f"{p}Options")
        report.table(["option", "what is fitted in each training fold"],
                     [[o, comp.descriptions.get(o, "")] for o in comp.options])
    report.heading(f"{p}Differences from {comp.baseline}")
    report.preformatted(comp.differences_table())
    if comp.errors or comp.skipped:
        report.heading(f"{p}Options that did not run everywhere")
        report.table(["option", "what happened"],
                     [[o, f"skipped: {why}"] for o, why in comp.skipped.items()]
                     + [[o, f"{failure_text(comp, o)}: {err}"] for o, err in comp.errors.items()])
    if not plots:
        return
    from matplotlib.figure import Figure

    from ..plotting import (
        plot_paired_differences,
        plot_precision_recall_curves,
        plot_reliability_curves,
        plot_roc_curves,
    )

    diffs = {(d.metric, d.option): d for d in comp.differences()}
    shown = [k for k in _PLOTTED if k in comp.metrics]
    others = [o for o in comp.options if o != comp.baseline]
    if shown and diffs:
        # At most 3 panels a row, sharing the option names of their row's first panel.
        ncols = min(3, len(shown))
        nrows = -(-len(shown) // ncols)
        fig = Figure(figsize=(5.2 * ncols, nrows * (1.3 + 0.3 * len(others))), layout="constrained")
        axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
        for ax, key in zip(axes, shown):
            rows = [(o, diffs[key, o].test, diffs[key, o].pvalue_holm) if (key, o) in diffs else (o, None)
                    for o in others]
            plot_paired_differences(rows, metric_title=METRICS[key].title, baseline=comp.baseline,
                                    higher_is_better=METRICS[key].higher_is_better, alpha=comp.alpha, ax=ax)
        for ax in axes[len(shown):]:
            fig.delaxes(ax)
        report.figure(fig, f"Per-fold differences from {comp.baseline} (option - {comp.baseline}), mean and "
                           f"{1 - comp.alpha:.0%} corrected interval. p: the corrected t-test's p-value, "
                           "Holm-adjusted over the options of each metric. Green or red: significantly better "
                           f"or worse (adjusted p below {comp.alpha:g}), as the verdict says; grey otherwise "
                           "(the intervals are not adjusted, so a grey one can clear 0).")
    if comp.multiclass:
        return
    # A '+threshold' option moves the decision, not the probabilities: its curves are its base's.
    drawn = [o for o in comp.options
             if not np.isnan(comp.oof[o]).any() and not comp.kinds.get(o, "").endswith("threshold")]
    if not drawn:
        return
    note = ""
    if len(drawn) > _CURVES:
        # Dozens of curves are unreadable: the baseline and the best by the first ranking metric.
        key = next((k for k in ("pr_auc", "roc_auc") if k in comp.metrics), None)
        col = comp.means()[:, comp.metrics.index(key)] if key else np.zeros(len(comp.options))
        rest = sorted((o for o in drawn if o != comp.baseline), key=lambda o: -np.nan_to_num(
            col[comp.options.index(o)], nan=-np.inf))
        drawn = ([comp.baseline] if comp.baseline in drawn else []) + rest[:_CURVES - 1]
        note = f" Shown: {comp.baseline} and the best {len(drawn) - 1} by mean {METRICS[key].title}." if key else ""
    scores = {o: comp.oof[o][:, comp.pos] for o in drawn}
    # Decision values (a model without predict_proba) rank the rows, which is all ROC and PR curves need;
    # a reliability curve needs probabilities.
    probas = {o: scores[o] for o in drawn if is_probability(comp.oof[o])}
    truth = (comp.y == comp.pos).astype(int)
    fig, axes = figure_axes(3 if probas else 2, (16.0 if probas else 11.0, 4.8))
    if probas:
        plot_reliability_curves(truth, probas, pos_label=1, n_bins=_ECE_BINS, ax=axes[0],
                                title="Reliability (calibration)")
    plot_roc_curves(truth, scores, pos_label=1, ax=axes[-2], title="ROC")
    plot_precision_recall_curves(truth, scores, pos_label=1, ax=axes[-1], title="Precision-recall")
    text = "Out-of-fold scores of the first repetition (each row predicted once, by a model that never saw it)."
    if probas:
        text += (f" A calibrated model's points lie on the diagonal; the legend's ECE is computed on these pooled "
                 f"out-of-fold predictions ({_ECE_BINS} bins), while the table's ECE averages it per test fold.")
    missing = [o for o in drawn if o not in probas]
    if missing:
        text += (f" No reliability curve for {', '.join(missing)}: "
                 + ("its" if len(missing) == 1 else "their") + " scores are decision values, not probabilities.")
    report.figure(fig, text + note)


def add_datasets(report, multi, *, plots=True) -> None:
    """Add the across-data-set sections: mean ranks, Friedman tests and critical-difference diagrams.

    Parameters
    ----------
    report : HtmlReport
    multi : MultiComparison
    plots : bool, default=True
    """
    from ._scores import METRICS

    report.heading("Across data sets")
    n = len(multi.results)
    if n < 2:
        report.paragraph("One data set: no test across data sets.", note=True)
        return
    keys, left_out = multi.rankable_metrics()
    rows, results = [], []
    for key in keys:
        res = multi.friedman(key)
        results.append((key, res))
        order = np.argsort(res.ranks)
        rows.append([METRICS[key].title, format_p(res.pvalue), f"{res.critical_difference:.2f}",
                     ", ".join(f"{res.names[i]} ({res.ranks[i]:.2f})" for i in order[:4])])
    if rows:
        report.table(["metric", "Friedman p", "Nemenyi CD", "best mean ranks"], rows)
    report.paragraph(f"Ranks of the options on each of the {n} data sets (1 = best), averaged; two options "
                     "whose mean ranks differ by less than the critical difference are not significantly "
                     "different (Nemenyi, after a Friedman test). With few data sets these tests have little "
                     "power.", note=True)
    if left_out:
        report.paragraph(f"Not ranked (fewer than 2 options with a score on every data set): "
                         f"{', '.join(METRICS[k].title for k in left_out)}.", note=True)
    if not plots:
        return
    from ..plotting import plot_critical_difference

    for key, res in results:
        if key not in _PLOTTED or len(res.names) < 2:
            continue
        # Wider for long names (about 0.07 inch a character on each side), up to a page's width.
        longest = max(len(str(name)) for name in res.names)
        fig, (ax,) = figure_axes(1, (min(16.0, max(9.0, 3.0 + 0.25 * len(res.names) + 0.15 * longest)),
                                 1.6 + 0.28 * len(res.names)))
        plot_critical_difference(res, ax=ax, title=f"{METRICS[key].title}: mean ranks over {n} data sets")
        report.figure(fig, f"Critical-difference diagram for {METRICS[key].title}; bars join options not "
                           "significantly different.")


def write_html(comparison, path, *, title=None, command=None, plots=True):
    """Write a self-contained HTML report of a :class:`Comparison` or :class:`MultiComparison`.

    Parameters
    ----------
    comparison : Comparison or MultiComparison
    path : str or Path
        Written whole or not at all (a temporary file renamed into place).
    title : str, default=None
    command : str, default=None
        The command (or code) that reproduces the numbers, shown in the report.
    plots : bool, default=True

    Returns
    -------
    Path
    """
    from ..report import HtmlReport
    from ._result import MultiComparison

    multi = isinstance(comparison, MultiComparison)
    rep = HtmlReport(title or "smotekit: should I resample?",
                     f"{len(comparison.results)} data sets" if multi else f"{len(comparison.y)} rows")
    if multi:
        add_datasets(rep, comparison, plots=plots)
        for name, comp in comparison.results.items():
            add_comparison(rep, comp, plots=plots, heading_prefix=f"{name}: ")
    else:
        add_comparison(rep, comparison, plots=plots)
    rep.heading("Reproduce")
    if command:
        rep.preformatted(command)
    rep.preformatted(versions_text())
    return rep.write(path)
