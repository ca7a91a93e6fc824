"""Smoke test of benchmarks/bench_multilabel.py on tiny data (a few seconds)."""

from __future__ import annotations

import gzip
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_multilabel as B  # noqa: E402

OURS = [m for m, spec in B.METHODS.items() if spec is not None]
META = {"date": "d", "command": "c", "wall_min": 0.0, "load_end": [0, 0, 0],
        "machine": {"nproc": 2, "cpu": "x", "mem_gib": 1, "loadavg": [0, 0, 0]}, "versions": {}}


def _worker(method, capsys, n=300):
    B.speed_worker(method, n)
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.parametrize("method", OURS)
def test_speed_worker_measures_each_sampler(method, capsys):
    r = _worker(method, capsys)
    assert r["first"] > 0 and len(r["warm"]) == 2 and r["peak_mb"] >= 0 and r["n_in"] == 300
    assert set(r["before"]) == set(r["after"]) == {"mean_ir", "max_ir", "scumble"}
    if method.startswith("MLRUS"):
        assert r["n_out"] == 300 - 75  # ceil(300 * 25 / 100) rows deleted
    elif method == "MLROS-label":
        assert 300 < r["n_out"] <= 300 + 75  # fewer when every minority bag reaches MeanIR first
    else:  # MLSMOTE adds one row per minority-bag row; LP-ROS may find no bag with room on tiny data
        assert r["n_out"] >= 300
    if method.startswith("MLSMOTE"):
        assert r["after"]["mean_ir"] < r["before"]["mean_ir"]


def test_speed_worker_runs_the_reference_when_present(capsys):
    try:
        B.import_reference()
    except ImportError:
        pytest.skip("multismote is neither installed nor in the --site directory")
    r = _worker(B.REFERENCE, capsys)
    assert r["n_out"] > r["n_in"] == 300 and r["before"]["mean_ir"] > 0


def test_quality_folds_and_report(capsys, tmp_path):
    from sklearn.datasets import make_multilabel_classification

    X, Y = make_multilabel_classification(n_samples=240, n_features=8, n_classes=5, random_state=0)
    splits = B.quality_splits(Y, 2, 1)
    rarest = int(np.argmin(Y.sum(axis=0)))
    assert abs(int(Y[splits[0][0], rarest].sum()) - int(Y[splits[0][1], rarest].sum())) <= 1
    records = [r for i, (tr, te) in enumerate(splits) for r in B.quality_fold(X, Y, i, tr, te)]
    assert len(records) == 2 * len(B.QUALITY_METHODS) * len(B.MODELS)
    assert not [r for r in records if "error" in r]
    for r in records:
        assert 0 <= r["macro_f1"] <= 1 and 0 <= r["micro_f1"] <= 1
        if r["method"] == "none":
            assert r["n_out"] == r["n_train"]
        assert (r["n_out"] < r["n_train"]) == (r["method"] == "MLRUS")
    for r in records:
        r.pop("smotekit_file")
    quality = {"records": records, "data": {"name": "Yeast", "source": "tiny", "rows": 240, "features": 8,
                                            "labels": 5, "mean_ir": 1.0, "max_ir": 2.0, "scumble": 0.1,
                                            "cardinality": 2.0, "minority": ["3 (10)"]},
               "cv": "2 folds x 1 repeat", "models": list(B.MODELS), "wall_s": 1.0, "load": [[0] * 3, [0] * 3],
               "smotekit_files": ["x"], "meta": META}
    speed = {"results": {m: {"10k": _worker(m, capsys, 200) | {"load": [[0] * 3, [0] * 3]}}
                         for m in ("MLSMOTE-box", "MLRUS-label")}, "meta": META, "reference": None}
    lines = B.report({"speed": speed, "quality": quality}, "smoke", tmp_path)
    text = "\n".join(lines)
    assert "| MLSMOTE-box | 10k |" in text and "| MLRUS | " in text and "p=" in text
    assert json.loads((tmp_path / "smoke.json").read_text())["quality"]["cv"] == "2 folds x 1 repeat"
    assert (tmp_path / "smoke.md").read_text() == text + "\n"
    skipped = "\n".join(B.quality_lines({"skipped": "no data"}))
    assert "Skipped: no data" in skipped


def test_load_yeast_from_a_csv_or_a_wheel(monkeypatch, tmp_path):
    monkeypatch.setattr(B, "YEAST_SHAPE", (4, 2, 2))
    csv = "Att1,Att2,Class1,Class2\n1,0,1,0\n2,0,0,1\n3,1,1,1\n6,1,0,0\n"
    gz = tmp_path / "yeast.csv.gz"
    gz.write_bytes(gzip.compress(csv.encode()))
    wheel = tmp_path / "river-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr(B.YEAST_MEMBER, gz.read_bytes())
    X, Y, labels = B.load_yeast(B.yeast_source(str(gz)))
    X2, Y2, _ = B.load_yeast(B.yeast_source(str(wheel)))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, [[1, 0], [0, 1], [1, 1], [0, 0]])
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1)
    assert labels == ["Class1", "Class2"] and Y.dtype == np.int64
    monkeypatch.setattr(B, "YEAST_SHAPE", (5, 2, 2))
    with pytest.raises(ValueError, match="MULAN's Yeast"):
        B.load_yeast(B.yeast_source(str(gz)))
