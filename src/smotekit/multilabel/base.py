"""The ``fit_resample(X, Y)`` template of the multi-label samplers.

validate the parameters -> read ``X`` -> read ``Y`` -> one seed -> the kernel
``_fit_resample(X, Y, seed)`` -> ``X`` and ``Y`` back in the caller's kinds, and
the fitted attributes. Subclasses write the kernel and nothing else of the
template; they never see containers or raw ``random_state`` values.

These samplers are not :class:`smotekit.base.BaseSampler` subclasses (whose
contract is one class label per row), but they are samplers to
:class:`smotekit.pipeline.Pipeline` (anything with ``fit_resample``) and to
scikit-learn (``clone``, ``get_params``, ``_estimator_type = "sampler"``).
"""

from __future__ import annotations

import logging
import time

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin

from .._constraints import RANDOM_STATE
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Resampled
from .._random import resolve_seed
from ..base import _log_stage, _non_numeric, _record_features, _record_output
from ..utils._containers import NonNumericError, read_X
from ._measures import label_imbalance
from ._target import LabelTarget, read_labels

__all__ = ["BaseMultilabelSampler"]

_log = logging.getLogger(__name__)


#: Attribute texts the multi-label samplers share, written once: a class docstring holds
#: ``{labels_}`` (and so on) and is decorated with ``Substitution(**_DOCS)``.
_DOCS = {
    "labels_": """labels_ : ndarray of shape (n_labels,)
        The label names: ``Y``'s column names for DataFrames, 0..L-1 for
        matrices, the sorted union of the label collections.""",
    "imbalance_": """imbalance_before_ : LabelImbalance
        The imbalance measures (IRLbl, MeanIR, SCUMBLE...) of the input ``Y``.
    imbalance_after_ : LabelImbalance
        The same measures of the output ``Y``.""",
    "n_features_in_": _FITTED_ATTRIBUTES["n_features_in_"],
    "feature_names_in_": _FITTED_ATTRIBUTES["feature_names_in_"],
}


@Substitution(**_DOCS)
class BaseMultilabelSampler(OneToOneFeatureMixin, BaseEstimator):
    """Base class of the multi-label samplers: the template, the attributes, the hook.

    Subclass it, store the ``__init__`` arguments (``random_state`` among
    them), list them in ``_parameter_constraints``, and write
    ``_fit_resample(self, X, Y, seed)``.

    Attributes
    ----------
    {labels_}
    {imbalance_}
    provenance_ : Provenance
        The origin of every output row.
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    The kernel hook is ``_fit_resample(X, Y, seed) -> (Resampled, Y_added or None)``:

    - ``X``: ``table.kernel_input()``, the numeric matrix (float ndarray, or a
      CSR matrix for sparse input when ``_accept_sparse``), or None when
      ``_reads_values`` is False (the sampler only copies or deletes rows);
    - ``Y``: ndarray of bool, shape (n_rows, n_labels), read only;
    - ``seed``: the call's root :class:`numpy.random.SeedSequence`; draw from
      ``smotekit._random.stream(seed, *key)``, one key per unit of work;
    - returns a :class:`~smotekit._generation.Resampled` (kept input rows in
      output order, then the added rows: copies when ``added_blocks`` is None,
      else generated blocks, see ``Resampled.from_pieces``), and the labels of
      the added rows, bool (n_added, n_labels), or None when each added row
      has its source row's labels.

    Class attributes saying what a sampler does, read by the template:
    ``_reads_values`` (False: ``X`` may hold anything, it is only copied),
    ``_accept_sparse``, ``_allow_nan`` and ``_selects_rows`` (True: every output
    row is an input row, and ``sample_indices_`` is set).
    """

    _estimator_type = "sampler"
    #: Whether the kernel computes with X's values (False: rows are only copied or deleted).
    _reads_values = True
    _accept_sparse = True
    _allow_nan = False
    #: Output rows are input rows: ``sample_indices_`` is set.
    _selects_rows = False

    _parameter_constraints: dict = {"random_state": RANDOM_STATE}

    def _read_X(self, X):
        """The caller's ``X`` as a :class:`~smotekit.utils._containers.Table`."""
        numeric = self._reads_values
        try:
            return read_X(X, numeric=numeric, allow_nan=self._allow_nan or not numeric,
                          accept_sparse=self._accept_sparse)
        except NonNumericError as exc:
            raise _non_numeric(exc, f"{type(self).__name__} computes with the values of X: encode these columns "
                                    "as numbers (e.g. one-hot) or drop them.") from None

    def _check_params(self, n_rows: int, n_features: int, Y: np.ndarray) -> None:
        """Checks that constraints cannot express, once per fit (``Y`` bool (n_rows, n_labels))."""

    def _fit_resample(self, X, Y, seed):
        raise NotImplementedError

    def _validate(self, X, Y) -> tuple:
        self._validate_params()
        table = self._read_X(X)
        target = read_labels(Y, table.n_rows)
        if not target.matrix.any():
            raise ValueError(
                f"No row of Y carries a label (all {target.n_rows} rows are empty, over "
                f"{target.matrix.shape[1]} label columns): there is no label to rebalance. Check that Y holds "
                "the labels of X (1 = the row has the label)."
            )
        self._check_params(table.n_rows, table.n_cols, target.matrix)
        self.labels_ = target.labels
        self.imbalance_before_ = label_imbalance(target.matrix, labels=target.labels)
        _record_features(self, table.n_cols, table.columns)
        return table, target

    def fit(self, X, Y):
        """Validate the data and measure its imbalance (no resampling).

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            The data, as for :meth:`fit_resample`.
        Y : indicator matrix or sequence of label collections
            The labels, as for :meth:`fit_resample`.

        Returns
        -------
        self : object
        """
        self._validate(X, Y)
        return self

    def fit_resample(self, X, Y):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            numpy arrays and lists, pandas or polars DataFrames, scipy sparse.
        Y : indicator matrix or sequence of label collections
            A 0/1 matrix of shape (n_samples, n_labels) (numpy int, bool or
            float; pandas or polars DataFrame, one column per label; scipy
            sparse), or one collection (list, tuple, set) of label names per
            row (a list, tuple, 1-D object array, pandas Series, or polars
            Series of lists). Rows without labels are allowed.

        Returns
        -------
        X_resampled : same kind as X, shape (n_samples_new, n_features)
            The kept input rows, unchanged and in input order, then the added rows.
        Y_resampled : same kind as Y
            Their labels: the kept rows' own, then those of the added rows
            (their source rows' for copies). Indicators keep their dtype and
            column names (sparse ones come back as CSR); label collections
            come back in the same outer container.
        """
        table, target = self._validate(X, Y)
        seed = resolve_seed(getattr(self, "random_state", None))
        name, started = type(self).__name__, time.perf_counter()
        _log_stage(_log, logging.INFO, "start", name, table.n_rows,
                   "%s: resampling %d rows x %d features, %d labels (mean IR %.3g)", name, table.n_rows,
                   table.n_cols, target.matrix.shape[1], self.imbalance_before_.mean_ir, kind="multilabel")
        # The kernel reads Y; the template builds the output from it afterwards.
        target.matrix.flags.writeable = False
        out, Y_added = self._fit_resample(table.kernel_input(), target.matrix, seed)
        if not isinstance(out, Resampled):
            raise TypeError(f"{name}._fit_resample must return (Resampled, Y_added or None); got "
                            f"{type(out).__name__} first.")
        X_res = _record_output(self, table, out)
        Y_res = target.assemble(out.kept, out.added_source, Y_added)
        self.imbalance_after_ = label_imbalance(_output_matrix(target, out, Y_added), labels=target.labels)
        n_out = len(self.provenance_)
        _log_stage(_log, logging.INFO, "end", name, n_out, "%s: %d -> %d rows in %.2fs (mean IR %.3g -> %.3g)", name,
                   table.n_rows, n_out, time.perf_counter() - started, self.imbalance_before_.mean_ir,
                   self.imbalance_after_.mean_ir)
        return X_res, Y_res

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "sampler"
        tags.target_tags.required = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        tags.input_tags.sparse = bool(self._accept_sparse)
        tags.input_tags.allow_nan = bool(self._allow_nan or not self._reads_values)
        tags.input_tags.string = not self._reads_values
        return tags


def _output_matrix(target: LabelTarget, out: Resampled, Y_added) -> np.ndarray:
    """The output's labels as a bool matrix (for the measures after resampling)."""
    kept = np.arange(out.kept.start, out.kept.stop) if isinstance(out.kept, range) else np.asarray(out.kept)
    source = np.empty(0, np.int64) if out.added_source is None else np.asarray(out.added_source)
    added = target.matrix[source] if Y_added is None else np.asarray(Y_added, dtype=bool)
    return np.concatenate([target.matrix[kept], added])

