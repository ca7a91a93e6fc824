"""One seed per call, independent streams per class.

The reproducibility contract: ``random_state`` is resolved exactly once per
``fit_resample`` call into a root :class:`numpy.random.SeedSequence`; every unit
of work (a class, later a partition of a class) draws from its own child stream
keyed by *what* it is, never by *when* it runs. Two classes of equal size
therefore receive different samples, and the result does not depend on
``n_jobs``, thread scheduling or the order classes are visited in.
"""

from __future__ import annotations

import numpy as np

from ._constraints import is_int

__all__ = ["resolve_seed", "stream"]


def resolve_seed(random_state) -> np.random.SeedSequence:
    """Turn ``random_state`` into the root seed of one call.

    ``None`` draws fresh entropy; an int is used as is; a ``RandomState`` or a
    ``Generator`` is advanced by one draw, as scikit-learn estimators consume
    a shared generator, so two calls with the same instance differ.
    """
    if random_state is None:
        return np.random.SeedSequence()
    if is_int(random_state):
        if random_state < 0:
            raise ValueError(
                f"random_state must be a non-negative integer, got {random_state}."
            )
        return np.random.SeedSequence(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return np.random.SeedSequence(int(random_state.randint(0, 2**31 - 1)))
    if isinstance(random_state, np.random.Generator):
        return np.random.SeedSequence(int(random_state.integers(0, 2**63 - 1)))
    raise TypeError(
        "random_state must be None, a non-negative int, a numpy RandomState or a "
        f"numpy Generator; got {random_state!r} of type {type(random_state).__name__}."
    )


def stream(root: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """The generator for the unit of work named by ``key`` under ``root``.

    Keys are small integers such as the position of a class among the sorted
    classes, so the same key always yields the same stream for a given seed.
    """
    child = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key + tuple(int(k) for k in key))
    return np.random.Generator(np.random.PCG64(child))
