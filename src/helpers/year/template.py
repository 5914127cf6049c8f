"""Collection workbooks out (`nianbao template`): one sheet a township-year, laid out like the
printed report (sheetlayout.py), for each township to fill in Excel, WPS or LibreOffice.

The template locks every label, lets the spreadsheet itself refuse what is not a whole number
≥ 0 (or 万元 ≥ 0), shows each 总计 as a formula (blank while its row is) and a balance check
under table 三, fills 上年结转 from last year's report where the kit has it and shows last
year's stock beside table 二, prints on A4, and keeps the year and format it was made for in its
document properties. Filled workbooks are read back by collect.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..checks.hanzi import wide
from ..errors import NoCountyList
from ..formats import (AMOUNT, OTHER_KIND, SIGNED, STOCK_ITEMS, TOWNSHIP_KINDS, FormatSpec,
                      format_for_year, get_format)
from ..model import Meta, Table, TownshipYear, Value, sum_values
from ..report.narrative import AUTO_WORD, GENERATORS
from ..report.tables import HEAD, LABEL, NOTE, VALUE
from .sheetlayout import (CHECK_ROWS, EDITABLE_META, FORMAT_PROPERTY, TITLE, YEAR_PROPERTY, Layout,
                          Placed, layout)
from .spreadsheet import text_cell

INPUT_FILL, HEAD_FILL = "FFF7D6", "F2F2F2"
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
    _print_setup(sheet)
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
        width = (LABEL_WIDTH if cell.column == 1 else VALUE_WIDTH) + VALUE_WIDTH * (cell.colspan - 1)
        lines = ceil(sum(2 if wide(ch) else 1 for ch in cell.text) / max(width - 1, 1))
        per_row = lines * LINE_HEIGHT / cell.rowspan
        for r in range(cell.row, cell.row + cell.rowspan):
            heights[r] = max(heights.get(r, LINE_HEIGHT), per_row)
    for row, height in heights.items():
        if height > LINE_HEIGHT and not sheet.row_dimensions[row].height:
            sheet.row_dimensions[row].height = height


def _print_setup(sheet) -> None:
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


# -- the county's templates -------------------------------------------------------------------

@dataclass
class Templates:
    written: list[Path] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # the townships whose workbook was written
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
                    county=county.name, kind=known.meta.kind if known else guess_kind(name), year=year,
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
            result.sent += [doc.meta.township for doc, _ in its_sheets]
    return result


def guess_kind(name: str) -> str:
    """乡 / 镇 / 街道 from a township's name (OTHER_KIND when it says none)."""
    return next((k for k in TOWNSHIP_KINDS if name.endswith(k)), OTHER_KIND)


def _unit(name: str) -> str:
    return f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"

