"""The relevance function of a continuous target, and its rare / normal bins.

Relevance ``phi(y)`` in [0, 1] says how much a target value matters; in
imbalanced regression the rare values (usually the extremes) matter most.
Ribeiro (2011) defines it by a few control points ``(y, phi, slope)`` joined by
piecewise cubic Hermite interpolation whose slopes are adjusted by Fritsch and
Carlson's rule, so that each piece is monotone and stays between its end
values. Without user control points they come from the box-plot statistics of
``y``: relevance 1 at the whiskers' ends beyond which values are outliers, 0 at
the median (R's ``boxplot.stats``, as UBL and smogn use it).

The bins (smogn's "bumps", UBL's "classes") are the maximal runs of sorted
target values on the same side of a relevance threshold: the units the
regression samplers resample, as a class is for the classification samplers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import check_is_fitted

from ._target import as_float_vector

__all__ = ["Relevance", "RelevanceBins", "relevance_bins"]


def _fivenum(sorted_y: np.ndarray) -> np.ndarray:
    """Tukey's five numbers of sorted values, as R's ``fivenum`` computes them:
    minimum, lower hinge, median, upper hinge, maximum (hinges are medians of the
    lower and upper halves, the median counted in both when ``n`` is odd)."""
    n = sorted_y.size
    n4 = np.floor((n + 3) / 2) / 2
    depth = np.array([1.0, n4, (n + 1) / 2, n + 1 - n4, n]) - 1  # 0-based
    return 0.5 * (sorted_y[np.floor(depth).astype(int)] + sorted_y[np.ceil(depth).astype(int)])


def _boxplot_stats(y: np.ndarray, coef: float) -> tuple[np.ndarray, np.ndarray]:
    """R's ``boxplot.stats(y, coef)``: the five statistics (lower whisker end, lower
    hinge, median, upper hinge, upper whisker end) and the mask of the outliers,
    the values beyond ``coef`` times the hinge spread from the hinges. The whisker
    ends are the most extreme values that are not outliers."""
    stats = _fivenum(np.sort(y))
    spread = stats[3] - stats[1]
    out = (y < stats[1] - coef * spread) | (y > stats[3] + coef * spread)
    if out.any():
        inside = y[~out]
        stats[0], stats[4] = inside.min(), inside.max()
    return stats, out


def _range_slopes(x: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Slopes of user control points given without them (UBL's ``phi.range``): 0 at
    both ends, the mean of the two adjacent secants at inner points."""
    secants = np.diff(phi) / np.diff(x)
    return np.concatenate([[0.0], (secants[1:] + secants[:-1]) / 2, [0.0]])


def _monotone_slopes(x: np.ndarray, phi: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    """Fritsch and Carlson's (1980) adjustment of the slopes, interval by interval
    from the left, as Ribeiro's (2011) relevance code (UBL) applies it.

    On a flat interval both end slopes become 0. Elsewhere a slope of the wrong
    sign is turned over, and a pair of slopes outside the monotonicity region
    (both ratios to the secant past it) is scaled back onto its border. Each
    interval may change the slope it shares with the next one, which then starts
    from the changed value: the order matters and is kept.
    """
    m = slopes.astype(np.float64, copy=True)
    secants = np.diff(phi) / np.diff(x)
    for k, s in enumerate(secants):
        if s == 0:
            m[k] = m[k + 1] = 0.0
            continue
        alpha, beta = m[k] / s, m[k + 1] / s
        if m[k] != 0 and alpha < 0:
            m[k] = -m[k]
            alpha = m[k] / s
        if m[k + 1] != 0 and beta < 0:
            m[k + 1] = -m[k + 1]
            beta = m[k + 1] / s
        two_a, two_b = 2 * alpha + beta - 3, alpha + 2 * beta - 3
        if two_a > 0 and two_b > 0 and alpha * (two_a + two_b) < two_a * two_a:
            tau = 3 * s / np.sqrt(alpha * alpha + beta * beta)
            m[k], m[k + 1] = tau * alpha, tau * beta
    return m


class Relevance(BaseEstimator):
    """Relevance of target values: Ribeiro's piecewise cubic Hermite interpolation.

    ``phi(y)`` in [0, 1] is 1 for the values that matter most (rare ones) and 0
    for ordinary ones. It is defined by control points ``(y, phi(y), phi'(y))``
    joined by cubic Hermite pieces whose slopes are adjusted by Fritsch and
    Carlson's rule, so that each piece is monotone between its end values
    (always so for the automatic points, whose slopes are 0).

    Parameters
    ----------
    extremes : {'both', 'high', 'low'}, default='both'
        Which tails are relevant when the control points are automatic: the
        high and low outliers, only the high ones, or only the low ones.
    coef : float, default=1.5
        The whisker coefficient of the box plot: values farther than ``coef``
        times the hinge spread from the hinges are outliers. Larger values
        make fewer values rare.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        User control points, one per row: target value, relevance in [0, 1],
        and optionally the slope there. Without slopes they are estimated as
        UBL's ``phi.range`` does (0 at the ends, the mean of the adjacent
        secants inside). Rows are sorted by target value, which must not
        repeat. None: automatic points from the box-plot statistics of ``y``.

    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3)
        Target value, relevance and slope of each control point, by increasing
        target value; the slopes as given or estimated, before the
        Fritsch-Carlson adjustment applied when ``phi`` is evaluated (the
        layout of UBL's ``phi.control``).

    Notes
    -----
    Automatic control points, as UBL's ``phi.control(method='extremes')``:
    with ``s`` the box-plot statistics of ``y`` (R's ``boxplot.stats``: the
    hinges are Tukey's, as ``fivenum`` computes them; the whisker ends are
    the most extreme values that are not outliers), the points are
    ``(s_lower_whisker, 1, 0)`` when the low tail is relevant and has outliers,
    else ``(min(y), 0, 0)``; then ``(median, 0, 0)`` unless the median is the
    minimum; then ``(s_upper_whisker, 1, 0)`` when the high tail is relevant
    and has outliers, else ``(max(y), 0, 0)`` unless the median is the maximum.
    A tail without outliers thus has no rare value.

    Outside the control points' range, ``phi`` is extended linearly with the
    end point's adjusted slope, as UBL evaluates it (so constantly for the
    automatic points, whose slopes are 0), and clipped to [0, 1]; smogn 0.1.2
    gives 1 below the first point instead, which differs only for user points
    whose first relevance is not 1, or for values below an automatic lower
    point of relevance 0 (the training minimum, so only for new values).

    smogn 0.1.2 computes the hinges with numpy's "midpoint" quantiles, which
    differ from Tukey's hinges when ``len(y) % 4 == 2``; its control points,
    and hence its relevance, then differ from UBL's and these. smogn also
    misplaces the estimated slopes of user points given without slopes; UBL's
    estimate is used here.

    The slope adjustment is UBL's: interval by interval from the left, a
    slope of the wrong sign turned over. At a user point where relevance
    peaks or dips with a non-zero slope (given, or estimated from the two
    secants), the turn made for the second piece leaves the first one
    overshooting slightly; values beyond [0, 1] are clipped. Give slope 0 at
    such points for monotone pieces.

    When the automatic points would repeat a target value (the lower whisker's
    end equal to the median, say, when more than half of ``y`` is one value and
    the other tail has outliers), UBL's interpolation divides by zero; here
    ``fit`` refuses such ``y`` and asks for control points.

    References
    ----------
    .. [1] Ribeiro, R. P. (2011). Utility-based regression. PhD thesis, Faculty of Sciences,
       University of Porto.
    .. [2] Fritsch, F. N. & Carlson, R. E. (1980). Monotone piecewise cubic interpolation. SIAM
       Journal on Numerical Analysis, 17(2), 238-246.
    .. [3] Branco, P., Ribeiro, R. P. & Torgo, L. (2016). UBL: an R package for utility-based
       learning. arXiv preprint, arXiv:1604.08079.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression import Relevance
    >>> y = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 30])
    >>> rel = Relevance().fit(y)
    >>> rel.control_points_
    array([[1., 0., 0.],
           [3., 0., 0.],
           [5., 1., 0.]])
    >>> rel.phi([3.0, 4.0, 30.0])
    array([0. , 0.5, 1. ])
    """

    _parameter_constraints: dict = {
        "extremes": [StrOptions({"both", "high", "low"})],
        "coef": [Interval(Real, 0, None, closed="neither")],
        "control_points": ["array-like", None],
    }

    def __init__(self, *, extremes="both", coef=1.5, control_points=None):
        self.extremes = extremes
        self.coef = coef
        self.control_points = control_points

    def fit(self, y=None):
        """Set the control points (from ``y`` unless they were given).

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Target values (numpy, list, pandas or polars Series). May be None
            when ``control_points`` are given.

        Returns
        -------
        self : Relevance
        """
        self._validate_params()
        if isinstance(self.coef, bool):
            raise ValueError(f"Relevance's coef must be a positive number, got {self.coef!r}; pass e.g. 1.5.")
        if self.control_points is not None:
            points = self._user_points()
        else:
            if y is None:
                raise ValueError("Relevance.fit needs y when control_points is None (the points come from "
                                 "the box-plot statistics of y).")
            points = self._automatic_points(_finite_vector(y))
        self.control_points_ = points
        x, phi = points[:, 0], points[:, 1]
        slopes = _monotone_slopes(x, phi, points[:, 2])
        h, secants = np.diff(x), np.diff(phi) / np.diff(x)
        # The cubic of piece k is phi_k + s * (b_k + s * (c_k + s * d_k)), s = y - x_k.
        self._coefs = (x, phi, slopes,
                       (3 * secants - 2 * slopes[:-1] - slopes[1:]) / h,
                       (slopes[:-1] - 2 * secants + slopes[1:]) / (h * h))
        return self

    def _user_points(self) -> np.ndarray:
        try:
            pts = np.array(self.control_points, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"control_points must be numbers, one row (y, phi) or (y, phi, slope) per point; "
                             f"got {self.control_points!r}.") from exc
        if pts.ndim != 2 or pts.shape[1] not in (2, 3) or pts.shape[0] < 2:
            raise ValueError(f"control_points must have shape (m, 2) or (m, 3) with m >= 2: rows (y, phi) or "
                             f"(y, phi, slope); got shape {pts.shape}. E.g. [[10, 0], [50, 1]].")
        if not np.isfinite(pts).all():
            raise ValueError("control_points contain NaN or infinity; give finite numbers.")
        if (pts[:, 1] < 0).any() or (pts[:, 1] > 1).any():
            raise ValueError(f"control_points' relevance (second column) must be in [0, 1]; got "
                             f"{pts[:, 1].tolist()}.")
        pts = pts[np.argsort(pts[:, 0], kind="stable")]
        if (np.diff(pts[:, 0]) == 0).any():
            dup = pts[1:, 0][np.diff(pts[:, 0]) == 0][0]
            raise ValueError(f"control_points repeat the target value {dup}; each point needs its own "
                             "target value (first column).")
        if pts.shape[1] == 2:
            pts = np.column_stack([pts, _range_slopes(pts[:, 0], pts[:, 1])])
        return pts

    def _automatic_points(self, y: np.ndarray) -> np.ndarray:
        if y.min() == y.max():
            raise ValueError(f"y has a single distinct value ({y[0]}); automatic control points need at least "
                             "two. Pass control_points to say which values are relevant.")
        stats, out = _boxplot_stats(y, float(self.coef))
        lo, hi = y.min(), y.max()
        points = []
        if self.extremes in ("both", "low") and (y[out] < stats[0]).any():
            points.append((stats[0], 1.0, 0.0))
        else:
            points.append((lo, 0.0, 0.0))
        if stats[2] != lo:
            points.append((stats[2], 0.0, 0.0))
        if self.extremes in ("both", "high") and (y[out] > stats[4]).any():
            points.append((stats[4], 1.0, 0.0))
        elif stats[2] != hi:
            points.append((hi, 0.0, 0.0))
        pts = np.array(points)
        if (np.diff(pts[:, 0]) <= 0).any():
            raise ValueError(
                f"The automatic control points of y collapse (target values {pts[:, 0].tolist()}): the median "
                f"is also a whisker's end, as when most rows share one value ({stats[2]}). Pass "
                "control_points, e.g. [[low, 1], [median, 0], [high, 1]], to say which values are relevant."
            )
        return pts

    def phi(self, y):
        """Relevance of each target value.

        Parameters
        ----------
        y : float or array-like of shape (n,)
            Target values, observed or predicted (NaN in a numpy array or a list
            gives NaN; missing values of a pandas or polars Series are refused).

        Returns
        -------
        float or ndarray of float64, shape (n,)
            Relevance in [0, 1].
        """
        check_is_fitted(self, "control_points_")
        scalar = np.ndim(y) == 0 and not hasattr(y, "__len__")
        v = np.atleast_1d(np.asarray(y, dtype=np.float64)) if scalar else as_float_vector(y)
        x, a, b, c, d = self._coefs
        m = x.size
        piece = np.searchsorted(x, v, side="right") - 1
        inside = (piece >= 0) & (piece < m - 1)
        out = np.empty_like(v)
        k = piece[inside]
        s = v[inside] - x[k]
        out[inside] = a[k] + s * (b[k] + s * (c[k] + s * d[k]))
        # Beyond the points: the straight line of the nearer end point (UBL's evaluation).
        end = np.where(piece < 0, 0, m - 1)[~inside]
        out[~inside] = a[end] + b[end] * (v[~inside] - x[end])
        np.clip(out, 0.0, 1.0, out=out)
        return float(out[0]) if scalar else out

    __call__ = phi


def _finite_vector(y) -> np.ndarray:
    v = as_float_vector(y)
    if v.size == 0:
        raise ValueError("y is empty; relevance needs target values.")
    if not np.isfinite(v).all():
        raise ValueError("y contains NaN or infinity; relevance needs finite target values. Drop those rows.")
    return v


@dataclass
class RelevanceBins:
    """The relevance bins of a target: runs of sorted values on one side of a threshold.

    Bins are numbered 0, 1, ... by increasing target value; equal target values
    are always in the same bin.

    Attributes
    ----------
    bin_of_row : ndarray of int64, shape (n_rows,)
        The bin of each input row.
    lower, upper : ndarray of float64, shape (n_bins,)
        The smallest and largest target value of each bin.
    rare : ndarray of bool, shape (n_bins,)
        Whether the bin's values are rare (relevance >= threshold).
    n_rows : ndarray of int64, shape (n_bins,)
        Rows per bin.
    relevance : ndarray of float64, shape (n_rows,)
        The relevance of each input row.
    threshold : float
        The relevance threshold the bins were cut at.
    n_target : ndarray of int64 or None
        Rows per bin after resampling, set by a fitted sampler (None otherwise).
    """

    bin_of_row: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    rare: np.ndarray
    n_rows: np.ndarray
    relevance: np.ndarray = field(repr=False)
    threshold: float = 0.5
    n_target: np.ndarray | None = None

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.n_rows.size)

    def rows(self, b: int) -> np.ndarray:
        """Input positions of the rows of bin ``b``, increasing."""
        return np.flatnonzero(self.bin_of_row == b)

    def rows_by_bin(self) -> list:
        """Input positions of the rows of every bin, increasing, bin by bin (one sort for all
        bins, where :meth:`rows` reads every row once per bin)."""
        order = np.argsort(self.bin_of_row, kind="stable")
        return np.split(order, np.cumsum(self.n_rows)[:-1])

    def to_frame(self):
        """A pandas DataFrame, one row per bin: ``lower``, ``upper``, ``rare``, ``n_rows``
        (and ``n_target`` when set), indexed by bin."""
        import pandas as pd

        data = {"lower": self.lower, "upper": self.upper, "rare": self.rare, "n_rows": self.n_rows}
        if self.n_target is not None:
            data["n_target"] = self.n_target
        return pd.DataFrame(data, index=pd.RangeIndex(self.n_bins, name="bin"))

    def __repr__(self) -> str:
        parts = [f"[{lo:g}, {hi:g}] {'rare' if r else 'normal'} {n}" for lo, hi, r, n in
                 zip(self.lower, self.upper, self.rare, self.n_rows)]
        return f"RelevanceBins(threshold={self.threshold:g}: " + "; ".join(parts) + ")"


@validate_params(
    {"y": ["array-like"], "relevance": [Relevance, None], "threshold": [Interval(Real, 0, 1, closed="right")]},
    prefer_skip_nested_validation=True,
)
def relevance_bins(y, *, relevance=None, threshold=0.5) -> RelevanceBins:
    """The rare and normal bins of a target: maximal runs of sorted values on one side of a threshold.

    A value is rare when its relevance is at least ``threshold``. Sorting the
    target values, each change between rare and normal starts a new bin
    (smogn's "bumps", UBL's "classes"); equal values have equal relevance,
    so they are never split.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values (numpy, list, pandas or polars Series).
    relevance : Relevance, default=None
        None: ``Relevance()`` fitted on ``y``. A fitted Relevance is used as is;
        an unfitted one is cloned and fitted on ``y``.
    threshold : float in (0, 1], default=0.5
        The relevance from which a value is rare.

    Returns
    -------
    RelevanceBins

    Notes
    -----
    A value is rare when ``phi(y) >= threshold``, as in smogn and in UBL
    since 2016 (its earlier versions used ``>``).

    References
    ----------
    .. [1] Torgo, L., Ribeiro, R. P., Pfahringer, B. & Branco, P. (2013). SMOTE for regression.
       Progress in Artificial Intelligence (EPIA 2013), LNCS 8154, 378-389.

    Examples
    --------
    >>> from smotekit.regression import relevance_bins
    >>> bins = relevance_bins([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 30])
    >>> bins.n_rows, bins.rare
    (array([6, 4]), array([False,  True]))
    """
    values = _finite_vector(y)
    if relevance is None:
        relevance = Relevance().fit(values)
    elif not hasattr(relevance, "control_points_"):
        relevance = clone(relevance).fit(values)
    phi = relevance.phi(values)
    order = np.argsort(values, kind="stable")
    rare_sorted = phi[order] >= threshold
    starts = np.concatenate([[0], np.flatnonzero(rare_sorted[1:] != rare_sorted[:-1]) + 1])
    ends = np.concatenate([starts[1:], [values.size]])
    bin_sorted = np.repeat(np.arange(starts.size, dtype=np.int64), ends - starts)
    bin_of_row = np.empty(values.size, dtype=np.int64)
    bin_of_row[order] = bin_sorted
    sorted_values = values[order]
    return RelevanceBins(bin_of_row, sorted_values[starts], sorted_values[ends - 1], rare_sorted[starts],
                         (ends - starts).astype(np.int64), phi, float(threshold))
