"""Behaviour imbalanced-learn 0.14 has and its own tests check: one reproducer per gap.

Containers (lists, one-column ``y`` frames, pandas sparse columns, scipy sparse
for the nominal samplers), complex input, imbalanced-learn's fitted neighbour
attributes, its exception types, the index balanced accuracy decorator, and the
hybrids with every over-sampler.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from smotekit.combine import SMOTEENN, SMOTETomek
from smotekit.metrics import make_index_balanced_accuracy
from smotekit.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)
from smotekit.under_sampling import (
    AllKNN,
    ClusterCentroids,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    InstanceHardnessThreshold,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RandomUnderSampler,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)
from smotekit.under_sampling._cleaning import EditedNearestNeighbours as ENN

X, Y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0,
                           weights=[0.6, 0.3, 0.1], n_classes=3, n_clusters_per_class=1,
                           random_state=0)


def _numeric_samplers():
    """One instance of every sampler that computes on numbers (seeded where random)."""
    return [
        SMOTE(random_state=0), BorderlineSMOTE(random_state=0), SVMSMOTE(random_state=0),
        ADASYN(random_state=0), KMeansSMOTE(random_state=0, kmeans_estimator=4, cluster_balance_threshold=0.0),
        RandomOverSampler(random_state=0), RandomOverSampler(random_state=0, shrinkage=1.0),
        SMOTENC([0], random_state=0), SMOTEN(random_state=0),
        RandomUnderSampler(random_state=0), ClusterCentroids(random_state=0), NearMiss(),
        NearMiss(version=3), TomekLinks(), EditedNearestNeighbours(), RepeatedEditedNearestNeighbours(),
        AllKNN(), NeighbourhoodCleaningRule(), OneSidedSelection(random_state=0),
        CondensedNearestNeighbour(random_state=0), InstanceHardnessThreshold(random_state=0),
        SMOTEENN(random_state=0), SMOTETomek(random_state=0),
    ]


def _name(sampler):
    return type(sampler).__name__


def _mixed_numeric(n=90, seed=0):
    """A numpy table of continuous columns and an integer-coded nominal column (column 1)."""
    rng = np.random.RandomState(seed)
    Xm = np.c_[rng.randn(n), rng.randint(0, 3, n), rng.randn(n)]
    y = np.r_[[0] * (2 * n // 3), [1] * (n - 2 * n // 3)]
    return Xm, y


# ----------------------------------------------------------------- 1. object columns of numbers

def test_smotenc_dataframe_with_object_columns_holding_numbers():
    rng = np.random.RandomState(42)
    Xo = np.empty((50, 4), dtype=object)
    Xo[:, [1, 2]] = rng.randn(50, 2)
    Xo[:, 0] = rng.choice(["a", "b", "c"], size=50)
    Xo[:, 3] = rng.randint(3, size=50)
    y = np.array([0] * 10 + [1] * 15 + [2] * 25)
    frame = pd.DataFrame(Xo)
    X_frame, y_frame = SMOTENC([0, 3], random_state=0).fit_resample(frame, y)
    X_arr, y_arr = SMOTENC([0, 3], random_state=0).fit_resample(Xo, y)
    np.testing.assert_array_equal(X_frame.to_numpy(), X_arr)
    np.testing.assert_array_equal(y_frame, y_arr)
    assert list(X_frame.dtypes) == list(frame.dtypes)  # every column keeps its dtype


def test_smotenc_object_column_of_words_named_continuous_still_fails():
    frame = pd.DataFrame({"num": np.arange(40.0), "word": ["x", "y"] * 20, "code": [0, 1] * 20})
    with pytest.raises(ValueError, match="non-numeric"):
        SMOTENC(["code"]).fit_resample(frame, np.r_[[0] * 30, [1] * 10])


# ----------------------------------------------------------------- 2. sparse X for SMOTEN/SMOTENC

@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smotenc_sparse_in_sparse_out(fmt):
    Xm, y = _mixed_numeric()
    Xs = sparse.csr_matrix(Xm) if fmt == "csr" else sparse.csc_matrix(Xm)
    X_res, y_res = SMOTENC([1], random_state=0).fit_resample(Xs, y)
    X_dense, y_dense = SMOTENC([1], random_state=0).fit_resample(Xm, y)
    assert sparse.issparse(X_res) and X_res.format == fmt and X_res.dtype == Xm.dtype
    np.testing.assert_allclose(X_res.toarray(), X_dense)
    np.testing.assert_array_equal(y_res, y_dense)
    assert set(X_res[:, [1]].toarray().ravel()) == set(Xm[:, 1])


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smoten_sparse_in_sparse_out_with_imblearn_warning(fmt):
    rng = np.random.RandomState(0)
    Xc = rng.randint(0, 3, (60, 3)).astype(np.float64)
    y = np.r_[[0] * 40, [1] * 20]
    Xs = sparse.csr_matrix(Xc) if fmt == "csr" else sparse.csc_matrix(Xc)
    with pytest.warns(DataConversionWarning, match="is not really efficient"):
        X_res, y_res = SMOTEN(random_state=0).fit_resample(Xs, y)
    X_dense, _ = SMOTEN(random_state=0).fit_resample(Xc, y)
    assert X_res.format == fmt
    np.testing.assert_array_equal(X_res.toarray(), X_dense)


# ----------------------------------------------------------------- 3. pandas SparseDtype frames

@pytest.mark.parametrize("sampler", _numeric_samplers(), ids=_name)
def test_pandas_sparse_columns_stay_sparse(sampler):
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])], dtype=pd.SparseDtype(float, 0))
    if isinstance(sampler, SMOTEN):  # nominal values: a few categories per column
        frame = frame.round(0)
    X_res, y_res = sampler.fit_resample(frame, pd.Series(Y, name="class"))
    # As in imbalanced-learn, sparse columns are resampled as a scipy sparse matrix would be.
    X_ref, y_ref = type(sampler)(**sampler.get_params()).fit_resample(sparse.csr_matrix(frame.sparse.to_coo()), Y)
    X_ref = X_ref.toarray() if sparse.issparse(X_ref) else X_ref
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert all(isinstance(d, pd.SparseDtype) for d in X_res.dtypes)
    assert list(X_res.columns) == list(frame.columns) and y_res.name == "class"
    np.testing.assert_allclose(X_res.to_numpy(), X_ref, rtol=1e-6)
    np.testing.assert_array_equal(y_res.to_numpy(), y_ref)


def test_pandas_frame_mixing_sparse_and_dense_columns():
    frame = pd.DataFrame(X, columns=list("abcd"))
    frame["a"] = frame["a"].astype(pd.SparseDtype(float, 0))
    X_res, _ = SMOTE(random_state=0).fit_resample(frame, Y)
    X_ref, _ = SMOTE(random_state=0).fit_resample(X, Y)
    assert list(X_res.dtypes) == list(frame.dtypes)
    np.testing.assert_allclose(X_res.to_numpy(), X_ref)


# ----------------------------------------------------------------- 4. one-column DataFrame y

@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), RandomUnderSampler(random_state=0),
                                     SMOTEENN(random_state=0)], ids=_name)
def test_one_column_frame_y_comes_back_as_a_frame(sampler):
    y_frame = pd.DataFrame({"target": Y.astype(np.int32)})
    _, y_res = sampler.fit_resample(X, y_frame)
    _, y_ref = sampler.fit_resample(X, Y)
    assert isinstance(y_res, pd.DataFrame)
    assert list(y_res.columns) == ["target"] and list(y_res.dtypes) == [np.dtype(np.int32)]
    np.testing.assert_array_equal(y_res.to_numpy().ravel(), y_ref)


def test_one_column_polars_frame_y_comes_back_as_a_frame():
    pl = pytest.importorskip("polars")
    _, y_res = SMOTE(random_state=0).fit_resample(X, pl.DataFrame({"target": Y}))
    assert isinstance(y_res, pl.DataFrame) and y_res.columns == ["target"]


# ----------------------------------------------------------------- 5. lists

@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), RandomOverSampler(random_state=0),
                                     RandomUnderSampler(random_state=0), TomekLinks()], ids=_name)
@pytest.mark.parametrize("x_list, y_list", [(True, True), (True, False), (False, True)])
def test_each_list_comes_back_as_a_list(sampler, x_list, y_list):
    # imbalanced-learn converts X and y back each on its own: a list only for a list.
    X_res, y_res = sampler.fit_resample(X.tolist() if x_list else X, Y.tolist() if y_list else Y)
    X_ref, y_ref = sampler.fit_resample(X, Y)
    assert isinstance(X_res, list) is x_list and isinstance(y_res, list) is y_list
    np.testing.assert_allclose(np.asarray(X_res), X_ref)
    np.testing.assert_array_equal(np.asarray(y_res), y_ref)


def test_tuples_come_back_as_arrays():
    X_res, y_res = SMOTE(random_state=0).fit_resample(tuple(map(tuple, X)), tuple(Y))
    assert isinstance(X_res, np.ndarray) and isinstance(y_res, np.ndarray)


def test_smoten_list_of_strings_comes_back_as_a_list():
    rows = [["a", "x"], ["b", "y"], ["a", "y"]] * 10
    y = [0] * 24 + [1] * 6
    X_res, y_res = SMOTEN(random_state=0).fit_resample(rows, y)
    assert isinstance(X_res, list) and isinstance(X_res[0], list) and isinstance(y_res, list)
    assert len(X_res) == len(y_res) == 48


# ----------------------------------------------------------------- 6. fitted neighbour attributes

@pytest.mark.parametrize("sampler, expected", [
    (SMOTE(k_neighbors=4), {"nn_k_": 5}),
    (SMOTENC([0], k_neighbors=4), {"nn_k_": 5}),
    (SMOTEN(k_neighbors=4), {"nn_k_": 5}),
    (BorderlineSMOTE(k_neighbors=4, m_neighbors=7), {"nn_k_": 5, "nn_m_": 8}),
    (SVMSMOTE(k_neighbors=4, m_neighbors=7), {"nn_k_": 5, "nn_m_": 8}),
    (ADASYN(n_neighbors=4), {"nn_": 5}),
    (KMeansSMOTE(k_neighbors=2, kmeans_estimator=3, cluster_balance_threshold=0.0), {"nn_k_": 3}),
    (EditedNearestNeighbours(n_neighbors=4), {"nn_": 5}),
    (RepeatedEditedNearestNeighbours(n_neighbors=4), {"nn_": 5}),
    (AllKNN(n_neighbors=4), {"nn_": 5}),
    (NearMiss(version=3, n_neighbors=2, n_neighbors_ver3=4), {"nn_": 2, "nn_ver3_": 4}),
], ids=lambda v: _name(v) if not isinstance(v, dict) else "")
def test_fitted_neighbour_attributes_as_imblearn(sampler, expected):
    Xr = np.rint(X) if isinstance(sampler, SMOTEN) else X
    sampler.set_params(**({"random_state": 0} if "random_state" in sampler.get_params() else {}))
    sampler.fit_resample(Xr, Y)
    for attr, k in expected.items():
        nn = getattr(sampler, attr)
        assert nn.n_neighbors == k
    if isinstance(sampler, SMOTEN):
        assert sampler.nn_k_.metric == "precomputed"


def test_fitted_neighbour_attributes_match_imblearn_names_and_sizes():
    imb = pytest.importorskip("imblearn.over_sampling")
    for ours, theirs, attrs in [
        (SMOTE(random_state=0), imb.SMOTE(random_state=0), ["nn_k_"]),
        (BorderlineSMOTE(random_state=0), imb.BorderlineSMOTE(random_state=0), ["nn_k_", "nn_m_"]),
        (SVMSMOTE(random_state=0), imb.SVMSMOTE(random_state=0), ["nn_k_", "nn_m_"]),
        (ADASYN(random_state=0), imb.ADASYN(random_state=0), ["nn_"]),
    ]:
        ours.fit_resample(X, Y)
        theirs.fit_resample(X, Y)
        for attr in attrs:
            assert getattr(ours, attr).n_neighbors == getattr(theirs, attr).n_neighbors, (ours, attr)


def test_given_neighbours_object_is_the_attribute():
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=4)
    sampler = SMOTE(k_neighbors=nn, random_state=0)
    sampler.fit_resample(X, Y)
    assert sampler.nn_k_ is nn


# ----------------------------------------------------------------- 7. complex X

def _complex_containers():
    Xc = X[:60] + 1j
    return {"numpy": Xc, "list": Xc.tolist(), "csr": sparse.csr_matrix(Xc), "pandas": pd.DataFrame(Xc)}


@pytest.mark.parametrize("kind", list(_complex_containers()))
@pytest.mark.parametrize("sampler", [SMOTE(), RandomOverSampler(), RandomUnderSampler(), SMOTENC([0]),
                                     SMOTEN(), TomekLinks(), SMOTEENN()], ids=_name)
def test_complex_X_is_refused(kind, sampler):
    Xc = _complex_containers()[kind]
    with pytest.raises(ValueError, match="Complex data not supported"):
        sampler.fit_resample(Xc, Y[:60])


# ----------------------------------------------------------------- 8. exception types

def test_svmsmote_estimator_without_support_raises_runtime_error():
    with pytest.raises(RuntimeError, match="`svm_estimator` is required to exposed a `support_`"):
        SVMSMOTE(svm_estimator=LogisticRegression()).fit_resample(X, Y)


def test_cluster_centroids_estimator_without_centers_raises_runtime_error():
    from sklearn.base import BaseEstimator, ClusterMixin

    class NoCenters(ClusterMixin, BaseEstimator):
        def __init__(self, n_clusters=8):
            self.n_clusters = n_clusters

        def fit(self, X, y=None):
            self.labels_ = np.zeros(len(X), dtype=int)
            return self

        def predict(self, X):
            return np.zeros(len(X), dtype=int)

    with pytest.raises(RuntimeError, match="exposing a fitted parameter `cluster_centers_`"):
        ClusterCentroids(estimator=NoCenters()).fit_resample(X, Y)
    with pytest.raises(ValueError, match="exposing a parameter `n_clusters`"):
        ClusterCentroids(estimator=LogisticRegression()).fit_resample(X, Y)


def test_non_numeric_X_error_is_also_a_value_error():
    # scikit-learn's check_array raises ValueError for strings: code written for imblearn catches it.
    words = np.array([["a", "b"]] * 30, dtype=object)
    with pytest.raises(ValueError):
        SMOTE().fit_resample(words, np.r_[[0] * 20, [1] * 10])
    with pytest.raises(TypeError):
        SMOTE().fit_resample(words, np.r_[[0] * 20, [1] * 10])
    with pytest.raises(ValueError, match="When shrinkage is not None, X needs to contain only numerical"):
        RandomOverSampler(shrinkage=1.0).fit_resample(words, np.r_[[0] * 20, [1] * 10])


# ----------------------------------------------------------------- 9. index balanced accuracy

def test_iba_refuses_probability_metrics_when_called_not_when_decorated():
    iba_auc = make_index_balanced_accuracy(alpha=0.5)(roc_auc_score)
    with pytest.raises(AttributeError, match="predicted labels"):
        iba_auc([0, 1, 1, 0], [0, 1, 0, 0])


# ----------------------------------------------------------------- 10. hybrids with any over-sampler

def _over_samplers():
    return [
        ADASYN(random_state=0), BorderlineSMOTE(random_state=0), SVMSMOTE(random_state=0),
        KMeansSMOTE(random_state=0, kmeans_estimator=2, cluster_balance_threshold=0.0),
        SMOTENC([1], random_state=0), SMOTEN(random_state=0), RandomOverSampler(random_state=0),
        RandomOverSampler(random_state=0, shrinkage=0.5),
    ]


@pytest.mark.parametrize("hybrid, cleaner", [(SMOTEENN, lambda: ENN(sampling_strategy="all")),
                                             (SMOTETomek, lambda: TomekLinks(sampling_strategy="all"))],
                         ids=["SMOTEENN", "SMOTETomek"])
@pytest.mark.parametrize("smote", _over_samplers(), ids=_name)
def test_hybrid_is_over_sampling_then_cleaning(hybrid, cleaner, smote):
    Xm, y = _mixed_numeric(120)
    if isinstance(smote, SMOTEN):
        Xm = Xm[:, [1]]
    X_res, y_res = hybrid(smote=smote).fit_resample(Xm, y)
    X_over, y_over = type(smote)(**smote.get_params()).fit_resample(Xm, y)
    X_ref, y_ref = cleaner().fit_resample(X_over, y_over)
    # Same rows (the order differs: surviving input rows first, as documented).
    assert sorted(map(tuple, np.c_[X_res, y_res])) == sorted(map(tuple, np.c_[X_ref, y_ref]))


@pytest.mark.parametrize("hybrid", [SMOTEENN, SMOTETomek], ids=lambda c: c.__name__)
def test_hybrid_with_smotenc_on_a_pandas_mixed_table_keeps_dtypes_and_provenance(hybrid):
    rng = np.random.RandomState(1)
    n = 120
    frame = pd.DataFrame({
        "size": rng.randn(n),
        "shop": pd.Categorical(rng.choice(["north", "south", "east"], n)),
        "city": rng.choice(["x", "y"], n).astype(object),
        "visits": rng.randint(0, 9, n),
    })
    y = np.r_[[0] * 90, [1] * 30]
    sampler = hybrid(smote=SMOTENC(["shop", "city"], random_state=0))
    X_res, y_res = sampler.fit_resample(frame, y)
    assert list(X_res.dtypes) == list(frame.dtypes)
    assert set(X_res["city"]) <= {"x", "y"} and set(X_res["shop"]) <= {"north", "south", "east"}
    prov = sampler.provenance_
    assert len(prov) == len(X_res)
    kept = ~prov.is_synthetic
    pd.testing.assert_frame_equal(X_res[kept].reset_index(drop=True),
                                  frame.iloc[prov.source[kept]].reset_index(drop=True))
    synth = prov.is_synthetic
    assert synth.any()
    # Continuous values of synthetic rows lie where their recorded parents and gap put them.
    size = frame["size"].to_numpy()
    expected = size[prov.source[synth]] + prov.gap[synth] * (size[prov.partner[synth]] - size[prov.source[synth]])
    np.testing.assert_allclose(X_res["size"].to_numpy()[synth], expected)


@pytest.mark.parametrize("hybrid", [SMOTEENN, SMOTETomek], ids=lambda c: c.__name__)
def test_hybrid_with_smoten_on_strings(hybrid):
    rng = np.random.RandomState(2)
    Xc = rng.choice(["red", "green", "blue"], (90, 2)).astype(object)
    y = np.r_[[0] * 60, [1] * 30]
    sampler = hybrid(smote=SMOTEN(random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no conversion warnings for dense input
        X_res, y_res = sampler.fit_resample(Xc, y)
    assert X_res.dtype == object and set(X_res.ravel()) <= {"red", "green", "blue"}
    assert len(sampler.provenance_) == len(y_res)


def test_hybrid_private_validate_estimator_sets_the_steps():
    sampler = SMOTEENN(n_jobs=3)
    sampler._validate_estimator()
    assert sampler.enn_.n_jobs == 3 and isinstance(sampler.smote_, SMOTE)
    tomek = SMOTETomek(smote=SMOTENC([0]))
    tomek._validate_estimator()
    assert isinstance(tomek.smote_, SMOTENC) and isinstance(tomek.tomek_, TomekLinks)


# ----------------------------------------------------------------- 11. scikit-learn's words, tags, docs

@pytest.mark.parametrize("sampler", [SMOTE(), RandomUnderSampler(), TomekLinks(), SMOTENC([0]), SMOTEN(),
                                     SMOTEENN()], ids=_name)
def test_empty_X_errors_start_with_scikit_learns_words(sampler):
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(12, 0\)\) while a minimum of 1 is "
                                         r"required: X has 12 rows but 0 columns"):
        sampler.fit_resample(np.empty((12, 0)), np.r_[[0] * 8, [1] * 4])
    with pytest.raises(ValueError, match=r"0 sample\(s\) \(shape=\(0, 3\)\) while a minimum of 1 is "
                                         r"required: X has 0 rows"):
        sampler.fit_resample(np.empty((0, 3)), np.empty(0, dtype=int))


@pytest.mark.parametrize("sampler", [SMOTE(), RandomOverSampler(shrinkage=1.0), TomekLinks(),
                                     ClusterCentroids(), SMOTEENN()], ids=_name)
def test_a_dict_in_object_X_is_a_type_error_in_pythons_words(sampler):
    Xo = X[:60].astype(object)
    Xo[3, 1] = {"foo": "bar"}
    with pytest.raises(TypeError, match="argument must be a string or a number") as info:
        sampler.fit_resample(Xo, Y[:60])
    assert isinstance(info.value, ValueError)  # still what check_array's callers catch


def test_samplers_that_only_select_rows_copy_objects_they_never_read():
    Xo = X[:60].astype(object)
    minority = np.bincount(Y[:60]).argmin()  # its rows are all kept
    Xo[np.flatnonzero(Y[:60] == minority)[0], 1] = {"foo": "bar"}
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(Xo, Y[:60])
    assert any(isinstance(v, dict) for v in X_res.ravel())


@pytest.mark.parametrize("cls", [SMOTENC, SMOTEN])
def test_nominal_samplers_tag_sparse_input_as_accepted_and_accept_it(cls):
    from sklearn.utils import get_tags

    sampler = cls([1], random_state=0) if cls is SMOTENC else cls(random_state=0)
    assert get_tags(sampler).input_tags.sparse
    Xn = np.column_stack([X[:90, 0], (X[:90, 1] > 0).astype(float)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConversionWarning)  # SMOTEN says sparse is slow
        X_res, y_res = sampler.fit_resample(sparse.csr_matrix(Xn), Y[:90])
    assert sparse.issparse(X_res) and X_res.format == "csr" and X_res.shape[0] == len(y_res)


def test_a_nominal_sampler_declaring_no_sparse_refuses_it_by_name():
    class DenseOnly(SMOTENC):
        _accept_sparse = False

    Xn = np.column_stack([X[:90, 0], (X[:90, 1] > 0).astype(float)])
    with pytest.raises(TypeError, match="does not accept sparse X"):
        DenseOnly([1]).fit_resample(sparse.csr_matrix(Xn), Y[:90])
    DenseOnly([1], random_state=0).fit_resample(Xn, Y[:90])


def _documented_attributes(cls):
    doc = cls.__doc__ or ""
    start = doc.index("    Attributes\n    ----------\n")
    rest = doc[start + 30:]
    end = [rest.index(h) for h in ("\n    Notes\n", "\n    See Also\n", "\n    References\n",
                                   "\n    Examples\n") if h in rest]
    return rest[: min(end)] if end else rest


def _documented_classes():
    from smotekit.neighbors import ApproximateNeighbors
    from smotekit.utils import all_samplers

    return [*all_samplers(), ("ApproximateNeighbors", ApproximateNeighbors)]


@pytest.mark.parametrize("name, cls", _documented_classes(), ids=[n for n, _ in _documented_classes()])
def test_feature_attributes_are_documented_under_attributes(name, cls):
    # imbalanced-learn's test_pandas_column_name_consistency reads them from the docstring.
    section = _documented_attributes(cls)
    assert "    n_features_in_ : int\n" in section
    assert "    feature_names_in_ : ndarray of str\n" in section


@pytest.mark.parametrize("name, cls", _documented_classes()[:-1], ids=[n for n, _ in _documented_classes()[:-1]])
def test_every_fitted_attribute_has_its_own_numpydoc_entry(name, cls):
    # imbalanced-learn's test_fit_docstring_attributes: one name per entry, every fitted one listed.
    docscrape = pytest.importorskip("numpydoc.docscrape")
    from smotekit.utils.estimator_checks import construct_sampler

    documented = {a.name for a in docscrape.ClassDoc(cls)["Attributes"]}
    assert all(n.isidentifier() for n in documented), sorted(documented)
    sampler = construct_sampler(cls)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler.fit_resample(X, Y)
    fitted = {k for k in vars(sampler) if k.endswith("_") and not k.startswith("_")}
    assert fitted <= documented, sorted(fitted - documented)


@pytest.mark.parametrize("hybrid", [SMOTEENN, SMOTETomek])
def test_hybrids_over_sample_without_being_over_samplers(hybrid):
    # As in imbalanced-learn (BaseSampler, 'over-sampling'): the cleaning step removes rows of
    # every class, so the over-samplers' promise that no class ends below the largest fails.
    from sklearn.utils import get_tags

    from smotekit.over_sampling.base import BaseOverSampler

    imb_combine = pytest.importorskip("imblearn.combine")
    imb_base = pytest.importorskip("imblearn.over_sampling.base")
    assert not issubclass(getattr(imb_combine, hybrid.__name__), imb_base.BaseOverSampler)
    assert not issubclass(hybrid, BaseOverSampler)
    tags = get_tags(hybrid()).sampler_tags
    assert tags.sampling_type == "over-sampling" and not tags.exact_counts
    # imbalanced-learn's check data (sample_dataset_generator), where its own hybrids do the same.
    Xc, yc = make_classification(n_samples=1000, n_classes=3, n_informative=4, weights=[0.2, 0.3, 0.5],
                                 random_state=0)
    counts = np.bincount(hybrid(random_state=0).fit_resample(Xc, yc)[1])
    assert counts.min() < np.bincount(yc).max()  # what an over-sampler check would refuse


# ----------------------------------------------------------------- 12. ApproximateNeighbors input checks

@pytest.fixture
def approx():
    pytest.importorskip("faiss")
    from smotekit.neighbors import ApproximateNeighbors

    return ApproximateNeighbors(n_neighbors=3)


def test_approximate_neighbors_refuses_complex_input(approx):
    with pytest.raises(ValueError, match="Complex data not supported"):
        approx.fit(X[:20] + 1j)


@pytest.mark.parametrize("bad, word", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_approximate_neighbors_refuses_nan_and_inf_in_fit_and_queries(approx, bad, word):
    Xb = X[:20].copy()
    Xb[2, 1] = bad
    with pytest.raises(ValueError, match=word):
        approx.fit(Xb)
    approx.fit(X[:20])
    with pytest.raises(ValueError, match=word):
        approx.kneighbors(Xb)


def test_approximate_neighbors_records_and_checks_feature_names(approx):
    frame = pd.DataFrame(X[:20], columns=["a", "b", "c", "d"])
    approx.fit(frame)
    assert approx.n_features_in_ == 4 and list(approx.feature_names_in_) == ["a", "b", "c", "d"]
    assert approx.kneighbors(frame, return_distance=False).shape == (20, 3)
    with pytest.raises(ValueError, match="feature names should match"):
        approx.kneighbors(frame[["b", "a", "c", "d"]])


def test_approximate_neighbors_still_serves_the_samplers(approx):
    X_res, y_res = SMOTE(k_neighbors=approx, random_state=0).fit_resample(X, Y)
    assert np.bincount(y_res).tolist() == [np.bincount(Y).max()] * 3


# ----------------------------------------------------------------- 13. what constraints cannot say

@pytest.mark.parametrize("sampler, param", [
    (SMOTE(k_neighbors=True), "k_neighbors"),
    (BorderlineSMOTE(m_neighbors=True), "m_neighbors"),
    (SVMSMOTE(out_step=True), "out_step"),
    (KMeansSMOTE(kmeans_estimator=True), "kmeans_estimator"),
    (NearMiss(version=True), "version"),
    (NearMiss(version=3, n_neighbors_ver3=True), "n_neighbors_ver3"),
    (RepeatedEditedNearestNeighbours(max_iter=True), "max_iter"),
    (OneSidedSelection(n_seeds_S=True), "n_seeds_S"),
    (CondensedNearestNeighbour(n_neighbors=True), "n_neighbors"),
    (TomekLinks(n_jobs=True), "n_jobs"),
], ids=lambda v: v if isinstance(v, str) else type(v).__name__)
def test_a_bool_for_a_number_is_refused_like_a_bad_value(sampler, param):
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=f"The '{param}' parameter of .* not a bool. Got True"):
        sampler.fit_resample(X, Y)


@pytest.mark.parametrize("sampler, error, words", [
    (NearMiss(n_jobs=0), ValueError, "n_jobs must be None or a non-zero int"),
    (KMeansSMOTE(density_exponent=float("nan")), ValueError, "density_exponent must be 'auto' or a real"),
    (InstanceHardnessThreshold(cv=None), TypeError, "cv must be an int"),
    (NeighbourhoodCleaningRule(edited_nearest_neighbours=TomekLinks()), TypeError,
     "edited_nearest_neighbours must be None or a smotekit EditedNearestNeighbours"),
    (ClusterCentroids(estimator=LogisticRegression()), ValueError, "exposing a parameter `n_clusters`"),
], ids=lambda v: type(v).__name__ if not isinstance(v, (str, type)) else None)
def test_checks_beyond_the_constraints_remain(sampler, error, words):
    with pytest.raises(error, match=words):
        sampler.fit_resample(X, Y)


def test_condensed_nearest_neighbour_needs_a_classifier_not_any_neighbours_object():
    from sklearn.neighbors import NearestNeighbors

    with pytest.raises(TypeError, match="KNeighborsClassifier"):
        CondensedNearestNeighbour(n_neighbors=NearestNeighbors()).fit_resample(X, Y)
