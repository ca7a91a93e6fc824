"""SMOTEIPF: the filter's rule and stopping rule, smote-variants as reference, provenance, containers, errors."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.utils._param_validation import InvalidParameterError

from smotekit.combine import SMOTEIPF
from smotekit.over_sampling import SMOTE
from smotekit.under_sampling._rules import noise_votes, partition_filter_keep

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "over_sampling"))
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference  # noqa: E402

# overlapping_blobs(): two unit Gaussians in 4 features, the minority shifted by 1.5 in each,
# so their means are 3 apart; the Bayes boundary of the balanced set is sum(x) = 3.
X, Y = overlapping_blobs()
BOUNDARY = 3.0
# Share of a balanced mixture of the two on the other class's side of that boundary.
BAYES_ERROR = stats.norm.cdf(-1.5)


def _over_sampled(sampler, X):
    """The over-sampled set the filter saw, rebuilt from SMOTE's provenance."""
    prov = sampler.smote_.provenance_
    partner = np.where(prov.partner < 0, prov.source, prov.partner)
    return X[prov.source] + np.nan_to_num(prov.gap)[:, None] * (X[partner] - X[prov.source])


# --------------------------------------------------------------------------- smote-variants


def test_smote_variants_filter_removes_nothing():
    # Its trees are grown to pure leaves on 8 of 9 folds each: every row is in the training
    # set of 8 trees, which classify it correctly, so no row ever gets a majority against it.
    X_ipf, _ = reference("SMOTE_IPF", X, Y, random_state=0)
    X_smote, _ = reference("SMOTE", X, Y, random_state=0)
    np.testing.assert_array_equal(X_ipf, X_smote)


def test_same_distribution_and_removed_fraction_as_smote_variants():
    X_ref, y_ref = reference("SMOTE_IPF", X, Y, random_state=0)
    sampler = SMOTEIPF(random_state=0)
    X_res, y_res = sampler.fit_resample(X, Y)
    syn = sampler.provenance_.is_synthetic
    # smote-variants appends its synthetic rows after the input rows (and removed none).
    np.testing.assert_array_equal(X_ref[: len(X)], X)
    assert_same_distribution(X_res[syn], X_ref[len(X):])
    # Fraction removed: the trees flag rows they misclassify, rows on the other class's side
    # of the boundary, whose share of the balanced set is at most about the Bayes error
    # (less: SMOTE's interpolated minority is tighter than its Gaussian). smote-variants with
    # a tree that can err on its training rows (its default cannot) lies in the same range.
    n_over = 2 * np.bincount(Y).max()
    removed = 1 - len(y_res) / n_over
    X_cfg, _ = reference("SMOTE_IPF", X, Y, random_state=0, n_folds=5, classifier=(
        "sklearn.tree", "DecisionTreeClassifier", {"criterion": "entropy", "min_samples_leaf": 2, "random_state": 2}))
    removed_ref = 1 - len(X_cfg) / n_over
    assert 0 < removed <= BAYES_ERROR
    assert 0 < removed_ref <= BAYES_ERROR


def test_removed_rows_lie_in_the_overlap():
    # Rows of both kinds and both classes go, mostly from the other class's side.
    sampler = SMOTEIPF(random_state=0)
    sampler.fit_resample(X, Y)
    X_over = _over_sampled(sampler, X)
    y_over = Y[sampler.smote_.provenance_.source]
    kept = np.zeros(len(y_over), dtype=bool)
    kept[sampler.ipf_.sample_indices_] = True
    wrong_side = (X_over.sum(axis=1) > BOUNDARY) != (y_over == 1)
    assert wrong_side[~kept].mean() > 3 * wrong_side[kept].mean()
    assert (~kept[: len(X)]).any() and (~kept[len(X):]).any()
    assert set(y_over[~kept]) == {0, 1}
    assert sampler.ipf_.removed_per_iteration_.sum() == (~kept).sum()


# --------------------------------------------------------------------------- the filter's rule


def test_noise_votes():
    # Rows (columns here) misclassified by 0..5 of five trees; the row's own tree is tree 0.
    wrong = np.array([[0, 1, 1, 1, 1, 0, 1],
                      [0, 0, 1, 1, 1, 1, 1],
                      [0, 0, 0, 1, 1, 1, 1],
                      [0, 0, 0, 0, 1, 1, 1],
                      [0, 0, 0, 0, 0, 1, 1]], dtype=bool)
    own = np.zeros(7, dtype=int)
    # Majority: strictly more than half (3 of 5), own tree included; the sixth row has
    # four trees against it but not its own.
    assert noise_votes(wrong, own, "majority").tolist() == [False, False, False, True, True, False, True]
    assert noise_votes(wrong, own, "consensus").tolist() == [False] * 6 + [True]
    # Two trees: a tie (one of two) is not a majority.
    assert noise_votes(np.array([[1, 1], [0, 1]], dtype=bool), np.zeros(2, int), "majority").tolist() == [False, True]


def _blobs_with_one_flipped_row(flipped=True):
    # Two tight blobs far apart (100 rows each) and, inside class 0's blob, one row of class 1.
    rng = np.random.default_rng(0)
    Xb = np.concatenate([rng.normal(0, 1, (100, 2)), rng.normal(50, 1, (100, 2)), [[0.1, -0.2]]])
    codes = np.repeat([0, 1, 1 if flipped else 0], [100, 100, 1])
    return Xb, codes


@pytest.mark.parametrize("p, n_iterations, expected", [
    (0.01, 3, [1, 0, 0]),        # 1 < 0.01 * 201: the first round is already quiet
    (0.004, 3, [1, 0, 0, 0]),    # 1 >= 0.004 * 201: not quiet, then three quiet rounds
    (0.004, 1, [1, 0]),
    (0.01, 1, [1]),
])
def test_stopping_rule(p, n_iterations, expected):
    # The flipped row shares a leaf (two rows at least) with class-0 rows in every tree,
    # its own part's included, so every tree misclassifies it; nothing else is ever wrong.
    Xb, codes = _blobs_with_one_flipped_row()
    keep, removed = partition_filter_keep(Xb, codes, np.random.SeedSequence(0), p=p, n_iterations=n_iterations)
    assert removed.tolist() == expected
    assert np.flatnonzero(~keep).tolist() == [200]


@pytest.mark.parametrize("voting", ["majority", "consensus"])
def test_clean_data_stops_after_n_iterations_quiet_rounds(voting):
    Xb, codes = _blobs_with_one_flipped_row(flipped=False)
    keep, removed = partition_filter_keep(Xb, codes, np.random.SeedSequence(0), voting=voting, n_iterations=4)
    assert keep.all() and removed.tolist() == [0, 0, 0, 0]


def test_consensus_removes_no_more_than_majority():
    _, y_major = SMOTEIPF(random_state=0).fit_resample(X, Y)
    _, y_cons = SMOTEIPF(random_state=0, voting="consensus").fit_resample(X, Y)
    assert len(y_cons) >= len(y_major)


def test_huge_columns_give_the_same_filter():
    # The trees compute in float32: columns beyond its range are scaled by a power of two.
    seed = np.random.SeedSequence(3)
    Xb, codes = _blobs_with_one_flipped_row()
    keep, removed = partition_filter_keep(Xb, codes, seed)
    keep_big, removed_big = partition_filter_keep(Xb * 2.0**600, codes, seed)
    np.testing.assert_array_equal(keep, keep_big)
    np.testing.assert_array_equal(removed, removed_big)


# --------------------------------------------------------------------------- sampler contract


def test_provenance_through_both_steps():
    sampler = SMOTEIPF(random_state=1)
    X_res, y_res = sampler.fit_resample(X, Y)
    prov = sampler.provenance_
    syn = prov.is_synthetic
    assert len(prov) == len(y_res) and syn.any() and (~syn).any()
    np.testing.assert_array_equal(X_res[~syn], X[prov.source[~syn]])
    rebuilt = X[prov.source[syn]] + prov.gap[syn, None] * (X[prov.partner[syn]] - X[prov.source[syn]])
    np.testing.assert_allclose(X_res[syn], rebuilt, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(Y[prov.source[syn]], Y[prov.partner[syn]])
    np.testing.assert_array_equal(y_res, Y[prov.source])
    # The output is the filter's survivors among SMOTE's output, in that order.
    np.testing.assert_allclose(X_res, _over_sampled(sampler, X)[sampler.ipf_.sample_indices_], rtol=0, atol=1e-12)
    assert isinstance(sampler.smote_, SMOTE)


def test_given_smote_and_multiclass():
    rng = np.random.default_rng(5)
    X3 = np.concatenate([rng.normal(0, 1, (200, 3)), rng.normal(1.5, 1, (40, 3)), rng.normal(-1.5, 1, (25, 3))])
    y3 = np.repeat(["a", "b", "c"], [200, 40, 25])
    sampler = SMOTEIPF(smote=SMOTE(k_neighbors=3, random_state=2), random_state=0)
    X_res, y_res = sampler.fit_resample(X3, y3)
    counts = pd.Series(y_res).value_counts()
    assert set(counts.index) == {"a", "b", "c"}
    assert (counts <= 200).all() and len(y_res) < 600
    assert sampler.smote_.k_neighbors == 3


def test_reproducible_and_independent_of_n_jobs():
    X1, y1 = SMOTEIPF(random_state=7, n_jobs=1).fit_resample(X, Y)
    X2, y2 = SMOTEIPF(random_state=7, n_jobs=2).fit_resample(X, Y)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = SMOTEIPF(random_state=8).fit_resample(X, Y)
    assert X3.shape != X1.shape or not np.array_equal(X3, X1)


def test_pandas_in_pandas_out_and_inputs_untouched():
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    target = pd.Series(Y, name="label")
    before = frame.copy()
    X_res, y_res = SMOTEIPF(random_state=0).fit_resample(frame, target)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c", "d"]
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("params, match", [
    ({"voting": "unanimous"}, "voting"),
    ({"n_folds": 1}, "n_folds"),
    ({"n_iterations": 0}, "n_iterations"),
    ({"p": 0.0}, "'p'"),
    ({"p": 1.5}, "'p'"),
    ({"n_folds": True}, "n_folds"),
])
def test_bad_parameters(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        SMOTEIPF(**params).fit_resample(X, Y)


def test_class_too_small_for_smote():
    y_small = np.r_[np.zeros(20, dtype=int), np.ones(3, dtype=int)]
    with pytest.raises(ValueError, match="k_neighbors"):
        SMOTEIPF(random_state=0).fit_resample(X[:23], y_small)
