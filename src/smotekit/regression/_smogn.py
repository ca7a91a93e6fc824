"""SMOGN: Branco, Torgo & Ribeiro (2017), PMLR 74:36-50."""

from __future__ import annotations

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions

from .._docstring import Substitution
from .._generation import Piece, Values
from ._kernels import check_bin_size, smogn_rows
from ._smoter import _GeneratingSampler
from .base import _DOCS

__all__ = ["SMOGN"]


@Substitution(**_DOCS)
class SMOGN(_GeneratingSampler):
    """SMOTER where the neighbour is near, Gaussian noise where it is far (SMOGN).

    The target is split into relevance bins (see
    :func:`~smotekit.regression.relevance_bins`); each bin is brought to the
    size ``sampling_strategy`` asks for: a bin that shrinks keeps rows drawn
    uniformly without replacement, a bin that grows gets new rows. A new row
    starts from a seed row of its bin and one of its ``k_neighbors`` nearest
    rows of the bin (drawn uniformly). The seed's safe distance is half the
    median of its distances to its ``k_neighbors`` neighbours. A neighbour
    strictly closer than that gives a SMOTER row (on the segment between the
    two, the target weighted by distance, see :class:`SMOTER`); a farther one
    gives a Gaussian-noise row grown from the seed (see :class:`GaussianNoise`)
    with perturbation ``min(safe distance, perturbation)``.

    Parameters
    ----------
    k_neighbors : int, default=5
        Neighbours of each row within its bin among which the partner is drawn.
        A bin that grows must hold at least ``k_neighbors + 1`` rows.
    perturbation : float >= 0, default=0.02
        Largest noise of the noise rows, as a fraction of each column's
        standard deviation within the bin (capped per seed by its safe
        distance).
    safe_distance : {{'neighbors', 'bin'}}, default='neighbors'
        Half the median of the seed's distances to its ``k_neighbors``
        neighbours ('neighbors'), or to every row of its bin, itself included
        ('bin': the rule of UBL's ``SMOGNRegress`` and of smogn, under which
        most neighbours are near; it compares every pair of a growing bin's
        rows, in time quadratic in the bin's size, memory linear). Under
        'neighbors' with ``k_neighbors=1`` no neighbour is ever near (its
        distance is twice the safe distance): every row comes from noise.
    {categorical_features}
    {sampling_strategy}
    {relevance}
    {threshold}
    {random_state}

    Attributes
    ----------
    {fitted_bins}
    provenance_ : Provenance
        The origin of every output row. A SMOTER row has its seed as ``source``,
        its neighbour as ``partner`` and its position between them as ``gap``;
        a noise row has its seed as ``source``, ``partner`` -1 and ``gap`` NaN.
    {categorical_features_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    The two generators are :class:`SMOTER`'s and :class:`GaussianNoise`'s, with
    their choices: HEOM distances on the features (continuous columns divided
    by their range within the bin, nominal columns 0 or 1), so the safe
    distance and ``perturbation`` compare numbers of the same scale; nominal
    values of SMOTER rows from either parent, of noise rows from the bin's
    frequencies; standard deviations with ``ddof=1`` over the bin; seeds spread
    as UBL and smogn spread them. Every random number a row could use is drawn
    for every row (the neighbour, the position, the picks of nominal values,
    the noise), so a row's draws do not depend on which path the others took.

    The safe distance: "half the median of the distances" of the seed; taken
    here, by default, over its ``k`` neighbours (our reading of the paper;
    themis does the same), while UBL's ``SMOGNRegress`` and smogn take it over
    every row of the bin, the seed's own distance 0 included
    (``safe_distance='bin'``). Under the default, a neighbour is near only when
    it is less than half as far as the seed's median neighbour, so most rows
    come from noise; under 'bin', most come from SMOTER.

    Differences with the references: UBL's ``SMOGNRegress`` ignores its
    ``pert`` argument (its noise uses 0.02 whatever is passed; its default
    0.01 is unused); smogn uses its ``pert`` (default 0.02), as here. smogn's
    noise uses the population standard deviation (``ddof=0``), its noise rows
    copy the bin's first nominal value whatever the bin holds, and it shares
    SMOTER's errors (target of rows at equal distances, distances from the
    last column only, the target among the search features, unscaled numeric
    distances, negative values clipped to 0): none of these here. A bin too
    small for ``k_neighbors`` is a ``ValueError`` (neither reference lowers
    ``k``).

    References
    ----------
    .. [1] Branco, P., Torgo, L. & Ribeiro, R. P. (2017). SMOGN: a pre-processing approach for
       imbalanced regression. Proceedings of Machine Learning Research, 74, 36-50.
    .. [2] Torgo, L., Ribeiro, R. P., Pfahringer, B. & Branco, P. (2013). SMOTE for regression.
       Progress in Artificial Intelligence (EPIA 2013), LNCS 8154, 378-389.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression._smogn import SMOGN
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=200))
    >>> sampler = SMOGN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape == (sum(sampler.sampling_strategy_.values()), 3)
    True
    """

    _parameter_constraints: dict = {
        **_GeneratingSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "perturbation": [Interval(Real, 0, None, closed="left")],
        "safe_distance": [StrOptions({"neighbors", "bin"})],
    }

    def __init__(self, *, k_neighbors=5, perturbation=0.02, safe_distance="neighbors", categorical_features="auto",
                 sampling_strategy="balance", relevance=None, threshold=0.5, random_state=None):
        self.k_neighbors = k_neighbors
        self.perturbation = perturbation
        self.safe_distance = safe_distance
        self.categorical_features = categorical_features
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        k = int(self.k_neighbors)
        check_bin_size(k, y[rows], type(self).__name__)
        values, codes = self._bin(X, rows)
        new = smogn_rows(values, codes, y[rows], k, n_add, float(self.perturbation), rng, self.safe_distance)
        # Noise rows keep partner -1: only SMOTER rows name an input row as partner.
        partner = rows[new.partners]
        partner[new.partners < 0] = -1
        block = self._block(X, Values(new.values), new.codes, n_add)
        return Piece(rows[new.seeds], block, partner, new.gaps), new.y
