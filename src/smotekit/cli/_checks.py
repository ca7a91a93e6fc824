"""One data check before any work, shared by ``inspect``, ``resample`` and ``evaluate``.

Each finding says what is wrong, where (columns, classes, rows) and what to
type to fix it. ``inspect`` shows every finding as a warning; ``resample``
and ``evaluate`` refuse the fatal ones before any resampling or fitting,
and show the others as ``warning:`` lines on stderr.
"""

from __future__ import annotations

import math
import re
import shlex
import sys
from dataclasses import dataclass, replace

import numpy as np

from .._constraints import is_int
from ._common import UserError, class_counts, names

__all__ = ["Finding", "adds_rows", "check_data", "enforce", "fold_classes", "label_text", "small_classes"]

# Below this many rows "a different value on every row" says little about a column.
_ID_MIN_ROWS = 20
# A text column is "numbers with a few placeholders" when at most this many distinct tokens are not numbers.
_MAX_TOKENS = 3
_INDEX_NAME = re.compile(r"^Unnamed: \d+$")
# Numbers as written where the decimal mark is a comma: '0,13', '-1,5', '2,5e-3', with or without '.'
# between thousands ('1.234,5'), and plain integers, which read the same with either mark.
_COMMA_DECIMAL = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*),\d+(?:[eE][+-]?\d+)?"
_GROUPED = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?:[eE][+-]?\d+)?"
_INTEGER = r"[+-]?\d+"
# Numbers written with ',' between thousands: '12,500', '1,234,567', '1,234.5'. One group and no '.'
# ('889,965') reads as a decimal comma just as well.
_THOUSANDS = r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"
_ONE_GROUP = r"[+-]?[1-9]\d{0,2},\d{3}"
# Numbers as written where the decimal mark is '.': '0.1257', '-.5', '1e-3', '7'.
_POINT_DECIMAL = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"


@dataclass(frozen=True)
class Finding:
    """One thing the data check noticed.

    Parameters
    ----------
    text : str
        What is wrong, where, and the fix.
    fatal : bool
        True when ``resample`` and ``evaluate`` must refuse to go on.
    columns : tuple
        The feature columns it is about.
    """

    text: str
    fatal: bool = False
    columns: tuple = ()


def enforce(findings, command: str) -> None:
    """Refuse the fatal findings with one :class:`UserError`; print the others as ``warning:`` lines."""
    for f in findings:
        if not f.fatal:
            print(f"warning: {f.text}", file=sys.stderr)
    fatal = [f.text for f in findings if f.fatal]
    if len(fatal) == 1:
        raise UserError(fatal[0])
    if fatal:
        listed = "\n".join(f"  - {t}" for t in fatal)
        raise UserError(f"{len(fatal)} problems with the data stop {command}:\n{listed}")


def _comma_list(tokens) -> str:
    """Tokens as one `--na-values` argument (`?,NA`); quote it for the shell with :func:`_arg`."""
    return ",".join(tokens)


def label_text(label) -> str:
    """A class label as the person would write it: text quoted, anything else (numbers, dates) as printed."""
    return repr(label) if isinstance(label, str) else str(label)


def _arg(name) -> str:
    """A column name as it must be typed after an option in a shell (``'Unnamed: 0'``)."""
    return shlex.quote(str(name))


def _rows(index, limit=5) -> str:
    shown = ", ".join(str(i + 1) for i in index[:limit])
    return shown + (", ..." if len(index) > limit else "")


def _missing_labels(data) -> list:
    missing = np.flatnonzero(data.y.isna().to_numpy())
    if not missing.size:
        return []
    why = (f" (--na-values {_arg(_comma_list(data.na_values))} reads some labels as missing; is one of them a class?)"
           if data.na_values else "")
    return [Finding(f"the target {data.target!r} is empty on {missing.size} row(s) (data rows {_rows(missing)}): "
                    f"every row needs a class; remove or label those rows{why}.", fatal=True)]


def _one_class(data) -> list:
    counts = data.y.value_counts(dropna=True)  # hashing: sorting text labels would cost more
    if len(counts) != 1:
        return []
    label, n = counts.index[0], int(counts.iloc[0])
    label = label.item() if hasattr(label, "item") else label  # np.int64(0) -> 0 in the message
    return [Finding(f"the target {data.target!r} has one class only ({label_text(label)}, {n} rows): there is "
                    "nothing to rebalance or compare; check --target.", fatal=True)]


def _duplicates(data) -> list:
    out = []
    for name, read_as in data.duplicates.items():
        out.append(Finding(f"the column name {name!r} appears {len(read_as)} times in the header (read as "
                           f"{', '.join(map(repr, read_as))}): give every column its own name in the file.",
                           fatal=True))
    return out


def _nested(data) -> list:
    cols = [c for c, k in data.kinds.items() if k == "nested"]
    if not cols:
        return []
    return [Finding(f"column(s) {names(cols)} hold lists or records (nested values), which no sampler can use: "
                    f"--drop {_arg(','.join(map(str, cols)))} (they are kept on the original rows).", fatal=True,
                    columns=tuple(cols))]


def _placeholder_tokens(col):
    """``{token: count}`` when a text column holds numbers except for a few tokens, else None."""
    import pandas as pd

    values = col.dropna()
    if values.empty:
        return None
    # Most text columns are plainly text: decide that on a sample before converting everything.
    if pd.to_numeric(values.iloc[:1000].astype(str), errors="coerce").notna().mean() < 0.5:
        return None
    text = values.astype(str)
    bad = text[pd.to_numeric(text, errors="coerce").isna()]
    if bad.empty or 2 * len(bad) > len(text):
        return None
    tokens = bad.value_counts()
    return None if len(tokens) > _MAX_TOKENS else {str(t): int(n) for t, n in tokens.items()}


@dataclass(frozen=True)
class _Commas:
    """What :func:`_comma_decimals` found in a text column (the examples are cells as written)."""

    example: str  # a number with a comma in it
    dotted: str | None  # one with '.' between thousands ('1.234,5'), if any
    thousands: str | None  # one that only a thousands separator explains ('1,234,567', '1,234.5'), if any
    ambiguous: bool  # every comma is followed by three digits ('889,965'): decimals or thousands alike
    tokens: dict  # the few cells that are no number at all ('?'), with their counts


def _number_tokens(values, forms):
    """``(matched, tokens)`` when most of ``values`` fully match a pattern of ``forms``, else None.

    ``matched`` has one boolean Series per form; ``tokens`` counts the few
    distinct cells (placeholders such as '?') that match none.
    """
    head = values.iloc[:1000]
    # Most text columns are plainly text: decide that on a sample before matching everything.
    if head.str.fullmatch("|".join(forms)).mean() < 0.5:
        return None
    matched = [values.str.fullmatch(f) for f in forms]
    known = matched[0].copy()
    for m in matched[1:]:
        known |= m
    bad = values[~known]
    tokens = bad.value_counts()
    if 2 * len(bad) > len(values) or len(tokens) > _MAX_TOKENS:
        return None
    return matched, {str(t): int(n) for t, n in tokens.items()}


def _comma_decimals(col):
    """A :class:`_Commas` when a text column holds numbers written with commas, else None."""
    values = col.dropna().astype(str)
    if values.empty or not values.iloc[:1000].str.contains(",", regex=False).any():
        return None
    found = _number_tokens(values, [_COMMA_DECIMAL, _GROUPED, _THOUSANDS, _INTEGER])
    if found is None:
        return None
    (comma, dotted, thousands, _), tokens = found
    if not (comma | thousands).any():
        return None
    only_thousands = thousands & ~comma
    plain = comma & ~dotted  # the clearest example: '0,13' rather than '1.234,5'
    shown = values[plain if plain.any() else comma if comma.any() else thousands].iloc[0]
    return _Commas(example=shown, dotted=values[dotted].iloc[0] if dotted.any() else None,
                   thousands=values[only_thousands].iloc[0] if only_thousands.any() else None,
                   ambiguous=bool(comma.any()) and not dotted.any()
                   and bool(values[comma].str.fullmatch(_ONE_GROUP).all()),
                   tokens=tokens)


def _token_list(tokens) -> str:
    return ", ".join(f"{t!r} ({n} row{'s' if n > 1 else ''})" for t, n in tokens.items())


def _text_columns(data, skip=()):
    """The feature columns read as text (categorical, not booleans or categories), not in ``skip``."""
    import pandas as pd

    for c in data.X.columns:
        col = data.X[c]
        if c in skip or data.kinds[c] != "categorical" or pd.api.types.is_bool_dtype(col.dtype) \
                or isinstance(col.dtype, pd.CategoricalDtype):
            continue
        yield c, col


def _decimal_commas(data) -> list:
    """Text columns that would be numbers read with ``--decimal ','`` (CSV files not separated by commas).

    They are pointed out, not converted: a comma followed by three digits
    ('12,500') may as well separate thousands, and is named as ambiguous.
    """
    if data.fmt != "csv" or data.sep == "," or data.decimal not in (None, ","):
        return []
    out = []
    for c, col in _text_columns(data):
        found = _comma_decimals(col)
        if found is None:
            continue
        options = [f"--na-values {_arg(_comma_list([*data.na_values, *found.tokens]))}"] if found.tokens else []
        if found.thousands is None and data.decimal is None:
            options.insert(0, "--decimal ','")
        fix = f"pass {' and '.join(options)}" + (" (those cells then read as missing)" if found.tokens else "")
        except_for = f", except for {_token_list(found.tokens)}" if found.tokens else ""
        if found.thousands is not None:
            text = f"column {c!r} holds numbers with ',' between thousands ({found.thousands!r}){except_for}, " \
                   "which no --decimal reads"
            fix = "write the numbers without thousands separators" + (f", then {fix}" if options else "")
        elif found.dotted is not None:
            text = f"column {c!r} {'looks like' if data.decimal is None else 'holds'} numbers with decimal " \
                   f"commas ({found.example!r}){except_for}, some with '.' between thousands ({found.dotted!r}), " \
                   "which no --decimal reads"
            fix = "write the numbers without thousands separators" + (f", then {fix}" if options else "")
        elif found.ambiguous and data.decimal is None:
            ex = found.example
            text = (f"column {c!r} holds numbers with three digits after a comma ({ex!r}){except_for}, which read "
                    f"as decimal commas ({ex.replace(',', '.')}) or as thousands separators "
                    f"({ex.replace(',', '')}) alike")
            fix = f"if the comma marks decimals, {fix}; if it separates thousands, write the numbers without it"
        else:
            text = f"column {c!r} {'looks like' if data.decimal is None else 'holds'} numbers with decimal " \
                   f"commas ({found.example!r}){except_for}"
        out.append(Finding(f"{text}: {fix}; read as it is, the column would be taken for categories.", fatal=True,
                           columns=(c,)))
    return out


def _point_decimals(data, skip) -> list:
    """Text columns of numbers written with '.' although ``--decimal`` named another mark.

    Such a column is read as text and would otherwise be reported as an
    identifier or as categories, hiding the cause: the wrong ``--decimal``.
    """
    if data.fmt != "csv" or data.decimal in (None, "."):
        return []
    out = []
    for c, col in _text_columns(data, skip):
        values = col.dropna().astype(str)
        if values.empty or not values.iloc[:1000].str.contains(".", regex=False).any():
            continue
        found = _number_tokens(values, [_POINT_DECIMAL])
        if found is None:
            continue
        (numbers,), tokens = found
        pointed = values[numbers & values.str.contains(".", regex=False)]
        if pointed.empty:
            continue
        given = f"--decimal {data.decimal!r}"
        except_for = f", except for {_token_list(tokens)}" if tokens else ""
        na = f" and pass --na-values {_arg(_comma_list([*data.na_values, *tokens]))}" if tokens else ""
        # '1.234' is 1234 where the decimal mark is ',': only other forms ('0.1257') settle it.
        clear = pointed[~pointed.str.fullmatch(r"[+-]?[1-9]\d{0,2}\.\d{3}")]
        unclear = clear.empty
        example = (pointed if unclear else clear).iloc[0]
        if unclear:
            fix = (f"if '.' marks decimals, drop {given}{na}; if it separates thousands, write the numbers "
                   "without it")
        else:
            fix = f"drop {given}{na}"
        out.append(Finding(f"column {c!r} holds numbers written with '.' ({example!r}){except_for}, but {given} was "
                           f"given: {fix}; read as it is, the column would be taken for categories.", fatal=True,
                           columns=(c,)))
    return out


def _placeholders(data, skip) -> list:
    import pandas as pd

    api = pd.api.types
    out = []
    for c in data.X.columns:
        col = data.X[c]
        if c in skip or data.kinds[c] != "categorical" or api.is_bool_dtype(col.dtype) \
                or isinstance(col.dtype, pd.CategoricalDtype):
            continue
        tokens = _placeholder_tokens(col)
        if not tokens:
            continue
        seen = ", ".join(f"{t!r} ({n} row{'s' if n > 1 else ''})" for t, n in tokens.items())
        if data.fmt == "csv":
            wanted = _comma_list([*data.na_values, *tokens])
            fix = (f"pass --na-values {_arg(wanted)} to read those cells as missing (then impute them or "
                   f"--drop {_arg(c)}); read as it is, the column would be taken for categories")
        else:
            fix = ("the Parquet file stores it as text: write it as a number column (those cells as null), "
                   f"or --drop {_arg(c)}")
        out.append(Finding(f"column {c!r} holds numbers except for {seen}: {fix}.", fatal=True, columns=(c,)))
    return out


def _identifiers(data, adds_rows: bool, evaluates: bool, skip) -> list:
    import pandas as pd

    api = pd.api.types
    out = []
    n = len(data.X)
    for c in data.X.columns:
        col = data.X[c]
        if c in skip or data.kinds[c] == "nested" or col.isna().any():
            continue
        strong = None
        # Why a model must not see it: numbers that follow the row order give the class away in a file
        # sorted by class; text is one-hot encoded, one column per row that tells the model nothing.
        leak = ("as a feature it can give the class away (in a file sorted by class it does, and every score "
                "looks better than it is)")
        if api.is_integer_dtype(col.dtype) and not api.is_bool_dtype(col.dtype):
            if col.nunique() != n:
                continue
            lo, hi = int(col.min()), int(col.max())
            if _INDEX_NAME.match(str(c)):
                strong = f"column {c!r} looks like a saved row index (unnamed, {lo}..{hi}, one per row)"
            elif n > _ID_MIN_ROWS and hi - lo == n - 1:
                strong = f"column {c!r} has a different value on every row ({lo}..{hi}: row numbers?)"
            elif n > _ID_MIN_ROWS:
                out.append(Finding(f"column {c!r} has a different value on every row: if it is an identifier, "
                                   f"--drop {_arg(c)} (kept on original rows by resample).", columns=(c,)))
                continue
        elif data.kinds[c] == "categorical" and not api.is_bool_dtype(col.dtype) and n > _ID_MIN_ROWS \
                and col.nunique() == n:
            strong = f"text column {c!r} has a different value on every row (an identifier?)"
            leak = "one-hot encoded as a feature it adds a column per row and tells the model nothing"
        if strong is None:
            continue
        if adds_rows:
            out.append(Finding(f"{strong}: new rows would get interpolated or copied values of it; --drop {_arg(c)} "
                               "keeps it on the original rows (new rows get none).", fatal=True, columns=(c,)))
        elif evaluates:
            out.append(Finding(f"{strong}: {leak}; --drop {_arg(c)}.", fatal=True, columns=(c,)))
        else:
            out.append(Finding(f"{strong}: if it is an identifier, --drop {_arg(c)} so that it is not used as a "
                               "feature (kept on original rows by resample).", columns=(c,)))
    return out


def _constant(data, skip) -> list:
    out = []
    for c in data.X.columns:
        if c in skip or data.kinds[c] == "nested":
            continue
        col = data.X[c]
        # min == max answers for numbers without hashing every value.
        flat = (col.min() == col.max() or col.isna().all()) if data.kinds[c] == "numeric" \
            else col.nunique(dropna=True) <= 1
        if flat:
            out.append(Finding(f"column {c!r} is constant: it carries no information; consider --drop {_arg(c)}.",
                               columns=(c,)))
    return out


def check_data(data, *, adds_rows: bool = False, evaluates: bool = False, sample: str | None = None,
               class_target: bool = True) -> list:
    """Everything that would make a command fail half-way or damage the data, found up front.

    Parameters
    ----------
    data : Data
        As returned by :func:`smotekit.cli._read.load`.
    adds_rows : bool, default=False
        True when the method makes new rows (over-sampling, combined): an
        identifier column is then refused instead of warned about.
    evaluates : bool, default=False
        True for ``evaluate``: a row index, row numbers or a text identifier
        would be a feature, and is refused too.
    sample : str, default=None
        When ``data`` holds some of the rows only (``--engine dask`` reads
        one partition), which ones, e.g. ``'the first 5,000 rows'``: one
        class and constant columns, which only every row can show, are not
        looked for, and the findings drawn from the rows' values say which
        rows they come from.
    class_target : bool, default=True
        Whether ``data.y`` holds class labels, whose missing values and
        single class are findings here; False for regression and
        multi-label targets, which their own readers check.

    Returns
    -------
    findings : list of Finding
    """
    whole = sample is None
    target = (_missing_labels(data) + (_one_class(data) if whole else [])) if class_target else []
    findings = _duplicates(data) + target + _nested(data)
    findings += _decimal_commas(data)
    findings += _point_decimals(data, {c for f in findings for c in f.columns})
    findings += _placeholders(data, {c for f in findings for c in f.columns})
    flagged = {c for f in findings for c in f.columns}
    findings += _identifiers(data, adds_rows, evaluates, flagged)
    if whole:
        return findings + _constant(data, flagged)
    # Names and types hold for the whole file; what the values showed, for the rows seen.
    typed = set(_duplicates(data) + _nested(data))
    return [f if f in typed else replace(f, text=f"{f.text} (Checked on {sample} only.)") for f in findings]


def adds_rows(method: str) -> bool:
    """Whether the method named on the command line makes new rows (over-sampling or combined)."""
    from ._samplers import kind_of, resolve_method

    return kind_of(resolve_method(method)[1]) in ("over", "combined")


def fold_classes(y, folds: int, repeats: int) -> list:
    """Fatal findings for classes with fewer rows than the folds of ``--cv FOLDSxREPEATS``.

    Stratified folds put rows of every class in every test fold, so a class
    needs at least one row per fold; a class of one row cannot be in a
    training and a test fold at once, whatever the folds.

    Parameters
    ----------
    y : array-like
        The target.
    folds, repeats : int
        As asked with ``--cv``.

    Returns
    -------
    findings : list of Finding
    """
    counts = class_counts(y)
    # The most folds every class of two rows or more can fill: below the folds asked whenever a finding needs it.
    fits = min((n for n in counts.values() if n > 1), default=None)
    out = []
    for lab, n in counts.items():
        if n >= folds:
            continue
        if n == 1:
            out.append(Finding(f"class {label_text(lab)} has 1 row: cross-validation needs each class in a training "
                               "and a test fold, which one row cannot be; drop that row or merge its class into "
                               "another.", fatal=True))
        else:
            out.append(Finding(f"class {label_text(lab)} has {n} rows, fewer than the {folds} folds of --cv "
                               f"{folds}x{repeats} (every test fold needs a row of each class): use --cv "
                               f"{fits}x{repeats}.", fatal=True))
    return out


def small_classes(name, sampler, y, *, folds=None, repeats=1) -> list:
    """Fatal findings for classes too small for an over-sampler's neighbours.

    Parameters
    ----------
    name : str
        The sampler's display name.
    sampler : sampler instance
        As built by ``prepare_sampler`` (its ``k_neighbors`` / ``n_neighbors``
        and ``sampling_strategy`` decide).
    y : array-like
        The target.
    folds : int, default=None
        With cross-validation, the number of folds: the sampler then sees
        only the training part of each class.
    repeats : int, default=1
        With cross-validation, the repetitions asked for (for the message).

    Returns
    -------
    findings : list of Finding
    """
    from ..utils import check_sampling_strategy

    tags = getattr(sampler.__sklearn_tags__(), "sampler_tags", None)
    if getattr(tags, "sampling_type", None) != "over-sampling":
        return []
    params = sampler.get_params(deep=False)
    key = next((k for k in ("k_neighbors", "n_neighbors")
                if is_int(params.get(k))), None)
    if key is None:
        return []
    k = int(params[key])
    counts = class_counts(y)
    seen = {lab: n - math.ceil(n / folds) if folds else n for lab, n in counts.items()}
    labels = np.empty(len(seen), dtype=object)
    labels[:] = list(seen)
    try:
        plan = check_sampling_strategy(sampler.sampling_strategy, np.repeat(labels, list(seen.values())),
                                       "over-sampling")
    except (ValueError, TypeError):
        return []  # the sampler itself will say what is wrong with the strategy
    out = []
    for lab, n_add in plan.items():
        m = seen[lab]
        # Fewer rows than folds is refused by the cross-validation itself, with its own fix.
        if n_add <= 0 or m > k or (folds and counts[lab] < folds):
            continue
        where = (f"{counts[lab]} row(s), {m} in each training fold of --cv {folds}x{repeats}" if folds
                 else f"{m} row(s)")
        if m > 1:
            fix = f"--param {key}={m - 1}"
        else:
            fix = ("put random-over-sampler in --methods instead" if folds else "--method random-over-sampler") \
                + ", or merge or drop that class"
        if folds:
            # More folds leave more rows in each training fold; no class may have fewer rows than folds.
            more = next((f for f in range(folds + 1, min(counts.values()) + 1)
                         if counts[lab] - math.ceil(counts[lab] / f) > k), None)
            if more is not None:
                fix += f"; or --cv {more}x{repeats}, whose training folds hold enough"
        out.append(Finding(f"class {label_text(lab)} has {where}, but {name} with {key}={k} needs at least {k + 1} "
                           f"(each row plus {k} neighbours of its class): {fix}.", fatal=True))
    return out
