"""Turn a balanced data set into an imbalanced one."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping

from sklearn.utils._param_validation import validate_params

from .._constraints import RANDOM_STATE
from ..under_sampling import RandomUnderSampler
from ..utils._containers import read_y

__all__ = ["make_imbalance"]

logger = logging.getLogger(__name__)


@validate_params(
    {"X": ["array-like"], "y": ["array-like"], "sampling_strategy": [Mapping, callable, None],
     "random_state": RANDOM_STATE, "verbose": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def make_imbalance(X, y, *, sampling_strategy=None, random_state=None, verbose=False, **kwargs):
    """Randomly remove rows so that each class has the requested size.

    Parameters
    ----------
    X : {array-like, DataFrame} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sampling_strategy : dict or callable
        ``{class: n_samples}`` after the reduction (at most the current count),
        or a callable ``f(y, **kwargs) -> dict``. Classes not named keep all rows.
    random_state : int, RandomState, Generator or None, default=None
    verbose : bool, default=False
        Log the class counts before and after (logger ``smotekit.datasets``).
    **kwargs
        Passed to a callable ``sampling_strategy``.

    Returns
    -------
    X_resampled, y_resampled
        Same kinds as ``X`` and ``y``.
    """
    if callable(sampling_strategy):
        labels = read_y(y, len(y)).labels
        sampling_strategy = sampling_strategy(labels, **kwargs)
    if not isinstance(sampling_strategy, Mapping):
        raise ValueError(
            "make_imbalance needs sampling_strategy as a dict {class: n_samples} or a callable "
            f"returning one; got {sampling_strategy!r}."
        )
    if verbose:
        logger.info("class counts before: %s", dict(Counter(read_y(y, len(y)).labels.tolist())))
    sampler = RandomUnderSampler(sampling_strategy=sampling_strategy, random_state=random_state)
    X_res, y_res = sampler.fit_resample(X, y)
    if verbose:
        logger.info("class counts after: %s", dict(Counter(read_y(y_res, len(y_res)).labels.tolist())))
    return X_res, y_res
