"""A subclass of every sampler that runs on Dask runs there too, and equals its in-memory result.

The driver reads what to gather and which rule decides from the sampler's tags,
never from its class, so a subclass that changes nothing is the parent on Dask.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from smotekit.combine import SMOTEENN, SMOTETomek  # noqa: E402
from smotekit.dask import supported_samplers  # noqa: E402
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
