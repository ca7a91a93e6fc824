"""``smotekit methods``: the samplers available, what they accept, and their parameters.

Everything shown comes from the samplers themselves: capabilities from their
tags, descriptions from their numpydoc docstrings (turned into plain text and
fitted to the terminal's width). The samplers of regression and multi-label
targets (``smotekit.regression``, ``smotekit.multilabel``) have listings of
their own (``--kind regression``, ``--kind multilabel``); a method's name
finds its details in any family, the classification samplers first.
"""

from __future__ import annotations

import inspect
import re
import shutil
import textwrap

from ._common import UserError
from ._samplers import REQUIRED, capabilities, cli_names, parameters_of, resolve_method, samplers
from ._targets import family_cli_names, family_direction, family_samplers

__all__ = ["cmd_methods", "paper", "parameter_docs", "plain_text", "references", "summary"]

_KIND_TITLES = {"over": "over-sampling", "under": "under-sampling", "clean": "cleaning (under-sampling)",
                "combined": "combined (over-sampling, then cleaning)"}
_FAMILIES = {"regression": "a numeric target (--target-kind regression): resampled per relevance bin",
             "multilabel": "several labels per row (several 0/1 --target columns, or label sets)"}
_DIRECTIONS = {"over": "add", "under": "remove", "both": "add, remove"}
#: Lines a description may take in the listing; the full text is one `smotekit methods NAME` away.
_DESCRIPTION_LINES = 2
_MIN_DESCRIPTION_WIDTH = 20
# Sphinx roles (:class:`~a.B`, :func:`title <target>`) and inline literals, found in one pass so that a
# literal's content (``a ** b``) is never read as emphasis markup.
_MARKUP = re.compile(r":[\w.:+-]+:`(?P<role>[^`]*)`|``(?P<literal>.+?)``|`(?P<default>[^`]+)`")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(`'\"])")
# A full stop after these ends no sentence ("an object (e.g. KMeans)").
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "cf.", "resp.", "approx.", "incl.", "al.", "eq.",
                            "fig.", "no."})


def _role_text(text: str) -> str:
    titled = re.fullmatch(r"(.*?)\s*<[^>]*>", text, re.S)
    if titled:  # `title <target>` shows the title
        return titled.group(1)
    return text.rsplit(".", 1)[-1] if text.startswith("~") else text


def plain_text(text: str) -> str:
    """``text`` (reStructuredText from a docstring) as plain text on one line.

    Sphinx roles keep their text (``:class:`~a.B``` becomes ``B``), inline
    literals and emphasis lose their markers, and whitespace runs become one
    space. Text inside a literal is kept as written: ````a ** b```` stays
    ``a ** b``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    text = " ".join(text.split())  # first, so that markup spanning a line break is found
    parts, end = [], 0
    for match in _MARKUP.finditer(text):
        parts.append(_EMPHASIS.sub(r"\2", text[end:match.start()]))
        role, literal, default = match.group("role", "literal", "default")
        parts.append(_role_text(role) if role is not None else literal if literal is not None else default)
        end = match.end()
    parts.append(_EMPHASIS.sub(r"\2", text[end:]))
    return "".join(parts)


def _inside_brackets(text: str) -> bool:
    """Whether ``text`` ends inside brackets.

    Any closing bracket closes any opening one, so that the half-open
    intervals of parameter ranges, "(0, 1]" and "[0, 1)", count as closed.
    """
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:  # a stray ')' ("1) first") opens nothing to close later
            depth -= 1
    return depth > 0


def _first_sentence(text: str) -> str:
    """The text up to the first full stop that ends a sentence: not after an abbreviation, not in brackets."""
    for match in _SENTENCE_END.finditer(text):
        before = text[:match.start()]
        if _inside_brackets(before):
            continue
        if before.rsplit(None, 1)[-1].lstrip("([").lower() in _ABBREVIATIONS:
            continue
        return before
    return text


def _doc(cls) -> str:
    return inspect.getdoc(cls) or ""


def summary(cls, *, extended: bool = False) -> str:
    """The first sentence of ``cls``'s docstring as plain text, or with ``extended`` its first paragraphs.

    Parameters
    ----------
    cls : type
    extended : bool, default=False
        Also the paragraphs that follow, up to the first section heading.

    Returns
    -------
    str
        Paragraphs separated by blank lines.
    """
    paragraphs = []
    for block in _doc(cls).split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or _is_heading(lines):
            break
        paragraphs.append(plain_text(block))
        if not extended:
            return _first_sentence(paragraphs[0])
    return "\n\n".join(paragraphs)


def _is_heading(lines) -> bool:
    return len(lines) >= 2 and set(lines[1].strip()) == {"-"} and len(lines[1].strip()) >= 3


def parameter_docs(cls) -> dict:
    """``{parameter: (type, description)}`` from the Parameters section of ``cls``'s numpydoc docstring.

    A deliberately small reader of the numpydoc layout (``name : type`` at
    the section's indentation, the description indented below it, the
    section ending at the next ``Heading`` / ``-------`` pair), so that the
    command needs no documentation tool at run time; the tests compare it
    with numpydoc's own parser on every sampler.

    Parameters
    ----------
    cls : type

    Returns
    -------
    dict
        Names as written (``a, b`` entries give one item per name); the type
        and description as they appear, description lines joined by spaces.
    """
    lines = _doc(cls).splitlines()
    out: dict = {}
    start = next((i + 2 for i in range(len(lines) - 1)
                  if lines[i].strip() == "Parameters" and _is_heading(lines[i:i + 2])), None)
    if start is None:
        return out
    current = None
    for i in range(start, len(lines)):
        line = lines[i]
        if _is_heading(lines[i:i + 2]):
            break
        if line and not line[0].isspace():
            names, _, kind = line.partition(" : ") if " : " in line else (line.rstrip(" :"), "", "")
            current = [kind.strip(), []]
            for name in names.split(","):
                out[name.strip()] = current
        elif current is not None and line.strip():
            current[1].append(line.strip())
    return {name: (kind, " ".join(desc)) for name, (kind, desc) in out.items()}


def references(cls) -> list:
    """The entries of the References section of ``cls``'s numpydoc docstring, as plain text.

    Entries are written ``.. [1] Surname, I., Other, J. & Last, K. (2014). Title. Venue.``,
    their text indented on the lines that follow.

    Parameters
    ----------
    cls : type

    Returns
    -------
    list of str
    """
    lines = _doc(cls).splitlines()
    start = next((i + 2 for i in range(len(lines) - 1)
                  if lines[i].strip() == "References" and _is_heading(lines[i:i + 2])), None)
    if start is None:
        return []
    entries = []
    for i in range(start, len(lines)):
        if _is_heading(lines[i:i + 2]):
            break
        line = lines[i].strip()
        marker = re.match(r"\.\. \[\w+\]\s*", line)
        if marker:
            entries.append([line[marker.end():]])
        elif line and entries:
            entries[-1].append(line)
    return [plain_text(" ".join(entry)) for entry in entries]


# An author's initials ("M.", "W.-Y.", "M. M."), told apart from surnames in an author list.
_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.[\s-]*)+")


def paper(cls) -> str:
    """The first reference of ``cls`` in short: ``'Barua et al. (2014)'``, ``'Koziarski & Woźniak (2017)'``,
    or ``''`` without one.

    Parameters
    ----------
    cls : type

    Returns
    -------
    str
    """
    found = references(cls)
    head = re.match(r"(?P<authors>.+?) \((?P<year>\d{4})\)", found[0]) if found else None
    if head is None:
        return ""
    tokens = [t.strip() for t in re.split(r",|&", head["authors"]) if t.strip()]
    surnames = [t for t in tokens if not _INITIALS.fullmatch(t)]
    if not surnames:
        return ""
    names = surnames[0] if len(surnames) == 1 else " & ".join(surnames) if len(surnames) == 2 \
        else f"{surnames[0]} et al."
    return f"{names} ({head['year']})"


def _format_default(value) -> str:
    return "(required)" if value is REQUIRED else repr(value)


def _width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


def _wrap_cell(text: str, width: int, max_lines: int) -> list:
    lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        # Room for the ellipsis: drop the last words of the last line if it is full.
        lines[-1] = textwrap.shorten(lines[-1], width - 1, placeholder="") + "…"
    return lines


def _table(header, rows, groups, width) -> list:
    """Lines of a table whose last column wraps to fit ``width``; ``groups`` titles the rows."""
    fixed = [max(len(str(r[j])) for r in [header, *rows]) for j in range(len(header) - 1)]
    last = max(width - sum(fixed) - 2 * len(fixed), _MIN_DESCRIPTION_WIDTH)
    widths = [*fixed, min(last, max(len(" ".join(r[-1]) if isinstance(r[-1], tuple) else r[-1])
                                    for r in [header, *rows]))]

    def line(cells):
        return "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    for title, row in zip(groups, rows):
        if title:
            out.append(title)
        text, cited = row[-1] if isinstance(row[-1], tuple) else (row[-1], "")
        wrapped = _wrap_cell(text, widths[-1], _DESCRIPTION_LINES)
        if cited:
            wrapped += _wrap_cell(cited, widths[-1], 1)
        out.append(line([*row[:-1], wrapped[0]]))
        out.extend(line([""] * len(fixed) + [more]) for more in wrapped[1:])
    return out


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _list_methods(available: dict, kind: str | None, verbose: bool) -> None:
    width = _width()
    order = list(_KIND_TITLES)
    listed = []
    for name, cls in available.items():
        caps = capabilities(cls)
        if kind is None or caps.kind == kind:
            listed.append((order.index(caps.kind) if caps.kind in order else len(order), name, cls, caps))
    listed.sort(key=lambda item: (item[0], item[1]))
    # A column that says "yes" on every row says nothing: shown only when some method is binary-only.
    show_multiclass = not all(caps.multiclass for *_, caps in listed)
    header = ["method", "CLI name", "categorical", "NaN", *(["multiclass"] if show_multiclass else []),
              "description"]
    rows, groups, seen = [], [], set()
    for _, name, cls, caps in listed:
        names = cli_names(name)
        rows.append([name, names[1] if len(names) > 1 else names[0], caps.categorical, _yes(caps.nan),
                     *([_yes(caps.multiclass)] if show_multiclass else []), (summary(cls), paper(cls))])
        groups.append(None if caps.kind in seen else f"[{_KIND_TITLES.get(caps.kind, caps.kind)}]")
        seen.add(caps.kind)
    print("\n".join(_table(header, rows, groups, width)))
    notes = [
        "Under each description, the method's paper: smotekit methods NAME gives the full reference.",
        "CLI name: what to pass to --method / --methods; the class name works too, in any case, with or "
        "without '-' or '_' (borderline-smote = BorderlineSMOTE).",
        "categorical: yes = the method uses categorical columns; kept = rows are kept or copied whole, so any "
        "value passes; no = numbers only. NaN: whether missing values are accepted (default parameters).",
    ]
    if not show_multiclass and listed:
        notes.append("Every method listed handles targets with two or more classes.")
    if kind is None:
        notes.append("For a numeric target (regression) or several labels per row (multi-label): smotekit methods "
                     "--kind regression, --kind multilabel.")
    if verbose:
        print()
        for _, name, cls, _ in listed:
            params = ", ".join(f"{p}={_format_default(d)}" for p, d in parameters_of(cls).items())
            print(textwrap.fill(f"{name}({params})", width, subsequent_indent="    ", break_on_hyphens=False))
    else:
        notes.append("Parameters, defaults and what they mean: smotekit methods NAME (or --verbose for all).")
    print()
    for text in notes:
        print(textwrap.fill(text, width, break_on_hyphens=False))


def _family_caps(cls, family: str) -> tuple:
    """``(categorical, nan)`` of a regression or multi-label sampler, as the listing writes them."""
    tags = cls().__sklearn_tags__()
    copies = not getattr(cls, "_reads_values", True)  # rows copied or deleted whole
    categorical = "kept" if copies else "yes" if tags.input_tags.categorical else "no"
    return categorical, bool(tags.input_tags.allow_nan)


def _list_family(family: str, verbose: bool) -> None:
    width = _width()
    available = family_samplers(family)
    header = ["method", "CLI name", "rows", "categorical", "NaN", "description"]
    rows = []
    for name, cls in available.items():
        categorical, nan = _family_caps(cls, family)
        direction = family_direction(name, cls, family)
        rows.append([name, family_cli_names(name, family)[0], _DIRECTIONS.get(direction, direction), categorical,
                     _yes(nan), (summary(cls), paper(cls))])
    groups = [f"[{_FAMILIES[family]}]"] + [None] * (len(rows) - 1)
    print("\n".join(_table(header, rows, groups, width)))
    target = "--target-kind regression" if family == "regression" else "several --target columns (or " \
        "--target-kind multilabel with a column of label sets)"
    notes = [f"Pass the CLI name to smotekit resample --method with {target}; the class name works too, in any "
             "case.",
             "rows: whether the method adds rows, removes rows, or both. categorical: yes = nominal columns are "
             "used (categorical_features='auto'); kept = rows are copied or deleted whole, so any value passes; "
             "no = numbers only."]
    if verbose:
        print()
        for name, cls in available.items():
            params = ", ".join(f"{p}={_format_default(d)}" for p, d in parameters_of(cls).items())
            print(textwrap.fill(f"{name}({params})", width, subsequent_indent="    ", break_on_hyphens=False))
    else:
        notes.append("Parameters, defaults and what they mean: smotekit methods NAME (or --verbose for all).")
    print()
    for text in notes:
        print(textwrap.fill(text, width, break_on_hyphens=False))


def _show_method(name: str, cls, family: str | None = None) -> None:
    width = _width()
    module = ".".join(p for p in cls.__module__.split(".") if not p.startswith("_"))
    if family is None:
        caps = capabilities(cls)
        print(f"{name}: {_KIND_TITLES.get(caps.kind, caps.kind)}")
        accepts = (f"categorical columns: {caps.categorical}; missing values (NaN): {_yes(caps.nan)}; "
                   f"more than two classes: {_yes(caps.multiclass)}")
        names = cli_names(name)
    else:
        categorical, nan = _family_caps(cls, family)
        direction = _DIRECTIONS.get(family_direction(name, cls, family), "")
        title = "regression (a numeric target)" if family == "regression" else "multi-label (several labels per row)"
        print(textwrap.fill(f"{name}: {title}" + (f"; rows: {direction}" if direction else ""), width,
                            subsequent_indent="    ", break_on_hyphens=False))
        accepts = f"categorical columns: {categorical}; missing values (NaN): {_yes(nan)}"
        names = family_cli_names(name, family)
    facts = [f"Python:    from {module} import {name}",
             f"CLI names: {', '.join(names)}",
             f"Accepts:   {accepts}"]
    if paper(cls):
        facts.append(f"Paper:     {paper(cls)}")
    for fact in facts:
        print(textwrap.fill(fact, width, subsequent_indent=" " * 11, break_on_hyphens=False))
    for paragraph in summary(cls, extended=True).split("\n\n"):
        print()
        print(textwrap.fill(paragraph, width, break_on_hyphens=False))
    docs = parameter_docs(cls)
    print("\nParameters (default):")
    for param, default in parameters_of(cls).items():
        print(textwrap.fill(f"  {param} = {_format_default(default)}", width, subsequent_indent="      ",
                            break_on_hyphens=False))
        text = _first_sentence(plain_text(docs[param][1])) if param in docs else ""
        if text:
            print(textwrap.fill(text, width, initial_indent="      ", subsequent_indent="      ",
                                break_on_hyphens=False))
    cited = references(cls)
    if cited:
        print("\nReferences:")
        for entry in cited:
            print(textwrap.fill(entry, width, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False))
    if family == "regression" and "relevance" in parameters_of(cls):
        print()
        print(textwrap.fill("On the command line, the relevance is set by its own parameters: --param "
                            "extremes=both|high|low, --param coef=1.5, --param control_points=[[y1,r1],[y2,r2],...] "
                            "(target value, relevance in [0, 1]).", width, break_on_hyphens=False))
    print(f"\nThe whole documentation: python -c \"help('{module}.{name}')\"")


def _find(text: str, family: str | None):
    """``(name, class, family)`` of the method called ``text``: in ``family``, else the classification
    samplers first, then the regression and multi-label ones (family None for classification)."""
    from ._targets import resolve_family_method

    if family is not None:
        return (*resolve_family_method(text, family), family)
    try:
        return (*resolve_method(text, samplers()), None)
    except UserError as first:
        for other in _FAMILIES:
            try:
                return (*resolve_family_method(text, other), other)
            except UserError:
                continue
        raise first from None


def cmd_methods(args) -> int:
    family = args.kind if args.kind in _FAMILIES else None
    if args.name:
        _show_method(*_find(args.name, family))
    elif family is not None:
        _list_family(family, args.verbose)
    else:
        _list_methods(samplers(), args.kind, args.verbose)
    return 0
