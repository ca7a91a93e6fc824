"""MGS: Sakho, Malherbe & Scornet (2024), arXiv:2402.03819; MGS-GRF: Sakho, Scornet & Malherbe (2025)."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import MixedBlock, Piece, Resampled, Values
from .._random import stream
from ..neighbors import kneighbors
from ._mgs_nominal import draw_donors, fit_forest
from ._nominal import _column_positions
from ._nominal_table import Mixed, read_mixed
from .base import BaseOverSampler

__all__ = ["MGS"]

# New rows per random block: block j of a class draws from its own stream, so the
# draws do not depend on how the computation is chunked.
_DRAW_BLOCK = 1 << 13
# Gathered neighbourhood values, (rows x (K + 1) x features), computed at once.
_GATHER_ELEMENTS = 1 << 22
# Beyond this magnitude the class is computed on values scaled by a power of two
# (exact), so that differences and products cannot overflow.
_SCALE_ABOVE = 2.0**500


def gaussian_draws(Xc, neighbourhoods, n_new, seed, key, shrinkage):
    """``n_new`` draws of MGS on one class's rows ``Xc`` (float64 result).

    Each new row picks a seed row uniformly; ``neighbourhoods[seed]`` (the seed
    and its ``K`` nearest rows, local positions) gives the mean ``mu`` and the
    centred rows ``C`` ((K + 1) x d), and the row is
    ``mu + sqrt((1 - shrinkage) / (K + 1)) * C.T @ z + sqrt(shrinkage * tr(S) / d) * w``
    with ``z``, ``w`` standard normal: exactly ``N(mu, (1 - shrinkage) * S +
    shrinkage * tr(S) / d * I)`` for ``S = C.T @ C / (K + 1)``, with no
    factorisation of ``S`` (singular or not). Returns ``(seeds, values)``.
    """
    n_rows, d = Xc.shape
    m = neighbourhoods.shape[1]
    big = float(np.abs(Xc).max()) if Xc.size else 0.0
    scale = np.ldexp(1.0, -int(np.frexp(big)[1])) if big > _SCALE_ABOVE else 1.0
    Xs = Xc.astype(np.float64) * scale
    seeds = np.empty(n_new, dtype=np.int64)
    out = np.empty((n_new, d))
    step = max(1, _GATHER_ELEMENTS // (m * max(d, 1)))
    for j, lo in enumerate(range(0, n_new, _DRAW_BLOCK)):
        hi = min(lo + _DRAW_BLOCK, n_new)
        rng = stream(seed, *key, j)
        seeds[lo:hi] = rng.integers(0, n_rows, size=hi - lo)
        z = rng.standard_normal((hi - lo, m))
        w = rng.standard_normal((hi - lo, d)) if shrinkage > 0 else None
        for a in range(lo, hi, step):
            b = min(a + step, hi)
            P = Xs[neighbourhoods[seeds[a:b]]]
            mu = P.mean(axis=1)
            C = P - mu[:, None, :]
            dev = np.matmul(z[a - lo: b - lo, None, :], C)[:, 0, :] * np.sqrt((1.0 - shrinkage) / m)
            if w is not None:
                spread = np.sqrt(shrinkage * np.einsum("bkd,bkd->b", C, C) / (m * d))
                dev += spread[:, None] * w[a - lo: b - lo]
            out[a:b] = mu + dev
    if scale != 1.0:
        with np.errstate(over="ignore"):
            out /= scale
    return seeds, out


def _as_dtype(values, dtype):
    """Float values in ``dtype``, clipped to its finite range (never inf)."""
    limit = np.finfo(dtype).max
    return np.clip(values, -limit, limit).astype(dtype, copy=False)


@Substitution(**_FITTED_ATTRIBUTES)
class MGS(BaseOverSampler):
    """Multivariate Gaussian SMOTE, and MGS-GRF for mixed continuous and categorical data.

    Each new row of a class grows from a seed row drawn uniformly from the
    class: the seed and its ``n_neighbors`` nearest rows of the class (``K + 1``
    rows) give an empirical mean ``mu`` and covariance ``S`` (divided by
    ``K + 1``), and the new row is drawn from the Gaussian ``N(mu, S)``, whose
    covariance may be shrunk towards a multiple of the identity. With
    ``categorical_features``, the Gaussian step runs on the continuous columns
    only (the neighbours too), and the categorical columns of each new row are
    copied whole from one row of the class (its "donor") drawn with the weights
    of a distributional random forest fitted on the class, predicting its
    categories from its continuous values and evaluated at the new row's
    continuous values (MGS-GRF). Only category combinations present in the
    class can then occur, and they follow the continuous values.

    Parameters
    ----------
    categorical_features : None, 'auto', array-like of int, str or bool, default=None
        None: every column is continuous (MGS). Otherwise the categorical columns
        (MGS-GRF), given as in :class:`SMOTENC`: positions, column names, a
        boolean mask, or ``'auto'`` (categorical, string and object columns of
        DataFrames, non-numeric columns of numpy arrays; with none found, MGS).
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, independent streams per class.
    n_neighbors : int or None, default=None
        ``K``, the number of neighbours of the seed (of the same class, on the
        continuous columns) that with the seed estimate the Gaussian. None: the
        number of continuous columns, as in the authors' code (``K + 1`` rows in
        general position give a full-rank covariance), lowered to the class's
        size minus one for smaller classes, with a ``UserWarning``.
    shrinkage : float in [0, 1], default=0.0
        ``a`` in ``(1 - a) * S + a * trace(S) / d * I`` (scikit-learn's
        ``ShrunkCovariance``): 0 is the paper's estimator; larger values spread
        the draws more evenly over the ``d`` continuous directions.
    n_estimators : int, default=20
        Trees of each class's forest (MGS-GRF only).
    max_depth : int or None, default=None
        Maximum depth of the trees (MGS-GRF only); None grows them until their
        leaves are pure or hold ``min_samples_leaf`` rows.
    min_samples_leaf : int, default=1
        Minimum number of rows in a leaf (MGS-GRF only).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    provenance_ : Provenance
        The origin of every output row (see :class:`smotekit.base.BaseSampler`):
        a new row's ``source`` is its seed (the centre of its neighbourhood);
        ``partner`` is -1 and ``gap`` NaN, since new rows are not on segments.
    category_donor_ : ndarray of int64 or None
        For MGS-GRF, per synthetic row (in output order), the input position of
        the row whose categories it copied; None without categorical columns.
    categorical_features_ : ndarray of int64
        Positions of the categorical columns (empty for MGS).
    continuous_features_ : ndarray of int64
        Positions of the continuous columns.
    n_neighbors_ : dict
        Per over-sampled class label, the ``K`` used.
    forests_ : dict
        Per over-sampled class label, its fitted ``RandomForestClassifier``
        (MGS-GRF only; empty otherwise).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    As in the paper and the authors' code (``artefactory/mgs-grf``): the
    Gaussian is centred on the mean of the ``K + 1`` rows (not on the seed),
    its covariance is their biased empirical covariance, seeds are drawn
    uniformly with replacement, neighbours are searched on the continuous
    columns, and the forest is a multi-output classifier of the categorical
    columns on the continuous ones whose leaf weights count every training row.
    Differences: the authors draw ``mu + L @ z`` with ``L`` the Cholesky factor
    of ``S + 1e-8 * I``, an absolute ridge (scale-dependent) needed for the
    factorisation; here ``C.T @ z`` (``C`` the centred rows) has covariance
    exactly ``S``, singular or not, so no ridge is needed: duplicated rows give
    copies of their value and collinear columns stay collinear (the draws lie in
    the affine hull of the neighbourhood), unless ``shrinkage > 0``. The authors'
    dilation factor of the covariance (default 1) is not offered. Their forest
    has 100 trees; 20 here (the donor law is the same mixture, with more
    variance). The forest's weights are not formed as a (new rows x class rows)
    matrix: a tree is drawn uniformly, then a row of the new row's leaf in it,
    which is the same law. Classes are over-sampled one at a time, each from its
    own rows only (the other classes play no part), each from its own random
    stream; the authors' code handles two classes. smote-variants has no MGS.

    Where new rows lie: anywhere (Gaussian tails), mostly within a few local
    standard deviations of the neighbourhood's mean; with ``shrinkage=0``,
    in the affine hull of the neighbourhood. Integer columns are rounded.

    References
    ----------
    .. [1] Sakho, A., Malherbe, E. & Scornet, E. (2024). Do we need rebalancing
       strategies? A theoretical and empirical study around SMOTE and its
       variants. arXiv preprint arXiv:2402.03819.
    .. [2] Sakho, A., Scornet, E. & Malherbe, E. (2025). Harnessing mixed
       features for imbalance data oversampling: application to bank customers
       scoring. arXiv preprint arXiv:2503.22730.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.over_sampling import MGS
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 3))
    >>> y = np.r_[np.zeros(90), np.ones(10)].astype(int)
    >>> X_res, y_res = MGS(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "categorical_features": [None, "array-like", StrOptions({"auto"})],
        "n_neighbors": [Interval(Integral, 1, None, closed="left"), None],
        "shrinkage": [Interval(Real, 0, 1, closed="both")],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_depth": [Interval(Integral, 1, None, closed="left"), None],
        "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, categorical_features=None, sampling_strategy="auto", random_state=None,
                 n_neighbors=None, shrinkage=0.0, n_estimators=20, max_depth=None, min_samples_leaf=1):
        self.categorical_features = categorical_features
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.shrinkage = shrinkage
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf

    @property
    def _handles_categorical(self):
        # Tags describe the instance: MGS() reads numbers only, MGS-GRF reads categories.
        return self.categorical_features is not None

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "n_estimators", "max_depth", "min_samples_leaf")
        if isinstance(self.shrinkage, (bool, np.bool_)):
            raise TypeError(f"shrinkage must be a float in [0, 1], got {self.shrinkage!r}.")

    def _read_X(self, X):
        if self.categorical_features is None:
            return super()._read_X(X)
        return read_mixed(X, self._nominal_columns, accept_sparse=False)

    def _nominal_columns(self, n_cols, columns, dtype_mask):
        spec = self.categorical_features
        auto = isinstance(spec, str) and spec == "auto"
        found = np.flatnonzero(dtype_mask) if auto else _column_positions(spec, n_cols, columns)
        if found.size == n_cols:
            raise ValueError(
                f"MGS draws the continuous columns from Gaussians, but categorical_features={spec!r} makes "
                f"all {n_cols} columns categorical. Leave at least one continuous column, or use SMOTEN "
                "for data with only categorical features."
            )
        return found

    def _k(self, n_continuous, n_rows, label):
        """The ``K`` of one class: the parameter, or the default lowered to the class size."""
        if n_rows < 2:
            raise ValueError(
                f"Class {label!r} has {n_rows} sample(s), but MGS needs at least 2 (a seed and one "
                "neighbour) to estimate a covariance. Drop or merge this class, or over-sample it "
                "with RandomOverSampler."
            )
        if self.n_neighbors is not None:
            k = int(self.n_neighbors)
            if n_rows < k + 1:
                raise ValueError(
                    f"Class {label!r} has {n_rows} sample(s), but n_neighbors={k} needs at least {k + 1} "
                    f"(each sample plus {k} neighbours of the same class). Lower n_neighbors to at most "
                    f"{n_rows - 1}, or leave it None (the number of continuous columns, capped by the class size)."
                )
            return k
        k = max(1, n_continuous)
        if n_rows < k + 1:
            warnings.warn(
                f"MGS: class {label!r} has {n_rows} samples, fewer than the default n_neighbors={k} (the "
                f"number of continuous columns) plus one; used n_neighbors={n_rows - 1} (all its other "
                "samples), so its covariance has rank at most "
                f"{n_rows - 1} and the new samples lie in the span of the class.",
                UserWarning, stacklevel=4,
            )
            k = n_rows - 1
        return k

    def _fit_resample(self, X, codes, plan, seed):
        mixed = isinstance(X, Mixed)
        values = X.values if mixed else X
        n_cols = X.nominal.size + X.continuous.size if mixed else X.shape[1]
        nominal = X.nominal.astype(np.int64) if mixed and X.nominal.size else np.empty(0, np.int64)
        self.categorical_features_ = nominal
        self.continuous_features_ = np.setdiff1d(np.arange(n_cols), nominal)
        self.n_neighbors_, self.forests_ = {}, {}
        pieces, donors = [], []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            Xc = values[rows]
            k = self._k(values.shape[1], rows.size, cls.label)
            self.n_neighbors_[cls.label] = k
            hoods = np.column_stack([np.arange(rows.size), kneighbors(Xc, k)])
            seeds, new = gaussian_draws(Xc, hoods, cls.n_add, seed, (code, 0), self.shrinkage)
            block = Values(_as_dtype(new, values.dtype))
            if nominal.size:
                forest, scale, leaves = fit_forest(
                    Xc, X.codes[rows], n_estimators=self.n_estimators, max_depth=self.max_depth,
                    min_samples_leaf=self.min_samples_leaf,
                    random_state=int(stream(seed, code, 1).integers(0, 2**31 - 1)))
                self.forests_[cls.label] = forest
                donor = draw_donors(forest, scale, leaves, new, stream(seed, code, 2))
                donors.append(rows[donor])
                block = MixedBlock(block, X.codes[rows[donor]])
            elif mixed:
                block = MixedBlock(block, np.empty((cls.n_add, 0), dtype=np.int32))
            pieces.append(Piece.grown(rows[seeds], block))
        self.category_donor_ = (np.concatenate(donors) if donors else np.empty(0, np.int64)) \
            if nominal.size else None
        return Resampled.from_pieces(range(codes.size), pieces)
