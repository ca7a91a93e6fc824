"""A sampler made from any function ``(X, y) -> (X_resampled, y_resampled)``."""

from __future__ import annotations

from .base import BaseSampler

__all__ = ["FunctionSampler"]


def _identity(X, y):
    return X, y


class FunctionSampler(BaseSampler):
    """A sampler that calls a function of your own.

    Use it to put any resampling step, such as outlier rejection, in a
    :class:`~smotekit.pipeline.Pipeline`: the function runs while the pipeline
    is fitted, never while it predicts.

    Parameters
    ----------
    func : callable, default=None
        Called as ``func(X, y, **kw_args)``; returns ``(X_resampled,
        y_resampled)``, optionally followed by more values, which
        ``fit_resample`` returns after the two arrays. ``None`` is the
        identity.
    accept_sparse : bool, default=True
        Whether sparse ``X`` is accepted (and passed to ``func`` as it is).
    kw_args : dict, default=None
        Keyword arguments for ``func``.
    validate : bool, default=True
        Whether ``X`` and ``y`` are checked first. With ``True``, ``X`` must
        be numeric and finite and ``y`` a classification target; ``func``
        receives numpy arrays (or a sparse matrix) and its output is given
        back in the caller's kind of container. With ``False``, ``X`` and
        ``y`` reach ``func`` untouched, whatever their types (regression
        targets, text, missing values), and its output is returned as it is.

    Attributes
    ----------
    sampling_strategy_ : str
        Always ``'auto'``: the function decides what to sample.
    n_features_in_ : int
        Number of features of ``X``; only when ``validate=True``.
    feature_names_in_ : ndarray of str
        Column names of ``X``; only when ``validate=True`` and ``X`` has
        string column names.

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : The same idea for transformers.

    Notes
    -----
    With ``validate=True``, a one-hot encoded ``y`` (one label per row) is
    given to ``func`` as column indices and returned one-hot again, with as
    many columns as the input had. The output keeps the caller's container:
    a list stays a list, a pandas DataFrame or Series (columns, dtypes, name)
    and a polars DataFrame or Series (schema) are rebuilt around ``func``'s
    arrays, with a fresh ``0..n-1`` index.

    Unlike imbalanced-learn, ``validate=False`` performs no check at all, so
    even a target with a single class reaches ``func``.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import FunctionSampler
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.array([0] * 7 + [1] * 3)
    >>> def first_rows(X, y, n):
    ...     return X[:n], y[:n]
    >>> sampler = FunctionSampler(func=first_rows, kw_args={"n": 4})
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, y_res.tolist()
    ((4, 2), [0, 0, 0, 0])
    """

    _sampling_type = "bypass"
    #: There is no ``sampling_strategy`` parameter; the function decides.
    sampling_strategy = "auto"

    _parameter_constraints: dict = {
        "func": [callable, None],
        "accept_sparse": ["boolean"],
        "kw_args": [dict, None],
        "validate": ["boolean"],
    }

    def __init__(self, *, func=None, accept_sparse=True, kw_args=None, validate=True):
        self.func = func
        self.accept_sparse = accept_sparse
        self.kw_args = kw_args
        self.validate = validate

    # Capabilities follow the parameters (the tags read them per instance).
    @property
    def _accept_sparse(self):
        return self.accept_sparse

    def _requires_numeric(self) -> bool:
        return bool(self.validate)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.no_validation = not self.validate
        return tags

    def _check_X_y(self, X, y, accept_sparse=None):
        # ``accept_sparse=True`` takes every sparse format (COO too), as imbalanced-learn's does.
        if accept_sparse is None:
            accept_sparse = bool(self.accept_sparse)
        return super()._check_X_y(X, y, accept_sparse=accept_sparse)

    def fit(self, X, y):
        """Check ``X`` and ``y`` (when ``validate=True``); nothing is learnt.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : object
        """
        if self.validate:
            return super().fit(X, y)
        self._validate_params()
        self.sampling_strategy_ = self.sampling_strategy
        return self

    def fit_resample(self, X, y):
        """Call ``func(X, y, **kw_args)`` and return its result.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Anything when ``validate=False``.
        y : array-like of shape (n_samples,)
            Anything when ``validate=False``.

        Returns
        -------
        X_resampled : same kind as X
            ``func``'s first output, in the caller's kind of container when
            ``validate=True``; as ``func`` returned it otherwise.
        y_resampled : same kind as y
        *extra : object
            Any further values ``func`` returned.
        """
        if self.validate:
            # The template of every imbalanced-learn-style sampler: validation, one-hot
            # targets, containers and extra return values, around _fit_resample below.
            return super().fit_resample(X, y)
        self._validate_params()
        self.sampling_strategy_ = self.sampling_strategy
        return self._fit_resample(X, y)

    def _fit_resample(self, X, y):
        func = _identity if self.func is None else self.func
        output = func(X, y, **(self.kw_args or {}))
        if not isinstance(output, (tuple, list)) or len(output) < 2:
            raise ValueError(
                f"FunctionSampler's func must return a tuple (X_resampled, y_resampled, ...); "
                f"{getattr(func, '__name__', func)!r} returned {type(output).__name__}. End it "
                "with 'return X_res, y_res'."
            )
        return output
