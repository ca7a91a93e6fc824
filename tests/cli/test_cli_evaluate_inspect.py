"""``evaluate`` and ``inspect``: labels of any type, advice that works, identifiers, the chart.

Each CLI test writes a small file in a temporary folder and runs ``smotekit`` in process.
"""

import datetime
import re

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier

from smotekit import SMOTE
from smotekit.cli._checks import fold_classes, small_classes
from smotekit.cli._common import encode_labels
from smotekit.evaluation import compare


def features(n, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(size=n).round(4), "b": rng.normal(size=n).round(4)})


def labelled(n_major=40, n_minor=12, major="no", minor="yes", seed=0):
    return features(n_major + n_minor, seed).assign(label=[major] * n_major + [minor] * n_minor)


# -- evaluate: labels of any type are class codes inside --------------------------------------------------------
def _objects(values):
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _binary_labels():
    """Label vectors named by kind, built from 0/1 codes: (labels of code 0, code 1)."""
    return {
        "datetime": (np.datetime64("2020-01-01", "ns"), np.datetime64("2021-06-01", "ns")),
        "tz-aware": (pd.Timestamp("2020-01-01", tz="Europe/Paris"), pd.Timestamp("2021-06-01", tz="Europe/Paris")),
        "bool": (False, True),
        "mixed ints": (np.int32(-3), 2**62),
        "dates": (datetime.date(2020, 1, 1), datetime.date(2021, 6, 1)),
    }


def _data(n_classes):
    X, codes = make_classification(n_samples=150, n_features=4, n_informative=3, n_redundant=0,
                                   n_classes=n_classes, weights=[0.7] + [0.3 / (n_classes - 1)] * (n_classes - 1),
                                   random_state=3)
    return X, codes


def _compare(X, y, cv):
    return compare(X, y, DecisionTreeClassifier(random_state=0), cv=cv, metrics=METRICS, check_leak=False,
                   methods=["none", ("SMOTE", SMOTE(k_neighbors=3, random_state=0))])


METRICS = ["roc_auc", "pr_auc", "f1", "mcc", "gmean", "recall", "precision", "specificity", "balanced_accuracy"]


@pytest.mark.parametrize("kind", list(_binary_labels()))
def test_binary_labels_of_any_type_score_as_their_codes(kind):
    X, codes = _data(2)
    names = _binary_labels()[kind]
    y = _objects([names[c] for c in codes]) if kind != "datetime" else np.array(names)[codes]
    by_label, by_code = _compare(X, y, "3x2"), _compare(X, codes, "3x2")
    np.testing.assert_array_equal(by_label.scores, by_code.scores)
    for name in ("none", "SMOTE"):
        np.testing.assert_array_equal(by_label.oof[name], by_code.oof[name])
    assert by_label.positive_label == names[1] and by_code.positive_label == 1


@pytest.mark.parametrize("labels", [
    [pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01"), pd.Timestamp("2022-01-01")],
    [pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2021-01-01", tz="UTC"), pd.Timestamp("2022-01-01", tz="UTC")],
    [-5, 7, 2**60],
])
def test_multiclass_labels_of_any_type_score_as_their_codes(labels):
    X, codes = _data(3)
    y = _objects([labels[c] for c in codes])
    by_label, by_code = _compare(X, y, "3x1"), _compare(X, codes, "3x1")
    assert by_label.multiclass and by_label.classes == labels
    np.testing.assert_array_equal(by_label.scores, by_code.scores)


def test_encode_labels_keeps_nanosecond_times_as_times():
    classes, codes = encode_labels(np.array(["2020-01-01T00:00:00.000000001", "1970-01-01"], dtype="datetime64[ns]"))
    assert [str(c) for c in classes] == ["1970-01-01 00:00:00", "2020-01-01 00:00:00.000000001"]
    assert codes.tolist() == [1, 0]


@pytest.fixture
def dated(tmp_path):
    """A Parquet file whose target holds dates (datetime64), 45 and 15 rows."""
    path = tmp_path / "dtlab.parquet"
    labels = pd.to_datetime(["2020-01-01"] * 45 + ["2021-06-01"] * 15)
    features(60).assign(label=labels).to_parquet(path)
    return path


@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
def test_evaluate_runs_on_date_labels(capsys, dated, tmp_path, tz):
    path = dated
    if tz:
        path = tmp_path / "tz.parquet"
        frame = pd.read_parquet(dated)
        frame.assign(label=frame["label"].dt.tz_localize(tz)).to_parquet(path)
    code, out, err = run(capsys, "evaluate", path, "-t", "label", "--cv", "3x1", "-q", "--methods", "none,smote,ros")
    assert code == 0, err
    assert "Positive class: 2021-06-01 00:00:00" in out and "datetime" not in out and "Timestamp" not in out


def test_evaluate_sampling_strategy_names_classes_by_their_labels(capsys, tmp_path):
    src = tmp_path / "d.csv"
    labelled().to_csv(src, index=False)
    code, out, err = run(capsys, "evaluate", src, "-t", "label", "--cv", "3x1", "-q", "--methods", "none,ros",
                         "--sampling-strategy", "yes=30")
    assert code == 0, err
    assert "RandomOverSampler" in out


@pytest.mark.parametrize("method, strategy", [("ros", "{'yes': 30}"), ("tomek-links", "['no']")])
def test_evaluate_sampler_params_name_classes_by_their_labels(capsys, tmp_path, method, strategy):
    src = tmp_path / "d.csv"
    labelled().to_csv(src, index=False)
    argv = ["evaluate", src, "-t", "label", "--cv", "3x1", "-q", "--methods", f"none,{method}"]
    code, _, err = run(capsys, *argv, "--param", f"sampling_strategy={strategy}")
    assert code == 0, err
    unknown = strategy.replace("yes", "maybe").replace("no", "maybe")
    code, _, err = run(capsys, *argv, "--param", f"sampling_strategy={unknown}")
    assert code == 1 and "not a class of the target; classes are 'no', 'yes'" in err


# -- advice for small classes: never the command just given ---------------------------------------------------
@pytest.fixture
def tiny(tmp_path):
    """Classes x (8 rows), y (4 rows) and z (1 row)."""
    path = tmp_path / "tiny.csv"
    features(13).assign(label=["x"] * 8 + ["y"] * 4 + ["z"]).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("methods", ["none", "none,smote", "ros"])
def test_evaluate_one_row_class_says_drop_or_merge(capsys, tiny, methods):
    code, _, err = run(capsys, "evaluate", tiny, "-t", "label", "--cv", "2x3", "--methods", methods)
    assert code == 1
    assert "class 'z' has 1 row" in err and "drop that row or merge its class" in err
    assert "--cv 2x3" not in err and "evaluating" not in err  # refused before any fold is fitted


def test_inspect_one_row_class_says_drop_or_merge(capsys, tiny):
    code, out, _ = run(capsys, "inspect", tiny, "-t", "label")
    assert code == 0
    assert "impossible" not in out and "try --cv" not in out and "k_neighbors=1:" not in out
    assert "class 'z' has 1 row(s), but SMOTE with k_neighbors=5" in out and "merge or drop that class" in out
    assert "class 'z' has 1 row: cross-validation" in out


@pytest.mark.parametrize("counts", [[40, 1], [40, 2], [40, 3, 1], [9, 4, 2], [30, 5, 7], [12, 12]])
@pytest.mark.parametrize("folds, repeats", [(2, 3), (3, 1), (5, 2), (10, 3)])
def test_fold_advice_works_and_differs_from_the_command(counts, folds, repeats):
    y = np.repeat([f"c{i}" for i in range(len(counts))], counts)
    findings = fold_classes(y, folds, repeats)
    assert len(findings) == sum(n < folds for n in counts) and all(f.fatal for f in findings)
    for f in findings:
        suggested = re.findall(r"--cv (\d+)x(\d+)", f.text.split(":")[-1])
        if "1 row:" in f.text:
            assert not suggested and "drop that row or merge" in f.text
            continue
        ((new, again),) = suggested
        assert (int(new), int(again)) != (folds, repeats) and int(again) == repeats
        # The folds suggested fit every class of two rows or more.
        assert not fold_classes(y[np.isin(y, [f"c{i}" for i, n in enumerate(counts) if n > 1])], int(new), repeats)


@pytest.mark.parametrize("n_minor, folds, k, advice", [
    (5, 2, 3, "--cv 5x1"),   # 2 rows per training fold at 2 folds, 4 at 5 folds: enough for k=3
    (6, 3, 5, None),         # 4 rows per training fold; no number of folds leaves 6
    (3, 3, 5, None),         # 2 rows per training fold
])
def test_small_class_advice_never_says_fewer_folds(n_minor, folds, k, advice):
    y = np.array(["no"] * 40 + ["yes"] * n_minor)
    (finding,) = small_classes("SMOTE", SMOTE(k_neighbors=k), y, folds=folds, repeats=1)
    assert "fewer folds" not in finding.text and f"--cv {folds}x1," not in finding.text.split(":")[-1]
    if advice:
        assert advice in finding.text
    else:
        assert "--cv" not in finding.text.split(":")[-1]


def test_small_class_more_folds_advice_is_taken_by_evaluate(capsys, tmp_path):
    src = tmp_path / "small.csv"
    labelled(n_major=40, n_minor=5).to_csv(src, index=False)
    argv = ["evaluate", src, "-t", "label", "-q", "--param", "k_neighbors=3"]
    code, _, err = run(capsys, *argv, "--cv", "2x1")
    assert code == 1 and "--param k_neighbors=1" in err and "--cv 5x1" in err and "fewer folds" not in err
    code, _, err = run(capsys, *argv, "--cv", "5x1")
    assert code == 0, err


def test_small_class_two_training_rows_in_evaluate_names_methods(capsys, tmp_path):
    src = tmp_path / "small.csv"
    labelled(n_major=40, n_minor=2).to_csv(src, index=False)
    code, _, err = run(capsys, "evaluate", src, "-t", "label", "-q", "--cv", "2x1")
    assert code == 1 and "put random-over-sampler in --methods instead" in err and "--method " not in err


def test_inspect_states_the_rule_resample_enforces(capsys, tmp_path):
    src = tmp_path / "small.csv"
    labelled(n_major=40, n_minor=3).to_csv(src, index=False)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", tmp_path / "o.csv")
    assert code == 1
    refused = err.split("error: ")[1].strip()
    code, out, _ = run(capsys, "inspect", src, "-t", "label")
    assert code == 0 and refused in out


# -- evaluate refuses row numbers and identifiers ------------------------------------------------------------------
@pytest.mark.parametrize("column, index", [
    (None, True),                               # a saved pandas index: 'Unnamed: 0'
    (list(range(52)), False),                   # row numbers, in a file sorted by class
    ([f"C{i:05d}" for i in range(52)], False),  # a text ID
])
def test_evaluate_refuses_identifiers(capsys, tmp_path, column, index):
    src = tmp_path / "ids.csv"
    frame = labelled() if column is None else labelled().assign(ident=column)
    frame.to_csv(src, index=index)
    name = "'Unnamed: 0'" if index else "ident"
    code, _, err = run(capsys, "evaluate", src, "-t", "label", "--cv", "3x1", "-q")
    assert code == 1 and f"--drop {name}" in err
    assert "give the class away" in err or "tells the model nothing" in err
    code, _, err = run(capsys, "evaluate", src, "-t", "label", "--cv", "3x1", "-q", "--drop", name.strip("'"))
    assert code == 0, err


# -- inspect --plot asks for --force like every other command -------------------------------------------------
def test_inspect_plot_refuses_an_existing_chart_without_force(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    src = tmp_path / "d.csv"
    labelled().to_csv(src, index=False)
    chart = tmp_path / "c.png"
    chart.write_bytes(b"old chart")
    code, _, err = run(capsys, "inspect", src, "-t", "label", "--plot", chart)
    assert code == 1 and "--force" in err and chart.read_bytes() == b"old chart"
    code, out, _ = run(capsys, "inspect", src, "-t", "label", "--plot", chart, "--force")
    assert code == 0 and chart.read_bytes().startswith(b"\x89PNG")


# -- inspect shows labels as they are written -----------------------------------------------------------------------
@pytest.mark.parametrize("labels, shown", [
    (pd.to_datetime(["2020-01-01"] * 40 + ["2021-06-01"] * 12),
     "(majority 2020-01-01 00:00:00, minority 2021-06-01 00:00:00)"),
    (pd.to_datetime(["2020-01-01"] * 40 + ["2021-06-01"] * 12).tz_localize("UTC"),
     "(majority 2020-01-01 00:00:00+00:00, minority 2021-06-01 00:00:00+00:00)"),
    ([False] * 40 + [True] * 12, "(majority False, minority True)"),
    ([7] * 40 + [-1] * 12, "(majority 7, minority -1)"),
    (["no"] * 40 + ["yes"] * 12, "(majority 'no', minority 'yes')"),
])
def test_inspect_shows_labels_as_written(capsys, tmp_path, labels, shown):
    src = tmp_path / "l.parquet"
    features(52).assign(label=labels).to_parquet(src)
    code, out, _ = run(capsys, "inspect", src, "-t", "label")
    assert code == 0 and shown in out
    assert "datetime." not in out and "Timestamp(" not in out


def test_inspect_shows_nanosecond_times_as_times(capsys, tmp_path):
    src = tmp_path / "ns.parquet"
    times = np.array(["2020-01-01T00:00:00.000000001"] * 40 + ["2021-06-01"] * 12, dtype="datetime64[ns]")
    features(52).assign(label=times).to_parquet(src)
    code, out, _ = run(capsys, "inspect", src, "-t", "label")
    assert code == 0 and "(majority 2020-01-01 00:00:00.000000001, minority 2021-06-01 00:00:00)" in out
