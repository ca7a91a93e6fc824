"""Lee's SMOTE with rejection: Lee, Kim & Lee (2015), ACM IMCOM '15, Article 102."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Segments, draw_pairs, interpolate
from ..neighbors import kneighbors
from .base import BaseOverSampler

__all__ = ["LeeSMOTE"]

# Rounds of candidates drawn before the fallback (see the Notes of LeeSMOTE).
_MAX_ROUNDS = 10
# Smallest round: a small one would say little about the acceptance rate.
_MIN_BATCH = 256
# A round draws the missing rows divided by the acceptance rate seen so far, with this margin,
# the rate taken at least _MIN_RATE: a round draws at most missing * _MARGIN / _MIN_RATE candidates.
# Drawing is cheap: a round's candidates are searched in chunks, and the search stops as soon
# as enough are kept, so the margin costs at most one chunk's search.
_MARGIN = 1.5
_MIN_RATE = 1 / 16
# Candidates searched at once: at most an eighth of the rows (kneighbors then answers few
# queries against many rows with its float32 screen, the fastest exact search for them), at
# least _MIN_SEARCH_ROWS (fewer calls on small data), at most _SEARCH_ROWS (memory).
_SEARCH_ROWS = 1 << 16
_MIN_SEARCH_ROWS = 1 << 10


@Substitution(**_FITTED_ATTRIBUTES)
class LeeSMOTE(BaseOverSampler):
    """SMOTE with rejection of the candidates that fall among the other classes.

    Candidates are drawn as by SMOTE: on the segment between a row of the
    class and one of its ``k_neighbors`` nearest rows of the same class, at a
    uniform position. A candidate is kept only when, among its
    ``k_neighbors`` nearest rows of the original data (every class), the share
    of rows of other classes is at most ``rejection_level``; otherwise it is
    rejected, and candidates are drawn (in batches) until the class has its
    planned number of new rows.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    k_neighbors : int, default=5
        Number of nearest neighbours, both among the rows of the class (the
        partners of the segments) and among all rows (a candidate's
        neighbourhood).
    rejection_level : float in [0, 1], default=0.5
        Largest share of other-class rows among a candidate's
        ``k_neighbors`` nearest original rows for the candidate to be kept:
        0 keeps only candidates surrounded by their class, 1 keeps every
        candidate (SMOTE).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    acceptance_rate_ : dict
        Per over-sampled class label, the share of the candidates searched
        that passed the rejection rule.
    n_relaxed_ : dict
        Per over-sampled class label, how many of its new rows are rejected
        candidates taken by the fallback (0 unless acceptance was too rare,
        see Notes).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Drawing. Candidates are drawn in rounds, each a vectorised batch: the
    first round draws the rows missing plus 50% (at least 256 candidates),
    each later one the rows still missing divided by the acceptance rate seen
    so far (taken as at least 1/16), plus 50%. A round's candidates are
    searched in chunks, in the order drawn, until enough are kept; kept
    candidates are taken in that order, so exactly the planned number of rows
    is added, and the result does not depend on the chunks. The draws depend
    only on the seed and the class, never on ``n_jobs``.

    When acceptance is impossible or too rare. After a round drawn at the
    lowest rate (1/16) that keeps no candidate, or after 10 rounds, the rows
    still missing are the rejected candidates whose share of other-class
    neighbours is the smallest (the rejection level raised just as far as
    needed; equal shares in the order drawn), with a ``UserWarning`` naming
    the class and the level reached; ``n_relaxed_`` counts them.
    smote-variants instead raises its level by 0.1 after 5 batches of at
    least 20 candidates without a kept one, and draws again, without bound.

    The rule. A candidate is rejected when the share of other-class rows among
    its neighbours is *greater* than the level, as smote-variants'
    documentation states the rule; its code also rejects a share *equal* to
    the level (it keeps shares strictly below it), which differs only when
    ``k_neighbors * rejection_level`` is a whole number (not at the
    defaults), and makes a level of 0 reject every candidate. A candidate
    equal to an input row (a position of 0 or 1) counts that row among its
    neighbours. smote-variants draws its candidates as SMOTE does (simplex
    sampling of order 2, its default), as here.

    Every new row lies on the segment between two rows of its class, as
    recorded in ``provenance_``. Several classes: every class to over-sample
    is taken as the minority against all rows of the other classes (one
    against the rest), each from its own random stream.

    References
    ----------
    .. [1] Lee, J., Kim, N. & Lee, J.-H. (2015). An over-sampling technique with rejection for
       imbalanced class learning. Proceedings of the 9th International Conference on Ubiquitous
       Information Management and Communication (IMCOM '15), ACM, Article 102.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "rejection_level": [Interval(Real, 0, 1, closed="both")],
    }
    _accept_sparse = False

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5, rejection_level=0.5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.rejection_level = rejection_level

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors", "rejection_level")

    def _other_share(self, X, codes, code, Xc, seeds, partners, gaps):
        """Per candidate, the share of rows of other classes among its nearest rows of ``X``."""
        k = int(self.k_neighbors)
        candidates = interpolate(Xc, seeds, partners, gaps)
        return np.count_nonzero(codes[kneighbors(X, k, query=candidates)] != code, axis=1) / k

    def _fit_resample(self, X, codes, plan, seed):
        level = float(self.rejection_level)
        chunk = int(np.clip(X.shape[0] // 8, _MIN_SEARCH_ROWS, _SEARCH_ROWS))
        self.acceptance_rate_, self.n_relaxed_ = {}, {}
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            Xc = X[rows]
            within = self._neighbors_within(Xc, self.k_neighbors, "k_neighbors", cls.label, rows.size)
            kept, pool = [], None  # pool: the rejected candidates least dominated so far
            n_kept = n_ok = n_searched = 0
            for round_ in range(_MAX_ROUNDS):
                rate = n_ok / n_searched if n_searched else 1.0
                size = max(_MIN_BATCH, int(np.ceil((cls.n_add - n_kept) * _MARGIN / max(rate, _MIN_RATE))))
                draw = draw_pairs(within, size, seed, key=(code, round_))
                kept_before = n_kept
                for start in range(0, size, chunk):
                    part = tuple(a[start:start + chunk] for a in draw)
                    share = self._other_share(X, codes, code, Xc, *part)
                    ok = share <= level
                    take = np.flatnonzero(ok)[:cls.n_add - n_kept]
                    kept.append(tuple(a[take] for a in part))
                    n_kept += take.size
                    n_ok += np.count_nonzero(ok)
                    n_searched += share.size
                    if n_kept == cls.n_add:
                        break
                    pool = _least_dominated(pool, (*part, share), ~ok, cls.n_add - n_kept)
                if n_kept == cls.n_add or (n_kept == kept_before and rate <= _MIN_RATE):
                    break  # done, or even a round of the largest size kept nothing
            self.acceptance_rate_[cls.label] = float(n_ok / n_searched)
            self.n_relaxed_[cls.label] = cls.n_add - n_kept
            if n_kept < cls.n_add:
                kept.append(pool[:3])
                self._warn_relaxed(cls, n_kept, n_searched, pool[3].max())
            seeds, partners, gaps = (np.concatenate(parts) for parts in zip(*kept))
            pieces.append(Piece(rows[seeds], Segments(Xc, seeds, partners, gaps), rows[partners], gaps))
        return Resampled.from_pieces(range(X.shape[0]), pieces)

    def _warn_relaxed(self, cls, n_kept, n_searched, reached):
        warnings.warn(
            f"LeeSMOTE: only {n_kept} of the {n_searched} candidates searched for class {cls.label!r} had at most "
            f"rejection_level={float(self.rejection_level):g} of their k_neighbors={int(self.k_neighbors)} "
            f"nearest rows in other classes; the {cls.n_add - n_kept} new samples still missing are the "
            "rejected candidates with the fewest other-class neighbours (the level was in effect raised to "
            f"{reached:g}). Raise rejection_level, or use SMOTE, if this class lies among the others.",
            UserWarning, stacklevel=4,
        )


def _least_dominated(pool, candidates, rejected, n):
    """The ``n`` candidates of ``pool`` and the ``rejected`` ones of ``candidates`` (arrays
    seeds, partners, gaps, shares) with the smallest shares; equal shares, the earlier drawn."""
    fresh = tuple(a[rejected] for a in candidates)
    both = fresh if pool is None else tuple(np.concatenate(pair) for pair in zip(pool, fresh))
    best = np.sort(np.argsort(both[3], kind="stable")[:n])  # in the order drawn
    return tuple(a[best] for a in both)
