"""ML-ROS / ML-RUS / LP-ROS / LP-RUS (Charte et al. 2015): counts, bag rules, reproducibility, containers."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from smotekit.multilabel import MLROS, MLRUS
from smotekit.multilabel._random import _rows_for

# Labels a, b, c: counts 4, 2, 1, IRLbl 1, 2, 4, MeanIR 7/3 (hand-computed in test_ml_measures).
Y = np.array([
    [1, 1, 0],
    [1, 0, 0],
    [1, 0, 1],
    [1, 1, 0],
    [0, 0, 0],
])
X = np.arange(10.0).reshape(5, 2)


def _rare_label(n=100):
    """Label 0 on every row, label 1 on rows 0-1, label 2 on rows 0-49 (IRLbl 1, 50, 2; MeanIR 53/3)."""
    Yr = np.zeros((n, 3), dtype=int)
    Yr[:, 0] = 1
    Yr[:2, 1] = 1
    Yr[:50, 2] = 1
    return np.arange(n * 2.0).reshape(n, 2), Yr


def _labelsets(sizes):
    """One row per member of label sets of these sizes: set i is the binary digits of i + 1."""
    rows = [[(i + 1) >> b & 1 for b in range(3)] for i, size in enumerate(sizes) for _ in range(size)]
    return np.arange(len(rows) * 2.0).reshape(-1, 2), np.array(rows)


@pytest.mark.parametrize("n, percentage, expected", [
    (10, 25, 3), (8, 25, 2), (1000, 0.1, 1), (5, 40, 2), (100, 2.5, 3), (3, 100, 3), (7, 300, 21),
])
def test_rows_asked_for_is_ceil_of_percentage(n, percentage, expected):
    # The paper's loop runs while |D| / 100 * P > 0, one row at a time; 0.1 is read as one tenth.
    assert _rows_for(n, percentage) == expected


def test_ml_ros_clones_the_minority_bag_until_its_irlbl_reaches_mean_ir():
    # Only c is a minority label (4 > 7/3); its bag is row 2, which also carries a. One clone:
    # counts a=5, c=2, IRLbl(c) = 2.5 > 7/3, stays; a second: a=6, c=3, IRLbl(c) = 2 <= 7/3, leaves.
    for seed in range(5):
        sampler = MLROS(percentage=100, random_state=seed)  # asks for 5 rows; the bag stops at 2
        X_res, Y_res = sampler.fit_resample(X, Y)
        np.testing.assert_array_equal(sampler.sample_indices_, [0, 1, 2, 3, 4, 2, 2])
        np.testing.assert_array_equal(Y_res, Y[[0, 1, 2, 3, 4, 2, 2]])
        np.testing.assert_array_equal(X_res, X[[0, 1, 2, 3, 4, 2, 2]])


def test_ml_ros_mean_ir_is_fixed_and_bag_irlbl_is_recomputed():
    # IRLbl(1) after k clones of rows carrying labels 0 and 1: (100 + k) / (2 + k); MeanIR stays 53/3.
    # k=3: 103/5 = 20.6 > 17.67; k=4: 104/6 = 17.33 <= 17.67: the bag leaves after 4 clones.
    Xr, Yr = _rare_label()
    for percentage, added in [(3, 3), (4, 4), (10, 4), (50, 4)]:
        sampler = MLROS(percentage=percentage, random_state=0)
        _, Y_res = sampler.fit_resample(Xr, Yr)
        assert len(Y_res) == 100 + added
        assert set(sampler.sample_indices_[100:]) <= {0, 1}


def test_ml_ros_a_clone_also_raises_the_largest_count():
    # Label 0 on every row, label 1 on rows 0-1, label 2 on rows 10-12: IRLbl 1, 50, 100/3;
    # MeanIR = (1 + 50 + 100/3) / 3 = 28.11. Bag 1 clones a row (counts 101, 3, 3): 33.7, stays;
    # bag 2 (102, 3, 4): 25.5, leaves; bag 1 (103, 4, 4): 25.75, leaves. Three rows of the five.
    Yr = np.zeros((100, 3), dtype=int)
    Yr[:, 0] = 1
    Yr[:2, 1] = 1
    Yr[10:13, 2] = 1
    sampler = MLROS(percentage=5, random_state=3)
    sampler.fit_resample(np.zeros((100, 1)), Yr)
    added = sampler.sample_indices_[100:]
    assert len(added) == 3 and set(added[:2]) <= {0, 1} and added[2] in {10, 11, 12}


def test_ml_ros_visits_bags_in_turn_and_stops_mid_round():
    # Labels 0-4 on rows 0-99, label 5 on rows 100-101, label 6 on rows 102-103: IRLbl 1 (x5), 50, 50;
    # MeanIR 105 / 7 = 15. Five rows asked for (ceil(104 * 4.5 / 100)): bags 5, 6, 5, 6, 5 (IRLbl
    # 100/5 = 20 still above 15), the output grouped bag by bag.
    Yr = np.zeros((104, 7), dtype=int)
    Yr[:100, :5] = 1
    Yr[100:102, 5] = 1
    Yr[102:, 6] = 1
    sampler = MLROS(percentage=4.5, random_state=0)
    sampler.fit_resample(np.zeros((104, 1)), Yr)
    added = sampler.sample_indices_[104:]
    assert len(added) == 5 and set(added[:3]) <= {100, 101} and set(added[3:]) <= {102, 103}


def test_ml_ros_exact_count_and_every_row_an_input_row():
    rng = np.random.default_rng(0)
    Xr = rng.normal(size=(200, 4))
    Yr = (rng.random((200, 6)) < [0.9, 0.5, 0.3, 0.05, 0.03, 0.02]).astype(int)
    sampler = MLROS(percentage=10, random_state=1)
    X_res, Y_res = sampler.fit_resample(Xr, Yr)
    assert len(X_res) == 220  # exactly ceil(200 * 10 / 100): the rare bags do not fill up first
    np.testing.assert_array_equal(X_res, Xr[sampler.sample_indices_])
    np.testing.assert_array_equal(Y_res, Yr[sampler.sample_indices_])
    minority = sampler.imbalance_before_.minority
    assert Yr[sampler.sample_indices_[200:]][:, minority].any(axis=1).all()
    assert sampler.imbalance_after_.mean_ir < sampler.imbalance_before_.mean_ir


def test_ml_rus_deletes_from_majority_bags_only():
    # Majority labels (IRLbl < 7/3): a (rows 0-3) and b (rows 0, 3). Row 4 carries no label and is
    # in no bag; two rows are asked for, one from each bag, so one of rows 0 and 3 always goes.
    seen = set()
    for seed in range(30):
        sampler = MLRUS(percentage=40, random_state=seed)
        X_res, Y_res = sampler.fit_resample(X, Y)
        kept = sampler.sample_indices_
        removed = set(range(5)) - set(kept)
        assert len(removed) == 2 and 4 not in removed and removed & {0, 3}
        assert list(kept) == sorted(kept)  # the remaining rows, in input order
        np.testing.assert_array_equal(Y_res, Y[kept])
        np.testing.assert_array_equal(X_res, X[kept])
        seen |= removed
    assert 2 in seen  # the paper's rule may delete a row that also carries a minority label


def test_ml_rus_protect_minority():
    for seed in range(30):
        sampler = MLRUS(percentage=40, protect_minority=True, random_state=seed)
        sampler.fit_resample(X, Y)
        assert 2 in sampler.sample_indices_  # row 2 carries c, the minority label


@pytest.mark.parametrize("percentage, counts", [(50, [5, 3, 2]), (90, [0, 1, 2])])
def test_ml_rus_bags_in_turn_and_leaving(percentage, counts):
    # Disjoint labels: A on 10 rows, B on 8, C on 2: IRLbl 1, 1.25, 5, MeanIR 2.4167; majority bags A, B,
    # so the counts do not depend on the draws. In turn: A 9, B 7, A 8, B 6, ... A 5, B 3 (10 rows,
    # 50 %), A 4, B 2 (IRLbl 2, stays), A 3, B 1 (3 >= MeanIR: B leaves), A 2, A 1, A 0 (empty: leaves).
    # 18 rows asked for at 90 %, 17 deleted.
    Yr = np.zeros((20, 3), dtype=int)
    Yr[:10, 0] = 1
    Yr[10:18, 1] = 1
    Yr[18:, 2] = 1
    for seed in range(3):
        _, Y_res = MLRUS(percentage=percentage, random_state=seed).fit_resample(np.zeros((20, 1)), Yr)
        assert Y_res.sum(axis=0).tolist() == counts


@pytest.mark.parametrize("percentage, clones", [(25, [2, 2]), (50, [3, 3]), (5, [1, 0])])
def test_lp_ros_shares(percentage, clones):
    # Label sets of sizes 10, 4, 1, 1 (rows 14 = {0, 1} and 15 = {2}): mean size 16 / 4 = 4; minority
    # sets (< 4): the two of one row, room 4 - 1 = 3 each, served in the sets' sorted order on a tie
    # ({2} = 001 before {0, 1} = 110). 25 %: 4 rows, 2 each; 50 %: 8 rows, capped at 3 + 3; 5 %: 1 row,
    # to the second set served (the first gets 1 // 2 = 0).
    Xs, Ys = _labelsets([10, 4, 1, 1])
    sampler = MLROS(percentage=percentage, by="labelset", random_state=0)
    _, Y_res = sampler.fit_resample(Xs, Ys)
    added = sampler.sample_indices_[16:]
    assert [int(np.sum(added == 14)), int(np.sum(added == 15))] == clones
    assert len(Y_res) == 16 + sum(clones)


def test_lp_rus_shares():
    # Sizes 9, 6, 1: mean 16 / 3 = 5.33; majority sets: 9 (room floor(3.67) = 3) and 6 (room
    # floor(0.67) = 0). Served smallest first: 6 gives 0, its share passes to 9, which gives 3.
    Xs, Ys = _labelsets([9, 6, 1])
    for percentage, removed in [(10, 2), (25, 3), (90, 3)]:
        sampler = MLRUS(percentage=percentage, by="labelset", random_state=0)
        _, Y_res = sampler.fit_resample(Xs, Ys)
        gone = set(range(16)) - set(sampler.sample_indices_)
        assert len(gone) == removed and gone <= set(range(9))
    # Sizes 10, 4, 1, 1 (mean 4): one majority set, room 6.
    Xs, Ys = _labelsets([10, 4, 1, 1])
    sampler = MLRUS(percentage=25, by="labelset", random_state=0)
    sampler.fit_resample(Xs, Ys)
    assert len(sampler.sample_indices_) == 12


def test_balanced_data_is_left_as_is(caplog):
    Yb = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    for sampler in (MLROS(), MLRUS(), MLROS(by="labelset"), MLRUS(by="labelset")):
        X_res, Y_res = sampler.fit_resample(np.zeros((4, 1)), Yb)
        np.testing.assert_array_equal(Y_res, Yb)
        np.testing.assert_array_equal(sampler.sample_indices_, range(4))


def test_generator_random_state_advances():
    Xr, Yr = _rare_label(60)
    rng = np.random.default_rng(0)
    sampler = MLRUS(random_state=rng)
    a = sampler.fit_resample(Xr, Yr)[0]
    b = sampler.fit_resample(Xr, Yr)[0]
    assert not np.array_equal(a, b)


def test_containers_round_trip():
    frame = pd.DataFrame({"name": list("vwxyz"), "v": [1.0, np.nan, 3.0, 4.0, 5.0]})  # copies read no values
    Yf = pd.DataFrame(Y, columns=["a", "b", "c"]).astype("int8")
    X_res, Y_res = MLROS(percentage=40, random_state=0).fit_resample(frame, Yf)
    assert list(X_res["name"]) == list("vwxyz") + ["x", "x"]
    assert list(Y_res.columns) == ["a", "b", "c"] and (Y_res.dtypes == "int8").all()
    X_res, Y_res = MLRUS(percentage=40, random_state=0).fit_resample(sparse.csr_matrix(X), sparse.csc_matrix(Y))
    assert sparse.issparse(X_res) and Y_res.format == "csr" and Y_res.shape == (3, 3)
    sets = [["a", "b"], ["a"], ["a", "c"], ["b", "a"], []]
    X_res, Y_res = MLROS(percentage=40, random_state=0).fit_resample(X.tolist(), sets)
    assert isinstance(X_res, list) and Y_res == sets + [["a", "c"], ["a", "c"]]
    series = pd.Series([tuple(s) for s in sets], name="tags")
    _, Y_res = MLRUS(percentage=40, random_state=0).fit_resample(X, series)
    assert isinstance(Y_res, pd.Series) and Y_res.name == "tags" and len(Y_res) == 3


@pytest.mark.parametrize("sampler, error, match", [
    (MLROS(percentage=0), ValueError, "percentage"),
    (MLROS(percentage=-5), ValueError, "percentage"),
    (MLROS(percentage=True), TypeError, "not a bool"),
    (MLRUS(percentage=100), ValueError, "percentage"),
    (MLRUS(percentage="25"), ValueError, "percentage"),
    (MLROS(by="labels"), ValueError, "'by'"),
    (MLRUS(by="labelset", protect_minority=True), ValueError, "protect_minority"),
    (MLRUS(protect_minority="yes"), ValueError, "protect_minority"),
    (MLROS(random_state=-1), ValueError, "random_state"),
    (MLROS(percentage=float("inf")), ValueError, "percentage"),
])
def test_parameter_errors(sampler, error, match):
    with pytest.raises(error, match=match):
        sampler.fit_resample(X, Y)
