"""The multi-label samplers' common contract, run over every sampler ``smotekit.multilabel`` exports.

The samplers are found from the package's ``__all__`` (a new one is checked without
being listed here), each in several instances: its defaults, then each other option
of its string-option parameters (``by='labelset'``, ``label_generation='union'``...).
"""

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.model_selection import KFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils._param_validation import StrOptions

import smotekit.multilabel as family
from smotekit.multilabel import BaseMultilabelSampler
from smotekit.pipeline import Pipeline

CLASSES = [obj for name in family.__all__ if isinstance(obj := getattr(family, name), type)
           and issubclass(obj, BaseMultilabelSampler) and obj is not BaseMultilabelSampler]


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
    changed = {k: v for k, v in sampler.get_params().items() if k != "random_state"
               and v != type(sampler)().get_params()[k]}
    return type(sampler).__name__ + "".join(f"-{v}" for v in changed.values())


def _data(n=150, seed=0):
    """Numeric X and four labels from frequent to rare (about 60% to 6% of the rows)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    Y = (rng.random((n, 4)) < [0.6, 0.3, 0.12, 0.06]).astype(np.int64)
    Y[:2] = 1  # every label on a few rows, so that every bag can interpolate
    return X, Y


def _dense(A):
    if sparse.issparse(A):
        return A.toarray()
    return A.to_numpy() if hasattr(A, "to_numpy") else np.asarray(A)


def test_every_exported_sampler_is_checked():
    assert {"MLROS", "MLRUS", "MLSMOTE"} <= {c.__name__ for c in CLASSES}


# ---- scikit-learn's conventions ------------------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_clone_params_round_trip_and_repr(sampler):
    params = sampler.get_params()
    copy_ = clone(sampler)
    assert copy_ is not sampler and copy_.get_params() == params
    assert type(sampler)().set_params(**params).get_params() == params
    assert repr(type(sampler)()) == f"{type(sampler).__name__}()"
    assert repr(sampler).startswith(f"{type(sampler).__name__}(") and "random_state=0" in repr(sampler)
    assert sampler.__sklearn_tags__().estimator_type == "sampler" and sampler._estimator_type == "sampler"


class _Invalid:
    """A value no parameter constraint accepts."""

    def __repr__(self):
        return "<invalid>"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_parameters_are_checked_at_fit_not_init(cls):
    X, Y = _data()
    for name in cls().get_params():
        sampler = cls(**{name: _Invalid()})  # __init__ only stores
        assert isinstance(sampler.get_params()[name], _Invalid)
        with pytest.raises((ValueError, TypeError), match=f"'{name}' parameter"):
            sampler.fit_resample(X, Y)
        with pytest.raises((ValueError, TypeError), match=f"'{name}' parameter"):
            sampler.fit(X, Y)


# ---- reproducibility and the caller's data -------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_same_seed_same_output_and_inputs_untouched(sampler):
    X, Y = _data()
    Xf = pd.DataFrame(X, columns=list("abc"), index=np.arange(len(X)) * 3)
    Yf = pd.DataFrame(Y, columns=["w", "x", "y", "z"], index=Xf.index)
    sets = [[name for name, on in zip("wxyz", row) if on] for row in Y]
    kept = (X.copy(), Y.copy(), Xf.copy(deep=True), Yf.copy(deep=True), [list(s) for s in sets])
    for data in [(X, Y), (Xf, Yf), (X, sets)]:
        first = clone(sampler).fit_resample(*data)
        again = clone(sampler).fit_resample(*data)
        np.testing.assert_array_equal(_dense(first[0]), _dense(again[0]))
        assert (first[1] == again[1]) if isinstance(first[1], list) else np.array_equal(_dense(first[1]),
                                                                                          _dense(again[1]))
    np.testing.assert_array_equal(X, kept[0])
    np.testing.assert_array_equal(Y, kept[1])
    assert X.flags.writeable and Y.flags.writeable
    pd.testing.assert_frame_equal(Xf, kept[2])
    pd.testing.assert_frame_equal(Yf, kept[3])
    assert sets == kept[4]


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_originals_at_the_head_and_provenance_matches_the_output(sampler):
    X, Y = _data()
    X_res, Y_res = sampler.fit_resample(X, Y)
    prov = sampler.provenance_
    n_kept = prov.n_kept
    assert len(prov) == len(X_res) == len(Y_res)
    kept, source, partner, gap = prov.source[:n_kept], prov.source[n_kept:], prov.partner[n_kept:], prov.gap[n_kept:]
    assert (np.diff(kept) > 0).all()  # input order
    # bit for bit: the same bytes, not merely close
    assert X_res[:n_kept].tobytes() == X[kept].tobytes() and Y_res[:n_kept].tobytes() == Y[kept].tobytes()
    if hasattr(sampler, "sample_indices_"):
        np.testing.assert_array_equal(sampler.sample_indices_, prov.source)
    # the measures after are those of the output
    np.testing.assert_array_equal(sampler.imbalance_after_.counts, Y_res.sum(axis=0))
    np.testing.assert_array_equal(sampler.imbalance_before_.counts, Y.sum(axis=0))
    if not sampler._reads_values:  # copies: the source row's values and labels, exactly
        assert (partner == -1).all() and np.isnan(gap).all()
        assert X_res[n_kept:].tobytes() == X[source].tobytes() and Y_res[n_kept:].tobytes() == Y[source].tobytes()
        return
    assert (partner >= 0).all()
    low, high = np.minimum(X[source], X[partner]), np.maximum(X[source], X[partner])
    new = X_res[n_kept:]
    assert ((new >= low - 1e-12) & (new <= high + 1e-12)).all()  # within the box of the two parents
    on_segment = np.isfinite(gap)
    s, p, g = source[on_segment], partner[on_segment], gap[on_segment]
    np.testing.assert_allclose(new[on_segment], X[s] + g[:, None] * (X[p] - X[s]), rtol=1e-12, atol=1e-12)


# ---- containers and dtypes -----------------------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_pandas_polars_and_label_sets_in_same_kind_out(sampler):
    X, Y = _data()
    X_np, Y_np = clone(sampler).fit_resample(X, Y)
    Xf = pd.DataFrame({"a": X[:, 0], "b": X[:, 1].astype(np.float32), "n": np.rint(X[:, 2] * 10).astype(np.int16)},
                      index=np.arange(len(X)) * 3)
    Yf = pd.DataFrame(Y, columns=["w", "x", "y", "z"], index=Xf.index).astype(
        {"w": "int8", "x": "bool", "y": "Int64", "z": "float64"})
    X_res, Y_res = sampler.fit_resample(Xf, Yf)
    assert isinstance(X_res, pd.DataFrame) and isinstance(Y_res, pd.DataFrame)
    assert list(X_res.columns) == list(Xf.columns) and list(X_res.dtypes) == list(Xf.dtypes)
    assert list(Y_res.columns) == list(Yf.columns) and list(Y_res.dtypes) == list(Yf.dtypes)
    assert X_res.index.equals(pd.RangeIndex(len(X_res))) and Y_res.index.equals(X_res.index)
    kept = sampler.provenance_.source[: sampler.provenance_.n_kept]
    pd.testing.assert_frame_equal(X_res.iloc[: kept.size], Xf.iloc[kept].reset_index(drop=True))
    # the labels do not depend on the container: the same values as an array give the same ones
    np.testing.assert_array_equal(Y_res.to_numpy(dtype=np.int64), clone(sampler).fit_resample(Xf.to_numpy(float), Y)[1])
    assert list(sampler.feature_names_in_) == ["a", "b", "n"] and list(sampler.labels_) == ["w", "x", "y", "z"]
    assert list(sampler.get_feature_names_out()) == ["a", "b", "n"]

    Xp, Yp = pl.DataFrame(X, schema=list("abc")), pl.DataFrame(Y.astype(np.int8), schema=list("wxyz"))
    X_res, Y_res = clone(sampler).fit_resample(Xp, Yp)
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == Xp.schema
    assert isinstance(Y_res, pl.DataFrame) and Y_res.schema == Yp.schema
    np.testing.assert_array_equal(X_res.to_numpy(), X_np)
    np.testing.assert_array_equal(Y_res.to_numpy(), Y_np)

    sets = [tuple(name for name, on in zip("wxyz", row) if on) for row in Y]
    X_res, Y_res = clone(sampler).fit_resample(X, sets)
    assert isinstance(Y_res, list) and all(isinstance(s, tuple) for s in Y_res)
    assert Y_res == [tuple(name for name, on in zip("wxyz", row) if on) for row in Y_np]
    np.testing.assert_array_equal(X_res, X_np)


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_float32_stays_float32_and_sparse_stays_sparse(sampler):
    X, Y = _data()
    X_res, Y_res = sampler.fit_resample(X.astype(np.float32), Y.astype(np.uint8))
    assert X_res.dtype == np.float32 and Y_res.dtype == np.uint8
    if sampler.__sklearn_tags__().input_tags.sparse:
        X_sp, Y_sp = clone(sampler).fit_resample(sparse.csr_matrix(X), sparse.csr_matrix(Y))
        X_np, Y_np = clone(sampler).fit_resample(X, Y)
        assert sparse.issparse(X_sp) and sparse.issparse(Y_sp)
        np.testing.assert_allclose(X_sp.toarray(), X_np, rtol=1e-12)
        np.testing.assert_array_equal(Y_sp.toarray(), Y_np)


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_nan_in_X_refused_by_value_reading_samplers(sampler):
    X, Y = _data()
    X = X.copy()
    X[5, 1] = np.nan
    if sampler._reads_values:
        with pytest.raises(ValueError, match="NaN.*impute"):
            sampler.fit_resample(X, Y)
        with pytest.raises(ValueError, match="NaN.*impute"):
            sampler.fit_resample(pd.DataFrame(X, columns=list("abc")), Y)
    else:  # rows are only copied: NaN passes through
        X_res, _ = sampler.fit_resample(X, Y)
        assert np.isnan(X_res).sum() == np.isin(sampler.provenance_.source, [5]).sum()


def test_labels_on_no_row_refused():
    X, _ = _data()
    for sampler in INSTANCES:
        with pytest.raises(ValueError, match="No row of Y carries a label"):
            sampler.fit_resample(X, np.zeros((len(X), 3), dtype=int))


# ---- in a pipeline ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", INSTANCES, ids=_id)
def test_pipeline_and_cross_validation(sampler):
    X, Y = _data(n=240)
    pipe = Pipeline([("resample", sampler), ("model", KNeighborsClassifier(n_neighbors=3))])
    scores = cross_val_score(pipe, X, Y, cv=KFold(3, shuffle=True, random_state=0))
    assert np.isfinite(scores).all()
    assert pipe.fit(X, Y).predict(X[:4]).shape == (4, Y.shape[1])
    assert clone(pipe).get_params()["resample"].get_params() == sampler.get_params()
