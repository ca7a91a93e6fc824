"""Borderline-SMOTE (Han, Wang & Mao 2005) and SVM-SMOTE (Nguyen, Cooper & Kamei 2009).

Both seed synthetic samples only from minority samples near the class
boundary, found from their ``m_neighbors`` nearest neighbours among *all* the
data; Borderline-SMOTE takes every such sample, SVM-SMOTE only the support
vectors of an SVM.
"""

from __future__ import annotations

import warnings
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._constraints import NEIGHBORS, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments, draw_pairs
from .._huge import huge_values_error
from .._labels import estimator_targets
from .._random import stream
from ..base import PartitionedSupport
from ..neighbors import kneighbors, kneighbors_from_estimator
from ..neighbors._resolve import resolve_neighbors
from ..neighbors._search import overflow_scale
from .base import _CLASS_HINT, BaseOverSampler

__all__ = ["BorderlineSMOTE", "SVMSMOTE"]

_KINDS = ("borderline-1", "borderline-2")

#: Above this many rows, the default SVM of SVMSMOTE is fitted on the rows near
#: the over-sampled classes only (kernel SVMs cost about rows squared: imbalanced-learn
#: needs ~40 s at 100k rows and does not finish 1M).
SVM_SUBSET_MIN_ROWS = 20_000
#: Rows the subset aims at: each over-sampled row that is not isolated brings
#: its nearest neighbours among all rows, as many as this budget allows (sized
#: for a fit of ~6 s of CPU time at 1M x 20 with 20k minority rows, see Notes) ...
SVM_SUBSET_ROWS = 30_000
#: ... but at least one and at most this many.
SVM_SUBSET_MAX_NEIGHBORS = 100
# libsvm's kernel cache in MB: only speed depends on it (200 by default in scikit-learn).
_SVM_CACHE_MB = 1000


class _AllRows:
    """Nearest neighbours among every row of ``X`` (other classes included).

    An ``int`` parameter is answered per query by the exact search; a
    neighbours object is fitted on all of ``X`` once and its table reused for
    every class of the call.
    """

    def __init__(self, X, param, name):
        self.X, self.param, self.name = X, param, name
        self.resolved = resolve_neighbors(param, name=name)
        self._table = None

    def __call__(self, rows, n_neighbors=None):
        if self.resolved.exact:
            k = self.resolved.k if n_neighbors is None else n_neighbors
            return BaseOverSampler._neighbors_among_all(self.X, rows, k, self.name)
        if self._table is None:
            self._table = kneighbors_from_estimator(
                self.param, self.X, name=self.name,
                where="the data (this search runs over the rows of every class)")
        return self._table[rows]


def _within_class(Xc, local, param, name, label):
    """Neighbours of the class rows ``local`` among the class's own rows (local positions)."""
    nn = resolve_neighbors(param, name=name)
    if not nn.exact:
        return kneighbors_from_estimator(param, Xc, name=name, where=f"class {label!r}",
                                         hint=_CLASS_HINT)[local]
    k, n = nn.k, Xc.shape[0]
    if n < k + 1:
        raise ValueError(
            f"Class {label!r} has {n} sample(s), but {name}={k} needs at least {k + 1} "
            f"(each sample plus {k} neighbours of the same class). Lower {name} to at most "
            f"{max(n - 1, 1)}, or drop or merge this class, or over-sample it with RandomOverSampler."
        )
    return kneighbors(Xc, k, query_rows=local)


def _other_class_counts(codes, neighbors, code):
    """Per query row, how many of its neighbours belong to another class."""
    return np.count_nonzero(codes[neighbors] != code, axis=1)


def _in_danger(n_other, m):
    # imbalanced-learn's test, m/2 <= m' < m: a tie (exactly half) counts as danger.
    return (2 * n_other >= m) & (n_other < m)


def _on_segments(X, source, partner, gap):
    """The new rows between input rows ``source`` and ``partner`` (positions in ``X``)."""
    return Piece(source, Segments(X, source, partner, gap), partner, gap)


@Substitution(**_FITTED_ATTRIBUTES)
class BorderlineSMOTE(BaseOverSampler):
    """Borderline-SMOTE: SMOTE seeded only by minority samples on the class border.

    A sample of an over-sampled class is *in danger* when at least half, but
    not all, of its ``m_neighbors`` nearest neighbours among all the data
    belong to other classes (samples whose neighbours are all of other
    classes are taken as noise). Only samples in danger seed new samples,
    each pair (seed, neighbour) being equally likely:

    - ``'borderline-1'``: toward one of the seed's ``k_neighbors`` nearest
      samples of its own class, at a uniform position in [0, 1);
    - ``'borderline-2'``: toward one of the seed's ``k_neighbors`` nearest
      samples among all the data; when that neighbour is of another class the
      position is shrunk by a second uniform factor in [0, 0.5), so the new
      sample stays on the seed's half of the segment.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    k_neighbors : int or object, default=5
        Neighbours to interpolate toward (within the class for borderline-1,
        among all rows for borderline-2), or an object with
        ``fit``/``kneighbors`` whose ``n_neighbors`` counts the sample itself.
    m_neighbors : int or object, default=10
        Neighbours among all rows that decide whether a sample is in danger,
        or a neighbours object as above.
    kind : {{'borderline-1', 'borderline-2'}}, default='borderline-1'
        Which variant of the paper to use.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    danger_indices_ : dict
        Per over-sampled class label, the sorted input positions of its
        samples in danger (an empty array when there is none).
    in_danger_indices : dict
        imbalanced-learn's attribute: the same arrays, for the classes that
        have at least one sample in danger only.
    nn_k_ : object
        The ``k_neighbors`` object given, or for an int ``k`` an unfitted
        ``NearestNeighbors(n_neighbors=k + 1)`` standing for the exact search
        used (imbalanced-learn's attribute).
    nn_m_ : object
        The same for ``m_neighbors``.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Provenance: a synthetic row is
    ``X[source] + gap * (X[partner] - X[source])`` with ``source`` in the
    danger set and ``gap`` in [0, 1). With borderline-2, ``partner`` may be a
    row of *another* class; ``gap`` is then the product of two uniform draws,
    in [0, 0.5), as in imbalanced-learn (the paper describes a single draw in
    [0, 0.5]).

    Differences from imbalanced-learn 0.14:

    - A class with no sample in danger (a well separated class) makes
      imbalanced-learn silently generate nothing for it, so the output
      misses the requested counts. Here all the samples of that class seed
      instead, as in SMOTE, with a warning; ``danger_indices_`` shows the
      empty danger set and ``in_danger_indices`` has no entry for it, as in
      imbalanced-learn.
    - ``k_neighbors`` larger than the class allows raises a ValueError
      naming the class even when no sample is in danger.
    - A sample is never its own neighbour, even when duplicated; each class
      draws from its own random stream.

    References
    ----------
    .. [1] Han, H., Wang, W.-Y. & Mao, B.-H. (2005). Borderline-SMOTE: a new over-sampling method in
       imbalanced data sets learning. ICIC 2005, LNCS 3644, 878-887.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.over_sampling import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], class_sep=0.8, random_state=0)
    >>> X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).values())
    [898, 898]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS,
        "m_neighbors": NEIGHBORS,
        "kind": [StrOptions(set(_KINDS))],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 m_neighbors=10, kind="borderline-1"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors", "m_neighbors")

    @property
    def _partitioned(self):
        # Danger is judged among all rows (m_neighbors); borderline-2 also interpolates toward
        # the k_neighbors nearest rows of any class.
        searched = ("k_neighbors", "m_neighbors") if self.kind == "borderline-2" else ("m_neighbors",)
        return PartitionedSupport("kernel", neighbours=searched,
                                  row_attributes=("danger_indices_", "in_danger_indices"))

    def _fit_resample(self, X, codes, plan, seed):
        self.nn_k_ = self._neighbors_attr(self.k_neighbors, "k_neighbors")
        self.nn_m_ = self._neighbors_attr(self.m_neighbors, "m_neighbors")
        among_all_m = _AllRows(X, self.m_neighbors, "m_neighbors")
        among_all_k = _AllRows(X, self.k_neighbors, "k_neighbors")
        self.danger_indices_, self.in_danger_indices = {}, {}
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            nn_m = among_all_m(rows)
            danger = np.flatnonzero(_in_danger(_other_class_counts(codes, nn_m, code), nn_m.shape[1]))
            self.danger_indices_[cls.label] = rows[danger].astype(np.int64)
            if danger.size:
                self.in_danger_indices[cls.label] = rows[danger].astype(np.int64)
            else:
                warnings.warn(
                    f"BorderlineSMOTE: no sample of class {cls.label!r} is in danger (at least half "
                    f"but not all of its m_neighbors={nn_m.shape[1]} neighbours of another class); "
                    f"its {cls.n_add} new samples were seeded by all its samples, as SMOTE does "
                    "(imbalanced-learn generates none). Raise m_neighbors to find border samples.",
                    UserWarning, stacklevel=4,
                )
                danger = np.arange(rows.size)
            if self.kind == "borderline-1":
                nn = _within_class(X[rows], danger, self.k_neighbors, "k_neighbors", cls.label)
                seeds, partners, gaps = draw_pairs(nn, cls.n_add, seed, (code,))
                partners = rows[partners]
            else:
                nn = self._among_all_k(among_all_k, nn_m, danger, rows)
                seeds, partners, gaps = draw_pairs(nn, cls.n_add, seed, (code,))
                other = np.flatnonzero(codes[partners] != code)
                gaps[other] *= stream(seed, code).uniform(0.0, 0.5, size=other.size)
            pieces.append(_on_segments(X, rows[danger][seeds].astype(np.int64), partners.astype(np.int64), gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)

    def _among_all_k(self, among_all_k, nn_m, danger, rows):
        """Borderline-2's k neighbours among all rows of the danger rows."""
        k = resolve_neighbors(self.k_neighbors, name="k_neighbors")
        m = resolve_neighbors(self.m_neighbors, name="m_neighbors")
        if k.exact and m.exact and k.k <= m.k:
            # Both searches are exact and ordered by (distance, index): the k nearest are
            # the first k columns of the m nearest, which spares a second search of all rows.
            return nn_m[danger, :k.k]
        return among_all_k(rows[danger])


def _scale_gamma(X):
    """scikit-learn's ``gamma='scale'`` value, 1 / (n_features * Var(X)), over all of X."""
    if sparse.issparse(X):
        var = X.multiply(X).mean() - X.mean() ** 2
    else:
        var = X.var()
    return 1.0 / (X.shape[1] * var) if var != 0 else 1.0


def _svm_subset(codes, targeted_rows, among_all_m):
    """The rows the default SVM is fitted on above ``SVM_SUBSET_MIN_ROWS`` rows.

    Returns the sorted fit rows; the sorted *isolated* targeted rows left out
    of the fit and taken as support vectors (see SVMSMOTE's Notes); and the
    neighbour table of ``targeted_rows`` among all rows, None unless the
    search is exact (its first ``m_neighbors`` columns then classify the
    support vectors).
    """
    m = among_all_m.resolved
    width = max(1, min(SVM_SUBSET_MAX_NEIGHBORS, SVM_SUBSET_ROWS // targeted_rows.size))
    near = among_all_m(targeted_rows, max(width, m.k) if m.exact else None)
    table = near if m.exact else None
    m_cols = m.k if m.exact else near.shape[1]
    if width >= m_cols:
        return np.union1d(targeted_rows, near), np.empty(0, np.int64), table
    # Too many targeted rows for m_neighbors neighbours each: the isolated ones (every
    # one of their m_neighbors nearest rows of another class) are noise to SVM-SMOTE
    # whatever the SVM says, so they make room for more neighbours of the others.
    isolated = np.all(codes[near[:, :m_cols]] != codes[targeted_rows][:, None], axis=1)
    if isolated.all():
        # Then every support vector is noise: the fit only has to run, as on all the rows.
        isolated[:] = False
    kept = ~isolated
    width = max(1, min(m_cols, SVM_SUBSET_ROWS // np.count_nonzero(kept)))
    fit_rows = np.union1d(targeted_rows[kept], near[kept, :width])
    if np.unique(codes[fit_rows]).size < 2:
        # The nearest rows were all of the rows' own classes; a kept row has a row of
        # another class among its first m_neighbors, by definition.
        fit_rows = np.union1d(fit_rows, near[kept, :m_cols])
    # An isolated row may still be fitted, as the neighbour of a kept row.
    return fit_rows, np.setdiff1d(targeted_rows[isolated], fit_rows).astype(np.int64), table


@Substitution(**_FITTED_ATTRIBUTES)
class SVMSMOTE(BaseOverSampler):
    """SVM-SMOTE: SMOTE seeded by the minority support vectors of an SVM.

    An SVM separates the classes; its support vectors of an over-sampled
    class are the seeds. Each is classified by its ``m_neighbors`` nearest
    neighbours among all the data: *noise* when all are of other classes
    (dropped), *in danger* when at least half are, *safe* otherwise. A share
    ``f ~ Beta(10, 10)`` of the new samples, ``int(f * (n + 1))``, is
    interpolated from seeds in danger toward one of their ``k_neighbors``
    nearest same-class samples; the rest is extrapolated from safe seeds away
    from such a neighbour, by up to ``out_step`` times their distance
    (expanding the class toward the other classes where it is safe to do so).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    k_neighbors : int or object, default=5
        Same-class neighbours to interpolate toward or extrapolate from, or an
        object with ``fit``/``kneighbors`` whose ``n_neighbors`` counts the
        sample itself.
    m_neighbors : int or object, default=10
        Neighbours among all rows that classify each support vector (noise,
        in danger, safe), or a neighbours object as above.
    svm_estimator : estimator or None, default=None
        A classifier exposing ``support_`` after ``fit`` (e.g. a configured
        ``sklearn.svm.SVC``); always fitted as given on all the data. ``None``
        means ``SVC(gamma='scale')``, fitted on a subset of the rows above
        ``SVM_SUBSET_MIN_ROWS`` rows (see Notes).
    out_step : float, default=0.5
        Largest extrapolation step, as a fraction of the distance from the
        seed to its neighbour.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    svm_estimator_ : estimator
        The fitted SVM (imbalanced-learn's attribute); set only when some class
        is over-sampled, as are the next two. Fitted on the class labels, or on
        class positions (0, 1, ... in sorted label order) for labels
        scikit-learn cannot take (time-zone-aware timestamps, periods...). When
        X holds values whose squared distances overflow float64 (about 1e150
        and beyond), the default SVM is fitted on X times the power of two that
        brings its largest magnitude into [0.5, 1), which leaves its support
        vectors unchanged.
    support_ : ndarray of int64
        Input positions of all its support vectors, in the SVM's order (its
        ``support_`` translated to input rows when it was fitted on a subset,
        followed by the sorted isolated rows left out of it, see Notes);
        only when some class is over-sampled.
    svm_fit_rows_ : ndarray of int64 or None
        The input rows the SVM was fitted on, or None for all of them; only
        when some class is over-sampled.
    danger_indices_ : dict
        Per over-sampled class label, sorted input positions of its support
        vectors in danger (interpolation seeds).
    safe_indices_ : dict
        The same for its safe support vectors (extrapolation seeds).
    noise_indices_ : dict
        The same for its support vectors taken as noise (unused).
    nn_k_ : object
        The ``k_neighbors`` object given, or for an int ``k`` an unfitted
        ``NearestNeighbors(n_neighbors=k + 1)`` standing for the exact search
        used (imbalanced-learn's attribute).
    nn_m_ : object
        The same for ``m_neighbors``.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Provenance: every synthetic row is
    ``X[source] + gap * (X[partner] - X[source])`` with ``source`` a support
    vector and ``partner`` one of its ``k_neighbors`` same-class neighbours.
    Interpolated rows have ``gap`` in [0, 1) (the segment); extrapolated rows
    have ``gap`` in (-out_step, 0]: they lie on the ray from ``source`` away
    from ``partner``, at most ``out_step`` times their distance from ``source``.

    Scaling: a kernel SVM costs about the square of its rows (imbalanced-learn
    needs ~40 s at 100k x 2 and does not finish 1M rows). With the default
    ``svm_estimator=None`` and more than ``SVM_SUBSET_MIN_ROWS`` rows, the
    SVM is fitted on a subset read from the ``m_neighbors`` search of the
    over-sampled rows among all rows (the search that then classifies the
    support vectors, widened when the subset needs more columns). Let
    ``w = min(SVM_SUBSET_MAX_NEIGHBORS, SVM_SUBSET_ROWS // n_over_sampled_rows)``:

    - ``w >= m_neighbors``: the rows of the over-sampled classes plus, for
      each, its ``w`` nearest rows among all rows;
    - otherwise (many over-sampled rows), the *isolated* rows, all of whose
      ``m_neighbors`` nearest rows are of other classes, are left out of the
      fit and taken as support vectors: they are noise to SVM-SMOTE whatever
      the SVM says, so no synthetic sample depends on their status (and in
      a full fit they are support vectors: 704 of 704 at 100k x 20 with 1 %
      label noise). Every other over-sampled row enters with its
      ``max(1, min(m_neighbors, SVM_SUBSET_ROWS // n_kept))`` nearest rows
      (and its first ``m_neighbors`` should those hold one class only).

    ``gamma`` is set to the value ``'scale'`` gives on all the data, so the
    kernel is the same. Why the minority support vectors survive: an SVM's
    solution is determined by its support vectors alone, and removing rows
    that are not support vectors leaves it unchanged. The rows removed are
    other classes' rows far from every minority sample; the few of them that
    are support vectors act on the minority through the intercept and, the
    RBF kernel being wide (``gamma='scale'``), through the decision function
    near the minority: without them the minority looks a little safer, so
    the subset fit finds *fewer* minority support vectors than the full fit,
    and hardly any that the full fit does not (minority support vectors of
    the subset fit vs imbalanced-learn's full fit, compared as
    ``benchmarks/bench_borderline.py`` does):

    ======================================  ========  ==============  =======
    make_classification data                fit rows  shared / ours   Jaccard
                                                      / full
    ======================================  ========  ==============  =======
    100k x 2, 1 % minority                     8,281  857/858/860       0.995
    100k x 20, 1 % minority                   13,987  613/616/642       0.950
    100k x 20, 1.5 % minority, 1 % flipped    16,196  1381/1388/1494    0.920
    ======================================  ========  ==============  =======

    On the last data, the interpolation and extrapolation seeds (support
    vectors in danger or safe) agree with the full fit's with Jaccard 0.852
    (679 shared, 686 ours, 790 full). At 1M x 20 with 1.5 % minority and
    1 % of labels flipped, 7,093 of the 20,032 minority rows are isolated and
    the SVM is fitted on 21,395 rows (~6 s of CPU time in libsvm, one
    thread). A fit on every minority row and its 10 nearest rows (119,930
    rows, ~280 s) finds 5,126 seeds, this one 3,329, 3,289 of them shared:
    the trade-off is the one above, larger. Pass
    ``svm_estimator=SVC(gamma='scale')`` to fit on every row regardless.

    Differences from imbalanced-learn 0.14:

    - When no support vector is in danger (or none is safe), imbalanced-learn
      generates only that group's share and misses the requested count; here
      the other group generates all the samples.
    - The SVM is fitted once per call (imbalanced-learn refits the same
      model once per over-sampled class), and on a subset above
      ``SVM_SUBSET_MIN_ROWS`` rows, as explained above: the support vectors
      found are close to, not the same as, those of a fit on every row, and
      with many over-sampled rows the isolated ones are support vectors
      without entering the fit.
    - An estimator without ``support_`` raises a TypeError (imbalanced-learn:
      RuntimeError).

    References
    ----------
    .. [1] Nguyen, H. M., Cooper, E. W. & Kamei, K. (2011). Borderline over-sampling for imbalanced
       data classification. International Journal of Knowledge Engineering and Soft Data
       Paradigms, 3(1), 4-21.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.over_sampling import SVMSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], class_sep=0.8, random_state=0)
    >>> X_res, y_res = SVMSMOTE(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).values())
    [898, 898]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS,
        "m_neighbors": NEIGHBORS,
        # Only fit() and the fitted support_ are used (imbalanced-learn also asks for predict()).
        "svm_estimator": [HasMethods(["fit"]), None],
        "out_step": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 m_neighbors=10, svm_estimator=None, out_step=0.5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors", "m_neighbors", "out_step")

    def _fit_svm(self, X, codes, plan, targeted_rows, among_all_m):
        """Fit the SVM and set ``support_`` (input positions of its support vectors).

        Returns the neighbour table of ``targeted_rows`` among all rows computed
        to choose the subset (its first ``m_neighbors`` columns are the
        neighbours that classify the support vectors), or None.
        """
        from sklearn.base import clone
        from sklearn.svm import SVC

        labels = [c.label for c in plan.classes]
        self.svm_fit_rows_ = near = isolated = None
        X_fit = X
        if self.svm_estimator is None:
            # The default kernel's gamma is 1 / (n_features * Var(X)), so scaling X
            # leaves the kernel matrix, hence the support vectors, unchanged; a power
            # of two (exact) keeps its squared distances from overflowing.
            scale = overflow_scale(X, X[:0])
            if scale != 1.0:
                X_fit = X * scale
        if self.svm_estimator is not None:
            est = clone(self.svm_estimator)
        elif X.shape[0] <= SVM_SUBSET_MIN_ROWS:
            est = SVC(gamma="scale")
        else:
            self.svm_fit_rows_, isolated, near = _svm_subset(codes, targeted_rows, among_all_m)
            est = SVC(gamma=_scale_gamma(X_fit), cache_size=_SVM_CACHE_MB)
        rows = self.svm_fit_rows_
        Xf, yf = (X_fit, codes) if rows is None else (X_fit[rows], codes[rows])
        try:
            est.fit(Xf, estimator_targets(labels, yf))
        except ValueError as err:
            named = (huge_values_error(self.svm_estimator, err, Xf, "The svm_estimator")
                     if self.svm_estimator is not None else None)
            if named is None:
                raise
            raise named from err
        if not hasattr(est, "support_"):
            # RuntimeError, as imbalanced-learn: only fitting reveals the missing attribute.
            raise RuntimeError(
                "`svm_estimator` is required to exposed a `support_` fitted attribute: "
                f"{self.svm_estimator!r} has none after fit. SVMSMOTE needs a support vector "
                "machine such as sklearn.svm.SVC."
            )
        self.svm_estimator_ = est
        support = np.asarray(est.support_, dtype=np.int64)
        # Isolated rows follow the SVM's own support vectors (see _svm_subset).
        self.support_ = support if rows is None else np.concatenate([rows[support], isolated])
        return near

    def _fit_resample(self, X, codes, plan, seed):
        self.nn_k_ = self._neighbors_attr(self.k_neighbors, "k_neighbors")
        self.nn_m_ = self._neighbors_attr(self.m_neighbors, "m_neighbors")
        self.danger_indices_, self.safe_indices_, self.noise_indices_ = {}, {}, {}
        targeted = [code for code, cls in enumerate(plan.classes) if cls.n_add > 0]
        if not targeted:
            return Resampled.from_pieces(range(X.shape[0]), [])
        among_all_m = _AllRows(X, self.m_neighbors, "m_neighbors")
        targeted_rows = np.flatnonzero(np.isin(codes, targeted))
        near = self._fit_svm(X, codes, plan, targeted_rows, among_all_m)
        pieces = []
        for code in targeted:
            cls = plan.classes[code]
            rows = self._class_rows(codes, code)
            sv = np.sort(self.support_[codes[self.support_] == code])
            if near is None:
                nn_m = among_all_m(sv)
            else:  # the exact search is ordered, so its first m columns are the m nearest
                nn_m = near[np.searchsorted(targeted_rows, sv), :int(self.m_neighbors)]
            m = nn_m.shape[1]
            n_other = _other_class_counts(codes, nn_m, code)
            noise = n_other == m
            danger = ~noise & _in_danger(n_other, m)
            safe = ~noise & ~danger
            for store, mask in ((self.danger_indices_, danger), (self.safe_indices_, safe),
                                (self.noise_indices_, noise)):
                store[cls.label] = sv[mask]
            if not (danger.any() or safe.any()):
                raise ValueError(
                    f"SVMSMOTE: class {cls.label!r} has {sv.size} support vector(s), none usable: "
                    f"all are noise (all m_neighbors={m} neighbours of another class), so nothing "
                    "can seed new samples. SVM-SMOTE is not adapted to your dataset: try "
                    "BorderlineSMOTE or SMOTE, or an svm_estimator with a larger C."
                )
            # Positions of the seeds within the class, for the same-class neighbour search.
            local = np.searchsorted(rows, sv)
            rng = stream(seed, code)
            n_inside = int(rng.beta(10, 10) * (cls.n_add + 1))
            if not danger.any():
                n_inside = 0
            elif not safe.any():
                n_inside = cls.n_add
            Xc = X[rows]
            for mask, n_new, sign in ((danger, n_inside, 1.0), (safe, cls.n_add - n_inside, -1.0)):
                if n_new == 0:
                    continue
                nn = _within_class(Xc, local[mask], self.k_neighbors, "k_neighbors", cls.label)
                # The safe rows' draws are keyed apart from the danger rows'.
                seeds, partners, gaps = draw_pairs(nn, n_new, seed, (code, int(sign < 0)))
                if sign < 0:
                    gaps *= -float(self.out_step)
                pieces.append(_on_segments(X, sv[mask][seeds], rows[partners].astype(np.int64), gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
