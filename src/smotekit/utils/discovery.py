"""Find every sampler smotekit ships, so tests and the command line never list them by hand."""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
import re

from sklearn.utils import get_tags

__all__ = ["SAMPLER_ALIASES", "all_samplers", "find_sampler"]

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


#: Short forms people type (the abbreviations of the literature); used only when the class exists.
SAMPLER_ALIASES = {
    "ros": "RandomOverSampler",
    "rus": "RandomUnderSampler",
    "enn": "EditedNearestNeighbours",
    "renn": "RepeatedEditedNearestNeighbours",
    "cnn": "CondensedNearestNeighbour",
    "ncr": "NeighbourhoodCleaningRule",
    "oss": "OneSidedSelection",
    "iht": "InstanceHardnessThreshold",
}


def _key(name: str) -> str:
    key = re.sub(r"[\s_\-.]+", "", name.lower())
    return key.replace("neighbors", "neighbours")


def find_sampler(name: str, available: dict | None = None) -> tuple[str, type]:
    """``(class name, class)`` of the sampler called ``name``, in any case, with or without '-', '_' or '.'.

    Both spellings of neighbours and the short forms of :data:`SAMPLER_ALIASES`
    (``rus``, ``enn``, ...) are accepted.

    Parameters
    ----------
    name : str
        For example ``'SMOTE'``, ``'borderline-smote'``, ``'RandomUnderSampler'`` or ``'rus'``.
    available : dict, default=None
        ``{class name: class}`` to search; every sampler of :func:`all_samplers` by default.

    Returns
    -------
    name : str
    cls : type

    Raises
    ------
    ValueError
        When no sampler has that name; the message suggests the closest names.
    """
    available = dict(all_samplers()) if available is None else available
    table = {_key(n): n for n in available}
    key = _key(name)
    found = table.get(key) or (SAMPLER_ALIASES.get(key) if SAMPLER_ALIASES.get(key) in available else None)
    if found:
        return found, available[found]
    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.5)
    close += [k for k in table if key and key in k and k not in close]
    hint = f" Closest: {', '.join(table[k] for k in close[:4])}." if close else ""
    raise ValueError(f"Unknown method {name!r}.{hint}")


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
