"""The regression samplers' common contract, run over every sampler ``smotekit.regression`` exports.

The samplers are found from the package's ``__all__`` (a new one is checked without
being listed here), each in several instances: its defaults, then each other option
of its string-option parameters (``sampling_strategy='extreme'``, ``safe_distance='bin'``...).
"""

import copy

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.utils._param_validation import StrOptions

import smotekit.regression as family
from smotekit.pipeline import Pipeline
from smotekit.regression import BaseRegressionSampler

CLASSES = [obj for name in family.__all__ if isinstance(obj := getattr(family, name), type)
           and issubclass(obj, BaseRegressionSampler) and obj is not BaseRegressionSampler]


def _instances(cls):
    """The defaults, then one instance per other option of each string-option parameter."""
    out = [cls(random_state=0)]
    for name, constraints in cls._parameter_constraints.items():
        default = cls().get_params()[name]
        for c in constraints:
            if isinstance(c, StrOptions):
                out += [cls(random_state=0, **{name: o}) for o in sorted(c.options) if o != default]
    return out


INSTANCES = [s for cls in CLASSES for s in _instances(cls)]


def _id(sampler):
    changed = {k: v for k, v in sampler.get_params(deep=False).items() if k != "random_state"
               and v != type(sampler)().get_params(deep=False)[k]}
    return type(sampler).__name__ + "".join(f"-{v}" for v in changed.values())


def _data(n=160, seed=0):
    """Numeric X and a skewed target: a normal bin and a rare bin of about 30 rows."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, np.exp(X[:, 0] + 0.3 * rng.normal(size=n))


def _frame(X):
    """X as a pandas frame with a float, an integer, a categorical and a string column."""
    rng = np.random.default_rng(1)
    return pd.DataFrame({"a": X[:, 0], "n": np.rint(X[:, 1] * 10).astype(np.int16),
                         "c": pd.Categorical(rng.choice(["lo", "mid", "hi"], len(X)), categories=["lo", "mid", "hi"]),
                         "o": rng.choice(["u", "v"], len(X)).astype(object)}, index=np.arange(len(X)) * 2 + 7)


def _dense(X_res):
    return X_res.to_numpy() if hasattr(X_res, "to_numpy") else np.asarray(X_res)


def test_every_exported_sampler_is_checked():
    assert {"RandomOverSampler", "RandomUnderSampler", "SMOTER", "GaussianNoise", "SMOGN"} <= {
        c.__name__ for c in CLASSES}


# ---- scikit-learn's conventions ------------------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_clone_params_round_trip_and_repr(sampler):
    params = sampler.get_params(deep=False)
    copy_ = clone(sampler)
    assert copy_ is not sampler and copy_.get_params(deep=False) == params
    assert type(sampler)().set_params(**params).get_params(deep=False) == params
    assert repr(type(sampler)()) == f"{type(sampler).__name__}()"
    assert repr(sampler).startswith(f"{type(sampler).__name__}(") and "random_state=0" in repr(sampler)
    tags = sampler.__sklearn_tags__()
    assert tags.estimator_type == "sampler" and sampler._estimator_type == "sampler"


class _Invalid:
    """A value no parameter constraint accepts."""

    def __repr__(self):
        return "<invalid>"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_parameters_are_checked_at_fit_not_init(cls):
    X, y = _data()
    for name in cls().get_params(deep=False):
        sampler = cls(**{name: _Invalid()})  # __init__ only stores
        assert isinstance(sampler.get_params()[name], _Invalid)
        with pytest.raises((ValueError, TypeError), match=f"'{name}' parameter"):
            sampler.fit_resample(X, y)
        with pytest.raises((ValueError, TypeError), match=f"'{name}' parameter"):
            sampler.fit(X, y)


# ---- reproducibility and the caller's data -------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_same_seed_same_output_and_inputs_untouched(sampler):
    X, y = _data()
    frame, series = _frame(X), pd.Series(y, name="t", index=np.arange(len(y)) * 2 + 7)
    kept = (X.copy(), y.copy(), frame.copy(deep=True), series.copy(deep=True))
    for data in [(X, y), (frame, series)]:
        first = clone(sampler).fit_resample(*data)
        again = clone(sampler).fit_resample(*data)
        for a, b in zip(first, again):
            np.testing.assert_array_equal(_dense(a), _dense(b))
    np.testing.assert_array_equal(X, kept[0])
    np.testing.assert_array_equal(y, kept[1])
    assert X.flags.writeable and y.flags.writeable
    pd.testing.assert_frame_equal(frame, kept[2])
    pd.testing.assert_series_equal(series, kept[3])


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_originals_at_the_head_and_provenance_matches_the_output(sampler):
    X, y = _data()
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    n_kept = prov.n_kept
    assert len(prov) == len(X_res) == len(y_res)
    kept, source, partner, gap = prov.source[:n_kept], prov.source[n_kept:], prov.partner[n_kept:], prov.gap[n_kept:]
    assert (np.diff(kept) > 0).all()  # input order
    # bit for bit: the same bytes, not merely close
    assert X_res[:n_kept].tobytes() == X[kept].tobytes() and y_res[:n_kept].tobytes() == y[kept].tobytes()
    # rows per bin: every output row counts in its source's bin
    bins = sampler.bins_
    np.testing.assert_array_equal(np.bincount(bins.bin_of_row[prov.source], minlength=bins.n_bins),
                                  [sampler.sampling_strategy_[b] for b in range(bins.n_bins)])
    if hasattr(sampler, "sample_indices_"):
        np.testing.assert_array_equal(sampler.sample_indices_, prov.source)
    if not sampler._reads_values:  # copies: the source row's values, exactly
        assert (partner == -1).all() and np.isnan(gap).all()
        assert X_res[n_kept:].tobytes() == X[source].tobytes() and y_res[n_kept:].tobytes() == y[source].tobytes()
        return
    on_segment = partner >= 0
    assert np.isfinite(gap[on_segment]).all() and np.isnan(gap[~on_segment]).all()
    s, p, g = source[on_segment], partner[on_segment], gap[on_segment]
    assert (bins.bin_of_row[s] == bins.bin_of_row[p]).all()
    np.testing.assert_allclose(X_res[n_kept:][on_segment], X[s] + g[:, None] * (X[p] - X[s]), rtol=1e-12, atol=1e-12)
    new_y = y_res[n_kept:][on_segment]
    assert ((new_y >= np.minimum(y[s], y[p])) & (new_y <= np.maximum(y[s], y[p]))).all()


# ---- containers and dtypes -----------------------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_pandas_and_polars_in_same_kind_out(sampler):
    X, y = _data()
    frame = _frame(X)
    X_res, y_res = sampler.fit_resample(frame, pd.Series(y.astype(np.float32), name="t", index=frame.index))
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(frame.columns) and list(X_res.dtypes) == list(frame.dtypes)
    assert y_res.name == "t" and y_res.dtype == np.float32
    assert X_res.index.equals(pd.RangeIndex(len(X_res))) and y_res.index.equals(X_res.index)
    kept = sampler.provenance_.source[: sampler.provenance_.n_kept]
    pd.testing.assert_frame_equal(X_res.iloc[: kept.size], frame.iloc[kept].reset_index(drop=True))
    assert set(X_res["c"]) <= {"lo", "mid", "hi"} and set(X_res["o"]) <= {"u", "v"}
    assert list(sampler.feature_names_in_) == list(frame.columns)
    assert list(sampler.get_feature_names_out()) == list(frame.columns)

    polars = pl.from_pandas(frame.reset_index(drop=True))
    X_res, y_res = clone(sampler).fit_resample(polars, pl.Series("t", y, dtype=pl.Float32))
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == polars.schema
    assert isinstance(y_res, pl.Series) and y_res.name == "t" and y_res.dtype == pl.Float32
    assert len(y_res) == X_res.height


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_float32_stays_float32_and_integer_targets_stay_integers(sampler):
    X, y = _data()
    X_res, y_res = sampler.fit_resample(X.astype(np.float32), np.rint(y * 100).astype(np.int32))
    assert X_res.dtype == np.float32 and y_res.dtype == np.int32


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_nan_in_X_refused_by_value_reading_samplers(sampler):
    X, y = _data()
    X = X.copy()
    X[5, 1] = np.nan
    if sampler._reads_values:
        with pytest.raises(ValueError, match="NaN.*impute"):
            sampler.fit_resample(X, y)
        with pytest.raises(ValueError, match="NaN.*impute"):
            sampler.fit_resample(pd.DataFrame(X, columns=list("abc")), y)
    else:  # rows are only copied: NaN passes through
        X_res, _ = sampler.fit_resample(X, y)
        assert np.isnan(X_res).sum() == np.isin(sampler.provenance_.source, [5]).sum()


# ---- in a pipeline ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_pipeline_and_cross_validation(sampler):
    X, y = _data(n=240)
    pipe = Pipeline([("resample", sampler), ("model", LinearRegression())])
    scores = cross_val_score(pipe, X, y, cv=KFold(3, shuffle=True, random_state=0))
    assert np.isfinite(scores).all()
    assert pipe.fit(X, y).predict(X[:4]).shape == (4,)
    assert copy.deepcopy(pipe).get_params()["resample"].get_params() == sampler.get_params()
