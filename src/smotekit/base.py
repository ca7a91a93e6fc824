"""The one ``fit_resample`` template every sampler follows.

validate → plan → seed → ``_fit_resample`` on clean arrays → wrap the output
in the caller's kind of container. Subclasses implement ``_fit_resample`` and
nothing else of the template; they never see pandas, polars or raw seeds.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator

from ._provenance import Provenance
from ._random import resolve_seed
from ._strategy import SamplingPlan, make_plan
from .utils._containers import read_X, read_y

__all__ = ["BaseSampler", "Resampled"]


@dataclass
class Resampled:
    """What a sampler's kernel returns: positions in the input, plus generated values.

    The output is the ``kept`` input rows (a ``range`` when every row is kept in
    order, which spares an index array) followed by one added row per entry
    of ``added_source``; the added rows are exact copies of their source rows
    when ``added_blocks`` is None, else the rows of these generated blocks
    (dense or sparse, one per class), stacked in order.
    """

    kept: np.ndarray | range
    added_source: np.ndarray | None = None
    added_partner: np.ndarray | None = None
    added_gap: np.ndarray | None = None
    added_blocks: list | None = None


class BaseSampler(BaseEstimator):
    """Base class of all samplers: ``fit``, ``fit_resample`` and the fitted attributes.

    Fitted attributes (after ``fit_resample``)
    ------------------------------------------
    sampling_strategy_ : OrderedDict
        imbalanced-learn's dict: per targeted class, the number of samples to
        generate (over-samplers) or to keep (under-samplers).
    sampling_plan_ : SamplingPlan
        Unambiguous per-class plan: ``before``, ``target``, ``added``, ``removed``.
    provenance_ : Provenance
        Origin of every output row (original input row, or synthetic and its parents).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.
    """

    #: 'over-sampling', 'under-sampling' or 'clean-sampling'; set by each family.
    _sampling_type: str | None = None
    #: Capabilities, as data: read by the template, the checks and the command line.
    _allow_nan = False
    _accept_sparse = True
    _handles_categorical = False
    #: Samplers whose output rows are input rows expose ``sample_indices_`` (imbalanced-learn's name).
    _selects_rows = False
    #: Whether the output class sizes always equal the plan's targets (False where the data
    #: decide, e.g. a cleaning step after over-sampling, or rows tied at a threshold).
    _exact_counts = True
    #: Whether sparse input gives the same result as the same data dense (False where a
    #: parameter's meaning depends on sparsity, e.g. ClusterCentroids' voting='auto').
    _sparse_same_as_dense = True
    #: Parameters imbalanced-learn takes positionally (e.g. ``SMOTENC(categorical_features)``);
    #: every other ``__init__`` parameter is keyword-only.
    _positional_params: tuple = ()
    #: Values the contract checks give to parameters without a default.
    _check_init_params: dict = {}

    def _requires_numeric(self) -> bool:
        """Whether the kernel computes with X's values (else it only selects rows)."""
        return True

    def _check_params(self, n_features: int) -> None:
        """Validate constructor arguments; called once per fit, never in ``__init__``."""

    def _fit_resample(self, X, codes, plan: SamplingPlan, seed: np.random.SeedSequence) -> Resampled:
        raise NotImplementedError

    def _read_X(self, X):
        """The caller's ``X`` as a :class:`~smotekit.utils._containers.Table`; samplers of
        mixed tables override this to read nominal columns (see ``read_mixed``)."""
        numeric = self._requires_numeric()
        return read_X(X, numeric=numeric, allow_nan=self._allow_nan or not numeric,
                      accept_sparse=self._accept_sparse)

    def _validate(self, X, y):
        table = self._read_X(X)
        target = read_y(y, table.n_rows)
        self._check_params(table.n_cols)
        plan = make_plan(self.sampling_strategy, target.classes, target.counts,
                         self._sampling_type, y=target.labels)
        self.sampling_plan_ = plan
        self.sampling_strategy_ = plan.as_strategy_dict()
        self.n_features_in_ = table.n_cols
        if table.columns is not None and all(isinstance(c, str) for c in table.columns):
            self.feature_names_in_ = np.asarray(table.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return table, target, plan

    def fit(self, X, y):
        """Validate the data and resolve the sampling plan (no resampling).

        Returns
        -------
        self : object
        """
        if _is_dask(X) or _is_dask(y):
            from .dask._driver import fit

            return fit(self, X, y)
        self._validate(X, y)
        return self

    def fit_resample(self, X, y):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            numpy arrays and lists, pandas or polars DataFrames, scipy CSR/CSC.
        y : array-like of shape (n_samples,)
            Class labels (ints, strings, bools, pandas categorical).

        Returns
        -------
        X_resampled : same kind as X, shape (n_samples_new, n_features)
            The kept input rows, unchanged and in input order, then the added rows.
        y_resampled : same kind as y, shape (n_samples_new,)

        Dask DataFrames and Arrays are resampled on a Dask cluster and returned
        as lazy Dask collections; see :mod:`smotekit.dask`.
        """
        if _is_dask(X) or _is_dask(y):
            from .dask._driver import fit_resample

            return fit_resample(self, X, y)
        table, target, plan = self._validate(X, y)
        seed = resolve_seed(self.random_state) if hasattr(self, "random_state") else np.random.SeedSequence(0)
        out = self._fit_resample(table.kernel_input(), target.codes, plan, seed)
        self.provenance_ = Provenance(out.kept, out.added_source, out.added_partner, out.added_gap)
        if self._selects_rows:
            self.sample_indices_ = self.provenance_.source
        X_res = table.assemble(out.kept, out.added_source, out.added_blocks)
        y_res = target.assemble(out.kept, out.added_source)
        return X_res, y_res

    @staticmethod
    def _class_rows(codes, code) -> np.ndarray:
        """Input positions of one class; 32-bit when they fit, halving provenance memory."""
        rows = np.flatnonzero(codes == code)
        return rows.astype(np.int32) if codes.size < 2**31 else rows


def _is_dask(obj) -> bool:
    # A Dask collection can only exist once dask is imported: no import cost otherwise.
    dask = sys.modules.get("dask")
    return dask is not None and dask.is_dask_collection(obj)
