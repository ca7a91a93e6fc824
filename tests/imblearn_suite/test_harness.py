"""The harness that runs imbalanced-learn's tests against smotekit, and its list of differences."""

import pytest

from . import harness
from .harness import CATEGORIES, GENERATED, collected_ids, matches, rewrite, status
from .known_differences import KNOWN_DIFFERENCES, SLOW


def test_imblearn_suite_is_generated(request):
    reason = status(request.config)
    if reason is not None:
        pytest.skip(reason)
    assert (GENERATED / "tests" / "test_common.py").is_file()
    assert (GENERATED / "over_sampling" / "tests" / "__init__.py").is_file()


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from imblearn.over_sampling import SMOTE", "from smotekit.over_sampling import SMOTE"),
        ("import imblearn\nimblearn.__path__", "import smotekit\nsmotekit.__path__"),
        ('module="imblearn"', 'module="smotekit"'),
        # Only the package name: longer identifiers that contain it are left alone.
        ("imblearn_path = 1", "imblearn_path = 1"),
    ],
)
def test_rewrite_replaces_the_package_name(source, expected):
    assert rewrite(source) == expected


@pytest.mark.parametrize(
    "pattern, test_id, expected",
    [
        ("a/test_x.py::test_f", "a/test_x.py::test_f", True),
        ("a/test_x.py::test_f", "a/test_x.py::test_f[SMOTE]", True),
        ("a/test_x.py::test_f", "a/test_x.py::test_fg", False),
        ("a/test_x.py::test_f[SMOTE]", "a/test_x.py::test_f[ADASYN]", False),
        ("a/test_x.py::test_f[SMOTE*", "a/test_x.py::test_f[SMOTE(k=3)-check]", True),
        ("a/test_x.py::*", "a/test_x.py::test_g", True),
    ],
)
def test_patterns(pattern, test_id, expected):
    assert matches(pattern, test_id) is expected


def test_every_entry_is_well_formed():
    for key, value in KNOWN_DIFFERENCES.items():
        category, reason, *how = value
        assert category in CATEGORIES, f"{key}: unknown category {category!r}; use one of {sorted(CATEGORIES)}"
        assert reason.strip() and "\n" not in reason, f"{key}: the reason must be one line"
        assert how in ([], ["skip"]), f"{key}: the third item may only be 'skip'"
    assert all(reason.strip() for reason in SLOW.values())


def test_no_stale_entries(request):
    if status(request.config) is not None:
        pytest.skip(status(request.config))
    ids = collected_ids(request.config)
    assert ids, "no imbalanced-learn test was collected"
    stale = [key for key in [*KNOWN_DIFFERENCES, *SLOW] if not any(matches(key, i) for i in ids)]
    assert not stale, f"entries naming no collected test (remove or fix them): {stale}"


def test_generate_writes_a_package_tree_once(tmp_path):
    target = tmp_path / "generated"
    if harness.generate(target) is not None:
        pytest.skip("imbalanced-learn 0.14.2 is not installed")
    module = target / "over_sampling" / "_smote" / "tests" / "test_smote.py"
    assert "from smotekit" in module.read_text() and "imblearn." not in module.read_text()
    for folder in module.relative_to(target).parents:  # every folder is a package
        assert (target / folder / "__init__.py").is_file(), folder
    stamp = (target / ".stamp").stat().st_mtime_ns
    assert harness.generate(target) is None
    assert (target / ".stamp").stat().st_mtime_ns == stamp, "an up-to-date copy is rewritten"
    assert [p.name for p in tmp_path.iterdir()] == ["generated"], "temporary folders left behind"
    # A stale copy (other sources, or an edited file) is replaced as a whole.
    (target / ".stamp").write_text("stale")
    (target / "tests" / "test_edited.py").write_text("")
    assert harness.generate(target) is None
    assert not (target / "tests" / "test_edited.py").exists() and module.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["generated"], "temporary folders left behind"


def test_without_imblearn_the_suite_is_skipped_and_removed(tmp_path, monkeypatch):
    target = tmp_path / "generated"
    (target / "tests").mkdir(parents=True)
    monkeypatch.setattr(harness, "imblearn_root", lambda: None)
    reason = harness.generate(target)
    assert "imbalanced-learn is not installed" in reason and "pip install" in reason
    assert not target.exists()


def test_another_imblearn_release_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(harness.importlib.metadata, "version", lambda name: "0.13.0")
    reason = harness.generate(tmp_path / "generated")
    if harness.imblearn_root() is None:
        pytest.skip("imbalanced-learn is not installed")
    assert "0.13.0" in reason and "imbalanced-learn==0.14.2" in reason
