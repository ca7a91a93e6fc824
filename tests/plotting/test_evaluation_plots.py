"""Reliability curves, paired-difference intervals and the critical-difference diagram, read from their artists."""

import math
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from smotekit.evaluation import expected_calibration_error  # noqa: E402
from smotekit.evaluation._stats import FriedmanResult, PairedTest, corrected_ttest, friedman_test  # noqa: E402
from smotekit.plotting import (  # noqa: E402
    plot_critical_difference,
    plot_paired_differences,
    plot_reliability_curves,
)
from smotekit.report import figure_to_png  # noqa: E402


@pytest.fixture
def ax():
    fig = Figure()
    yield fig.subplots()
    fig.clear()


def close(fig):
    # A figure made through pyplot (when a test before this one imported it) stays registered there.
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
    fig.clear()


def by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def lines_by_gid(ax, gid):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def draw(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def visible_texts(ax):
    """The texts of an axes as drawn: its own, its title, axis labels and visible tick labels."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    # Tick labels of the locator beyond the view limits exist but are not drawn.
    ticks = [t for t in ax.get_xticklabels() if x0 <= t.get_position()[0] <= x1]
    ticks += [t for t in ax.get_yticklabels() if y0 <= t.get_position()[1] <= y1]
    ticks = [t for t in ticks if t.get_visible() and t.get_text()]
    own = [t for t in ax.texts + [ax.title, ax.xaxis.label, ax.yaxis.label] if t.get_visible() and t.get_text()]
    return own + ticks


def assert_inside_and_apart(fig, texts, renderer):
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for text, box in boxes:
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, (
            f"{text!r} at {box} is outside the figure {fig.bbox}")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


# ---------------------------------------------------------------------------------------------
# plot_reliability_curves


def test_reliability_points_at_the_bin_means(ax):
    y = np.array([0, 0, 1, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.15, 0.12, 0.55, 0.6, 0.95, 1.0, 0.4])
    # 4 bins of width 0.25: [0.05, 0.15, 0.12] -> mean 0.32/3, 1 positive of 3;
    # [0.4] -> 0.4, 0 of 1; [0.55, 0.6] -> 0.575, 1 of 2; [0.95, 1.0] (1.0 in the last bin) -> 0.975, 2 of 2.
    plot_reliability_curves(y, {"model": p}, pos_label=1, n_bins=4, ax=ax)
    (line,) = lines_by_gid(ax, "reliability:model")
    np.testing.assert_allclose(line.get_xdata(), [0.32 / 3, 0.4, 0.575, 0.975])
    np.testing.assert_allclose(line.get_ydata(), [1 / 3, 0.0, 0.5, 1.0])
    # ECE over the same bins: (3 |1/3 - 0.32/3| + 1 * 0.4 + 2 * 0.075 + 2 * 0.025) / 8 = (0.68 + 0.6) / 8.
    label = ax.get_legend().get_texts()[1].get_text()
    assert label == f"model (ECE {1.28 / 8:.3f})"
    assert f"{expected_calibration_error(y, p, n_bins=4):.3f}" in label


def test_reliability_with_string_labels_and_several_models(ax):
    rng = np.random.default_rng(0)
    y = rng.choice(["no", "yes"], 400, p=[0.8, 0.2])
    probas = {"a": rng.uniform(size=400), "b": np.where(y == "yes", 0.7, 0.1)}
    plot_reliability_curves(y, probas, pos_label="yes", n_bins=10, ax=ax)
    b = lines_by_gid(ax, "reliability:b")[0]
    # Two occupied bins: all the 'no' rows at 0.1 (frequency 0) and the 'yes' rows at 0.7 (frequency 1).
    np.testing.assert_allclose(b.get_xdata(), [0.1, 0.7])
    np.testing.assert_allclose(b.get_ydata(), [0.0, 1.0])
    assert len(lines_by_gid(ax, "reliability:a")[0].get_xdata()) == 10
    assert [t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()] == ["perfectly calibrated", "a", "b"]


def test_reliability_makes_its_own_figure():
    fig = plot_reliability_curves([0, 1, 1, 0], {"m": [0.2, 0.8, 0.6, 0.3]}, pos_label=1)
    (ax,) = fig.axes
    assert ax.get_xlabel() == "mean predicted probability"
    assert len(figure_to_png(fig, dpi=30)) > 1000
    close(fig)


def test_reliability_returns_the_figure_of_the_axes_given(ax):
    assert plot_reliability_curves([0, 1], {"m": [0.2, 0.8]}, pos_label=1, ax=ax) is ax.figure


@pytest.mark.parametrize("kwargs, match", [
    ({"probas": {}}, "probas is empty"),
    ({"probas": {"m": [0.1, 0.2]}}, r"probas\['m'\] must have the shape of y_true \(4,\), got \(2,\)"),
    ({"probas": {"m": np.ones((4, 2)) / 2}}, "probability of pos_label only"),
    ({"probas": {"m": [0.1, 1.2, 0.3, 0.4]}}, r"\[0, 1\]"),
    ({"pos_label": 7}, "pos_label=7 does not occur"),
    ({"n_bins": 0}, "n_bins must be a positive int, got 0"),
])
def test_reliability_rejects_bad_input(ax, kwargs, match):
    args = {"probas": {"m": [0.1, 0.9, 0.8, 0.2]}, "pos_label": 1, **kwargs}
    with pytest.raises(ValueError, match=match):
        plot_reliability_curves([0, 1, 1, 0], ax=ax, **args)


# ---------------------------------------------------------------------------------------------
# plot_paired_differences


def paired(low, high, mean=None, p=0.5):
    mean = (low + high) / 2 if mean is None else mean
    return PairedTest(mean, low, high, 1.0, p, 0.5, 10)


def facecolours(ax):
    white = matplotlib.colors.to_rgba("white")
    (means,) = by_gid(ax, "means")
    return [None if tuple(fc) == white else matplotlib.colors.to_hex(fc) for fc in means.get_facecolors()]


def p_texts(ax):
    return {t.get_gid()[2:]: t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("p:")}


def test_paired_differences_intervals_and_markers(ax):
    rows = [
        ("smote", paired(-0.08, -0.01, p=0.01)),   # below 0: worse for a score, filled red
        ("balanced", paired(-0.02, 0.03)),          # spans 0: hollow grey
        ("threshold", paired(0.01, 0.05, p=0.0004)),  # above 0: better, filled green
        ("calibrated", PairedTest(*[float("nan")] * 6, 10)),  # not testable: no interval
        ("prior", None),                            # not tested at all
    ]
    out = plot_paired_differences(rows, metric_title="PR AUC", baseline="none", ax=ax)
    assert out is ax.figure
    (intervals,) = by_gid(ax, "intervals")
    segments = intervals.get_segments()
    assert len(segments) == 3
    # First option on top (y = 4), each segment spans [low, high] at its row.
    expected = [((-0.08, 4), (-0.01, 4)), ((-0.02, 3), (0.03, 3)), ((0.01, 2), (0.05, 2))]
    for seg, exp in zip(segments, expected):
        np.testing.assert_allclose(seg, exp)
    (means,) = by_gid(ax, "means")
    np.testing.assert_allclose(means.get_offsets(), [[-0.045, 4], [0.005, 3], [0.03, 2]])
    assert facecolours(ax) == ["#d55e00", None, "#009e73"]
    (zero,) = lines_by_gid(ax, "zero")
    assert list(zero.get_xdata()) == [0, 0]
    labels = {t.get_position()[1]: t.get_text() for t in ax.get_yticklabels()}
    assert labels == {4: "smote", 3: "balanced", 2: "threshold", 1: "calibrated", 0: "prior"}
    assert p_texts(ax) == {"smote": "p=0.0100", "balanced": "p=0.500", "threshold": "p<0.001",
                           "calibrated": "not tested", "prior": "not tested"}
    assert ax.get_xlabel() == "option − none"
    assert ax.get_title() == "PR AUC"


def test_paired_differences_for_a_loss():
    # For log loss a positive difference is worse: red; a negative one better: green.
    rows = [("balanced", paired(0.1, 0.3, p=0.01)), ("calibrated", paired(-0.05, -0.01, p=0.02)),
            ("smote", paired(-0.1, 0.2))]
    fig = plot_paired_differences(rows, metric_title="log loss", baseline="none", higher_is_better=False)
    (ax,) = fig.axes
    assert facecolours(ax) == ["#d55e00", "#009e73", None]
    (intervals,) = by_gid(ax, "intervals")
    assert [matplotlib.colors.to_hex(c) for c in intervals.get_colors()] == ["#d55e00", "#009e73", "#555555"]
    close(fig)


def test_an_interval_clear_of_zero_stays_grey_when_its_adjusted_p_is_not_significant(ax):
    # Raw p 0.01 (interval clear of 0), Holm-adjusted 0.08: the picture must not say "better".
    plot_paired_differences([("a", paired(0.01, 0.05, p=0.01), 0.08)], metric_title="F1", baseline="none", ax=ax)
    assert facecolours(ax) == [None]
    (intervals,) = by_gid(ax, "intervals")
    assert [matplotlib.colors.to_hex(c) for c in intervals.get_colors()] == ["#555555"]


def test_paired_differences_show_the_adjusted_p_value(ax):
    rows = [("a", paired(0.01, 0.05, p=0.01), 0.0312345), ("b", paired(-0.02, 0.03, p=0.4), 1.0),
            ("c", paired(0.01, 0.02, p=1e-5), 0.0002)]
    plot_paired_differences(rows, metric_title="F1", baseline="none", ax=ax)
    assert p_texts(ax) == {"a": "p=0.0312", "b": "p=1.00", "c": "p<0.001"}


@pytest.mark.parametrize("item", [("a",), ("a", None, 0.1, 4), "a"])
def test_paired_differences_reject_malformed_items(ax, item):
    with pytest.raises(ValueError, match="differences must hold"):
        plot_paired_differences([item], metric_title="F1", baseline="none", ax=ax)


def test_paired_differences_from_real_tests():
    rng = np.random.default_rng(1)
    tests = [(f"m{i}", corrected_ttest(rng.normal(0.02 * i, 0.01, 10), test_train_ratio=1.0)) for i in range(4)]
    fig = plot_paired_differences(tests, metric_title="F1", baseline="none", title="F1 against none")
    (ax,) = fig.axes
    assert ax.get_title() == "F1 against none"
    (intervals,) = by_gid(ax, "intervals")
    for seg, (_, t) in zip(intervals.get_segments(), tests):
        assert seg[0][0] == pytest.approx(t.low) and seg[1][0] == pytest.approx(t.high)
    assert len(figure_to_png(fig, dpi=30)) > 1000
    close(fig)


def test_paired_differences_in_a_shared_grid_do_not_overlap():
    # The report's layout: panels sharing the option names, each with its p-values on the right.
    rng = np.random.default_rng(4)
    options = [f"option number {i}" for i in range(7)]
    fig = Figure(figsize=(15.6, 2 * (1.3 + 0.3 * len(options))), layout="constrained")
    axes = fig.subplots(2, 3, sharey=True).ravel()
    for ax in axes[:5]:
        rows = [(o, corrected_ttest(rng.normal(0.01 * i - 0.03, 0.02, 10), test_train_ratio=0.25), 0.0123)
                for i, o in enumerate(options)]
        plot_paired_differences(rows, metric_title="metric", baseline="none", ax=ax)
    fig.delaxes(axes[5])
    renderer = draw(fig)
    texts = [t for ax in fig.axes for t in visible_texts(ax)]
    assert sum(t.get_text() == "option number 0" for t in texts) == 2  # the first column only
    assert_inside_and_apart(fig, texts, renderer)


def test_paired_differences_needs_rows(ax):
    with pytest.raises(ValueError, match="differences is empty"):
        plot_paired_differences([], metric_title="F1", baseline="none", ax=ax)


# ---------------------------------------------------------------------------------------------
# plot_critical_difference


def result_with(ranks, cd, names=None, n=10):
    k = len(ranks)
    return FriedmanResult(names or [f"o{i}" for i in range(k)], np.asarray(ranks, float), 5.0, 0.01, cd,
                          np.eye(k), 0.05, n)


def group_spans(ax):
    return sorted((min(line.get_xdata()), max(line.get_xdata())) for line in lines_by_gid(ax, "group"))


def test_cd_bar_has_the_length_of_the_critical_difference(ax):
    result = friedman_test(np.random.default_rng(2).normal(size=(14, 4)), list("abcd"))
    plot_critical_difference(result, ax=ax)
    (bar,) = lines_by_gid(ax, "cd-bar")
    x = bar.get_xdata()
    assert abs(x[1] - x[0]) == pytest.approx(result.critical_difference)
    assert any(t.get_text() == f"CD = {result.critical_difference:.2f}" for t in ax.texts)
    # Best rank on the right: the x axis is reversed.
    left, right = ax.get_xlim()
    assert left > right


def test_groups_join_options_closer_than_the_cd(ax):
    # Sorted ranks 1.0, 1.5, 2.4, 3.3, 4.8 with CD 1.0: runs [1.0, 1.5] (2.4 is 1.4 away),
    # [1.5, 2.4], [2.4, 3.3]; 4.8 stands alone; [3.3] alone is no group.
    plot_critical_difference(result_with([2.4, 1.0, 4.8, 1.5, 3.3], 1.0), ax=ax)
    assert group_spans(ax) == [(1.0, 1.5), (1.5, 2.4), (2.4, 3.3)]


def test_one_group_when_nothing_differs(ax):
    plot_critical_difference(result_with([2.0, 2.2, 1.8, 2.0], 2.5), ax=ax)
    assert group_spans(ax) == [(1.8, 2.2)]


def test_groups_nested_in_a_larger_one_are_not_drawn(ax):
    # 1.0..1.9 is one run; starting at 1.5 reaches only 1.9 again, which it adds nothing to.
    plot_critical_difference(result_with([1.0, 1.5, 1.9, 4.0], 1.0), ax=ax)
    assert group_spans(ax) == [(1.0, 1.9)]


def test_names_hang_from_their_ranks_on_both_sides(ax):
    result = result_with([3.0, 1.2, 2.5, 3.9, 1.7], 0.5, names=["none", "smote", "balanced", "adasyn", "threshold"])
    plot_critical_difference(result, ax=ax)
    for name, rank in zip(result.names, result.ranks):
        (line,) = lines_by_gid(ax, f"name-line:{name}")
        assert line.get_xdata()[0] == rank
    # The three best (smote, threshold, balanced) end right of rank 1, the others left of rank k.
    ends = {n: lines_by_gid(ax, f"name-line:{n}")[0].get_xdata()[-1] for n in result.names}
    assert all(ends[n] < 1 for n in ("smote", "threshold", "balanced"))
    assert all(ends[n] > 5 for n in ("none", "adasyn"))
    texts = {t.get_text().strip() for t in ax.texts}
    assert "(1.20) smote" in texts and "adasyn (3.90)" in texts


def test_no_cd_without_enough_data_sets():
    result = friedman_test([[0.1, 0.2, 0.3]], list("abc"))
    assert math.isnan(result.critical_difference)
    fig = plot_critical_difference(result)
    (ax,) = fig.axes
    assert not lines_by_gid(ax, "cd-bar") and not lines_by_gid(ax, "group")
    assert "Friedman" not in ax.get_title()
    assert len(figure_to_png(fig, dpi=30)) > 1000
    close(fig)


def test_demsar_example_at_ten_percent():
    # Demšar (2006), Table 6 (AUC of four C4.5 variants on 14 data sets), at alpha = 0.10.
    auc = np.array([
        [0.763, 0.768, 0.771, 0.798], [0.599, 0.591, 0.590, 0.569], [0.954, 0.971, 0.968, 0.967],
        [0.628, 0.661, 0.654, 0.657], [0.882, 0.888, 0.886, 0.898], [0.936, 0.931, 0.916, 0.931],
        [0.661, 0.668, 0.609, 0.685], [0.583, 0.583, 0.563, 0.625], [0.775, 0.838, 0.866, 0.875],
        [1.000, 1.000, 1.000, 1.000], [0.940, 0.962, 0.965, 0.962], [0.619, 0.666, 0.614, 0.669],
        [0.972, 0.981, 0.975, 0.975], [0.957, 0.978, 0.946, 0.970],
    ])
    result = friedman_test(auc, ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"], alpha=0.10)
    fig = plot_critical_difference(result)
    (ax,) = fig.axes
    # Ranks 44/14, 28/14, 41/14, 27/14 and CD = 2.291 sqrt(20/84) = 1.12: C4.5 differs from C4.5+m+cf
    # (1.21 apart) and from nothing else; the three pruned variants form one group.
    np.testing.assert_allclose(group_spans(ax), [(27 / 14, 41 / 14), (41 / 14, 44 / 14)])
    assert "14 data sets" in ax.get_title() and "α = 0.1" in ax.get_title()
    assert len(figure_to_png(fig, dpi=30)) > 1000
    close(fig)


@pytest.mark.parametrize("shape", [(6, 1), (6, 2), (2, 3), (30, 12)])
def test_small_and_large_comparisons_render(shape):
    scores = np.random.default_rng(7).normal(size=shape) + np.arange(shape[1])
    result = friedman_test(scores, [f"option {i}" for i in range(shape[1])])
    fig = plot_critical_difference(result)
    (ax,) = fig.axes
    assert len([line for line in ax.get_lines() if (line.get_gid() or "").startswith("name-line:")]) == shape[1]
    assert len(lines_by_gid(ax, "cd-bar")) == (shape[1] >= 2)
    assert len(figure_to_png(fig, dpi=30)) > 1000
    close(fig)


LONG_NAMES = [
    "none", "threshold", "balanced", "calibrated", "SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE",
    "RandomOverSampler", "RandomUnderSampler", "TomekLinks", "EditedNearestNeighbours",
    "RepeatedEditedNearestNeighbours", "AllKNN", "NearMiss", "CondensedNearestNeighbour", "OneSidedSelection",
    "NeighbourhoodCleaningRule", "InstanceHardnessThreshold", "ClusterCentroids", "SMOTEENN", "SMOTETomek",
    "SMOTE+prior", "SMOTENC",
]


def cd_texts_fit(fig, ax):
    renderer = draw(fig)
    assert_inside_and_apart(fig, [t for t in ax.texts if t.get_text()] + [ax.title], renderer)


@pytest.mark.parametrize("figsize", [None, (15.4, 8.6), (9.0, 8.6)])
def test_many_long_names_stay_inside_the_figure(figsize):
    # 25 options, every other one with '+threshold' (as with --methods all): no name leaves the figure or
    # touches another text, whether the function sizes the figure or is given the report's axes.
    names = [n + "+threshold" if i % 2 else n for i, n in enumerate(LONG_NAMES)]
    scores = np.random.default_rng(3).normal(size=(8, 25)) + np.linspace(0, 1.5, 25)
    result = friedman_test(scores, names)
    if figsize is None:
        fig = plot_critical_difference(result)
    else:
        fig = Figure(figsize=figsize, layout="constrained")
        plot_critical_difference(result, ax=fig.subplots())
    (ax,) = fig.axes
    cd_texts_fit(fig, ax)
    shown = {t.get_gid()[5:]: t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("name:")}
    assert sorted(shown) == sorted(names)
    if figsize != (9.0, 8.6):  # wide enough: every name whole
        assert all(name in shown[name] for name in names)
    close(fig)


def test_a_small_axes_shortens_the_longest_names():
    names = [n + "+threshold" for n in LONG_NAMES]
    result = friedman_test(np.random.default_rng(5).normal(size=(6, 25)), names)
    fig = Figure(figsize=(6.0, 4.0), layout="constrained")
    ax = fig.subplots()
    assert plot_critical_difference(result, ax=ax) is fig
    cd_texts_fit(fig, ax)
    shown = {t.get_gid()[5:]: t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("name:")}
    cut = [text for name, text in shown.items() if name not in text]
    assert cut and all("…" in text for text in cut)


# ---------------------------------------------------------------------------------------------
# The report's figure of paired differences


def test_the_report_draws_paired_differences_three_a_row():
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from smotekit.evaluation import METRICS, compare
    from smotekit.evaluation._report import add_comparison
    from smotekit.report import HtmlReport

    X, y = make_classification(400, weights=[0.85], random_state=0)
    comp = compare(X, y, LogisticRegression(), methods=("none", "balanced", "SMOTE", "calibrated"), cv=4,
                   check_leak=False)
    figures = []
    report = HtmlReport("paired differences")
    report.figure = lambda fig, caption="", **kwargs: figures.append(fig)
    add_comparison(report, comp)
    fig = figures[0]
    assert [ax.get_title() for ax in fig.axes] == ["PR AUC", "ROC AUC", "log loss", "ECE", "F1"]
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 3)
    for ax in fig.axes:
        key = next(k for k, m in METRICS.items() if m.title == ax.get_title())
        for d in (d for d in comp.differences() if d.metric == key):
            # The Holm-adjusted p-value, and a colour that agrees with the metric's direction.
            assert p_texts(ax)[d.option] in (f"p={d.pvalue_holm:#.3g}", "p<0.001")
        # Colours say what the verdict says: better, worse, or no significant difference.
        (intervals,) = by_gid(ax, "intervals")
        expected = [{True: "#009e73", False: "#d55e00", None: "#555555"}[d.better]
                    for d in comp.differences() if d.metric == key]
        assert [matplotlib.colors.to_hex(c) for c in intervals.get_colors()] == expected
    renderer = draw(fig)  # first: the tick labels are made at drawing
    assert_inside_and_apart(fig, [t for ax in fig.axes for t in visible_texts(ax)], renderer)
