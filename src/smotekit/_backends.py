"""Backends: where a sampler runs when its input is not held in memory.

The ``fit_resample`` template (:mod:`smotekit.base`) asks this registry, once
per call, whether a backend takes the input. A backend is any object with

- ``handles(X, y) -> bool``: whether it takes this input;
- ``fit(sampler, X, y)``: validate and plan, returning the sampler;
- ``fit_resample(sampler, X, y)``: resample, returning ``(X_res, y_res)``.

A backend registers itself (:func:`register`) when its module is imported,
and an installed package also names it in the ``smotekit.backends`` entry
point group, so that its collections are resampled without that import. The
entry points are read once per process, and only for lazy input (see
:func:`_lazy`) that no registered backend takes: in-memory input, subclasses
of its containers included, never pays for the look-up. A backend that
fails to load is logged and skipped.

The core never imports a backend; a backend imports the core. Which samplers
a backend can run, and what it must compute over the whole data for them, is
each sampler's :class:`~smotekit.base.PartitionedSupport`, read from its tags.
"""

from __future__ import annotations

import logging
import threading

__all__ = ["backend_for", "register"]

#: Entry point group naming backend objects (``name = "package.module:object"``).
ENTRY_POINT_GROUP = "smotekit.backends"

# Top-level packages of the in-memory containers the template reads itself.
_IN_MEMORY = frozenset({"builtins", "numpy", "pandas", "polars", "scipy"})

_log = logging.getLogger(__name__)

_registered: list = []
_entry_points_read = False
# Held while the entry points load, so that a concurrent first call waits for them. Reentrant:
# a backend whose import resamples lazy input comes back here on the same thread.
_loading = threading.RLock()


def register(backend) -> None:
    """Make ``backend`` available to every sampler's ``fit`` and ``fit_resample``.

    Parameters
    ----------
    backend : object
        An object with ``handles(X, y)``, ``fit(sampler, X, y)`` and
        ``fit_resample(sampler, X, y)``. Registering the same object again
        changes nothing.
    """
    if not any(b is backend for b in _registered):
        _registered.append(backend)


def _in_memory(obj) -> bool:
    return type(obj).__module__.partition(".")[0] in _IN_MEMORY


def _read_entry_points() -> None:
    """Load and register the backends named in the entry point group, once per process."""
    global _entry_points_read
    with _loading:
        if _entry_points_read:
            return
        # Marked before loading: a backend whose import resamples lazy input re-enters on this
        # thread and finds no backend (a TypeError) instead of loading again, and a backend
        # that fails is not retried on every call.
        _entry_points_read = True
        from importlib.metadata import entry_points

        for entry in entry_points(group=ENTRY_POINT_GROUP):
            try:
                backend = entry.load()
            except ImportError as exc:  # the backend's own dependencies are not installed
                _log.debug("smotekit backend %r (%s) not loaded: %s", entry.name, entry.value, exc)
                continue
            except Exception as exc:  # noqa: BLE001 - a broken backend must not break the core
                _log.warning("smotekit backend %r (%s) failed to load and is skipped: %r",
                             entry.name, entry.value, exc)
                continue
            register(backend)


def _registered_for(X, y):
    return next((b for b in _registered if b.handles(X, y)), None)


def _lazy(obj) -> bool:
    """Whether ``obj`` is a collection whose values are computed on demand: it has a task
    graph (the protocol Dask collections share), or a ``collect`` method (Spark frames)."""
    graph = getattr(obj, "__dask_graph__", None)
    if callable(graph) and graph() is not None:
        return True
    return callable(getattr(obj, "collect", None))


def backend_for(X, y):
    """The backend that takes ``(X, y)``, or None for input read in memory.

    Parameters
    ----------
    X, y : object
        The caller's input, as passed to ``fit_resample``.

    Returns
    -------
    object or None

    Raises
    ------
    TypeError
        If ``X`` or ``y`` is a lazy collection that no installed backend takes.
    """
    if _in_memory(X) and _in_memory(y):
        return None
    backend = _registered_for(X, y)
    if backend is not None:
        return backend
    lazy = next((obj for obj in (X, y) if not _in_memory(obj) and _lazy(obj)), None)
    if lazy is None:  # another in-memory container (a subclass of one, a wrapper): read in memory
        return None
    _read_entry_points()  # once per process; waits while another thread loads them
    backend = _registered_for(X, y)
    if backend is not None:
        return backend
    kind = f"{type(lazy).__module__.partition('.')[0]}.{type(lazy).__qualname__}"
    raise TypeError(
        f"No smotekit backend resamples {kind} collections. Install the backend for it (for "
        "Dask: pip install \"smotekit[dask]\", then import smotekit.dask), or compute the data "
        "into memory first (e.g. X.compute(), y.compute())."
    )
