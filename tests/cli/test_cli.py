"""The smotekit command line, end to end on small files in temporary folders (in-process through main)."""

import hashlib
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run
from sklearn.datasets import make_classification

from smotekit.utils import all_samplers


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    X, y = make_classification(n_samples=240, n_features=3, n_informative=2, n_redundant=0, weights=[0.9], flip_y=0,
                               random_state=0)
    num = pd.DataFrame(X, columns=["f0", "f1", "f2"]).assign(label=np.where(y == 1, "yes", "no"))
    num.to_csv(d / "num.csv", index=False)
    num.to_parquet(d / "num.parquet", index=False)
    rng = np.random.default_rng(0)
    mixed = num.assign(city=rng.choice(["paris", "oslo", "rome"], len(num)), row_id=np.arange(len(num)) + 1000)
    mixed.to_csv(d / "mixed.csv", index=False)
    Xm, ym = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
                                 weights=[0.7, 0.2, 0.1], random_state=1)
    pd.DataFrame(Xm, columns=list("abcd")).assign(kind=ym).to_csv(d / "multi.csv", index=False)
    odd = num.head(60).assign(const=1.0, gap=np.r_[np.nan, np.ones(59)],
                              when=pd.Timestamp("2024-01-01"))
    odd.loc[odd.index[:57], "label"] = "no"
    odd.loc[odd.index[57:], "label"] = "yes"
    odd.to_csv(d / "odd.csv", index=False)
    odd.to_parquet(d / "odd.parquet", index=False)
    return d


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- help, usage, methods ---------------------------------------------------------------------------------
def test_help_on_every_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "examples:" in out
    for cmd in ("demo", "inspect", "resample", "evaluate", "methods"):
        code, out, _ = run(capsys, cmd, "--help")
        assert code == 0 and "examples:" in out and f"smotekit {cmd}" in out


def test_usage_errors(capsys):
    assert run(capsys, )[0] == 2
    code, _, err = run(capsys, "resample", "x.csv", "-o", "y.csv")
    assert code == 2 and "--target" in err


def test_python_dash_m_help():
    done = subprocess.run([sys.executable, "-m", "smotekit", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "smotekit demo" in done.stdout


_GENERATING = [name for name, cls in all_samplers()
               if cls._sampling_type == "over-sampling" or cls.__module__.startswith("smotekit.combine")]


@pytest.mark.parametrize("name", [n for n in _GENERATING if n not in ("SMOTEN", "SMOTENC")])
def test_resample_runs_every_generating_method_on_numeric_data(capsys, tmp_path, name):
    # SMOTE-N and SMOTE-NC are for categorical columns: their own CLI tests run them.
    X, y = make_classification(n_samples=240, n_features=4, weights=[0.85], random_state=0)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(label=y)
    df.to_csv(tmp_path / "in.csv", index=False)
    code, _, err = run(capsys, "resample", tmp_path / "in.csv", "-t", "label", "-m", name,
                       "-o", tmp_path / "out.csv", "-q", "--random-state", "0")
    assert code == 0, err
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns) == list(df.columns)
    assert (out["label"] == 1).sum() > (df["label"] == 1).sum()


def test_methods_lists_every_discovered_sampler(capsys):
    code, out, _ = run(capsys, "methods", "--verbose")
    assert code == 0
    for name, _ in all_samplers():
        assert re.search(rf"^{name}\s", out, re.M), name
    assert "sampling_strategy='auto'" in out
    code, out, _ = run(capsys, "methods", "random-under_sampler")
    assert code == 0 and "RandomUnderSampler" in out and "replacement = False" in out
    code, out, _ = run(capsys, "methods", "--kind", "under")
    assert "RandomUnderSampler" in out and "\nSMOTE " not in out


def test_unknown_method_suggests(capsys):
    code, _, err = run(capsys, "methods", "smoot")
    assert code == 1 and "Unknown method 'smoot'" in err and "SMOTE" in err and "Traceback" not in err


# -- inspect ----------------------------------------------------------------------------------------------
def test_inspect(capsys, files, tmp_path):
    code, out, _ = run(capsys, "inspect", files / "mixed.csv", "--target", "label", "--plot", tmp_path / "c.png")
    assert code == 0
    assert "240 rows" in out and "Imbalance ratio" in out and re.search(r"city\s+categorical", out)
    assert "SMOTE needs --categorical auto" in out and "'row_id' has a different value on every row" in out
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_inspect_warnings(capsys, files):
    code, out, _ = run(capsys, "inspect", files / "odd.parquet", "-t", "label")
    assert code == 0
    assert "'const' is constant" in out and "'gap' has 1 missing" in out
    assert "class 'yes' has 3 row(s), but SMOTE with k_neighbors=5 needs at least 6" in out
    assert "when" in out and "--drop them" in out


# -- resample ---------------------------------------------------------------------------------------------
def test_resample_csv_marks_synthetic_and_parents(capsys, files, tmp_path):
    src = files / "num.csv"
    before = digest(src)
    out_path = tmp_path / "bal.csv"
    code, out, _ = run(capsys, "resample", src, "-t", "label", "-o", out_path, "--method", "SMOTE",
                       "--param", "k_neighbors=3", "--mark-synthetic", "--mark-parents")
    assert code == 0 and digest(src) == before
    res = pd.read_csv(out_path)
    original = pd.read_csv(src)
    counts = res["label"].value_counts()
    assert counts["yes"] == counts["no"] == (original["label"] == "no").sum()
    assert list(res.columns) == ["f0", "f1", "f2", "label", "is_synthetic", "parent_1", "parent_2"]
    syn = res[res["is_synthetic"]]
    assert len(syn) == len(res) - len(original) and res["parent_1"].isna().sum() == len(original)
    # Each synthetic row lies on the segment between its two parents, both of its class.
    p1 = original.loc[syn["parent_1"].astype(int), ["f0", "f1", "f2"]].to_numpy()
    p2 = original.loc[syn["parent_2"].astype(int), ["f0", "f1", "f2"]].to_numpy()
    gap = (syn[["f0"]].to_numpy() - p1[:, :1]) / (p2[:, :1] - p1[:, :1])
    np.testing.assert_allclose(syn[["f0", "f1", "f2"]].to_numpy(), p1 + gap * (p2 - p1), atol=1e-6)
    assert (original.loc[syn["parent_1"].astype(int), "label"] == "yes").all()
    assert re.search(r"yes\s+23\s+217\s+\+194", out)


def test_resample_parquet_and_spellings(capsys, files, tmp_path):
    out_path = tmp_path / "under.parquet"
    code, out, _ = run(capsys, "resample", files / "num.parquet", "-t", "label", "-o", out_path,
                       "--method", "random_under-Sampler", "--sampling-strategy", "0.5")
    assert code == 0
    res = pd.read_parquet(out_path)
    assert res["label"].value_counts().to_dict() == {"no": 46, "yes": 23}
    code, _, _ = run(capsys, "resample", files / "num.csv", "-t", "label", "-o", tmp_path / "d.parquet",
                     "--sampling-strategy", "yes=100", "--random-state", "3")
    assert code == 0 and (pd.read_parquet(tmp_path / "d.parquet")["label"] == "yes").sum() == 100
    code, _, _ = run(capsys, "resample", files / "num.csv", "-t", "label", "-o", tmp_path / "e.csv",
                     "--sampling-strategy", "not-majority", "-m", "ros")
    assert code == 0


def test_resample_multiclass(capsys, files, tmp_path):
    code, out, _ = run(capsys, "resample", files / "multi.csv", "-t", "kind", "-o", tmp_path / "m.csv")
    assert code == 0
    assert set(pd.read_csv(tmp_path / "m.csv")["kind"].value_counts()) == {
        pd.read_csv(files / "multi.csv")["kind"].value_counts().max()}


def test_resample_mixed_columns(capsys, files, tmp_path):
    code, _, err = run(capsys, "resample", files / "mixed.csv", "-t", "label", "-o", tmp_path / "x.csv",
                       "--drop", "row_id")
    assert code == 1 and "categorical: city" in err and "--categorical auto" in err and "Traceback" not in err
    if "SMOTENC" in dict(all_samplers()):
        code, _, err = run(capsys, "resample", files / "mixed.csv", "-t", "label", "-o", tmp_path / "x.csv",
                           "--categorical", "auto", "--drop", "row_id")
        assert code == 0 and "using SMOTENC instead of SMOTE" in err
        res = pd.read_csv(tmp_path / "x.csv")
        assert set(res["city"]) <= {"paris", "oslo", "rome"}
        n_orig = 240
        assert res["row_id"].iloc[:n_orig].notna().all() and res["row_id"].iloc[n_orig:].isna().all()
    code, _, _ = run(capsys, "resample", files / "mixed.csv", "-t", "label", "-o", tmp_path / "u.csv", "-m", "rus")
    assert code == 0 and set(pd.read_csv(tmp_path / "u.csv")["city"]) <= {"paris", "oslo", "rome"}


def test_resample_overwrite_rules(capsys, files, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes((files / "num.csv").read_bytes())
    before = digest(src)
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", src, "--force")
    assert code == 1 and "never overwrites its input" in err and digest(src) == before
    out_path = tmp_path / "out.csv"
    out_path.write_text("keep me")
    code, _, err = run(capsys, "resample", src, "-t", "label", "-o", out_path)
    assert code == 1 and "--force" in err and out_path.read_text() == "keep me"
    assert run(capsys, "resample", src, "-t", "label", "-o", out_path, "--force")[0] == 0
    assert out_path.read_text() != "keep me"


@pytest.mark.parametrize("argv, message", [
    (["missing.csv", "-t", "label"], "File not found"),
    (["{d}/num.csv", "-t", "lable"],
     "no column named 'lable'. Did you mean 'label'? Available columns: f0, f1, f2, label"),
    (["{d}/num.csv", "-t", "label", "--drop", "zzz"], "--drop: no column named 'zzz'"),
    (["{d}/num.csv", "-t", "label", "-m", "borderline-smoot"], "Unknown method 'borderline-smoot'"),
    (["{d}/num.csv", "-t", "label", "--param", "k=3"], "SMOTE has no parameter 'k'"),
    (["{d}/num.csv", "-t", "label", "--param", "k_neighbors"], "--param expects name=value"),
    (["{d}/num.csv", "-t", "label", "--param", "k_neighbors=-1"],
     "'k_neighbors' parameter of SMOTE must be an int in the range [1, inf)"),
    (["{d}/num.csv", "-t", "label", "--sampling-strategy", "maybe"], "--sampling-strategy 'maybe'"),
    (["{d}/num.csv", "-t", "label", "--sampling-strategy", "cat=4"],
     "no class 'cat' in the target; classes are no, yes"),
    (["{d}/num.csv", "-t", "label", "-o", "{t}/out.xlsx"], "Cannot tell the format"),
    (["{d}/odd.csv", "-t", "label", "--drop", "when,const"], "cannot use missing values; columns with gaps: gap (1)"),
    (["{d}/odd.parquet", "-t", "label", "--drop", "gap,const"], "columns when hold dates"),
])
def test_resample_errors(capsys, files, tmp_path, argv, message):
    argv = [a.format(d=files, t=tmp_path) for a in argv]
    if "-o" not in argv:
        argv += ["-o", str(tmp_path / "out.csv")]
    code, _, err = run(capsys, "resample", *argv)
    assert code == 1, err
    assert message in err and "Traceback" not in err


def test_debug_shows_traceback(capsys, tmp_path):
    code, _, err = run(capsys, "--debug", "inspect", tmp_path / "nope.csv", "-t", "y")
    assert code == 1 and "Traceback" in err and "File not found" in err


# -- evaluate ---------------------------------------------------------------------------------------------
def test_evaluate_binary_with_report(capsys, files, tmp_path):
    report = tmp_path / "eval.html"
    code, out, _ = run(capsys, "evaluate", files / "num.csv", "-t", "label", "--methods", "none,smote",
                       "--methods", "rus", "--cv", "3x1", "--report", report, "--quiet")
    assert code == 0
    assert re.search(r"^none\s", out, re.M) and re.search(r"^SMOTE\s", out, re.M)
    assert "RandomUnderSampler" in out and "ROC AUC" in out and "G-mean" in out and " *" in out
    assert "Positive class: 'yes'" in out
    page = report.read_text()
    for section in ("<h2>Data</h2>", "<h2>Verdict</h2>", "<h2>Scores</h2>", "<h2>Options</h2>",
                    "<h2>Differences from none</h2>", "<h2>Reproduce</h2>", 'class="best"'):
        assert section in page
    # class counts, paired differences, reliability + ROC + precision-recall
    assert page.count("data:image/png;base64,") == 3 and "https://" not in page and "http://" not in page
    code, _, err = run(capsys, "evaluate", files / "num.csv", "-t", "label", "--cv", "3x1", "--report", report)
    assert code == 1 and "already exists" in err


def test_evaluate_multiclass_models_and_mixed(capsys, files, tmp_path):
    code, out, _ = run(capsys, "evaluate", files / "multi.csv", "-t", "kind", "--cv", "3x1", "-q",
                       "--model", "logreg", "--scoring", "roc_auc,f1,gmean,balanced_accuracy")
    assert code == 0 and "macro-averaged" in out and "bal. acc." in out
    code, out, _ = run(capsys, "evaluate", files / "num.parquet", "-t", "label", "--cv", "2x1", "-q",
                       "--model", "sklearn.naive_bayes.GaussianNB", "--methods", "none")
    assert code == 0 and "GaussianNB" in out
    code, out, _ = run(capsys, "evaluate", files / "mixed.csv", "-t", "label", "--drop", "row_id", "--cv", "3x1",
                       "-q", "--methods", "none,rus", "--param", "replacement=true")
    assert code == 0 and "RandomUnderSampler" in out


@pytest.mark.parametrize("extra, message", [
    (["--cv", "ten"], "--cv expects"),
    (["--cv", "30x1"], "fewer than the 30 folds"),
    (["--scoring", "roc_auc,accuracyy"], "unknown metric 'accuracyy'"),
    (["--model", "knn"], "--model 'knn'"),
    (["--model", "sklearn.nothing.Here"], "cannot import"),
    (["--methods", "none,smote", "--report", "r.txt"], "ending in .html"),
    (["--methods", "none,rus", "--param", "k_neighbors=3"], "--param k_neighbors: no method"),
])
def test_evaluate_errors(capsys, files, extra, message):
    code, _, err = run(capsys, "evaluate", files / "num.csv", "-t", "label", *extra)
    assert code == 1 and message in err and "Traceback" not in err


# -- demo -------------------------------------------------------------------------------------------------
def test_demo_small(capsys, tmp_path, monkeypatch):
    from smotekit.cli import _demo

    monkeypatch.setitem(_demo.DEMO_DATA, "n_samples", 1500)
    out_dir = tmp_path / "demo"
    code, out, _ = run(capsys, "demo", "--out", out_dir, "--cv", "2x1", "--quiet")
    assert code == 0
    assert "Class counts before and after" in out and "threshold" in out and "PR AUC" in out
    available = dict(all_samplers())
    expected = [label for label, recipe in _demo.RECIPES if all(c in available for c, _ in recipe)]
    pngs = sorted(out_dir.glob("*.png"))
    assert len(pngs) == len(expected) and all(p.stat().st_size > 5000 for p in pngs)
    page = (out_dir / "report.html").read_text()
    assert page.count("data:image/png;base64,") == len(expected) + 3  # + boundaries, differences, curves
    for label in expected:
        assert label in page


def test_demo_report_reproduces_its_scores(capsys, tmp_path, monkeypatch):
    import html as html_lib

    from smotekit.cli import _demo

    monkeypatch.setitem(_demo.DEMO_DATA, "n_samples", 1500)
    code, out, _ = run(capsys, "demo", "--out", tmp_path / "demo", "--cv", "2x1", "--quiet")
    assert code == 0
    page = (tmp_path / "demo" / "report.html").read_text()
    found = re.search(r"<pre[^>]*>(from sklearn\.datasets.*?)</pre>", page, flags=re.S)
    assert found, "no Python in the report's Reproduce section"
    source = html_lib.unescape(found.group(1))
    assert "'threshold'" in source and "n_splits=2, n_repeats=1" in source
    namespace = {}
    exec(compile(source, "reproduce", "exec"), namespace)  # noqa: S102 - the report's own code
    # The same table, fit time apart.
    table = namespace["comparison"].text_table().splitlines()
    printed = out[out.index(table[0].split("fit time")[0].rstrip()):].splitlines()[:len(table)]
    strip = lambda line: re.sub(r"\s*\S+s ± \S+s\s*\*?$", "", line)  # noqa: E731
    assert [strip(x) for x in table] == [strip(x) for x in printed]
