import numpy as np
from sklearn.datasets import make_classification

from smotekit import SMOTE


def test_classic_problem_balances():
    X, y = make_classification(n_samples=2000, n_features=2, n_redundant=0, n_clusters_per_class=1,
                               weights=[0.95], flip_y=0, random_state=1)
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    counts = np.bincount(y_res)
    assert counts[0] == counts[1] == np.bincount(y)[0]
    np.testing.assert_array_equal(X_res[: len(X)], X)
