"""smotekit.torch.BalancedBatchSampler: balanced batches of indices for a DataLoader."""

import importlib
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from smotekit.over_sampling import SMOTE, RandomOverSampler
from smotekit.under_sampling import ClusterCentroids, NearMiss, RandomUnderSampler, TomekLinks

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None,
                                 reason='PyTorch is not installed: pip install "smotekit[torch]"')
if torch is not None:
    from torch.utils.data import DataLoader, TensorDataset

    from smotekit.torch import BalancedBatchSampler

N_MAJORITY, N_MINORITY = 90, 10


@pytest.fixture
def labels():
    return np.repeat([0, 1], [N_MAJORITY, N_MINORITY])


def seeded(seed=0):
    return torch.Generator().manual_seed(seed)


def epochs(batch_sampler, n=3):
    return [list(batch_sampler) for _ in range(n)]


def flat(epoch):
    return np.concatenate([np.asarray(b, dtype=int) for b in epoch])


@needs_torch
@pytest.mark.parametrize("drop_last", [False, True])
def test_every_epoch_is_balanced(labels, drop_last):
    batches = BalancedBatchSampler(labels, batch_size=6, drop_last=drop_last, generator=seeded())
    for _ in range(3):
        epoch = list(batches)
        assert len(epoch) == (3 if drop_last else 4) == len(batches)
        assert [len(b) for b in epoch] == [6, 6, 6] + ([] if drop_last else [2])
        assert all(isinstance(i, int) for b in epoch for i in b)
        rows = flat(epoch)
        if not drop_last:
            # Every minority row once, and as many distinct majority rows.
            minority = np.arange(N_MAJORITY, N_MAJORITY + N_MINORITY)
            assert np.array_equal(np.sort(rows[labels[rows] == 1]), minority)
            assert np.unique(rows[labels[rows] == 0]).size == N_MINORITY
            assert np.array_equal(batches.indices_, rows)


@needs_torch
def test_epochs_are_redrawn_and_cover_the_majority(labels):
    batches = BalancedBatchSampler(labels, batch_size=5, generator=seeded())
    seen = [set(flat(e)[labels[flat(e)] == 0]) for e in epochs(batches, 30)]
    assert len({frozenset(s) for s in seen}) == 30
    assert set().union(*seen) == set(range(N_MAJORITY))  # 30 draws of 10 out of 90 see them all


@needs_torch
def test_reproducible_with_a_generator_or_the_global_seed(labels):
    same = [epochs(BalancedBatchSampler(labels, batch_size=4, generator=seeded(7))) for _ in range(2)]
    other = epochs(BalancedBatchSampler(labels, batch_size=4, generator=seeded(8)))
    assert same[0] == same[1] and same[0] != other
    runs = []
    for _ in range(2):
        torch.manual_seed(3)
        runs.append(epochs(BalancedBatchSampler(labels, batch_size=4)))
    assert runs[0] == runs[1]


@needs_torch
def test_len_draws_the_coming_epoch_without_changing_the_sequence(labels):
    plain = BalancedBatchSampler(labels, batch_size=4, generator=seeded())
    asked = BalancedBatchSampler(labels, batch_size=4, generator=seeded())
    expected = epochs(plain, 2)
    got = []
    for _ in range(2):
        n = len(asked)
        assert len(asked) == n  # asking twice draws once
        got.append(list(asked))
        assert len(got[-1]) == n
    assert got == expected


@needs_torch
def test_data_loader_feeds_the_chosen_rows(labels):
    X = torch.arange(labels.size, dtype=torch.float32)[:, None]
    y = torch.as_tensor(labels)
    batches = BalancedBatchSampler(y, batch_size=8, generator=seeded())
    loader = DataLoader(TensorDataset(X, y), batch_sampler=batches)
    assert len(loader) == 3
    rows, targets = zip(*[(X_batch[:, 0].long(), y_batch) for X_batch, y_batch in loader])
    rows, targets = torch.cat(rows), torch.cat(targets)
    assert torch.equal(targets, y[rows]) and int(targets.sum()) == N_MINORITY
    assert np.array_equal(rows.numpy(), batches.indices_)


@needs_torch
def test_random_over_sampler_repeats_the_minority(labels):
    # A fixed random_state is replaced per epoch: epochs must still differ.
    batches = BalancedBatchSampler(labels, sampler=RandomOverSampler(random_state=0), batch_size=20,
                                   generator=seeded())
    first, second = (flat(e) for e in epochs(batches, 2))
    assert first.size == 2 * N_MAJORITY and np.bincount(labels[first]).tolist() == [N_MAJORITY] * 2
    assert not np.array_equal(np.sort(first), np.sort(second))
    assert batches.sampler_.random_state != 0


@needs_torch
@given(sizes=st.lists(st.integers(1, 30), min_size=2, max_size=4), batch_size=st.integers(1, 16),
       seed=st.integers(0, 2**32))
@settings(max_examples=30, deadline=None)
def test_stratified_batches_hold_equal_shares(sizes, batch_size, seed):
    y = np.repeat(np.arange(len(sizes)), sizes)
    k = len(sizes)
    batches = BalancedBatchSampler(y, batch_size=batch_size, stratify=True, generator=seeded(seed))
    epoch = list(batches)
    assert np.array_equal(np.bincount(y[flat(epoch)], minlength=k), [min(sizes)] * k)
    for batch in epoch:
        if len(batch) == batch_size:
            counts = np.bincount(y[batch], minlength=k)
            assert counts.min() >= batch_size // k and counts.max() <= -(-batch_size // k)


@needs_torch
def test_stratified_unbalanced_epoch_stays_near_the_shares():
    y = np.repeat([0, 1, 2], [50, 20, 7])
    batches = BalancedBatchSampler(y, sampler=TomekLinks(), X=np.arange(y.size, dtype=float)[:, None],
                                   batch_size=11, stratify=True, generator=seeded())
    epoch = list(batches)
    shares = np.bincount(y[flat(epoch)]) / flat(epoch).size
    for batch in epoch[:-1]:
        assert np.abs(np.bincount(y[batch], minlength=3) - 11 * shares).max() < 2


@needs_torch
@pytest.mark.parametrize("kind", ["numpy", "sparse", "pandas", "tensor"])
def test_samplers_that_need_the_features(labels, kind):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(labels.size, 3)) + labels[:, None]
    if kind == "sparse":
        X = sparse.csr_matrix(np.where(np.abs(X) > 0.5, X, 0))
    elif kind == "pandas":
        X = pytest.importorskip("pandas").DataFrame(X, columns=["a", "b", "c"])
    elif kind == "tensor":
        X = torch.as_tensor(X)
    with pytest.raises(ValueError, match="computes with the features: pass them"):
        BalancedBatchSampler(labels, sampler=NearMiss(), batch_size=5)
    batches = BalancedBatchSampler(labels, X=X, sampler=NearMiss(), batch_size=5, generator=seeded())
    rows = flat(list(batches))
    reference = NearMiss().fit(X, labels)
    reference.fit_resample(X, labels)
    assert np.array_equal(np.sort(rows), np.sort(reference.sample_indices_))


@needs_torch
def test_whether_the_features_are_needed_comes_from_the_tags(labels):
    # smotekit's tags say a sampler only selects rows: the labels suffice.
    BalancedBatchSampler(labels, sampler=RandomOverSampler(), batch_size=5)
    with pytest.raises(ValueError, match="computes with the features"):
        BalancedBatchSampler(labels, sampler=RandomOverSampler(shrinkage=1.0), batch_size=5)
    # imbalanced-learn's tags cannot say so (SMOTENC also takes strings), nor can a sampler
    # without tags: both are given the features.
    imblearn = pytest.importorskip("imblearn")
    with pytest.raises(ValueError, match="RandomUnderSampler computes with the features"):
        BalancedBatchSampler(labels, sampler=imblearn.under_sampling.RandomUnderSampler(), batch_size=5)


@needs_torch
@pytest.mark.parametrize("kind", ["list", "pandas", "one-hot tensor", "strings"])
def test_label_containers(labels, kind):
    y = {"list": labels.tolist(), "one-hot tensor": torch.nn.functional.one_hot(torch.as_tensor(labels)),
         "strings": np.where(labels == 1, "fraud", "ok")}.get(kind)
    if kind == "pandas":
        y = pytest.importorskip("pandas").Series(labels, index=np.arange(labels.size) + 500)
    rows = flat(list(BalancedBatchSampler(y, batch_size=7, stratify=True, generator=seeded())))
    assert np.bincount(labels[rows]).tolist() == [N_MINORITY, N_MINORITY]


@needs_torch
@pytest.mark.parametrize("sampler", [ClusterCentroids(random_state=0), SMOTE(random_state=0)])
def test_sampler_must_select_rows(labels, sampler):
    X = np.random.default_rng(0).normal(size=(labels.size, 2))
    batches = BalancedBatchSampler(labels, X=X, sampler=sampler, batch_size=5)
    with pytest.raises(ValueError, match="needs to have an attribute 'sample_indices_'"):
        list(batches)


@needs_torch
@pytest.mark.parametrize("kwargs, error, match", [
    ({"batch_size": 0}, ValueError, "batch_size must be a positive integer"),
    ({"drop_last": "yes"}, TypeError, "drop_last must be True or False"),
    ({"stratify": 1}, TypeError, "stratify must be True or False"),
    ({"generator": 0}, TypeError, r"torch.Generator\(\).manual_seed"),
])
def test_bad_parameters(labels, kwargs, error, match):
    with pytest.raises(error, match=match):
        BalancedBatchSampler(labels, **kwargs)


@needs_torch
def test_inputs_are_not_modified(labels):
    X = np.random.default_rng(0).normal(size=(labels.size, 2))
    X0, y0, sampler = X.copy(), labels.copy(), RandomUnderSampler(random_state=0)
    epochs(BalancedBatchSampler(labels, X=X, sampler=sampler, batch_size=5, stratify=True,
                                generator=seeded()))
    assert np.array_equal(X, X0) and np.array_equal(labels, y0) and not hasattr(sampler, "sample_indices_")
    assert sampler.random_state == 0


@needs_torch
def test_trains_a_linear_model():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], [400, 40])
    X = torch.as_tensor(rng.normal(size=(y.size, 2)) + 2.5 * y[:, None], dtype=torch.float32)
    target = torch.as_tensor(y)
    batches = BalancedBatchSampler(target, sampler=RandomOverSampler(), batch_size=32, stratify=True,
                                   generator=seeded())
    loader = DataLoader(TensorDataset(X, target), batch_sampler=batches)
    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    before = loss_fn(model(X), target).item()
    for _ in range(2):
        for X_batch, y_batch in loader:
            optimizer.zero_grad()
            loss_fn(model(X_batch), y_batch).backward()
            optimizer.step()
    predicted = model(X).argmax(dim=1).numpy()
    recall = [np.mean(predicted[y == c] == c) for c in (0, 1)]
    assert loss_fn(model(X), target).item() < before
    assert min(recall) > 0.8  # balanced batches: the minority is not ignored


def test_import_without_torch_gives_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    for name in [m for m in sys.modules if m.startswith("smotekit.torch")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ModuleNotFoundError, match=r'pip install "smotekit\[torch\]"') as error:
        importlib.import_module("smotekit.torch")
    assert error.value.name == "torch"
