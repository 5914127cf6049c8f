"""Tables 二, 三 and 四 laid out like the printed form: header nesting and merged cells.

A table becomes a Grid: rows of cells with rowspan/colspan, every label from the formats package. The HTML
template renders any grid the same way; nothing here knows HTML. Value cells carry their params
field (``table3.granted.natural_person``) so a page can be read back and tested cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..model import ROLLUP_SOURCE_KIND, Finding, Invalid, Table, TownshipYear, Value, format_number

HEAD, LABEL, VALUE, NOTE = "head", "label", "value", "note"
UNREAD_TEXT = "未读到"  # an imported report's cell its text did not let us read: not blank either


@dataclass(frozen=True)
class GridCell:
    text: str
    kind: str  # HEAD, LABEL, VALUE or NOTE
    rowspan: int = 1
    colspan: int = 1
    field: str | None = None  # value cells: table.row.column
    state: str = ""  # value cells: "", "blank", "invalid" or "derived"
    rules: tuple[str, ...] = ()  # ids of the findings that point at this cell
    told: str = ""  # a roll-up's cell: which townships it sums, who left it blank, whose error


@dataclass(frozen=True)
class Grid:
    key: str  # table2 / table3 / table4
    number: str  # 二 / 三 / 四
    title: str
    head: tuple[tuple[GridCell, ...], ...]
    body: tuple[tuple[GridCell, ...], ...]

    @property
    def any_told(self) -> bool:
        """A roll-up's grid with a cell whose origin is told (its legend is printed)."""
        return any(c.told and c.state != "counted" for c in self.value_cells())

    @property
    def any_counted(self) -> bool:
        """A grid with a cell the params left blank and the ledger's count filled."""
        return any(c.state == "counted" for c in self.value_cells())

    def value_cells(self) -> list[GridCell]:
        return [c for row in self.body for c in row if c.kind == VALUE]

    def placed(self) -> list[tuple[int, int, GridCell]]:
        """(row, column, cell) of every cell, head rows first, placed as an HTML table places
        them: a span takes the cells below and to the right."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate((*self.head, *self.body)):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                taken |= {(r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
                out.append((r, c, cell))
                c += cell.colspan
        return out

    @property
    def width(self) -> int:
        return max(c + cell.colspan for _, c, cell in self.placed())

    @property
    def height(self) -> int:
        return len(self.head) + len(self.body)

    def as_dict(self) -> dict:
        """Plain data (the notebook's record carries it to every output)."""
        def rows(part):
            return [[{"text": c.text, "kind": c.kind, "rowspan": c.rowspan, "colspan": c.colspan,
                      "field": c.field, "state": c.state, "told": c.told} for c in row] for row in part]
        return {"key": self.key, "number": self.number, "title": self.title,
                "head": rows(self.head), "body": rows(self.body)}

    @classmethod
    def from_dict(cls, data: dict) -> "Grid":
        def rows(part):
            return tuple(tuple(GridCell(**c) for c in row) for row in part)
        return cls(data["key"], data["number"], data["title"], rows(data["head"]), rows(data["body"]))


def show(value: Value) -> tuple[str, str]:
    """(text, state) of a value as printed."""
    state = "blank" if value is None else "invalid" if isinstance(value, Invalid) else ""
    return format_number(value), state


class Marks(NamedTuple):
    """What the grid shows beside the values: the rules pointing at each cell, and the cells an
    import did not read."""

    flags: dict[str, tuple[str, ...]]
    unread: frozenset[str] = frozenset()
    told: dict[str, str] | None = None  # a roll-up's origins: field → what its cell sums
    counted: dict[str, str] | None = None  # cells the params left blank, filled from the ledger

    def get(self, field: str, default=()):
        return self.flags.get(field, default)


def _value(table: Table, row: str, col: str, flags: Marks, colspan: int = 1) -> GridCell:
    field = f"{table.spec.key}.{row}.{col}"
    text, state = show(table.value(row, col))
    if field in flags.unread:
        text, state = UNREAD_TEXT, "unread"
    if not table.given(row, col) and state == "":
        state = "derived"  # left out in the params, computed by the kit
    told = (flags.told or {}).get(field, "")
    if field in (flags.counted or {}):
        state, told = "counted", flags.counted[field]
    return GridCell(text, VALUE, colspan=colspan, field=field, state=state,
                    rules=flags.get(field, ()), told=told)


def _flags(findings: tuple[Finding, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for f in findings:
        if f.location.field and f.location.field.count(".") == 2:
            out[f.location.field] = tuple(dict.fromkeys(out.get(f.location.field, ()) + (f.rule,)))
    return out


def table2_grid(table: Table, flags: Marks) -> Grid:
    """Blocks 第二十条第（一）项 …: a block header, a 信息内容 header row, then the block's rows;
    a block with fewer columns stretches its last one, as on the form."""
    spec = table.spec
    width = 1 + max(len(r.columns) for r in spec.rows)
    body: list[tuple[GridCell, ...]] = []
    block = None
    for row in spec.rows:
        last = width - len(row.columns)  # the last column spans what the block does not use
        if row.group != block:
            block = row.group
            body.append((GridCell(block, HEAD, colspan=width),))
            body.append((GridCell(spec.header or "", HEAD),) + tuple(
                GridCell(c.label, HEAD, colspan=last if i == len(row.columns) - 1 else 1)
                for i, c in enumerate(row.columns)))
        body.append((GridCell(row.label, LABEL),) + tuple(
            _value(table, row.key, c.key, flags, colspan=last if i == len(row.columns) - 1 else 1)
            for i, c in enumerate(row.columns)))
    return Grid(spec.key, spec.number, spec.title, (), tuple(body))


def table3_grid(table: Table, flags: Marks) -> Grid:
    """The corner note over three label columns; 申请人情况 over 自然人 | 法人或其他组织 (five) | 总计;
    row labels nested three deep (result › category › numbered sub-row) with row spans."""
    spec = table.spec
    columns = spec.rows[0].columns
    depth = 1 + max(len(spec.groups_of(r)) for r in spec.rows)
    top = [GridCell(spec.note or "", NOTE, rowspan=3, colspan=depth),
           GridCell(spec.header or "", HEAD, colspan=len(columns))]
    middle, bottom = [], []
    for col in columns:
        if col.group is None:
            middle.append(GridCell(col.label, HEAD, rowspan=2))
        else:
            if not middle or middle[-1].text != col.group:
                size = sum(1 for c in columns if c.group == col.group)
                middle.append(GridCell(col.group, HEAD, colspan=size))
            bottom.append(GridCell(col.label, HEAD))
    body = []
    seen: set[str] = set()
    for row in spec.rows:
        groups = spec.groups_of(row)
        cells = []
        for group in groups:
            if group not in seen:
                seen.add(group)
                span = sum(1 for r in spec.rows if group in spec.groups_of(r))
                cells.append(GridCell(group, LABEL, rowspan=span))
        cells.append(GridCell(row.label, LABEL, colspan=depth - len(groups)))
        cells += [_value(table, row.key, c.key, flags) for c in row.columns]
        body.append(tuple(cells))
    return Grid(spec.key, spec.number, spec.title, (tuple(top), tuple(middle), tuple(bottom)),
                tuple(body))


def table4_grid(table: Table, flags: Marks) -> Grid:
    """行政复议 (five columns) ‖ 行政诉讼 over its two kinds of suit (five columns each), one
    row of fifteen values."""
    spec = table.spec
    top, middle, bottom = [], [], []
    for row in spec.rows:
        n = len(row.columns)
        if row.group is None:
            top.append(GridCell(row.label, HEAD, colspan=n))
            middle += [GridCell(c.label, HEAD, rowspan=2) for c in row.columns]
            continue
        if not top or top[-1].text != row.group:
            size = sum(len(r.columns) for r in spec.rows if r.group == row.group)
            top.append(GridCell(row.group, HEAD, colspan=size))
        middle.append(GridCell(row.label, HEAD, colspan=n))
        bottom += [GridCell(c.label, HEAD) for c in row.columns]
    values = tuple(_value(table, r.key, c.key, flags) for r in spec.rows for c in r.columns)
    return Grid(spec.key, spec.number, spec.title, (tuple(top), tuple(middle), tuple(bottom)),
                (values,))


_LAYOUTS = {"table2": table2_grid, "table3": table3_grid, "table4": table4_grid}


def grids(doc: TownshipYear, findings: tuple[Finding, ...] = ()) -> dict[str, Grid]:
    """Every table of ``doc`` as a printed-form grid, cells flagged by the findings."""
    unread = frozenset(p for p in doc.spec.cell_paths if doc.unread(p))
    told = dict(doc.source.origins) if doc.source and doc.source.kind == ROLLUP_SOURCE_KIND else None
    marks = Marks(_flags(findings), unread, told, dict(doc.counted))
    return {key: _LAYOUTS[key](table, marks) for key, table in doc.tables.items()}
