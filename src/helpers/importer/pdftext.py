"""A PDF's text laid out as printed: one string a printed line, columns kept apart by spaces.

PDFium (pypdfium2) gives every character with its box; the lines are rebuilt here the way
``pdftotext -layout`` does: characters whose vertical centres agree make a line, in order of
their left edge; where a gap separates two characters, spaces fill the line up to the column the
next one stands at (a column is half the width of a Chinese character), so a table's values
stand at the same offset in every row whatever the labels before them — which is what the table
reader's space-aligned shape needs. Adjacent characters are joined without spaces. The lines of
a page are shifted left by its left margin, so a paragraph's indent shows as leading spaces.

pypdf's layout mode did the same in Python at 0.28 s a report; PDFium's character boxes and this
reconstruction take 37 ms, of which PDFium's own parse of the page and its fonts is 25 ms
(bench/import_speed.py; pdftotext and MuPDF measured no faster on the same files).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from ..errors import UnreadableFile

# Of a character's height: characters further apart than this are in two cells (or words) — at
# least two spaces between them, which is how the table reader tells cells. Within a word the
# gaps are under 0.11 (some fonts' glyphs have ink boxes only, a little narrower than their
# advance); the narrowest gap between two cells of the kit's tables is 0.25.
_GAP = 0.17
# Of the median character height: glyphs whose middles are this close to a line's are on it — a
# cell wrapped over two short lines beside a row of single-line cells (the kit's 空 / 白 in a
# narrow column: its halves 0.8 above and below) stays in that row; two lines of text stand a
# line-height (≥ 1.4) apart.
_SAME_LINE = 0.85


@dataclass(frozen=True)
class Glyph:
    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2

    @property
    def height(self) -> float:
        return self.top - self.bottom


def pdf_lines(data: bytes) -> list[str]:
    """Every printed line of every page, in reading order."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile("", "PDF 已加密（encrypted），需要密码才能读取；请先取得未加密的文件") from None
        raise
    out: list[str] = []
    try:
        for page in pdf:
            out += _page_lines(_glyphs(page.get_textpage()))
    finally:
        pdf.close()
    return out


def _glyphs(textpage) -> list[Glyph]:
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:  # characters beyond the BMP: ask for each one
        text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(count))
    return [Glyph(ch, *textpage.get_charbox(i, loose=True)) for i, ch in enumerate(text)
            if not ch.isspace()]


def _page_lines(glyphs: list[Glyph]) -> list[str]:
    if not glyphs:
        return []
    height = median(g.height for g in glyphs) or 1.0
    wide = [g.right - g.left for g in glyphs if not g.text.isascii()]
    column = (median(wide) / 2 if wide else median(g.right - g.left for g in glyphs)) or 1.0
    margin = min(g.left for g in glyphs)
    lines: list[list[Glyph]] = []
    middle = 0.0  # of the line being gathered: the mean of its glyphs' middles
    for glyph in sorted(glyphs, key=lambda g: -g.middle):
        if lines and abs(middle - glyph.middle) < _SAME_LINE * height:
            lines[-1].append(glyph)
            middle += (glyph.middle - middle) / len(lines[-1])
        else:
            lines.append([glyph])
            middle = glyph.middle
    return [_line(sorted(line, key=lambda g: (g.left, -g.middle)), column, margin) for line in lines]


def _line(glyphs: list[Glyph], column: float, margin: float) -> str:
    text, previous = "", None
    for glyph in glyphs:
        target = round((glyph.left - margin) / column)
        gap = glyph.left - previous.right if previous else glyph.left - margin
        if previous is None:
            text = " " * target
        elif gap > _GAP * max(glyph.height, previous.height):
            text += " " * max(2, target - len(text))
        text += glyph.text
        previous = glyph
    return text.rstrip()
