"""smotekit.keras: a Keras ``PyDataset`` of balanced batches, and the generator function.

Keras runs on the PyTorch backend here when PyTorch is installed (the ``test``
extra brings both), so no TensorFlow is needed.
"""

import importlib
import sys

import numpy as np
import pytest
from scipy import sparse

from smotekit.over_sampling import RandomOverSampler
from smotekit.under_sampling import ClusterCentroids, NearMiss

# tests/conftest.py points KERAS_BACKEND at PyTorch, which the test extra installs.
try:
    import keras
except ImportError:
    keras = None

# Keras' PyTorch backend converts tensors with np.array(x), which numpy 2 warns about.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept:DeprecationWarning")
needs_keras = pytest.mark.skipif(keras is None,
                                 reason='Keras is not installed: pip install "smotekit[keras]"')
if keras is not None:
    from smotekit.keras import BalancedBatchGenerator, balanced_batch_generator


@pytest.fixture
def data():
    """Three classes of 30, 50 and 40 rows; column 0 is the row number."""
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [30, 50, 40])
    X = np.column_stack([np.arange(y.size), rng.normal(size=(y.size, 2)) + 3 * y[:, None]])
    return X.astype(np.float32), y


def all_batches(generator):
    return [generator[i] for i in range(len(generator))]


@needs_keras
def test_is_a_keras_dataset(data):
    generator = BalancedBatchGenerator(*data, batch_size=10, random_state=0)
    base = getattr(keras.utils, "PyDataset", None) or keras.utils.Sequence
    assert isinstance(generator, base)
    assert generator.use_sequence_api is True


@needs_keras
@pytest.mark.parametrize("sampler, per_class", [(None, 30), (RandomOverSampler(random_state=0), 50),
                                                (NearMiss(), 30)])
def test_batches_cover_the_balanced_selection(data, sampler, per_class):
    X, y = data
    generator = BalancedBatchGenerator(X, y, sampler=sampler, batch_size=7, random_state=0)
    assert generator.indices_.size == 3 * per_class
    assert len(generator) == 3 * per_class // 7
    assert np.array_equal(np.bincount(y[generator.indices_]), [per_class] * 3)
    batches = all_batches(generator)
    assert all(len(X_batch) == 7 for X_batch, _ in batches)
    rows = np.concatenate([X_batch[:, 0] for X_batch, _ in batches]).astype(int)
    assert np.array_equal(rows, generator.indices_[: len(generator) * 7])
    assert np.array_equal(np.concatenate([y_batch for _, y_batch in batches]), y[rows])
    assert generator[-1][0].shape == batches[-1][0].shape
    with pytest.raises(IndexError, match="out of range"):
        generator[len(generator)]


@needs_keras
def test_reproducible(data):
    first, again, other = (BalancedBatchGenerator(*data, batch_size=10, random_state=seed).indices_
                           for seed in (1, 1, 2))
    assert np.array_equal(first, again) and not np.array_equal(first, other)


@needs_keras
def test_sample_weight_and_one_hot_targets(data):
    X, y = data
    weights = np.linspace(0.1, 1.0, y.size)
    one_hot = keras.utils.to_categorical(y, 3)
    generator = BalancedBatchGenerator(X, one_hot, sample_weight=weights, batch_size=10, random_state=0)
    assert np.array_equal(np.bincount(y[generator.indices_]), [30, 30, 30])
    X_batch, y_batch, w_batch = generator[0]
    rows = X_batch[:, 0].astype(int)
    assert np.array_equal(y_batch, one_hot[rows]) and np.array_equal(w_batch, weights[rows])


@needs_keras
@pytest.mark.parametrize("keep_sparse", [True, False])
def test_sparse_X(data, keep_sparse):
    X, y = data
    generator = BalancedBatchGenerator(sparse.csr_matrix(X), y, batch_size=10, keep_sparse=keep_sparse,
                                       random_state=0)
    dense = BalancedBatchGenerator(X, y, batch_size=10, random_state=0)
    for (X_batch, _), (X_dense, _) in zip(all_batches(generator), all_batches(dense)):
        assert sparse.issparse(X_batch) == keep_sparse
        assert np.array_equal(X_batch.toarray() if keep_sparse else X_batch, X_dense)


@needs_keras
def test_pandas_X(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=["row", "a", "b"])
    generator = BalancedBatchGenerator(frame, pd.Series(y), sampler=NearMiss(), batch_size=10, random_state=0)
    X_batch, y_batch = generator[0]
    assert isinstance(X_batch, pd.DataFrame) and np.array_equal(X_batch.index, X_batch["row"].astype(int))
    assert np.array_equal(y_batch.to_numpy(), y[X_batch.index])


@needs_keras
def test_errors(data):
    with pytest.raises(ValueError, match="needs to have an attribute"):
        BalancedBatchGenerator(*data, sampler=ClusterCentroids(random_state=0), batch_size=10)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        BalancedBatchGenerator(*data, batch_size=0)
    with pytest.raises(ValueError, match="lower batch_size"):
        BalancedBatchGenerator(*data, batch_size=91)
    with pytest.raises(ValueError, match="needs to have an attribute"):
        balanced_batch_generator(*data, sampler=ClusterCentroids(random_state=0), batch_size=10)


@needs_keras
def test_function_yields_batches_forever(data):
    generator, steps = balanced_batch_generator(*data, batch_size=10, random_state=0)
    assert steps == 9
    firsts = [next(generator)[0][:, 0] for _ in range(2 * steps)]
    assert all(np.array_equal(a, b) for a, b in zip(firsts[:steps], firsts[steps:]))


def _model(n_features, n_classes):
    model = keras.Sequential([keras.Input((n_features,)),
                              keras.layers.Dense(n_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="categorical_crossentropy")
    return model


@needs_keras
def test_trains_a_keras_model(data):
    X, y = data
    X = X[:, 1:]  # the row number is no feature
    one_hot = keras.utils.to_categorical(y, 3)
    keras.utils.set_random_seed(0)
    model = _model(X.shape[1], 3)
    batches = BalancedBatchGenerator(X, one_hot, batch_size=15, random_state=0)
    history = model.fit(batches, epochs=2, verbose=0)
    generator, steps = balanced_batch_generator(X, one_hot, batch_size=15, random_state=0)
    history_fn = model.fit(generator, steps_per_epoch=steps, epochs=1, shuffle=False, verbose=0)
    losses = history.history["loss"] + history_fn.history["loss"]
    assert len(losses) == 3 and np.isfinite(losses).all()
    assert losses[-1] < losses[0]


def test_import_without_keras_gives_the_install_hint(monkeypatch):
    for name in ("keras", "tensorflow"):
        monkeypatch.setitem(sys.modules, name, None)
    for name in [m for m in sys.modules if m.startswith("smotekit.keras")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "smotekit\[keras\]"') as error:
        importlib.import_module("smotekit.keras")
    assert error.value.name == "keras"  # an optional dependency, as tools that skip extras expect


def test_import_with_keras_but_no_backend_says_so(monkeypatch, tmp_path):
    # A stand-in Keras whose backend import fails, as Keras 3 does without TensorFlow
    # when KERAS_BACKEND is not set.
    (tmp_path / "keras").mkdir()
    (tmp_path / "keras" / "__init__.py").write_text("import smotekit_test_missing_backend\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    for name in [m for m in sys.modules if m.startswith("smotekit.keras")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ModuleNotFoundError, match="cannot load its backend.*KERAS_BACKEND") as error:
        importlib.import_module("smotekit.keras")
    assert error.value.name == "smotekit_test_missing_backend"
