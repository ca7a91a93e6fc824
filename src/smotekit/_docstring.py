"""Shared parameter descriptions, written once and substituted into docstrings.

A class or function whose docstring holds ``{random_state}`` (or any other
``{name}`` field) is decorated with ``Substitution(random_state=_random_state_docstring)``
so the text lives in one place. Indentation of the shared texts matches a
parameter entry of a class docstring (4 spaces for the name, 8 for the body).
"""

from __future__ import annotations

__all__ = ["Substitution"]


class Substitution:
    """Fill ``{field}`` placeholders of a function's or class's docstring.

    Parameters
    ----------
    *args : object
        Not used in practice; accepted so that ``Substitution(mapping)`` style
        calls fail loudly instead of silently doing nothing.
    **kwargs : str
        ``field=text`` pairs; ``{field}`` in the docstring becomes ``text``.

    Notes
    -----
    An object without a docstring (for instance under ``python -OO``, which
    strips them) is returned unchanged, so decorating never fails at import.
    Give either positional or keyword arguments, not both.

    Examples
    --------
    >>> from smotekit.utils import Substitution
    >>> @Substitution(what="rows")
    ... def count():
    ...     '''Count the {what}.'''
    >>> count.__doc__
    'Count the rows.'
    """

    def __init__(self, *args, **kwargs):
        if args and kwargs:
            raise AssertionError(
                "Substitution takes either positional or keyword arguments, not both; "
                "pass the fields as keywords, e.g. Substitution(random_state=text)."
            )
        self.params = args or kwargs

    def __call__(self, obj):
        if obj.__doc__:
            # Positional arguments only make sense for '{0}'-style fields.
            if isinstance(self.params, tuple):
                obj.__doc__ = obj.__doc__.format(*self.params)
            else:
                obj.__doc__ = obj.__doc__.format(**self.params)
        return obj


_random_state_docstring = """random_state : int, RandomState instance, Generator or None, default=None
        Seed of the randomness, resolved once per call.

        - int: the same seed gives the same result, whatever ``n_jobs``;
        - ``RandomState`` or ``Generator``: one number is drawn from it to seed
          the call, so successive calls with the same instance differ;
        - ``None``: fresh entropy from the operating system on every call.""".rstrip()

# The samplers' n_jobs: the thread policy of smotekit.neighbors._threads, in a user's words.
_n_jobs_docstring = """n_jobs : int or None, default=None
        Threads of smotekit's neighbour searches. ``None`` and ``-1`` use every
        core (``None`` does not mean one thread, unlike in scikit-learn), ``-2``
        every core but one, and so on; a positive value is taken as given,
        except that faiss's threads never outnumber the cores. The result
        never depends on it.""".rstrip()

# Fitted attributes every sampler shares, in a class docstring's Attributes section: the class
# docstring holds ``{sampling_plan_}`` (and so on) and is decorated with
# ``Substitution(**_FITTED_ATTRIBUTES)``.
_FITTED_ATTRIBUTES = {
    "sampling_strategy_": """sampling_strategy_ : OrderedDict
        imbalanced-learn's dict for the targeted classes (see :class:`smotekit.base.BaseSampler`).""",
    "sampling_plan_": """sampling_plan_ : SamplingPlan
        Per class: the size before, the target, the rows added and removed.""",
    "provenance_": """provenance_ : Provenance
        The origin of every output row (see :class:`smotekit.base.BaseSampler`).""",
    "n_features_in_": """n_features_in_ : int
        Number of columns of ``X``.""",
    "feature_names_in_": """feature_names_in_ : ndarray of str
        Column names of ``X``; set only when they are all strings.""",
}
