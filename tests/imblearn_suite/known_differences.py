"""imbalanced-learn tests that smotekit fails on purpose, and the slow ones.

Keys are test ids relative to ``tests/imblearn_suite/generated/``, which are
imbalanced-learn's own paths (``over_sampling/_smote/tests/test_smote.py::test_name``).
A key without ``[...]`` names every parametrization of the test; a trailing
``*`` makes it a prefix. Every key must name a collected test
(``test_harness.py`` checks it), so an entry goes stale loudly.

``KNOWN_DIFFERENCES`` values are ``(category, reason)``, marked as strict
expected failures (a test that starts passing fails the run, and its entry
is removed), or ``(category, reason, "skip")`` for a test that cannot run at all.
"""

#: Why a test may differ; every entry names one.
CATEGORIES = {
    "streams": "smotekit draws one independent random stream per class, so seeded draws differ",
    "order": "smotekit selects rows in input order, not in imbalanced-learn's internal order",
    "plans": "smotekit reaches the exact class sizes its plan states",
    "repository": "reads imbalanced-learn's source repository (pyproject.toml, README), not a package",
    "upstream": "fails on imbalanced-learn 0.14.2 itself, which lists it among its own expected failures",
    "wider": "smotekit accepts an input that imbalanced-learn refuses",
    "weights": "smotekit weights every cell of the confusion matrix, as scikit-learn does",
}

_COMMON = "tests/test_common.py::test_estimators_compatibility_sklearn"
_PIPELINE = "Pipeline(steps=[('sampler',RandomUnderSampler(random_state=0)),('logistic',LogisticRegression())])"

_STREAMS = ("streams", "same class sizes and valid draws, but smotekit's per-class random stream picks other rows")
_COMBINED = ("streams", "smotekit's per-class SMOTE stream draws other points, so other rows are cleaned")

KNOWN_DIFFERENCES = {
    # Seeded golden arrays. Verified side by side with imbalanced-learn on each test's data:
    # equal class counts, input rows kept, every smotekit draw valid (a copy or a subset of
    # its class, or a point on a segment between two rows of its class), and imbalanced-learn's
    # own result changes with its seed.
    "over_sampling/_smote/tests/test_smote.py::test_sample_regular": _STREAMS,
    "over_sampling/_smote/tests/test_smote.py::test_sample_regular_half": _STREAMS,
    "over_sampling/_smote/tests/test_smote.py::test_sample_regular_with_nn": _STREAMS,
    "over_sampling/tests/test_adasyn.py::test_ada_fit_resample": _STREAMS,
    "over_sampling/tests/test_adasyn.py::test_ada_fit_resample_nn_obj": _STREAMS,
    "over_sampling/tests/test_random_over_sampler.py::test_ros_fit_resample": _STREAMS,
    "under_sampling/_prototype_selection/tests/test_random_under_sampler.py::test_rus_fit_resample": _STREAMS,
    "under_sampling/_prototype_selection/tests/test_random_under_sampler.py::test_rus_fit_resample_half": _STREAMS,
    # Verified side by side on each test's data, for versions 1, 2 and 3: the same rows are
    # kept as by imbalanced-learn, listed in input order rather than by distance rank.
    **{f"under_sampling/_prototype_selection/tests/test_nearmiss.py::{test}": (
        "order", "keeps the same rows as imbalanced-learn, in input order instead of distance rank")
       for test in ("test_nm_fit_resample_auto", "test_nm_fit_resample_float_sampling_strategy",
                    "test_nm_fit_resample_nn_obj")},
    # SMOTE then clean: imbalanced-learn's own cleaner applied to smotekit's SMOTE output gives
    # smotekit's rows, so the SMOTE draw is the whole difference.
    **{f"combine/tests/test_smote_{cleaner}.py::{test}": _COMBINED
       for cleaner in ("enn", "tomek")
       for test in ("test_sample_regular", "test_sample_regular_half",
                    "test_validate_estimator_init", "test_validate_estimator_default")},
    "combine/tests/test_smote_enn.py::test_sample_regular_pass_smote_enn": _COMBINED,
    # Hart's rule starts each class's store from one random sample: seeded by smotekit's
    # per-class stream it starts elsewhere (seed 1 here gives imbalanced-learn's seed-0 rows).
    "under_sampling/_prototype_selection/tests/test_condensed_nearest_neighbour.py::test_cnn_fit_resample": (
        "streams", "the initial store is another random sample of the class"),
    ("under_sampling/_prototype_selection/tests/test_condensed_nearest_neighbour.py"
     "::test_cnn_fit_resample_with_object"): (
        "streams", "the initial store is another random sample of the class"),
    # Each boosting round under-samples with smotekit's per-class streams. On this data a
    # round no better than chance ends RUSBoost, which seed 0 happens to draw; imbalanced-learn
    # stops after one round too for about 3 seeds in 4.
    "ensemble/tests/test_weight_boosting.py::test_rusboost": (
        "streams", "the seeded first round's under-sample is another one, and boosting stops after it"),
    "ensemble/tests/test_weight_boosting.py::test_rusboost_sample_weight": (
        "streams", "the seeded under-sample gives the same single learner with and without the random "
        "weights, as imbalanced-learn does for about half the seeds"),
    # Plans met where imbalanced-learn generates nothing or raises.
    "over_sampling/_smote/tests/test_borderline_smote.py::test_borderline_smote_no_in_danger_samples": (
        "plans", "a class with no sample in danger is grown from all its samples, with a warning, "
        "instead of being left short of its target"),
    "over_sampling/_smote/tests/test_kmeans_smote.py::test_sample_kmeans_not_enough_clusters": (
        "plans", "when no cluster qualifies the class is grown with plain SMOTE and a warning "
        "instead of a RuntimeError"),
    "over_sampling/_smote/tests/test_smote_nc.py::test_smote_nc_categorical_features_auto_error": (
        "wider", "categorical_features='auto' also reads numpy object arrays and string columns, "
        "where imbalanced-learn asks for a DataFrame"),
    # imbalanced-learn counts true negatives as the unweighted number of rows minus weighted
    # sums; smotekit's weighted counts equal scikit-learn's multilabel_confusion_matrix.
    "metrics/tests/test_classification.py::test_geometric_mean_sample_weight"
    "[y_true2-y_pred2-sample_weight2-weighted-0.333]": (
        "weights", "weighted true negatives are a weighted count, so the weighted average differs"),
    # scikit-learn checks that imbalanced-learn marks as expected failures of its own
    # (PER_ESTIMATOR_XFAIL_CHECKS in its instance generator); verified to fail there too.
    f"{_COMMON}[{_PIPELINE}-check_estimators_overwrite_params]": (
        "upstream", "a pipeline replaces its steps by their fitted clones, as scikit-learn's does"),
    f"{_COMMON}[{_PIPELINE}-check_dont_overwrite_parameters]": (
        "upstream", "a pipeline replaces its steps by their fitted clones, as scikit-learn's does"),
    f"{_COMMON}[{_PIPELINE}-check_supervised_y_2d]": (
        "upstream", "the under-sampler flattens a column-vector y before the classifier could warn"),
    f"{_COMMON}[BalancedRandomForestClassifier(random_state=42)-check_sample_weight_equivalence_on_*": (
        "upstream", "each tree's random under-sampling sees a weighted row once, a repeated row twice"),
    f"{_COMMON}[RUSBoostClassifier(random_state=42)-check_sample_weight_equivalence_on_*": (
        "upstream", "each boosting round's random under-sampling sees a weighted row once, a repeated row twice"),
    "utils/tests/test_min_dependencies.py::test_min_dependencies_readme": (
        "repository",
        "compares imbalanced-learn's README.rst with its pyproject.toml, files of its source checkout",
        "skip",
    ),
}

#: Tests left out of ``make test`` (``-m "not slow"``), with the reason.
SLOW = {
    "datasets/tests/test_zenodo.py::test_fetch": "downloads the whole Zenodo benchmark collection",
    "datasets/tests/test_zenodo.py::test_fetch_filter": "downloads Zenodo benchmark data sets",
    # The two costliest parts of the suite, each covered in `make test` by a test of our own.
    "tests/test_common.py::*": ("scikit-learn's and imbalanced-learn's common checks over every estimator "
                                "(1,900 tests, a seventh of the default run); tests/test_sklearn_contract.py "
                                "runs the same checks over every sampler"),
    "ensemble/tests/*": ("fits ensembles of many members in most tests; tests/ensemble/test_ensemble.py covers "
                         "the four ensembles"),
}
