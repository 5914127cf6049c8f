"""The shape of a national report format, and the registry of the formats the kit knows.

A format is data (national.py holds the two national ones): its tables, rows, columns and
sections with their printed labels, and every rule that differs between formats. Nothing outside
this package asks which format a report is in; it asks the report's spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..errors import FormatError

ERROR, WARNING = "error", "warning"  # the severities of findings
INFO = "info"  # a note, not counted: a rule that blank cells leave undecided says so
COUNT = "count"  # whole number ≥ 0 (件)
SIGNED = "signed"  # whole number, may be negative (2019 本年增/减)
AMOUNT = "amount"  # decimal ≥ 0 (万元 or 元)


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    kind: str = COUNT
    group: str | None = None  # header over several columns (e.g. 法人或其他组织)
    derived_from: tuple[str, ...] = ()  # a 总计 column: the sum of these columns
    unverified: bool = False
    # How generated text states a figure of this column ({row}: the row label, {value}); None:
    # the kit's text does not state it. Kit wording, read back by figures.py.
    says: str | None = None

    @property
    def derived(self) -> bool:
        return bool(self.derived_from)


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    columns: tuple[ColumnSpec, ...]
    group: str | None = None  # printed row group (（三）不予公开) or table-二 block (第二十条第（一）项)
    derived_from: tuple[str, ...] = ()  # the （七）总计 row: the sum of these rows
    unverified: bool = False
    printed_as: tuple[str, ...] = ()  # other labels published copies print for this row

    @property
    def derived(self) -> bool:
        return bool(self.derived_from)

    def column(self, key: str) -> ColumnSpec:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


def _table_in(fmt: str, key: str) -> "TableSpec":
    return get_format(fmt).table(key)


@dataclass(frozen=True)
class TableSpec:
    key: str  # params key: table2 / table3 / table4
    number: str  # 二 / 三 / 四
    title: str
    rows: tuple[RowSpec, ...]
    note: str | None = None  # text printed in the table's corner (table 三's 勾稽 note)
    group_parents: tuple[tuple[str, str], ...] = ()  # (group, the group it sits in)
    header: str | None = None  # the header over the row labels or the columns (信息内容, 申请人情况)

    def __reduce__(self):
        """Pickled as (format, table) when registered: a report crossing a process boundary
        points at the one spec object (and costs a few bytes); by value otherwise."""
        for spec in FORMATS.values():
            if any(t is self for t in spec.tables):
                return (_table_in, (spec.key, self.key))
        return super().__reduce__()

    def rows_in(self, group: str | None) -> tuple[str, ...]:
        """The keys of the rows printed in ``group`` (None: rows outside any group)."""
        return tuple(r.key for r in self.rows if r.group == group)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every text this table prints: title, header, note, groups, rows and columns."""
        out = [self.title, self.header or "", self.note or ""]
        out += [g for pair in self.group_parents for g in pair]
        for row in self.rows:
            out += [row.label, row.group or ""]
            out += [t for c in row.columns for t in (c.label, c.group or "")]
        return tuple(t for t in dict.fromkeys(out) if t)

    def groups_of(self, row: RowSpec) -> tuple[str, ...]:
        """The printed groups a row sits in, outermost first (（三）不予公开 sits in 三、本年度办理结果)."""
        parents = dict(self.group_parents)
        chain: list[str] = []
        group = row.group
        while group:
            chain.insert(0, group)
            group = parents.get(group)
        return tuple(chain)

    def row(self, key: str) -> RowSpec:
        return self._rows_by_key[key]

    @cached_property
    def _rows_by_key(self) -> dict[str, RowSpec]:
        return {r.key: r for r in self.rows}

    # Kept on the spec, not in a cache keyed by it: hashing a frozen spec walks every row and
    # column, and the check of a thousand files asked thousands of times.
    @cached_property
    def cell_keys(self) -> tuple[tuple[str, str], ...]:
        """Every value cell as (row, column), in the form's order."""
        return tuple((r.key, c.key) for r in self.rows for c in r.columns)

    @cached_property
    def sums(self) -> tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...]:
        """Every cell with the cells it is the sum of (none for a plain cell; a 总计 row before a
        总计 column), ordered so that a sum comes after its parts."""
        parts = {(r.key, c.key): tuple((d, c.key) for d in r.derived_from) if r.derived
                 else tuple((r.key, d) for d in c.derived_from)
                 for r in self.rows for c in r.columns}
        order: dict[tuple[str, str], None] = {}

        def visit(cell: tuple[str, str]) -> None:
            if cell not in order:
                for part in parts.get(cell, ()):
                    visit(part)
                order[cell] = None
        for cell in parts:
            visit(cell)
        return tuple((cell, parts.get(cell, ())) for cell in order)

    @property
    def value_cells(self) -> int:
        return sum(len(r.columns) for r in self.rows)


@dataclass(frozen=True)
class SectionSpec:
    key: str  # params key under narrative:
    number: str  # 一 … 六, or （一） … for sub-sections
    heading: str
    subsections: tuple["SectionSpec", ...] = ()
    table: str | None = None  # the table this section presents
    unverified: bool = False
    # Words only this heading has, as a regex, so a heading printed in other words is still
    # found (上海 2019: "五、政府信息公开工作存在的主要问题…"); the importer's.
    words: str = ""

    @property
    def title(self) -> str:
        sep = "" if self.number.startswith("（") else "、"
        return f"{self.number}{sep}{self.heading}"

    def subsection(self, key: str) -> "SectionSpec":
        return next(s for s in self.subsections if s.key == key)


STOCK_IN_FORCE = "in_force"  # X-STOCK: 现行有效件数 carried on from last year's
STOCK_ITEMS = "prior_items"  # X-ITEMS: 上一年项目数量 carried on from last year's


@dataclass(frozen=True)
class FormatSpec:
    """One national format: its tables and sections, and every rule that differs between
    formats. Nothing outside this module asks which format a report is in; it asks the spec."""

    key: str  # "2021" / "2019"
    document: str  # the basis: 国办公开办函〔2021〕30号
    years: tuple[int, int | None]  # first and last report year it applies to
    tables: tuple[TableSpec, ...]
    sections: tuple[SectionSpec, ...]
    # result category as the narrative names it → its rows in table 三 (N-RESULTS, 三's text)
    result_categories: tuple[tuple[str, tuple[str, ...]], ...]
    # table-二 row → the column a figure the text states for it is compared with (N-T2)
    t2_stated: tuple[tuple[str, str], ...]
    stock_rule: str | None  # STOCK_IN_FORCE or STOCK_ITEMS: which cross-year stock rule applies
    fee_in_other: bool  # 六 must state the 信息处理费 collected (M-FEE)

    def __reduce__(self):  # pickled by its key: worker processes share the registry
        return (get_format, (self.key,))

    def table(self, key: str) -> TableSpec:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def section(self, key: str) -> SectionSpec:
        """A section by its narrative key: "problems", or a sub-section "general.oversight"."""
        head, _, sub = key.partition(".")
        section = next(s for s in self.sections if s.key == head)
        return section.subsection(sub) if sub else section

    def section_title(self, key: str) -> str:
        """The printed title of a section, a sub-section under its section's (一、总体情况（五）监督保障)."""
        head, _, sub = key.partition(".")
        title = self.section(head).title
        return title + self.section(key).title if sub else title

    def section_of_table(self, table: str) -> int:
        """The number (1–6) of the section that prints ``table``."""
        return next(i for i, s in enumerate(self.sections, 1) if s.table == table)

    @cached_property
    def narrative_keys(self) -> tuple[str, ...]:
        """Every narrative key, in printed order: "general", "general.proactive", …, "other"."""
        return tuple(k for s in self.sections
                     for k in (s.key, *(f"{s.key}.{sub.key}" for sub in s.subsections)))

    def narrative_skeleton(self) -> dict[str, str]:
        """The empty narrative: every section and sub-section, no text."""
        return dict.fromkeys(self.narrative_keys, "")

    @cached_property
    def categories(self) -> dict[str, tuple[str, ...]]:
        return dict(self.result_categories)

    @cached_property
    def stated(self) -> dict[str, str]:
        return dict(self.t2_stated)

    @property
    def basis(self) -> tuple[str, str]:
        """(year, number) of the basis document as cited: 〔2021〕30号 → ("2021", "30")."""
        year, number = re.search(r"〔(\d{4})〕(\d+)号", self.document).groups()
        return year, number

    @property
    def labels(self) -> tuple[str, ...]:
        """Every official text of this format: tables' labels, sections' headings and titles."""
        out = [self.document]
        for table in self.tables:
            out += table.labels
        for s in self.sections:
            out += [x for sec in (s, *s.subsections) for x in (sec.heading, sec.title)]
        out += [name for name, _ in self.result_categories]
        return tuple(dict.fromkeys(out))

    def applies_to(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)

    @cached_property
    def field_paths(self) -> tuple[str, ...]:
        """Every params path a note may name, in printed order: each table, row and cell
        (``table3``, ``table3.granted``, ``table3.granted.total``), then each section
        (``narrative.problems``)."""
        out: list[str] = []
        for table in self.tables:
            out.append(table.key)
            for row in table.rows:
                out.append(f"{table.key}.{row.key}")
                out += [f"{table.key}.{row.key}.{c.key}" for c in row.columns]
        return tuple(out + [f"narrative.{s.key}" for s in self.sections])

    @cached_property
    def cell_paths(self) -> tuple[str, ...]:
        """The value cells' paths (``table3.granted.total``), in printed order."""
        return tuple(p for p in self.field_paths
                     if p.count(".") == 2 and not p.startswith("narrative."))


# The registry: every format the kit knows, by key. A new national format is one more spec here.
FORMATS: dict[str, FormatSpec] = {}
_generation = [0]  # bumped on every change, so what is derived from the registry can be cached


def register(spec: FormatSpec) -> FormatSpec:
    """Make ``spec`` known to every part of the kit (loader, rules, pages, importer)."""
    FORMATS[spec.key] = spec
    _generation[0] += 1
    return spec


def unregister(key: str) -> None:
    FORMATS.pop(key, None)
    _generation[0] += 1


def generation() -> int:
    return _generation[0]



def get_format(key: str) -> FormatSpec:
    """The format named ``key`` ("2021" or "2019"); FormatError lists the valid ones."""
    try:
        return FORMATS[str(key)]
    except KeyError:
        raise FormatError(str(key), tuple(FORMATS)) from None


def format_for_year(year: int) -> FormatSpec:
    """The format a report on ``year`` must use (M-FORMAT): of those that apply, the newest."""
    applying = [spec for spec in FORMATS.values() if spec.applies_to(year)]
    if not applying:
        raise FormatError(f"year {year}", tuple(FORMATS))
    return max(applying, key=lambda spec: spec.years[0])


def newest() -> FormatSpec:
    """The format of the latest years (for a file whose own format cannot be read)."""
    return max(FORMATS.values(), key=lambda spec: spec.years[0])


def first_year() -> int:
    """The first report year any format covers (2019: the 条例 as revised)."""
    return min(spec.years[0] for spec in FORMATS.values())


