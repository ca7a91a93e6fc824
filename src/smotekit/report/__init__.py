"""A self-contained HTML report: one file, styles inline, images embedded as base64 PNG.

The page makes no network request (no fonts, scripts or stylesheets from
elsewhere), so it can be mailed, archived or opened offline.
"""

from __future__ import annotations

import base64
import html
import io
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["HtmlReport", "figure_to_png"]

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:.9rem}table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
th,td{padding:.3rem .7rem;border-bottom:1px solid #e4e4e4;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f4f6f8}
td.best{font-weight:700;background:#e6f4ea}figure{margin:1rem 0}figure img{max-width:100%;
border:1px solid #eee}figcaption{color:#555;font-size:.9rem}p.note{color:#555;font-size:.9rem}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto}
"""


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
        self._parts: list[str] = []

    def heading(self, text: str) -> HtmlReport:
        """Start a section."""
        self._parts.append(f"<h2>{html.escape(text)}</h2>")
        return self

    def paragraph(self, text: str, *, note: bool = False) -> HtmlReport:
        """A paragraph of plain text (escaped)."""
        cls = ' class="note"' if note else ""
        self._parts.append(f"<p{cls}>{html.escape(text)}</p>")
        return self

    def preformatted(self, text: str) -> HtmlReport:
        """Monospaced text, as printed in a terminal."""
        self._parts.append(f"<pre>{html.escape(text)}</pre>")
        return self

    def table(self, header, rows, *, best=None) -> HtmlReport:
        """A table of strings; cells listed in ``best`` (``(row, column)`` pairs) are highlighted.

        Parameters
        ----------
        header : sequence of str
        rows : sequence of sequences of str
        best : set of (int, int), default=None
            Positions (row index, column index) to highlight as the best value.
        """
        best = best or set()
        out = ["<table><thead><tr>", *(f"<th>{html.escape(str(h))}</th>" for h in header), "</tr></thead><tbody>"]
        for i, row in enumerate(rows):
            cells = "".join(
                f'<td class="best">{html.escape(str(c))}</td>' if (i, j) in best else f"<td>{html.escape(str(c))}</td>"
                for j, c in enumerate(row))
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
        self._parts.append("".join(out))
        return self

    def figure(self, fig, caption: str = "", *, dpi: int = 100) -> HtmlReport:
        """Embed a matplotlib figure as a base64 PNG."""
        return self.image(figure_to_png(fig, dpi=dpi), caption)

    def image(self, png: bytes, caption: str = "") -> HtmlReport:
        """Embed PNG bytes."""
        data = base64.b64encode(png).decode("ascii")
        cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        img = f'<img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        self._parts.append(f"<figure>{img}{cap}</figure>")
        return self

    def render(self) -> str:
        """The whole page as a string."""
        from .. import __version__

        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        sub = f"<div class=\"meta\">{html.escape(self.subtitle)}</div>" if self.subtitle else ""
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(self.title)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{html.escape(self.title)}</h1>{sub}"
            f"<div class=\"meta\">smotekit {html.escape(__version__)} · {stamp}</div>"
            + "\n".join(self._parts) + "</body></html>\n"
        )

    def write(self, path) -> Path:
        """Write the page (UTF-8) and return its path."""
        path = Path(path)
        path.write_text(self.render(), encoding="utf-8")
        return path
