"""LVQ-SMOTE: the generation rule against smote-variants' on one codebook, where the new rows
lie, the LVQ codebook, and the sampler's contract (multiclass, pandas, errors)."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference, sv

from smotekit.neighbors import kneighbors
from smotekit.over_sampling import LVQSMOTE
from smotekit.over_sampling._lvq import _matching_pairs, learn_codebook, replay


def test_matching_pairs_by_hand():
    # Four vectors on a line: c0 - c1 = -1 is matched by c2 - c3 = -1, c1 - c0 = 1 by c3 - c2.
    codebook = np.array([[0.0], [1.0], [5.0], [6.0]])
    match = _matching_pairs(codebook)
    assert match[0, 1].tolist() == [2, 3] and match[1, 0].tolist() == [3, 2]
    assert match[2, 3].tolist() == [0, 1]
    # Never a vector of the pair itself, never one vector twice.
    K = 7
    match = _matching_pairs(np.random.default_rng(0).normal(size=(K, 3)))
    for a in range(K):
        for b in range(K):
            if a != b:
                i, j = match[a, b]
                assert i != j and not {i, j} & {a, b}


def test_generation_rule_against_smote_variants_on_one_codebook():
    # The same codebook and neighbour table: the two rules draw from the same distribution.
    X, y = overlapping_blobs()
    s = LVQSMOTE(random_state=0)
    s.fit_resample(X, y)
    codebook, Xc = s.codebook_[1], X[y == 1]
    near = kneighbors(Xc, 5, query=codebook)
    ours, _ = replay(codebook, Xc, near, 1000, np.random.default_rng(0))
    theirs = sv.LVQ_SMOTE(random_state=0).generate_samples(1000, codebook, Xc, near)
    assert_same_distribution(ours, theirs)


def test_against_smote_variants_counts():
    # Whole runs: same counts. Their codebook is k-means', ours LVQ's; the new rows take at
    # most codebook_size**2 * n_neighbors values, so a KS test tells codebooks apart (smote-variants
    # fails it against itself with another seed): only the rule is compared above.
    X, y = overlapping_blobs()
    X_res, y_res = LVQSMOTE(random_state=0).fit_resample(X, y)
    X_sv, y_sv = reference("LVQ_SMOTE", X, y, random_state=0)
    assert np.bincount(y_res).tolist() == np.bincount(y_sv).tolist() == [600, 600]
    # Both spread the new rows around the class: means within half a standard deviation.
    assert np.abs(X_res[len(X):].mean(0) - X_sv[len(X):].mean(0)).max() < 0.5


def test_new_rows_replay_an_offset_of_the_codebook():
    X, y = overlapping_blobs(n_major=200, n_minor=40, n_features=3, seed=2)
    s = LVQSMOTE(n_neighbors=3, codebook_size=6, random_state=1)
    X_res, y_res = s.fit_resample(X, y)
    codebook, Xc = s.codebook_[1], X[y == 1]
    near = kneighbors(Xc, 3, query=codebook)
    # Every possible row c_a + (x_s - c) with s among the rows near c.
    candidates = (codebook[:, None, None, :] + Xc[near][None, :, :, :] - codebook[None, :, None, :]).reshape(-1, 3)
    new = X_res[len(X):]
    gaps = np.linalg.norm(new[:, None, :] - candidates[None, :, :], axis=2).min(axis=1)
    assert gaps.max() < 1e-9
    # Provenance: the class row nearest to a codebook vector, no partner.
    prov = s.provenance_
    rows = np.flatnonzero(y == 1)
    assert set(prov.source[len(X):].tolist()) <= set(rows[near[:, 0]].tolist())
    assert (prov.partner[len(X):] == -1).all() and np.isnan(prov.gap[len(X):]).all()
    assert (y_res[len(X):] == 1).all()


def test_lvq_codebook_sits_in_its_class():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 1, (300, 2)), rng.normal(6, 1, (60, 2))])
    inside = np.r_[np.zeros(300, bool), np.ones(60, bool)]
    W = learn_codebook(X, inside, 5, 5, np.random.default_rng(1))
    assert W.shape == (5, 2)
    # Each vector is nearer to the class's mean than to the others'.
    to_own = np.linalg.norm(W - X[inside].mean(0), axis=1)
    to_other = np.linalg.norm(W - X[~inside].mean(0), axis=1)
    assert (to_own < to_other).all()
    np.testing.assert_array_equal(W, learn_codebook(X, inside, 5, 5, np.random.default_rng(1)))


def test_three_classes_pandas_and_determinism():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(0, 1, (90, 3)), rng.normal(1, 1, (30, 3)), rng.normal(-1, 1, (20, 3))])
    y = np.repeat(["a", "b", "c"], [90, 30, 20])
    df = pd.DataFrame(X, columns=["u", "v", "w"])
    X_res, y_res = LVQSMOTE(random_state=4).fit_resample(df, pd.Series(y, name="t"))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["u", "v", "w"]
    assert y_res.value_counts().to_dict() == {"a": 90, "b": 90, "c": 90}
    again, _ = LVQSMOTE(random_state=4).fit_resample(X, y)
    np.testing.assert_array_equal(X_res.to_numpy(), again)
    assert set(LVQSMOTE(random_state=4).fit(X, y).sampling_strategy_) == {"b", "c"}


def test_scale_equivariant_exactly():
    X, y = overlapping_blobs(n_major=100, n_minor=20, n_features=3)
    a, _ = LVQSMOTE(random_state=0).fit_resample(X, y)
    b, _ = LVQSMOTE(random_state=0).fit_resample(X * 2.0**40, y)
    np.testing.assert_array_equal(b, a * 2.0**40)


def test_input_untouched():
    X, y = overlapping_blobs(n_major=100, n_minor=20)
    X0 = X.copy()
    X.setflags(write=False)
    LVQSMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, X0)


def test_class_too_small_is_named():
    X, y = overlapping_blobs(n_major=50, n_minor=3)
    with pytest.raises(ValueError, match=r"Class 1 has 3 sample\(s\).*at least 5"):
        LVQSMOTE().fit_resample(X, y)
    with pytest.raises(ValueError, match=r"has 3 sample\(s\).*at least 4"):
        LVQSMOTE(n_neighbors=2).fit_resample(X, y)


@pytest.mark.parametrize("params, match", [
    ({"codebook_size": 3}, "codebook_size"),
    ({"codebook_size": 129}, r"codebook_size.*\[4, 128\]"),
    ({"n_neighbors": 0}, "n_neighbors"),
    ({"n_neighbors": True}, "n_neighbors"),
])
def test_bad_parameters_are_named(params, match):
    X, y = overlapping_blobs(n_major=50, n_minor=10)
    with pytest.raises((ValueError, InvalidParameterError), match=match):
        LVQSMOTE(**params).fit_resample(X, y)
