"""The report as a Word file, typeset as a Chinese official document (GB/T 9704 conventions).

A4 with the standard's margins (上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm); the title in 方正小标宋简体
二号, section headings in 黑体 三号, sub-headings in 楷体 三号, the text in 仿宋 三号 with a fixed
28.9 pt line (22 lines a page) and a two-character indent; page numbers “— 1 —” in the footer;
tables 二, 三, 四 laid out like the printed form with their cells merged as printed, in 仿宋 五号.
Where a font is missing Word substitutes its own (宋体/等线). A blank cell is left blank, never 0. A
report whose checks failed carries 校验未通过（不得发布）above its title and in every page header.

It is made from the document the report notebook prepared (``Report.printable``), and the kit's
importer reads it back to the same params.
"""

from __future__ import annotations

import io

from ..report.tables import VALUE, Grid

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体", "仿宋"
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = 22, 16, 10.5  # 二号, 三号, 五号 in points
LINE = 28.9  # points: 22 lines on the type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FAIL = "fail"


def _font(run, name: str, size: float, bold: bool = False, color: str | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run.element.rPr.rFonts.set(qn("w:eastAsia"), name)  # Chinese text takes this font
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _paragraph(document, text: str, font: str, size: float, *, center: bool = False,
               indent: bool = False, right: bool = False, bold: bool = False, color: str | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(max(LINE, size * 1.3))
    fmt.space_before = fmt.space_after = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold, color)
    return paragraph


def _page_numbers(section) -> None:
    """“— N —” centred in the footer, N a PAGE field Word fills in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == "PAGE" else "w:t")
            element.text = text
        run._r.append(element)
    _font(run, BODY_FONT, 14)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def _table(document, grid: Grid) -> None:
    """The printed form's grid, cells merged as printed; a blank value cell stays empty. Each
    cell is taken once from the rows as first laid out (python-docx's table.cell walks the whole
    table every call), filled, then merged."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.table import _Cell

    table = document.add_table(rows=grid.height, cols=grid.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    merges = []
    for r, c, cell in grid.placed():
        target = cells[r][c]
        text = "" if cell.kind == VALUE and cell.state == "blank" else cell.text
        paragraph = target.paragraphs[0]
        paragraph.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if cell.kind == VALUE else
                               WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER)
        _font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE)
        if cell.rowspan > 1 or cell.colspan > 1:
            merges.append((target, cells[r + cell.rowspan - 1][c + cell.colspan - 1]))
    for origin, corner in merges:
        origin.merge(corner)
    for tr in table._tbl.tr_lst:  # a row is never split across pages
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def docx_bytes(document: dict) -> bytes:
    """The Word file of one report, from its printable document."""
    import docx
    from docx.shared import Mm

    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    failed = document["status"] == FAIL
    if failed:
        header = section.header.paragraphs[0]
        _font(header.add_run(document["banner"]), HEADING_FONT, 12, color="B3261E")
        _paragraph(word, document["banner"], HEADING_FONT, BODY_SIZE, center=True, color="B3261E")
    if document["sample"]:
        _paragraph(word, "示例数据：本报告数据为虚构示例，非真实发布内容", HEADING_FONT, 12, center=True)
    _paragraph(word, document["title"], TITLE_FONT, TITLE_SIZE, center=True)
    _paragraph(word, document["preface"], BODY_FONT, BODY_SIZE, indent=True)
    for part in document["sections"]:
        _paragraph(word, part["title"], HEADING_FONT, BODY_SIZE, indent=True)
        for text in part["paragraphs"]:
            _paragraph(word, text, BODY_FONT, BODY_SIZE, indent=True)
        for sub in part["subsections"]:
            _paragraph(word, sub["title"], SUBHEADING_FONT, BODY_SIZE, indent=True)
            for text in sub["paragraphs"]:
                _paragraph(word, text, BODY_FONT, BODY_SIZE, indent=True)
        if part["table"]:
            _table(word, Grid.from_dict(part["table"]))
    _paragraph(word, "", BODY_FONT, BODY_SIZE)
    _paragraph(word, document["unit"], BODY_FONT, BODY_SIZE, right=True)
    if document["published"]:
        y, m, d = (int(x) for x in document["published"].split("-"))
        _paragraph(word, f"{y}年{m}月{d}日", BODY_FONT, BODY_SIZE, right=True)
    _page_numbers(section)
    properties = word.core_properties  # metadata: plain text fields, written escaped by the XML writer
    properties.title, properties.author, properties.subject = document["title"], document["unit"], "政府信息公开工作年度报告"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
