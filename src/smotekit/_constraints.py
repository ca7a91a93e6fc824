"""Parameter constraints shared by the samplers, in scikit-learn's vocabulary.

Each sampler declares ``_parameter_constraints`` (one entry per ``__init__``
parameter); ``BaseSampler._validate`` checks them once per fit through
scikit-learn's ``_validate_params``, which raises
:class:`sklearn.utils._param_validation.InvalidParameterError` (a ``ValueError``
and a ``TypeError``) naming the parameter, the valid values and the value seen.
What a constraint cannot express (``k_neighbors`` against a class's size, a
float strategy with three classes...) stays in each sampler's ``_check_params``
and in :func:`smotekit._strategy.make_plan`.

The entries are imbalanced-learn 0.14's, widened only where smotekit accepts
more: a :class:`numpy.random.Generator` as ``random_state``; any object with
``fit``/``kneighbors`` as a neighbours parameter (imbalanced-learn also asks
for ``kneighbors_graph``, which no sampler calls); a tuple of classes for the
cleaning samplers. Samplers note their own widenings next to their tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, InvalidParameterError, StrOptions

__all__ = [
    "CLEAN_STRATEGY",
    "N_JOBS",
    "NEIGHBORS",
    "OVER_STRATEGY",
    "RANDOM_STATE",
    "UNDER_STRATEGY",
    "is_int",
    "refuse_bools",
]

#: None, a seed in [0, 2**32 - 1], a ``RandomState``, or (smotekit only) a ``Generator``.
RANDOM_STATE = ["random_state", np.random.Generator]

#: A number of neighbours, or a neighbours object that smotekit fits and queries.
NEIGHBORS = [Interval(Integral, 1, None, closed="left"), HasMethods(["fit", "kneighbors"])]

N_JOBS = [Integral, None]

_RATIO = Interval(Real, 0, 1, closed="right")
_SHARED_WORDS = {"auto", "all", "not minority", "not majority"}

#: Over-samplers: 'majority' would add nothing, so it is not a valid word.
OVER_STRATEGY = [_RATIO, StrOptions(_SHARED_WORDS | {"minority"}), Mapping, callable]

#: Under-samplers that reach a target size: 'minority' cannot shrink to its own size.
UNDER_STRATEGY = [_RATIO, StrOptions(_SHARED_WORDS | {"majority"}), Mapping, callable]

#: Cleaning samplers name the classes to clean (a word or a list), never their sizes. A float
#: passes here, as in imbalanced-learn, so that make_plan can say why it does not apply.
CLEAN_STRATEGY = [_RATIO, StrOptions(_SHARED_WORDS | {"majority"}), list, tuple, callable]


def is_int(value, *, bools: bool = False) -> bool:
    """Whether ``value`` is an integer (Python or NumPy) in a parameter check.

    ``True`` and ``False`` are ints to Python, but a flag passed where a count
    is expected is a mistake, so they are not ints here unless ``bools`` is
    true (for a parameter whose scikit-learn counterpart reads them as 1 and 0).
    """
    if isinstance(value, bool):
        return bools
    return isinstance(value, Integral)


def refuse_bools(estimator, *names: str) -> None:
    """Refuse ``True``/``False`` for the numeric parameters ``names`` of ``estimator``.

    The one rule constraints cannot state: scikit-learn's ``Interval(Integral, ...)``
    and ``Interval(Real, ...)`` take a bool as 1 or 0, and a flag passed where a count,
    a size or a step is expected is a mistake. Called from ``_check_params``, after
    the constraints, with the same exception as theirs.
    """
    for name in names:
        value = getattr(estimator, name)
        if isinstance(value, bool):
            raise InvalidParameterError(
                f"The {name!r} parameter of {type(estimator).__name__} must be a number, not a "
                f"bool. Got {value!r} instead; pass the number you mean (e.g. 1 rather than True)."
            )
