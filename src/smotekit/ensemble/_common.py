"""What the four balanced ensembles share: constraints, member seeding, strategy keys.

Reproducibility contract of every ensemble here: ``random_state`` is turned
into one :class:`numpy.random.RandomState` per ``fit`` (scikit-learn's
``check_random_state``), and every member's seeds (its sampler's and its
estimator's) are drawn from it *before* any member is fitted, in member order.
A member's result therefore depends only on its position in the ensemble,
never on ``n_jobs`` or on the order in which workers finish.
"""

from __future__ import annotations

import numpy as np

from .._constraints import UNDER_STRATEGY

__all__ = ["MAX_SEED", "SAMPLING_STRATEGY", "class_shares", "draw_seeds", "encode_strategy", "set_seeds"]

#: Seeds are drawn below 2**31 - 1, as scikit-learn's ensembles draw them, so a
#: seed is a valid ``random_state`` for every estimator.
MAX_SEED = np.iinfo(np.int32).max

#: The ensembles under-sample with ``RandomUnderSampler``: its words, a ratio,
#: a dict or a callable (imbalanced-learn's constraint for these parameters).
SAMPLING_STRATEGY = list(UNDER_STRATEGY)


def _seed_keys(estimator) -> list[str]:
    return sorted(key for key in estimator.get_params(deep=True)
                  if key == "random_state" or key.endswith("__random_state"))


def draw_seeds(estimator, rng: np.random.RandomState) -> dict:
    """One seed from ``rng`` per ``random_state`` parameter of ``estimator``
    (nested ones included), in sorted parameter order.

    The same draws scikit-learn's ensembles make for their members, so a
    member receives the seeds it would receive there.
    """
    return {key: int(rng.randint(MAX_SEED)) for key in _seed_keys(estimator)}


def set_seeds(estimator, rng: np.random.RandomState):
    """Give every ``random_state`` parameter of ``estimator`` its own seed from ``rng``."""
    seeds = draw_seeds(estimator, rng)
    if seeds:
        estimator.set_params(**seeds)
    return estimator


def encode_strategy(strategy, classes: np.ndarray):
    """``sampling_strategy`` re-keyed from class labels to class positions.

    Bagging ensembles hand their members ``y`` encoded as positions in
    ``classes_``; a dict naming labels must then name positions. Any other
    kind of strategy is passed on unchanged (a callable sees the encoded ``y``,
    as in imbalanced-learn).
    """
    if not isinstance(strategy, dict):
        return strategy
    encoded = {}
    for label, n in strategy.items():
        pos = np.flatnonzero(classes == label)
        if pos.size == 0:
            raise ValueError(
                f"sampling_strategy names the class {label!r}, which is not in y "
                f"(classes: {list(classes)}). Use the labels of y as keys."
            )
        encoded[int(pos[0])] = n
    return encoded


def class_shares(counts: np.ndarray) -> np.ndarray:
    """``counts`` divided by their sum along the last axis (NaN where the sum is not positive)."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=-1, keepdims=True)
    return np.divide(counts, total, out=np.full_like(counts, np.nan), where=total > 0)
