"""compare(): paired folds, resampling inside training folds only, threshold tuning pinned against scikit-learn,
reproducibility, failures; and the Comparison it returns, pinned on hand-made fold scores."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from imblearn.metrics import geometric_mean_score as imblearn_gmean
from scipy import stats
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    make_scorer,
    matthews_corrcoef,
)
from sklearn.model_selection import (
    RepeatedStratifiedKFold,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    train_test_split,
)

from smotekit import FunctionSampler
from smotekit.evaluation import (
    Comparison,
    MultiComparison,
    PriorCorrectedClassifier,
    compare,
    compare_datasets,
    friedman_test,
    make_cv,
)
from smotekit.evaluation._compare import _objective_scorer
from smotekit.exceptions import ResampledDataWarning
from smotekit.metrics import geometric_mean_score as smotekit_gmean
from smotekit.over_sampling import SMOTE
from smotekit.pipeline import Pipeline
from smotekit.under_sampling import RandomUnderSampler


def _data(n=150, weight=0.8, seed=0, flip_y=0.05):
    return make_classification(n_samples=n, n_features=5, n_informative=3, weights=[weight], flip_y=flip_y,
                               random_state=seed)


class OneSplit:
    """A splitter with one given (train, test) split."""

    def __init__(self, train, test):
        self.train, self.test = train, test

    def split(self, X=None, y=None, groups=None):
        yield self.train, self.test

    def get_n_splits(self, X=None, y=None, groups=None):
        return 1


# ---------------------------------------------------------------------------------------------
# the tuned threshold against scikit-learn's TunedThresholdClassifierCV


def _one_split(y, seed):
    return train_test_split(np.arange(len(y)), test_size=0.3, stratify=y, random_state=seed)


def _expected_cost(y_true, y_pred):
    fp = int(np.sum((y_pred == 1) & (y_true == 0)))
    fn = int(np.sum((y_pred == 0) & (y_true == 1)))
    return (1.0 * fp + 4.0 * fn) / len(y_true)


@pytest.mark.parametrize(("seed", "objective", "scorer"), [
    (0, "f1", make_scorer(f1_score)), (1, "f1", make_scorer(f1_score)), (2, "f1", make_scorer(f1_score)),
    (0, "mcc", make_scorer(matthews_corrcoef)), (1, "balanced_accuracy", make_scorer(balanced_accuracy_score)),
    (2, "cost", make_scorer(_expected_cost, greater_is_better=False)),
])
def test_threshold_equals_tuned_threshold_classifier(seed, objective, scorer):
    X, y = _data(n=240, seed=seed, flip_y=0.1)
    train, test = _one_split(y, seed)
    inner = StratifiedKFold(3)
    comp = compare(X, y, LogisticRegression(), methods=["none", "threshold"], cv=OneSplit(train, test),
                   threshold_cv=inner, objective=objective, metrics=["f1", "mcc", "balanced_accuracy"],
                   cost=(1.0, 4.0), check_leak=False)
    ref = TunedThresholdClassifierCV(LogisticRegression(), scoring=scorer, cv=inner).fit(X[train], y[train])
    pred = ref.predict(X[test])
    assert comp.thresholds[comp.options.index("threshold"), 0] == pytest.approx(ref.best_threshold_, abs=1e-12)
    assert comp.fold_scores("threshold", "f1")[0] == pytest.approx(f1_score(y[test], pred), abs=1e-12)
    assert comp.fold_scores("threshold", "mcc")[0] == pytest.approx(matthews_corrcoef(y[test], pred), abs=1e-12)
    assert comp.fold_scores("threshold", "cost")[0] == pytest.approx(_expected_cost(y[test], pred), abs=1e-12)
    # The untuned row is the plain model at 0.5, a different number in general.
    plain = clone(LogisticRegression()).fit(X[train], y[train]).predict(X[test])
    assert comp.fold_scores("none", "f1")[0] == pytest.approx(f1_score(y[test], plain), abs=1e-12)


@pytest.mark.parametrize("seed", [3])
def test_threshold_is_on_the_rare_class_when_it_sorts_first(seed):
    X, y = _data(n=240, seed=seed, flip_y=0.1)
    y = 1 - y  # the rare class is now 0
    train, test = _one_split(y, seed)
    inner = StratifiedKFold(3)
    comp = compare(X, y, LogisticRegression(), methods=["none", "threshold"], cv=OneSplit(train, test),
                   threshold_cv=inner, metrics=["f1"], check_leak=False)
    assert comp.positive_label == 0
    ref = TunedThresholdClassifierCV(LogisticRegression(), scoring=make_scorer(f1_score, pos_label=0),
                                     cv=inner).fit(X[train], y[train])
    assert comp.thresholds[1, 0] == pytest.approx(ref.best_threshold_, abs=1e-12)
    assert comp.fold_scores("threshold", "f1")[0] == pytest.approx(
        f1_score(y[test], ref.predict(X[test]), pos_label=0), abs=1e-12)


class _Fixed:
    """Predicts the labels it is given, whatever X: lets a scorer be called on chosen predictions."""

    _estimator_type = "classifier"

    def __init__(self, pred):
        self.pred = np.asarray(pred)
        self.classes_ = np.array([0, 1])

    def predict(self, X):
        return self.pred

    def fit(self, X, y):
        return self

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags())


def _fast(objective, y_true, y_pred, pos, cost=None):
    scorer = _objective_scorer(objective, pos, cost)
    return float(scorer(_Fixed(y_pred), np.zeros((len(y_true), 1)), np.asarray(y_true)))


_binary_pairs = st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 1), min_size=n, max_size=n), st.lists(st.integers(0, 1), min_size=n, max_size=n),
    st.integers(0, 1)))


@settings(max_examples=150, deadline=None)
@given(_binary_pairs)
@example(([0, 0, 0], [0, 0, 0], 1))  # no positive anywhere
@example(([0, 0, 0], [1, 1, 1], 1))  # every prediction wrong, no positive row
@example(([1, 1], [1, 1], 1))  # one class, all right
@example(([1, 0, 1, 0], [0, 0, 0, 0], 1))  # nothing predicted positive
@example(([1, 0, 1, 0], [1, 1, 1, 1], 0))  # everything predicted the other class
def test_fast_objectives_equal_the_library_metrics(case):
    y_true, y_pred, pos = np.asarray(case[0]), np.asarray(case[1]), int(case[2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _fast("f1", y_true, y_pred, pos) == pytest.approx(
            f1_score(y_true, y_pred, pos_label=pos, labels=[0, 1], zero_division=0), abs=1e-12)
        assert _fast("mcc", y_true, y_pred, pos) == pytest.approx(matthews_corrcoef(y_true, y_pred), abs=1e-12)
        # G-mean over both classes (a class absent from the fold has recall 0), as the comparison scores it.
        gmean = _fast("gmean", y_true, y_pred, pos)
        assert gmean == pytest.approx(imblearn_gmean(y_true, y_pred, labels=[0, 1]), abs=1e-12)
        assert gmean == pytest.approx(smotekit_gmean(y_true, y_pred, labels=[0, 1]), abs=1e-12)
        # Both classes among the true labels: balanced accuracy is defined the same way everywhere.
        if len(np.unique(y_true)) == 2:
            assert _fast("balanced_accuracy", y_true, y_pred, pos) == pytest.approx(
                balanced_accuracy_score(y_true, y_pred), abs=1e-12)
    c_fp, c_fn = 1.5, 7.0
    matrix = np.zeros((2, 2))
    matrix[1 - pos, pos], matrix[pos, 1 - pos] = c_fp, c_fn
    counts = confusion_matrix(y_true, y_pred, labels=[0, 1])
    expected = -float((counts * matrix).sum()) / len(y_true)
    assert _fast("cost", y_true, y_pred, pos, cost=(c_fp, c_fn)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("y_true", "y_pred"), [([0, 0, 0], [0, 0, 0]), ([0, 0, 0, 0], [1, 0, 0, 0])])
def test_fast_balanced_accuracy_on_a_one_class_fold(y_true, y_pred):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = balanced_accuracy_score(y_true, y_pred)
    assert _fast("balanced_accuracy", y_true, y_pred, 1) == pytest.approx(expected, abs=1e-12)


def test_objective_names_and_errors():
    # A scikit-learn scorer name knows nothing of this comparison's positive class, and a threshold-free one
    # would make the search meaningless: both are refused with the names that work.
    for name in ("roc_auc", "precision"):
        with pytest.raises(ValueError, match="f1, mcc, gmean, balanced_accuracy, cost"):
            _objective_scorer(name, 1, None)
    custom = make_scorer(f1_score)
    assert _objective_scorer(custom, 1, None) is custom
    assert _fast("g-mean", [0, 1, 1], [0, 1, 0], 1) == pytest.approx(math.sqrt(0.5))
    with pytest.raises(ValueError, match="'nonsense'"):
        _objective_scorer("nonsense", 1, None)
    with pytest.raises(ValueError, match="cost="):
        _objective_scorer("cost", 1, None)


# ---------------------------------------------------------------------------------------------
# the paired design: same folds for every option, resampling inside training folds only


_SEEN = []


def _record(X, y):
    _SEEN.append(np.asarray(X).copy())
    return X, y


def test_sampler_sees_only_training_rows_of_its_fold():
    X, y = _data(n=90)
    row_of = {x.tobytes(): i for i, x in enumerate(X)}
    assert len(row_of) == len(X)
    _SEEN.clear()
    comp = compare(X, y, LogisticRegression(), methods=["none", ("spy", FunctionSampler(func=_record)),
                                                        "spy+threshold"],
                   cv="3x1", threshold_cv=2, metrics=["f1"], n_jobs=1, check_leak=False)
    assert comp.errors == {}
    seen = [frozenset(row_of[x.tobytes()] for x in block) for block in _SEEN]
    trains = [frozenset(tr.tolist()) for tr, _ in comp.splits]
    tests = [frozenset(te.tolist()) for _, te in comp.splits]
    # One plain fit per outer fold, on exactly its training rows; 2 inner fits and a refit per tuned fold.
    assert len(seen) == 3 + 3 * 3
    for train in trains:
        assert train in seen
    for rows in seen:
        assert any(rows <= train and not (rows & test) for train, test in zip(trains, tests))


def test_every_option_is_scored_on_the_same_folds_as_an_independent_fit():
    X, y = _data(n=120, seed=1)
    comp = compare(X, y, LogisticRegression(), methods=["none", "balanced", "SMOTE"], cv="2x2",
                   metrics=["log_loss", "f1"], random_state=5, check_leak=False)
    expected_splits = list(RepeatedStratifiedKFold(n_splits=2, n_repeats=2, random_state=5).split(X, y))
    assert len(comp.splits) == 4
    for (tr, te), (etr, ete) in zip(comp.splits, expected_splits):
        np.testing.assert_array_equal(tr, etr)
        np.testing.assert_array_equal(te, ete)
    models = {"none": LogisticRegression(), "balanced": LogisticRegression(class_weight="balanced"),
              "SMOTE": Pipeline([("sampler", SMOTE(random_state=5)), ("model", LogisticRegression())])}
    for name, model in models.items():
        for s, (tr, te) in enumerate(comp.splits):
            fitted = clone(model).fit(X[tr], y[tr])
            assert comp.fold_scores(name, "log_loss")[s] == pytest.approx(
                log_loss(y[te], fitted.predict_proba(X[te])), rel=1e-12)
            assert comp.fold_scores(name, "f1")[s] == pytest.approx(f1_score(y[te], fitted.predict(X[te])), rel=1e-12)
    # The out-of-fold probabilities come from the first repetition: every row once.
    for name in comp.options:
        assert np.isfinite(comp.oof[name]).all()
    first = np.concatenate([te for _, te in comp.splits[:2]])
    assert sorted(first.tolist()) == list(range(len(y)))


_PROBA_METRICS = ["pr_auc", "roc_auc", "log_loss", "brier", "ece"]


@pytest.fixture(scope="module")
def tuned():
    X, y = _data(n=150, seed=2)
    comp = compare(X, y, LogisticRegression(), methods=["none", "threshold", "SMOTE", "SMOTE+threshold"],
                   cv="3x1", threshold_cv=3, metrics=[*_PROBA_METRICS, "f1", "fit_time"], check_leak=False)
    return comp


@pytest.mark.parametrize(("base", "tuned_name"), [("none", "threshold"), ("SMOTE", "SMOTE+threshold")])
def test_threshold_row_keeps_its_base_probabilities(tuned, base, tuned_name):
    for key in _PROBA_METRICS:
        np.testing.assert_array_equal(tuned.fold_scores(tuned_name, key), tuned.fold_scores(base, key))
    np.testing.assert_array_equal(tuned.oof[tuned_name], tuned.oof[base])
    assert np.isfinite(tuned.thresholds[tuned.options.index(tuned_name)]).all()
    assert np.isnan(tuned.thresholds[tuned.options.index(base)]).all()
    assert tuned.kinds[tuned_name] in ("threshold", "resampler+threshold")


def test_fit_time_is_measured(tuned):
    times = tuned.scores[:, :, tuned.metrics.index("fit_time")]
    assert np.isfinite(times).all() and (times > 0).all()


def test_prior_row_equals_prior_corrected_classifier():
    X, y = _data(n=150, weight=0.85, seed=4)
    comp = compare(X, y, LogisticRegression(), methods=["none", "RandomUnderSampler", "RandomUnderSampler+prior"],
                   cv="3x1", metrics=["log_loss", "roc_auc"], random_state=0, check_leak=False)
    plain, prior = "RandomUnderSampler", "RandomUnderSampler+prior"
    assert comp.kinds[prior] == "resampler+prior"
    # The correction moves the probabilities but not their order.
    assert not np.allclose(comp.fold_scores(plain, "log_loss"), comp.fold_scores(prior, "log_loss"))
    np.testing.assert_allclose(comp.fold_scores(plain, "roc_auc"), comp.fold_scores(prior, "roc_auc"), rtol=1e-12)
    pipe = Pipeline([("sampler", RandomUnderSampler(random_state=0)), ("model", LogisticRegression())])
    for tr, te in comp.splits:
        ref = PriorCorrectedClassifier(pipe).fit(X[tr], y[tr])
        np.testing.assert_allclose(comp.oof[prior][te], ref.predict_proba(X[te]), rtol=1e-12)
        np.testing.assert_allclose(comp.oof[plain][te], ref.estimator_.predict_proba(X[te]), rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# reproducibility


def _without_time(comp):
    return np.delete(comp.scores, comp.metrics.index("fit_time"), axis=2)


def test_same_random_state_same_scores_whatever_n_jobs():
    X, y = _data(n=100, seed=6)
    kwargs = dict(methods=["none", "threshold", "SMOTE", "SMOTE+prior"], cv="2x2", threshold_cv=2,
                  random_state=3, check_leak=False)
    one = compare(X, y, LogisticRegression(), n_jobs=1, **kwargs)
    again = compare(X, y, LogisticRegression(), n_jobs=1, **kwargs)
    two = compare(X, y, LogisticRegression(), n_jobs=2, **kwargs)
    for other in (again, two):
        np.testing.assert_array_equal(_without_time(one), _without_time(other))
        np.testing.assert_array_equal(one.thresholds, other.thresholds)
        for name in one.options:
            np.testing.assert_array_equal(one.oof[name], other.oof[name])
    assert np.isfinite(_without_time(one)).all()
    moved = compare(X, y, LogisticRegression(), n_jobs=1, **{**kwargs, "random_state": 4})
    assert not np.array_equal(_without_time(one), _without_time(moved))


# ---------------------------------------------------------------------------------------------
# failures and refused input


_SENTINEL = 12345.5


class _NeedsRowZero(LogisticRegression):
    """Fails to fit when the marked row is not among its training rows (the fold that tests it)."""

    def fit(self, X, y, sample_weight=None):
        if not np.any(np.asarray(X)[:, 0] == _SENTINEL):
            raise RuntimeError("marked row missing")
        return super().fit(X, y, sample_weight=sample_weight)


def test_an_option_failing_on_some_folds_is_recorded_and_the_others_go_on():
    X, y = _data(n=90, seed=7)
    X[0, 0] = _SENTINEL
    comp = compare(X, y, LogisticRegression(), methods=["none", ("flaky", _NeedsRowZero()), "SMOTE"], cv="3x1",
                   metrics=["f1", "log_loss"], check_leak=False)
    assert set(comp.errors) == {"flaky"}
    assert "RuntimeError: marked row missing" in comp.errors["flaky"]
    failed = [s for s, (_, te) in enumerate(comp.splits) if 0 in te]
    assert len(failed) == 1
    scores = comp.scores[comp.options.index("flaky")]
    assert np.isnan(scores[failed]).all()
    assert np.isfinite(np.delete(scores, failed, axis=0)).all()
    assert np.isfinite(comp.scores[[comp.options.index("none"), comp.options.index("SMOTE")]]).all()
    # Its paired statistics use the two folds where it ran.
    diff = [d for d in comp.differences() if d.option == "flaky" and d.metric == "f1"]
    assert [d.test.n for d in diff] == [2]
    assert any("flaky" in s and "failed" in s for s in comp.verdict())


def test_fit_warnings_are_kept_per_option():
    X, y = _data(n=90)
    comp = compare(X, y, LogisticRegression(max_iter=1), methods=["none"], cv="2x1", metrics=["f1"],
                   check_leak=False)
    assert any(w.startswith("ConvergenceWarning") for w in comp.warnings["none"])


def test_baseline_must_be_an_option():
    X, y = _data(n=60)
    with pytest.raises(ValueError, match="baseline 'smote'"):
        compare(X, y, LogisticRegression(), methods=["none", "threshold"], baseline="smote", cv="2x1")
    from sklearn.neighbors import KNeighborsClassifier

    # A baseline that does not apply to this model is not among the options either.
    with pytest.raises(ValueError, match="baseline 'balanced'"):
        compare(X, y, KNeighborsClassifier(), methods=["none", "balanced"], baseline="balanced", cv="2x1")


@pytest.mark.parametrize(("y", "match"), [
    (np.zeros(20, dtype=int), "single class"),
    (np.r_[np.zeros(10), np.ones(9)], "X has 20 rows and y 19"),
    (np.zeros((20, 2)), "one column"),
    (np.r_[np.zeros(10), np.ones(9), np.nan], "NaN"),
])
def test_refused_targets(y, match):
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match=match):
        compare(X, y, LogisticRegression(), methods=["none"], cv="2x1")


def test_cost_is_checked_and_scored():
    X, y = _data(n=90)
    with pytest.raises(ValueError, match="cost must be"):
        compare(X, y, LogisticRegression(), methods=["none"], cv="2x1", cost=(1.0, -2.0))
    comp = compare(X, y, LogisticRegression(), methods=["none", "threshold"], cv="2x1", threshold_cv=2,
                   metrics=["f1"], cost=(1.0, 4.0), objective="cost", check_leak=False)
    assert comp.metrics == ["f1", "cost"] and comp.cost == (1.0, 4.0) and comp.objective == "cost"
    for s, (tr, te) in enumerate(comp.splits):
        pred = LogisticRegression().fit(X[tr], y[tr]).predict(X[te])
        fp, fn = np.sum((pred == 1) & (y[te] == 0)), np.sum((pred == 0) & (y[te] == 1))
        assert comp.fold_scores("none", "cost")[s] == pytest.approx((1.0 * fp + 4.0 * fn) / len(te))


# ---------------------------------------------------------------------------------------------
# the leak check


def test_leak_check_is_called_and_can_be_turned_off(monkeypatch):
    from smotekit.evaluation import _leak

    calls = []
    monkeypatch.setattr(_leak, "suspicions", lambda X, y, **kw: calls.append((X, y)) or [])
    X, y = _data(n=60)
    compare(X, y, LogisticRegression(), methods=["none"], cv="2x1", metrics=["f1"])
    assert len(calls) == 1 and calls[0][0] is X and calls[0][1] is y
    compare(X, y, LogisticRegression(), methods=["none"], cv="2x1", metrics=["f1"], check_leak=False)
    assert len(calls) == 1


def test_already_over_sampled_data_draw_a_warning():
    X, y = _data(n=100, weight=0.8, seed=8)
    minority = np.flatnonzero(y == 1)
    # Random over-sampling done before the split: copies of minority rows.
    extra = np.repeat(minority, 2)
    Xr, yr = np.vstack([X, X[extra]]), np.r_[y, y[extra]]
    with pytest.warns(ResampledDataWarning, match="already resampled") as record:
        compare(Xr, yr, LogisticRegression(), methods=["none"], cv="2x1", metrics=["f1"])
    # One warning, pointing at the caller's line.
    caught = [w for w in record if issubclass(w.category, ResampledDataWarning)]
    assert len(caught) == 1 and caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResampledDataWarning)
        compare(Xr, yr, LogisticRegression(), methods=["none"], cv="2x1", metrics=["f1"], check_leak=False)
        compare(X, y, LogisticRegression(), methods=["none"], cv="2x1", metrics=["f1"])


# ---------------------------------------------------------------------------------------------
# inputs, progress, several data sets


def test_pandas_input_and_string_labels():
    pd = pytest.importorskip("pandas")
    X, y = _data(n=90)
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    labels = np.where(y == 1, "rare", "common")
    comp = compare(frame, pd.Series(labels), LogisticRegression(), methods=["none", "SMOTE"], cv="2x1",
                   metrics=["f1"], check_leak=False)
    assert comp.classes == ["common", "rare"] and comp.positive_label == "rare"
    ref = compare(X, y, LogisticRegression(), methods=["none", "SMOTE"], cv="2x1", metrics=["f1"], check_leak=False)
    np.testing.assert_array_equal(comp.scores, ref.scores)


def test_progress_counts_every_fitted_fold():
    X, y = _data(n=60)
    calls = []
    compare(X, y, LogisticRegression(), methods=["none", "threshold", "SMOTE", "SMOTE+prior"], cv="2x1",
            threshold_cv=2, metrics=["f1"], check_leak=False, progress=lambda *a: calls.append(a))
    assert [c[0] for c in calls] == [1, 2, 3, 4]
    assert {c[1] for c in calls} == {4}
    assert sorted(c[2] for c in calls) == ["SMOTE", "SMOTE", "none", "none"]


@pytest.mark.parametrize(("cv", "folds", "repeats"), [("5x2", 5, 2), ("3", 3, 1), (4, 4, 1), (" 2 X 3 ", 2, 3)])
def test_make_cv(cv, folds, repeats):
    splitter = make_cv(cv, random_state=1)
    assert splitter.get_n_splits() == folds * repeats and splitter.n_repeats == repeats


@pytest.mark.parametrize("cv", ["1x2", "3x0", "five", True])
def test_make_cv_refuses(cv):
    with pytest.raises(ValueError, match="cv"):
        make_cv(cv)


def test_make_cv_keeps_a_splitter():
    splitter = StratifiedKFold(3)
    assert make_cv(splitter) is splitter


def test_compare_datasets_and_friedman():
    sets = {f"d{i}": _data(n=80, seed=i) for i in range(3)}
    calls = []
    multi = compare_datasets(sets, LogisticRegression(), methods=["none", "balanced", "SMOTE"], cv="2x1",
                             metrics=["roc_auc", "log_loss"], check_leak=False,
                             progress=lambda *a: calls.append(a))
    assert isinstance(multi, MultiComparison) and list(multi.results) == ["d0", "d1", "d2"]
    assert {c[0] for c in calls} == {"d0", "d1", "d2"}
    res = multi.friedman("log_loss")
    direct = friedman_test(multi.mean_scores("log_loss"), multi.options, higher_is_better=False)
    assert res.names == direct.names
    np.testing.assert_array_equal(res.ranks, direct.ranks)
    assert res.pvalue == direct.pvalue or (math.isnan(res.pvalue) and math.isnan(direct.pvalue))
    with pytest.raises(ValueError, match="datasets"):
        compare_datasets({}, LogisticRegression())


# ---------------------------------------------------------------------------------------------
# Comparison on hand-made fold scores


def hand_comparison(options, metrics, scores, *, kinds=None, baseline="none", objective="f1", errors=None):
    """A Comparison of 4 folds of 10 test rows among 40 (test/train = 1/3) with the given fold scores."""
    y = np.array([0, 0, 0, 1] * 10)
    splits = [(np.setdiff1d(np.arange(40), np.arange(10 * s, 10 * s + 10)), np.arange(10 * s, 10 * s + 10))
              for s in range(4)]
    comp = Comparison(options=list(options), metrics=list(metrics), classes=[0, 1], y=y, pos=1, baseline=baseline,
                      splits=splits, per_repeat=4, skipped={}, kinds=dict(kinds or {}), objective=objective,
                      scores=np.asarray(scores, dtype=float))
    comp.errors.update(errors or {})
    return comp


_BASE = np.array([0.30, 0.32, 0.28, 0.31])
_SHIFT = {"none": np.zeros(4), "down": -np.array([0.05, 0.052, 0.049, 0.050]),
          "up": np.array([0.04, 0.041, 0.042, 0.040]), "noise": np.array([0.02, -0.03, 0.01, -0.005])}


@pytest.fixture
def hand():
    options = list(_SHIFT)
    metrics = ["f1", "log_loss", "fit_time"]
    scores = np.empty((4, 4, 3))
    for i, o in enumerate(options):
        scores[i, :, 0] = 0.6 + _SHIFT[o]
        scores[i, :, 1] = _BASE + _SHIFT[o]
        scores[i, :, 2] = [1.0, 2.0, 3.0, 4.0][i] + np.arange(4) * 0.01
    return hand_comparison(options, metrics, scores)


def _expected_test(d, ratio=1 / 3, alpha=0.05):
    n = len(d)
    mean = d.mean()
    se = math.sqrt((1 / n + ratio) * d.var(ddof=1))
    t = mean / se
    p = 2 * stats.t.sf(abs(t), n - 1)
    half = stats.t.ppf(1 - alpha / 2, n - 1) * se
    return mean, t, p, mean - half, mean + half


def _holm_by_hand(p):
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def test_differences_by_hand(hand):
    diffs = hand.differences()
    assert [(d.option, d.metric) for d in diffs] == [(o, m) for m in hand.metrics for o in ("down", "up", "noise")]
    for key in hand.metrics:
        rows = [d for d in diffs if d.metric == key]
        expected = [_expected_test(hand.fold_scores(d.option, key) - hand.fold_scores("none", key)) for d in rows]
        holm = _holm_by_hand([e[2] for e in expected])
        for d, (mean, t, p, low, high), p_holm in zip(rows, expected, holm):
            assert d.test.n == 4
            assert d.test.mean == pytest.approx(mean, rel=1e-12)
            assert d.test.statistic == pytest.approx(t, rel=1e-9)
            assert d.test.pvalue == pytest.approx(p, rel=1e-9)
            assert (d.test.low, d.test.high) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
            assert d.pvalue_holm == pytest.approx(p_holm, rel=1e-9)
    reading = {(d.option, d.metric): d.better for d in diffs}
    # Same shifts, opposite directions: lower F1 is worse, lower log loss is better.
    assert reading[("down", "f1")] is False and reading[("down", "log_loss")] is True
    assert reading[("up", "f1")] is True and reading[("up", "log_loss")] is False
    assert reading[("noise", "f1")] is None and reading[("noise", "log_loss")] is None
    assert reading[("down", "fit_time")] is None or reading[("down", "fit_time")] is False


def test_holm_decides_not_the_raw_pvalue():
    # Three options with the same raw p-value just under 0.05: Holm multiplies the smallest by 3.
    d = np.array([0.015, 0.03, 0.02, 0.035])
    mean, t, p, _, _ = _expected_test(d)
    assert 0.05 / 3 < p < 0.05
    scores = np.stack([_BASE, _BASE + d, _BASE + d, _BASE + d])[:, :, None]
    comp = hand_comparison(["none", "a", "b", "c"], ["f1"], scores)
    for diff in comp.differences():
        assert diff.test.pvalue == pytest.approx(p)
        assert diff.pvalue_holm == pytest.approx(min(1.0, 3 * p)) and diff.better is None


def test_differences_against_another_baseline_and_metrics(hand):
    diffs = hand.differences("up", metrics=["log_loss"])
    assert {d.option for d in diffs} == {"none", "down", "noise"} and {d.metric for d in diffs} == {"log_loss"}
    d = next(d for d in diffs if d.option == "none")
    assert d.test.mean == pytest.approx(-_SHIFT["up"].mean()) and d.better is True
    with pytest.raises(ValueError, match="baseline 'nope'"):
        hand.differences("nope")


def test_differences_skip_nan_folds_and_options_without_two_folds(hand):
    hand.scores[hand.options.index("up"), 1:, :] = np.nan  # one fold left
    hand.scores[hand.options.index("noise"), 0, :] = np.nan  # three folds left
    diffs = {(d.option, d.metric): d for d in hand.differences()}
    assert ("up", "f1") not in diffs
    assert diffs[("noise", "f1")].test.n == 3


def test_best_respects_direction(hand):
    best = hand.best()
    assert best == {"f1": ["up"], "log_loss": ["down"], "fit_time": ["none"]}
    header, rows, cells = hand.table()
    assert header == ["option", "F1", "log loss", "fit time"]
    assert [r[0] for r in rows] == hand.options
    assert cells == {(2, 1), (1, 2), (0, 3)}
    assert rows[0][3].startswith("1.0") and "s ± 0.01" in rows[0][3]
    text = hand.text_table()
    assert text.count(" *") == 3


def test_best_keeps_ties_and_skips_nan(hand):
    hand.scores[hand.options.index("noise"), :, 0] = hand.scores[hand.options.index("up"), :, 0]
    hand.scores[:, :, 2] = np.nan
    best = hand.best()
    assert best["f1"] == ["up", "noise"] and best["fit_time"] == []
    _, rows, cells = hand.table()
    assert {(2, 1), (3, 1)} <= cells and all(r[3] == "n/a" for r in rows)


def test_to_frame_is_long_and_matches_the_scores(hand):
    frame = hand.to_frame()
    assert list(frame.columns) == ["option", "fold", "metric", "score"]
    assert frame.shape == (4 * 4 * 3, 4)
    row = frame[(frame.option == "noise") & (frame.fold == 2) & (frame.metric == "log_loss")]
    assert row.score.item() == hand.scores[3, 2, 1]


def test_multi_comparison_friedman_equals_friedman_test():
    rng = np.random.default_rng(0)
    results = {}
    for name in ("a", "b", "c", "d"):
        scores = rng.uniform(0.2, 0.9, size=(3, 4, 2))
        results[name] = hand_comparison(["none", "x", "y"], ["f1", "log_loss"], scores)
    # An option missing from one data set is left out of the common options.
    results["d"] = hand_comparison(["none", "x"], ["f1", "log_loss"], results["d"].scores[:2])
    multi = MultiComparison(results)
    assert multi.options == ["none", "x"]
    for key, higher in (("f1", True), ("log_loss", False)):
        table = np.array([[r.means()[r.options.index(o), r.metrics.index(key)] for o in ("none", "x")]
                          for r in results.values()])
        np.testing.assert_array_equal(multi.mean_scores(key), table)
        got, want = multi.friedman(key), friedman_test(table, ["none", "x"], higher_is_better=higher)
        np.testing.assert_array_equal(got.ranks, want.ranks)
        assert got.critical_difference == want.critical_difference
    three = MultiComparison({k: v for k, v in results.items() if k != "d"})
    got = three.friedman("log_loss")
    want = friedman_test(three.mean_scores("log_loss"), ["none", "x", "y"], higher_is_better=False)
    assert (got.statistic, got.pvalue) == (want.statistic, want.pvalue)
    np.testing.assert_array_equal(got.nemenyi_pvalues, want.nemenyi_pvalues)


def test_comparison_properties(hand):
    assert hand.n_folds == 4 and hand.test_train_ratio == pytest.approx(1 / 3)
    assert not hand.multiclass and hand.positive_label == 1


# ---------------------------------------------------------------------------------------------
# other models and containers


def test_multiclass_runs_with_prior_correction():
    X, y = make_classification(n_samples=150, n_features=5, n_informative=3, n_classes=3, weights=[0.6, 0.3, 0.1],
                               random_state=0)
    comp = compare(X, y, LogisticRegression(), methods=["none", "RandomUnderSampler", "RandomUnderSampler+prior"],
                   cv="3x1", metrics=["log_loss", "roc_auc", "f1"], check_leak=False)
    assert comp.multiclass and comp.errors == {} and np.isfinite(comp.scores).all()
    pipe = Pipeline([("sampler", RandomUnderSampler(random_state=0)), ("model", LogisticRegression())])
    tr, te = comp.splits[0]
    ref = PriorCorrectedClassifier(pipe).fit(X[tr], y[tr])
    np.testing.assert_allclose(comp.oof["RandomUnderSampler+prior"][te], ref.predict_proba(X[te]), rtol=1e-12)


def test_prior_on_a_model_without_probabilities_does_not_sink_its_base():
    from sklearn.svm import LinearSVC

    X, y = _data(n=90)
    comp = compare(X, y, LinearSVC(), methods=["none", "SMOTE", "SMOTE+prior"], cv="2x1", metrics=["f1"],
                   check_leak=False)
    assert "SMOTE" not in comp.errors
    assert np.isfinite(comp.fold_scores("SMOTE", "f1")).all()


def test_list_input():
    X, y = _data(n=90)
    comp = compare(X.tolist(), y.tolist(), LogisticRegression(), methods=["none", "SMOTE"], cv="2x1",
                   metrics=["f1"], check_leak=False)
    ref = compare(X, y, LogisticRegression(), methods=["none", "SMOTE"], cv="2x1", metrics=["f1"], check_leak=False)
    np.testing.assert_array_equal(comp.scores, ref.scores)


def test_sparse_input_matches_dense():
    from scipy import sparse

    X, y = _data(n=90)
    X[np.abs(X) < 0.5] = 0.0
    comp = compare(sparse.csr_matrix(X), y, LogisticRegression(), methods=["none", "RandomUnderSampler"],
                   cv="2x1", metrics=["f1", "log_loss"])
    ref = compare(X, y, LogisticRegression(), methods=["none", "RandomUnderSampler"], cv="2x1",
                  metrics=["f1", "log_loss"])
    np.testing.assert_allclose(comp.scores, ref.scores, rtol=1e-6)
