"""The segment bound (``smotekit.neighbors._segments``) and the ENN screen built on it.

``OnSegments.lower_bound`` must never exceed a query's distance to any row on
the segments (the rows stored in float64 or float32), must equal the distance
to the nearest segment when that is below ``tau``, and must report at least
``tau`` otherwise (both up to the float32 rounding of its products). SMOTEENN with the screen keeps the
very rows it keeps without it.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

import smotekit.combine as combine
from smotekit.combine import _base as combine_base
from smotekit.neighbors import _cells as _cells_module
from smotekit.neighbors import _segments
from smotekit.neighbors._segments import OnSegments
from smotekit.over_sampling import SMOTE, RandomOverSampler
from smotekit.under_sampling import EditedNearestNeighbours, _rules


def _segment_distance(q, a, b):
    """Distance from q to the segment [a, b], from the projection (float64)."""
    v = b - a
    L2 = v @ v
    g = 0.0 if L2 == 0 else min(1.0, max(0.0, (q - a) @ v / L2))
    p = a + g * v
    return float(np.sqrt((q - p) @ (q - p)))


def _points(P, first, second, gaps, dtype):
    """Rows on their segments, stored in ``dtype`` as the over-samplers store them."""
    Pd = P.astype(dtype)
    g = gaps.astype(dtype)[:, None]
    return Pd[first] + g * (Pd[second] - Pd[first])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", range(6))
def test_lower_bound_is_a_bound_and_exact_below_tau(seed, dtype):
    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, 12))
    P = rng.normal(size=(40, d)) * rng.choice([1.0, 1e3])
    if seed % 2:
        P += 1e4  # far from the origin: the rounding bounds must hold off-centre
    P[5] = P[6]  # a zero-length segment between duplicated points
    m = 300
    first = rng.integers(0, P.shape[0], m)
    second = np.where(rng.random(m) < 0.2, first, rng.integers(0, P.shape[0], m))
    second[:3] = 6
    first[:3] = 5
    gaps = rng.random(m)
    gaps[3:10] = 0.0
    gaps[10:17] = 1.0
    X = _points(P, first, second, gaps, dtype)
    Q = np.concatenate([rng.normal(size=(50, d)) * P.std() + P.mean(axis=0), P[:10], X[:10].astype(np.float64)])
    rows = np.arange(m)
    seg = np.array([[_segment_distance(q, P[a], P[b]) for a, b in zip(first, second)] for q in Q]).min(axis=1)
    true = np.sqrt(((Q[:, None, :] - X[None].astype(np.float64)) ** 2).sum(-1)).min(axis=1)
    tau = np.quantile(seg, rng.random()) * np.ones(Q.shape[0])
    for threads in (1, 2):
        lb = OnSegments(P, first, second, np.finfo(dtype).eps).lower_bound(Q, rows, tau, threads)
        assert (lb <= true).all()
        below = seg < tau * (1 - 1e-6)
        # Exact up to the float32 rounding of the products (squared distances
        # within ~1e-5 of the squared spread) and the storage margin (the
        # stored rows are off their segments by their rounding).
        slack = 1e-5 * (np.abs(P - P.mean(axis=0)).max() * d) ** 2
        margin = 8 * np.finfo(dtype).eps * np.sqrt((P ** 2).sum(1)).max()
        near = np.minimum(seg, tau)
        assert (lb >= np.sqrt(np.maximum(near ** 2 - slack, 0)) - margin).all()
        assert (lb[below] <= seg[below]).all()


def test_lower_bound_of_a_subset_of_rows_ignores_the_others():
    P = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    first, second = np.array([0, 0]), np.array([1, 2])
    lines = OnSegments(P, first, second, np.finfo(float).eps)
    q = np.array([[5.0, 1.0]])
    assert lines.lower_bound(q, np.array([0]), np.array([100.0]))[0] == pytest.approx(1.0, rel=1e-3)
    assert lines.lower_bound(q, np.array([1]), np.array([100.0]))[0] == pytest.approx(5.0, rel=1e-3)
    assert lines.endpoint_count(np.array([0, 1])) == 3


@pytest.mark.parametrize("knob, threads", [("_BLOCK", 2), ("_PAIRS", 1)])
def test_blocks_chunks_and_threads_agree(monkeypatch, knob, threads):
    # Query blocks, chunks of (query, segment) pairs and threads: the same bounds.
    rng = np.random.default_rng(0)
    P = rng.normal(size=(50, 6))
    first, second = rng.integers(0, 50, 800), rng.integers(0, 50, 800)
    Q = rng.normal(size=(333, 6))
    tau = np.full(333, 3.0)
    lines = OnSegments(P, first, second, np.finfo(float).eps)
    whole = lines.lower_bound(Q, np.arange(800), tau, 1)
    monkeypatch.setattr(_segments, knob, 7)
    np.testing.assert_array_equal(lines.lower_bound(Q, np.arange(800), tau, threads), whole)
    # No rows: nothing to be near.
    assert np.isinf(lines.lower_bound(Q, np.array([], dtype=int), tau)).all()


def _data(n=30_000, d=12, seed=0, classes=2):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[: n // 40] = 1
    if classes == 3:
        y[n // 40: n // 40 + n // 60] = 2
    X = rng.normal(size=(n, d)) + y[:, None] * 0.8
    return X, y


@pytest.fixture
def screens(monkeypatch):
    """The ENN screen is taken on test-sized data; returns its calls."""
    calls = []
    real = _rules._screen_by_segments

    def spy(*args):
        calls.append(args[3].size)
        return real(*args)

    monkeypatch.setattr(_rules, "_screen_by_segments", spy)
    return calls


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("classes", [2, 3])
def test_smoteenn_keeps_the_same_rows_with_the_segment_screen(screens, monkeypatch, dtype, classes):
    X, y = _data(classes=classes)
    X = X.astype(dtype)
    Xa, ya = combine.SMOTEENN(random_state=1).fit_resample(X, y)
    assert screens, "the segment screen was not used"
    monkeypatch.setattr(combine_base, "_lines", lambda *a: None)
    Xb, yb = combine.SMOTEENN(random_state=1).fit_resample(X, y)
    np.testing.assert_array_equal(ya, yb)
    np.testing.assert_array_equal(Xa, Xb)


def test_no_lines_for_rows_off_segments(screens):
    X, y = _data()
    combine.SMOTEENN(smote=RandomOverSampler(shrinkage=0.5, random_state=0), random_state=0).fit_resample(X, y)
    assert screens == []


def _over(sampler, X, y):
    """The over-sampler's added rows as the combine sees them."""
    sampler.fit_resample(X, y)
    prov, n = sampler.provenance_, len(y)

    class Over:
        added_source = prov.source[n:]
        added_partner = prov.partner[n:]
        added_gap = prov.gap[n:]

    return Over


def test_lines_only_for_dense_interpolations():
    X, y = _data(n=2_000)
    over = _over(SMOTE(random_state=0), X, y)
    assert combine_base._lines(sparse.csr_matrix(X), over, len(y)) is None
    over.added_gap = over.added_gap.copy()
    over.added_gap[0] = -0.5  # an extrapolation lies on no segment between the rows
    assert combine_base._lines(X, over, len(y)) is None


def test_lines_describe_the_over_sampled_rows():
    X, y = _data(n=2_000)
    sm = SMOTE(random_state=0)
    Xr, _ = sm.fit_resample(X, y)
    lines = combine_base._lines(X, _over(SMOTE(random_state=0), X, y), len(y))
    # Each output row lies on the segment given for it: its distance bound to
    # that row alone is ~0 (within the float32 rounding of the products), and
    # ~its distance to the segment's ends for another row.
    for i in range(len(y) - 5, Xr.shape[0], 997):
        q = Xr[i:i + 1]
        assert lines.lower_bound(q, np.array([i]), np.array([10.0]))[0] < 1e-3
        j = (i + 1) % Xr.shape[0]
        assert lines.lower_bound(q, np.array([j]), np.array([10.0]))[0] <= np.linalg.norm(Xr[j] - q[0]) + 1e-12


@pytest.mark.parametrize("scale", [1e19, 1e30])
def test_no_bound_beyond_float32s_reach(scale):
    # Squared norms would overflow float32: no bound (0) rather than a wrong one.
    rng = np.random.default_rng(2)
    P = rng.normal(size=(40, 5)) * scale
    first, second = rng.integers(0, 40, 200), rng.integers(0, 40, 200)
    Q = rng.normal(size=(30, 5)) * scale
    lb = OnSegments(P, first, second, np.finfo(float).eps).lower_bound(Q, np.arange(200), np.full(30, np.inf))
    assert (lb == 0).all()
    assert (_cells_module.nearest_distance_lower_bound(P, Q) == 0).all()
    assert _cells_module.maybe_cells(np.tile(P, (600, 1))) is None


def test_enn_subclasses_without_lines_still_run_in_smoteenn():
    X, y = _data(n=3_000)
    expected = combine.SMOTEENN(random_state=0).fit_resample(X, y)[1]

    class OldKernel(EditedNearestNeighbours):
        def _fit_resample(self, X, codes, plan, seed):
            return super()._fit_resample(X, codes, plan, seed)

    class OldRule(EditedNearestNeighbours):
        def _keep_mask(self, X, codes, targeted):
            return super()._keep_mask(X, codes, targeted)

    for cls in (OldKernel, OldRule):
        got = combine.SMOTEENN(enn=cls(sampling_strategy="all"), random_state=0).fit_resample(X, y)[1]
        np.testing.assert_array_equal(got, expected)
