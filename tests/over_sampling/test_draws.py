"""The pair draws of the SMOTE family: keyed by block, so that any range of the new
rows is drawn alone and equals the same rows of the whole draw."""

import numpy as np
import pytest

from smotekit._generation import DRAW_BLOCK_ROWS, draw_pairs
from smotekit._random import resolve_seed
from smotekit.over_sampling import SMOTE, KMeansSMOTE


def _table(n_rows=50, k=4):
    """A neighbour table: row i's neighbours are the next k rows, cyclically."""
    return (np.arange(n_rows)[:, None] + np.arange(1, k + 1)) % n_rows


@pytest.mark.parametrize("n", [0, 1, DRAW_BLOCK_ROWS, 2 * DRAW_BLOCK_ROWS + 17])
def test_any_range_equals_the_same_rows_of_the_whole_draw(n):
    nn, seed = _table(), resolve_seed(3)
    whole = draw_pairs(nn, n, seed, (1,))
    cuts = sorted({0, n, *np.random.default_rng(n).integers(0, n + 1, size=6).tolist(),
                   *range(0, n + 1, DRAW_BLOCK_ROWS)})
    for start, stop in zip(cuts[:-1], cuts[1:]):
        part = draw_pairs(nn, n, seed, (1,), start, stop)
        for a, b in zip(part, whole):
            np.testing.assert_array_equal(a, b[start:stop], strict=True)


def test_draws_are_uniform_pairs_of_the_table():
    nn, seed = _table(), resolve_seed(0)
    seeds, partners, gaps = draw_pairs(nn, 2 * DRAW_BLOCK_ROWS + 5, seed, (0,))
    # Every drawn partner is a neighbour of its seed; every (row, column) pair of the table
    # is drawn about equally often.
    columns = np.argmax(nn[seeds] == partners[:, None], axis=1)
    assert (nn[seeds, columns] == partners).all() and ((gaps >= 0) & (gaps < 1)).all()
    counts = np.bincount(seeds * nn.shape[1] + columns, minlength=nn.size)
    assert counts.min() > 0.8 * seeds.size / nn.size


def test_keys_and_blocks_draw_apart():
    nn, seed = _table(), resolve_seed(0)
    n = 2 * DRAW_BLOCK_ROWS
    first = draw_pairs(nn, n, seed, (0,))[2]
    assert not np.array_equal(first[:DRAW_BLOCK_ROWS], first[DRAW_BLOCK_ROWS:])
    assert not np.array_equal(first, draw_pairs(nn, n, seed, (1,))[2])
    assert not np.array_equal(first, draw_pairs(nn, n, seed, (0, 1))[2])


def test_a_range_outside_the_draw_is_refused():
    with pytest.raises(ValueError, match="not a range of a draw of 10 rows"):
        draw_pairs(_table(), 10, resolve_seed(0), (0,), 5, 11)


def test_multi_block_smote_is_kmeans_smote_with_one_cluster():
    # The block-keyed draws of a class several blocks long: KMeansSMOTE with one
    # cluster draws from SMOTE's keys, so both give the same rows.
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], [DRAW_BLOCK_ROWS + 3_000, 400])
    X = rng.normal(size=(y.size, 3)) + y[:, None]
    X_s, y_s = SMOTE(random_state=5).fit_resample(X, y)
    X_k, y_k = KMeansSMOTE(kmeans_estimator=1, k_neighbors=5, random_state=5).fit_resample(X, y)
    assert (y_s == 1).sum() - 400 > DRAW_BLOCK_ROWS
    np.testing.assert_array_equal(X_s, X_k)
    np.testing.assert_array_equal(y_s, y_k)
