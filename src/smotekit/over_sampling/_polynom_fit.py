"""Polynomial fitting SMOTE: Gazzah & Ben Amara (2008), IAPR DAS 2008, 677-684."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.polynomial import polynomial as P
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments, Values, interpolate
from .._random import stream
from ._adasyn import apportion
from .base import BaseOverSampler

__all__ = ["PolynomFitSMOTE"]


def principal_order(Xc: np.ndarray) -> np.ndarray:
    """Local positions of the rows of ``Xc`` sorted along the class's first principal axis
    (ties by position); the axis's sign is fixed so that its largest component is positive."""
    centred = np.asarray(Xc, dtype=np.float64) - Xc.mean(axis=0, dtype=np.float64)
    if centred.shape[0] < 2 or not centred.any():
        return np.arange(Xc.shape[0])
    axis = np.linalg.svd(centred, full_matrices=False)[2][0]
    axis *= np.sign(axis[np.argmax(np.abs(axis))])
    return np.argsort(centred @ axis, kind="stable")


def stratified_gaps(counts: np.ndarray, rng: np.random.Generator):
    """For units receiving ``counts[u]`` points each: the unit of every point and its
    position ``(j + U) / counts[u]`` (point ``j`` of the unit, ``U`` uniform in [0, 1))."""
    units = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(units.size) - starts[units]
    return units, (rank + rng.random(units.size)) / counts[units]


@Substitution(**_FITTED_ATTRIBUTES)
class PolynomFitSMOTE(BaseOverSampler):
    """Over-sampling along the polynomial-fitting topologies of Gazzah and Ben Amara.

    The rows of a class are linked by a fixed topology and the new samples are
    drawn on its links. ``'star'``: each row is linked to the class mean, and
    every row receives an equal share of new samples on its link. ``'bus'``:
    the rows, sorted along the class's first principal axis, are linked one
    after the other, and every link receives an equal share. ``'mesh'``: every
    pair of rows is linked, and each new sample lies on a pair drawn uniformly.
    ``'polynomial'``: each feature is fitted by a polynomial of degree
    ``degree`` of the position along the same order (least squares), and the
    new samples lie on this curve.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    topology : {{'star', 'bus', 'mesh', 'polynomial'}}, default='star'
        The links the new samples lie on (see above).
    degree : int, default=2
        Degree of the fitted polynomials; used only by ``topology='polynomial'``.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    centers_ : dict
        Per over-sampled class label, the mean of its rows (the star's centre).
    paths_ : dict
        Per over-sampled class label, for ``'bus'`` and ``'polynomial'``: the
        input positions of its rows in the order of the bus and of the curve's
        parameter (along the first principal axis). Empty for the other topologies.
    coefficients_ : dict
        Per over-sampled class label, for ``'polynomial'``: the array of shape
        ``(degree + 1, n_features)`` of the curve ``c(s) = sum_i coef[i] * s**i``,
        ``s`` in [0, 1] running along ``paths_`` (row ``paths_[j]`` at
        ``s = j / (n - 1)``). Empty for the other topologies.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Counts. The paper adds a number of samples fixed by the class size (the
    same number on each link, at equally spaced positions). Here a class gets
    exactly its planned addition: for ``'star'`` and ``'bus'`` the new samples
    are split over the links as evenly as possible (each link gets the floor or
    the ceiling of the mean, the extra ones at random) and the ``c`` samples of
    a link lie at ``(j + U_j) / c``, ``j = 0..c-1``, ``U_j`` uniform: one in each
    of ``c`` equal stretches of the link. This keeps the paper's even spread
    along every link without placing every sample at the same few fractions
    (with equally spaced points, one sample per link would put them all at the
    links' midpoints). For ``'mesh'``, whose ``n (n - 1) / 2`` links cannot be
    listed for large classes, each sample draws its pair uniformly and its
    position uniformly, which is uniform sampling over the whole mesh. For
    ``'polynomial'`` the curve's parameter is drawn uniformly in [0, 1].

    Order. The paper links the samples of the bus, and parametrises the curve,
    in the sequence the samples come in. Here the sequence is the order along
    the class's first principal axis, so that the result does not depend on the
    order of the input rows, and consecutive rows are near one another along
    the direction of largest spread.

    Where new samples lie (``provenance_``). ``'bus'`` and ``'mesh'``: on the
    segment between ``source`` and ``partner``, two rows of the class, at
    ``gap``. ``'star'``: on the segment between ``source`` and the class mean
    (``centers_``), which is not an input row, so ``partner`` is -1 and ``gap``
    NaN; the segment lies in the class's convex hull, hence in its bounding
    box. ``'polynomial'``: on the fitted curve, which may leave the class's
    bounding box (least squares need not pass through the rows); ``source`` is
    the row of ``paths_`` nearest to the sample's parameter, ``partner`` -1 and
    ``gap`` NaN.

    smote-variants (``polynom_fit_SMOTE_star``, ``_bus``, ``_mesh``, ``_poly``)
    places ``round(n_add / n)`` samples per link at equally spaced positions,
    so its star and bus return other counts than planned unless ``n_add`` is
    a multiple of the number of links (and its bus has ``n - 1`` links); its
    bus follows the input order and its curve the order of the rows' means
    (the mean of a row's features); its mesh links every row to
    ``round(n_add / n)`` rows drawn with replacement (the row itself among
    them, which adds copies of it), and its curve's parameter runs slightly
    past the last row. The distributions otherwise agree (see the tests).

    Multiclass: each class with samples to add is over-sampled from its own
    rows only (no other class enters the construction), each from its own
    random stream.

    References
    ----------
    .. [1] Gazzah, S. & Ben Amara, N. E. (2008). New oversampling approaches based on polynomial
       fitting for imbalanced data sets. The Eighth IAPR International Workshop on Document
       Analysis Systems (DAS 2008), 677-684.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "topology": [StrOptions({"star", "bus", "mesh", "polynomial"})],
        "degree": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, topology="star", degree=2):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.topology = topology
        self.degree = degree

    def _check_params(self, n_features):
        refuse_bools(self, "degree")

    def _check_size(self, n: int, label) -> None:
        needed = self.degree + 1 if self.topology == "polynomial" else 2
        if n < needed:
            what = f"topology={self.topology!r}" + (f" and degree={self.degree}" if needed > 2 else "")
            fix = f"lower degree to at most {n - 1}, or " if self.topology == "polynomial" and n > 1 else ""
            raise ValueError(
                f"Class {label!r} has {n} sample(s), but PolynomFitSMOTE with {what} needs at least "
                f"{needed} to build its links; {fix}drop or merge this class, or over-sample it with "
                "RandomOverSampler."
            )

    def _fit_resample(self, X, codes, plan, seed):
        self.centers_, self.paths_, self.coefficients_ = {}, {}, {}
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            self._check_size(rows.size, cls.label)
            Xc = X[rows]
            self.centers_[cls.label] = Xc.mean(axis=0, dtype=np.float64).astype(X.dtype)
            pieces.append(getattr(self, f"_{self.topology}")(Xc, rows, cls, stream(seed, code)))
        return Resampled.from_pieces(range(X.shape[0]), pieces)

    def _star(self, Xc, rows, cls, rng):
        n = rows.size
        seeds, gaps = stratified_gaps(apportion(np.ones(n, dtype=np.int64), cls.n_add, rng), rng)
        # The mean as one more row, so that the shared kernel computes the points on the segments.
        ends = np.vstack([Xc, self.centers_[cls.label][None, :]])
        values = interpolate(ends, seeds, np.full(seeds.size, n), gaps)
        return Piece.grown(rows[seeds], Values(values))

    def _bus(self, Xc, rows, cls, rng):
        path = principal_order(Xc)
        self.paths_[cls.label] = rows[path]
        links, gaps = stratified_gaps(apportion(np.ones(path.size - 1, dtype=np.int64), cls.n_add, rng), rng)
        seeds, partners = path[links], path[links + 1]
        return Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps)

    def _mesh(self, Xc, rows, cls, rng):
        n = rows.size
        seeds = rng.integers(0, n, size=cls.n_add)
        partners = rng.integers(0, n - 1, size=cls.n_add)
        partners += partners >= seeds  # a pair of two distinct rows, uniformly
        gaps = rng.random(cls.n_add)
        return Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps)

    def _polynomial(self, Xc, rows, cls, rng):
        path = principal_order(Xc)
        self.paths_[cls.label] = rows[path]
        s = np.linspace(0.0, 1.0, path.size)
        coef = P.polyfit(s, np.asarray(Xc[path], dtype=np.float64), self.degree)
        self.coefficients_[cls.label] = coef
        t = rng.random(cls.n_add)
        values = (P.polyvander(t, self.degree) @ coef).astype(Xc.dtype, copy=False)
        nearest = path[np.rint(t * (path.size - 1)).astype(np.int64)]
        return Piece.grown(rows[nearest], Values(values))
