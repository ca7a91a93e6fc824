"""The drawing functions; matplotlib is imported inside each call, never at import time."""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np

__all__ = [
    "plot_class_distribution",
    "plot_decision_boundary",
    "plot_precision_recall_curves",
    "plot_resampling",
    "plot_roc_curves",
    "plot_sampler",
    "project_2d",
]

INSTALL_HINT = 'Plotting needs matplotlib: pip install "smotekit[plot]" (or pip install matplotlib).'
# Colour-blind-safe qualitative palette (Okabe & Ito), reused so a class keeps its colour across panels.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
SYNTHETIC_MARKER = "x"


def _matplotlib():
    try:
        import matplotlib  # noqa: F401
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return Figure


def _new_axes(ncols=1, figsize=(6.0, 4.5)):
    """A figure with ``ncols`` axes: pyplot-managed if the caller uses pyplot, else standalone."""
    Figure = _matplotlib()
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, ncols, figsize=figsize, squeeze=False)
    else:
        fig = Figure(figsize=figsize, layout="constrained")
        axes = fig.subplots(1, ncols, squeeze=False)
    return fig, list(axes[0])


def _as_matrix(X):
    if hasattr(X, "to_numpy"):
        X = X.to_numpy()
    if hasattr(X, "toarray"):
        X = X.toarray()
    return np.asarray(X, dtype=np.float64)


def _colours(labels):
    return {lab: PALETTE[i % len(PALETTE)] for i, lab in enumerate(labels)}


def project_2d(X, *, reference=None):
    """Two columns to draw: X itself with two features, else its first two principal components.

    With more than two features the projection is a PCA fitted on
    ``reference`` (default ``X``) after standardising each feature, so that
    the before and after panels of a resampling share the same axes.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Numeric data.
    reference : array-like of shape (n_ref, n_features), default=None
        The rows the projection is fitted on.

    Returns
    -------
    points : ndarray of shape (n_samples, 2)
    axis_labels : tuple of str
    """
    X = _as_matrix(X)
    if X.shape[1] == 1:
        return np.column_stack([X[:, 0], np.zeros(X.shape[0])]), ("feature 0", "")
    if X.shape[1] == 2:
        return X, ("feature 0", "feature 1")
    ref = X if reference is None else _as_matrix(reference)
    mean, scale = ref.mean(axis=0), ref.std(axis=0)
    scale[scale == 0] = 1.0
    # Principal axes from the SVD of the standardised reference rows.
    _, _, vt = np.linalg.svd((ref - mean) / scale, full_matrices=False)
    return ((X - mean) / scale) @ vt[:2].T, ("PCA component 1", "PCA component 2")


def plot_resampling(X, y, X_res, y_res, is_synthetic=None, *, axes=None, title=None, max_points=20000,
                    random_state=0):
    """Scatter plots of the data before (left) and after (right) resampling.

    Synthetic rows are drawn as crosses over the original points (circles),
    in their class's colour; above two features both panels show the same
    PCA projection (see :func:`project_2d`).

    Parameters
    ----------
    X, y : array-like
        The data given to the sampler.
    X_res, y_res : array-like
        What ``fit_resample`` returned.
    is_synthetic : array-like of bool of shape (n_res,), default=None
        Which output rows are new (``sampler.provenance_.is_synthetic``).
    axes : sequence of two matplotlib Axes, default=None
    title : str, default=None
        Figure title.
    max_points : int, default=20000
        Per panel, original points beyond this are thinned (at random) to keep
        files small; synthetic points are thinned likewise.
    random_state : int, default=0
        Seed of the thinning.

    Returns
    -------
    fig : matplotlib Figure
    """
    if axes is None:
        fig, axes = _new_axes(2, figsize=(11.0, 4.8))
    else:
        fig = axes[0].figure
    y, y_res = np.asarray(y), np.asarray(y_res)
    before, names = project_2d(X)
    after, _ = project_2d(X_res, reference=X)
    synthetic = np.zeros(len(y_res), bool) if is_synthetic is None else np.asarray(is_synthetic, bool)
    labels = np.unique(np.concatenate([np.unique(y), np.unique(y_res)]))
    colours = _colours(labels)
    rng = np.random.default_rng(random_state)

    def thin(mask):
        idx = np.flatnonzero(mask)
        return idx if idx.size <= max_points else np.sort(rng.choice(idx, max_points, replace=False))

    for ax, pts, lab, syn, panel in ((axes[0], before, y, np.zeros(len(y), bool), "before"),
                                     (axes[1], after, y_res, synthetic, "after")):
        sizes = Counter(lab[~syn].tolist())
        # Largest class first, then the synthetic rows, then the rarer originals on top, so that
        # neither the new points nor the real minority rows they came from are hidden.
        order = sorted(labels, key=lambda c: -sizes.get(c, 0))
        layers = [("orig", order[0]), *(("syn", c) for c in labels), *(("orig", c) for c in order[1:])]
        for layer, cls in layers:
            mask = (lab == cls) & (syn if layer == "syn" else ~syn)
            idx = thin(mask)
            if not idx.size:
                continue
            if layer == "orig":
                # Rare-class originals get a dark rim so they stand out among their synthetic offspring.
                rim = {"edgecolors": "none"} if cls == order[0] else {"edgecolors": "#222222", "linewidths": 0.4}
                ax.scatter(pts[idx, 0], pts[idx, 1], s=10, alpha=0.7, color=colours[cls],
                           label=f"class {cls}: {int(mask.sum())} original", **rim)
            else:
                ax.scatter(pts[idx, 0], pts[idx, 1], s=14, marker=SYNTHETIC_MARKER, linewidths=0.8,
                           color=colours[cls], alpha=0.75, label=f"class {cls}: {int(mask.sum())} synthetic")
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
        ax.set_title(f"{panel}: {len(lab)} rows")
        ax.legend(loc="upper left", fontsize=8, markerscale=1.5, framealpha=0.85)
    # One frame for both panels, so that a move of the points reads as a move.
    for get, set_ in (("get_xlim", "set_xlim"), ("get_ylim", "set_ylim")):
        lims = [getattr(ax, get)() for ax in axes[:2]]
        for ax in axes[:2]:
            getattr(ax, set_)(min(lo for lo, _ in lims), max(hi for _, hi in lims))
    if title:
        fig.suptitle(title)
    return fig


def plot_sampler(sampler, X, y, *, axes=None, title=None, **kwargs):
    """Resample ``(X, y)`` with ``sampler`` and draw :func:`plot_resampling` of the result.

    Parameters
    ----------
    sampler : smotekit sampler
        Unfitted or fitted; it is fitted here with ``fit_resample``.
    X, y : array-like
    axes : sequence of two Axes, default=None
    title : str, default=None
        Defaults to the sampler's class name.
    **kwargs
        Passed to :func:`plot_resampling`.

    Returns
    -------
    fig : matplotlib Figure
    """
    X_res, y_res = sampler.fit_resample(X, y)
    provenance = getattr(sampler, "provenance_", None)
    synthetic = None if provenance is None else provenance.is_synthetic
    return plot_resampling(X, y, X_res, y_res, synthetic, axes=axes,
                           title=type(sampler).__name__ if title is None else title, **kwargs)


def plot_class_distribution(y, *, ax=None, title="Class distribution", log=None):
    """Horizontal bar chart of the class counts, with counts and shares written on the bars.

    Parameters
    ----------
    y : array-like of labels, or a mapping ``{label: count}``
    ax : matplotlib Axes, default=None
    title : str, default='Class distribution'
    log : bool, default=None
        Logarithmic count axis; by default when the largest class is over 50
        times the smallest.

    Returns
    -------
    fig : matplotlib Figure
    """
    counts = dict(y) if isinstance(y, dict) else dict(Counter(np.asarray(y).tolist()))
    if not counts:
        raise ValueError("y is empty: there is no class to draw.")
    if ax is None:
        fig, (ax,) = _new_axes(1, figsize=(6.0, 0.6 + 0.45 * len(counts) + 1.0))
    else:
        fig = ax.figure
    labels = sorted(counts, key=lambda k: counts[k])
    values = np.array([counts[k] for k in labels], dtype=float)
    colours = _colours(sorted(counts, key=str))
    ax.barh([str(k) for k in labels], values, color=[colours[k] for k in labels])
    if log is None:
        log = values.max() > 50 * max(values.min(), 1)
    if log:
        ax.set_xscale("log")
    total = values.sum()
    for i, v in enumerate(values):
        ax.text(v, i, f" {int(v)} ({v / total:.1%})", va="center", fontsize=9)
    ax.set_xlim(right=values.max() * (8 if log else 1.25))
    ax.set_xlabel("rows" + (" (log scale)" if log else ""))
    ax.set_title(title)
    return fig


def plot_decision_boundary(estimator, X, y, *, ax=None, grid_resolution=200, title=None):
    """Predicted class over the plane of a fitted two-feature classifier, with the data on top.

    Parameters
    ----------
    estimator : fitted classifier
        Anything with ``predict`` taking two features (a smotekit Pipeline too).
    X : array-like of shape (n_samples, 2)
    y : array-like of shape (n_samples,)
    ax : matplotlib Axes, default=None
    grid_resolution : int, default=200
        Grid points per axis.
    title : str, default=None

    Returns
    -------
    fig : matplotlib Figure
    """
    X = _as_matrix(X)
    if X.shape[1] != 2:
        raise ValueError(
            f"plot_decision_boundary needs exactly two features, got {X.shape[1]}; select two columns, "
            "or fit the model on project_2d(X)[0]."
        )
    if ax is None:
        fig, (ax,) = _new_axes(1)
    else:
        fig = ax.figure
    y = np.asarray(y)
    labels = np.unique(y)
    colours = _colours(labels)
    pad = 0.05 * (X.max(axis=0) - X.min(axis=0) + 1e-12)
    xs = np.linspace(X[:, 0].min() - pad[0], X[:, 0].max() + pad[0], grid_resolution)
    ys = np.linspace(X[:, 1].min() - pad[1], X[:, 1].max() + pad[1], grid_resolution)
    gx, gy = np.meshgrid(xs, ys)
    pred = np.asarray(estimator.predict(np.column_stack([gx.ravel(), gy.ravel()])))
    codes = np.searchsorted(labels, pred).reshape(gx.shape)
    from matplotlib.colors import ListedColormap

    ax.contourf(gx, gy, codes, levels=np.arange(len(labels) + 1) - 0.5,
                cmap=ListedColormap([colours[c] for c in labels]), alpha=0.18)
    for cls in sorted(labels, key=lambda c: -(y == c).sum()):
        mask = y == cls
        ax.scatter(X[mask, 0], X[mask, 1], s=9, color=colours[cls], alpha=0.7, edgecolors="none",
                   label=f"class {cls}")
    ax.legend(loc="best", fontsize=8)
    ax.set_xlabel("feature 0")
    ax.set_ylabel("feature 1")
    ax.set_title(title or f"Decision regions of {type(estimator).__name__}")
    return fig


def plot_roc_curves(y_true, scores, *, pos_label, ax=None, title=None):
    """ROC curves of several score vectors on the same data, with their AUC in the legend.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    scores : dict of {name: array-like of shape (n_samples,)}
        Scores for ``pos_label`` (higher means more likely positive), e.g.
        out-of-fold probabilities of one model per resampling method.
    pos_label : label
        The class treated as positive.
    ax : matplotlib Axes, default=None
    title : str, default=None

    Returns
    -------
    fig : matplotlib Figure
    """
    from sklearn.metrics import auc, roc_curve

    if ax is None:
        fig, (ax,) = _new_axes(1, figsize=(5.5, 4.8))
    else:
        fig = ax.figure
    for i, (name, s) in enumerate(scores.items()):
        fpr, tpr, _ = roc_curve(y_true, s, pos_label=pos_label)
        ax.plot(fpr, tpr, color=PALETTE[i % len(PALETTE)], lw=1.6, label=f"{name} (AUC {auc(fpr, tpr):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--", label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(title or f"ROC, positive class {pos_label}")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_precision_recall_curves(y_true, scores, *, pos_label, ax=None, title=None):
    """Precision-recall curves of several score vectors, average precision in the legend.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    scores : dict of {name: array-like of shape (n_samples,)}
        Scores for ``pos_label``.
    pos_label : label
        The class treated as positive.
    ax : matplotlib Axes, default=None
    title : str, default=None

    Returns
    -------
    fig : matplotlib Figure
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    if ax is None:
        fig, (ax,) = _new_axes(1, figsize=(5.5, 4.8))
    else:
        fig = ax.figure
    y_true = np.asarray(y_true)
    for i, (name, s) in enumerate(scores.items()):
        precision, recall, _ = precision_recall_curve(y_true, s, pos_label=pos_label)
        ap = average_precision_score(y_true, s, pos_label=pos_label)
        ax.step(recall, precision, where="post", color=PALETTE[i % len(PALETTE)], lw=1.6,
                label=f"{name} (AP {ap:.3f})")
    prevalence = float(np.mean(y_true == pos_label))
    ax.axhline(prevalence, color="grey", lw=0.8, ls="--", label=f"chance ({prevalence:.3f})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_ylim(0, 1.02)
    ax.set_title(title or f"Precision-recall, positive class {pos_label}")
    ax.legend(loc="upper right", fontsize=8)
    return fig
