"""Should this data be resampled? Compare the options honestly, and keep probabilities calibrated.

:func:`compare` cross-validates a model on the same folds as it is, with
class weights, with a tuned decision threshold, calibrated, after each
resampler (inside the training folds only), with the balanced ensembles and
with resampling followed by a tuned threshold or a prior correction; it tests
every option against a baseline (:func:`corrected_ttest`, Holm-adjusted) and
words a verdict no stronger than the tests allow. :func:`compare_datasets`
adds ranks across data sets (:func:`friedman_test`).

A sampler changes the class priors a model learns from, so the model's
probabilities describe the resampled data, not the data it will score.
:class:`PriorCorrectedClassifier` undoes that change from what the fitted
samplers record; :func:`expected_calibration_error` measures what is left.
"""

from ._compare import compare, compare_datasets, make_cv
from ._leak import check_not_resampled
from ._prior import PriorCorrectedClassifier, expected_calibration_error
from ._report import write_html
from ._result import Comparison, Difference, MultiComparison
from ._scores import METRICS, Metric, parse_metrics
from ._stats import FriedmanResult, PairedTest, corrected_ttest, friedman_test, holm

__all__ = [
    "METRICS",
    "Comparison",
    "Difference",
    "FriedmanResult",
    "Metric",
    "MultiComparison",
    "PairedTest",
    "PriorCorrectedClassifier",
    "check_not_resampled",
    "compare",
    "compare_datasets",
    "corrected_ttest",
    "expected_calibration_error",
    "friedman_test",
    "holm",
    "make_cv",
    "parse_metrics",
    "write_html",
]
