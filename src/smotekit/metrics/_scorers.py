"""Scorers for scikit-learn's model selection (``scoring=`` objects), and names to find them.

scikit-learn offers no public way to add names to its own scorer registry, so
``scoring="geometric_mean"`` cannot be made to work inside ``GridSearchCV``
without patching private state. smotekit therefore ships scorer *objects*
(``scoring=geometric_mean_scorer``) and :func:`get_scorer`, which resolves
smotekit's names and falls back to scikit-learn's: ``scoring=get_scorer("geometric_mean")``,
or a dict of several for ``cross_validate``.

The regression scorers (``neg_sera``, ``rare_f1``, ``neg_rare_rmse``) read a
relevance function. By default it is ``Relevance()`` fitted on each test
fold's ``y_true``: every fold is scored with its own box-plot extremes, so what
counts as rare shifts from fold to fold (a fold whose targets happen to be
spread out has fewer rare cases, and a small fold has noisy extremes), and
the folds' scores are not measured on one scale. To score every fold with one
relevance function, fit it once on the whole target (it only defines the
metric; no model sees it) and bind it::

    from sklearn.metrics import make_scorer
    from smotekit.metrics import sera
    from smotekit.regression import Relevance

    scoring = make_scorer(sera, greater_is_better=False, relevance=Relevance().fit(y))

A fitted ``Relevance`` is used as is, never refitted on the fold.
"""

from __future__ import annotations

import difflib

from sklearn.metrics import get_scorer as _sk_get_scorer
from sklearn.metrics import get_scorer_names as _sk_scorer_names
from sklearn.metrics import make_scorer

from ._classification import (
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    sensitivity_score,
    specificity_score,
)
from ._regression import rare_f1_score, rare_rmse, sera

__all__ = [
    "geometric_mean_scorer",
    "get_scorer",
    "get_scorer_names",
    "neg_macro_averaged_mean_absolute_error_scorer",
    "neg_rare_rmse_scorer",
    "neg_sera_scorer",
    "rare_f1_scorer",
    "sensitivity_scorer",
    "specificity_scorer",
]

#: Binary scorers take the class ``1`` as positive, as the functions do by default;
#: build your own with ``make_scorer(sensitivity_score, pos_label=...)`` for other labels.
sensitivity_scorer = make_scorer(sensitivity_score)
specificity_scorer = make_scorer(specificity_score)
#: The multiclass G-mean: geometric mean of the per-class recalls (any number of classes).
geometric_mean_scorer = make_scorer(geometric_mean_score)
neg_macro_averaged_mean_absolute_error_scorer = make_scorer(
    macro_averaged_mean_absolute_error, greater_is_better=False)
#: Regression, with ``Relevance()`` fitted on each test fold's ``y_true`` (see the module docstring
#: to score every fold with one relevance function). SERA and the rare RMSE are errors, so their
#: scorers give minus the value (greater is better); the rare RMSE is NaN on a fold without rare cases.
neg_sera_scorer = make_scorer(sera, greater_is_better=False)
rare_f1_scorer = make_scorer(rare_f1_score)
neg_rare_rmse_scorer = make_scorer(rare_rmse, greater_is_better=False)

_SCORERS = {
    "geometric_mean": geometric_mean_scorer,
    "neg_macro_averaged_mean_absolute_error": neg_macro_averaged_mean_absolute_error_scorer,
    "neg_rare_rmse": neg_rare_rmse_scorer,
    "neg_sera": neg_sera_scorer,
    "rare_f1": rare_f1_scorer,
    "sensitivity": sensitivity_scorer,
    "sensitivity_macro": make_scorer(sensitivity_score, average="macro"),
    "specificity": specificity_scorer,
    "specificity_macro": make_scorer(specificity_score, average="macro"),
}


def get_scorer_names() -> list[str]:
    """Every name :func:`get_scorer` accepts: smotekit's and scikit-learn's, sorted.

    Returns
    -------
    names : list of str
    """
    return sorted(set(_SCORERS) | set(_sk_scorer_names()))


def get_scorer(scoring):
    """A scorer object from a name (smotekit's first, then scikit-learn's), or the object itself.

    Parameters
    ----------
    scoring : str or callable
        A name from :func:`get_scorer_names`, or a scorer (returned unchanged).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, usable as ``scoring=`` in scikit-learn.
    """
    if not isinstance(scoring, str):
        return _sk_get_scorer(scoring)
    if scoring in _SCORERS:
        return _SCORERS[scoring]
    if scoring in _sk_scorer_names():
        return _sk_get_scorer(scoring)
    close = difflib.get_close_matches(scoring, get_scorer_names(), n=3)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"Unknown scoring {scoring!r}.{hint} See smotekit.metrics.get_scorer_names().")
