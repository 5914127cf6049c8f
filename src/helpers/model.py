"""The data model: a township-year report and the findings about it. Frozen, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import Mapping, Sequence, Union

from .formats import ANSWERABLE, ERROR, INFO, WARNING, FormatSpec, RowSpec, TableSpec, get_format

SEVERITY_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(frozen=True)
class Invalid:
    """Text where a number belongs, kept as typed so the finding can quote it."""

    raw: str


Number = Union[int, Decimal]
Value = Union[int, Decimal, Invalid, None]  # None: the cell was left blank


_NUMBER_TYPES = frozenset((int, Decimal))  # bool, an int subclass, is not a count


def is_number(value: Value) -> bool:
    return type(value) in _NUMBER_TYPES


@dataclass(frozen=True)
class Table:
    """The cells a params file gives for one table. A derived cell that was left out is absent
    from ``cells`` and computed by :meth:`value`; a blank cell is present with the value None."""

    spec: TableSpec
    cells: Mapping[tuple[str, str], Value]

    def given(self, row: str, col: str) -> bool:
        return (row, col) in self.cells

    def value(self, row: str, col: str) -> Value:
        """The cell as given, or for a left-out derived cell the sum of its parts (None if any
        part is not a number)."""
        if (row, col) in self.cells:
            return self.cells[(row, col)]
        row_spec = self.spec.row(row)
        if row_spec.derived:
            return sum_values(self.value(r, col) for r in row_spec.derived_from)
        col_spec = row_spec.column(col)
        if col_spec.derived:
            return sum_values(self.value(row, c) for c in col_spec.derived_from)
        return None

    def number(self, row: str, col: str) -> Number | None:
        """The value when it is a usable number, else None (blank, text, or unknown part)."""
        return self.numbers.get((row, col))

    @cached_property
    def numbers(self) -> Mapping[tuple[str, str], Number]:
        """Every cell that is a usable number, derived ones included (computed once; the rules
        ask for the same cells many times). Same values as :meth:`value`, in one pass: a left-out
        derived cell is the sum of its parts' numbers, none when a part has none."""
        cells, out = self.cells, {}
        for key, parts in self.spec.sums:
            value = cells.get(key, cells)  # the mapping itself marks "left out"
            if value is cells:
                if not parts or any(p not in out for p in parts):
                    continue
                value = sum(out[p] for p in parts)
            elif type(value) not in _NUMBER_TYPES:
                continue
            out[key] = value
        return out

    def rows(self) -> tuple[RowSpec, ...]:
        return self.spec.rows

    def __reduce__(self):
        """Pickled as its values in the form's order (``...`` for a derived cell left out): a
        check ships a thousand tables from its workers, and the cells' keys, repeated in every
        one, were most of the bytes (and the cached ``numbers`` the rest)."""
        return _table, (self.spec, tuple(self.cells.get(k, ...) for k in self.spec.cell_keys))


def _table(spec: TableSpec, values: tuple) -> Table:
    return Table(spec, {k: v for k, v in zip(spec.cell_keys, values) if v is not ...})


def format_number(value: Value) -> str:
    """A value as every output prints it: 万元 amounts without trailing zeros, a blank as 空白,
    text as typed. The one number formatting of the kit."""
    if value is None:
        return BLANK_TEXT
    if isinstance(value, Invalid):
        return value.raw
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


BLANK_TEXT = "空白"  # how a blank cell reads on every page (and reads back): never "0"
# source.kind of a county roll-up: its origins say which townships a cell sums and who left it blank
ROLLUP_SOURCE_KIND = "汇总"


def sum_values(values) -> Number | None:
    """The sum, or None when any value is not a number (blank, text): a blank is not 0."""
    total: Number = 0
    for v in values:
        if not is_number(v):
            return None
        total += v
    return total


@dataclass(frozen=True)
class Meta:
    unit: str  # 古郊乡人民政府
    township: str  # 古郊乡
    county: str  # 陵川县
    kind: str  # 乡 / 镇 / 街道 / 部门 …
    year: int
    format: str  # "2021" / "2019"
    published: str | None = None  # ISO date, kept as text
    city: str | None = None
    province: str | None = None
    sample: bool = False  # synthetic data: every page says 示例数据
    carried_from: int | None = None  # made by `nianbao new-year` from this year's report


HIGH, MEDIUM, LOW = "高", "中", "低"  # how sure an import is (Source.confidence)


@dataclass(frozen=True)
class Source:
    """Where an imported report came from, and what the importer could not read (``source:``).

    Paths are params field paths: a table (``table4``), a row (``table3.granted``), a cell
    (``table3.granted.total``) or a narrative section (``narrative.problems``).
    """

    file: str  # the published file's name
    sha256: str
    kind: str  # txt / html / pdf / docx
    confidence: str  # 高 / 中 / 低
    not_reached: tuple[str, ...] = ()  # the text stops before these (truncated): not blank
    unread: tuple[str, ...] = ()  # printed, but not readable with certainty (reported, not filled)
    # rows cut from digits run together, where their own 总计 admitted one split only: filled,
    # but the sums that cut them hold by construction, so those rules say nothing of them
    decoded: tuple[str, ...] = ()
    preface: str = ""  # the report's own text before section 一 (its 统计期限 …), as printed
    # where each field was typed or printed: a collection sheet's cell (崇文镇!B3) or a table
    # row's range (崇文镇!B33:H33), or a published file's line (古郊乡_2021.txt:57)
    origins: Mapping[str, str] = field(default_factory=dict)

    def covers(self, paths: tuple[str, ...], field: str) -> bool:
        return any(field == p or field.startswith(p + ".") for p in paths)

    def skipped(self, field: str) -> bool:
        """A cell or section the importer did not read: the rules must not call it blank."""
        return self.covers(self.not_reached, field) or self.covers(self.unread, field)


_RANGE = re.compile(r"^(?P<sheet>.*!)?(?P<first>[A-Z]{1,3})(?P<row>\d+):(?P<last>[A-Z]{1,3})(?P=row)$")


def _cell_in_range(found: str, columns: list[str], col: str) -> str:
    """The cell of column ``col`` in a row's range of one cell a column (崇文镇!B33:H33 → D33)."""
    match = _RANGE.match(found)
    if match is None or col not in columns:
        return found
    from openpyxl.utils import column_index_from_string, get_column_letter  # as the sheets name them

    letters = get_column_letter(column_index_from_string(match["first"]) + columns.index(col))
    return f"{match['sheet'] or ''}{letters}{match['row']}"


@dataclass(frozen=True)
class LedgerRecord:
    """One row of a ledger sheet as the clerk typed it: each column's text (dates as YYYY-MM-DD
    when the cell was a date), None where the cell is empty. Judged by the checks, never here."""

    row: int  # the sheet's row number: 台账!B12
    values: tuple[str | None, ...]  # in formats.ledger's column order
    line: int | None = None  # in the params file

    def get(self, columns, key: str) -> str | None:
        return self.values[[c.key for c in columns].index(key)]


@dataclass(frozen=True)
class Ledger:
    """The 依申请公开台账 and its case list, imported into the township-year's params file
    (``ledger:``): table 三 and table 四 are counted from it."""

    file: str  # the workbook's name
    sha256: str
    requests: tuple[LedgerRecord, ...] = ()
    cases: tuple[LedgerRecord, ...] = ()


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
class TownshipYear:
    path: str
    meta: Meta
    spec: FormatSpec
    narrative: Mapping[str, str]  # "general", "general.proactive", …, "other" → text ("" if empty)
    tables: Mapping[str, Table]
    lines: Mapping[str, int] = field(default_factory=dict)
    literal: frozenset[str] = frozenset()  # narrative keys written as literal blocks (|)
    load_findings: tuple["Finding", ...] = ()  # warnings the loader raised (full-width digits)
    source: Source | None = None  # set on params written by ``nianbao import``
    reviews: tuple[Review, ...] = ()  # the office's answers to this year's findings
    ledger: Ledger | None = None  # the request ledger table 三 and 四 are counted from
    # cells the params left blank and the ledger's count fills: field → which ledger rows
    counted: Mapping[str, str] = field(default_factory=dict)

    def unread(self, field: str) -> bool:
        """True where an import did not read this cell or section (truncated or uncertain)."""
        return self.source is not None and self.source.skipped(field)

    def decoded(self, field: str) -> bool:
        """True where an import cut this row from run-together digits by its own arithmetic."""
        return self.source is not None and self.source.covers(self.source.decoded, field)

    def origin(self, field: str | None) -> str | None:
        """Where ``field`` (a cell, row or narrative path) was typed or printed, in the clerk's
        terms: a sheet's cell (a row's range gives each of its cells by column), a file's line."""
        origins = self.source.origins if self.source is not None else {}
        if not field or not origins:
            return None
        if field in origins:
            return origins[field]
        table, _, rest = field.partition(".")
        row, _, col = rest.partition(".")
        found = origins.get(f"{table}.{row}")
        if found is None or not col or table not in self.tables:
            return found
        return _cell_in_range(found, [c.key for c in self.table(table).spec.row(row).columns], col)

    def table(self, key: str) -> Table:
        return self.tables[key]

    def line(self, *parts: str) -> int | None:
        """The line in the params file of a field path, or of its nearest parent."""
        keys = list(parts)
        while keys:
            found = self.lines.get(".".join(keys))
            if found:
                return found
            keys.pop()
        return None

    def text_line(self, key: str, offset: int) -> int | None:
        """The file line of character ``offset`` in narrative ``key``: exact for literal blocks,
        the field's first line otherwise (folded text has lost its line breaks)."""
        base = self.lines.get(f"narrative.{key}")
        if base is None or key not in self.literal:
            return base
        return base + self.narrative[key].count("\n", 0, offset)


Rows = Mapping[str, Mapping[str, Sequence[Value]]]  # table → row → values in column order


def build_document(meta: Meta, rows: Rows, narrative: Mapping[str, str],
                   path: str = "<built>") -> TownshipYear:
    """A TownshipYear of ``meta``'s format from row lists (in column order; a list one short
    leaves the derived 总计 out, a row left out is left out) and narrative text by key."""
    spec = get_format(meta.format)
    tables = {}
    for table_spec in spec.tables:
        cells = {}
        for row in table_spec.rows:
            values = rows[table_spec.key].get(row.key)
            if values is not None:
                cells.update({(row.key, c.key): v for c, v in zip(row.columns, values)})
        tables[table_spec.key] = Table(table_spec, cells)
    return TownshipYear(path, meta, spec, spec.narrative_skeleton() | dict(narrative), tables)


def rows_of(doc: TownshipYear) -> dict[str, dict[str, list[Value]]]:
    """A report's tables as row lists in column order (derived cells computed)."""
    return {key: {r.key: [t.value(r.key, c.key) for c in r.columns] for r in t.spec.rows}
            for key, t in doc.tables.items()}


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


def row_label(table: TableSpec, row: RowSpec) -> str:
    """The official row label, prefixed by its group where the label alone is ambiguous: the
    numbered sub-rows of table 三 and the 行政诉讼 rows of table 四."""
    if row.group and (table.key == "table4" or row.label[:1].isdigit()):
        return f"{row.group}·{row.label}"
    return row.label
