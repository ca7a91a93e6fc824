"""``smotekit methods``: fits the terminal, plain text, CLI names, capabilities from the samplers' tags."""

import inspect
import re
from dataclasses import replace

import numpy as np
import pytest
from cli_helpers import run
from sklearn.datasets import make_classification

from smotekit.cli._methods import _first_sentence, paper, parameter_docs, plain_text, references, summary
from smotekit.cli._samplers import capabilities, cli_names, kind_of, parameters_of, resolve_method
from smotekit.utils import all_samplers

SAMPLERS = dict(all_samplers())
MARKUP = re.compile(r"``|:\w+:`|`")


@pytest.fixture
def columns_100(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")


@pytest.mark.parametrize("argv", [(), ("--verbose",), ("--kind", "clean")] + [(n,) for n in SAMPLERS],
                         ids=lambda a: " ".join(a) or "list")
def test_output_fits_100_columns_and_has_no_markup(capsys, columns_100, argv):
    code, out, _ = run(capsys, "methods", *argv)
    assert code == 0
    too_long = [line for line in out.splitlines() if len(line) > 100]
    assert not too_long
    assert not MARKUP.search(out), MARKUP.search(out)


def test_narrow_and_wide_terminals(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    _, wide, _ = run(capsys, "methods")
    monkeypatch.setenv("COLUMNS", "100")
    _, narrow, _ = run(capsys, "methods")
    assert max(map(len, wide.splitlines())) > 100 and len(wide.splitlines()) < len(narrow.splitlines())


@pytest.mark.parametrize("text, expected", [
    ("Apply :class:`EditedNearestNeighbours` with ``n_neighbors``.", "Apply EditedNearestNeighbours with n_neighbors."),
    ("See :class:`~smotekit.base.BaseSampler` and :func:`title <smotekit.x.y>`.", "See BaseSampler and title."),
    ("The :attr:`sampling_strategy_` of :meth:`fit_resample`.", "The sampling_strategy_ of fit_resample."),
    ("*noise* when all are, **safe** otherwise; 2**63 - 1 and a * b stay.",
     "noise when all are, safe otherwise; 2**63 - 1 and a * b stay."),
    ("a `default role`\n   across  lines", "a default role across lines"),
])
def test_plain_text(text, expected):
    assert plain_text(text) == expected


@pytest.mark.parametrize("name", SAMPLERS)
def test_every_cli_name_resolves_to_its_class(name):
    names = cli_names(name)
    assert names[0] == names[0].lower() and " " not in names[0]
    assert all(resolve_method(n, SAMPLERS)[0] == name for n in [*names, name, name.upper(), names[0].replace("-", "_")])


def test_listing_shows_cli_names_and_aliases(capsys, columns_100):
    _, out, _ = run(capsys, "methods")
    words = [line.split() for line in out.splitlines()]
    rows = {w[0]: w[1] for w in words if w and w[0] in SAMPLERS}
    assert set(rows) == set(SAMPLERS)
    assert rows["BorderlineSMOTE"] == "borderline-smote" and rows["SVMSMOTE"] == "svm-smote"
    assert rows["RandomOverSampler"] == "ros" and rows["RandomUnderSampler"] == "rus"
    assert rows["RepeatedEditedNearestNeighbours"] == "renn"
    _, out, _ = run(capsys, "methods", "ros")
    assert "CLI names: random-over-sampler, ros" in out


def _listing_row(out, name):
    return next(line.split() for line in out.splitlines() if line.startswith(name + " "))


def test_columns_come_from_the_tags(capsys, columns_100, monkeypatch):
    _, out, _ = run(capsys, "methods")
    header = out.splitlines()[0].split()
    assert "multiclass" not in header and "Every method listed handles targets with two or more classes" in out
    # Row selectors copy any value: their tags accept strings and NaN.
    assert _listing_row(out, "RandomUnderSampler")[2:4] == ["kept", "yes"]
    assert _listing_row(out, "SMOTENC")[2:4] == ["yes", "no"]
    assert _listing_row(out, "SMOTE")[2:4] == ["no", "no"]

    cls = SAMPLERS["TomekLinks"]
    original = cls.__sklearn_tags__

    def binary_only(self):
        tags = original(self)
        tags.sampler_tags = replace(tags.sampler_tags, multiclass=False)
        tags.input_tags.allow_nan = True
        return tags

    monkeypatch.setattr(cls, "__sklearn_tags__", binary_only)
    _, out, _ = run(capsys, "methods")
    header = out.splitlines()[0].split()
    assert header[:5] == ["method", "CLI", "name", "categorical", "NaN"] and header[5] == "multiclass"
    assert _listing_row(out, "TomekLinks")[2:5] == ["no", "yes", "no"]
    assert _listing_row(out, "SMOTE")[2:5] == ["no", "no", "yes"]
    _, out, _ = run(capsys, "methods", "tomek-links")
    assert "missing values (NaN): yes; more than two classes: no" in out


@pytest.mark.parametrize("name", SAMPLERS)
def test_kind_is_the_tags_sampling_type(name):
    cls = SAMPLERS[name]
    sampling_type = cls(**cls._check_init_params).__sklearn_tags__().sampler_tags.sampling_type
    expected = "combined" if cls.__module__.startswith("smotekit.combine") else sampling_type.split("-")[0]
    assert kind_of(cls) == expected == capabilities(cls).kind


@pytest.mark.filterwarnings("ignore:KMeansSMOTE:UserWarning")  # falls back to plain SMOTE on this data
@pytest.mark.parametrize("name", SAMPLERS)
def test_multiclass_tag_matches_behaviour(name):
    """The tag is true exactly when the sampler resamples a three-class target."""
    cls = SAMPLERS[name]
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4, weights=[0.6, 0.3, 0.1], random_state=0)
    params = dict(cls._check_init_params)
    if name == "SMOTEN":
        X = np.digitize(X, [-0.5, 0.5])
    if capabilities(cls).multiclass:
        _, y_res = cls(**params).fit_resample(X, y)
        assert set(np.unique(y_res)) == {0, 1, 2}
    else:
        with pytest.raises(ValueError):
            cls(**params).fit_resample(X, y)


@pytest.mark.parametrize("name", SAMPLERS)
def test_parameter_docs_agree_with_numpydoc(name):
    docscrape = pytest.importorskip("numpydoc.docscrape")
    cls = SAMPLERS[name]
    theirs = docscrape.NumpyDocString(inspect.getdoc(cls))["Parameters"]
    expected = {}
    for p in theirs:
        for n in p.name.split(","):
            expected[n.strip()] = (p.type, " ".join(line.strip() for line in p.desc if line.strip()))
    assert parameter_docs(cls) == expected
    assert set(parameters_of(cls)) <= set(expected), "every parameter is documented"


def test_method_detail_shows_defaults_and_descriptions(capsys, columns_100):
    code, out, _ = run(capsys, "methods", "svm-smote")
    assert code == 0 and out.startswith("SVMSMOTE: over-sampling")
    assert "from smotekit.over_sampling import SVMSMOTE" in out
    lines = out.splitlines()
    at = lines.index("  k_neighbors = 5")
    assert lines[at + 1].startswith("      Same-class neighbours to interpolate toward")
    assert "  m_neighbors = 10" in lines and "  out_step = 0.5" in lines
    code, out, _ = run(capsys, "methods", "smote-nc")
    assert "  categorical_features = (required)" in out.splitlines()


def test_summary_is_plain_first_sentence():
    assert summary(SAMPLERS["AllKNN"]).startswith("Apply EditedNearestNeighbours with 1, 2")
    assert not MARKUP.search(summary(SAMPLERS["SVMSMOTE"], extended=True))


@pytest.mark.parametrize("text, expected", [
    ("sparsity ``mean_distance ** exponent / n``. 'auto': ``0.16 * log(n) ** 1.8``, *as* in imblearn.",
     "sparsity mean_distance ** exponent / n. 'auto': 0.16 * log(n) ** 1.8, as in imblearn."),
    ("``*args`` and ``**kwargs`` are *passed* on", "*args and **kwargs are passed on"),
    ("a `x * y` and :math:`a * b * c` stay", "a x * y and a * b * c stay"),
])
def test_literals_are_not_read_as_emphasis(text, expected):
    assert plain_text(text) == expected


def test_method_detail_keeps_powers(capsys, columns_100):
    _, out, _ = run(capsys, "methods", "kmeans-smote")
    assert "mean_distance ** exponent" in " ".join(out.split())


@pytest.mark.parametrize("text, expected", [
    ("An object (e.g. NearestNeighbors(n_neighbors=6)). More.", "An object (e.g. NearestNeighbors(n_neighbors=6))."),
    ("Rows, i.e. Samples of a class. More.", "Rows, i.e. Samples of a class."),
    ("Sets (knn, kmeans, etc. Or others) used. More.", "Sets (knn, kmeans, etc. Or others) used."),
    ("Ours vs. Theirs is compared. More.", "Ours vs. Theirs is compared."),
    ("In brackets (one. Two) stays whole. More.", "In brackets (one. Two) stays whole."),
    ("First. Second.", "First."),
    ("No full stop at all", "No full stop at all"),
    ("Ratio in (0, 1]. Default 1. More.", "Ratio in (0, 1]."),
    ("Ratio in [0, 1). Default 0. More.", "Ratio in [0, 1)."),
    ("Steps 1) fit, 2) resample. More.", "Steps 1) fit, 2) resample."),
    ("A set [a (b. C] d) stays. More.", "A set [a (b. C] d) stays."),
])
def test_first_sentence_skips_abbreviations_and_brackets(text, expected):
    assert _first_sentence(text) == expected


@pytest.mark.parametrize("name", SAMPLERS)
def test_every_parameter_line_has_balanced_brackets(name):
    docs = parameter_docs(SAMPLERS[name])
    for param in parameters_of(SAMPLERS[name]):
        text = _first_sentence(plain_text(docs[param][1]))
        assert text.count("(") == text.count(")"), (param, text)
        assert not re.search(r"\b(e\.g|i\.e|etc|vs)\.$", text), (param, text)


@pytest.mark.parametrize("name", ["SMOTE", "ADASYN", "EditedNearestNeighbours", "NearMiss", "KMeansSMOTE"])
def test_method_detail_does_not_stop_at_eg(capsys, columns_100, name):
    _, out, _ = run(capsys, "methods", name)
    lines = out.splitlines()
    described = {}
    param = None
    for line in lines[lines.index("Parameters (default):") + 1:]:
        if not line.startswith("  "):
            break  # the end of the parameter list
        if line.startswith("      "):
            assert param is not None, f"a description line before any parameter: {line!r}"
            described[param] += " " + line.strip()
        else:
            param = line.split(" = ")[0].strip()
            described[param] = ""
    assert any("e.g. " in text for text in described.values())
    for param, text in described.items():
        assert text.count("(") == text.count(")") and not text.endswith("e.g."), (param, text)
        assert not re.search(r"\w-$", text) and " imbalanced- learn" not in text, "no word split at a hyphen"


def _cited(*entries):
    class Cited:
        pass
    # Each entry on two lines, as a long one is written.
    Cited.__doc__ = "Summary.\n\nReferences\n----------\n" + "\n".join(
        f".. [{i}] " + text.replace(" (", "\n   (", 1) for i, text in enumerate(entries, 1))
    return Cited


@pytest.mark.parametrize("authors, short", [
    ("Hart, P. E.", "Hart"),
    ("Koziarski, M. & Woźniak, M.", "Koziarski & Woźniak"),
    ("Han, H., Wang, W.-Y. & Mao, B.-H.", "Han et al."),
    ("Batista, G. E. A. P. A., Prati, R. C. & Monard, M. C.", "Batista et al."),
])
def test_paper_gives_the_first_reference_in_short(authors, short):
    cls = _cited(f"{authors} (2014). A title long enough to wrap. Venue, 1(2), 3-4.", "Other, A. (1999). B.")
    assert paper(cls) == f"{short} (2014)"
    assert references(cls)[0] == f"{authors} (2014). A title long enough to wrap. Venue, 1(2), 3-4."
    assert len(references(cls)) == 2


def test_paper_is_empty_without_a_reference():
    assert paper(_cited()) == "" and references(_cited()) == []


@pytest.mark.parametrize("name", [n for n, c in SAMPLERS.items()
                                  if kind_of(c) in ("over", "combined") and not n.startswith("Random")])
def test_every_generating_method_names_its_paper(capsys, name):
    cls = SAMPLERS[name]
    assert re.fullmatch(r".+ \(\d{4}\)", paper(cls)), paper(cls)
    _, out, _ = run(capsys, "methods", name)
    assert f"Paper:     {paper(cls)}" in out and references(cls)[0][:30] in " ".join(out.split())
