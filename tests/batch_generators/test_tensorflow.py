"""smotekit.tensorflow.balanced_batch_generator: needs no TensorFlow to make batches.

Everything here runs without TensorFlow; one test trains a TensorFlow model
when TensorFlow is installed (it is not in the ``test`` extra: 1.4 GB).
"""

import importlib
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.base import clone

from smotekit.over_sampling import RandomOverSampler
from smotekit.tensorflow import balanced_batch_generator
from smotekit.under_sampling import ClusterCentroids, NearMiss, RandomUnderSampler, TomekLinks

COUNTS = {0: 30, 1: 50, 2: 40}


@pytest.fixture
def data():
    """Features whose first column is the row number, so batches can be traced back."""
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), list(COUNTS.values()))
    X = np.column_stack([np.arange(y.size), rng.normal(size=(y.size, 3)) + y[:, None]]).astype(np.float32)
    return X, y


def one_pass(generator, n_batches):
    """The batches of one pass over the selected rows."""
    return [next(generator) for _ in range(n_batches)]


def rows_of(batches):
    return np.concatenate([np.asarray(b[0])[:, 0] for b in batches]).astype(int)


@pytest.mark.parametrize("sampler, per_class", [(None, 30), (RandomUnderSampler(), 30),
                                                (RandomOverSampler(), 50), (NearMiss(), 30)])
def test_one_pass_is_the_balanced_selection(data, sampler, per_class):
    X, y = data
    gen, steps = balanced_batch_generator(X, y, sampler=sampler, batch_size=7, random_state=0)
    n_selected = 3 * per_class
    assert steps == n_selected // 7
    batches = one_pass(gen, -(-n_selected // 7))
    assert [len(b[0]) for b in batches] == [7] * steps + [n_selected % 7] * (n_selected % 7 > 0)
    rows = rows_of(batches)
    assert np.array_equal(np.bincount(y[rows]), [per_class] * 3)
    assert np.array_equal(np.concatenate([b[1] for b in batches]), y[rows])
    # The generator starts over with the same rows once a pass is done.
    assert np.array_equal(rows_of(one_pass(gen, len(batches))), rows)


def test_batches_are_shuffled_across_classes(data):
    X, y = data
    gen, steps = balanced_batch_generator(X, y, batch_size=30, random_state=0)
    assert all(len(np.unique(y_batch)) == 3 for _, y_batch in one_pass(gen, steps))


def test_same_seed_same_batches_other_seed_other_batches(data):
    X, y = data

    def rows(seed):
        gen, steps = balanced_batch_generator(X, y, batch_size=10, random_state=seed)
        return rows_of(one_pass(gen, steps))

    assert np.array_equal(rows(1), rows(1))
    assert not np.array_equal(rows(1), rows(2))
    assert np.array_equal(rows(np.random.RandomState(3)), rows(np.random.RandomState(3)))
    assert np.array_equal(rows(np.random.default_rng(4)), rows(np.random.default_rng(4)))


def test_sample_weight_follows_the_rows(data):
    X, y = data
    weights = np.linspace(0.1, 1.0, y.size)
    gen, steps = balanced_batch_generator(X, y, sample_weight=weights, batch_size=10, random_state=0)
    for X_batch, y_batch, w_batch in one_pass(gen, steps):
        rows = X_batch[:, 0].astype(int)
        assert np.array_equal(w_batch, weights[rows]) and np.array_equal(y_batch, y[rows])


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
@pytest.mark.parametrize("keep_sparse", [True, False])
def test_sparse_X(data, fmt, keep_sparse):
    X, y = data
    gen, steps = balanced_batch_generator(sparse.csr_matrix(X).asformat(fmt), y, batch_size=10,
                                          keep_sparse=keep_sparse, random_state=0)
    dense_gen, _ = balanced_batch_generator(X, y, batch_size=10, random_state=0)
    for (X_batch, _), (X_dense, _) in zip(one_pass(gen, steps), one_pass(dense_gen, steps)):
        assert sparse.issparse(X_batch) == keep_sparse
        assert np.array_equal(X_batch.toarray() if keep_sparse else X_batch, X_dense)


def test_pandas_batches_keep_their_index_labels(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=["row", "a", "b", "c"], index=np.arange(y.size) + 1000)
    labels = pd.Series(y, index=frame.index, name="label")
    gen, steps = balanced_batch_generator(frame, labels, batch_size=10, random_state=0)
    for X_batch, y_batch in one_pass(gen, steps):
        assert isinstance(X_batch, pd.DataFrame) and isinstance(y_batch, pd.Series)
        assert list(X_batch.columns) == ["row", "a", "b", "c"] and y_batch.name == "label"
        assert np.array_equal(X_batch.index, y_batch.index)
        assert np.array_equal(X_batch.index - 1000, X_batch["row"].astype(int))


def test_polars_and_lists(data):
    X, y = data
    gen, steps = balanced_batch_generator(X.tolist(), y.tolist(), batch_size=10, random_state=0)
    X_batch, y_batch = next(gen)
    assert isinstance(X_batch, np.ndarray) and X_batch.shape == (10, 4)
    assert np.array_equal(y_batch, y[X_batch[:, 0].astype(int)])
    pl = pytest.importorskip("polars")
    gen, _ = balanced_batch_generator(pl.DataFrame(X, schema=list("rabc")), pl.Series(y), batch_size=10,
                                      random_state=0)
    X_batch, y_batch = next(gen)
    assert isinstance(X_batch, pl.DataFrame) and isinstance(y_batch, pl.Series)
    assert np.array_equal(y_batch.to_numpy(), y[X_batch["r"].to_numpy().astype(int)])


def test_one_hot_targets_are_balanced_by_class(data):
    X, y = data
    one_hot = np.eye(3, dtype=np.int32)[y]
    gen, steps = balanced_batch_generator(X, one_hot, batch_size=10, random_state=0)
    y_all = np.concatenate([b[1] for b in one_pass(gen, steps)])
    assert y_all.shape == (90, 2 + 1) and np.array_equal(y_all.sum(axis=0), [30, 30, 30])


def test_inputs_are_not_modified_and_sampler_not_fitted(data):
    X, y = data
    X0, y0, sampler = X.copy(), y.copy(), RandomUnderSampler(random_state=0)
    gen, steps = balanced_batch_generator(X, y, sampler=sampler, batch_size=10, random_state=0)
    one_pass(gen, steps)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    assert not hasattr(sampler, "sample_indices_")


def test_data_dependent_sampler(data):
    X, y = data
    gen, steps = balanced_batch_generator(X, y, sampler=TomekLinks(), batch_size=10, random_state=0)
    selected = TomekLinks().fit(X, y)
    selected.fit_resample(X, y)
    rows = rows_of(one_pass(gen, -(-selected.sample_indices_.size // 10)))
    assert steps == selected.sample_indices_.size // 10
    assert np.array_equal(np.sort(rows), np.sort(selected.sample_indices_))


def test_sampler_must_select_rows(data):
    with pytest.raises(ValueError, match="needs to have an attribute 'sample_indices_'.*RandomUnderSampler"):
        balanced_batch_generator(*data, sampler=ClusterCentroids(random_state=0), batch_size=10)


def test_smoothed_bootstrap_batches_hold_the_original_rows(data):
    # The generator takes rows of X by index: RandomOverSampler's shrinkage noise is not applied.
    X, y = data
    gen, _ = balanced_batch_generator(X, y, sampler=RandomOverSampler(shrinkage=0.5), batch_size=10,
                                      random_state=0)
    X_batch, _ = next(gen)
    assert np.array_equal(X_batch, X[X_batch[:, 0].astype(int)])


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True, "10"])
def test_bad_batch_size(data, batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        balanced_batch_generator(*data, batch_size=batch_size)


def test_batch_larger_than_selection(data):
    with pytest.raises(ValueError, match="larger than the 90 rows the sampler selected"):
        balanced_batch_generator(*data, batch_size=91)


def test_two_column_target_that_is_not_one_hot(data):
    X, y = data
    with pytest.raises(ValueError, match="not one-hot"):
        balanced_batch_generator(X, np.column_stack([y, y]), batch_size=10)


@settings(max_examples=25, deadline=None)
@given(counts=st.lists(st.integers(1, 25), min_size=2, max_size=4),
       batch_size=st.integers(1, 12), seed=st.integers(0, 2**16), over=st.booleans())
def test_one_pass_covers_each_selected_row_once(counts, batch_size, seed, over):
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.arange(y.size, dtype=float)[:, None]
    sampler = RandomOverSampler(random_state=seed) if over else RandomUnderSampler(random_state=seed)
    size = len(counts) * (max(counts) if over else min(counts))
    if size < batch_size:
        with pytest.raises(ValueError, match="lower batch_size"):
            balanced_batch_generator(X, y, sampler=sampler, batch_size=batch_size, random_state=seed)
        return
    gen, steps = balanced_batch_generator(X, y, sampler=sampler, batch_size=batch_size, random_state=seed)
    assert steps == size // batch_size
    rows = rows_of(one_pass(gen, -(-size // batch_size)))
    expected = np.sort(clone(sampler).fit_resample(X, y)[0][:, 0]).astype(int)
    assert np.array_equal(np.sort(rows), expected)


def test_imports_without_tensorflow(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    for name in [m for m in sys.modules if m.startswith("smotekit.tensorflow")]:
        monkeypatch.delitem(sys.modules, name)
    module = importlib.import_module("smotekit.tensorflow")
    gen, steps = module.balanced_batch_generator(np.zeros((4, 1)), [0, 0, 1, 1], batch_size=2)
    assert steps == 2 and len(next(gen)[0]) == 2


def test_smotekit_never_imports_a_framework():
    code = ("import sys, smotekit\n"
            "from smotekit.utils.discovery import all_samplers\n"
            "import smotekit.tensorflow\n"
            "assert all_samplers()\n"
            "print(sorted(m for m in ('keras', 'tensorflow', 'torch', 'jax') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_trains_a_tensorflow_model(data):
    tf = pytest.importorskip(
        "tensorflow",
        reason='TensorFlow is not installed (not in the test extra): pip install "smotekit[tensorflow]"')
    X, y = data
    gen, steps = balanced_batch_generator(X, y, batch_size=10, random_state=0)
    weights = tf.Variable(tf.zeros((X.shape[1], 3)))
    optimizer = tf.keras.optimizers.SGD(0.01)
    for _ in range(steps * 2):
        X_batch, y_batch = next(gen)
        with tf.GradientTape() as tape:
            logits = tf.matmul(X_batch, weights)
            losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_batch, logits=logits)
            loss = tf.reduce_mean(losses)
        optimizer.apply_gradients([(tape.gradient(loss, weights), weights)])
    assert np.isfinite(weights.numpy()).all() and np.abs(weights.numpy()).sum() > 0
