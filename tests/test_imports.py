"""The import layering of the package, read from the source.

Each subpackage (``smotekit.neighbors``, ``smotekit.utils``...) and each
top-level module (``smotekit.base``, ``smotekit._docstring``...) is one node;
the package's ``__init__`` is the node ``smotekit``. An import of
``smotekit.X.anything`` is an arrow to ``X``. Imports run when a module is
loaded (module level, class bodies included) must not form a cycle between
nodes: arrows point down. Imports inside functions run later and may close a
cycle. The arrows that do either are listed, each with its reason
(:data:`MODULE_LEVEL_CYCLES`, :data:`FUNCTION_LEVEL_CYCLES`), so that a new
one is a decision and not an accident, and one that is gone leaves the list.

The same graph is then checked by importing every module first thing in a
fresh set of ``sys.modules``: an order-dependent import (a module that works
only because another one was loaded before it) fails there.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "smotekit"

#: Arrows of module-level imports that close a cycle between nodes, as ``(from node, to node):
#: reason``. The graph without them must have no cycle; a listed arrow that no longer closes one
#: fails too, so the list only shrinks.
MODULE_LEVEL_CYCLES = {
    ("smotekit.utils", "smotekit.over_sampling"): (
        "utils.estimator_checks, a tool that tests samplers, sits in utils beside the containers "
        "and validation helpers the samplers use; utils/__init__ does not import it, so loading "
        "never goes round, but the layering does until the two halves of utils are split."
    ),
    ("smotekit.utils", "smotekit.under_sampling"): "As utils -> over_sampling.",
}

#: The same for arrows of imports inside functions, which run after every module is loaded.
FUNCTION_LEVEL_CYCLES = {
    ("smotekit.base", "smotekit._function_sampler"): (
        "imbalanced-learn's path smotekit.base.FunctionSampler, resolved on first access (PEP 562): "
        "FunctionSampler derives from BaseSampler."
    ),
    ("smotekit.utils", "smotekit.base"): (
        "discovery and testing find the samplers as subclasses of BaseSampler; base uses utils' "
        "containers and validation."
    ),
    ("smotekit.utils", "smotekit.over_sampling"): (
        "the common tests' instances (utils._test_common) are built from the sampler classes."
    ),
    ("smotekit.utils", "smotekit.under_sampling"): "As utils -> over_sampling.",
    ("smotekit.utils", "smotekit.datasets"): (
        "a sampler check builds its data with datasets.make_imbalance, which runs "
        "RandomUnderSampler and reads y with utils' containers."
    ),
    ("smotekit.utils", "smotekit.ensemble"): (
        "the common tests' instances (utils._test_common) include PriorCorrectedClassifier around "
        "a BalancedBaggingClassifier, the second way it reads a change of priors."
    ),
}


def _modules():
    """Module name -> source path, for every module of the package."""
    out = {}
    for path in sorted((SRC / ROOT).rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _node(module: str) -> str:
    """The node of a module: its subpackage under the root, or itself at the top level."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(module: str, node: ast.Import | ast.ImportFrom):
    """Modules of the package an import statement loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == ROOT]
    if node.level:
        package = module if _is_package(module) else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if base.split(".")[0] != ROOT:
        return []
    # ``from pkg import name`` loads pkg.name too when that is a module.
    return [base] + [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]


def _imports(module: str):
    """``(target module, line, at module level)`` of every import of the package in ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child.test):
                continue  # never run
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.extend((t, child.lineno, not in_function) for t in _targets(module, child))
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                           ast.Lambda)))

    visit(tree, False)
    return found


def _graph():
    """``{(from node, to node): [where, ...]}`` for module-level and function-level arrows."""
    module_level, function_level = defaultdict(list), defaultdict(list)
    for module in MODULES:
        for target, line, top in _imports(module):
            src, dst = _node(module), _node(target)
            if src != dst:
                (module_level if top else function_level)[src, dst].append(
                    f"{module}:{line} imports {target}")
    return module_level, function_level


def _reach(edges, start):
    """Nodes reachable from ``start`` along the arrows ``edges`` (itself included)."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for a, b in edges:
            if a == node and b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def _cycle(edges):
    """One cycle of the arrows ``edges``, as a list of nodes, or None."""
    succ = defaultdict(set)
    for a, b in edges:
        succ[a].add(b)
    state, stack = {}, []

    def dfs(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(succ[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := dfs(m)):
                return found
        state[n] = 2
        stack.pop()
        return None

    for n in sorted(succ):
        if n not in state and (found := dfs(n)):
            return found
    return None


def test_every_import_resolves_to_a_module_of_the_package():
    for module in MODULES:
        for target, line, _ in _imports(module):
            assert target in MODULES or target.rpartition(".")[0] in MODULES, (
                f"{module}:{line} imports {target}, which is not a module of the package")


def _allowed_cycles(arrows, allowed, every):
    """Fail on an arrow of ``arrows`` closing a cycle of ``every`` that ``allowed`` does not
    list, or a listed one that no longer closes one."""
    closing = {(a, b): where for (a, b), where in arrows.items() if a in _reach(every, b)}
    new = {edge: where for edge, where in closing.items() if edge not in allowed}
    assert not new, (
        "imports that close an import cycle; import along the arrows (down), or list the arrow "
        "with its reason: " + "; ".join(f"{a} -> {b} ({', '.join(w)})" for (a, b), w in new.items()))
    gone = set(allowed) - set(closing)
    assert not gone, f"listed arrows that no longer close a cycle: {sorted(gone)}"


def test_module_level_imports_form_no_cycle_between_subpackages():
    module_level, _ = _graph()
    rest = {edge: where for edge, where in module_level.items() if edge not in MODULE_LEVEL_CYCLES}
    cycle = _cycle(rest)
    if cycle:
        where = [w for a, b in zip(cycle, cycle[1:]) for w in rest[a, b]]
        pytest.fail("module-level imports go round " + " -> ".join(cycle) + ":\n  "
                    + "\n  ".join(where))
    gone = [(a, b) for a, b in MODULE_LEVEL_CYCLES
            if (a, b) not in module_level or a not in _reach(set(module_level), b)]
    assert not gone, f"MODULE_LEVEL_CYCLES lists arrows that no longer close a cycle: {gone}"


def test_function_level_cycles_are_the_listed_ones():
    module_level, function_level = _graph()
    _allowed_cycles(function_level, FUNCTION_LEVEL_CYCLES, set(module_level) | set(function_level))


def test_the_graph_sees_the_imports_it_should():
    # A test of the reader, so that an empty graph cannot pass the two tests above.
    module_level, _ = _graph()
    assert ("smotekit.neighbors", "smotekit._docstring") in module_level
    assert ("smotekit.over_sampling", "smotekit.neighbors") in module_level
    assert ("smotekit.utils", "smotekit._strategy") in module_level
    assert _cycle({("a", "b"), ("b", "c"), ("c", "a")}) == ["a", "b", "c", "a"]


# Modules needing an optional dependency that is not installed are skipped, not failed:
# their extra's stub is what the user meets (tested where the extra is).
_FRESH_IMPORTS = textwrap.dedent("""
    import importlib, sys, traceback
    base = set(sys.modules)
    failed = []
    for name in sys.argv[1:]:
        for loaded in [m for m in sys.modules if m not in base and m.split(".")[0] == "smotekit"]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] == "smotekit":
                failed.append(f"{name}: {exc!r}")
        except Exception:
            failed.append(f"{name}: " + traceback.format_exc(limit=-3))
    print("\\n".join(failed))
""")


# One subprocess for all modules (about 12 s): a subprocess per module would take minutes for
# little more, since third-party modules never change the order smotekit's own modules load in.
@pytest.mark.slow
def test_every_module_imports_first_in_a_fresh_interpreter_state():
    # One interpreter: each module is imported with every smotekit module unloaded before it
    # (third-party ones stay loaded, which does not change smotekit's import order).
    done = subprocess.run([sys.executable, "-c", _FRESH_IMPORTS, *MODULES], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert not done.stdout.strip(), "modules that fail when imported first:\n" + done.stdout
