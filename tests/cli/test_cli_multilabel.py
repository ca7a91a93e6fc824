"""Multi-label targets: several 0/1 ``--target`` columns, or one column of label sets, end to end.

Each test writes (or shares) a small file in a temporary folder and runs ``smotekit`` in process;
the output is compared with what the sampler returns when called in Python on the same data.
"""

import re

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run

from smotekit.multilabel import MLROS, MLSMOTE, label_imbalance

LABELS = ["happy", "sad", "calm"]


def _data(n=90, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 2)).round(5), columns=["a", "b"])
    Y = rng.random((n, 3)) < [0.6, 0.25, 0.08]
    Y[:3, 2] = True  # calm: a minority label with enough rows for MLSMOTE's neighbours
    return X, Y


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("ml")
    X, Y = _data()
    ind = X.assign(**{lab: Y[:, j].astype(int) for j, lab in enumerate(LABELS)})
    ind["sad"] = np.where(Y[:, 1], "true", "false")  # another spelling, written back as is
    ind.to_csv(d / "songs.csv", index=False)
    sets = [";".join(lab for lab, on in zip(LABELS, row) if on) for row in Y]
    X.assign(tags=sets, note=[f"n{i}" for i in range(len(X))]).to_csv(d / "tags.csv", index=False)
    X.assign(tags=[[lab for lab, on in zip(LABELS, row) if on] for row in Y]).to_parquet(d / "tags.parquet")
    return d


def test_several_columns_resample_with_mlsmote(capsys, files, tmp_path):
    out_path = tmp_path / "out.csv"
    code, out, err = run(capsys, "resample", files / "songs.csv", "-t", "happy,sad", "-t", "calm",
                         "-o", out_path, "-q", "--mark-synthetic")
    assert code == 0, err
    X, Y = _data()
    sampler = MLSMOTE(random_state=0)
    X_res, Y_res = sampler.fit_resample(X, pd.DataFrame(Y, columns=LABELS))
    got = pd.read_csv(out_path, dtype={"sad": str})
    assert len(got) == len(X_res) > len(X)
    np.testing.assert_allclose(got[["a", "b"]].to_numpy(), X_res.to_numpy(), rtol=1e-12)
    assert got["happy"].tolist() == Y_res["happy"].astype(int).tolist()
    assert got["calm"].tolist() == Y_res["calm"].astype(int).tolist()
    assert got["sad"].tolist() == np.where(Y_res["sad"], "true", "false").tolist()
    assert got["is_synthetic"].sum() == sampler.provenance_.is_synthetic.sum()
    assert out.startswith(f"MLSMOTE: 90 -> {len(X_res)} rows")
    b, a = sampler.imbalance_before_, sampler.imbalance_after_
    for j, lab in enumerate(LABELS):
        assert re.search(rf"^{lab}\s+{b.counts[j]}\s+{a.counts[j]}\s+", out, re.M)
    assert f"MeanIR {b.mean_ir:.3f} -> {a.mean_ir:.3f}" in out and f"SCUMBLE {b.scumble:.4f} -> " in out


def test_label_sets_resample_with_mlros(capsys, files, tmp_path):
    out_path = tmp_path / "sets.csv"
    code, out, err = run(capsys, "resample", files / "tags.csv", "-t", "tags", "--target-kind", "multilabel",
                         "--label-sep", ";", "-m", "MLROS", "--param", "by=labelset", "--param", "percentage=20",
                         "--drop", "note", "-o", out_path, "-q")
    assert code == 0, err
    src = pd.read_csv(files / "tags.csv", keep_default_na=False)
    sampler = MLROS(by="labelset", percentage=20, random_state=0)
    rows = [t.split(";") if t else [] for t in src["tags"]]
    X_res, _ = sampler.fit_resample(src[["a", "b"]], rows)
    got = pd.read_csv(out_path, keep_default_na=False)
    assert len(got) == len(X_res) == 90 + 18
    # Copies keep their source's cell as written (empty cells: rows without labels).
    assert got["tags"].tolist() == src["tags"].iloc[sampler.sample_indices_].tolist()
    assert got["note"].iloc[:90].tolist() == src["note"].tolist() and (got["note"].iloc[90:] == "").all()
    assert "label sets" in out and "MeanIR" in out


def test_csv_labels_become_typed_in_parquet(capsys, files, tmp_path):
    out_path = tmp_path / "out.parquet"
    code, _, err = run(capsys, "resample", files / "songs.csv", "-t", "happy,sad,calm", "-o", out_path, "-q")
    assert code == 0, err
    got = pd.read_parquet(out_path)
    assert got["happy"].dtype == np.int64 and got["calm"].dtype == np.int64 and got["sad"].dtype == bool


def test_parquet_lists_round_trip(capsys, files, tmp_path):
    code, _, err = run(capsys, "resample", files / "tags.parquet", "-t", "tags", "--target-kind", "multilabel",
                       "-o", tmp_path / "out.parquet", "-q", "--mark-synthetic")
    assert code == 0, err
    got = pd.read_parquet(tmp_path / "out.parquet")
    src = pd.read_parquet(files / "tags.parquet")
    assert [list(v) for v in got["tags"].iloc[:90]] == [list(v) for v in src["tags"]]
    new = [list(v) for v in got["tags"][got["is_synthetic"]]]
    assert new and all("calm" in v for v in new)
    code, _, err = run(capsys, "resample", files / "tags.parquet", "-t", "tags", "--target-kind", "multilabel",
                       "-o", tmp_path / "out.csv", "-q")
    assert code == 0, err
    cells = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)["tags"]
    assert set(cells.iloc[:90]) <= {"", *("|".join(c) for c in ([["happy"], ["sad"], ["calm"], ["happy", "sad"],
                                                                   ["happy", "calm"], ["sad", "calm"],
                                                                   ["happy", "sad", "calm"]]))}


def test_inspect_shows_the_measures(capsys, files, tmp_path):
    chart = tmp_path / "labels.png"
    code, out, err = run(capsys, "inspect", files / "songs.csv", "-t", "happy,sad,calm", "-q", "--plot", chart)
    assert code == 0, err
    _, Y = _data()
    m = label_imbalance(Y, labels=LABELS)
    for j, lab in enumerate(LABELS):
        assert re.search(rf"^{lab}\s+{m.counts[j]}\s+[\d.]+%\s+{m.irlbl[j]:.2f}\s", out, re.M)
    assert f"MeanIR {m.mean_ir:.3f}, MaxIR {m.max_ir:.3f}, CVIR {m.cvir:.3f}, SCUMBLE {m.scumble:.4f}" in out
    assert f"cardinality {m.cardinality:.3f}, density {m.density:.3f}, {m.n_labelsets} label sets" in out
    assert "minority labels (IRLbl above MeanIR): calm" in out
    assert "row(s) carry no label" in out
    assert chart.read_bytes()[:4] == b"\x89PNG"
    code, sets_out, _ = run(capsys, "inspect", files / "tags.csv", "-t", "tags", "--target-kind", "multilabel",
                            "--label-sep", ";", "--drop", "note", "-q")
    assert code == 0 and f"MeanIR {m.mean_ir:.3f}" in sets_out and "separated by ';'" in sets_out


def test_inspect_warns_about_absent_and_small_labels(capsys, tmp_path):
    X, Y = _data(40)
    X.assign(happy=Y[:, 0].astype(int), never=0, calm=np.r_[1, 1, np.zeros(38, int)]).to_csv(
        tmp_path / "small.csv", index=False)
    code, out, _ = run(capsys, "inspect", tmp_path / "small.csv", "-t", "happy,never,calm", "-q")
    assert code == 0
    assert "label(s) never are on no row" in out
    assert "minority label 'calm' is on 2 row(s), fewer than k_neighbors+1=6" in out


# -- refusals ------------------------------------------------------------------------------------------------
def _error(capsys, *argv, code=1):
    got, _, err = run(capsys, *argv)
    assert got == code, err
    return err


def test_a_label_column_must_hold_0_or_1(capsys, tmp_path):
    X, Y = _data(30)
    df = X.assign(happy=Y[:, 0].astype(int), sad=Y[:, 1].astype(int).astype(str))
    df.loc[4, "sad"] = "2"
    df.loc[9, "sad"] = "maybe"
    df.to_csv(tmp_path / "bad.csv", index=False)
    err = _error(capsys, "resample", tmp_path / "bad.csv", "-t", "happy,sad", "-o", tmp_path / "x.csv", "-q")
    assert "label column 'sad' holds '2', 'maybe' (data rows 5, 10)" in err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("extra, expected, code", [
    (("-m", "smote"), "SMOTE is a classification sampler", 1),
    (("-m", "smogn"), "SMOGN is a sampler for a regression target", 1),
    (("-m", "mlsmoth"), "Unknown method 'mlsmoth' for a multi-label target. Closest: MLSMOTE", 1),
    (("--sampling-strategy", "0.5"), "--param percentage=P", 2),
    (("--engine", "dask"), "a multi-label target (several labels per row) is not supported there yet", 2),
    (("--target-kind", "classification"), "--target-kind classification takes one target column", 2),
    (("--label-sep", ";", "--target-kind", "multilabel"), "--label-sep applies to one column of label sets", 2),
    (("--param", "k_neigbors=3"), "Did you mean 'k_neighbors'", 1),
])
def test_option_errors(capsys, files, tmp_path, extra, expected, code):
    err = _error(capsys, "resample", files / "songs.csv", "-t", "happy,sad,calm", "-o", tmp_path / "x.csv", "-q",
                 *extra, code=code)
    assert expected in err


def test_evaluate_refuses_several_targets(capsys, files):
    err = _error(capsys, "evaluate", files / "songs.csv", "-t", "happy", "-t", "sad", code=2)
    assert "multi-label target" in err and "f1_macro" in err


def test_label_set_separator_is_pointed_at(capsys, files, tmp_path):
    err = _error(capsys, "resample", files / "tags.csv", "-t", "tags", "--target-kind", "multilabel", "--drop",
                 "note", "-o", tmp_path / "x.csv", "-q")
    assert "hold ';': pass --label-sep ';'" in err
    err = _error(capsys, "resample", files / "songs.csv", "-t", "happy", "--target-kind", "multilabel",
                 "-o", tmp_path / "x.csv", "-q")
    assert "holds only 0/1" in err and "--target a,b,c" in err


def test_mlsmote_needs_numbers_but_mlros_copies_anything(capsys, files, tmp_path):
    err = _error(capsys, "resample", files / "tags.csv", "-t", "tags", "--target-kind", "multilabel",
                 "--label-sep", ";", "-o", tmp_path / "x.csv", "-q")
    # 'note' is an identifier (one value per row) and text: refused before the sampler sees it.
    assert "note" in err
    X, Y = _data(60)
    X.assign(colour=np.resize(["red", "blue"], 60), happy=Y[:, 0].astype(int), calm=Y[:, 2].astype(int)).to_csv(
        tmp_path / "mixed.csv", index=False)
    err = _error(capsys, "resample", tmp_path / "mixed.csv", "-t", "happy,calm", "-o", tmp_path / "x.csv", "-q")
    assert "Columns colour are categorical and MLSMOTE interpolates numbers only" in err and "mlros" in err
    code, _, err = run(capsys, "resample", tmp_path / "mixed.csv", "-t", "happy,calm", "-m", "mlros",
                       "-o", tmp_path / "x.csv", "-q")
    assert code == 0, err
    assert set(pd.read_csv(tmp_path / "x.csv")["colour"]) == {"red", "blue"}


def test_methods_lists_the_multilabel_samplers(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "methods", "--kind", "multilabel")
    assert code == 0 and max(map(len, out.splitlines())) <= 100
    assert re.search(r"^MLSMOTE\s+mlsmote\s+add\s+no\s+no", out, re.M)
    assert re.search(r"^MLRUS\s+mlrus\s+remove\s+kept\s+yes", out, re.M)
    assert "Charte et al. (2015)" in out
