"""From command-line words to sampler objects: names, parameters, sampling strategies, categorical data.

Samplers are found with :func:`smotekit.utils.all_samplers` at run time, so
every sampler the package ships is reachable without being listed here.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import re
from dataclasses import dataclass

from ..base import _reads_values
from ..utils import all_samplers
from ..utils.discovery import SAMPLER_ALIASES, find_sampler
from ._common import UserError, names, note

__all__ = [
    "Capabilities",
    "REQUIRED",
    "build_sampler",
    "capabilities",
    "cli_names",
    "kind_of",
    "parameters_of",
    "parse_params",
    "parse_sampling_strategy",
    "parse_value",
    "prepare_sampler",
    "resolve_method",
    "samplers",
]

_KINDS = {"over-sampling": "over", "under-sampling": "under", "clean-sampling": "clean"}
_WORDS = ("auto", "minority", "majority", "not minority", "not majority", "all")
#: Kebab-case names that splitting the class name at capitals cannot find (runs of acronyms).
_KEBAB = {"SMOTEENN": "smote-enn", "SMOTEN": "smote-n", "SMOTENC": "smote-nc", "SVMSMOTE": "svm-smote",
          "KMeansSMOTE": "kmeans-smote", "CURESMOTE": "cure-smote", "LVQSMOTE": "lvq-smote",
          "ProWSyn": "prowsyn", "SMOTEIPF": "smote-ipf"}
REQUIRED = inspect.Parameter.empty


def samplers() -> dict:
    """``{class name: class}`` of every sampler available in this installation."""
    return dict(all_samplers())


@dataclass(frozen=True)
class Capabilities:
    """What a sampler accepts, as its tags say (with its default parameters).

    Parameters
    ----------
    kind : str
        'over', 'under', 'clean' or 'combined'.
    categorical : str
        'yes' (the method uses categorical columns), 'kept' (rows are kept
        or copied whole, so any value passes) or 'no' (numbers only).
    nan : bool
        Whether missing values are accepted.
    multiclass : bool
        Whether the target may hold more than two classes.
    """

    kind: str
    categorical: str
    nan: bool
    multiclass: bool


def _default_tags(cls):
    # Tags belong to instances (a parameter can change them, e.g. RandomOverSampler's shrinkage);
    # the listing describes the default instance. _check_init_params fills required parameters.
    return cls(**getattr(cls, "_check_init_params", {})).__sklearn_tags__()


def _kind(cls, tags) -> str:
    if cls.__module__.startswith("smotekit.combine"):
        return "combined"
    kind = tags.sampler_tags.sampling_type
    return _KINDS.get(kind, kind)


def kind_of(cls) -> str:
    """'over', 'under', 'clean' (the tags' sampling type) or 'combined' (a sampler of ``smotekit.combine``)."""
    return _kind(cls, _default_tags(cls))


def capabilities(cls) -> Capabilities:
    """The :class:`Capabilities` of a sampler class, read from the tags of its default instance."""
    tags = _default_tags(cls)
    inputs = tags.input_tags
    categorical = "yes" if inputs.categorical or _reads_categories_when_told(cls) else \
        "kept" if inputs.string else "no"
    return Capabilities(_kind(cls, tags), categorical, bool(inputs.allow_nan), bool(tags.sampler_tags.multiclass))


def _reads_categories_when_told(cls) -> bool:
    """Whether the sampler reads categorical columns once its optional ``categorical_features``
    names some (MGS: Gaussian draws alone by default, categories from a forest when told)."""
    if parameters_of(cls).get("categorical_features", REQUIRED) is REQUIRED:
        return False
    told = cls(**{**getattr(cls, "_check_init_params", {}), "categorical_features": [0]})
    return bool(told.__sklearn_tags__().input_tags.categorical)


def _handles_categorical(cls) -> bool:
    return capabilities(cls).categorical == "yes"


def cli_names(name: str) -> list:
    """The names people type for the class ``name``: its kebab-case form, then its short aliases.

    Any spelling that differs only in case, '-', '_' or '.' resolves too (see :func:`resolve_method`).
    """
    kebab = _KEBAB.get(name) or "-".join(re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", name)).lower()
    return [kebab, *sorted(a for a, target in SAMPLER_ALIASES.items() if target == name)]


def parameters_of(cls) -> dict:
    """``{name: default}`` of the constructor; :data:`REQUIRED` marks parameters without a default."""
    sig = inspect.signature(cls.__init__)
    return {n: p.default for n, p in sig.parameters.items()
            if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def resolve_method(name: str, available: dict | None = None):
    """``(class name, class)`` for a method name typed in any case, with or without '-'/'_'.

    Raises a :class:`UserError` suggesting the closest names when nothing matches.
    """
    available = samplers() if available is None else available
    try:
        return find_sampler(name, available)
    except ValueError as exc:
        raise UserError(f"{exc} Run `smotekit methods` to list all {len(available)} available methods.") from None


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


def prepare_sampler(method: str, X, kinds: dict, labels, *, params=(), sampling_strategy=None,
                    random_state=None, categorical="error", available=None, skip_unknown=False):
    """A sampler ready for ``X``: resolved by name, parameters checked, categorical columns handled.

    Returns ``(display name, sampler)``. With categorical columns, a sampler
    that handles them gets ``categorical_features`` filled in; plain SMOTE is
    switched to SMOTE-NC (or SMOTE-N when every feature is categorical) only
    when ``categorical='auto'``; any other numeric sampler stops with a
    message naming the columns. With ``skip_unknown``, parameters the
    sampler does not have are left out (one ``--param`` list serving several
    methods) instead of refused.
    """
    available = samplers() if available is None else available
    name, cls = resolve_method(method, available)
    values = parse_params(params)
    if skip_unknown:
        values = {k: v for k, v in values.items() if k in parameters_of(cls)}
    strategy = parse_sampling_strategy(sampling_strategy, labels)
    cat = [c for c in X.columns if kinds[c] == "categorical"]
    positions = [X.columns.get_loc(c) for c in cat]
    if _handles_categorical(cls) and not cat and parameters_of(cls).get("categorical_features") is REQUIRED \
            and "categorical_features" not in values:
        raise UserError(f"{name} is for data with categorical columns, and no feature column here is "
                        "categorical; use smote, or pass --param categorical_features=[...] (column positions).")
    sampler = None
    if not _handles_categorical(cls) or not cat:
        sampler = build_sampler(name, cls, values, random_state=random_state, sampling_strategy=strategy)
    needs_numbers = sampler is None or _reads_values(sampler.__sklearn_tags__())
    if cat and needs_numbers and not _handles_categorical(cls):
        if categorical == "auto" and name == "SMOTE":
            replacement = "SMOTEN" if len(cat) == X.shape[1] else "SMOTENC"
            if replacement not in available:
                raise UserError(f"Columns {names(cat)} are categorical and {replacement} is not available in "
                                "this installation; --drop them or encode them as numbers.")
            note(f"categorical column(s) {names(cat)}: using {replacement} instead of SMOTE "
                  "(--categorical auto).")
            name, cls = replacement, available[replacement]
            values = {k: v for k, v in values.items() if k in parameters_of(cls)}
        else:
            fix = ("pass --categorical auto to switch to SMOTENC, which draws categories from the neighbours"
                   if name == "SMOTE" else
                   "choose a method that handles categorical data (see `smotekit methods`: the 'categorical' column)")
            raise UserError(f"{name} interpolates numbers, but these columns are categorical: {names(cat)}. "
                            f"To go on, {fix}; or --drop the columns; or encode them as numbers first.")
    if _handles_categorical(cls) and cat:
        if "categorical_features" in parameters_of(cls) and "categorical_features" not in values:
            values["categorical_features"] = positions
        sampler = build_sampler(name, cls, values, random_state=random_state, sampling_strategy=strategy)
    tags = sampler.__sklearn_tags__()
    if _reads_values(tags):
        refuse_dates(name, X, kinds)
        if not tags.input_tags.allow_nan:
            refuse_gaps(name, X)
    return name, sampler


def refuse_dates(name: str, X, kinds: dict) -> None:
    """Refuse columns a sampler that reads values cannot compute with (dates, other objects)."""
    other = [c for c in X.columns if kinds[c] == "other"]
    if other:
        raise UserError(f"{name} needs numbers, but columns {names(other)} hold dates or other values; --drop them.")


def refuse_gaps(name: str, X) -> None:
    """Refuse missing values, for a sampler that does not accept them."""
    gaps = {c: int(n) for c, n in X.isna().sum().items() if n}
    if gaps:
        listed = ", ".join(f"{c} ({n})" for c, n in gaps.items())
        raise UserError(f"{name} cannot use missing values; columns with gaps: {listed}. Impute them, drop "
                        "those rows, or --drop the columns.")
