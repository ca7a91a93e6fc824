"""Balanced mini-batches for TensorFlow training loops.

:func:`balanced_batch_generator` yields batches of the caller's own arrays
(numpy, scipy sparse, pandas); it needs no TensorFlow to produce them, so this
module imports without it. TensorFlow itself is the optional extra
``pip install "smotekit[tensorflow]"``.
"""

from ._generator import balanced_batch_generator

__all__ = ["balanced_batch_generator"]
