"""Resampling on Dask: the same samplers, on data that outgrow one machine.

Pass Dask collections to any supported sampler's ``fit_resample``: a Dask
DataFrame ``X`` with a Series ``y`` partitioned alike (e.g. two columns
views of one ``dd.read_parquet`` frame), or a 2-D Dask Array with a 1-D one.
The result is a pair of lazy Dask collections of the same kinds, to write
with ``to_parquet`` (compute ``X`` and ``y`` together, e.g.
``X_res.assign(label=y_res).to_parquet(...)``, so they share their tasks)::

    import dask.dataframe as dd
    from smotekit.over_sampling import SMOTE

    df = dd.read_parquet("transactions/")
    X_res, y_res = SMOTE(k_neighbors=5, random_state=0).fit_resample(
        df.drop(columns="fraud"), df["fraud"])
    X_res.assign(fraud=y_res).to_parquet("balanced/")

Why lazy collections rather than a wrapper: they are what Dask users already
write, join and save, and the output streams partition by partition. What
must be global is computed when ``fit_resample`` runs (the class counts, the
neighbour searches and the sampler's decisions, kept on the cluster);
the rows themselves are produced when the output is written.

Importing smotekit is enough: an installed smotekit names this backend in its
``smotekit.backends`` entry point, which is read the first time a sampler is
given a lazy collection (see :mod:`smotekit._backends`).

Where it runs: on the current ``distributed`` client, else on a local
cluster started once per process (:func:`get_client`).

The contract
------------
- **Same plan, same answer.** The plan comes from one pass over the data and
  equals the in-memory plan. For the same data (in the same row order) and
  ``random_state``, the output holds exactly the rows of the in-memory output,
  synthetic ones bit for bit, whatever the partitioning and whichever worker
  ran what. Row order differs: the kept input rows come partition by
  partition, in input order, then the synthetic rows (the in-memory cleaners
  and under-samplers group kept rows by class).
- **Exact neighbours without an all-pairs shuffle.** The rows a decision
  depends on (the classes being over-sampled; for the cleaners, every class
  but the largest) are gathered and sent to every partition; neighbour
  queries run per partition and merge exactly. The largest class is never
  collected onto one process. The gathered rows must fit the *gather limit*
  (default 2 GiB of feature values; :func:`gather_limit`), else a
  ``ValueError`` names the limit and how to raise it.
- **Categories.** A categorical column whose categories differ between
  partitions (e.g. one Parquet file each) gets their union, in order of first
  appearance, as Dask gives it when it concatenates the partitions: the
  output's dtypes and those of every output partition, synthetic ones
  included, are that union.
- **Pairing X and y.** Taken from one frame, ``X`` and ``y`` are paired
  partition by partition. From different frames, Dask pairs their rows by
  index label; if they do not pair (other row counts, partitions or index
  labels), a ``ValueError`` gives the rows per partition of both.
- **Provenance.** ``sampler.provenance_`` is a lazy Dask DataFrame aligned with
  the output: ``is_synthetic``, ``source``, ``partner`` (global row ids, that is
  positions in the input collection) and ``gap``. Row-selecting samplers also
  get ``sample_indices_`` as a Dask Array.
- **Faults.** Every task is a pure function of its inputs and seed, so a task
  lost with a worker is recomputed to the same result.

Supported samplers: see :func:`supported_samplers`, and any subclass of one of
them that does not override how it decides, or declares ``_partitioned`` (a
sampler's tags say whether it runs here, see
:class:`smotekit.base.PartitionedSupport`). Any other sampler raises a
``TypeError`` listing them. Neighbour counts searched among all rows
(``PartitionedSupport.neighbours``: ADASYN's ``n_neighbors``, Borderline-SMOTE's
``m_neighbors``, ...) must be ints on Dask (an estimator object cannot be
searched partition by partition); within-class ones may be objects. Sparse
partitions are not supported, and a callable ``sampling_strategy`` is refused
(pass the dict it would return).
"""

from .._backends import register
from ._cluster import gather_limit, get_client
from ._driver import backend, fit, fit_resample, supported_samplers

register(backend)

__all__ = ["fit", "fit_resample", "gather_limit", "get_client", "supported_samplers"]
