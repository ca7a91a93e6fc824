"""SMOTER: Torgo, Ribeiro, Pfahringer & Branco (2013); Torgo, Branco, Ribeiro & Pfahringer (2015)."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import refuse_bools
from .._docstring import Substitution
from .._generation import MixedBlock, Piece, Segments
from ..base import _non_numeric
from ..over_sampling._nominal import _column_positions
from ..over_sampling._nominal_table import Mixed, read_mixed
from ..utils._containers import NonNumericError
from ._kernels import check_bin_size, smoter_rows
from .base import _DOCS, BaseRegressionSampler

__all__ = ["SMOTER"]


class _GeneratingSampler(BaseRegressionSampler):
    """What SMOTER, GaussianNoise and SMOGN share: reading tables with nominal
    columns, a bin's arrays, and the blocks of the new rows."""

    _over = True
    _under = True
    # Interpolation and noise make every cell of a new row dense.
    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseRegressionSampler._parameter_constraints,
        "categorical_features": [None, "array-like", StrOptions({"auto"})],
    }

    def _read_X(self, X):
        if self.categorical_features is not None:
            return read_mixed(X, self._nominal_columns, accept_sparse=False)
        try:
            return super()._read_X(X)
        except NonNumericError as exc:
            raise _non_numeric(exc, "With categorical_features=None every column is continuous: list these "
                                    "columns in categorical_features (or leave it 'auto'), encode them as "
                                    "numbers, or drop them.") from None

    def _nominal_columns(self, n_cols, columns, dtype_mask):
        spec = self.categorical_features
        if isinstance(spec, str) and spec == "auto":
            return np.flatnonzero(dtype_mask)
        return _column_positions(spec, n_cols, columns)

    def _check_params(self, table, target):
        refuse_bools(self, *[name for name in ("k_neighbors", "perturbation") if hasattr(self, name)])
        nominal = table.mixed.nominal if table.mixed is not None else np.empty(0)
        self.categorical_features_ = np.asarray(nominal, dtype=np.int64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Nominal columns (strings, categories) are read unless categorical_features=None.
        tags.input_tags.string = tags.input_tags.categorical = self.categorical_features is not None
        return tags

    @staticmethod
    def _bin(X, rows):
        """The bin's continuous values and nominal codes (None without nominal columns)."""
        if isinstance(X, Mixed):
            return X.values[rows], (X.codes[rows] if X.nominal.size else None)
        return np.asarray(X)[rows], None

    @staticmethod
    def _block(X, continuous, codes, n_rows):
        """The block of the new rows: ``continuous`` (a block or None) with their nominal codes."""
        if not isinstance(X, Mixed):
            return continuous
        if codes is None:
            codes = np.empty((n_rows, 0), dtype=np.int32)
        return MixedBlock(continuous if X.continuous.size else None, codes)


@Substitution(**_DOCS)
class SMOTER(_GeneratingSampler):
    """SMOTE for regression: new rows of the rare relevance bins interpolated between
    a row and one of its nearest rows of the same bin, with a distance-weighted target.

    The target is split into relevance bins (see
    :func:`~smotekit.regression.relevance_bins`); each bin is brought to the
    size ``sampling_strategy`` asks for: a bin that shrinks keeps rows drawn
    uniformly without replacement, a bin that grows gets new rows. A new row
    starts from a seed row of the bin and one of its ``k_neighbors`` nearest
    rows of the same bin (the partner, drawn uniformly); its continuous
    features lie on the segment seed -> partner at a uniform random position
    (one per row), each nominal feature takes the seed's or the partner's value
    (probability 1/2 each), and its target is the parents' targets weighted by
    the distance of the new row to the other parent,
    ``(d2 * y_seed + d1 * y_partner) / (d1 + d2)``, ``d1`` and ``d2`` its
    distances to the seed and to the partner (the mean when both are 0).

    Parameters
    ----------
    k_neighbors : int, default=5
        Neighbours of each row within its bin among which the partner is drawn.
        A bin that grows must hold at least ``k_neighbors + 1`` rows.
    {categorical_features}
    {sampling_strategy}
    {relevance}
    {threshold}
    {random_state}

    Attributes
    ----------
    {fitted_bins}
    provenance_ : Provenance
        The origin of every output row: for a new row, ``source`` is its seed,
        ``partner`` its partner and ``gap`` its position on the segment between
        them (of the continuous columns, for tables with nominal ones).
    {categorical_features_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    As the authors' code (UBL's ``SmoteRegress``): the partner is searched
    among the rows of the seed's bin, on the features (not the target); the
    seeds are spread over the bin as UBL and smogn spread them (each row
    ``n_add // n`` times, then ``n_add % n`` distinct rows drawn at random);
    one uniform position per new row puts it on the segment; nominal values
    come from either parent with probability 1/2, column by column.

    Distances are HEOM (Wilson & Martinez 1997), UBL's ``dist='HEOM'`` and the
    scaling of Torgo's R code for SMOTE (DMwR): per continuous column the
    difference divided by the column's range within the bin, per nominal
    column 0 or 1, as a Euclidean norm; on numeric data, the Euclidean
    distance of range-scaled columns (UBL's default, ``'Euclidean'``, leaves
    them unscaled). The scaling only decides which rows are neighbours: on
    numeric data the new target is exactly the linear interpolation of the
    parents' targets at the row's position, whatever the distance. The paper
    leaves open the search space (the features, here), ties (broken by row
    position: duplicated rows are neighbours at distance 0) and the law of
    the position (uniform in [0, 1)).

    Differences with the references, where they err or leave a choice:

    - UBL and smogn compute ``d1`` and ``d2`` from the last continuous column
      only (the loop meant to sum the columns overwrites its total); here the
      whole distance.
    - smogn gives a row whose two distances are equal the target
      ``y_seed + y_partner / 2`` (operator precedence), not their mean; its
      neighbour search includes the target among the features and its
      numeric-only distance is not scaled; it clips synthetic values of
      non-negative columns at 0. None of these here: integer columns are
      rounded (and kept between their segment's ends), nothing else is clipped.
    - UBL's ``SmoteRegress`` lowers ``k`` to the bin's size minus one (with a
      warning) and replicates a one-row bin; UBL's ``SMOGNRegress`` and smogn
      do not, and fail. Here a bin too small for ``k_neighbors`` is a
      ``ValueError`` naming the bin and the fixes (a smaller ``k_neighbors``,
      or :class:`GaussianNoise` or :class:`RandomOverSampler`).
    - Output order: the kept input rows in input order, then the new rows bin
      by bin (UBL and smogn reorder the rows by bin).

    References
    ----------
    .. [1] Torgo, L., Ribeiro, R. P., Pfahringer, B. & Branco, P. (2013). SMOTE for regression.
       Progress in Artificial Intelligence (EPIA 2013), LNCS 8154, 378-389.
    .. [2] Torgo, L., Branco, P., Ribeiro, R. P. & Pfahringer, B. (2015). Resampling strategies
       for regression. Expert Systems, 32(3), 465-476.
    .. [3] Wilson, D. R. & Martinez, T. R. (1997). Improved heterogeneous distance functions.
       Journal of Artificial Intelligence Research, 6, 1-34.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression._smoter import SMOTER
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=200))
    >>> X_res, y_res = SMOTER(random_state=0).fit_resample(X, y)
    >>> X_res.shape[0] == sum(SMOTER(random_state=0).fit(X, y).sampling_strategy_.values())
    True
    """

    _parameter_constraints: dict = {
        **_GeneratingSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, k_neighbors=5, categorical_features="auto", sampling_strategy="balance", relevance=None,
                 threshold=0.5, random_state=None):
        self.k_neighbors = k_neighbors
        self.categorical_features = categorical_features
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        k = int(self.k_neighbors)
        check_bin_size(k, y[rows], type(self).__name__)
        values, codes = self._bin(X, rows)
        new = smoter_rows(values, codes, y[rows], k, n_add, rng)
        source, partner = rows[new.seeds], rows[new.partners]
        continuous = Segments(X.values if isinstance(X, Mixed) else X, source, partner, new.gaps)
        return Piece(source, self._block(X, continuous, new.codes, n_add), partner, new.gaps), new.y
