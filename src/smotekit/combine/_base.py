"""What SMOTEENN and SMOTETomek share: over-sample, then clean, keeping provenance."""

from __future__ import annotations

import inspect

import numpy as np
from scipy import sparse
from sklearn.base import clone

from .._constraints import N_JOBS, OVER_STRATEGY, RANDOM_STATE
from .._generation import MixedBlock, Resampled, Segments, Values
from .._provenance import Provenance
from ..base import BaseSampler, PartitionedSupport
from ..neighbors._segments import OnSegments
from ..over_sampling import SMOTE
from ..over_sampling._nominal_table import Mixed
from ..over_sampling.base import BaseOverSampler

__all__ = ["BaseCombineSampler"]


def _run(sampler, X, codes, labels, seed, **context):
    """Run a smotekit sampler's kernel on clean arrays, setting its plan attributes;
    ``context`` goes to kernels that read it (the cleaner's ``lines``)."""
    n_features = X.nominal.size + X.continuous.size if isinstance(X, Mixed) else X.shape[1]
    sampler._validate_params()
    sampler._check_params(n_features)
    counts = np.bincount(codes, minlength=len(labels))
    plan = sampler._fit_plan(labels, counts, y=np.asarray(labels, dtype=object)[codes], n_features=n_features)
    return sampler._fit_resample(X, codes, plan, seed, **context)


class BaseCombineSampler(BaseSampler):
    """Over-sampling with SMOTE followed by a cleaning sampler.

    Subclasses name the cleaning parameter (``_cleaner_param``), its fitted
    attribute (``_cleaner_attr``) and its default (``_default_cleaner``); the
    steps of a fit come from :meth:`_steps`, wherever it runs.

    Not a :class:`~smotekit.over_sampling.base.BaseOverSampler`, as in
    imbalanced-learn: the cleaning step removes rows of every class, so the
    over-samplers' promise (no class ends below the largest input class) does
    not hold. ``_sampling_type`` is still 'over-sampling': ``sampling_strategy``
    is the over-sampling step's.
    """

    _sampling_type = "over-sampling"
    #: The cleaning step removes rows, so class sizes are decided by the data
    #: and the input rows are not all at the head of the output.
    _exact_counts = False
    _partitioned = PartitionedSupport("steps")
    _parameter_constraints: dict = {
        "sampling_strategy": OVER_STRATEGY,
        "random_state": RANDOM_STATE,
        # Any smotekit over-sampler (imbalanced-learn: a SMOTE): its provenance is kept.
        "smote": [BaseOverSampler, None],
        "n_jobs": N_JOBS,
    }

    def _read_X(self, X):
        # A nominal over-sampler (SMOTENC, SMOTEN) reads X its own way (categorical_features,
        # categories): the hybrid works on that mixed view, the cleaner on a numeric rendering.
        if isinstance(self.smote, BaseSampler) and self.smote.__sklearn_tags__().input_tags.categorical:
            return self.smote._read_X(X)
        return super()._read_X(X)

    def _validate_estimator(self):
        """Set the unfitted steps ``smote_`` and the cleaner attribute (imbalanced-learn's name)."""
        if self.smote is None:
            self.smote_ = SMOTE(sampling_strategy=self.sampling_strategy, random_state=self.random_state)
        else:
            self.smote_ = clone(self.smote)
        cleaner = getattr(self, self._cleaner_param)
        setattr(self, self._cleaner_attr, self._default_cleaner() if cleaner is None else clone(cleaner))

    def _steps(self, seed):
        """The steps of one fit, unfitted: ``(over-sampler, its seed, cleaner)``.

        Sets them as ``smote_`` and the cleaner's attribute. The default
        over-sampler draws from ``seed`` (this sampler's); a given one from
        its own ``random_state``.
        """
        self._validate_estimator()
        smote_seed = seed if self.smote is None else self.smote_._seed()
        return self.smote_, smote_seed, getattr(self, self._cleaner_attr)

    def _fit_resample(self, X, codes, plan, seed):
        labels = [c.label for c in plan.classes]
        smote, smote_seed, cleaner = self._steps(seed)
        over = _run(smote, X, codes, labels, smote_seed)
        smote.provenance_ = Provenance(over.kept, over.added_source, over.added_partner, over.added_gap)
        n = codes.size
        src = np.empty(0, np.int64) if over.added_source is None else np.asarray(over.added_source, np.int64)
        if isinstance(X, Mixed):
            cont_all, nominal_all = _stack_mixed(X, over)
            X_all = _numeric_view(X, cont_all, nominal_all)
        else:
            X_all = _stack(X, over, src)
        codes_all = np.concatenate([codes, codes[src]])
        lines = _lines(X, over, n) if _reads_lines(cleaner) else None
        context = {} if lines is None else {"lines": lines}
        # The cleaner draws from the call's seed too, under keys of its own (SMOTE-IPF's filter);
        # editing and Tomek links draw nothing.
        cleaned = _run(cleaner, X_all, codes_all, labels, seed, **context)
        survivors = np.asarray(cleaned.kept, dtype=np.int64)
        cleaner.sample_indices_ = survivors
        original = survivors[survivors < n]
        synthetic = survivors[survivors >= n] - n
        partner = None if over.added_partner is None else np.asarray(over.added_partner)[synthetic]
        gap = None if over.added_gap is None else np.asarray(over.added_gap)[synthetic]
        if isinstance(X, Mixed):
            block = MixedBlock(cont_all[n + synthetic], nominal_all[n + synthetic])
        elif partner is not None and gap is not None:
            block = Segments(X, src[synthetic], partner, gap)
        else:
            block = X_all[n + synthetic]
        return Resampled(original, src[synthetic], partner, gap, [block])


def _reads_lines(cleaner) -> bool:
    """Whether the cleaner's kernel takes where the new rows lie (``lines``): ENN's
    does, unless a subclass overrode its kernel or keep rule without it."""
    if not getattr(cleaner, "_reads_lines", False):
        return False
    return all("lines" in inspect.signature(getattr(cleaner, name)).parameters
               for name in ("_fit_resample", "_keep_mask"))


def _lines(X, over, n):
    """Where the over-sampled rows lie, for the cleaner's screens: input row i is
    the point (i, i), a new row lies on the segment from its source to its
    partner. None unless X is dense floating data and every new row is an
    interpolation (a perturbed copy or an extrapolation lies on no segment)."""
    if sparse.issparse(X) or isinstance(X, Mixed) or not np.issubdtype(X.dtype, np.floating):
        return None
    if over.added_source is None or over.added_partner is None or over.added_gap is None:
        return None
    src = np.asarray(over.added_source, dtype=np.int64)
    partner = np.asarray(over.added_partner, dtype=np.int64)
    gap = np.asarray(over.added_gap)
    if src.size == 0 or (partner < 0).any() or not ((gap >= 0) & (gap <= 1)).all():
        return None
    own = np.arange(n)
    return OnSegments(X, np.concatenate([own, src]), np.concatenate([own, partner]),
                      np.finfo(X.dtype).eps)


def _stack_mixed(m, over):
    """Continuous values and nominal codes of the over-sampled mixed table (input rows first)."""
    codes, cont = m.generated(over.added_blocks or [])
    return np.concatenate([m.values, cont]), np.concatenate([m.codes, codes])


def _numeric_view(m, cont, nominal):
    """The mixed table as numbers for the cleaner: continuous columns as they are, nominal
    columns as their category values when these are numbers (what imbalanced-learn's cleaner
    would see), else as category codes (what an ordinal encoding before it would give)."""
    out = np.empty((cont.shape[0], m.nominal.size + m.continuous.size), dtype=np.float64)
    out[:, m.continuous] = cont
    for i, j in enumerate(m.nominal):
        try:
            values = np.asarray(m.categories[i], dtype=np.float64)
        except (TypeError, ValueError):
            values = np.arange(len(m.categories[i]), dtype=np.float64)
        out[:, j] = values[nominal[:, i]]
    return out


def _stack(X, over, src):
    """The over-sampled data set as one matrix: the input rows, then the new ones."""
    blocks = over.added_blocks
    if blocks is None:
        blocks = [Values(X[src])]
    if sparse.issparse(X):
        return sparse.vstack([X, *[b.materialize() for b in blocks]], format="csr")
    out = np.empty((X.shape[0] + src.size, X.shape[1]), dtype=X.dtype)
    out[: X.shape[0]] = X
    pos = X.shape[0]
    for b in blocks:
        b.materialize(out=out[pos: pos + b.n_rows])
        pos += b.n_rows
    return out
