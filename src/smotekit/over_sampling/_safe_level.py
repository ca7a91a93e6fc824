"""Safe-Level-SMOTE: Bunkhumpornpat, Sinapiromsaran & Lursinsap (2009), PAKDD, LNCS 5476, 475-482."""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments
from .._random import stream
from .base import BaseOverSampler

__all__ = ["SafeLevelSMOTE", "safe_level_gaps"]


def safe_level_gaps(seed_level: np.ndarray, partner_level: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Positions on the segments from seeds to partners given their safe levels.

    The position stays in the part of the segment next to the safer end, of
    length (lower level / higher level) of the segment, uniform within it
    (``u`` uniform in [0, 1)): ``u * sln / slp`` from the seed when the seed is
    at least as safe, ``1 - u * slp / sln`` when the partner is safer. The
    paper's cases follow: equal levels give a uniform gap, a partner of level 0
    gives the seed itself (gap 0), a seed of level 0 gives the partner (gap 1).
    Both levels 0 (the paper's "no generation" case) give a uniform gap here;
    the caller keeps such pairs out.
    """
    slp = seed_level.astype(np.float64)
    sln = partner_level.astype(np.float64)
    both_zero = (slp == 0) & (sln == 0)
    seed_safer = slp >= sln
    with np.errstate(divide="ignore", invalid="ignore"):
        from_seed = u * np.where(both_zero, 1.0, sln / slp)
        from_partner = 1.0 - u * (slp / sln)
    return np.where(seed_safer, from_seed, from_partner)


@Substitution(**_FITTED_ATTRIBUTES)
class SafeLevelSMOTE(BaseOverSampler):
    """Safe-Level Synthetic Minority Over-sampling TEchnique.

    Each row of a class gets a *safe level*: the number of rows of its own
    class among its ``k_neighbors`` nearest rows of the whole data set (0: a
    noise row, ``k_neighbors``: a safe one). Like SMOTE, a new row lies on the
    segment from a row ``p`` of the class to one of its ``k_neighbors`` nearest
    rows ``n`` of the same class; unlike SMOTE, where on the segment depends on
    the ratio of their safe levels ``slp`` and ``sln``: uniformly on the whole
    segment when they are equal, within the fraction ``sln / slp`` of the
    segment nearest ``p`` when ``p`` is safer, within the fraction
    ``slp / sln`` nearest ``n`` when ``n`` is safer (so a copy of ``p`` when
    ``sln = 0``, a copy of ``n`` when ``slp = 0``), and nowhere when both are 0.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    k_neighbors : int, default=5
        Number of nearest neighbours, both among the rows of the class (the
        partners ``n``) and among all rows (the safe levels).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    safe_level_ : dict
        Per over-sampled class label, the safe level of each of its rows (in
        input order): how many of its ``k_neighbors`` nearest rows of the whole
        data set are of its class.
    sample_rows_ : dict
        Per over-sampled class label, the input positions of its rows, aligned
        with ``safe_level_``.
    smote_fallback_ : list
        Labels of the classes in which every (row, neighbour) pair had both
        safe levels 0, and which were over-sampled as by SMOTE instead (see Notes).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    How many rows, and from which pairs. The paper visits every row ``p`` of
    the class once per round with one random neighbour ``n``, and generates
    nothing when both safe levels are 0. Here the plan fixes the number of new
    rows, so the pairs are drawn uniformly among the (row, neighbour) pairs
    that generate: the same as redrawing every pair of the paper's first case
    until one generates, and, in expectation, the same use of every pair as
    the paper's rounds. When no pair of a class generates (every row of the
    class has no row of its class among its ``k_neighbors`` nearest), the class
    is over-sampled as by SMOTE (pairs uniform over all pairs, gaps uniform on
    the segment), with a ``UserWarning`` naming the class.

    One position per new row. The paper's pseudocode draws the gap inside its
    loop over the attributes; as in SMOTE's usual reading (and
    imbalanced-learn's), one gap is drawn per new row here, so that every new
    row lies on its segment (between its two parents, in the part allowed by
    their safe levels), as recorded in ``provenance_``.

    smote-variants 1.0.1 (``Safe_Level_SMOTE``) differs in two ways. Its
    partners ``n`` are the nearest neighbours of ``p`` among *all* rows, so it
    also interpolates toward rows of the other class (the paper and this class
    take them among the rows of ``p``'s class), with ``sln`` the number of
    minority rows near that majority row; a noise seed (``slp = 0``) next to
    such a row then yields an exact copy of the majority row, labelled
    minority (gap 1). And it draws one gap per feature, so its new rows fill
    the box spanned by ``p`` and ``n`` rather than the segment (each
    feature's distribution is unchanged). When no pair generates it returns
    the data unchanged.

    Several classes: every class to over-sample is taken as the minority
    against all rows of the other classes (one against the rest), each from
    its own random stream. A row is never its own neighbour, even when
    duplicated (its copies are neighbours at distance 0).

    References
    ----------
    .. [1] Bunkhumpornpat, C., Sinapiromsaran, K. & Lursinsap, C. (2009). Safe-Level-SMOTE:
       Safe-Level-Synthetic Minority Over-Sampling TEchnique for handling the class imbalanced
       problem. Advances in Knowledge Discovery and Data Mining (PAKDD 2009), Lecture Notes in
       Computer Science, 5476, 475-482.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
    }
    _accept_sparse = False

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors")

    def _fit_resample(self, X, codes, plan, seed):
        k = int(self.k_neighbors)
        self.safe_level_, self.sample_rows_, self.smote_fallback_ = {}, {}, []
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            Xc = X[rows]
            within = self._neighbors_within(Xc, k, "k_neighbors", cls.label, rows.size)
            among_all = self._neighbors_among_all(X, rows, k, "k_neighbors", cls.label)
            level = np.count_nonzero(codes[among_all] == code, axis=1)
            self.safe_level_[cls.label], self.sample_rows_[cls.label] = level, rows
            # Pair j is (row j // k, its neighbour within[j // k, j % k]).
            partners_of_pair = within.ravel()
            generating = np.flatnonzero((np.repeat(level, k) > 0) | (level[partners_of_pair] > 0))
            rng = stream(seed, code)
            if generating.size:
                pairs = generating[rng.integers(0, generating.size, size=cls.n_add)]
            else:
                warnings.warn(
                    f"SafeLevelSMOTE: every row of class {cls.label!r} has safe level 0 (no row of its "
                    f"class among its k_neighbors={k} nearest), so no pair may generate by the paper's "
                    f"rule. Its {cls.n_add} new samples were drawn as by SMOTE instead (uniform pairs, "
                    "uniform positions on their segments).",
                    UserWarning, stacklevel=3,
                )
                self.smote_fallback_.append(cls.label)
                pairs = rng.integers(0, partners_of_pair.size, size=cls.n_add)
            seeds, partners = pairs // k, partners_of_pair[pairs]
            gaps = safe_level_gaps(level[seeds], level[partners], rng.random(cls.n_add))
            pieces.append(Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
