"""SMOTE: Chawla, Bowyer, Hall & Kegelmeyer (2002), JAIR 16, 321-357."""

from __future__ import annotations

from .._constraints import NEIGHBORS, refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import PairTable, Resampled
from ..base import PartitionedSupport
from .base import BaseOverSampler

__all__ = ["SMOTE"]

# Peak bytes per new row of an output task on a backend, beside the rows' values (see
# PartitionedSupport.bytes_per_row): the draws, their positions, the provenance (measured: 54).
_OUTPUT_BYTES_PER_ROW = 96


@Substitution(**_FITTED_ATTRIBUTES)
class SMOTE(BaseOverSampler):
    """Synthetic Minority Over-sampling TEchnique.

    Each new sample lies on the segment between a sample of the class and one
    of its ``k_neighbors`` nearest neighbours of the same class, at a uniform
    random position. Seeds and neighbours are drawn uniformly over all
    (sample, neighbour) pairs, as in imbalanced-learn.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    k_neighbors : int or object, default=5
        Number of same-class neighbours to interpolate toward, or an object with
        ``fit``/``kneighbors`` (e.g. ``NearestNeighbors(n_neighbors=6)``; its
        ``n_neighbors`` counts the sample itself, as in imbalanced-learn).

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    nn_k_ : object
        The neighbours object given, or for an int ``k`` an unfitted
        ``NearestNeighbors(n_neighbors=k + 1)`` standing for the exact search
        used (imbalanced-learn's attribute).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Differences from imbalanced-learn 0.14: a sample is never its own
    neighbour even when duplicated (imbalanced-learn drops an arbitrary tied
    row); each class draws from its own random stream, so two classes of equal
    size no longer receive identical samples. Integer columns (numpy integer
    arrays, which keep their dtype as in imbalanced-learn, and pandas/polars
    columns) receive rounded synthetic values, clipped to the dtype's range and
    to the two parents' values, where imbalanced-learn truncates toward zero
    and can wrap around.

    References
    ----------
    .. [1] Chawla, N. V., Bowyer, K. W., Hall, L. O. & Kegelmeyer, W. P. (2002). SMOTE: synthetic
       minority over-sampling technique. Journal of Artificial Intelligence Research, 16,
       321-357.
    """

    _parameter_constraints: dict = {**BaseOverSampler._parameter_constraints, "k_neighbors": NEIGHBORS}
    _partitioned = PartitionedSupport("pairs", bytes_per_row=_OUTPUT_BYTES_PER_ROW)

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _check_params(self, n_features):
        refuse_bools(self, "k_neighbors")

    def _pair_tables(self, X, codes, plan):
        """What the draws depend on: per class over-sampled, its rows and their
        neighbour table (a backend draws the new rows from them in many tasks)."""
        self.nn_k_ = self._neighbors_attr(self.k_neighbors, "k_neighbors")
        tables = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            nn = self._neighbors_within(X[rows], self.k_neighbors, "k_neighbors", cls.label, rows.size)
            tables.append(PairTable(rows, nn, cls.n_add, (code,)))
        return tables

    def _fit_resample(self, X, codes, plan, seed):
        pieces = [table.piece(X, seed) for table in self._pair_tables(X, codes, plan)]
        return Resampled.from_pieces(range(X.shape[0]), pieces)
