"""Pipeline: resample while fitting only, never while predicting or scoring."""

import inspect

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from smotekit import SMOTE, RandomUnderSampler
from smotekit.pipeline import Pipeline, make_pipeline


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Remembers how many rows it was fitted and asked to predict on."""

    def fit(self, X, y):
        self.n_fit_ = len(X)
        self.classes_ = np.unique(y)
        self.fit_counts_ = np.bincount(np.searchsorted(self.classes_, y))
        return self

    def predict(self, X):
        self.n_predict_ = len(X)
        return np.full(len(X), self.classes_[0])

    def predict_proba(self, X):
        self.n_predict_ = len(X)
        return np.tile([1.0, 0.0], (len(X), 1))


def _data():
    return make_classification(n_samples=1000, n_features=4, weights=[0.95], flip_y=0, random_state=0)


def test_samplers_act_in_fit_only():
    X, y = _data()
    pipe = Pipeline([("scale", StandardScaler()), ("over", SMOTE(random_state=0)), ("model", RecordingClassifier())])
    pipe.fit(X, y)
    model = pipe.named_steps["model"]
    assert model.n_fit_ == 2 * np.bincount(y).max()
    assert model.fit_counts_.tolist() == [np.bincount(y).max()] * 2
    for method in ("predict", "predict_proba", "score"):
        args = (X, y) if method == "score" else (X,)
        getattr(pipe, method)(*args)
        assert model.n_predict_ == len(X)


def test_tutorial_pipeline_cross_validates():
    X, y = _data()
    pipe = Pipeline([("over", SMOTE(sampling_strategy=0.1, random_state=0)),
                     ("under", RandomUnderSampler(sampling_strategy=0.5, random_state=0)),
                     ("model", DecisionTreeClassifier(random_state=0))])
    scores = cross_val_score(pipe, X, y, scoring="roc_auc", cv=StratifiedKFold(5))
    assert scores.shape == (5,) and np.all((0 <= scores) & (scores <= 1))
    res = cross_validate(pipe, X, y, scoring=["roc_auc", "f1"], cv=3, return_estimator=True)
    assert len(res["estimator"]) == 3


def test_grid_search_over_sampler_params():
    X, y = _data()
    pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression())
    assert [n for n, _ in pipe.steps] == ["smote", "logisticregression"]
    grid = GridSearchCV(pipe, {"smote__k_neighbors": [3, 5], "smote__sampling_strategy": [0.5, 1.0]},
                        cv=3, scoring="roc_auc").fit(X, y)
    assert set(grid.best_params_) == {"smote__k_neighbors", "smote__sampling_strategy"}
    pipe.set_params(smote__k_neighbors=2)
    assert pipe.get_params()["smote__k_neighbors"] == 2
    assert clone(pipe).get_params()["smote__k_neighbors"] == 2


def test_transform_and_fit_transform_skip_or_apply_samplers():
    X, y = _data()
    pipe = Pipeline([("over", SMOTE(random_state=0)), ("pca", PCA(2))])
    Xt = pipe.fit_transform(X, y)
    assert Xt.shape == (2 * np.bincount(y).max(), 2)  # resampled while fitting
    assert pipe.transform(X).shape == (len(X), 2)  # not while transforming
    assert pipe.inverse_transform(pipe.transform(X)).shape == X.shape


def test_last_step_sampler_gives_fit_resample():
    X, y = _data()
    pipe = Pipeline([("scale", StandardScaler()), ("over", SMOTE(random_state=0))])
    X_res, y_res = pipe.fit_resample(X, y)
    assert len(X_res) == len(y_res) == 2 * np.bincount(y).max()
    assert not hasattr(pipe, "predict")


def test_fit_params_are_routed():
    X, y = _data()
    pipe = Pipeline([("over", SMOTE(random_state=0)), ("model", LogisticRegression())])
    w = np.ones(2 * np.bincount(y).max())
    pipe.fit(X, y, model__sample_weight=w)
    with pytest.raises(ValueError, match="Pipeline.fit does not accept the sample_weight parameter"):
        pipe.fit(X, y, sample_weight=w)


def test_passthrough_steps_and_memory(tmp_path):
    X, y = _data()
    pipe = Pipeline([("noop", "passthrough"), ("over", SMOTE(random_state=0)), ("model", DecisionTreeClassifier())],
                    memory=str(tmp_path))
    pipe.fit(X, y)
    assert pipe.predict(X).shape == y.shape
    assert pipe.named_steps["over"].provenance_.n_added > 0


def test_invalid_steps_are_explained():
    X, y = _data()
    with pytest.raises(TypeError, match="neither a transformer"):
        Pipeline([("bad", LogisticRegression()), ("model", LogisticRegression())]).fit(X, y)
    with pytest.raises(ValueError, match="unique"):
        Pipeline([("a", SMOTE()), ("a", LogisticRegression())]).fit(X, y)


def test_every_public_sklearn_pipeline_method_is_accounted_for():
    """Pins our reliance on scikit-learn's Pipeline: any public method that
    applies steps must be overridden here, the rest is inherited on purpose."""
    overridden = {"fit", "fit_transform", "fit_predict", "predict", "predict_proba", "predict_log_proba",
                  "decision_function", "score_samples", "score", "transform", "inverse_transform",
                  "get_metadata_routing"}
    inherited_on_purpose = {"get_params", "set_params", "set_output",
                            "get_feature_names_out", "set_score_request", "set_fit_request",
                            "set_predict_request", "set_predict_proba_request", "set_transform_request",
                            "set_inverse_transform_request", "set_partial_fit_request", "set_callbacks",
                            "set_decision_function_request", "set_predict_log_proba_request",
                            "set_score_samples_request", "set_split_request"}
    public = {n for n, _ in inspect.getmembers(SkPipeline)
              if not n.startswith("_") and callable(getattr(SkPipeline, n))}
    unknown = public - overridden - inherited_on_purpose
    assert not unknown, f"scikit-learn's Pipeline grew methods to review: {sorted(unknown)}"
    for name in overridden:
        assert name in vars(Pipeline), name


def test_our_samplers_in_imblearn_pipeline():
    imb_pipeline = pytest.importorskip("imblearn.pipeline")
    X, y = _data()
    pipe = imb_pipeline.Pipeline([("over", SMOTE(sampling_strategy=0.5, random_state=0)),
                                  ("under", RandomUnderSampler(sampling_strategy=0.9)),
                                  ("model", DecisionTreeClassifier(random_state=0))])
    assert cross_val_score(pipe, X, y, cv=3, scoring="roc_auc").shape == (3,)


class _WeightedDrop(BaseEstimator):
    """A sampler that asks for metadata: drops the rows whose weight is zero."""

    def fit_resample(self, X, y, sample_weight=None):
        self.seen_weight_ = sample_weight
        keep = np.asarray(sample_weight) > 0
        return X[keep], y[keep]


def test_metadata_routing_reaches_samplers_and_is_not_resampled():
    from sklearn import config_context

    X, y = _data()
    w = np.ones(len(y))
    w[:100] = 0
    with config_context(enable_metadata_routing=True):
        sampler = _WeightedDrop().set_fit_resample_request(sample_weight=True)
        model = RecordingClassifier()
        pipe = Pipeline([("drop", sampler), ("model", model)])
        pipe.fit(X, y, sample_weight=w)
        assert pipe.named_steps["drop"].seen_weight_ is w
        assert pipe.named_steps["model"].n_fit_ == len(y) - 100
        assert pipe.predict(X).shape == y.shape


def test_transform_input_needs_routing_and_transforms_validation_data():
    from sklearn import config_context

    class Fit(ClassifierMixin, BaseEstimator):
        def fit(self, X, y, X_val=None):
            self.X_val_ = X_val
            self.classes_ = np.unique(y)
            return self

    X, y = _data()
    X_val = X[:10]
    pipe = Pipeline([("scale", StandardScaler()), ("over", SMOTE(random_state=0)), ("model", Fit())],
                    transform_input=["X_val"])
    with pytest.raises(ValueError, match="metadata routing"):
        pipe.fit(X, y, X_val=X_val)
    with config_context(enable_metadata_routing=True):
        pipe.set_params(model=Fit().set_fit_request(X_val=True))
        pipe.fit(X, y, X_val=X_val)
        # Transformed by the scaler, never resampled by SMOTE.
        np.testing.assert_allclose(pipe.named_steps["model"].X_val_, pipe.named_steps["scale"].transform(X_val))


def test_last_step_passthrough_resamples():
    X, y = _data()
    X_res, y_res = make_pipeline(RandomUnderSampler(random_state=0), None).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [np.bincount(y).min()] * 2


@pytest.mark.parametrize("step", [Pipeline([("under", RandomUnderSampler())]), "both"])
def test_ambiguous_intermediate_steps_are_refused(step):
    class Both(StandardScaler):
        def fit_resample(self, X, y):
            return X, y

    X, y = _data()
    step = Both() if step == "both" else step
    with pytest.raises(TypeError, match="intermediate steps"):
        Pipeline([("step", step), ("model", LogisticRegression())]).fit(X, y)


def test_verbose_reports_every_step(capsys):
    X, y = _data()
    Pipeline([("noop", "passthrough"), ("under", RandomUnderSampler(random_state=0)),
              ("model", LogisticRegression())], verbose=True).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(") ")[1].split(",")[0] for line in lines] == [
        "Processing noop", "Processing under", "Processing model"]
    assert all(line.startswith("[Pipeline] ") and "(step" in line and "total=" in line for line in lines)


def test_unfitted_pipeline_says_so():
    from sklearn.exceptions import NotFittedError

    X, y = _data()
    with pytest.raises(NotFittedError, match="Pipeline is not fitted"):
        Pipeline([("under", RandomUnderSampler()), ("model", LogisticRegression())]).predict(X)
