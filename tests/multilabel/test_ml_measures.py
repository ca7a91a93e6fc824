"""Label-imbalance measures, hand-computed (Charte et al. 2015 for IRLbl / MeanIR / MaxIR / CVIR,
Charte et al. 2014 / 2019 and mldr's code for SCUMBLE)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from smotekit.multilabel import LabelImbalance, label_imbalance

# Labels a, b, c; the last row carries none.
Y = np.array([
    [1, 1, 0],
    [1, 0, 0],
    [1, 0, 1],
    [1, 1, 0],
    [0, 0, 0],
])


def test_hand_computed():
    m = label_imbalance(Y)
    assert isinstance(m, LabelImbalance)
    # counts a=4, b=2, c=1; IRLbl = max / count = 4/4, 4/2, 4/1.
    np.testing.assert_array_equal(m.counts, [4, 2, 1])
    np.testing.assert_allclose(m.irlbl, [1.0, 2.0, 4.0])
    assert m.mean_ir == pytest.approx(7 / 3)  # (1 + 2 + 4) / 3
    assert m.max_ir == 4.0
    # CVIR = sample std of IRLbl / MeanIR: deviations -4/3, -1/3, 5/3; squares sum 42/9;
    # / (3 - 1) = 7/3; sqrt(7/3) / (7/3) = sqrt(3/7) = 0.6546536...
    assert m.cvir == pytest.approx(math.sqrt(3 / 7))
    # SCUMBLE per row = 1 - geometric mean / arithmetic mean of the row's IRLbl:
    # {a,b}: 1 - sqrt(1*2) / 1.5 = 1 - 2*sqrt(2)/3 = 0.0571909...; {a}: 0 (one label);
    # {a,c}: 1 - sqrt(1*4) / 2.5 = 0.2; no label: 0, and it counts in the mean.
    ab = 1 - 2 * math.sqrt(2) / 3
    np.testing.assert_allclose(m.scumble_per_row, [ab, 0, 0.2, ab, 0], atol=1e-15)
    assert m.scumble == pytest.approx((2 * ab + 0.2) / 5)  # 0.0628764...
    # Per label, the mean SCUMBLE of its rows: a: (ab + 0 + 0.2 + ab) / 4, b: ab, c: 0.2.
    np.testing.assert_allclose(m.scumble_per_label, [(2 * ab + 0.2) / 4, ab, 0.2])
    assert m.cardinality == pytest.approx(7 / 5)  # (2 + 1 + 2 + 2 + 0) / 5
    assert m.density == pytest.approx(7 / 15)
    assert m.n_labelsets == 4  # {a,b}, {a}, {a,c} and the empty set
    assert m.n_rows == 5 and m.n_labels == 3
    np.testing.assert_array_equal(m.minority, [False, False, True])  # only c: 4 > 7/3
    np.testing.assert_array_equal(m.minority_labels, [2])


def test_balanced_labels():
    m = label_imbalance(np.array([[1, 1], [1, 1], [0, 0]]))
    assert (m.mean_ir, m.max_ir, m.cvir, m.scumble) == (1.0, 1.0, 0.0, 0.0)
    assert not m.minority.any()


def test_one_label_has_no_variation():
    m = label_imbalance(np.array([[1], [0], [1]]))
    assert (m.mean_ir, m.cvir) == (1.0, 0.0)


def test_label_no_row_carries_is_undefined_and_left_out():
    # mldr writes 0 for such a label and averages it into MeanIR ((1 + 4 + 0) / 3); here it is
    # NaN and left out of MeanIR, MaxIR and CVIR, which are those of the labels present.
    with_absent = label_imbalance(np.column_stack([Y[:, [0, 2]], np.zeros(5, int)]))
    present = label_imbalance(Y[:, [0, 2]])
    assert np.isnan(with_absent.irlbl[2]) and np.isnan(with_absent.scumble_per_label[2])
    assert with_absent.mean_ir == present.mean_ir == 2.5
    assert with_absent.max_ir == present.max_ir and with_absent.cvir == present.cvir
    np.testing.assert_allclose(with_absent.scumble_per_row, present.scumble_per_row)
    assert not with_absent.minority[2]
    assert "carried by no row" in with_absent.summary()


def test_no_label_anywhere_gives_nan():
    m = label_imbalance(np.zeros((3, 2), dtype=int))
    assert np.isnan(m.mean_ir) and np.isnan(m.irlbl).all()
    assert m.scumble == 0.0 and not m.minority.any()


@pytest.mark.parametrize("make", [
    lambda: Y.astype(bool),
    lambda: pd.DataFrame(Y, columns=["a", "b", "c"]),
    lambda: sparse.csr_matrix(Y),
    lambda: [["a", "b"], ["a"], ["c", "a"], ["b", "a"], []],
])
def test_every_kind_of_target_gives_the_same_measures(make):
    m, ref = label_imbalance(make()), label_imbalance(Y)
    np.testing.assert_array_equal(m.counts, ref.counts)
    assert (m.mean_ir, m.cvir, m.scumble, m.n_labelsets) == (ref.mean_ir, ref.cvir, ref.scumble, ref.n_labelsets)


def test_label_names_and_frame():
    m = label_imbalance([["a", "b"], ["a"], ["c", "a"], ["b", "a"], []])
    np.testing.assert_array_equal(m.labels, ["a", "b", "c"])
    frame = m.to_frame()
    assert list(frame.index) == ["a", "b", "c"] and frame.index.name == "label"
    assert list(frame.columns) == ["count", "frequency", "IRLbl", "SCUMBLE", "minority"]
    assert frame.loc["c", "IRLbl"] == 4.0 and frame.loc["b", "count"] == 2
    assert frame.loc["a", "frequency"] == pytest.approx(0.8)
    assert frame["minority"].tolist() == [False, False, True]
    named = label_imbalance(Y, labels=["x", "y", "z"])
    assert list(named.to_frame().index) == ["x", "y", "z"]
    with pytest.raises(ValueError, match="one name each"):
        label_imbalance(Y, labels=["x"])


def test_summary_text():
    text = str(label_imbalance(pd.DataFrame(Y, columns=["a", "b", "c"])))
    assert text.splitlines()[0] == "5 rows, 3 labels, 4 label sets; cardinality 1.400, density 0.467"
    assert "MeanIR 2.333, MaxIR 4.000, CVIR 0.655, SCUMBLE 0.0629" in text
    assert "1 minority label(s) (IRLbl > MeanIR): c" in text


def test_input_untouched():
    Yb = Y.astype(bool)
    before = Yb.copy()
    label_imbalance(Yb)
    np.testing.assert_array_equal(Yb, before)
    assert Yb.flags.writeable
