"""MLSMOTE: Charte, Rivera, del Jesus & Herrera (2015), Knowledge-Based Systems 89, 385-397."""

from __future__ import annotations

import logging
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._constraints import refuse_bools
from .._docstring import Substitution
from .._generation import Piece, Resampled, Segments, Values
from ._mlsmote_kernels import INTERPOLATIONS, LABEL_GENERATIONS, mlsmote_draws
from .base import _DOCS, BaseMultilabelSampler

__all__ = ["MLSMOTE"]

_log = logging.getLogger(__name__)


@Substitution(**_DOCS)
class MLSMOTE(BaseMultilabelSampler):
    """Multilabel Synthetic Minority Over-sampling TEchnique.

    The minority labels are those whose imbalance ratio IRLbl (the largest
    label count over the label's count) exceeds the mean MeanIR. For each
    minority label, every row carrying it (its *bag*) seeds one synthetic row
    between itself and one of its ``k_neighbors`` nearest rows of the same
    bag, drawn at random: a uniform random point of the box the two rows span
    (``interpolation``). Its labelset is voted by the seed and those
    neighbours (``label_generation``).

    Parameters
    ----------
    k_neighbors : int, default=5
        Nearest rows of the bag considered per seed (Euclidean distance, the
        seed itself excluded, ties by row position). A bag of ``m <= k_neighbors``
        rows uses its ``m - 1`` other rows.
    label_generation : {{'ranking', 'union', 'intersection'}}, default='ranking'
        The labelset of a synthetic row, from its seed and the seed's ``k``
        neighbours (``k + 1`` rows): ``'ranking'`` keeps the labels carried by
        more than half of them, ``'union'`` those carried by any, and
        ``'intersection'`` those carried by all. The minority label itself is
        always kept (every row of its bag carries it).
    interpolation : {{'box', 'segment'}}, default='box'
        Where a synthetic row lies between its seed and the reference
        neighbour. ``'box'``: a new uniform random number for every feature,
        as in the paper's Algorithm 1, so anywhere in the axis-aligned box the
        two rows span. ``'segment'``: one number per row, as SMOTE, so on the
        segment joining them.
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per minority
        label (keyed by its column), so a label's rows do not depend on the
        other labels. A label's stream gives the neighbour picks, then the
        positions: one per row (``'segment'``), or one per feature where the
        seed and its neighbour differ (``'box'``; a number where they are
        equal would change nothing).

    Attributes
    ----------
    {labels_}
    minority_labels_ : ndarray
        The names of the labels over-sampled (IRLbl > MeanIR on the input),
        in column order.
    n_added_ : dict
        Per minority label name, the synthetic rows its bag generated (its
        number of rows, or 0 for a bag of one row).
    {imbalance_}
    provenance_ : Provenance
        Per output row: the seed (``source``), the reference neighbour
        (``partner``) and, for ``interpolation='segment'``, the position
        between them (``gap``; NaN for ``'box'``, see Notes); synthetic rows
        follow the input rows, label by label in column order, each label's
        rows in input order of their seeds.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    What the paper leaves open, or where this implementation departs from its
    pseudo-code (Algorithm 1) and from the authors' R package mldr.resampling
    (0.2.3), and why:

    - *When imbalance is measured.* The pseudo-code computes MeanIR once but
      evaluates each label's IRLbl, and gathers its bag, on the data set
      grown by the rows already generated for the labels before it.
      mldr.resampling measures IRLbl and MeanIR once and takes the bags from
      the input; so does this class. A bag holding synthetic rows would give
      seeds that are not input rows (the provenance would lose its meaning),
      and the result would depend on the order of the label columns.
    - *Box or segment.* The pseudo-code, mldr.resampling and Mulan's Java
      implementation draw a new random number for every feature, which puts
      the new row anywhere in the box spanned by the seed and its reference
      neighbour; that is the default. Each feature's values then spread as
      SMOTE's do, but the rows fill the box instead of the lines between
      neighbours, unlike SMOTE (smotekit's and imbalanced-learn's), which
      draws one number per row; ``interpolation='segment'`` does that. A box
      row has two parents but no single position between them:
      ``provenance_`` gives its seed and neighbour (``source``, ``partner``)
      with ``gap`` NaN, and the row itself is in the output only. A segment
      row is recorded exactly (``X[source] + gap * (X[partner] -
      X[source])``).
    - *The ranking threshold.* The pseudo-code keeps the labels counted more
      than ``(k + 1) / 2`` times, as mldr.resampling does; the text says "half
      or more", as Mulan's implementation does. Strictly more than half is
      used; the two differ only when ``k + 1`` is even.
    - *Small bags.* With fewer than ``k_neighbors + 1`` rows the neighbours are
      the other rows of the bag, and the voting thresholds use that number;
      a bag of one row has no neighbour and adds nothing (logged). The paper
      does not discuss either case.
    - *Features.* Numeric features only (numpy, pandas, polars, scipy sparse),
      compared by the plain Euclidean distance without scaling, as in the
      paper. A feature on which the seed and its neighbour agree keeps their
      value in a box row, so a sparse ``X`` gives sparse rows (nonzero only
      where a parent is) and the same rows as the same values held dense.
      Integer columns are rounded back to their dtype. The paper's Value Difference Metric and most-frequent-value rule
      for nominal features are not implemented: encode nominal columns first.
    - mldr.resampling 0.2.3, read for comparison, keeps only the second
      nearest neighbour of each seed (so 'ranking' there means "carried by
      both rows") and drops the first synthetic row; these look like slips
      and are not reproduced.

    References
    ----------
    .. [1] Charte, F., Rivera, A. J., del Jesus, M. J. & Herrera, F. (2015). MLSMOTE: approaching
       imbalanced multilabel learning through synthetic instance generation. Knowledge-Based
       Systems, 89, 385-397.

    Examples
    --------
    >>> from sklearn.datasets import make_multilabel_classification
    >>> from smotekit.multilabel import MLSMOTE
    >>> X, Y = make_multilabel_classification(n_samples=200, n_classes=5, random_state=0)
    >>> sampler = MLSMOTE(random_state=0)
    >>> X_res, Y_res = sampler.fit_resample(X, Y)
    >>> X_res.shape[0] - X.shape[0] == sum(sampler.n_added_.values())
    True
    """

    _parameter_constraints: dict = {
        **BaseMultilabelSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "label_generation": [StrOptions(set(LABEL_GENERATIONS))],
        "interpolation": [StrOptions(set(INTERPOLATIONS))],
    }

    def __init__(self, *, k_neighbors=5, label_generation="ranking", interpolation="box", random_state=None):
        self.k_neighbors = k_neighbors
        self.label_generation = label_generation
        self.interpolation = interpolation
        self.random_state = random_state

    def _check_params(self, n_rows, n_features, Y):
        refuse_bools(self, "k_neighbors")

    def _fit_resample(self, X, Y, seed):
        before = self.imbalance_before_
        labels = np.flatnonzero(before.minority)
        names = np.asarray(self.labels_)
        self.minority_labels_ = names[labels]
        _log.info("MLSMOTE: %d minority label(s) of %d (IRLbl > MeanIR = %.3g): %s", labels.size, Y.shape[1],
                  before.mean_ir, list(self.minority_labels_))
        draws = mlsmote_draws(X, Y, labels, self.k_neighbors, self.label_generation, seed, self.interpolation)
        columns = np.fromiter(draws.n_added, dtype=np.int64, count=len(draws.n_added))
        self.n_added_ = dict(zip(names[columns].tolist(), draws.n_added.values()))
        pieces = []
        if draws.source.size:
            # Box rows are computed with their draws; segment rows only when the output is built.
            if draws.values is None:
                block = Segments(X, draws.source, draws.partner, draws.gap)
            else:
                block = Values(draws.values)
            pieces.append(Piece(draws.source, block, draws.partner, draws.gap))
        return Resampled.from_pieces(range(X.shape[0]), pieces), draws.Y_added
