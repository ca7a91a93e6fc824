"""smote-variants 1.0.1 as the reference of the research oversamplers' differential tests.

The two libraries draw differently, so the tests compare what must agree:
the class counts, and the distribution of the synthetic points (a two-sample
Kolmogorov-Smirnov test per feature). A method differs from its reference
only where its docstring says so, and the test then says which way.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest
from scipy import stats

sv = pytest.importorskip("smote_variants")

__all__ = ["assert_same_distribution", "overlapping_blobs", "reference", "same_distribution_p"]


def reference(name: str, X, y, **params):
    """smote-variants' ``name`` fitted on a copy of binary ``(X, y)``: ``(X_out, y_out)``.

    Its log (an INFO line per call) is silenced; ``random_state`` is passed as
    given, so the reference's output is fixed too.
    """
    logging.getLogger("smote_variants").setLevel(logging.ERROR)
    return getattr(sv, name)(**params).sample(np.array(X, dtype=float), np.array(y))


def overlapping_blobs(n_major=600, n_minor=60, n_features=4, shift=1.5, seed=0):
    """Two Gaussian classes whose clouds overlap (the minority, label 1, shifted by ``shift``):
    borderline, noise and safe minority rows all occur, so every method's main path runs."""
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(0.0, 1.0, (n_major, n_features)),
                        rng.normal(shift, 1.0, (n_minor, n_features))])
    return X, np.repeat([0, 1], [n_major, n_minor])


def same_distribution_p(ours, theirs) -> float:
    """Smallest per-feature two-sample KS p-value, Bonferroni-corrected over the features."""
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    p = [stats.ks_2samp(ours[:, j], theirs[:, j]).pvalue for j in range(ours.shape[1])]
    return min(1.0, min(p) * ours.shape[1])


def assert_same_distribution(ours, theirs, alpha=1e-3):
    """Fail when some feature of the two sets of synthetic rows differs in distribution
    (KS per feature at level ``alpha``, Bonferroni over features)."""
    assert len(ours) and len(theirs), "no synthetic rows to compare"
    p = same_distribution_p(ours, theirs)
    assert p > alpha, f"the synthetic rows differ from smote-variants' (KS, corrected p={p:.2e})"
