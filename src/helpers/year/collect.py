"""Filled collection workbooks read back (`nianbao import x.xlsx`): one township-year a sheet.

The reader trusts nothing: a formula is never read as data (the kit recomputes every total), a
label edited or a row inserted or deleted refuses the sheet, the year and format must be the
template's, and every cell typed in a way the form does not mean is named (workbook, sheet,
cell) with what was expected and what was found. The template is written by template.py; both
ask sheetlayout.py where each cell stands.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..errors import UnreadableFile
from ..formats import AMOUNT, FORMATS, SIGNED, FormatSpec, format_for_year
from ..model import (HIGH, LOW, MEDIUM, Invalid, Meta, Source, Table, TownshipYear, Value, format_number)
from ..params.cellvalue import BLANK_MARKS, FULLWIDTH, JUNK, number_of
from ..report.narrative import AUTO_WORD
from ..report.tables import VALUE
from .returned import READ, open_book
from .sheetlayout import FORMAT_PROPERTY, MARK, META_ROWS, YEAR_PROPERTY, Layout, Placed, layout
from .spreadsheet import MAX_CELL


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
    return _is_total_key(lay.spec.table(table_key), (row_key, col_key))


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
    """A (row, column) of ``table`` that is a 总计: derived from other cells."""
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


