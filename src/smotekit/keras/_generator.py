"""imbalanced-learn's Keras batch generators: a ``PyDataset`` and a plain generator."""

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
from ..tensorflow import balanced_batch_generator as _generator

__all__ = ["BalancedBatchGenerator", "balanced_batch_generator"]

_HINT = 'smotekit.keras needs Keras, which is not installed: pip install "smotekit[keras]"'


def _dataset_base():
    """The class Keras trains from: ``PyDataset`` (Keras 3) or ``Sequence`` (Keras 2)."""
    try:
        import keras
    except ImportError as exc:
        if exc.name not in (None, "keras"):
            # Keras is there, but the backend it was told to use (TensorFlow by default) is not.
            # ModuleNotFoundError naming that backend, as for any missing optional dependency.
            raise ModuleNotFoundError(
                f"Keras is installed but cannot load its backend ({exc}). Install one and name it in "
                "the KERAS_BACKEND environment variable before importing, e.g. pip install torch and "
                "KERAS_BACKEND=torch.",
                name=exc.name,
            ) from exc
        try:  # TensorFlow before 2.16 ships Keras 2 as tf.keras only.
            from tensorflow import keras
        except ImportError as tf_exc:
            raise ModuleNotFoundError(_HINT, name="keras") from tf_exc
    base = getattr(keras.utils, "PyDataset", None) or getattr(keras.utils, "Sequence", None)
    if base is None:
        raise ImportError(f"Keras {keras.__version__} has neither utils.PyDataset nor utils.Sequence; "
                          'upgrade it: pip install "smotekit[keras]"')
    return base


_Base = _dataset_base()


class BalancedBatchGenerator(_Base):
    """A Keras dataset of balanced mini-batches, to pass to ``model.fit``.

    The sampler runs once, when the object is made; the rows it selects are
    shuffled and cut into ``len(self)`` batches of ``batch_size`` rows (a final
    partial batch is left out). Every epoch goes over the same batches; Keras
    decides their order (``fit(..., shuffle=...)``).

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        The imbalanced data set.
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        Labels, or one-hot targets (the sampler then sees each row's class).
    sample_weight : array-like of shape (n_samples,), default=None
        When given, batches are ``(X, y, sample_weight)`` triples.
    sampler : sampler object, default=None
        A sampler that selects input rows, i.e. sets ``sample_indices_``
        (RandomUnderSampler, RandomOverSampler, NearMiss, the cleaning
        samplers...). It is cloned, not fitted in place. Default: a
        :class:`~smotekit.under_sampling.RandomUnderSampler` seeded from
        ``random_state``.
    batch_size : int, default=32
        Rows per batch.
    keep_sparse : bool, default=False
        Keep sparse ``X`` batches sparse; by default they are made dense.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the shuffle of the selected rows and the default sampler. A
        sampler you pass keeps its own ``random_state``.

    Attributes
    ----------
    sampler_ : sampler object
        The fitted clone of ``sampler``.
    indices_ : ndarray of int
        Input rows of the epoch, in batch order.

    Raises
    ------
    ValueError
        If the sampler does not select rows, or ``batch_size`` is not a positive
        integer or exceeds the number of selected rows.

    See Also
    --------
    smotekit.torch.BalancedBatchSampler : the same for PyTorch, re-drawn every epoch.

    Examples
    --------
    >>> import keras
    >>> import numpy as np
    >>> from smotekit.keras import BalancedBatchGenerator
    >>> X = np.random.default_rng(0).normal(size=(100, 2)).astype("float32")
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> model.compile(optimizer="sgd", loss="binary_crossentropy")
    >>> batches = BalancedBatchGenerator(X, y, batch_size=5, random_state=0)
    >>> len(batches)
    4
    >>> history = model.fit(batches, epochs=2, verbose=0)
    """

    #: Tells Keras 2 to treat the object as a Sequence.
    use_sequence_api = True

    def __init__(
        self,
        X,
        y,
        *,
        sample_weight=None,
        sampler=None,
        batch_size=32,
        keep_sparse=False,
        random_state=None,
    ):
        super().__init__()  # Keras 3 keeps its worker settings there.
        self.X = X
        self.y = y
        self.sample_weight = sample_weight
        self.sampler = sampler
        self.batch_size = batch_size
        self.keep_sparse = keep_sparse
        self.random_state = random_state
        self._sample()

    def _sample(self):
        self._batch_size = check_batch_size(self.batch_size)
        rng = resolve_random_state(self.random_state)
        self._X, self._y = prepare_rows(self.X), prepare_rows(self.y)
        self._weights = prepare_rows(self.sample_weight)
        self.sampler_, self.indices_ = draw_epoch(self._X, self._y, self.sampler, rng)
        check_epoch_size(self.indices_, self._batch_size)

    def __len__(self):
        return self.indices_.size // self._batch_size

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"batch index {index} out of range for {len(self)} batches.")
        index %= len(self)
        rows = self.indices_[index * self._batch_size: (index + 1) * self._batch_size]
        X_batch = take_rows(self._X, rows)
        if sparse.issparse(X_batch) and not self.keep_sparse:
            X_batch = X_batch.toarray()
        if self._weights is None:
            return X_batch, take_rows(self._y, rows)
        return X_batch, take_rows(self._y, rows), take_rows(self._weights, rows)


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
    """Balanced mini-batches for ``model.fit``, and the number of steps per epoch.

    The same as :func:`smotekit.tensorflow.balanced_batch_generator` (see there
    for the parameters); pass both results to ``fit``::

        batches, steps = balanced_batch_generator(X, y, batch_size=10, random_state=0)
        model.fit(batches, steps_per_epoch=steps, epochs=10)

    Returns
    -------
    generator : generator of tuple
        Yields ``(X_batch, y_batch)``, or ``(X_batch, y_batch, sample_weight_batch)``.
    steps_per_epoch : int
        Number of whole batches in the selected rows.
    """
    return _generator(X, y, sample_weight=sample_weight, sampler=sampler, batch_size=batch_size,
                      keep_sparse=keep_sparse, random_state=random_state)
