"""A tutorial written for imbalanced-learn runs after changing only its imports."""

import importlib
import inspect

import numpy as np
import pytest

import smotekit

imblearn = pytest.importorskip("imblearn")

TUTORIAL = '''
from collections import Counter
from numpy import mean
from sklearn.datasets import make_classification
from sklearn.model_selection import cross_val_score, RepeatedStratifiedKFold
from sklearn.tree import DecisionTreeClassifier
from imblearn.over_sampling import SMOTE
from imblearn.under_sampling import RandomUnderSampler
from imblearn.pipeline import Pipeline

X, y = make_classification(n_samples=10000, n_features=2, n_redundant=0,
    n_clusters_per_class=1, weights=[0.99], flip_y=0, random_state=1)
counter = Counter(y)
X_res, y_res = SMOTE(sampling_strategy=0.1, k_neighbors=3, random_state=0).fit_resample(X, y)
counts = Counter(y_res)
steps = [("over", SMOTE(sampling_strategy=0.1)), ("under", RandomUnderSampler(sampling_strategy=0.5)),
         ("model", DecisionTreeClassifier())]
pipeline = Pipeline(steps=steps)
cv = RepeatedStratifiedKFold(n_splits=10, n_repeats=1, random_state=1)
scores = cross_val_score(pipeline, X, y, scoring="roc_auc", cv=cv, n_jobs=1)
score = mean(scores)
'''


def _run(source):
    namespace = {}
    exec(compile(source, "<tutorial>", "exec"), namespace)
    return namespace


def test_tutorial_runs_with_only_imports_changed():
    theirs = _run(TUTORIAL)
    ours = _run(TUTORIAL.replace("from imblearn", "from smotekit"))
    assert ours["counts"] == theirs["counts"] == {0: 9900, 1: 990}
    assert abs(ours["score"] - theirs["score"]) < 0.05
    assert 0.6 < ours["score"] <= 1.0


@pytest.mark.parametrize("module, names", [
    ("over_sampling", ["SMOTE", "RandomOverSampler"]),
    ("under_sampling", ["RandomUnderSampler"]),
    ("pipeline", ["Pipeline", "make_pipeline"]),
    ("datasets", ["make_imbalance"]),
])
def test_same_names_and_parameters(module, names):
    ours = importlib.import_module(f"smotekit.{module}")
    theirs = importlib.import_module(f"imblearn.{module}")
    for name in names:
        sig_ours = inspect.signature(getattr(ours, name))
        sig_theirs = inspect.signature(getattr(theirs, name))
        assert list(sig_ours.parameters) == list(sig_theirs.parameters), name
        for p, param in sig_theirs.parameters.items():
            assert sig_ours.parameters[p].default == param.default, (name, p)
            assert sig_ours.parameters[p].kind == param.kind, (name, p)
        assert getattr(smotekit, name) is getattr(ours, name)


def test_public_names_sorted_and_complete():
    assert smotekit.__all__ == sorted(smotekit.__all__)
    for name in smotekit.__all__:
        assert hasattr(smotekit, name)
    for module in ("over_sampling", "under_sampling", "combine", "datasets", "pipeline", "neighbors", "metrics"):
        mod = importlib.import_module(f"smotekit.{module}")
        assert mod.__all__ == sorted(mod.__all__)


@pytest.mark.parametrize("strategy", ["auto", 0.3, {1: 500}])
def test_same_counts_as_imblearn(strategy):
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from imblearn.over_sampling import RandomOverSampler as ImbROS
    from imblearn.under_sampling import RandomUnderSampler as ImbRUS
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=3000, weights=[0.9], flip_y=0, random_state=0)
    for ours, theirs in [(smotekit.SMOTE, ImbSMOTE), (smotekit.RandomOverSampler, ImbROS)]:
        a = ours(sampling_strategy=strategy, random_state=0)
        b = theirs(sampling_strategy=strategy, random_state=0)
        assert np.bincount(a.fit_resample(X, y)[1]).tolist() == np.bincount(b.fit_resample(X, y)[1]).tolist()
        assert dict(a.sampling_strategy_) == {int(k): v for k, v in b.sampling_strategy_.items()}
    if strategy != {1: 500}:
        under = strategy if not isinstance(strategy, float) else 0.5
        a = smotekit.RandomUnderSampler(sampling_strategy=under, random_state=0)
        b = ImbRUS(sampling_strategy=under, random_state=0)
        assert np.bincount(a.fit_resample(X, y)[1]).tolist() == np.bincount(b.fit_resample(X, y)[1]).tolist()


def test_smote_samples_follow_the_same_distribution_as_imblearn():
    """Different random streams, same algorithm: the synthetic clouds agree in mean and spread."""
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=20000, n_features=5, weights=[0.95], flip_y=0, random_state=3)
    ours = smotekit.SMOTE(random_state=0).fit_resample(X, y)[0][len(X):]
    theirs = ImbSMOTE(random_state=0).fit_resample(X, y)[0][len(X):]
    np.testing.assert_allclose(ours.mean(axis=0), theirs.mean(axis=0), atol=0.05)
    np.testing.assert_allclose(ours.std(axis=0), theirs.std(axis=0), rtol=0.05)
