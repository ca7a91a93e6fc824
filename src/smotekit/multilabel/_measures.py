"""Imbalance measures of multi-label data (Charte et al.): IRLbl, MeanIR, MaxIR, CVIR, SCUMBLE."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._target import read_labels

__all__ = ["LabelImbalance", "irlbl", "label_imbalance"]


def irlbl(counts) -> np.ndarray:
    """IRLbl per label from the rows per label: ``max(counts) / counts``, NaN where a label has no row.

    Parameters
    ----------
    counts : array-like of int, shape (n_labels,)

    Returns
    -------
    ndarray of float64, shape (n_labels,)
    """
    counts = np.asarray(counts, dtype=np.float64)
    out = np.full(counts.shape, np.nan)
    present = counts > 0
    if present.any():
        out[present] = counts.max() / counts[present]
    return out


# eq=False: arrays do not compare to one bool; two measurements are compared field by field.
@dataclass(frozen=True, eq=False)
class LabelImbalance:
    """How imbalanced the labels of a multi-label data set are.

    Built by :func:`label_imbalance`. ``print()`` gives a short summary;
    :meth:`to_frame` one row per label.

    Attributes
    ----------
    labels : ndarray of shape (n_labels,)
        The label names.
    counts : ndarray of int64, shape (n_labels,)
        Rows carrying each label.
    irlbl : ndarray of float64, shape (n_labels,)
        Imbalance ratio per label, ``max(counts) / counts[l]``: 1 for the
        most frequent label, larger for rarer ones; NaN for a label no row
        carries.
    mean_ir : float
        MeanIR, the mean of ``irlbl`` over the labels present.
    max_ir : float
        MaxIR, the largest ``irlbl``.
    cvir : float
        CVIR, the coefficient of variation of ``irlbl``: its sample standard
        deviation (denominator ``n_present - 1``) over MeanIR; 0 with one
        label present.
    scumble : float
        SCUMBLE of the data set: the mean of ``scumble_per_row`` over all rows.
    scumble_per_row : ndarray of float64, shape (n_rows,)
        SCUMBLE of each row: ``1 - G / A`` with ``G`` and ``A`` the geometric
        and arithmetic means of the IRLbl of the row's labels (0 for rows
        with one label, or none).
    scumble_per_label : ndarray of float64, shape (n_labels,)
        Mean SCUMBLE of the rows carrying each label (NaN for absent labels).
    cardinality : float
        Mean number of labels per row.
    density : float
        ``cardinality / n_labels``.
    n_labelsets : int
        Distinct label sets among the rows (the empty set counts as one).
    n_rows : int
        Rows measured.
    """

    labels: np.ndarray
    counts: np.ndarray
    irlbl: np.ndarray
    mean_ir: float
    max_ir: float
    cvir: float
    scumble: float
    scumble_per_row: np.ndarray = field(repr=False)
    scumble_per_label: np.ndarray = field(repr=False)
    cardinality: float
    density: float
    n_labelsets: int
    n_rows: int

    @property
    def n_labels(self) -> int:
        return len(self.labels)

    @property
    def minority(self) -> np.ndarray:
        """Bool per label: IRLbl above MeanIR (Charte et al.'s minority labels)."""
        with np.errstate(invalid="ignore"):
            return np.nan_to_num(self.irlbl, nan=-np.inf) > self.mean_ir

    @property
    def minority_labels(self) -> np.ndarray:
        """The names of the minority labels."""
        return self.labels[self.minority]

    def to_frame(self):
        """One row per label: ``count``, ``frequency``, ``IRLbl``, ``SCUMBLE``, ``minority``.

        Returns
        -------
        pandas.DataFrame
            Indexed by label name.
        """
        import pandas as pd

        frequency = self.counts / self.n_rows if self.n_rows else np.full(self.n_labels, np.nan)
        return pd.DataFrame(
            {"count": self.counts, "frequency": frequency, "IRLbl": self.irlbl,
             "SCUMBLE": self.scumble_per_label, "minority": self.minority},
            index=pd.Index(list(self.labels), name="label"),
        )

    def summary(self) -> str:
        """A few lines for people: sizes, MeanIR, MaxIR, CVIR, SCUMBLE and the minority labels."""
        shown = ", ".join(str(x) for x in self.minority_labels[:10])
        more = f" (+{self.minority.sum() - 10} more)" if self.minority.sum() > 10 else ""
        absent = int((self.counts == 0).sum())
        lines = [
            f"{self.n_rows} rows, {self.n_labels} labels, {self.n_labelsets} label sets; "
            f"cardinality {self.cardinality:.3f}, density {self.density:.3f}",
            f"MeanIR {self.mean_ir:.3f}, MaxIR {self.max_ir:.3f}, CVIR {self.cvir:.3f}, SCUMBLE {self.scumble:.4f}",
            f"{int(self.minority.sum())} minority label(s) (IRLbl > MeanIR)" + (f": {shown}{more}" if shown else ""),
        ]
        if absent:
            lines.append(f"labels carried by no row (IRLbl undefined, left out of the means): {absent}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def label_imbalance(Y, *, labels=None) -> LabelImbalance:
    """Measure the label imbalance of multi-label targets.

    Parameters
    ----------
    Y : indicator matrix or sequence of label collections
        A 0/1 matrix (numpy, pandas or polars DataFrame, scipy sparse) of
        shape (n_rows, n_labels), or one collection of label names per row
        (list, tuple, pandas Series...), as the multi-label samplers take it.
    labels : array-like of shape (n_labels,), default=None
        Names for the columns of a matrix without names (default: the
        column names of a DataFrame, 0..n_labels-1 otherwise).

    Returns
    -------
    LabelImbalance

    Notes
    -----
    IRLbl, MeanIR and CVIR are those of Charte et al. (2015) [1]_, SCUMBLE
    that of Charte et al. (2014, 2019) [2]_ [3]_, computed as the authors'
    R package mldr computes them: a row's SCUMBLE runs over the labels the
    row carries, a row without labels scores 0 and counts in the data set's
    mean. Where the papers leave it open:

    - a label that no row carries (possible after a split) has no IRLbl:
      it is NaN here and left out of MeanIR, MaxIR and CVIR; mldr sets it to
      0 and averages that 0 into MeanIR, so both agree whenever every label
      occurs;
    - CVIR divides by ``n_present - 1`` (the paper's sample standard
      deviation) and is 0 when a single label is present.

    References
    ----------
    .. [1] Charte, F., Rivera, A. J., del Jesus, M. J. & Herrera, F. (2015). Addressing imbalance in
       multilabel classification: Measures and random resampling algorithms. Neurocomputing, 163, 3-16.
    .. [2] Charte, F., Rivera, A. J., del Jesus, M. J. & Herrera, F. (2014). Concurrence among imbalanced
       labels and its influence on multilabel resampling algorithms. Hybrid Artificial Intelligent
       Systems (HAIS), LNCS 8480, 110-121.
    .. [3] Charte, F., Rivera, A. J., del Jesus, M. J. & Herrera, F. (2019). Dealing with difficult
       minority labels in imbalanced multilabel data sets. Neurocomputing, 326-327, 39-53.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.multilabel import label_imbalance
    >>> Y = np.array([[1, 0], [1, 0], [1, 1], [1, 0]])
    >>> m = label_imbalance(Y)
    >>> m.irlbl.tolist(), float(m.mean_ir)
    ([1.0, 4.0], 2.5)
    """
    if isinstance(Y, np.ndarray) and Y.ndim == 2 and Y.dtype == bool:
        matrix = Y
        names = np.arange(Y.shape[1])
    else:
        target = read_labels(Y, None)
        matrix, names = target.matrix, target.labels
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (matrix.shape[1],):
            raise ValueError(f"labels has shape {labels.shape}; Y has {matrix.shape[1]} labels. Give one name each.")
        names = labels
    return _measure(matrix, names)


def _measure(Y: np.ndarray, labels) -> LabelImbalance:
    n_rows, n_labels = Y.shape
    counts = Y.sum(axis=0, dtype=np.int64)
    ir = irlbl(counts)
    present = ~np.isnan(ir)
    if present.any():
        mean_ir = float(ir[present].mean())
        max_ir = float(ir[present].max())
        cvir = float(ir[present].std(ddof=1) / mean_ir) if present.sum() > 1 else 0.0
    else:
        mean_ir = max_ir = cvir = float("nan")
    per_row = _scumble_rows(Y, ir)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_label = (per_row @ Y) / counts if n_rows else np.full(n_labels, np.nan)
    per_label = np.where(counts > 0, per_label, np.nan)
    per_row_count = Y.sum(axis=1, dtype=np.int64)
    cardinality = float(per_row_count.mean()) if n_rows else float("nan")
    n_labelsets = len(np.unique(np.packbits(Y, axis=1), axis=0)) if n_rows else 0
    return LabelImbalance(
        labels=np.asarray(labels), counts=counts, irlbl=ir, mean_ir=mean_ir, max_ir=max_ir, cvir=cvir,
        scumble=float(per_row.mean()) if n_rows else float("nan"), scumble_per_row=per_row,
        scumble_per_label=per_label, cardinality=cardinality,
        density=cardinality / n_labels if n_labels else float("nan"), n_labelsets=n_labelsets, n_rows=n_rows,
    )


def _scumble_rows(Y: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """Per row, ``1 - geometric mean / arithmetic mean`` of the IRLbl of its labels (0 without labels)."""
    # A label no row carries never meets a row here: its NaN is replaced by a neutral 1.
    ir = np.where(np.isnan(ir), 1.0, ir)
    Yf = Y.astype(np.float64)
    k = Yf.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        geometric = np.exp((Yf @ np.log(ir)) / k)
        arithmetic = (Yf @ ir) / k
        out = 1.0 - geometric / arithmetic
    # One label (or none): exactly 0, not the rounding residue of exp(log(x)) / x.
    out[k <= 1] = 0.0
    np.maximum(out, 0.0, out=out)
    return out
