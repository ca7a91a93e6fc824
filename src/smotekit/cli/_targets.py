"""Target kinds for the commands: a class label per row, a number per row, or several labels per row.

``--target`` names one column, or several (``--target a,b,c`` or repeated
``--target``). ``--target-kind auto`` (the default) reads several columns as
the 0/1 indicator columns of a multi-label target and one column as class
labels, as before. ``--target-kind regression`` reads one numeric column;
``--target-kind multilabel`` with one column reads label sets written in a
cell (``a|b``, ``--label-sep``; an empty cell is a row without labels) or
stored as lists (Parquet).

This module reads and checks those targets, finds the regression and
multi-label samplers by their command-line names, and writes multi-label
targets back the way the file wrote them.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._checks import Finding
from ._common import UserError, names, note, split_list
from ._read import (
    _SEPARATOR_WORDS,
    column_kinds,
    csv_only_note,
    format_of,
    frame_data,
    load,
    no_such_column,
    parse_decimal,
    parse_separator,
    read_table,
)

__all__ = [
    "DEFAULT_METHODS",
    "KINDS",
    "Target",
    "family_cli_names",
    "family_direction",
    "family_samplers",
    "feature_problems",
    "label_matrix",
    "label_output",
    "load_target",
    "refuse_family_method",
    "refuse_other_kinds",
    "resolve_family_method",
    "row_list",
    "target_gaps",
]

KINDS = ("auto", "classification", "regression", "multilabel")
#: ``--method`` when none is given, per target kind.
DEFAULT_METHODS = {"classification": "smote", "regression": "smogn", "multilabel": "mlsmote"}
_TRUE, _FALSE = ("1", "true"), ("0", "false")
_LABEL_SEP = "|"
#: Separators a label-set cell may use instead of the one expected (for the hint).
_OTHER_SEPS = (",", ";", "|", "/", " ")
#: Command-line names of the samplers of each family, besides the kebab-case class name.
_NAMES = {
    "regression": {"SMOGN": ("smogn",), "SMOTER": ("smoter",), "GaussianNoise": ("gaussian-noise", "gn"),
                   "RandomOverSampler": ("random-over", "random-over-sampler", "ros"),
                   "RandomUnderSampler": ("random-under", "random-under-sampler", "rus")},
    "multilabel": {"MLSMOTE": ("mlsmote",), "MLROS": ("mlros", "ml-ros"), "MLRUS": ("mlrus", "ml-rus")},
}
#: Multi-label samplers by what they do to the rows (regression samplers say it with _over / _under).
_DIRECTIONS = {"MLSMOTE": "over", "MLROS": "over", "MLRUS": "under"}
_FAMILY_TEXT = {"regression": "a regression target (--target-kind regression)",
                "multilabel": "a multi-label target"}


@dataclass
class Target:
    """What the target of a command is, once the file is read.

    Parameters
    ----------
    kind : {'classification', 'regression', 'multilabel'}
    columns : list of str
        The target columns of the file.
    label_sep : str or None
        Multi-label target in one column: the separator of the labels in a
        cell (None for indicator columns and for lists).
    nested : bool
        Multi-label target in one column holding lists (Parquet).
    spellings : dict
        Indicator columns: ``{column: (text for absent, text for present)}``,
        how new label values are written (the column's own most frequent
        spellings).
    order : dict
        Label sets: ``{label: rank}`` in the order labels first appear in
        the file, the order new label sets are written in.
    """

    kind: str
    columns: list
    label_sep: str | None = None
    nested: bool = False
    spellings: dict = field(default_factory=dict)
    order: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The target as named in messages."""
        if self.kind == "multilabel" and len(self.columns) > 1:
            return f"{len(self.columns)} label columns ({names(self.columns)})"
        if self.kind == "multilabel":
            return f"label sets in {self.columns[0]!r}"
        return repr(self.columns[0])


def refuse_other_kinds(args, command: str, fixes: dict) -> None:
    """Refuse, before reading, a regression or multi-label target in a command that takes class labels only.

    ``fixes`` maps 'regression' and 'multilabel' to what to do instead.
    """
    kind = args.target_kind
    # A comma names several columns, unless the user says the one column's name holds it.
    several = len(args.targets) > 1 or (kind == "auto" and any("," in t for t in args.targets))
    if several and kind != "regression":
        kind = "multilabel"
    if kind in fixes:
        what = "a regression target" if kind == "regression" else "a multi-label target (several labels per row)"
        comma = (f" (If {args.targets[0]!r} is the name of one column, pass --target-kind classification.)"
                 if len(args.targets) == 1 and "," in args.targets[0] and args.target_kind == "auto" else "")
        raise UserError(f"{command} takes one class label per row; {what} is not supported there yet. "
                        f"{fixes[kind]}{comma}", code=2)
    if args.label_sep is not None:
        raise UserError("--label-sep applies to a multi-label target (--target-kind multilabel).", code=2)


# -- reading --------------------------------------------------------------------------------------------------
def _target_columns(raws, columns, sep) -> list:
    """The columns named by the ``--target`` options: a name as given, or comma-separated names."""
    out = []
    for raw in raws:
        parts = [raw] if raw in columns else [p.strip() for p in raw.split(",") if p.strip()]
        for part in parts:
            if part not in columns:
                raise no_such_column(part, list(columns), "--target", sep=sep)
            if part in out:
                raise UserError(f"--target names {part!r} twice; name each target column once.", code=2)
            out.append(part)
    return out


def load_target(args, progress=None):
    """Read ``args.file`` and split off the target the options describe.

    Returns
    -------
    data : Data
        ``y`` is the class labels (classification, as :func:`load` reads
        them), the numbers (regression: a numeric Series, missing values kept
        for the check to count) or the labels (multi-label: a bool DataFrame,
        one column per label, or a list of label lists for label sets).
    target : Target
    """
    raws, kind = list(args.targets), args.target_kind
    if args.label_sep is not None and kind != "multilabel":
        raise UserError("--label-sep applies to a column of label sets: pass --target-kind multilabel too.", code=2)
    if kind in ("auto", "classification") and len(raws) == 1 and "," not in raws[0]:
        data = load(args.file, raws[0], args.drop, sep=args.sep, na_values=args.na_values, decimal=args.decimal,
                    progress=progress)
        return data, Target("classification", [raws[0]])
    drop = split_list(args.drop)
    tokens = split_list([args.na_values] if isinstance(args.na_values, str) else args.na_values)
    given_sep, decimal = parse_separator(args.sep), parse_decimal(args.decimal)
    # A regression target is read as numbers; labels are read as text, exactly as written.
    text = [] if kind == "regression" else [*raws, *(p.strip() for r in raws for p in r.split(","))]
    frame, duplicates, sep = read_table(args.file, sep=given_sep, na_values=tokens, text_columns=[*text, *drop],
                                        decimal=decimal, progress=progress)
    fmt = format_of(Path(args.file))
    if fmt == "parquet":
        csv_only_note(sep=given_sep, na_values=tokens, decimal=decimal)
    columns = _target_columns(raws, list(frame.columns), sep)
    if kind == "auto":
        kind = "multilabel" if len(columns) > 1 else "classification"
    if len(columns) > 1 and kind != "multilabel":
        raise UserError(f"--target-kind {kind} takes one target column; --target names {len(columns)} "
                        f"({names(columns)}). Several 0/1 label columns are a multi-label target: "
                        "--target-kind multilabel (or auto).", code=2)
    for name in drop:
        if name not in frame.columns:
            raise no_such_column(name, list(frame.columns), "--drop", sep=sep)
        if name in columns:
            raise UserError(f"--drop {name!r}: that is a target column; leave it out of --drop.")
    X = frame.drop(columns=[*columns, *drop])
    if X.shape[1] == 0:
        raise UserError(f"No feature columns left besides the target column(s) {names(columns)}.")
    target = Target(kind, columns)
    if kind == "classification":  # one column whose name holds a comma
        y = frame[columns[0]]
        if column_kinds(y.to_frame())[columns[0]] == "nested":
            raise UserError(f"The target {columns[0]!r} holds lists or records, not class labels; for label sets "
                            "pass --target-kind multilabel.")
    elif kind == "regression":
        y = _numbers(frame[columns[0]], columns[0], decimal)
    elif len(columns) > 1:
        if args.label_sep is not None:
            raise UserError("--label-sep applies to one column of label sets; these are several 0/1 label "
                            f"columns ({names(columns)}).", code=2)
        y = _indicators(frame, columns, target)
    else:
        y = _label_sets(frame[columns[0]], columns[0], args.label_sep, target)
    data = frame_data(fmt, frame, X, y, ", ".join(columns), drop, duplicates, na_values=tokens, sep=sep,
                      decimal=decimal)
    return data, target


def _numbers(col, name, decimal):
    """A regression target as numbers (missing cells kept as NaN, for the check to count)."""
    import pandas as pd

    api = pd.api.types
    if api.is_bool_dtype(col.dtype):
        raise UserError(f"The target {name!r} holds true/false values: a class label, not a number. Leave out "
                        "--target-kind regression (or pass --target-kind classification).")
    if api.is_numeric_dtype(col.dtype) and not api.is_complex_dtype(col.dtype):
        if isinstance(col.dtype, np.dtype):
            return col
        # pandas' nullable numbers: numpy's own dtype when nothing is missing, else floats with NaN.
        numpy_dtype = getattr(col.dtype, "numpy_dtype", np.dtype(np.float64))
        return col.astype(numpy_dtype if not col.isna().any() else np.float64)
    kind = column_kinds(col.to_frame())[name]
    if kind in ("nested", "other"):
        what = "lists or records" if kind == "nested" else f"{col.dtype} values"
        raise UserError(f"The target {name!r} holds {what}; --target-kind regression needs a number per row.")
    values = pd.to_numeric(col, errors="coerce")
    bad = col.notna() & values.isna()
    if not bad.any():
        return values.astype(np.float64)
    tokens = col[bad].astype(str).value_counts()
    rows = np.flatnonzero(bad.to_numpy())
    listed = ", ".join(f"{t!r} ({n} row{'s' * (n > 1)})" for t, n in list(tokens.items())[:5])
    more = f" and {len(tokens) - 5} more" if len(tokens) > 5 else ""
    if all(re.fullmatch(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?", str(t)) for t in tokens.index) and decimal != ",":
        fix = "the numbers have decimal commas: pass --decimal ','"
    elif len(tokens) <= 3:
        fix = (f"pass --na-values {','.join(map(str, tokens.index))} to read them as missing, then remove those "
               "rows (every row needs a target value)")
    else:
        fix = "is this the right column? A regression target holds one number per row"
    raise UserError(f"The target {name!r} is not numeric: {bad.sum()} row(s) hold text ({listed}{more}; data rows "
                    f"{', '.join(str(i + 1) for i in rows[:5])}{', ...' if rows.size > 5 else ''}): {fix}.")


def _cell_rows(mask) -> str:
    rows = np.flatnonzero(np.asarray(mask))
    return ", ".join(str(i + 1) for i in rows[:5]) + (", ..." if rows.size > 5 else "")


def _indicators(frame, columns, target: Target):
    """The 0/1 label columns as a bool DataFrame; anything but 0/1/true/false refused with the column named."""
    import pandas as pd

    api = pd.api.types
    out, spell = {}, {}
    for name in columns:
        col = frame[name]
        missing = col.isna().to_numpy()
        if missing.any():
            raise UserError(f"label column {name!r} is empty on {int(missing.sum())} row(s) (data rows "
                            f"{_cell_rows(missing)}): a label column says, on every row, whether the row carries "
                            "the label; write 0 or 1 there.")
        if api.is_bool_dtype(col.dtype):
            out[name] = col.to_numpy(dtype=bool)
            continue
        if api.is_numeric_dtype(col.dtype) and not api.is_complex_dtype(col.dtype):
            values = col.to_numpy(dtype=np.float64)
            bad = (values != 0) & (values != 1)
            shown = [v.item() if hasattr(v, "item") else v for v in pd.unique(col[bad])[:5]]
            text = {v: str(v) for v in shown}
            present = values == 1
        else:
            cells = col.astype(str).str.strip().str.lower()
            bad = ~cells.isin([*_TRUE, *_FALSE]).to_numpy()
            text = {v: v for v in pd.unique(col[bad])[:5]}
            present = cells.isin(_TRUE).to_numpy()
            spell[name] = _spellings(col, present)
        if bad.any():
            seen = ", ".join(f"{t!r}" for t in text.values())
            raise UserError(f"label column {name!r} holds {seen} (data rows {_cell_rows(bad)}): a label column "
                            "holds 0 or 1 (or false/true) on every row. Is it a label? Leave it out of --target, "
                            "or recode it; for label sets in one column pass --target-kind multilabel with that "
                            "column alone.")
        out[name] = present
    target.spellings = _fill_spellings(spell)
    return pd.DataFrame(out, index=frame.index)


def _spellings(col, present):
    """The most frequent text of the absent and of the present cells of a label column (None when none)."""
    text = col.astype(str).to_numpy()
    absent_text = Counter(text[~present]).most_common(1)
    present_text = Counter(text[present]).most_common(1)
    return (absent_text[0][0] if absent_text else None, present_text[0][0] if present_text else None)


def _fill_spellings(spell: dict) -> dict:
    """A column that shows only one of the two values writes the other as its sibling columns do."""
    absent = Counter(a for a, _ in spell.values() if a is not None).most_common(1)
    present = Counter(p for _, p in spell.values() if p is not None).most_common(1)
    default = (absent[0][0] if absent else "0", present[0][0] if present else "1")
    return {c: (a if a is not None else default[0], p if p is not None else default[1]) for c, (a, p) in spell.items()}


def _label_sets(col, name, label_sep, target: Target):
    """One column of label sets as a list of label lists (cells split at the separator, or lists)."""
    kind = column_kinds(col.to_frame())[name]
    if kind == "nested":
        if label_sep is not None:
            note(f"the target {name!r} holds lists: --label-sep is not used to read it.")
        target.nested = True
        rows = []
        for i, value in enumerate(col.tolist()):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                rows.append([])
            elif isinstance(value, dict):
                raise UserError(f"The target {name!r} holds records (row {i + 1}), not lists of labels.")
            else:
                rows.append(_unique(list(value.tolist() if hasattr(value, "tolist") else value)))
        target.order = _first_seen(rows)
        return rows
    if label_sep == "":
        raise UserError("--label-sep is empty; give the text between two labels in a cell, e.g. '|' or ';'.",
                        code=2)
    # Words for separators ('tab', 'semicolon') as --sep takes them; any other text is the separator itself.
    sep = _LABEL_SEP if label_sep is None else _SEPARATOR_WORDS.get(label_sep.lower(), label_sep)
    target.label_sep = sep
    cells = [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in col.tolist()]
    written = [c for c in cells if c]
    if not written:
        raise UserError(f"The target {name!r} is empty on every row: no row carries a label.")
    binary = {c.strip().lower() for c in written} <= {*_TRUE, *_FALSE}
    if binary and not any(sep in c for c in written):
        raise UserError(f"The target {name!r} holds only 0/1 (or true/false): one label, read as label sets it "
                        "would be the labels '0' and '1'. For one yes/no label leave out --target-kind multilabel; "
                        "for several, give every 0/1 label column: --target a,b,c.")
    if label_sep is None and not any(sep in c for c in written):
        enough = max(1, len(written) // 10)  # a separator on a tenth of the cells, not one odd label
        other = next((s for s in _OTHER_SEPS if s != sep and sum(s in c for c in written) >= enough), None)
        if other is not None:
            shown = "' '" if other == " " else repr(other)
            example = next(c for c in written if other in c)
            raise UserError(f"The target {name!r} has no cell with {sep!r} between labels, but cells such as "
                            f"{example!r} hold {shown}: pass --label-sep {shown} if that separates the labels, or "
                            f"--label-sep {sep!r} to read every cell as one label.")
    rows = [_unique([p.strip() for p in c.split(sep) if p.strip()]) if c else [] for c in cells]
    target.order = _first_seen(rows)
    return rows


def _first_seen(rows) -> dict:
    return {label: rank for rank, label in enumerate(dict.fromkeys(lab for row in rows for lab in row))}


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _unique(items: list) -> list:
    """Labels in their written order, each once ('a|a' carries the label once)."""
    return list(dict.fromkeys(items))


def label_matrix(y, labels=None):
    """``(bool matrix (n, L), label names)`` of a multi-label target as :func:`load_target` gives it."""
    import pandas as pd

    if isinstance(y, pd.DataFrame):
        return y.to_numpy(dtype=bool), np.asarray(list(y.columns), dtype=object)
    if labels is None:
        try:
            labels = sorted({lab for row in y for lab in row})
        except TypeError:  # labels of mixed types (a Parquet list column of mixed values)
            labels = sorted({lab for row in y for lab in row}, key=str)
    position = {lab: j for j, lab in enumerate(labels)}
    matrix = np.zeros((len(y), len(labels)), dtype=bool)
    for i, row in enumerate(y):
        for lab in row:
            matrix[i, position[lab]] = True
    names_ = np.empty(len(labels), dtype=object)
    names_[:] = list(labels)
    return matrix, names_


def row_list(values) -> list:
    """Label collections as lists (the sampler gives back lists, tuples or arrays)."""
    return [list(v.tolist() if hasattr(v, "tolist") else v) for v in values]


# -- writing --------------------------------------------------------------------------------------------------
def label_output(target: Target, frame, Y_in, Y_out, labels, prov, out_fmt: str, in_fmt: str) -> dict:
    """``{column: Series}``: the multi-label target of the output rows, written as the file wrote it.

    An output row whose labels are its source row's (kept rows, copies)
    gets the source's cells exactly; a synthetic row with labels of its own
    gets them in the column's spelling (0/1, true/false, as the file writes
    them), or, for label sets, joined by the separator in label order.
    """
    import pandas as pd

    source = prov.source
    own = (Y_out != Y_in[source]).any(axis=1)
    if target.label_sep is not None or target.nested:
        name = target.columns[0]
        cells = frame[name].iloc[source].tolist()
        for i in np.flatnonzero(own):
            chosen = [lab for lab, on in zip(labels, Y_out[i]) if on]
            cells[i] = sorted(chosen, key=lambda lab: target.order.get(lab, len(target.order)))
            if not target.nested:
                cells[i] = target.label_sep.join(map(str, cells[i])) or None
        if target.nested and out_fmt == "csv":
            # A CSV cell holds text: the lists are written as label sets, 'a|b'.
            cells = [(_LABEL_SEP.join(map(str, row_list([c])[0])) or None) if _is_list(c) else None for c in cells]
        return {name: pd.Series(cells, dtype=object, name=name)}
    out = {}
    for j, name in enumerate(target.columns):
        col = frame[name].iloc[source].reset_index(drop=True)
        if own.any():
            new = Y_out[own, j]
            if name in target.spellings:
                absent, present = target.spellings[name]
                col = col.astype(object)
                col.iloc[np.flatnonzero(own)] = np.where(new, present, absent)
            else:
                col.iloc[np.flatnonzero(own)] = pd.Series(new).astype(col.dtype).to_numpy()
        if in_fmt == "csv" and out_fmt == "parquet":
            # Parquet stores types: 0/1 as integers, true/false as booleans.
            text = col.astype(str).str.strip().str.lower()
            col = (text.isin(_TRUE)).astype(np.int64) if text.isin(("0", "1")).all() else text.isin(_TRUE)
        out[name] = col.rename(name)
    return out


# -- samplers -------------------------------------------------------------------------------------------------
def family_samplers(kind: str) -> dict:
    """``{class name: class}`` of the samplers of ``kind`` ('regression' or 'multilabel') installed."""
    if kind == "regression":
        from .. import regression as module
        from ..regression import BaseRegressionSampler as base
    else:
        from .. import multilabel as module
        from ..multilabel import BaseMultilabelSampler as base
    found = {}
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name, None)
        if isinstance(obj, type) and issubclass(obj, base) and obj is not base:
            found[name] = obj
    return dict(sorted(found.items()))


def family_cli_names(name: str, kind: str) -> list:
    """The names people type for a regression or multi-label sampler: kebab-case first, then aliases."""
    known = _NAMES[kind].get(name)
    if known:
        return list(known)
    return ["-".join(re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", name)).lower()]


def family_direction(name: str, cls, kind: str) -> str:
    """'over', 'under' or 'both': whether a regression or multi-label sampler adds or removes rows ('' unknown)."""
    if kind == "regression":
        over, under = bool(getattr(cls, "_over", False)), bool(getattr(cls, "_under", False))
        return "both" if over and under else "over" if over else "under" if under else ""
    return _DIRECTIONS.get(name, "")


def _key(text: str) -> str:
    return re.sub(r"[\s_.\-]+", "", text.lower())


def resolve_family_method(method: str, kind: str, available: dict | None = None):
    """``(class name, class)`` of the ``kind`` sampler called ``method`` (any case, '-'/'_' optional).

    A classification sampler's name is refused with the list of the
    ``kind`` samplers; an unknown one with the closest names.
    """
    available = family_samplers(kind) if available is None else available
    table = {}
    for name in available:
        for spelled in (name, *family_cli_names(name, kind)):
            table[_key(spelled)] = name
    key = _key(method)
    if key in table:
        return table[key], available[table[key]]
    listed = ", ".join(f"{family_cli_names(n, kind)[0]} ({n})" for n in available)
    missing = [n for n in _NAMES[kind] if n not in available and key in map(_key, (n, *_NAMES[kind][n]))]
    if missing:
        raise UserError(f"{missing[0]} is not available in this installation of smotekit; for {_FAMILY_TEXT[kind]} "
                        f"choose among: {listed}.")
    other = "multilabel" if kind == "regression" else "regression"
    for name in family_samplers(other):
        if key in map(_key, (name, *family_cli_names(name, other))):
            raise UserError(f"{name} is a sampler for {_FAMILY_TEXT[other]}; for {_FAMILY_TEXT[kind]} choose "
                            f"among: {listed}.")
    from ._samplers import samplers

    classification = {_key(n): n for n in samplers()}
    from ..utils.discovery import SAMPLER_ALIASES

    if key in classification or key in SAMPLER_ALIASES:
        shown = classification.get(key) or SAMPLER_ALIASES[key]
        raise UserError(f"{shown} is a classification sampler (one class label per row); for {_FAMILY_TEXT[kind]} "
                        f"choose among: {listed}.")
    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.5)
    hint = f" Closest: {', '.join(dict.fromkeys(table[k] for k in close))}." if close else ""
    raise UserError(f"Unknown method {method!r} for {_FAMILY_TEXT[kind]}.{hint} Choose among: {listed} "
                    f"(smotekit methods --kind {kind}).")


def refuse_family_method(method: str) -> None:
    """Refuse a regression or multi-label method named for a class-label target, saying which option is missing.

    Without it the classification lookup answers "Unknown method" with the closest classification
    names (SMOTEN for 'smogn'), which hides that ``--target-kind`` was left out. Names that are also
    classification samplers (RandomOverSampler) are left to the classification lookup.
    """
    from ..utils.discovery import SAMPLER_ALIASES
    from ._samplers import samplers

    key = _key(method)
    classification = {_key(n): n for n in samplers()}
    if key in classification or key in SAMPLER_ALIASES:
        return
    fixes = {"regression": "add --target-kind regression",
             "multilabel": "give several 0/1 --target columns, or one column of label sets with --target-kind "
                           "multilabel --label-sep SEP"}
    for kind, fix in fixes.items():
        for name in family_samplers(kind):
            if key not in map(_key, (name, *family_cli_names(name, kind))):
                continue
            if _key(name) in classification:  # 'random-over': the regression RandomOverSampler's CLI name
                raise UserError(f"{method!r} is {name} for {_FAMILY_TEXT[kind]}, but the target is read as one "
                                f"class label per row: {fix}; or, for class labels, pass -m {name}.")
            raise UserError(f"{name} is a sampler for {_FAMILY_TEXT[kind]}, but the target is read as one class "
                            f"label per row: {fix}, or choose a classification method (smotekit methods).")


def feature_problems(name: str, sampler, X, kinds: dict, *, categorical=None, handles_categorical: bool,
                     alternatives: str) -> None:
    """Refuse feature columns the sampler cannot use: dates, gaps, and categories it would interpolate."""
    from ._samplers import refuse_dates, refuse_gaps

    tags = sampler.__sklearn_tags__()
    if not getattr(sampler, "_reads_values", True):  # rows are copied or deleted whole: any value passes
        return
    refuse_dates(name, X, kinds)
    cat = [c for c in X.columns if kinds[c] == "categorical"]
    if cat and (not handles_categorical or categorical == "error"):
        why = ("--categorical error was given" if handles_categorical
               else f"{name} interpolates numbers only")
        fix = (f"leave out --categorical error: {name} treats them as nominal (values from the parents)"
               if handles_categorical else f"use {alternatives}")
        raise UserError(f"Columns {names(cat)} are categorical and {why}. To go on, {fix}; or --drop them (kept on "
                        "the original rows); or encode them as numbers first.")
    if not tags.input_tags.allow_nan:
        refuse_gaps(name, X)


def target_gaps(data, target: Target) -> list:
    """Fatal findings for regression target values that are missing or infinite."""
    y = data.y
    missing = y.isna().to_numpy()
    out = []
    if missing.any():
        why = (f" (--na-values {','.join(data.na_values)} reads some cells as missing)" if data.na_values else "")
        out.append(Finding(f"the target {target.columns[0]!r} is empty on {int(missing.sum())} row(s) (data rows "
                           f"{_cell_rows(missing)}): every row needs a target value; remove those rows{why}.",
                           fatal=True))
    infinite = np.isinf(y.to_numpy(dtype=np.float64, na_value=np.nan))
    if infinite.any():
        out.append(Finding(f"the target {target.columns[0]!r} is infinite on {int(infinite.sum())} row(s) (data "
                           f"rows {_cell_rows(infinite)}): relevance needs finite numbers; remove those rows.",
                           fatal=True))
    return out
