"""The HTML pieces the report notebook displays, from Jinja templates with autoescaping: any
text from a params file (narrative, names) reaches the page as text, never as markup."""

from __future__ import annotations

from ..model import SEVERITY_ZH, finding_id
from .chart import CAPTION
from .document import ANSWERED_NOTE, ANSWERED_TITLE, LEDGER_TITLE, Report
from .templating import environment

PARTS = ("header", "findings", "section", "footer")


def fragment(part: str, report: Report, section: str | None = None) -> str:
    """One part of the page: "header" (banner, title, preface), "findings", "section" (with the
    key of one of 一 … 六) or "footer" (provenance)."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; one of {', '.join(PARTS)}")
    context = {"report": report, "severity": SEVERITY_ZH, "finding_id": finding_id,
               "answered_title": ANSWERED_TITLE, "answered_note": ANSWERED_NOTE, "ledger_title": LEDGER_TITLE,
               "chart_caption": CAPTION.format(year=report.doc.meta.year)}
    if part == "section":
        context["spec"] = next(s for s in report.doc.spec.sections if s.key == section)
    return environment().get_template(f"{part}.html.j2").render(context)
