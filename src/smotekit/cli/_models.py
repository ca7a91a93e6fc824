"""The models ``smotekit evaluate`` and ``smotekit demo`` fit: short names, or any classifier by import path."""

from __future__ import annotations

import importlib

from ._common import UserError

__all__ = ["MODELS", "make_model"]

MODELS = ("tree", "logreg", "forest", "hgb")


def make_model(spec: str, random_state=None):
    """A classifier from a short name or a dotted import path (``sklearn.svm.SVC``)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    short = {
        "tree": lambda: DecisionTreeClassifier(random_state=random_state),
        # Scaled so the solver converges and the penalty treats features alike.
        "logreg": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "forest": lambda: RandomForestClassifier(n_estimators=100, random_state=random_state),
        "hgb": lambda: HistGradientBoostingClassifier(random_state=random_state),
    }
    if spec.lower() in short:
        return short[spec.lower()]()
    module_name, _, attr = spec.rpartition(".")
    if not module_name:
        raise UserError(f"--model {spec!r}: use one of {', '.join(MODELS)} or a dotted path such as "
                        "sklearn.svm.SVC.")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise UserError(f"--model {spec!r}: cannot import it ({exc}).") from exc
    try:
        model = factory()
    except TypeError as exc:
        raise UserError(f"--model {spec!r}: cannot build it without arguments ({exc}).") from exc
    if not (hasattr(model, "fit") and hasattr(model, "predict")):
        raise UserError(f"--model {spec!r} is not a classifier (it needs fit and predict).")
    if random_state is not None and "random_state" in model.get_params():
        model.set_params(random_state=random_state)
    return model
