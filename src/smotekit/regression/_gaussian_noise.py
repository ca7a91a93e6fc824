"""Gaussian noise for regression: Branco, Torgo & Ribeiro (2016); UBL's GaussNoiseRegress."""

from __future__ import annotations

import logging
from numbers import Real

from sklearn.utils._param_validation import Interval

from .._docstring import Substitution
from .._generation import Piece, Values
from ._kernels import gaussian_rows
from ._smoter import _GeneratingSampler
from .base import _DOCS

__all__ = ["GaussianNoise"]

_log = logging.getLogger(__name__)


@Substitution(**_DOCS)
class GaussianNoise(_GeneratingSampler):
    """Over-sample the rare relevance bins with noisy copies of their rows (GN).

    The target is split into relevance bins (see
    :func:`~smotekit.regression.relevance_bins`); each bin is brought to the
    size ``sampling_strategy`` asks for: a bin that shrinks keeps rows drawn
    uniformly without replacement, a bin that grows gets new rows. A new row
    grows from a seed row of its bin: every continuous feature and the target
    receive independent Gaussian noise whose standard deviation is
    ``perturbation`` times the column's standard deviation over the bin's
    rows, and every nominal feature takes a value drawn with the frequencies
    of the column's values in the bin.

    Parameters
    ----------
    perturbation : float >= 0, default=0.1
        The noise's standard deviation as a fraction of each column's standard
        deviation within the bin (UBL's ``pert``); 0 gives copies.
    {categorical_features}
    {sampling_strategy}
    {relevance}
    {threshold}
    {random_state}

    Attributes
    ----------
    {fitted_bins}
    provenance_ : Provenance
        The origin of every output row: a new row's ``source`` is its seed;
        its ``partner`` is -1 and its ``gap`` NaN (it is not on a segment).
    {categorical_features_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    As UBL's ``GaussNoiseRegress`` (the method's reference implementation,
    by the survey's authors; the noise scheme is Lee's (1999, 2000) noisy
    replication): the standard deviations are R's ``sd`` (``ddof=1``) over the
    rows of the seed's bin, the target is perturbed like the features, and a
    nominal value is drawn from the bin's frequencies, independently of the
    seed's own value (so it keeps the seed's value only as often as that value
    is frequent in the bin). Seeds are spread over the bin as UBL does (each
    row ``n_add // n`` times, then ``n_add % n`` distinct rows drawn at
    random); ``perturbation`` defaults to UBL's 0.1.

    Differences: a bin of one row has no standard deviation (R's ``sd`` gives
    ``NA``, and UBL NaN rows); here its new rows are copies of it, logged as a
    warning. UBL's ``GaussNoiseRegress`` counts a value as rare when its
    relevance exceeds the threshold (``>``) and rounds its 'extreme' factors to
    4 decimals; here the bins are :func:`~smotekit.regression.relevance_bins`'s
    (``>=``, as UBL's ``SmoteRegress`` and smogn) and 'extreme' is their
    formula (1 decimal). The noise is unbounded: new values may leave the
    observed range (a negative count, say); integer columns and an integer
    target are rounded and kept within their dtype's range only.

    References
    ----------
    .. [1] Branco, P., Torgo, L. & Ribeiro, R. P. (2016). A survey of predictive modeling on
       imbalanced domains. ACM Computing Surveys, 49(2), 31:1-31:50.
    .. [2] Lee, S. S. (2000). Noisy replication in skewed binary classification. Computational
       Statistics & Data Analysis, 34(2), 165-191.
    .. [3] Branco, P., Torgo, L. & Ribeiro, R. P. (2019). Pre-processing approaches for
       imbalanced distributions in regression. Neurocomputing, 343, 76-99.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression._gaussian_noise import GaussianNoise
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=200))
    >>> sampler = GaussianNoise(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> bool((sampler.provenance_.partner[sampler.provenance_.is_synthetic] == -1).all())
    True
    """

    _parameter_constraints: dict = {
        **_GeneratingSampler._parameter_constraints,
        "perturbation": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, perturbation=0.1, categorical_features="auto", sampling_strategy="balance",
                 relevance=None, threshold=0.5, random_state=None):
        self.perturbation = perturbation
        self.categorical_features = categorical_features
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        if rows.size == 1:
            _log.warning("GaussianNoise: the relevance bin with y = %.6g has one row, hence no spread: its %d new "
                         "rows are copies of it.", y[rows[0]], n_add)
        values, codes = self._bin(X, rows)
        new = gaussian_rows(values, codes, y[rows], n_add, float(self.perturbation), rng)
        return Piece.grown(rows[new.seeds], self._block(X, Values(new.values), new.codes, n_add)), new.y
