"""How many threads a neighbour search uses: the ``n_jobs`` convention and faiss's policy."""

from __future__ import annotations

import os

__all__ = ["n_threads", "serial_blas", "set_faiss_threads"]

# threadpoolctl's view of the process's native libraries, taken once: taking it
# inspects every loaded library (30-100 ms), which threadpool_limits does at
# every call.
_controller = None


def n_threads(n_jobs) -> int:
    """Threads meant by ``n_jobs``: negative values as in scikit-learn (-1 every
    core, -2 all but one, and so on), a positive value as given, and None every
    core (where scikit-learn means one)."""
    cpus = os.cpu_count() or 1
    if n_jobs is None or n_jobs == -1:
        return cpus
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return int(n_jobs)


def serial_blas():
    """A context in which numpy's BLAS runs single-threaded, for products
    issued from several Python threads at once (a multi-threaded BLAS in each
    would oversubscribe the cores).

    The libraries are those loaded at the first call (numpy's BLAS is loaded
    with numpy)."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def set_faiss_threads(n_jobs=None) -> int:
    """Set faiss's OpenMP thread count for the faiss calls that follow, and return it.

    Every faiss call in smotekit is preceded by this one, because the count is
    a process-wide OpenMP setting (per calling thread) that the previous call
    may have changed. The policy:

    * ``n_jobs`` threads (:func:`n_threads`), never more than the cores: an
      OpenMP team larger than the cores waits for itself at every block. The
      single large faiss calls (k-means of the cells, nearest centroids,
      NearMiss's farthest rows, :class:`~smotekit.neighbors.ApproximateNeighbors`)
      pass the user's ``n_jobs`` (None: every core).
    * ``1`` for the exact search (``kneighbors``'s faiss backend), which runs
      query chunks in Python threads and calls this with 1 in each of them:
      faiss's OpenMP threads next to scikit-learn's runtime in the same
      process, or on cores other processes also use, wait for each other at
      every block (a 1M-row search ran 5x slower with 2 OpenMP threads while
      another process held one core), whereas independent Python threads
      never wait for each other (faiss releases the GIL).

    No answer depends on the count; only the speed does.

    Parameters
    ----------
    n_jobs : int or None, default=None
        As the samplers' ``n_jobs`` (0, which they refuse, means every core).

    Returns
    -------
    threads : int
        The count set.
    """
    import faiss

    cpus = os.cpu_count() or 1
    threads = cpus if not n_jobs else min(n_threads(n_jobs), cpus)
    faiss.omp_set_num_threads(threads)
    return threads
