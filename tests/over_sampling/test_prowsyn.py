"""ProWSyn: proximity levels derived by hand, agreement with smote-variants, the region of
the new rows, and the sampler contract's basics."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smote_variants_reference import assert_same_distribution, overlapping_blobs, reference

from smotekit.over_sampling._prowsyn import ProWSyn, proximity_levels


def _line():
    """Majority at 0; minority at 1..6 on a line: with K=2 the levels are {1, 2}, {3, 4}, {5, 6}."""
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    return X, np.array([0, 1, 1, 1, 1, 1, 1])


def test_levels_derived_by_hand():
    X, _ = _line()
    assert proximity_levels(X[1:], X[:1], 2, 5).tolist() == [1, 1, 2, 2, 3, 3]
    # The rows left after n_levels - 1 passes form the last level.
    assert proximity_levels(X[1:], X[:1], 2, 2).tolist() == [1, 1, 2, 2, 2, 2]
    assert proximity_levels(X[1:], X[:1], 2, 1).tolist() == [1] * 6


def test_level_shares_and_pairs():
    X = np.vstack([[[0.0]] * 30, _line()[0][1:]])
    y = np.array([0] * 30 + [1] * 6)
    s = ProWSyn(n_neighbors=2, theta=1.0, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    # 24 rows over the weights 1, e^-1, e^-2 (levels 4 and 5 are empty): quotas 15.97, 5.88, 2.16.
    assert s.n_generated_per_level_[1].tolist() == [16, 6, 2, 0, 0]
    prov = s.provenance_
    syn = prov.is_synthetic
    level = dict(zip(s.sample_rows_[1].tolist(), s.proximity_level_[1].tolist()))
    src, par = prov.source[syn], prov.partner[syn]
    assert all(level[a] == level[b] for a, b in zip(src, par))
    assert (src != par).all()
    np.testing.assert_allclose(X_res[syn], X[src] + prov.gap[syn, None] * (X[par] - X[src]))


def test_theta_zero_gives_equal_shares():
    X = np.vstack([[[0.0]] * 30, _line()[0][1:]])
    y = np.array([0] * 30 + [1] * 6)
    s = ProWSyn(n_neighbors=2, theta=0.0, random_state=0)
    s.fit_resample(X, y)
    assert s.n_generated_per_level_[1].tolist() == [8, 8, 8, 0, 0]


def test_same_distribution_as_smote_variants():
    X, y = overlapping_blobs()
    ours_X, ours_y = ProWSyn(random_state=0).fit_resample(X, y)
    ref_X, ref_y = reference("ProWSyn", X, y, random_state=0, n_neighbors=5, L=5, theta=1.0)
    assert np.bincount(ours_y).tolist() == np.bincount(ref_y.astype(int)).tolist() == [600, 600]
    np.testing.assert_array_equal(ref_X[: len(X)], X)  # smote-variants appends its rows
    assert_same_distribution(ours_X[len(X):], ref_X[len(X):])


def test_same_distribution_as_smote_variants_many_levels():
    """Many small levels (K=1): the level shares matter."""
    X, y = overlapping_blobs(n_major=300, n_minor=80, shift=2.5, seed=1)
    ours_X, _ = ProWSyn(n_neighbors=1, n_levels=4, theta=0.5, random_state=1).fit_resample(X, y)
    ref_X, _ = reference("ProWSyn", X, y, random_state=1, n_neighbors=1, L=4, theta=0.5)
    assert_same_distribution(ours_X[len(X):], ref_X[len(X):])


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), k=st.integers(1, 6), levels=st.integers(1, 6),
       theta=st.floats(0, 3))
def test_rows_on_segments_within_a_level(seed, k, levels, theta):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(0, 1, (40, 3)), rng.normal(1, 1, (12, 3))])
    y = np.repeat([0, 1], [40, 12])
    s = ProWSyn(n_neighbors=k, n_levels=levels, theta=theta, random_state=seed)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [40, 40]
    prov = s.provenance_
    syn = prov.is_synthetic
    level = np.zeros(len(X), int)
    level[s.sample_rows_[1]] = s.proximity_level_[1]
    src, par, gap = prov.source[syn], prov.partner[syn], prov.gap[syn]
    assert (y[src] == 1).all() and (level[src] == level[par]).all()
    assert ((gap >= 0) & (gap <= 1)).all()
    np.testing.assert_allclose(X_res[syn], X[src] + gap[:, None] * (X[par] - X[src]), atol=1e-12)


def test_multiclass_one_against_the_rest():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(2, 1, (20, 2)), rng.normal(-2, 1, (10, 2))])
    y = np.repeat(["a", "b", "c"], [60, 20, 10])
    s = ProWSyn(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    assert {c: int((y_res == c).sum()) for c in "abc"} == {"a": 60, "b": 60, "c": 60}
    prov = s.provenance_
    syn = prov.is_synthetic
    assert (y[prov.source[syn]] == y_res[syn]).all() and (y[prov.partner[syn]] == y_res[syn]).all()
    assert set(s.proximity_level_) == {"b", "c"}


def test_dataframe_reproducible_and_inputs_unchanged():
    X, y = overlapping_blobs(n_major=100, n_minor=20)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    before = df.copy()
    out1, y1 = ProWSyn(random_state=3).fit_resample(df, pd.Series(y))
    out2, _ = ProWSyn(random_state=3).fit_resample(df, pd.Series(y))
    assert isinstance(out1, pd.DataFrame) and list(out1.columns) == ["a", "b", "c", "d"]
    pd.testing.assert_frame_equal(out1, out2)
    pd.testing.assert_frame_equal(df, before)
    assert len(out1) == len(y1) == 200


def test_errors():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="class 1 has 1 sample"):
        ProWSyn().fit_resample(X, np.array([0, 0, 0, 1]))
    y = np.array([0, 0, 1, 1, 0, 0])
    X = np.arange(6.0)[:, None]
    with pytest.raises(ValueError, match="n_levels"):
        ProWSyn(n_levels=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="theta"):
        ProWSyn(theta=-1.0).fit_resample(X, y)
    with pytest.raises(ValueError, match="n_neighbors"):
        ProWSyn(n_neighbors=True).fit_resample(X, y)
