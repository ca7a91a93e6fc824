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
    (["--baseline", "rus"], "--baseline 'rus' is not among the options (none, threshold, balanced, calibrated, "
                            "SMOTE, SMOTE+threshold, SMOTE+prior)"),
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


def test_baseline_is_read_like_the_methods(capsys, folder):
    code, out, err = run(capsys, "evaluate", folder / "set0.csv", "-t", "label", "--model", "logreg", "--cv", "2x1",
                         "--methods", "none,smote,smote+prior", "--baseline", "smote", "-q")
    assert code == 0, err
    assert "Differences from SMOTE" in out or "than SMOTE" in out
    code, out, err = run(capsys, "evaluate", folder / "set0.csv", "-t", "label", "--model", "logreg", "--cv", "2x1",
                         "--methods", "NONE,smote,smote+prior", "--baseline", "Smote+Prior", "-q")
    assert code == 0, err


def _args(methods, **extra):
    from types import SimpleNamespace

    return SimpleNamespace(methods=[methods], param=None, sampling_strategy=None, random_state=0,
                           categorical="error", **extra)


def _frame(categorical, numeric=2, n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"n{i}": rng.normal(size=n) for i in range(numeric)})
    for i in range(categorical):
        X[f"c{i}"] = rng.choice(["x", "y", "z"], size=n)
    kinds = {c: "categorical" if c.startswith("c") else "numeric" for c in X.columns}
    y = np.where(np.arange(n) % 5 == 0, "yes", "no").astype(object)
    return X, kinds, ["no", "yes"], y


def test_a_modifier_alone_does_not_add_the_plain_sampler():
    from smotekit.cli._evaluate import _methods
    from smotekit.cli._samplers import samplers
    from smotekit.evaluation._compare import make_cv

    X, kinds, labels, y = _frame(0)
    methods, _, _ = _methods(_args("none,smote+prior"), X, kinds, labels, y, make_cv("2x1"), samplers())
    assert methods[0] == "none" and len(methods) == 2
    name, sampler = methods[1]
    assert name == "SMOTE+prior" and type(sampler).__name__ == "SMOTE"
    # compare fits the sampler under its own name and corrects the priors, without a plain SMOTE option.
    from sklearn.linear_model import LogisticRegression

    from smotekit.evaluation import compare

    comp = compare(X.to_numpy(), (y == "yes").astype(int), LogisticRegression(), methods=methods, cv="2x1",
                   check_leak=False)
    assert comp.options == ["none", "SMOTE+prior"] and comp.kinds["SMOTE+prior"] == "resampler+prior"
    # With the plain sampler asked for too, both options run, in the order asked, from one sampler.
    methods, _, _ = _methods(_args("smote+prior,none,SMOTE"), X, kinds, labels, y, make_cv("2x1"), samplers())
    assert [m if isinstance(m, str) else m[0] for m in methods] == ["SMOTE+prior", "none", "SMOTE"]
    assert methods[0][1] is methods[2][1]
    comp = compare(X.to_numpy(), (y == "yes").astype(int), LogisticRegression(), methods=methods, cv="2x1",
                   check_leak=False)
    assert comp.options == ["SMOTE+prior", "none", "SMOTE"]


def test_only_the_asked_options_are_compared(capsys, folder):
    # Needs plan_units to register ('SMOTE+prior', sampler) under SMOTE without adding a plain SMOTE option.
    code, out, err = run(capsys, "evaluate", folder / "set0.csv", "-t", "label", "--model", "logreg", "--cv", "2x1",
                         "--methods", "none,smote+prior", "-q")
    assert code == 0, err
    assert re.search(r"^SMOTE\+prior\s", out, re.M) and not re.search(r"^SMOTE\s", out, re.M)


@pytest.mark.parametrize("categorical, numeric, expected, absent", [
    (0, 2, {"SMOTE", "TomekLinks", "RandomUnderSampler"}, {"SMOTEN", "SMOTENC"}),
    (1, 2, {"SMOTENC", "RandomOverSampler", "RandomUnderSampler"}, {"SMOTE", "SMOTEN", "TomekLinks"}),
    (2, 0, {"SMOTEN", "RandomOverSampler", "RandomUnderSampler"}, {"SMOTE", "SMOTENC"}),
])
def test_methods_all_follows_the_columns(categorical, numeric, expected, absent):
    from smotekit.cli._evaluate import _applicable
    from smotekit.cli._samplers import samplers

    X, kinds, _, _ = _frame(categorical, numeric)
    found = set(_applicable(samplers(), X, kinds, 2))
    assert expected <= found and not (absent & found)


def test_methods_all_with_categorical_columns_leaves_the_ensembles_out(capsys):
    from smotekit.cli._evaluate import _methods
    from smotekit.cli._samplers import samplers
    from smotekit.evaluation._compare import make_cv

    X, kinds, labels, y = _frame(1)
    methods, _, _ = _methods(_args("all"), X, kinds, labels, y, make_cv("2x1"), samplers())
    names = [m if isinstance(m, str) else m[0] for m in methods]
    assert "SMOTENC" in names and "SMOTENC+prior" in names
    assert not any("bagging" in n or "ensemble" in n or "rusboost" in n or "forest" in n for n in names)
    assert "left out the balanced ensembles" in capsys.readouterr().err


def test_a_model_without_probabilities_runs_and_reports(capsys, folder, tmp_path):
    report = tmp_path / "svc.html"
    code, out, err = run(capsys, "evaluate", folder / "set0.csv", folder / "set1.csv", "-t", "label", "--model",
                         "sklearn.svm.LinearSVC", "--cv", "2x1", "--methods", "none,smote,rus",
                         "--report", report, "-q")
    assert code == 0, err
    assert "Across 2 data sets" in out and re.search(r"^Not ranked .*log loss", out, re.M | re.I)
    page = report.read_text()
    assert "decision values, not probabilities" in page and "Not ranked" in page


def test_inspect_checks_the_folds_of_evaluate_s_default(capsys, tmp_path):
    from smotekit.cli import build_parser
    from smotekit.cli._main import EVALUATE_CV

    parsed = build_parser().parse_args(["evaluate", "x.csv", "-t", "label"])
    assert parsed.cv == EVALUATE_CV == "5x2"
    rng = np.random.default_rng(0)
    path = tmp_path / "seven.csv"
    pd.DataFrame({"a": rng.normal(size=47), "label": ["no"] * 40 + ["yes"] * 7}).to_csv(path, index=False)
    code, out, err = run(capsys, "inspect", path, "-t", "label")
    assert code == 0, err
    assert "folds of --cv" not in out + err  # 7 rows fill 5 folds (10 would not)
