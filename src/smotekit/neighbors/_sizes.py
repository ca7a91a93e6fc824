"""A neighbours object asking more neighbours than the rows it is fitted on.

scikit-learn only finds out inside ``kneighbors`` ("Expected n_neighbors <=
n_samples_fit"), without saying which class or which parameter; the samplers
check first, here, so every one of them words the refusal the same way.
"""

from __future__ import annotations

from .._constraints import is_int

__all__ = ["asked_neighbors", "check_object_fits"]


def asked_neighbors(estimator) -> int | None:
    """The ``n_neighbors`` a neighbours object asks, or None when it does not say
    (an object of another library may name it differently; it then fails in its
    own words)."""
    k = getattr(estimator, "n_neighbors", None)
    if is_int(k):
        return int(k)
    return None


def check_object_fits(estimator, n_rows: int, *, name: str, where: str, counts_self: bool = True,
                      hint: str = "") -> None:
    """Raise a ``ValueError`` when ``estimator`` asks more neighbours than ``n_rows``.

    Parameters
    ----------
    estimator : object
        The user's neighbours object (``NearestNeighbors``, ``KNeighborsClassifier``...).
    n_rows : int
        Rows it is about to be fitted on.
    name : str
        The sampler parameter it was given as (``"k_neighbors"``...).
    where : str
        What those rows are, for the message: ``"class 1"``, ``"the data"``...
    counts_self : bool, default=True
        Whether its ``n_neighbors`` counts the queried row itself (searches of
        a class among its own rows), so that an int ``name`` one smaller is
        the same request.
    hint : str, default=""
        Another way out, appended to the message (starting with ", or ...").
    """
    k = asked_neighbors(estimator)
    if k is None or k <= n_rows:
        return
    asked = f"{k} neighbours" + (f" (the row itself and {k - 1} others)" if counts_self else "")
    as_int = f" (or {name}={n_rows - 1} as an int)" if counts_self and n_rows > 1 else ""
    raise ValueError(
        f"{name}={estimator!r} asks for {asked}, but {where} has only {n_rows} "
        f"row{'s' if n_rows != 1 else ''}. Pass an object with n_neighbors at most "
        f"{n_rows}{as_int}{hint}."
    )
