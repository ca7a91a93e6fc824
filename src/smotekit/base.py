"""The one ``fit_resample`` template every sampler follows, and the sampler contract.

validate → plan → seed → ``_fit_resample`` on clean arrays → wrap the output
in the caller's kind of container. Subclasses implement ``_fit_resample`` and
nothing else of the template; they never see pandas, polars or raw seeds.

A sampler's capabilities are class attributes (``_allow_nan``,
``_accept_sparse``, ``_selects_rows``, ``_partitioned``, ...), read in one
place, :meth:`SamplerMixin.__sklearn_tags__`, which publishes them as the tags
that scikit-learn's and imbalanced-learn's check suites read (and backends).
Samplers written for imbalanced-learn (a two-argument ``_fit_resample(X, y)``)
run unchanged.

Input that no in-memory container holds goes to the backend registered for it
(:mod:`smotekit._backends`); this module never imports a backend.
"""

from __future__ import annotations

import inspect
import logging
import sys
import time
from dataclasses import dataclass, fields

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils import InputTags as _SklearnInputTags
from sklearn.utils import Tags as _SklearnTags
from sklearn.utils import TargetTags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data as _validate_data

from . import _routing  # noqa: F401  (before any sampler class: fit_resample metadata requests)
from ._backends import backend_for
from ._docstring import _FITTED_ATTRIBUTES, Substitution
from ._generation import Resampled  # re-exported: users' samplers and the docs import it from here
from ._provenance import Provenance
from ._random import resolve_seed
from ._strategy import SamplingPlan, make_plan
from .utils._containers import NonNumericError, read_X, read_y
from .utils._validation import ArraysTransformer, _rebuild, _split_one_hot, check_target_type

__all__ = ["BaseSampler", "InputTags", "PartitionedSupport", "Resampled", "SamplerMixin", "SamplerTags", "Tags",
           "is_sampler"]

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class InputTags(_SklearnInputTags):
    """scikit-learn's input tags, plus imbalanced-learn's ``dataframe``.

    Parameters
    ----------
    dataframe : bool, default=False
        Whether ``X`` may be a DataFrame (pandas or polars), returned as one.
    """

    dataframe: bool = False


@dataclass(frozen=True)
class PartitionedSupport:
    """What a backend needs from a sampler to run it on partitioned data.

    Declared by a sampler class (``_partitioned``) and read from its tags
    (``sampler_tags.partitioned``), so that a subclass runs wherever its
    parent does. A backend gathers the rows the decision depends on onto one
    process, computes the whole-data statistics named here, and runs the rule.

    Parameters
    ----------
    rule : {'kernel', 'pairs', 'picks', 'tomek', 'edited', 'steps'}
        How the decision is taken. ``'kernel'``: the sampler's own kernel runs
        on the rows of the classes being over-sampled (with their neighbours
        among all rows, see ``neighbours``). ``'pairs'``: the new rows are
        draws of pairs from neighbour tables; the sampler's ``_pair_tables``
        runs on the rows of the classes being over-sampled, and each output
        task draws its own rows from the tables it returns. ``'picks'``: the rows kept of
        each class depend on its size only (the sampler's ``_picks``); nothing
        is gathered. ``'tomek'``: Tomek links, found from the rows of every
        class but the largest. ``'edited'``: Wilson's editing
        (``n_neighbors``, ``kind_sel``), from the same rows, with ``nn_`` set
        from the sampler's ``_make_nn``. ``'steps'``: an over-sampler then a
        cleaner (the hybrid's ``_steps``), each by its own rule. A subclass
        that overrides ``_fit_resample``, ``_picks`` or ``_steps`` runs on no
        backend unless it declares ``_partitioned`` itself.
    neighbours : tuple of str, default=()
        The parameters (ints) that count neighbours among all rows which the
        rule needs for each gathered row; the largest count is searched.
    value_class_counts : bool, default=False
        Whether the kernel takes ``value_class_counts``: per nominal column,
        ``{value: rows per class}`` counted over the whole data.
    row_attributes : tuple of str, default=()
        Fitted attributes holding, per class, positions of rows; a backend
        maps them from the gathered rows to positions in its whole input.
    bytes_per_row : int, default=80
        Peak bytes the kernel needs per new row (measured), for a backend to
        refuse a task that would not fit a worker's memory; for ``'pairs'``,
        per new row of an output task, beside the rows' values.
    values_per_row : bool, default=False
        Whether the kernel also keeps every new row's values or nominal codes
        (8 bytes per column on top of ``bytes_per_row``).
    """

    rule: str
    neighbours: tuple = ()
    value_class_counts: bool = False
    row_attributes: tuple = ()
    bytes_per_row: int = 80
    values_per_row: bool = False


@dataclass(slots=True)
class SamplerTags:
    """What a sampler does, as imbalanced-learn's checks (and smotekit's) read it.

    Parameters
    ----------
    sample_indices : bool, default=False
        Whether ``fit_resample`` sets ``sample_indices_``, the input row of each
        output row (imbalanced-learn's name and meaning).
    sampling_type : str or None, default=None
        ``'over-sampling'``, ``'under-sampling'``, ``'clean-sampling'``, or
        ``'bypass'`` / ``'ensemble'`` for samplers that resolve no plan.
    exact_counts : bool, default=True
        Whether the output class sizes always equal the plan's targets (False
        where the data decide, e.g. a cleaning step after over-sampling).
    sparse_same_as_dense : bool, default=True
        Whether sparse input gives the result of the same data dense.
    multiclass : bool, default=True
        Whether ``y`` may hold more than two classes (False for a sampler
        that refuses them).
    partitioned : PartitionedSupport or None, default=None
        How a backend runs the sampler on partitioned data; None where no
        backend can.
    """

    sample_indices: bool = False
    sampling_type: str | None = None
    exact_counts: bool = True
    sparse_same_as_dense: bool = True
    multiclass: bool = True
    partitioned: PartitionedSupport | None = None


@dataclass(slots=True)
class Tags(_SklearnTags):
    """scikit-learn's estimator tags, plus imbalanced-learn's ``sampler_tags``.

    Parameters
    ----------
    sampler_tags : SamplerTags or None, default=None
        Set on samplers only; ``None`` for every other estimator.
    """

    sampler_tags: SamplerTags | None = None


def _sampler_tags_from(parent) -> Tags:
    """A :class:`Tags` holding every field of ``parent`` (the tags a base class declared)."""
    if parent is None:
        return Tags(estimator_type=None, target_tags=TargetTags(required=False))
    values = {f.name: getattr(parent, f.name) for f in fields(parent)}
    values["input_tags"] = InputTags(
        **{f.name: getattr(parent.input_tags, f.name) for f in fields(parent.input_tags)}
    )
    return Tags(**values)


def is_sampler(estimator) -> bool:
    """Whether ``estimator`` is a sampler (it has ``fit_resample`` and says so).

    Parameters
    ----------
    estimator : object
        An estimator instance (or class, for the ``_estimator_type`` test).

    Returns
    -------
    bool
        True for smotekit's and imbalanced-learn's samplers, and for any
        estimator whose tags carry ``sampler_tags``.
    """
    if getattr(estimator, "_estimator_type", None) == "sampler":
        return True
    try:
        tags = estimator.__sklearn_tags__()
    except (AttributeError, TypeError):  # not an estimator instance
        return False
    return getattr(tags, "sampler_tags", None) is not None


def _reads_values(tags) -> bool:
    """Whether a sampler with these tags computes with ``X``'s values.

    :meth:`SamplerMixin.__sklearn_tags__` publishes a sampler that only selects
    or copies rows as taking strings it does not treat as categories; every
    other sampler reads the values.
    """
    return bool(tags.input_tags.categorical or not tags.input_tags.string)


#: The parameters that mark smotekit's kernel ``_fit_resample(X, codes, plan, seed)``.
_NATIVE_KERNEL_PARAMS = frozenset({"codes", "plan", "seed"})


def _is_native_kernel(func) -> bool:
    """Whether ``func`` is smotekit's kernel, told by its parameter names.

    Counting positional parameters cannot tell the two kinds apart: an
    imbalanced-learn kernel may take extra arguments (``sample_weight``, or
    three more), so every kernel not naming ``codes``, ``plan`` and ``seed``
    is imbalanced-learn's ``_fit_resample(X, y, **params)``.
    """
    return _NATIVE_KERNEL_PARAMS <= set(inspect.signature(func).parameters)


#: The methods a backend's rules call to decide (see PartitionedSupport.rule).
_DECIDING_HOOKS = ("_fit_resample", "_picks", "_steps")


def _overrides_declared_kernel(cls) -> bool:
    """Whether ``cls`` (or a base of it) overrides a deciding hook below the class that
    declared ``_partitioned``, which then no longer describes how it decides."""
    mro = cls.__mro__

    def provider(name):
        return next((i for i, c in enumerate(mro) if name in c.__dict__), len(mro))

    declared = provider("_partitioned")
    return any(provider(name) < declared for name in _DECIDING_HOOKS)


# The steps every ``fit_resample`` template takes alike (this one, and those of
# smotekit.regression and smotekit.multilabel, whose samplers are not BaseSamplers):
# written once here, so the three templates record and report the same way.


def _record_features(estimator, n_features: int, columns) -> None:
    """Set ``n_features_in_``, and ``feature_names_in_`` when every column name of ``X``
    is a string (a refit on data without them forgets the old names)."""
    estimator.n_features_in_ = n_features
    if columns is not None and all(isinstance(c, str) for c in columns):
        estimator.feature_names_in_ = np.asarray(columns, dtype=object)
    elif hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_


def _record_output(estimator, table, out: Resampled):
    """Set ``provenance_`` from a kernel's :class:`Resampled` (and ``sample_indices_``
    for samplers that only select rows), and build ``X_resampled`` in the caller's kind."""
    estimator.provenance_ = Provenance(out.kept, out.added_source, out.added_partner, out.added_gap)
    if estimator._selects_rows:
        estimator.sample_indices_ = estimator.provenance_.source
    return table.assemble(out.kept, out.added_source, out.added_blocks, out.added_partner, out.added_gap)


def _non_numeric(exc, hint: str):
    """``exc`` (a :class:`NonNumericError` from reading ``X``) with the fix of the sampler's
    family instead of the classification one (SMOTENC) it names."""
    return NonNumericError(f"{exc.problem} {hint}", exc.problem)


def _log_stage(logger, level: int, event: str, sampler: str, rows: int, message: str, *args, **facts) -> None:
    """A stage record of a resampling call. Progress displays (the CLI's stage lines) read
    the ``smotekit`` attribute, which carries the message's facts as data: ``stage``,
    ``event`` ('start', 'kernel', 'end'), ``sampler``, ``rows`` and any ``facts``."""
    # stacklevel: the record names the template that called, as when it logged itself.
    logger.log(level, message, *args, stacklevel=2,
               extra={"smotekit": {"stage": "resample", "event": event, "sampler": sampler, "rows": rows, **facts}})


_OUTPUTS = ("default", "pandas", "polars")


def _as_output(X, kind: str, columns):
    """``X`` (any container smotekit returns) as a DataFrame of ``kind``."""
    if sparse.issparse(X):
        raise ValueError(
            f"set_output(transform={kind!r}) cannot hold the sparse matrix this sampler returns. "
            "Pass dense X, or call set_output(transform='default') to keep the sparse output."
        )
    if kind == "pandas":
        import pandas as pd

        if isinstance(X, pd.DataFrame):
            return X
        pl = sys.modules.get("polars")
        if pl is not None and isinstance(X, pl.DataFrame):
            return X.to_pandas()
        return pd.DataFrame(np.asarray(X), columns=columns)
    import polars as pl

    if isinstance(X, pl.DataFrame):
        return X
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(X, pd.DataFrame):
        return pl.from_pandas(X)
    return pl.DataFrame(np.asarray(X), schema=list(columns), orient="row")


class SamplerMixin:
    """Mixin of every sampler: the ``fit_resample`` template, its capabilities and tags.

    Put it first among the bases, before ``BaseEstimator``. Most samplers
    derive from :class:`BaseSampler` (or a family base) instead.

    Two kinds of kernel are supported, told apart once per class by the
    parameter names of ``_fit_resample``:

    - smotekit's ``_fit_resample(X, codes, plan, seed)`` (named so), which returns a
      :class:`Resampled` (positions and generated values), so that the output
      keeps the caller's container, dtypes and the provenance of every row;
    - any other, imbalanced-learn's ``_fit_resample(X, y, **params)``, which receives ``X`` and
      ``y`` validated by ``_check_X_y`` (overridable, as in imbalanced-learn)
      after ``sampling_strategy_`` is set, and returns ``(X_res, y_res)``;
      the output is then put back in the caller's kind of container.
    """

    _estimator_type = "sampler"
    #: 'over-sampling', 'under-sampling' or 'clean-sampling'; set by each family
    #: ('bypass' or 'ensemble' for imbalanced-learn-style samplers that resolve no plan).
    _sampling_type: str | None = None
    #: Whether ``_fit_resample`` is imbalanced-learn's ``(X, y) -> (X, y)``; set per class.
    _imblearn_style = False
    #: Capabilities, as data: read by the template, the checks and the command line, and
    #: published by __sklearn_tags__ (subclasses set these, never the tags themselves).
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
    #: Whether ``y`` may hold more than two classes (every sampler shipped here handles them).
    _handles_multiclass = True
    #: What a backend needs to run the sampler on partitioned data; None where none can.
    _partitioned: PartitionedSupport | None = None
    #: Parameters imbalanced-learn takes positionally (e.g. ``SMOTENC(categorical_features)``);
    #: every other ``__init__`` parameter is keyword-only.
    _positional_params: tuple = ()
    #: Values the contract checks give to parameters without a default.
    _check_init_params: dict = {}
    #: scikit-learn constraints per ``__init__`` parameter, checked once per fit
    #: (see ``smotekit._constraints``); parameters not listed are not checked.
    _parameter_constraints: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Decided once per class: smotekit's kernel takes (X, codes, plan, seed).
        cls._imblearn_style = not _is_native_kernel(cls._fit_resample)
        if _overrides_declared_kernel(cls):
            # A backend runs the declaring class's rule: without the override (the Tomek and
            # editing rules), or on gathered rows only. Opt back in by declaring _partitioned.
            cls._partitioned = None

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
        self._validate_params()
        table = self._read_X(X)
        target = read_y(y, table.n_rows)
        self._check_params(table.n_cols)
        plan = self._fit_plan(target.classes, target.counts, y=target.labels,
                              n_features=table.n_cols, columns=table.columns)
        return table, target, plan

    def _fit_plan(self, classes, counts, *, y=None, n_features=None, columns=None) -> SamplingPlan:
        """Resolve the plan for these class counts and record what every fit records.

        Sets ``sampling_plan_`` and ``sampling_strategy_``, and with
        ``n_features`` also ``n_features_in_`` and ``feature_names_in_`` (only
        for string column names). The hybrids call it for each step, and a
        backend for data it counted itself.

        Parameters
        ----------
        classes : ndarray
            The sorted class labels.
        counts : ndarray of int
            Rows per class.
        y : array-like, optional
            The labels, for a callable ``sampling_strategy``.
        n_features : int, optional
            Columns of ``X``; None leaves the feature attributes as they are.
        columns : sequence, optional
            Column names of ``X``.

        Returns
        -------
        SamplingPlan
        """
        plan = make_plan(self.sampling_strategy, classes, counts, self._sampling_type, y=y)
        self.sampling_plan_ = plan
        self.sampling_strategy_ = plan.as_strategy_dict()
        if n_features is not None:
            _record_features(self, n_features, columns)
        return plan

    def _seed(self) -> np.random.SeedSequence:
        """The root of this fit's random streams: from ``random_state``, or fixed for
        samplers without one (their results do not depend on it)."""
        if hasattr(self, "random_state"):
            return resolve_seed(self.random_state)
        return np.random.SeedSequence(0)

    def fit(self, X, y, **params):
        """Validate the data and resolve the sampling plan (no resampling).

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            The data, as for :meth:`fit_resample`.
        y : array-like of shape (n_samples,)
            Class labels.
        **params : dict
            Accepted for imbalanced-learn's signature; smotekit's samplers take none.

        Returns
        -------
        self : object
        """
        self._require_y(y)
        if self._imblearn_style:
            self._imblearn_validate(X, y)
            return self
        self._refuse_params(params)
        backend = backend_for(X, y)
        if backend is not None:
            return backend.fit(self, X, y)
        self._validate(X, _split_one_hot(y)[0])
        return self

    def fit_resample(self, X, y, **params):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            numpy arrays and lists, pandas or polars DataFrames, scipy CSR/CSC.
        y : array-like of shape (n_samples,)
            Class labels (ints, strings, bools, pandas categorical).
        **params : dict
            Passed to an imbalanced-learn-style ``_fit_resample(X, y, **params)``;
            smotekit's own samplers take none.

        Returns
        -------
        X_resampled : same kind as X, shape (n_samples_new, n_features)
            The kept input rows, unchanged and in input order, then the added rows.
            A DataFrame instead when :meth:`set_output` asked for one.
        y_resampled : same kind as y, shape (n_samples_new,)

        Collections that a backend takes (lazy, partitioned data) are
        resampled by that backend and returned in their own kind; see
        :mod:`smotekit._backends`.
        """
        self._require_y(y)
        if self._imblearn_style:
            return self._imblearn_fit_resample(X, y, **params)
        self._refuse_params(params)
        backend = backend_for(X, y)
        if backend is not None:
            return backend.fit_resample(self, X, y)
        y, encode = _split_one_hot(y)
        table, target, plan = self._validate(X, y)
        seed = self._seed()
        name, started = type(self).__name__, time.perf_counter()
        _log_stage(_log, logging.INFO, "start", name, table.n_rows, "%s: resampling %d rows x %d features (%s)",
                   name, table.n_rows, table.n_cols, plan.sampling_type, kind=plan.sampling_type)
        out = self._fit_resample(table.kernel_input(), target.codes, plan, seed)
        added = 0 if out.added_source is None else len(out.added_source)
        _log_stage(_log, logging.DEBUG, "kernel", name, added, "%s: %d rows added in %.2fs; building the output",
                   name, added, time.perf_counter() - started)
        X_res = _record_output(self, table, out)
        y_res = target.assemble(out.kept, out.added_source)
        n_out = len(out.kept) + added
        _log_stage(_log, logging.INFO, "end", name, n_out, "%s: %d -> %d rows in %.2fs",
                   name, table.n_rows, n_out, time.perf_counter() - started)
        return self._apply_output(X_res), (y_res if encode is None else encode(y_res))

    def set_output(self, *, transform=None):
        """Choose the container of ``X_resampled``, as scikit-learn's transformers do.

        Parameters
        ----------
        transform : {'default', 'pandas', 'polars'} or None, default=None
            ``'default'``: the caller's kind of container (the rule of
            :meth:`fit_resample`). ``'pandas'`` / ``'polars'``: a DataFrame of
            that library, named by :meth:`get_feature_names_out` when ``X``
            had no column names (sparse output cannot be converted: an error).
            ``None``: leave the setting unchanged. ``y`` is never converted.
            scikit-learn's global ``transform_output`` is not followed: inside
            a pipeline a sampler runs at fit time only, so a frame there and an
            array at predict time would make the next step warn about feature names.

        Returns
        -------
        self : object
        """
        if transform is None:
            return self
        if transform not in _OUTPUTS:
            raise ValueError(f"set_output(transform={transform!r}): use one of {list(_OUTPUTS)} or None.")
        config = dict(getattr(self, "_sklearn_output_config", {}))
        config["transform"] = transform
        # scikit-learn's attribute name: clone() carries it over to the copy.
        self._sklearn_output_config = config
        return self

    def _apply_output(self, X_res):
        kind = getattr(self, "_sklearn_output_config", {}).get("transform", "default")
        if kind == "default":
            return X_res
        return _as_output(X_res, kind, self.get_feature_names_out())

    def __sklearn_tags__(self):
        parent = super().__sklearn_tags__() if hasattr(super(), "__sklearn_tags__") else None
        tags = _sampler_tags_from(parent)
        numeric = self._requires_numeric()
        tags.estimator_type = "sampler"
        tags.target_tags.required = True
        inputs = tags.input_tags
        inputs.two_d_array = True
        inputs.dataframe = True
        inputs.sparse = bool(self._accept_sparse)
        # Samplers that only select rows copy values they never read: NaN and strings pass.
        inputs.allow_nan = bool(self._allow_nan or not numeric)
        inputs.string = bool(self._handles_categorical or not numeric)
        inputs.categorical = bool(self._handles_categorical)
        tags.sampler_tags = SamplerTags(
            # An imbalanced-learn-style kernel sets sample_indices_ itself, if at all:
            # it declares so in its own __sklearn_tags__, as in imbalanced-learn.
            sample_indices=bool(self._selects_rows) and not self._imblearn_style,
            sampling_type=self._sampling_type,
            exact_counts=bool(self._exact_counts),
            sparse_same_as_dense=bool(self._sparse_same_as_dense),
            multiclass=bool(self._handles_multiclass),
            # A backend runs smotekit's kernels only.
            partitioned=None if self._imblearn_style else self._partitioned,
        )
        return tags

    def _require_y(self, y) -> None:
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None. "
                "Pass the class label of every row of X as y."
            )

    @staticmethod
    def _refuse_params(params) -> None:
        if params:
            raise TypeError(
                f"fit_resample() got unexpected keyword arguments {sorted(params)}: smotekit's "
                "samplers take only X and y. Set options in the constructor instead."
            )

    def _check_X_y(self, X, y, accept_sparse=None):
        """imbalanced-learn's validation hook: ``X`` and ``y`` as arrays for a two-argument
        ``_fit_resample``, and whether ``y`` came one-hot encoded.

        Override it (as in imbalanced-learn) to accept other data, e.g. strings or NaN.
        """
        if accept_sparse is None:
            accept_sparse = ["csr", "csc"] if self._accept_sparse else False
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = _validate_data(self, X=X, y=y, reset=True, accept_sparse=accept_sparse)
        return X, y, binarize_y

    def _imblearn_fit_resample(self, X, y, **params):
        """``fit_resample`` of an imbalanced-learn-style kernel: validate, call, and give the
        output back in the caller's containers (a one-hot ``y`` one-hot again)."""
        containers = ArraysTransformer(X, y)
        X_checked, y_checked, binarize_y = self._imblearn_validate(X, y)
        out = self._fit_resample(X_checked, y_checked, **params)
        if not isinstance(out, (tuple, list)) or len(out) < 2:
            raise ValueError(
                f"{type(self).__name__}._fit_resample must return a tuple (X_resampled, "
                f"y_resampled, ...); it returned {type(out).__name__}. End it with "
                "'return X_res, y_res'."
            )
        # The caller's one-hot encoding (column count, dtype, container), not one rebuilt
        # from the classes left in the output.
        encode = _split_one_hot(y)[1] if binarize_y else None
        if encode is None:
            X_res, y_res = containers.transform(out[0], out[1])
        else:  # both get a fresh 0..n-1 index, so pandas rows stay aligned
            X_res, y_res = _rebuild(out[0], containers.x_props), encode(out[1])
        return (self._apply_output(X_res), y_res, *out[2:])

    def _imblearn_validate(self, X, y):
        """The validation of an imbalanced-learn-style sampler; sets ``sampling_strategy_``."""
        if hasattr(self, "_validate_params"):
            self._validate_params()
        check_classification_targets(y)
        X, y, binarize_y = self._check_X_y(X, y)
        classes, counts = np.unique(y, return_counts=True)
        if self._sampling_type in ("bypass", "ensemble"):
            if len(classes) < 2:
                raise ValueError(
                    f"y has {len(classes)} class; a sampler needs at least 2 classes. Check that "
                    "you passed the label column and not a constant."
                )
            self.sampling_strategy_ = self.sampling_strategy
        else:
            # validate_data has set the feature attributes, the scikit-learn way.
            self._fit_plan(classes, counts, y=y)
        return X, y, binarize_y

    @staticmethod
    def _class_rows(codes, code) -> np.ndarray:
        """Input positions of one class; 32-bit when they fit, halving provenance memory."""
        rows = np.flatnonzero(codes == code)
        return rows.astype(np.int32) if codes.size < 2**31 else rows


@Substitution(**_FITTED_ATTRIBUTES)
class BaseSampler(SamplerMixin, OneToOneFeatureMixin, BaseEstimator):
    """Base class of all samplers: ``fit``, ``fit_resample``, tags and the fitted attributes.

    Subclass a family base (:class:`~smotekit.over_sampling.base.BaseOverSampler`,
    :class:`~smotekit.under_sampling.base.BaseUnderSampler`,
    :class:`~smotekit.under_sampling.base.BaseCleaningSampler`) and write
    ``_fit_resample``, either smotekit's or imbalanced-learn's (see
    :class:`SamplerMixin`).

    Parameters
    ----------
    sampling_strategy : float, str, dict, list or callable, default='auto'
        As in imbalanced-learn; see the ``sampling_strategy`` table in docs/user-guide.md.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        imbalanced-learn's dict: per targeted class, the number of samples to
        generate (over-samplers) or to keep (under-samplers).
    sampling_plan_ : SamplingPlan
        Unambiguous per-class plan: ``before``, ``target``, ``added``, ``removed``.
    provenance_ : Provenance
        Origin of every output row (original input row, or synthetic and its
        parents); smotekit kernels only.
    {n_features_in_}
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.
    """

    def __init__(self, sampling_strategy="auto"):
        self.sampling_strategy = sampling_strategy


def __getattr__(name):
    # imbalanced-learn's path ``imblearn.base.FunctionSampler``; resolved on first use
    # because the class lives in a module that imports this one.
    if name == "FunctionSampler":
        from ._function_sampler import FunctionSampler

        return FunctionSampler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
