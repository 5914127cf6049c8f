"""A returned collection workbook opened for reading, whichever program saved it: .xlsx through
openpyxl (which sees formulas as formulas and the workbook's custom properties), .xls and .ods
(what WPS and LibreOffice save by choice) through python-calamine, which gives each cell's value
as last computed and no formulas.

The reader (collect.py) sees one kind of sheet either way: ``cell(row, column)`` with a value,
a data type (``f`` for a formula, where the file says so) and an address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from ..errors import UnreadableFile
from .spreadsheet import check_archive

READ = (".xlsx", ".xls", ".ods")
MAX_UNPACKED = 64 * 1024 * 1024  # a county's book of 100 sheets unpacks to a few MB
MAX_XLS = 32 * 1024 * 1024  # an .xls is not a zip: its size on disk is what bounds it


@dataclass
class Book:
    sheets: list
    properties: dict[str, str] = field(default_factory=dict)  # the template's year and format
    formulas_known: bool = True  # False: a total's cell shows a number whether typed or computed


def guard(path: Path) -> None:
    """Refuse a workbook whose size says it is not a township's (UnreadableFile), before any of
    it is unpacked or parsed."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".ods"):
        check_archive(path, "Excel 工作簿" if suffix == ".xlsx" else "ODS 表格", MAX_UNPACKED)
    elif path.stat().st_size > MAX_XLS:
        raise UnreadableFile(str(path), f"XLS 工作簿 {path.stat().st_size / 1024 / 1024:.0f} MB，"
                                        "远超任何采集表，拒绝读取")


def open_book(path: Path) -> Book:
    """The workbook at ``path``; UnreadableFile, saying what it is, when it is not one."""
    guard(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _openpyxl(path)
    return _calamine(path)


def _openpyxl(path: Path) -> Book:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=False)  # formulas as formulas: never read as data
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file says what it is
        raise UnreadableFile(str(path), f"不是可读的 Excel 工作簿（{type(exc).__name__}: {exc}）") from None
    return Book(book.worksheets, {p.name: str(p.value) for p in book.custom_doc_props.props})


def _calamine(path: Path) -> Book:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [_Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                  for name in book.sheet_names]
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file says what it is
        raise UnreadableFile(str(path), f"不是可读的 {path.suffix.lstrip('.').upper()} 表格"
                                        f"（{type(exc).__name__}: {exc}）") from None
    return Book(sheets, formulas_known=False)


@dataclass(frozen=True)
class _Cell:
    row: int
    column: int
    value: object

    @property
    def data_type(self) -> str:
        return "s" if isinstance(self.value, str) else "n"

    @property
    def coordinate(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.column)}{self.row}"


class _Sheet:
    """A sheet of values as calamine reads it, addressed as openpyxl's are (from 1)."""

    def __init__(self, title: str, rows: list[list]):
        self.title, self._rows = title, rows

    def cell(self, row: int, column: int) -> _Cell:
        try:
            value = self._rows[row - 1][column - 1]
        except IndexError:
            value = None
        return _Cell(row, column, _value(value))

    def iter_rows(self):
        for r, values in enumerate(self._rows, 1):
            yield [_Cell(r, c, _value(v)) for c, v in enumerate(values, 1)]


def _value(value):
    """A cell as openpyxl would give it: empty is None, a whole number an int."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, time) and not isinstance(value, datetime):
        return str(value)
    return value if isinstance(value, (str, int, float, bool, date)) else str(value)
