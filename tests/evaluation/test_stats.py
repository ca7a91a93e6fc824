"""Paired tests over folds and rank tests over data sets, pinned by hand, by scipy and by scikit-posthocs."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from smotekit.evaluation._stats import FriedmanResult, PairedTest, corrected_ttest, friedman_test, holm

# Demšar (2006), Table 6: AUC of C4.5 with pruning choices (+m, +cf, both) on 14 UCI data sets.
DEMSAR_NAMES = ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"]
DEMSAR_AUC = np.array([
    [0.763, 0.768, 0.771, 0.798],  # adult (sample)
    [0.599, 0.591, 0.590, 0.569],  # breast cancer
    [0.954, 0.971, 0.968, 0.967],  # breast cancer wisconsin
    [0.628, 0.661, 0.654, 0.657],  # cmc
    [0.882, 0.888, 0.886, 0.898],  # ionosphere
    [0.936, 0.931, 0.916, 0.931],  # iris
    [0.661, 0.668, 0.609, 0.685],  # liver disorders
    [0.583, 0.583, 0.563, 0.625],  # lung cancer
    [0.775, 0.838, 0.866, 0.875],  # lymphography
    [1.000, 1.000, 1.000, 1.000],  # mushroom
    [0.940, 0.962, 0.965, 0.962],  # primary tumor
    [0.619, 0.666, 0.614, 0.669],  # rheum
    [0.972, 0.981, 0.975, 0.975],  # voting
    [0.957, 0.978, 0.946, 0.970],  # wine
])


def demsar_as_ranked():
    # The printed table rounds to 3 decimals and so ties +cf and +m+cf on 'voting'; the paper's ranks
    # (2.893 and 1.964 = 40.5/14 and 27.5/14, not 41/14 and 27/14) put +cf second there.
    auc = DEMSAR_AUC.copy()
    auc[12, 2] = 0.97501
    return auc


# ---------------------------------------------------------------------------------------------
# corrected_ttest


def test_corrected_ttest_by_hand_four_folds():
    # 4-fold CV: each fold trains on 3/4 and tests on 1/4, so n_test / n_train = 1/3.
    d = [0.02, 0.04, -0.01, 0.03]
    # mean = 0.08 / 4 = 0.02; deviations 0, 0.02, -0.03, 0.01; squares sum to 0.0014; s^2 = 0.0014 / 3.
    # corrected variance = (1/4 + 1/3) * 0.0014 / 3 = (7/12) * 0.0014 / 3 = 0.0098 / 36.
    var = 0.0098 / 36
    # t = 0.02 / sqrt(0.0098 / 36), so t^2 = 0.0004 * 36 / 0.0098 = 72 / 49 and t = 6 sqrt(2) / 7.
    t = 6 * math.sqrt(2) / 7
    result = corrected_ttest(d, test_train_ratio=1 / 3)
    assert isinstance(result, PairedTest)
    assert result.n == 4
    assert result.mean == pytest.approx(0.02, abs=1e-15)
    assert result.statistic == pytest.approx(t, rel=1e-12)
    assert result.statistic == pytest.approx(1.2121830534, rel=1e-9)
    assert result.pvalue == pytest.approx(2 * stats.t.sf(t, 3), rel=1e-12)
    # t_{3, 0.975} = 3.182446305...: the interval is 0.02 -/+ 3.182446 * 0.0164992.
    half = 3.182446305284263 * math.sqrt(var)
    assert (result.low, result.high) == pytest.approx((0.02 - half, 0.02 + half), rel=1e-9)
    assert (result.low, result.high) == pytest.approx((-0.032508, 0.072508), abs=1e-6)
    # Four non-zero differences, one negative with the smallest |d|: W = 1 of the 2^4 sign patterns'
    # sums; P(W <= 1) = 2/16 on each side, so the two-sided p-value is 4/16.
    assert result.wilcoxon_pvalue == pytest.approx(0.25)


def test_correction_widens_the_interval_by_the_expected_factor():
    d = np.array([0.02, 0.04, -0.01, 0.03])
    plain = corrected_ttest(d, test_train_ratio=0)
    corrected = corrected_ttest(d, test_train_ratio=1 / 3)
    # sqrt((1/4 + 1/3) / (1/4)) = sqrt(7/3)
    assert (corrected.high - corrected.low) / (plain.high - plain.low) == pytest.approx(math.sqrt(7 / 3))
    assert plain.statistic / corrected.statistic == pytest.approx(math.sqrt(7 / 3))
    assert corrected.pvalue > plain.pvalue


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_uncorrected_case_is_scipys_paired_t_test(confidence):
    rng = np.random.default_rng(0)
    option, baseline = rng.normal(0.8, 0.05, 10), rng.normal(0.78, 0.05, 10)
    result = corrected_ttest(option - baseline, test_train_ratio=0, confidence=confidence)
    one = stats.ttest_1samp(option - baseline, 0.0)
    rel = stats.ttest_rel(option, baseline)
    assert result.statistic == pytest.approx(one.statistic, rel=1e-12)
    assert result.statistic == pytest.approx(rel.statistic, rel=1e-12)
    assert result.pvalue == pytest.approx(one.pvalue, rel=1e-10)
    assert result.pvalue == pytest.approx(rel.pvalue, rel=1e-10)
    ci = rel.confidence_interval(confidence)
    assert (result.low, result.high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert result.wilcoxon_pvalue == pytest.approx(stats.wilcoxon(option, baseline).pvalue)


def test_five_by_two_cv_doubles_nothing_but_the_variance():
    # 5x2 CV: halves, so n_test / n_train = 1 and the variance is (1/10 + 1) s^2, 11 times the plain one.
    rng = np.random.default_rng(1)
    d = rng.normal(0.01, 0.02, 10)
    plain = corrected_ttest(d, test_train_ratio=0)
    corrected = corrected_ttest(d, test_train_ratio=1.0)
    assert plain.statistic / corrected.statistic == pytest.approx(math.sqrt(11))
    assert corrected.pvalue == pytest.approx(2 * stats.t.sf(abs(plain.statistic) / math.sqrt(11), 9))


@pytest.mark.parametrize("n, floor", [(5, 2 / 32), (6, 2 / 64), (10, 2 / 1024)])
def test_wilcoxon_floor_with_every_difference_on_one_side(n, floor):
    # With n non-zero differences all of one sign, the exact two-sided p-value is 2 / 2^n: with 5 folds
    # it can never fall below 0.05.
    d = np.linspace(0.01, 0.05, n)
    assert corrected_ttest(d, test_train_ratio=0.25).wilcoxon_pvalue == pytest.approx(floor)
    assert corrected_ttest(-d, test_train_ratio=0.25).wilcoxon_pvalue == pytest.approx(floor)


def test_wilcoxon_drops_zero_differences():
    d = [0.0, 0.0, 0.01, 0.02, -0.005, 0.03, 0.0, 0.04]
    assert corrected_ttest(d, test_train_ratio=0.2).wilcoxon_pvalue == pytest.approx(
        stats.wilcoxon([0.01, 0.02, -0.005, 0.03, 0.04]).pvalue)
    # A single non-zero difference carries no evidence: scipy's exact p-value is 1.
    assert corrected_ttest([0.0, 0.0, 0.1], test_train_ratio=0.5).wilcoxon_pvalue == 1.0


def test_all_zero_differences():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = corrected_ttest(np.zeros(10), test_train_ratio=1.0)
    assert result == PairedTest(0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 10)


@pytest.mark.parametrize("value", [0.25, -0.5, 0.1])
def test_equal_non_zero_differences(value):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = corrected_ttest(np.full(10, value), test_train_ratio=1.0)
    assert math.isnan(result.pvalue)  # no variance: the t-test cannot weigh the mean, and says so
    assert result.statistic == math.copysign(math.inf, value)
    assert result.low == result.high == result.mean == value
    assert result.wilcoxon_pvalue == pytest.approx(2 / 1024)


def test_nan_difference_makes_the_test_nan():
    result = corrected_ttest([0.1, np.nan, 0.2, 0.3], test_train_ratio=0.25)
    assert result.n == 4
    assert all(math.isnan(v) for v in (result.mean, result.low, result.high, result.statistic,
                                       result.pvalue, result.wilcoxon_pvalue))


@pytest.mark.parametrize("bad, match", [
    (np.zeros((2, 3)), "one-dimensional"),
    (5.0, "one-dimensional"),
    ([0.1], "at least 2 folds"),
    ([], "at least 2 folds"),
    ([0.1, np.inf], r"folds \[1\] are infinite"),
])
def test_corrected_ttest_rejects_bad_differences(bad, match):
    with pytest.raises(ValueError, match=match):
        corrected_ttest(bad, test_train_ratio=0.25)


@pytest.mark.parametrize("kwargs, match", [
    ({"test_train_ratio": -0.1}, "test_train_ratio must be a finite number >= 0, got -0.1"),
    ({"test_train_ratio": np.nan}, "test_train_ratio"),
    ({"test_train_ratio": "0.5"}, "test_train_ratio"),
    ({"test_train_ratio": 0.5, "confidence": 1.0}, "confidence must be a number strictly between 0 and 1"),
    ({"test_train_ratio": 0.5, "confidence": 95}, "confidence"),
])
def test_corrected_ttest_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        corrected_ttest([0.1, 0.2, 0.3], **kwargs)


finite = st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False)


@settings(max_examples=60, deadline=None)
@given(d=hnp.arrays(np.float64, st.integers(2, 30), elements=finite),
       ratio=st.sampled_from([0.0, 0.25, 1 / 9, 1.0]), confidence=st.sampled_from([0.5, 0.9, 0.95]))
def test_interval_contains_the_mean_and_p_matches_it(d, ratio, confidence):
    result = corrected_ttest(d, test_train_ratio=ratio, confidence=confidence)
    assert result.low <= result.mean <= result.high
    assert 0.0 <= result.wilcoxon_pvalue <= 1.0
    # NaN only when there is no variance to test against (equal differences, or a spread whose square
    # underflows) and the mean is not 0.
    assert 0.0 <= result.pvalue <= 1.0 or (np.isnan(result.pvalue) and result.low == result.high != 0)
    if result.high > result.low:
        # The interval excludes 0 exactly when the two-sided p-value is below 1 - confidence.
        excludes = result.low > 0 or result.high < 0
        if abs(result.pvalue - (1 - confidence)) > 1e-9:
            assert excludes == (result.pvalue < 1 - confidence)


# ---------------------------------------------------------------------------------------------
# holm


def test_holm_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    # Sorted: 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 -> 0.02, 0.03, 0.06, 0.04; running maximum
    # -> 0.02, 0.03, 0.06, 0.06; back in the given order:
    np.testing.assert_allclose(holm(p), [0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one_and_skips_nan():
    # Two p-values count: 0.3 * 2 = 0.6, then max(0.6, 0.7) = 0.7; 0.7 * 1 stays.
    out = holm([np.nan, 0.7, 0.3, np.nan])
    assert np.isnan(out[[0, 3]]).all()
    np.testing.assert_allclose(out[[1, 2]], [0.7, 0.6])
    np.testing.assert_allclose(holm([0.5, 0.6, 0.9]), [1.0, 1.0, 1.0])
    assert holm([]).shape == (0,)
    assert np.isnan(holm([np.nan])).all()


def test_holm_equals_statsmodels():
    multipletests = pytest.importorskip("statsmodels.stats.multitest").multipletests
    p = np.random.default_rng(3).uniform(0, 0.2, 12)
    np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], rtol=1e-12)


@pytest.mark.parametrize("bad, match", [
    ([[0.1, 0.2]], "one-dimensional"),
    ([0.1, 1.5], r"\[0, 1\].*1.5"),
    ([-0.1], r"\[0, 1\]"),
])
def test_holm_rejects_bad_pvalues(bad, match):
    with pytest.raises(ValueError, match=match):
        holm(bad)


@settings(max_examples=80, deadline=None)
@given(p=hnp.arrays(np.float64, st.integers(0, 25),
                    elements=st.one_of(st.floats(0, 1), st.just(np.nan))))
def test_holm_is_monotone_and_never_below_the_raw_pvalue(p):
    adj = holm(p)
    known = ~np.isnan(p)
    assert np.array_equal(np.isnan(adj), ~known)
    assert np.all(adj[known] >= p[known]) and np.all(adj[known] <= 1)
    order = np.argsort(p[known], kind="stable")
    assert np.all(np.diff(adj[known][order]) >= 0)
    # Never above Bonferroni.
    assert np.all(adj[known] <= np.minimum(1, known.sum() * p[known]) + 1e-15)


# ---------------------------------------------------------------------------------------------
# friedman_test


def test_demsar_example():
    result = friedman_test(demsar_as_ranked(), DEMSAR_NAMES)
    assert isinstance(result, FriedmanResult)
    assert result.names == DEMSAR_NAMES and result.n_datasets == 14 and result.alpha == 0.05
    np.testing.assert_allclose(result.ranks, [3.143, 2.000, 2.893, 1.964], atol=5e-4)
    # The paper's statistic, without scipy's tie correction: 12 N / (k (k+1)) [sum R^2 - k (k+1)^2 / 4].
    n, k, r = 14, 4, result.ranks
    assert 12 * n / (k * (k + 1)) * (np.sum(r ** 2) - k * (k + 1) ** 2 / 4) == pytest.approx(9.28, abs=5e-3)
    # CD = q_0.05 sqrt(k (k+1) / (6N)) = 2.569 * sqrt(20 / 84) = 1.25 (Table 5a gives q_0.05 = 2.569 for k=4).
    assert result.critical_difference == pytest.approx(2.569 * math.sqrt(20 / 84), abs=1e-3)
    assert round(result.critical_difference, 2) == 1.25
    # The paper's conclusion: C4.5 vs C4.5+m+cf differ by 3.143 - 1.964 = 1.179, below the CD at 0.05
    # but above CD = 2.291 * sqrt(20/84) = 1.12 at 0.10.
    assert 0.05 < result.nemenyi_pvalues[0, 3] < 0.10
    at_10 = friedman_test(demsar_as_ranked(), DEMSAR_NAMES, alpha=0.10)
    assert at_10.critical_difference == pytest.approx(2.291 * math.sqrt(20 / 84), abs=1e-3)
    np.testing.assert_array_equal(at_10.nemenyi_pvalues, result.nemenyi_pvalues)


def test_friedman_statistic_is_scipys():
    for scores in (DEMSAR_AUC, demsar_as_ranked(), np.random.default_rng(4).normal(size=(9, 6))):
        expected = stats.friedmanchisquare(*scores.T)
        result = friedman_test(scores, [f"o{i}" for i in range(scores.shape[1])])
        assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert result.pvalue == pytest.approx(expected.pvalue, rel=1e-12)


def test_ties_share_their_average_rank_and_direction():
    scores = np.array([[0.9, 0.8, 0.8, 0.1],
                       [0.5, 0.5, 0.5, 0.5]])
    best_high = friedman_test(scores, list("abcd"))
    # Row 1: a first, b and c share (2 + 3) / 2, d last; row 2: all share 2.5.
    np.testing.assert_allclose(best_high.ranks, [(1 + 2.5) / 2, (2.5 + 2.5) / 2, (2.5 + 2.5) / 2, (4 + 2.5) / 2])
    best_low = friedman_test(scores, list("abcd"), higher_is_better=False)
    np.testing.assert_allclose(best_low.ranks, 5 - best_high.ranks)


def test_critical_difference_and_nemenyi_agree():
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(20, 5)) + np.arange(5) * 0.5
    result = friedman_test(scores, list("abcde"), alpha=0.05)
    diff = np.abs(result.ranks[:, None] - result.ranks[None, :])
    off = ~np.eye(5, dtype=bool)
    assert np.array_equal((diff > result.critical_difference)[off], (result.nemenyi_pvalues < 0.05)[off])
    np.testing.assert_array_equal(result.nemenyi_pvalues, result.nemenyi_pvalues.T)
    np.testing.assert_array_equal(np.diag(result.nemenyi_pvalues), 1.0)
    q = stats.studentized_range.ppf(0.95, 5, np.inf) / math.sqrt(2)
    assert result.critical_difference == pytest.approx(q * math.sqrt(5 * 6 / (6 * 20)))


def test_nemenyi_equals_scikit_posthocs():
    sp = pytest.importorskip("scikit_posthocs")
    rng = np.random.default_rng(6)
    scores = np.round(rng.normal(size=(15, 6)) + np.linspace(0, 1.5, 6), 1)  # rounding makes ties
    # scikit-posthocs ranks the smallest value first.
    result = friedman_test(scores, list("abcdef"), higher_is_better=False)
    expected = sp.posthoc_nemenyi_friedman(scores).to_numpy()
    np.testing.assert_allclose(result.nemenyi_pvalues, expected, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(result.ranks, stats.rankdata(scores, axis=1).mean(axis=0))
    for data in (DEMSAR_AUC, demsar_as_ranked()):
        np.testing.assert_allclose(friedman_test(data, DEMSAR_NAMES).nemenyi_pvalues,
                                   sp.posthoc_nemenyi_friedman(data).to_numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("shape", [(1, 4), (5, 2), (5, 1)])
def test_too_few_data_sets_or_options_give_nan(shape):
    scores = np.arange(np.prod(shape), dtype=float).reshape(shape)
    result = friedman_test(scores, [f"o{i}" for i in range(shape[1])])
    assert math.isnan(result.statistic) and math.isnan(result.pvalue)
    assert result.ranks.shape == (shape[1],)
    assert np.all(np.diag(result.nemenyi_pvalues) == 1)
    if shape[0] < 2:
        assert math.isnan(result.critical_difference)
        assert np.isnan(result.nemenyi_pvalues[~np.eye(shape[1], dtype=bool)]).all()
    elif shape[1] == 2:
        # Two options: q_0.05 = 1.960 (Demšar's Table 5a), the normal quantile.
        assert result.critical_difference == pytest.approx(1.95996 * math.sqrt(2 * 3 / (6 * 5)), rel=1e-5)
        assert result.nemenyi_pvalues[0, 1] < 0.05  # the second option wins on every data set


def test_all_tied_gives_no_evidence():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = friedman_test(np.ones((6, 3)), list("abc"))
    assert (result.statistic, result.pvalue) == (0.0, 1.0)
    np.testing.assert_array_equal(result.ranks, [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(result.nemenyi_pvalues, np.ones((3, 3)))


def test_result_arrays_are_read_only():
    result = friedman_test(DEMSAR_AUC, DEMSAR_NAMES)
    with pytest.raises(ValueError):
        result.ranks[0] = 1.0
    with pytest.raises(ValueError):
        result.nemenyi_pvalues[0, 1] = 0.0


@pytest.mark.parametrize("scores, names, kwargs, match", [
    (np.ones(4), list("abcd"), {}, r"2-D array.*\(4,\)"),
    (np.ones((0, 3)), list("abc"), {}, "2-D array"),
    (np.ones((3, 3)), list("ab"), {}, "one distinct name per column of scores \\(3\\)"),
    (np.ones((3, 3)), ["a", "a", "b"], {}, "distinct"),
    (np.ones((3, 3)), "abc", {}, "sequence of option names"),
    (np.array([[1.0, np.nan, 2.0], [1.0, 2.0, 3.0]]), list("abc"), {}, r"finite.*\(0, 1\)"),
    (np.ones((3, 3)), list("abc"), {"alpha": 0.0}, "alpha must be a number strictly between 0 and 1"),
])
def test_friedman_rejects_bad_input(scores, names, kwargs, match):
    with pytest.raises(ValueError, match=match):
        friedman_test(scores, names, **kwargs)


@settings(max_examples=60, deadline=None)
@given(scores=hnp.arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(2, 7)),
                         elements=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])),
       higher=st.booleans())
def test_ranks_sum_to_k_k_plus_one_over_two(scores, higher):
    k = scores.shape[1]
    result = friedman_test(scores, [f"o{i}" for i in range(k)], higher_is_better=higher)
    # Every data set hands out the ranks 1..k (ties share), so their mean over data sets sums the same.
    assert result.ranks.sum() == pytest.approx(k * (k + 1) / 2)
    assert np.all((result.ranks >= 1) & (result.ranks <= k))
    off = result.nemenyi_pvalues[~np.eye(k, dtype=bool)]
    assert np.all((off >= 0) & (off <= 1 + 1e-12))
