"""BorderlineSMOTE and SVMSMOTE: cases derived by hand, properties, and imbalanced-learn."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

import smotekit.over_sampling._borderline as borderline
from smotekit._random import stream
from smotekit.over_sampling._borderline import SVMSMOTE, BorderlineSMOTE
from smotekit.utils.estimator_checks import sampler_checks

imblearn = pytest.importorskip("imblearn.over_sampling")

# --------------------------------------------------------------------------- a line drawn by hand
# Majority (0) at x = 0, 1, 2, 3 and 20, 21, 22, 23; minority (1) at
#   p = 3.5  3 nearest among all: 3 (0.5), q (1.0), 2 (1.5) -> 2 of 3 other: in danger
#   q = 4.5  3.5, 5.5 (1.0), 3 (1.5)                        -> 1 of 3: safe
#   r, s, t = 5.5, 6.5, 7.5: only minority within reach      -> safe
#   u = 18.5 20 (1.5), 21 (2.5), 22 (3.5)                   -> 3 of 3: noise
# With m_neighbors=3 the danger set of Borderline-SMOTE is {p} alone.
LINE_X = np.array([0, 1, 2, 3, 20, 21, 22, 23, 3.5, 4.5, 5.5, 6.5, 7.5, 18.5], dtype=float)
LINE = np.column_stack([LINE_X, np.zeros_like(LINE_X)])
LINE_Y = np.array([0] * 8 + [1] * 6)
P, Q, R, U = 8, 9, 10, 13
MAJ_3 = 3  # the majority row at x = 3


def _synthetic(sampler):
    prov = sampler.provenance_
    syn = prov.is_synthetic
    return prov.source[syn], prov.partner[syn], prov.gap[syn]


def _check_positions(sampler, X, X_res):
    """Every synthetic row is X[source] + gap * (X[partner] - X[source])."""
    src, part, gap = _synthetic(sampler)
    expect = X[src] + gap[:, None] * (X[part] - X[src])
    np.testing.assert_allclose(np.asarray(X_res)[len(X):], expect, rtol=1e-12, atol=1e-12)
    return src, part, gap


def test_borderline1_danger_set_and_segments_on_paper():
    s = BorderlineSMOTE(k_neighbors=2, m_neighbors=3, random_state=0)
    X_res, y_res = s.fit_resample(LINE, LINE_Y)
    assert list(s.danger_indices_) == [1] and s.danger_indices_[1].tolist() == [P]
    assert s.in_danger_indices[1].tolist() == [P]
    assert np.bincount(y_res).tolist() == [8, 8]
    src, part, gap = _check_positions(s, LINE, X_res)
    # p's two nearest minority rows are q (1.0) and r (2.0).
    assert set(src.tolist()) == {P} and set(part.tolist()) <= {Q, R}
    assert np.all((gap >= 0) & (gap < 1))


def test_borderline2_partner_of_another_class_gets_half_step():
    s = BorderlineSMOTE(k_neighbors=2, m_neighbors=3, kind="borderline-2", random_state=1,
                        sampling_strategy={1: 400})
    X_res, _ = s.fit_resample(LINE, LINE_Y)
    src, part, gap = _check_positions(s, LINE, X_res)
    # p's two nearest rows among all are the majority row at 3 (0.5) and q (1.0).
    assert set(src.tolist()) == {P} and set(part.tolist()) == {MAJ_3, Q}
    to_other = part == MAJ_3
    assert np.all(gap[to_other] < 0.5) and np.all(gap >= 0) and np.all(gap < 1)
    # The other-class gap is the product of U[0, 1) and U[0, 0.5): mean 1/8, not 1/4.
    assert abs(gap[to_other].mean() - 0.125) < 0.04
    assert gap[~to_other].max() > 0.5


def test_tie_at_half_is_danger():
    # m_neighbors=2: p has 3 (0.5) and q (1.0), exactly half of another class -> in danger
    # (imbalanced-learn's m/2 <= m'); q has p and r -> safe; u has 20 and 21 -> noise.
    s = BorderlineSMOTE(k_neighbors=1, m_neighbors=2, random_state=0)
    s.fit_resample(LINE, LINE_Y)
    assert s.danger_indices_[1].tolist() == [P]


def test_no_sample_in_danger_warns_and_seeds_from_the_whole_class():
    X = np.concatenate([LINE[:8], LINE[9:13]])  # drop p and u: the minority is far from the majority
    y = np.array([0] * 8 + [1] * 4)
    s = BorderlineSMOTE(k_neighbors=2, m_neighbors=3, random_state=0)
    with pytest.warns(UserWarning, match="no sample of class 1 is in danger"):
        _, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [8, 8]
    assert s.danger_indices_[1].size == 0 and s.in_danger_indices == {}


def test_errors_name_the_parameter():
    with pytest.raises(ValueError, match="kind"):
        BorderlineSMOTE(kind="borderline-3").fit_resample(LINE, LINE_Y)
    with pytest.raises(ValueError, match="k_neighbors=6"):
        BorderlineSMOTE(k_neighbors=6, m_neighbors=3).fit_resample(LINE, LINE_Y)
    with pytest.raises(ValueError, match="m_neighbors=20"):
        BorderlineSMOTE(m_neighbors=20).fit_resample(LINE, LINE_Y)
    with pytest.raises(ValueError, match="out_step"):
        SVMSMOTE(out_step=-1).fit_resample(LINE, LINE_Y)
    with pytest.raises(TypeError, match="svm_estimator"):
        SVMSMOTE(svm_estimator="svc").fit_resample(LINE, LINE_Y)


class FixedSupport(ClassifierMixin, BaseEstimator):
    """An 'SVM' whose support vectors are given: makes SVM-SMOTE's seeding checkable by hand."""

    def __init__(self, support=()):
        self.support = support

    def fit(self, X, y):
        self.support_ = np.asarray(self.support, dtype=np.int64)
        self.classes_ = np.unique(y)
        return self


def test_svmsmote_seeding_on_paper():
    s = SVMSMOTE(k_neighbors=2, m_neighbors=3, random_state=0, sampling_strategy={1: 200},
                 svm_estimator=FixedSupport([MAJ_3, 4, P, Q, U]))
    X_res, y_res = s.fit_resample(LINE, LINE_Y)
    assert s.support_.tolist() == [MAJ_3, 4, P, Q, U]
    assert s.danger_indices_[1].tolist() == [P]
    assert s.safe_indices_[1].tolist() == [Q]
    assert s.noise_indices_[1].tolist() == [U]
    assert np.bincount(y_res).tolist() == [8, 200]
    src, part, gap = _check_positions(s, LINE, X_res)
    inside = src == P  # interpolated from p toward q or r
    assert set(part[inside].tolist()) <= {Q, R} and np.all((gap[inside] >= 0) & (gap[inside] < 1))
    # q's two nearest minority rows are p and r (both at 1.0); extrapolated away from them.
    assert set(src[~inside].tolist()) == {Q} and set(part[~inside].tolist()) <= {P, R}
    assert np.all((gap[~inside] <= 0) & (gap[~inside] > -0.5))
    # The interpolated share is int(f * (n + 1)), f ~ Beta(10, 10) drawn first from class 1's stream.
    f = stream(np.random.SeedSequence(0), 1).beta(10, 10)
    assert inside.sum() == int(f * (194 + 1))


def test_svmsmote_one_empty_group_takes_every_sample():
    s = SVMSMOTE(k_neighbors=2, m_neighbors=3, random_state=0,
                 svm_estimator=FixedSupport([MAJ_3, Q, R]))
    _, y_res = s.fit_resample(LINE, LINE_Y)
    assert np.bincount(y_res).tolist() == [8, 8]
    assert s.danger_indices_[1].size == 0 and np.all(s.provenance_.gap[len(LINE):] <= 0)


def test_svmsmote_all_noise_raises():
    with pytest.raises(ValueError, match="none usable"):
        SVMSMOTE(k_neighbors=2, m_neighbors=3, svm_estimator=FixedSupport([MAJ_3, U])).fit_resample(LINE, LINE_Y)


def test_estimator_without_support_raises():
    class NoSupport(FixedSupport):
        def fit(self, X, y):
            return self

    with pytest.raises(RuntimeError, match="support_"):
        SVMSMOTE(svm_estimator=NoSupport()).fit_resample(LINE, LINE_Y)


# --------------------------------------------------------------------------- contract

@pytest.mark.parametrize("sampler", [BorderlineSMOTE(), BorderlineSMOTE(kind="borderline-2"), SVMSMOTE()],
                         ids=["borderline-1", "borderline-2", "svm"])
def test_sampler_contract(sampler):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the check data have no sample in danger
        for check in sampler_checks(sampler):
            check(sampler)


# --------------------------------------------------------------------------- properties

@st.composite
def datasets(draw):
    seed = draw(st.integers(0, 2**16))
    n_classes = draw(st.sampled_from([2, 3]))
    rng = np.random.default_rng(seed)
    sizes = [60, 25, 18][:n_classes]
    X = np.concatenate([rng.normal(1.2 * c, 1.0, size=(m, 3)) for c, m in enumerate(sizes)])
    y = np.repeat(np.arange(n_classes), sizes)
    return X.round(1), y, seed  # rounding makes duplicated rows likely


def _props(sampler, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        X_res, y_res = sampler.fit_resample(X, y)
    for c in sampler.sampling_plan_:
        assert np.count_nonzero(y_res == c.label) == c.n_target
    src, part, gap = _check_positions(sampler, X, X_res)
    assert np.array_equal(y_res[len(X):], y[src])
    return X_res, src, part, gap


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=datasets(), kind=st.sampled_from(["borderline-1", "borderline-2"]))
def test_borderline_properties(data, kind):
    X, y, seed = data
    s = BorderlineSMOTE(kind=kind, random_state=seed)
    X_res, src, part, gap = _props(s, X, y)
    assert np.all((gap >= 0) & (gap < 1))
    other = y[part] != y[src]
    assert kind == "borderline-2" or not other.any()
    assert np.all(gap[other] < 0.5)
    seeds_allowed = np.concatenate([v if v.size else np.flatnonzero(y == c)
                                    for c, v in s.danger_indices_.items()])
    assert np.isin(src, seeds_allowed).all()
    again = BorderlineSMOTE(kind=kind, random_state=seed).fit_resample(X, y)[0]
    assert np.array_equal(again, X_res)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=datasets(), out_step=st.sampled_from([0.2, 0.5, 1.0]))
def test_svmsmote_properties(data, out_step):
    X, y, seed = data
    s = SVMSMOTE(out_step=out_step, random_state=seed)
    try:
        X_res, src, part, gap = _props(s, X, y)
    except ValueError as exc:
        assert "none usable" in str(exc)
        return
    assert np.array_equal(y[part], y[src])
    inside = np.isin(src, np.concatenate(list(s.danger_indices_.values())))
    outside = np.isin(src, np.concatenate(list(s.safe_indices_.values())))
    assert np.all(inside | outside)
    assert np.all((gap[inside] >= 0) & (gap[inside] < 1))
    assert np.all((gap[outside] <= 0) & (gap[outside] > -out_step))
    assert np.array_equal(SVMSMOTE(out_step=out_step, random_state=seed).fit_resample(X, y)[0], X_res)


# --------------------------------------------------------------------------- imbalanced-learn 0.14.2

def _data(n, n_classes=2, seed=0, n_features=4):
    weights = [0.9] if n_classes == 2 else [0.8, 0.12]
    return make_classification(n_samples=n, n_features=n_features, n_informative=n_features,
                               n_redundant=0, n_classes=n_classes, n_clusters_per_class=1,
                               weights=weights, class_sep=0.7, flip_y=0.02, random_state=seed)


def test_signatures_match_imblearn():
    import inspect

    for ours, theirs in ((BorderlineSMOTE, imblearn.BorderlineSMOTE), (SVMSMOTE, imblearn.SVMSMOTE)):
        assert inspect.signature(ours) == inspect.signature(theirs)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
@pytest.mark.parametrize("m", [10, NearestNeighbors(n_neighbors=7)], ids=["m=10", "m=object"])
def test_borderline_same_danger_sets_and_counts_as_imblearn(n_classes, kind, m):
    X, y = _data(3000, n_classes)
    ours = BorderlineSMOTE(kind=kind, m_neighbors=m, random_state=0)
    theirs = imblearn.BorderlineSMOTE(kind=kind, m_neighbors=m, random_state=0)
    _, y_ours = ours.fit_resample(X, y)
    _, y_theirs = theirs.fit_resample(X, y)
    assert theirs.in_danger_indices.keys() == ours.in_danger_indices.keys()
    for c, rows in theirs.in_danger_indices.items():
        assert rows.dtype == ours.in_danger_indices[c].dtype
        assert np.array_equal(rows, ours.in_danger_indices[c])
        assert np.array_equal(rows, ours.danger_indices_[c])
    assert np.array_equal(np.bincount(y_ours), np.bincount(y_theirs))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_svmsmote_same_support_and_counts_as_imblearn(n_classes):
    X, y = _data(5000, n_classes)
    ours = SVMSMOTE(random_state=0)
    theirs = imblearn.SVMSMOTE(random_state=0)
    _, y_ours = ours.fit_resample(X, y)
    _, y_theirs = theirs.fit_resample(X, y)
    assert ours.svm_fit_rows_ is None
    assert np.array_equal(ours.support_, theirs.svm_estimator_.support_)
    assert np.array_equal(ours.svm_estimator_.support_, theirs.svm_estimator_.support_)
    assert np.array_equal(np.bincount(y_ours), np.bincount(y_theirs))
    # A user's SVM is used as given, by both.
    svc = SVC(C=10.0, gamma=0.5)
    ours = SVMSMOTE(svm_estimator=svc, random_state=0)
    ours.fit_resample(X, y)
    theirs = imblearn.SVMSMOTE(svm_estimator=svc, random_state=0)
    theirs.fit_resample(X, y)
    assert np.array_equal(ours.support_, theirs.svm_estimator_.support_)


def test_svmsmote_subset_fit_keeps_the_minority_support_vectors(monkeypatch):
    X, y = _data(8000, 2, seed=3)
    full = SVC(gamma="scale").fit(X, y)
    want = set(full.support_[y[full.support_] == 1].tolist())
    monkeypatch.setattr(borderline, "SVM_SUBSET_MIN_ROWS", 1000)
    # 23 neighbours per minority row, more than m_neighbors: every minority row is fitted
    # (tests/over_sampling/test_svmsmote.py covers the budget that leaves isolated rows out).
    monkeypatch.setattr(borderline, "SVM_SUBSET_ROWS", 20_000)
    s = SVMSMOTE(random_state=0)
    _, y_res = s.fit_resample(X, y)
    assert s.svm_fit_rows_ is not None and s.svm_fit_rows_.size < X.shape[0] / 2
    got = set(s.support_[y[s.support_] == 1].tolist())
    assert len(want & got) / len(want | got) > 0.9
    assert np.bincount(y_res).tolist() == [np.bincount(y).max()] * 2
