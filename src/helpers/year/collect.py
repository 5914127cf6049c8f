"""Collection workbooks: sent to each township as .xlsx (`nianbao template`), read back when
filled (`nianbao import x.xlsx`).

A township-year is one worksheet laid out like the printed report (sheetlayout.py). The template
locks every label, lets Excel itself refuse what is not a whole number ≥ 0 (or 万元 ≥ 0), shows
each 总计 as a formula, and fills 上年结转 from last year's report where the kit has it. The
reader trusts nothing: a formula is never read as data (the kit recomputes every total), a label
edited or a row inserted or deleted refuses the sheet, and every cell typed in a way the form does
not mean is named (workbook, sheet, cell) with what was expected and what was found.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..errors import NoCountyList, UnreadableFile
from ..formats import (AMOUNT, FORMATS, OTHER_KIND, SIGNED, STOCK_ITEMS, TOWNSHIP_KINDS, FormatSpec,
                      format_for_year, get_format)
from ..model import (HIGH, LOW, MEDIUM, Invalid, Meta, Source, Table, TownshipYear, Value, format_number,
                     sum_values)
from ..params.cellvalue import BLANK_MARKS, FULLWIDTH, JUNK, number_of
from ..report.narrative import AUTO_WORD, GENERATORS
from ..report.tables import HEAD, LABEL, NOTE, VALUE
from .sheetlayout import CHECK_ROWS, EDITABLE_META, MARK, META_ROWS, TITLE, Layout, Placed, layout
from .returned import READ, open_book
from .spreadsheet import MAX_CELL, text_cell

INPUT_FILL, HEAD_FILL = "FFF7D6", "F2F2F2"
# The workbook's custom properties: the year and format its template was made for.
YEAR_PROPERTY, FORMAT_PROPERTY = "nianbao.year", "nianbao.format"
_DV_TEXT = {"count": ("whole", "greaterThanOrEqual", "应填不小于 0 的整数（件）"),
            SIGNED: ("whole", None, "应填整数（可为负）"),
            AMOUNT: ("decimal", "greaterThanOrEqual", "应填不小于 0 的数值（万元，可有小数）")}


# -- out ---------------------------------------------------------------------------------------

def add_sheet(book, doc: TownshipYear, county: str, title: str | None = None,
              last: TownshipYear | None = None) -> None:
    """One township-year's sheet: ``doc``'s particulars, its given cells filled, the rest blank;
    ``last`` year's stock beside table 二 for the clerk to carry on."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(title or doc.meta.township)
    lay = layout(doc.spec)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    places = lay.by_field()
    validations: dict[str, list[str]] = {}
    for cell in lay.cells:
        target = sheet.cell(cell.row, cell.column)
        if cell.merged:
            sheet.merge_cells(cell.merged)
        target.alignment = Alignment(wrap_text=True, vertical="center",
                                     horizontal="left" if cell.kind in ("text", "title", "note") else "center")
        if cell.kind == "title":
            text_cell(target, TITLE.format(county=county, year=doc.meta.year, township=doc.meta.township))
            target.font = Font(bold=True, size=14)
        elif cell.kind == "heading":
            text_cell(target, cell.text)
            target.font = Font(bold=True)
        elif cell.kind in (HEAD, LABEL, NOTE, "note", "mark"):
            text_cell(target, cell.text)
            if cell.kind in (HEAD, LABEL, NOTE):
                target.fill, target.border = PatternFill("solid", fgColor=HEAD_FILL), border
        elif cell.kind == "meta":
            _meta_cell(target, doc, cell.field.split(".")[1], border)
        elif cell.kind == "text":
            text_cell(target, doc.narrative.get(cell.field.split(".", 1)[1]) or None)
            _input(target, border)
            sheet.row_dimensions[cell.row].height = 60
        elif cell.kind == VALUE:
            _value_cell(target, doc, cell, places, border, validations)
        elif cell.kind == "check":
            target.value = _balance_formula(places, cell.field.rsplit(".", 1)[1])
            target.border, target.font = border, Font(bold=True)
        elif cell.kind == "prior":
            target.value = _prior(last, cell.field.split(".", 1)[1])
            target.border, target.font = border, Font(color="606060")
        elif cell.kind == "sign":
            _input(target, border)
    for kind, coordinates in validations.items():
        kind_of, operator, message = _DV_TEXT.get(kind, _DV_TEXT["count"])
        dv = DataValidation(type=kind_of, operator=operator, formula1="0" if operator else "-1000000",
                            formula2=None if operator else "1000000", allow_blank=True,
                            showErrorMessage=True, errorTitle="填写有误", error=message)
        for coordinate in coordinates:
            dv.add(coordinate)
        sheet.add_data_validation(dv)
    sheet.column_dimensions["A"].width = LABEL_WIDTH
    for column in range(2, lay.width + 2):
        sheet.column_dimensions[get_column_letter(column)].width = VALUE_WIDTH
    _label_heights(sheet, lay)
    mark = next(c for c in lay.cells if c.kind == "mark")
    sheet.row_dimensions[mark.row].hidden = True  # for the reader, not the clerk
    _print_setup(sheet, lay)
    sheet.protection.sheet = True  # labels and totals locked; the yellow cells are open


LABEL_WIDTH, VALUE_WIDTH = 30, 13  # characters of the default font (a Chinese one is two)
LINE_HEIGHT = 15  # points a line of wrapped 11-point text takes


def _label_heights(sheet, lay: Layout) -> None:
    """Each row tall enough that no label is cut: its wrapped lines, by the width it has."""
    from math import ceil

    heights: dict[int, float] = {}
    for cell in lay.cells:
        if cell.kind not in (HEAD, LABEL, NOTE, "note") or not cell.text:
            continue
        width = LABEL_WIDTH if cell.column == 1 and cell.colspan == 1 else (
            (LABEL_WIDTH if cell.column == 1 else VALUE_WIDTH) + VALUE_WIDTH * (cell.colspan - 1))
        wide = sum(2 if ord(ch) > 0x2E7F else 1 for ch in cell.text)
        lines = ceil(wide / max(width - 1, 1))
        per_row = lines * LINE_HEIGHT / cell.rowspan
        for r in range(cell.row, cell.row + cell.rowspan):
            heights[r] = max(heights.get(r, LINE_HEIGHT), per_row)
    for row, height in heights.items():
        if height > LINE_HEIGHT and not sheet.row_dimensions[row].height:
            sheet.row_dimensions[row].height = height


def _print_setup(sheet, lay: Layout) -> None:
    """A4 landscape, one page wide, the title rows on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def _balance_formula(places: dict, col: str) -> str:
    """一 + 二 = 三（七）+ 四 for one column, as the sheet computes it: 未填完 while a cell of the
    four is empty (a total shows empty while its row is), then 平衡 or 不平衡."""
    new, carried, results, carry = (places[f"table3.{r}.{col}"].coordinate for r in CHECK_ROWS)
    empty = ",".join(f'{c}=""' for c in (new, carried, results, carry))
    return (f'=IF(OR({empty}),"{CHECK_OPEN}",IF(N({new})+N({carried})=N({results})+N({carry}),'
            f'"{CHECK_OK}","{CHECK_WRONG}"))')


CHECK_OPEN, CHECK_OK, CHECK_WRONG = "未填完", "平衡", "不平衡"


def _prior(last: TownshipYear | None, field: str):
    """Last year's figure of a table 二 stock cell (what this year's starts from), or blank."""
    table, row, col = field.split(".")
    before = last.tables.get(table) if last is not None else None
    if before is None or before.spec.key != table or last.spec.stock_rule != col:
        return None  # last year's report in another format keeps its stock otherwise
    value = (before.number(row, col) if col != STOCK_ITEMS else  # 上一年项目数量 + 增/减
             sum_values((before.number(row, col), before.number(row, "change"))))
    return int(value) if isinstance(value, int) else float(value) if isinstance(value, Decimal) else None


def _input(target, border) -> None:
    from openpyxl.styles import PatternFill, Protection

    target.protection = Protection(locked=False)
    target.fill, target.border = PatternFill("solid", fgColor=INPUT_FILL), border


def _meta_cell(target, doc: TownshipYear, key: str, border) -> None:
    value = doc.spec.document if key == "format" else getattr(doc.meta, key)
    text_cell(target, value)
    target.border = border
    if key in EDITABLE_META:
        _input(target, border)


def _value_cell(target, doc, cell: Placed, places: dict, border, validations) -> None:
    """A value cell: the given number, a formula for a derived 总计, or an open input cell."""
    table_key, row_key, col_key = cell.field.split(".")
    table = doc.table(table_key)
    spec_row = table.spec.row(row_key)
    col = spec_row.column(col_key)
    target.border = border
    target.number_format = "0.####" if col.kind == AMOUNT else "0"
    parts = ([f"{table_key}.{row_key}.{c}" for c in col.derived_from] if col.derived else
             [f"{table_key}.{r}.{col_key}" for r in spec_row.derived_from] if spec_row.derived else [])
    if parts:  # blank while its row is (a blank is not 0), else the sum
        cells = ",".join(places[p].coordinate for p in parts)
        target.value = f'=IF(COUNT({cells})=0,"",SUM({cells}))'
        return
    value = table.cells.get((row_key, col_key))
    target.value = int(value) if isinstance(value, int) else float(value) if isinstance(value, Decimal) else None
    _input(target, border)
    validations.setdefault(col.kind, []).append(target.coordinate)


def collection_doc(doc_meta: Meta, spec: FormatSpec, last: TownshipYear | None) -> TownshipYear:
    """What a template is filled with: the particulars, 上年结转 from last year's 结转下年度继续办理
    where the kit has it, generated sections as `auto`; every other cell blank."""
    tables = {}
    for table in spec.tables:
        cells: dict[tuple[str, str], Value] = {}
        if table.key == "table3" and last is not None:
            before = last.table("table3")
            for col in table.row("carried_over").columns:
                if not col.derived:
                    cells[("carried_over", col.key)] = before.number("carry_forward", col.key)
        tables[table.key] = Table(table, cells)
    narrative = {k: AUTO_WORD if k in GENERATORS else "" for k in spec.narrative_keys}
    return TownshipYear("<template>", doc_meta, spec, narrative, tables)


def workbook_bytes(sheets: list[tuple[TownshipYear, str]],
                   last: dict[str, TownshipYear] | None = None) -> bytes:
    """A workbook of one sheet per (document, county name); ``last``: each township's report
    of the year before, by name."""
    from openpyxl import Workbook

    from openpyxl.packaging.custom import StringProperty

    book = Workbook()
    book.remove(book.active)
    for doc, county in sheets:
        add_sheet(book, doc, county, last=(last or {}).get(doc.meta.township))
    if sheets:  # hidden from the clerk, kept by Excel, WPS and Calc: the year and format it is for
        book.custom_doc_props.append(StringProperty(name=YEAR_PROPERTY, value=str(sheets[0][0].meta.year)))
        book.custom_doc_props.append(StringProperty(name=FORMAT_PROPERTY, value=sheets[0][0].spec.key))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- in ----------------------------------------------------------------------------------------

@dataclass
class SheetRead:
    """One sheet read back: the document, or the problems that refuse it; and the notes."""

    workbook: str
    sheet: str
    sha256: str = ""
    doc: TownshipYear | None = None
    refused: list[str] = field(default_factory=list)  # the sheet cannot be taken
    notes: list[str] = field(default_factory=list)  # read, but not as typed: said per cell
    untouched: bool = False  # nothing typed in it: the template as sent
    formulas_known: bool = True  # .xls and .ods as calamine reads them: a total shows a number
    shown_totals: dict = field(default_factory=dict)  # there: (table, row, col) → (cell, value)
    signed: dict[str, str] = field(default_factory=dict)  # 填报人, 联系电话, 审核人, 填报日期 as typed

    def where(self, coordinate: str) -> str:
        return f"{self.sheet}!{coordinate}"


def is_collection(path: Path) -> bool:
    return path.suffix.lower() in READ


def read_workbook(path: Path, year: int | None = None) -> list[SheetRead]:
    """Every collection sheet of a filled workbook (.xlsx, .xls or .ods)."""
    book = open_book(path)
    sheets = [s for s in book.sheets if _marked(s)]
    if not sheets:
        raise UnreadableFile(str(path), f"工作簿中没有 nianbao 数据采集表（找不到“{MARK}”）")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    made_for = (_year(book.properties.get(YEAR_PROPERTY)), book.properties.get(FORMAT_PROPERTY))
    return [_read_sheet(path, sheet, year, digest, made_for, book.formulas_known) for sheet in sheets]


def _year(text: str | None) -> int | None:
    """A year as a property holds it ("2022", or 2022.0 once Calc saved it)."""
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def _marked(sheet) -> bool:
    return any(sheet.cell(r, 1).value == MARK for r in range(1, 20))


def _read_sheet(path: Path, sheet, year: int | None, digest: str = "",
                made_for: tuple[int | None, str | None] = (None, None),
                formulas_known: bool = True) -> SheetRead:
    out = SheetRead(path.name, sheet.title, digest, formulas_known=formulas_known)
    spec = _spec_of(sheet, out, year, made_for)
    if spec is None:
        return out
    lay = layout(spec)
    wrong = [c for c in lay.labels if not _label_at(sheet, c, 0)]
    shift = _shift(sheet, lay, wrong[0]) if wrong else None
    if shift:  # one message for a row inserted or deleted, not one per label below it
        at = out.where(wrong[0].coordinate)
        out.refused.append((f"{at}：第 {wrong[0].row} 行前插入了 {shift} 行" if shift > 0 else
                            f"{at}：第 {wrong[0].row} 行起删除了 {-shift} 行")
                           + "（采集表的行不能插入或删除，请在原表上填写）")
        return out
    for cell in wrong:
        found = sheet.cell(cell.row, cell.column).value
        out.refused.append(f"{out.where(cell.coordinate)}：标签应为「{cell.text}」，实际为「{found or '空'}」"
                           "（标签被修改，或插入、删除了行列）")
    if out.refused:
        return out
    out.doc = _document(_Cells(sheet, lay, out), spec, lay, out)
    return out


class _Cells:
    """The sheet's cells as the reader may take them: a formula where the template has none is
    named with its cell and read as blank (never as data: ``=HYPERLINK(…)`` is no unit's name);
    text is cleaned of control characters (said per cell); a cell longer than any spreadsheet
    allows refuses the sheet."""

    def __init__(self, sheet, lay: Layout, out: SheetRead):
        self.sheet, self.out = sheet, out
        totals = {p.coordinate for p in lay.cells if p.kind == VALUE and _is_total(lay, p)
                  or p.kind == "check"}  # the template's own formulas
        self.formulas: dict[str, str] = {}  # coordinate → the formula, as a person would see it
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and cell.coordinate not in totals:
                    formula = str(getattr(cell.value, "text", None) or cell.value)[:40]
                    self.formulas[cell.coordinate] = formula
                    out.notes.append(f"{out.where(cell.coordinate)}：应为填写的值，实际为公式 "
                                     f"{formula}（公式不作为数据读取），按空白处理")

    def value(self, row: int, column: int):
        cell = self.sheet.cell(row, column)
        if cell.coordinate in self.formulas:
            return None
        value = cell.value
        if isinstance(value, str):
            where = self.out.where(cell.coordinate)
            if len(value) > MAX_CELL:
                self.out.refused.append(f"{where}：单元格文本 {len(value):,} 字符，超过电子表格允许的 "
                                        f"{MAX_CELL:,} 字符")
                return None
            value, n = JUNK.subn("", value)
            if n:
                self.out.notes.append(f"{where}：含 {n} 个控制字符或非字符，已清除")
        return value


def _is_total(lay: Layout, place: Placed) -> bool:
    """A 总计 the template writes as a formula."""
    table_key, row_key, col_key = place.field.split(".")
    row = lay.spec.table(table_key).row(row_key)
    return row.derived or row.column(col_key).derived


def _label_at(sheet, cell: Placed, shift: int) -> bool:
    found = sheet.cell(cell.row + shift, cell.column).value
    return str(found or "").strip() == cell.text.strip()


def _shift(sheet, lay: Layout, first_wrong: Placed) -> int | None:
    """The rows inserted (> 0) or deleted (< 0) before ``first_wrong``, when every label from
    there on stands that many rows away; None when the labels were edited instead."""
    for shift in (1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
        # rows deleted take their labels with them (a merged label starting there too)
        below = [c for c in lay.labels if c.row >= first_wrong.row - min(shift, 0)]
        if below and first_wrong.row + shift > 0 and all(_label_at(sheet, c, shift) for c in below):
            return shift
    return None


def _meta_place(key: str) -> Placed:
    """Where a particular stands: the same in every format (the reader looks before it knows)."""
    return next(c for c in layout(next(iter(FORMATS.values()))).cells if c.field == f"meta.{key}")


def _meta_value(sheet, key: str):
    place = _meta_place(key)
    return sheet.cell(place.row, place.column).value


def _spec_of(sheet, out: SheetRead, year: int | None,
             made_for: tuple[int | None, str | None] = (None, None)) -> FormatSpec | None:
    """The sheet's format, from the basis document it names, and its year, which must agree —
    and agree with the year and format the template was made for (the workbook's hidden
    properties), unless ``year`` (--year) says the year cell was changed on purpose."""
    document = str(_meta_value(sheet, "format") or "").strip()
    spec = next((f for f in FORMATS.values() if f.document == document), None)
    if spec is None:
        out.refused.append(f"{out.where(_meta_place('format').coordinate)}：报告格式应为 {' 或 '.join(f.document for f in FORMATS.values())}，"
                           f"实际为「{document or '空'}」")
        return None
    raw = _meta_value(sheet, "year")
    try:
        sheet_year = int(str(raw).strip())
    except ValueError:
        out.refused.append(f"{out.where(_meta_place('year').coordinate)}：报告年度应为年份，实际为「{raw}」")
        return None
    if year is not None and sheet_year != year:
        out.refused.append(f"{out.where(_meta_place('year').coordinate)}：报告年度应为 {year}，实际为 {sheet_year}")
        return None
    made_year, made_format = made_for
    if made_year is not None and sheet_year != made_year and year is None:
        out.refused.append(f"{out.where(_meta_place('year').coordinate)}：报告年度应为 {made_year}"
                           f"（此表是为 {made_year} 年度生成的），实际为 {sheet_year}；"
                           f"确为 {sheet_year} 年度的表，请用 --year {sheet_year} 导入")
        return None
    if made_format is not None and spec.key != made_format and made_format in FORMATS:
        out.refused.append(f"{out.where(_meta_place('format').coordinate)}：报告格式应为 "
                           f"{FORMATS[made_format].document}（此表生成时的格式），实际为 {spec.document}")
        return None
    try:
        required = format_for_year(sheet_year)
    except Exception:  # noqa: BLE001 - a year no format covers
        required = None
    if required is not spec:
        out.refused.append(f"{out.where(_meta_place('format').coordinate)}：{sheet_year} 年度应使用 "
                           f"{required.document if required else '（无）'} 格式的采集表，"
                           f"此表为 {spec.document} 格式")
        return None
    return spec


def _document(sheet: _Cells, spec: FormatSpec, lay: Layout, out: SheetRead) -> TownshipYear | None:
    meta = _meta(sheet, spec, out)
    cells: dict[str, dict[tuple[str, str], Value]] = {t.key: {} for t in spec.tables}
    narrative = spec.narrative_skeleton()
    for place in lay.cells:
        if place.kind == VALUE:
            table_key, row_key, col_key = place.field.split(".")
            column = spec.table(table_key).row(row_key).column(col_key)
            row = spec.table(table_key).row(row_key)
            raw = sheet.value(place.row, place.column)
            if column.derived or row.derived:
                _derived(raw, place, out, cells[table_key], row_key, col_key)
            else:
                cells[table_key][(row_key, col_key)] = _value(raw, column.kind, out.where(place.coordinate), out)
        elif place.kind == "text":
            value = sheet.value(place.row, place.column)
            narrative[place.field.split(".", 1)[1]] = "" if value is None else str(value).strip()
    out.signed = {p.field.split(".", 1)[1]: str(v).strip() for p in lay.cells if p.kind == "sign"
                  if (v := sheet.value(p.row, p.column)) not in (None, "")}
    if meta is None or out.refused:
        return None
    if not out.formulas_known:
        _computed_totals(spec, cells, out)
    tables = {t.key: Table(t, cells[t.key]) for t in spec.tables}
    out.untouched = not any(v is not None for c in cells.values() for (row, _), v in c.items()
                            if row != "carried_over") and all(
        text in ("", AUTO_WORD) for text in narrative.values())  # as the template left it
    confidence = LOW if out.untouched else MEDIUM if out.notes else HIGH
    source = Source(file=out.workbook, sha256=out.sha256, kind="xlsx", confidence=confidence,
                    origins=origins(lay, out.sheet))
    return TownshipYear(f"{out.workbook}!{out.sheet}", meta, spec, narrative, tables, source=source)


def origins(lay: Layout, sheet: str) -> dict[str, str]:
    """Where each field stands on the sheet, for findings to name the cell the clerk typed: a
    particular or a section by its cell, a table row by its range where its cells stand side by
    side in the order of its columns (else each cell by its own)."""
    at = {p.field: p for p in lay.cells if p.field and p.kind in ("meta", "text", VALUE)}
    out = {f: f"{sheet}!{p.coordinate}" for f, p in at.items() if not f.startswith("table")}
    for table in lay.spec.tables:
        for row in table.rows:
            places = [at.get(f"{table.key}.{row.key}.{c.key}") for c in row.columns]
            if all(places) and len({p.row for p in places}) == 1 and [
                    p.column for p in places] == list(range(places[0].column, places[0].column + len(places))):
                first, last = places[0].coordinate, places[-1].coordinate
                out[f"{table.key}.{row.key}"] = f"{sheet}!{first}" if first == last else f"{sheet}!{first}:{last}"
            else:
                out.update({f"{table.key}.{row.key}.{c.key}": f"{sheet}!{p.coordinate}"
                            for c, p in zip(row.columns, places) if p})
    return out


def _meta(sheet: _Cells, spec: FormatSpec, out: SheetRead) -> Meta | None:
    values = {k: sheet.value(_meta_place(k).row, _meta_place(k).column) for k, _ in META_ROWS}
    text = {k: str(values[k]).strip() if values[k] not in (None, "") else None
            for k in ("unit", "township", "county", "kind")}
    for key in text:  # a formula is no name: =HYPERLINK(…) in the unit's cell refuses the sheet
        where = _meta_place(key).coordinate
        if where in sheet.formulas:
            out.refused.append(f"{out.where(where)}：单位信息应为文本，实际为公式 {sheet.formulas[where]}"
                               "（公式不作为数据读取）")
    if out.refused:
        return None
    missing = [k for k, v in text.items() if not v]
    if missing:
        out.refused.append(f"{out.sheet}：单位信息缺少 {'、'.join(missing)}（"
                           f"{'、'.join(_meta_place(k).coordinate for k in missing)}）")
        return None
    published = values["published"]
    if isinstance(published, (datetime, date)):
        published = published.strftime("%Y-%m-%d")
    elif published not in (None, ""):
        match = re.fullmatch(r"(\d{4})\D(\d{1,2})\D(\d{1,2})\D?", str(published).strip().translate(FULLWIDTH))
        published = f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None
        if published is None:
            out.notes.append(f"{out.where(_meta_place('published').coordinate)}：发布日期应为日期，实际为「{values['published']}」，未读入")
    else:
        published = None
    return Meta(unit=text["unit"], township=text["township"], county=text["county"],
                kind=text["kind"], year=int(str(values["year"]).strip()), format=spec.key,
                published=published)


def _computed_totals(spec: FormatSpec, cells: dict, out: SheetRead) -> None:
    """Where the file keeps no formulas (.xls, .ods as read), a 总计 showing the sum of its parts
    is the template's formula at work: dropped, the kit recomputes it. One that differs was typed
    over (or the sheet left text out of its sum): kept, said, and checked by the rules."""
    for (table_key, row, col), (where, value) in out.shown_totals.items():
        table = spec.table(table_key)
        given = cells[table_key]
        parts = Table(table, {k: v for k, v in given.items() if not _is_total_key(table, k)})
        summed = parts.value(row, col)
        if value == summed or (value == 0 and summed is None):
            del given[(row, col)]
        else:
            out.notes.append(f"{out.where(where)}：总计显示 {format_number(value)}，与各项之和 "
                             f"{format_number(summed) if summed is not None else '（空白）'} 不符，按填写值读入并核对")


def _is_total_key(table, key: tuple[str, str]) -> bool:
    row = table.row(key[0])
    return row.derived or row.column(key[1]).derived


def _derived(raw, place: Placed, out: SheetRead, cells: dict, row_key: str, col_key: str) -> None:
    """A 总计 cell: its formula is the kit's to recompute; a number typed over it is kept as
    given (the rules compare it with the sum) and said."""
    if raw is None or isinstance(raw, str) and raw.startswith("="):
        return
    value = _value(raw, "count", out.where(place.coordinate), out)
    cells[(row_key, col_key)] = value
    if not out.formulas_known:  # a number either way: compared with its parts once all are read
        out.shown_totals[(place.field.split(".")[0], row_key, col_key)] = (place.coordinate, value)
        return
    out.notes.append(f"{out.where(place.coordinate)}：总计应为公式，实际为输入的 {format_number(value)}，"
                     "按填写值读入并与各项之和核对")


def _value(raw, kind: str, where: str, out: SheetRead) -> Value:
    """A value cell as the loader reads a params cell: blank stays blank, never 0."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        out.notes.append(f"{where}：应为数值，实际为逻辑值 {raw}")
        return Invalid(str(raw))
    if isinstance(raw, float) and not math.isfinite(raw):  # 1e400 in the file's XML
        out.notes.append(f"{where}：应为数值，实际为 {raw}")
        return Invalid(str(raw))
    if isinstance(raw, (int, float)):
        return _number(Decimal(repr(raw)) if isinstance(raw, float) else raw, kind, where, out)
    if isinstance(raw, (datetime, date)):
        out.notes.append(f"{where}：应为数值，实际为日期 {raw:%Y-%m-%d}")
        return Invalid(str(raw))
    text = str(raw).strip()
    if text in BLANK_MARKS:  # 无, —, /, a space: blank, as the loader reads them — but said
        out.notes.append(f"{where}：填写的是「{str(raw)[:10] if text else '空格'}」，按空白读取"
                         "（确为零请填 0）")
        return None
    number = number_of(text.translate(FULLWIDTH).replace(",", ""), text)  # 1,234: a thousands mark
    if isinstance(number, Invalid):
        out.notes.append(f"{where}：应为数值，实际为文本「{text[:20]}」")
        return number
    out.notes.append(f"{where}：数值以文本形式输入（「{text[:20]}」），已按数值 {format_number(number)} 读取；"
                     "表中的总计公式不计文本，表上显示的总计少了这个数")
    return _number(number, kind, where, out)


def _number(value: int | Decimal, kind: str, where: str, out: SheetRead) -> Value:
    if isinstance(value, Decimal) and value == value.to_integral_value() and kind != AMOUNT:
        value = int(value)
    elif isinstance(value, Decimal) and kind == AMOUNT:
        value = value.normalize() if value != value.to_integral_value() else int(value)
    if kind != AMOUNT and isinstance(value, Decimal):
        out.notes.append(f"{where}：件数应为整数，实际为 {format_number(value)}")
    if kind != SIGNED and value < 0:
        out.notes.append(f"{where}：应为不小于 0 的数，实际为 {format_number(value)}")
    return value


# -- the county's templates -------------------------------------------------------------------

@dataclass
class Templates:
    written: list[Path] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # townships whose 上年结转 was filled in
    kept: list[Path] = field(default_factory=list)  # already there (maybe filled in): not replaced
    skipped: list[str] = field(default_factory=list)  # townships without a workbook, and why
    list_used: str = ""  # when the year's own list is not in county.yaml, whose list was used


def templates(params_dir: Path, year: int, out: Path, book: bool = False,
              force: bool = False) -> Templates:
    """A collection workbook for every township county.yaml lists for ``year`` (or, before the
    year is listed, for ``year`` − 1); with ``book``, one workbook with a sheet each. A workbook
    already there may be one a township filled in: it is kept unless ``force``."""
    from ..checks.folder import CountyFolder
    from ..paths import safe_part
    from ..errors import OutputExists
    from ..params.write import write_atomic

    folder = CountyFolder.open([params_dir], check=False)
    county = folder.required_county(params_dir)
    result, sheets = Templates(), []
    if year in county.expected:
        listed = county.expected[year]
    elif year - 1 in county.expected:  # the new year's list is not written yet: say whose is used
        listed = county.expected[year - 1]
        result.list_used = f"county.yaml 未列出 {year} 年度，按 {year - 1} 年度的乡镇清单生成"
    else:
        raise NoCountyList(county.path, year, county.line)
    names = [n for n in listed if safe_part(n)]
    result.skipped += [f"乡镇名「{n[:20]}」不能用作文件名，未生成" for n in listed if not safe_part(n)]
    by_name = {(d.meta.township, d.meta.year): d for d in folder.docs.values()}
    spec = get_format(format_for_year(year).key)
    lasts: dict[str, TownshipYear] = {}
    for name in names:
        last = by_name.get((name, year - 1))
        known = by_name.get((name, year)) or last
        meta = Meta(unit=known.meta.unit if known else _unit(name), township=name,
                    county=county.name, kind=known.meta.kind if known else _kind(name), year=year,
                    format=spec.key)
        doc = collection_doc(meta, spec, last)
        sheets.append((doc, county.name))
        if last is not None:
            lasts[name] = last
        if any(v is not None for (row, _), v in doc.table("table3").cells.items() if row == "carried_over"):
            result.carried.append(name)  # only where last year's 结转 was there to fill in
    books = ([(out / f"{county.name if safe_part(county.name) else '县'}_{year}_采集表.xlsx", sheets)]
             if book else [(out / f"{doc.meta.township}_{year}_采集表.xlsx", [(doc, name)])
                           for doc, name in sheets])
    for target, its_sheets in books:
        try:
            write_atomic(target, workbook_bytes(its_sheets, lasts), exclusive=not force)
        except OutputExists:
            result.kept.append(target)
        else:
            result.written.append(target)
    return result


def _kind(name: str) -> str:
    return next((k for k in TOWNSHIP_KINDS if name.endswith(k)), OTHER_KIND)


def _unit(name: str) -> str:
    return f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"
