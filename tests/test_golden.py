"""Golden arrays: the exact output of a few samplers on a tiny fixed data set.

These pin the reproducibility contract: with ``random_state=0`` each class draws
from its own stream of one ``SeedSequence``, so the same data give the same rows,
in the same order, bit for bit, whatever the version, the container or the
internal structure. A failure here means an output changed.

The inputs and the outputs are stored together in ``tests/data/golden.npz``, so
the test does not depend on how a random generator draws the inputs. The outputs
do depend on NumPy's ``Generator`` methods, which NumPy may change in a major
release. Regenerate the file only when a change of output is intended (and say
so in the changelog)::

    python tests/test_golden.py --regenerate
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from smotekit.over_sampling import ADASYN, SMOTE, SMOTENC, BorderlineSMOTE, RandomOverSampler
from smotekit.under_sampling import NearMiss, RandomUnderSampler

GOLDEN = Path(__file__).parent / "data" / "golden.npz"

#: Small parameters, so that every sampler runs its main path on 33 rows.
CASES = {
    "SMOTE": lambda: SMOTE(k_neighbors=3, random_state=0),
    "BorderlineSMOTE-2": lambda: BorderlineSMOTE(kind="borderline-2", k_neighbors=3, m_neighbors=5,
                                                 random_state=0),
    "ADASYN": lambda: ADASYN(n_neighbors=3, random_state=0),
    "RandomOverSampler-shrinkage": lambda: RandomOverSampler(shrinkage=0.5, random_state=0),
    "RandomUnderSampler": lambda: RandomUnderSampler(random_state=0),
    "NearMiss-2": lambda: NearMiss(version=2),
    "SMOTENC": lambda: SMOTENC(categorical_features=[2], k_neighbors=3, random_state=0),
}


def _inputs():
    """Three overlapping classes of 20, 8 and 5 rows; the last column holds categories 0, 1, 2."""
    rng = np.random.default_rng(12)
    sizes = (20, 8, 5)
    X = np.concatenate([rng.normal(0.8 * c, 1.0, size=(m, 2)) for c, m in enumerate(sizes)])
    X = np.column_stack([X, rng.integers(0, 3, size=len(X)).astype(np.float64)])
    y = np.repeat(np.arange(3), sizes)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _regenerate():
    X, y = _inputs()
    arrays = {"X": X, "y": y}
    for name, make in CASES.items():
        arrays[f"{name}/X"], arrays[f"{name}/y"] = make().fit_resample(X, y)
    GOLDEN.parent.mkdir(exist_ok=True)
    np.savez(GOLDEN, **arrays)


@pytest.fixture(scope="module")
def golden():
    with np.load(GOLDEN) as stored:
        return dict(stored)


@pytest.mark.parametrize("name", CASES)
def test_output_is_the_golden_one(golden, name):
    X_res, y_res = CASES[name]().fit_resample(golden["X"], golden["y"])
    np.testing.assert_array_equal(X_res, golden[f"{name}/X"], strict=True)
    np.testing.assert_array_equal(y_res, golden[f"{name}/y"], strict=True)


def test_golden_data_take_the_main_paths(golden):
    # A fallback (uniform weights, no row in danger) would pin the wrong algorithm.
    X, y = golden["X"], golden["y"]
    adasyn = CASES["ADASYN"]()
    adasyn.fit_resample(X, y)
    assert adasyn.uniform_fallback_ == []
    borderline = CASES["BorderlineSMOTE-2"]()
    borderline.fit_resample(X, y)
    assert set(borderline.in_danger_indices) == {1, 2}


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit(f"usage: python {sys.argv[0]} --regenerate   (overwrites {GOLDEN})")
    _regenerate()
