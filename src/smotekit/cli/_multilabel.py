"""``resample`` and ``inspect`` for several labels per row (a multi-label target).

The labels are 0/1 columns (``--target a,b,c``) or one column of label sets
(``--target-kind multilabel``, ``--label-sep``). Both commands show the label
imbalance measures of Charte et al. (IRLbl per label, MeanIR, MaxIR, CVIR,
SCUMBLE); ``resample`` shows them before and after.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..report import figure_axes, format_table
from ._checks import Finding, check_data, enforce
from ._common import UserError, names
from ._samplers import build_sampler, parse_params
from ._targets import (
    family_direction,
    feature_problems,
    label_matrix,
    label_output,
    resolve_family_method,
    row_list,
)

__all__ = ["inspect_multilabel", "label_findings", "resample_multilabel"]



def _ir(value) -> str:
    return "-" if not np.isfinite(value) else f"{value:.2f}"


def label_findings(matrix, labels, measures, *, k_neighbors=None, empty_rows=True) -> list:
    """Warnings about the labels: labels on no row, rows without labels (with ``empty_rows``), labels too
    rare for MLSMOTE's ``k_neighbors`` (when given)."""
    out = []
    counts = matrix.sum(axis=0)
    absent = [str(lab) for lab, n in zip(labels, counts) if n == 0]
    if absent:
        out.append(Finding(f"label(s) {names(absent)} are on no row: they have no IRLbl (left out of MeanIR) and no "
                           "sampler can make them appear; leave them out of --target if they are not labels."))
    empty = np.flatnonzero(~matrix.any(axis=1)) if empty_rows else []
    if len(empty):
        shown = ", ".join(str(i + 1) for i in empty[:5]) + (", ..." if empty.size > 5 else "")
        out.append(Finding(f"{empty.size} row(s) carry no label (data rows {shown}): they count in the measures "
                           "(cardinality, SCUMBLE 0) as rows of the empty label set; if labels are missing there, "
                           "add them or remove those rows."))
    if matrix.shape[1] == 1:
        out.append(Finding("there is one label only: that is a yes/no class label; leave out --target-kind "
                           "multilabel to resample it as classification."))
    if k_neighbors is not None:
        for j in np.flatnonzero(measures.minority):
            n = int(counts[j])
            if n > k_neighbors:
                continue
            what = "gets no synthetic row (no neighbour)" if n == 1 else f"uses its {n - 1} other row(s) as neighbours"
            out.append(Finding(f"minority label {labels[j]!r} is on {n} row(s), fewer than k_neighbors+1="
                               f"{k_neighbors + 1}: MLSMOTE {what}; --method mlros copies its rows instead."))
    return out


def _label_table(before, after=None) -> str:
    rows = []
    for j, lab in enumerate(before.labels):
        if after is None:
            share = before.counts[j] / before.n_rows if before.n_rows else 0.0
            rows.append([lab, int(before.counts[j]), f"{share:.2%}", _ir(before.irlbl[j]),
                         f"{before.scumble_per_label[j]:.3f}" if np.isfinite(before.scumble_per_label[j]) else "-",
                         "yes" if before.minority[j] else ""])
        else:
            change = int(after.counts[j] - before.counts[j])
            rows.append([lab, int(before.counts[j]), int(after.counts[j]), f"{change:+d}" if change else "0",
                         _ir(before.irlbl[j]), _ir(after.irlbl[j])])
    if after is None:
        return format_table(["label", "rows", "share", "IRLbl", "SCUMBLE", "minority"], rows,
                            align=["<", ">", ">", ">", ">", "<"])
    return format_table(["label", "before", "after", "change", "IRLbl before", "IRLbl after"], rows)


def _measures_line(m) -> str:
    return (f"MeanIR {m.mean_ir:.3f}, MaxIR {m.max_ir:.3f}, CVIR {m.cvir:.3f}, SCUMBLE {m.scumble:.4f}; "
            f"cardinality {m.cardinality:.3f}, density {m.density:.3f}, {m.n_labelsets} label sets")


def _arrow(name, before, after, digits) -> str:
    return f"{name} {before:.{digits}f} -> {after:.{digits}f}"


def resample_multilabel(args, data, target, fmt, feedback) -> int:
    """Resample rows carrying several labels, write the output, print the measures before and after."""
    from ..multilabel import label_imbalance
    from ._resample import check_marks, output_frame, write_and_report

    name, cls = resolve_family_method(args.method or "mlsmote", "multilabel")
    if args.sampling_strategy is not None:
        raise UserError("--sampling-strategy does not apply to a multi-label target: MLROS and MLRUS take --param "
                        "percentage=P (rows added or deleted, in % of the rows), MLSMOTE adds one row per row of "
                        "each minority label.", code=2)
    X = data.X
    matrix, labels = label_matrix(data.y)
    before = label_imbalance(matrix, labels=labels)
    sampler = build_sampler(name, cls, parse_params(args.param), random_state=args.random_state)
    k = sampler.get_params(deep=False).get("k_neighbors")
    findings = check_data(data, adds_rows=family_direction(name, cls, "multilabel") != "under", class_target=False)
    # Rows without labels are common in multi-label data: inspect points at them, resample need not.
    findings += label_findings(matrix, labels, before, k_neighbors=k if isinstance(k, int) else None,
                               empty_rows=False)
    enforce(findings, "resample")
    feature_problems(name, sampler, X, data.kinds, categorical=args.categorical, handles_categorical=False,
                     alternatives="--method mlros or mlrus, which copy or delete whole rows")
    check_marks(args, data.frame)
    start = time.perf_counter()
    with feedback.library():
        try:
            X_res, Y_res = sampler.fit_resample(X, data.y)
        except (ValueError, TypeError) as exc:
            raise UserError(f"{name}: {exc}") from exc
    elapsed = time.perf_counter() - start
    names_ = np.asarray(sampler.labels_, dtype=object)
    if isinstance(data.y, list):
        Y_in, _ = label_matrix(data.y, list(names_))
        Y_out, _ = label_matrix(row_list(Y_res), list(names_))
    else:
        Y_in, Y_out = matrix, Y_res.to_numpy(dtype=bool)
    prov = sampler.provenance_
    columns = label_output(target, data.frame, Y_in, Y_out, list(names_), prov, fmt, data.fmt)
    out = output_frame(data.frame, X, X_res, columns, data.drop, prov, mark_synthetic=args.mark_synthetic,
                       mark_parents=args.mark_parents)
    write_and_report(args, out, fmt, feedback, name, len(X), elapsed, prov)
    b, a = sampler.imbalance_before_, sampler.imbalance_after_
    print(_label_table(b, a))
    print("; ".join([_arrow("MeanIR", b.mean_ir, a.mean_ir, 3), _arrow("MaxIR", b.max_ir, a.max_ir, 3),
                     _arrow("SCUMBLE", b.scumble, a.scumble, 4), _arrow("cardinality", b.cardinality, a.cardinality, 3),
                     f"label sets {b.n_labelsets} -> {a.n_labelsets}"]))
    return 0


def inspect_multilabel(args, data, target, warnings: list) -> None:
    """Print the labels' counts and imbalance measures; add the warnings about them to ``warnings``."""
    from ..multilabel import label_imbalance

    matrix, labels = label_matrix(data.y)
    if matrix.shape[1] == 0:
        warnings.append(f"the target {target.text} holds no label at all.")
        return
    m = label_imbalance(matrix, labels=labels)
    where = ""
    if len(target.columns) == 1:
        where = f" (label sets in {target.columns[0]!r}" + (f", separated by {target.label_sep!r})"
                                                            if target.label_sep else ")")
    print(f"\nLabels{where}:\n" + _label_table(m))
    print(f"\n{m.n_rows} rows, {m.n_labels} labels; {_measures_line(m)}")
    minority = [str(x) for x in m.minority_labels]
    print(f"minority labels (IRLbl above MeanIR): {names(minority) if minority else 'none'}")
    warnings += [f.text for f in label_findings(matrix, labels, m, k_neighbors=args.k_neighbors)]
    if args.plot:
        _plot(args, m)


def _plot(args, m) -> None:
    from ._io import atomic_write

    order = np.argsort(m.counts, kind="stable")
    fig, (ax,) = figure_axes(figsize=(6.0, 1.6 + 0.4 * m.n_labels))
    ax.barh([str(m.labels[j]) for j in order], m.counts[order], color="#9db4c0")
    for i, j in enumerate(order):
        ax.text(m.counts[j], i, f" {int(m.counts[j])} (IRLbl {_ir(m.irlbl[j])})", va="center", fontsize=9)
    ax.set_xlim(right=max(int(m.counts.max()), 1) * 1.35)
    ax.set_xlabel("rows carrying the label")
    ax.set_title(f"Labels in {Path(args.file).name} (MeanIR {m.mean_ir:.2f})")
    with atomic_write(args.plot) as tmp:
        fig.savefig(tmp, dpi=100)
    print(f"\nLabel chart written to {args.plot}")
