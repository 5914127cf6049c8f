"""One township-year ready to print: loaded, checked, narrated and tabulated.

This is what the report notebook calls; everything it shows comes from a Report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .chart import handling_chart
from .checks.run import check_one
from .errors import KitError
from .formats import PREFACE_TEMPLATE, REGULATION, TITLE_TEMPLATE
from .model import CheckReport, Finding, Location, TownshipYear
from .narrative import resolve
from .tables import Grid, grids

PASS, WARN, FAIL = "pass", "warn", "fail"
STATUS_TEXT = {PASS: "校验通过", WARN: "有警告", FAIL: "校验未通过（不得发布）"}


class ReportRejected(KitError):
    """Strict mode: the report has error findings and must not be published."""

    def __init__(self, path: str, errors: tuple[str, ...]):
        self.path, self.errors = str(path), tuple(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{self.path}: 校验未通过，严格模式下不生成报告（strict: {len(self.errors)} errors）\n{lines}")

    def _args(self) -> tuple:
        return (self.path, self.errors)


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
    def status(self) -> str:
        if self.check.errors:
            return FAIL
        return WARN if self.check.warnings else PASS

    @property
    def finding_groups(self) -> list[FindingGroup]:
        return group_findings(self.check.findings)

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def title(self) -> str:
        return TITLE_TEMPLATE.format(unit=self.doc.meta.unit, year=self.doc.meta.year)

    @property
    def preface(self) -> str:
        return PREFACE_TEMPLATE.format(regulation=REGULATION, document=self.doc.spec.document,
                                       year=self.doc.meta.year)

    def stop_if_invalid(self, strict: bool) -> None:
        """In strict mode, refuse to go on when an error finding exists."""
        if strict and self.check.errors:
            raise ReportRejected(self.doc.path, tuple(
                f"{f.rule} {f.location.describe()}：{f.message}" for f in self.check.errors))


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def prepare_report(params_path: str | Path, notebook_sha256: str = "") -> Report:
    """Load, check, narrate and tabulate one params file (ParamsError if it cannot be read)."""
    doc, check = check_one(params_path)
    narrative, generated = resolve(doc)
    provenance = Provenance(str(params_path), file_sha256(params_path), __version__,
                            notebook_sha256 or "（交互运行）",
                            datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %z"))
    return Report(doc, check, narrative, generated, grids(doc, check.findings),
                  handling_chart(doc), provenance)
