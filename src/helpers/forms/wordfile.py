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

from ..checks.hanzi import wide
from ..report.tables import VALUE, Grid

# The fonts of a 公文 as offices name them, each with the fallbacks Word and WPS take (the font
# table's altName) where it is not installed: 仿宋_GB2312 is 仿宋 on newer systems, and so on.
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
NUMBER_FONT = "宋体"  # page numbers: 4号 半角 宋体 (GB/T 9704 §7.5)
FALLBACKS = {"方正小标宋简体": ("华文中宋", "宋体"), "仿宋_GB2312": ("仿宋",), "楷体_GB2312": ("楷体",),
             "黑体": ("SimHei",), "宋体": ("SimSun",)}
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, NUMBER_SIZE = 22, 16, 10.5, 14  # 二号, 三号, 五号, 四号 in points
LINE = 28.9  # points: 22 lines on the type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TYPE_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm
VALUE_MM = 13.5  # a value column: 自然人 (three characters in 五号) on one line, with its margins
MIN_LABEL_MM = 12  # the narrowest a label column gets (a vertical 三、本年度办理结果)
CELL_MARGIN_MM = 1  # left and right in every cell (Word's 1.9 mm would cost a character a column)
CHAR_MM = 10.5 * 25.4 / 72  # a Chinese character in 五号
FAIL = "fail"
SAMPLE_MARK = "示例数据"


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


def _in_pairs(text: str, width_mm: float) -> str:
    """A header too long for its column broken between its two-character words (商业/企业,
    社会/公益/组织), never inside one, as the printed form does; one that fits left whole."""
    fits = int((width_mm - 2 * CELL_MARGIN_MM) // CHAR_MM)
    if len(text) <= fits or len(text) % 2 or not all(map(wide, text)):
        return text
    return "\n".join(text[i:i + 2] for i in range(0, len(text), 2))


def _column_widths(grid: Grid) -> list[float]:
    """Millimetres a column, as the printed form has them: value columns narrow, label columns
    sharing the rest by the length of the labels that stand in them alone."""
    from math import ceil

    labels = [0] * grid.width
    values = [False] * grid.width
    for _, c, cell in grid.placed():
        if cell.kind == VALUE:
            values[c:c + cell.colspan] = [True] * cell.colspan
        elif cell.colspan == 1 and cell.kind == "label":
            labels[c] = max(labels[c], ceil(len(cell.text) / max(cell.rowspan, 1)))
    label_columns = [c for c in range(grid.width) if not values[c]]
    value_columns = grid.width - len(label_columns)
    # table 四's fifteen value columns narrow to the type area (two characters a line)
    value = min(VALUE_MM, (TYPE_WIDTH_MM - MIN_LABEL_MM * len(label_columns)) / max(value_columns, 1))
    rest = TYPE_WIDTH_MM - value * value_columns
    weights = [max(labels[c], 3) for c in label_columns]
    out = [value] * grid.width
    for c, w in zip(label_columns, weights):
        out[c] = rest * w / sum(weights)
    return out


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
    widths = [Mm(w) for w in _column_widths(grid)]
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")  # the grid's widths, not the text's: Writer and Word alike
    table._tbl.tblPr.append(layout)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = width
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for row in cells:
        for cell, width in zip(row, widths):
            cell.width = width
    merges = []
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_MM / 25.4 * 1440)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)
    mm = _column_widths(grid)
    for r, c, cell in grid.placed():
        target = cells[r][c]
        text = "" if cell.kind == VALUE and cell.state == "blank" else cell.text
        if cell.kind == "head":
            text = _in_pairs(text, sum(mm[c:c + cell.colspan]))
        paragraph = target.paragraphs[0]
        paragraph.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if cell.kind == VALUE else
                               WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER)
        _font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE)
        if cell.rowspan > 1 or cell.colspan > 1:
            merges.append((target, cells[r + cell.rowspan - 1][c + cell.colspan - 1]))
    for origin, corner in merges:
        origin.merge(corner)
    for i, tr in enumerate(table._tbl.tr_lst):  # a row is never split across pages
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if i < len(grid.head):  # the header rows again on every page the table runs onto
            tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


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
    failed = document["status"] == FAIL
    marks = [document["banner"]] if failed else []
    if document["sample"]:
        marks.append(SAMPLE_MARK)
    for footer_or_header in (section.header, section.even_page_header):  # on every page, odd and even
        for mark in marks:
            _font(footer_or_header.paragraphs[0].add_run(f"{mark}  "), HEADING_FONT, 12,
                  color="B3261E" if mark != SAMPLE_MARK else None)
    if failed:
        _paragraph(word, document["banner"], HEADING_FONT, BODY_SIZE, center=True, color="B3261E")
    if document["sample"]:
        _paragraph(word, "示例数据：本报告数据为虚构示例，非真实发布内容", HEADING_FONT, 12, center=True)
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
    if document["published"]:
        y, m, d = (int(x) for x in document["published"].split("-"))
        _paragraph(word, f"{y}年{m}月{d}日", BODY_FONT, BODY_SIZE, right=True)
    _page_numbers(word, section)
    _properties(word, document)
    _font_fallbacks(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
