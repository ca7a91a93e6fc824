"""Messages that name the problem, the value seen and the fix (issue 13, unclear messages).

* A neighbours object asking more neighbours than the rows it is fitted on:
  the class (or "the data"), its size, the k asked and a smaller k.
* Datetime labels: one behaviour for every sampler.
* A float ``sampling_strategy`` that changes nothing: imbalanced-learn's
  accept/refuse decision, with the current ratio, the asked one and what to pass.
"""

from __future__ import annotations

import importlib
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from smotekit._labels import estimator_targets
from smotekit.combine import SMOTEENN
from smotekit.over_sampling import ADASYN, SMOTE, SMOTEN, SMOTENC, SVMSMOTE, BorderlineSMOTE, KMeansSMOTE
from smotekit.under_sampling import (
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
)
from smotekit.utils import all_samplers
from smotekit.utils import check_sampling_strategy as smotekit_check
from smotekit.utils.estimator_checks import construct_sampler


def _data(n0=100, n1=20, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n0 + n1, d))
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    return X, y


# --------------------------------------------------------------------------- neighbours objects

def NN(k):
    return NearestNeighbors(n_neighbors=k)


def KC(k):
    return KNeighborsClassifier(n_neighbors=k)


# (sampler, where the rows are, how many rows, the k asked, the largest k that fits)
_TOO_LARGE = [
    (SMOTE(k_neighbors=NN(50)), "class 1", 20, 50),
    (SMOTENC([0], k_neighbors=NN(50)), "class 1", 20, 50),
    (SMOTEN(k_neighbors=NN(50)), "class 1", 20, 50),
    (ADASYN(n_neighbors=NN(50)), "class 1", 20, 50),
    (BorderlineSMOTE(k_neighbors=NN(50)), "class 1", 20, 50),
    (BorderlineSMOTE(m_neighbors=NN(200)), "the data", 120, 200),
    (SVMSMOTE(k_neighbors=NN(50)), "class 1", 20, 50),
    (SVMSMOTE(m_neighbors=NN(200)), "the data", 120, 200),
    (KMeansSMOTE(k_neighbors=NN(50), cluster_balance_threshold=0.0), "class 1", 20, 50),
    (EditedNearestNeighbours(n_neighbors=NN(200)), "the data", 120, 200),
    (RepeatedEditedNearestNeighbours(n_neighbors=NN(200)), "the data", 120, 200),
    (NeighbourhoodCleaningRule(n_neighbors=NN(200)), "the data", 120, 200),
    (OneSidedSelection(n_neighbors=KC(50), random_state=0), "class 0", 21, 50),
    (CondensedNearestNeighbour(n_neighbors=KC(50), random_state=0), "class 0", 21, 50),
    (NearMiss(version=1, n_neighbors=NN(50)), "minority class 1", 20, 50),
    (NearMiss(version=3, n_neighbors_ver3=NN(200)), "class 0", 100, 200),
    (SMOTEENN(enn=EditedNearestNeighbours(n_neighbors=NN(300))), "the data", 200, 300),
]


@pytest.mark.parametrize("sampler, where, n_rows, k", _TOO_LARGE,
                         ids=[f"{type(s).__name__}-{i}" for i, (s, *_) in enumerate(_TOO_LARGE)])
def test_neighbours_object_larger_than_its_rows_is_named(sampler, where, n_rows, k):
    # imbalanced-learn refuses all of these too, in scikit-learn's words
    # ("Expected n_neighbors <= n_samples_fit"), naming neither class nor parameter.
    X, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError) as info:
            sampler.fit_resample(X, y)
    msg = str(info.value)
    assert "n_samples_fit" not in msg
    assert f"n_neighbors={k})" in msg  # the object, as given
    assert f"{where}" in msg and f"has only {n_rows} rows" in msg
    assert f"n_neighbors at most {n_rows}" in msg


def test_neighbours_object_that_fits_still_works():
    X, y = _data()
    X_res, y_res = SMOTE(k_neighbors=NN(20), random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [100, 100]


# --------------------------------------------------------------------------- datetime labels

SAMPLERS = all_samplers()
_DAYS = np.r_[np.full(90, np.datetime64("2020-01-01")),
              np.full(30, np.datetime64("2021-06-01"))].astype("datetime64[ns]")
# imbalanced-learn 0.14.2 takes naive datetimes in most samplers and refuses
# time-zone-aware ones in all ("Unknown label type: unknown", from
# scikit-learn's type_of_target); smotekit takes every orderable label type in
# every sampler, since labels take no part in the algorithms.
_DATETIME_TARGETS = {
    "numpy-datetime64": lambda: _DAYS.copy(),
    "pandas-datetime": lambda: pd.Series(_DAYS, name="day"),
    "pandas-datetime-tz": lambda: pd.Series(pd.to_datetime(_DAYS).tz_localize("Europe/Paris"),
                                            name="day"),
    "pandas-period": lambda: pd.Series(pd.PeriodIndex(_DAYS, freq="M"), name="month"),
}


def _inputs_for(name, n=120, d=3, seed=0):
    X = np.random.default_rng(seed).normal(size=(n, d))
    if name == "SMOTEN":
        return (X > 0).astype(np.int64)
    if name == "SMOTENC":  # column 0 categorical (construct_sampler's categorical_features)
        X[:, 0] = np.arange(n) % 3
    return X


@pytest.mark.parametrize("kind", list(_DATETIME_TARGETS))
@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[n for n, _ in SAMPLERS])
def test_datetime_labels_work_in_every_sampler(name, cls, kind):
    y = _DATETIME_TARGETS[kind]()
    sampler = construct_sampler(cls)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_res, y_res = sampler.fit_resample(_inputs_for(name), y)
    assert type(y_res) is type(y) and y_res.dtype == y.dtype
    assert set(np.asarray(y_res).tolist()) <= set(np.asarray(y).tolist())
    assert X_res.shape[0] == len(y_res)


def test_inner_classifier_predicts_the_labels_when_scikit_learn_takes_them():
    # As in imbalanced-learn: the fitted SVM of SVMSMOTE predicts the user's labels.
    y = _DATETIME_TARGETS["numpy-datetime64"]()
    sampler = SVMSMOTE(random_state=0)
    sampler.fit_resample(_inputs_for("SVMSMOTE"), y)
    assert set(sampler.svm_estimator_.classes_.tolist()) == set(np.unique(y).tolist())


def test_inner_classifier_gets_class_positions_for_other_labels():
    y = _DATETIME_TARGETS["pandas-datetime-tz"]()
    sampler = OneSidedSelection(random_state=0)
    sampler.fit_resample(_inputs_for("OneSidedSelection"), y)
    assert sampler.estimators_[0].classes_.tolist() == [0, 1]


def test_estimator_targets():
    codes = np.array([1, 0, 1])
    assert estimator_targets(["a", "b"], codes).tolist() == ["b", "a", "b"]
    stamps = list(pd.to_datetime(["2020-01-01", "2021-01-01"]).tz_localize("UTC"))
    np.testing.assert_array_equal(estimator_targets(stamps, codes), codes)


# --------------------------------------------------------------------------- float sampling_strategy

def _counts_y(n_min, n_maj):
    return np.r_[np.zeros(n_maj, int), np.ones(n_min, int)]


def _ratios(n_min, n_maj):
    now = n_min / n_maj
    return [now, np.nextafter(now, 0), np.nextafter(now, 1), now * 0.99,
            (n_min + 0.5) / n_maj, (n_min + 1) / n_maj, n_min / (n_maj + 1)]


_COUNTS = [(20, 100), (10000, 30000), (7, 9), (1, 3), (333, 1000), (20, 20)]


def _decision(check, *args):
    try:
        return dict(check(*args))
    except ValueError as err:
        return str(err)


@pytest.mark.parametrize("kind", ["over-sampling", "under-sampling"])
@pytest.mark.parametrize("n_min, n_maj", _COUNTS)
def test_float_strategy_accepts_and_refuses_as_imblearn(kind, n_min, n_maj):
    from imblearn.utils import check_sampling_strategy as imb_check

    y = _counts_y(n_min, n_maj)
    for ratio in _ratios(n_min, n_maj):
        if not 0 < ratio <= 1:
            continue
        theirs = _decision(imb_check, ratio, y, kind)
        ours = _decision(smotekit_check, ratio, y, kind)
        assert isinstance(ours, str) == isinstance(theirs, str), (ratio, ours, theirs)
        if isinstance(ours, dict):
            assert ours == theirs


@pytest.mark.parametrize("kind", ["over-sampling", "under-sampling"])
@pytest.mark.parametrize("n_min, n_maj", _COUNTS[:-1])
def test_float_strategy_refusal_names_both_ratios_and_a_ratio_that_works(kind, n_min, n_maj):
    from imblearn.utils import check_sampling_strategy as imb_check

    y = _counts_y(n_min, n_maj)
    asked = n_min / n_maj if kind == "over-sampling" else n_min / (n_maj + 2)
    with pytest.raises(ValueError) as info:
        smotekit_check(asked, y, kind)
    msg = str(info.value)
    assert f"sampling_strategy={asked}" in msg
    assert f"{n_min}/{n_maj} = {n_min / n_maj:.6g}" in msg
    suggested = float(re.search(r"Pass at least ([0-9.e-]+)", msg).group(1))
    # The suggestion works, for imbalanced-learn too, and is close to the current ratio.
    plan = dict(smotekit_check(suggested, y, kind))
    assert plan == dict(imb_check(suggested, y, kind))
    if kind == "over-sampling":
        assert plan[1] > 0
    assert abs(suggested - n_min / n_maj) <= max(1.01 / n_maj, 1e-3 * n_min / n_maj)


def test_float_strategy_on_balanced_classes_says_no_float_adds():
    with pytest.raises(ValueError, match=r"would add no sample.*20/20 = 1.*already balanced.*dict"):
        SMOTE(sampling_strategy=1.0).fit_resample(*_data(20, 20))


@pytest.mark.parametrize("ratio, words", [(0.2, "would add no sample"), (0.205, "would add no sample"),
                                          (0.1, "below the ratio already in y")])
def test_float_strategy_that_adds_nothing_says_so(ratio, words):
    with pytest.raises(ValueError) as info:
        SMOTE(sampling_strategy=ratio).fit_resample(*_data())
    msg = str(info.value)
    assert words in msg and "20/100 = 0.2" in msg and "Pass at least 0.21 to add samples" in msg


# --------------------------------------------------------------------------- numpy integer arrays

_INT_SAMPLERS = ["SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE", "SMOTEN",
                 "SMOTENC", "SMOTEENN", "SMOTETomek", "ClusterCentroids", "RandomOverSampler",
                 "RandomUnderSampler"]


_IMB_MODULE = {"SMOTEENN": "combine", "SMOTETomek": "combine",
               "ClusterCentroids": "under_sampling", "RandomUnderSampler": "under_sampling"}


def _int_sampler(module, name):
    from sklearn.cluster import KMeans

    params = {"SMOTENC": {"categorical_features": [0]},
              "KMeansSMOTE": {"kmeans_estimator": KMeans(n_clusters=2, n_init=1, random_state=0),
                              "cluster_balance_threshold": 0.0},
              "RandomOverSampler": {"shrinkage": 1.0}}.get(name, {})
    sampler = getattr(module, name)(**params)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    return sampler


def _int_X(name, dtype, n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = np.rint(rng.normal(size=(n, 3)) * 10)
    if np.dtype(dtype).kind == "u":
        X = np.abs(X)
    if name in ("SMOTEN", "SMOTENC"):
        X[:, 0] = np.arange(n) % 3
    return X.astype(dtype)


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "uint8"])
@pytest.mark.parametrize("name", _INT_SAMPLERS)
def test_numpy_integer_arrays_come_back_in_imblearns_dtype(name, dtype):
    # imbalanced-learn 0.14.2: the SMOTE family returns the integer dtype;
    # RandomOverSampler(shrinkage=...) and ClusterCentroids return float64
    # (smoothed copies and centroids are not made from pairs of rows).
    import smotekit

    X, y = _int_X(name, dtype), _data()[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, _ = _int_sampler(smotekit, name).fit_resample(X, y)
        module = importlib.import_module("imblearn." + _IMB_MODULE.get(name, "over_sampling"))
        theirs, _ = _int_sampler(module, name).fit_resample(X, y)
    assert ours.dtype == theirs.dtype


@pytest.mark.parametrize("name", ["SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "SMOTENC"])
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int64"])
def test_numpy_integer_values_are_the_float_values_rounded_and_clipped(name, dtype):
    # Rounded to the nearest integer (not truncated toward zero as imbalanced-learn's
    # astype does, which biases every value toward 0), within the dtype's range
    # (imbalanced-learn wraps: 127.6 in int8 becomes -128; its uint8 differences wrap too)
    # and, on a segment, between its two parents: the rule of pandas and polars columns.
    import smotekit

    info = np.iinfo(dtype)
    X = _int_X(name, "int64")
    X[:, 1] = np.clip(X[:, 1] * 12 + (info.max if dtype != "int64" else 0), info.min, info.max)
    X = X.astype(dtype)
    y = _data()[1]
    as_int = _int_sampler(smotekit, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_int, _ = as_int.fit_resample(X, y)
        X_float, _ = _int_sampler(smotekit, name).fit_resample(X.astype(np.float64), y)
    assert X_int.dtype == X.dtype
    np.testing.assert_array_equal(X_int[: len(X)], X)
    new = as_int.provenance_.is_synthetic
    expected = np.clip(np.rint(X_float[new]), float(info.min), float(info.max))
    prov = as_int.provenance_
    on_segment = (prov.partner[new] >= 0) & (prov.gap[new] >= 0) & (prov.gap[new] <= 1)
    a = X[prov.source[new]].astype(np.float64)
    b = X[np.where(on_segment, prov.partner[new], prov.source[new])].astype(np.float64)
    expected = np.where(on_segment[:, None], np.clip(expected, np.minimum(a, b), np.maximum(a, b)),
                        expected)
    if name == "SMOTENC":  # column 0 is nominal: the neighbours' most frequent category
        expected[:, 0] = X_float[new][:, 0]
    if dtype == "int64":  # float64 holds these small values exactly
        np.testing.assert_array_equal(X_int[new], expected.astype(np.int64))
    else:
        np.testing.assert_array_equal(X_int[new], expected.astype(dtype))
