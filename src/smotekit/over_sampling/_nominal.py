"""SMOTE for nominal features: SMOTE-NC (nominal and continuous) and SMOTE-N (nominal only).

Chawla, Bowyer, Hall & Kegelmeyer (2002), JAIR 16, 321-357, section 6.

Nominal columns are carried as integer codes (one per column) from input to
output: no one-hot matrix of the whole table is ever built. SMOTE-NC's
neighbour search runs on the over-sampled class only, with a one-hot block of
the categories present in that class; SMOTE-N's value difference metric is
computed between distinct rows (category combinations) of the class, weighted
by how often each occurs.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import DataConversionWarning
from sklearn.utils._param_validation import HasMethods, StrOptions

from .._constraints import NEIGHBORS, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import MixedBlock, Piece, Resampled, Segments, draw_pairs
from .._random import stream
from ..base import PartitionedSupport
from ..neighbors._resolve import resolve_neighbors
from ..neighbors._sizes import check_object_fits
from ._nominal_table import read_mixed
from .base import _CLASS_HINT, BaseOverSampler

__all__ = ["SMOTEN", "SMOTENC"]

# Above this many cells the class's search matrix (continuous + scaled one-hot)
# is kept sparse: high-cardinality columns must not be densified.
_DENSE_SEARCH_CELLS = 1 << 24
# Pairwise VDM work per block, in (query x combination x class) elements.
_VDM_BLOCK_ELEMENTS = 1 << 22


class _NominalOverSampler(BaseOverSampler):
    """What SMOTENC and SMOTEN share: reading mixed tables, and the encoder attribute."""

    _handles_categorical = True
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS,
        "categorical_encoder": [HasMethods(["fit_transform", "inverse_transform"]), None],
    }

    # Sparse X is accepted (and returned in its format): nominal columns are read one at a
    # time and only the continuous block is made dense. imbalanced-learn's SMOTENC accepts it
    # too but tags itself sparse=False; smotekit's tag says what the sampler does.
    _accept_sparse = True

    def _read_X(self, X):
        return read_mixed(X, self._nominal_columns, accept_sparse=self._accept_sparse)

    def _nominal_columns(self, n_cols, columns, dtype_mask):
        raise NotImplementedError

    def _fit_encoder(self, default, categories):
        """Fit (a clone of) the categorical encoder on the categories alone.

        The encoders only decide which categories exist; fitting them on one row
        per category gives the same ``categories_`` as fitting on every row.
        """
        encoder = default if self.categorical_encoder is None else clone(self.categorical_encoder)
        longest = max(len(c) for c in categories)
        table = np.empty((longest, len(categories)), dtype=object)
        for j, cats in enumerate(categories):
            table[:, j] = np.resize(np.asarray(cats, dtype=object), longest)
        self.categorical_encoder_ = encoder.fit(table)


@Substitution(**_FITTED_ATTRIBUTES)
class SMOTENC(_NominalOverSampler):
    """SMOTE for data with nominal and continuous features (SMOTE-NC).

    A new sample of a class starts from a seed sample and one of its
    ``k_neighbors`` nearest neighbours of the same class, chosen uniformly over
    all (sample, neighbour) pairs as in :class:`SMOTE`. Its continuous features
    lie on the segment between the two, at a uniform random position; each
    nominal feature takes the value most frequent among the seed's
    ``k_neighbors`` neighbours (the seed itself not counted), ties broken
    uniformly at random. Distances add, to the squared Euclidean distance of
    the continuous features, ``m**2`` for every nominal feature on which two
    samples differ, where ``m`` is the median of the standard deviations of the
    continuous features within the class being over-sampled.

    Parameters
    ----------
    categorical_features : 'auto', array-like of int, str or bool
        The nominal columns: positions (a list or a numpy array; negative
        positions count from the end), column names (DataFrames), a boolean
        mask of length ``n_features``, or ``'auto'``: the columns whose dtype is
        categorical, string or object (pandas and polars), or that do not parse
        as numbers (numpy object or string arrays).
    categorical_encoder : estimator, default=None
        One-hot encoder whose fitted copy is exposed as ``categorical_encoder_``
        (default: ``OneHotEncoder(handle_unknown='ignore')``). It must keep one
        column per category (no ``drop``, no infrequent-category grouping).
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, independent streams per class.
    k_neighbors : int or object, default=5
        Number of same-class neighbours, or an object with ``fit``/``kneighbors``
        whose ``n_neighbors`` counts the sample itself (imbalanced-learn's rule).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    provenance_ : Provenance
        The origin of every output row (see :class:`smotekit.base.BaseSampler`):
        ``source`` is the seed, ``partner`` the neighbour of the continuous
        interpolation and ``gap`` its position; nominal values come from the
        seed's neighbours.
    categorical_features_ : ndarray of int64
        Positions of the nominal columns.
    continuous_features_ : ndarray of int64
        Positions of the continuous columns.
    categorical_encoder_ : estimator
        The fitted encoder.
    median_std_ : dict
        Per over-sampled class, the median standard deviation ``m`` (population
        standard deviation, ``ddof=0``).
    n_features_ : int
        Number of columns of ``X``.
    nn_k_ : object
        The neighbours object given, or for an int ``k`` an unfitted
        ``NearestNeighbors(n_neighbors=k + 1)`` standing for the exact search
        used (imbalanced-learn's attribute).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Same distances and the same nominal rule as imbalanced-learn 0.14 (which
    scales a one-hot encoding by ``m / sqrt(2)``, so a mismatch adds ``m**2``),
    including ``m == 0``: nominal features then do not enter the distance.
    Differences: ``categorical_features`` may be a numpy array; ``'auto'``
    also takes string and object columns, and polars DataFrames; every output
    column keeps its input dtype (pandas categoricals their categories,
    integer columns rounded values; numpy numeric arrays come back as float,
    object arrays as object); missing values in nominal columns are rejected
    rather than treated as a category; sparse input comes back in its own
    format (CSR or CSC; imbalanced-learn always returns CSR). As in
    :class:`SMOTE`, a sample is never its own neighbour even when duplicated,
    and each class has its own random stream. Memory: only the over-sampled
    class is encoded, one-hot over the categories it contains (sparse when
    large), while imbalanced-learn one-hot encodes the whole table.

    References
    ----------
    .. [1] Chawla, N. V., Bowyer, K. W., Hall, L. O. & Kegelmeyer, W. P. (2002). SMOTE: synthetic
       minority over-sampling technique. Journal of Artificial Intelligence Research, 16,
       321-357.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.over_sampling import SMOTENC
    >>> rng = np.random.default_rng(0)
    >>> X = np.column_stack([rng.normal(size=100), rng.integers(0, 3, 100)])
    >>> y = np.r_[np.zeros(90), np.ones(10)].astype(int)
    >>> X_res, y_res = SMOTENC([1], random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [90, 90]
    """

    #: imbalanced-learn's required positional parameter, and a value for the contract checks.
    _positional_params = ("categorical_features",)
    _check_init_params = {"categorical_features": [0]}

    _parameter_constraints: dict = {
        **_NominalOverSampler._parameter_constraints,
        "categorical_features": ["array-like", StrOptions({"auto"})],
    }
    _partitioned = PartitionedSupport("kernel", values_per_row=True)

    def __init__(self, categorical_features, *, categorical_encoder=None, sampling_strategy="auto",
                 random_state=None, k_neighbors=5):
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors")
        enc = self.categorical_encoder
        if enc is None:
            return
        if not (hasattr(enc, "fit") and hasattr(enc, "transform")):
            raise TypeError(f"categorical_encoder must be None or an encoder with fit/transform; got {enc!r}.")
        params = enc.get_params() if hasattr(enc, "get_params") else {}
        if any(params.get(p) is not None for p in ("drop", "min_frequency", "max_categories")):
            raise ValueError(
                "SMOTENC requires a one-hot encoding with one column per category, but "
                f"categorical_encoder={enc!r} drops or merges columns (drop, min_frequency or "
                "max_categories is set). Pass OneHotEncoder(handle_unknown='ignore') or None."
            )

    def _nominal_columns(self, n_cols, columns, dtype_mask):
        spec = self.categorical_features
        if isinstance(spec, str) and spec == "auto":
            found = np.flatnonzero(dtype_mask)
        else:
            found = _column_positions(spec, n_cols, columns)
        if found.size == n_cols:
            raise ValueError(
                "SMOTE-NC is not designed to work only with categorical features: "
                f"categorical_features={spec!r} makes all {n_cols} columns categorical, and SMOTENC "
                "needs at least one continuous column. Use SMOTEN for data with only categorical "
                "features."
            )
        if found.size == 0:
            raise ValueError(
                "SMOTE-NC is not designed to work only with numerical features: "
                f"categorical_features={spec!r} selects no column of X, and SMOTENC needs at least "
                "one categorical column. List them (positions, names or a boolean mask), or use "
                "SMOTE for data with only continuous features."
            )
        return found

    def _fit_resample(self, X, codes, plan, seed):
        from sklearn.preprocessing import OneHotEncoder

        m = X
        self.categorical_features_ = m.nominal.astype(np.int64)
        self.continuous_features_ = m.continuous.astype(np.int64)
        self.n_features_ = m.nominal.size + m.continuous.size
        self._fit_encoder(OneHotEncoder(handle_unknown="ignore"), m.categories)
        self.nn_k_ = self._neighbors_attr(self.k_neighbors, "k_neighbors")
        self.median_std_ = {}
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            Xc, Cc = m.values[rows], m.codes[rows]
            weight = _median_std(Xc)
            self.median_std_[cls.label] = weight
            nn = self._neighbors_within(_search_matrix(Xc, Cc, weight), self.k_neighbors,
                                        "k_neighbors", cls.label, rows.size)
            seeds, partners, gaps = draw_pairs(nn, cls.n_add, seed, (code,))
            nominal = _neighbour_modes(Cc, nn, seeds, stream(seed, code, 1))
            block = MixedBlock(Segments(Xc, seeds, partners, gaps), nominal)
            pieces.append(Piece(rows[seeds], block, rows[partners], gaps))
        return Resampled.from_pieces(range(codes.size), pieces)


@Substitution(**_FITTED_ATTRIBUTES)
class SMOTEN(_NominalOverSampler):
    """SMOTE for data with only nominal features (SMOTE-N).

    Neighbours are found with the value difference metric (VDM): between two
    values ``a`` and ``b`` of a feature, ``(sum over classes c of
    |P(c | a) - P(c | b)|) ** 2``, with the class frequencies ``P`` counted on
    the whole training set; between two samples, the sum over features. A new
    sample of a class takes, per feature, the value most frequent among a seed
    drawn uniformly from the class and its ``k_neighbors`` nearest neighbours
    of the same class (the seed counted), ties going to the first category in
    sorted order.

    Parameters
    ----------
    categorical_encoder : estimator, default=None
        Ordinal encoder whose fitted copy is exposed as ``categorical_encoder_``
        (default: ``OrdinalEncoder(dtype=np.int32)``).
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    k_neighbors : int or object, default=5
        Number of same-class neighbours; from an object, its ``n_neighbors``
        minus one (the search itself always uses the VDM).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
        There is no interpolation: ``source`` is the seed, ``partner`` is -1
        and ``gap`` NaN.
    categorical_encoder_ : estimator
        The fitted encoder.
    nn_k_ : object
        The neighbours object given, or ``NearestNeighbors(n_neighbors=k + 1,
        metric='precomputed')`` for an int ``k`` (imbalanced-learn's attribute;
        the search always uses the VDM).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    As in imbalanced-learn 0.14: the seed counts in its own neighbourhood, the
    frequencies include every class, and equal modes go to the smallest
    category. Since a new sample depends on its seed only, seeds with equal
    values give equal samples. Differences: neighbours at equal distance are
    taken in sorted order of their values (imbalanced-learn's order among ties
    is unspecified); missing values are rejected; output columns keep their
    input dtypes. Sparse input is accepted (with a ``DataConversionWarning``,
    as imbalanced-learn) and returned in its own format. Memory: distances are computed between the
    distinct rows of the class, block by block, not as a full matrix between
    all its rows.

    References
    ----------
    .. [1] Chawla, N. V., Bowyer, K. W., Hall, L. O. & Kegelmeyer, W. P. (2002). SMOTE: synthetic
       minority over-sampling technique. Journal of Artificial Intelligence Research, 16,
       321-357.
    .. [2] Stanfill, C. & Waltz, D. (1986). Toward memory-based reasoning. Communications of the
       ACM, 29(12), 1213-1228.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.over_sampling import SMOTEN
    >>> X = np.array(["A"] * 10 + ["B"] * 20 + ["C"] * 30, dtype=object).reshape(-1, 1)
    >>> y = np.array([0] * 20 + [1] * 40)
    >>> X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [40, 40]
    """

    _positional_params = ("categorical_encoder",)

    _parameter_constraints: dict = {**_NominalOverSampler._parameter_constraints}
    # The value difference metric counts each value's classes over all the data.
    _partitioned = PartitionedSupport("kernel", value_class_counts=True, values_per_row=True)

    def __init__(self, categorical_encoder=None, *, sampling_strategy="auto", random_state=None,
                 k_neighbors=5):
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors")
        if self.categorical_encoder is not None and not hasattr(self.categorical_encoder, "fit"):
            raise TypeError(
                f"categorical_encoder must be None or an encoder with fit; got {self.categorical_encoder!r}."
            )

    def _nominal_columns(self, n_cols, columns, dtype_mask):
        return np.arange(n_cols)

    def _read_X(self, X):
        if sparse.issparse(X):
            warnings.warn(
                "Passing a sparse matrix to SMOTEN is not really efficient: every column is read "
                "as dense category codes. Pass a dense array or a DataFrame instead.",
                DataConversionWarning, stacklevel=4,
            )
        return super()._read_X(X)

    def _fit_resample(self, X, codes, plan, seed, value_class_counts=None):
        """``value_class_counts``: per column, ``{value: rows per class}`` over the whole data,
        given by a backend that runs this kernel on the over-sampled classes alone (the
        metric is then the same); None counts them in ``X``."""
        from sklearn.preprocessing import OrdinalEncoder

        m = X
        self._fit_encoder(OrdinalEncoder(dtype=np.int32), m.categories)
        # The search itself always uses the value difference metric (see _vdm_modes).
        self.nn_k_ = self._neighbors_attr(self.k_neighbors, "k_neighbors", metric="precomputed")
        k = resolve_neighbors(self.k_neighbors, name="k_neighbors").k
        if value_class_counts is None:
            proba = _class_frequencies(m.codes, codes, len(plan.classes), m.n_categories)
        else:
            proba = [_frequencies(np.array([col[v] for v in cats.tolist()], dtype=np.float64))
                     for col, cats in zip(value_class_counts, m.categories)]
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            check_object_fits(self.k_neighbors, rows.size, name="k_neighbors",
                              where=f"class {cls.label!r}", hint=_CLASS_HINT)
            if rows.size < k + 1:
                raise ValueError(
                    f"Class {cls.label!r} has {rows.size} sample(s), but k_neighbors={k} needs at "
                    f"least {k + 1} (each sample plus {k} neighbours of the same class). Lower "
                    "k_neighbors, or over-sample this class with RandomOverSampler."
                )
            combos, which, counts = np.unique(m.codes[rows], axis=0, return_inverse=True,
                                              return_counts=True)
            modes = _vdm_modes(combos, counts, proba, k)
            seeds = stream(seed, code).integers(0, rows.size, size=cls.n_add)
            pieces.append(Piece(rows[seeds], MixedBlock(None, modes[which.ravel()[seeds]])))
        return Resampled.from_pieces(range(codes.size), pieces)


def _column_positions(spec, n_cols, columns) -> np.ndarray:
    """Sorted positions of the columns named by ``categorical_features``."""
    values = np.atleast_1d(np.asarray(list(spec) if isinstance(spec, (set, frozenset)) else spec))
    if values.ndim != 1:
        raise ValueError(f"categorical_features must be 1-D, got shape {values.shape}.")
    if values.size == 0:
        return np.empty(0, dtype=np.intp)
    if values.dtype.kind == "b":
        if values.size != n_cols:
            raise ValueError(
                f"categorical_features is a boolean mask of length {values.size}, but X has {n_cols} "
                "columns; give one flag per column."
            )
        return np.flatnonzero(values)
    if values.dtype.kind in "iu":
        bad = values[(values < -n_cols) | (values >= n_cols)]
        if bad.size:
            raise ValueError(
                f"categorical_features has positions {bad.tolist()[:5]} outside X's {n_cols} columns: "
                f"all features must be in [{-n_cols}, {n_cols - 1}] (negative positions count from the end)."
            )
        return np.unique(values % n_cols)
    if values.dtype.kind in "OU" and all(isinstance(v, str) for v in values):
        if columns is None:
            raise ValueError(
                f"categorical_features holds column names {values.tolist()[:5]}, but X has no column "
                "names; pass positions or a boolean mask, or a DataFrame."
            )
        lookup = {c: j for j, c in enumerate(columns)}
        missing = [v for v in values if v not in lookup]
        if missing:
            raise ValueError(f"categorical_features names columns {missing[:5]} that X does not have; "
                             f"its columns are {list(columns)[:10]}.")
        return np.unique([lookup[v] for v in values])
    raise TypeError(
        f"categorical_features must be 'auto', or column positions, names or a boolean mask; got "
        f"{spec!r}."
    )


def _median_std(Xc):
    """Median of the columns' population standard deviations, finite for any finite data.

    Squares of values beyond about 1e154 overflow float64 (and so does the
    mean of two standard deviations near the float64 limit), so such data are
    scaled by a power of two first (exact) and the result scaled back: the
    median never exceeds the largest magnitude, so it is finite.
    """
    Xc = np.asarray(Xc, dtype=np.float64)
    big = float(np.abs(Xc).max()) if Xc.size else 0.0
    if not np.isfinite(big) or big <= 1e150:
        return float(np.median(Xc.std(axis=0)))
    scale = np.ldexp(1.0, -int(np.frexp(big)[1]))
    return float(np.median((Xc * scale).std(axis=0)) / scale)


def _search_matrix(Xc, Cc, weight):
    """Rows of one class in a space where squared Euclidean distance is SMOTE-NC's:
    continuous values, then per nominal column a one-hot block over the categories
    present in the class, scaled by ``weight / sqrt(2)`` so a mismatch adds ``weight**2``."""
    n, d = Xc.shape
    parts = []
    for f in range(Cc.shape[1] if weight > 0 else 0):
        present, local = np.unique(Cc[:, f], return_inverse=True)
        if present.size > 1:  # a column constant within the class never differs
            parts.append((present.size, local.ravel()))
    if not parts:
        return Xc.astype(np.float64, copy=False)
    value = weight / np.sqrt(2.0)
    offsets = np.cumsum([0] + [size for size, _ in parts])
    columns = np.column_stack([off + local for off, (_, local) in zip(offsets, parts)])
    if n * (d + offsets[-1]) <= _DENSE_SEARCH_CELLS:
        Z = np.zeros((n, d + offsets[-1]))
        Z[:, :d] = Xc
        np.put_along_axis(Z, d + columns, value, axis=1)
        return Z
    p = len(parts)
    onehot = sparse.csr_matrix((np.full(n * p, value), columns.ravel(), np.arange(0, n * p + 1, p)),
                               shape=(n, offsets[-1]))
    return sparse.hstack([sparse.csr_matrix(Xc.astype(np.float64)), onehot], format="csr")


def _tied_modes(neighbour_codes):
    """Per row of ``(n, k)`` codes: the most frequent codes (sorted, padded) and their number."""
    eq = neighbour_codes[:, :, None] == neighbour_codes[:, None, :]
    counts = eq.sum(axis=2)
    first = ~np.tril(eq, -1).any(axis=2)  # a code's first position among the neighbours
    top = first & (counts == counts.max(axis=1, keepdims=True))
    padded = np.where(top, neighbour_codes, np.iinfo(np.int32).max)
    padded.sort(axis=1)
    return padded, top.sum(axis=1)


def _neighbour_modes(Cc, nn, seeds, rng):
    """Nominal codes of new samples: per column, the mode of the seed's neighbours,
    one uniform draw among tied modes per new sample (as imbalanced-learn)."""
    out = np.empty((seeds.size, Cc.shape[1]), dtype=np.int32)
    for f in range(Cc.shape[1]):
        modes, n_tied = _tied_modes(Cc[:, f][nn])
        pick = rng.integers(0, n_tied[seeds])
        out[:, f] = modes[seeds, pick]
    return out


def _class_frequencies(codes, y_codes, n_classes, n_categories):
    """Per feature, ``P(class | value)`` as an (n_values, n_classes) table (zeros for unused values)."""
    tables = []
    for f, n_cat in enumerate(n_categories):
        counts = np.bincount(codes[:, f].astype(np.int64) * n_classes + y_codes,
                             minlength=n_cat * n_classes).reshape(n_cat, n_classes).astype(np.float64)
        tables.append(_frequencies(counts))
    return tables


def _frequencies(counts):
    """Rows of per-class counts as ``P(class | value)`` (zeros for unused values)."""
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def _vdm_modes(combos, counts, proba, k):
    """For each distinct row (combination of codes) of a class, weighted by its
    ``counts``: per feature, the mode over the row and its ``k`` nearest other rows
    by VDM, nearer combinations first, equal distances in combination order."""
    n_u, n_feat = combos.shape
    embedded = [p[combos[:, f]] for f, p in enumerate(proba)]
    n_classes = proba[0].shape[1]
    step = max(1, _VDM_BLOCK_ELEMENTS // max(1, n_u * n_classes))
    modes = np.empty((n_u, n_feat), dtype=np.int32)
    onehots = [sparse.csr_matrix((np.ones(n_u), (np.arange(n_u), combos[:, f])),
                                 shape=(n_u, int(combos[:, f].max()) + 1)) for f in range(n_feat)]
    for start in range(0, n_u, step):
        q = np.arange(start, min(start + step, n_u))
        dist = np.zeros((q.size, n_u))
        for e in embedded:
            dist += np.abs(e[q, None, :] - e[None, :, :]).sum(axis=-1) ** 2
        order = np.argsort(dist, axis=1, kind="stable")
        # Not drop_self: the candidates are distinct combinations, each standing for
        # counts[c] rows. Only the seed's own row leaves its combination's count (it is
        # weighted once, below); the combination stays a candidate for its duplicates.
        avail = counts[order] - (order == q[:, None])
        before = np.cumsum(avail, axis=1) - avail
        taken = np.clip(k - before, 0, avail)
        weights = np.zeros((q.size, n_u))
        np.put_along_axis(weights, order, taken.astype(np.float64), axis=1)
        weights[np.arange(q.size), q] += 1.0
        for f, onehot in enumerate(onehots):
            modes[q, f] = np.asarray(weights @ onehot).argmax(axis=1)
    return modes
