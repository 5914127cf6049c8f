"""The 依申请公开台账 workbook: written for a township-year (``nianbao template --ledger``, and by
``nianbao new-year`` with last year's unfinished requests and cases already in it), read back
when the clerk returns it (``nianbao import``, .xlsx, .xls or .ods).

Two sheets a clerk fills, one row a record — 依申请公开台账 (编号, 收到日期, 申请人类型, 申请内容,
补正日期, 办理结果, 答复日期, 延期, 延期日期, 备注) and 复议诉讼 (案号, 类型, 结果, 审结, 备注) — under a
first row with the unit, township and year. 申请人类型, 办理结果, 类型, 结果, 延期 and 审结 are
drop-downs of the year's official categories (a hidden sheet holds the lists: a list written
inline may not exceed 255 characters); date columns take dates. The sheets are not protected: a
ledger grows by rows, and the reader finds its columns by their headers.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..checks.ledgercount import Count, Request, count
from ..errors import UnreadableFile
from ..formats import FormatSpec
from ..formats.ledger import (CASE_COLUMNS, CASES_SHEET, CHOICES_SHEET, FIRST_ROW, HEAD_ROW, META_ROW, NO,
                              REQUEST_COLUMNS, REQUESTS_SHEET, YES, LedgerColumn, applicants, case_kinds,
                              case_results, results)
from ..model import Ledger, LedgerRecord, Meta, TownshipYear
from .returned import READ, guard, open_book

BLANK_ROWS = 500  # rows made ready (validated, formatted) below the records
MAX_RECORDS = 100_000  # rows read at most: a ledger of a township holds tens to hundreds
META_LABELS = ("单位", "乡镇（街道）", "年度")  # A1, C1, E1; their values in B1, D1, F1
HEAD_FILL, CARRIED_FILL = "DDE4EE", "EDEDED"
DATE_FORMAT = "yyyy-mm-dd"


# -- writing ---------------------------------------------------------------------------------------
def ledger_workbook(meta: Meta, spec: FormatSpec, carried: tuple[Request, ...] = (),
                    cases: tuple[LedgerRecord, ...] = ()) -> bytes:
    """The ledger workbook of one township-year, with last year's unfinished requests (and
    cases not closed) already listed, greyed, by their 编号 and 案号."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook()
    requests = book.active
    requests.title = REQUESTS_SHEET
    case_sheet = book.create_sheet(CASES_SHEET)
    choices = _choices(book, spec)
    labels = {a: label for label, a in applicants(spec)}
    _sheet(requests, meta, REQUEST_COLUMNS, choices, [
        [r.no, r.received, labels.get(r.applicant, ""), r.content, None, None, None, None, None, "上年结转"]
        for r in carried])
    _sheet(case_sheet, meta, CASE_COLUMNS, choices,
           [[*record.values[:2], None, NO, "上年未审结"] for record in cases])
    book.custom_doc_props.append(StringProperty(name="nianbao.ledger", value=str(meta.year)))
    book.properties.creator = book.properties.lastModifiedBy = "nianbao"
    book.properties.title = f"{meta.township} {meta.year} 年依申请公开台账"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _choices(book, spec: FormatSpec) -> dict[str, str]:
    """The hidden sheet of drop-down lists: column key → its range (=选项!$A$2:$A$7)."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(CHOICES_SHEET)
    sheet.sheet_state = "hidden"
    lists = {"applicant": [a for a, _ in applicants(spec)], "result": [r for r, _ in results(spec)],
             "extended": [YES, NO], "kind": [k for k, _ in case_kinds(spec)],
             "case_result": [r for r, _ in case_results(spec)], "closed": [YES, NO]}
    out = {}
    for n, (key, values) in enumerate(lists.items(), 1):
        letter = get_column_letter(n)
        sheet.cell(1, n, key)
        for i, value in enumerate(values, 2):
            sheet.cell(i, n, value)
        out[key] = f"{CHOICES_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    return out


def _sheet(sheet, meta: Meta, columns: tuple[LedgerColumn, ...], choices: dict[str, str],
           records: list[list]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for n, (label, value) in enumerate(zip(META_LABELS, (meta.unit, meta.township, meta.year))):
        sheet.cell(META_ROW, 2 * n + 1, label).font = Font(bold=True)
        sheet.cell(META_ROW, 2 * n + 2, value)
    sheet.cell(META_ROW, 7, "每件一行；类别从下拉列表选择；日期填 YYYY-MM-DD").font = Font(color="666666")
    for c, column in enumerate(columns, 1):
        head = sheet.cell(HEAD_ROW, c, column.label)
        head.font, head.fill = Font(bold=True), PatternFill("solid", fgColor=HEAD_FILL)
        head.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(c)].width = column.width + 2
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for r, values in enumerate(records, FIRST_ROW):
        for c, value in enumerate(values, 1):
            if isinstance(value, str):  # a control character a params file may hold, Excel may not
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(r, c, value)
            cell.fill = PatternFill("solid", fgColor=CARRIED_FILL)
            cell.data_type = "s" if isinstance(value, str) else cell.data_type  # never a formula
    last = FIRST_ROW + len(records) + BLANK_ROWS
    for c, column in enumerate(columns, 1):
        letter = get_column_letter(c)
        cells = f"{letter}{FIRST_ROW}:{letter}{last}"
        if column.kind == "choice":
            key = "case_result" if columns is CASE_COLUMNS and column.key == "result" else column.key
            rule = DataValidation(type="list", formula1=f"={choices[key]}", allow_blank=True,
                                  showErrorMessage=True, errorTitle=column.label,
                                  error=f"请从下拉列表中选择{column.label}")
        elif column.kind == "date":
            rule = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                  showErrorMessage=True, errorTitle=column.label,
                                  error="请填写日期，如 2022-01-05")
            for row in range(FIRST_ROW, last + 1):
                sheet.cell(row, c).number_format = DATE_FORMAT
        else:
            for row in range(FIRST_ROW, last + 1):
                sheet.cell(row, c).number_format = "@"  # 编号 2022-001 stays text, never a date
            continue
        sheet.add_data_validation(rule)
        rule.add(cells)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 2)
    sheet.auto_filter.ref = f"A{HEAD_ROW}:{get_column_letter(len(columns))}{HEAD_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"


def carried_into(last: TownshipYear | None) -> tuple[tuple[Request, ...], tuple[LedgerRecord, ...]]:
    """What last year's ledger leaves open on 12月31日: its requests and its cases not closed."""
    if last is None or last.ledger is None:
        return (), ()
    counted: Count = count(last.ledger, last.spec.key, last.meta.year)
    open_rows = {c.row for c in counted.open_cases}
    return counted.open, tuple(r for r in last.ledger.cases if r.row in open_rows)


# -- reading ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LedgerRead:
    unit: str
    township: str
    year: int
    ledger: Ledger


def is_ledger(path: Path) -> bool:
    """A workbook with the ledger's sheet (its name is the mark: the clerk never renames it).
    Only the sheet names are read: a county's collection workbook is not opened twice."""
    if path.suffix.lower() not in READ:
        return False
    try:
        guard(path)
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook

            names = load_workbook(path, read_only=True).sheetnames
        else:
            from python_calamine import CalamineWorkbook

            names = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception:  # noqa: BLE001 - not a workbook the kit can read: the importer says why
        return False
    return REQUESTS_SHEET in names


def read_ledger(path: Path) -> LedgerRead:
    """The filled ledger: its unit, township and year (first row) and every record as typed."""
    book = open_book(path)
    sheets = {s.title: s for s in book.sheets}
    if REQUESTS_SHEET not in sheets:
        raise UnreadableFile(str(path), f"找不到工作表“{REQUESTS_SHEET}”")
    main = sheets[REQUESTS_SHEET]
    unit, township, year = (_text(main.cell(META_ROW, c).value) for c in (2, 4, 6))
    if not unit or not township or not (year or "").isdigit():
        raise UnreadableFile(str(path), f"{REQUESTS_SHEET}!B1、D1、F1 应为单位、乡镇（街道）与年度，"
                                        f"实际为 {unit!r}、{township!r}、{year!r}")
    requests = _records(path, main, REQUEST_COLUMNS)
    cases = _records(path, sheets[CASES_SHEET], CASE_COLUMNS) if CASES_SHEET in sheets else ()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return LedgerRead(unit, township, int(year), Ledger(path.name, digest, requests, cases))


def _records(path: Path, sheet, columns: tuple[LedgerColumn, ...]) -> tuple[LedgerRecord, ...]:
    heads = [_text(sheet.cell(HEAD_ROW, c).value) for c in range(1, len(columns) + 1)]
    if heads != [c.label for c in columns]:
        raise UnreadableFile(str(path), f"{sheet.title} 第 {HEAD_ROW} 行的表头应为 "
                                        f"{'、'.join(c.label for c in columns)}，实际为 {'、'.join(h or '（空）' for h in heads)}")
    out = []
    for r, row in enumerate(sheet.iter_rows(), 1):
        if r < FIRST_ROW:
            continue
        if r >= FIRST_ROW + MAX_RECORDS:
            raise UnreadableFile(str(path), f"{sheet.title} 超过 {MAX_RECORDS} 行，不是一个单位一年的台账")
        values = tuple(_text(cell.value) for cell in list(row)[:len(columns)])
        values += (None,) * (len(columns) - len(values))
        if any(values):
            out.append(LedgerRecord(r, values))
    return tuple(out)


def _text(value) -> str | None:
    """A cell as the ledger keeps it: a date as YYYY-MM-DD, a whole number without .0, text as
    typed; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


# -- a county's ledgers ----------------------------------------------------------------------------
@dataclass
class LedgerBooks:
    written: list[Path]
    kept: list[Path]  # already there (maybe being filled in): not replaced without --force
    skipped: list[str]
    carried: dict[str, int]  # township → requests and cases carried from last year's ledger


def ledger_name(township: str, year: int) -> str:
    return f"{township}_{year}_台账.xlsx"


def ledger_templates(params_dir: Path, year: int, out: Path, force: bool = False,
                     only_carrying: bool = False) -> LedgerBooks:
    """A ledger workbook for every township county.yaml lists for ``year`` (or for ``year`` − 1
    before the year is listed), each with last year's unfinished requests and cases by 编号 and
    案号; with ``only_carrying``, only for townships whose last year had a ledger (new-year)."""
    from ..checks.folder import CountyFolder
    from ..errors import NoCountyList, OutputExists
    from ..formats import format_for_year, get_format
    from ..params.write import write_atomic
    from ..paths import safe_part
    from .template import guess_kind

    folder = CountyFolder.open([params_dir], check=False)
    county = folder.required_county(params_dir)
    names = county.expected.get(year) or county.expected.get(year - 1)
    if names is None:
        raise NoCountyList(county.path, year, county.line)
    by = {(d.meta.township, d.meta.year): d for d in folder.docs.values() if Path(d.path).parent == params_dir}
    spec = get_format(format_for_year(year).key)
    done = LedgerBooks([], [], [], {})
    for name in names:
        if not safe_part(name):
            done.skipped.append(f"乡镇名「{name[:20]}」不能用作文件名，未生成")
            continue
        last = by.get((name, year - 1))
        if only_carrying and (last is None or last.ledger is None):
            continue
        known = by.get((name, year)) or last
        meta = Meta(unit=known.meta.unit if known else f"{name}人民政府", township=name,
                    county=county.name, kind=known.meta.kind if known else guess_kind(name), year=year,
                    format=spec.key)
        requests, cases = carried_into(last)
        target = out / ledger_name(name, year)
        try:
            write_atomic(target, ledger_workbook(meta, spec, requests, cases), exclusive=not force)
        except OutputExists:
            done.kept.append(target)
            continue
        done.written.append(target)
        if requests or cases:
            done.carried[name] = len(requests) + len(cases)
    return done
