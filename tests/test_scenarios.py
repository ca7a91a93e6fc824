"""Awkward data sets, run through every sampler in every configuration of the
contract checks: a one-row minority, exact duplicate rows, collinear features,
more features than rows, and overlapping classes.

For each pair the sampler either keeps its contract or raises a ValueError
that names the problem. The contract: class sizes equal the plan's targets
where the tags say counts are exact, kept rows are input rows bit for bit,
generated rows are finite and lie where their construction puts them (on the
segment between their two parents, or inside the bounding box of their class),
and the same ``random_state`` gives the same output.
"""

import re
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils import get_tags

from smotekit.over_sampling import ADASYN, SMOTE, SVMSMOTE, BorderlineSMOTE, RandomOverSampler
from smotekit.under_sampling import ClusterCentroids
from smotekit.utils import all_samplers
from smotekit.utils._test_common.helpers import _random_state
from smotekit.utils._test_common.instance_generator import _contract_instances, _get_check_estimator_ids


def _rng(seed):
    return np.random.default_rng(seed)


def one_row_minority():
    """Thirty majority rows and a single minority row."""
    X = _rng(1).normal(size=(31, 3))
    X[30] += 3.0
    return X, np.repeat([0, 1], [30, 1])


def duplicates():
    """Every row three times (the same bits), in overlapping classes of 16 and 8 distinct rows."""
    rng = _rng(2)
    X = np.concatenate([rng.normal(0.0, 1.0, (16, 3)), rng.normal(0.7, 1.0, (8, 3))])
    y = np.repeat([0, 1], [16, 8])
    order = rng.permutation(3 * len(y))
    return np.tile(X, (3, 1))[order], np.tile(y, 3)[order]


def collinear():
    """Four columns spanning a plane: the third and fourth are combinations of the first two."""
    rng = _rng(3)
    base = np.concatenate([rng.normal(0.0, 1.0, (40, 2)), rng.normal(1.0, 1.0, (12, 2)),
                           rng.normal(-1.0, 1.0, (8, 2))])
    X = np.column_stack([base, base[:, 0] - 2.0 * base[:, 1], 3.0 * base[:, 0]])
    return X, np.repeat([0, 1, 2], [40, 12, 8])


def high_dimensional():
    """Sixty features, thirty rows."""
    rng = _rng(4)
    X = np.concatenate([rng.normal(0.0, 1.0, (20, 60)), rng.normal(0.3, 1.0, (10, 60))])
    return X, np.repeat([0, 1], [20, 10])


def overlapping():
    """Three classes whose clouds overlap: every minority row has neighbours of other classes."""
    rng = _rng(5)
    X = np.concatenate([rng.normal(0.0, 1.0, (60, 2)), rng.normal(0.6, 1.0, (20, 2)),
                        rng.normal(1.2, 1.0, (12, 2))])
    return X, np.repeat([0, 1, 2], [60, 20, 12])


SCENARIOS = {f.__name__: f for f in (one_row_minority, duplicates, collinear, high_dimensional, overlapping)}
INSTANCES = [sampler for _, cls in all_samplers() for sampler in _contract_instances(cls)]

#: What a ValueError must say when a sampler cannot run on a scenario (the size that is too small).
_REFUSALS = {
    "one_row_minority": r"\bhas 1\b",
}

#: Samplers whose new rows are not interpolations: where else they may lie.
_UNBOUNDED = {
    # SVM-SMOTE extrapolates away from the majority when few neighbours are of another class.
    "SVMSMOTE": "extrapolated",
    "GeometricSMOTE": "inside the (truncated, deformed) ball around the centre row through its surface row",
    "CCR": "inside the spheres around the class's rows; translated rows pushed out of the spheres",
    "LVQSMOTE": "a codebook vector plus a row's offset from another codebook vector",
    "MGS": "Gaussian draws around the mean of a seed's neighbourhood (unbounded tails)",
    "PolynomFitSMOTE": "topology='polynomial': on a least-squares curve, which may leave the class's box",
}


def _fit(sampler, X, y):
    sampler = _random_state(clone(sampler), 0)
    with warnings.catch_warnings():
        # Warnings (fallbacks, ties) are each sampler's own tests' concern.
        warnings.simplefilter("ignore")
        X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, np.asarray(y_res)


def _numeric_columns(sampler, n_features):
    nominal = getattr(sampler, "categorical_features_", None)
    if type(sampler).__name__ == "SMOTEN":
        return np.array([], dtype=np.int64)
    return np.setdiff1d(np.arange(n_features), [] if nominal is None else nominal)


def _assert_contract(sampler, X, y, X_res, y_res):
    tags = get_tags(sampler).sampler_tags
    counts = dict(zip(*np.unique(y_res, return_counts=True)))
    if tags.exact_counts:
        for c in sampler.sampling_plan_:
            if c.n_target is not None:
                assert counts.get(c.label, 0) == c.n_target, (c, counts)
    prov = sampler.provenance_
    assert len(prov) == len(y_res) == X_res.shape[0]
    kept = ~prov.is_synthetic
    assert np.array_equal(X_res[kept], X[prov.source[kept]]), "a kept row differs from its input row"
    assert np.array_equal(y_res, y[prov.source]), "a row has another class than its source"
    new = np.flatnonzero(prov.is_synthetic)
    if new.size == 0:
        return
    numeric = _numeric_columns(sampler, X.shape[1])
    generated = X_res[new][:, numeric]
    assert np.isfinite(generated).all(), "a generated row is not finite"
    if isinstance(sampler, RandomOverSampler) and sampler.shrinkage is not None:
        return  # a smoothed bootstrap adds Gaussian noise: only finiteness is promised
    partner = prov.partner[new]
    source = prov.source[new]
    tol = 1e-9 * (1.0 + np.abs(X).max())
    on_segment = partner >= 0
    ends = np.stack([X[source[on_segment]][:, numeric], X[partner[on_segment]][:, numeric]])
    inside = (generated[on_segment] >= ends.min(axis=0) - tol) & (generated[on_segment] <= ends.max(axis=0) + tol)
    if type(sampler).__name__ not in _UNBOUNDED:
        assert inside.all(), "a generated row lies off the segment between its parents"
    if type(sampler).__name__ in _UNBOUNDED:
        return  # where such rows lie is each method's own tests' concern (balls, curves, Gaussians)
    for label in np.unique(y_res[new[~on_segment]]):
        rows = new[~on_segment][y_res[new[~on_segment]] == label]
        box = X[y == label][:, numeric]
        values = X_res[rows][:, numeric]
        assert ((values >= box.min(axis=0) - tol) & (values <= box.max(axis=0) + tol)).all(), \
            f"a generated row of class {label!r} lies outside its class's bounding box"
    nominal = np.setdiff1d(np.arange(X.shape[1]), numeric)
    for j in nominal:
        for label in np.unique(y_res[new]):
            assert set(X_res[new][y_res[new] == label, j]) <= set(X[y == label, j]), \
                f"column {j}: a generated category of class {label!r} is not one of the class's"


@pytest.mark.parametrize("sampler", INSTANCES, ids=_get_check_estimator_ids)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_contract_or_a_clear_error(scenario, sampler):
    X, y = SCENARIOS[scenario]()
    try:
        fitted, X_res, y_res = _fit(sampler, X, y)
    except ValueError as exc:
        pattern = _REFUSALS.get(scenario)
        if pattern is None:
            raise AssertionError(f"{type(sampler).__name__} refused the {scenario} data: {exc}") from exc
        assert re.search(pattern, str(exc)), f"the error does not name the problem: {exc}"
        return
    X_res = X_res.toarray() if hasattr(X_res, "toarray") else np.asarray(X_res)
    _assert_contract(fitted, X, y, X_res, y_res)
    _, X_again, y_again = _fit(sampler, X, y)
    assert np.array_equal(np.asarray(X_again), X_res) and np.array_equal(y_again, y_res), \
        "the same random_state gave another output"


@pytest.mark.parametrize("where", ["off its segment", "outside its class", "kept row changed"])
def test_the_contract_can_fail(where):
    X, y = overlapping()
    sampler = SMOTE() if where != "outside its class" else ClusterCentroids(voting="soft")
    fitted, X_res, y_res = _fit(sampler, X, y)
    X_res = X_res.copy()
    row = np.flatnonzero(fitted.provenance_.is_synthetic)[0] if where != "kept row changed" else 0
    X_res[row] += 10.0
    with pytest.raises(AssertionError):
        _assert_contract(fitted, X, y, X_res, y_res)


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_overlapping_classes_put_borderline_smote_on_its_main_path(kind):
    X, y = overlapping()
    sampler, _, _ = _fit(BorderlineSMOTE(kind=kind), X, y)
    # Seeds are the rows in danger, not every row of the class (the fallback).
    for label in (1, 2):
        danger = sampler.in_danger_indices[label]
        assert 0 < danger.size < np.count_nonzero(y == label)
    seeds = set(sampler.provenance_.source[sampler.provenance_.is_synthetic].tolist())
    assert seeds <= set(np.concatenate(list(sampler.in_danger_indices.values())).tolist())


def test_overlapping_classes_put_adasyn_on_its_main_path():
    X, y = overlapping()
    sampler, _, _ = _fit(ADASYN(), X, y)
    assert sampler.uniform_fallback_ == []
    for label in (1, 2):
        # Weights follow the difficulty: rows with no neighbour of another class seed nothing.
        difficulty = sampler.difficulty_[label]
        per_row = sampler.n_generated_per_sample_[label]
        assert difficulty.min() < difficulty.max()
        assert (per_row[difficulty == 0] == 0).all() and per_row[difficulty > 0].sum() > 0


def test_overlapping_classes_put_svm_smote_on_its_main_path():
    X, y = overlapping()
    sampler, _, _ = _fit(SVMSMOTE(), X, y)
    # Support vectors in danger (interpolated towards their class), some dropped as noise.
    for label in (1, 2):
        assert sampler.danger_indices_[label].size > 0 and sampler.noise_indices_[label].size > 0
