"""A subclass of every sampler that runs on Dask runs there too, and equals its in-memory result.

The driver reads what to gather and which rule decides from the sampler's tags,
never from its class, so a subclass that changes nothing is the parent on Dask;
one that changes how it decides runs there only if it declares so.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from smotekit.base import PartitionedSupport, Resampled  # noqa: E402
from smotekit.combine import SMOTEENN, SMOTETomek  # noqa: E402
from smotekit.dask import _driver, supported_samplers  # noqa: E402
from smotekit.over_sampling import ADASYN, SMOTE, SMOTEN, SMOTENC, BorderlineSMOTE, RandomOverSampler  # noqa: E402
from smotekit.under_sampling import EditedNearestNeighbours, RandomUnderSampler, TomekLinks  # noqa: E402

PARENTS = [RandomOverSampler, SMOTE, SMOTENC, SMOTEN, BorderlineSMOTE, ADASYN, RandomUnderSampler,
           TomekLinks, EditedNearestNeighbours, SMOTEENN, SMOTETomek]
# Subclasses that change nothing, as a user writes them (module level, so that they pickle).
SUBCLASSES = {cls: type(f"My{cls.__name__}", (cls,), {"__module__": __name__}) for cls in PARENTS}
globals().update({sub.__name__: sub for sub in SUBCLASSES.values()})

PARAMS = {SMOTENC: {"categorical_features": ["colour"]}, BorderlineSMOTE: {"kind": "borderline-2"},
          EditedNearestNeighbours: {"sampling_strategy": "all"}}


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


def _data(cls):
    rng = np.random.default_rng(0)
    n = 160
    y = pd.Series(np.where(np.arange(n) % 5 == 0, 1, 0), name="label")
    if cls is SMOTEN:
        X = pd.DataFrame({"colour": rng.choice(list("xyz"), n), "shop": rng.choice(list("pq"), n)})
    else:
        X = pd.DataFrame(rng.normal(size=(n, 3)) + y.to_numpy()[:, None], columns=list("abc"))
        if cls is SMOTENC:
            X["colour"] = rng.choice(list("xyz"), n)
    return X, y


def _sorted_rows(X, y):
    rows = X.astype(str).assign(label=np.asarray(y)).to_numpy().tolist()
    return sorted(map(tuple, rows))


def test_every_parent_runs_on_dask():
    assert sorted(supported_samplers()) == sorted(cls.__name__ for cls in PARENTS)


@pytest.mark.parametrize("parent", PARENTS, ids=lambda cls: cls.__name__)
def test_subclass_on_dask_equals_in_memory(client, parent):
    sub = SUBCLASSES[parent]
    params = dict(PARAMS.get(parent, {}))
    if "random_state" in sub.__init__.__code__.co_varnames:
        params["random_state"] = 0
    X, y = _data(parent)
    Xd = dd.from_pandas(X, npartitions=3)
    yd = dd.from_pandas(y, npartitions=3)
    # The reference reads the partitions' own dtypes (Dask holds strings as Arrow strings).
    X_mem = Xd.compute()
    X_ref, y_ref = sub(**params).fit_resample(X_mem, y)
    parent_ref = parent(**params).fit_resample(X_mem, y)
    assert _sorted_rows(X_ref, y_ref) == _sorted_rows(*parent_ref)
    assert len(X_ref) != len(X)  # the data make every sampler add or remove rows
    X_out, y_out = dask.compute(*sub(**params).fit_resample(Xd, yd))
    assert _sorted_rows(X_out, y_out) == _sorted_rows(X_ref, y_ref)


def test_hybrid_of_subclassed_steps(client):
    steps = {"smote": SUBCLASSES[BorderlineSMOTE](random_state=0),
             "enn": SUBCLASSES[EditedNearestNeighbours](kind_sel="mode")}
    hybrid = SUBCLASSES[SMOTEENN]
    X, y = _data(SMOTEENN)
    Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    X_ref, y_ref = hybrid(**steps).fit_resample(Xd.compute(), y)
    X_out, y_out = dask.compute(*hybrid(**steps).fit_resample(Xd, yd))
    assert _sorted_rows(X_out, y_out) == _sorted_rows(X_ref, y_ref)


def test_tags_and_subclass_instances_pickle():
    # Samplers, their tags and PartitionedSupport travel to worker processes in the task graph.
    for parent in PARENTS:
        for est in (parent(**PARAMS.get(parent, {})), SUBCLASSES[parent](**PARAMS.get(parent, {}))):
            tags = est.__sklearn_tags__()
            assert isinstance(tags.sampler_tags.partitioned, PartitionedSupport)
            assert pickle.loads(pickle.dumps(tags)) == tags
            copy = pickle.loads(pickle.dumps(est))
            assert type(copy) is type(est) and copy.get_params() == est.get_params()
            assert copy.__sklearn_tags__() == tags


@pytest.fixture(scope="module")
def process_client():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.mark.parametrize("est", [RandomOverSampler(shrinkage=0.5, random_state=0),
                                 SUBCLASSES[BorderlineSMOTE](random_state=0)], ids=lambda e: type(e).__name__)
def test_on_worker_processes(process_client, est):
    X, y = _data(BorderlineSMOTE)
    Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    X_ref, y_ref = est.fit_resample(X, y)
    X_out, y_out = dask.compute(*est.fit_resample(Xd, yd))
    assert _sorted_rows(X_out, y_out) == _sorted_rows(X_ref, y_ref)


class OwnKernel(SMOTE):
    """Decides its own way: no backend can know that it still decides as SMOTE does."""

    def _fit_resample(self, X, codes, plan, seed):
        return super()._fit_resample(X, codes, plan, seed)


class MixedBlocks(OwnKernel):
    """SMOTE's rows on segments, but the last class's moved away, as computed values."""

    # Its own kernel decides (SMOTE's pair draws no longer describe it): the generic rule.
    _partitioned = PartitionedSupport("kernel")

    def _fit_resample(self, X, codes, plan, seed):
        res = super()._fit_resample(X, codes, plan, seed)
        blocks = list(res.added_blocks)
        blocks[-1] = blocks[-1].materialize() + 100
        return Resampled(res.kept, res.added_source, res.added_partner, res.added_gap, blocks)


def test_overriding_the_kernel_needs_a_declaration(client, monkeypatch):
    rng = np.random.default_rng(3)
    y = pd.Series(np.repeat([0, 1, 2], [120, 30, 25]), name="label")
    X = pd.DataFrame(rng.normal(size=(y.size, 3)) + y.to_numpy()[:, None], columns=list("abc"))
    Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    with pytest.raises(TypeError, match=r"OwnKernel has no Dask implementation\. It overrides how SMOTE decides.*"
                                        r"_partitioned"):
        OwnKernel(random_state=0).fit_resample(Xd, yd)
    # Declared: the chunks of synthetic rows cut across blocks of both kinds.
    monkeypatch.setattr(_driver, "_MIN_CHUNK_ROWS", 37)
    X_ref, y_ref = MixedBlocks(random_state=0).fit_resample(X, y)
    assert (X_ref.to_numpy() > 50).any()
    X_out, y_out = dask.compute(*MixedBlocks(random_state=0).fit_resample(Xd, yd))
    assert _sorted_rows(X_out, y_out) == _sorted_rows(X_ref, y_ref)
