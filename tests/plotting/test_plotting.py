"""smotekit.plotting and smotekit.report: images of the expected size, embedded, and the missing-extra hint."""

import base64
import struct
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from smotekit import SMOTE, RandomUnderSampler  # noqa: E402
from smotekit.plotting import (  # noqa: E402
    plot_class_distribution,
    plot_decision_boundary,
    plot_precision_recall_curves,
    plot_resampling,
    plot_roc_curves,
    plot_sampler,
    project_2d,
)
from smotekit.report import HtmlReport, figure_to_png  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes):
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (180, 2)), rng.normal(2.5, 0.6, (20, 2))])
    y = np.r_[np.zeros(180, int), np.ones(20, int)]
    return X, y


def test_resampling_plot_png(data, tmp_path):
    X, y = data
    fig = plot_sampler(SMOTE(random_state=0), X, y)
    path = tmp_path / "smote.png"
    fig.savefig(path, dpi=50)
    raw = path.read_bytes()
    assert png_size(raw) == (550, 240)  # figsize (11, 4.8) at 50 dpi
    assert len(raw) > 5000
    left, right = fig.axes[:2]
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert "class 1: 160 synthetic" in labels and "class 1: 20 original" in labels
    assert left.get_title() == "before: 200 rows" and right.get_title() == "after: 360 rows"


def test_projection_above_two_features(data):
    X, y = data
    rng = np.random.default_rng(1)
    X4 = np.column_stack([X, rng.normal(size=(200, 2))])
    pts, names = project_2d(X4)
    assert pts.shape == (200, 2) and names[0].startswith("PCA")
    sampler = RandomUnderSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(X4, y)
    fig = plot_resampling(X4, y, X_res, y_res, sampler.provenance_.is_synthetic)
    assert fig.axes[1].get_xlabel() == "PCA component 1"
    assert png_size(figure_to_png(fig, dpi=40)) == (440, 192)


def test_class_distribution_and_boundary(data):
    X, y = data
    fig = plot_class_distribution({"no": 990, "yes": 10})
    assert fig.axes[0].get_xscale() == "log"
    assert png_size(figure_to_png(fig, dpi=50))[0] == 300
    from sklearn.tree import DecisionTreeClassifier

    model = DecisionTreeClassifier(random_state=0).fit(X, y)
    fig = plot_decision_boundary(model, X, y, grid_resolution=40)
    assert len(figure_to_png(fig, dpi=40)) > 2000
    with pytest.raises(ValueError, match="exactly two features"):
        plot_decision_boundary(model, np.ones((5, 3)), np.r_[0, 0, 1, 1, 0])
    with pytest.raises(ValueError, match="empty"):
        plot_class_distribution({})


def test_curves(data):
    X, y = data
    scores = {"a": X[:, 0], "b": X[:, 1]}
    fig = plot_roc_curves(y, scores, pos_label=1)
    plot_precision_recall_curves(y, scores, pos_label=1, ax=fig.axes[0])
    assert len(fig.axes[0].get_lines()) >= 3
    assert len(figure_to_png(fig, dpi=40)) > 2000


def test_report_is_self_contained(data, tmp_path):
    X, y = data
    rep = HtmlReport("Title <x>", "sub")
    rep.heading("Section A").paragraph("text & more").table(["m", "v"], [["a", "1"], ["b", "2"]], best={(1, 1)})
    rep.figure(plot_class_distribution(y), "chart")
    rep.preformatted("a  b")
    page = rep.write(tmp_path / "r.html").read_text()
    assert "<h2>Section A</h2>" in page and "Title &lt;x&gt;" in page and "text &amp; more" in page
    assert '<td class="best">2</td>' in page
    src = page.split('src="data:image/png;base64,')[1].split('"')[0]
    assert base64.b64decode(src)[:8] == PNG_MAGIC
    assert "http://" not in page and "https://" not in page and "<script" not in page and "<link" not in page


def test_missing_matplotlib_gives_install_hint(monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"smotekit\[plot\]"):
        plot_class_distribution([0, 1])


def test_importing_does_not_import_matplotlib():
    code = ("import sys, smotekit.plotting, smotekit.cli, smotekit.report, smotekit.metrics;"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.slow
def test_cli_pictures_are_not_kept_by_pyplot(tmp_path):
    # A notebook or a test session that has pyplot loaded and runs the command in-process must not
    # accumulate the command's figures (pyplot keeps each until closed).
    plt = pytest.importorskip("matplotlib.pyplot")
    from smotekit.cli import main

    before = len(plt.get_fignums())
    assert main(["demo", "--out", str(tmp_path / "demo"), "--cv", "2x1", "-q"]) == 0
    assert len(plt.get_fignums()) == before
