"""SMOTE followed by edited nearest neighbours: Batista, Prati & Monard (2004),
SIGKDD Explorations 6(1), 20-29."""

from __future__ import annotations

from .._docstring import _FITTED_ATTRIBUTES, Substitution
from ..under_sampling._cleaning import EditedNearestNeighbours
from ._base import BaseCombineSampler

__all__ = ["SMOTEENN"]


@Substitution(**_FITTED_ATTRIBUTES)
class SMOTEENN(BaseCombineSampler):
    """Over-sample with SMOTE, then clean every class with edited nearest neighbours.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Passed to the default SMOTE (ignored when ``smote`` is given).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the default SMOTE.
    smote : smotekit over-sampler, default=None
        None: ``SMOTE(sampling_strategy=sampling_strategy, random_state=random_state)``.
    enn : EditedNearestNeighbours, default=None
        None: ``EditedNearestNeighbours(sampling_strategy='all', n_jobs=n_jobs)``.
    n_jobs : int, default=None
        Threads for the default cleaner's neighbour search; results do not depend on it.

    Attributes
    ----------
    smote_ : over-sampler
        The fitted over-sampling step.
    enn_ : EditedNearestNeighbours
        The fitted cleaning step (``enn_.sample_indices_``: survivors among the
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
    Output order: the surviving input rows (grouped by class, as the editing
    step orders them), then the surviving synthetic rows. imbalanced-learn
    groups every class's input and synthetic rows together; the rows and their
    values are the same (same SMOTE draws permitting). ``sampling_strategy_``
    is smotekit's resolved dict, where imbalanced-learn copies the parameter.
    Only smotekit samplers are accepted as ``smote``/``enn`` (their provenance
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
    .. [1] Batista, G. E. A. P. A., Prati, R. C. & Monard, M. C. (2004). A study of the behavior of
       several methods for balancing machine learning training data. ACM SIGKDD Explorations
       Newsletter, 6(1), 20-29.
    """

    _cleaner_param = "enn"
    _cleaner_attr = "enn_"

    _parameter_constraints: dict = {
        **BaseCombineSampler._parameter_constraints,
        "enn": [EditedNearestNeighbours, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, enn=None, n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _default_cleaner(self):
        return EditedNearestNeighbours(sampling_strategy="all", n_jobs=self.n_jobs)
