"""One township-year ready to print: loaded, checked, narrated and tabulated — the one document
every output reads.

The report notebook prepares it (``prepare_report``) and displays it; its title, status and
findings also travel with the executed notebook as a record (``RECORD_MIME``), which the build
reads instead of checking the report again and which names the page.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..checks.folder import CountyFolder
from ..checks.ledger import timeliness
from ..formats.ledger import open_cases_heading
from ..errors import ReportRejected
from ..formats import PREFACE_TEMPLATE, REGULATION, TITLE_TEMPLATE
from ..model import EXPLAINED, FALSE_POSITIVE, CheckReport, Finding, Location, Review, TownshipYear
from .chart import handling_chart
from .narrative import resolve
from .status import Status, check_status
from .tables import Grid, grids

# The mimetype of the record the notebook displays for the build (never shown on a page).
RECORD_MIME = "application/vnd.nianbao.report+json"
# What the record counts of the office's reviews: findings no review answers, and those cleared
ANSWERED_COUNTS = ("open", "explained", "false_positives")


def signed_date(published: str | None) -> str | None:
    """The date under the sign-off as printed (2022-01-21 → 2022年1月21日); None unpublished."""
    if not published:
        return None
    y, m, d = (int(x) for x in published.split("-"))
    return f"{y}年{m}月{d}日"


def report_title(unit: str, year: int) -> str:
    """The title of a township-year's report, on every page and in every form."""
    return TITLE_TEMPLATE.format(unit=unit, year=year)


@dataclass(frozen=True)
class Provenance:
    params_path: str
    params_sha256: str
    kit_version: str
    notebook_sha256: str  # of the report notebook's source, passed in by the renderer
    built_at: str  # the one part of a page that differs between two builds of the same inputs


@dataclass(frozen=True)
class FindingGroup:
    """Findings that say the same thing (rule, message, expected, found) in several places."""

    finding: Finding
    locations: tuple[Location, ...]


def group_findings(findings: tuple[Finding, ...]) -> list[FindingGroup]:
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.rule, f.severity, f.message, f.expected, f.found), []).append(f)
    return [FindingGroup(fs[0], tuple(f.location for f in fs)) for fs in groups.values()]


@dataclass(frozen=True)
class Report:
    doc: TownshipYear
    check: CheckReport
    narrative: dict[str, str]  # as printed: the analyst's text, and the kit's where it was asked
    generated: frozenset[str]  # the sections the kit wrote
    grids: dict[str, Grid]
    chart: str | None
    provenance: Provenance

    @property
    def status(self) -> Status:
        return check_status(self.check)

    @property
    def finding_groups(self) -> list[FindingGroup]:
        """The findings that still count (a review of 已核实 leaves one counting), grouped."""
        return group_findings(standing(self.check))

    @property
    def answered(self) -> tuple[tuple[Finding, Review], ...]:
        """The findings the office's reviews cleared (已说明, 误报), printed with their reasons."""
        return self.check.answered

    @property
    def title(self) -> str:
        return report_title(self.doc.meta.unit, self.doc.meta.year)

    @property
    def signed(self) -> str | None:
        return signed_date(self.doc.meta.published)

    @property
    def preface(self) -> str:
        return PREFACE_TEMPLATE.format(regulation=REGULATION, document=self.doc.spec.document,
                                       year=self.doc.meta.year)

    def frames(self):
        """Tables 二, 三, 四 as pandas DataFrames (official labels as index, blanks missing), each
        made when first asked for."""
        from .frames import Frames

        return Frames(self.doc)

    def record(self) -> dict:
        """What every output needs of this report, displayed (hidden) by the notebook:
        ``display(report.record(), raw=True)`` — the title, status and counts the build and the
        index read, and the printable document the Word and PDF forms are made from."""
        return {RECORD_MIME: {"title": self.title, "status": self.status.key,
                              **self.counts(), "document": self.printable()}}

    def counts(self) -> dict[str, int]:
        """Open errors and warnings, findings no review answers yet, and those cleared."""
        check = self.check
        return {"errors": len(check.errors), "warnings": len(check.warnings), "open": len(check.open),
                "explained": check.counted(EXPLAINED), "false_positives": check.counted(FALSE_POSITIVE)}

    def printable(self) -> dict:
        """The report as printed, in plain data: title, date, preface, mark, each section's
        paragraphs and its table's grid. What the official form shows, nothing more."""
        def paragraphs(key: str) -> list[str]:
            return [p for p in self.narrative.get(key, "").split("\n") if p.strip()]
        sections = [{"key": s.key, "title": s.title, "paragraphs": paragraphs(s.key),
                     "subsections": [{"title": sub.title, "paragraphs": paragraphs(f"{s.key}.{sub.key}")}
                                     for sub in s.subsections],
                     "table": self.grids[s.table].as_dict() if s.table else None}
                    for s in self.doc.spec.sections]
        meta = self.doc.meta
        return {"title": self.title, "unit": meta.unit, "year": meta.year,
                "published": meta.published, "signed": signed_date(meta.published),
                "preface": self.preface, "sample": meta.sample,
                "status": self.status.key, "banner": self.status.banner,
                "built_at": self.provenance.built_at,
                "errors": len(self.check.errors), "warnings": len(self.check.warnings),
                "sections": sections, "answered": answered_notes(self.answered),
                "answered_title": ANSWERED_TITLE, "answered_note": ANSWERED_NOTE,
                "ledger": {"title": LEDGER_TITLE, "lines": self.ledger_annex} if self.ledger_annex else None}

    @cached_property
    def ledger_annex(self) -> list[str]:
        """The ledger's annex (the page's footer and the printable document both print it)."""
        return ledger_annex_lines(self.doc)

    def stop_if_invalid(self, strict: bool) -> None:
        """In strict mode, refuse to go on when an error finding exists."""
        if strict and self.check.errors:
            raise ReportRejected(self.doc.path, tuple(
                f"{f.rule} {f.location.describe()}：{f.message}" for f in self.check.errors))


def standing(check: CheckReport) -> tuple[Finding, ...]:
    """The findings no review clears: what the report's findings table and grids mark."""
    return tuple(f for f in check.findings if not check.cleared(f))


ANSWERED_TITLE = "校验说明"
ANSWERED_NOTE = "以下问题经审核予以说明，不属于正式报告表格内容。"
LEDGER_TITLE = "依申请公开办理时效（据台账）"


def ledger_annex_lines(doc: TownshipYear) -> list[str]:
    """The ledger annex: answered within the legal time, late ones listed, those open past the
    year; [] without a ledger. Not part of the official tables."""
    t = timeliness(doc)
    if t is None:
        return []
    out = [f"据依申请公开台账（{t['file']}）统计，不属于正式报告表格内容。本年度答复申请 {t['answered']} 件，"
           f"其中在法定期限内答复 {t['on_time']} 件、逾期 {t['answered'] - t['on_time']} 件（《条例》第三十三条："
           "自收到申请之日起 20 个工作日内答复，延期的不超过 20 个工作日；需补正的，自收到补正后申请之日起算；"
           "工作日按国务院公布的节假日安排计）。"]
    for late in t["late"]:
        when = f"{late['answered']} 答复" if late["answered"] else "至 12月31日 未答复"
        guess = "（期限按周一至周五估算）" if late["estimated"] else ""
        out.append(f"逾期：编号 {late['no'] or '（无）'}（台账第 {late['row']} 行），{late['received']} 收到，"
                   f"应于 {late['deadline']} 前答复{guess}，{when}。")
    if t["open"]:
        out.append(f"12月31日仍未办结、结转下年度的申请 {len(t['open'])} 件：" + "；".join(
            f"编号 {r['no'] or '（无）'}（{r['received']} 收到）" for r in t["open"]) + "。")
    if t["open_cases"]:
        out.append(f"{open_cases_heading(doc.spec)}：" + "；".join(c["no"] or f"第 {c['row']} 行" for c in t["open_cases"]) + "。")
    return out


def answered_notes(answered) -> list[dict]:
    """Each cleared finding as printed after the report: where, what the rule says, the verdict
    and its reason, who and when."""
    return [{"id": f.id, "rule": f.rule, "where": f.location.describe(), "message": f.message,
             "verdict": r.verdict, "reason": r.reason, "by": r.by, "date": r.date}
            for f, r in answered]


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def shown_path(path: str | Path) -> str:
    """A params path as pages show it: relative to the current folder when it is inside it, so
    `render` and `build` of the same file print the same path."""
    path = Path(path)
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd().resolve())).as_posix() \
            if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path.resolve())
    except (OSError, ValueError):
        return str(path)


def prepare_report(params_path: str | Path, notebook_sha256: str = "") -> Report:
    """Load, check, narrate and tabulate one params file, with its folder's county file and last
    year's report (ParamsError if it cannot be read)."""
    folder = CountyFolder.open_file(params_path)
    doc = folder.docs[Path(params_path)]
    check = folder.report(Path(params_path))
    narrative, generated = resolve(doc)
    provenance = Provenance(shown_path(params_path), file_sha256(params_path), __version__,
                            notebook_sha256 or "（交互运行）",
                            datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %z"))
    return Report(doc, check, narrative, generated, grids(doc, standing(check)),
                  handling_chart(doc), provenance)
