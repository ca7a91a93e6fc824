"""imbalanced-learn's public validation helpers, on top of smotekit's own machinery.

``check_sampling_strategy`` is a thin wrapper of the pure
:func:`smotekit._strategy.make_plan`: one implementation of the
``sampling_strategy`` semantics serves the samplers and this function.
:class:`ArraysTransformer` gives a kernel's output back in the kind of
container its input came in (what imbalanced-learn-style samplers, and so
:class:`~smotekit.FunctionSampler`, need). ``_split_one_hot`` is the one
decoder and encoder of one-hot targets, shared by every sampler path and by
:func:`check_target_type`.
"""

from __future__ import annotations

import functools
import sys
from collections import OrderedDict

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import column_or_1d
from sklearn.utils.multiclass import type_of_target

from .._constraints import is_int
from .._strategy import make_plan
from .deprecation import _deprecate_positional_args  # noqa: F401 (imbalanced-learn's import path)

__all__ = [
    "ArraysTransformer",
    "check_neighbors_object",
    "check_sampling_strategy",
    "check_target_type",
]

#: Every ``sampling_type`` imbalanced-learn knows. 'ensemble' and 'bypass' take
#: ``sampling_strategy`` as it is (ensembles pass it on; FunctionSampler ignores it).
SAMPLING_KIND = ("over-sampling", "under-sampling", "clean-sampling", "ensemble", "bypass")


def _is_neighbors_object(estimator):
    """Whether ``estimator`` offers scikit-learn's k-neighbours API
    (``kneighbors`` and ``kneighbors_graph``)."""
    return all(hasattr(estimator, name) for name in ("kneighbors", "kneighbors_graph"))


def check_neighbors_object(nn_name, nn_object, additional_neighbor=0):
    """Turn an int or a k-neighbours estimator into a fresh k-neighbours estimator.

    Parameters
    ----------
    nn_name : str
        Name of the parameter the value came from, used in error messages.
    nn_object : int or estimator with ``kneighbors``
        An int builds a :class:`~sklearn.neighbors.NearestNeighbors`; an
        estimator is cloned (never fitted in place).
    additional_neighbor : int, default=0
        Added to an int ``nn_object``, for algorithms whose query point counts
        among its own neighbours.

    Returns
    -------
    nn_object : estimator
        An unfitted k-neighbours estimator.
    """
    if isinstance(nn_object, bool):
        raise TypeError(
            f"{nn_name} must be an int or an estimator with kneighbors, got the bool {nn_object}."
        )
    if is_int(nn_object):
        return NearestNeighbors(n_neighbors=int(nn_object) + additional_neighbor)
    if not hasattr(nn_object, "kneighbors"):
        raise TypeError(
            f"{nn_name} must be an int or an estimator with a kneighbors method (e.g. "
            f"sklearn.neighbors.NearestNeighbors); got {type(nn_object).__name__}."
        )
    return clone(nn_object)


def check_target_type(y, indicate_one_vs_all=False):
    """Check that ``y`` is a classification target samplers accept, as a 1-D array.

    Binary and multiclass targets are returned as 1-D arrays; a one-hot
    (``'multilabel-indicator'`` with one label per row) target is turned into
    the column index of each row's label.

    Parameters
    ----------
    y : array-like
        The target.
    indicate_one_vs_all : bool, default=False
        Also return whether ``y`` was one-hot encoded.

    Returns
    -------
    y : ndarray of shape (n_samples,)
    is_one_vs_all : bool
        Only when ``indicate_one_vs_all=True``.

    Raises
    ------
    ValueError
        For a one-hot target with a row holding no 1 or several (a
        multilabel target), naming the first such row.
    """
    labels, encode = _split_one_hot(y)
    one_hot = encode is not None
    y = labels if one_hot else column_or_1d(y)
    return (y, one_hot) if indicate_one_vs_all else y


def _split_one_hot(y):
    """``y`` as labels, and a function putting labels back in ``y``'s one-hot encoding.

    The one decoder of one-hot targets: used by :func:`check_target_type` and
    by both kinds of sampler kernel, so that every path accepts and returns the
    same encodings. A 2-D 0/1 ``y`` of at least two columns is one-hot; each
    row must hold exactly one 1 (an all-zero row has no label, and decoding it
    as column 0 would invent one). The returned function rebuilds labels
    (column indices) with ``y``'s number of columns, dtype and container
    (numpy, list, pandas or polars DataFrame, sparse matrix of the same format),
    so columns of classes absent from the output are kept.

    Parameters
    ----------
    y : array-like or sparse matrix
        The caller's target.

    Returns
    -------
    labels : ndarray of shape (n_samples,) or object
        Column index of each row's 1, or ``y`` itself when it is not one-hot.
    encode : callable or None
        ``labels -> y-like one-hot``; None when ``y`` is not one-hot.

    Raises
    ------
    ValueError
        When a row of a one-hot ``y`` has no 1 or several.
    """
    shape = getattr(y, "shape", None)
    if shape is None and isinstance(y, list) and y and isinstance(y[0], (list, tuple)):
        shape = np.shape(y)
    if shape is None or len(shape) != 2 or shape[1] < 2:
        return y, None
    sparse_format = y.format if sparse.issparse(y) else None
    onehot = y.toarray() if sparse_format else np.asarray(y)
    if type_of_target(onehot) != "multilabel-indicator":
        return y, None  # several label columns: the caller's own check names the problem
    ones = onehot.sum(axis=1)
    bad = np.flatnonzero(ones != 1)
    if bad.size:
        row = int(bad[0])
        raise ValueError(
            f"y is one-hot encoded ({shape[1]} columns of 0/1), but row {row} has {int(ones[row])} "
            f"ones ({bad.size} such rows in all); every row must hold exactly one 1. Multilabel and "
            "multioutput targets are not supported. Pass one label per row, or one-hot columns "
            "with a single 1 per row (a row with no 1 has no class: drop it or add its class)."
        )
    identity = np.eye(shape[1], dtype=onehot.dtype)
    props = _container_props(y)

    def encode(labels):
        out = identity[np.asarray(labels, dtype=np.intp)]
        if sparse_format:
            return sparse.csr_matrix(out).asformat(sparse_format)
        return _rebuild(out, props)

    return onehot.argmax(axis=1), encode


def check_sampling_strategy(sampling_strategy, y, sampling_type, **kwargs):
    """Resolve ``sampling_strategy`` against a target: imbalanced-learn's dict.

    Parameters
    ----------
    sampling_strategy : float, str, dict, list or callable
        As taken by every sampler (see the table in docs/user-guide.md): a float ratio
        (binary targets), a word (``'auto'``, ``'minority'``, ``'majority'``,
        ``'not minority'``, ``'not majority'``, ``'all'``), a dict
        ``{class: n_samples}`` (over- and under-samplers), a list of classes
        (cleaning samplers) or a callable ``y -> dict``.
    y : array-like of shape (n_samples,)
        The target.
    sampling_type : {'over-sampling', 'under-sampling', 'clean-sampling', \
'ensemble', 'bypass'}
        The kind of sampler. For 'ensemble' and 'bypass', ``sampling_strategy``
        is returned unchanged.
    **kwargs : dict
        Passed to a callable ``sampling_strategy`` after ``y``.

    Returns
    -------
    sampling_strategy_ : OrderedDict
        Sorted by class: the number of samples to generate per targeted class
        for over-samplers, the number to keep for under- and cleaning samplers
        (for cleaning samplers, the minority class's size).

    Raises
    ------
    ValueError
        For an unknown ``sampling_type``, a target with fewer than two
        classes, or a ``sampling_strategy`` that does not fit the target or
        the kind of sampler; the message says what to change.
    """
    if sampling_type not in SAMPLING_KIND:
        raise ValueError(
            f"'sampling_type' should be one of {SAMPLING_KIND}. Got '{sampling_type}' instead."
        )
    classes, counts = np.unique(np.asarray(y), return_counts=True)
    if classes.size <= 1:
        raise ValueError(
            f"The target 'y' needs to have more than 1 class. Got {classes.size} class instead; "
            "check that you passed the label column and not a constant."
        )
    if sampling_type in ("ensemble", "bypass"):
        return sampling_strategy
    if callable(sampling_strategy) and kwargs:
        sampling_strategy = functools.partial(sampling_strategy, **kwargs)
    plan = make_plan(sampling_strategy, classes, counts, sampling_type, y=y)
    return OrderedDict(plan.as_strategy_dict())


class ArraysTransformer:
    """Give arrays back in the kind of container ``X`` and ``y`` came in.

    The kind is recorded with ``isinstance`` checks (a list, a pandas
    DataFrame or Series, a polars DataFrame or Series), with the column names
    and dtypes needed to rebuild it; anything else is returned as it is.

    Parameters
    ----------
    X : object
        The caller's ``X``.
    y : object
        The caller's ``y``.
    """

    def __init__(self, X, y):
        self.x_props = _container_props(X)
        self.y_props = _container_props(y)

    def transform(self, X, y):
        """Rebuild ``X`` and ``y`` (arrays, or sparse ``X``) as the recorded containers.

        Returns
        -------
        X, y : the caller's kinds of containers
            Rows get a fresh ``0..n-1`` index; a pandas ``y`` shares ``X``'s index.
        """
        X = _rebuild(X, self.x_props)
        y = _rebuild(y, self.y_props)
        if self.x_props["kind"] == "pandas-frame" and self.y_props["kind"] in ("pandas-frame",
                                                                             "pandas-series"):
            y.index = X.index
        return X, y


def _container_props(obj) -> dict:
    pd, pl = sys.modules.get("pandas"), sys.modules.get("polars")
    if isinstance(obj, list):
        kind = "list"
    elif pd is not None and isinstance(obj, pd.DataFrame):
        kind = "pandas-frame"
    elif pd is not None and isinstance(obj, pd.Series):
        kind = "pandas-series"
    elif pl is not None and isinstance(obj, pl.DataFrame):
        kind = "polars-frame"
    elif pl is not None and isinstance(obj, pl.Series):
        kind = "polars-series"
    else:
        kind = "other"
    props = {"kind": kind}
    if kind in ("pandas-frame", "polars-frame"):
        props["columns"] = list(obj.columns)
        props["dtypes"] = obj.dtypes if kind == "pandas-frame" else dict(obj.schema)
    elif kind in ("pandas-series", "polars-series"):
        props["name"], props["dtypes"] = obj.name, obj.dtype
    return props


def _rebuild(array, props):
    kind = props["kind"]
    if kind == "list":
        return array.tolist() if hasattr(array, "tolist") else list(array)
    if kind == "pandas-frame":
        return _pandas_frame(array, props)
    if kind == "pandas-series":
        import pandas as pd

        return pd.Series(np.asarray(array), dtype=props["dtypes"], name=props["name"])
    if kind == "polars-frame":
        return _polars_frame(array, props)
    if kind == "polars-series":
        import polars as pl

        return _polars_cast(pl.Series(props["name"], np.asarray(array)), props["dtypes"])
    return array


def _pandas_frame(array, props):
    import pandas as pd

    columns = props["columns"]
    if sparse.issparse(array):
        frame = pd.DataFrame.sparse.from_spmatrix(array, columns=columns)
    else:
        frame = pd.DataFrame(array, columns=columns)
    try:
        return frame.astype(props["dtypes"])
    except (TypeError, ValueError):
        # A column that cannot return to its dtype (e.g. NaN in an integer column,
        # or an all-missing column of another type) keeps the dtype it has.
        for name, dtype in props["dtypes"].items():
            try:
                frame[name] = frame[name].astype(dtype)
            except (TypeError, ValueError):
                pass
        return frame


def _polars_frame(array, props):
    import polars as pl

    if sparse.issparse(array):
        array = array.toarray()
    array = np.asarray(array)
    if array.ndim != 2 or array.shape[1] != len(props["columns"]):
        raise ValueError(
            f"The function returned X of shape {array.shape}, which cannot be rebuilt as a "
            f"polars DataFrame with the {len(props['columns'])} input columns; return one value "
            "per input column, or use validate=False to return any container."
        )
    series = [_polars_cast(pl.Series(name, array[:, j]), props["dtypes"][name])
              for j, name in enumerate(props["columns"])]
    return pl.DataFrame(series)


def _polars_cast(series, dtype):
    """``series`` in ``dtype`` when every value fits exactly, else as it is.

    A non-strict cast would turn values that do not fit (1e20 or 2.6 in an
    integer column) into nulls or truncate them; like the pandas branch, a
    column that cannot return to its dtype keeps the one the function gave it.
    """
    import polars as pl

    try:
        cast = series.cast(dtype, strict=True)
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError, TypeError, ValueError):
        return series
    if series.dtype.is_float() and dtype.is_integer():
        # A strict float -> int cast truncates (2.6 -> 2): only exact integers may return.
        if not (cast.cast(series.dtype) == series).fill_null(True).all():
            return series
    return cast
