"""Pictures of an evaluation: reliability curves, paired differences with intervals, critical differences.

matplotlib is imported inside each call (through ``_plots._new_axes``), never at import time.
"""

from __future__ import annotations

import math

import numpy as np

from ._plots import PALETTE, _new_axes

__all__ = ["plot_critical_difference", "plot_paired_differences", "plot_reliability_curves"]

# Colours of an interval entirely on the side of an improvement, of a loss, and of one that contains 0
# (Okabe-Ito green and vermillion, readable with the common colour-vision deficiencies).
_BETTER, _WORSE, _NEUTRAL = "#009E73", "#D55E00", "#555555"


def _axes(ax, figsize):
    if ax is not None:
        return ax
    fig, (ax,) = _new_axes(1, figsize=figsize)
    # Text outside the axes (p-values, long names) needs a layout that makes room for it; pyplot's default has none.
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    return ax


def plot_reliability_curves(y_true, probas, *, pos_label, n_bins=10, ax=None, title=None):
    """Reliability (calibration) curves: observed frequency of the positive class per probability bin.

    The probabilities are grouped into ``n_bins`` equal-width bins on [0, 1]
    (a probability of exactly 1 falls in the last one); each non-empty bin is
    drawn at its mean predicted probability (x) and the share of positives
    among its rows (y). A calibrated model lies on the diagonal. The legend
    gives each model's expected calibration error over the same bins (as
    :func:`smotekit.evaluation.expected_calibration_error` with ``n_bins``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    probas : dict of {name: array-like of shape (n_samples,)}
        Predicted probability of ``pos_label`` for each model, e.g. the
        out-of-fold probabilities of one option per method.
    pos_label : label
        The class whose probability is given.
    n_bins : int, default=10
        Number of equal-width bins.
    ax : matplotlib Axes, default=None
    title : str, default=None

    Returns
    -------
    fig : matplotlib Figure
    """
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive int, got {n_bins!r}.")
    if not probas:
        raise ValueError("probas is empty: pass {name: probability of pos_label} for at least one model.")
    y_true = np.asarray(y_true)
    if y_true.ndim != 1:
        raise ValueError(f"y_true must be one-dimensional, got shape {y_true.shape}.")
    outcome = (y_true == pos_label).astype(float)
    if not outcome.any():
        raise ValueError(
            f"pos_label={pos_label!r} does not occur in y_true (labels {np.unique(y_true)[:5].tolist()}); "
            "pass the label whose probability probas holds."
        )
    ax = _axes(ax, (5.5, 4.8))
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--", label="perfectly calibrated")
    for i, (name, prob) in enumerate(probas.items()):
        prob = np.asarray(prob, dtype=float)
        if prob.shape != y_true.shape:
            raise ValueError(
                f"probas[{name!r}] must have the shape of y_true {y_true.shape}, got {prob.shape}; pass the "
                "probability of pos_label only (one column)."
            )
        if np.isnan(prob).any() or np.any((prob < 0) | (prob > 1)):
            raise ValueError(f"probas[{name!r}] must hold probabilities in [0, 1].")
        bins = np.minimum((prob * n_bins).astype(np.int64), n_bins - 1)
        count = np.bincount(bins, minlength=n_bins)
        filled = count > 0
        mean_prob = np.bincount(bins, prob, n_bins)[filled] / count[filled]
        frequency = np.bincount(bins, outcome, n_bins)[filled] / count[filled]
        ece = float(np.sum(count[filled] * np.abs(frequency - mean_prob)) / count.sum())
        ax.plot(mean_prob, frequency, marker="o", ms=4, lw=1.4, color=PALETTE[i % len(PALETTE)],
                label=f"{name} (ECE {ece:.3f})", gid=f"reliability:{name}")
    # A little room beyond [0, 1] so that points on the edges are not cut in half.
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel(f"observed frequency of class {pos_label}")
    ax.set_title(title or f"Reliability, {n_bins} bins")
    ax.legend(loc="upper left", fontsize=8)
    return ax.figure


def _p_text(p):
    if p is None or math.isnan(p):
        return "p n/a"
    return "p<0.001" if p < 0.001 else f"p={p:#.3g}"


def _rows(differences):
    """``(name, test or None, p-value)`` per item of ``differences``."""
    rows = []
    for item in differences:
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise ValueError(
                f"differences must hold (option, PairedTest) or (option, PairedTest, adjusted p-value) items, "
                f"got {item!r}."
            )
        name, test = item[0], item[1]
        p = item[2] if len(item) == 3 else getattr(test, "pvalue", None)
        rows.append((str(name), test, None if p is None else float(p)))
    return rows


def plot_paired_differences(differences, *, metric_title, baseline, higher_is_better=True, alpha=0.05, ax=None,
                            title=None):
    """Mean paired difference of each option from the baseline, with its confidence interval.

    One row per option, top to bottom in the order given: a horizontal line
    spans the interval and a marker sits at the mean. An interval entirely on
    the side of an improvement is green with a filled marker, one entirely on
    the side of a loss is red with a filled marker, and one that contains 0 is
    grey with a hollow marker. The p-value of each option is written right of
    the axes, against its row, to three significant digits (``p=0.0312``) or
    as ``p<0.001``. A missing test, or one with NaN statistics (a metric that
    could not be computed), leaves its row empty, marked 'not tested'.

    When p-values are given (e.g. Holm-adjusted ones), a row is coloured only
    if its p-value is also below ``alpha``, so the picture says no more than
    the adjusted test does; an interval clear of 0 whose adjusted p-value is
    above ``alpha`` stays grey.

    The y tick labels are the option names alone, so that panels of several
    metrics drawn with the same options in the same order can share the y
    axis (names on the first column only).

    Parameters
    ----------
    differences : list of (str, PairedTest or None) or (str, PairedTest or None, float)
        Option name, its paired test against the baseline
        (:func:`smotekit.evaluation.corrected_ttest` of option minus
        baseline, or None when not tested) and optionally the p-value to
        show, e.g. the Holm-adjusted one of
        :meth:`smotekit.evaluation.Comparison.differences`; without it the
        test's own ``pvalue`` is shown.
    metric_title : str
        The metric, for the title.
    baseline : str
        Name of the baseline, for the x axis label.
    higher_is_better : bool, default=True
        Direction of the metric: False for losses, costs and calibration
        errors, where a negative difference is the improvement.
    alpha : float, default=0.05
        The level a given p-value must be below for its row to be coloured.
    ax : matplotlib Axes, default=None
    title : str, default=None
        The title; ``metric_title`` when None.

    Returns
    -------
    fig : matplotlib Figure
    """
    rows = _rows(differences)
    if not rows:
        raise ValueError("differences is empty: pass a list of (option name, PairedTest) pairs.")
    ax = _axes(ax, (5.0, 1.2 + 0.4 * len(rows)))
    ys, lows, highs, means, colours, filled = [], [], [], [], [], []
    for row, (name, test, p) in enumerate(rows):
        y = len(rows) - 1 - row  # the first option on top
        tested = test is not None and not any(math.isnan(v) for v in (test.low, test.high, test.mean))
        # Text outside the axes, against the row: in x the axes fraction, in y the data.
        ax.text(1.03, y, _p_text(p) if tested else "not tested", transform=ax.get_yaxis_transform(),
                ha="left", va="center", fontsize=8, clip_on=False, gid=f"p:{name}")
        if not tested:
            continue
        significant = p is None or p < alpha
        gain = significant and (test.low > 0 if higher_is_better else test.high < 0)
        loss = significant and (test.high < 0 if higher_is_better else test.low > 0)
        ys.append(y)
        lows.append(test.low)
        highs.append(test.high)
        means.append(test.mean)
        filled.append(gain or loss)
        colours.append(_BETTER if gain else _WORSE if loss else _NEUTRAL)
    ax.axvline(0.0, color="grey", lw=0.9, ls="--", gid="zero")
    if ys:
        ax.hlines(ys, lows, highs, colors=colours, lw=2.2, gid="intervals")
        ax.scatter(means, ys, s=42, zorder=3, edgecolors=colours, linewidths=1.5,
                   facecolors=[c if f else "white" for c, f in zip(colours, filled)], gid="means")
    ax.set_yticks(range(len(rows) - 1, -1, -1), [name for name, _, _ in rows])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(f"option − {baseline}")
    ax.set_title(metric_title if title is None else title)
    ax.grid(axis="x", lw=0.4, alpha=0.5)
    # Few x ticks: panels of this kind are often drawn three a row, where long tick labels would touch.
    ax.locator_params(axis="x", nbins=5)
    return ax.figure


def _groups(ranks, cd):
    """Maximal runs of options, in rank order, whose mean ranks differ by less than ``cd``.

    Returns pairs ``(low rank, high rank)``; a run contained in an earlier one
    is left out, and a lone option is not a group.
    """
    r = np.sort(ranks)
    found = []
    last = -1
    for i in range(len(r)):
        j = int(np.searchsorted(r, r[i] + cd, side="left")) - 1  # last option less than cd away
        if j > i and j > last:
            found.append((float(r[i]), float(r[j])))
            last = j
    return found


def _width(text, size):
    """Width in inches of ``text`` at font ``size`` in the default font, measured without a renderer."""
    from matplotlib.textpath import TextPath

    return TextPath((0, 0), text, size=size).get_extents().width / 72


def _shorten(name, keep):
    """``name`` cut to ``keep`` characters, an ellipsis in the middle (the ends tell options apart)."""
    if len(name) <= keep:
        return name
    head = (keep - 1) // 2
    return f"{name[:head]}…{name[len(name) - (keep - 1 - head):]}"


def _cd_labels(names, ranks, right, left, width, spacing):
    """Font size and label texts of a critical-difference diagram that fit ``width`` inches, rows ``spacing`` apart.

    The axis of ranks needs some room to stay readable; the names get the
    rest. The font shrinks from 9 to 6 points to fit the row spacing and the
    width, and past that the longest names are shortened.
    """
    size = float(np.clip(spacing * 72 / 1.3, 6.0, 9.0))
    axis_min = max(1.5, 0.09 * (len(names) - 1))
    room = (width - axis_min) / 2 - 0.35  # per side, less the leader line and padding

    def texts(keep):
        out = {}
        for j in right:
            out[j] = f" ({ranks[j]:.2f}) {_shorten(names[j], keep)}"
        for j in left:
            out[j] = f"{_shorten(names[j], keep)} ({ranks[j]:.2f}) "
        return out

    keep = max(len(n) for n in names)
    labels = texts(keep)
    widest = max(_width(t, size) for t in labels.values())
    if widest > room:
        size = max(6.0, size * room / widest)
    while keep > 8 and max(_width(t, size) for t in labels.values()) > room:
        keep -= 2
        labels = texts(keep)
    return size, labels


def plot_critical_difference(result, *, ax=None, title=None):
    """Critical-difference diagram of a Friedman/Nemenyi comparison (Demšar, 2006).

    The axis carries the mean ranks, best (1) on the right; each option hangs
    from its mean rank with its name, the better half on the right and the
    rest on the left. The bar labelled CD has the length of the critical
    difference in rank units, and a thick line joins each maximal group of
    options whose mean ranks differ by less than it (not significantly
    different by the Nemenyi test). Without a critical difference (fewer than
    two data sets) neither is drawn.

    The names are measured and the rank axis given the width they leave, so
    that they stay inside the axes; on a small axes for many options the
    font shrinks (down to 6 points) and then the longest names are shortened
    in the middle.

    Parameters
    ----------
    result : FriedmanResult
        From :func:`smotekit.evaluation.friedman_test`.
    ax : matplotlib Axes, default=None
        Without one, a figure wide enough for the names is made.
    title : str, default=None

    Returns
    -------
    fig : matplotlib Figure
    """
    names = [str(n) for n in result.names]
    ranks = np.asarray(result.ranks, dtype=float)
    k = len(names)
    cd = float(result.critical_difference)
    order = np.argsort(ranks, kind="stable")
    right = order[: (k + 1) // 2]  # best half
    left = order[(k + 1) // 2:][::-1]
    rows = max(len(right), len(left))
    if ax is None:
        longest = max(_width(f"{n} (0.00) ", 9) for n in names)
        ax = _axes(ax, (min(16.0, max(8.0, 2 * longest + 0.3 * k + 1.5)), 1.6 + 0.32 * rows))
    lo, hi = 1, max(k, 2)
    n_groups = len(_groups(ranks, cd)) if math.isfinite(cd) else 0
    top = -0.5 - 0.16 * max(n_groups - 1, 0)
    # The axes' size before any layout: constrained layout only widens it, which leaves the names more room.
    box = ax.get_window_extent()
    dpi = ax.figure.dpi
    spacing = 0.42 * box.height / dpi / (1.35 - (top - 0.42 * rows))  # inches between rows of names
    size, labels = _cd_labels(names, ranks, right, left, box.width / dpi, spacing)
    # Inches to rank units: the names beside the axis, a leader line of 0.2 inch, the axis itself in between.
    widest_left = max((_width(labels[j], size) for j in left), default=0.0)
    widest_right = max((_width(labels[j], size) for j in right), default=0.0)
    lead, pad = 0.2, 0.08
    axis_in = box.width / dpi - widest_left - widest_right - 2 * (lead + pad)
    spare = max(0.0, axis_in - max(3.0, 0.6 * (hi - lo)))  # centre a short axis rather than stretch it
    axis_in -= spare
    per_inch = (hi - lo) / max(axis_in, 0.5)
    # Rank axis: a line at y = 0 with a tick at every integer rank, numbered as often as they fit.
    ax.plot([lo, hi], [0, 0], color="black", lw=1.0, gid="rank-axis")
    step = max(1, math.ceil((_width(str(hi), size) + 0.06) * per_inch))
    for r in range(lo, hi + 1):
        ax.plot([r, r], [0, 0.12], color="black", lw=1.0)
        if (r - lo) % step == 0:
            ax.text(r, 0.2, str(r), ha="center", va="bottom", fontsize=size)
    if math.isfinite(cd):
        start = float(hi)
        ax.plot([start, start - cd], [0.85, 0.85], color="black", lw=1.6, gid="cd-bar")
        for end in (start, start - cd):
            ax.plot([end, end], [0.78, 0.92], color="black", lw=1.0)
        ax.text(start - cd / 2, 0.98, f"CD = {cd:.2f}", ha="center", va="bottom", fontsize=size)
        for i, (a, b) in enumerate(_groups(ranks, cd)):
            y = -0.22 - 0.16 * i
            ax.plot([a, b], [y, y], color="black", lw=3.5, solid_capstyle="round", gid="group")
    reach = lead * per_inch
    for idx, x_text, ha in ((right, lo - reach, "left"), (left, hi + reach, "right")):
        for row, j in enumerate(idx):
            y = top - 0.42 * row
            ax.plot([ranks[j], ranks[j], x_text], [0, y, y], color="#333333", lw=0.9, gid=f"name-line:{names[j]}")
            ax.text(x_text, y, labels[j], ha=ha, va="center", fontsize=size, gid=f"name:{names[j]}")
    ax.set_xlim(hi + (lead + widest_left + pad + spare / 2) * per_inch,
                lo - (lead + widest_right + pad + spare / 2) * per_inch)  # reversed: rank 1 on the right
    ax.set_ylim(top - 0.42 * rows, 1.35)
    ax.set_axis_off()
    friedman = "" if math.isnan(result.statistic) else f", Friedman p = {result.pvalue:.3g}"
    ax.set_title(title or f"Mean ranks over {result.n_datasets} data sets (Nemenyi, α = {result.alpha:g}){friedman}",
                 fontsize=10)
    return ax.figure
