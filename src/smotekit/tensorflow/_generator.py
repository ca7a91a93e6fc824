"""A never-ending generator of balanced mini-batches (imbalanced-learn's TensorFlow API)."""

from __future__ import annotations

from scipy import sparse

from .._batching import (
    check_batch_size,
    check_epoch_size,
    draw_epoch,
    prepare_rows,
    resolve_random_state,
    take_rows,
)

__all__ = ["balanced_batch_generator"]


def balanced_batch_generator(
    X,
    y,
    *,
    sample_weight=None,
    sampler=None,
    batch_size=32,
    keep_sparse=False,
    random_state=None,
):
    """Balanced mini-batches for a training loop, and the number of steps per epoch.

    The sampler runs once on the whole data set; the rows it selects are
    shuffled and cut into consecutive batches, which the generator yields
    round and round for as long as it is asked.

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        The imbalanced data set. Batches are rows of ``X`` in its own kind of
        container (pandas batches keep their index labels).
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        Labels, or one-hot targets (the sampler then sees each row's class).
    sample_weight : array-like of shape (n_samples,), default=None
        When given, batches are ``(X, y, sample_weight)`` triples.
    sampler : sampler object, default=None
        A sampler that selects input rows, i.e. sets ``sample_indices_``
        (:class:`~smotekit.under_sampling.RandomUnderSampler`,
        :class:`~smotekit.over_sampling.RandomOverSampler`, NearMiss, the
        cleaning samplers...). It is cloned, not fitted in place. Default: a
        ``RandomUnderSampler`` seeded from ``random_state``.
    batch_size : int, default=32
        Rows per batch.
    keep_sparse : bool, default=False
        Keep sparse ``X`` batches sparse; by default they are made dense.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the shuffle of the selected rows and the default sampler. A
        sampler you pass keeps its own ``random_state``.

    Returns
    -------
    generator : generator of tuple
        Yields ``(X_batch, y_batch)``, or ``(X_batch, y_batch, sample_weight_batch)``;
        the last batch of each pass is shorter when the selected rows do not
        divide by ``batch_size``.
    steps_per_epoch : int
        Number of whole batches in the selected rows (``n_selected // batch_size``).

    Raises
    ------
    ValueError
        If the sampler does not select rows, or ``batch_size`` is not a positive
        integer or exceeds the number of selected rows.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.tensorflow import balanced_batch_generator
    >>> X = np.arange(200, dtype=np.float32).reshape(100, 2)
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> batches, steps = balanced_batch_generator(X, y, batch_size=5, random_state=0)
    >>> steps
    4
    >>> X_batch, y_batch = next(batches)
    >>> X_batch.shape
    (5, 2)
    """
    batch_size = check_batch_size(batch_size)
    rng = resolve_random_state(random_state)
    X, y, sample_weight = prepare_rows(X), prepare_rows(y), prepare_rows(sample_weight)
    _, indices = draw_epoch(X, y, sampler, rng)
    check_epoch_size(indices, batch_size)
    densify = sparse.issparse(X) and not keep_sparse
    return _batches(X, y, sample_weight, indices, batch_size, densify), indices.size // batch_size


def _batches(X, y, sample_weight, indices, batch_size, densify):
    while True:
        for start in range(0, indices.size, batch_size):
            rows = indices[start: start + batch_size]
            X_batch = take_rows(X, rows)
            if densify:
                X_batch = X_batch.toarray()
            if sample_weight is None:
                yield X_batch, take_rows(y, rows)
            else:
                yield X_batch, take_rows(y, rows), take_rows(sample_weight, rows)
