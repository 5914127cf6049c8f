"""A PDF's text laid out as printed: one string a printed line, columns kept apart by spaces.

PDFium (pypdfium2) gives every character with its box; the lines are rebuilt here the way
``pdftotext -layout`` does: characters whose vertical centres agree make a line, in order of
their left edge; where a gap separates two characters, spaces fill the line up to the column the
next one stands at (a column is half the width of a Chinese character), so a table's values
stand at the same offset in every row whatever the labels before them — which is what the table
reader's space-aligned shape needs. Adjacent characters are joined without spaces. The lines of
a page are shifted left by its left margin, so a paragraph's indent shows as leading spaces.

pypdf's layout mode did the same in Python at 0.23–0.28 s a report; here a 3-page report takes
about 26 ms, of which PDFium's own work is 23 (loading the pages 17 — a Chromium-printed PDF
draws its Chinese in Type3 fonts, every glyph a small content stream PDFium parses for its box —
text pages 3, closing the document 3) and the boxes and lines 3 (bench/import_speed.py;
pdftotext and MuPDF measured no faster on the same files).
"""

from __future__ import annotations

import re
from collections import Counter
from operator import itemgetter
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
# Columns a printed line can reach: an A3 page landscape in 6 pt type is about 400. A glyph placed
# further right (a garbled or hostile PDF: x = 2·10⁷, or a font whose glyphs are a millionth wide)
# is put there, so a line costs at most this much more than its characters.
MAX_COLUMN = 1_000
MAX_PAGES = 500  # a report is 3 to 40 pages; each page costs PDFium 5–10 ms


# A character as PDFium places it: (text, left, bottom, right, top), in PDF units. Plain tuples:
# a page has thousands, and a frozen dataclass per character cost more than PDFium's own boxes.
Glyph = tuple[str, float, float, float, float]
_TEXT, _LEFT, _BOTTOM, _RIGHT, _TOP = range(5)


# A printed line: where its middle stands, in PDF units from the top of its page, and its text.
PageLine = tuple[float, str]


def pdf_lines(data: bytes) -> list[str]:
    """Every printed line of every page, in reading order."""
    return [line for _, line in pdfglyph_lines(data)]


def pdfglyph_lines(data: bytes) -> list[tuple[int, str]]:
    """Every printed line of every page, in reading order, with its page (from 1)."""
    return [(number, text) for number, lines in enumerate(pdf_pages(data), 1) for _, text in lines]


def pdf_pages(data: bytes, read_image=None, scanned: list[int] | None = None) -> list[list[PageLine]]:
    """Each page's printed lines, top first, with where each stands; page furniture left out.
    A page with no text layer (a scan) is rendered at OCR_DPI and given to ``read_image`` (the
    image → its lines, in pixels from the top), when given; its number goes into ``scanned``."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile("", "PDF 已加密（encrypted），需要密码才能读取；请先取得未加密的文件") from None
        raise
    try:
        if len(pdf) > MAX_PAGES:
            raise UnreadableFile("", f"PDF 有 {len(pdf):,} 页（上限 {MAX_PAGES}），远超任何年报，拒绝读取")
        pages = []
        for number, page in enumerate(pdf, 1):
            lines = glyph_lines(_glyphs(page.get_textpage()), page.get_height())
            if not lines and read_image is not None:
                lines = _scanned(page, read_image)
                if scanned is not None and lines:
                    scanned.append(number)
            pages.append(lines)
    finally:
        pdf.close()
    return _without_furniture(pages)


OCR_DPI = 150  # a scan read at 150 dpi: 五号 characters some 30 pixels high


def _scanned(page, read_image) -> list[PageLine]:
    """A page without text, rendered and read as an image; where its lines stand in PDF units."""
    scale = OCR_DPI / 72
    image = page.render(scale=scale).to_numpy()
    if image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]
    return [(y / scale, text) for y, text in read_image(image)]


# A page number as printed at a page's head or foot: “— 3 —”, “-3-”, “第 3 页”, “第3页 共5页”, “3/5”.
_PAGE_NUMBER = re.compile(r"^[\s\-—–－一]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
                          r"[\s\-—–－一]*$")


def _without_furniture(pages: list[list[PageLine]]) -> list[list[PageLine]]:
    """Each page's lines without what is printed on every page around the report: a page number
    as a page's first or last line, and a running head or foot — the same first (or last) line
    on most pages (校验未通过 / 示例数据 marks, a unit's name over every page)."""
    def squeezed(line: str) -> str:
        return "".join(line.split())

    def page_number(line: str, page: int) -> bool:  # a bare number only where it is the page's
        return bool(_PAGE_NUMBER.fullmatch(line)) and (not line.strip().isdigit() or int(line) == page)

    out = [[line for i, line in enumerate(lines) if not ((i == 0 or i == len(lines) - 1)
                                                         and page_number(line[1], number))]
           for number, lines in enumerate(pages, 1)]
    if len(out) < 2:
        return out
    enough = max(2, (len(out) + 1) // 2)
    for end in (0, -1):
        counts = Counter(squeezed(lines[end][1]) for lines in out if lines)
        running = {line for line, n in counts.items() if n >= enough and line}
        out = [lines[1:] if end == 0 and lines and squeezed(lines[0][1]) in running else
               lines[:-1] if end == -1 and lines and squeezed(lines[-1][1]) in running else lines
               for lines in out]
    return out


def _glyphs(textpage) -> list[Glyph]:
    import ctypes

    import pypdfium2.raw as pdfium_c
    from pypdfium2 import PdfiumError

    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:  # characters beyond the BMP: ask for each one
        text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(count))
    # PDFium's own call with one box reused: the wrapper's get_charbox makes a box per character
    box, loose_box, handle = pdfium_c.FS_RECTF(), pdfium_c.FPDFText_GetLooseCharBox, textpage.raw
    where = ctypes.byref(box)
    out = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        if not loose_box(handle, i, where):
            raise PdfiumError(f"no box for character {i}")
        out.append((ch, box.left, box.bottom, box.right, box.top))
    return out


def glyph_lines(glyphs: list[Glyph], page_height: float) -> list[PageLine]:
    """The printed lines characters make (a page's, or the boxes OCR read on an image), top
    first, laid out with spaces at the columns they stand in."""
    if not glyphs:
        return []
    height = median(g[_TOP] - g[_BOTTOM] for g in glyphs) or 1.0
    wide = [g[_RIGHT] - g[_LEFT] for g in glyphs if not g[_TEXT].isascii()]
    column = (median(wide) / 2 if wide else median(g[_RIGHT] - g[_LEFT] for g in glyphs)) or 1.0
    lines: list[list[tuple[float, Glyph]]] = []
    middle = 0.0  # of the line being gathered: the mean of its glyphs' middles
    size = height  # of the line being gathered: its first glyph's height
    # top line first; reverse keeps the order of equal keys, as a sort on the negated key does
    for centre, glyph in sorted([((g[_BOTTOM] + g[_TOP]) / 2, g) for g in glyphs], key=itemgetter(0),
                                reverse=True):
        # within the smaller type's reach: a table's 五号 lines are closer than the text's 三号
        own = glyph[_TOP] - glyph[_BOTTOM] or height
        if lines and abs(middle - centre) < _SAME_LINE * min(size, own):
            lines[-1].append((centre, glyph))
            middle += (centre - middle) / len(lines[-1])
        else:
            lines.append([(centre, glyph)])
            middle, size = centre, own
    ordered = [[g for _, g in sorted(line, key=lambda m: (m[1][_LEFT], -m[0]))] for line in lines]
    margin = _margin([line[0] for line in ordered])
    middles = [page_height - sum(c for c, _ in line) / len(line) for line in lines]  # from the top
    return [(y, _line(line, _column(line, column), margin)) for y, line in zip(middles, ordered)]


def _column(line: list[Glyph], page: float) -> float:
    """Half a Chinese character of this line's type (a digit's width, in a row of numbers): a
    table's 五号 lines measured in their own columns, so its header words and values stand at the
    same offsets however large the page's text around it (in the page's 三号 columns its narrow
    cells ran into each other)."""
    wide = [g[_RIGHT] - g[_LEFT] for g in line if not g[_TEXT].isascii()]
    if len(wide) >= 2:
        return median(wide) / 2
    digits = [g[_RIGHT] - g[_LEFT] for g in line if g[_TEXT].isdigit()]
    return median(digits) if len(digits) >= 2 else page  # a digit is half a character wide


_OPENING = frozenset("（《“‘「『〔【〈(")


def _margin(starts: list[Glyph]) -> float:
    """The page's left edge of text: where its lines start, not counting an opening bracket or
    quote a typesetter hangs half a character into the margin (CJK punctuation compressed at
    the start of a line)."""
    plain = [g[_LEFT] for g in starts if g[_TEXT] not in _OPENING]
    return min(plain or [g[_LEFT] for g in starts])


def _line(glyphs: list[Glyph], column: float, margin: float) -> str:
    text, left, bottom, right, top = glyphs[0]
    target = min(max(round((left - margin) / column), 0), MAX_COLUMN)
    parts, length = [" " * target, text], target + len(text)
    before_right, before_height = right, top - bottom  # of the glyph before
    for text, left, bottom, right, top in glyphs[1:]:
        height = top - bottom
        if left - before_right > _GAP * (height if height > before_height else before_height):
            pad = max(2, min(round((left - margin) / column), MAX_COLUMN) - length)
            parts.append(" " * pad)
            length += pad
        parts.append(text)
        length += len(text)
        before_right, before_height = right, height
    return "".join(parts).rstrip()
