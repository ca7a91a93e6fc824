"""Containers in, same kind out: one adapter per kind of container, found by type.

Samplers never see containers. :func:`read_X` turns the caller's ``X`` into a
:class:`Table` (a read-only view of the input with a numeric matrix for the
algorithms and the adapter that rebuilds the caller's kind of object), and
:func:`read_y` does the same for the target as a :class:`Target`.

Each kind of container has an :class:`Adapter` (read, take rows by position,
build the output from the kept rows and the generated blocks), found by
:func:`adapter_for` with ``isinstance`` against the classes of the libraries
the caller has already imported, never by class name; pandas and polars are
never imported here on their own. Where each adapter lives:

- ``_numpy.py``: numpy arrays, lists, and anything else numpy reads (the fallback);
- ``_sparse.py``: scipy sparse matrices and arrays;
- ``_pandas.py``: pandas DataFrames, and Series as labels;
- ``_polars.py``: polars DataFrames, and Series as labels;
- Dask collections have no adapter: :mod:`smotekit.dask` reads them partition by
  partition, and each partition (pandas or numpy) through the adapters above.

Shared by all: ``_table.py`` (the protocol, the registry, :class:`Table`),
``_target.py`` (labels), ``_checks.py`` (validation and its messages) and
``_dtypes.py`` (synthetic values fitted to a column's dtype). Tables of
nominal and continuous columns (SMOTE-N/NC) are read by
:mod:`smotekit.over_sampling._nominal_table` through each adapter's
:meth:`Adapter.mixed_columns`.
"""

from ._checks import NonNumericError
from ._numpy import NumpyAdapter
from ._pandas import PandasAdapter
from ._polars import PolarsAdapter
from ._sparse import SparseAdapter
from ._table import Adapter, MixedColumns, Table, adapter_for, read_X, register
from ._target import Target, read_y

__all__ = ["Adapter", "MixedColumns", "NonNumericError", "Table", "Target", "adapter_for", "read_X", "read_y",
           "register"]

# The fallback first: adapters registered later are asked before it.
for _adapter in (NumpyAdapter(), SparseAdapter(), PandasAdapter(), PolarsAdapter()):
    register(_adapter)
del _adapter
