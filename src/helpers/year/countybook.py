"""The county workbook a superior office asks for: ``build/<year>/<county>_<year>.xlsx``.

Laid out for a city analyst who filters and sums in Excel or WPS:

- 汇总: a row a township (the county roll-up last) with its status, key figures, rates and counts
  of findings;
- 表二 and 表四: a row a township under the printed form's two header rows (the printed row,
  merged over its columns, then each column), with its status;
- 表三: a row a township and printed row (项目, with the groups it sits under), the seven applicant
  columns beside it — 25 rows a township instead of 175 columns; filter 项目 and the 总计 column
  sums the county;
- 校验结果: every finding, with the cell or line the clerk typed it in.

Every sheet has its header rows and label columns frozen, columns as wide as their text, an
autofilter, styled headers; a number is a number (万元 with its decimals), a blank stays empty,
text is text (a township named ``=HYPERLINK(…)`` never becomes a formula).
"""

from __future__ import annotations

import io
from decimal import Decimal
from math import ceil
from pathlib import Path

from ..checks.folder import CountyFolder
from ..checks.hanzi import wide
from ..formats import AMOUNT, TableSpec
from ..model import (ERROR, EXPLAINED, FALSE_POSITIVE, SEVERITY_ZH, WARNING, CheckReport, TownshipYear,
                     is_number, row_label)
from ..report.status import check_status, status_of
from .spreadsheet import text_cell
from .trends import KEY_FIGURES, key_figures

FINDING_COLUMNS = ("乡镇（街道）", "年度", "规则", "级别", "位置", "说明", "应为", "实际", "参数文件行",
                   "来源位置",  # where the clerk typed it (崇文镇!D48), or the published file's line
                   "编号", "审核结论", "审核理由", "审核人", "审核日期")  # the office's review, if any
SUMMARY_COLUMNS = ("乡镇（街道）", "状态", *KEY_FIGURES, "错误", "警告", "待审核", "已说明", "误报")
HEAD_FILL, HEAD_FONT = "DDE4EE", "1A1A1A"
AMOUNT_FORMAT = "0.0###"  # 万元: its decimals as typed, no trailing zeros beyond one
MAX_WIDTH = 60  # characters: a column wider than this wraps


def _width(value) -> int:
    """Characters a value takes in a column (a Chinese character is two)."""
    text = "" if value is None else str(value)
    return sum(2 if wide(ch) else 1 for ch in text)


def _number(value):
    """A cell's value as a spreadsheet number (a Decimal 万元 amount as float), text as text, a
    blank or an unreadable cell empty."""
    if not is_number(value):
        return None
    return float(value) if isinstance(value, Decimal) else value


class _Sheet:
    """One sheet being written: rows appended, widths tracked, headers styled, panes frozen."""

    def __init__(self, book, title: str):
        self.ws = book.create_sheet(title)
        self.widths: dict[int, int] = {}

    def row(self, values, formats: dict[int, str] | None = None) -> int:
        r = self.ws.max_row + 1 if self.ws.max_row > 1 or self.ws["A1"].value is not None else 1
        for c, value in enumerate(values, 1):
            cell = self.ws.cell(r, c)
            text_cell(cell, value)
            if formats and c in formats and value is not None:
                cell.number_format = formats[c]
            if _width(value) > MAX_WIDTH:  # a long label or message wraps in its column
                from openpyxl.styles import Alignment

                cell.alignment = Alignment(wrap_text=True, vertical="top")
            self.widths[c] = max(self.widths.get(c, 0), _width(value))
        return r

    def finish(self, head_rows: int, frozen_columns: int) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter

        thin = Side(style="thin", color="8A8A8A")
        for row in self.ws.iter_rows(min_row=1, max_row=head_rows):
            for cell in row:
                cell.font = Font(bold=True, color=HEAD_FONT)
                cell.fill = PatternFill("solid", fgColor=HEAD_FILL)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        for c, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = min(max(width, 6) + 2, MAX_WIDTH)
        for r in range(1, head_rows + 1):  # a header row as tall as its most wrapped label
            lines = max((ceil(_width(cell.value) / max(min(max(self.widths.get(cell.column, 6), 6), MAX_WIDTH), 1))
                         for cell in self.ws[r] if cell.value is not None), default=1)
            self.ws.row_dimensions[r].height = 15 * max(lines, 1)
        self.ws.freeze_panes = self.ws.cell(head_rows + 1, frozen_columns + 1).coordinate
        # printed: A4 landscape, one page wide, the header rows on every page
        self.ws.page_setup.orientation, self.ws.page_setup.paperSize = "landscape", self.ws.PAPERSIZE_A4
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.page_setup.fitToWidth, self.ws.page_setup.fitToHeight = 1, 0
        self.ws.print_title_rows = f"1:{head_rows}"
        if self.ws.max_row > head_rows:
            last = get_column_letter(self.ws.max_column)
            self.ws.auto_filter.ref = f"A{head_rows}:{last}{self.ws.max_row}"


def _value_formats(spec: TableSpec, first: int) -> dict[int, str]:
    """Column → number format of a table's value columns laid out from column ``first``."""
    columns = [c for r in spec.rows for c in r.columns]
    return {first + i: AMOUNT_FORMAT for i, c in enumerate(columns) if c.kind == AMOUNT}


def _wide_table(book, spec: TableSpec, units: list[tuple[TownshipYear, str]], title: str) -> None:
    """Tables 二 and 四: a row a township; the printed row merged over its columns, then each."""
    sheet = _Sheet(book, title)
    top, bottom = ["乡镇（街道）", "状态"], ["乡镇（街道）", "状态"]
    for row in spec.rows:
        for i, col in enumerate(row.columns):
            top.append(row_label(spec, row) if i == 0 else None)
            bottom.append(col.label)
    sheet.row(top)
    sheet.row(bottom)
    c = 3
    for row in spec.rows:  # the printed row over its columns; 乡镇 and 状态 over both header rows
        if len(row.columns) > 1:
            sheet.ws.merge_cells(start_row=1, start_column=c, end_row=1, end_column=c + len(row.columns) - 1)
        c += len(row.columns)
    for column in (1, 2):
        sheet.ws.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
    sheet.widths.update({c: min(w, 16) for c, w in sheet.widths.items() if c > 2})  # headers wrap
    formats = _value_formats(spec, 3)
    for doc, status in units:
        table = doc.table(spec.key)
        sheet.row([doc.meta.township, status, *(_number(table.value(r.key, c.key))
                                                for r in spec.rows for c in r.columns)], formats)
    sheet.finish(head_rows=2, frozen_columns=2)


def _long_table(book, spec: TableSpec, units: list[tuple[TownshipYear, str]], title: str) -> None:
    """Table 三: a row a township and printed row (its groups before its label), the columns of
    the printed form beside it."""
    sheet = _Sheet(book, title)
    columns = spec.rows[0].columns
    sheet.row(["乡镇（街道）", "状态", "项目", *(c.label for c in columns)])
    for doc, status in units:
        table = doc.table(spec.key)
        for row in spec.rows:
            item = "·".join((*spec.groups_of(row), row.label))
            sheet.row([doc.meta.township, status, item, *(_number(table.value(row.key, c.key)) for c in columns)])
    sheet.finish(head_rows=1, frozen_columns=3)


def _summary(book, units: list[tuple[TownshipYear, str, tuple[int, ...]]]) -> None:
    sheet = _Sheet(book, "汇总")
    sheet.row(SUMMARY_COLUMNS)
    for doc, status, counts in units:
        sheet.row([doc.meta.township, status, *key_figures(doc), *counts])
    sheet.finish(head_rows=1, frozen_columns=1)


def _findings(book, reports: list[tuple[TownshipYear, CheckReport]]) -> None:
    sheet = _Sheet(book, "校验结果")
    sheet.row(FINDING_COLUMNS)
    for doc, report in reports:
        for f in report.findings:
            review = report.review(f)
            sheet.row([doc.meta.township, doc.meta.year, f.rule, SEVERITY_ZH[f.severity],
                       f.location.describe(), f.message, f.expected, f.found, f.location.line,
                       f.location.origin, f.id,
                       *((review.verdict, review.reason, review.by, review.date) if review else ())])
    sheet.finish(head_rows=1, frozen_columns=1)


def county_workbook(folder: CountyFolder, docs: list[TownshipYear],
                    rollup: TownshipYear | None) -> bytes:
    """The workbook of one year: ``docs`` (one row each), the roll-up last, the findings."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    reports = [(d, folder.report(Path(d.path))) for d in docs]
    checked = [(d, check_status(r).label, (len(r.errors), len(r.warnings), len(r.open),
                                          r.counted(EXPLAINED), r.counted(FALSE_POSITIVE)))
               for d, r in reports]
    if rollup is not None:
        from ..checks import Context, run_rules

        found = run_rules(Context(rollup))  # the roll-up's own params, checked as its report is
        errors = sum(f.severity == ERROR for f in found)
        warnings = sum(f.severity == WARNING for f in found)
        checked.append((rollup, status_of(errors, warnings).label, (errors, warnings, errors + warnings, 0, 0)))
    _summary(book, checked)
    formats = {d.spec.key for d, *_ in checked}
    for spec in dict.fromkeys(d.spec for d, *_ in checked):
        units = [(d, status) for d, status, *_ in checked if d.spec is spec]
        for table in spec.tables:
            title = f"表{table.number}" + (f"（{spec.key}格式）" if len(formats) > 1 else "")
            (_long_table if table.key == "table3" else _wide_table)(book, table, units, title)
    _findings(book, reports)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
