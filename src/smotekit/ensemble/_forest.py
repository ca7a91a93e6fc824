"""BalancedRandomForestClassifier: every tree grows on a random under-sample.

Subclass of scikit-learn's public :class:`~sklearn.ensemble.RandomForestClassifier`
for prediction (``predict``, ``predict_proba``, ``apply``, ``decision_path``,
``feature_importances_``), which read only the public fitted attributes set
here (``estimators_``, ``classes_``, ``n_classes_``, ``n_outputs_``,
``n_features_in_``). ``fit`` is our own: it uses scikit-learn's public tree,
``validate_data``, ``compute_sample_weight`` and joblib helpers, and no private
forest function.
"""

from __future__ import annotations

import copy
from warnings import warn

import numpy as np
from scipy import sparse
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import DataConversionWarning
from sklearn.metrics import accuracy_score
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from .._constraints import is_int
from ..pipeline import make_pipeline
from ..under_sampling import RandomUnderSampler
from ..utils import check_target_type
from ._common import MAX_SEED, SAMPLING_STRATEGY, class_shares

__all__ = ["BalancedRandomForestClassifier"]

#: Tree parameters the forest forwards to every tree (random_state is drawn per tree).
_TREE_PARAMS = ("criterion", "max_depth", "min_samples_split", "min_samples_leaf",
                "min_weight_fraction_leaf", "max_features", "max_leaf_nodes",
                "min_impurity_decrease", "ccp_alpha", "monotonic_cst")


def _check_weights(sample_weight, n_rows):
    """``sample_weight`` as a fresh float64 vector of ``n_rows`` (a scalar repeats)."""
    weight = np.asarray(sample_weight, dtype=np.float64)
    if weight.ndim == 0:
        return np.full(n_rows, float(weight))
    if weight.shape != (n_rows,):
        raise ValueError(
            f"sample_weight must have shape ({n_rows},) like the rows of X; got {weight.shape}.")
    if not np.isfinite(weight).all() or (weight < 0).any():
        raise ValueError("sample_weight must be finite and non-negative; it has NaN, inf or "
                         "negative values.")
    return weight.copy()


def _n_bootstrap(n_samples, max_samples, sample_weight):
    """Rows drawn per tree from the full data; each tree caps it at its sample's size."""
    if max_samples is None:
        return n_samples
    # scikit-learn's forests read True as 1 row: so do these.
    if is_int(max_samples, bools=True):
        return int(max_samples)
    total = n_samples if sample_weight is None else float(sample_weight.sum())
    return max(int(max_samples * total), 1)


def _bootstrap(seed, weight, n_rows, n_draws):
    """Positions (among a tree's sampled rows) drawn into its bootstrap.

    The tree's own seed, uniform draws, or draws in proportion to the
    sample weights when given: scikit-learn 1.9's forests draw the same way.
    """
    rng = np.random.RandomState(seed)
    if weight is None:
        return rng.randint(0, n_rows, n_draws)
    return rng.choice(n_rows, n_draws, replace=True, p=weight / weight.sum())


def _grow_tree(sampler, tree, X, y, sample_weight, bootstrap, n_draws, class_weight, classes):
    """Under-sample, then fit one tree on the kept rows (weighted by bootstrap counts).

    Also returns the class shares of the tree's training weight. The bootstrap
    draws the kept rows uniformly (or in proportion to their weights), so it is
    counted at its expectation, the shares before the draw; ``'balanced_subsample'``
    reweighs the draw itself, so then the drawn weights are counted.
    """
    X_res, y_res = sampler.fit_resample(X, y)
    rows = sampler.sample_indices_
    weight = None if sample_weight is None else sample_weight[rows]
    expected = weight
    if bootstrap:
        drawn = _bootstrap(tree.random_state, weight, rows.size, min(n_draws, rows.size))
        weight = np.bincount(drawn, minlength=rows.size).astype(np.float64)
        if class_weight == "balanced_subsample":
            weight *= compute_sample_weight("balanced", y_res, indices=drawn)
            expected = weight
    tree.fit(X_res, y_res, sample_weight=weight)
    totals = np.bincount(np.searchsorted(classes, y_res), weights=expected, minlength=classes.size)
    return sampler, tree, class_shares(totals)


class BalancedRandomForestClassifier(RandomForestClassifier):
    """A random forest whose trees each grow on a random under-sample of the data.

    Before growing, each tree draws its own balanced sample with a
    :class:`~smotekit.under_sampling.RandomUnderSampler` (by default every
    class is drawn, with replacement, down to the minority's size); with
    ``bootstrap=True`` it then bootstraps that sample. Prediction is the usual
    forest average of the trees' class probabilities.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        Split quality measure (tree parameter).
    max_depth : int, default=None
        Maximum depth of a tree; None grows until leaves are pure or too small.
    min_samples_split : int or float, default=2
        Minimum rows (count or fraction) to split a node.
    min_samples_leaf : int or float, default=1
        Minimum rows (count or fraction) in a leaf.
    min_weight_fraction_leaf : float, default=0.0
        Minimum fraction of the total sample weight in a leaf.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Features considered at each split.
    max_leaf_nodes : int, default=None
        Grow trees with at most this many leaves, best first.
    min_impurity_decrease : float, default=0.0
        Split a node only if the impurity decreases by at least this much.
    bootstrap : bool, default=False
        Bootstrap each tree's under-sample before growing the tree.
    oob_score : bool, default=False
        Estimate the accuracy on the rows of each tree's under-sample left out of its
        bootstrap (needs ``bootstrap=True``).
    sampling_strategy : float, str, dict or callable, default="all"
        The under-samplers' strategy (see
        :class:`~smotekit.under_sampling.RandomUnderSampler`); a dict names labels of ``y``.
    replacement : bool, default=True
        Whether the under-samplers draw with replacement.
    n_jobs : int, default=None
        Trees grown in parallel (threads); results do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds every tree and its under-sampler (each its own seed).
    verbose : int, default=0
        Verbosity while fitting and predicting.
    warm_start : bool, default=False
        Keep the trees of the previous ``fit`` and add new ones up to ``n_estimators``.
    class_weight : {"balanced", "balanced_subsample"}, dict, list of dicts or None, default=None
        Class weights, multiplied into ``sample_weight`` before the under-sampling;
        ``"balanced_subsample"`` weighs each tree's bootstrap instead.
    ccp_alpha : non-negative float, default=0.0
        Minimal cost-complexity pruning parameter of every tree.
    max_samples : int or float, default=None
        With ``bootstrap=True``, the rows drawn per tree (a count, or a fraction of the
        rows of ``X``), capped by the size of the tree's under-sample.
    monotonic_cst : array-like of int of shape (n_features,), default=None
        Monotonicity constraint per feature (1 increasing, -1 decreasing, 0 none).

    Attributes
    ----------
    estimator_ : DecisionTreeClassifier
        The unfitted tree template.
    base_sampler_ : RandomUnderSampler
        The unfitted sampler template.
    estimators_ : list of DecisionTreeClassifier
        The fitted trees.
    samplers_ : list of RandomUnderSampler
        The fitted under-sampler of each tree.
    pipelines_ : list of Pipeline
        ``make_pipeline(sampler, tree)`` for each tree (copies of the fitted pair).
    member_class_shares_ : ndarray of shape (n_estimators, n_classes)
        Per tree, each class's share (columns in the order of ``classes_``) of the
        sample weight the tree was grown with: its under-sample, weighted by
        ``sample_weight`` and ``class_weight``; a bootstrap is counted at its
        expectation (it draws rows, not classes), except that ``"balanced_subsample"``
        weighs the draw itself. :class:`~smotekit.evaluation.PriorCorrectedClassifier`
        reads it.
    estimators_samples_ : list of ndarray
        The rows of ``X`` each tree was grown on (repeated as drawn).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_outputs_ : int
        Always 1.
    feature_importances_ : ndarray of shape (n_features,)
        Mean impurity-based importances of the trees.
    oob_score_ : float
        Out-of-bag accuracy (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities; zero for rows never out of bag.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.

    See Also
    --------
    BalancedBaggingClassifier : Bagging whose members balance their bag.
    EasyEnsembleClassifier : Bag of AdaBoost learners trained on balanced samples.
    RUSBoostClassifier : AdaBoost that under-samples before each boosting round.

    Notes
    -----
    Chen, Liaw and Breiman, "Using random forest to learn imbalanced data", 2004.
    Same parameters, defaults and fitted attributes as imbalanced-learn 0.14's class,
    with three differences: the samplers and trees are fitted on the labels of ``y``
    (imbalanced-learn fits them on class positions), ``estimators_samples_`` and
    ``member_class_shares_`` are available, and ``warm_start`` gives the same
    trees as one fit with the final ``n_estimators``. Every tree's seed and its
    sampler's seed are drawn from ``random_state`` before any tree is grown, so
    the forest does not depend on ``n_jobs``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from smotekit.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = BalancedRandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = copy.deepcopy(RandomForestClassifier._parameter_constraints)
    _parameter_constraints.update({"sampling_strategy": SAMPLING_STRATEGY,
                                   "replacement": ["boolean"]})

    # Read by scikit-learn's forest tags; the trees themselves are built from estimator_.
    estimator = DecisionTreeClassifier()
    estimator_params = (*_TREE_PARAMS, "random_state")

    def __init__(
        self,
        n_estimators=100,
        *,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features="sqrt",
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        bootstrap=False,
        oob_score=False,
        sampling_strategy="all",
        replacement=True,
        n_jobs=None,
        random_state=None,
        verbose=0,
        warm_start=False,
        class_weight=None,
        ccp_alpha=0.0,
        max_samples=None,
        monotonic_cst=None,
    ):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples
        self.monotonic_cst = monotonic_cst

    # ------------------------------------------------------------------ fitting
    def _validate_y(self, y):
        if y.ndim == 2 and y.shape[1] == 1:
            warn("A column-vector y was passed when a 1d array was expected. Please change "
                 "the shape of y to (n_samples,), for example using ravel().",
                 DataConversionWarning, stacklevel=3)
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(
                f"BalancedRandomForestClassifier takes one target column; y has shape {y.shape}. "
                "Fit one forest per output instead.")
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_classes_ = self.classes_.size
        self.n_outputs_ = 1
        return y, codes

    def _class_weights(self, y):
        """Per-row class weights applied to the whole data, or None."""
        if self.class_weight is None:
            return None
        if self.class_weight == "balanced_subsample":
            # Applied per bootstrap instead; without a bootstrap it means 'balanced'.
            return None if self.bootstrap else compute_sample_weight("balanced", y)
        return compute_sample_weight(self.class_weight, y)

    def fit(self, X, y, sample_weight=None):
        """Grow the forest: each tree on its own random under-sample of ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; converted to float32 (sparse to CSR). NaN is allowed
            where the trees support missing values.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, kept by the under-samplers for the rows they keep.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        self._validate_params()
        if sparse.issparse(y):
            raise ValueError("y must be a dense 1-d array of labels; got a sparse matrix.")
        check_target_type(y)
        X, y = validate_data(self, X, y, multi_output=True, accept_sparse="csr",
                             dtype=np.float32, ensure_all_finite="allow-nan")
        if sparse.issparse(X):
            X.sort_indices()
        y, codes = self._validate_y(np.asarray(y))
        if sample_weight is not None:
            sample_weight = _check_weights(sample_weight, X.shape[0])
        expanded = self._class_weights(y)
        if expanded is not None:
            sample_weight = expanded if sample_weight is None else sample_weight * expanded
        if self.oob_score and not self.bootstrap:
            raise ValueError(
                "Out of bag estimation only available if bootstrap=True: the trees need rows left "
                "out of their bootstrap. Set bootstrap=True, or oob_score=False."
            )

        self.estimator_ = DecisionTreeClassifier(**{p: getattr(self, p) for p in _TREE_PARAMS})
        self.base_sampler_ = RandomUnderSampler(sampling_strategy=self.sampling_strategy,
                                                replacement=self.replacement)
        self._n_draws = _n_bootstrap(X.shape[0], self.max_samples, sample_weight)
        # Kept (None unless given) to re-derive each tree's bootstrap: weights steer the draw.
        self._sample_weight = sample_weight

        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_, self.samplers_, self.pipelines_ = [], [], []
            self.member_class_shares_ = np.empty((0, self.n_classes_))
        n_more = self.n_estimators - len(self.estimators_)
        if n_more < 0:
            raise ValueError(
                f"n_estimators={self.n_estimators} must be larger or equal to "
                f"len(estimators_)={len(self.estimators_)} when warm_start==True; raise "
                "n_estimators or set warm_start=False.")
        if n_more == 0:
            # Attributed to this module, as imbalanced-learn's is: filterwarnings(module=...) match alike.
            warn("Warm-start fitting without increasing n_estimators does not fit new trees.")  # noqa: B028
        else:
            self._grow(X, y, sample_weight, n_more)
        if self.oob_score:
            self._set_oob(X, codes)
        elif hasattr(self, "oob_score_"):
            del self.oob_score_, self.oob_decision_function_
        return self

    def _grow(self, X, y, sample_weight, n_more):
        rng = check_random_state(self.random_state)
        # Two seeds per tree (tree, then sampler); skipping the draws of the trees kept
        # by warm_start makes 5 + 5 trees equal 10 trees grown at once.
        rng.randint(MAX_SEED, size=2 * len(self.estimators_))
        seeds = rng.randint(MAX_SEED, size=(n_more, 2))
        pairs = [(copy.deepcopy(self.base_sampler_).set_params(random_state=int(s)),
                  copy.deepcopy(self.estimator_).set_params(random_state=int(t)))
                 for t, s in seeds]
        # Threads: tree building releases the GIL, and X is shared, not copied.
        grown = Parallel(n_jobs=self.n_jobs, verbose=self.verbose, prefer="threads")(
            delayed(_grow_tree)(sampler, tree, X, y, sample_weight, self.bootstrap,
                                self._n_draws, self.class_weight, self.classes_)
            for sampler, tree in pairs)
        for sampler, tree, _ in grown:
            self.samplers_.append(sampler)
            self.estimators_.append(tree)
            self.pipelines_.append(make_pipeline(copy.deepcopy(sampler), copy.deepcopy(tree)))
        self.member_class_shares_ = np.vstack([self.member_class_shares_, *(shares for *_, shares in grown)])

    def _in_bag(self, sampler, tree):
        """Input rows behind each row a tree was grown on, and its out-of-bag input rows.

        Out of bag means drawn by the sampler with *no* copy in the bootstrap: with
        ``replacement=True`` the sampler repeats rows, and a copy left out of the bag
        while another copy is in it would make the estimate optimistic.
        """
        rows = sampler.sample_indices_
        if not self.bootstrap:
            return rows, rows[:0]
        weight = self._sample_weight
        drawn = _bootstrap(tree.random_state, None if weight is None else weight[rows],
                           rows.size, min(self._n_draws, rows.size))
        in_bag = rows[drawn]
        return in_bag, np.setdiff1d(rows, in_bag)

    @property
    def estimators_samples_(self):
        """The input rows each tree was grown on (after under-sampling and bootstrap)."""
        check_is_fitted(self)
        return [self._in_bag(s, t)[0] for s, t in zip(self.samplers_, self.estimators_)]

    def _set_oob(self, X, codes):
        votes = np.zeros((X.shape[0], self.n_classes_))
        seen = np.zeros(X.shape[0], dtype=np.int64)
        for sampler, tree in zip(self.samplers_, self.estimators_):
            # Out of bag = drawn by the sampler, left out of the bootstrap. Rows the sampler
            # dropped are not counted: a majority row would then be out of bag for nearly
            # every tree, and the estimate would lean towards the majority.
            _, out = self._in_bag(sampler, tree)
            if out.size:
                np.add.at(votes, out, tree.predict_proba(X[out]))
                np.add.at(seen, out, 1)
        if (seen == 0).any():
            # Attributed to this module, as imbalanced-learn's is: filterwarnings(module=...) match alike.
            warn("Some inputs do not have OOB scores. This probably means too few trees "  # noqa: B028
                 "were used to compute any reliable OOB estimates.", UserWarning)
        votes /= np.maximum(seen, 1)[:, None]
        self.oob_decision_function_ = votes
        self.oob_score_ = accuracy_score(codes, np.argmax(votes, axis=1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        tags.classifier_tags.multi_label = False
        tags.input_tags.allow_nan = True
        return tags
