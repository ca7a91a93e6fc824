"""Differential tests of the float32 screen (``smotekit.neighbors._screen``), the
path ``kneighbors`` takes for few queries against many rows.

The screen is forced on small data (its size thresholds patched to zero, its
blocks made small so that every query spans several blocks and threads) and
must return exactly the indices and distances of a naive float64 computation
ordered by (distance, index), and of the other backends, on random, clustered,
duplicate-heavy, tied, outlier and ill-conditioned data.
"""

from __future__ import annotations

import numpy as np
import pytest
from neighbors_naive import naive

from smotekit.neighbors import _screen, _search, kneighbors


@pytest.fixture
def forced(monkeypatch):
    """Every dense 'auto' search with fewer queries than rows goes to the screen,
    in blocks of 16 queries x 64 rows, ranked every few hundred kept pairs."""
    monkeypatch.setattr(_search, "SCREEN_MIN_PAIRS", 0)
    monkeypatch.setattr(_search, "SCREEN_MIN_ROW_RATIO", 1)
    monkeypatch.setattr(_search, "_SCREEN_SAMPLE", 8)
    monkeypatch.setattr(_screen, "_QUERY_BLOCK", 16)
    monkeypatch.setattr(_screen, "_ROW_BLOCK", 64)
    monkeypatch.setattr(_screen, "_PAIR_BUDGET", 300)
    calls = []
    real = _screen.screen_search
    monkeypatch.setattr(_search, "screen_search", lambda *a: calls.append(1) or real(*a))
    return calls


def _random(rng):
    return rng.normal(size=(700, 12))


def _clustered(rng):
    centres = rng.normal(size=(6, 12)) * 20
    return centres[rng.integers(0, 6, 700)] + rng.normal(size=(700, 12)) * 0.3


def _duplicates(rng):
    """40 distinct dyadic rows repeated: more tied rows than neighbours asked."""
    base = np.round(rng.normal(size=(40, 10)) * 8) / 8
    return base[rng.integers(0, 40, 700)]


def _grid(rng):
    """Integer points: very many exactly equal distances, broken by index."""
    return rng.integers(0, 3, size=(700, 10)).astype(np.float64)


def _outliers(rng):
    X = rng.normal(size=(700, 12))
    X[:30] *= 50  # far rows, queried below: their neighbours are far too
    return X


def _offset(rng):
    """A large common offset and tiny spread: float32 cannot resolve these rows,
    so the bound must keep them all and the exact ranking decide."""
    return 1e6 + rng.normal(size=(700, 12)) * 1e-3


DATA = [_random, _clustered, _duplicates, _grid, _outliers, _offset]


@pytest.mark.parametrize("make", DATA, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_query_rows_identical_to_naive_and_brute(make, n_jobs, forced):
    rng = np.random.default_rng(7)
    X = make(rng)
    rows = np.sort(rng.choice(X.shape[0], 90, replace=False))
    rows[:5] = np.arange(5)  # the outliers' rows for _outliers
    k = 10
    idx, dist = kneighbors(X, k, query_rows=rows, n_jobs=n_jobs, return_distance=True)
    assert forced, "the screen was not used"
    ref_idx, ref_dist = naive(X, k, query_rows=rows)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-13, atol=1e-13)
    b_idx, b_dist = kneighbors(X, k, query_rows=rows, method="brute", return_distance=True)
    np.testing.assert_array_equal(idx, b_idx)
    np.testing.assert_array_equal(dist, b_dist)


@pytest.mark.parametrize("make", [_random, _duplicates, _offset], ids=lambda f: f.__name__.strip("_"))
def test_new_query_rows_identical_to_naive(make, forced):
    rng = np.random.default_rng(3)
    X = make(rng)
    Q = np.vstack([X[rng.choice(X.shape[0], 40)], make(np.random.default_rng(4))[:40]])
    idx, dist = kneighbors(X, 7, query=Q, return_distance=True)
    assert forced
    ref_idx, ref_dist = naive(X, 7, query=Q)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-13, atol=1e-13)


def test_all_rows_identical(forced):
    X = np.ones((300, 9))
    rows = np.arange(0, 300, 7)
    idx = kneighbors(X, 5, query_rows=rows)
    assert forced
    np.testing.assert_array_equal(idx, naive(X, 5, query_rows=rows)[0])


def test_chosen_only_for_few_queries_against_many_dense_rows():
    X = np.zeros((100_000, 20))
    assert _search._few_against_many(X, 1_000, 11)
    assert not _search._few_against_many(X, 50_000, 11)  # as many queries as rows: faiss/brute
    assert not _search._few_against_many(X[:1000], 10, 11)  # too small to pay off
    assert not _search._few_against_many(X, 1_000, 5_000)  # the sample would keep every row
    from scipy import sparse
    assert not _search._few_against_many(sparse.csr_matrix(X), 1_000, 11)


def test_many_neighbours_never_recurse_forever(forced):
    """With the thresholds at zero, a search asking for nearly every row still ends
    (the screen declines it) and is exact."""
    X = np.random.default_rng(0).normal(size=(200, 6))
    rows = np.arange(0, 200, 10)
    idx = kneighbors(X, 150, query_rows=rows)
    np.testing.assert_array_equal(idx, naive(X, 150, query_rows=rows)[0])
