"""smotekit.ensemble: reproducibility, containers, multiclass, weights, imblearn parity."""

import warnings

import joblib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

import smotekit
from smotekit.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from smotekit.over_sampling import RandomOverSampler
from smotekit.pipeline import Pipeline
from smotekit.under_sampling import RandomUnderSampler

# Small, fast settings for each class (one member family each).
FAST = {
    BalancedBaggingClassifier: dict(n_estimators=6),
    BalancedRandomForestClassifier: dict(n_estimators=8),
    EasyEnsembleClassifier: dict(n_estimators=3, estimator=DecisionTreeClassifier(max_depth=3)),
    RUSBoostClassifier: dict(n_estimators=8, estimator=DecisionTreeClassifier(max_depth=2)),
}
ALL = list(FAST)
PARALLEL = [BalancedBaggingClassifier, BalancedRandomForestClassifier, EasyEnsembleClassifier]


def make(cls, **kw):
    return cls(**{**clone_params(FAST[cls]), **kw})


def clone_params(params):
    return {k: clone(v) if hasattr(v, "get_params") else v for k, v in params.items()}


@pytest.fixture(scope="module")
def binary():
    return make_classification(n_samples=1200, n_features=6, n_informative=4, weights=[0.93],
                               flip_y=0, class_sep=1.5, random_state=3)


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(n_samples=1500, n_features=5, n_informative=4, n_redundant=0,
                               n_classes=3, weights=[0.05, 0.15, 0.8], n_clusters_per_class=1,
                               class_sep=2.0, random_state=1)
    return X, np.array(["rare", "some", "many"], dtype=object)[y]


def test_all_is_sorted_and_exported():
    assert smotekit.ensemble.__all__ == sorted(smotekit.ensemble.__all__)
    assert "ensemble" in smotekit.__all__


@pytest.mark.parametrize("cls", PARALLEL)
def test_n_jobs_does_not_change_the_result(cls, binary):
    X, y = binary
    one = make(cls, random_state=7, n_jobs=1).fit(X, y)
    # Threads: how members are split between jobs is what matters, not starting processes.
    with joblib.parallel_config(backend="threading"):
        two = make(cls, random_state=7, n_jobs=2).fit(X, y)
        np.testing.assert_array_equal(one.predict(X), two.predict(X))
        # Only the order of summing members' probabilities may differ.
        np.testing.assert_allclose(one.predict_proba(X), two.predict_proba(X), rtol=0,
                                   atol=1e-12)
    for a, b in zip(one.estimators_, two.estimators_):
        np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    for a, b in zip(one.estimators_samples_, two.estimators_samples_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls", ALL)
def test_same_random_state_same_model(cls, binary):
    X, y = binary
    a = make(cls, random_state=11).fit(X, y).predict_proba(X)
    b = make(cls, random_state=11).fit(X, y).predict_proba(X)
    c = make(cls, random_state=12).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("cls", ALL)
def test_every_member_sampler_has_its_own_seed(cls, binary):
    X, y = binary
    clf = make(cls, random_state=0).fit(X, y)
    if hasattr(clf, "samplers_"):
        samplers = clf.samplers_
    else:
        samplers = [member.steps[0][1] for member in clf.estimators_]
    seeds = [s.random_state for s in samplers]
    assert all(isinstance(s, int) for s in seeds)
    assert len(set(seeds)) == len(seeds)


@pytest.mark.parametrize("cls", ALL)
def test_multiclass_string_labels(cls, multiclass):
    X, y = multiclass
    clf = make(cls, random_state=0).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, ["many", "rare", "some"])
    assert clf.n_classes_ == 3
    assert set(clf.predict(X)) <= set(clf.classes_)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert balanced_accuracy_score(y, clf.predict(X)) > 0.6


@pytest.mark.parametrize("cls", ALL)
def test_pandas_feature_names(cls, binary):
    pd = pytest.importorskip("pandas")
    X, y = binary
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = make(cls, random_state=0).fit(frame, pd.Series(y, name="target"))
    np.testing.assert_array_equal(clf.feature_names_in_, frame.columns)
    assert clf.n_features_in_ == X.shape[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "X does not have valid feature names"
        from_frame = clf.predict(frame)
    np.testing.assert_array_equal(from_frame, make(cls, random_state=0).fit(X, y).predict(X))


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_input(cls, fmt, binary):
    X, y = binary
    X = np.where(np.abs(X) < 0.8, 0.0, X)  # make it actually sparse
    Xs = sparse.csr_matrix(X) if fmt == "csr" else sparse.csc_matrix(X)
    clf = make(cls, random_state=0).fit(Xs, y)
    dense = make(cls, random_state=0).fit(X, y)
    # Same rows drawn, same trees: sparse and dense agree.
    np.testing.assert_array_equal(clf.predict(Xs), dense.predict(X))
    assert clf.predict_proba(Xs).shape == (X.shape[0], 2)


def test_forest_sample_weight(binary):
    X, y = binary
    ones = np.ones(len(y))
    base = make(BalancedRandomForestClassifier, random_state=0)
    np.testing.assert_array_equal(clone(base).fit(X, y, sample_weight=ones).predict_proba(X),
                                  clone(base).fit(X, y).predict_proba(X))
    # Zero weight on a feature's upper half: no tree can learn from those rows.
    weights = np.random.RandomState(0).rand(len(y))
    weighted = clone(base).fit(X, y, sample_weight=weights).predict_proba(X)
    assert not np.array_equal(weighted, clone(base).fit(X, y).predict_proba(X))
    # The caller's weights are not modified.
    copy = weights.copy()
    clone(base).set_params(class_weight="balanced").fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(weights, copy)


@pytest.mark.parametrize("bootstrap", [False, True])
def test_forest_balanced_subsample_and_bootstrap_weights(bootstrap, binary):
    X, y = binary
    clf = make(BalancedRandomForestClassifier, random_state=0, bootstrap=bootstrap,
               class_weight="balanced_subsample").fit(X, y, sample_weight=np.arange(len(y)) + 1.0)
    assert clf.predict(X).shape == y.shape


def test_rusboost_sample_weight(binary):
    X, y = binary
    base = make(RUSBoostClassifier, random_state=0)
    np.testing.assert_array_equal(clone(base).fit(X, y, np.ones(len(y))).predict_proba(X),
                                  clone(base).fit(X, y).predict_proba(X))
    weights = 1.0 + np.random.RandomState(0).rand(len(y))
    copy = weights.copy()
    fitted = clone(base).fit(X, y, weights)
    np.testing.assert_array_equal(weights, copy)
    assert len(fitted.estimators_) == len(fitted.samplers_) == len(fitted.pipelines_)


def test_forest_warm_start_equals_one_fit(binary):
    X, y = binary
    warm = BalancedRandomForestClassifier(n_estimators=4, random_state=5, warm_start=True)
    warm.fit(X, y)
    warm.set_params(n_estimators=8).fit(X, y)
    cold = BalancedRandomForestClassifier(n_estimators=8, random_state=5).fit(X, y)
    np.testing.assert_array_equal(warm.predict_proba(X), cold.predict_proba(X))
    assert len(warm.samplers_) == len(warm.pipelines_) == 8


def test_forest_warnings_name_the_forest_module(binary):
    # As imbalanced-learn's do, so filterwarnings(module=...) entries match the same way.
    X, y = binary
    clf = BalancedRandomForestClassifier(n_estimators=2, warm_start=True, random_state=0).fit(X, y)
    with pytest.warns(UserWarning, match="does not fit new trees") as record:
        clf.fit(X, y)
    assert record[0].filename.endswith("_forest.py")
    with pytest.warns(UserWarning, match="do not have OOB scores") as record:
        BalancedRandomForestClassifier(n_estimators=1, bootstrap=True, oob_score=True,
                                       random_state=0).fit(X, y)
    assert any(r.filename.endswith("_forest.py") for r in record if "OOB" in str(r.message))


@pytest.mark.filterwarnings("ignore:Some inputs do not have OOB scores")
def test_forest_in_bag_rows_and_oob(binary):
    X, y = binary
    clf = BalancedRandomForestClassifier(n_estimators=30, bootstrap=True, oob_score=True,
                                         random_state=0).fit(X, y)
    minority = np.sum(y == 1)
    for sampler, rows in zip(clf.samplers_, clf.estimators_samples_):
        assert rows.size == 2 * minority  # one bootstrap of the balanced sample
        assert np.isin(rows, sampler.sample_indices_).all()
    assert clf.oob_decision_function_.shape == (len(y), 2)
    assert 0.7 < clf.oob_score_ <= 1
    # Out of bag means no copy in the bag, although the sampler repeats rows (replacement=True).
    for sampler, tree in zip(clf.samplers_, clf.estimators_):
        in_bag, out = clf._in_bag(sampler, tree)
        assert np.intersect1d(in_bag, out).size == 0
        assert np.setdiff1d(sampler.sample_indices_, np.union1d(in_bag, out)).size == 0
    # Refitting a pipeline reproduces its sampler's draw.
    X_res, _ = clf.pipelines_[0].steps[0][1].fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[clf.samplers_[0].sample_indices_])


def test_bagging_dict_strategy_names_labels(multiclass):
    X, y = multiclass
    codes = np.unique(y, return_inverse=True)[1]
    clf = BalancedBaggingClassifier(n_estimators=2, bootstrap=False,
                                    sampling_strategy={"many": 60, "some": 40},
                                    random_state=0).fit(X, y)
    for member, bag in zip(clf.estimators_, clf.estimators_samples_):
        kept = bag[member.steps[0][1].sample_indices_]
        # classes_ is ['many', 'rare', 'some']: the dict's labels reached the right classes.
        np.testing.assert_array_equal(np.bincount(codes[kept]), [60, np.sum(y == "rare"), 40])
    with pytest.raises(ValueError, match="not in y"):
        BalancedBaggingClassifier(sampling_strategy={"absent": 3}).fit(X, y)


def test_bagging_with_an_over_sampler(binary):
    X, y = binary
    clf = BalancedBaggingClassifier(n_estimators=2, sampler=RandomOverSampler(), bootstrap=False,
                                    random_state=0).fit(X, y)
    assert isinstance(clf.estimator_, Pipeline)
    assert isinstance(clf.sampler_, RandomOverSampler)
    assert isinstance(EasyEnsembleClassifier(n_estimators=2).fit(X, y).estimators_[0].steps[0][1],
                      RandomUnderSampler)


def test_bagging_leaves_a_bypass_samplers_strategy_alone(binary):
    # smotekit's sampler says 'bypass' in its tags; imbalanced-learn's tags carry no
    # sampling type, so its class attribute is read, as imbalanced-learn's bagging does.
    imblearn = pytest.importorskip("imblearn")
    X, y = binary

    class Bypass(imblearn.base.BaseSampler):
        _sampling_type = "bypass"
        _parameter_constraints = {"sampling_strategy": [str]}

        def __init__(self, sampling_strategy="mine"):
            self.sampling_strategy = sampling_strategy

        def _fit_resample(self, X, y):
            return X, y

    for sampler in (smotekit.FunctionSampler(), Bypass()):
        clf = BalancedBaggingClassifier(n_estimators=2, sampler=sampler, sampling_strategy=0.5,
                                        random_state=0).fit(X, y)
        assert clf.sampler_.get_params().get("sampling_strategy", "mine") == "mine"
    clf = BalancedBaggingClassifier(n_estimators=2, sampling_strategy=0.5, random_state=0).fit(X, y)
    assert clf.sampler_.sampling_strategy == 0.5


@pytest.mark.parametrize(
    "cls, params",
    [
        (BalancedBaggingClassifier, {"sampling_strategy": "minority"}),
        (BalancedBaggingClassifier, {"replacement": "yes"}),
        (BalancedBaggingClassifier, {"sampler": "RandomUnderSampler"}),
        (BalancedBaggingClassifier, {"n_estimators": 0}),
        (EasyEnsembleClassifier, {"sampling_strategy": 1.5}),
        (EasyEnsembleClassifier, {"n_jobs": "all"}),
        (BalancedRandomForestClassifier, {"sampling_strategy": "unknown"}),
        (BalancedRandomForestClassifier, {"replacement": 1.0}),
        (BalancedRandomForestClassifier, {"max_depth": 0}),
        (RUSBoostClassifier, {"algorithm": "SAMME.X"}),
        (RUSBoostClassifier, {"sampling_strategy": 0.0}),
        (RUSBoostClassifier, {"learning_rate": -1.0}),
    ],
)
def test_bad_parameters_raise_invalid_parameter_error(cls, params, binary):
    X, y = binary
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        make(cls, **params).fit(X, y)


@pytest.mark.parametrize("cls", ALL)
def test_constraints_cover_exactly_the_parameters(cls):
    assert set(cls._parameter_constraints) == set(cls().get_params(deep=False))


def test_rusboost_algorithm_warns_and_still_fits(binary):
    X, y = binary
    for algorithm in ("SAMME", "SAMME.R"):
        with pytest.warns(FutureWarning, match="deprecated"):
            clf = make(RUSBoostClassifier, algorithm=algorithm, random_state=0).fit(X, y)
        assert balanced_accuracy_score(y, clf.predict(X)) > 0.7


@pytest.mark.parametrize("name", ["BalancedBaggingClassifier", "BalancedRandomForestClassifier",
                                  "EasyEnsembleClassifier", "RUSBoostClassifier"])
def test_same_signature_as_imblearn(name):
    import inspect

    imblearn_ensemble = pytest.importorskip("imblearn.ensemble")
    ours = inspect.signature(getattr(smotekit.ensemble, name))
    theirs = inspect.signature(getattr(imblearn_ensemble, name))
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.parameters.values()]
    fit_ours = inspect.signature(getattr(smotekit.ensemble, name).fit)
    fit_theirs = inspect.signature(getattr(imblearn_ensemble, name).fit)
    assert list(fit_ours.parameters) == list(fit_theirs.parameters)


@pytest.mark.parametrize("name", ["BalancedBaggingClassifier", "BalancedRandomForestClassifier",
                                  "EasyEnsembleClassifier", "RUSBoostClassifier"])
def test_differential_against_imblearn(name, multiclass):
    imblearn_ensemble = pytest.importorskip("imblearn.ensemble")
    X, y = multiclass
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    params = {"n_estimators": 10, "random_state": 0}
    if name in ("EasyEnsembleClassifier", "RUSBoostClassifier"):
        params["estimator"] = DecisionTreeClassifier(max_depth=3)
    scores = {}
    for lib, module in (("ours", smotekit.ensemble), ("imblearn", imblearn_ensemble)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf = getattr(module, name)(**clone_params(params)).fit(X_tr, y_tr)
        pred = clf.predict(X_te)
        scores[lib] = (np.mean(pred == y_te), balanced_accuracy_score(y_te, pred))
    # Different random draws: the same ballpark, not the same numbers.
    assert abs(scores["ours"][0] - scores["imblearn"][0]) < 0.08, scores
    assert abs(scores["ours"][1] - scores["imblearn"][1]) < 0.08, scores


@pytest.mark.parametrize("name", ["BalancedBaggingClassifier", "BalancedRandomForestClassifier",
                                  "EasyEnsembleClassifier", "RUSBoostClassifier"])
def test_member_seeds_are_imblearns(name, binary):
    """Members get the seeds imblearn gives them (only the samplers' draws differ)."""
    imblearn_ensemble = pytest.importorskip("imblearn.ensemble")
    X, y = binary

    def seeds(clf):
        if hasattr(clf, "samplers_"):
            return [(e.random_state, s.random_state) for e, s in zip(clf.estimators_, clf.samplers_)]
        return [(m.get_params()["classifier__random_state"], m.get_params()["sampler__random_state"])
                for m in clf.estimators_]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = seeds(getattr(smotekit.ensemble, name)(n_estimators=4, random_state=3).fit(X, y))
        theirs = seeds(getattr(imblearn_ensemble, name)(n_estimators=4, random_state=3).fit(X, y))
    n = min(len(ours), len(theirs))  # boosting may stop early, at different rounds
    assert n >= 1 and ours[:n] == theirs[:n]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 2), sizes=st.lists(st.integers(2, 40), min_size=2, max_size=4),
       bootstrap=st.booleans())
def test_forest_trees_grow_on_balanced_draws(seed, sizes, bootstrap):
    """Whatever the class sizes: every tree's sampler keeps each class at the minority's
    size, and the rows a tree grew on are rows its sampler kept."""
    rng = np.random.RandomState(seed)
    y = np.repeat(np.arange(len(sizes)), sizes)
    X = rng.randn(y.size, 3) + y[:, None]
    clf = BalancedRandomForestClassifier(n_estimators=3, bootstrap=bootstrap,
                                         random_state=seed).fit(X, y)
    for sampler, rows in zip(clf.samplers_, clf.estimators_samples_):
        kept = sampler.sample_indices_
        np.testing.assert_array_equal(np.bincount(y[kept]), np.full(len(sizes), min(sizes)))
        assert np.isin(rows, kept).all()
    assert clf.predict_proba(X).shape == (y.size, len(sizes))
