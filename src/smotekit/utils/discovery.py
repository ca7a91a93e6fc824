"""Find every sampler smotekit ships, so tests and the command line never list them by hand."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

__all__ = ["all_samplers"]

# Packages that hold no samplers (and, for the command line, would import optional extras).
_SKIP = ("smotekit.utils", "smotekit.neighbors", "smotekit.cli", "smotekit.metrics",
         "smotekit.plotting", "smotekit.report", "smotekit.dask", "smotekit.__main__")


def all_samplers(kind: str | None = None) -> list[tuple[str, type]]:
    """``(name, class)`` of every public sampler, sorted by name.

    Public means exported by a public module (no component starting with an
    underscore), which is how users import them.

    Parameters
    ----------
    kind : {'over-sampling', 'under-sampling', 'clean-sampling'}, optional
        Keep only samplers of this kind.
    """
    import smotekit
    from smotekit.base import BaseSampler

    found = {}
    for mod in pkgutil.walk_packages(smotekit.__path__, "smotekit."):
        if mod.name.startswith(_SKIP) or any(part.startswith("_") for part in mod.name.split(".")[1:]):
            continue
        module = importlib.import_module(mod.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if (issubclass(obj, BaseSampler) and not name.startswith(("_", "Base"))
                    and not inspect.isabstract(obj) and obj.__module__.startswith("smotekit")
                    and getattr(obj, "_sampling_type", None)):
                found[name] = obj
    items = sorted(found.items())
    return [(n, c) for n, c in items if kind is None or c._sampling_type == kind]
