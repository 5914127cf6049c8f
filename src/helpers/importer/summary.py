"""What an import read, and did not: one summary per file, for people (text) and scripts (JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..checks.imported import describe_paths
from .imported import Imported

OK, SKIPPED, FAILED = "imported", "skipped", "failed"


@dataclass(frozen=True)
class Unmatched:
    line: int
    label: str


@dataclass(frozen=True)
class TableSummary:
    """What was read of one table."""

    title: str  # 表二
    cells: int  # value cells the format has
    read: int
    blank: int  # printed blank (CELL-BLANK), not "not read"
    not_reached: list[str]  # params paths the text never reached
    not_reached_labels: list[str]  # the same, by official row label
    unread: list[str]  # params paths printed but not readable with certainty
    problems: list[str]
    unmatched: list[Unmatched]
    repairs: list[str]
    notes: list[str]


@dataclass(frozen=True)
class SectionsSummary:
    found: list[str]  # section titles whose heading was seen
    missing: list[str]
    cut_off: list[str]  # after the point where the text stops
    not_reached: list[str]  # narrative paths
    subsections: dict[str, str]  # sub-section key → its heading as printed


@dataclass
class ImportSummary:
    """One file's import: what was read, what was not, how sure; or why it was not imported."""

    file: str
    status: str  # OK, SKIPPED or FAILED
    reason: str = ""  # SKIPPED / FAILED: why
    params: str | None = None  # the params file written (None: not written)
    kind: str = ""  # txt / html / pdf / docx
    shape: str = ""  # how the tables were flattened
    unit: str = ""
    township: str = ""
    county: str = ""
    kind_of_unit: str = ""
    year: int | None = None
    format: str = ""
    format_evidence: str = ""
    published: str | None = None
    read_from: dict[str, str] = field(default_factory=dict)  # field → where it was read
    truncated: bool = False
    confidence: str = ""
    reasons: list[str] = field(default_factory=list)
    tables: dict[str, TableSummary] = field(default_factory=dict)
    sections: SectionsSummary | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK

    def as_json(self) -> dict:
        if not self.ok:
            return {"file": self.file, "status": self.status, "reason": self.reason}
        out = asdict(self)
        del out["reason"]
        return out


def summarize(result: Imported, params: str | None) -> ImportSummary:
    """Everything the summary shows about one imported file."""
    doc = result.doc
    tables = {}
    shown = describe_paths(doc, doc.source.not_reached)
    for key, read in result.tables.items():
        spec = doc.spec.table(key)
        tables[key] = TableSummary(
            title=f"表{spec.number}", cells=spec.value_cells, read=read.values_read,
            blank=sum(1 for v in read.cells.values() if v is None),
            not_reached=[p for p in doc.source.not_reached if p.split(".")[0] == key],
            not_reached_labels=shown.get(f"表{spec.number}", []),
            unread=[p for p in doc.source.unread if p.split(".")[0] == key],
            problems=read.problems,
            unmatched=[Unmatched(line, label) for line, label in read.unmatched],
            repairs=read.repairs, notes=read.notes)
    found = set(result.sections.found)
    sections = doc.spec.sections
    last = max(found, default=0) if result.truncated else len(sections)
    return ImportSummary(
        file=result.source.path, status=OK, params=params, kind=result.source.kind,
        shape=result.shape, unit=doc.meta.unit, township=doc.meta.township,
        county=doc.meta.county, kind_of_unit=doc.meta.kind, year=doc.meta.year,
        format=doc.spec.key, format_evidence=result.format_evidence,
        published=doc.meta.published, read_from=dict(result.identity.sources),
        truncated=result.truncated, confidence=result.confidence, reasons=list(result.reasons),
        tables=tables,
        sections=SectionsSummary(
            found=[s.title for i, s in enumerate(sections, 1) if i in found],
            missing=[s.title for i, s in enumerate(sections, 1) if i not in found and i < last],
            cut_off=[s.title for i, s in enumerate(sections, 1) if i > last],
            not_reached=[p for p in doc.source.not_reached if p.startswith("narrative.")],
            subsections=dict(result.sections.subheadings)))


def failed(path: str, reason: str, status: str = FAILED) -> ImportSummary:
    return ImportSummary(file=path, status=status, reason=reason)


def text_lines(s: ImportSummary) -> list[str]:
    """The summary of one file as a few lines of Chinese."""
    if not s.ok:
        mark = "跳过" if s.status == SKIPPED else "失败"
        return [f"✗ {s.file}：{mark} — {s.reason}"]
    out = [f"✓ {s.file} → {s.params or '（未写出）'}",
           f"  {s.unit} {s.year} 年度 · {s.format} 格式（{s.format_evidence}）"
           f" · 表格形态：{s.shape} · 把握：{s.confidence}"]
    if s.reasons:
        out.append("  原因：" + "；".join(s.reasons))
    return out + [f"  {line}" for line in detail_lines(s)]


def detail_lines(s: ImportSummary) -> list[str]:
    """What was read and what was not, table by table (the text summary and the audit page)."""
    out = []
    parts = []
    for t in s.tables.values():
        part = f"{t.title} {t.read}/{t.cells} 格"
        if t.blank:
            part += f"（空白 {t.blank}）"
        parts.append(part)
    if parts:
        out.append("读到：" + " · ".join(parts))
    found = s.sections
    if found is None:  # a collection workbook: every cell has its place
        return out
    numbers = lambda titles: "、".join(t.split("、")[0] for t in titles)  # noqa: E731
    line = "章节：" + numbers(found.found)
    if found.missing:
        line += f"；未找到：{numbers(found.missing)}"
    if found.cut_off:
        line += f"；原文截断，未读到：{numbers(found.cut_off)}"
    out.append(line)
    for t in s.tables.values():
        if t.not_reached:
            where = _shown(t.not_reached_labels) or "整张表"
            out.append(f"{t.title} 未读到（原文截断）：{where}")
        for problem in t.problems:
            out.append(f"{t.title} 无法确定：{problem}")
        for item in t.unmatched:
            out.append(f"{t.title} 第 {item.line} 行标签“{item.label}”与官方表格不符，未读入")
        out += [f"{t.title} 标签修补：{r}" for r in t.repairs if "（截断）" in r]
        out += [f"{t.title} 注：{n}" for n in t.notes]
    return out


def _shown(labels: list[str]) -> str:
    text = "、".join(f"「{x}」" for x in labels[:4])
    return text + (f" 等 {len(labels)} 行" if len(labels) > 4 else "")
