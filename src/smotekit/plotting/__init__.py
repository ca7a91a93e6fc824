"""Pictures of resampling: before/after scatter plots, class distributions, decision boundaries, curves.

matplotlib is an optional extra (``pip install "smotekit[plot]"``) and is
imported only when a function here is called. Every function draws on the
``ax`` it is given; without one it makes a new figure — through pyplot when
the caller has already imported ``matplotlib.pyplot`` (so notebooks show it),
else as a bare :class:`matplotlib.figure.Figure`, which needs no display and
no global state (the command line renders this way).
"""

from ._evaluation import plot_critical_difference, plot_paired_differences, plot_reliability_curves
from ._plots import (
    plot_class_distribution,
    plot_decision_boundary,
    plot_precision_recall_curves,
    plot_resampling,
    plot_roc_curves,
    plot_sampler,
    project_2d,
)

__all__ = [
    "plot_class_distribution",
    "plot_critical_difference",
    "plot_decision_boundary",
    "plot_paired_differences",
    "plot_precision_recall_curves",
    "plot_reliability_curves",
    "plot_resampling",
    "plot_roc_curves",
    "plot_sampler",
    "project_2d",
]
