"""Reading data files for the commands: CSV and Parquet into pandas, column kinds, target and features.

A CSV file is read for what it says: the target and the ``--drop`` columns
stay text (``01`` and ``1`` are two classes, an ID ``000123`` keeps its
zeros), only empty cells are missing unless ``--na-values`` names other
tokens, and the separator is detected when ``--sep`` is not given. Feature
columns are still read as numbers where every cell is one, with ``.`` as the
decimal mark unless ``--decimal`` names another (a column of decimal commas
is not converted behind the user's back: the data check points at it).
Parquet files keep the types stored in them.
"""

from __future__ import annotations

import csv
import difflib
import importlib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ._common import CLI_HINT, UserError, note, split_list
from ._progress import open_counted

__all__ = [
    "COMPRESSED",
    "Data",
    "column_kinds",
    "csv_only_note",
    "csv_options",
    "format_of",
    "frame_data",
    "header_duplicates",
    "load",
    "no_such_column",
    "parse_decimal",
    "parse_separator",
    "read_table",
    "require_parquet",
    "split_target",
]

_CSV = {".csv", ".tsv", ".txt"}
_PARQUET = {".parquet", ".pq"}
COMPRESSED = {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz", ".zst": "zstd"}  # suffix: read_csv compression
# Candidate separators for detection, and the words people type for them.
_SEPARATORS = ",;\t|"
_SEPARATOR_WORDS = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}
_SNIFF_BYTES = 64 * 1024
# The standard-library module that opens each of pandas' compressions, for a peek at the first lines.
_OPENERS = {"gzip": "gzip", "bz2": "bz2", "xz": "lzma"}


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise UserError(f"Reading and writing data files needs pandas: {CLI_HINT}") from exc
    return pd


def format_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in _CSV:
        return "csv"
    if ext in _PARQUET:
        return "parquet"
    raise UserError(
        f"Cannot tell the format of {str(path)!r} from its extension {ext or '(none)'!r}: "
        "use .csv (or .tsv, optionally compressed, e.g. .csv.gz) or .parquet."
    )


def require_parquet():
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise UserError(f"Parquet files need pyarrow: {CLI_HINT} (or pip install pyarrow).") from exc


def parse_separator(text):
    """The one-character separator meant by ``--sep`` text (``'\\t'`` and ``tab`` mean a tab), or None."""
    if text is None:
        return None
    sep = _SEPARATOR_WORDS.get(text.lower(), text) if len(text) > 1 else text
    if len(sep) != 1:
        raise UserError(f"--sep expects one character, such as ',' ';' '|' or '\\t' (tab); got {text!r}.")
    return sep


def parse_decimal(text):
    """The decimal mark meant by ``--decimal`` text, or None when it was not given."""
    if text is None:
        return None
    if len(text) != 1 or text.isalnum() or text.isspace() or text in "+-":
        raise UserError(f"--decimal expects one character that marks decimals, such as ',' or '.'; got {text!r}.")
    return text


def _show_separator(sep: str) -> str:
    return "'\\t'" if sep == "\t" else repr(sep)


def _head_text(path: Path) -> str:
    """The first lines of a (possibly compressed) text file, or '' when they cannot be read cheaply."""
    ext = path.suffix.lower()
    if ext == ".zst":
        return ""  # no decompressor in the standard library: pandas' default ',' applies
    try:
        if ext == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = archive.namelist()
                if not members:
                    return ""
                with archive.open(members[0]) as fh:
                    return _complete_lines(fh.read(_SNIFF_BYTES))
        module = _OPENERS.get(COMPRESSED.get(ext))
        opener = importlib.import_module(module).open if module else open
        with opener(path, "rb") as fh:
            return _complete_lines(fh.read(_SNIFF_BYTES))
    except (OSError, EOFError, ValueError, zipfile.BadZipFile):
        return ""


def _complete_lines(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    # A line cut in the middle would look inconsistent to the sniffer.
    return text[: text.rfind("\n") + 1] if len(raw) == _SNIFF_BYTES and "\n" in text else text


def _detect_separator(path: Path) -> str:
    sample = _head_text(path)
    if not sample.strip():
        return ","
    try:
        return csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        return ","  # one column, or nothing consistent: pandas' own default


def _mangled_duplicates(raw_names, read_names) -> dict:
    """``{name: (names as read, ...)}`` for every header name given more than once."""
    counts = Counter(raw_names)
    out = {}
    for raw, read in zip(raw_names, read_names):
        if counts[raw] > 1:
            out.setdefault(raw, []).append(read)
    return {k: tuple(v) for k, v in out.items()}


def header_duplicates(path, sep, columns) -> dict:
    """``{name: (names as read, ...)}`` for names the CSV header of ``path`` repeats.

    pandas (and Dask) read a repeated name as ``'a'``, ``'a.1'``; only the
    header as written tells such a pair from two real columns. ``columns``
    are the names as read. Empty when the header cannot be read: reading the
    data says what is wrong with the file.
    """
    pd = _pandas()
    try:
        header = pd.read_csv(path, sep=sep, header=None, nrows=1, dtype=str, keep_default_na=False,
                             na_filter=False, index_col=False)
    except (ValueError, OSError, UnicodeDecodeError):
        return {}
    raw = [str(v) for v in header.iloc[0]] if len(header) else []
    return _mangled_duplicates(raw, list(columns)) if len(raw) == len(columns) else {}


def csv_options(path, *, sep=None, na_values=(), text_columns=(), decimal=None) -> dict:
    """The ``read_csv`` options that read a CSV file for what it says (pandas and Dask alike).

    Parameters
    ----------
    path : str or Path
        The file (the first one of several), to detect the separator from.
    sep : str, default=None
        The separator; None detects it (a tab for ``.tsv``), with a note when it is not ',' or a tab.
    na_values : sequence of str, default=()
        Tokens read as missing, besides empty cells (pandas' own list does not apply).
    text_columns : sequence of str, default=()
        Columns read as text, as written (no type inference).
    decimal : str, default=None
        The decimal mark of number columns; None means '.'.

    Returns
    -------
    options : dict
    """
    path = Path(path)
    if sep is None:
        is_tsv = ".tsv" in [s.lower() for s in path.suffixes]
        sep = "\t" if is_tsv else _detect_separator(path)
        if sep not in ("\t", ","):
            note(f"{path.name}: the fields look separated by {_show_separator(sep)}; pass --sep to say otherwise.")
    return dict(sep=sep, decimal=decimal or ".", keep_default_na=False, na_values=["", *na_values],
                dtype={c: str for c in text_columns})


def _read_csv(path: Path, options, progress=None):
    pd = _pandas()
    sep = options["sep"]
    with open_counted(path, progress) as (source, compression):
        frame = pd.read_csv(source, index_col=False, compression=compression, **options)
    return frame, header_duplicates(path, sep, frame.columns)


def _read_parquet(path: Path):
    pd = _pandas()
    require_parquet()
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    if len(set(names)) == len(names):
        return pd.read_parquet(path), {}
    # Parquet allows repeated column names; pandas' reader does not. Name them as pandas names repeated CSV
    # headers ('a', 'a.1'), so that the data check can point at them.
    frame = pq.ParquetFile(path).read().to_pandas()
    seen, renamed = set(), []
    for name in names:
        new, k = name, 0
        while new in seen:
            k += 1
            new = f"{name}.{k}"
        seen.add(new)
        renamed.append(new)
    frame.columns = renamed
    return frame, _mangled_duplicates(names, renamed)


def read_table(path, *, sep=None, na_values=(), text_columns=(), decimal=None, progress=None):
    """Read a CSV or Parquet file into a pandas DataFrame, with errors a person can act on.

    Parameters
    ----------
    path : str or Path
    sep : str, default=None
        CSV only: the field separator; None detects it (a tab for ``.tsv``).
    na_values : sequence of str, default=()
        CSV only: tokens read as missing, besides empty cells.
    text_columns : sequence of str, default=()
        CSV only: columns read as text, as written (no type inference).
    decimal : str, default=None
        CSV only: the decimal mark of number columns; None means '.'.

    Returns
    -------
    frame : pandas.DataFrame
    duplicates : dict
        ``{name: (names as read, ...)}`` for column names the file repeats.
    sep : str or None
        The separator used (None for Parquet).
    """
    path = Path(path)
    if not path.exists():
        siblings = [p.name for p in path.parent.glob("*")] if path.parent.is_dir() else []
        close = difflib.get_close_matches(path.name, siblings, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UserError(f"File not found: {str(path)!r}.{hint}")
    if path.is_dir():
        raise UserError(f"{str(path)!r} is a folder; give a CSV or Parquet file.")
    fmt = format_of(path)
    try:
        if fmt == "parquet":
            frame, duplicates = _read_parquet(path)
        else:
            options = csv_options(path, sep=sep, na_values=na_values, text_columns=text_columns, decimal=decimal)
            sep = options["sep"]
            frame, duplicates = _read_csv(path, options, progress)
    except UserError:
        raise
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Could not read {str(path)!r} as {fmt.upper()}: {exc}") from exc
    if frame.shape[0] == 0:
        raise UserError(f"{str(path)!r} has a header but no data rows.")
    return frame, duplicates, (sep if fmt == "csv" else None)


def _is_nested_value(value) -> bool:
    return isinstance(value, (list, tuple, dict, set)) or getattr(value, "ndim", 0) > 0


def column_kinds(frame) -> dict:
    """``{column: 'numeric' | 'categorical' | 'nested' | 'other'}`` for every column of a DataFrame.

    Booleans, strings, objects and pandas categories are categorical (SMOTE
    must not interpolate them); lists and structs (Parquet ``list<...>``,
    ``struct<...>``) are nested; dates, durations and the like are 'other'.
    """
    pd = _pandas()
    api = pd.api.types
    kinds = {}
    for name in frame.columns:
        col = frame[name]
        arrow = getattr(col.dtype, "pyarrow_dtype", None)
        if arrow is not None and _arrow_nested(arrow):
            kinds[name] = "nested"
        elif api.is_object_dtype(col.dtype) and _first_is_nested(col):
            kinds[name] = "nested"
        elif api.is_bool_dtype(col.dtype) or isinstance(col.dtype, pd.CategoricalDtype) \
                or api.is_string_dtype(col.dtype) or api.is_object_dtype(col.dtype):
            kinds[name] = "categorical"
        elif api.is_numeric_dtype(col.dtype) and not api.is_complex_dtype(col.dtype):
            kinds[name] = "numeric"
        else:
            kinds[name] = "other"
    return kinds


def _arrow_nested(arrow_type) -> bool:
    import pyarrow as pa

    return pa.types.is_nested(arrow_type)


def _first_is_nested(col) -> bool:
    # A Parquet column has one type, so its first value tells; CSV never yields lists.
    present = col.notna().to_numpy()
    return bool(present.any()) and _is_nested_value(col.iloc[int(present.argmax())])


def no_such_column(name, columns, option, *, sep=None):
    if len(columns) == 1:
        only = str(columns[0])
        found = [s for s in _SEPARATORS if s in only and s != sep]
        if found:
            shown = _show_separator(found[0])
            return UserError(f"{option}: no column named {name!r}: the file reads as one column {only!r}, so it "
                             f"looks separated by {shown}: pass --sep {shown}.")
    parts = [part.strip() for part in str(name).split(",")]
    if option == "--target" and len(parts) > 1 and all(part in columns for part in parts):
        return UserError(f"--target {name!r} names {len(parts)} columns ({', '.join(parts)}): several target "
                         "columns are a multi-label target, which only `smotekit resample` and `smotekit inspect` "
                         "take, in memory; give one target column here.")
    close = difflib.get_close_matches(str(name), [str(c) for c in columns], n=3)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    listed = ", ".join(map(str, columns))
    return UserError(f"{option}: no column named {name!r}.{hint} Available columns: {listed}.")


def split_target(frame, target, drop=(), *, sep=None):
    """``(X, y)`` from a frame: ``y`` is the target column, ``X`` the others minus ``drop``.

    Raises a :class:`UserError` naming the available columns when a name is
    unknown. Missing labels are left to the data check, which counts them.
    """
    if target not in frame.columns:
        raise no_such_column(target, list(frame.columns), "--target", sep=sep)
    for name in drop:
        if name not in frame.columns:
            raise no_such_column(name, list(frame.columns), "--drop", sep=sep)
    if target in drop:
        raise UserError(f"--drop {target!r}: that is the target column; leave it out of --drop.")
    y = frame[target]
    X = frame.drop(columns=[target, *drop])
    if X.shape[1] == 0:
        raise UserError(f"No feature columns left besides the target {target!r}.")
    return X, y


@dataclass
class Data:
    """A data file read for a command: the frame, its features and target, and what reading noticed.

    Parameters
    ----------
    fmt : {'csv', 'parquet'}
    frame : pandas.DataFrame
        Every column, as read.
    X, y : pandas.DataFrame, pandas.Series
        The features (without the target and ``drop``) and the target.
    target : str
    kinds : dict
        :func:`column_kinds` of ``X``.
    drop : list of str
    duplicates : dict
        ``{name: (names as read, ...)}`` for column names the file repeats.
    na_values : list of str
        The ``--na-values`` tokens applied (CSV only).
    sep : str or None
        The CSV separator used (None for Parquet).
    decimal : str or None
        The ``--decimal`` mark given (CSV only); None when it was not given
        (then '.' applies and the data check looks for decimal commas).
    """

    fmt: str
    frame: object
    X: object
    y: object
    target: str
    kinds: dict
    drop: list
    duplicates: dict = field(default_factory=dict)
    na_values: list = field(default_factory=list)
    sep: str | None = None
    decimal: str | None = None


def load(path, target, drop, *, sep=None, na_values=None, decimal=None, progress=None) -> Data:
    """Read ``path`` and split it into features and target (see the module docstring for the CSV rules).

    Parameters
    ----------
    path : str
    target : str
    drop : list of str or None
        Repeated, comma-separated ``--drop`` options.
    sep : str, default=None
        ``--sep`` as typed.
    na_values : str, list of str or None
        ``--na-values`` as typed: comma-separated tokens.
    decimal : str, default=None
        ``--decimal`` as typed.

    Returns
    -------
    Data
    """
    drop = split_list(drop)
    tokens = split_list([na_values] if isinstance(na_values, str) else na_values)
    given_sep, decimal = parse_separator(sep), parse_decimal(decimal)
    frame, duplicates, sep = read_table(path, sep=given_sep, na_values=tokens, text_columns=[target, *drop],
                                        decimal=decimal, progress=progress)
    fmt = format_of(Path(path))
    if fmt == "parquet":
        csv_only_note(sep=given_sep, na_values=tokens, decimal=decimal)
    X, y = split_target(frame, target, drop, sep=sep)
    if column_kinds(y.to_frame())[target] == "nested":
        raise UserError(f"The target {target!r} holds lists or records, not class labels; for label sets pass "
                        "--target-kind multilabel, else check --target.")
    return frame_data(fmt, frame, X, y, target, drop, duplicates, na_values=tokens, sep=sep, decimal=decimal)


def frame_data(fmt, frame, X, y, target, drop, duplicates, *, na_values=(), sep=None, decimal=None) -> Data:
    """The :class:`Data` of a file read and split; the CSV reading options are kept for CSV files only."""
    if fmt == "parquet":
        return Data(fmt, frame, X, y, target, column_kinds(X), drop, duplicates)
    return Data(fmt, frame, X, y, target, column_kinds(X), drop, duplicates, list(na_values), sep, decimal)


def csv_only_note(*, sep=None, na_values=(), decimal=None) -> None:
    """Note that the CSV reading options given do not apply to a Parquet input."""
    given = [o for o, v in (("--sep", sep), ("--na-values", na_values), ("--decimal", decimal)) if v]
    if not given:
        return
    listed = given[0] if len(given) == 1 else f"{', '.join(given[:-1])} and {given[-1]}"
    note(f"{listed} appl{'ies' if len(given) == 1 else 'y'} to CSV files; a Parquet file keeps the types "
         "and missing values stored in it.")
