"""The neighbours package's shared pieces: the parameter resolver, self-exclusion,
the partition merge, the faiss thread policy, and that each exists once."""

from __future__ import annotations

import importlib.util
import os
import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from smotekit._constraints import is_int
from smotekit.neighbors import kneighbors
from smotekit.neighbors._merge import merge_knn, part_knn
from smotekit.neighbors._resolve import resolve_neighbors
from smotekit.neighbors._search import drop_self
from smotekit.neighbors._threads import n_threads, set_faiss_threads
from smotekit.over_sampling import ADASYN, KMeansSMOTE
from smotekit.under_sampling import (
    AllKNN,
    EditedNearestNeighbours,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "smotekit"


# ------------------------------------------------------------------ resolver

@pytest.mark.parametrize("k", [3, np.int64(3), np.uint8(3)])
def test_an_int_is_searched_exactly(k):
    nn = resolve_neighbors(k, name="k_neighbors")
    assert nn.exact and nn.estimator is None and nn.k == 3 and type(nn.k) is int
    est = nn.as_estimator(n_jobs=2)
    assert isinstance(est, NearestNeighbors) and est.n_neighbors == 4 and est.n_jobs == 2
    # Queries of other rows: the object form does not count a row itself.
    assert resolve_neighbors(k, name="k_neighbors", counts_self=False).as_estimator().n_neighbors == 3


def test_an_object_is_searched_with_as_given():
    obj = NearestNeighbors(n_neighbors=6)
    nn = resolve_neighbors(obj, name="n_neighbors")
    assert not nn.exact and nn.estimator is obj and nn.as_estimator() is obj
    assert nn.k == 5  # the object counts the row itself
    assert resolve_neighbors(obj, name="n_neighbors", counts_self=False).k == 6
    assert resolve_neighbors(KNeighborsClassifier(n_neighbors=2), name="n_neighbors",
                             counts_self=False).k == 2


def test_an_object_without_n_neighbors_fails_only_when_a_count_is_needed():
    class Other:
        def fit(self, X):
            return self

        def kneighbors(self, X):
            raise NotImplementedError

    nn = resolve_neighbors(Other(), name="m_neighbors")
    assert not nn.exact and nn.as_estimator() is nn.estimator
    with pytest.raises(TypeError, match=r"m_neighbors=.*Other.* has no n_neighbors attribute.*"
                                        r"or pass m_neighbors as an int"):
        _ = nn.k


class _NoCount(BaseEstimator):
    """A neighbours object with the search methods but no ``n_neighbors``."""

    def fit(self, X, y=None):
        self.nn_ = NearestNeighbors(n_neighbors=4).fit(X)
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        return self.nn_.kneighbors(X, n_neighbors, return_distance)

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        return self.nn_.kneighbors_graph(X, n_neighbors, mode)


@pytest.mark.parametrize("make, name", [
    (lambda nn: ADASYN(n_neighbors=nn), "n_neighbors"),
    (lambda nn: KMeansSMOTE(k_neighbors=nn, random_state=0), "k_neighbors"),
    (lambda nn: EditedNearestNeighbours(n_neighbors=nn), "n_neighbors"),
    (lambda nn: RepeatedEditedNearestNeighbours(n_neighbors=nn), "n_neighbors"),
    (lambda nn: AllKNN(n_neighbors=nn), "n_neighbors"),
    (lambda nn: NearMiss(n_neighbors=nn), "n_neighbors"),
    (lambda nn: NeighbourhoodCleaningRule(n_neighbors=nn), "n_neighbors"),
    (lambda nn: OneSidedSelection(n_neighbors=nn, random_state=0), "n_neighbors"),
])
def test_a_sampler_names_its_parameter_when_an_object_has_no_n_neighbors(make, name):
    X, y = make_classification(n_samples=120, n_features=4, n_clusters_per_class=1,
                               weights=[0.25, 0.75], random_state=0)
    with pytest.raises(TypeError, match=rf"^{name}=_NoCount\(\) has no n_neighbors attribute.*"
                                        rf"Give the object an n_neighbors attribute.*"
                                        rf"or pass {name} as an int\.$"):
        make(_NoCount()).fit_resample(X, y)


def test_is_int_leaves_out_bools_unless_asked():
    assert is_int(2) and is_int(np.int32(2)) and not is_int(2.0) and not is_int("2")
    assert not is_int(True) and not is_int(np.bool_(True))
    assert is_int(True, bools=True)


# ------------------------------------------------------------------ self-exclusion

def test_drop_self_removes_the_row_itself_never_a_duplicate():
    cand = np.array([[4, 0, 7, 2],    # own row 0 second (tied with 4)
                     [1, 3, 5, 6],    # own row 1 first
                     [8, 9, 3, 4]])   # own row 2 not fetched: first k kept
    dist = np.arange(12.0).reshape(3, 4)
    idx, d = drop_self(cand, np.array([0, 1, 2]), 3, dist)
    assert idx.tolist() == [[4, 7, 2], [3, 5, 6], [8, 9, 3]]
    assert d.tolist() == [[0, 2, 3], [5, 6, 7], [8, 9, 10]]


def test_drop_self_with_the_row_itself_returned_twice():
    # A neighbours object may repeat a row (faiss pads a short answer with its last row).
    idx, = drop_self(np.array([[0, 0, 3, 4], [2, 1, 1, 1]]), np.array([0, 1]), 2)
    assert idx.tolist() == [[3, 4], [2, -1]]


def test_drop_self_pads_short_answers():
    idx, d = drop_self(np.array([[0, 1], [1, 0]]), np.array([0, 5]), 2, np.ones((2, 2)))
    assert idx.tolist() == [[1, -1], [1, 0]]
    assert d.tolist() == [[1.0, np.inf], [1.0, 1.0]]


def test_duplicated_rows_are_neighbours_at_distance_zero():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    idx, dist = kneighbors(X, 2, return_distance=True)
    assert idx.tolist() == [[1, 2], [0, 2], [0, 1], [0, 1]]
    assert dist[:3].tolist() == [[0.0, 0.0]] * 3


# ------------------------------------------------------------------ partition merge

@pytest.mark.parametrize("cuts", [[], [1], [3, 4, 30], [2, 5, 9, 60, 61]])
@pytest.mark.parametrize("k", [1, 3])
def test_merged_partitions_equal_the_in_memory_search(cuts, k):
    rng = np.random.default_rng(len(cuts) + k)
    X = np.round(rng.normal(size=(90, 3)), 1)  # rounded: many tied distances
    X[40:50] = X[0]  # and duplicated rows
    query_rows = np.sort(rng.choice(90, 25, replace=False))
    bounds = [0, *cuts, 90]
    answers = [part_knn(X[a:b], X[query_rows], query_rows, a, k) for a, b in pairwise(bounds)]
    dist, gid, _ = merge_knn(k, *answers)
    ref_idx, ref_dist = kneighbors(X, k, query_rows=query_rows, return_distance=True)
    assert np.array_equal(gid, ref_idx)
    assert np.array_equal(dist, ref_dist)


def test_merge_carries_payloads_and_orders_ties_by_global_id():
    a = (np.array([[1.0, 2.0]]), np.array([[7, 9]]), np.array([[70, 90]]))
    b = (np.array([[1.0, 0.5]]), np.array([[3, 8]]), np.array([[30, 80]]))
    dist, gid, code = merge_knn(3, a, b)
    assert gid.tolist() == [[8, 3, 7]] and code.tolist() == [[80, 30, 70]]
    assert dist.tolist() == [[0.5, 1.0, 1.0]]


def test_an_empty_part_answers_with_no_columns():
    dist, gid, local = part_knn(np.empty((0, 2)), np.zeros((4, 2)), np.arange(4), 10, 3)
    assert dist.shape == gid.shape == local.shape == (4, 0)


# ------------------------------------------------------------------ threads

def test_n_jobs_convention():
    cpus = os.cpu_count() or 1
    assert n_threads(None) == n_threads(-1) == cpus
    assert n_threads(-2) == max(1, cpus - 1)
    assert n_threads(3) == 3


@pytest.mark.skipif(importlib.util.find_spec("faiss") is None, reason="faiss-cpu not installed")
def test_faiss_thread_policy():
    import faiss

    cpus = os.cpu_count() or 1
    assert set_faiss_threads(1) == 1 and faiss.omp_get_max_threads() == 1
    assert set_faiss_threads(None) == cpus == faiss.omp_get_max_threads()
    assert set_faiss_threads(10 * cpus) == cpus  # never more threads than cores
    assert set_faiss_threads(0) == cpus


# ------------------------------------------------------------------ one owner each

def _sources():
    return {p.relative_to(SRC).as_posix(): p.read_text() for p in SRC.rglob("*.py")}


def test_faiss_threads_are_set_in_one_place():
    setters = [name for name, text in _sources().items() if "omp_set_num_threads" in text]
    assert setters == ["neighbors/_threads.py"]


def test_int_or_object_is_decided_by_the_resolver_and_the_parameter_checks():
    pattern = re.compile(r"isinstance\(.*Integral")
    found = [name for name, text in _sources().items()
             if pattern.search(text) and not name.startswith("neighbors/")
             and name != "_constraints.py"]
    assert found == []
