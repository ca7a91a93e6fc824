"""smotekit: fast, faithful SMOTE-family resampling for imbalanced classification.

A drop-in for imbalanced-learn: same module paths, class names, parameters and
``sampling_strategy`` semantics. Everything public is also importable here.

The names are loaded on first use (:pep:`562`): ``import smotekit`` costs
almost nothing, and ``smotekit.SMOTE`` or ``from smotekit import SMOTE``
imports only the subpackage that defines it (and scikit-learn with it). This
keeps the ``smotekit`` command's ``--help`` and ``--version`` instant.
"""

__version__ = "0.1.0"

# The public subpackages and modules, imported on first attribute access.
_SUBMODULES = frozenset({
    "combine", "datasets", "ensemble", "exceptions", "metrics", "model_selection", "multilabel",
    "neighbors", "over_sampling", "pipeline", "regression", "under_sampling", "utils",
})

# Every other public name, by the module (relative to this package) that defines it.
_NAMES_BY_MODULE = {
    "._function_sampler": ("FunctionSampler",),
    "._provenance": ("Provenance",),
    "._strategy": ("ClassPlan", "SamplingPlan"),
    ".base": ("BaseSampler",),
    ".combine": ("SMOTEENN", "SMOTEIPF", "SMOTETomek"),
    ".datasets": ("fetch_datasets", "make_imbalance"),
    ".neighbors": ("ApproximateNeighbors",),
    ".over_sampling": ("ADASYN", "BorderlineSMOTE", "CCR", "CURESMOTE", "GeometricSMOTE", "KMeansSMOTE", "LVQSMOTE",
                       "LeeSMOTE", "MGS", "MWMOTE", "PolynomFitSMOTE", "ProWSyn", "RandomOverSampler", "SMOBD",
                       "SMOTE", "SMOTEN", "SMOTENC", "SVMSMOTE", "SafeLevelSMOTE"),
    ".pipeline": ("Pipeline", "make_pipeline"),
    ".under_sampling": ("AllKNN", "ClusterCentroids", "CondensedNearestNeighbour",
                        "EditedNearestNeighbours", "InstanceHardnessThreshold", "NearMiss",
                        "NeighbourhoodCleaningRule", "OneSidedSelection", "RandomUnderSampler",
                        "RepeatedEditedNearestNeighbours", "TomekLinks"),
    ".utils._show_versions": ("show_versions",),
}
_ORIGINS = {name: module for module, names in _NAMES_BY_MODULE.items() for name in names}

# A literal list, so that documentation tools and type checkers can read it without running code.
__all__ = [
    "ADASYN",
    "AllKNN",
    "ApproximateNeighbors",
    "BaseSampler",
    "BorderlineSMOTE",
    "CCR",
    "CURESMOTE",
    "ClassPlan",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "FunctionSampler",
    "GeometricSMOTE",
    "InstanceHardnessThreshold",
    "KMeansSMOTE",
    "LVQSMOTE",
    "LeeSMOTE",
    "MGS",
    "MWMOTE",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "Pipeline",
    "PolynomFitSMOTE",
    "ProWSyn",
    "Provenance",
    "RandomOverSampler",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "SMOBD",
    "SMOTE",
    "SMOTEENN",
    "SMOTEIPF",
    "SMOTEN",
    "SMOTENC",
    "SMOTETomek",
    "SVMSMOTE",
    "SafeLevelSMOTE",
    "SamplingPlan",
    "TomekLinks",
    "__version__",
    "combine",
    "datasets",
    "ensemble",
    "exceptions",
    "fetch_datasets",
    "make_imbalance",
    "make_pipeline",
    "metrics",
    "model_selection",
    "multilabel",
    "neighbors",
    "over_sampling",
    "pipeline",
    "regression",
    "show_versions",
    "under_sampling",
    "utils",
]


def __getattr__(name):
    # Called only for names not yet in the module's namespace (PEP 562).
    from importlib import import_module

    if name in _SUBMODULES or name == "base":  # base: public but not in __all__, as in imbalanced-learn
        # Importing a submodule also binds it here, so this runs once per name.
        return import_module(f".{name}", __name__)
    if name in _ORIGINS:
        value = getattr(import_module(_ORIGINS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted({*__all__, *(n for n in globals() if n.startswith("__"))})


# Static type checkers and IDEs see the eager imports; the interpreter never runs them.
# A module-level TYPE_CHECKING flag (rather than typing's) spares the import of typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from . import (
        combine,
        datasets,
        ensemble,
        exceptions,
        metrics,
        model_selection,
        multilabel,
        neighbors,
        over_sampling,
        pipeline,
        regression,
        under_sampling,
        utils,
    )
    from ._function_sampler import FunctionSampler
    from ._provenance import Provenance
    from ._strategy import ClassPlan, SamplingPlan
    from .base import BaseSampler
    from .combine import SMOTEENN, SMOTEIPF, SMOTETomek
    from .datasets import fetch_datasets, make_imbalance
    from .neighbors import ApproximateNeighbors
    from .over_sampling import (
        ADASYN,
        CCR,
        CURESMOTE,
        LVQSMOTE,
        MGS,
        MWMOTE,
        SMOBD,
        SMOTE,
        SMOTEN,
        SMOTENC,
        SVMSMOTE,
        BorderlineSMOTE,
        GeometricSMOTE,
        KMeansSMOTE,
        LeeSMOTE,
        PolynomFitSMOTE,
        ProWSyn,
        RandomOverSampler,
        SafeLevelSMOTE,
    )
    from .pipeline import Pipeline, make_pipeline
    from .under_sampling import (
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
    from .utils._show_versions import show_versions

# Not a public name of the package.
del TYPE_CHECKING
