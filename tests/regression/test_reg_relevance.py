"""Relevance and its bins: R's box-plot statistics, Ribeiro's interpolation, smogn as reference."""


import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from smogn_reference import patch_box_plot_stats

from smotekit.regression import Relevance, RelevanceBins, relevance_bins
from smotekit.regression._relevance import _boxplot_stats, _fivenum, _monotone_slopes


@pytest.fixture
def smogn_relevance(monkeypatch):
    """smogn's ``(phi_ctrl_pts, phi)``, runnable under numpy 2."""
    patch_box_plot_stats(monkeypatch)
    from smogn.phi import phi
    from smogn.phi_ctrl_pts import phi_ctrl_pts

    return phi_ctrl_pts, phi


_RNG = np.random.default_rng(0)
# Sizes n % 4 != 2, where smogn's "midpoint" quartiles equal Tukey's hinges (see the test below).
CASES = {
    "skewed": _RNG.lognormal(0, 1, 201),
    "both_tails": _RNG.standard_t(3, 403),
    "ties": np.round(_RNG.lognormal(1, 0.6, 101)),
    "small": np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 40]),
    "no_outlier": _RNG.lognormal(0, 1, 12),
    "low_tail": -_RNG.lognormal(0, 1, 99),
    "integers": _RNG.poisson(3, 200) * 1.0 + np.r_[np.zeros(197), 20, 25, 30],
}


# ---- R's statistics, values from R -----------------------------------------------------------


@pytest.mark.parametrize("y, expected", [
    (np.arange(1.0, 7), [1, 2, 3.5, 5, 6]),  # fivenum(1:6)
    (np.arange(1.0, 11), [1, 3, 5.5, 8, 10]),  # fivenum(1:10)
    (np.arange(1.0, 12), [1, 3.5, 6, 8.5, 11]),  # fivenum(1:11)
    (np.arange(1.0, 5), [1, 1.5, 2.5, 3.5, 4]),  # fivenum(1:4)
    (np.arange(1.0, 8), [1, 2.5, 4, 5.5, 7]),  # fivenum(1:7)
    (np.array([3.0]), [3, 3, 3, 3, 3]),
])
def test_fivenum_is_tukeys(y, expected):
    np.testing.assert_array_equal(_fivenum(y), expected)


def test_boxplot_stats_as_r():
    # boxplot.stats(c(1:10, 50)): $stats 1.0 3.5 6.0 8.5 10.0, $out 50
    y = np.r_[np.arange(1.0, 11), 50]
    stats, out = _boxplot_stats(y, 1.5)
    np.testing.assert_array_equal(stats, [1, 3.5, 6, 8.5, 10])
    np.testing.assert_array_equal(y[out], [50])
    # coef = 10: nothing is an outlier, the whiskers reach the extremes
    stats, out = _boxplot_stats(y, 10)
    assert not out.any() and stats[4] == 50


# ---- against smogn ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("extremes", ["both", "high", "low"])
def test_control_points_and_phi_equal_smogn(smogn_relevance, name, extremes):
    phi_ctrl_pts, phi = smogn_relevance
    y = CASES[name]
    ys = pd.Series(np.sort(y))
    params = phi_ctrl_pts(ys, xtrm_type=extremes)
    ours = Relevance(extremes=extremes).fit(y)
    np.testing.assert_array_equal(ours.control_points_, np.reshape(params["ctrl_pts"], (-1, 3)))
    np.testing.assert_allclose(ours.phi(ys), np.asarray(phi(ys, params), float), rtol=0, atol=1e-12)


@pytest.mark.parametrize("coef", [0.5, 3.0])
def test_coef_equals_smogn(smogn_relevance, coef):
    phi_ctrl_pts, phi = smogn_relevance
    y = CASES["both_tails"]
    ys = pd.Series(np.sort(y))
    params = phi_ctrl_pts(ys, coef=coef)
    ours = Relevance(coef=coef).fit(y)
    np.testing.assert_array_equal(ours.control_points_, np.reshape(params["ctrl_pts"], (-1, 3)))
    np.testing.assert_allclose(ours.phi(ys), np.asarray(phi(ys, params), float), atol=1e-12)


def test_hinges_differ_from_smogn_when_n_is_2_mod_4(smogn_relevance):
    # R: boxplot.stats(c(0, 1, 2, 3, 4, 8)) -> stats 0 1 2.5 4 8, no outlier: no rare value.
    # smogn's midpoint quartiles (1.5, 3.5) put the fence at 6.5 and call 8 an outlier.
    phi_ctrl_pts, _ = smogn_relevance
    y = np.array([0.0, 1, 2, 3, 4, 8])
    np.testing.assert_array_equal(Relevance().fit(y).control_points_, [[0, 0, 0], [2.5, 0, 0], [8, 0, 0]])
    np.testing.assert_array_equal(np.reshape(phi_ctrl_pts(pd.Series(y))["ctrl_pts"], (-1, 3)),
                                  [[0, 0, 0], [2.5, 0, 0], [4, 1, 0]])


def test_user_points_with_slopes_equal_smogn(smogn_relevance):
    _, phi = smogn_relevance
    # Slopes that the Fritsch-Carlson rule must change (wrong sign, too steep).
    pts = np.array([[0.0, 0.0, 0.0], [2.0, 1.0, -3.0], [5.0, 0.2, 4.0], [9.0, 1.0, 0.1]])
    y = pd.Series(np.linspace(0, 12, 97))
    ref = np.asarray(phi(y, {"num_pts": 4, "ctrl_pts": pts.ravel().tolist()}), float)
    # The slope turned over for the second piece overshoots the first past 1: both clip here.
    assert ref.max() > 1
    np.testing.assert_allclose(Relevance(control_points=pts).fit().phi(y), np.clip(ref, 0, 1), atol=1e-12)


# ---- hand-computed -------------------------------------------------------------------------------


def test_golden_docstring_case():
    y = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 30])
    rel = Relevance().fit(y)
    np.testing.assert_array_equal(rel.control_points_, [[1, 0, 0], [3, 0, 0], [5, 1, 0]])
    # zero slopes: the smooth step 3t^2 - 2t^3 between 3 and 5
    np.testing.assert_allclose(rel.phi([3.0, 3.5, 4.0, 5.0, 30.0, 0.0]), [0, 0.15625, 0.5, 1, 1, 0])


@pytest.mark.parametrize("points, slopes", [
    ([[0, 0], [5, 1], [10, 0]], [0, 0, 0]),
    ([[0, 0], [4, 0.5], [8, 1]], [0, 0.125, 0]),
    ([[8, 1], [0, 0], [4, 0.5]], [0, 0.125, 0]),  # sorted first
])
def test_two_column_points_get_ubl_range_slopes(points, slopes):
    rel = Relevance(control_points=points).fit()
    np.testing.assert_allclose(rel.control_points_[:, 2], slopes)
    assert (np.diff(rel.control_points_[:, 0]) > 0).all()


def test_outside_the_points_linear_then_clipped():
    rel = Relevance(control_points=[[0, 0, 0.5], [1, 1, 0.5]]).fit()
    # c = 3 - 1 - 0.5 = 1.5, d = 0.5 - 2 + 0.5 = -1: phi(0.25) = 0.25 * (0.5 + 0.25 * 1.25)
    np.testing.assert_allclose(rel.phi([0.25, 0.5]), [0.203125, 0.5])
    np.testing.assert_allclose(rel.phi([-0.5, -3, 1.5, 4]), [0, 0, 1, 1])
    rel = Relevance(control_points=[[0, 0.2, 0.1], [1, 0.4, 0.1]]).fit()
    np.testing.assert_allclose(rel.phi([-1.0, 2.0]), [0.1, 0.5])


def test_zero_slopes_give_monotone_pieces_in_range():
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = np.sort(rng.choice(50, 5, replace=False)).astype(float)
        pts = np.column_stack([x, rng.random(5), np.zeros(5)])
        rel = Relevance(control_points=pts).fit()
        for a, b in zip(pts[:-1], pts[1:]):
            v = rel.phi(np.linspace(a[0], b[0], 41))
            assert v.min() >= min(a[1], b[1]) - 1e-12 and v.max() <= max(a[1], b[1]) + 1e-12
            assert (np.diff(v) * np.sign(b[1] - a[1]) >= -1e-12).all()
    # a flat interval zeroes both slopes
    np.testing.assert_array_equal(_monotone_slopes(np.array([0.0, 1, 2]), np.array([0.5, 0.5, 1]),
                                                   np.array([1.0, 1, 0])), [0, 0, 0])


def test_phi_takes_any_container_and_scalars():
    y = CASES["skewed"]
    rel = Relevance().fit(pd.Series(y, name="t"))
    expected = rel.phi(y)
    np.testing.assert_array_equal(rel.phi(list(y)), expected)
    np.testing.assert_array_equal(rel(pl.Series(y)), expected)
    assert isinstance(rel.phi(y[0]), float) and rel.phi(y[0]) == expected[0]
    assert np.isnan(rel.phi([np.nan]))[0]
    np.testing.assert_array_equal(Relevance().fit(pl.Series(y)).control_points_, rel.control_points_)


def test_fit_does_not_touch_y_and_clone_is_unfitted():
    y = CASES["skewed"].copy()
    rel = Relevance(coef=2.0).fit(y)
    np.testing.assert_array_equal(y, CASES["skewed"])
    assert clone(rel).get_params() == {"coef": 2.0, "control_points": None, "extremes": "both"}
    assert not hasattr(clone(rel), "control_points_")


@pytest.mark.parametrize("kwargs, y, match", [
    ({"coef": 0}, [1.0, 2, 3], "coef"),
    ({"coef": True}, [1.0, 2, 3], "coef"),
    ({"extremes": "top"}, [1.0, 2, 3], "extremes"),
    ({"control_points": [[1, 0]]}, None, r"shape \(m, 2\) or \(m, 3\)"),
    ({"control_points": [[1, 0, 0, 0], [2, 1, 0, 0]]}, None, r"shape \(m, 2\)"),
    ({"control_points": [[1, 0], [2, 1.5]]}, None, r"relevance \(second column\) must be in \[0, 1\]"),
    ({"control_points": [[1, 0], [1, 1]]}, None, "repeat the target value 1.0"),
    ({"control_points": [[1, 0], [np.nan, 1]]}, None, "NaN or infinity"),
    ({"control_points": [["a", 0], [2, 1]]}, None, "must be numbers"),
    ({}, None, "needs y when control_points is None"),
    ({}, [2.0, 2.0, 2.0], "single distinct value"),
    ({}, [1.0, np.nan, 3.0], "NaN or infinity"),
    ({}, [True, False, True], "booleans"),
    ({}, ["a", "b"], "must hold numbers"),
    ({}, np.ones((3, 2)), "smotekit.multilabel"),
    # most rows at the median, low outliers: the lower whisker's end is the median
    ({}, [-5.0] + [0.0] * 10 + [1, 2, 3], "automatic control points of y collapse"),
])
def test_errors(kwargs, y, match):
    with pytest.raises((ValueError, TypeError), match=match):
        Relevance(**kwargs).fit(y)


def test_phi_before_fit():
    with pytest.raises(NotFittedError):
        Relevance().phi([1.0])


# ---- bins ---------------------------------------------------------------------------------------------


def test_bins_golden():
    y = np.array([30.0, 1, 2, 4, 2, 3, 3, 5, 3, 4])
    bins = relevance_bins(y)
    assert isinstance(bins, RelevanceBins) and bins.n_bins == 2
    np.testing.assert_array_equal(bins.bin_of_row, [1, 0, 0, 1, 0, 0, 0, 1, 0, 1])
    np.testing.assert_array_equal(bins.lower, [1, 4])
    np.testing.assert_array_equal(bins.upper, [3, 30])
    np.testing.assert_array_equal(bins.rare, [False, True])
    np.testing.assert_array_equal(bins.n_rows, [6, 4])
    np.testing.assert_array_equal(bins.rows(1), [0, 3, 7, 9])
    frame = bins.to_frame()
    assert list(frame.columns) == ["lower", "upper", "rare", "n_rows"] and frame.index.name == "bin"
    assert "rare 4" in repr(bins)


def test_bins_both_tails_and_threshold():
    y = CASES["both_tails"]
    rel = Relevance().fit(y)
    for threshold in (0.2, 0.5, 1.0):
        bins = relevance_bins(y, relevance=rel, threshold=threshold)
        phi = rel.phi(y)
        np.testing.assert_array_equal(bins.rare[bins.bin_of_row], phi >= threshold)
        assert bins.n_rows.sum() == y.size
        # runs alternate and are ordered by target
        assert (bins.rare[1:] != bins.rare[:-1]).all()
        assert (bins.upper[:-1] < bins.lower[1:]).all()
        for b in range(bins.n_bins):
            vals = y[bins.rows(b)]
            assert vals.min() == bins.lower[b] and vals.max() == bins.upper[b]
    assert relevance_bins(y, relevance=rel).n_bins == 3


def test_bins_never_split_ties():
    y = CASES["ties"]
    bins = relevance_bins(y, threshold=0.3)
    for value in np.unique(y):
        assert np.unique(bins.bin_of_row[y == value]).size == 1


def test_bins_relevance_argument():
    y = CASES["skewed"]
    unfitted = Relevance(coef=3.0)
    bins = relevance_bins(y, relevance=unfitted)
    assert not hasattr(unfitted, "control_points_")  # cloned
    np.testing.assert_array_equal(bins.relevance, Relevance(coef=3.0).fit(y).phi(y))
    # a fitted relevance is used as is: here one fitted on other values
    fitted = Relevance(control_points=[[0, 0], [1, 1]]).fit()
    np.testing.assert_array_equal(relevance_bins(y, relevance=fitted).rare[-1], True)
    with pytest.raises(ValueError, match="threshold"):
        relevance_bins(y, threshold=0)
    with pytest.raises((ValueError, TypeError), match="relevance"):
        relevance_bins(y, relevance="auto")


def test_rows_by_bin_equal_rows_of_each_bin():
    y = np.random.default_rng(3).permutation(np.r_[np.arange(20.0), [50, 51, -30, -31, -32]])
    bins = relevance_bins(y)
    groups = bins.rows_by_bin()
    assert len(groups) == bins.n_bins == 3
    for b, rows in enumerate(groups):
        np.testing.assert_array_equal(rows, bins.rows(b))
