"""The report notebook as the analyst's workbench in JupyterLab: the parts of the page displayed
with the page's own styles, scoped so they style the report and nothing of JupyterLab's (and
strong enough that JupyterLab's table styles do not override them); a kit error shown as a short
Chinese message (``KitError._render_traceback_``), not a traceback.

In the HTML the kit exports, the page's <head> carries the styles: the notebook's style output is
marked so the export leaves it out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import paths
from .document import Report
from .fragments import fragment

SCOPE = ".nianbao-report"
# Repeated, the class outranks JupyterLab's own output styles (two classes and a few elements).
STRONG = SCOPE * 3
STYLE_MARK = "style"  # the display metadata {"nianbao": "style"}: left out of the exported page
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_WHOLE_PAGE = {":root", "html", "body", "main.report", "main.report.wide"}


def _blocks(css: str):
    """(prelude, body) of each top-level rule, nested braces kept in the body."""
    i = 0
    while (start := css.find("{", i)) >= 0:
        depth, j = 1, start + 1
        while depth and j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        yield css[i:start].strip(), css[start + 1:j - 1]
        i = j


def scoped(css: str, scope: str = STRONG) -> str:
    """``css`` with every selector inside ``scope`` (the page's :root, html, body and main are
    the scope itself); @page rules, which only printing uses, left out."""
    out = []
    for prelude, body in _blocks(_COMMENT.sub("", css)):
        if prelude.startswith("@media"):
            out.append(f"{prelude}{{{scoped(body, scope)}}}")
        elif not prelude.startswith("@"):
            selectors = [s.strip() for s in prelude.split(",")]
            out.append(",".join(scope if s in _WHOLE_PAGE else f"{scope} {s}" for s in selectors)
                       + f"{{{body}}}")
    return "\n".join(out)


@lru_cache(maxsize=1)
def _style() -> str:
    css = (paths.NBCONVERT_TEMPLATES / "nianbao" / "report.css").read_text(encoding="utf-8")
    return f"<style>{scoped(css)}</style>"


class _Html:
    """HTML for IPython.display, with display metadata."""

    def __init__(self, html: str, metadata: dict | None = None):
        self.html, self.metadata = html, metadata or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html}, self.metadata


def style() -> _Html:
    """The page's styles for JupyterLab; the exported page has its own in <head>."""
    return _Html(_style(), {"nianbao": STYLE_MARK})


def part(name: str, report: Report, section: str | None = None) -> _Html:
    """One part of the page (fragments.fragment), inside the styles' scope."""
    return _Html(f'<div class="{SCOPE[1:]}">{fragment(name, report, section)}</div>')


def sections(report: Report) -> list[_Html]:
    return [part("section", report, s.key) for s in report.doc.spec.sections]
