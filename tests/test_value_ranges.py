"""Synthetic values stay representable in their column's dtype (issue 13, item 1).

Every generating sampler, on integer and small-float columns whose values sit at
or near the dtype's limits, in pandas (numpy and nullable dtypes) and polars frames:

* no value wraps around or becomes infinite: each synthetic value equals the
  float64 result of the same run on a float64 copy of the column, rounded for
  integers and clipped to the dtype's range (a differential test, so an
  extrapolation, a smoothing noise or float64's rounding near 2**63 that wraps
  in the cast is caught, including a sign flip);
* samplers that interpolate inside a class leave every synthetic value within
  the range of its class's values in that column, exactly (64-bit integers too,
  which float64 cannot represent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
    SMOTETomek,
)

# Some drawn data sets have no border sample; BorderlineSMOTE says so and seeds from all.
pytestmark = pytest.mark.filterwarnings("ignore:BorderlineSMOTE. no sample of class:UserWarning")

DTYPES = ["int8", "uint8", "int16", "int32", "int64", "uint64", "float16", "float32"]

#: name -> (factory, interpolates inside the class)
SAMPLERS = {
    "SMOTE": (lambda: SMOTE(k_neighbors=3), True),
    "BorderlineSMOTE": (lambda: BorderlineSMOTE(k_neighbors=3, m_neighbors=5), True),
    "SVMSMOTE": (lambda: SVMSMOTE(k_neighbors=3, m_neighbors=5, out_step=0.9), False),
    "ADASYN": (lambda: ADASYN(n_neighbors=3), True),
    "KMeansSMOTE": (lambda: KMeansSMOTE(k_neighbors=2, kmeans_estimator=2, cluster_balance_threshold=0.0), True),
    "SMOTENC": (lambda: SMOTENC(categorical_features=["c"], k_neighbors=3), True),
    "RandomOverSampler": (lambda: RandomOverSampler(shrinkage=25.0), False),
    "SMOTEENN": (lambda: SMOTEENN(smote=SMOTE(k_neighbors=3)), True),
    "SMOTETomek": (lambda: SMOTETomek(smote=SMOTE(k_neighbors=3)), True),
}

N_MIN, N_FAR, N_NEAR = 14, 30, 6


def _limits(dtype):
    dtype = np.dtype(dtype)
    info = np.iinfo(dtype) if dtype.kind in "iu" else np.finfo(dtype)
    lo, hi = (int(info.min), int(info.max)) if dtype.kind in "iu" else (float(info.min), float(info.max))
    return lo, hi


def _span(dtype):
    """How far from a limit the values are drawn: a few units for int8, 2**54 for
    64-bit integers (where float64 rounds), 5% of the range for floats."""
    lo, hi = _limits(dtype)
    if np.dtype(dtype).kind in "iu":
        return max(40, (hi - lo) >> 10)
    return hi * 0.05


def _column(dtype, side, minority, near, far):
    """Minority and ``near`` majority rows at one limit (``side``), ``far`` majority rows at
    the other; offsets count inward from the limit. Exact integers (Python ints) throughout."""
    lo, hi = _limits(dtype)
    at = (lambda o: hi - o) if side == "top" else (lambda o: lo + o)
    away = (lambda o: lo + o) if side == "top" else (lambda o: hi - o)
    values = [away(o) for o in far] + [at(o) for o in near] + [at(o) for o in minority]
    if np.dtype(dtype).kind in "iu":
        return np.array(values, dtype=object).astype(dtype)
    return np.array(values, dtype=np.float64).astype(dtype)


def _frame(container, dtype, a, b, with_category):
    df = pd.DataFrame({"a": a, "b": b})
    if with_category:
        df["c"] = np.where(np.arange(len(a)) % 3 == 0, "x", "y")
    if container == "nullable":
        df = df.astype({"a": {"float32": "Float32"}.get(dtype, dtype.capitalize().replace("Uint", "UInt"))})
    if container == "polars":
        return pl.DataFrame({name: df[name].to_numpy() for name in df.columns})
    return df


def _column_out(X, name="a"):
    return X[name].to_numpy() if isinstance(X, pd.DataFrame) else X[name].to_numpy()


def _run(name, X, y, seed):
    sampler = SAMPLERS[name][0]().set_params(random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, np.asarray(y_res)


def _check(name, dtype, container, side, minority, near, far, b, seed):
    a = _column(dtype, side, minority, near, far)
    y = np.r_[np.zeros(len(far) + len(near), int), np.ones(len(minority), int)]
    X = _frame(container, dtype, a, b, name == "SMOTENC")
    try:
        sampler, X_res, y_res = _run(name, X, y, seed)
    except ValueError as exc:
        # Data on which the method cannot work at all (e.g. SVMSMOTE without a usable
        # support vector) is not what this test is about; the message says so.
        assume("not adapted" not in str(exc) and "usable" not in str(exc))
        raise
    assert X_res["a"].dtype == X["a"].dtype
    out = _column_out(X_res)
    synthetic = sampler.provenance_.is_synthetic
    assert synthetic.any()
    new = out[synthetic]

    # The values before the cast, in float64: from the provenance where the rows lie on
    # lines through two input rows (X[source] + gap * (X[partner] - X[source]), SVMSMOTE's
    # extrapolations included), else (noise) from the same run on a float64 copy of the column.
    prov = sampler.provenance_
    a64 = a.astype(np.float64)
    if prov.partner is not None and (prov.partner[synthetic] >= 0).all():
        src, par, gap = prov.source[synthetic], prov.partner[synthetic], prov.gap[synthetic]
        ref = a64[src] + gap * (a64[par] - a64[src])
    else:
        X64 = _frame("pandas", dtype, a64, b, name == "SMOTENC")
        _, X64_res, _ = _run(name, X64, y, seed)
        ref = X64_res["a"].to_numpy()[synthetic]
    assert np.isfinite(ref).all()
    lo, hi = _limits(dtype)
    if np.dtype(dtype).kind in "iu":
        expected = np.clip(np.rint(ref), float(lo), float(hi))
    else:
        expected = np.clip(ref, lo, hi)
    got = new.astype(np.float64)
    assert np.isfinite(got).all(), f"{name}: a synthetic {dtype} value overflowed to infinity"
    # Rounding to the dtype (float16/float32) or float64's own rounding of 64-bit
    # integers, plus the clip to a segment's exact ends: a few units in the last place.
    eps = np.finfo(np.dtype(dtype) if dtype.startswith("float") else np.float64).eps
    tol = 4 * eps * np.abs(expected) + 1
    bad = np.abs(got - expected) > tol
    assert not bad.any(), (
        f"{name} on {container} {dtype}: synthetic {got[bad][:3]} where {expected[bad][:3]} "
        "was expected (wrapped around in the cast?)"
    )
    # Sign flip: a value made from non-negative values is non-negative, and vice versa.
    assert not ((expected > 0) & (got < 0)).any() and not ((expected < 0) & (got > 0)).any()

    if SAMPLERS[name][1]:
        # Interpolation inside the class: within the class's range, compared exactly in
        # the column's own dtype.
        source = sampler.provenance_.source[synthetic]
        labels = y[source]
        a_exact = np.asarray(a)
        new_exact = np.asarray(new).astype(a_exact.dtype)
        for label in np.unique(labels):
            cls = a_exact[y == label]
            mine = new_exact[labels == label]
            assert (mine >= cls.min()).all() and (mine <= cls.max()).all(), (
                f"{name} on {container} {dtype}: synthetic values {mine[(mine < cls.min()) | (mine > cls.max())][:3]} "
                f"outside class {label}'s range [{cls.min()}, {cls.max()}]"
            )


def _containers(dtype):
    out = ["pandas", "nullable", "polars"]
    if dtype == "float16":
        out.remove("nullable")  # pandas has no nullable Float16
    return out


@st.composite
def _data(draw, dtype):
    span = _span(dtype)
    if np.dtype(dtype).kind in "iu":
        offsets = st.integers(0, span)
    else:
        offsets = st.floats(0, span, allow_nan=False)
    side = draw(st.sampled_from(["top", "bottom"]))
    minority = draw(st.lists(offsets, min_size=N_MIN, max_size=N_MIN))
    near = draw(st.lists(offsets, min_size=N_NEAR, max_size=N_NEAR))
    far = draw(st.lists(offsets, min_size=N_FAR, max_size=N_FAR))
    container = draw(st.sampled_from(_containers(dtype)))
    seed = draw(st.integers(0, 2**32 - 1))
    b = np.random.default_rng(seed).normal(size=N_MIN + N_NEAR + N_FAR)
    return container, side, minority, near, far, b, seed


@pytest.mark.slow
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_synthetic_values_stay_in_range(name, dtype):
    @settings(max_examples=20, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(_data(dtype))
    def check(data):
        container, side, minority, near, far, b, seed = data
        _check(name, dtype, container, side, minority, near, far, b, seed)

    check()


@pytest.mark.parametrize("container", ["pandas", "nullable", "polars"])
@pytest.mark.parametrize("dtype", ["int8", "int64", "uint64", "float32"])
@pytest.mark.parametrize("side", ["top", "bottom"])
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_values_at_the_limits(name, side, dtype, container):
    """The minority class on the dtype's limit itself, spread a little inward."""
    span = _span(dtype)
    minority = [0, 0, 1, 2, 3, span // 7, span // 5, span // 3, span // 2, span] * 2
    minority = minority[:N_MIN]
    near = [1, span // 4, span // 6, 2, span // 3, 5]
    far = [span * i // N_FAR for i in range(N_FAR)]
    if dtype.startswith("float"):
        minority, near, far = ([float(o) for o in v] for v in (minority, near, far))
    b = np.random.default_rng(0).normal(size=N_MIN + N_NEAR + N_FAR)
    _check(name, dtype, container, side, minority, near, far, b, 0)


def test_int8_extrapolation_does_not_wrap():
    """SVMSMOTE's extrapolation past 127 in an int8 column: 127, never -128."""
    a = np.r_[np.full(30, -100), [120, 125, 126], np.r_[110:128]].astype(np.int8)
    y = np.r_[np.zeros(33, int), np.ones(18, int)]
    X = pd.DataFrame({"a": a, "b": np.random.default_rng(1).normal(size=a.size)})
    sampler = SVMSMOTE(k_neighbors=3, m_neighbors=5, out_step=1.0, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new = X_res["a"].to_numpy()[sampler.provenance_.is_synthetic]
    assert new.dtype == np.int8
    assert new.min() > 0 and new.max() == 127


@pytest.mark.parametrize("container", ["pandas", "nullable", "polars"])
def test_int64_maximum_is_not_wrapped(container):
    """2**63 - 1 reads as the float 2**63, which the cast would turn into -2**63."""
    top = np.iinfo(np.int64).max
    a = np.r_[np.arange(30), np.full(10, top) - np.arange(10)].astype(np.int64)
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    X = _frame(container, "int64", a, np.random.default_rng(0).normal(size=40), False)
    sampler = SMOTE(k_neighbors=3, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new = _column_out(X_res)[sampler.provenance_.is_synthetic].astype(np.int64)
    assert new.min() >= top - 9 and new.max() == top


def test_shrinkage_noise_does_not_wrap_int8():
    a = np.r_[np.zeros(30), np.r_[90:128:2]].astype(np.int8)
    y = np.r_[np.zeros(30, int), np.ones(19, int)]
    X = pd.DataFrame({"a": a, "b": np.random.default_rng(0).normal(size=a.size)})
    sampler = RandomOverSampler(shrinkage=20.0, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    new = X_res["a"].to_numpy()[sampler.provenance_.is_synthetic]
    assert new.min() > 0, "noise past 127 wrapped to negative values"
    assert new.max() == 127


def test_polars_integer_overflow_is_clipped_not_refused():
    """polars' strict cast used to refuse the whole output for one value past the limit."""
    a = np.r_[np.zeros(30), np.r_[90:128:2]].astype(np.int8)
    y = np.r_[np.zeros(30, int), np.ones(19, int)]
    X = pl.DataFrame({"a": a, "b": np.random.default_rng(0).normal(size=a.size)})
    X_res, _ = RandomOverSampler(shrinkage=20.0, random_state=0).fit_resample(X, y)
    assert X_res["a"].dtype == pl.Int8
    assert X_res["a"].max() == 127


def test_nullable_missing_cells_stay_missing():
    """A nullable column's NA cells survive the clip as NA (the fill value is not kept)."""
    from smotekit.utils._containers._pandas import column_out

    col = np.array([1.4, np.nan, 300.0, -300.0])
    out = column_out(col, pd.Int8Dtype(), False, nullable=True)
    assert list(pd.array(out, dtype="Int8").fillna(-1)) == [1, -1, 127, -128]


@pytest.mark.parametrize("dtype", DTYPES)
def test_fit_to_dtype_clips_without_wrapping(dtype):
    """The one cast of synthetic values: rounded, clipped, exact at 64-bit limits, no warning."""
    from smotekit.utils._containers._dtypes import fit_to_dtype

    lo, hi = _limits(dtype)
    col = np.array([-1e300, float(lo) - 0.6, float(lo), -0.4, 0.6, float(hi), float(hi) + 0.4, 1e300])
    with np.errstate(all="raise"):  # an overflowing cast would raise here
        out, _ = fit_to_dtype(col, np.dtype(dtype))
    assert out.dtype == np.dtype(dtype)
    if np.dtype(dtype).kind in "iu":
        expected = [lo, lo, lo, 0, 1, hi, hi, hi]
        assert [int(v) for v in out] == expected
    else:
        assert np.isfinite(out).all()
        assert out[0] == out[1] == out[2] == lo and out[-1] == out[-2] == out[-3] == hi


def test_fit_to_dtype_bounds_and_missing():
    """Segment ends bound the values exactly; NaN cells are reported, not cast."""
    from smotekit.utils._containers._dtypes import fit_to_dtype

    top = np.iinfo(np.int64).max
    ends = (np.array([top - 5000, 0, 0], np.int64), np.array([top - 3000, 10, 10], np.int64))
    out, missing = fit_to_dtype(np.array([float(top), 12.0, np.nan]), np.dtype(np.int64), lambda dt: ends)
    assert out[0] == top - 3000 and out[1] == 10
    assert missing.tolist() == [False, False, True]


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_numpy_small_float_smotenc_keeps_dtype_finite(dtype):
    """A numpy float16/float32 array keeps its dtype through SMOTENC, finite at its limits
    (a guard: interpolation alone does not leave the range)."""
    hi = float(np.finfo(dtype).max)
    rng = np.random.default_rng(0)
    a = np.r_[-hi * rng.uniform(0.9, 1, 30), hi * rng.uniform(0.9, 1, 12)]
    X = np.c_[a, rng.integers(0, 2, a.size)].astype(dtype)
    y = np.r_[np.zeros(30, int), np.ones(12, int)]
    X_res, _ = SMOTENC(categorical_features=[1], k_neighbors=3, random_state=0).fit_resample(X, y)
    assert X_res.dtype == dtype
    assert np.isfinite(X_res).all()


@pytest.mark.parametrize("dtype", ["int8", "uint64", "int64"])
def test_row_copies_are_untouched(dtype):
    """A row-copying sampler returns the input values exactly, limits included."""
    lo, hi = _limits(dtype)
    a = np.array([lo] * 30 + [hi] * 5 + [lo + 1] * 5, dtype=object).astype(dtype)
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    X = pd.DataFrame({"a": a, "b": np.arange(40.0)})
    X_res, _ = RandomOverSampler(random_state=0).fit_resample(X, y)
    assert X_res["a"].dtype == np.dtype(dtype)
    assert set(X_res["a"].tolist()[40:]) <= {hi, lo + 1}
