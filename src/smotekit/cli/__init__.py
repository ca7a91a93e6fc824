"""The ``smotekit`` command line: demo, inspect, resample, evaluate, methods.

Run ``smotekit --help`` (or ``python -m smotekit --help``). Needs the ``cli``
extra (pandas, pyarrow for Parquet, matplotlib for pictures):
``pip install "smotekit[cli]"``.
"""

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
