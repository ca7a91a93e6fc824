"""EasyEnsemble: a bag of AdaBoost learners, each trained on a balanced under-sample."""

from __future__ import annotations

from sklearn.ensemble import AdaBoostClassifier

from ..under_sampling import RandomUnderSampler
from ._bagging import _ResampledBagging, bagging_constraints

__all__ = ["EasyEnsembleClassifier"]


def _default_adaboost():
    # scikit-learn 1.4-1.5 default to SAMME.R and warn that it goes away; SAMME is what
    # later versions always use, and what imbalanced-learn asks for there.
    if AdaBoostClassifier().get_params().get("algorithm") == "SAMME.R":
        return AdaBoostClassifier(algorithm="SAMME")
    return AdaBoostClassifier()


class EasyEnsembleClassifier(_ResampledBagging):
    """Bag of AdaBoost learners trained on balanced random under-samples (EasyEnsemble).

    Each member is a :class:`~smotekit.pipeline.Pipeline` of a
    :class:`~smotekit.under_sampling.RandomUnderSampler` and a copy of
    ``estimator`` (AdaBoost by default), fitted on the whole training set
    (no bootstrap): the members differ by the rows their sampler keeps.

    Parameters
    ----------
    n_estimators : int, default=10
        Number of members (AdaBoost learners).
    estimator : estimator object, default=None
        The classifier of every member; ``AdaBoostClassifier()`` when None. Pass your
        own instance to set the inner number of boosting rounds.
    warm_start : bool, default=False
        Keep the members of the previous ``fit`` and add new ones up to ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Given to each member's under-sampler; see
        :class:`~smotekit.under_sampling.RandomUnderSampler`. A dict names the labels
        of ``y``; a callable receives ``y`` encoded as positions in ``classes_``.
    replacement : bool, default=False
        Whether the under-samplers draw with replacement.
    n_jobs : int, default=None
        Members fitted in parallel (joblib); results do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds every member's sampler and classifier (each its own seed).
    verbose : int, default=0
        Verbosity while fitting and predicting.

    Attributes
    ----------
    estimator_ : Pipeline
        The unfitted member template ``Pipeline([('sampler', ...), ('classifier', ...)])``.
    estimators_ : list of Pipeline
        The fitted members.
    estimators_samples_ : list of ndarray
        The rows of ``X`` given to each member (all of them, in a random order).
    estimators_features_ : list of ndarray
        The features given to each member (all of them).
    member_class_shares_ : ndarray of shape (n_estimators, n_classes)
        Per member, the share of each class (columns in the order of ``classes_``)
        in the rows its classifier was fitted on, after its under-sampler.
        :class:`~smotekit.evaluation.PriorCorrectedClassifier` reads it.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.

    See Also
    --------
    BalancedBaggingClassifier : Bagging whose members balance their bag.
    BalancedRandomForestClassifier : Random forest of trees grown on balanced samples.
    RUSBoostClassifier : AdaBoost that under-samples before each boosting round.

    Notes
    -----
    Liu, Wu and Zhou, "Exploratory Undersampling for Class-Imbalance Learning",
    IEEE Trans. SMC-B 39(2), 2009. Multiclass targets are under-sampled class by class.
    Same parameters, defaults and fitted attributes as imbalanced-learn 0.14's class
    (plus ``member_class_shares_``);
    each member gets its own seeds from ``random_state``, drawn before any member is
    fitted, so the result does not depend on ``n_jobs``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.ensemble import EasyEnsembleClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = EasyEnsembleClassifier(n_estimators=3, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = bagging_constraints(
        drop=("bootstrap", "bootstrap_features", "max_features", "oob_score", "max_samples"))

    # Fixed bagging settings: every member sees all rows and features; only the
    # under-samplers make the members differ. Class attributes, not parameters.
    max_samples = 1.0
    max_features = 1.0
    bootstrap = False
    bootstrap_features = False
    oob_score = False
    estimator_params: tuple = ()

    def __init__(
        self,
        n_estimators=10,
        estimator=None,
        *,
        warm_start=False,
        sampling_strategy="auto",
        replacement=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.n_estimators = n_estimators
        self.estimator = estimator
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return _default_adaboost()

    def _get_estimator(self):
        # Read by scikit-learn's tags (sparse, NaN support) of the ensemble.
        return self.estimator if self.estimator is not None else _default_adaboost()

    def _member_sampler(self):
        return RandomUnderSampler(sampling_strategy=self._member_strategy(),
                                  replacement=self.replacement)
