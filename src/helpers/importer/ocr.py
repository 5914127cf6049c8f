"""Scanned pages read by OCR that runs offline: RapidOCR (PaddleOCR's models on ONNX Runtime,
shipped inside the ``rapidocr-onnxruntime`` package — nothing is fetched).

Measured on the kit's own pages rasterised at 150 dpi with noise and a 0.8° skew (bench/
import_speed.py): RapidOCR read every label and number of table 三 in about 4 CPU-s a page;
Debian's tesseract-ocr with chi_sim garbled most labels (属于三类内部事务信息 → 山于加类过各性信息) in
8.6 CPU-s. Each text box RapidOCR finds is spread over its characters and laid out as a PDF's
characters are (pdftext): columns kept apart by spaces, so a scanned table reads like a printed
one. What OCR read is marked: its table rows are kept only where the table's arithmetic confirms
them (imported.py), and the summary names the pages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..checks.hanzi import wide
from ..errors import UnreadableFile
from .pdftext import Glyph, PageLine, glyph_lines

_DIGIT_LIKE = re.compile(r"[0-9oOlI|]{1,6}(?:\.[0-9oO]{1,6})?")
_AS_DIGITS = str.maketrans("oOlI|", "00111")
MIN_SCORE = 0.3  # RapidOCR's confidence below which a box is noise (a row is checked by its sums anyway)


@lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise UnreadableFile("", "这是扫描件（页面没有文字层），需要 OCR 识别：请安装 rapidocr-onnxruntime"
                                 "（pip install 'nianbao[ocr]'，make setup 已安装）") from None
    return RapidOCR()


def ocr_lines(image) -> list[PageLine]:
    """The printed lines of a page image (a numpy array, BGR or grey, or an image file's bytes),
    top first, with where each stands in the image's pixels from the top."""
    import numpy as np

    if isinstance(image, (bytes, bytearray)):
        import cv2

        image = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            return []
    boxes, _ = _engine()(image)
    height = float(image.shape[0])
    glyphs: list[Glyph] = []
    for box, text, score in boxes or ():
        text = text.strip()
        if float(score) < MIN_SCORE or not text:
            continue
        if _DIGIT_LIKE.fullmatch(text):  # a cell of figures: o for 0, l for 1 (its row's sums check it)
            text = text.translate(_AS_DIGITS)
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
        # the box's characters side by side, a Chinese one twice a digit's width; a space OCR
        # read between them ("0 0 0") keeps its gap, so cells stay apart
        widths = [2 if wide(ch) else 1 for ch in text]
        unit = (right - left) / sum(widths)
        x = left
        for ch, w in zip(text, widths):
            if not ch.isspace():
                glyphs.append((ch, x, height - bottom, x + w * unit, height - top))
            x += w * unit
    return glyph_lines(glyphs, height)
