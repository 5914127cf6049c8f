"""The report as PDF: the official document typeset by Typst, archived as PDF/A-2b.

The same printable document the Word form reads (``Report.printable``), in the same layout
(``official``): A4 with GB/T 9704's margins, 小标宋 title, 黑体 and 楷体 headings, 仿宋 text on a
fixed line, tables laid out as printed with their header repeated on every page and rows never
split, page numbers “— N —” odd right and even left, the sign-off, and 校验未通过（不得发布）/
示例数据 in the header of every page. Fonts are free ones of the official shapes (Fandol, then
Noto CJK for a character Fandol lacks), embedded as CID subsets: searchable in Chinese, no Type 3.

Typst runs in this process (the ``typst`` package embeds its compiler): no browser, no other
program. One compiler a process, its fonts read once; each report goes in as data through
``sys.inputs`` (never as markup), so no text of a params file is ever evaluated. Why Typst:
docs/forms.md.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..errors import RenderError
from ..report.tables import Grid
from .official import (ALIGN, BODY_SIZE, CELL_MARGIN_MM, FREE_FONTS, LINE, MARGINS_MM, MARK_COLOR, MARK_SIZE,
                       NUMBER_SIZE, SAMPLE_MARK, SAMPLE_NOTE, TABLE_SIZE, TITLE_SIZE, TYPE_WIDTH_MM, annexes,
                       cell_text, column_widths, marks)

TEMPLATE = paths.TEMPLATES / "report.typ"
# Where the free fonts are on Debian (texlive-lang-chinese: Fandol; fonts-noto-cjk: Noto CJK);
# NIANBAO_FONT_DIRS (folders, separated by the path separator) replaces the list.
FONT_DIRS = ("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
             "/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/fandol",
             "/usr/local/share/fonts", str(Path.home() / ".local/share/fonts"))
INSTALL_HINT = ("缺少中文字体：PDF 用 Fandol 或 Noto CJK 排版（make fonts，即 Debian 的 texlive-lang-chinese 与 "
                "fonts-noto-cjk；字体在别处时用环境变量 NIANBAO_FONT_DIRS 指明）")
PDF_STANDARD = "a-2b"
TITLE_LINE = int(TYPE_WIDTH_MM / (TITLE_SIZE * 25.4 / 72))  # characters of 二号 a line: 19


def font_dirs() -> list[str]:
    chosen = os.environ.get("NIANBAO_FONT_DIRS")
    folders = chosen.split(os.pathsep) if chosen is not None else FONT_DIRS
    return [f for f in folders if f and Path(f).is_dir()]


@lru_cache(maxsize=1)
def _compiler():
    """The process's Typst compiler and the font families it found for each role (best first),
    the fonts read once; RenderError in Chinese when a role has none."""
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=font_dirs())
    found = {f.lower() for f in fonts.families()}
    roles = {role: [f for f in families if f.lower() in found] for role, families in FREE_FONTS.items()}
    missing = [role for role, families in roles.items() if not families]
    if missing:
        raise RenderError("PDF", INSTALL_HINT)
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=fonts), roles


def _shown(table: dict) -> tuple[dict, list[float]]:
    """A table's grid with each cell's printed text (``official.cell_text``) beside it, and its
    column widths in millimetres."""
    grid = Grid.from_dict(table)
    widths = column_widths(grid)
    shown = iter(cell_text(cell, sum(widths[c:c + cell.colspan])) for _, c, cell in grid.placed())
    parts = {part: [[{**cell, "shown": next(shown)} for cell in row] for row in table[part]]
             for part in ("head", "body")}
    return {**table, **parts}, widths


def layout_of(document: dict, roles: dict[str, list[str]]) -> tuple[dict, dict]:
    """The document as Typst reads it, and the typesetting facts it is laid out by."""
    widths, sections = {}, []
    for part in document["sections"]:
        if part["table"]:
            table, widths[part["table"]["key"]] = _shown(part["table"])
            part = {**part, "table": table}
        sections.append(part)
    layout = {"fonts": roles, "margins": MARGINS_MM, "line": LINE, "body_size": BODY_SIZE,
              "title_size": TITLE_SIZE, "table_size": TABLE_SIZE, "number_size": NUMBER_SIZE,
              "mark_size": MARK_SIZE, "cell_margin": CELL_MARGIN_MM, "marks": marks(document),
              "mark_color": "#" + MARK_COLOR, "sample_mark": SAMPLE_MARK, "sample_note": SAMPLE_NOTE,
              "date": document["signed"], "widths": widths, "title_lines": title_lines(document),
              "align": ALIGN, "annexes": annexes(document)}
    return {**document, "sections": sections}, layout


def title_lines(document: dict) -> list[str]:
    """The title as set: the unit on a line of its own above “2021年政府信息公开工作年度报告”
    (in 二号 the whole never fits one line; broken there, not wherever the line ends), when the
    unit fits a line."""
    title, unit = document["title"], document["unit"]
    if title.startswith(unit) and title != unit and len(unit) <= TITLE_LINE:
        return [unit, title[len(unit):]]
    return [title]


def _built(document: dict) -> datetime | None:
    """The build's time, the PDF's creation date (PDF/A asks for one; the same inputs and time
    give the same bytes)."""
    stamp = document.get("built_at")
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S %z") if stamp else None


def pdf_bytes(document: dict) -> bytes:
    """The PDF of one report, from its printable document."""
    import typst

    compiler, roles = _compiler()
    data, layout = layout_of(document, roles)
    inputs = {"document": json.dumps(data, ensure_ascii=False), "layout": json.dumps(layout, ensure_ascii=False)}
    try:
        return compiler.compile(format="pdf", sys_inputs=inputs, pdf_standards=PDF_STANDARD,
                                timestamp=_built(document))
    except typst.TypstError as error:  # the template's fault, never the params': said plainly
        raise RenderError(document["title"], f"PDF 排版失败（typesetting failed）：{error.message}") from None
