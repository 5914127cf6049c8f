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
from functools import lru_cache

from ..report.tables import Grid
from .official import (ALIGN, BODY_FONT, BODY_SIZE, CELL_MARGIN_MM, FALLBACKS, HEADING_FONT, LINE, MARGINS_MM,
                       MARK_COLOR, MARK_SIZE, NUMBER_FONT, NUMBER_SIZE, SAMPLE_MARK, SAMPLE_NOTE,
                       SUBHEADING_FONT, TABLE_SIZE, TITLE_FONT, TITLE_SIZE, annexes, cell_text, column_widths,
                       marks)


def _font(run, name: str, size: float, bold: bool = False, color: str | None = None) -> None:
    """The run's font, its Chinese (eastAsia) font too, size, weight and colour: one rPr element
    made once for each style and copied into every run (python-docx's setters cost a third of a
    report's Word file)."""
    from copy import deepcopy

    run._r.insert(0, deepcopy(_run_properties(name, size, bold, color)))


@lru_cache(maxsize=None)
def _run_properties(name: str, size: float, bold: bool, color: str | None):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from xml.sax.saxutils import quoteattr

    font = quoteattr(name)
    half_points = round(size * 2)
    return parse_xml(
        f"<w:rPr {nsdecls('w')}><w:rFonts w:ascii={font} w:hAnsi={font} w:eastAsia={font} w:cs={font}/>"
        f"<w:b w:val=\"{int(bold)}\"/>" + (f"<w:color w:val=\"{color}\"/>" if color else "")
        + f"<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/></w:rPr>")


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


def _page_numbers(document, section) -> None:
    """“— N —” in 4号 半角 宋体: odd pages at the right, even at the left, 空一字 from the edge
    (GB/T 9704 §7.5); N a PAGE field Word fills in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, side, Pt(NUMBER_SIZE))  # 空一字
        _font(paragraph.add_run("— "), NUMBER_FONT, NUMBER_SIZE)
        _field(paragraph.add_run(), "PAGE")
        _font(paragraph.runs[-1], NUMBER_FONT, NUMBER_SIZE)
        _font(paragraph.add_run(" —"), NUMBER_FONT, NUMBER_SIZE)


def _field(run, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == code else "w:t")
            element.text = text
        run._r.append(element)


def _table(document, grid: Grid) -> None:
    """The printed form's grid, cells merged as printed; a blank value cell stays empty. Each
    cell is taken once from the rows as first laid out (python-docx's table.cell walks the whole
    table every call), filled, then merged."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm
    from docx.table import _Cell

    table = document.add_table(rows=grid.height, cols=grid.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    mm = column_widths(grid)
    widths = [Mm(w) for w in mm]
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")  # the grid's widths, not the text's: Writer and Word alike
    table._tbl.tblPr.append(layout)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = width
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for row in cells:
        for cell, width in zip(row, widths):
            cell.width = width
    merges: list[tuple[int, int, int, int]] = []
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_MM / 25.4 * 1440)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    for r, c, cell in grid.placed():
        target = cells[r][c]
        text = cell_text(cell, sum(mm[c:c + cell.colspan]))
        paragraph = target.paragraphs[0]
        paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                               "right": WD_ALIGN_PARAGRAPH.RIGHT}[ALIGN[cell.kind]]
        _font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE)
        if cell.rowspan > 1 or cell.colspan > 1:
            merges.append((r, c, cell.rowspan, cell.colspan))
    for r, c, rowspan, colspan in merges:
        _merge(cells, r, c, rowspan, colspan, sum(widths[c:c + colspan]))
    for i, tr in enumerate(table._tbl.tr_lst):  # a row is never split across pages
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if i < len(grid.head):  # the header rows again on every page the table runs onto
            tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _merge(cells, r: int, c: int, rowspan: int, colspan: int, width) -> None:
    """Cells merged as Word stores them: the first of each row of the span widened over the
    span's columns (gridSpan, the others removed), the rows below continuing the first (vMerge).
    Written directly: python-docx's merge re-measures the whole table for every span."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for rr in range(r, r + rowspan):
        tc = cells[rr][c]._tc
        properties = tc.get_or_add_tcPr()  # holds its tcW only: gridSpan and vMerge follow it
        if colspan > 1:
            span = OxmlElement("w:gridSpan")
            span.set(qn("w:val"), str(colspan))
            properties.append(span)
            properties.tcW.w = width
            for covered in cells[rr][c + 1:c + colspan]:
                covered._tc.getparent().remove(covered._tc)
        if rowspan > 1:
            merge = OxmlElement("w:vMerge")
            if rr == r:
                merge.set(qn("w:val"), "restart")
            properties.append(merge)


def _properties(word, document: dict) -> None:
    """The file's properties from the report (title, author = the unit, created and modified =
    the build's time), and none of python-docx's template's (2013, "python-docx", a Mac's Word,
    a blank preview picture)."""
    from datetime import datetime

    properties = word.core_properties  # plain text fields, written escaped by the XML writer
    built = datetime.strptime(document["built_at"], "%Y-%m-%d %H:%M:%S %z") if document.get(
        "built_at") else None
    properties.title, properties.author = document["title"], document["unit"]
    properties.subject, properties.keywords = "政府信息公开工作年度报告", f"{document['year']}年度"
    properties.last_modified_by, properties.comments, properties.category = document["unit"], "", ""
    properties.language, properties.revision = "zh-CN", 1
    if built is not None:
        properties.created = properties.modified = built.replace(tzinfo=None)
    package = word.part.package
    for rel in list(package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):  # the template's blank preview
            package.rels.pop(rel.rId)
    for part in package.parts:
        if part.partname == "/docProps/app.xml":
            part._blob = _APP_XML.encode("utf-8")


_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            '<Application>nianbao</Application><DocSecurity>0</DocSecurity></Properties>')


def _font_fallbacks(word) -> None:
    """Each font the document names in its font table, with the fonts to take where it is missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from lxml import etree

    table = next((r.target_part for r in word.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if table is None:
        return
    root = etree.fromstring(table.blob)
    for name, alternatives in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), ",".join(alternatives))
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        root.append(font)
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def docx_bytes(document: dict) -> bytes:
    """The Word file of one report, from its printable document."""
    import docx
    from docx.shared import Mm

    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    for footer_or_header in (section.header, section.even_page_header):  # on every page, odd and even
        for mark in marks(document):
            _font(footer_or_header.paragraphs[0].add_run(f"{mark}  "), HEADING_FONT, MARK_SIZE,
                  color=MARK_COLOR if mark != SAMPLE_MARK else None)
    if document["banner"] in marks(document):
        _paragraph(word, document["banner"], HEADING_FONT, BODY_SIZE, center=True, color=MARK_COLOR)
    if document["sample"]:
        _paragraph(word, SAMPLE_NOTE, HEADING_FONT, MARK_SIZE, center=True)
    _paragraph(word, document["title"], TITLE_FONT, TITLE_SIZE, center=True)
    _paragraph(word, document["preface"], BODY_FONT, BODY_SIZE, indent=True)
    for part in document["sections"]:
        heading = _paragraph(word, part["title"], HEADING_FONT, BODY_SIZE, indent=True)
        heading.paragraph_format.keep_with_next = True  # never alone at the foot of a page
        texts = [_paragraph(word, text, BODY_FONT, BODY_SIZE, indent=True) for text in part["paragraphs"]]
        for sub in part["subsections"]:
            _paragraph(word, sub["title"], SUBHEADING_FONT, BODY_SIZE, indent=True
                       ).paragraph_format.keep_with_next = True
            for text in sub["paragraphs"]:
                _paragraph(word, text, BODY_FONT, BODY_SIZE, indent=True)
        if part["table"]:
            if texts:  # the sentence above a table stays with it
                texts[-1].paragraph_format.keep_with_next = True
            _table(word, Grid.from_dict(part["table"]))
    _paragraph(word, "", BODY_FONT, BODY_SIZE)
    _paragraph(word, document["unit"], BODY_FONT, BODY_SIZE, right=True)
    if document["signed"]:  # the date as the report prepared it (2022年1月21日)
        _paragraph(word, document["signed"], BODY_FONT, BODY_SIZE, right=True)
    for heading, lines in annexes(document):
        _paragraph(word, "", BODY_FONT, BODY_SIZE)
        _paragraph(word, heading, HEADING_FONT, BODY_SIZE).paragraph_format.keep_with_next = True
        for line in lines:
            _paragraph(word, line, BODY_FONT, BODY_SIZE, indent=True)
    _page_numbers(word, section)
    _properties(word, document)
    _font_fallbacks(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
