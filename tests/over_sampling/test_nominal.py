"""SMOTENC and SMOTEN: hand-derived small cases, imbalanced-learn differentials,
container round trips, the ways to name categorical columns, and properties."""

import inspect

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import OneHotEncoder

from smotekit.neighbors import kneighbors
from smotekit.over_sampling._nominal import SMOTEN, SMOTENC, _search_matrix, _vdm_modes
from smotekit.utils.estimator_checks import construct_sampler, sampler_checks

imblearn_os = pytest.importorskip("imblearn.over_sampling")


def _mixed(n=300, seed=0, minority=0.1):
    """Two continuous columns around a 3-category column; class 1 is the minority."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(size=n), rng.integers(0, 3, n), 3 * rng.normal(size=n)])
    y = (rng.random(n) < minority).astype(int)
    y[:6] = 1
    return X, y


# --------------------------------------------------------------------------- contract

@pytest.mark.parametrize("cls", [SMOTENC, SMOTEN])
def test_contract_checks(cls):
    for check in sampler_checks(construct_sampler(cls)):
        check(construct_sampler(cls))


@pytest.mark.parametrize("name", ["SMOTENC", "SMOTEN"])
def test_signature_is_imblearns(name):
    ours = inspect.signature(globals()[name])
    theirs = inspect.signature(getattr(imblearn_os, name))
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.parameters.values()]


# --------------------------------------------------------------------------- SMOTENC on paper

def test_smotenc_mismatch_weight_decides_the_neighbour():
    # Class 1: x = 0, 1, 1.5, 10 with categories a, b, a, a. The population std of x is
    # sqrt(16.046875), so a category mismatch adds 16.046875 to the squared distance:
    # from (0, a), (1.5, a) at 2.25 beats (1, b) at 1 + 16.05. Likewise (1, b) -> (1.5, a)
    # (0.25 + 16.05 < 1 + 16.05), (1.5, a) -> (0, a), (10, a) -> (1.5, a).
    X = pd.DataFrame({"x": [0, 1, 1.5, 10] + [5.0] * 8,
                      "c": pd.Categorical(list("abaa") + ["b"] * 8)})
    y = np.r_[[1] * 4, [0] * 8]
    s = SMOTENC("auto", random_state=0, k_neighbors=1)
    X_res, y_res = s.fit_resample(X, y)
    assert s.median_std_ == {1: pytest.approx(np.sqrt(16.046875))}
    p = s.provenance_
    syn = p.is_synthetic
    expected_partner = np.array([2, 2, 0, 2])
    np.testing.assert_array_equal(p.partner[syn], expected_partner[p.source[syn]])
    # With one neighbour, the category is the neighbour's: always 'a' here.
    assert set(X_res["c"][syn]) == {"a"} and X_res["c"].dtype == X["c"].dtype
    x = X["x"].to_numpy()
    np.testing.assert_allclose(X_res["x"][syn], x[p.source[syn]] + p.gap[syn] * (x[p.partner[syn]] - x[p.source[syn]]))


def test_smotenc_category_is_the_mode_of_the_neighbours_not_the_seed():
    # k=3 among 4 class rows: the neighbours are the 3 other rows, seed excluded.
    # Seed a (rows 0, 1) sees {a, b, b} -> b; seed b (rows 2, 3) sees {a, a, b} -> a.
    X = np.array([[0.0, 0], [1.0, 0], [2.0, 1], [10.0, 1]] + [[5.0, 2]] * 10)
    y = np.r_[[1] * 4, [0] * 10]
    s = SMOTENC([1], random_state=0, k_neighbors=3)
    X_res, _ = s.fit_resample(X, y)
    syn = s.provenance_.is_synthetic
    np.testing.assert_array_equal(X_res[syn, 1], np.array([1, 1, 0, 0])[s.provenance_.source[syn]])


def test_smotenc_tied_modes_are_drawn_at_random():
    # Class rows (0, a), (0.1, b), (5, a), (5.1, b); the median std is about 2.5, so with
    # k=2 the neighbours of (0, a) are (0.1, b) at 0.01 + 6.25 and (5, a) at 25, and
    # symmetrically for the others.
    X = np.array([[0.0, 0], [0.1, 1], [5.0, 0], [5.1, 1]] + [[9.0, 0]] * 400)
    y = np.r_[[1] * 4, [0] * 400]
    s = SMOTENC([1], random_state=3, k_neighbors=2)
    X_res, _ = s.fit_resample(X, y)
    # Every seed's two neighbours hold one 'a' (0) and one 'b' (1): a tie, drawn uniformly.
    values = X_res[s.provenance_.is_synthetic, 1]
    assert set(values.tolist()) == {0.0, 1.0}
    assert 0.35 < values.mean() < 0.65


def test_smotenc_zero_median_std_ignores_categories_in_the_distance():
    # Two of three continuous columns are constant within the class, so the median std is 0:
    # neighbours by the continuous part only, as imblearn; the tie of row 1 (at 1 from rows 0
    # and 2) goes to the lower index.
    X = np.column_stack([[0.0, 1, 2, 3.5] + [9] * 6, np.zeros(10), np.zeros(10), [0, 1, 0, 1] + [2] * 6])
    y = np.r_[[1] * 4, [0] * 6]
    s = SMOTENC([3], random_state=0, k_neighbors=1)
    s.fit_resample(X, y)
    assert s.median_std_ == {1: 0.0}
    p = s.provenance_
    syn = p.is_synthetic
    np.testing.assert_array_equal(p.partner[syn], np.array([1, 0, 1, 2])[p.source[syn]])


# --------------------------------------------------------------------------- SMOTEN on paper

def _abc():
    # Minority (1): A x3, B x1, C x2; majority (0): A x1, B x3, C x6.
    # P(1|A) = 3/4, P(1|B) = P(1|C) = 1/4, so VDM(A, B) = VDM(A, C) = (1/2 + 1/2)^2 = 1, VDM(B, C) = 0.
    values = list("AAAB" + "CC") + list("ABBB" + "CCCCCC")
    y = np.r_[[1] * 6, [0] * 10]
    return np.array(values, dtype=object).reshape(-1, 1), y


def test_smoten_vdm_and_mode_with_the_seed_counted():
    X, y = _abc()
    s = SMOTEN(random_state=0, k_neighbors=2)
    X_res, y_res = s.fit_resample(X, y)
    # k=2: A -> {A, A, A}; B -> {B, C, C}; C -> {C, B, C} (B and the other C at distance 0).
    expected = {"A": "A", "B": "C", "C": "C"}
    syn = s.provenance_.is_synthetic
    seeds = X[s.provenance_.source[syn], 0]
    assert [expected[v] for v in seeds] == X_res[syn, 0].tolist()
    assert X_res.dtype == object and np.bincount(y_res).tolist() == [10, 10]
    np.testing.assert_array_equal(s.provenance_.partner[syn], -1)
    assert np.isnan(s.provenance_.gap[syn]).all()


def test_smoten_ties_go_to_the_first_category():
    X, y = _abc()
    s = SMOTEN(random_state=0, k_neighbors=1)
    X_res, _ = s.fit_resample(X, y)
    # k=1: C's nearest other row at distance 0 is B (first in sorted order): {C, B} -> B.
    syn = s.provenance_.is_synthetic
    expected = {"A": "A", "B": "B", "C": "B"}
    assert [expected[v] for v in X[s.provenance_.source[syn], 0]] == X_res[syn, 0].tolist()


def test_smoten_matches_imblearn_on_the_small_case():
    X, y = _abc()
    theirs, _ = imblearn_os.SMOTEN(random_state=0, k_neighbors=2).fit_resample(X, y)
    assert set(theirs[len(y):, 0]) <= {"A", "C"}


# --------------------------------------------------------------------------- differential

def test_smotenc_same_weight_and_neighbours_as_imblearn():
    rng = np.random.default_rng(1)
    n = 400
    X = np.column_stack([rng.normal(size=n), rng.integers(0, 4, n), 3 * rng.normal(size=n),
                         rng.integers(0, 3, n)]).astype(float)
    y = (rng.random(n) < 0.15).astype(int)
    theirs = imblearn_os.SMOTENC([1, 3], random_state=0)
    Xi, yi = theirs.fit_resample(X, y)
    ours = SMOTENC(np.array([1, 3]), random_state=0)
    Xo, yo = ours.fit_resample(X, y)
    assert np.bincount(yi).tolist() == np.bincount(yo).tolist()
    (label, weight), = ours.median_std_.items()
    assert weight == pytest.approx(theirs.median_std_[label], rel=1e-12)
    rows = np.flatnonzero(y == 1)
    Z = _search_matrix(X[rows][:, [0, 2]], X[rows][:, [1, 3]].astype(np.int32), weight)
    mine = np.sort(kneighbors(Z, 5), axis=1)
    np.testing.assert_array_equal(np.sort(theirs.nn_k_.kneighbors(return_distance=False)[:, :5], axis=1), mine)
    # Both draw categories from the same neighbourhoods: same set of categories generated.
    assert set(Xi[len(y):, 1]) == set(Xo[len(y):, 1])


def test_smotenc_multiclass_counts_like_imblearn():
    rng = np.random.default_rng(2)
    X = np.column_stack([rng.normal(size=300), rng.integers(0, 3, 300), rng.normal(size=300)])
    y = np.repeat([0, 1, 2], [200, 70, 30])
    Xi, yi = imblearn_os.SMOTENC([1], random_state=0).fit_resample(X, y)
    Xo, yo = SMOTENC([1], random_state=0).fit_resample(X, y)
    assert np.bincount(yi).tolist() == np.bincount(yo).tolist() == [200, 200, 200]


def test_smoten_same_generated_rows_as_imblearn():
    rng = np.random.default_rng(1)
    X = rng.choice(list("abcd"), size=(400, 3)).astype(object)
    y = (rng.random(400) < 0.2).astype(int)
    Xi, yi = imblearn_os.SMOTEN(random_state=0).fit_resample(X, y)
    Xo, yo = SMOTEN(random_state=0).fit_resample(X, y)
    assert np.bincount(yi).tolist() == np.bincount(yo).tolist()
    # A new row depends on its seed only: the distinct generated rows coincide.
    assert set(map(tuple, Xi[len(y):])) <= set(map(tuple, Xo[len(y):]))


def test_vdm_modes_match_a_brute_force_with_imblearns_metric():
    from imblearn.metrics.pairwise import ValueDifferenceMetric
    from scipy.stats import mode

    rng = np.random.default_rng(4)
    codes = rng.integers(0, 3, size=(120, 2)).astype(np.int32)
    y = (rng.random(120) < 0.3).astype(np.int64)
    vdm = ValueDifferenceMetric(n_categories=[3, 3]).fit(codes, y)
    Cc = codes[y == 1]
    combos, which, counts = np.unique(Cc, axis=0, return_inverse=True, return_counts=True)
    modes = _vdm_modes(combos, counts, vdm.proba_per_class_, 3)
    dist = vdm.pairwise(Cc)
    for i in range(Cc.shape[0]):
        # Sorted by (distance, combination, row): the rule _vdm_modes documents.
        others = [j for j in range(Cc.shape[0]) if j != i]
        others.sort(key=lambda j: (dist[i, j], which.ravel()[j], j))
        hood = Cc[[i] + others[:3]]
        np.testing.assert_array_equal(modes[which.ravel()[i]], mode(hood, axis=0, keepdims=False).mode)


# --------------------------------------------------------------------------- containers

def _frame(n=200, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "amount": rng.normal(size=n),
        "shop": pd.Categorical(rng.choice(["s1", "s2", "s3"], n), categories=["s3", "s1", "s2", "s0"]),
        "count": rng.integers(0, 50, n).astype(np.int32),
        "city": pd.Series(rng.choice(["Oslo", "Lima"], n), dtype="str"),
        "code": rng.choice(["x", "y"], n).astype(object),
        "flag": rng.random(n) < 0.5,
    }), (np.arange(n) % 7 == 0).astype(int)


def test_pandas_columns_keep_dtypes_and_categories():
    df, y = _frame()
    X_res, _ = SMOTENC(["shop", "city", "code"], random_state=0).fit_resample(df, y)
    assert list(X_res.columns) == list(df.columns) and list(X_res.dtypes) == list(df.dtypes)
    assert list(X_res["shop"].cat.categories) == ["s3", "s1", "s2", "s0"]
    assert set(X_res["city"]) <= {"Oslo", "Lima"} and set(X_res["code"]) <= {"x", "y"}
    pd.testing.assert_frame_equal(X_res.iloc[: len(df)], df)


def test_auto_takes_categorical_string_and_object_columns():
    df, y = _frame()
    s = SMOTENC("auto", random_state=0)
    s.fit(df, y)
    s.fit_resample(df, y)
    np.testing.assert_array_equal(s.categorical_features_, [1, 3, 4])
    np.testing.assert_array_equal(s.continuous_features_, [0, 2, 5])


@pytest.mark.parametrize("spec", [
    [1, 3], (1, 3), np.array([1, 3]), np.array([3, 1, 3]), [-2, 1], ["b", "d"],
    np.array(["b", "d"]), [False, True, False, True, False], np.array([0, 1, 0, 1, 0], dtype=bool),
])
def test_every_way_of_naming_the_columns_gives_the_same_result(spec):
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=150), rng.integers(0, 3, 150), rng.normal(size=150),
                         rng.integers(0, 4, 150), rng.normal(size=150)])
    y = (np.arange(150) % 5 == 0).astype(int)
    ref, _ = SMOTENC([1, 3], random_state=1).fit_resample(X, y)
    df = pd.DataFrame(X, columns=list("abcde"))
    out, _ = SMOTENC(spec, random_state=1).fit_resample(df, y)
    np.testing.assert_array_equal(out.to_numpy(), ref)


def test_numpy_object_array_in_object_out_and_polars_round_trip():
    df, y = _frame()
    obj = df[["amount", "code", "count"]].to_numpy(dtype=object)
    X_res, _ = SMOTENC([1], random_state=0).fit_resample(obj, y)
    assert X_res.dtype == object and set(X_res[:, 1]) == {"x", "y"}
    assert isinstance(X_res[-1, 0], float)
    X_auto, _ = SMOTENC("auto", random_state=0).fit_resample(obj, y)
    np.testing.assert_array_equal(X_auto, X_res)
    pdf = pl.DataFrame({"amount": df["amount"].to_numpy(), "city": df["city"].to_numpy().astype(str),
                        "shop": pl.Series(df["shop"].astype(str).to_numpy()).cast(pl.Categorical),
                        "n": df["count"].to_numpy()})
    out, _ = SMOTENC("auto", random_state=0).fit_resample(pdf, y)
    assert out.schema == pdf.schema and out.height == 2 * int((y == 0).sum())
    assert set(out["shop"].cast(pl.String).to_list()) <= {"s1", "s2", "s3"}


def test_smoten_pandas_round_trip():
    df, y = _frame()
    cats = df[["shop", "city", "code"]]
    X_res, y_res = SMOTEN(random_state=0).fit_resample(cats, y)
    assert list(X_res.dtypes) == list(cats.dtypes)
    pd.testing.assert_frame_equal(X_res.iloc[: len(cats)], cats)


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("spec, words", [
    ([0, 1, 2], "SMOTEN"),
    ([], "SMOTE "),
    ("auto", "SMOTE "),
    ([5], "outside"),
    ([True, False], "boolean mask of length 2"),
    (["a"], "no column names"),
    ([1.5], "positions, names or a boolean mask"),
])
def test_smotenc_column_errors(spec, words):
    X = np.random.default_rng(0).integers(0, 3, size=(60, 3)).astype(float)
    y = np.r_[[0] * 50, [1] * 10]
    with pytest.raises((ValueError, TypeError), match=words):
        SMOTENC(spec).fit_resample(X, y)


def test_bad_inputs_get_clear_errors():
    df, y = _frame()
    with pytest.raises(ValueError, match="does not have"):
        SMOTENC(["nope"]).fit_resample(df, y)
    holes = df.assign(code=df["code"].where(np.arange(len(df)) % 9 > 0, None))
    with pytest.raises(ValueError, match="missing"):
        SMOTENC(["shop", "city", "code"]).fit_resample(holes, y)
    with pytest.raises(TypeError, match="non-numeric"):
        SMOTENC(["shop"]).fit_resample(df, y)
    mixed_types = np.array([["a"], [1]] * 30, dtype=object)
    with pytest.raises(TypeError, match="mixes value types"):
        SMOTEN().fit_resample(mixed_types, np.r_[[0] * 40, [1] * 20])
    with pytest.raises(ValueError, match="one column per category"):
        SMOTENC([1], categorical_encoder=OneHotEncoder(drop="first")).fit_resample(*_mixed())
    with pytest.raises(ValueError, match="k_neighbors=5 needs at least 6"):
        SMOTEN().fit_resample(np.array([["a"]] * 20 + [["b"]] * 3), np.r_[[0] * 20, [1] * 3])


# --------------------------------------------------------------------------- properties

@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), k=st.integers(1, 6), n_cat=st.integers(1, 4),
       ratio=st.sampled_from(["auto", 0.5, "add 16"]))
def test_smotenc_properties(seed, k, n_cat, ratio):
    X, y = _mixed(n=160, seed=seed, minority=0.15)
    X[:, 1] = np.minimum(X[:, 1], n_cat - 1)
    if ratio == "add 16":  # a dict target; the random minority size varies with the seed
        ratio = {1: int((y == 1).sum()) + 16}
    s = SMOTENC([1], random_state=seed, k_neighbors=k, sampling_strategy=ratio)
    X_res, y_res = s.fit_resample(X, y)
    for c in s.sampling_plan_:
        assert int((y_res == c.label).sum()) == c.n_target
    p = s.provenance_
    syn = p.is_synthetic
    src, par, gap = p.source[syn], p.partner[syn], p.gap[syn]
    assert np.all(y[src] == y[par]) and np.all((gap >= 0) & (gap < 1))
    cont = [0, 2]
    np.testing.assert_allclose(X_res[syn][:, cont],
                               X[src][:, cont] + gap[:, None] * (X[par][:, cont] - X[src][:, cont]))
    # The category of a new row is a most frequent one among its seed's k neighbours.
    rows = np.flatnonzero(y == 1)
    local = np.searchsorted(rows, src)
    Z = _search_matrix(X[rows][:, cont], X[rows][:, [1]].astype(np.int32), s.median_std_[1])
    hood = X[rows, 1][kneighbors(Z, k)]
    counts = (hood[local] == X_res[syn, 1][:, None]).sum(axis=1)
    best = np.array([np.unique(h, return_counts=True)[1].max() for h in hood])
    np.testing.assert_array_equal(counts, best[local])
    again, _ = SMOTENC([1], random_state=seed, k_neighbors=k, sampling_strategy=ratio).fit_resample(X, y)
    np.testing.assert_array_equal(again, X_res)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), k=st.integers(1, 5))
def test_smoten_properties(seed, k):
    rng = np.random.default_rng(seed)
    X = rng.choice(np.array(["p", "q", "r"], dtype=object), size=(120, 2))
    y = np.r_[[0] * 90, [1] * 30]
    s = SMOTEN(random_state=seed, k_neighbors=k)
    X_res, y_res = s.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [90, 90]
    syn = s.provenance_.is_synthetic
    # A new row depends on its seed's values only.
    seeds = X[s.provenance_.source[syn]]
    for key in set(map(tuple, seeds)):
        same = np.all(seeds == np.array(key, dtype=object), axis=1)
        assert len(set(map(tuple, X_res[syn][same]))) == 1
    again, _ = SMOTEN(random_state=seed, k_neighbors=k).fit_resample(X, y)
    np.testing.assert_array_equal(again, X_res)
