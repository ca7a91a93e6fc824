"""A PyTorch batch sampler that re-balances the data set every epoch."""

from __future__ import annotations

import math

import numpy as np
import torch
from sklearn.base import clone
from torch.utils.data import Sampler

from .._batching import check_batch_size, draw_epoch, label_vector, prepare_rows
from ..base import Tags, _reads_values
from ..under_sampling import RandomUnderSampler

__all__ = ["BalancedBatchSampler"]


class BalancedBatchSampler(Sampler[list[int]]):
    """Batches of row indices from a freshly balanced draw of the data, every epoch.

    At the start of each epoch (each ``iter()``), ``sampler`` is run on the
    labels (and ``X`` when it needs the features); the input rows it selects
    are shuffled and cut into batches of ``batch_size`` indices. Give it to a
    ``DataLoader`` as ``batch_sampler``, so the loader fetches exactly these
    rows from your dataset::

        loader = DataLoader(dataset, batch_sampler=BalancedBatchSampler(labels, batch_size=64,
                            generator=torch.Generator().manual_seed(0)))

    With the default random under-sampling, each epoch keeps every minority
    row and a new random subset of the majority, so over the epochs the model
    sees all of the majority class while every epoch is balanced; with
    :class:`~smotekit.over_sampling.RandomOverSampler` the minority rows are
    repeated instead.

    Parameters
    ----------
    y : array-like or Tensor of shape (n_samples,) or (n_samples, n_classes)
        The class of each row of the dataset, in dataset order (e.g.
        ``dataset.tensors[1]`` for a ``TensorDataset``); one-hot targets are
        read as the column holding each row's 1.
    X : array-like, sparse matrix, DataFrame or Tensor of shape (n_samples, n_features), default=None
        The features, for samplers that compute with them (NearMiss, the
        cleaning samplers, ``RandomOverSampler(shrinkage=...)``). Random under-
        and over-sampling only count labels and do not need it.
    sampler : sampler object, default=None
        A sampler that selects input rows, i.e. sets ``sample_indices_``. It is
        cloned for every epoch, and its ``random_state`` (if it has one) is
        replaced by a seed drawn from ``generator``, so that epochs differ and
        the run is reproducible. Default:
        :class:`~smotekit.under_sampling.RandomUnderSampler`.
    batch_size : int, default=32
        Indices per batch.
    drop_last : bool, default=False
        Drop the last batch of an epoch when it is shorter than ``batch_size``.
    stratify : bool, default=False
        Spread every class evenly over the epoch's batches. When the epoch is
        balanced (as the default sampler makes it), every full batch of ``b``
        rows then holds each of the ``k`` classes ``b // k`` or ``b // k + 1``
        times; otherwise each class is within two rows of its epoch share. By
        default batches are a plain shuffle, balanced on average only, which
        is enough for large batches; small batches benefit from ``stratify=True``.
    generator : torch.Generator, default=None
        Source of every epoch's seed. ``None`` draws from PyTorch's global
        generator, as ``RandomSampler`` does, so ``torch.manual_seed`` makes the
        run reproducible.

    Attributes
    ----------
    sampler_ : sampler object
        The sampler fitted for the epoch being (or last) iterated.
    indices_ : ndarray of int
        Row indices of the epoch being (or last) iterated, in batch order.

    Notes
    -----
    Reproducibility: epoch ``e`` depends only on the seed state of
    ``generator`` (or of the global generator) when the sampler was made and on
    the ``e`` epochs drawn before it; two samplers built alike with equally
    seeded generators yield the same batches, epoch after epoch.

    ``len()`` is the number of batches of the coming epoch. Samplers whose
    output size depends on the data (the cleaning samplers) may give epochs of
    different lengths, so the coming epoch is drawn when ``len()`` is asked and
    then served by the next ``iter()``; the seed sequence is the same either way.

    Multi-process data loading (``num_workers > 0``) needs nothing more: a
    batch sampler runs in the main process. It does not split batches across
    processes for distributed training.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from smotekit.torch import BalancedBatchSampler
    >>> X = torch.randn(100, 3)
    >>> y = torch.cat([torch.zeros(90), torch.ones(10)]).long()
    >>> batches = BalancedBatchSampler(y, batch_size=4, stratify=True,
    ...                                generator=torch.Generator().manual_seed(0))
    >>> loader = DataLoader(TensorDataset(X, y), batch_sampler=batches)
    >>> len(loader)
    5
    >>> [int(y_batch.sum()) for _, y_batch in loader]
    [2, 2, 2, 2, 2]
    """

    def __init__(self, y, *, X=None, sampler=None, batch_size=32, drop_last=False, stratify=False,
                 generator=None):
        super().__init__()
        self.batch_size = check_batch_size(batch_size)
        for name, value in (("drop_last", drop_last), ("stratify", stratify)):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {value!r}.")
        if generator is not None and not isinstance(generator, torch.Generator):
            raise TypeError(
                f"generator must be a torch.Generator or None, got {type(generator).__name__}; "
                "for a seed, pass torch.Generator().manual_seed(seed)."
            )
        self.y = y
        self.X = X
        self.sampler = sampler
        self.drop_last = bool(drop_last)
        self.stratify = bool(stratify)
        self.generator = generator
        self._y = prepare_rows(y)
        n_rows = len(self._y)
        if X is None:
            if sampler is not None and _needs_features(sampler):
                raise ValueError(
                    f"{type(sampler).__name__} computes with the features: pass them as "
                    "BalancedBatchSampler(y, X=features, ...)."
                )
            # Only the labels matter to the sampler: a read-only column of zeros (no memory) stands in.
            self._X = np.broadcast_to(np.float32(0), (n_rows, 1))
        else:
            self._X = prepare_rows(X)
        self._codes = None
        self._pending = None

    def _draw(self):
        """The fitted sampler and the row indices of one epoch, in batch order."""
        seed = int(torch.empty((), dtype=torch.int64).random_(generator=self.generator).item())
        rng = np.random.default_rng(seed)
        sampler_seed = int(rng.integers(2**31 - 1))  # an int: any sampler's random_state takes it
        sampler = RandomUnderSampler() if self.sampler is None else clone(self.sampler)
        if "random_state" in sampler.get_params(deep=False):
            sampler.set_params(random_state=sampler_seed)
        fitted, indices = draw_epoch(self._X, self._y, sampler, rng)
        if self.stratify:
            indices = self._interleave(indices, rng)
        return fitted, indices

    def _interleave(self, indices, rng):
        """Reorder ``indices`` so that every class is spread evenly along the epoch.

        Each row gets the key ``(rank within its class + offset of its class) / class
        size``; sorting by it places the rows of a class of ``n_c`` rows once every
        ``N / n_c`` positions, so a batch of ``b`` rows holds about ``b * n_c / N``
        of them; classes of equal size come in the same order in every round, so
        their counts per batch differ by at most one. The random offset per class
        keeps the first batch from always starting with the same class.
        """
        if self._codes is None:
            self._codes = np.unique(np.asarray(label_vector(self._y)), return_inverse=True)[1].ravel()
        codes = self._codes[indices]
        sizes = np.bincount(codes)
        by_class = np.argsort(codes, kind="stable")
        rank = np.empty(indices.size)
        rank[by_class] = np.arange(indices.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        offset = rng.random(sizes.size)
        key = (rank + offset[codes]) / sizes[codes]
        return indices[np.argsort(key, kind="stable")]

    def _n_batches(self, n_rows: int) -> int:
        return n_rows // self.batch_size if self.drop_last else math.ceil(n_rows / self.batch_size)

    def __len__(self) -> int:
        if self._pending is None:
            self._pending = self._draw()
        return self._n_batches(self._pending[1].size)

    def __iter__(self):
        self.sampler_, indices = self._draw() if self._pending is None else self._pending
        self.indices_ = indices
        self._pending = None
        for b in range(self._n_batches(indices.size)):
            yield indices[b * self.batch_size: (b + 1) * self.batch_size].tolist()


def _needs_features(sampler) -> bool:
    """Whether the sampler computes with ``X`` (samplers without smotekit's tags are assumed to)."""
    try:
        tags = sampler.__sklearn_tags__()
    except (AttributeError, TypeError):  # a duck-typed sampler, not an estimator
        return True
    # smotekit's tags mark a sampler that only selects rows as taking strings it does not
    # treat as categories. imbalanced-learn's cannot say so (SMOTENC takes strings with
    # the categorical tag unset), so its samplers, like unknown ones, get the features.
    if not isinstance(tags, Tags):
        return True
    return _reads_values(tags)
