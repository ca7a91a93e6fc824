"""Aligned plain-text tables, for terminals and logs."""

from __future__ import annotations

__all__ = ["format_table"]


def format_table(header, rows, *, align=None) -> str:
    """Rows of strings as an aligned text table (first column left-aligned, the rest right)."""
    table = [list(map(str, header))] + [list(map(str, r)) for r in rows]
    widths = [max(len(r[j]) for r in table) for j in range(len(header))]
    align = align or ["<"] + [">"] * (len(header) - 1)
    lines = []
    for i, row in enumerate(table):
        lines.append("  ".join(f"{c:{a}{w}}" for c, a, w in zip(row, align, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
