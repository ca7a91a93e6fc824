"""``resample`` and ``inspect`` for a numeric target (``--target-kind regression``).

A numeric target has no classes: its rare values are told apart by a
relevance function (``smotekit.regression.Relevance``), and the sorted target
splits into bins of rare and of normal values, which the regression samplers
resample. Both commands show the relevance's control points and the bins;
``resample`` shows each bin's rows before and after.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..report import figure_axes, format_table
from ._checks import Finding, check_data, enforce
from ._common import UserError, note
from ._samplers import build_sampler, parameters_of, parse_params
from ._targets import family_direction, feature_problems, resolve_family_method, target_gaps

__all__ = ["inspect_regression", "parse_regression_strategy", "resample_regression"]

#: Parameters of the relevance function, given with --param beside the sampler's own.
RELEVANCE_PARAMS = ("extremes", "coef", "control_points")
_RELEVANCE_HINT = ("On the command line: --param control_points=[[y1,r1],[y2,r2],...] (target value, relevance in "
                   "[0, 1]), --param coef=C (box-plot whisker coefficient, default 1.5), --param "
                   "extremes=both|high|low, --param threshold=T.")
_BINS_HINT = "`smotekit inspect FILE --target COL --target-kind regression` lists the bins"


def _num(value) -> str:
    """A target value for people: six significant digits, whole numbers from a million up (no exponent)."""
    value = float(value)
    return f"{value:.0f}" if 1e6 <= abs(value) < 1e15 else f"{value:.6g}"


def parse_regression_strategy(text):
    """A regression ``sampling_strategy`` from ``--sampling-strategy`` text.

    ``balance`` or ``extreme``; factors (rows after / rows before), one per
    relevance bin or a single one (``0.5,1,2.5``); or ``BIN=ROWS`` pairs.
    """
    if text is None:
        return None
    raw = text.strip()
    if raw.lower() in ("balance", "extreme"):
        return raw.lower()
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    problem = (f"--sampling-strategy {text!r}: for a regression target give balance, extreme, factors (rows after / "
               "rows before) one per relevance bin by increasing target, e.g. 0.5,1,2.5, or BIN=ROWS pairs, e.g. "
               f"0=200,2=150; {_BINS_HINT}.")
    if parts and all("=" in p for p in parts):
        out = {}
        for part in parts:
            b, _, rows = part.partition("=")
            try:
                out[int(b)] = int(rows)
            except ValueError:
                raise UserError(problem) from None
        return out
    try:
        factors = [float(p) for p in parts]
    except ValueError:
        raise UserError(problem) from None
    if not factors or any(not np.isfinite(f) or f <= 0 for f in factors):
        raise UserError(problem)
    return factors[0] if len(factors) == 1 else factors


def _relevance_settings(values: dict, sampler_params=()) -> dict:
    """Pop the relevance's own settings from ``--param`` values (those the sampler does not have itself)."""
    if "relevance" in values:
        raise UserError("--param relevance: give the relevance's settings instead, e.g. --param extremes=high, "
                        "--param coef=3 or --param control_points=[[100,0],[500,1]].")
    return {k: values.pop(k) for k in RELEVANCE_PARAMS if k in values and k not in sampler_params}


def relevance_and_bins(y, column: str, settings: dict, threshold):
    """``(fitted Relevance, RelevanceBins)`` of the target values, refused in command-line words."""
    from ..regression import Relevance, relevance_bins

    try:
        relevance = Relevance(**settings).fit(y)
    except (ValueError, TypeError) as exc:
        raise UserError(f"the relevance of {column!r}: {exc} {_RELEVANCE_HINT}") from exc
    try:
        bins = relevance_bins(y, relevance=relevance, threshold=threshold)
    except (ValueError, TypeError) as exc:
        raise UserError(f"--param threshold={threshold!r}: {exc}") from exc
    points = _points(relevance)
    if not bins.rare.any():
        raise UserError(f"No value of the target {column!r} is rare: the highest relevance is "
                        f"{float(bins.relevance.max()):.3g}, below the threshold {threshold:g} (control points "
                        f"(y, relevance): {points}). Automatic control points make only the box plot's outliers rare, "
                        "and there are none here (or too few). To go on: --param threshold=LOWER, --param "
                        "coef=SMALLER (default 1.5), or --param control_points=[[y1,r1],[y2,r2],...] to say which "
                        "values matter.")
    if bins.rare.all():
        raise UserError(f"Every value of the target {column!r} is rare (relevance >= {threshold:g}; control points: "
                        f"{points}): there is no normal value to rebalance against. Raise --param threshold, or "
                        "give --param control_points.")
    return relevance, bins


def _points(relevance) -> str:
    return ", ".join(f"({_num(y)}, {_num(r)})" for y, r, _ in relevance.control_points_)


def _bin_rows(bins, after=None) -> list:
    rows = []
    for b in range(bins.n_bins):
        span = _num(bins.lower[b]) if bins.lower[b] == bins.upper[b] else \
            f"{_num(bins.lower[b])} .. {_num(bins.upper[b])}"
        row = [b, span, "rare" if bins.rare[b] else "normal", int(bins.n_rows[b])]
        if after is not None:
            change = int(after[b] - bins.n_rows[b])
            row += [int(after[b]), f"{change:+d}" if change else "0"]
        rows.append(row)
    return rows


def bins_table(bins, after=None) -> str:
    """The bins as a text table: target range, rare or normal, rows (before and after with ``after``)."""
    rows = _bin_rows(bins, after)
    if after is None:
        total = int(bins.n_rows.sum())
        rows = [[*r, f"{r[3] / total:.2%}"] for r in rows]
        return format_table(["bin", "target", "values", "rows", "share"], rows, align=["<", "<", "<", ">", ">"])
    before, now = int(bins.n_rows.sum()), int(np.sum(after))
    rows.append(["total", "", "", before, now, f"{now - before:+d}" if now != before else "0"])
    return format_table(["bin", "target", "values", "before", "after", "change"], rows,
                        align=["<", "<", "<", ">", ">", ">"])


def _small_bins(name, sampler, bins, targets) -> list:
    """Fatal findings for bins that grow with fewer rows than the sampler's neighbours need."""
    k = sampler.get_params(deep=False).get("k_neighbors")
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        return []
    out = []
    for b in range(bins.n_bins):
        n = int(bins.n_rows[b])
        if targets[b] <= n or n > k:
            continue
        span = f"{_num(bins.lower[b])} .. {_num(bins.upper[b])}"
        fix = (f"--param k_neighbors={n - 1}" if n > 1 else "") + (" or " if n > 1 else "") + \
            "--method gaussian-noise or random-over; or move the bins' bounds (--param threshold, control_points)"
        out.append(Finding(f"relevance bin {b} ({'rare' if bins.rare[b] else 'normal'}, target {span}) has {n} "
                           f"row(s) and is to grow to {int(targets[b])}, but {name} with k_neighbors={k} needs at "
                           f"least {k + 1} (each row plus {k} neighbours within its bin): {fix}.", fatal=True))
    return out


def _library(name: str, exc: Exception) -> UserError:
    text = str(exc).replace("See relevance_bins(y).", f"({_BINS_HINT}.)").replace("see relevance_bins(y)", _BINS_HINT)
    return UserError(f"{name}: {text}")


def resample_regression(args, data, target, fmt, feedback) -> int:
    """Resample a numeric target bin by bin, write the output, print the bins before and after."""
    from ._resample import check_marks, output_frame, write_and_report

    name, cls = resolve_family_method(args.method or "smogn", "regression")
    adds = family_direction(name, cls, "regression") != "under"
    enforce(check_data(data, adds_rows=adds, class_target=False) + target_gaps(data, target), "resample")
    allowed = parameters_of(cls)
    values = parse_params(args.param)
    settings = _relevance_settings(values, allowed)
    if settings:
        from ..regression import Relevance

        values["relevance"] = Relevance(**settings)
    strategy = parse_regression_strategy(args.sampling_strategy)
    sampler = build_sampler(name, cls, values, random_state=args.random_state, sampling_strategy=strategy)
    X, y, column = data.X, data.y, target.columns[0]
    feature_problems(name, sampler, X, data.kinds, categorical=args.categorical,
                     handles_categorical="categorical_features" in allowed,
                     alternatives="--method random-over or random-under, which copy or delete whole rows")
    if args.categorical == "auto" and "categorical_features" not in allowed:
        note(f"--categorical auto: {name} copies or deletes whole rows, so every column passes as it is.")
    relevance_and_bins(y.to_numpy(dtype=np.float64), column, settings, sampler.threshold)
    try:
        sampler.fit(X, y)
    except (ValueError, TypeError) as exc:
        raise _library(name, exc) from exc
    enforce(_small_bins(name, sampler, sampler.bins_, sampler.bins_.n_target), "resample")
    check_marks(args, data.frame)
    start = time.perf_counter()
    with feedback.library():
        try:
            X_res, y_res = sampler.fit_resample(X, y)
        except (ValueError, TypeError) as exc:
            raise _library(name, exc) from exc
    elapsed = time.perf_counter() - start
    prov, bins = sampler.provenance_, sampler.bins_
    y_out = y_res.reset_index(drop=True).rename(column)
    out = output_frame(data.frame, X, X_res, y_out, data.drop, prov, mark_synthetic=args.mark_synthetic,
                       mark_parents=args.mark_parents)
    # Every output row is an input row or grows from a seed of the bin it was made for.
    after = np.bincount(bins.bin_of_row[prov.source], minlength=bins.n_bins)
    write_and_report(args, out, fmt, feedback, name, len(y), elapsed, prov)
    print(f"relevance of {column!r}: control points (y, relevance) {_points(sampler.relevance_)}; rare where "
          f"relevance >= {sampler.threshold:g}")
    print(bins_table(bins, after))
    return 0


def inspect_regression(args, data, target, warnings: list) -> None:
    """Print the target's summary, its relevance and bins; add the warnings about them to ``warnings``."""
    column = target.columns[0]
    warnings += [f.text for f in target_gaps(data, target)]
    y = data.y.to_numpy(dtype=np.float64, na_value=np.nan)
    y = y[np.isfinite(y)]
    if y.size == 0:
        warnings.append(f"the target {column!r} holds no number.")
        return
    distinct = np.unique(y)
    print(f"\nTarget {column!r}: min {_num(y.min())}, median {_num(np.median(y))}, max {_num(y.max())} "
          f"({y.size} values, {distinct.size} distinct)")
    if distinct.size <= 10 and np.all(distinct == np.round(distinct)):
        warnings.append(f"the target {column!r} has only {distinct.size} distinct values, all integers: if they are "
                        "classes, leave out --target-kind regression.")
    values = parse_params(getattr(args, "param", None))
    settings = _relevance_settings(values)
    threshold = values.pop("threshold", 0.5)
    if values:
        note(f"--param {', '.join(values)}: inspect uses the relevance's settings only (threshold, "
             f"{', '.join(RELEVANCE_PARAMS)}).")
    try:
        relevance, bins = relevance_and_bins(y, column, settings, threshold)
    except UserError as exc:
        warnings.append(str(exc))
        return
    print(f"Relevance control points (y, relevance): {_points(relevance)}; rare where relevance >= {threshold:g}")
    print(f"\nRelevance bins of {column!r}:\n" + bins_table(bins))
    from ..regression.base import smogn_targets

    wanted = smogn_targets("balance", bins.n_rows)
    k = args.k_neighbors
    for b in np.flatnonzero((wanted > bins.n_rows) & (bins.n_rows <= k)):
        n = int(bins.n_rows[b])
        fix = f"--param k_neighbors={n - 1}" if n > 1 else "--method gaussian-noise or random-over"
        warnings.append(f"relevance bin {b} has {n} row(s): SMOGN and SMOTER with k_neighbors={k} need at least "
                        f"{k + 1} to make it grow; resample with {fix}, or widen the bin (--param threshold, "
                        "control_points).")
    if args.plot:
        _plot(args, y, column, relevance, bins, threshold)


def _plot(args, y, column, relevance, bins, threshold) -> None:
    from ._io import atomic_write

    fig, (ax,) = figure_axes(figsize=(6.4, 3.6))
    n_distinct = np.unique(y).size
    ax.hist(y, bins=int(min(50, max(10, n_distinct))), color="#9db4c0")
    for b in np.flatnonzero(bins.rare):
        ax.axvspan(bins.lower[b], bins.upper[b], color="#e07a5f", alpha=0.25, lw=0)
    ax.set_xlabel(column)
    ax.set_ylabel("rows")
    twin = ax.twinx()
    grid = np.linspace(y.min(), y.max(), 400)
    twin.plot(grid, relevance.phi(grid), color="#3d405b")
    twin.axhline(threshold, color="#3d405b", ls="--", lw=0.8)
    twin.set_ylim(-0.02, 1.02)
    twin.set_ylabel("relevance")
    ax.set_title(f"{column!r} in {Path(args.file).name}: rare values shaded")
    with atomic_write(args.plot) as tmp:
        fig.savefig(tmp, dpi=100)
    print(f"\nTarget and relevance chart written to {args.plot}")
