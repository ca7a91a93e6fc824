"""Random over- and under-sampling of relevance bins (UBL's RandOverRegress and RandUnderRegress)."""

from __future__ import annotations

import numpy as np

from .._docstring import Substitution
from .._generation import Piece
from .base import _DOCS, BaseRegressionSampler

__all__ = ["RandomOverSampler", "RandomUnderSampler"]


@Substitution(**_DOCS)
class RandomOverSampler(BaseRegressionSampler):
    """Over-sample the rare relevance bins by copying their rows at random.

    Each rare bin that grows gets copies of its own rows, drawn uniformly with
    replacement; the normal bins are kept whole. Rows are only copied, so
    ``X`` may hold anything (strings, categories, NaN).

    Parameters
    ----------
    sampling_strategy : {{'balance', 'extreme'}}, float, sequence of float or dict, default='balance'
        Rows wanted per bin (see Notes for the words). A number, or a list of
        one, is the factor (rows after / rows before) of every rare bin; a
        list gives one factor per rare bin, or one per bin (factors >= 1); a
        dict ``{{bin: rows}}``. See :func:`~smotekit.regression.relevance_bins`
        for the bins.
    {relevance}
    {threshold}
    {random_state}

    Attributes
    ----------
    {fitted_bins}
    sample_indices_ : ndarray of int64
        The input row of each output row.
    provenance_ : Provenance
        The origin of every output row (added rows: copies, partner -1).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    With ``B`` the rows of the normal bins, ``U`` their number, ``R`` the
    number of rare bins and ``n_i`` the rows of rare bin ``i``:
    'balance' brings every rare bin to ``B / R`` rows (the rare bins together
    as large as the normal ones); 'extreme' brings rare bin ``i`` to
    ``(B / U)**2 / n_i`` rows (the mean normal bin's size squared over the
    bin's own, inverting the frequencies). These are UBL's targets
    (``RandOverRegress``), rounded down to whole rows; a rare bin already
    larger is kept whole.

    UBL's over-sampling factor (``C.perc``) counts the copies added: UBL adds
    ``C.perc * n_i`` copies to the ``n_i`` rows, so that its 'balance' leaves
    ``n_i + B / R`` rows. Here a factor is rows after over rows before, as in
    every smotekit regression sampler, smogn and UBL's SmoteRegress (UBL's
    ``c`` is ``1 + c`` here), and 'balance' reaches ``B / R``, which is what
    it promises. UBL rounds its factors to 5 decimals and truncates
    ``factor * n_i``, which can lose a row to floating point; the targets
    here are the exact quotients rounded down. Copies are drawn with
    replacement, UBL's default (``repl=TRUE``).

    References
    ----------
    .. [1] Branco, P., Ribeiro, R. P. & Torgo, L. (2016). UBL: an R package for utility-based
       learning. arXiv preprint, arXiv:1604.08079.
    .. [2] Branco, P., Torgo, L. & Ribeiro, R. P. (2019). Pre-processing approaches for imbalanced
       distributions in regression. Neurocomputing, 343, 76-99.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression import RandomOverSampler
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 30])
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> RandomOverSampler(random_state=0).fit(X, y).sampling_strategy_
    {{0: 6, 1: 6}}
    """

    _over = True
    _under = False
    _reads_values = False
    _selects_rows = True

    def _auto_targets(self, kind, sizes, rare):
        normal_rows, n_normal, n_rare = int(sizes[~rare].sum()), int((~rare).sum()), int(rare.sum())
        if kind == "balance":
            wanted = np.full(sizes.size, normal_rows // n_rare, dtype=np.int64)
        else:  # (normal_rows / n_normal) ** 2 / n_i, in integers: exact
            wanted = np.array([normal_rows ** 2 // (n_normal ** 2 * int(n)) for n in sizes], dtype=np.int64)
        return np.where(rare, np.maximum(wanted, sizes), sizes)

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        return Piece(rng.choice(np.asarray(rows, dtype=np.int64), size=n_add, replace=True)), None


@Substitution(**_DOCS)
class RandomUnderSampler(BaseRegressionSampler):
    """Under-sample the normal relevance bins by keeping a random subset of their rows.

    Each normal bin that shrinks keeps rows drawn uniformly without
    replacement; the rare bins are kept whole. Rows are only selected, so
    ``X`` may hold anything (strings, categories, NaN).

    Parameters
    ----------
    sampling_strategy : {{'balance', 'extreme'}}, float, sequence of float or dict, default='balance'
        Rows wanted per bin (see Notes for the words). A number, or a list of
        one, is the factor (rows kept / rows before) of every normal bin; a
        list gives one factor per normal bin, or one per bin (factors <= 1); a
        dict ``{{bin: rows}}``. See :func:`~smotekit.regression.relevance_bins`
        for the bins.
    {relevance}
    {threshold}
    {random_state}

    Attributes
    ----------
    {fitted_bins}
    sample_indices_ : ndarray of int64
        The input row of each output row (the rows kept, ascending).
    provenance_ : Provenance
        The origin of every output row.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    With ``B`` the rows of the rare bins, ``R`` their number, ``U`` the
    number of normal bins and ``n_i`` the rows of normal bin ``i``:
    'balance' brings every normal bin to ``B / U`` rows (the normal bins
    together as large as the rare ones); 'extreme' brings normal bin ``i`` to
    ``(B / R)**2 / n_i`` rows. These are UBL's targets (``RandUnderRegress``,
    whose factor is, as here, rows kept over rows before), rounded down to
    whole rows, and never below one row (UBL may empty a bin); a normal bin
    already smaller is kept whole (UBL fails there: it cannot draw more
    rows than a bin has without replacement). UBL rounds its factors to 5
    decimals and truncates ``factor * n_i``, which can lose a row to floating
    point; the targets here are the exact quotients rounded down.

    References
    ----------
    .. [1] Branco, P., Ribeiro, R. P. & Torgo, L. (2016). UBL: an R package for utility-based
       learning. arXiv preprint, arXiv:1604.08079.
    .. [2] Torgo, L., Branco, P., Ribeiro, R. P. & Pfahringer, B. (2015). Resampling strategies for
       regression. Expert Systems, 32(3), 465-476.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression import RandomUnderSampler
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 30])
    >>> RandomUnderSampler(random_state=0).fit(X, y).sampling_strategy_
    {{0: 4, 1: 4}}
    """

    _over = False
    _under = True
    _reads_values = False
    _selects_rows = True

    def _auto_targets(self, kind, sizes, rare):
        rare_rows, n_rare, n_normal = int(sizes[rare].sum()), int(rare.sum()), int((~rare).sum())
        if kind == "balance":
            wanted = np.full(sizes.size, rare_rows // n_normal, dtype=np.int64)
        else:  # (rare_rows / n_rare) ** 2 / n_i, in integers: exact
            wanted = np.array([rare_rows ** 2 // (n_rare ** 2 * int(n)) for n in sizes], dtype=np.int64)
        return np.where(rare, sizes, np.clip(wanted, 1, sizes))

