"""Measurements behind the constants of the blocked float32 neighbour search.

Tables (each cited by a constant's comment in src/smotekit/neighbors/):

- ``peak``: float32 and float64 4096^3 matrix products, all cores (GFLOPS).
- ``block``: one thread, a (rows x columns) float32 product of inner size d + 2
  and the screen's compare and listing, GFLOPS of 2 * rows * columns * d
  (``_blocked._ROW_BLOCK``/``_COL_BLOCK``, ``_screen._QUERY_BLOCK``/``_ROW_BLOCK``).
- ``sample``: the sample's cost factor (``_blocked._SAMPLE_COST``): process CPU
  seconds and pairs kept per query of both searches for several factors.
- ``engines``: every row among the others, the symmetric engine against
  scikit-learn's brute force (and faiss where installed) by rows and features
  (``_search.SYMMETRIC_MIN_ROWS``); and threads 1 vs 2.

Thread CPU time (``time.thread_time``) is reported beside wall-clock time: on a
shared machine it is much less sensitive to other processes.

Usage::

    .venv/bin/python benchmarks/tune_search.py [peak] [block] [sample] [engines]
"""

from __future__ import annotations

import sys
import time
from functools import partial

import numpy as np
from threadpoolctl import threadpool_limits

from smotekit.neighbors import _blocked, _screen, _search


def timed(f, *args, repeat=3):
    """Best wall and process-CPU seconds of ``repeat`` calls ``f(*args)``."""
    wall, cpu = np.inf, np.inf
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        f(*args)
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall, cpu


def peak():
    for dtype in (np.float32, np.float64):
        A = np.random.default_rng(0).random((4096, 4096)).astype(dtype)
        wall, _ = timed(np.matmul, A, A)
        print(f"peak {np.dtype(dtype).name}: {2 * 4096 ** 3 / wall / 1e9:.0f} GFLOPS")


def block():
    rng = np.random.default_rng(0)
    n = 1 << 16
    print("block: rows x cols, GFLOPS product only / with compare and listing (one thread)")
    with threadpool_limits(limits=1, user_api="blas"):
        _block(rng, n)


def _block(rng, n):
    for d in (20, 100):
        XA = rng.random((n, d + 2)).astype(np.float32)
        for rows, cols in ((256, 256), (512, 256), (256, 512), (512, 512), (1024, 256), (512, 128)):
            QA = rng.random((rows, d + 2)).astype(np.float32)
            o, k = np.empty((rows, cols), np.float32), np.empty((rows, cols), bool)
            res = []
            for listing in (False, True):
                t = time.thread_time()
                for j in range(0, n, cols):
                    np.matmul(QA, XA[j:j + cols].T, out=o)
                    if listing:
                        np.less_equal(o, 0.01, out=k)
                        if np.count_nonzero(k):
                            k.ravel().nonzero()
                res.append(2 * rows * n * d / (time.thread_time() - t) / 1e9)
            print(f"  d={d} {rows}x{cols}: {res[0]:.0f} / {res[1]:.0f}")


def _data(n_rows=1_000_000, d=20):
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=n_rows, n_features=d, n_informative=min(d, 10), n_redundant=0,
                               weights=[0.985], flip_y=0.01, random_state=0)
    return X, np.flatnonzero(y == 1)


_PREPARE = _blocked.prepare


def _keep(states, *args):
    states.append(_PREPARE(*args))
    return states[-1]


def sample():
    X, rows = _data(200_000)
    Xc, Q = X[rows], X[rows[:1000]]
    print("sample: cost factor -> CPU s / kept pairs per query (self 3k x 20; 1k queries vs 200k rows)")
    original = _blocked._SAMPLE_COST
    for factor in (20, 45, 90, 180, 360):
        _blocked._SAMPLE_COST = factor
        kept = []
        for f, args in ((_blocked.symmetric_kneighbors, (Xc, 6, 1)), (_screen.screen_search, (X, Q, 11, 1))):
            states = []
            _blocked.prepare = _screen.prepare = partial(_keep, states)
            _, cpu = timed(f, *args, repeat=2)
            _blocked.prepare = _screen.prepare = _PREPARE
            kept.append(f"{cpu:.3f} s / {states[-1].held / states[-1].Q.shape[0]:.0f}")
        print(f"  {factor}: self {kept[0]}, few-against-many {kept[1]}")
    _blocked._SAMPLE_COST = original


def engines():
    rng = np.random.default_rng(0)
    print("engines: every row among the others (k=5), wall s: symmetric / brute [/ faiss]; symmetric 1 vs 2 threads")
    methods = [m for m in ("brute", "faiss") if m in _search.available_methods()]
    for d in (10, 20, 100):
        for n in (500, 1000, 2000, 5000, 20000):
            X = rng.normal(size=(n, d))
            sym = timed(_blocked.symmetric_kneighbors, X, 6, 2)[0]
            one = timed(_blocked.symmetric_kneighbors, X, 6, 1)[0]
            other = " / ".join(f"{timed(partial(_search.kneighbors, method=m), X, 5)[0]:.4f}" for m in methods)
            print(f"  d={d} n={n}: {sym:.4f} / {other}; 1 thread {one:.4f}")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["peak", "block", "sample", "engines"]:
        globals()[name]()
