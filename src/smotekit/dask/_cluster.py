"""Where the work runs: the user's distributed client, or a local cluster started once."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import threading

import dask

__all__ = ["gather_limit", "get_client"]

logger = logging.getLogger(__name__)

_LOCAL = None

#: Default bound on the rows gathered onto one process (the classes searched from,
#: and the rows they need), in bytes of their feature values.
DEFAULT_GATHER_LIMIT = "2GiB"


def gather_limit() -> int:
    """The gather limit in bytes, from Dask's configuration key ``smotekit.gather-limit``.

    Set it with ``dask.config.set({"smotekit.gather-limit": "8GiB"})`` or the
    environment variable ``DASK_SMOTEKIT__GATHER_LIMIT``.
    """
    value = dask.config.get("smotekit.gather-limit", DEFAULT_GATHER_LIMIT)
    return int(dask.utils.parse_bytes(value) if isinstance(value, str) else value)


def get_client():
    """The ``distributed`` client to run on.

    The current client when one exists (``distributed.Client(...)`` made by the
    caller); otherwise a local cluster started on first use and kept for the
    process: one single-threaded worker process per core (at most four), each
    capped at its share of the machine's memory (``memory_limit='auto'``), so
    that workers spill to disk instead of exhausting memory.
    """
    from distributed import Client, LocalCluster, default_client

    try:
        return default_client()
    except ValueError:
        pass
    global _LOCAL
    if _LOCAL is None or _LOCAL.status != "running":
        n_workers = max(1, min(os.cpu_count() or 1, 4))
        # No dashboard port to collide with; worker logs silenced, because a bad input
        # fails in every partition's task and the caller gets the one clear error.
        with _sigint_ignored_by_children():
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   memory_limit="auto", dashboard_address=":0",
                                   silence_logs=logging.CRITICAL)
        # Default client, so the lazy results of fit_resample compute on the same cluster.
        _LOCAL = Client(cluster, set_as_default=True)
        atexit.register(_close_local)
        logger.info("Started a local Dask cluster of %d workers: %s", n_workers, cluster)
    return _LOCAL


@contextlib.contextmanager
def _sigint_ignored_by_children():
    """Start worker processes that ignore SIGINT (they inherit the setting).

    Ctrl-C reaches every process of the terminal's group: the workers leave it
    to this process, which stops them as it exits, instead of each printing a
    ``KeyboardInterrupt`` traceback. Only the main thread can change a signal's
    handler; elsewhere the workers start as they are.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _close_local():
    global _LOCAL
    if _LOCAL is not None:
        cluster = _LOCAL.cluster
        _LOCAL.close()
        cluster.close()
        _LOCAL = None
