"""Balanced mini-batches for Keras ``fit``.

Needs Keras (3, on any backend, or the ``tf.keras`` of an older TensorFlow):
``pip install "smotekit[keras]"``, plus a backend such as PyTorch or
TensorFlow. Importing this module without Keras raises an ``ImportError``
with that hint; ``import smotekit`` never imports Keras.
"""

from ._generator import BalancedBatchGenerator, balanced_batch_generator

__all__ = ["BalancedBatchGenerator", "balanced_batch_generator"]
