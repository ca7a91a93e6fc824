"""The package metadata: what an install reads, so that it installs without warnings."""

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_license_is_an_spdx_expression_with_its_text_shipped():
    # setuptools >= 77 warns at every install about a `license = {text = ...}` table.
    project = tomllib.loads(PYPROJECT.read_text())
    assert isinstance(project["project"]["license"], str)
    assert (PYPROJECT.parent / "LICENSE").is_file()
    assert any(req.startswith("setuptools>=77") for req in project["build-system"]["requires"])
