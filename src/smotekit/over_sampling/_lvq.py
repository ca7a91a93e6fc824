"""LVQ-SMOTE: Nakamura, Kajiwara, Otsuka & Kimura (2013), BioData Mining 6, 16."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import Interval

from .._constraints import refuse_bools
from .._docstring import _FITTED_ATTRIBUTES, Substitution
from .._generation import Piece, Resampled, Values
from .._random import stream
from ..neighbors import kneighbors
from .base import BaseOverSampler

__all__ = ["LVQSMOTE"]

# Passes of the batch LVQ over the data, and the learning rate of the first (decreasing linearly).
_EPOCHS = 10
_RATE = 0.3
# Rows whose distances to the codebook are computed at once.
_CHUNK = 1 << 16
# The smallest codebook with a pair of vectors apart from any other pair.
_MIN_CODEBOOK = 4
# The pair search costs K**4 * n_features operations on K x K**2 blocks: 0.5 s at 100, 20 s at 256.
_MAX_CODEBOOK = 128


def _nearest_prototype(X, W):
    """Position in ``W`` of the prototype nearest to each row of ``X`` (ties: the first)."""
    w2 = np.einsum("ij,ij->i", W, W)
    out = np.empty(X.shape[0], np.int64)
    for start in range(0, X.shape[0], _CHUNK):
        block = X[start:start + _CHUNK]
        out[start:start + _CHUNK] = np.argmin(w2 - 2.0 * (block @ W.T), axis=1)
    return out


def learn_codebook(X, inside: np.ndarray, n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """Batch LVQ1 codebook of the rows ``inside`` against the others; their ``n_in`` vectors.

    ``n_in`` prototypes start at distinct random rows of the class, ``n_out`` at
    distinct random rows of the others. At every pass each row is assigned to
    its nearest prototype, which moves toward the mean of the rows of its own
    side assigned to it and away from those of the other side, by the pass's
    learning rate times the balance of the two (LVQ1's rule, averaged over a pass).
    """
    X = np.asarray(X, dtype=np.float64)
    own, other = np.flatnonzero(inside), np.flatnonzero(~inside)
    W = np.concatenate([X[rng.choice(own, n_in, replace=False)], X[rng.choice(other, n_out, replace=False)]])
    side = np.r_[np.ones(n_in, bool), np.zeros(n_out, bool)]
    n = X.shape[0]
    for epoch in range(_EPOCHS):
        rate = _RATE * (1.0 - epoch / _EPOCHS)
        near = _nearest_prototype(X, W)
        sign = np.where(side[near] == inside, 1.0, -1.0)
        table = sparse.csr_matrix((sign, (near, np.arange(n))), shape=(W.shape[0], n))
        count = np.bincount(near, minlength=W.shape[0])
        balance = table @ X - np.asarray(table.sum(axis=1)) * W
        W += rate * balance / np.maximum(count, 1)[:, None]
    return W[:n_in]


def _matching_pairs(codebook: np.ndarray) -> np.ndarray:
    """For each ordered pair ``(a, b)`` of codebook vectors, the pair ``(i, j)`` of two other
    vectors (``i != j``, neither ``a`` nor ``b``) whose difference ``c_i - c_j`` is nearest to
    ``c_a - c_b`` (ties: the first in row-major order); shape ``(K, K, 2)``.

    Squared distances between differences are expanded (``|u|^2 + |v|^2 - 2 u.v``): one
    product of ``K x K**2`` per ``a``, whatever the number of features.
    """
    K = codebook.shape[0]
    diff = (codebook[:, None, :] - codebook[None, :, :]).reshape(K * K, -1)
    sq = np.einsum("ij,ij->i", diff, diff)
    i, j = np.divmod(np.arange(K * K), K)
    b = np.arange(K)[:, None]
    touches_b = (i[None, :] == b) | (j[None, :] == b)
    out = np.empty((K, K, 2), np.int64)
    for a in range(K):
        block = slice(a * K, (a + 1) * K)
        gaps = sq[block, None] + sq[None, :] - 2.0 * (diff[block] @ diff.T)
        gaps[touches_b | ((i == j) | (i == a) | (j == a))[None, :]] = np.inf
        best = np.argmin(gaps, axis=1)
        out[a, :, 0], out[a, :, 1] = i[best], j[best]
    return out


def replay(codebook: np.ndarray, Xc, near: np.ndarray, n: int, rng: np.random.Generator):
    """``n`` new rows ``c_a + (x_s - c)`` (see :class:`LVQSMOTE`), in float64, and each one's ``a``.

    ``near`` holds, per codebook vector, the positions in ``Xc`` of its nearest rows.
    """
    K = codebook.shape[0]
    match = _matching_pairs(codebook)
    a = rng.integers(0, K, n)
    b = (a + 1 + rng.integers(0, K - 1, n)) % K
    c = match[a, b, rng.integers(0, 2, n)]
    donor = near[c, rng.integers(0, near.shape[1], n)]
    return codebook[a] + (np.asarray(Xc[donor], dtype=np.float64) - codebook[c]), a


@Substitution(**_FITTED_ATTRIBUTES)
class LVQSMOTE(BaseOverSampler):
    """Learning Vector Quantization based SMOTE.

    A codebook of ``codebook_size`` vectors is learned for the class by learning
    vector quantization (LVQ1, the class against the other rows). Each new row
    copies a pattern of the codebook: a pair of codebook vectors ``(a, b)`` is
    drawn, the other pair ``(i, j)`` whose difference is most like ``c_a - c_b``
    is found, one of its two vectors ``c`` is taken at random, and the offset of
    one of the ``n_neighbors`` rows of the class nearest to ``c`` from ``c`` is
    added to ``c_a``: ``x_new = c_a + (x_s - c)``. The rows of the class are
    thus replayed around other codebook vectors, filling more of the feature
    space than interpolation between neighbours does.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to over-sample and to what size (imbalanced-learn's semantics).
    random_state : int, RandomState, Generator or None, default=None
        Seed; resolved once per call, one independent stream per class.
    n_neighbors : int, default=5
        Rows of the class nearest to a codebook vector whose offsets may be copied.
    codebook_size : int, default=10
        Codebook vectors per class (at least 4; smote-variants' ``n_clusters``); a
        class with fewer rows gets one vector per row. The other rows get as many
        prototypes during learning.

    Attributes
    ----------
    {sampling_strategy_}
    {sampling_plan_}
    {provenance_}
    codebook_ : dict
        Per over-sampled class label, its codebook vectors, shape (n_codebook, n_features).
    {n_features_in_}
    {feature_names_in_}

    Notes
    -----
    The paper takes the patterns to copy from the codebooks of many other
    (reference) data sets; smote-variants, whose generation rule is followed
    here, finds them within the data set's own codebook. smote-variants
    computes the codebook by k-means on the class alone; here it is learned by
    LVQ as in the paper: a batch LVQ1 of 10 passes (learning rate 0.3, falling
    linearly), the class's prototypes starting at random rows of the class and
    as many prototypes of the other rows at random rows of theirs, the
    class's prototypes being kept. smote-variants also admits a "pair" made
    of one vector twice (difference zero); here the two vectors of a pair
    differ, so the codebook needs at least 4 vectors.

    Provenance. A new row lies near codebook vector ``c_a``, not between
    input rows: ``provenance_.source`` is the row of the class nearest to
    ``c_a``, ``partner`` -1 and ``gap`` NaN. It can lie outside the class's
    bounding box.

    Multiclass. Every class with rows to add is over-sampled as the minority
    against all rows of the other classes (one vs rest), each from its own stream.

    References
    ----------
    .. [1] Nakamura, M., Kajiwara, Y., Otsuka, A. & Kimura, H. (2013). LVQ-SMOTE: learning vector
       quantization based synthetic minority over-sampling technique for biomedical data.
       BioData Mining, 6, 16.
    """

    _accept_sparse = False
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "codebook_size": [Interval(Integral, _MIN_CODEBOOK, _MAX_CODEBOOK, closed="both")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, codebook_size=10):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.codebook_size = codebook_size

    def _check_params(self, n_features):
        refuse_bools(self, "n_neighbors", "codebook_size")

    def _fit_resample(self, X, codes, plan, seed):
        # Learned and replayed on X times a power of two (exact) bringing its largest magnitude
        # near 1: nothing overflows, and X and X * 2**k give the same rows up to that factor.
        top = float(np.abs(X).max()) if X.size else 0.0
        scale = 2.0 ** -np.frexp(top)[1] if np.isfinite(top) and top > 0 else 1.0
        Xs = np.multiply(X, scale, dtype=np.float64)
        limit = np.finfo(X.dtype).max
        self.codebook_ = {}
        pieces = []
        for code, cls in enumerate(plan.classes):
            if cls.n_add == 0:
                continue
            rows = self._class_rows(codes, code)
            need = max(_MIN_CODEBOOK, self.n_neighbors)
            if rows.size < need:
                raise ValueError(
                    f"Class {cls.label!r} has {rows.size} sample(s), but LVQSMOTE needs at least {need} "
                    f"(a codebook of at least {_MIN_CODEBOOK} vectors and n_neighbors={self.n_neighbors} rows "
                    "near each). Lower n_neighbors, or drop or merge this class, or over-sample it with "
                    "RandomOverSampler."
                )
            rng = stream(seed, code)
            n_rest = X.shape[0] - rows.size
            codebook = learn_codebook(Xs, codes == code, min(self.codebook_size, rows.size),
                                      min(self.codebook_size, n_rest), rng)
            Xc = Xs[rows]
            near = kneighbors(Xc, self.n_neighbors, query=codebook)
            new, a = replay(codebook, Xc, near, cls.n_add, rng)
            with np.errstate(over="ignore"):
                new = np.clip(new / scale, -limit, limit).astype(X.dtype, copy=False)
                self.codebook_[cls.label] = codebook / scale
            pieces.append(Piece.grown(rows[near[a, 0]], Values(new)))
        return Resampled.from_pieces(range(X.shape[0]), pieces)
