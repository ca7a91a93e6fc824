"""The HTML report: its best cells are the terminal table's `*` cells, and every text in it is escaped."""

import re
import sys
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import main
from smotekit.evaluation import METRICS, Comparison
from smotekit.evaluation._report import add_comparison
from smotekit.report import HtmlReport

HOSTILE = "<script>alert(1)</script>"


class _Cells(HTMLParser):
    """Rows of ``(text, highlighted)`` from the tables of a page."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ["", ("class", "best") in attrs]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(tuple(self._cell))
            self._cell = None


def _evaluation(means, metrics=("roc_auc", "pr_auc", "f1", "recall")) -> Comparison:
    """A Comparison whose every fold scores exactly ``means[option]`` (so the means are known)."""
    if not isinstance(means, dict):
        means = {f"option {i}": row for i, row in enumerate(means)}
    rows = np.arange(4)
    comp = Comparison(options=list(means), metrics=list(metrics), classes=[0, 1], y=np.array([0, 1, 0, 1]), pos=1,
                      baseline=next(iter(means)), splits=[(rows, rows), (rows, rows)], per_repeat=2, skipped={})
    comp.scores[:] = np.asarray(list(means.values()), float)[:, None, :]
    return comp


def _text_marks(ev) -> set:
    """(row, column) of the cells the terminal table marks with '*'."""
    lines = ev.text_table().splitlines()[2:]
    marks = set()
    for i, line in enumerate(lines):
        cells = re.split(r"\s{2,}", line.strip())
        marks |= {(i, j) for j, cell in enumerate(cells) if cell.endswith(" *")}
    return marks


def _html_marks(ev) -> set:
    rep = HtmlReport("t")
    add_comparison(rep, ev, plots=False)
    parser = _Cells()
    parser.feed(rep.render())
    body = parser.tables[0][1:]  # the first row holds the header
    return {(i, j) for i, row in enumerate(body) for j, (_, best) in enumerate(row) if best}


# The demo's case (the best ROC AUC is not the first method's) and an evaluate-like one where the
# worst recall sits one column right of the best F1, as the shifted highlight showed it.
@pytest.mark.parametrize("means, expected", [
    ({"none (tree alone)": [0.771, 0.30, 0.50, 0.40], "SMOTE": [0.845, 0.35, 0.45, 0.80],
      "ADASYN": [0.800, 0.40, 0.40, 0.85]},
     {(1, 1), (2, 2), (0, 3), (2, 4)}),
    ({"none": [0.9, 0.6, 0.7, 0.2], "SMOTE": [0.8, 0.5, 0.6, 0.9]},
     {(0, 1), (0, 2), (0, 3), (1, 4)}),
])
def test_report_and_terminal_mark_the_same_best_cells(means, expected):
    ev = _evaluation(means)
    assert _text_marks(ev) == expected
    assert _html_marks(ev) == expected


def test_marked_cells_hold_the_best_values():
    ev = _evaluation({"a": [0.771, 0.2, 0.1, 0.9], "b": [0.845, 0.1, 0.3, 0.2]})
    rep = HtmlReport("t")
    add_comparison(rep, ev, plots=False)
    parser = _Cells()
    parser.feed(rep.render())
    header = [text for text, _ in parser.tables[0][0]]
    best = {header[j]: text for row in parser.tables[0][1:] for j, (text, hi) in enumerate(row) if hi}
    assert best == {METRICS["roc_auc"].title: "0.845 ± 0.000", METRICS["pr_auc"].title: "0.200 ± 0.000",
                    METRICS["f1"].title: "0.300 ± 0.000", METRICS["recall"].title: "0.900 ± 0.000"}


@pytest.mark.parametrize("means, expected", [
    ([[0.5, np.nan], [0.7, np.nan]], {(1, 0)}),                 # a metric without values marks nothing
    ([[0.7, 0.1], [0.7004, 0.3], [0.69, 0.3]], {(0, 0), (1, 0), (1, 1), (2, 1)}),  # ties at 3 decimals
    ([[np.nan, 0.2], [0.4, 0.1]], {(1, 0), (0, 1)}),            # NaN beside a value is skipped
])
def test_best_cells(means, expected):
    _, _, best = _evaluation(means, metrics=("roc_auc", "pr_auc")).table()
    assert {(i, j - 1) for i, j in best} == expected


def test_every_text_in_the_page_is_escaped():
    rep = HtmlReport(HOSTILE, HOSTILE)
    rep.heading(HOSTILE).paragraph(HOSTILE).paragraph(HOSTILE, note=True).preformatted(HOSTILE)
    rep.table([HOSTILE, "n"], [[HOSTILE, 1]], best={(0, 0)}).image(b"\x89PNG\r\n", f'" onload="{HOSTILE}')
    page = rep.render()
    assert "<script" not in page.lower() and 'onload="' not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 11  # title twice, alt and caption
    assert '<td class="best">&lt;script&gt;' in page


def test_evaluate_report_escapes_class_and_file_names(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    frame["label"] = np.where(np.arange(60) < 12, HOSTILE, "other")
    data = tmp_path / "<b>data&.csv"
    frame.to_csv(data, index=False)
    report = tmp_path / "r.html"
    code = main(["evaluate", str(data), "-t", "label", "--methods", "none", "--cv", "2x1", "-q",
                 "--report", str(report)])
    capsys.readouterr()
    assert code == 0
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;data&amp;.csv" in page


def test_missing_jinja2_gives_install_hint(monkeypatch):
    import smotekit.report as report

    monkeypatch.setattr(report, "_template", None)
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ImportError, match=r"smotekit\[cli\]"):
        HtmlReport("t").render()


@pytest.mark.parametrize("command", ["evaluate", "demo"])
def test_a_missing_report_engine_stops_before_any_work(command, tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "jinja2" else real(name, *a))
    data = tmp_path / "d.csv"
    pd.DataFrame({"a": np.arange(40.0), "label": ["x"] * 30 + ["y"] * 10}).to_csv(data, index=False)
    argv = (["evaluate", str(data), "-t", "label", "--report", str(tmp_path / "r.html"), "-q"]
            if command == "evaluate" else ["demo", "--out", str(tmp_path / "demo"), "-q"])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Jinja2" in err and "smotekit[cli]" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]  # nothing started, nothing written
