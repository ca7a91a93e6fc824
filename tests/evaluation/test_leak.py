"""check_not_resampled: the warning for data that were resampled before evaluation."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_iris, make_classification

from smotekit.evaluation._leak import check_not_resampled
from smotekit.exceptions import ResampledDataWarning
from smotekit.over_sampling import SMOTE, RandomOverSampler
from smotekit.under_sampling import RandomUnderSampler


@pytest.fixture(scope="module")
def imbalanced():
    return make_classification(n_samples=800, weights=[0.9, 0.1], n_features=6, random_state=0)


def silent(X, y, **kwargs):
    """The reasons, asserting that no warning of any kind was emitted."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return check_not_resampled(X, y, **kwargs)


def warned(X, y, **kwargs):
    """The reasons, asserting that exactly one ResampledDataWarning listed them."""
    with pytest.warns(ResampledDataWarning) as record:
        reasons = check_not_resampled(X, y, **kwargs)
    assert len(record) == 1
    assert reasons and all(r in str(record[0].message) for r in reasons)
    assert "inside each training fold" in str(record[0].message)
    return reasons


def test_warning_class():
    assert issubclass(ResampledDataWarning, UserWarning)


# -- what warns -----------------------------------------------------------------------------------


def test_random_over_sampling_warns(imbalanced):
    X, y = RandomOverSampler(random_state=0).fit_resample(*imbalanced)
    reasons = warned(X, y)
    assert "class 1" in reasons[0] and "exact copies" in reasons[0]
    assert "exactly" in reasons[-1]  # the classes came out equal in size


def test_partial_random_over_sampling_warns(imbalanced):
    X, y = RandomOverSampler(sampling_strategy=0.3, random_state=0).fit_resample(*imbalanced)
    reasons = warned(X, y)
    assert len(reasons) == 1  # sizes differ: only the copies speak


def test_smote_warns_with_its_provenance(imbalanced):
    sampler = SMOTE(random_state=0)
    X, y = sampler.fit_resample(*imbalanced)
    reasons = warned(X, y, provenance=sampler.provenance_)
    n_added = len(y) - len(imbalanced[1])
    assert f"{n_added} of the {len(y)} rows as synthetic" in reasons[0]


def test_smote_without_provenance_has_no_copies_to_see(imbalanced):
    # Interpolated rows are new points: the data alone do not show them.
    X, y = SMOTE(random_state=0).fit_resample(*imbalanced)
    assert silent(X, y) == []


def test_provenance_without_synthetic_rows_is_fine(imbalanced):
    sampler = RandomUnderSampler(random_state=0)
    X, y = sampler.fit_resample(*imbalanced)
    if getattr(sampler, "provenance_", None) is None:
        pytest.skip("RandomUnderSampler records no provenance")
    assert silent(X, y, provenance=sampler.provenance_) == []


def test_each_over_sampled_class_is_named():
    X, y = make_classification(n_samples=900, n_classes=3, n_informative=4, weights=[0.7, 0.2, 0.1],
                               random_state=1)
    Xr, yr = RandomOverSampler(random_state=0).fit_resample(X, y)
    reasons = warned(Xr, yr)
    assert any("class 1" in r for r in reasons) and any("class 2" in r for r in reasons)


def test_string_labels_are_shown_as_given(imbalanced):
    X, y = RandomOverSampler(random_state=0).fit_resample(*imbalanced)
    reasons = warned(X, np.where(y == 1, "fraud", "ok"))
    assert "class 'fraud'" in reasons[0] and "class 'ok'" in reasons[0]


# -- what does not warn ---------------------------------------------------------------------------


def test_original_imbalanced_data(imbalanced):
    assert silent(*imbalanced) == []


def test_naturally_balanced_without_duplicates():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(600, 4)), np.repeat([0, 1, 2], 200)
    assert silent(X, y) == []


def test_iris_and_its_natural_duplicate():
    X, y = load_iris(return_X_y=True)
    assert len(np.unique(X, axis=0)) < len(X)  # the check below meets real duplicates
    assert silent(X, y) == []


def test_a_couple_of_natural_duplicates_in_balanced_data():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(100, 3)), np.repeat([0, 1], 50)
    X[[60, 61]] = X[55]  # two copies in a class of 50 (4%), the other class without any
    assert silent(X, y) == []


def test_a_couple_of_duplicates_in_a_small_minority():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(220, 3)), np.r_[np.zeros(200, int), np.ones(20, int)]
    X[[201, 202]] = X[200]  # 2 of 20 minority rows: 10%, but only a couple
    assert silent(X, y) == []


def test_discrete_data_duplicated_everywhere():
    # Few distinct rows, in every class alike: duplicates are natural here.
    rng = np.random.default_rng(3)
    X, y = rng.integers(0, 3, size=(600, 3)).astype(float), np.repeat([0, 1], 300)
    assert silent(X, y) == []


def test_permuted_values_are_not_copies():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 3))
    y = np.r_[np.zeros(250, int), np.ones(50, int)]
    X[260:290] = X[250:280][:, ::-1]  # same values in other columns: different rows
    assert silent(X, y) == []


# -- containers -----------------------------------------------------------------------------------


def over_sampled(imbalanced):
    return RandomOverSampler(sampling_strategy=0.5, random_state=0).fit_resample(*imbalanced)


def test_pandas(imbalanced):
    pd = pytest.importorskip("pandas")
    X, y = over_sampled(imbalanced)
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    assert warned(frame, pd.Series(y)) == warned(X, y)
    assert silent(pd.DataFrame(imbalanced[0]), pd.Series(imbalanced[1])) == []


def test_pandas_with_string_and_categorical_columns(imbalanced):
    pd = pytest.importorskip("pandas")
    X, y = over_sampled(imbalanced)
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    frame["colour"] = np.where(X[:, 3] > 0, "red", "blue")
    frame["size"] = pd.Categorical(np.where(X[:, 4] > 0, "big", "small"))
    frame.loc[3, "colour"] = None
    assert warned(frame, y) == warned(X, y)
    original = pd.DataFrame(imbalanced[0][:, :3], columns=["a", "b", "c"])
    original["colour"] = np.where(imbalanced[0][:, 3] > 0, "red", "blue")
    assert silent(original, imbalanced[1]) == []


def test_polars(imbalanced):
    pl = pytest.importorskip("polars")
    X, y = over_sampled(imbalanced)
    frame = pl.DataFrame(X, schema=[f"f{j}" for j in range(X.shape[1])])
    assert warned(frame, pl.Series(y)) == warned(X, y)
    with_strings = frame.with_columns(pl.Series("colour", np.where(X[:, 0] > 0, "red", "blue")))
    assert warned(with_strings, y) == warned(X, y)
    assert silent(pl.DataFrame(imbalanced[0]), imbalanced[1]) == []


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse(imbalanced, fmt):
    def thin(X):  # about two thirds zeros, without making rows equal
        return np.hstack([np.where(X[:, :3] > 0, X[:, :3], 0.0), X[:, 3:], np.zeros((len(X), 9))])

    X, y = over_sampled(imbalanced)
    assert warned(sp.csr_matrix(thin(X)).asformat(fmt), y) == warned(X, y)
    assert silent(sp.csr_matrix(thin(imbalanced[0])).asformat(fmt), imbalanced[1]) == []


def csr_with_odd_storage(dense, odd_rows):
    """CSR of ``dense`` whose ``odd_rows`` store a zero and split their first value in two entries."""
    data, indices, indptr = [], [], [0]
    for i, row in enumerate(dense):
        entries = [(j, v) for j, v in enumerate(row) if v != 0]
        if i in odd_rows:
            (j0, v0), rest = entries[0], entries[1:]
            entries = [(j0, v0 / 2), *rest, (j0, v0 / 2), (1, 0.0)]
        indices += [j for j, _ in entries]
        data += [v for _, v in entries]
        indptr.append(len(data))
    X = sp.csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=dense.shape)
    assert not X.has_canonical_format
    return X


def test_sparse_stored_zeros_and_repeated_entries_read_as_values():
    rng = np.random.default_rng(5)
    dense = rng.normal(size=(120, 4))
    dense[:, 1] = 0.0
    y = np.r_[np.zeros(100, int), np.ones(20, int)]
    dense[105:120] = dense[100 + np.arange(15) % 5]  # 15 copies of the first 5 minority rows
    X = csr_with_odd_storage(dense, set(range(105, 120)))
    np.testing.assert_array_equal(X.toarray(), dense)
    assert "15 of the 20 rows" in warned(X, y)[0]


def test_signed_zeros_and_nan_compare_as_values():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(150, 3))
    y = np.r_[np.zeros(120, int), np.ones(30, int)]
    X[120:130, 0] = 0.0
    X[120:130, 1] = np.nan
    X[130:140] = X[120:130]
    X[130:140, 0] = -0.0
    assert "10 of the 30 rows" in warned(X, y)[0]


# -- the input is left alone, and errors --------------------------------------------------------------


def test_inputs_not_modified(imbalanced):
    pd = pytest.importorskip("pandas")
    X, y = over_sampled(imbalanced)
    X = X.copy()
    X[0, 0], X[1, 1] = -0.0, np.nan
    frozen = X.copy()
    X.flags.writeable = False
    warned(X, y)
    np.testing.assert_array_equal(X, frozen)
    assert np.signbit(X[0, 0])
    frame = pd.DataFrame(frozen)
    before = frame.copy()
    warned(frame, y)
    pd.testing.assert_frame_equal(frame, before)
    S = csr_with_odd_storage(np.nan_to_num(frozen), set(range(0, len(y), 7)))
    parts = [S.data.copy(), S.indices.copy(), S.indptr.copy()]
    warned(S, y)
    for got, was in zip([S.data, S.indices, S.indptr], parts):
        np.testing.assert_array_equal(got, was)
    assert not S.has_canonical_format


def test_provenance_errors(imbalanced):
    sampler = SMOTE(random_state=0)
    X, y = sampler.fit_resample(*imbalanced)
    with pytest.raises(ValueError, match=r"describes \d+ rows but X has 800"):
        check_not_resampled(*imbalanced, provenance=sampler.provenance_)
    with pytest.raises(TypeError, match="provenance_"):
        check_not_resampled(X, y, provenance=sampler)


def test_length_mismatch(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="different numbers of rows"):
        check_not_resampled(X, y[:-1])
