"""A self-contained HTML report: one file, styles inline, images embedded as base64 PNG.

The page makes no network request (no fonts, scripts or stylesheets from
elsewhere), so it can be mailed, archived or opened offline. It is rendered
by a Jinja2 template with autoescaping on: every text placed in it (titles,
file, column and class names, table cells, captions) is HTML-escaped by the
template engine, whatever the section that adds it. Jinja2 comes with the
``[cli]`` extra and is imported only when a page is rendered.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
from datetime import datetime, timezone
from pathlib import Path

from ._text import format_table

__all__ = ["HtmlReport", "INSTALL_HINT", "figure_axes", "figure_to_png", "format_table"]

INSTALL_HINT = 'The HTML report needs Jinja2: pip install "smotekit[cli]" (or pip install jinja2).'

# The style sheet is template text, not a variable: autoescaping would turn its quotes into
# entities, which a <style> element does not decode.
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title><style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:.9rem}table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
th,td{padding:.3rem .7rem;border-bottom:1px solid #e4e4e4;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f4f6f8}
td.best{font-weight:700;background:#e6f4ea}figure{margin:1rem 0}figure img{max-width:100%;
border:1px solid #eee}figcaption{color:#555;font-size:.9rem}p.note{color:#555;font-size:.9rem}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto}
</style></head><body>
<h1>{{ title }}</h1>
{% if subtitle %}<div class="meta">{{ subtitle }}</div>{% endif %}
<div class="meta">smotekit {{ version }} · {{ stamp }}</div>
{% for s in sections %}
{% if s.kind == "heading" %}<h2>{{ s.text }}</h2>
{% elif s.kind == "paragraph" %}<p{% if s.note %} class="note"{% endif %}>{{ s.text }}</p>
{% elif s.kind == "preformatted" %}<pre>{{ s.text }}</pre>
{% elif s.kind == "table" %}<table><thead><tr>{% for h in s.header %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in s.rows %}<tr>{% for cell in row %}<td{% if cell.best %} class="best"{% endif %}>{{ cell.text }}</td>\
{% endfor %}</tr>
{% endfor %}</tbody></table>
{% elif s.kind == "image" %}<figure><img alt="{{ s.caption }}" src="data:image/png;base64,{{ s.data }}">\
{% if s.caption %}<figcaption>{{ s.caption }}</figcaption>{% endif %}</figure>
{% endif %}
{% endfor %}
</body></html>
"""
_template = None


def _page_template():
    global _template
    if _template is None:
        try:
            import jinja2
        except ImportError as exc:
            raise ImportError(INSTALL_HINT) from exc
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                 lstrip_blocks=True, keep_trailing_newline=True)
        _template = env.from_string(_PAGE)
    return _template


def figure_axes(ncols: int = 1, figsize=(6.0, 4.5)):
    """``(figure, [axes...])`` for a picture written to a file or a report.

    The figure is never registered with pyplot, even when pyplot is loaded (a
    notebook, or a test session calling :func:`smotekit.cli.main`): pyplot would
    keep every figure of every run alive until closed.

    Parameters
    ----------
    ncols : int, default=1
        Axes side by side.
    figsize : (float, float), default=(6.0, 4.5)
        Inches.

    Returns
    -------
    fig : matplotlib Figure
    axes : list of matplotlib Axes
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, list(fig.subplots(1, ncols, squeeze=False)[0])


def figure_to_png(fig, *, dpi=100) -> bytes:
    """The PNG bytes of a matplotlib figure (matplotlib picks its PNG renderer, whatever the backend).

    Parameters
    ----------
    fig : matplotlib Figure
    dpi : int, default=100

    Returns
    -------
    png : bytes
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


class HtmlReport:
    """Build a report section by section, then :meth:`render` or :meth:`write` it.

    Every text given is shown as text: it is HTML-escaped when the page is
    rendered, so names from data files cannot inject markup.

    Parameters
    ----------
    title : str
        Page title and top heading.
    subtitle : str, default=''
        A line under the heading (e.g. the data set and the command).
    """

    def __init__(self, title: str, subtitle: str = ""):
        self.title = title
        self.subtitle = subtitle
        self._sections: list[dict] = []

    def heading(self, text: str) -> HtmlReport:
        """Start a section."""
        self._sections.append({"kind": "heading", "text": str(text)})
        return self

    def paragraph(self, text: str, *, note: bool = False) -> HtmlReport:
        """A paragraph of plain text (``note``: smaller, grey)."""
        self._sections.append({"kind": "paragraph", "text": str(text), "note": bool(note)})
        return self

    def preformatted(self, text: str) -> HtmlReport:
        """Monospaced text, as printed in a terminal."""
        self._sections.append({"kind": "preformatted", "text": str(text)})
        return self

    def table(self, header, rows, *, best=None) -> HtmlReport:
        """A table of values shown as text; cells listed in ``best`` are highlighted.

        Parameters
        ----------
        header : sequence
        rows : sequence of sequences
        best : set of (int, int), default=None
            ``(row, column)`` positions in this table (row 0 is the first
            row after the header, column 0 the first column) to highlight as
            the best value.
        """
        best = best or set()
        cells = [[{"text": str(c), "best": (i, j) in best} for j, c in enumerate(row)] for i, row in enumerate(rows)]
        self._sections.append({"kind": "table", "header": [str(h) for h in header], "rows": cells})
        return self

    def figure(self, fig, caption: str = "", *, dpi: int = 100) -> HtmlReport:
        """Embed a matplotlib figure as a base64 PNG."""
        return self.image(figure_to_png(fig, dpi=dpi), caption)

    def image(self, png: bytes, caption: str = "") -> HtmlReport:
        """Embed PNG bytes."""
        data = base64.b64encode(png).decode("ascii")
        self._sections.append({"kind": "image", "data": data, "caption": str(caption)})
        return self

    def render(self) -> str:
        """The whole page as a string.

        Raises
        ------
        ImportError
            When Jinja2 is not installed (the message says how to install it).
        """
        from .. import __version__

        return _page_template().render(
            title=str(self.title), subtitle=str(self.subtitle), version=__version__,
            stamp=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), sections=self._sections)

    def write(self, path) -> Path:
        """Write the page (UTF-8) and return its path.

        The page is rendered first, then written to a temporary file beside
        ``path`` and renamed onto it: ``path`` holds the whole page or is left
        as it was.
        """
        path = Path(path)
        page = self.render()
        # A unique name opened with 'x' (not mkstemp): the page gets the usual permissions, not 0600.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "x", encoding="utf-8") as fh:
                fh.write(page)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path
