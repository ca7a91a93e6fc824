"""The regression template: targets per bin (smogn's counts), reading y, the kernel hook."""

import logging
import sys

import numpy as np
import pandas as pd
import polars as pl
import pytest
from smogn_reference import NumpyShim, patch_box_plot_stats

from smotekit._generation import Piece, Segments
from smotekit._random import resolve_seed, stream
from smotekit.regression import Relevance, relevance_bins
from smotekit.regression.base import BaseRegressionSampler, rows_for_factor, seed_rows, smogn_targets
from smotekit.utils._containers import read_X


class _Both(BaseRegressionSampler):
    """Copies in both directions: the default ('smogn') targets, nothing else."""

    _over = True
    _under = True
    _reads_values = False

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        return Piece(seed_rows(rows, n_add, rng)), None


class _Mid(BaseRegressionSampler):
    """Rows on segments between two rows of the bin, y interpolated at the same gap."""

    _over = True
    _under = True

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        seeds = seed_rows(rows, n_add, rng)
        partners = rng.choice(rows, n_add)
        gaps = rng.random(n_add)
        return Piece(seeds, Segments(X, seeds, partners, gaps), partners, gaps), y[seeds] + gaps * (
            y[partners] - y[seeds])


class _Wild(_Mid):
    """New targets far beyond their parents, to see them clipped."""

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        piece, y_new = super()._add_rows(X, y, rows, n_add, rng, nominal)
        return piece, y_new + np.where(np.arange(n_add) % 2, 1e6, -1e6)


class _Grown(_Mid):
    """Rows without a partner (Piece.grown): only the dtype bounds their targets."""

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        seeds = seed_rows(rows, n_add, rng)
        return Piece.grown(seeds, X[seeds] + 0.5), np.full(n_add, 1e6)


class _Recorder(_Both):
    """Records what the hook receives."""

    def _add_rows(self, X, y, rows, n_add, rng, nominal):
        self.calls_ = [*getattr(self, "calls_", []), (X, y.copy(), rows.copy(), n_add, rng.random(), nominal)]
        return super()._add_rows(X, y, rows, n_add, rng, nominal)


def _data(n_normal=60, seed=1):
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.normal(0, 1, n_normal), [6, 6.5, 7, 7.2, 8, 9], [-6, -6.5, -7, -8, -9]])
    return rng.normal(size=(y.size, 3)), y


# ---- counts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("factor, n, rows", [
    (2.5, 10, 25), (1.3, 7, 9), (3.0, 4, 12), (1.05, 10, 10), (0.5, 9, 4), (0.99, 100, 99), (1, 8, 8),
    (1.0000001, 5, 5),
])
def test_rows_for_factor(factor, n, rows):
    assert rows_for_factor(factor, n) == rows


def test_smogn_targets_by_hand():
    # n = 70, 3 bins: B = round(70 / 3) = 23
    np.testing.assert_array_equal(smogn_targets("balance", np.array([14, 48, 8])), [23, 23, 23])
    # scale = 3 * 23 / (529/14 + 529/48 + 529/8); obj_i = round(529/n_i * scale, 2); f = round(obj_i / n_i, 1)
    np.testing.assert_array_equal(smogn_targets("extreme", np.array([14, 48, 8])), [22, 4, 40])



def _smogn_counts(monkeypatch, X, y, kind):
    """Rows per bump that smogn.smoter intends, keyed by one input row of the bump.

    Its kernels are replaced by recorders (its ``over_sampling`` fails under numpy 2), and the
    rows of each bump come from smogn's own count of synthetic rows for the factor it passes.
    Its under-sampling draws ``int(f * n)`` rows (then keeps all the other rows of the data
    instead of those: a bug, not what is tested)."""
    smogn = patch_box_plot_stats(monkeypatch)
    module = sys.modules["smogn.smoter"]
    counts = {}

    def over(data, index, perc, pert, k):
        n, whole = len(index), int(perc - 1)
        counts[min(index)] = n + whole * n + int(n * (perc - 1 - whole))
        return data.iloc[index]

    class _Random:
        @staticmethod
        def choice(a, size, replace):
            counts[min(a)] = size
            return np.asarray(a)[:size]

    class _Np(NumpyShim):
        random = _Random

    monkeypatch.setattr(module, "over_sampling", over)
    monkeypatch.setattr(module, "np", _Np())
    data = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])]).assign(t=y)
    smogn.smoter(data, "t", samp_method=kind)
    return counts


@pytest.mark.parametrize("kind", ["balance", "extreme"])
@pytest.mark.parametrize("n_normal, seed", [(60, 1), (81, 2), (33, 3)])
def test_counts_per_bin_equal_smogn(monkeypatch, kind, n_normal, seed):
    X, y = _data(n_normal, seed)
    reference = _smogn_counts(monkeypatch, X, y, kind)
    sampler = _Both(sampling_strategy=kind, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    bins = sampler.bins_
    ours = {bins.bin_of_row[row]: want for row, want in reference.items()}
    # smogn leaves bins of factor 1 out of both calls
    expected = [ours.get(b, bins.n_rows[b]) for b in range(bins.n_bins)]
    assert list(sampler.sampling_strategy_.values()) == expected
    np.testing.assert_array_equal(bins.n_target, expected)
    np.testing.assert_array_equal(np.bincount(bins.bin_of_row[sampler.provenance_.source]), expected)
    assert len(y_res) == sum(expected)


def test_bins_equal_smogns_bumps(monkeypatch):
    # the rows smogn passes per bump are exactly the rows of our bins
    smogn = patch_box_plot_stats(monkeypatch)
    X, y = _data(81, 2)
    module = sys.modules["smogn.smoter"]
    seen = []
    monkeypatch.setattr(module, "over_sampling", lambda data, index, perc, pert, k: seen.append(sorted(index))
                        or data.iloc[index])
    smogn.smoter(pd.DataFrame(X).assign(t=y), "t", under_samp=False)
    bins = relevance_bins(y)
    assert sorted(seen) == sorted(bins.rows(b).tolist() for b in np.flatnonzero(bins.rare))


# ---- the template -------------------------------------------------------------------------------------


def test_output_layout_and_provenance():
    X, y = _data()
    sampler = _Mid(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    kept = prov.source[: prov.n_kept]
    assert (np.diff(kept) > 0).all()  # input order
    np.testing.assert_array_equal(X_res[: prov.n_kept], X[kept])  # bit for bit
    np.testing.assert_array_equal(y_res[: prov.n_kept], y[kept])
    src, partner, gap = prov.source[prov.n_kept:], prov.partner[prov.n_kept:], prov.gap[prov.n_kept:]
    np.testing.assert_allclose(X_res[prov.n_kept:], X[src] + gap[:, None] * (X[partner] - X[src]))
    np.testing.assert_allclose(y_res[prov.n_kept:], y[src] + gap * (y[partner] - y[src]))
    bins = sampler.bins_
    assert (bins.bin_of_row[src] == bins.bin_of_row[partner]).all()
    # added rows bin by bin, by increasing bin
    assert (np.diff(bins.bin_of_row[src]) >= 0).all()
    np.testing.assert_array_equal(np.bincount(bins.bin_of_row[prov.source]), bins.n_target)


def test_streams_per_bin_and_direction():
    X, y = _data()
    sampler = _Recorder(random_state=7)
    sampler.fit_resample(X, y)
    seed = resolve_seed(7)
    grown = np.flatnonzero(sampler.bins_.n_target > sampler.bins_.n_rows)
    assert len(sampler.calls_) == grown.size
    for b, (X_seen, y_seen, rows, n_add, draw, nominal) in zip(grown, sampler.calls_):
        assert X_seen is None  # a sampler that does not read values gets no matrix
        np.testing.assert_array_equal(y_seen, y)
        np.testing.assert_array_equal(rows, sampler.bins_.rows(b))
        assert n_add == sampler.bins_.n_target[b] - sampler.bins_.n_rows[b]
        assert draw == stream(seed, b, 1).random()
        assert nominal.size == 0
    shrunk = np.flatnonzero(sampler.bins_.n_target < sampler.bins_.n_rows)
    for b in shrunk:
        rows = sampler.bins_.rows(b)
        expected = np.sort(stream(seed, b, 0).choice(rows, size=sampler.bins_.n_target[b], replace=False))
        kept = sampler.provenance_.source[: sampler.provenance_.n_kept]
        np.testing.assert_array_equal(kept[np.isin(kept, rows)], expected)


def test_read_X_hook_is_used():
    seen = []

    class _Hooked(_Mid):
        def _read_X(self, X):
            seen.append(True)
            return read_X(np.asarray(X, dtype=float))

    X, y = _data()
    _Hooked(random_state=0).fit_resample(X.tolist(), y)
    assert seen == [True]


# ---- y in, y out ---------------------------------------------------------------------------------------


def test_pandas_series_name_fresh_index_and_dtype():
    X, y = _data()
    ys = pd.Series(y.astype(np.float32), name="price", index=np.arange(100, 100 + y.size))
    Xd = pd.DataFrame(X, columns=["a", "b", "c"], index=ys.index)
    X_res, y_res = _Mid(random_state=0).fit_resample(Xd, ys)
    assert isinstance(y_res, pd.Series) and y_res.name == "price" and y_res.dtype == np.float32
    assert y_res.index.equals(pd.RangeIndex(len(y_res))) and X_res.index.equals(y_res.index)
    assert list(X_res.columns) == ["a", "b", "c"]


def test_polars_and_lists_and_frames():
    X, y = _data()
    X_res, y_res = _Mid(random_state=0).fit_resample(pl.DataFrame(X, schema=["a", "b", "c"]),
                                                       pl.Series("t", y))
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series) and y_res.name == "t"
    assert y_res.dtype == pl.Float64 and X_res.columns == ["a", "b", "c"]
    _, y_list = _Mid(random_state=0).fit_resample(X, y.tolist())
    assert isinstance(y_list, list) and y_list == _Mid(random_state=0).fit_resample(X, y)[1].tolist()
    _, y_frame = _Mid(random_state=0).fit_resample(X, pd.DataFrame({"t": y}))
    assert isinstance(y_frame, pd.DataFrame) and list(y_frame.columns) == ["t"]
    _, y_col = _Mid(random_state=0).fit_resample(X, y[:, None])
    assert y_col.ndim == 2 and y_col.shape[1] == 1
    np.testing.assert_array_equal(y_col[:, 0], _Mid(random_state=0).fit_resample(X, y)[1])


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16])
def test_integer_targets_rounded_within_parents(dtype):
    X, y = _data()
    yi = np.round(y * 10 + 100).astype(dtype)
    sampler = _Wild(random_state=0)
    _, y_res = sampler.fit_resample(X, yi)
    assert y_res.dtype == dtype
    prov = sampler.provenance_
    new = y_res[prov.n_kept:].astype(float)
    src, partner = prov.source[prov.n_kept:], prov.partner[prov.n_kept:]
    lo, hi = np.minimum(yi[src], yi[partner]), np.maximum(yi[src], yi[partner])
    assert ((new >= lo) & (new <= hi)).all()
    assert ((new == lo) | (new == hi)).all()  # pushed past one parent: clipped to it
    # rounding half to even, between parents
    _, y_mid = _Mid(random_state=0).fit_resample(X, yi)
    exact = _Mid(random_state=0).fit_resample(X, yi.astype(float))[1]
    np.testing.assert_array_equal(y_mid[prov.n_kept:], np.rint(exact[prov.n_kept:]).astype(dtype))


def test_integer_targets_without_partner_clip_to_dtype():
    X, y = _data()
    yi = np.round(y * 10).astype(np.int8)
    sampler = _Grown(random_state=0)
    _, y_res = sampler.fit_resample(X, yi)
    assert y_res.dtype == np.int8 and (y_res[sampler.provenance_.n_kept:] == 127).all()
    ys = pd.Series(yi.astype(np.int64), dtype="Int64", name="n")
    _, y_res = _Grown(random_state=0).fit_resample(X, ys)
    assert str(y_res.dtype) == "Int64" and y_res.iloc[-1] == 1_000_000


@pytest.mark.parametrize("y, match, error", [
    (np.ones((71, 2)), "smotekit.multilabel", ValueError),
    (pd.DataFrame(np.ones((71, 2))), "smotekit.multilabel", ValueError),
    (np.r_[True, np.zeros(70, bool)], "booleans", TypeError),
    (np.array(["a"] * 71), "must hold numbers", TypeError),
    (pd.Series(["a"] * 71, dtype="category"), "categories", TypeError),
    (np.r_[np.nan, np.arange(70.0)], "NaN", ValueError),
    (np.r_[np.inf, np.arange(70.0)], "infinity", ValueError),
    (pd.Series(np.r_[np.nan, np.arange(70.0)]), "missing", ValueError),
    (pl.Series(np.r_[np.arange(70.0), None]), "null", ValueError),
    (pl.Series(["a"] * 71), "must hold numbers", TypeError),
    (np.arange(10.0), "X has 71, y has 10", ValueError),
    (np.full(71, 3.0), "single distinct value", ValueError),
    (None, "requires y", ValueError),
    ("one row", "has 1 row", ValueError),
])
def test_bad_targets(y, match, error):
    X, _ = _data()
    if isinstance(y, str):  # one row: the count is refused before the values are looked at
        X, y = X[:1], np.array([3.0])
    with pytest.raises(error, match=match):
        _Both().fit_resample(X, y)


def test_no_rare_or_all_rare():
    X = np.zeros((50, 1))
    y = np.random.default_rng(0).uniform(0, 1, 50)  # no outlier: nothing rare
    with pytest.raises(ValueError, match="No target value is rare.*Lower the threshold.*coef"):
        _Both().fit_resample(X, y)
    all_rare = Relevance(control_points=[[0, 1], [1, 1]])
    with pytest.raises(ValueError, match="Every target value is rare"):
        _Both(relevance=all_rare).fit_resample(X, y)
    # user points make the same y usable
    sampler = _Both(relevance=Relevance(control_points=[[0.5, 0], [1, 1]]), random_state=0)
    assert sampler.fit(X, y).bins_.n_bins == 2


# ---- sampling_strategy ----------------------------------------------------------------------------------


def test_factors_and_dicts():
    X, y = _data()
    sizes = relevance_bins(y).n_rows  # low rare, normal, high rare
    s = _Both(sampling_strategy=[2.0, 0.5, 1.5], random_state=0).fit(X, y)
    assert s.sampling_strategy_ == {0: rows_for_factor(2.0, sizes[0]), 1: sizes[1] // 2,
                                    2: rows_for_factor(1.5, sizes[2])}
    s = _Both(sampling_strategy={1: 10, 2: 30}, random_state=0).fit(X, y)
    assert s.sampling_strategy_ == {0: sizes[0], 1: 10, 2: 30}
    assert len(s.fit_resample(X, y)[1]) == sizes[0] + 40


@pytest.mark.parametrize("strategy, match", [
    ([2.0, 0.5], r"has 2 factor\(s\), but y has 3 relevance bins"),
    (2.0, r"has 1 factor\(s\), but y has 3 relevance bins"),
    ([2.0, -1, 1], "positive numbers"),
    ([2.0, True, 1], "positive numbers"),
    ({5: 10}, "names bin 5, but y has 3 relevance bins"),
    ({0: 2.5}, r"sampling_strategy\[0\] must be a number of rows"),
    ({0: -1}, r"sampling_strategy\[0\] must be a number of rows"),
    ("auto", "sampling_strategy"),
    (0, "sampling_strategy"),
])
def test_bad_strategies(strategy, match):
    X, y = _data()
    with pytest.raises((ValueError, TypeError), match=match):
        _Both(sampling_strategy=strategy).fit(X, y)


def test_params_checked_once_per_fit():
    X, y = _data()
    with pytest.raises(ValueError, match="threshold"):
        _Both(threshold=1.5).fit(X, y)
    with pytest.raises((ValueError, TypeError), match="random_state"):
        _Both(random_state="x").fit(X, y)
    with pytest.raises((ValueError, TypeError), match="relevance"):
        _Both(relevance="auto").fit(X, y)
    for name in ("threshold", "sampling_strategy"):
        with pytest.raises(ValueError, match=f"'{name}' parameter of _Both must be a number, not a bool"):
            _Both(**{name: True}).fit(X, y)


def test_attributes_and_logging(caplog):
    X, y = _data()
    sampler = _Mid(random_state=0)
    with caplog.at_level(logging.DEBUG, logger="smotekit.regression.base"):
        sampler.fit_resample(pd.DataFrame(X, columns=["a", "b", "c"]), y)
    records = [r for r in caplog.records if hasattr(r, "smotekit")]
    assert [r.smotekit["event"] for r in records] == ["start", "end"]
    assert records[0].smotekit["kind"] == "regression" and records[0].smotekit["rows"] == y.size
    assert any("bin 0 (rare)" in r.getMessage() for r in caplog.records)
    assert sampler.n_features_in_ == 3 and list(sampler.feature_names_in_) == ["a", "b", "c"]
    assert isinstance(sampler.relevance_, Relevance) and sampler.relevance is None
    sampler.fit(X, y)
    assert not hasattr(sampler, "feature_names_in_")
    tags = sampler.__sklearn_tags__()
    assert tags.estimator_type == "sampler" and tags.target_tags.required


def test_kernel_contract_errors():
    class _Short(_Mid):
        def _add_rows(self, X, y, rows, n_add, rng, nominal):
            piece, y_new = super()._add_rows(X, y, rows, n_add, rng, nominal)
            return Piece(piece.source[:-1]), y_new

    class _NoKernel(BaseRegressionSampler):
        _over = True

    X, y = _data()
    with pytest.raises(RuntimeError, match="must return"):
        _Short(random_state=0).fit_resample(X, y)
    with pytest.raises(NotImplementedError, match="_add_rows"):
        _NoKernel(random_state=0).fit_resample(X, y)


def test_seed_rows_spread():
    rng = np.random.default_rng(0)
    rows = np.array([3, 8, 9, 20])
    seeds = seed_rows(rows, 11, rng)
    counts = np.bincount(seeds, minlength=21)[rows]
    assert sorted(counts) == [2, 3, 3, 3] and seeds.size == 11
    np.testing.assert_array_equal(seeds[:8], np.repeat(rows, 2))
    assert seed_rows(rows, 3, rng).size == 3 and np.unique(seed_rows(rows, 3, rng)).size == 3
