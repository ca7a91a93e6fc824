"""From command-line words to sampler objects: names, parameters, sampling strategies, categorical data.

Samplers are found with :func:`smotekit.utils.all_samplers` at run time, so
every sampler the package ships is reachable without being listed here.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import re

from ..utils import all_samplers
from ._common import UserError

__all__ = [
    "REQUIRED",
    "build_sampler",
    "describe",
    "kind_of",
    "parameters_of",
    "parse_params",
    "parse_sampling_strategy",
    "parse_value",
    "resolve_method",
    "samplers",
]

_KINDS = {"over-sampling": "over", "under-sampling": "under", "clean-sampling": "clean"}
_WORDS = ("auto", "minority", "majority", "not minority", "not majority", "all")
# Short forms people type; used only when the class they name exists.
_ALIASES = {"ros": "RandomOverSampler", "rus": "RandomUnderSampler"}
REQUIRED = inspect.Parameter.empty


def samplers() -> dict:
    """``{class name: class}`` of every sampler available in this installation."""
    return dict(all_samplers())


def kind_of(cls) -> str:
    """'over', 'under', 'clean' or 'combined' (a sampler of ``smotekit.combine``)."""
    if cls.__module__.startswith("smotekit.combine"):
        return "combined"
    return _KINDS.get(cls._sampling_type, cls._sampling_type)


def describe(cls) -> str:
    """The first sentence of the class docstring."""
    doc = (inspect.getdoc(cls) or "").strip().split("\n\n")[0].replace("\n", " ")
    return re.split(r"(?<=[.!?])\s", doc, maxsplit=1)[0]


def parameters_of(cls) -> dict:
    """``{name: default}`` of the constructor; :data:`REQUIRED` marks parameters without a default."""
    sig = inspect.signature(cls.__init__)
    return {n: p.default for n, p in sig.parameters.items()
            if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def _key(name: str) -> str:
    key = re.sub(r"[\s_\-.]+", "", name.lower())
    return key.replace("neighbors", "neighbours")


def resolve_method(name: str, available: dict | None = None):
    """``(class name, class)`` for a method name typed in any case, with or without '-'/'_'.

    Raises a :class:`UserError` suggesting the closest names when nothing matches.
    """
    available = samplers() if available is None else available
    table = {_key(n): n for n in available}
    key = _key(name)
    found = table.get(key) or (_ALIASES.get(key) if _ALIASES.get(key) in available else None)
    if found:
        return found, available[found]
    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.5)
    close += [k for k in table if key and key in k and k not in close]
    hint = f" Closest: {', '.join(table[k] for k in close[:4])}." if close else ""
    raise UserError(f"Unknown method {name!r}.{hint} Run `smotekit methods` to list all "
                    f"{len(available)} available methods.")


def parse_value(text: str):
    """A Python value from ``--param`` text: None, booleans, numbers, lists; anything else stays a string."""
    low = text.strip().lower()
    if low in ("none", "null"):
        return None
    if low in ("true", "false"):
        return low == "true"
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return text.strip()


def parse_params(items) -> dict:
    """``{name: value}`` from repeated ``--param name=value`` options."""
    out = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--param expects name=value (for example k_neighbors=3), got {item!r}.")
        out[name.strip()] = parse_value(value)
    return out


def parse_sampling_strategy(text, labels):
    """A ``sampling_strategy`` value from text: a float, a word, or ``class=count,...``.

    Parameters
    ----------
    text : str
    labels : sequence
        The classes of the target, to match the names typed in ``class=count``.
    """
    if text is None:
        return None
    raw = text.strip()
    try:
        return float(raw)
    except ValueError:
        pass
    word = re.sub(r"[_\-\s]+", " ", raw.lower())
    if word in _WORDS:
        return word
    if "=" not in raw:
        raise UserError(f"--sampling-strategy {text!r} is not a number, one of {', '.join(_WORDS)}, "
                        "or class=count pairs such as 'fraud=500,other=2000'.")
    by_name = {str(lab): lab for lab in labels}
    out = {}
    for pair in raw.split(","):
        name, sep, count = pair.partition("=")
        name = name.strip()
        if name not in by_name:
            raise UserError(f"--sampling-strategy: no class {name!r} in the target; classes are "
                            f"{', '.join(map(str, by_name))}.")
        try:
            out[by_name[name]] = int(count)
        except ValueError:
            raise UserError(f"--sampling-strategy: the count for class {name!r} must be an integer, "
                            f"got {count.strip()!r}.") from None
    return out


def build_sampler(name, cls, params: dict, *, random_state=None, sampling_strategy=None):
    """An instance of ``cls`` with the options given, each checked against its parameters."""
    allowed = parameters_of(cls)
    kwargs = {}
    if random_state is not None and "random_state" in allowed:
        kwargs["random_state"] = random_state
    if sampling_strategy is not None and "sampling_strategy" in allowed:
        kwargs["sampling_strategy"] = sampling_strategy
    for key, value in params.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=2)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise UserError(f"{name} has no parameter {key!r}.{hint} Its parameters: {', '.join(allowed)}.")
        kwargs[key] = value
    missing = [k for k, v in allowed.items() if v is REQUIRED and k not in kwargs]
    if missing:
        raise UserError(f"{name} needs {', '.join(missing)}: pass --param {missing[0]}=VALUE.")
    return cls(**kwargs)
