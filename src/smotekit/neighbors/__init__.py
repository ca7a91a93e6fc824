"""Every nearest-neighbour search of smotekit, exact and ordered by (distance, index).

The public entry points are :func:`kneighbors` (exact search among the rows of
a matrix) and :func:`kneighbors_from_estimator` (the same contract for a
user's neighbours object: anything with ``fit``/``kneighbors``, a GPU library
included). Samplers use nothing else to find neighbours; the engines live
here, one module each:

``_resolve.py``   :func:`~._resolve.resolve_neighbors`: a sampler's "int or
                  neighbours object" parameter, read once into ``k`` and the
                  object to search with (whether its ``n_neighbors`` counts
                  the row itself is decided there).
``_search.py``    :func:`kneighbors` and its backends (kd-tree, faiss, brute
                  force), certified against rounding bounds;
                  ``drop_self``, the only place a row is kept from being its
                  own neighbour; ``exact_sq_dist``, the float64 distances
                  every engine ranks by; ``overflow_scale``.
``_blocked.py``   the blocked float32 screen (bounds from a sample, half of
                  the distance matrix, certified exact ranking) answering
                  every row among the others; its pieces are shared with:
``_screen.py``    the same screen for few query rows against many rows
                  (both chosen by ``kneighbors(method='auto')``).
``_cells.py``     Voronoi cells (:class:`~._cells.CellIndex`) and ball cells
                  for the cleaning samplers' local searches and screens.
``_segments.py``  distance bounds to rows lying on segments between a few
                  points (SMOTE's rows, for SMOTEENN's cleaning screen).
``_farthest.py``  the sum of distances to the ``k`` farthest rows (NearMiss-2).
``_merge.py``     per-partition answers merged into the global k nearest,
                  ties by global row id (the Dask backend's search).
``_approx.py``    :class:`ApproximateNeighbors` (faiss HNSW/IVF), an explicit
                  user choice.
``_threads.py``   the ``n_jobs`` convention, the one faiss thread policy and
                  single-threaded BLAS for products run from several threads.
``_sizes.py``     the refusal of an object asking more neighbours than rows.
"""

from ._approx import ApproximateNeighbors
from ._search import METHODS, available_methods, kneighbors, kneighbors_from_estimator

__all__ = ["ApproximateNeighbors", "METHODS", "available_methods", "kneighbors",
           "kneighbors_from_estimator"]
