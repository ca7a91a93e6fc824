"""Warn when the data given for evaluation look already resampled.

Resampling before cross-validation lets copies (random over-sampling) or
interpolations (SMOTE and its kin) of test rows into the training folds, so
every score comes out optimistic. The check reads a sampler's provenance when
it is given, and otherwise looks for the signature random over-sampling
leaves in the data itself: exact copies of rows piled up in the smaller
classes while the largest class has (almost) none.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
from scipy import sparse

from ..exceptions import ResampledDataWarning
from ..utils._containers import NonNumericError, adapter_for, read_X, read_y

__all__ = ["check_not_resampled"]

_log = logging.getLogger(__name__)

#: A class is suspicious when at least this share of its rows copy another row of the class ...
_COPY_SHARE = 0.10
#: ... and more than a couple of them do: a few natural duplicates are common (iris has some).
_FEW = 2
#: The largest class has "almost no" copies: at most this share of its rows, or a couple.
_NATURAL_SHARE = 0.01
# Rows hashed per block of a dense X: bounds the temporary uint64 words to about 8 MB.
_BLOCK_CELLS = 1 << 20
_SALT_ENTROPY = 0x5107E  # fixed: the same rows always hash alike


def check_not_resampled(X, y, *, provenance=None) -> list[str]:
    """Say whether ``X, y`` look like the output of a sampler, and warn if so.

    Three signatures are looked for:

    - ``provenance`` (a sampler's ``provenance_``) marks rows as synthetic;
    - a class other than the largest has more than a couple of exact copies
      of its own rows, making up at least 10% of it, while the largest class
      has almost none (at most 1% of its rows, or two): what random
      over-sampling leaves; a couple of natural duplicates are not enough;
    - every class has exactly the same number of rows, as after balancing;
      this counts only alongside one of the others, where it also relaxes the
      second: among equally large classes the one with the fewest copies is
      the reference, and a class with at least twice its share of copies
      (and 10% or more) is suspicious.

    Naturally balanced data without many copies, and imbalanced data, pass.
    Interpolated rows (SMOTE) are not copies: without ``provenance`` they
    go unnoticed unless they come with copies.

    Rows are compared by value (0.0 equals -0.0, a missing value equals a
    missing value) through a 64-bit hash of each row, in one pass over
    ``X``: two different rows match by chance with a probability of about
    ``n**2 / 2**65``. ``X`` is never modified.

    Parameters
    ----------
    X : {array-like, sparse matrix, pandas or polars DataFrame} of shape (n_samples, n_features)
        The features, any container smotekit's samplers accept; columns of
        strings or categories are compared by value.
    y : array-like of shape (n_samples,)
        The class labels.
    provenance : Provenance, default=None
        Where each row came from, e.g. ``sampler.provenance_`` after
        ``sampler.fit_resample``; it must describe the rows of ``X``.

    Returns
    -------
    list of str
        The reasons found, in plain words; empty when nothing is suspicious.
        When not empty, one :class:`~smotekit.exceptions.ResampledDataWarning`
        listing them has been emitted.

    Raises
    ------
    TypeError
        If ``provenance`` has no ``is_synthetic``.
    ValueError
        If ``provenance`` describes a different number of rows than ``X``,
        or ``X`` and ``y`` differ in length.
    """
    reasons = suspicions(X, y, provenance=provenance)
    warn_resampled(reasons, stacklevel=3)
    return reasons


def suspicions(X, y, *, provenance=None) -> list[str]:
    """The reasons :func:`check_not_resampled` finds, without warning."""
    keys, n_rows = _row_keys(X)
    target = read_y(y, n_rows)
    reasons = []
    if provenance is not None:
        synthetic = _synthetic_rows(provenance, n_rows)
        if synthetic:
            reasons.append(f"the provenance given marks {synthetic} of the {n_rows} rows as synthetic "
                           "(made by a sampler)")
    copies = _copies_per_class(keys, target.codes, len(target.classes))
    _log.debug("copies per class %s of %s rows", copies, target.counts)
    reasons.extend(_copy_reasons(copies, target.counts, target.classes))
    counts = target.counts
    if reasons and len(counts) > 1 and (counts == counts[0]).all():
        reasons.append(f"every class has exactly {counts[0]} rows, as a sampler that balances the classes leaves them")
    return reasons


def warn_resampled(reasons, *, stacklevel) -> None:
    """One :class:`ResampledDataWarning` listing ``reasons`` (none when empty), attributed ``stacklevel`` up."""
    if reasons:
        warnings.warn(
            "X and y look already resampled: " + "; ".join(reasons) + ". Resampling before cross-validation "
            "lets copies or interpolations of the test rows into the training folds, so every score comes "
            "out optimistic. Pass the data as collected and resample inside each training fold (a sampler "
            "in a smotekit Pipeline, or a resampling method of the comparison).",
            ResampledDataWarning, stacklevel=stacklevel,
        )


def _synthetic_rows(provenance, n_rows) -> int:
    flags = getattr(provenance, "is_synthetic", None)
    if flags is None:
        raise TypeError(f"provenance must be a smotekit Provenance (a sampler's provenance_ after fit_resample), "
                        f"got {type(provenance).__name__}.")
    flags = np.asarray(flags, dtype=bool)
    if flags.shape != (n_rows,):
        raise ValueError(f"provenance describes {flags.size} rows but X has {n_rows}; pass the provenance_ of "
                         "the fit_resample call that returned this X.")
    return int(flags.sum())


def _copy_reasons(copies, counts, classes) -> list[str]:
    """The classes whose copies look like random over-sampling, in words."""
    share = copies / np.maximum(counts, 1)
    largest = counts == counts.max()
    # Among equally large classes the reference is the one with the fewest copies (the one left as it was).
    ref = int(np.flatnonzero(largest)[np.argmin(copies[largest])])
    ref_clean = copies[ref] <= max(_FEW, _NATURAL_SHARE * counts[ref])
    balanced = bool(largest.all())
    out = []
    for c in range(len(counts)):
        if c == ref or copies[c] <= _FEW or share[c] < _COPY_SHARE:
            continue
        if ref_clean or (balanced and share[ref] <= share[c] / 2):
            out.append(f"{copies[c]} of the {counts[c]} rows of class {_label(classes[c])} ({share[c]:.0%}) are "
                       f"exact copies of other rows of that class, against {copies[ref]} of the {counts[ref]} "
                       f"rows of the largest class {_label(classes[ref])}")
    return out


def _label(value) -> str:
    # A numpy scalar reads as its Python value: 1, not np.int64(1).
    return repr(value.item() if isinstance(value, np.generic) else value)


def _copies_per_class(keys, codes, n_classes) -> np.ndarray:
    """Per class, the rows equal to an earlier row of the same class."""
    order = np.lexsort((keys, codes))
    k, c = keys[order], codes[order]
    repeat = (k[1:] == k[:-1]) & (c[1:] == c[:-1])
    return np.bincount(c[1:][repeat], minlength=n_classes)


def _row_keys(X):
    """One uint64 hash per row of ``X`` (equal rows, equal hashes), and the number of rows."""
    try:
        table = read_X(X, numeric=True, allow_nan=True, accept_sparse=True)
    except NonNumericError:
        return _mixed_keys(X)
    values = table.values
    if sparse.issparse(values):
        return _sparse_keys(values), table.n_rows
    return _dense_keys(values), table.n_rows


def _salts(n_cols):
    # A salt per column: equal values in different columns hash differently.
    return np.random.SeedSequence(_SALT_ENTROPY).generate_state(max(n_cols, 1), dtype=np.uint64)[:n_cols]


def _mix(z):
    """SplitMix64's finaliser, in place on a uint64 array: every input bit moves every output bit."""
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _float_words(values):
    """The bits of float values as uint64, with -0.0 read as 0.0 and every NaN alike (a fresh array)."""
    v = np.array(values, dtype=np.float64)
    v += 0.0  # -0.0 + 0.0 is +0.0
    v[np.isnan(v)] = np.nan
    return v.view(np.uint64)


def _dense_keys(values):
    n, d = values.shape
    salts = _salts(d)
    keys = np.empty(n, dtype=np.uint64)
    step = max(1, _BLOCK_CELLS // max(d, 1))
    for start in range(0, n, step):
        words = _float_words(values[start:start + step])
        words ^= salts
        keys[start:start + step] = _mix(words).sum(axis=1, dtype=np.uint64)
    return keys


def _sparse_keys(values):
    X = values.tocsr()
    if not X.has_canonical_format:
        X = X.copy()  # sum_duplicates works in place
        X.sum_duplicates()
    words = _float_words(X.data)
    words ^= _salts(X.shape[1])[X.indices]
    words = _mix(words)
    # Stored zeros are implicit zeros: they add nothing, as the missing entries.
    words[X.data == 0] = 0
    total = np.concatenate([np.zeros(1, np.uint64), np.cumsum(words, dtype=np.uint64)])
    return total[X.indptr[1:]] - total[X.indptr[:-1]]  # wraps modulo 2**64, as the sums do


def _mixed_keys(X):
    """Row hashes of a table with non-numeric columns, one column at a time."""
    columns = adapter_for(X).mixed_columns(X, accept_sparse=True)
    n, d = columns.table.n_rows, columns.table.n_cols
    salts = _salts(d)
    keys = np.zeros(n, dtype=np.uint64)
    for j in range(d):
        values, _ = columns.values(j)
        values = np.asarray(values)
        if values.dtype.kind in "iub":
            words = values.astype(np.int64).view(np.uint64)
        elif values.dtype.kind == "f":
            words = _float_words(values)
        else:
            words = _value_codes(values).view(np.uint64)
        words ^= salts[j]
        keys += _mix(words)
    return keys, n


def _value_codes(values):
    """Equal cells, equal codes: each distinct value numbered in order of appearance."""
    seen = {}
    try:
        return np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64, count=len(values))
    except TypeError:  # unhashable cells (lists, dicts): compared by their text
        seen.clear()
        return np.fromiter((seen.setdefault(repr(v), len(seen)) for v in values), dtype=np.int64,
                           count=len(values))
