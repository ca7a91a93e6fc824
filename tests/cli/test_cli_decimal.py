"""CSV files written with a decimal comma: ``--decimal``, and the data check that points at such columns.

Each test writes a small file in a temporary folder and runs ``smotekit`` in process.
"""

import shlex

import numpy as np
import pandas as pd
import pytest
from cli_helpers import run

from smotekit.cli import main
from smotekit.cli._checks import check_data
from smotekit.cli._common import UserError
from smotekit.cli._read import csv_options, load

HINT = "looks like numbers with decimal commas"


def european(n_major=40, n_minor=12, seed=0):
    """A frame whose 'amount' and 'rate' are numbers (written with decimal commas by write_european)."""
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    return pd.DataFrame({"amount": rng.normal(size=n).round(2), "rate": rng.uniform(-3, 3, size=n).round(3),
                         "label": ["ok"] * n_major + ["fraud"] * n_minor})


def write_european(frame, path, **kw):
    frame.to_csv(path, sep=";", decimal=",", index=False, **kw)
    return path


@pytest.fixture
def eu_csv(tmp_path):
    return write_european(european(), tmp_path / "eu.csv")


@pytest.mark.parametrize("command, extra", [("resample", ["-o", "{tmp}/out.csv"]), ("evaluate", ["--cv", "3x1"])])
def test_decimal_commas_stop_resample_and_evaluate_with_the_fix(capsys, eu_csv, tmp_path, command, extra):
    code, _, err = run(capsys, command, eu_csv, "-t", "label", *[a.format(tmp=tmp_path) for a in extra])
    assert code == 1
    assert f"column 'amount' {HINT} (" in err and "pass --decimal ','" in err
    assert f"column 'rate' {HINT}" in err
    assert not (tmp_path / "out.csv").exists()


def test_inspect_warns(capsys, eu_csv):
    code, out, _ = run(capsys, "inspect", eu_csv, "-t", "label")
    assert code == 0
    assert f"column 'amount' {HINT}" in out.split("Warnings:")[1]


def test_decimal_option_reads_numbers(capsys, eu_csv, tmp_path):
    out_path = tmp_path / "out.csv"
    code, _, err = run(capsys, "resample", eu_csv, "-t", "label", "-o", out_path, "--decimal", ",")
    assert code == 0, err
    assert HINT not in err
    res = pd.read_csv(out_path)
    assert res["amount"].dtype == np.float64 and res["rate"].dtype == np.float64
    original = european()
    pd.testing.assert_frame_equal(res.iloc[:len(original)], original)


@pytest.mark.parametrize("values, example", [
    (["0,13", "-1,5", "+2,25", "3"], "0,13"),
    ([",5", "1,0e-3", "7", "2,5E3"], ",5"),
])
def test_forms_of_decimal_commas_are_recognised(capsys, tmp_path, values, example):
    frame = european()
    frame["x"] = (values * len(frame))[:len(frame)]
    path = tmp_path / "d.csv"
    frame.drop(columns=["amount", "rate"]).to_csv(path, sep=";", index=False)
    _, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv")
    assert f"column 'x' {HINT} ({example!r})" in err
    data = load(path, "label", None, decimal=",")
    assert data.kinds["x"] == "numeric"


@pytest.mark.parametrize("values", [
    ["a,b", "0,13", "c,d", "e"],            # text with commas
    ["1.5", "2.25", "3", "4.0"],            # decimal points: already numbers
    ["0,13", "x", "y", "z", "w"],           # mostly words
    ["12:30", "1,5", "13:00", "14:45"],     # times
])
def test_text_is_not_taken_for_decimal_commas(tmp_path, values):
    frame = european()
    frame["x"] = (values * len(frame))[:len(frame)]
    path = tmp_path / "d.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    data = load(path, "label", None)
    assert not [f for f in check_data(data) if "'x'" in f.text and "decimal" in f.text]


def test_comma_separated_file_is_not_checked(capsys, tmp_path):
    # In a ','-separated file a quoted "1,234" is more likely a thousands separator than a decimal mark.
    frame = european().assign(x=['1,234', '5,678', '9,012', '3,456'] * 13)
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    _, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv")
    assert HINT not in err


def test_explicit_point_turns_the_check_off(capsys, eu_csv, tmp_path):
    _, _, err = run(capsys, "resample", eu_csv, "-t", "label", "-o", tmp_path / "o.csv", "--decimal", ".")
    assert HINT not in err and "'rate'" in err  # read as text, as asked: now an "identifier"


def test_placeholders_among_decimal_commas_get_both_fixes(capsys, tmp_path):
    frame = european()
    frame["amount"] = frame["amount"].map(lambda v: f"{v:.2f}".replace(".", ","))
    frame.loc[[3, 7], "amount"] = "?"
    path = write_european(frame, tmp_path / "d.csv")
    code, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv")
    assert code == 1
    assert "'?' (2 rows): pass --decimal ',' and --na-values '?' (those cells then read as missing)" in err
    assert err.count("'amount'") == 1  # one finding, not a second "holds numbers except for" one
    code, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv", "--decimal", ",")
    assert code == 1 and "holds numbers with decimal commas" in err and "--na-values '?'" in err
    assert "(2 rows): pass --na-values '?' (those" in err
    code, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv", "--decimal", ",",
                       "--na-values", "?")
    assert "'amount'" not in err


def test_thousands_separators_are_named(capsys, tmp_path):
    frame = european().assign(amount=["1.234,5", "12,75", "-3.000.000,25", "8"] * 13)
    path = tmp_path / "d.csv"
    frame.to_csv(path, sep=";", index=False)
    for extra in ([], ["--decimal", ","]):
        code, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv", *extra)
        assert code == 1 and "decimal commas ('12,75'), some with '.' between thousands ('1.234,5')" in err
        assert "write the numbers without thousands separators" in err


@pytest.mark.parametrize("text", ["", ",,", "1", "a", "-", " "])
def test_bad_decimal_is_refused(capsys, eu_csv, tmp_path, text):
    code, _, err = run(capsys, "inspect", eu_csv, "-t", "label", "--decimal", text)
    assert code == 1 and "--decimal expects one character" in err and repr(text) in err


def test_decimal_on_parquet_is_noted(capsys, tmp_path):
    pytest.importorskip("pyarrow")
    src = tmp_path / "d.parquet"
    european().to_parquet(src, index=False)
    code, _, err = run(capsys, "inspect", src, "-t", "label", "--decimal", ",")
    assert code == 0 and "--decimal applies to CSV files" in err
    _, _, err = run(capsys, "inspect", src, "-t", "label", "--decimal", ",", "--sep", ";", "--na-values", "?")
    assert "--sep, --na-values and --decimal apply to CSV files" in err


def test_csv_options_carry_the_decimal_mark(eu_csv):
    assert csv_options(eu_csv)["decimal"] == "."
    assert csv_options(eu_csv, decimal=",")["decimal"] == ","


def test_dask_reads_decimal_commas(eu_csv, monkeypatch):
    pytest.importorskip("dask.dataframe")
    from smotekit.cli import _dask

    frame, _ = _dask.read_frame(str(eu_csv), decimal=",", text_columns=["label"])
    assert frame["amount"].dtype == np.float64
    np.testing.assert_allclose(frame["amount"].compute(scheduler="sync"), european()["amount"])

    seen = {}

    def spy(*args, **kwargs):
        seen.update(kwargs)
        raise UserError("stopped after reading")

    monkeypatch.setattr(_dask, "read_frame", spy)
    code = main(["resample", str(eu_csv), "-t", "label", "-o", "unused", "--engine", "dask", "--decimal", ","])
    assert code == 1 and seen["decimal"] == ","


def test_suggested_na_values_are_one_shell_word(capsys, tmp_path):
    frame = european().astype({"rate": object})
    frame.loc[[1, 2], "rate"] = "not known"
    frame.loc[[5], "rate"] = "?"
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    _, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv")
    typed = err.split("--na-values ", 1)[1].split(" to read")[0]
    assert shlex.split(typed) == ["not known,?"] or shlex.split(typed) == ["?,not known"]


def with_column(path, values, sep=";", **kw):
    """The european() frame plus a text column 'x' of ``values`` (repeated), written with ``sep``."""
    frame = european()
    frame["x"] = (values * len(frame))[:len(frame)]
    frame.to_csv(path, sep=sep, index=False, **kw)
    return path


AMBIGUOUS = "holds numbers with three digits after a comma"


@pytest.mark.parametrize("values, example, readings", [
    (["889,965", "12,500", "3"], "889,965", "(889.965) or as thousands separators (889965)"),
    (["-1,000", "+45,250"], "-1,000", "(-1.000) or as thousands separators (-1000)"),
])
@pytest.mark.parametrize("command, extra", [("resample", ["-o", "{tmp}/out.csv"]), ("evaluate", ["--cv", "3x1"])])
def test_three_digits_after_every_comma_are_ambiguous(capsys, tmp_path, values, example, readings, command, extra):
    path = with_column(tmp_path / "d.csv", values)
    code, _, err = run(capsys, command, path, "-t", "label", *[a.format(tmp=tmp_path) for a in extra])
    assert code == 1
    assert f"column 'x' {AMBIGUOUS} ({example!r}), which read as decimal commas {readings} alike" in err
    assert "if the comma marks decimals, pass --decimal ','; if it separates thousands, write the numbers " \
           "without it" in err
    assert HINT not in err and not (tmp_path / "out.csv").exists()


def test_inspect_warns_about_ambiguous_commas(capsys, tmp_path):
    path = with_column(tmp_path / "d.csv", ["889,965", "12,500"])
    code, out, _ = run(capsys, "inspect", path, "-t", "label")
    assert code == 0 and f"column 'x' {AMBIGUOUS}" in out.split("Warnings:")[1]


@pytest.mark.parametrize("values, example", [
    (["889,965", "12,5"], "889,965"),    # one comma with other than three digits after it settles it
    (["0,125", "-0,500"], "0,125"),      # no thousands group starts with 0
    ([",125", "1,250"], ",125"),
    (["1,250e3", "2,000"], "1,250e3"),
])
def test_commas_that_only_decimals_explain_keep_the_plain_hint(tmp_path, values, example):
    data = load(with_column(tmp_path / "d.csv", values), "label", None)
    texts = [f.text for f in check_data(data) if "'x'" in f.text]
    assert texts and f"{HINT} ({example!r}): pass --decimal ','" in texts[0]


def test_ambiguous_commas_with_placeholders_keep_both_readings(tmp_path):
    data = load(with_column(tmp_path / "d.csv", ["889,965", "12,500", "?", "7", "8"]), "label", None)
    (text,) = [f.text for f in check_data(data) if "'x'" in f.text]
    assert f"{AMBIGUOUS} ('889,965'), except for '?' (" in text
    assert "if the comma marks decimals, pass --decimal ',' and --na-values '?' (those cells then read as missing)" \
        in text


@pytest.mark.parametrize("decimal", [[], ["--decimal", ","]])
@pytest.mark.parametrize("values, example", [
    (["1,234,567", "12,500", "7"], "1,234,567"),
    (["1,234.5", "12,500"], "1,234.5"),
])
def test_commas_between_thousands_are_never_read_as_decimals(capsys, tmp_path, decimal, values, example):
    path = with_column(tmp_path / "d.csv", values)
    code, _, err = run(capsys, "resample", path, "-t", "label", "-o", tmp_path / "o.csv", *decimal)
    assert code == 1
    assert f"column 'x' holds numbers with ',' between thousands ({example!r}), which no --decimal reads: write " \
           "the numbers without thousands separators;" in err
    assert "pass --decimal" not in err and "--na-values" not in err


POINT = "holds numbers written with '.'"


@pytest.fixture
def point_csv(tmp_path):
    """An ordinary comma-separated file with '.' decimals."""
    path = tmp_path / "point.csv"
    european().assign(amount=lambda f: f["amount"] + 0.0001).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("command, extra", [("resample", ["-o", "{tmp}/out.csv"]), ("evaluate", ["--cv", "3x1"])])
def test_point_decimals_with_decimal_comma_stop_with_the_fix(capsys, point_csv, tmp_path, command, extra):
    code, _, err = run(capsys, command, point_csv, "-t", "label", "--decimal", ",",
                       *[a.format(tmp=tmp_path) for a in extra])
    assert code == 1
    assert f"column 'amount' {POINT} ('0.1301'), but --decimal ',' was given: drop --decimal ',';" in err
    assert f"column 'rate' {POINT}" in err
    assert "identifier" not in err and not (tmp_path / "out.csv").exists()


def test_inspect_warns_about_point_decimals(capsys, point_csv):
    code, out, _ = run(capsys, "inspect", point_csv, "-t", "label", "--decimal", ",")
    warnings = out.split("Warnings:")[1]
    assert code == 0 and f"column 'amount' {POINT}" in warnings and "identifier" not in warnings


def test_dask_engine_names_point_decimals(capsys, point_csv, tmp_path):
    pytest.importorskip("dask.dataframe")
    code, _, err = run(capsys, "resample", point_csv, "-t", "label", "--decimal", ",", "--engine", "dask",
                       "-o", tmp_path / "out.parquet")
    assert code == 1 and f"column 'amount' {POINT} ('0.1301'), but --decimal ','" in err
    assert "identifier" not in err


@pytest.mark.parametrize("values, fix", [
    (["0.1257", "-2.5", "3", "1e-3"], "drop --decimal ','; read"),
    (["0.1257", "?", "2.5", "4.75"], "drop --decimal ',' and pass --na-values '?'; read"),
    # '1.234' means 1234 where ',' marks decimals: both readings, no blind "drop --decimal".
    (["1.234", "12.500", "7"], "if '.' marks decimals, drop --decimal ','; if it separates thousands, write the "
                               "numbers without it"),
])
def test_point_decimal_fixes(tmp_path, values, fix):
    data = load(with_column(tmp_path / "d.csv", values), "label", None, decimal=",")
    (text,) = [f.text for f in check_data(data) if "'x'" in f.text]
    assert POINT in text and fix in text


@pytest.mark.parametrize("values", [["a.b", "c.d", "e"], ["1.2.3", "4.5.6", "7.8.9"], ["12", "7", "3"]])
def test_text_is_not_taken_for_point_decimals(tmp_path, values):
    data = load(with_column(tmp_path / "d.csv", values), "label", None, decimal=",")
    assert not [f for f in check_data(data) if "'x'" in f.text and POINT in f.text]


def test_decimal_comma_in_a_comma_separated_file_reads_quoted_numbers(capsys, tmp_path):
    # pandas quotes "0,13" in a ','-separated file, and reads it back with decimal=','.
    path = tmp_path / "d.csv"
    european().to_csv(path, decimal=",", index=False)
    assert '"' in path.read_text()
    out_path = tmp_path / "out.csv"
    code, _, err = run(capsys, "resample", path, "-t", "label", "-o", out_path, "--decimal", ",")
    assert code == 0, err
    pd.testing.assert_frame_equal(pd.read_csv(out_path).iloc[:len(european())], european())
