"""CCR: Koziarski & Woźniak (2017), International Journal of Applied Mathematics and Computer Science 27(4), 727-736."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Values, directions, in_balls
from .._random import stream
from ..neighbors import kneighbors
from ._adasyn import apportion
from .base import BaseOverSampler

__all__ = ["CCR"]

# Entries of one neighbour table (query rows x k): bounds the memory of the sphere search.
_TABLE_ENTRIES = 1 << 22
# Neighbours asked first; rows whose sphere swallows them all are asked again with 4 times more.
_FIRST_K = 16
# (sphere, row inside) pairs at most: their pushes take ~(24 + 8 d) bytes each. More means an
# energy far beyond the data's distances, where every sphere holds most of the other classes.
_MAX_INSIDE = 1 << 26


def _radii(dist: np.ndarray, energy: float):
    """Sphere radius of each row of the sorted distance table ``dist`` (one row per
    centre, its nearest other-class rows in order), and how many of them it reached.

    Growing the radius from ``d`` to ``d'`` with ``j`` rows of the other classes
    inside costs ``(d' - d) * (j + 1)`` energy; the radius stops where the budget
    runs out.
    """
    n, k = dist.shape
    steps = np.diff(dist, axis=1, prepend=0.0)
    np.maximum(steps, 0.0, out=steps)
    spent = np.cumsum(steps * np.arange(1, k + 1), axis=1)
    reached = np.count_nonzero(spent <= energy, axis=1)
    last = np.maximum(reached - 1, 0)
    at = np.where(reached > 0, dist[np.arange(n), last], 0.0)
    used = np.where(reached > 0, spent[np.arange(n), last], 0.0)
    return at + (energy - used) / (reached + 1), reached


def _spheres(centres, others, energy: float):
    """Radius of the sphere of every row of ``centres`` against the rows ``others``, and
    the (centre, other, distance) triples of the other rows strictly inside.

    Only the nearest rows of ``others`` are searched, ``_FIRST_K`` first, four times
    more for the centres whose sphere reached them all; no table exceeds
    ``_TABLE_ENTRIES`` entries.
    """
    n_other = others.shape[0]
    radii = np.empty(centres.shape[0])
    found, n_inside = [], 0
    pending, k = np.arange(centres.shape[0]), min(_FIRST_K, n_other)
    while pending.size:
        undecided = []
        step = max(1, _TABLE_ENTRIES // k)
        for start in range(0, pending.size, step):
            rows = pending[start:start + step]
            idx, dist = kneighbors(others, k, query=centres[rows], return_distance=True)
            r, reached = _radii(dist, energy)
            open_ = (reached == k) & (k < n_other)
            undecided.append(rows[open_])
            done = ~open_
            radii[rows[done]] = r[done]
            inside = (np.arange(k) < reached[:, None]) & (dist < r[:, None]) & done[:, None]
            q, j = np.nonzero(inside)
            found.append((rows[q], idx[q, j], dist[q, j]))
            n_inside += q.size
            if n_inside > _MAX_INSIDE:
                raise ValueError(
                    f"CCR: with energy={energy}, the spheres hold more than {_MAX_INSIDE:,} rows of the other "
                    "classes (every sphere swallows most of them): energy is a distance in X's units and is "
                    "far larger than the distances in this data. Standardise the features, or lower energy."
                )
        pending, k = np.concatenate(undecided), min(4 * k, n_other)
    centre, other, d = (np.concatenate(parts) for parts in zip(*found))
    return radii, centre, other, d


@Substitution(**_FITTED_ATTRIBUTES)
class CCR(BaseOverSampler):
    """Combined Cleaning and Resampling.

    Every row of a class to over-sample gets a sphere, grown from radius 0 with
    an ``energy`` budget: each unit of radius costs one plus the number of rows
    of the other classes already inside, so a sphere stops early among many
    other-class rows and grows up to ``energy`` where there are none. The rows
    of the other classes caught inside a sphere are pushed out to its surface
    (cleaning), and the new rows are drawn uniformly inside the spheres, the
    row with sphere radius ``r_i`` receiving a share of them proportional to
    ``1 / r_i``: the difficult regions, where spheres are small, get the most.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    energy : float, default=1.0
        Budget of each sphere, in units of distance (smote-variants' default); no
        radius exceeds it. Scale the features first: it is an absolute distance.
    cleaning : {{'translate', 'none'}}, default='translate'
        ``'translate'``: rows of other classes inside spheres are moved to the
        spheres' surface (the paper). ``'none'``: spheres are grown the same way
        and no row is moved (the input rows are all kept, as by SMOTE).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    radii_ : dict
        Per over-sampled class label, the sphere radius of each of its rows
        (in input order, aligned with ``sample_rows_``).
    sample_rows_ : dict
        Per over-sampled class label, the input positions of its rows.
    n_generated_per_sample_ : dict
        Per over-sampled class label, the new rows drawn in each row's sphere.
    translated_indices_ : ndarray of int
        Input positions of the rows moved by the cleaning, in increasing order
        (empty for ``cleaning='none'``).
    translations_ : ndarray of shape (n_translated, n_features)
        The vector each of them was moved by (the sum of the pushes of every
        sphere it was in).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Output. The input rows come first, in input order, except the translated
    ones: a moved row is no longer an input row, so it is output after them as
    a new row of its own class (``provenance_.source`` is the row it was moved
    from, ``partner`` -1, ``gap`` NaN), followed by the new rows of each
    class (``source`` the centre of the sphere they were drawn in). Class sizes
    are unchanged by the cleaning and equal the plan's targets. There is no
    ``'remove'`` cleaning: removing rows would make the sizes depend on the data.

    Geometry. Distances are Euclidean and new rows are uniform in Euclidean
    balls (:func:`~smotekit._generation.in_balls`). The authors' code and
    smote-variants use the taxicab (L1) distance and draw points coordinate by
    coordinate in an L1 ball (smote-variants' draw can leave it: each
    coordinate is bounded by the radius minus the previous one only). Radii are
    therefore not comparable between the two for the same ``energy``: an L1
    distance is up to ``sqrt(n_features)`` times the Euclidean one.

    Radius. Moving from radius ``d`` to the next other-class row at ``d'``
    with ``j`` rows inside costs ``(d' - d) (j + 1)``; when the budget left
    cannot pay for the next row the radius grows by ``budget / (j + 1)`` and
    stops, and when every other-class row is inside the rest of the budget is
    spent the same way. smote-variants' loop differs: it measures each step
    from the distance of the row two places back (the farthest row's for the
    second step, which then costs nothing), and when every row is inside it
    divides the rest by ``j`` instead of ``j + 1``. A row of another class
    exactly at a sphere's centre is pushed by the radius in a uniformly random
    direction (smote-variants adds a random offset of about 1e-6 first).
    A row inside several spheres is moved by the sum of their pushes, as in
    the paper, computed from the input positions.

    Cleaning in smote-variants. It computes the translations but returns the
    input rows unchanged: its cleaning does not reach the output.

    Allocation. Each row's share ``n_add (1 / r_i) / sum(1 / r)`` is apportioned
    by the largest-remainder method, so the class reaches its planned size
    exactly. smote-variants rounds each share on its own and normalises by the
    ratio of sums (``n_min / sum(r)``), so its total can miss the target.

    Multiclass. Every class with rows to add is over-sampled as the minority
    against all rows of the other classes (one vs rest), each from its own
    stream; the pushes of all classes' spheres add up. The multi-class paper
    [2]_ instead processes the classes from the largest down against a random
    subset of the larger ones, including their synthetic rows, which makes
    each class depend on the previous ones; it is not followed here.

    New rows lie inside their sphere (distance to the source at most its
    radius), which can reach past the class's bounding box; translated rows lie
    on or beyond the surface of the spheres that held them.

    References
    ----------
    .. [1] Koziarski, M. & Woźniak, M. (2017). CCR: a combined cleaning and resampling algorithm
       for imbalanced data classification. International Journal of Applied Mathematics and
       Computer Science, 27(4), 727-736.
    .. [2] Koziarski, M., Woźniak, M. & Krawczyk, B. (2020). Combined Cleaning and Resampling
       algorithm for multi-class imbalanced data with label noise. Knowledge-Based Systems,
       204, 106223.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "energy": [Interval(Real, 0, None, closed="neither")],
        "cleaning": [StrOptions({"translate", "none"})],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, energy=1.0, cleaning="translate"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.energy = energy
        self.cleaning = cleaning

    def _check_params(self, n_features):
        refuse_bools(self, "energy")

    def _fit_resample(self, X, codes, plan, seed):
        energy = float(self.energy)
        self.radii_, self.sample_rows_, self.n_generated_per_sample_ = {}, {}, {}
        pieces, moved, pushes = [], [], []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            rest = np.flatnonzero(codes != code)
            Xc = X[rows]
            radii, centre, other, dist = _spheres(Xc, X[rest], energy)
            rng = stream(seed, code)
            if self.cleaning == "translate" and centre.size:
                push = X[rest[other]].astype(np.float64) - Xc[centre]
                same = dist == 0
                push[same] = directions(int(same.sum()), X.shape[1], stream(seed, code, 1))
                dist = np.where(same, 1.0, dist)
                push *= ((radii[centre] - np.where(same, 0.0, dist)) / dist)[:, None]
                moved.append((rest[other], rows[centre]))
                pushes.append(push)
            per_row = apportion(1.0 / radii, cls.n_add, rng)
            seeds = np.repeat(np.arange(rows.size), per_row)
            new = in_balls(Xc[seeds], radii[seeds], rng).astype(X.dtype, copy=False)
            pieces.append(Piece.grown(rows[seeds], Values(new)))
            self.radii_[cls.label], self.sample_rows_[cls.label] = radii, rows
            self.n_generated_per_sample_[cls.label] = per_row
        translated, total = _sum_by_row(moved, pushes, X.shape[1])
        self.translated_indices_, self.translations_ = translated, total
        if translated.size == 0:
            return Resampled.from_pieces(range(X.shape[0]), pieces)
        values = (X[translated].astype(np.float64) + total).astype(X.dtype, copy=False)
        cleaned = Piece.grown(translated, Values(values))
        kept = np.setdiff1d(np.arange(X.shape[0]), translated, assume_unique=True)
        return Resampled.from_pieces(kept, [cleaned, *pieces])


def _sum_by_row(pairs: list, vectors: list, n_features: int):
    """The distinct moved rows of the ``(moved, centre)`` pairs, increasing, and for each the
    sum of its ``vectors``, added in the order of the centres: the sums do not depend on the
    order the pairs were found in (chunks, rounds of the search, classes)."""
    if not pairs:
        return np.empty(0, np.int64), np.empty((0, n_features))
    rows = np.concatenate([p[0] for p in pairs])
    centres = np.concatenate([p[1] for p in pairs])
    order = np.lexsort((centres, rows))
    rows, vectors = rows[order], np.concatenate(vectors)[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    return rows[starts], np.add.reduceat(vectors, starts, axis=0)
