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
from ..errors import NoReport
from .document import Report, prepare_report
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


def open_report(params_path, notebook_sha256: str = "") -> Report:
    """This run's report (document.prepare_report): the notebook sets ``report = None`` before
    asking, so when the file cannot be read no cell below has an earlier township to show."""
    return prepare_report(params_path, notebook_sha256)


def _this_run(report: Report | None) -> Report:
    """``report``, or a short refusal when this run made none (a cell above failed; under Run
    All, cells after a failure may still run, and must not show what an earlier run left)."""
    if not isinstance(report, Report):
        raise NoReport()
    return report


def part(name: str, report: Report | None, section: str | None = None) -> _Html:
    """One part of the page (fragments.fragment), inside the styles' scope."""
    return _Html(f'<div class="{SCOPE[1:]}">{fragment(name, _this_run(report), section)}</div>')


def sections(report: Report | None) -> list[_Html]:
    return [part("section", report, s.key) for s in _this_run(report).doc.spec.sections]


def record(report: Report | None) -> dict:
    """The hidden record every output reads (``display(record(report), raw=True)``)."""
    return _this_run(report).record()


def stop_if_invalid(report: Report | None, strict: bool) -> None:
    """In strict mode, no report with error findings goes on to be displayed."""
    _this_run(report).stop_if_invalid(strict)
