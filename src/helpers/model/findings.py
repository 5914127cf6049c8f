"""Findings about a township-year — where each stands and its stable id — and the office's
reviews that answer them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..formats import ANSWERABLE, ERROR, INFO, WARNING

SEVERITY_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


CONFIRMED, EXPLAINED, FALSE_POSITIVE = "已核实", "已说明", "误报"  # a review's verdicts
VERDICTS = (CONFIRMED, EXPLAINED, FALSE_POSITIVE)


@dataclass(frozen=True)
class Review:
    """The office's answer to one finding (``reviews:`` in the params file): 已核实 — right, the
    township will fix it; 已说明 — a justified exception, whose reason the report prints; 误报 — the
    kit is wrong, and why (listed for the kit's maintainers)."""

    finding: str  # the finding's id (Finding.id)
    verdict: str  # one of VERDICTS
    by: str
    date: str  # ISO date
    reason: str = ""  # required for 已说明 and 误报
    line: int | None = None  # of its key in the params file

    @property
    def clears(self) -> bool:
        """An answered finding that no longer counts against the report (when its rule allows)."""
        return self.verdict != CONFIRMED


@dataclass(frozen=True)
class Location:
    """Where a finding is: a table cell (or row, or column), a narrative sentence, or a field."""

    table: str | None = None  # 二 / 三 / 四
    row: str | None = None  # official label
    column: str | None = None  # official label
    section: str | None = None  # official section title
    sentence: str | None = None  # the sentence of the narrative the finding is about
    field: str | None = None  # params field path (meta.year, table3.new …)
    line: int | None = None
    origin: str | None = None  # where it was typed: 崇文镇!D48, or a published file's line

    def describe(self) -> str:
        parts = []
        if self.table:
            parts.append(f"表{self.table}")
        parts += [f"「{x}」" for x in (self.row, self.column) if x]
        if self.section:
            parts.append(self.section)
        if self.sentence:
            parts.append(f"“{self.sentence}”")
        if not parts and self.field:
            parts.append(self.field)
        return " ".join(parts)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def finding_id(rule: str, location: Location) -> str:
    """A finding's stable id: its rule and where it stands — the field (table3.granted.total,
    meta.published), a row's columns, a sentence by the digest of its words — never the line,
    which an edit elsewhere in the file moves. T3-ROWTOTAL@table3.carry_forward.total,
    M-UNIT@narrative.general.platforms#3f9a2c."""
    import hashlib

    where = location.field or location.section or ""
    if location.column and where.count(".") < 2:
        where += "/" + location.column
    if location.sentence:
        where += "#" + hashlib.sha1("".join(location.sentence.split()).encode("utf-8")).hexdigest()[:6]
    return f"{rule}@{where}" if where else rule


@dataclass(frozen=True)
class Finding:
    rule: str  # format.md §6 id, e.g. T3-BALANCE
    severity: str  # ERROR / WARNING
    message: str  # Chinese
    location: Location
    expected: str | None = None
    found: str | None = None

    @property
    def id(self) -> str:
        return finding_id(self.rule, self.location)


@dataclass(frozen=True)
class CheckReport:
    """All findings about one params file, and the office's reviews that answer them.

    ``findings`` holds every finding that fires; a finding whose review clears it (已说明 or 误报,
    where its rule allows) is answered: it is no longer among ``errors`` and ``warnings``, which
    decide the status, and the report prints it with its reason instead."""

    path: str
    unit: str | None
    year: int | None
    findings: tuple[Finding, ...]
    reviews: Mapping[str, Review] = field(default_factory=dict)  # finding id → the review that applies

    def review(self, finding: Finding) -> Review | None:
        return self.reviews.get(finding.id)

    def cleared(self, finding: Finding) -> bool:
        review = self.reviews.get(finding.id)
        return review is not None and review.clears

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR and not self.cleared(f))

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == WARNING and not self.cleared(f))

    @property
    def answered(self) -> tuple[tuple[Finding, Review], ...]:
        """The findings a review clears, with it: printed with their reasons."""
        return tuple((f, self.reviews[f.id]) for f in self.findings if self.cleared(f))

    def counted(self, verdict: str) -> int:
        """How many findings a review of ``verdict`` clears (已说明, 误报)."""
        return sum(1 for f, r in self.answered if r.verdict == verdict)

    @property
    def open(self) -> tuple[Finding, ...]:
        """Errors and warnings a review may answer and none answers yet: what the office still
        has to look at (a finding about a review is mended in the review, not answered)."""
        return tuple(f for f in self.findings if f.severity in (ERROR, WARNING) and f.rule in ANSWERABLE
                     and f.id not in self.reviews)

    @property
    def valid(self) -> bool:
        return not self.errors
