"""A neighbours parameter resolved once: an int, or a neighbours object.

Every sampler parameter of the kind ``k_neighbors=5`` or
``n_neighbors=NearestNeighbors(n_neighbors=6)`` is read here, so that one
place decides what the two forms mean:

* an int ``k`` asks for ``k`` neighbours, the query row itself never counted,
  found by smotekit's exact search (:func:`smotekit.neighbors.kneighbors`);
* an object is searched with as given, and its ``n_neighbors`` counts the
  query row itself when the rows are searched among their own set
  (``counts_self=True``, imbalanced-learn's convention), but not when other
  rows are queried or when the object is a classifier voting over a store
  (``counts_self=False``).
"""

from __future__ import annotations

from .._constraints import is_int

__all__ = ["ResolvedNeighbors", "resolve_neighbors"]


class ResolvedNeighbors:
    """The meaning of one neighbours parameter (see :func:`resolve_neighbors`).

    Attributes
    ----------
    estimator : object or None
        The user's neighbours object, or None for an int (smotekit's exact search).
    k : int
        Neighbours per query row, the row itself not counted. Read from the
        object's ``n_neighbors`` when asked, so an object that names it
        differently fails only where a count is needed, with a ``TypeError``
        naming the parameter.
    """

    __slots__ = ("_counts_self", "_name", "_param", "estimator")

    def __init__(self, param, name, counts_self):
        self._param = param
        self._name = name
        self._counts_self = counts_self
        self.estimator = None if is_int(param) else param

    @property
    def exact(self) -> bool:
        """Whether smotekit's exact search answers (an int was given)."""
        return self.estimator is None

    @property
    def k(self) -> int:
        if self.estimator is None:
            return int(self._param)
        try:
            n_neighbors = self.estimator.n_neighbors
        except AttributeError:
            raise TypeError(
                f"{self._name}={self.estimator!r} has no n_neighbors attribute, which this "
                f"sampler reads to know how many neighbours each row has. Give the object an "
                f"n_neighbors attribute (as sklearn.neighbors.NearestNeighbors has), or pass "
                f"{self._name} as an int."
            ) from None
        return int(n_neighbors) - self._counts_self

    def as_estimator(self, **params):
        """The object form of the parameter: for an int ``k``, an unfitted
        ``NearestNeighbors`` asking ``k`` neighbours, plus the row itself when
        ``counts_self``; for an object, that object (not a copy).

        Parameters
        ----------
        **params
            Passed to ``NearestNeighbors`` for an int (``n_jobs``, ``metric``...).
        """
        if self.estimator is not None:
            return self.estimator
        from sklearn.neighbors import NearestNeighbors

        return NearestNeighbors(n_neighbors=int(self._param) + self._counts_self, **params)


def resolve_neighbors(param, *, name: str, counts_self: bool = True) -> ResolvedNeighbors:
    """Resolve an int-or-neighbours-object parameter.

    Parameters
    ----------
    param : int or object
        The sampler's parameter: a number of neighbours (its bools are refused
        by the parameter checks before this is called), or an object with
        ``fit``/``kneighbors``.
    name : str
        The parameter's name (``"k_neighbors"``...), for the error raised when
        an object has no ``n_neighbors`` and a count is needed.
    counts_self : bool, default=True
        Whether an object's ``n_neighbors`` counts the query row itself, as
        in a search of a set among its own rows. An int never does.

    Returns
    -------
    ResolvedNeighbors
        ``.k`` (neighbours per row, self excluded) and ``.estimator`` (the
        object, or None for the exact search).
    """
    return ResolvedNeighbors(param, name, counts_self)
