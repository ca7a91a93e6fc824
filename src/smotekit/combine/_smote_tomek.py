"""SMOTE followed by Tomek-link removal: Batista, Bazzan & Monard (2003),
WOB, 35-43."""

from __future__ import annotations

from .._docstring import _FITTED_ATTRIBUTES, Substitution
from ..under_sampling._cleaning import TomekLinks
from ._base import BaseCombineSampler

__all__ = ["SMOTETomek"]


@Substitution(**_FITTED_ATTRIBUTES)
class SMOTETomek(BaseCombineSampler):
    """Over-sample with SMOTE, then remove both members of every Tomek link.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Passed to the default SMOTE (ignored when ``smote`` is given).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the default SMOTE.
    smote : smotekit over-sampler, default=None
        None: ``SMOTE(sampling_strategy=sampling_strategy, random_state=random_state)``.
    tomek : TomekLinks, default=None
        None: ``TomekLinks(sampling_strategy='all', n_jobs=n_jobs)``.
    n_jobs : int, default=None
        Threads for the default cleaner's neighbour search; results do not depend on it.

    Attributes
    ----------
    smote_ : over-sampler
        The fitted over-sampling step.
    tomek_ : TomekLinks
        The fitted cleaning step (``tomek_.sample_indices_``: survivors among the
        over-sampled rows).
    provenance_ : Provenance
        For every output row: the input row it is, or, for a surviving synthetic
        row, its SMOTE parents and gap, as positions in the original input.
    {sampling_strategy_}
    {sampling_plan_}
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    Output order, as imbalanced-learn: the surviving input rows, then the
    surviving synthetic rows. ``sampling_strategy_``
    is smotekit's resolved dict, where imbalanced-learn copies the parameter.
    Only smotekit samplers are accepted as ``smote``/``tomek`` (their provenance
    is what the result keeps).

    Any smotekit over-sampler can be ``smote`` (ADASYN, BorderlineSMOTE,
    SVMSMOTE, KMeansSMOTE, RandomOverSampler, SMOTENC, SMOTEN...). With
    SMOTENC or SMOTEN, ``X`` is read as that sampler reads it (nominal
    columns stay categories, every output column keeps its dtype) and the
    cleaning step measures distances on numbers: continuous columns as they
    are, nominal columns as their values when these are numbers (what
    imbalanced-learn's cleaner sees), else as category codes (imbalanced-learn
    refuses non-numeric categories in a hybrid).

    References
    ----------
    .. [1] Batista, G. E. A. P. A., Bazzan, A. L. C. & Monard, M. C. (2003). Balancing training data
       for automated annotation of keywords: a case study. Proceedings of the Second Brazilian
       Workshop on Bioinformatics (WOB 2003), 10-18.
    """

    _cleaner_param = "tomek"
    _cleaner_attr = "tomek_"

    _parameter_constraints: dict = {
        **BaseCombineSampler._parameter_constraints,
        "tomek": [TomekLinks, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, tomek=None, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs

    def _default_cleaner(self):
        return TomekLinks(sampling_strategy="all", n_jobs=self.n_jobs)
