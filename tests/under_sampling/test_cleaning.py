"""Tomek links and the edited nearest-neighbour family: exact cases, imbalanced-learn parity, rules."""

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit.neighbors import kneighbors
from smotekit.neighbors._cells import (
    BallCells,
    CellIndex,
    exact_knn,
    nearest_distance_lower_bound,
)
from smotekit.under_sampling._cleaning import (
    AllKNN,
    EditedNearestNeighbours,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)
from smotekit.utils.estimator_checks import sampler_checks

imblearn_us = pytest.importorskip("imblearn.under_sampling")

CLASSES = [TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN,
           NeighbourhoodCleaningRule, OneSidedSelection]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_signature_matches_imblearn(cls):
    ref = getattr(imblearn_us, cls.__name__)
    assert str(inspect.signature(cls.__init__)) == str(inspect.signature(ref.__init__))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_contract(cls):
    for check in sampler_checks(cls()):
        check(cls())


# -- hand-built cases -------------------------------------------------------------

# A line: majority rows at 0, 1, 2, 4.5, 6, ..., 11 and one minority row (3) at 2.6.
LINE_X = np.array([[0.0], [1.0], [2.0], [2.6], [4.5], [6.0], [7.0], [8.0], [9.0], [10.0], [11.0]])
LINE_Y = np.array([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
FAR = [5, 6, 7, 8, 9, 10]


def test_tomek_hand_built():
    # Rows 2 (x=2) and 3 (x=2.6) are each other's nearest neighbour.
    tl = TomekLinks()
    tl.fit_resample(LINE_X, LINE_Y)
    assert tl.sample_indices_.tolist() == [0, 1, 3, 4] + FAR
    tl = TomekLinks(sampling_strategy="all")
    tl.fit_resample(LINE_X, LINE_Y)
    assert tl.sample_indices_.tolist() == [0, 1, 4] + FAR


def test_enn_hand_built():
    # k=3: rows 0, 1, 2 and 4 have row 3 among their 3 nearest; 'all' removes them.
    enn = EditedNearestNeighbours()
    enn.fit_resample(LINE_X, LINE_Y)
    assert enn.sample_indices_.tolist() == FAR + [3]
    # 'mode': one foreign neighbour of three never wins.
    enn = EditedNearestNeighbours(kind_sel="mode")
    enn.fit_resample(LINE_X, LINE_Y)
    assert enn.sample_indices_.tolist() == [0, 1, 2, 4] + FAR + [3]


def test_renn_allknn_ncr_hand_built():
    renn = RepeatedEditedNearestNeighbours()
    renn.fit_resample(LINE_X, LINE_Y)
    # Round 2 removes nothing (row 5's third neighbour is row 8, not row 3).
    assert renn.sample_indices_.tolist() == FAR + [3] and renn.n_iter_ == 2
    allknn = AllKNN()
    allknn.fit_resample(LINE_X, LINE_Y)
    # k=1 removes row 2; k=2 rows 0, 1, 4; k=3 nothing more.
    assert allknn.sample_indices_.tolist() == FAR + [3]
    ncr = NeighbourhoodCleaningRule()
    ncr.fit_resample(LINE_X, LINE_Y)
    # Row 3's classifier votes (itself, rows 2 and 1) say class 0: its 3 neighbours 2, 1, 4 go.
    assert ncr.sample_indices_.tolist() == [0, 3] + FAR


def test_oss_hand_built():
    # One drawn seed per class; with the minority at x=3.1 only the rows nearer
    # to it than to the seed are misclassified and kept.
    oss = OneSidedSelection(random_state=0)
    oss.fit_resample(LINE_X, LINE_Y)
    seed_row = oss.sample_indices_[0]
    assert LINE_Y[seed_row] == 0 and 3 in oss.sample_indices_.tolist()
    kept = set(oss.sample_indices_.tolist())
    for r in range(len(LINE_Y)):
        if r in (3, seed_row):
            continue
        nearer_minority = abs(LINE_X[r, 0] - 2.6) < abs(LINE_X[r, 0] - LINE_X[seed_row, 0])
        if not nearer_minority:
            assert r not in kept


# -- differential tests against imbalanced-learn ---------------------------------

def _datasets():
    rng = np.random.default_rng(3)
    X1, y1 = make_classification(n_samples=1500, n_features=5, n_informative=3, n_redundant=0,
                                 weights=[0.9], random_state=0)
    X2, y2 = make_classification(n_samples=1500, n_features=8, n_informative=5, n_classes=3,
                                 weights=[0.7, 0.2], n_clusters_per_class=1, random_state=1)
    centers = rng.normal(0, 4, size=(6, 3))
    X3 = np.concatenate([rng.normal(c, 0.8, size=(150, 3)) for c in centers])
    y3 = np.repeat([0, 0, 0, 0, 1, 2], 150)
    y3[rng.choice(900, 60, replace=False)] = 1
    return {"random": (X1, y1), "multiclass": (X2, y2), "clustered": (X3, y3)}


DATA = _datasets()
CONFIGS = [
    ("TomekLinks", {}), ("TomekLinks", {"sampling_strategy": "all"}),
    ("EditedNearestNeighbours", {}), ("EditedNearestNeighbours", {"kind_sel": "mode", "n_neighbors": 5}),
    ("EditedNearestNeighbours", {"sampling_strategy": "all"}),
    ("RepeatedEditedNearestNeighbours", {}), ("RepeatedEditedNearestNeighbours", {"kind_sel": "mode"}),
    ("AllKNN", {}), ("AllKNN", {"allow_minority": True, "n_neighbors": 4}),
    ("NeighbourhoodCleaningRule", {}), ("NeighbourhoodCleaningRule", {"threshold_cleaning": 3.0, "n_neighbors": 5}),
]


@pytest.mark.parametrize("data", list(DATA))
@pytest.mark.parametrize("name, params", CONFIGS, ids=lambda v: str(v))
def test_same_rows_as_imblearn(data, name, params):
    X, y = DATA[data]
    ours = globals()[name](**params)
    ours.fit_resample(X, y)
    ref = getattr(imblearn_us, name)(**params)
    ref.fit_resample(X, y)
    assert np.array_equal(ours.sample_indices_, ref.sample_indices_)


def test_same_rows_as_imblearn_with_neighbours_object():
    X, y = DATA["multiclass"]
    nn = NearestNeighbors(n_neighbors=4)
    for name in ("EditedNearestNeighbours", "RepeatedEditedNearestNeighbours", "AllKNN"):
        ours, ref = globals()[name](n_neighbors=nn), getattr(imblearn_us, name)(n_neighbors=nn)
        ours.fit_resample(X, y)
        ref.fit_resample(X, y)
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_), name


def test_duplicates_self_exclusion_differs_from_imblearn_only_where_documented():
    # Duplicated rows of different classes: imbalanced-learn's kneighbors(X)[:, 1:]
    # may drop the duplicate instead of the row itself. Where no row has an exact
    # duplicate, the answers agree; on the duplicated rows ours follows the rule.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = (rng.random(400) < 0.15).astype(int)
    X[::10] = X[1::10]  # 40 duplicated pairs, some across classes
    enn = EditedNearestNeighbours()
    enn.fit_resample(X, y)
    nn = kneighbors(X, 3)
    removed = np.setdiff1d(np.arange(400), enn.sample_indices_)
    # The rule, checked directly with the correct self-exclusion.
    assert np.array_equal(removed, np.flatnonzero((y == 0) & (y[nn] != 0).any(axis=1)))
    ref = imblearn_us.EditedNearestNeighbours()
    ref.fit_resample(X, y)
    dup = np.zeros(400, bool)
    dup[::10] = dup[1::10] = True
    ours_set = set(enn.sample_indices_.tolist())
    ref_set = set(ref.sample_indices_.tolist())
    # Rows with a duplicated row among their neighbours see tied distances, which
    # imbalanced-learn breaks arbitrarily and smotekit by lower index.
    near_dup = dup | dup[kneighbors(X, 4)].any(axis=1)
    assert (ours_set ^ ref_set) <= set(np.flatnonzero(near_dup).tolist())
    assert len(ours_set ^ ref_set) > 0  # the case does exercise the difference


# -- rules as properties ---------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(30, 120), st.integers(1, 4), st.sampled_from(["all", "mode"]))
def test_every_removal_follows_the_rule(seed, n, k, kind):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)).round(1)  # rounding creates ties and duplicates
    y = (rng.random(n) < 0.3).astype(int)
    y[:2] = [0, 1]
    enn = EditedNearestNeighbours(n_neighbors=k, kind_sel=kind)
    _, y_res = enn.fit_resample(X, y)
    nn = kneighbors(X, k)
    labels = y[nn]
    if kind == "all":
        bad = (labels != y[:, None]).any(axis=1)
    else:
        counts = np.stack([(labels == c).sum(axis=1) for c in (0, 1)], axis=1)
        bad = np.argmax(counts, axis=1) != y
    # 'auto' cleans every class but the minority (the first smallest; with few rows
    # class 1 can be the larger one).
    minority = np.argmin(np.bincount(y))
    expected = np.flatnonzero(~(bad & (y != minority)))
    assert np.array_equal(np.sort(enn.sample_indices_), expected)
    assert len(y_res) == expected.size
    tl = TomekLinks(sampling_strategy="all")
    tl.fit_resample(X, y)
    nn1 = kneighbors(X, 1)[:, 0]
    link = (y[nn1] != y) & (nn1[nn1] == np.arange(n))
    assert np.array_equal(tl.sample_indices_, np.flatnonzero(~link))


# -- the exact search behind them ------------------------------------------------

def test_cells_give_exact_neighbours():
    X, y = make_classification(n_samples=30_000, n_features=6, n_informative=4, weights=[0.95],
                               random_state=0)
    cells = CellIndex(X)
    rows = np.arange(0, 30_000, 7)
    idx, _, sure = cells.knn(rows, 3)
    assert sure.mean() > 0.5
    assert np.array_equal(idx[sure], kneighbors(X, 3, query_rows=rows[sure]))
    assert np.array_equal(exact_knn(X, 3, rows, cells=cells), kneighbors(X, 3, query_rows=rows))


def test_screens_never_miss_a_row():
    # The screens may only err towards "near" (sending a row to the exact search).
    rng = np.random.default_rng(3)
    segs = rng.normal(size=(60, 2, 12))
    t = rng.random((6000, 1))
    which = rng.integers(0, 60, 6000)
    B = segs[which, 0] + t * (segs[which, 1] - segs[which, 0])  # rows on segments, as SMOTE's
    B[:50] = B[50]  # duplicates
    Q = np.vstack([rng.normal(size=(1500, 12)), B[:500] + 1e-3])
    true = kneighbors(B, 1, query=Q, return_distance=True)[1][:, 0]
    radius = true * rng.choice([0.5, 1.0, 1.0 + 1e-12, 2.0], size=true.size)
    near = BallCells(B, cell_size=32).any_within(Q, radius)
    assert near[true <= radius].all()
    assert not near[true > radius * 1.01].all()
    lower = nearest_distance_lower_bound(B, Q)
    assert (lower <= true).all() and (lower >= true - 0.05).all()
    X = np.vstack([B, Q])
    cells = CellIndex(np.vstack([X, rng.normal(size=(20_000, 12))]))
    rows = np.arange(0, 7500, 5)
    kth = kneighbors(cells.X, 3, query_rows=rows, return_distance=True)[1][:, -1]
    bound = cells.kth_upper_bound(rows, 3, 8)
    assert (bound >= kth).all()
    # Cells spread over threads: the very same bounds.
    np.testing.assert_array_equal(cells.kth_upper_bound(rows, 3, 8, threads=1), bound)
    np.testing.assert_array_equal(cells.kth_upper_bound(rows, 1, 4, threads=3),
                                  cells.kth_upper_bound(rows, 1, 4, threads=1))


def _segment_rows(rng, n, d, n_segments=80):
    """Rows on segments between a few points, as SMOTE's synthetic rows."""
    segs = rng.normal(size=(n_segments, 2, d))
    t = rng.random((n, 1))
    which = rng.integers(0, n_segments, n)
    return segs[which, 0] + t * (segs[which, 1] - segs[which, 0])


def test_cell_counts_and_bounds_never_overstate():
    # Each screen may only err towards "in doubt" (sending a row to the exact search).
    rng = np.random.default_rng(5)
    A = np.vstack([rng.normal(size=(3000, 12)), _segment_rows(rng, 2000, 12)])
    B = _segment_rows(rng, 4000, 12)
    B[:30] = B[30]  # duplicates
    A[:10] = B[:10]  # rows of both sets at distance 0
    X = np.vstack([A, B, rng.normal(size=(16_000, 12))])
    codes = np.r_[np.zeros(A.shape[0], int), np.ones(B.shape[0], int), np.zeros(16_000, int)]
    cells = CellIndex(X)
    rows = np.arange(0, X.shape[0], 3)
    dist = kneighbors(X, 3, query_rows=rows, return_distance=True)[1]
    reach = dist[:, -1] * rng.choice([0.5, 1.0, 1.0 + 1e-12, 2.0], size=rows.size)
    has = cells.has_k_within(rows, reach, 3)
    assert (dist[has, -1] < reach[has]).all()
    assert has.mean() > 0.2
    other = np.array([np.sqrt(((X[codes != codes[r]] - X[r]) ** 2).sum(axis=1)).min() for r in rows[:3000]])
    near = cells.any_other_within(rows[:3000], codes, reach[:3000])
    assert near[other <= reach[:3000]].all()
    assert not near.all()
    # Cells spread over threads: the very same answers.
    np.testing.assert_array_equal(cells.has_k_within(rows, reach, 3, threads=1), has)
    np.testing.assert_array_equal(cells.any_other_within(rows[:3000], codes, reach[:3000], threads=1), near)


def test_two_large_edited_classes_follow_the_rule():
    # Both classes >= 20k rows and edited: a diffuse class (all-pairs bound) and
    # a dense one as SMOTE's (bisector-pruned cell scan), label noise around.
    rng = np.random.default_rng(6)
    X = np.vstack([rng.normal(size=(21_000, 8)), _segment_rows(rng, 21_000, 8, 300)])
    y = np.r_[np.zeros(21_000, int), np.ones(21_000, int)]
    flip = rng.random(y.size) < 0.01
    y[flip] = 1 - y[flip]
    nn = kneighbors(X, 3)
    enn = EditedNearestNeighbours(sampling_strategy="all")
    enn.fit_resample(X, y)
    expected = np.flatnonzero((y[nn] == y[:, None]).all(axis=1))
    assert np.array_equal(np.sort(enn.sample_indices_), expected)
    tl = TomekLinks(sampling_strategy="all")
    tl.fit_resample(X, y)
    nn1 = nn[:, 0]
    link = (y[nn1] != y) & (nn1[nn1] == np.arange(y.size))
    assert link.any()
    assert np.array_equal(tl.sample_indices_, np.flatnonzero(~link))


def test_large_many_feature_enn_tomek_match_imblearn():
    # Over 20k rows and more than 8 features: cells, both screens and the certified
    # float32 scan all run.
    X, y = make_classification(n_samples=21_500, n_features=10, n_informative=6, weights=[0.96],
                               flip_y=0.02, random_state=4)
    X[:40] = X[40:80]  # duplicated rows
    for ours, ref in [(EditedNearestNeighbours(kind_sel="mode"),
                       imblearn_us.EditedNearestNeighbours(kind_sel="mode")),
                      (TomekLinks(sampling_strategy="all"), imblearn_us.TomekLinks(sampling_strategy="all"))]:
        ours.fit_resample(X[40:], y[40:])
        ref.fit_resample(X[40:], y[40:])
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_), ours
    # With duplicates imbalanced-learn may drop a duplicate instead of the row itself:
    # check the rule directly.
    nn = kneighbors(X, 3)
    keep = (y[nn] == y[:, None]).all(axis=1)
    ours = EditedNearestNeighbours(sampling_strategy="all")
    ours.fit_resample(X, y)
    assert np.array_equal(np.sort(ours.sample_indices_), np.flatnonzero(keep))


def test_large_enn_and_tomek_match_imblearn():
    # Large enough (>= 20k rows) for the cell screening to run.
    X, y = make_classification(n_samples=25_000, n_features=6, n_informative=4, weights=[0.97],
                               random_state=2)
    for name in ("EditedNearestNeighbours", "TomekLinks"):
        ours, ref = globals()[name](), getattr(imblearn_us, name)()
        ours.fit_resample(X, y)
        ref.fit_resample(X, y)
        assert np.array_equal(ours.sample_indices_, ref.sample_indices_), name


def test_errors_name_the_parameter():
    X, y = DATA["random"]
    for sampler, word in [(EditedNearestNeighbours(kind_sel="any"), "kind_sel"),
                          (EditedNearestNeighbours(n_neighbors=0), "n_neighbors"),
                          (RepeatedEditedNearestNeighbours(max_iter=0), "max_iter"),
                          (AllKNN(allow_minority="yes"), "allow_minority"),
                          (NeighbourhoodCleaningRule(threshold_cleaning=-1), "threshold_cleaning"),
                          (OneSidedSelection(n_seeds_S=0), "n_seeds_S"),
                          (TomekLinks(n_jobs="2"), "n_jobs")]:
        with pytest.raises((ValueError, TypeError), match=word):
            sampler.fit_resample(X, y)


def test_n_jobs_does_not_change_results():
    X, y = DATA["multiclass"]
    for cls in (TomekLinks, EditedNearestNeighbours, AllKNN):
        a, b = cls(n_jobs=1), cls(n_jobs=2)
        a.fit_resample(X, y)
        b.fit_resample(X, y)
        assert np.array_equal(a.sample_indices_, b.sample_indices_)


def test_cells_without_faiss_keep_the_same_rows(monkeypatch):
    # The cells (k-means, nearest centroids, the all-pairs lower bound) have a
    # numpy path for installs without faiss: the cells decide the speed, never
    # the rows kept.
    from smotekit.combine import SMOTEENN
    from smotekit.neighbors import _cells

    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal(size=(24_000, 12)), rng.normal(size=(600, 12)) + 0.7])
    y = np.r_[np.zeros(24_000, int), np.ones(600, int)]
    samplers = [EditedNearestNeighbours, TomekLinks, lambda: SMOTEENN(random_state=0)]
    with_faiss = [s().fit_resample(X, y) for s in samplers]
    monkeypatch.setattr(_cells, "_has_faiss", lambda: False)
    assert _cells.maybe_cells(X) is not None
    for make, (Xa, ya) in zip(samplers, with_faiss):
        Xb, yb = make().fit_resample(X, y)
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(Xa, Xb)
    Q32, B32 = X[:3000].astype(np.float32), X[-700:].astype(np.float32)
    at, value = _cells._nearest(Q32, B32, 2, index=True)
    exact = ((Q32[:, None, :].astype(float) - B32[None].astype(float)) ** 2).sum(-1)
    np.testing.assert_allclose(value, exact.min(axis=1), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(exact[np.arange(3000), at], exact.min(axis=1), rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(_cells._nearest(Q32, B32, 1)[1], value)
