"""The one ``fit_resample`` template of the regression samplers, and their kernel hook.

validate -> read X -> read y -> relevance and bins -> rows wanted per bin ->
one seed -> under-sample the bins that shrink, add rows to the bins that grow
-> assemble ``X`` and ``y`` in the caller's kinds -> fitted attributes.

A subclass writes one method, the kernel hook::

    def _add_rows(self, X, y, rows, n_add, rng, nominal) -> (Piece, y_new)

and sets three class flags: ``_over`` (the sampler adds rows to bins that
grow), ``_under`` (it removes rows from bins that shrink) and
``_reads_values`` (False for samplers that only copy rows: ``X`` may then hold
anything, NaN and strings included). Samplers of tables with nominal columns
override the reading hook ``_read_X(self, X) -> Table`` (default: ``read_X``,
numeric when ``_reads_values``) to return a mixed table
(``smotekit.over_sampling._nominal_table.read_mixed``); ``_add_rows`` then
receives the mixed table as ``X``. Checks of a subclass's own parameters go in
``_check_params(self, table, target)``, called once per fit after ``X`` and
``y`` are read.

These classes do not derive from :class:`smotekit.base.BaseSampler`: the
classification contract (class labels, ``sampling_plan_``) does not apply, so
the classification check suite and ``all_samplers`` leave them out. They are
scikit-learn estimators with ``_estimator_type = "sampler"``, so
:class:`smotekit.pipeline.Pipeline` and :func:`sklearn.base.clone` take them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, clone
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import RANDOM_STATE, is_int, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled
from .._random import resolve_seed, stream
from ..base import _log_stage, _record_features, _record_output
from ..utils._containers import read_X
from ._relevance import Relevance, RelevanceBins, relevance_bins
from ._target import RegressionTarget, read_target

__all__ = ["BaseRegressionSampler", "rows_for_factor", "seed_rows", "smogn_targets"]

_log = logging.getLogger(__name__)

#: Stream keys under the call's seed: ``stream(seed, bin, _UNDER)`` / ``stream(seed, bin, _OVER)``.
_UNDER, _OVER = 0, 1


#: Parameter and attribute texts the regression samplers share, written once: a class
#: docstring holds ``{relevance}`` (and so on) and is decorated with ``Substitution(**_DOCS)``
#: (its literal braces doubled).
_DOCS = {
    "relevance": """relevance : Relevance, default=None
        The relevance function, cloned and fitted on ``y`` at each fit; None:
        ``Relevance()`` (automatic control points from the box plot of ``y``).""",
    "threshold": """threshold : float in (0, 1], default=0.5
        Relevance from which a target value is rare.""",
    "random_state": """random_state : int, RandomState instance, Generator or None, default=None
        Seeds the draws; resolved once per call into one seed, then one stream
        per bin and direction, so a bin's rows do not depend on the other bins.""",
    "categorical_features": """categorical_features : 'auto', None, array-like of int, str or bool, default='auto'
        The nominal columns: 'auto' takes the categorical, string and object
        columns of pandas and polars DataFrames and the non-numeric columns of
        numpy object arrays (none for numeric arrays); None: every column is
        continuous; or positions, column names, or a boolean mask. Boolean
        columns not named are read as 0/1 and come back as booleans (rounded),
        as UBL reads logical columns.""",
    # The generating samplers resample both ways, so a single factor cannot serve every bin.
    "sampling_strategy": """sampling_strategy : {'balance', 'extreme'}, sequence of float or dict, default='balance'
        Rows wanted per relevance bin (bins numbered by increasing target):
        'balance' and 'extreme' as UBL and smogn compute them, one factor
        (rows after / rows before) per bin as UBL's ``C.perc``, or a dict
        ``{bin: rows wanted}`` (bins not named are kept whole).""",
    "fitted_bins": """relevance_ : Relevance
        The relevance function fitted on ``y``.
    bins_ : RelevanceBins
        The relevance bins of ``y``, with ``n_target`` (rows per bin after resampling).
    sampling_strategy_ : dict
        ``{bin: rows after resampling}`` for every bin.""",
    "categorical_features_": """categorical_features_ : ndarray of int64
        Positions of the nominal columns (empty without any).""",
    "n_features_in_": _FITTED_ATTRIBUTES["n_features_in_"],
    "feature_names_in_": _FITTED_ATTRIBUTES["feature_names_in_"],
}


def rows_for_factor(factor: float, n: int) -> int:
    """Rows a bin of ``n`` rows has after resampling by ``factor``, counted as smogn and UBL's
    SmoteRegress count them.

    Parameters
    ----------
    factor : float
        Rows after / rows before.
    n : int
        Rows of the bin.

    Returns
    -------
    int
        ``n + int(f - 1) * n + int(n * (f - 1 - int(f - 1)))`` for ``f > 1`` (each row
        seeds ``int(f - 1)`` new rows, then a share of them one more), ``int(f * n)``
        for ``f < 1``, ``n`` for ``f == 1``.
    """
    if factor > 1:
        whole = int(factor - 1)
        return n + whole * n + int(n * (factor - 1 - whole))
    if factor < 1:
        return int(factor * n)
    return n


def smogn_targets(kind: str, sizes: np.ndarray) -> np.ndarray:
    """Rows wanted per bin for 'balance' or 'extreme', by smogn's and UBL's SmoteRegress formulas.

    'balance': every bin is brought to ``B = round(n / n_bins)`` rows (factor
    ``B / n_i``). 'extreme': bin ``i`` is brought to about ``B**2 / n_i`` rows,
    rescaled so that the total stays about ``n``, which inverts the bins'
    frequencies; the factor is rounded to one decimal as both references do.
    The factors become rows by :func:`rows_for_factor`. The arithmetic is
    smogn's own (Python floats, Python's round, half to even), so that the
    counts equal smogn's.

    Parameters
    ----------
    kind : {'balance', 'extreme'}
    sizes : ndarray of int
        Rows per bin, bins by increasing target.

    Returns
    -------
    ndarray of int64
    """
    lengths = [int(s) for s in sizes]
    n_bins = len(lengths)
    b = round(sum(lengths) / n_bins)
    if kind == "balance":
        factors = [b / length for length in lengths]
    else:
        scale = n_bins * b / sum(b ** 2 / length for length in lengths)
        factors = [round(round(b ** 2 / length * scale, 2) / length, 1) for length in lengths]
    return np.array([rows_for_factor(f, length) for f, length in zip(factors, lengths)], dtype=np.int64)


def seed_rows(rows: np.ndarray, n_add: int, rng: np.random.Generator) -> np.ndarray:
    """The seed of each new row, as UBL and smogn spread them over a bin.

    Every row of the bin seeds ``n_add // len(rows)`` new rows (all of row 1's,
    then row 2's, ...), then ``n_add % len(rows)`` distinct rows, drawn without
    replacement, seed one more each.

    Parameters
    ----------
    rows : ndarray of int
        Input positions of the bin's rows.
    n_add : int
        New rows wanted.
    rng : numpy.random.Generator
        The bin's stream.

    Returns
    -------
    ndarray of int64, shape (n_add,)
        Input positions.
    """
    rows = np.asarray(rows, dtype=np.int64)
    whole, extra = divmod(int(n_add), rows.size)
    picked = rng.choice(rows, size=extra, replace=False) if extra else rows[:0]
    return np.concatenate([np.repeat(rows, whole), picked])


@Substitution(**_DOCS)
class BaseRegressionSampler(OneToOneFeatureMixin, BaseEstimator):
    """Base class of the regression samplers: the ``fit_resample`` template per relevance bin.

    Subclasses write the kernel hook ``_add_rows`` (see Notes) and set the
    class flags ``_over``, ``_under`` and ``_reads_values``.

    Parameters
    ----------
    sampling_strategy : {{'balance', 'extreme'}}, float, sequence of float or dict, default='balance'
        Rows wanted per relevance bin (bins numbered by increasing target value,
        see :func:`~smotekit.regression.relevance_bins`):

        - 'balance' / 'extreme': the formulas of the sampler's reference (see
          each sampler; by default smogn's and UBL's SmoteRegress, see
          :func:`smogn_targets`);
        - a sequence of factors (rows after / rows before), one per bin, as
          UBL's ``C.perc``; a sampler that only over-samples (only
          under-samples) also takes one factor per rare (normal) bin, or a
          single factor (a number or a list of one) for all of them;
        - a dict ``{{bin: rows wanted}}``; bins not named keep their rows.

        A sampler that only over-samples refuses explicit targets below a bin's
        size (and one that only under-samples, above it); with 'balance' and
        'extreme' it leaves such bins whole.
    {relevance}
    {threshold}
    {random_state}

    Attributes
    ----------
    {fitted_bins}
    provenance_ : Provenance
        The origin of every output row (set by ``fit_resample``).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    The kernel hook::

        _add_rows(self, X, y, rows, n_add, rng, nominal) -> (Piece, y_new)

    ``X``: ``table.kernel_input()``, a float ndarray (float32 kept) or sparse
    matrix, the mixed table (``Mixed``: ``values``, ``codes``, ``nominal``,
    ``continuous``, ``categories``) when ``_read_X`` read nominal columns, or
    None when ``_reads_values`` is False. ``y``: float64 ndarray of every
    input row's target. ``rows``: input positions of the bin's rows,
    increasing. ``n_add >= 1``: rows to add to the bin. ``rng``: the bin's
    own stream, ``stream(seed, bin, 1)``. ``nominal``: positions of the
    nominal columns of ``X`` in the caller's table (empty without any).
    Returns a :class:`~smotekit._generation.Piece` of ``n_add`` rows whose
    ``source`` (and ``partner``) are input positions (``block`` None for exact
    copies; ``partner``/``gap`` given by every piece of a sampler or by none),
    and ``y_new``, float64 of shape ``(n_add,)`` (None for exact copies, whose
    targets are their sources'). For an integer ``y`` the template rounds the
    new values (half to even) and clips them to the two parents' values (rows
    with a partner) and to the dtype's range. :func:`seed_rows` spreads seeds
    over a bin as UBL and smogn do.

    Under-sampling draws, per shrinking bin, the rows kept uniformly without
    replacement from ``stream(seed, bin, 0)``. The output holds the kept input
    rows, unchanged and in input order, then the added rows bin by bin (by
    increasing bin).

    References
    ----------
    .. [1] Torgo, L., Ribeiro, R. P., Pfahringer, B. & Branco, P. (2013). SMOTE for regression.
       Progress in Artificial Intelligence (EPIA 2013), LNCS 8154, 378-389.
    .. [2] Branco, P., Torgo, L. & Ribeiro, R. P. (2019). Pre-processing approaches for imbalanced
       distributions in regression. Neurocomputing, 343, 76-99.
    """

    _estimator_type = "sampler"
    #: Which directions the sampler resamples in (subclasses set them).
    _over = False
    _under = False
    #: Whether the kernel computes with X's values (False: rows are only copied or dropped).
    _reads_values = True
    #: Whether sparse X is accepted.
    _accept_sparse = True
    #: Samplers whose output rows are input rows expose ``sample_indices_``.
    _selects_rows = False

    _parameter_constraints: dict = {
        "sampling_strategy": [StrOptions({"balance", "extreme"}), Mapping, "array-like",
                              Interval(Real, 0, None, closed="neither")],
        "relevance": [Relevance, None],
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "random_state": RANDOM_STATE,
    }

    def __init__(self, *, sampling_strategy="balance", relevance=None, threshold=0.5, random_state=None):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.random_state = random_state

    # ---- hooks -------------------------------------------------------------------------------

    def _read_X(self, X):
        """The caller's ``X`` as a :class:`~smotekit.utils._containers.Table`. Samplers of
        tables with nominal columns override it to call ``read_mixed``."""
        return read_X(X, numeric=self._reads_values, allow_nan=not self._reads_values,
                      accept_sparse=self._accept_sparse)

    def _check_params(self, table, target: RegressionTarget) -> None:
        """Check the subclass's own parameters against the data; once per fit."""

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        """Add ``n_add`` rows to the bin of input positions ``rows`` (see the class Notes)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _add_rows to over-sample.")

    def _auto_targets(self, kind: str, sizes: np.ndarray, rare: np.ndarray) -> np.ndarray:
        """Rows wanted per bin for 'balance' / 'extreme' (default: :func:`smogn_targets`)."""
        return smogn_targets(kind, sizes)

    # ---- template ----------------------------------------------------------------------------

    def fit(self, X, y):
        """Validate the data and compute the bins and the rows wanted per bin (no resampling).

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            As for :meth:`fit_resample`.
        y : array-like of shape (n_samples,)
            The continuous target.

        Returns
        -------
        self : object
        """
        self._plan(X, y)
        return self

    def fit_resample(self, X, y):
        """Resample the data set bin by bin.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            numpy arrays and lists, pandas or polars DataFrames, scipy sparse
            matrices (where the sampler accepts them).
        y : array-like of shape (n_samples,)
            The continuous target: numpy array (integers or floats), list, pandas
            or polars Series.

        Returns
        -------
        X_resampled : same kind as X, shape (n_samples_new, n_features)
            The kept input rows, unchanged and in input order, then the added rows.
        y_resampled : same kind as y, shape (n_samples_new,)
            Same dtype; a pandas Series keeps its name and gets a fresh 0..n-1 index.
        """
        table, target, bins, targets = self._plan(X, y)
        seed = resolve_seed(self.random_state)
        name, started = type(self).__name__, time.perf_counter()
        _log_stage(_log, logging.INFO, "start", name, table.n_rows,
                   "%s: resampling %d rows x %d features in %d relevance bins", name, table.n_rows, table.n_cols,
                   bins.n_bins, kind="regression")
        keep = np.ones(table.n_rows, dtype=bool)
        pieces, new_y = [], []
        X_kernel = table.kernel_input()
        nominal = table.mixed.nominal if table.mixed is not None else np.empty(0, dtype=np.intp)
        for b, rows in enumerate(bins.rows_by_bin()):
            n, want = int(bins.n_rows[b]), int(targets[b])
            if want == n:
                continue
            if want < n:
                kept = stream(seed, b, _UNDER).choice(rows, size=want, replace=False)
                keep[rows] = False
                keep[kept] = True
                _log.debug("%s: bin %d (%s) %d -> %d rows", name, b, _kind(bins, b), n, want)
                continue
            piece, y_new = self._add_rows(X_kernel, target.values, rows, want - n, stream(seed, b, _OVER), nominal)
            pieces.append(self._checked(piece, y_new, want - n))
            new_y.append(y_new)
            _log.debug("%s: bin %d (%s) %d -> %d rows", name, b, _kind(bins, b), n, want)
        kept = range(table.n_rows) if keep.all() else np.flatnonzero(keep)
        copies = all(p.block is None for p in pieces)
        if not copies and any(p.block is None for p in pieces):
            raise RuntimeError(f"{name}._add_rows returned copies for some bins and generated rows for others; "
                               "a sampler must do one or the other.")
        out = Resampled.from_pieces(kept, pieces, copies=copies)
        X_res = _record_output(self, table, out)
        y_res = self._assemble_y(target, out, None if copies else np.concatenate(new_y) if new_y else None)
        n_out = len(out.kept) + len(out.added_source)
        _log_stage(_log, logging.INFO, "end", name, n_out, "%s: %d -> %d rows in %.2fs", name, table.n_rows, n_out,
                   time.perf_counter() - started)
        return X_res, y_res

    def _plan(self, X, y):
        """Validate, read ``X`` and ``y``, fit the relevance and the bins, resolve the targets."""
        self._validate_params()
        refuse_bools(self, "threshold", "sampling_strategy")
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y, the target value of every row of X; got None.")
        table = self._read_X(X)
        target = read_target(y, table.n_rows)
        self._check_params(table, target)
        relevance = Relevance() if self.relevance is None else clone(self.relevance)
        self.relevance_ = relevance.fit(target.values)
        bins = relevance_bins(target.values, relevance=self.relevance_, threshold=self.threshold)
        _check_both_sides(bins, self.relevance_)
        targets = self._targets(bins)
        bins.n_target = targets
        self.bins_ = bins
        self.sampling_strategy_ = {b: int(t) for b, t in enumerate(targets)}
        _record_features(self, table.n_cols, table.columns)
        return table, target, bins, targets

    def _targets(self, bins: RelevanceBins) -> np.ndarray:
        """Rows wanted per bin, from ``sampling_strategy``, checked against the sampler's directions."""
        strategy, sizes, rare = self.sampling_strategy, bins.n_rows, bins.rare
        if isinstance(strategy, str):
            auto = np.asarray(self._auto_targets(strategy, sizes, rare), dtype=np.int64)
            # A one-direction sampler leaves whole the bins the formula would move the other way.
            allowed = ((auto > sizes) & self._over) | ((auto < sizes) & self._under)
            return np.where(allowed, auto, sizes).astype(np.int64)
        if isinstance(strategy, Mapping):
            targets = self._dict_targets(strategy, sizes)
        else:
            targets = self._factor_targets(strategy, sizes, rare)
        self._check_directions(targets, sizes)
        return targets

    def _dict_targets(self, strategy: Mapping, sizes: np.ndarray) -> np.ndarray:
        targets = sizes.astype(np.int64, copy=True)
        for b, want in strategy.items():
            if not is_int(b) or not 0 <= b < sizes.size:
                raise ValueError(f"sampling_strategy names bin {b!r}, but y has {sizes.size} relevance bins "
                                 f"(0 to {sizes.size - 1}, by increasing target); see relevance_bins(y).")
            if not is_int(want) or want < 0:
                raise ValueError(f"sampling_strategy[{b}] must be a number of rows (an int >= 0), got {want!r}.")
            targets[b] = int(want)
        return targets

    def _factor_targets(self, strategy, sizes: np.ndarray, rare: np.ndarray) -> np.ndarray:
        factors = np.atleast_1d(np.asarray(strategy, dtype=object))
        if factors.ndim != 1 or factors.size == 0 or not all(
                isinstance(f, Real) and not isinstance(f, bool) and np.isfinite(f) and f > 0 for f in factors):
            raise ValueError(f"sampling_strategy factors must be positive numbers (rows after / rows before), "
                             f"got {strategy!r}.")
        factors = factors.astype(np.float64)
        one_way = self._over != self._under
        acted = rare if self._over else ~rare
        n_bins, n_acted = sizes.size, int(acted.sum())
        per_bin = np.ones(n_bins)
        if factors.size == n_bins:
            per_bin = factors
        elif one_way and factors.size in (1, n_acted):
            per_bin[acted] = factors
        else:
            expected = f"{n_bins} (one per bin)"
            if one_way:
                which = "rare" if self._over else "normal"
                expected += f", {n_acted} (one per {which} bin) or 1"
            raise ValueError(f"sampling_strategy has {factors.size} factor(s), but y has {n_bins} relevance bins "
                             f"(rare: {rare.tolist()}); give {expected}. See relevance_bins(y).")
        return np.array([rows_for_factor(f, int(n)) for f, n in zip(per_bin, sizes)], dtype=np.int64)

    def _check_directions(self, targets: np.ndarray, sizes: np.ndarray) -> None:
        name = type(self).__name__
        if not self._under and (targets < sizes).any():
            b = int(np.flatnonzero(targets < sizes)[0])
            raise ValueError(f"sampling_strategy asks bin {b} to shrink from {sizes[b]} to {targets[b]} rows, but "
                             f"{name} only adds rows. Give factors >= 1 (rows >= the bin's size), or use an "
                             "under-sampler.")
        if not self._over and (targets > sizes).any():
            b = int(np.flatnonzero(targets > sizes)[0])
            raise ValueError(f"sampling_strategy asks bin {b} to grow from {sizes[b]} to {targets[b]} rows, but "
                             f"{name} only removes rows. Give factors <= 1 (rows <= the bin's size), or use an "
                             "over-sampler.")

    def _checked(self, piece, y_new, n_add: int) -> Piece:
        """The kernel's piece, after checking it holds ``n_add`` rows."""
        name = type(self).__name__
        if not isinstance(piece, Piece) or np.asarray(piece.source).shape != (n_add,):
            raise RuntimeError(f"{name}._add_rows must return (Piece of {n_add} rows, y_new); got {piece!r:.80}.")
        if piece.block is not None and (y_new is None or np.shape(y_new) != (n_add,)):
            raise RuntimeError(f"{name}._add_rows must return y_new of shape ({n_add},) with generated rows.")
        return piece

    def _assemble_y(self, target: RegressionTarget, out: Resampled, new_values):
        if new_values is None:
            return target.assemble(out.kept, out.added_source)
        low = high = None
        if target.is_integer:
            # New integer targets stay within their two parents' values (rows with a partner).
            y = target.values
            src = np.asarray(out.added_source)
            low, high = np.full(src.size, -np.inf), np.full(src.size, np.inf)
            if out.added_partner is not None:
                partner = np.asarray(out.added_partner)
                both = partner >= 0
                a, b = y[src[both]], y[partner[both]]
                low[both], high[both] = np.minimum(a, b), np.maximum(a, b)
        return target.assemble(out.kept, out.added_source, new_values, low, high)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "sampler"
        tags.target_tags.required = True
        tags.input_tags.sparse = bool(self._accept_sparse)
        tags.input_tags.allow_nan = not self._reads_values
        tags.input_tags.string = not self._reads_values
        return tags


def _kind(bins: RelevanceBins, b: int) -> str:
    return "rare" if bins.rare[b] else "normal"


def _check_both_sides(bins: RelevanceBins, relevance: Relevance) -> None:
    """Refuse a target whose values are all rare or all normal: nothing to rebalance."""
    if not bins.rare.any():
        top = float(bins.relevance.max())
        raise ValueError(
            f"No target value is rare: the highest relevance is {top:.3g}, below threshold={bins.threshold:g} "
            f"(control points {relevance.control_points_[:, :2].tolist()}). Lower the threshold, lower the "
            "relevance's coef (Relevance(coef=...)), or pass Relevance(control_points=...) to say which values "
            "are relevant."
        )
    if bins.rare.all():
        raise ValueError(
            f"Every target value is rare (relevance >= threshold={bins.threshold:g}); there is no normal value to "
            "rebalance against. Raise the threshold or pass Relevance(control_points=...)."
        )
