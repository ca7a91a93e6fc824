"""Find every sampler smotekit ships, so tests and the command line never list them by hand."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from sklearn.utils import get_tags

__all__ = ["all_samplers"]

# Packages that hold no samplers (and, for the command line, would import optional extras).
_SKIP = ("smotekit.utils", "smotekit.neighbors", "smotekit.cli", "smotekit.metrics",
         "smotekit.plotting", "smotekit.report", "smotekit.dask", "smotekit.__main__",
         "smotekit.keras", "smotekit.tensorflow", "smotekit.torch")


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
    for module_name in _public_modules(smotekit.__path__, "smotekit."):
        module = importlib.import_module(module_name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if (name not in found and issubclass(obj, BaseSampler) and not name.startswith(("_", "Base"))
                    and not inspect.isabstract(obj) and obj.__module__.startswith("smotekit")):
                found[name] = (obj, _sampling_type(obj))
    return [(n, c) for n, (c, sampling_type) in sorted(found.items())
            if sampling_type and (kind is None or sampling_type == kind)]


def _sampling_type(cls):
    # Tags belong to instances; __init__ only stores parameters, so building the default
    # instance (_check_init_params fills the required ones) is cheap and safe.
    return get_tags(cls(**cls._check_init_params)).sampler_tags.sampling_type


def _public_modules(path, prefix):
    """Names of the public modules under ``path``, skipped packages never entered.

    ``pkgutil.walk_packages`` would import every package to list its children,
    which for the extras' packages means importing Dask, Keras or PyTorch.
    """
    for info in pkgutil.iter_modules(path, prefix):
        if info.name.startswith(_SKIP) or info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        yield info.name
        if info.ispkg:
            yield from _public_modules(importlib.import_module(info.name).__path__, info.name + ".")
