"""SMOTEENN and SMOTETomek: contract, parity of the cleaning step, provenance through cleaning."""

import inspect

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotekit.combine import SMOTEENN, SMOTETomek
from smotekit.over_sampling import SMOTE
from smotekit.under_sampling._cleaning import EditedNearestNeighbours, TomekLinks
from smotekit.utils.estimator_checks import sampler_checks

imblearn_combine = pytest.importorskip("imblearn.combine")
imblearn_us = pytest.importorskip("imblearn.under_sampling")

X, Y = make_classification(n_samples=1200, n_features=5, n_informative=3, n_redundant=0,
                           weights=[0.75, 0.2], n_classes=3, n_clusters_per_class=1, random_state=4)


@pytest.mark.parametrize("cls", [SMOTEENN, SMOTETomek], ids=lambda c: c.__name__)
def test_signature_matches_imblearn(cls):
    ref = getattr(imblearn_combine, cls.__name__)
    assert str(inspect.signature(cls.__init__)) == str(inspect.signature(ref.__init__))


@pytest.mark.parametrize("cls", [SMOTEENN, SMOTETomek], ids=lambda c: c.__name__)
def test_contract(cls):
    for check in sampler_checks(cls()):
        check(cls())


@pytest.mark.parametrize("cls, attr, ref_cleaner", [
    (SMOTEENN, "enn_", lambda: imblearn_us.EditedNearestNeighbours(sampling_strategy="all")),
    (SMOTETomek, "tomek_", lambda: imblearn_us.TomekLinks(sampling_strategy="all")),
])
def test_cleaning_step_matches_imblearn_on_the_same_oversampled_data(cls, attr, ref_cleaner):
    hybrid = cls(random_state=0)
    hybrid.fit_resample(X, Y)
    X_over, y_over = SMOTE(random_state=0).fit_resample(X, Y)
    ref = ref_cleaner()
    ref.fit_resample(X_over, y_over)
    assert np.array_equal(getattr(hybrid, attr).sample_indices_, ref.sample_indices_)
    assert isinstance(hybrid.smote_, SMOTE)


@pytest.mark.parametrize("cls", [SMOTEENN, SMOTETomek], ids=lambda c: c.__name__)
def test_provenance_survives_cleaning(cls):
    hybrid = cls(random_state=1)
    X_res, y_res = hybrid.fit_resample(X, Y)
    prov = hybrid.provenance_
    assert len(prov) == len(y_res)
    syn = prov.is_synthetic
    assert syn.any() and (~syn).any()
    # Originals are input rows; synthetic rows sit on segments between their parents.
    assert np.array_equal(X_res[~syn], X[prov.source[~syn]])
    rebuilt = X[prov.source[syn]] + prov.gap[syn, None] * (X[prov.partner[syn]] - X[prov.source[syn]])
    np.testing.assert_allclose(X_res[syn], rebuilt, rtol=0, atol=1e-12)
    assert np.array_equal(Y[prov.source[syn]], Y[prov.partner[syn]])
    assert np.array_equal(y_res, Y[prov.source])
    # Survivors are exactly the cleaner's choice among SMOTE's output.
    cleaner = hybrid.enn_ if cls is SMOTEENN else hybrid.tomek_
    assert len(cleaner.sample_indices_) == len(y_res)


def test_hand_built_smotetomek():
    # Majority row 2 (x=2.0) and the minority row at x=2.4 form the only link; with
    # 'all' both go. Three minority rows give SMOTE k_neighbors=2.
    Xh = np.array([[0.0], [1.0], [2.0], [2.4], [3.5], [3.9], [5.0], [6.0], [7.0], [8.0]])
    yh = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0])
    st = SMOTETomek(smote=SMOTE(k_neighbors=2, random_state=0), tomek=TomekLinks(sampling_strategy="all"))
    X_res, y_res = st.fit_resample(Xh, yh)
    over = st.smote_.provenance_
    X_over = Xh[over.source] + np.nan_to_num(over.gap)[:, None] * (
        Xh[np.where(over.partner < 0, over.source, over.partner)] - Xh[over.source])
    y_over = yh[over.source]
    ref = imblearn_us.TomekLinks(sampling_strategy="all")
    ref.fit_resample(X_over, y_over)
    assert np.array_equal(st.tomek_.sample_indices_, ref.sample_indices_)
    assert np.bincount(y_res).tolist() == np.bincount(y_over[ref.sample_indices_]).tolist()


def test_custom_steps_and_errors():
    enn = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=5, kind_sel="mode")
    h = SMOTEENN(smote=SMOTE(k_neighbors=3, random_state=2), enn=enn)
    h.fit_resample(X, Y)
    assert h.enn_.n_neighbors == 5 and h.enn_ is not enn
    with pytest.raises(TypeError, match="smote"):
        SMOTEENN(smote="SMOTE").fit_resample(X, Y)
    with pytest.raises(TypeError, match="enn"):
        SMOTEENN(enn=TomekLinks()).fit_resample(X, Y)
    with pytest.raises(TypeError, match="tomek"):
        SMOTETomek(tomek=enn).fit_resample(X, Y)


def test_deterministic_and_n_jobs_free():
    a = SMOTEENN(random_state=5, n_jobs=1).fit_resample(X, Y)
    b = SMOTEENN(random_state=5, n_jobs=2).fit_resample(X, Y)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_approximate_neighbours_option():
    pytest.importorskip("faiss")
    from smotekit.neighbors._approx import ApproximateNeighbors

    approx = ApproximateNeighbors(n_neighbors=4, ef_search=200)
    h = SMOTEENN(random_state=0, enn=EditedNearestNeighbours(sampling_strategy="all", n_neighbors=approx))
    _, y_a = h.fit_resample(X, Y)
    exact = SMOTEENN(random_state=0).fit_resample(X, Y)[1]
    # On this small set HNSW with a generous ef_search finds the exact neighbours.
    assert np.array_equal(np.bincount(y_a), np.bincount(exact))
    ivf = ApproximateNeighbors(n_neighbors=3, method="ivf", n_lists=8, n_probe=8).fit(X)
    d, i = ivf.kneighbors(X[:5])
    assert i.shape == (5, 3) and (i[:, 0] == np.arange(5)).all() and (d[:, 0] == 0).all()
    g = ivf.kneighbors_graph(X[:5])
    assert g.shape == (5, len(X)) and g.nnz == 15


def test_tomek_on_large_oversampled_data_is_exact():
    # Over 20k rows with a balanced output: the cell search and its screening run.
    Xl, yl = make_classification(n_samples=24_000, n_features=8, n_informative=5, weights=[0.97],
                                 random_state=0)
    st = SMOTETomek(random_state=0)
    st.fit_resample(Xl, yl)
    X_over, y_over = SMOTE(random_state=0).fit_resample(Xl, yl)
    from smotekit.neighbors import kneighbors

    nn = kneighbors(X_over, 1)[:, 0]
    link = (y_over[nn] != y_over) & (nn[nn] == np.arange(len(y_over)))
    assert np.array_equal(st.tomek_.sample_indices_, np.flatnonzero(~link))


def test_enn_on_large_oversampled_data_is_exact():
    # Balanced and over 20k rows per class: both screens (cells, then exact distance
    # to the other class) and the certified local search run.
    Xl, yl = make_classification(n_samples=24_000, n_features=8, n_informative=5, weights=[0.97],
                                 random_state=1)
    se = SMOTEENN(random_state=0)
    se.fit_resample(Xl, yl)
    X_over, y_over = SMOTE(random_state=0).fit_resample(Xl, yl)
    from smotekit.neighbors import kneighbors

    bad = (y_over[kneighbors(X_over, 3)] != y_over[:, None]).any(axis=1)
    expected = np.flatnonzero(~bad)
    assert np.array_equal(se.enn_.sample_indices_, expected[np.argsort(y_over[expected], kind="stable")])
