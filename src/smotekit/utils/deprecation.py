"""Helpers to retire a parameter gracefully."""

from __future__ import annotations

import functools
import inspect
import warnings

__all__ = ["deprecate_parameter"]


def _removal_version(version_deprecation: str) -> str:
    """A deprecation announced in ``x.y`` takes effect two minor releases later."""
    try:
        major, minor = version_deprecation.split(".")
        return f"{major}.{int(minor) + 2}"
    except ValueError:
        raise ValueError(
            f"version_deprecation must look like 'x.y' (e.g. '0.12'), got {version_deprecation!r}."
        ) from None


def deprecate_parameter(sampler, version_deprecation, param_deprecated, new_param=None):
    """Warn when a deprecated parameter is set, and forward it to its replacement.

    Call it from ``fit`` (never from ``__init__``, which only stores arguments).
    Nothing happens when the deprecated parameter is ``None``.

    Parameters
    ----------
    sampler : object
        The estimator whose parameter is inspected.
    version_deprecation : str
        Version in which the parameter was deprecated, as ``'x.y'``; it is
        removed two minor versions later (``'x.(y+2)'``).
    param_deprecated : str
        Name of the deprecated parameter.
    new_param : str, default=None
        Name of the parameter replacing it. When given, the deprecated value
        is copied onto it, so the estimator keeps working.

    Warns
    -----
    FutureWarning
        When ``param_deprecated`` is set to something other than ``None``.
    """
    value = getattr(sampler, param_deprecated)
    if value is None:
        return
    message = (
        f"'{param_deprecated}' is deprecated from {version_deprecation} and will be removed in "
        f"{_removal_version(version_deprecation)} for the estimator {sampler.__class__}."
    )
    if new_param is None:
        warnings.warn(message + " Stop passing it.", FutureWarning, stacklevel=2)
        return
    warnings.warn(message + f" Use '{new_param}' instead.", FutureWarning, stacklevel=2)
    setattr(sampler, new_param, value)


def _deprecate_positional_args(func):
    """Let keyword-only parameters still be passed by position, with a ``FutureWarning``.

    For moving a signature to keyword-only parameters (after ``*``) without
    breaking callers at once: positional values beyond the positional
    parameters are mapped onto the keyword-only ones, in order, and the warning
    names them so the caller knows what to write.
    """
    signature = inspect.signature(func)
    positional = [name for name, p in signature.parameters.items()
                  if p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keyword_only = [name for name, p in signature.parameters.items()
                    if p.kind == inspect.Parameter.KEYWORD_ONLY]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        n_extra = len(args) - len(positional)
        if n_extra <= 0:
            return func(*args, **kwargs)
        moved = dict(zip(keyword_only, args[len(positional):]))
        shown = ", ".join(f"{name}={value}" for name, value in moved.items())
        warnings.warn(
            f"Pass {shown} as keyword args. Passing them as positional arguments is "
            "deprecated and will raise an error in a future version.",
            FutureWarning,
            stacklevel=2,
        )
        return func(*args[: len(positional)], **moved, **kwargs)

    return wrapper
