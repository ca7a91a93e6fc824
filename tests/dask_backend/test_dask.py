"""The Dask backend against the in-memory samplers: same rows, same plan, same provenance."""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from sklearn.datasets import make_classification  # noqa: E402

from smotekit.combine import SMOTEENN, SMOTETomek  # noqa: E402
from smotekit.dask import supported_samplers  # noqa: E402
from smotekit.over_sampling import ADASYN, SMOTE, SMOTEN, SMOTENC, BorderlineSMOTE, KMeansSMOTE, RandomOverSampler  # noqa: E402
from smotekit.under_sampling import EditedNearestNeighbours, RandomUnderSampler, TomekLinks  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


def _frame(n=400, n_classes=2, seed=0, weights=None):
    X, y = make_classification(n_samples=n, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=n_classes, weights=weights or ([0.85] if n_classes == 2 else [0.7, 0.2]),
                               flip_y=0.03, class_sep=0.8, random_state=seed)
    return pd.DataFrame(X, columns=list("abcd")), pd.Series(y, name="label")


def _split(df, s, sizes):
    """A Dask frame and series with partitions of the given sizes."""
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    parts = [df.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    ys = [s.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    both = dd.from_delayed([dask.delayed(pd.concat)([p, q], axis=1) for p, q in zip(parts, ys)],
                           meta=pd.concat([df.iloc[:0], s.iloc[:0]], axis=1))
    return both.drop(columns=s.name), both[s.name]


def _rows(X, y):
    """The output rows as a sorted array (a multiset of rows, labels included)."""
    a = np.column_stack([np.asarray(X, dtype=float), np.asarray(y, dtype=float)])
    return a[np.lexsort(a.T[::-1])]


def _partitionings(n):
    rng = np.random.default_rng(n)
    cuts = np.sort(rng.choice(np.arange(1, n), size=6, replace=False))
    return {
        "one": [n],
        "uneven": np.diff(np.concatenate([[0], cuts, [n]])).tolist(),
        "with-empty": [n // 3, 0, n - n // 3],
    }


SAMPLERS = [
    SMOTE(random_state=0),
    RandomOverSampler(random_state=1),
    RandomOverSampler(random_state=1, shrinkage=0.3),
    BorderlineSMOTE(random_state=2),
    BorderlineSMOTE(random_state=2, kind="borderline-2", k_neighbors=7, m_neighbors=5),
    ADASYN(random_state=3),
    RandomUnderSampler(random_state=4),
    RandomUnderSampler(random_state=4, replacement=True),
    TomekLinks(),
    TomekLinks(sampling_strategy="all"),
    EditedNearestNeighbours(),
    EditedNearestNeighbours(kind_sel="mode", sampling_strategy="all"),
    SMOTEENN(random_state=5),
    SMOTETomek(random_state=6),
]


def _id(est):
    params = {k: v for k, v in est.get_params(deep=False).items() if k != "random_state"}
    changed = {k: v for k, v in params.items() if v != type(est)().get_params(deep=False).get(k)}
    return type(est).__name__ + "".join(f"-{k}={v}" for k, v in changed.items())


@pytest.mark.slow
@pytest.mark.parametrize("est", SAMPLERS, ids=_id)
@pytest.mark.parametrize("how", ["one", "uneven", "with-empty"])
def test_same_rows_as_in_memory(client, est, how):
    df, s = _frame()
    X_ref, y_ref = est.fit_resample(df, s)
    prov_ref = est.provenance_.to_frame()
    plan_ref = est.sampling_plan_
    Xd, yd = est.fit_resample(*_split(df, s, _partitionings(len(df))[how]))
    X_out, y_out = dask.compute(Xd, yd)
    assert est.sampling_plan_ == plan_ref
    np.testing.assert_array_equal(_rows(X_out, y_out), _rows(X_ref, y_ref))
    assert list(X_out.columns) == list(df.columns) and y_out.name == "label"
    assert (X_out.index == np.arange(len(X_out))).all()
    prov = est.provenance_.compute()
    key = ["is_synthetic", "source", "partner", "gap"]
    pd.testing.assert_frame_equal(prov.sort_values(key).reset_index(drop=True)[key],
                                  prov_ref.sort_values(key).reset_index(drop=True)[key])
    # Each output row is what its provenance says it is.
    original = ~prov["is_synthetic"].to_numpy()
    np.testing.assert_array_equal(X_out.to_numpy()[original], df.to_numpy()[prov["source"][original]])


@pytest.mark.slow
@pytest.mark.parametrize("est", [BorderlineSMOTE(random_state=0, m_neighbors=4, k_neighbors=2), TomekLinks(),
                                 EditedNearestNeighbours()], ids=_id)
def test_one_row_per_partition(client, est):
    df, s = _frame(n=30, seed=3, weights=[0.7])
    X_ref, y_ref = est.fit_resample(df, s)
    Xd, yd = est.fit_resample(*_split(df, s, [1] * len(df)))
    np.testing.assert_array_equal(_rows(*dask.compute(Xd, yd)), _rows(X_ref, y_ref))


@pytest.mark.parametrize("est", [SMOTE(random_state=0), BorderlineSMOTE(random_state=0), ADASYN(random_state=0),
                                 TomekLinks(), EditedNearestNeighbours(), SMOTEENN(random_state=0)], ids=_id)
def test_multiclass(client, est):
    df, s = _frame(n=600, n_classes=3, seed=1)
    X_ref, y_ref = est.fit_resample(df, s)
    Xd, yd = est.fit_resample(*_split(df, s, [150, 250, 200]))
    np.testing.assert_array_equal(_rows(*dask.compute(Xd, yd)), _rows(X_ref, y_ref))


def test_fitted_attributes_match(client):
    df, s = _frame(seed=2)
    ref = BorderlineSMOTE(random_state=0).fit(df, s)
    ref.fit_resample(df, s)
    est = BorderlineSMOTE(random_state=0)
    est.fit_resample(*_split(df, s, [100, 300]))
    for label, rows in ref.danger_indices_.items():
        np.testing.assert_array_equal(est.danger_indices_[label], rows)
    assert est.sampling_strategy_ == ref.sampling_strategy_
    np.testing.assert_array_equal(est.feature_names_in_, list("abcd"))
    fitted = BorderlineSMOTE().fit(*_split(df, s, [200, 200]))
    assert fitted.sampling_plan_ == ref.sampling_plan_


def test_nominal_samplers(client):
    rng = np.random.default_rng(0)
    n = 600
    df = pd.DataFrame({"amount": rng.normal(size=n), "colour": pd.Categorical(rng.choice(list("xyz"), n)),
                       "count": rng.integers(0, 10, n), "shop": rng.choice(["p", "q", "r"], n)})
    s = pd.Series((rng.random(n) < 0.15).astype(int), name="label")
    for est, data in [(SMOTENC(categorical_features=["colour", "shop"], random_state=0), df),
                      (SMOTEN(random_state=0), df[["colour", "shop"]])]:
        Xd, yd = est.fit_resample(*_split(data, s, [100, 200, 300]))
        X_out, y_out = dask.compute(Xd, yd)
        # The reference runs on the partitions' own dtypes (Dask stores strings as Arrow strings).
        X_ref, y_ref = est.fit_resample(_split(data, s, [n])[0].compute(), s)
        key = lambda X, y: sorted(map(tuple, X.astype(str).assign(y=np.asarray(y)).to_numpy().tolist()))  # noqa: E731
        assert key(X_out, y_out) == key(X_ref, y_ref)
        assert dict(X_out.dtypes) == dict(X_ref.dtypes)


def test_dask_arrays(client):
    X, y = make_classification(n_samples=500, n_features=3, n_informative=3, n_redundant=0,
                               weights=[0.9], random_state=0)
    est = SMOTE(random_state=0)
    X_ref, y_ref = est.fit_resample(X, y)
    Xd, yd = est.fit_resample(da.from_array(X, chunks=(120, 3)), da.from_array(y, chunks=120))
    assert isinstance(Xd, da.Array) and Xd.shape == X_ref.shape
    np.testing.assert_array_equal(_rows(*dask.compute(Xd, yd)), _rows(X_ref, y_ref))


def test_result_does_not_depend_on_partitioning(client):
    df, s = _frame(n=300, seed=4)
    outs = []
    for sizes in ([300], [10] * 30, [7, 93, 150, 50]):
        outs.append(_rows(*dask.compute(*SMOTE(random_state=11).fit_resample(*_split(df, s, sizes)))))
    for other in outs[1:]:
        np.testing.assert_array_equal(outs[0], other)


# --------------------------------------------------------------------------- errors

def test_unsupported_sampler_lists_supported(client):
    df, s = _frame()
    with pytest.raises(TypeError, match="KMeansSMOTE has no Dask implementation.*SMOTEENN"):
        KMeansSMOTE().fit_resample(*_split(df, s, [200, 200]))
    assert set(supported_samplers()) >= {"SMOTE", "ADASYN", "TomekLinks", "SMOTETomek"}


def test_within_class_neighbours_may_be_an_object(client):
    # Borderline-1 searches k_neighbors within the gathered class only: an object works.
    from sklearn.neighbors import NearestNeighbors

    df, s = _frame()
    est = BorderlineSMOTE(random_state=0, k_neighbors=NearestNeighbors(n_neighbors=6))
    X_ref, y_ref = est.fit_resample(df, s)
    np.testing.assert_array_equal(_rows(*dask.compute(*est.fit_resample(*_split(df, s, [150, 250])))),
                                  _rows(X_ref, y_ref))


def test_gather_limit(client):
    df, s = _frame()
    with dask.config.set({"smotekit.gather-limit": "1kB"}):
        with pytest.raises(ValueError, match="gather limit of .*smotekit.gather-limit"):
            SMOTE().fit_resample(*_split(df, s, [200, 200]))


def test_bad_inputs(client):
    df, s = _frame()
    Xd, yd = _split(df, s, [200, 200])
    with pytest.raises(ValueError, match="callable sampling_strategy"):
        SMOTE(sampling_strategy=lambda y: {1: 400}).fit_resample(Xd, yd)
    from sklearn.neighbors import NearestNeighbors
    with pytest.raises(TypeError, match="m_neighbors must be an int"):
        BorderlineSMOTE(m_neighbors=NearestNeighbors(n_neighbors=11)).fit_resample(Xd, yd)
    with pytest.raises(TypeError, match="y must be a Dask Series"):
        SMOTE().fit_resample(Xd, s)
    bad = df.copy()
    bad.iloc[350, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SMOTE().fit_resample(*_split(bad, s, [200, 200]))
    mine = df.copy()
    SMOTE().fit_resample(*_split(mine, s, [200, 200]))
    pd.testing.assert_frame_equal(mine, df)


def test_multi_block_class_same_draws_whatever_the_partitioning(client):
    """A class of more than one draw block: every partitioning (so every chunking of the
    new rows) gives the in-memory rows, in the in-memory order."""
    from smotekit._generation import DRAW_BLOCK_ROWS

    rng = np.random.default_rng(1)
    y = pd.Series(np.repeat([0, 1, 2], [DRAW_BLOCK_ROWS + 5_000, 900, 40]), name="label")
    X = pd.DataFrame(rng.normal(size=(y.size, 3)) + y.to_numpy()[:, None], columns=list("abc"))
    order = rng.permutation(y.size)
    X, y = X.iloc[order].reset_index(drop=True), y.iloc[order].reset_index(drop=True)
    est = SMOTE(random_state=7)
    X_ref, y_ref = est.fit_resample(X, y)
    prov_ref = est.provenance_.to_frame()
    assert est.sampling_plan_.classes[1].n_add > DRAW_BLOCK_ROWS
    n = len(X)
    for sizes in ([n], [n // 3, 0, n - n // 3], [7_000] * (n // 7_000) + [n % 7_000]):
        Xd, yd = est.fit_resample(*_split(X, y, sizes))
        X_out, y_out, prov = dask.compute(Xd, yd, est.provenance_)
        np.testing.assert_array_equal(X_out.to_numpy(), X_ref.to_numpy())
        np.testing.assert_array_equal(y_out.to_numpy(), y_ref.to_numpy())
        pd.testing.assert_frame_equal(prov.reset_index(drop=True), prov_ref, check_dtype=False)


def test_small_draw_blocks_and_chunks(client, monkeypatch):
    """Draw blocks of 64 rows and chunks of a few blocks: each output partition draws only
    its own blocks, and the rows are the in-memory ones for every chunking."""
    from smotekit import _generation
    from smotekit.dask import _driver

    monkeypatch.setattr(_generation, "DRAW_BLOCK_ROWS", 64)
    monkeypatch.setattr(_driver, "DRAW_BLOCK_ROWS", 64)
    monkeypatch.setattr(_driver, "_MIN_CHUNK_ROWS", 37)
    df, s = _frame(n=600, n_classes=3, seed=2)
    est = SMOTE(random_state=3)
    X_ref, y_ref = est.fit_resample(df, s)
    for sizes in ([600], [150] * 4, [40] * 15):
        Xd, yd = est.fit_resample(*_split(df, s, sizes))
        X_out, y_out = dask.compute(Xd, yd)
        np.testing.assert_array_equal(X_out.to_numpy(), X_ref.to_numpy())
        np.testing.assert_array_equal(y_out.to_numpy(), y_ref.to_numpy())
        # The synthetic partitions: whole blocks of one class, but for each class's last.
        lengths = Xd.map_partitions(len).compute().tolist()[len(sizes):]
        n_add = [c.n_add for c in est.sampling_plan_.classes if c.n_add]
        assert sum(lengths) == sum(n_add) and sum(n % 64 != 0 for n in lengths) <= len(n_add)
    assert len(lengths) > len(n_add)  # several partitions per class with the smallest chunks


# --------------------------------------------------------------------------- faults and memory

def _gaussians(i, n, d, seed=0):
    rng = np.random.default_rng([seed, i])
    y = (rng.random(n) < 0.01).astype(np.int8)
    X = rng.standard_normal((n, d))
    X[y == 1] += 1.5
    return pd.DataFrame(X, columns=[f"f{j}" for j in range(d)]).assign(label=y)


def _lazy_frame(n_parts, rows, d):
    meta = _gaussians(0, 0, d)
    return dd.from_delayed([dask.delayed(_gaussians)(i, rows, d) for i in range(n_parts)], meta=meta)


def _die_soon():
    """End this worker process abruptly, just after answering (as a crash would)."""
    threading.Timer(0.05, os._exit, args=(1,)).start()


@pytest.mark.slow
def test_losing_a_worker_gives_the_same_result():
    """Kill the worker that holds the gathered rows and the drawn samples, then another
    in the middle of writing: the lost tasks are recomputed to the same result."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        df = _lazy_frame(8, 5_000, 5)
        expected = dask.compute(*SMOTE(random_state=0).fit_resample(df.drop(columns="label"), df["label"]))
        est = SMOTE(random_state=0)
        Xd, yd = est.fit_resample(df.drop(columns="label"), df["label"])
        holders = {w for ws in c.who_has().values() for w in ws}
        assert holders, "fit_resample keeps its decisions on the cluster"
        c.run(_die_soon, workers=[sorted(holders)[0]])
        futures = c.compute([Xd, yd])
        time.sleep(0.2)
        c.run(_die_soon, workers=[sorted(c.scheduler_info()["workers"])[-1]])
        X_out, y_out = c.gather(futures)
    np.testing.assert_array_equal(_rows(X_out, y_out), _rows(*expected))


@pytest.mark.slow
def test_client_memory_stays_bounded(tmp_path):
    """1M rows x 10 features stream through the workers to Parquet; the client process
    holds the minority and the plan, not the rows."""
    psutil = pytest.importorskip("psutil")
    proc = psutil.Process()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster):
        df = _lazy_frame(8, 125_000, 10)
        before = proc.memory_info().rss
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], proc.memory_info().rss)
                time.sleep(0.02)

        watcher = threading.Thread(target=sample)
        watcher.start()
        try:
            X_res, y_res = SMOTE(random_state=0).fit_resample(df.drop(columns="label"), df["label"])
            X_res.assign(label=y_res).to_parquet(tmp_path / "out", write_index=False)
        finally:
            done.set()
            watcher.join()
        counts = dd.read_parquet(tmp_path / "out")["label"].value_counts().compute()
    data_bytes = (1_000_000 + 2 * counts.min()) * 11 * 8
    assert counts.nunique() == 1 and counts.sum() > 1_900_000
    # The rows read and written are ~250 MB; the client grows by a small fraction of that.
    assert peak[0] - before < 0.25 * data_bytes, (peak[0] - before) / 2**20


def test_kernel_too_big_for_a_worker(client, monkeypatch):
    from smotekit.dask import _driver

    monkeypatch.setattr(_driver, "_WORKER_BASE_BYTES", 2**50)
    df, s = _frame()
    with pytest.raises(ValueError, match="smallest Dask worker's .*more memory"):
        SMOTE().fit_resample(*_split(df, s, [200, 200]))


@pytest.mark.parametrize("est", [SMOTEENN(random_state=0), SMOTETomek(random_state=0)], ids=_id)
def test_hybrids_on_integer_columns(client, est):
    # The cleaner sees the synthetic values unrounded, as in memory; the output is rounded.
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.integers(0, 20, 400), "b": rng.integers(0, 20, 400)})
    s = pd.Series((rng.random(400) < 0.2).astype(int), name="label")
    X_ref, y_ref = est.fit_resample(df, s)
    X_out, y_out = dask.compute(*est.fit_resample(*_split(df, s, [150, 250])))
    np.testing.assert_array_equal(_rows(X_out, y_out), _rows(X_ref, y_ref))
    assert dict(X_out.dtypes) == dict(X_ref.dtypes)


def test_hybrid_checks_its_steps(client):
    df, s = _frame()
    Xd, yd = _split(df, s, [200, 200])
    with pytest.raises(ValueError, match="kind_sel"):
        SMOTEENN(enn=EditedNearestNeighbours(kind_sel="bogus")).fit_resample(Xd, yd)
    with pytest.raises(ValueError, match=r"'k_neighbors' parameter of SMOTE must be an int in the range \[1,"):
        SMOTETomek(smote=SMOTE(k_neighbors=0)).fit_resample(Xd, yd)
    hybrid = SMOTETomek(random_state=0)
    hybrid.fit_resample(Xd, yd)
    ref = SMOTETomek(random_state=0)
    ref.fit_resample(df, s)
    assert hybrid.smote_.provenance_.compute()["is_synthetic"].sum() == ref.smote_.provenance_.n_added


def test_x_and_y_indexed_differently(client):
    df, s = _frame(n=300)
    y_shifted = s.set_axis(np.arange(300) + 1000)
    with pytest.raises(ValueError, match="indexed differently"):
        SMOTE().fit_resample(dd.from_pandas(df, npartitions=3), dd.from_pandas(y_shifted, npartitions=3))
