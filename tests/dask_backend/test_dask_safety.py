"""The Dask backend on awkward inputs: categories that differ between files, X and y that do not pair."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from smotekit.over_sampling import SMOTE, SMOTEN, SMOTENC  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


def _file(categories, n, seed, *, as_category, label_categories=None):
    rng = np.random.default_rng(seed)
    colour = rng.choice(categories, n)
    label = np.where(rng.random(n) < 0.2, "rare", "common")
    frame = pd.DataFrame({"amount": rng.normal(size=n), "colour": colour, "shop": rng.choice(["p", "q"], n),
                          "label": label})
    if as_category:
        frame["colour"] = pd.Categorical(colour, categories=categories)
    if label_categories is not None:
        frame["label"] = pd.Categorical(label, categories=label_categories)
    return frame


def _folder(path, *, as_category, label_categories=(None, None, None)):
    """Three Parquet files whose colour categories differ: {a, b}, {b, c}, {d, a}."""
    path.mkdir()
    for i, (cats, n) in enumerate([(["a", "b"], 120), (["b", "c"], 150), (["d", "a"], 90)]):
        _file(cats, n, i, as_category=as_category,
              label_categories=label_categories[i]).to_parquet(path / f"part.{i}.parquet", index=False)
    return path


def _key(X, y):
    return sorted(map(tuple, X.astype(str).assign(y=np.asarray(y, dtype=str)).to_numpy().tolist()))


@pytest.mark.slow
@pytest.mark.parametrize("as_category", [True, False], ids=["category", "string"])
@pytest.mark.parametrize("label_categories", [(None, None, None),
                                              (["common", "rare"], ["rare", "common"], ["common", "rare"])],
                         ids=["label-plain", "label-category"])
@pytest.mark.parametrize("make, columns", [
    (lambda: SMOTENC(categorical_features=["colour", "shop"], random_state=0), ["amount", "colour", "shop"]),
    (lambda: SMOTEN(random_state=0), ["colour", "shop"]),
], ids=["SMOTENC", "SMOTEN"])
def test_categories_differ_between_files(client, tmp_path, as_category, label_categories, make, columns):
    df = dd.read_parquet(_folder(tmp_path / "in", as_category=as_category, label_categories=label_categories))
    X, y = df[columns], df["label"]
    X_res, y_res = make().fit_resample(X, y)
    X_out, y_out = dask.compute(X_res, y_res)
    # The in-memory contract: the same sampler on the data as Dask concatenates them.
    X_ref, y_ref = make().fit_resample(X.compute(), y.compute())
    assert _key(X_out, y_out) == _key(X_ref, y_ref)
    assert dict(X_out.dtypes) == dict(X_ref.dtypes)
    # Every output partition carries the collection's dtypes, the synthetic ones included.
    for part, labels in zip(X_res.to_delayed(), y_res.to_delayed()):
        part, labels = dask.compute(part, labels)
        assert dict(part.dtypes) == dict(X_res._meta.dtypes)
        assert labels.dtype == y_res._meta.dtype
    if as_category:
        assert list(X_res._meta["colour"].cat.categories) == ["a", "b", "c", "d"]


# --------------------------------------------------------------------------- X and y that do not pair

def _xy(n=30, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 3)), columns=list("abc"))
    return X, pd.Series(np.where(np.arange(n) % 3 == 0, 1, 0), name="label")


def _parts(obj, sizes, *, reset):
    """A Dask collection with partitions of the given sizes; ``reset``: each partition indexed from 0,
    as when every file of a folder is read on its own."""
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    pieces = [obj.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    pieces = [p.reset_index(drop=True) if reset else p for p in pieces]
    return dd.from_delayed([dask.delayed(p) for p in pieces], meta=obj.iloc[:0], verify_meta=False)


@pytest.mark.parametrize("x_sizes, y_sizes, y_rows, reset, message", [
    ([10, 10, 10], [15, 15], 30, False,
     "X and y are partitioned differently. Rows per partition: X 10, 10, 10; y 15, 15."),
    ([10, 10, 10], [15, 10, 5], 30, True,
     "X and y are partitioned differently. Rows per partition: X 10, 10, 10; y 15, 10, 5."),
    ([10, 10, 10], [10, 10, 5], 25, True,
     "X has 30 rows but y has 25; y needs one label per row of X. Rows per partition: X 10, 10, 10; y 10, 10, 5."),
    ([10, 10, 10], [10, 10, 5], 25, False, "X has 30 rows but y has 25"),
], ids=["partition-counts", "partition-sizes", "fewer-labels-reset", "fewer-labels"])
def test_x_and_y_that_do_not_pair(client, x_sizes, y_sizes, y_rows, reset, message):
    X, y = _xy()
    Xd, yd = _parts(X, x_sizes, reset=reset), _parts(y.iloc[:y_rows], y_sizes, reset=reset)
    with pytest.raises(ValueError) as info:
        SMOTE(k_neighbors=2).fit_resample(Xd, yd)
    text = str(info.value)
    assert message in text and "Take both from one frame" in text, text
    assert "duplicate labels" not in text and "missing labels" not in text


def test_x_and_y_with_other_index_labels(client):
    X, y = _xy()
    with pytest.raises(ValueError, match=r"indexed differently: the same rows per partition, but other index "
                                         r"labels \(first in partition 0\)\. Rows per partition: X 10, 10, 10"):
        SMOTE(k_neighbors=2).fit_resample(_parts(X, [10, 10, 10], reset=False),
                                          _parts(y.set_axis(np.arange(30) + 100), [10, 10, 10], reset=False))
    # A sorted index on both sides (known divisions) with a different number of rows.
    with pytest.raises(ValueError, match="X has 30 rows but y has 25"):
        SMOTE(k_neighbors=2).fit_resample(dd.from_pandas(X, npartitions=3), dd.from_pandas(y.iloc[:25], npartitions=3))


def test_x_and_y_from_different_frames_that_do_pair(client):
    # Same rows, partitions and index: the diagnosis does not get in the way, and a genuine
    # problem in y keeps its own message.
    X, y = _xy()
    Xd, yd = _parts(X, [10, 20], reset=True), _parts(y, [10, 20], reset=True)
    X_res, y_res = dask.compute(*SMOTE(k_neighbors=2, random_state=0).fit_resample(Xd, yd))
    X_ref, y_ref = SMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)
    assert len(X_res) == len(X_ref) and y_res.value_counts().to_dict() == y_ref.value_counts().to_dict()
    with pytest.raises(ValueError, match="y contains missing labels"):
        SMOTE(k_neighbors=2).fit_resample(Xd, _parts(y.astype(float).where(y.index != 4), [10, 20], reset=True))
