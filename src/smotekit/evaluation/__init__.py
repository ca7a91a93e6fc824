"""Evaluation helpers: probabilities that survive resampling, and their calibration.

A sampler changes the class priors a model learns from, so the model's
probabilities describe the resampled data, not the data it will score.
:class:`PriorCorrectedClassifier` undoes that change from what the fitted
samplers record; :func:`expected_calibration_error` measures what is left.
"""

from ._prior import PriorCorrectedClassifier, expected_calibration_error

__all__ = ["PriorCorrectedClassifier", "expected_calibration_error"]
