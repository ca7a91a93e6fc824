"""Paired tests over cross-validation folds and rank tests over several data sets.

Pure functions on arrays; the distributions come from :mod:`scipy.stats`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["FriedmanResult", "PairedTest", "corrected_ttest", "format_p", "friedman_test", "holm"]


@dataclass(frozen=True)
class PairedTest:
    """The paired comparison of an option with a baseline over the same folds.

    Attributes
    ----------
    mean : float
        Mean of the differences (option minus baseline).
    low, high : float
        Confidence interval of the mean difference, from the corrected variance.
    statistic : float
        Corrected t statistic; ``±inf`` when every difference is the same non-zero value.
    pvalue : float
        Two-sided p-value of the corrected resampled t-test.
    wilcoxon_pvalue : float
        Two-sided p-value of the Wilcoxon signed-rank test on the same differences.
    n : int
        Number of differences (folds).
    """

    mean: float
    low: float
    high: float
    statistic: float
    pvalue: float
    wilcoxon_pvalue: float
    n: int


def _check_fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}; e.g. 0.95 or 0.05.")
    return float(value)


#: Up to this many non-zero differences the Wilcoxon p-value enumerates every sign pattern (2**20 at most).
_EXACT_WILCOXON = 20


def _wilcoxon_pvalue(d):
    nonzero = d[d != 0]
    if nonzero.size < 2:  # no difference, or one: either sign is as likely, both tails hold it
        return 1.0
    if nonzero.size > _EXACT_WILCOXON:
        return float(stats.wilcoxon(nonzero, method="asymptotic").pvalue)
    # The exact null distribution of the signed-rank statistic, tied absolute values sharing their
    # mean rank: every sign pattern, enumerated by scipy's permutation test with a vectorised
    # statistic (scipy.stats.wilcoxon's own route for ties evaluates it pattern by pattern, about
    # 0.2 s a call: minutes for a comparison of dozens of options and metrics).
    ranks = stats.rankdata(np.abs(nonzero))

    def positive_rank_sum(x, axis):
        return np.sum(np.where(x > 0, ranks, 0.0), axis=axis)

    result = stats.permutation_test((nonzero,), positive_rank_sum, permutation_type="samples", vectorized=True,
                                    n_resamples=np.inf, alternative="two-sided")
    return float(min(result.pvalue, 1.0))


def corrected_ttest(differences, *, test_train_ratio, confidence=0.95):
    """Corrected resampled t-test (Nadeau & Bengio, 2003) of paired differences over CV folds.

    The folds of a (repeated) cross-validation share most of their training
    rows, so their scores are correlated and the plain paired t-test is far
    too confident. Nadeau and Bengio inflate the variance of the mean to
    ``(1/J + n_test/n_train) * s**2`` (``J`` differences, ``s**2`` their
    sample variance with ``ddof=1``); the statistic ``t = mean / sqrt(var)``
    is compared with Student's t with ``J - 1`` degrees of freedom, and the
    interval is ``mean ± t_{J-1, (1+confidence)/2} * sqrt(var)``. With
    ``test_train_ratio=0`` this is the ordinary one-sample t-test of the
    differences (:func:`scipy.stats.ttest_1samp`).

    The Wilcoxon signed-rank p-value is that of the non-zero differences
    (zeros dropped, as :func:`scipy.stats.wilcoxon` does by default), from
    the exact null distribution, tied absolute values sharing their mean
    rank, for up to 20 of them (every sign pattern, with
    :func:`scipy.stats.permutation_test`), and from the normal approximation
    beyond. Without ties it equals ``scipy.stats.wilcoxon(d,
    method='exact')``. It is not corrected for the overlap of the folds, so
    it is optimistic.

    Parameters
    ----------
    differences : array-like of shape (n_folds,)
        Score of the option minus score of the baseline, one per fold, both
        measured on the same test fold.
    test_train_ratio : float
        Test rows over training rows of one fold: ``1 / (k - 1)`` for k-fold
        cross-validation (1.0 for 5x2), 0 for no correction.
    confidence : float, default=0.95
        Coverage of the interval.

    Returns
    -------
    PairedTest

    Raises
    ------
    ValueError
        If ``differences`` is not one-dimensional, has fewer than two values
        or holds an infinity, or if ``test_train_ratio`` or ``confidence`` is
        out of range.

    Notes
    -----
    Edge cases, chosen so that a caller can test every option and metric in
    one loop:

    - A NaN among the differences (a metric that could not be computed on
      some fold) makes every statistic of the result NaN; ``mean`` is NaN too,
      and :func:`holm` leaves NaN p-values out.
    - Equal differences (zero sample variance): ``pvalue`` is 1.0
      and ``statistic`` 0.0 when they are all 0, else ``pvalue`` is NaN (no
      variance to test the mean against: not significant, never 0) and
      ``statistic`` is ``±inf``; the interval is ``[mean, mean]``.
    - All differences 0: ``wilcoxon_pvalue`` is 1.0 (scipy cannot compute it).
      With a single non-zero difference scipy's exact p-value is 1.0.

    The correction is a heuristic: it assumes a correlation of
    ``n_test / (n_test + n_train)`` between folds, which is not exact for any
    particular learner, so the p-values are approximate. The Wilcoxon
    p-value has a floor set by the number of non-zero differences ``m``:
    ``2 / 2**m`` (0.0625 for 5 folds, about 0.002 for 10).

    References
    ----------
    C. Nadeau and Y. Bengio, "Inference for the generalization error",
    Machine Learning 52 (2003) 239-281.
    R. Bouckaert and E. Frank, "Evaluating the replicability of significance
    tests for comparing learning algorithms", PAKDD 2004.
    """
    d = np.asarray(differences, dtype=float)
    if d.ndim != 1:
        raise ValueError(
            f"differences must be one-dimensional (one value per fold), got shape {d.shape}; "
            "pass the per-fold differences of a single metric."
        )
    if d.size < 2:
        raise ValueError(
            f"differences needs at least 2 folds for a paired test, got {d.size}; use a cross-validation "
            "with 2 or more folds."
        )
    if np.isinf(d).any():
        raise ValueError(
            f"differences must be finite; the folds {np.flatnonzero(np.isinf(d)).tolist()} are infinite. "
            "Check the metric (e.g. an unclipped log loss)."
        )
    if (isinstance(test_train_ratio, bool) or not isinstance(test_train_ratio, (int, float, np.integer, np.floating))
            or not (math.isfinite(test_train_ratio) and test_train_ratio >= 0)):
        raise ValueError(
            f"test_train_ratio must be a finite number >= 0, got {test_train_ratio!r}; use n_test / n_train "
            "of one fold, e.g. 1 / (k - 1) for k-fold cross-validation."
        )
    confidence = _check_fraction("confidence", confidence)
    n = int(d.size)
    if np.isnan(d).any():
        nan = float("nan")
        return PairedTest(nan, nan, nan, nan, nan, nan, n)

    equal = bool(np.all(d == d[0]))
    # The mean of equal values can be off in the last bit (0.1 * 3 / 3); they are their own mean.
    mean = float(d[0]) if equal else float(d.mean())
    wilcoxon_p = _wilcoxon_pvalue(d)
    se = 0.0 if equal else math.sqrt((1.0 / n + float(test_train_ratio)) * float(d.var(ddof=1)))
    # Equal differences, or a spread so small that its square underflows: no variance to scale by.
    if se == 0:
        statistic = 0.0 if mean == 0 else math.copysign(math.inf, mean)
        # All zero: nothing differs. Equal and non-zero: the folds give no variance to weigh the mean
        # against, so the t-test says nothing (NaN), rather than a p-value of 0 from two lucky folds.
        return PairedTest(mean, mean, mean, statistic, 1.0 if mean == 0 else math.nan, wilcoxon_p, n)
    statistic = mean / se
    df = n - 1
    pvalue = float(2.0 * stats.t.sf(abs(statistic), df))
    half = float(stats.t.ppf((1.0 + confidence) / 2.0, df)) * se
    return PairedTest(mean, mean - half, mean + half, float(statistic), pvalue, wilcoxon_p, n)


def holm(pvalues):
    """Holm-Bonferroni adjusted p-values, in the order given.

    With ``m`` p-values sorted ascending, the ``i``-th smallest (from 1) is
    multiplied by ``m - i + 1``, capped at 1, and made non-decreasing along
    the sorted order; an adjusted p-value below ``alpha`` rejects at family-wise
    error rate ``alpha``.

    Parameters
    ----------
    pvalues : array-like of shape (m,)
        Raw p-values in [0, 1]. NaN (a test that could not be run) stays NaN
        and does not count in ``m``.

    Returns
    -------
    ndarray of shape (m,)

    Raises
    ------
    ValueError
        If ``pvalues`` is not one-dimensional or holds a value outside [0, 1].

    References
    ----------
    S. Holm, "A simple sequentially rejective multiple test procedure",
    Scandinavian Journal of Statistics 6 (1979) 65-70.
    """
    p = np.asarray(pvalues, dtype=float)
    if p.ndim != 1:
        raise ValueError(f"pvalues must be one-dimensional, got shape {p.shape}; pass one p-value per test.")
    known = ~np.isnan(p)
    if np.any((p[known] < 0) | (p[known] > 1)):
        raise ValueError(f"pvalues must lie in [0, 1] (or be NaN), got {p[known & ((p < 0) | (p > 1))].tolist()}.")
    adjusted = np.full(p.shape, np.nan)
    where = np.flatnonzero(known)
    order = where[np.argsort(p[where], kind="stable")]
    m = order.size
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted[order] = np.maximum.accumulate(scaled) if m else scaled
    return adjusted


@dataclass(frozen=True, eq=False)
class FriedmanResult:
    """Friedman test and Nemenyi post-hoc comparison of several options over several data sets.

    Attributes
    ----------
    names : list of str
        The options, in the order given.
    ranks : ndarray of shape (k,)
        Mean rank of each option over the data sets; 1 is the best, ties share
        their average rank.
    statistic, pvalue : float
        Friedman chi-square (with scipy's tie correction) and its p-value; NaN
        with fewer than 3 options or 2 data sets.
    critical_difference : float
        Nemenyi critical difference of mean ranks at ``alpha``; NaN with fewer
        than 2 options or 2 data sets.
    nemenyi_pvalues : ndarray of shape (k, k)
        Pairwise Nemenyi p-values (1 on the diagonal; NaN elsewhere when the
        critical difference is NaN).
    alpha : float
        Significance level of the critical difference.
    n_datasets : int
        Number of data sets (rows of the scores).
    """

    names: list[str]
    ranks: np.ndarray
    statistic: float
    pvalue: float
    critical_difference: float
    nemenyi_pvalues: np.ndarray
    alpha: float
    n_datasets: int


def friedman_test(scores, names, *, higher_is_better=True, alpha=0.05):
    """Friedman test of ``k`` options over ``N`` data sets, with Nemenyi's critical difference.

    On each data set the options are ranked (1 = best, ties share the average
    rank, :func:`scipy.stats.rankdata`); the Friedman test
    (:func:`scipy.stats.friedmanchisquare`) asks whether the mean ranks differ
    more than chance allows. Nemenyi's post-hoc test calls two options
    different when their mean ranks differ by at least the critical difference
    ``CD = q_alpha * sqrt(k (k + 1) / (6 N))``, with ``q_alpha`` the
    ``1 - alpha`` quantile of the studentized range for ``k`` groups and
    infinite degrees of freedom divided by ``sqrt(2)``; the pairwise p-value
    is ``P(Q >= sqrt(2) |R_i - R_j| / sqrt(k (k + 1) / (6 N)))``
    (:data:`scipy.stats.studentized_range`), so that ``p < alpha`` when the
    difference exceeds the CD.

    Parameters
    ----------
    scores : array-like of shape (n_datasets, k)
        One score per data set (row) and option (column), e.g. the mean over
        the folds.
    names : sequence of str of length k
        Distinct option names.
    higher_is_better : bool, default=True
        Whether the largest score ranks first (False for losses and costs).
    alpha : float, default=0.05
        Significance level of the critical difference.

    Returns
    -------
    FriedmanResult

    Raises
    ------
    ValueError
        If ``scores`` is not a non-empty 2-D array, holds NaN or infinity,
        ``names`` does not give one distinct name per column, or ``alpha`` is
        not in (0, 1).

    Notes
    -----
    The tests treat data sets as independent draws and need several of them:
    with ``N`` data sets and ``k`` options the Friedman chi-square
    approximation is poor below roughly ``N = 10`` and ``k = 5``, and the
    Nemenyi test is conservative. When every data set ties all options the
    statistic is 0 and the p-value 1 (scipy's tie correction would divide by
    zero).

    References
    ----------
    J. Demšar, "Statistical comparisons of classifiers over multiple data
    sets", Journal of Machine Learning Research 7 (2006) 1-30.
    """
    S = np.asarray(scores, dtype=float)
    if S.ndim != 2 or S.shape[0] == 0 or S.shape[1] == 0:
        raise ValueError(
            f"scores must be a 2-D array of shape (n_datasets, n_options) with at least one of each, got shape "
            f"{S.shape}; build it with one row per data set and one column per option."
        )
    bad = ~np.isfinite(S)
    if bad.any():
        rows, cols = np.nonzero(bad)
        raise ValueError(
            f"scores must be finite; (data set, option) cells {list(zip(rows.tolist(), cols.tolist()))[:10]} are "
            "not. Drop the data sets or options without a score before ranking."
        )
    if isinstance(names, str):
        raise ValueError(f"names must be a sequence of option names, got the string {names!r}.")
    names = [str(name) for name in names]
    n, k = S.shape
    if len(names) != k or len(set(names)) != k:
        raise ValueError(
            f"names must give one distinct name per column of scores ({k}), got {names!r}."
        )
    alpha = _check_fraction("alpha", alpha)
    ranks = stats.rankdata(-S if higher_is_better else S, axis=1, method="average").mean(axis=0)

    nan = float("nan")
    statistic = pvalue = nan
    if k >= 3 and n >= 2:
        if np.all(S == S[:, :1]):
            statistic, pvalue = 0.0, 1.0
        else:
            result = stats.friedmanchisquare(*S.T)
            statistic, pvalue = float(result.statistic), float(result.pvalue)

    nemenyi = np.eye(k)
    cd = nan
    if k >= 2 and n >= 2:
        scale = math.sqrt(k * (k + 1) / (6.0 * n))
        cd = float(stats.studentized_range.ppf(1.0 - alpha, k, np.inf)) / math.sqrt(2.0) * scale
        upper = np.triu_indices(k, 1)
        q = np.abs(ranks[upper[0]] - ranks[upper[1]]) / scale * math.sqrt(2.0)
        nemenyi[upper] = stats.studentized_range.sf(q, k, np.inf)
        nemenyi[upper[::-1]] = nemenyi[upper]
    elif k >= 2:
        nemenyi[~np.eye(k, dtype=bool)] = nan
    # Frozen all the way down: the arrays of a result cannot be edited in place either.
    ranks.setflags(write=False)
    nemenyi.setflags(write=False)
    return FriedmanResult(names, ranks, statistic, pvalue, cd, nemenyi, alpha, int(n))


def format_p(p) -> str:
    """A p-value as the tables and sentences show it: three decimals, ``<0.001``, or ``n/a`` (no test)."""
    if p is None or np.isnan(p):
        return "n/a"
    return "<0.001" if p < 0.001 else f"{p:.3f}"
