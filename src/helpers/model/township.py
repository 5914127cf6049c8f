"""A township-year as read: its particulars, tables, text, where it came from, and what the office
added beside it (its ledger, its answers to the findings)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..formats import FormatSpec, RowSpec, TableSpec, get_format
from .findings import Review
from .values import Table, Value

# source.kind of a county roll-up: its origins say which townships a cell sums and who left it blank
ROLLUP_SOURCE_KIND = "汇总"


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


def row_label(table: TableSpec, row: RowSpec) -> str:
    """The official row label, prefixed by its group where the label alone is ambiguous: the
    numbered sub-rows of table 三 and the 行政诉讼 rows of table 四."""
    if row.group and (table.key == "table4" or row.label[:1].isdigit()):
        return f"{row.group}·{row.label}"
    return row.label
