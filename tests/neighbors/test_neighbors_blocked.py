"""Differential tests of the blocked float32 engines (``smotekit.neighbors._blocked``:
every row among the others, computing half of the distance matrix; and
``_screen``: some rows against many), against a plain float64 brute force.

The engines are forced on small data (size thresholds patched to zero, blocks
made small so that every row spans several blocks, tasks and threads) and must
return exactly the indices and distances of the naive computation ordered by
(distance, index), on random, clustered, duplicate-heavy, tied, outlier,
offset and high-dimensional data, whatever the thread count.
"""

from __future__ import annotations

import numpy as np
import pytest
from neighbors_naive import naive

from smotekit.neighbors import _blocked, _screen, _search, kneighbors


@pytest.fixture
def forced(monkeypatch):
    """Every dense 'auto' search of the rows among themselves goes to the
    symmetric engine, and of some rows against more to the screen, in blocks of
    32 x 16 (tasks of 64 columns); returns the engines' calls."""
    monkeypatch.setattr(_search, "SYMMETRIC_MIN_ROWS", 0)
    monkeypatch.setattr(_search, "SCREEN_MIN_PAIRS", 0)
    monkeypatch.setattr(_search, "SCREEN_MIN_ROW_RATIO", 1)
    monkeypatch.setattr(_search, "_SCREEN_SAMPLE", 2)
    monkeypatch.setattr(_search, "_THREADS_MIN_BRUTE_WORK", 0)
    monkeypatch.setattr(_blocked, "_ROW_BLOCK", 32)
    monkeypatch.setattr(_blocked, "_COL_BLOCK", 16)
    monkeypatch.setattr(_blocked, "_SYM_TASK_COLUMNS", 64)
    monkeypatch.setattr(_screen, "_QUERY_BLOCK", 32)
    monkeypatch.setattr(_screen, "_ROW_BLOCK", 16)
    monkeypatch.setattr(_screen, "_TASK_COLUMNS", 64)
    monkeypatch.setattr(_screen, "_WAVE_QUERIES", 96)
    calls = []
    sym, scr = _search.symmetric_kneighbors, _search.screen_search
    monkeypatch.setattr(_search, "symmetric_kneighbors", lambda *a: calls.append("symmetric") or sym(*a))
    monkeypatch.setattr(_search, "screen_search", lambda *a: calls.append("screen") or scr(*a))
    return calls


def _random(rng, d=12):
    return rng.normal(size=(600, d))


def _clustered(rng, d=12):
    centres = rng.normal(size=(6, d)) * 20
    return centres[rng.integers(0, 6, 600)] + rng.normal(size=(600, d)) * 0.3


def _duplicates(rng, d=10):
    """50 distinct dyadic rows repeated: more tied rows than neighbours asked."""
    base = np.round(rng.normal(size=(50, d)) * 8) / 8
    return base[rng.integers(0, 50, 600)]


def _grid(rng, d=10):
    """Integer points: very many exactly equal distances, broken by index."""
    return rng.integers(0, 3, size=(600, d)).astype(np.float64)


def _outliers(rng, d=12):
    X = rng.normal(size=(600, d))
    X[:20] *= 1e3  # a few far rows inflate the rounding bound of every pair
    return X


def _offset(rng, d=12):
    """A large common offset and a tiny spread: only the centring lets float32
    resolve these rows, and the exact ranking decides."""
    return 1e7 + rng.normal(size=(600, d)) * 1e-4


def _wide(rng, d=100):
    return rng.normal(size=(400, d))


DATA = [_random, _clustered, _duplicates, _grid, _outliers, _offset, _wide]


@pytest.mark.parametrize("make", DATA, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("k", [1, 5, 12])
def test_every_row_among_the_others_equals_naive(make, k, forced):
    X = make(np.random.default_rng(11))
    idx, dist = kneighbors(X, k, return_distance=True)
    assert forced == ["symmetric"]
    ref_idx, ref_dist = naive(X, k)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-13, atol=1e-13)
    b_idx, b_dist = kneighbors(X, k, method="brute", return_distance=True)
    np.testing.assert_array_equal(idx, b_idx)
    np.testing.assert_array_equal(dist, b_dist)


@pytest.mark.parametrize("make", DATA, ids=lambda f: f.__name__.strip("_"))
def test_some_rows_against_all_equal_naive(make, forced):
    rng = np.random.default_rng(5)
    X = make(rng)
    rows = np.sort(rng.choice(X.shape[0], 150, replace=False))
    rows[:3] = np.arange(3)  # the outliers' rows for _outliers
    idx, dist = kneighbors(X, 11, query_rows=rows, return_distance=True)
    assert forced == ["screen"]
    ref_idx, ref_dist = naive(X, 11, query_rows=rows)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("make", [_random, _duplicates, _grid], ids=lambda f: f.__name__.strip("_"))
def test_threads_and_blocks_do_not_change_the_answer(make, forced, monkeypatch):
    X = make(np.random.default_rng(2))
    rows = np.arange(0, 600, 5)
    first = [kneighbors(X, 6, n_jobs=1, return_distance=True),
             kneighbors(X, 6, query_rows=rows, n_jobs=1, return_distance=True)]
    monkeypatch.setattr(_blocked, "_ROW_BLOCK", 64)
    monkeypatch.setattr(_blocked, "_COL_BLOCK", 32)
    monkeypatch.setattr(_screen, "_QUERY_BLOCK", 8)
    for n_jobs in (2, 3):
        again = [kneighbors(X, 6, n_jobs=n_jobs, return_distance=True),
                 kneighbors(X, 6, query_rows=rows, n_jobs=n_jobs, return_distance=True)]
        for a, b in zip(first, again):
            np.testing.assert_array_equal(a[0], b[0])
            np.testing.assert_array_equal(a[1], b[1])


def test_all_rows_identical(forced):
    X = np.full((200, 9), 3.25)
    np.testing.assert_array_equal(kneighbors(X, 4), naive(X, 4)[0])
    np.testing.assert_array_equal(kneighbors(X, 4, query_rows=[5, 0, 199]),
                                  naive(X, 4, query_rows=[5, 0, 199])[0])


def test_giving_up_falls_back_to_an_exact_engine(forced, monkeypatch):
    """When the screen keeps too many pairs (float32 cannot tell the rows apart)
    another engine answers, as exactly."""
    monkeypatch.setattr(_blocked, "_GIVE_UP_FACTOR", 0)
    monkeypatch.setattr(_blocked, "_GIVE_UP_PER_ROW", 0)
    monkeypatch.setattr(_screen, "_PAIR_BUDGET", 0)
    X = _duplicates(np.random.default_rng(4))
    np.testing.assert_array_equal(kneighbors(X, 7), naive(X, 7)[0])
    np.testing.assert_array_equal(kneighbors(X, 7, query_rows=[3, 1]), naive(X, 7, query_rows=[3, 1])[0])
    assert forced == ["symmetric", "screen"]
    with pytest.raises(_blocked.TooManyPairs):
        _blocked.symmetric_kneighbors(X, 8, 1)


@pytest.mark.parametrize("n, needed", [(1, 1), (2, 2), (3, 1), (17, 17), (40, 3)])
@pytest.mark.parametrize("threads", [1, 2])
def test_tiny_inputs(n, needed, threads):
    X = np.random.default_rng(n).normal(size=(n, 5))
    cand, sq = _blocked.symmetric_kneighbors(X, needed, threads)
    D = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    ref = np.array([np.lexsort((np.arange(n), np.sqrt(row)))[:needed] for row in D])
    np.testing.assert_array_equal(cand, ref)
    Q = X[: max(1, n // 2)] + 0.5
    cand, sq = _screen.screen_search(X, Q, needed, threads)
    np.testing.assert_array_equal(cand, naive(X, needed, query=Q)[0])


def test_the_caller_arrays_are_left_alone(forced):
    X = _random(np.random.default_rng(9)).astype(np.float32)
    before = X.copy()
    kneighbors(X, 5)
    kneighbors(X, 5, query_rows=np.arange(0, 600, 3))
    np.testing.assert_array_equal(X, before)


def test_chosen_for_every_row_among_the_others():
    X = np.zeros((20_000, 20))
    assert _search._symmetric_pays(X, 6)
    assert not _search._symmetric_pays(X[:500], 6)  # too small to pay off
    assert not _search._symmetric_pays(X, 1_000)  # the sample would keep every row
    from scipy import sparse
    assert not _search._symmetric_pays(sparse.csr_matrix(X), 6)


def test_mostly_stored_sparse_input_is_searched_dense():
    # A CSR matrix with most entries stored goes to the dense engines on a dense
    # copy: the same neighbours and distances as the dense input; a truly sparse
    # one stays sparse.
    from scipy import sparse as sp

    rng = np.random.default_rng(4)
    X = rng.normal(size=(3000, 12))
    X[X < -1.5] = 0.0
    dense = kneighbors(X, 5, query_rows=np.arange(0, 3000, 3), return_distance=True)
    got = kneighbors(sp.csr_matrix(X), 5, query_rows=np.arange(0, 3000, 3), return_distance=True)
    np.testing.assert_array_equal(got[0], dense[0])
    np.testing.assert_array_equal(got[1], dense[1])
    assert _search._dense_pays(sp.csr_matrix(X))
    assert not _search._dense_pays(sp.random(3000, 400, density=0.01, format="csr", random_state=0))
    query = sp.csr_matrix(X[:50] + 0.01)
    np.testing.assert_array_equal(kneighbors(sp.csr_matrix(X), 3, query=query), kneighbors(X, 3, query=X[:50] + 0.01))
