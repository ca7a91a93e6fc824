"""``--target-kind regression``: resample and inspect a numeric target, end to end on small files.

Each test writes (or shares) a small CSV in a temporary folder and runs ``smotekit`` in process;
the output is compared with what the sampler returns when called in Python on the same data.
"""

import re

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run

from smotekit.regression import SMOGN, SMOTER, RandomUnderSampler, Relevance, relevance_bins


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)).round(5)
    price = (np.exp(X[:, 0] + 0.3 * rng.normal(size=n)) * 100).round(2)
    return pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "city": rng.choice(["oslo", "rome", "lima"], n),
                         "id": np.arange(n) + 5000, "price": price})


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("reg")
    df = _data()
    df.to_csv(d / "houses.csv", index=False)
    df.drop(columns="city").to_csv(d / "numeric.csv", index=False)
    return d


def _xy(df, drop=("id",)):
    return df.drop(columns=["price", *drop]), df["price"]


def _bins_rows(out):
    """``{bin: (values, before, after)}`` from the printed bins table."""
    rows = {}
    for line in out.splitlines():
        m = re.match(r"^(\d+)\s+\S.*?\s+(rare|normal)\s+(\d+)\s+(\d+)\s+([+-]?\d+)$", line)
        if m:
            rows[int(m[1])] = (m[2], int(m[3]), int(m[4]))
    return rows


def test_smogn_is_the_default_and_writes_what_the_sampler_returns(capsys, files, tmp_path):
    out_path = tmp_path / "out.csv"
    code, out, err = run(capsys, "resample", files / "houses.csv", "-t", "price", "--target-kind", "regression",
                         "--drop", "id", "-o", out_path, "-q")
    assert code == 0, err
    assert out.startswith("SMOGN: 120 -> ")
    src = pd.read_csv(files / "houses.csv")
    X, y = _xy(src)
    sampler = SMOGN(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    got = pd.read_csv(out_path)
    assert list(got.columns) == list(src.columns)
    assert len(got) == len(X_res)
    np.testing.assert_allclose(got[["a", "b"]].to_numpy(), X_res[["a", "b"]].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(got["price"].to_numpy(), y_res.to_numpy(), rtol=1e-12)
    assert (got["city"] == X_res["city"]).all()
    # --drop columns: kept on the original rows, empty on the new ones.
    synthetic = sampler.provenance_.is_synthetic
    assert got["id"][~synthetic].tolist() == src["id"].iloc[sampler.provenance_.source[~synthetic]].tolist()
    assert got["id"][synthetic].isna().all()
    # The bins table: the sampler's bins, before and after.
    table = _bins_rows(out)
    bins = sampler.bins_
    after = np.bincount(bins.bin_of_row[sampler.provenance_.source], minlength=bins.n_bins)
    assert table == {b: ("rare" if bins.rare[b] else "normal", int(bins.n_rows[b]), int(after[b]))
                     for b in range(bins.n_bins)}
    assert after.tolist() == bins.n_target.tolist()
    assert "control points (y, relevance)" in out and re.search(r"^total\s+120\s+\d+", out, re.M)


def test_random_under_keeps_input_rows(capsys, files, tmp_path):
    out_path = tmp_path / "under.csv"
    code, out, err = run(capsys, "resample", files / "houses.csv", "-t", "price", "--target-kind", "regression",
                         "-m", "Random_Under", "--drop", "id", "-o", out_path, "-q", "--mark-synthetic",
                         "--mark-parents")
    assert code == 0, err
    src = pd.read_csv(files / "houses.csv")
    sampler = RandomUnderSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(*_xy(src))
    got = pd.read_csv(out_path)
    assert len(got) == len(y_res) < len(src)
    assert got["price"].tolist() == y_res.tolist()
    assert got["id"].tolist() == src["id"].iloc[sampler.sample_indices_].tolist()
    assert not got["is_synthetic"].any() and got["parent_1"].isna().all()
    table = _bins_rows(out)
    assert all(kind == "rare" and before == after or kind == "normal" and after <= before
               for kind, before, after in table.values())


def test_smoter_parents_and_factors(capsys, files, tmp_path):
    out_path = tmp_path / "smoter.csv"
    code, out, err = run(capsys, "resample", files / "numeric.csv", "-t", "price", "--target-kind", "regression",
                         "-m", "smoter", "--sampling-strategy", "1,2", "--param", "k_neighbors=3", "--drop", "id",
                         "-o", out_path, "-q", "--mark-parents")
    assert code == 0, err
    src = pd.read_csv(files / "numeric.csv")
    sampler = SMOTER(k_neighbors=3, sampling_strategy=[1.0, 2.0], random_state=0)
    X_res, y_res = sampler.fit_resample(*_xy(src))
    got = pd.read_csv(out_path)
    np.testing.assert_allclose(got["price"].to_numpy(), y_res.to_numpy(), rtol=1e-12)
    new = got["parent_1"].notna()
    assert new.sum() == sampler.provenance_.is_synthetic.sum() > 0
    # A new target lies between its two parents' targets.
    lo = np.minimum(src["price"].to_numpy()[got["parent_1"][new].astype(int)],
                    src["price"].to_numpy()[got["parent_2"][new].astype(int)])
    hi = np.maximum(src["price"].to_numpy()[got["parent_1"][new].astype(int)],
                    src["price"].to_numpy()[got["parent_2"][new].astype(int)])
    assert ((got["price"][new] >= lo - 1e-9) & (got["price"][new] <= hi + 1e-9)).all()
    table = _bins_rows(out)
    assert [after for _, _, after in table.values()] == [before * f for (_, before, _), f in
                                                        zip(table.values(), (1, 2))]


def test_relevance_settings_reach_the_sampler(capsys, files, tmp_path):
    code, out, err = run(capsys, "resample", files / "numeric.csv", "-t", "price", "--target-kind", "regression",
                         "-m", "random-over", "--drop", "id", "-o", tmp_path / "o.csv", "-q",
                         "--param", "control_points=[[0, 1], [100, 0], [300, 1]]", "--param", "threshold=0.8")
    assert code == 0, err
    y = pd.read_csv(files / "numeric.csv")["price"]
    bins = relevance_bins(y, relevance=Relevance(control_points=[[0, 1], [100, 0], [300, 1]]), threshold=0.8)
    assert [before for _, before, _ in _bins_rows(out).values()] == bins.n_rows.tolist()
    assert "(0, 1), (100, 0), (300, 1)" in out and "relevance >= 0.8" in out


def test_inspect_shows_summary_relevance_and_bins(capsys, files, tmp_path):
    chart = tmp_path / "target.png"
    code, out, err = run(capsys, "inspect", files / "houses.csv", "-t", "price", "--target-kind", "regression",
                         "--drop", "id", "-q", "--plot", chart)
    assert code == 0, err
    y = pd.read_csv(files / "houses.csv")["price"]
    assert f"min {y.min():.6g}, median {y.median():.6g}, max {y.max():.6g}" in out
    bins = relevance_bins(y)
    shown = re.findall(r"^(\d+)\s+\S.*?\s+(rare|normal)\s+(\d+)\s+[\d.]+%$", out, re.M)
    assert [(int(b), kind, int(n)) for b, kind, n in shown] == [
        (b, "rare" if bins.rare[b] else "normal", int(bins.n_rows[b])) for b in range(bins.n_bins)]
    assert "Relevance control points (y, relevance)" in out
    assert "city: SMOGN and SMOTER treat them as nominal" in out
    assert chart.exists() and chart.read_bytes()[:4] == b"\x89PNG"


def test_inspect_warns_about_bins_too_small_for_k(capsys, files):
    code, out, _ = run(capsys, "inspect", files / "numeric.csv", "-t", "price", "--target-kind", "regression",
                       "--drop", "id", "-q", "--k-neighbors", "60")
    assert code == 0
    assert "need at least 61 to make it grow; resample with --param k_neighbors=" in out


def test_a_quantity_read_as_classes_points_at_regression(capsys, files):
    code, out, _ = run(capsys, "inspect", files / "numeric.csv", "-t", "price", "--drop", "id", "-q")
    assert code == 0
    warnings = out.split("Warnings:")[1].splitlines()
    assert "is it really a class label? If it is a quantity, --target-kind regression" in warnings[1]
    assert "more classes are too small for evaluate's folds" in out and re.search(r"\(\d+ more classes\)", out)


# -- refusals ------------------------------------------------------------------------------------------------
def _refused(capsys, *argv, code=1):
    got, _, err = run(capsys, *argv)
    assert got == code, err
    assert "Traceback" not in err
    return err


def test_methods_of_the_other_kinds_are_refused_with_the_list(capsys, files, tmp_path):
    base = ("resample", files / "numeric.csv", "-t", "price", "--target-kind", "regression", "-o", tmp_path / "x.csv")
    err = _refused(capsys, *base, "-m", "smote")
    assert "SMOTE is a classification sampler" in err and "smogn (SMOGN)" in err and "random-under" in err
    err = _refused(capsys, *base, "-m", "mlsmote")
    assert "MLSMOTE is a sampler for a multi-label target" in err
    err = _refused(capsys, *base, "-m", "smogm")
    assert "Unknown method 'smogm'" in err and "Closest: SMOGN" in err
    assert not (tmp_path / "x.csv").exists()


def test_dask_and_evaluate_refuse_regression(capsys, files, tmp_path):
    err = _refused(capsys, "resample", files / "numeric.csv", "-t", "price", "--target-kind", "regression",
                   "-o", tmp_path / "out", "--engine", "dask", code=2)
    assert "not supported there yet" in err and "Leave out --engine dask" in err
    err = _refused(capsys, "evaluate", files / "numeric.csv", "-t", "price", "--target-kind", "regression", code=2)
    assert "neg_sera_scorer" in err and "Pipeline" in err


@pytest.mark.parametrize("cells, expected", [
    ({3: "n/a"}, "pass --na-values n/a to read them as missing"),
    ({3: ""}, "is empty on 1 row(s) (data rows 4): every row needs a target value"),
])
def test_bad_target_values(capsys, tmp_path, cells, expected):
    df = _data(40).astype({"price": object})
    for row, value in cells.items():
        df.loc[row, "price"] = value
    df.to_csv(tmp_path / "bad.csv", index=False)
    err = _refused(capsys, "resample", tmp_path / "bad.csv", "-t", "price", "--target-kind", "regression",
                   "-o", tmp_path / "x.csv", "-q")
    assert expected in err


def test_no_rare_value_says_what_to_change(capsys, tmp_path):
    _data(60).assign(price=np.arange(60.0)).to_csv(tmp_path / "flat.csv", index=False)
    err = _refused(capsys, "resample", tmp_path / "flat.csv", "-t", "price", "--target-kind", "regression",
                   "--drop", "id", "-o", tmp_path / "x.csv", "-q")
    assert "No value of the target 'price' is rare" in err and "--param threshold=LOWER" in err


@pytest.mark.parametrize("extra, expected", [
    (("--param", "k_neighbors=50"), "needs at least 51"),
    (("--sampling-strategy", "fast"), "--sampling-strategy 'fast': for a regression target give balance"),
    (("--sampling-strategy", "1,2,3"), "has 3 factor"),
    (("--param", "relevance=2"), "--param relevance: give the relevance's settings instead"),
    (("--param", "control_points=[[1, 2]]"), "--param control_points=[[y1,r1],[y2,r2],...]"),
    (("--label-sep", ";"), "--label-sep applies to a column of label sets"),
])
def test_parameter_errors(capsys, files, tmp_path, extra, expected):
    code, _, err = run(capsys, "resample", files / "numeric.csv", "-t", "price", "--target-kind", "regression",
                       "--drop", "id", "-o", tmp_path / "x.csv", "-q", *extra)
    assert code in (1, 2) and expected in err, err


def test_categorical_error_is_honoured(capsys, files, tmp_path):
    err = _refused(capsys, "resample", files / "houses.csv", "-t", "price", "--target-kind", "regression",
                   "--drop", "id", "-o", tmp_path / "x.csv", "-q", "--categorical", "error")
    assert "Columns city are categorical and --categorical error was given" in err


def test_methods_lists_the_regression_samplers(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "methods", "--kind", "regression")
    assert code == 0 and max(map(len, out.splitlines())) <= 100
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines() if line[:1].isupper() and "  " in line}
    assert rows["SMOGN"] == "smogn" and rows["GaussianNoise"] == "gaussian-noise"
    assert rows["RandomUnderSampler"] == "random-under"
    assert "Branco et al. (2017)" in out and "Torgo et al. (2013)" in out
    code, out, _ = run(capsys, "methods", "smogn")
    assert code == 0 and "from smotekit.regression import SMOGN" in out and "--param control_points" in out
    _, listing, _ = run(capsys, "methods")
    assert re.search(r"--kind\s+regression", listing)


@pytest.mark.parametrize("method, expected", [
    ("smogn", "SMOGN is a sampler for a regression target (--target-kind regression), but the target is read "
              "as one class label per row: add --target-kind regression"),
    ("mlsmote", "MLSMOTE is a sampler for a multi-label target"),
    ("random-over", "'random-over' is RandomOverSampler for a regression target (--target-kind regression)"),
])
def test_family_method_without_target_kind_names_the_option(capsys, files, tmp_path, method, expected):
    # Without --target-kind the number is read as class labels; "Unknown method 'smogn'. Closest: SMOTEN"
    # would hide the missing option.
    err = _refused(capsys, "resample", files / "numeric.csv", "-t", "price", "--drop", "id", "-m", method,
                   "-o", tmp_path / "x.csv", "-q")
    assert expected in err, err
    assert not (tmp_path / "x.csv").exists()
