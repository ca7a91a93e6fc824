"""write_html: one self-contained page with the verdict, the options and the command, written atomically."""

import html
import os
import re

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from smotekit.evaluation import Comparison, MultiComparison, compare, write_html

pytest.importorskip("jinja2")

COMMAND = "smotekit evaluate data.csv --methods none,threshold,SMOTE --cv 2x1 --report out.html"


def hand(options, *, kinds=None, seed=0, errors=None):
    """A 4-fold Comparison with random fold scores on F1 and log loss."""
    rng = np.random.default_rng(seed)
    y = np.array([0, 0, 0, 1] * 10)
    splits = [(np.setdiff1d(np.arange(40), np.arange(10 * s, 10 * s + 10)), np.arange(10 * s, 10 * s + 10))
              for s in range(4)]
    comp = Comparison(options=list(options), metrics=["f1", "log_loss"], classes=[0, 1], y=y, pos=1,
                      baseline=options[0], splits=splits, per_repeat=4, skipped={}, kinds=dict(kinds or {}),
                      scores=rng.uniform(0.2, 0.8, size=(len(options), 4, 2)))
    comp.errors.update(errors or {})
    return comp


@pytest.fixture(scope="module")
def real():
    X, y = make_classification(n_samples=120, n_features=4, weights=[0.8], random_state=0)
    return compare(X, y, LogisticRegression(), methods=["none", "threshold", "SMOTE", "SMOTE+prior"], cv="2x1",
                   threshold_cv=2, check_leak=False)


def _text(page):
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_report_is_one_self_contained_page(real, tmp_path):
    path = write_html(real, tmp_path / "report.html", command=COMMAND)
    assert path == tmp_path / "report.html"
    assert os.listdir(tmp_path) == ["report.html"]
    page = path.read_text(encoding="utf-8")
    assert page.lstrip().startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # Nothing fetched from elsewhere: no remote src or href, no stylesheet or script links.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, flags=re.I)
    assert "<link" not in page.lower() and "<script" not in page.lower()
    # The figures are embedded.
    images = re.findall(r"<img[^>]*src=\"([^\"]*)\"", page)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    text = _text(page)
    for sentence in real.verdict():
        assert re.sub(r"\s+", " ", sentence) in text
    for option in real.options:
        assert option in text
    assert COMMAND in text
    assert "scikit-learn" in text and "numpy" in text


def test_report_without_plots_has_no_images(real, tmp_path):
    page = write_html(real, tmp_path / "r.html", plots=False, title="My title").read_text(encoding="utf-8")
    assert "<img" not in page
    assert "<title>My title</title>" in page


def test_best_cells_are_marked(tmp_path):
    comp = hand(["none", "a", "b"])
    page = write_html(comp, tmp_path / "r.html", plots=False).read_text(encoding="utf-8")
    _, rows, best = comp.table()
    marked = re.findall(r"<td class=\"best\">([^<]*)</td>", page)
    assert sorted(html.unescape(c) for c in marked) == sorted(rows[i][j] for i, j in best)


def test_names_are_escaped(tmp_path):
    evil = "<script>alert(1)</script>"
    comp = hand(["none", evil, "b&c"], errors={evil: "RuntimeError: <b>bad</b>"})
    comp.skipped["<img src=x>"] = "skipped <because>"
    page = write_html(comp, tmp_path / "r.html", plots=True, command=f"run {evil}",
                      title=f"title {evil}").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<img src=x>" not in page and "<b>bad</b>" not in page
    assert "&lt;script&gt;" in page
    text = _text(page)
    assert evil in text and "b&c" in text and "<img src=x>" in text and "skipped <because>" in text


def test_existing_file_is_replaced_whole(real, tmp_path):
    path = tmp_path / "r.html"
    path.write_text("old content " * 100_000, encoding="utf-8")
    write_html(real, path, plots=False)
    page = path.read_text(encoding="utf-8")
    assert "old content" not in page and page.rstrip().endswith("</html>")
    assert os.listdir(tmp_path) == ["r.html"]


def test_failed_write_leaves_the_old_file_and_no_temporary(real, tmp_path, monkeypatch):
    path = tmp_path / "r.html"
    path.write_text("previous report", encoding="utf-8")

    def refuse(src, dst):
        raise OSError("disk full")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", refuse)
        with pytest.raises(OSError, match="disk full"):
            write_html(real, path, plots=False)
    assert path.read_text(encoding="utf-8") == "previous report"
    assert os.listdir(tmp_path) == ["r.html"]


def test_several_data_sets_in_one_page(tmp_path):
    results = {f"set {i}": hand(["none", "a", "b"], seed=i) for i in range(3)}
    page = write_html(MultiComparison(results), tmp_path / "multi.html", plots=True,
                      command=COMMAND).read_text(encoding="utf-8")
    text = _text(page)
    assert "Across data sets" in text and "3 data sets" in text
    for name, comp in results.items():
        assert f"{name}: Verdict" in text
        for sentence in comp.verdict():
            assert re.sub(r"\s+", " ", sentence) in text
    assert COMMAND in text
    assert not re.search(r"""src\s*=\s*["']?\s*(?:https?:)?//""", page, flags=re.I)


def test_failures_count_the_folds():
    from smotekit.evaluation._report import failure_text

    comp = hand(["none", "a", "b"], errors={"a": "boom", "b": "boom"})
    comp.scores[1, 0, :] = np.nan  # one fold of 'a' failed: every score NaN
    comp.scores[2, :, :] = np.nan
    comp.scores[0, 0, 1] = np.nan  # one undefined metric is not a failure
    assert failure_text(comp, "a") == "failed on 1 of 4 folds"
    assert failure_text(comp, "b") == "failed on every fold"
    assert failure_text(comp, "none") == "failed on 0 of 4 folds"


@pytest.fixture(scope="module")
def svc_data():
    return [make_classification(n_samples=150, n_features=4, weights=[0.8], random_state=seed) for seed in (0, 1)]


def test_decision_values_get_roc_and_pr_curves_but_no_reliability(svc_data, tmp_path):
    from sklearn.svm import LinearSVC

    X, y = svc_data[0]
    comp = compare(X, y, LinearSVC(), methods=["none", "calibrated", "SMOTE"], cv="2x1", check_leak=False)
    text = _text(write_html(comp, tmp_path / "svc.html").read_text(encoding="utf-8"))
    assert "No reliability curve for none, SMOTE: their scores are decision values" in text
    assert "pooled out-of-fold predictions (15 bins)" in text  # 'calibrated' has probabilities

    comp = compare(X, y, LinearSVC(), methods=["none", "SMOTE"], cv="2x1", check_leak=False)
    page = write_html(comp, tmp_path / "svc2.html").read_text(encoding="utf-8")
    assert "decision values, not probabilities" in _text(page) and "pooled" not in page


def test_metrics_no_two_options_score_everywhere_are_not_ranked(svc_data, tmp_path):
    from sklearn.svm import LinearSVC

    from smotekit.evaluation import compare_datasets

    multi = compare_datasets({f"s{i}": d for i, d in enumerate(svc_data)}, LinearSVC(), methods=["none", "SMOTE"],
                             cv="2x1", check_leak=False)
    text = _text(write_html(multi, tmp_path / "multi.html").read_text(encoding="utf-8"))
    assert re.search(r"Not ranked \(fewer than 2 options with a score on every data set\): log loss, Brier", text)
    assert "ROC AUC" in text
