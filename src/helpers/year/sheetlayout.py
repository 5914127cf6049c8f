"""Where everything stands on a collection sheet: one township-year on one worksheet, laid out
like the printed report — the unit's particulars, tables 二, 三, 四 with their merged headers, then
the text of each section.

The writer (``collect.template``) and the reader (``collect.read``) both ask this module, so a
cell is found where it was put; everything is computed from the format spec alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..formats import FormatSpec
from ..model import build_document, Meta
from ..report.tables import HEAD, LABEL, NOTE, VALUE, grids

TITLE = "{county}{year}年政府信息公开工作年度报告 · 数据采集表（{township}）"
MARK = "nianbao 数据采集表 v1"  # in the sheet, so the reader knows what it reads
META_ROWS = (("unit", "单位全称"), ("township", "乡镇（街道）"), ("county", "所属县（区）"),
             ("kind", "单位类型"), ("year", "报告年度"), ("format", "报告格式"),
             ("published", "发布日期"))
EDITABLE_META = ("unit", "published")
NOTE_TEXT = ("填写说明：黄色格为填写格。空白不等于 0，确为零请填 0；件数填整数，收费填万元（可有小数）。"
             "总计为公式，由工具重新计算。请勿修改标签、插入或删除行列。")
FIRST_COLUMN = 1


@dataclass(frozen=True)
class Placed:
    row: int
    column: int
    kind: str  # HEAD, LABEL, NOTE, VALUE, or "title" / "meta" / "text"
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    field: str | None = None  # value cells: table.row.column; meta: meta.unit; text: narrative.key

    @property
    def coordinate(self) -> str:
        return _coordinate(self.row, self.column)

    @property
    def merged(self) -> str | None:
        if self.rowspan == 1 and self.colspan == 1:
            return None
        end = _coordinate(self.row + self.rowspan - 1, self.column + self.colspan - 1)
        return f"{self.coordinate}:{end}"


def _coordinate(row: int, column: int) -> str:
    """A cell's name on the sheet (B7)."""
    from openpyxl.utils import get_column_letter  # openpyxl (and numpy) only for workbooks

    return f"{get_column_letter(column)}{row}"


@dataclass
class Layout:
    spec: FormatSpec
    cells: list[Placed] = field(default_factory=list)
    width: int = 0

    def by_field(self) -> dict[str, Placed]:
        return {c.field: c for c in self.cells if c.field}

    @property
    def labels(self) -> list[Placed]:
        return [c for c in self.cells if c.kind in (HEAD, LABEL, NOTE, "heading") and c.text]


def _grid_cells(grid, top: int) -> tuple[list[Placed], int]:
    """A printed-form grid at row ``top``; the rows it took."""
    placed = [Placed(top + r, FIRST_COLUMN + c, cell.kind, "" if cell.kind == VALUE else cell.text,
                     cell.rowspan, cell.colspan, cell.field) for r, c, cell in grid.placed()]
    return placed, grid.height


@lru_cache(maxsize=8)
def layout(spec: FormatSpec) -> Layout:
    """The sheet of one township-year in format ``spec``."""
    skeleton = build_document(Meta("", "", "", "乡", spec.years[0], spec.key),
                              {t.key: {} for t in spec.tables}, {})
    out = Layout(spec)
    tables = grids(skeleton)
    out.width = max(g.width for g in tables.values())
    out.cells.append(Placed(1, FIRST_COLUMN, "title", colspan=out.width))
    out.cells.append(Placed(2, FIRST_COLUMN, "note", NOTE_TEXT, colspan=out.width))
    row = 3
    for key, label in META_ROWS:
        out.cells.append(Placed(row, FIRST_COLUMN, LABEL, label))
        out.cells.append(Placed(row, FIRST_COLUMN + 1, "meta", colspan=out.width - 1, field=f"meta.{key}"))
        row += 1
    out.cells.append(Placed(row, FIRST_COLUMN, "mark", MARK, colspan=out.width))
    row += 2
    for section in spec.sections:
        if not section.table:
            continue
        out.cells.append(Placed(row, FIRST_COLUMN, "heading", section.title, colspan=out.width))
        placed, height = _grid_cells(tables[section.table], row + 1)
        out.cells += placed
        row += height + 2
    out.cells.append(Placed(row, FIRST_COLUMN, "heading", "正文（各部分文字）", colspan=out.width))
    row += 1
    for key in spec.narrative_keys:
        out.cells.append(Placed(row, FIRST_COLUMN, LABEL, spec.section_title(key)))
        out.cells.append(Placed(row, FIRST_COLUMN + 1, "text", colspan=out.width - 1,
                                field=f"narrative.{key}"))
        row += 1
    return out
