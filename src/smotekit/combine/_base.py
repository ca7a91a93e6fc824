"""What SMOTEENN and SMOTETomek share: over-sample, then clean, keeping provenance."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import clone

from .._generation import Segments, materialize
from .._provenance import Provenance
from .._random import resolve_seed
from .._strategy import make_plan
from ..base import BaseSampler, Resampled
from ..over_sampling import SMOTE

__all__ = ["BaseCombineSampler"]


def _run(sampler, X, codes, labels, seed):
    """Run a smotekit sampler's kernel on clean arrays, setting its plan attributes."""
    sampler._check_params(X.shape[1])
    counts = np.bincount(codes, minlength=len(labels))
    plan = make_plan(sampler.sampling_strategy, labels, counts, sampler._sampling_type,
                     y=np.asarray(labels, dtype=object)[codes])
    sampler.sampling_plan_ = plan
    sampler.sampling_strategy_ = plan.as_strategy_dict()
    sampler.n_features_in_ = X.shape[1]
    return sampler._fit_resample(X, codes, plan, seed)


class BaseCombineSampler(BaseSampler):
    """Over-sampling with SMOTE followed by a cleaning sampler.

    Subclasses name the cleaning parameter (``_cleaner_param``), its fitted
    attribute (``_cleaner_attr``) and its default (``_default_cleaner``).
    """

    _sampling_type = "over-sampling"
    #: The cleaning step removes rows, so class sizes are decided by the data
    #: and the input rows are not all at the head of the output.
    _exact_counts = False

    def _check_params(self, n_features):
        if self.n_jobs is not None and not isinstance(self.n_jobs, (int, np.integer)):
            raise TypeError(f"n_jobs must be None or an int, got {self.n_jobs!r}.")
        if self.smote is not None and not (isinstance(self.smote, BaseSampler)
                                           and self.smote._sampling_type == "over-sampling"):
            raise TypeError(
                f"smote must be None or a smotekit over-sampler (e.g. smotekit.over_sampling.SMOTE); "
                f"got {self.smote!r}. Pass the smotekit class, whose provenance the result keeps."
            )
        cleaner = getattr(self, self._cleaner_param)
        if cleaner is not None and not isinstance(cleaner, self._cleaner_class()):
            raise TypeError(
                f"{self._cleaner_param} must be None or a smotekit {self._cleaner_class().__name__}; "
                f"got {cleaner!r}."
            )

    def _fit_resample(self, X, codes, plan, seed):
        labels = [c.label for c in plan.classes]
        if self.smote is None:
            self.smote_ = SMOTE(sampling_strategy=self.sampling_strategy, random_state=self.random_state)
            smote_seed = seed
        else:
            self.smote_ = clone(self.smote)
            smote_seed = (resolve_seed(self.smote_.random_state) if hasattr(self.smote_, "random_state")
                          else np.random.SeedSequence(0))
        over = _run(self.smote_, X, codes, labels, smote_seed)
        self.smote_.provenance_ = Provenance(over.kept, over.added_source, over.added_partner,
                                             over.added_gap)
        n = X.shape[0]
        src = np.empty(0, np.int64) if over.added_source is None else np.asarray(over.added_source, np.int64)
        X_all = _stack(X, over, src)
        codes_all = np.concatenate([codes, codes[src]])
        cleaner = getattr(self, self._cleaner_param)
        cleaner = self._default_cleaner() if cleaner is None else clone(cleaner)
        setattr(self, self._cleaner_attr, cleaner)
        cleaned = _run(cleaner, X_all, codes_all, labels, np.random.SeedSequence(0))
        survivors = np.asarray(cleaned.kept, dtype=np.int64)
        cleaner.sample_indices_ = survivors
        original = survivors[survivors < n]
        synthetic = survivors[survivors >= n] - n
        partner = None if over.added_partner is None else np.asarray(over.added_partner)[synthetic]
        gap = None if over.added_gap is None else np.asarray(over.added_gap)[synthetic]
        if partner is not None and gap is not None:
            block = Segments(X, src[synthetic], partner, gap)
        else:
            block = X_all[n + synthetic]
        return Resampled(original, src[synthetic], partner, gap, [block])


def _stack(X, over, src):
    """The over-sampled data set as one matrix: the input rows, then the new ones."""
    blocks = over.added_blocks
    if blocks is None:
        blocks = [X[src]]
    if sparse.issparse(X):
        return sparse.vstack([X, *[materialize(b) for b in blocks]], format="csr")
    out = np.empty((X.shape[0] + src.size, X.shape[1]), dtype=X.dtype)
    out[: X.shape[0]] = X
    pos = X.shape[0]
    for b in blocks:
        materialize(b, out=out[pos: pos + b.shape[0]])
        pos += b.shape[0]
    return out
