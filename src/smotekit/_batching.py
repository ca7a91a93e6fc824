"""Framework-free core of the batch generators (Keras, TensorFlow, PyTorch).

A balanced epoch is a row-selecting sampler run on the whole data set: its
``sample_indices_`` say which input rows (possibly repeated) make the epoch,
and a shuffle spreads the classes over the batches. The batches themselves
are rows of the caller's own containers, cut out with :func:`take_rows`, so
nothing here imports a deep-learning framework.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.utils import check_random_state

from ._constraints import is_int
from .under_sampling import RandomUnderSampler

__all__ = ["check_batch_size", "check_epoch_size", "draw_epoch", "label_vector", "prepare_rows",
           "resolve_random_state", "take_rows"]

#: Sparse formats that support row indexing; others are converted to CSR once.
_ROW_INDEXABLE = ("csr", "csc", "lil", "dok")


def check_batch_size(batch_size) -> int:
    """``batch_size`` as an int, or a ``ValueError`` that says what is expected."""
    if not is_int(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    return int(batch_size)


def check_epoch_size(indices: np.ndarray, batch_size: int) -> None:
    """Refuse an epoch without a single whole batch (Keras would train on nothing)."""
    if indices.size < batch_size:
        raise ValueError(
            f"batch_size={batch_size} is larger than the {indices.size} rows the sampler selected, "
            "so an epoch would hold no batch; lower batch_size."
        )


def prepare_rows(data):
    """``data`` in a form :func:`take_rows` can index, without copying arrays.

    Lists become arrays (a batch of a list would otherwise be a list, which no
    framework accepts), sparse matrices without row indexing become CSR, and
    CPU tensors are viewed as numpy arrays. Other containers pass unchanged.
    """
    if data is None:
        return None
    if sparse.issparse(data):
        return data if data.format in _ROW_INDEXABLE else data.tocsr()
    if isinstance(data, (list, tuple)):
        return np.asarray(data)
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(data, torch.Tensor):
        return data.detach().cpu().numpy()
    return data


def take_rows(data, rows: np.ndarray):
    """The rows ``rows`` of ``data``, in ``data``'s own kind of container.

    pandas objects keep their index labels (a batch is a view of the input,
    not a new data set); polars frames and series, numpy arrays and sparse
    matrices are indexed by position.
    """
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, (pd.DataFrame, pd.Series)):
        return data.iloc[rows]
    return data[rows]


def label_vector(y):
    """One label per row, as the samplers expect.

    Keras models are usually trained on one-hot targets; a one-hot (indicator)
    matrix is turned into the column index of each row's 1. Anything else is
    returned unchanged, for the sampler to validate.
    """
    if sparse.issparse(y):
        y = y.toarray()
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(y, pd.DataFrame):
        y = y.to_numpy()
    if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape[1] > 1:
        is_binary = np.isin(y, (0, 1)).all()
        if is_binary and (y.sum(axis=1) == 1).all():
            return y.argmax(axis=1)
        raise ValueError(
            f"y has shape {y.shape} but is not one-hot (each row must hold a single 1). Pass "
            "one label per row, or a one-hot matrix such as keras.utils.to_categorical(labels)."
        )
    return y


def resolve_random_state(random_state):
    """A ``RandomState`` or ``Generator`` to draw from, as scikit-learn resolves seeds."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    return check_random_state(random_state)


def draw_epoch(X, y, sampler, rng):
    """Run ``sampler`` and return ``(sampler_, indices)``.

    ``sampler`` is cloned, never fitted in place; None means a
    :class:`~smotekit.under_sampling.RandomUnderSampler` drawing from ``rng``.
    ``indices`` are its ``sample_indices_`` as a fresh ``intp`` array, shuffled
    with ``rng`` (samplers return rows grouped by class, which would make every
    batch single-class).
    """
    sampler_ = RandomUnderSampler(random_state=rng) if sampler is None else clone(sampler)
    # A smotekit sampler class that never selects rows says so as data: spare the fit.
    # Read on the class, not from the tags' sample_indices: those describe the instance
    # before fitting, and ClusterCentroids (a property) decides after it (voting='auto'
    # resolves on the data), so anything but a plain False is fitted first.
    if inspect.getattr_static(type(sampler_), "_selects_rows", True) is False:
        _fail_no_indices(sampler_)
    sampler_.fit_resample(X, label_vector(y))
    if not hasattr(sampler_, "sample_indices_"):
        _fail_no_indices(sampler_)
    indices = np.array(sampler_.sample_indices_, dtype=np.intp)  # a copy: sampler_ keeps its own
    rng.shuffle(indices)
    return sampler_, indices


def _fail_no_indices(sampler):
    raise ValueError(
        f"'sampler' needs to have an attribute 'sample_indices_', and {type(sampler).__name__} "
        "does not: batches are rows of the input, so the sampler must select rows rather than "
        "generate them. Use e.g. RandomUnderSampler, RandomOverSampler, "
        "NearMiss or a cleaning sampler such as TomekLinks."
    )
