"""SMOTE on the classic 1:100 two-feature problem, evaluated without leakage.

Run with `make demo`. Shows the class counts before and after SMOTE (and
SMOTE followed by random under-sampling), then the cross-validated ROC AUC of
a decision tree with and without resampling, every resampler inside a
Pipeline so that synthetic rows never reach a test fold.
"""

from collections import Counter
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import RepeatedStratifiedKFold, cross_val_score
from sklearn.tree import DecisionTreeClassifier

from smotekit import SMOTE, RandomUnderSampler
from smotekit.pipeline import Pipeline


def main() -> None:
    X, y = make_classification(n_samples=10000, n_features=2, n_redundant=0, n_clusters_per_class=1,
                               weights=[0.99], flip_y=0, random_state=1)
    print(f"Data: {X.shape[0]} rows x {X.shape[1]} features, classes {dict(sorted(Counter(y.tolist()).items()))}\n")

    smote = SMOTE(random_state=0)
    _, y_res = smote.fit_resample(X, y)
    print("SMOTE plan (per class):")
    print(smote.sampling_plan_)
    print(f"-> {smote.provenance_.n_added} synthetic rows, each traceable to its two parents "
          f"(smote.provenance_); counts after: {dict(sorted(Counter(y_res.tolist()).items()))}\n")

    over, under = SMOTE(sampling_strategy=0.1, random_state=0), RandomUnderSampler(sampling_strategy=0.5, random_state=0)
    X_o, y_o = over.fit_resample(X, y)
    _, y_u = under.fit_resample(X_o, y_o)
    print("SMOTE(0.1) then RandomUnderSampler(0.5): "
          f"{dict(sorted(Counter(y.tolist()).items()))} -> {dict(sorted(Counter(y_o.tolist()).items()))} -> "
          f"{dict(sorted(Counter(y_u.tolist()).items()))}\n")

    cv = RepeatedStratifiedKFold(n_splits=10, n_repeats=3, random_state=1)
    models = {
        "decision tree, no resampling": DecisionTreeClassifier(random_state=0),
        "SMOTE -> tree": Pipeline([("over", SMOTE(random_state=0)), ("model", DecisionTreeClassifier(random_state=0))]),
        "SMOTE(0.1) -> under(0.5) -> tree": Pipeline([
            ("over", SMOTE(sampling_strategy=0.1, random_state=0)),
            ("under", RandomUnderSampler(sampling_strategy=0.5, random_state=0)),
            ("model", DecisionTreeClassifier(random_state=0))]),
    }
    print("ROC AUC, repeated stratified 10-fold CV (3 repeats); resampling on training folds only:")
    width = max(map(len, models))
    for name, model in models.items():
        start = time.perf_counter()
        scores = cross_val_score(model, X, y, scoring="roc_auc", cv=cv)
        print(f"  {name:<{width}}  {np.mean(scores):.3f} +/- {np.std(scores):.3f}   "
              f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
