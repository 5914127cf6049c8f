"""The report as an official document (公文, GB/T 9704): the facts the Word and PDF forms share.

Page, margins, type sizes, the fonts offices name and the free fonts that stand in for them, the
marks of a failed or sample report, and the printed form's column widths. ``wordfile`` writes them
into a .docx, ``pdffile`` hands them to Typst; neither decides any of them itself.
"""

from __future__ import annotations

from math import ceil

from ..checks.hanzi import wide
from ..report.tables import VALUE, Grid

# The fonts of a 公文 as offices name them, each with the fallbacks Word and WPS take (the font
# table's altName) where it is not installed: 仿宋_GB2312 is 仿宋 on newer systems, and so on.
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
NUMBER_FONT = "宋体"  # page numbers: 4号 半角 宋体 (GB/T 9704 §7.5)
FALLBACKS = {"方正小标宋简体": ("华文中宋", "宋体"), "仿宋_GB2312": ("仿宋",), "楷体_GB2312": ("楷体",),
             "黑体": ("SimHei",), "宋体": ("SimSun",)}
# The free fonts of the same shapes the PDF is set in (Debian: texlive-lang-chinese ships the
# Fandol family, fonts-noto-cjk Noto CJK), best first; a character a font lacks comes from the
# next. By role: 小标宋 title, 黑体 headings, 楷体 sub-headings, 仿宋 text, 宋体 page numbers.
FREE_FONTS = {
    "title": ("FandolSong", "Noto Serif CJK SC"),  # bold: 小标宋 is a heavy 宋
    "heading": ("FandolHei", "Noto Sans CJK SC"),
    "subheading": ("FandolKai", "Noto Serif CJK SC"),
    "body": ("FandolFang R", "FandolFang", "Noto Serif CJK SC"),  # Fandol names its 仿宋 "FandolFang R"
    "number": ("FandolSong", "Noto Serif CJK SC"),
}
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, NUMBER_SIZE, MARK_SIZE = 22, 16, 10.5, 14, 12  # 二号, 三号, 五号, 四号, 小四
LINE = 28.9  # points: 22 lines on the type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TYPE_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm
VALUE_MM = 13.5  # a value column: 自然人 (three characters in 五号) on one line, with its margins
MIN_LABEL_MM = 12  # the narrowest a label column gets (a vertical 三、本年度办理结果)
CELL_MARGIN_MM = 1  # left and right in every cell (Word's 1.9 mm would cost a character a column)
CHAR_MM = TABLE_SIZE * 25.4 / 72  # a Chinese character in 五号
# How a cell's text stands in it, by kind: labels at the left, headers and numbers centred (as
# the printed forms set their figures), all at the top of the cell as Word and WPS set a table.
ALIGN = {"value": "center", "label": "left", "head": "center", "note": "center"}
FAIL = "fail"
SAMPLE_MARK = "示例数据"
SAMPLE_NOTE = "示例数据：本报告数据为虚构示例，非真实发布内容"
MARK_COLOR = "B3261E"  # 校验未通过 in red, as the HTML banner


def marks(document: dict) -> list[str]:
    """What every page of the report carries in its header: 校验未通过（不得发布）, 示例数据."""
    out = [document["banner"]] if document["status"] == FAIL else []
    if document["sample"]:
        out.append(SAMPLE_MARK)
    return out


def annexes(document: dict) -> list[tuple[str, list[str]]]:
    """The annexes after the sign-off, each a heading and its paragraphs, none part of the
    official tables: the request ledger's timeliness, and the findings reviews cleared (the
    finding, the verdict and its reason, who and when) — the office's word on the report."""
    out = []
    if document.get("ledger"):
        out.append((f"附：{document['ledger']['title']}", list(document["ledger"]["lines"])))
    answered = document.get("answered") or []
    if answered:
        lines = [document.get("answered_note") or ""]
        lines += [f"{n}. {a['rule']}（{a['where']}）：{a['message']}。{a['verdict']}：{a['reason']}"
                  f"（{a['by']}，{a['date']}）" for n, a in enumerate(answered, 1)]
        out.append((f"附：{document.get('answered_title') or ''}", [line for line in lines if line]))
    return out


def in_pairs(text: str, width_mm: float) -> str:
    """A header too long for its column broken between its two-character words (商业/企业,
    社会/公益/组织), never inside one, as the printed form does; one that fits left whole."""
    fits = int((width_mm - 2 * CELL_MARGIN_MM) // CHAR_MM)
    if len(text) <= fits or len(text) % 2 or not all(map(wide, text)):
        return text
    return "\n".join(text[i:i + 2] for i in range(0, len(text), 2))


def column_widths(grid: Grid) -> list[float]:
    """Millimetres a column, as the printed form has them: value columns narrow; a column whose
    labels are all merged down several rows (三、本年度办理结果 written down the left) as wide as
    the characters a line its labels need; the other label columns sharing the rest by the length
    of the labels that stand in them alone."""
    labels = [0] * grid.width
    values = [False] * grid.width
    vertical = [True] * grid.width
    for _, c, cell in grid.placed():
        if cell.kind == VALUE:
            values[c:c + cell.colspan] = [True] * cell.colspan
        elif cell.colspan == 1 and cell.kind == "label":
            labels[c] = max(labels[c], ceil(len(cell.text) / max(cell.rowspan, 1)))
            vertical[c] = vertical[c] and cell.rowspan > 1
    label_columns = [c for c in range(grid.width) if not values[c]]
    value_columns = grid.width - len(label_columns)
    # table 四's fifteen value columns narrow to the type area (two characters a line)
    value = min(VALUE_MM, (TYPE_WIDTH_MM - MIN_LABEL_MM * len(label_columns)) / max(value_columns, 1))
    out = [value] * grid.width
    narrow = [c for c in label_columns if vertical[c] and labels[c]]
    for c in narrow:
        out[c] = labels[c] * CHAR_MM + 2 * CELL_MARGIN_MM + 1.5  # room for a full-width comma
    shared = [c for c in label_columns if c not in narrow]
    rest = TYPE_WIDTH_MM - value * value_columns - sum(out[c] for c in narrow)
    weights = [max(labels[c], 3) for c in shared]
    for c, w in zip(shared, weights):
        out[c] = rest * w / sum(weights)
    return out


def cell_text(cell, width_mm: float) -> str:
    """A cell's text as the printed form shows it: a blank value blank (never 0, never 空白), a
    header broken between its words where its column is narrow."""
    if cell.kind == VALUE and cell.state == "blank":
        return ""
    if cell.kind == "head":
        return in_pairs(cell.text, width_mm)
    return cell.text
