"""``evaluate`` as the "should I resample?" comparison: several data sets, the options, the statistics, the report."""

import re

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run
from sklearn.datasets import make_classification

from smotekit.cli._evaluate import data_files


def _write(path, seed, n=300, weights=(0.9,)):
    X, y = make_classification(n_samples=n, n_features=4, n_informative=3, n_redundant=0, weights=list(weights),
                               random_state=seed)
    pd.DataFrame(X, columns=list("abcd")).assign(label=np.where(y == 1, "yes", "no")).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("sets")
    for i in range(3):
        _write(root / f"set{i}.csv", seed=i)
    (root / "notes.txt.bak").write_text("not a data file")
    return root


def test_a_folder_stands_for_its_data_files_in_name_order(folder):
    assert [p.name for p in data_files([folder])] == ["set0.csv", "set1.csv", "set2.csv"]
    # A file named twice (directly and through its folder) is one data set.
    assert [p.name for p in data_files([folder / "set1.csv", folder])] == ["set1.csv", "set0.csv", "set2.csv"]


def test_several_data_sets_are_ranked_and_reported(capsys, folder, tmp_path):
    report = tmp_path / "r.html"
    code, out, err = run(capsys, "evaluate", folder, "-t", "label", "--model", "logreg", "--cv", "2x2",
                         "--methods", "none,threshold,smote,smote+prior", "--report", report, "-q")
    assert code == 0, err
    for name in ("set0.csv", "set1.csv", "set2.csv"):
        assert re.search(rf"^{name}: 300 rows", out, re.M)
    assert out.count("Verdict:") == 3
    assert "Across 3 data sets" in out and "Friedman p" in out and "Nemenyi CD" in out
    for option in ("none", "threshold", "SMOTE", "SMOTE+prior"):
        assert re.search(rf"^{re.escape(option)}\s", out, re.M)
    page = report.read_text()
    assert "<h2>Across data sets</h2>" in page and "Critical-difference diagram" in page
    assert page.count("<h2>set0.csv: Verdict</h2>") == 1 and "smotekit evaluate " in page


def test_cost_objective_tunes_for_the_cost(capsys, folder):
    code, out, _ = run(capsys, "evaluate", folder / "set0.csv", "-t", "label", "--model", "logreg", "--cv", "2x2",
                       "--methods", "none,threshold", "--objective", "cost", "--cost", "1,20", "-q")
    assert code == 0 and "cost" in out.splitlines()[2]  # the table's header holds the cost column


@pytest.mark.parametrize("extra, message", [
    (["--objective", "cost"], "--objective cost needs --cost"),
    (["--cost", "1"], "--cost expects FP,FN"),
    (["--cost=-1,2"], "--cost expects FP,FN"),
    (["--baseline", "smote"], "baseline 'smote' is not among the options"),
    (["--methods", "none,smote+prior+threshold"], "one modifier per option"),
    (["--methods", "none,smote+later"], "after '+' put one of threshold, prior"),
])
def test_evaluate_option_errors(capsys, folder, extra, message):
    code, _, err = run(capsys, "evaluate", folder / "set0.csv", "-t", "label", "--cv", "2x1", *extra)
    assert code == 1 and message in err and "Traceback" not in err


def test_a_folder_without_data_files_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "evaluate", tmp_path, "-t", "label")
    assert code == 1 and "no CSV or Parquet file" in err


@pytest.mark.slow
def test_methods_all_runs_every_applicable_option(capsys, tmp_path):
    path = _write(tmp_path / "small.csv", seed=5, n=240, weights=(0.8,))
    code, out, err = run(capsys, "evaluate", path, "-t", "label", "--model", "logreg", "--cv", "2x1",
                         "--methods", "all", "-q")
    assert code == 0, err
    for option in ("none", "threshold", "balanced", "calibrated", "SMOTE", "TomekLinks", "balanced-bagging",
                   "rusboost", "SMOTE+threshold", "RandomUnderSampler+prior"):
        assert re.search(rf"^{re.escape(option)}\s", out, re.M), option
    # Categorical-only methods have nothing to do on numeric data.
    assert not re.search(r"^SMOTEN\s", out, re.M) and not re.search(r"^SMOTENC\s", out, re.M)
