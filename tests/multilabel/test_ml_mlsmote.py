"""MLSMOTE (Charte et al. 2015): the pure kernels on hand-computed cases, then the sampler."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_multilabel_classification

from smotekit._random import resolve_seed, stream
from smotekit.multilabel import MLSMOTE, _mlsmote_kernels, label_imbalance
from smotekit.multilabel._mlsmote_kernels import box_rows, label_votes, mlsmote_draws

RULES = ["ranking", "union", "intersection"]
MODES = ["box", "segment"]

# A hand-made set: one feature, labels A, B, C. Counts A 8, B 6, C 4, so IRLbl is 1, 4/3, 2 and
# MeanIR 13/9: C alone is minority. Its bag is rows 0-3 at x = 0, 1, 3, 7, whose two nearest
# rows of the bag are {1, 2}, {0, 2}, {1, 0}, {2, 1} (distances without ties).
_X_HAND = np.array([0.0, 1.0, 3.0, 7.0, 100.0, 101.0, 102.0, 103.0, 104.0, 105.0])[:, None]
_Y_HAND = np.array([
    [1, 0, 1],  # p: A C
    [0, 1, 1],  # q: B C
    [1, 1, 1],  # r: A B C
    [0, 0, 1],  # s: C
    [1, 1, 0], [1, 1, 0], [1, 1, 0], [1, 1, 0], [1, 0, 0], [1, 0, 0],
], dtype=bool)
_NEAREST_HAND = {0: {1, 2}, 1: {0, 2}, 2: {1, 0}, 3: {2, 1}}
# Labelsets voted by each seed and its two neighbours (3 rows): 'ranking' keeps labels on >= 2.
_EXPECTED_HAND = {
    "ranking": [[1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 1, 1]],
    "union": [[1, 1, 1]] * 4,
    "intersection": [[0, 0, 1]] * 4,
}


def _imbalanced(n=300, seed=3):
    """make_multilabel_classification with label counts from 8 to 101 (n=300, seed 3)."""
    X, Y = make_multilabel_classification(n_samples=n, n_features=8, n_classes=10, n_labels=2,
                                          random_state=seed)
    return X, Y


def _assert_in_boxes(new, X, source, partner):
    """Every row of ``new`` within the per-feature min/max of its two parents (to 1e-12)."""
    a, b = X[source], X[partner]
    assert (new >= np.minimum(a, b) - 1e-12).all() and (new <= np.maximum(a, b) + 1e-12).all()


# --- the kernels -----------------------------------------------------------------------------

def test_label_votes_hand_computed_with_an_even_number_of_voters():
    # Seed 0 and neighbours 1, 2, 3: 4 voters. Label 0 on all 4, label 1 on exactly 2 (half:
    # not kept by 'ranking', which asks for more than (k + 1) / 2), label 2 on 3, label 3 on 1.
    Y = np.array([[1, 1, 1, 0], [1, 1, 1, 0], [1, 0, 1, 0], [1, 0, 0, 1]], dtype=bool)
    seeds, nbrs = np.array([0]), np.array([[1, 2, 3]])
    assert label_votes(Y, seeds, nbrs, "ranking").tolist() == [[True, False, True, False]]
    assert label_votes(Y, seeds, nbrs, "union").tolist() == [[True, True, True, True]]
    assert label_votes(Y, seeds, nbrs, "intersection").tolist() == [[True, False, False, False]]


def test_label_votes_refuses_an_unknown_rule():
    Y = np.ones((2, 1), bool)
    with pytest.raises(ValueError, match="label_generation"):
        label_votes(Y, np.array([0]), np.array([[1]]), "majority")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rule", RULES)
def test_draws_hand_computed(rule, mode):
    draws = mlsmote_draws(_X_HAND, _Y_HAND, np.array([2]), 2, rule, resolve_seed(0), mode)
    assert draws.n_added == {2: 4}
    assert draws.source.tolist() == [0, 1, 2, 3]
    for s, p in zip(draws.source, draws.partner):
        assert p in _NEAREST_HAND[s]
    assert draws.Y_added.astype(int).tolist() == _EXPECTED_HAND[rule]
    if mode == "segment":
        assert draws.values is None and ((draws.gap >= 0) & (draws.gap < 1)).all()
    else:
        assert np.isnan(draws.gap).all() and draws.values.shape == (4, 1)


def test_box_rows_hand_computed_one_draw_per_differing_feature():
    # Parents differ on features 0 and 2 only: two draws u0, u1 (the first two of the stream),
    # feature 1 keeps the common value 5 and costs no draw.
    X = np.array([[0.0, 5.0, 1.0], [2.0, 5.0, -3.0]])
    u = np.random.default_rng(0).random(3)
    rng = np.random.default_rng(0)
    row = box_rows(X, np.array([0]), np.array([1]), rng)
    np.testing.assert_array_equal(row, [[0.0 + u[0] * 2.0, 5.0, 1.0 + u[1] * -4.0]])
    assert rng.random() == u[2]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_box_rows_sparse_equals_dense_and_chunks_do_not_matter(monkeypatch, dtype):
    X, _ = _imbalanced(n=60)
    X = (X * (np.arange(60) % 3 == 0)[:, None]).astype(dtype)  # a third of the rows all zero
    X[:, 2] = 0.0  # a column zero everywhere
    seeds, partners = np.arange(60), np.roll(np.arange(60), 7)
    dense = box_rows(X, seeds, partners, np.random.default_rng(4))
    sp = box_rows(sparse.csr_matrix(X), seeds, partners, np.random.default_rng(4))
    monkeypatch.setattr(_mlsmote_kernels, "_BOX_CHUNK", 16)  # two rows per chunk
    chunked = box_rows(X, seeds, partners, np.random.default_rng(4))
    assert dense.dtype == dtype and sp.dtype == dtype
    np.testing.assert_array_equal(sp.toarray(), dense)
    np.testing.assert_array_equal(chunked, dense)
    _assert_in_boxes(dense, X, seeds, partners)
    assert (dense[:, 2] == 0).all() and sp.nnz <= np.count_nonzero(X[seeds] + np.abs(X[partners]))


def test_box_rows_near_the_largest_float():
    big = np.finfo(np.float64).max
    X = np.array([[-big, big, 1.0], [big, -big * 0.5, 2.0]])
    seeds, partners = np.array([0, 1]), np.array([1, 0])
    for Xk in (X, sparse.csr_matrix(X)):
        rows = box_rows(Xk, seeds, partners, np.random.default_rng(0), wide=True)
        rows = rows.toarray() if sparse.issparse(rows) else rows
        assert np.isfinite(rows).all()
        _assert_in_boxes(rows, X, seeds, partners)


def test_draws_take_each_labels_stream_picks_first_then_positions():
    seed = resolve_seed(0)
    rng = stream(seed, 2)
    pick = rng.integers(0, 2, size=4)
    after = rng.bit_generator.state
    seg = mlsmote_draws(_X_HAND, _Y_HAND, np.array([2]), 2, "ranking", seed, "segment")
    box = mlsmote_draws(_X_HAND, _Y_HAND, np.array([2]), 2, "ranking", seed, "box")
    rng.bit_generator.state = after
    np.testing.assert_array_equal(seg.gap, rng.random(4))
    near = np.array([sorted(_NEAREST_HAND[s], key=lambda r: abs(_X_HAND[r, 0] - _X_HAND[s, 0])) for s in range(4)])
    np.testing.assert_array_equal(seg.partner, near[np.arange(4), pick])
    np.testing.assert_array_equal(box.partner, seg.partner)
    # One feature: one draw per row in either mode, so the rows coincide.
    np.testing.assert_array_equal(box.values[:, 0], _X_HAND[seg.source, 0] + seg.gap * (
        _X_HAND[seg.partner, 0] - _X_HAND[seg.source, 0]))


def test_small_bags_clip_k_and_a_bag_of_one_row_adds_nothing(caplog):
    X = np.arange(6, dtype=float)[:, None]
    # Label 0 on rows 0-2 (k=5 clipped to 2); label 1 on row 5 only.
    Y = np.zeros((6, 3), bool)
    Y[:3, 0] = True
    Y[5, 1] = True
    Y[:, 2] = True
    Y[1, 2] = False
    with caplog.at_level(logging.INFO, logger="smotekit.multilabel._mlsmote_kernels"):
        draws = mlsmote_draws(X, Y, np.array([0, 1]), 5, "ranking", resolve_seed(1))
    assert draws.n_added == {0: 3, 1: 0}
    assert draws.source.tolist() == [0, 1, 2]
    # With 2 neighbours (3 voters) label 2 is on rows 0 and 2 only: kept where 2 of 3 vote for it.
    assert draws.Y_added[:, 0].all() and not draws.Y_added[:, 1].any()
    assert draws.Y_added[:, 2].tolist() == [True, True, True]
    assert "clipped to 2" in caplog.text and "none added" in caplog.text


def test_each_label_draws_from_its_own_stream():
    X, Y = _imbalanced()
    seed = resolve_seed(5)
    both = mlsmote_draws(X, Y.astype(bool), np.array([6, 8]), 5, "ranking", seed)
    alone = mlsmote_draws(X, Y.astype(bool), np.array([8]), 5, "ranking", seed)
    tail = slice(both.n_added[6], None)
    np.testing.assert_array_equal(both.partner[tail], alone.partner)
    np.testing.assert_array_equal(both.gap[tail], alone.gap)
    np.testing.assert_array_equal(both.Y_added[tail], alone.Y_added)


# --- the sampler -----------------------------------------------------------------------------

@pytest.mark.parametrize("rule", RULES)
def test_sampler_hand_computed(rule):
    sampler = MLSMOTE(k_neighbors=2, label_generation=rule, random_state=0)
    X_res, Y_res = sampler.fit_resample(_X_HAND, _Y_HAND.astype(int))
    assert sampler.minority_labels_.tolist() == [2]
    assert sampler.n_added_ == {2: 4}
    np.testing.assert_array_equal(X_res[:10], _X_HAND)
    assert Y_res[10:].tolist() == _EXPECTED_HAND[rule]
    assert Y_res.dtype == np.int64


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rule", RULES)
def test_synthetic_rows_in_their_boxes_or_on_their_segments_and_counts(rule, mode):
    X, Y = _imbalanced()
    k = 4
    sampler = MLSMOTE(k_neighbors=k, label_generation=rule, interpolation=mode, random_state=0)
    X_res, Y_res = sampler.fit_resample(X, Y)
    before = label_imbalance(Y)
    minority = np.flatnonzero(before.minority)
    assert sampler.minority_labels_.tolist() == minority.tolist()
    # One synthetic row per row of each minority label's bag, label by label.
    assert sampler.n_added_ == {int(j): int(Y[:, j].sum()) for j in minority}
    assert X_res.shape[0] == X.shape[0] + Y[:, minority].sum()
    prov = sampler.provenance_
    new = slice(X.shape[0], None)
    src, part, gap = prov.source[new], prov.partner[new], prov.gap[new]
    _assert_in_boxes(X_res[new], X, src, part)
    if mode == "segment":
        np.testing.assert_allclose(X_res[new], X[src] + gap[:, None] * (X[part] - X[src]), rtol=0, atol=1e-12)
        assert ((gap >= 0) & (gap < 1)).all()
    else:
        assert np.isnan(gap).all()
        # Off the segments: the residual of each row's projection on its segment is not 0.
        d = X[part] - X[src]
        t = ((X_res[new] - X[src]) * d).sum(1) / (d * d).sum(1)
        assert np.median(np.linalg.norm(X_res[new] - X[src] - t[:, None] * d, axis=1)) > 0.1
    # Parents share the label being over-sampled, the partner is among the source's k nearest rows
    # of that bag, and every synthetic row carries that label.
    label_of_row = np.repeat(minority, [sampler.n_added_[int(j)] for j in minority])
    for row, (s, p, j) in enumerate(zip(src, part, label_of_row)):
        bag = np.flatnonzero(Y[:, j])
        d = np.linalg.norm(X[bag] - X[s], axis=1)
        d[bag == s] = np.inf
        assert Y[s, j] and Y[p, j] and p != s
        assert np.linalg.norm(X[p] - X[s]) <= np.sort(d)[k - 1] + 1e-12
        assert Y_res[X.shape[0] + row, j] == 1


def test_segment_output_pinned():
    # Values of the 'segment' rule from before 'box' existed (seed 0, the hand-made set): adding
    # the parameter changed neither the picks nor the gaps of the label's stream.
    sampler = MLSMOTE(k_neighbors=2, interpolation="segment", random_state=0)
    X_res, _ = sampler.fit_resample(_X_HAND, _Y_HAND.astype(int))
    assert sampler.provenance_.partner[10:].tolist() == [2, 2, 1, 2]
    np.testing.assert_allclose(sampler.provenance_.gap[10:], [0.617615, 0.702838, 0.246159, 0.48698], atol=1e-6)
    np.testing.assert_allclose(X_res[10:, 0], [1.852846, 2.405675, 2.507682, 5.052082], atol=1e-6)


def test_integer_features_stay_in_the_box():
    X, Y = _imbalanced()
    Xi = np.rint(X).astype(np.int64)
    sampler = MLSMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(Xi, Y)
    prov, new = sampler.provenance_, slice(X.shape[0], None)
    assert X_res.dtype == np.int64
    _assert_in_boxes(X_res[new], Xi, prov.source[new], prov.partner[new])


@pytest.mark.parametrize("rule", RULES)
def test_mean_ir_not_worse(rule):
    X, Y = _imbalanced()
    sampler = MLSMOTE(label_generation=rule, random_state=0)
    sampler.fit_resample(X, Y)
    # Observed: MeanIR 3.12 -> 2.18 ('ranking'), 2.60 ('union'), 2.06 ('intersection').
    assert sampler.imbalance_after_.mean_ir < sampler.imbalance_before_.mean_ir


def test_label_names_of_a_frame_name_the_attributes():
    # containers, seeds and the caller's data: test_ml_common.py
    pd = pytest.importorskip("pandas")
    X, Y = _imbalanced(n=120)
    Yf = pd.DataFrame(Y.astype(np.int8), columns=[f"l{i}" for i in range(Y.shape[1])])
    sampler = MLSMOTE(random_state=0).fit(X, Yf)
    sampler.fit_resample(X, Yf)
    assert set(sampler.n_added_) <= set(Yf.columns) and set(sampler.minority_labels_) <= set(Yf.columns)
    assert sum(sampler.n_added_.values()) == len(sampler.provenance_) - 120


@pytest.mark.parametrize("mode", MODES)
def test_label_sets_and_sparse_X(mode):
    X, Y = _imbalanced(n=120)
    X = X * (np.arange(120) % 2 == 0)[:, None]  # half of the rows all zero
    sets = [{f"l{j}" for j in np.flatnonzero(row)} for row in Y]
    sampler = MLSMOTE(interpolation=mode, random_state=0)
    X_res, Y_res = sampler.fit_resample(sparse.csr_matrix(X), sets)
    X_np, Y_np = MLSMOTE(interpolation=mode, random_state=0).fit_resample(X, Y)
    assert sparse.issparse(X_res) and isinstance(Y_res, list)
    np.testing.assert_array_equal(X_res.toarray(), X_np)
    # Nonzero only where a parent is.
    prov, new = sampler.provenance_, slice(120, None)
    assert not (X_np[new] != 0)[(X[prov.source[new]] == 0) & (X[prov.partner[new]] == 0)].any()
    names = sorted({f"l{j}" for j in range(Y.shape[1])})
    assert [set(s) for s in Y_res[120:]] == [{names[j] for j in np.flatnonzero(r)} for r in Y_np[120:]]


def test_label_without_rows_and_nothing_to_do():
    X, Y = make_multilabel_classification(n_samples=200, n_features=5, n_classes=10, n_labels=2, random_state=1)
    assert (Y.sum(0) == 0).any()
    sampler = MLSMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, Y)
    assert not set(np.flatnonzero(Y.sum(0) == 0)) & set(sampler.n_added_)
    # Balanced labels (every label on every row): no minority label, the input comes back.
    X_b, Y_b = MLSMOTE(random_state=0).fit_resample(X[:20], np.ones((20, 3), int))
    np.testing.assert_array_equal(X_b, X[:20])
    assert Y_b.shape == (20, 3)


@pytest.mark.parametrize("params, match", [
    ({"k_neighbors": 0}, "k_neighbors"),
    ({"k_neighbors": True}, "k_neighbors"),
    ({"k_neighbors": 2.5}, "k_neighbors"),
    ({"label_generation": "majority"}, "label_generation"),
    ({"interpolation": "line"}, "interpolation"),
])
def test_bad_parameters(params, match):
    with pytest.raises((ValueError, TypeError), match=match):
        MLSMOTE(**params).fit_resample(_X_HAND, _Y_HAND)


def test_non_numeric_columns_name_the_multilabel_fix():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": _X_HAND[:, 0], "c": pd.Categorical(["u", "v"] * 5)})
    with pytest.raises(ValueError, match=r"\['c'\].*MLSMOTE computes with the values of X: encode") as err:
        MLSMOTE().fit_resample(X, _Y_HAND)
    assert "SMOTENC" not in str(err.value)
