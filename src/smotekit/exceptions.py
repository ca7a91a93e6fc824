"""Errors shared across smotekit (imbalanced-learn's ``imblearn.exceptions``)."""

from __future__ import annotations

__all__ = ["ResampledDataWarning", "raise_isinstance_error"]


class ResampledDataWarning(UserWarning):
    """The data given for evaluation look already resampled.

    Resampling before cross-validation puts copies or interpolations of test
    rows into the training folds, so every score comes out optimistic. Emitted
    by :mod:`smotekit.evaluation` when its input carries a sampler's
    signature; pass the original data and let the evaluation resample inside
    each training fold.
    """


def raise_isinstance_error(variable_name, possible_type, variable):
    """Raise a ``ValueError`` saying that a variable has the wrong type.

    Parameters
    ----------
    variable_name : str
        Name of the parameter, as the user wrote it.
    possible_type : type or list of types
        The accepted type(s).
    variable : object
        The value received.

    Raises
    ------
    ValueError
        Always; the message names the parameter, the accepted types and the
        type received.
    """
    raise ValueError(
        f"{variable_name} has to be one of {possible_type}. Got {type(variable)} instead; "
        f"pass a value of one of these types."
    )
