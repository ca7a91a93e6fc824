"""A fast start: ``import smotekit`` and the command's help and version import no heavy library.

The package loads its public names on first use (PEP 562). These tests run fresh
interpreters and look at ``sys.modules``; they never measure time.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import smotekit
from smotekit.cli import build_parser

HEAVY = ("sklearn", "scipy", "pandas", "matplotlib", "dask", "pyarrow", "polars")

# Prints, on its last line, the heavy top-level packages a fresh interpreter ended up importing.
_REPORT = (
    "import json, sys\n"
    f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))\n"
)


def _heavy_after(code):
    """Run ``code`` (then the report) in a fresh interpreter; return (exit code, heavy modules, output)."""
    proc = subprocess.run([sys.executable, "-c", code + "\n" + _REPORT], capture_output=True, text=True,
                          timeout=120)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1]), proc.stdout + proc.stderr


def _commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], [], *([c, "--help"] for c in _commands())],
                         ids=lambda argv: " ".join(argv) or "no-arguments")
def test_help_and_version_import_no_heavy_library(argv):
    # Through `python -m smotekit`, exactly as the console script runs it.
    code = ("import runpy, sys\n"
            f"sys.argv = ['smotekit', *{argv!r}]\n"
            "try:\n"
            "    runpy.run_module('smotekit', run_name='__main__', alter_sys=True)\n"
            "except SystemExit as exc:\n"
            "    print('exit', exc.code)\n")
    rc, heavy, output = _heavy_after(code)
    assert rc == 0, output
    assert heavy == [], output
    assert ("exit 2" if argv == [] else "exit 0") in output
    assert "smotekit" in output


def test_import_smotekit_is_light_and_knows_its_version():
    rc, heavy, output = _heavy_after("import smotekit\nprint(smotekit.__version__)")
    assert rc == 0 and heavy == [], output
    assert output.splitlines()[0] == smotekit.__version__


def test_a_sampler_loads_its_own_subpackage_only():
    rc, heavy, output = _heavy_after("import sys, smotekit\nsmotekit.RandomUnderSampler\n"
                                     "print('ensemble' in dir(sys.modules['smotekit']),"
                                     " 'smotekit.ensemble' in sys.modules)")
    assert rc == 0 and "sklearn" in heavy, output
    assert output.splitlines()[0] == "True False"  # listed by dir(), not imported


# -- the lazy package behaves as the eager one did ------------------------------------------------------------
@pytest.mark.parametrize("name", smotekit.__all__)
def test_every_public_name_resolves(name):
    value = getattr(smotekit, name)
    if name in smotekit._SUBMODULES:
        assert value is sys.modules[f"smotekit.{name}"]
    elif name != "__version__":
        module = sys.modules[f"smotekit{smotekit._ORIGINS[name]}"]
        assert value is getattr(module, name)
    assert name in dir(smotekit)


def test_all_is_sorted_and_matches_the_lazy_tables():
    assert smotekit.__all__ == sorted(smotekit.__all__)
    assert set(smotekit.__all__) == set(smotekit._ORIGINS) | smotekit._SUBMODULES | {"__version__"}


def test_type_checkers_see_every_public_name():
    # The eager imports under `if TYPE_CHECKING:` are what IDEs and type checkers read.
    tree = ast.parse(Path(smotekit.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    seen = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names:
            seen[alias.name] = "." + (node.module or alias.name)
    assert set(seen) == set(smotekit.__all__) - {"__version__"}
    assert {n: m for n, m in seen.items() if n in smotekit._ORIGINS} == smotekit._ORIGINS


def test_star_import_and_submodule_imports_work_in_a_fresh_interpreter():
    code = ("ns = {}\n"
            "exec('from smotekit import *', ns)\n"
            "import smotekit, smotekit.over_sampling\n"
            "from smotekit.under_sampling import TomekLinks\n"
            "from smotekit import pipeline\n"
            "missing = sorted(set(smotekit.__all__) - set(ns))\n"
            "assert not missing, missing\n"
            "assert ns['SMOTE'] is smotekit.over_sampling.SMOTE and ns['pipeline'] is pipeline\n"
            "assert TomekLinks is smotekit.TomekLinks\n"
            "print('ok')")
    rc, _, output = _heavy_after(code)
    assert rc == 0 and output.startswith("ok"), output


def test_base_module_is_reachable_as_an_attribute():
    code = "import smotekit\nprint(smotekit.base.BaseSampler is smotekit.BaseSampler)"
    rc, _, output = _heavy_after(code)
    assert rc == 0 and output.startswith("True"), output


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="module 'smotekit' has no attribute 'SMOTTE'"):
        smotekit.SMOTTE  # noqa: B018


@pytest.mark.parametrize("statement", [
    "from smotekit import SMOTE as cls",
    "import smotekit; cls = smotekit.SMOTE",
    "from smotekit.over_sampling import SMOTE as cls",
    "from smotekit.under_sampling import TomekLinks as cls",
    "from smotekit import FunctionSampler as cls",
])
def test_fit_resample_routing_is_declared_whatever_the_import(statement):
    # scikit-learn makes set_<method>_request only for methods declared before the class exists
    # (and only when the method takes metadata, hence the subclass).
    code = (f"{statement}\n"
            "from sklearn.utils import _metadata_requests as r\n"
            "assert 'fit_resample' in r.SIMPLE_METHODS, r.SIMPLE_METHODS\n"
            "class Weighted(cls):\n"
            "    def fit_resample(self, X, y, sample_weight=None):\n"
            "        return super().fit_resample(X, y)\n"
            "assert hasattr(Weighted, 'set_fit_resample_request')\n"
            "print('ok')")
    rc, _, output = _heavy_after(code)
    assert rc == 0 and output.startswith("ok"), output


def test_the_type_checking_flag_is_not_a_public_name():
    import smotekit

    assert not hasattr(smotekit, "TYPE_CHECKING")
    assert all(not name.startswith("TYPE") for name in dir(smotekit))
