"""The multi-label template: containers in and out, the kernel hook, attributes, scikit-learn and Pipeline."""

import logging

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils import get_tags

from smotekit._generation import Piece, Resampled, Segments
from smotekit.multilabel import MLROS, MLRUS, BaseMultilabelSampler, label_imbalance
from smotekit.pipeline import Pipeline


class _Midpoint(BaseMultilabelSampler):
    """Adds the midpoint of rows 0 and 1, labelled with the union of their labels."""

    def __init__(self, *, random_state=None):
        self.random_state = random_state

    def _fit_resample(self, X, Y, seed):
        one, two, half = np.array([0]), np.array([1]), np.array([0.5])
        piece = Piece(one, Segments(X, one, two, half), two, half)
        return Resampled.from_pieces(range(Y.shape[0]), [piece]), Y[[0]] | Y[[1]]


class _BadLabels(_Midpoint):
    def _fit_resample(self, X, Y, seed):
        out, _ = super()._fit_resample(X, Y, seed)
        return out, np.ones((2, Y.shape[1]), dtype=bool)


class _WritesY(_Midpoint):
    def _fit_resample(self, X, Y, seed):
        Y[0, 0] = False
        return super()._fit_resample(X, Y, seed)


class _NotResampled(_Midpoint):
    def _fit_resample(self, X, Y, seed):
        return X, None


X = np.array([[0.0, 10.0], [2.0, 20.0], [4.0, 40.0], [6.0, 60.0]])
Y = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [1, 0, 0]])
MID_X, MID_Y = [1.0, 15.0], [1, 1, 0]


@pytest.mark.parametrize("kind", ["numpy", "pandas", "polars", "sparse", "list"])
def test_generated_rows_in_every_kind_of_X(kind):
    Xk = {"numpy": X, "pandas": pd.DataFrame(X, columns=["u", "v"]), "polars": pl.DataFrame(X, schema=["u", "v"]),
          "sparse": sparse.csr_matrix(X), "list": X.tolist()}[kind]
    sampler = _Midpoint()
    X_res, Y_res = sampler.fit_resample(Xk, Y)
    dense = X_res.toarray() if sparse.issparse(X_res) else np.asarray(X_res.to_numpy() if kind in (
        "pandas", "polars") else X_res)
    np.testing.assert_allclose(dense, np.vstack([X, MID_X]))
    np.testing.assert_array_equal(Y_res, np.vstack([Y, MID_Y]))
    assert type(X_res) is type(Xk) or (kind == "sparse" and sparse.issparse(X_res))
    assert sampler.n_features_in_ == 2
    assert hasattr(sampler, "feature_names_in_") == (kind in ("pandas", "polars"))
    prov = sampler.provenance_
    np.testing.assert_array_equal(prov.source, [0, 1, 2, 3, 0])
    np.testing.assert_array_equal(prov.partner, [-1, -1, -1, -1, 1])
    np.testing.assert_array_equal(prov.is_synthetic, [False] * 4 + [True])
    assert not hasattr(sampler, "sample_indices_")


def test_generated_labels_in_every_kind_of_Y():
    frame = pd.DataFrame(Y, columns=["x", "y", "z"]).astype({"x": "int8", "y": "bool", "z": "Int64"})
    _, out = _Midpoint().fit_resample(X, frame)
    assert list(out.columns) == ["x", "y", "z"] and list(out.dtypes) == list(frame.dtypes)
    assert out.iloc[4].astype(int).tolist() == MID_Y
    _, out = _Midpoint().fit_resample(X, sparse.csr_matrix(Y))
    assert out.format == "csr" and out.toarray()[4].tolist() == MID_Y
    sets = [{"x"}, {"y"}, {"x", "z"}, {"x"}]
    _, out = _Midpoint().fit_resample(X, sets)
    assert out == sets + [{"x", "y"}]
    _, out = _Midpoint().fit_resample(X, pl.Series("tags", [["x"], ["y"], ["x", "z"], ["x"]]))
    assert out.to_list()[4] == ["x", "y"]


def test_integer_columns_of_X_stay_integers():
    frame = pd.DataFrame({"i": np.array([0, 3, 4, 6], dtype=np.int32), "f": X[:, 1]})
    X_res, _ = _Midpoint().fit_resample(frame, Y)
    assert X_res["i"].dtype == np.int32 and X_res["i"].iloc[4] in (1, 2)  # 1.5 rounded


def test_attributes_and_measures():
    sampler = _Midpoint()
    _, Y_res = sampler.fit_resample(X, Y)
    np.testing.assert_array_equal(sampler.labels_, [0, 1, 2])
    before, after = sampler.imbalance_before_, sampler.imbalance_after_
    np.testing.assert_array_equal(before.counts, Y.sum(axis=0))
    np.testing.assert_array_equal(after.counts, Y_res.sum(axis=0))
    assert after.mean_ir == label_imbalance(Y_res).mean_ir
    sampler.fit_resample(pd.DataFrame(X, columns=["u", "v"]), pd.DataFrame(Y, columns=["x", "y", "z"]))
    assert list(sampler.feature_names_in_) == ["u", "v"] and list(sampler.labels_) == ["x", "y", "z"]
    sampler.fit_resample(X, Y)
    assert not hasattr(sampler, "feature_names_in_")  # a refit on an array forgets them


def test_fit_validates_and_measures_only():
    sampler = MLROS().fit(X, Y)
    assert sampler.imbalance_before_.n_rows == 4 and not hasattr(sampler, "provenance_")


def test_the_kernel_cannot_write_Y_and_inputs_are_untouched():
    Xc, Yc = X.copy(), Y.copy()
    with pytest.raises(ValueError, match="read-only"):
        _WritesY().fit_resample(X, Y)
    _Midpoint().fit_resample(X, Y)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(Y, Yc)


def test_kernel_contract_errors():
    with pytest.raises(ValueError, match=r"expected \(1, 3\)"):
        _BadLabels().fit_resample(X, Y)
    with pytest.raises(TypeError, match="must return"):
        _NotResampled().fit_resample(X, Y)


def test_values_read_only_when_the_sampler_computes_with_them():
    strings = pd.DataFrame({"s": list("abcd"), "v": [1.0, np.nan, 3.0, 4.0]})
    with pytest.raises(ValueError, match="non-numeric"):
        _Midpoint().fit_resample(strings, Y)
    with pytest.raises(ValueError, match="NaN"):
        _Midpoint().fit_resample(np.array([[np.nan, 1.0]] * 4), Y)
    X_res, _ = MLROS(random_state=0).fit_resample(strings, Y)  # copies only
    assert X_res["s"].tolist()[:4] == list("abcd")


def test_rows_of_X_and_Y_must_match():
    with pytest.raises(ValueError, match="X has 4, Y has 3"):
        MLROS().fit_resample(X, Y[:3])
    with pytest.raises(ValueError, match="smotekit.over_sampling"):
        MLROS().fit_resample(X, np.array([0, 1, 1, 0]))


def test_scikit_learn_conventions():
    sampler = MLRUS(percentage=10, by="labelset", random_state=3)
    copy = clone(sampler)
    assert copy.get_params() == sampler.get_params() == {
        "percentage": 10, "by": "labelset", "protect_minority": False, "random_state": 3}
    assert MLROS().set_params(percentage=50).percentage == 50
    assert get_tags(sampler).estimator_type == "sampler" and sampler._estimator_type == "sampler"
    assert get_tags(sampler).target_tags.multi_output
    assert repr(MLROS(percentage=10)) == "MLROS(percentage=10)"
    fitted = MLROS(random_state=0).fit(pd.DataFrame(X, columns=["u", "v"]), Y)
    assert list(fitted.get_feature_names_out()) == ["u", "v"]


@pytest.mark.parametrize("sampler", [_Midpoint()])  # the exported samplers: test_ml_common.py
@pytest.mark.parametrize("model", [KNeighborsClassifier(n_neighbors=3), MultiOutputClassifier(LogisticRegression())])
def test_pipeline_with_a_multilabel_classifier(sampler, model):
    rng = np.random.default_rng(0)
    Xr = rng.normal(size=(40, 3))
    Yr = (rng.random((40, 4)) < [0.9, 0.6, 0.3, 0.15]).astype(int)
    Yr[:4] = 1  # every label present in both classes of each column
    Yr[4:8] = 0
    pipe = Pipeline([("resample", sampler), ("model", model)])
    pipe.fit(Xr, Yr)
    assert pipe.predict(Xr).shape == (40, 4)  # predictions on the real rows
    assert clone(pipe).get_params()["resample"].get_params() == sampler.get_params()


def test_logs_start_and_end(caplog):
    with caplog.at_level(logging.INFO, logger="smotekit.multilabel"):
        MLROS(random_state=0).fit_resample(X, Y)
    messages = [r.getMessage() for r in caplog.records if r.name == "smotekit.multilabel.base"]
    assert messages[0].startswith("MLROS: resampling 4 rows x 2 features, 3 labels")
    assert "4 -> 5 rows" in messages[-1]
