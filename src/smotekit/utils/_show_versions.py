"""System and dependency versions, for bug reports (``smotekit.show_versions()``)."""

from __future__ import annotations

import platform
import sys
from importlib.metadata import PackageNotFoundError, version

__all__ = ["show_versions"]

# Distribution names as installed (what ``pip show`` accepts). imbalanced-learn is
# listed because smotekit is measured against it; keras and tensorflow because
# imbalanced-learn users often have them and report them.
_DEPENDENCIES = (
    "smotekit",
    "imbalanced-learn",
    "pip",
    "setuptools",
    "numpy",
    "scipy",
    "scikit-learn",
    "threadpoolctl",
    "joblib",
    "Cython",
    "pandas",
    "polars",
    "dask",
    "distributed",
    "matplotlib",
    "keras",
    "tensorflow",
)


def _get_sys_info():
    """Python version, interpreter path and platform, as a dict."""
    return {
        "python": sys.version.replace("\n", " "),
        "executable": sys.executable,
        "machine": platform.platform(),
    }


def _get_deps_info():
    """Installed version of each relevant distribution (``None`` when absent).

    Returns
    -------
    deps_info : dict
        ``{distribution name: version string or None}``.
    """
    info = {}
    for name in _DEPENDENCIES:
        try:
            info[name] = version(name)
        except PackageNotFoundError:
            info[name] = None
    return info


def show_versions(github=False):
    """Print the system and dependency versions, to paste into a bug report.

    This is the one function of the library that prints: showing the versions
    is its purpose.

    Parameters
    ----------
    github : bool, default=False
        Wrap the information in GitHub markup (a collapsible ``<details>``
        block with bullet lists) instead of plain aligned text.
    """
    sys_info, deps_info = _get_sys_info(), _get_deps_info()
    if github:
        def bullets(info):
            return "".join(f"* {key:<10}: `{value}`\n" for key, value in info.items())

        print(
            "<details><summary>System, Dependency Information</summary>\n\n"
            f"**System Information**\n\n{bullets(sys_info)}\n"
            f"**Python Dependencies**\n\n{bullets(deps_info)}\n"
            "</details>"
        )
        return
    lines = ["", "System:"]
    lines += [f"{key:>16}: {value}" for key, value in sys_info.items()]
    lines += ["", "Python dependencies:"]
    lines += [f"{key:>16}: {value}" for key, value in deps_info.items()]
    print("\n".join(lines))
