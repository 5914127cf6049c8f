"""Spreadsheets as a door both ways: text the kit writes stays text, and what comes back is read
within bounds.

Out: a value starting with ``=`` (or ``+ - @``) is a formula to Excel, WPS and LibreOffice, and
openpyxl writes any string starting with ``=`` as one — a township named ``=HYPERLINK(…)`` would
be a live link in the county workbook. Every text cell is written as a string, and CSV fields a
spreadsheet would evaluate are neutralised the way OWASP's "CSV Injection" page describes (a
leading apostrophe). In: an office file is a zip archive; one whose parts declare far more than
any report or workbook (a zip bomb) is refused before anything is unpacked, and a cell longer
than Excel itself allows is refused with its address.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import UnreadableFile

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet evaluates, or strips to
MAX_CELL = 32_767  # characters in one cell: Excel's limit (and WPS's, LibreOffice's)
MAX_RATIO = 200  # unpacked to packed, beyond what XML compresses to


def text_cell(cell, value: object) -> None:
    """``value`` into an openpyxl cell; text as text, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def texts_as_text(book) -> None:
    """Every cell of a workbook that holds no formula of its own (one written through pandas)
    made text where openpyxl would have written a formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"


def csv_field(value: object) -> object:
    """A CSV field a spreadsheet will not evaluate: text that starts like a formula gets a
    leading apostrophe (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def check_archive(source: bytes | Path, what: str, limit: int,
                  parts: dict[str, int] | None = None) -> None:
    """Refuse an office file (Word, Excel) whose parts declare more than ``limit`` bytes
    unpacked (or one part more than its own limit in ``parts``), or far more than their packed
    size, before anything is unpacked. zipfile stops each part at its declared size, so the
    declaration bounds what reading it can cost."""
    path = "" if isinstance(source, bytes) else str(source)
    packed = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            infos = archive.infolist()
            declared = sum(info.file_size for info in infos)
            big = next((i for i in infos if i.file_size > (parts or {}).get(i.filename, limit)), None)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(path, f"不是可读的 {what}（{type(exc).__name__}: {exc}）") from None
    if big is not None and declared <= limit:
        raise UnreadableFile(path, f"{what}的 {big.filename} 解压后达 {big.file_size / 1024 / 1024:.0f} MB，"
                                   "远超任何年报与采集表，拒绝读取")
    if declared > limit or declared > MAX_RATIO * max(packed, 1024 * 1024):
        raise UnreadableFile(path, f"{what}解压后达 {declared / 1024 / 1024:.0f} MB，远超任何年报与采集表"
                                   "（疑为压缩炸弹 zip bomb），拒绝读取")
