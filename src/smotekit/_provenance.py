"""Where every output row of a ``fit_resample`` call came from."""

from __future__ import annotations

import numpy as np

__all__ = ["Provenance", "kept_class_counts", "returned_labels"]


class Provenance:
    """Origin of each output row, stored compactly, expanded on demand.

    Output rows are the ``kept`` input rows (in that order) followed by the
    added rows. An added row grows from the input row ``source``: it is an
    exact copy of it (random over-sampling), a perturbed copy (random
    over-sampling with ``shrinkage``), or a point on the segment towards a
    second input row ``partner`` of the same class:
    ``X_out = X[source] + gap * (X[partner] - X[source])`` (SMOTE family).

    All indices are 0-based positions in the ``X`` given to ``fit_resample``,
    whatever the container's own index says.

    Attributes
    ----------
    source : ndarray of int64, shape (n_out,)
        The input row behind each output row (the row itself for originals).
    partner : ndarray of int64, shape (n_out,)
        Second parent of interpolated rows; -1 elsewhere.
    gap : ndarray of float64, shape (n_out,)
        Interpolation position in [0, 1] from ``source`` to ``partner``; NaN elsewhere,
        including rows with a ``partner`` that lie in the box the two parents span rather
        than on their segment (MLSMOTE's default, one position per feature).
    is_synthetic : ndarray of bool, shape (n_out,)
        True for every row that was not in the input (generated or copied).
    """

    def __init__(self, kept, added_source=None, added_partner=None, added_gap=None):
        # ``kept`` may be a range (every input row, in order): no array is stored for it.
        self._kept = kept if isinstance(kept, range) else np.asarray(kept)
        self._source = np.empty(0, dtype=np.int64) if added_source is None else np.asarray(added_source)
        self._partner = None if added_partner is None else np.asarray(added_partner)
        self._gap = None if added_gap is None else np.asarray(added_gap, dtype=np.float64)

    @property
    def n_kept(self) -> int:
        """Number of original rows at the head of the output."""
        return len(self._kept)

    @property
    def n_added(self) -> int:
        return self._source.size

    def __len__(self) -> int:
        return self.n_kept + self.n_added

    @property
    def source(self) -> np.ndarray:
        kept = np.arange(self._kept.start, self._kept.stop) if isinstance(self._kept, range) else self._kept
        return np.concatenate([kept, self._source]).astype(np.int64, copy=False)

    @property
    def partner(self) -> np.ndarray:
        tail = np.full(self.n_added, -1, np.int64) if self._partner is None else self._partner
        return np.concatenate([np.full(self.n_kept, -1, np.int64), tail]).astype(np.int64, copy=False)

    @property
    def gap(self) -> np.ndarray:
        tail = np.full(self.n_added, np.nan) if self._gap is None else self._gap
        return np.concatenate([np.full(self.n_kept, np.nan), tail])

    @property
    def is_synthetic(self) -> np.ndarray:
        out = np.zeros(len(self), dtype=bool)
        out[self.n_kept:] = True
        return out

    def to_frame(self):
        """A pandas DataFrame with columns ``is_synthetic``, ``source``, ``partner``, ``gap``."""
        import pandas as pd

        return pd.DataFrame(
            {"is_synthetic": self.is_synthetic, "source": self.source,
             "partner": self.partner, "gap": self.gap}
        )

    def __repr__(self) -> str:
        return f"Provenance(n_original={self.n_kept}, n_synthetic={self.n_added})"


def returned_labels(sampler, y_in):
    """The labels of the rows a fitted sampler returned, followed from the labels it was fitted on.

    Every returned row is an input row or grows from one (``provenance_.source``,
    or ``sample_indices_`` for samplers that only select rows), whose label it
    has: this follows ``y`` through cleaning samplers and hybrids, whose
    counts the data decide.

    Parameters
    ----------
    sampler : sampler object
        A fitted sampler.
    y_in : ndarray of shape (n_rows,) or None
        The labels the sampler was fitted on, when known.

    Returns
    -------
    ndarray or None
        None when ``y_in`` is None, when the sampler records neither, or when
        ``y_in``'s class counts differ from those its ``sampling_plan_`` saw
        (something else changed ``y`` in between).
    """
    if y_in is None:
        return None
    provenance = getattr(sampler, "provenance_", None)
    source = provenance.source if provenance is not None else getattr(sampler, "sample_indices_", None)
    if source is None:
        return None
    plan = getattr(sampler, "sampling_plan_", None)
    if plan is not None and any(int(np.sum(y_in == c.label)) != c.n_before for c in plan):
        return None
    return y_in[np.asarray(source)]


def kept_class_counts(sampler, classes, y_in=None) -> np.ndarray:
    """Rows per class in what a fitted sampler returned; NaN where it cannot be told.

    From the sampler's ``sampling_plan_`` when it fixes every class's count
    (samplers whose tags say ``exact_counts``); otherwise by counting
    :func:`returned_labels`.

    Parameters
    ----------
    sampler : sampler object
        A fitted sampler.
    classes : ndarray of shape (n_classes,)
        The labels to count, in order.
    y_in : ndarray of shape (n_rows,), default=None
        The labels the sampler was fitted on, when known.

    Returns
    -------
    ndarray of float, shape (n_classes,)
    """
    plan = getattr(sampler, "sampling_plan_", None)
    steps = None if plan is None else [next((c for c in plan if c.label == label), None) for label in classes]
    tags = sampler.__sklearn_tags__() if hasattr(sampler, "__sklearn_tags__") else None
    exact = getattr(getattr(tags, "sampler_tags", None), "exact_counts", False)
    if steps is not None and exact and all(c is None or c.n_target is not None for c in steps):
        return np.array([0 if c is None else c.n_target for c in steps], dtype=float)
    y_out = returned_labels(sampler, y_in)
    if y_out is None:
        return np.full(len(classes), np.nan)
    return np.array([np.sum(y_out == label) for label in classes], dtype=float)
