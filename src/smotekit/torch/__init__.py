"""Balanced mini-batches for PyTorch: a batch sampler for ``DataLoader``.

:class:`BalancedBatchSampler` runs a row-selecting sampler (random
under-sampling by default) at the start of every epoch and yields the chosen
rows' indices in batches, for ``DataLoader(dataset, batch_sampler=...)``.

Needs PyTorch: ``pip install "smotekit[torch]"``. Importing this module
without it raises an ``ImportError`` with that hint; ``import smotekit`` never
imports PyTorch.
"""

try:
    import torch as _torch  # noqa: F401  (fail here, with the hint, not deep inside)
except ImportError as exc:
    raise ModuleNotFoundError(
        'smotekit.torch needs PyTorch, which is not installed: pip install "smotekit[torch]"', name="torch"
    ) from exc

from ._sampler import BalancedBatchSampler

__all__ = ["BalancedBatchSampler"]
