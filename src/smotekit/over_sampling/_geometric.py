"""Geometric SMOTE: Douzas & Bacao (2019), Information Sciences 501, 118-135."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import NEIGHBORS, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Values, in_balls
from .._random import stream
from ..neighbors import kneighbors
from .base import BaseOverSampler

__all__ = ["GeometricSMOTE", "geometric_points", "to_working_scale"]


def to_working_scale(X):
    """``X`` and ``e`` with ``X * 2**-e`` far from overflow: ``(X, 0)`` for ordinary data.

    Beyond the square root of the dtype's largest value, squared norms overflow; a
    power-of-two factor rounds nothing, so the computations run on the scaled
    rows give the very values of the plain ones, scaled (see :func:`from_working_scale`).
    """
    big = float(np.abs(X).max()) if X.size else 0.0
    if big <= 2.0 ** (np.finfo(X.dtype).maxexp // 2 - 16):
        return X, 0
    e = int(np.frexp(big)[1])
    return np.ldexp(X.astype(np.float64), -e), e


def from_working_scale(values, e, dtype):
    """``values * 2**e`` in ``dtype``, beyond its range clipped to its largest finite value."""
    limit = np.finfo(dtype).max
    with np.errstate(over="ignore"):
        values = np.ldexp(values, e) if e else values
    return np.clip(values, -limit, limit).astype(dtype, copy=False)


def geometric_points(centers, surfaces, truncation_factor, deformation_factor, rng):
    """One point per row in the region Geometric SMOTE draws from, in float64.

    A point is drawn uniformly in the unit ball; when it lies beyond the
    truncation hyperplane it is reflected through the hyperplane orthogonal to
    the direction ``e`` from the centre to the surface point (truncation); its
    component orthogonal to ``e`` is then scaled by ``1 - deformation_factor``
    (deformation); finally it is scaled by the radius ``|surface - center|``
    and moved to the centre. A zero radius gives the centre itself.

    Parameters
    ----------
    centers, surfaces : ndarray of shape (n, n_features)
    truncation_factor : float in [-1, 1]
    deformation_factor : float in [0, 1]
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of shape (n, n_features)
    """
    centers = np.asarray(centers, dtype=np.float64)
    axis = np.asarray(surfaces, dtype=np.float64) - centers
    radius = np.linalg.norm(axis, axis=1)
    e = np.divide(axis, radius[:, None], out=np.zeros_like(axis), where=radius[:, None] > 0)
    p = in_balls(np.zeros_like(centers), np.ones(centers.shape[0]), rng)
    along = np.einsum("ij,ij->i", p, e)
    t = truncation_factor
    flip = along < t - 1 if t > 0 else (along > t + 1 if t < 0 else np.zeros(along.size, bool))
    p[flip] -= 2 * along[flip, None] * e[flip]
    along[flip] = -along[flip]
    if deformation_factor:
        p = along[:, None] * e + (1 - deformation_factor) * (p - along[:, None] * e)
    return centers + radius[:, None] * p


@Substitution(**_FITTED_ATTRIBUTES)
class GeometricSMOTE(BaseOverSampler):
    """Geometric Synthetic Minority Over-sampling TEchnique (G-SMOTE).

    SMOTE puts each new sample on a segment; Geometric SMOTE draws it inside a
    region around a sample of the class (the centre): the ball whose surface
    passes through a selected point (the surface point), optionally cut by a
    hyperplane (``truncation_factor``) and flattened toward the centre-surface
    axis (``deformation_factor``). With ``truncation_factor=1`` and
    ``deformation_factor=1`` the region is SMOTE's segment. The surface point
    is, per ``selection_strategy``, one of the centre's ``k_neighbors``
    nearest rows of the class ('minority'), its nearest row of another class
    ('majority'), or the closer of the two ('combined'), which keeps the region
    clear of other classes' rows.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    truncation_factor : float in [-1, 1], default=1.0
        Truncation of the ball by a hyperplane orthogonal to the centre-surface
        axis ``e``: with ``t > 0`` the region keeps the points ``p`` (relative
        to the centre, in radius units) with ``p . e >= t - 1`` (1: the half
        ball toward the surface point); with ``t < 0`` those with
        ``p . e <= 1 + t`` (-1: the half ball away from it); 0: the whole ball.
    deformation_factor : float in [0, 1], default=0.0
        Scales the components orthogonal to ``e`` by ``1 - deformation_factor``:
        0 keeps the ball, 1 flattens it onto the centre-surface segment.
    selection_strategy : {{'combined', 'majority', 'minority'}}, default='combined'
        How the surface point is chosen (see above).
    k_neighbors : int or object, default=5
        Number of same-class neighbours a surface point is drawn from
        ('minority' and 'combined'), or an object with ``fit``/``kneighbors``
        (its ``n_neighbors`` counts the sample itself). Not used by 'majority'.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    surface_ : ndarray of int
        The surface point of each synthetic row, as a position in the input,
        aligned with the synthetic rows in output order (those of
        ``provenance_.is_synthetic``); their centres are ``provenance_.source``.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Region. A new row ``x`` grown from centre ``c`` with surface point ``s``
    (radius ``r = |s - c|``, axis ``e = (s - c) / r``) satisfies, with
    ``q = (x - c) / r``: ``(q . e)**2 + |q - (q . e) e|**2 / (1 - deformation_factor)**2 <= 1``
    (the ball when the factor is 0), and the truncation bound above. It
    is not on a segment between two input rows: its provenance has
    ``partner = -1`` and ``gap = NaN``, its source is the centre and
    ``surface_`` names the surface point. It can lie outside the class's
    bounding box (up to ``r`` from the centre in any kept direction).

    Draws. As in the authors' package: the (centre, neighbour) pair is drawn
    uniformly over all pairs ('minority', 'combined'), the centre uniformly
    over the class ('majority'); the 'majority' and 'combined' surface point of
    another class is the centre's nearest row of the other classes, and
    'combined' takes the same-class neighbour when both are at the same
    distance. The truncated region is drawn by reflecting the points of the
    ball that fall beyond the hyperplane, as the authors do (so the density is
    not uniform over it when ``|truncation_factor| < 1``).

    Multiclass: each class to over-sample is the minority against all rows of
    the other classes (one against the rest), each from its own random stream.

    smote-variants 1.0.1 has no Geometric SMOTE: its ``G_SMOTE`` is Sandhan &
    Choi's (2014) partially guided hybrid sampling, a different method.

    References
    ----------
    .. [1] Douzas, G. & Bacao, F. (2019). Geometric SMOTE: a geometrically enhanced drop-in
       replacement for SMOTE. Information Sciences, 501, 118-135.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "truncation_factor": [Interval(Real, -1, 1, closed="both")],
        "deformation_factor": [Interval(Real, 0, 1, closed="both")],
        "selection_strategy": [StrOptions({"combined", "majority", "minority"})],
        "k_neighbors": NEIGHBORS,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, truncation_factor=1.0,
                 deformation_factor=0.0, selection_strategy="combined", k_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.truncation_factor = truncation_factor
        self.deformation_factor = deformation_factor
        self.selection_strategy = selection_strategy
        self.k_neighbors = k_neighbors

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors", "truncation_factor", "deformation_factor")

    def _surfaces(self, X, codes, code, rows, n_add, rng, label):
        """Centres and surface points (positions in ``X``) of ``n_add`` new rows of one class."""
        strategy = self.selection_strategy
        others = np.flatnonzero(codes != code)
        if others.size == 0:  # nothing else to stay clear of (as the authors' package)
            strategy = "minority"
        if strategy != "minority":
            # The nearest row of the other classes to every row of the class.
            nearest_other = others[kneighbors(X[others], 1, query=X[rows])[:, 0]]
        if strategy == "majority":
            centre = rng.integers(0, rows.size, size=n_add)
            return rows[centre], nearest_other[centre]
        nn = self._neighbors_within(X[rows], self.k_neighbors, "k_neighbors", label, rows.size)
        pair = rng.integers(0, nn.size, size=n_add)
        centre, same = pair // nn.shape[1], rows[nn.ravel()[pair]]
        if strategy == "minority":
            return rows[centre], same
        other = nearest_other[centre]
        c = X[rows[centre]]
        farther = np.linalg.norm(X[same] - c, axis=1) > np.linalg.norm(X[other] - c, axis=1)
        return rows[centre], np.where(farther, other, same)

    def _fit_resample(self, X, codes, plan, seed):
        dtype = X.dtype
        X, e = to_working_scale(X)
        pieces, surfaces = [], []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            rng = stream(seed, code)
            source, surface = self._surfaces(X, codes, code, rows, cls.n_add, rng, cls.label)
            values = geometric_points(X[source], X[surface], self.truncation_factor,
                                      self.deformation_factor, rng)
            values = from_working_scale(values, e, dtype)
            pieces.append(Piece.grown(source, Values(values)))
            surfaces.append(surface)
        self.surface_ = np.concatenate(surfaces) if surfaces else np.empty(0, np.int64)
        return Resampled.from_pieces(range(X.shape[0]), pieces)
