"""Random multi-label resampling: ML-ROS / ML-RUS and LP-ROS / LP-RUS (Charte et al. 2015)."""

from __future__ import annotations

import logging
import math
from fractions import Fraction
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import refuse_bools
from .._docstring import Substitution
from .._generation import Resampled
from .._random import stream
from ._measures import irlbl
from .base import _DOCS, BaseMultilabelSampler

__all__ = ["MLROS", "MLRUS"]

_log = logging.getLogger(__name__)

# The texts MLROS and MLRUS share, beside the family's (``_DOCS``).
_RANDOM_DOCS = {
    **_DOCS,
    "reference": """.. [1] Charte, F., Rivera, A. J., del Jesus, M. J. & Herrera, F. (2015). Addressing imbalance in
       multilabel classification: Measures and random resampling algorithms. Neurocomputing, 163, 3-16.""",
    "random_state": """random_state : int, RandomState, Generator or None, default=None
        Seed of the randomness, resolved once per call; each bag draws from
        its own stream (keyed by label column, or by the label set's rank
        among the sorted distinct sets).""",
}


def _rows_for(n_rows: int, percentage) -> int:
    """``ceil(n_rows * percentage / 100)``: the papers' loops run while ``|D| / 100 * P`` stays
    above 0, one row at a time. The percentage is read as the decimal it prints as, so that
    0.1 means one tenth (not the binary float just above it, which would round up one row more)."""
    return math.ceil(n_rows * Fraction(str(percentage)) / 100)


def _labelset_bags(Y: np.ndarray):
    """The rows of each distinct label set (sorted sets): ``rows_of(b)`` gives bag ``b``'s rows,
    ascending, and ``sizes`` the bags' sizes."""
    _, codes, sizes = np.unique(np.packbits(Y, axis=1), axis=0, return_inverse=True, return_counts=True)
    by_bag = np.argsort(codes.ravel(), kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])

    def rows_of(bag):
        return by_bag[starts[bag]:starts[bag + 1]]

    return rows_of, sizes


def _lp_shares(sizes: np.ndarray, bags: np.ndarray, n_rows: int, budget: int, direction: int) -> list:
    """Rows to add (``direction`` 1) or remove (-1) per bag, in the order the bags are served.

    The bags are served from the one nearest the mean size (largest minority bag, smallest
    majority bag); each gets an even share of what is left, capped so that it does not cross
    the mean size, and what it cannot take passes to the bags after it.
    """
    mean = Fraction(n_rows, len(sizes))
    order = bags[np.argsort(-direction * sizes[bags], kind="stable")]
    shares, left = [], budget
    for j, bag in enumerate(order):
        room = math.floor(direction * (mean - int(sizes[bag])))
        take = min(left // (len(order) - j), room)
        shares.append((int(bag), take))
        left -= take
    return shares


@Substitution(**_RANDOM_DOCS)
class MLROS(BaseMultilabelSampler):
    """Random over-sampling of multi-label data: ML-ROS, or LP-ROS by label set.

    Copies rows, so ``X`` may hold anything (strings, NaN); every added row
    is an exact copy of an input row, with that row's labels.

    Parameters
    ----------
    percentage : float, default=25
        The paper's P: the data grows by ``ceil(n_rows * percentage / 100)``
        rows (fewer when the rule below stops first). Any positive number.
    by : {{'label', 'labelset'}}, default='label'
        ``'label'``: ML-ROS. The minority labels are those whose IRLbl is
        above the MeanIR of the input; each has a bag of the rows carrying
        it. The bags are visited in turn (by label column), each cloning one
        of its rows drawn uniformly with replacement, until the rows are
        added; a bag leaves once its label's IRLbl, recomputed on the data
        grown so far, is at or below the input's MeanIR.
        ``'labelset'``: LP-ROS. Each distinct label set is a class; sets
        with fewer rows than the mean per set are the minority bags. The
        rows to add are shared evenly among them, served from the largest
        bag to the smallest; a bag never grows beyond the mean size, and
        what it cannot take passes to the smaller bags. Rows of a bag are
        cloned uniformly with replacement.
    {random_state}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        The input row behind each output row.
    {labels_}
    {imbalance_}
    provenance_ : Provenance
        The origin of every output row.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Output: the input rows in order, then the copies, bag by bag (label by
    label, or label set by label set in serving order). Read from the
    paper's pseudo-code, and what it leaves open:

    - MeanIR is computed once on the input and not updated as rows are
      added, whereas IRLbl of a bag's label is recomputed after each of its
      clones (a clone also adds to the row's other labels, the largest
      count among them);
    - the loop stops at exactly ``ceil(n_rows * percentage / 100)`` rows,
      also in the middle of a round;
    - when no label is a minority label (all IRLbl equal), or no label set
      is below the mean size, nothing is added (logged);
    - LP-ROS's mean size is ``n_rows / n_labelsets``, a bag's room
      ``floor(mean - size)`` rows (so a bag within one row of the mean gets
      none), the even share of each bag ``left // bags_left``, and bags of
      equal size are served in the sorted order of their label sets.

    References
    ----------
    {reference}

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.multilabel import MLROS
    >>> X = np.arange(16).reshape(8, 2)
    >>> Y = np.array([[1, 0]] * 6 + [[1, 1], [0, 1]])
    >>> sampler = MLROS(percentage=25, random_state=0)
    >>> X_res, Y_res = sampler.fit_resample(X, Y)
    >>> X_res.shape, Y_res.sum(axis=0).tolist()
    ((10, 2), [7, 4])
    >>> float(sampler.imbalance_before_.mean_ir), float(sampler.imbalance_after_.mean_ir)
    (2.25, 1.375)
    """

    _reads_values = False
    _selects_rows = True

    _parameter_constraints: dict = {
        **BaseMultilabelSampler._parameter_constraints,
        "percentage": [Interval(Real, 0, None, closed="neither")],
        "by": [StrOptions({"label", "labelset"})],
    }

    def __init__(self, *, percentage=25, by="label", random_state=None):
        self.percentage = percentage
        self.by = by
        self.random_state = random_state

    def _check_params(self, n_rows, n_features, Y):
        refuse_bools(self, "percentage")

    def _fit_resample(self, X, Y, seed):
        n_rows = Y.shape[0]
        budget = _rows_for(n_rows, self.percentage)
        picks = _ml_ros(Y, budget, seed) if self.by == "label" else _lp_ros(Y, budget, seed)
        if len(picks) < budget:
            _log.info("%s: %d of the %d rows asked for were added: the %s stopped first.", type(self).__name__,
                      len(picks), budget, "minority bags left" if self.by == "label" else "minority label sets filled")
        source = np.concatenate(picks) if picks else np.empty(0, np.int64)
        return Resampled(range(n_rows), source.astype(np.int64, copy=False)), None


@Substitution(**_RANDOM_DOCS)
class MLRUS(BaseMultilabelSampler):
    """Random under-sampling of multi-label data: ML-RUS, or LP-RUS by label set.

    Deletes rows, so ``X`` may hold anything (strings, NaN); the output is
    the remaining input rows, in input order.

    Parameters
    ----------
    percentage : float, default=25
        The paper's P, in (0, 100): the data shrinks by
        ``ceil(n_rows * percentage / 100)`` rows (fewer when the rule below
        stops first).
    by : {{'label', 'labelset'}}, default='label'
        ``'label'``: ML-RUS. The majority labels are those whose IRLbl is
        below the MeanIR of the input; each has a bag of the rows carrying
        it. The bags are visited in turn (by label column), each deleting
        one of its rows not yet deleted, drawn uniformly, until the rows are
        deleted; a bag leaves once its label's IRLbl, recomputed on the
        remaining data, is at or above the input's MeanIR, or when it is
        empty. ``'labelset'``: LP-RUS. Label sets with more rows than the
        mean per set are the majority bags; the rows to delete are shared
        evenly among them, served from the smallest to the largest; a bag
        never shrinks below the mean size, and what it cannot give passes to
        the larger bags. Rows of a bag are deleted uniformly without
        replacement.
    protect_minority : bool, default=False
        With ``by='label'``: never delete a row that carries a minority label
        (IRLbl above MeanIR), as the R package mldr.resampling does. The
        paper's algorithm does not protect them (False).
    {random_state}

    Attributes
    ----------
    sample_indices_ : ndarray of int
        The input row behind each output row (the rows kept, ascending).
    {labels_}
    {imbalance_}
    provenance_ : Provenance
        The origin of every output row.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Read from the paper's pseudo-code, and what it leaves open:

    - MeanIR is computed once on the input; a bag's IRLbl is recomputed
      after each of its deletions (a deletion also lowers the row's other
      labels, perhaps the largest count);
    - a row in several majority bags is deleted once: a bag draws among its
      rows not yet deleted;
    - the paper does not say whether a row that also carries a minority
      label may go; it may, unless ``protect_minority=True``;
    - the loop stops at exactly ``ceil(n_rows * percentage / 100)`` rows,
      also in the middle of a round;
    - LP-RUS's mean size is ``n_rows / n_labelsets``, a bag's room
      ``floor(size - mean)`` rows, the even share of each bag
      ``left // bags_left``, and bags of equal size are served in the sorted
      order of their label sets.

    References
    ----------
    {reference}

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.multilabel import MLRUS
    >>> X = np.arange(16).reshape(8, 2)
    >>> Y = np.array([[1, 0]] * 6 + [[1, 1], [0, 1]])
    >>> X_res, Y_res = MLRUS(percentage=25, random_state=0).fit_resample(X, Y)
    >>> X_res.shape
    (6, 2)
    """

    _reads_values = False
    _selects_rows = True

    _parameter_constraints: dict = {
        **BaseMultilabelSampler._parameter_constraints,
        "percentage": [Interval(Real, 0, 100, closed="neither")],
        "by": [StrOptions({"label", "labelset"})],
        "protect_minority": ["boolean"],
    }

    def __init__(self, *, percentage=25, by="label", protect_minority=False, random_state=None):
        self.percentage = percentage
        self.by = by
        self.protect_minority = protect_minority
        self.random_state = random_state

    def _check_params(self, n_rows, n_features, Y):
        refuse_bools(self, "percentage")
        if self.protect_minority and self.by == "labelset":
            raise ValueError(
                "protect_minority=True applies to by='label' (ML-RUS); LP-RUS (by='labelset') deletes among "
                "label sets, not labels. Pass by='label', or protect_minority=False."
            )

    def _fit_resample(self, X, Y, seed):
        n_rows = Y.shape[0]
        budget = _rows_for(n_rows, self.percentage)
        if self.by == "label":
            removed = _ml_rus(Y, budget, seed, self.protect_minority)
        else:
            removed = _lp_rus(Y, budget, seed)
        n_removed = int(removed.sum())
        if n_removed < budget:
            _log.info("%s: %d of the %d rows asked for were deleted: the %s stopped first.", type(self).__name__,
                      n_removed, budget, "majority bags left" if self.by == "label" else "majority label sets reached "
                      "the mean size")
        kept = range(n_rows) if n_removed == 0 else np.flatnonzero(~removed)
        return Resampled.from_pieces(kept, [], copies=True), None



def _ml_ros(Y: np.ndarray, budget: int, seed) -> list:
    """ML-ROS: the rows to clone, grouped bag by bag (label column order)."""
    counts = Y.sum(axis=0, dtype=np.int64)
    ir = irlbl(counts)
    if np.isnan(ir).all():
        return []
    mean_ir = np.nanmean(ir)
    minority = np.flatnonzero(np.nan_to_num(ir, nan=-np.inf) > mean_ir)
    bags = [np.flatnonzero(Y[:, label]) for label in minority]
    rngs = [stream(seed, label) for label in minority]
    picked: list[list] = [[] for _ in minority]
    active, n_picked = list(range(len(minority))), 0
    while n_picked < budget and active:
        still = []
        for i in active:
            row = bags[i][rngs[i].integers(bags[i].size)]
            picked[i].append(row)
            counts += Y[row]
            n_picked += 1
            if counts.max() / counts[minority[i]] > mean_ir:
                still.append(i)
            if n_picked == budget:
                break
        active = still
    return [np.asarray(p, dtype=np.int64) for p in picked if p]


def _ml_rus(Y: np.ndarray, budget: int, seed, protect_minority: bool) -> np.ndarray:
    """ML-RUS: a bool mask of the rows deleted."""
    n_rows = Y.shape[0]
    removed = np.zeros(n_rows, dtype=bool)
    counts = Y.sum(axis=0, dtype=np.int64)
    ir = irlbl(counts)
    if np.isnan(ir).all():
        return removed
    mean_ir = np.nanmean(ir)
    majority = np.flatnonzero(np.nan_to_num(ir, nan=np.inf) < mean_ir)
    deletable = np.ones(n_rows, dtype=bool)
    if protect_minority:
        deletable &= ~Y[:, np.nan_to_num(ir, nan=-np.inf) > mean_ir].any(axis=1)
    # Each bag's rows in a random order, read from the front skipping rows another bag
    # deleted: the next row is uniform among the bag's rows still there.
    queues = [stream(seed, label).permutation(np.flatnonzero(Y[:, label] & deletable)) for label in majority]
    heads = [0] * len(majority)
    active, n_removed = list(range(len(majority))), 0
    while n_removed < budget and active:
        still = []
        for i in active:
            queue = queues[i]
            while heads[i] < queue.size and removed[queue[heads[i]]]:
                heads[i] += 1
            if heads[i] == queue.size:
                continue  # nothing left to delete in this bag
            row = queue[heads[i]]
            heads[i] += 1
            removed[row] = True
            counts -= Y[row]
            n_removed += 1
            left = counts[majority[i]]
            if left > 0 and counts.max() / left < mean_ir:
                still.append(i)
            if n_removed == budget:
                break
        active = still
    return removed


def _lp_ros(Y: np.ndarray, budget: int, seed) -> list:
    """LP-ROS: the rows to clone, grouped by label set in serving order."""
    rows_of, sizes = _labelset_bags(Y)
    bags = np.flatnonzero(sizes * len(sizes) < Y.shape[0])  # below the mean size n_rows / n_labelsets
    picks = []
    for bag, take in _lp_shares(sizes, bags, Y.shape[0], budget, 1):
        if take > 0:
            rows = rows_of(bag)
            picks.append(rows[stream(seed, bag).integers(0, rows.size, size=take)])
    return picks


def _lp_rus(Y: np.ndarray, budget: int, seed) -> np.ndarray:
    """LP-RUS: a bool mask of the rows deleted."""
    rows_of, sizes = _labelset_bags(Y)
    removed = np.zeros(Y.shape[0], dtype=bool)
    bags = np.flatnonzero(sizes * len(sizes) > Y.shape[0])  # above the mean size
    for bag, take in _lp_shares(sizes, bags, Y.shape[0], budget, -1):
        if take > 0:
            rows = rows_of(bag)
            removed[stream(seed, bag).choice(rows, size=take, replace=False)] = True
    return removed
