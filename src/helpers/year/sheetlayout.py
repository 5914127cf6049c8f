"""Where everything stands on a collection sheet: one township-year on one worksheet, laid out
like the printed report — the unit's particulars, tables 二, 三, 四 with their merged headers, then
the text of each section.

The writer (``template.templates``) and the reader (``collect.read_workbook``) both ask this module, so a
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
# The workbook's custom properties: the year and format its template was made for.
YEAR_PROPERTY, FORMAT_PROPERTY = "nianbao.year", "nianbao.format"
META_ROWS = (("unit", "单位全称"), ("township", "乡镇（街道）"), ("county", "所属县（区）"),
             ("kind", "单位类型"), ("year", "报告年度"), ("format", "报告格式"),
             ("published", "发布日期"))
EDITABLE_META = ("unit", "published")
NOTE_TEXT = ("填写说明：黄色格为填写格。空白不等于 0，确为零请填 0；件数填整数，收费填万元（可有小数）。"
             "总计为公式，由工具重新计算。请勿修改标签、插入或删除行列。")
# Table 三's balance, shown as the clerk types: the words of the printed form's own note
CHECK_LABEL = "平衡校验：第一项加第二项之和＝第三项加第四项之和"
CHECK_ROWS = ("new", "carried_over", "results_total", "carry_forward")
PRIOR_HEAD = "上年数（供核对）"  # last year's stock beside this year's, for the clerk to carry on
SIGN_ROWS = (("filled_by", "填报人"), ("phone", "联系电话"), ("reviewer", "审核人"), ("date", "填报日期"))
FIRST_COLUMN = 1


@dataclass(frozen=True)
class Placed:
    row: int
    column: int
    kind: str  # HEAD, LABEL, NOTE, VALUE, or "title" / "meta" / "text" / "check" / "prior" / "sign"
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
        if section.table == "table3":  # in the blank row after it: nothing below moves
            out.cells += _check_row(spec, placed, row + height + 1)
        elif section.table == "table2":
            out.cells += _prior_column(spec, placed, row + 1, FIRST_COLUMN + tables["table2"].width)
        row += height + 2
    out.cells.append(Placed(row, FIRST_COLUMN, "heading", "正文（各部分文字）", colspan=out.width))
    row += 1
    for key in spec.narrative_keys:
        out.cells.append(Placed(row, FIRST_COLUMN, LABEL, spec.section_title(key)))
        out.cells.append(Placed(row, FIRST_COLUMN + 1, "text", colspan=out.width - 1,
                                field=f"narrative.{key}"))
        row += 1
    row += 1
    for key, label in SIGN_ROWS:  # who filled it and who checked it: the form is signed off
        out.cells.append(Placed(row, FIRST_COLUMN, LABEL, label))
        out.cells.append(Placed(row, FIRST_COLUMN + 1, "sign", colspan=out.width - 1, field=f"sign.{key}"))
        row += 1
    return out


def _check_row(spec: FormatSpec, placed: list[Placed], row: int) -> list[Placed]:
    """Under table 三, a cell a column that shows whether it balances as the clerk types."""
    table = spec.table("table3")
    at = {p.field: p for p in placed if p.field}
    out = [Placed(row, FIRST_COLUMN, LABEL, CHECK_LABEL)]
    for col in table.row("new").columns:
        column = at[f"table3.new.{col.key}"].column
        out.append(Placed(row, column, "check", field=f"check.table3.{col.key}"))
    return out


def _prior_column(spec: FormatSpec, placed: list[Placed], head_row: int, column: int) -> list[Placed]:
    """Right of table 二, last year's stock (现行有效 / 上一年项目数量) on each row that has one."""
    stock = spec.stock_rule
    rows = {p.row for p in placed if p.field and p.field.split(".")[2:] == [stock]}
    out = [Placed(head_row, column, LABEL, PRIOR_HEAD)]
    for p in placed:
        if p.field and p.row in rows and p.field.split(".")[2:] == [stock]:
            out.append(Placed(p.row, column, "prior", field=f"prior.{p.field}"))
    return out
