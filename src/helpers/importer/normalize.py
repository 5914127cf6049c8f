"""Text as published, made comparable: label keys, PDF glyph repairs, cell values.

Published copies differ from the official wording in ways that carry no meaning: full-width or
half-width brackets and colons, spaces inside labels, "1、" for "1.", curly or straight quotes,
traditional characters, and — in text extracted from PDF — CJK radicals standing for the
ideographs they look like (⼈ for 人, ⺠ for 民). ``key`` removes all of that for matching;
``repair`` (checks/hanzi.py) fixes only the PDF glyphs, so narrative text stays verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..checks.hanzi import repair, simplified
from ..model import Value
from ..model import BLANK_TEXT
from ..params.cellvalue import BLANK_MARKS, FULLWIDTH

_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'",
                         # brackets sites use for one another: 〔〕【】[] for （）
                         "〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_DASH_ONE = re.compile(r"^[—－─-](?=[、.,])")  # "—、" for "一、": a stroke that looks like 一
_SPACE = re.compile(r"\s+")
_ENUM = re.compile(r"^(\d{1,2})[、．,，]")  # "1、" / "1．" for "1."


@lru_cache(maxsize=8192)  # a report's labels are asked for several times, and every report's alike
def key(text: str) -> str:
    """The matching form of a label: no spaces, half-width, simplified, one kind of quote."""
    text = simplified(unicodedata.normalize("NFKC", repair(text))).translate(_QUOTES)
    text = _DASH_ONE.sub("一", _SPACE.sub("", text))
    return _ENUM.sub(r"\1.", text)


# Spaces in Chinese text taken from a PDF are the layout's, not the author's.
_LAYOUT_SPACE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


def squeeze(text: str) -> str:
    """Text from a PDF without the spaces justified lines put between Chinese characters."""
    return _LAYOUT_SPACE.sub("", text)


# A number as printed in a cell, maybe with its unit (上海 2019: "251000元").
# More digits than any count or amount is not a value (nor something int() should be asked).
_NUMBER = re.compile(r"([+-]?\d{1,15}(?:\.\d{1,15})?)\s*(万元|元|件|个|条|项)?")
BLANKS = BLANK_MARKS | {BLANK_TEXT, BLANK_TEXT[0]}  # 空: the kit's 空白 wrapped in a narrow column


@dataclass(frozen=True)
class CellValue:
    value: Value  # None: printed blank ("", "/", "—", "无", the kit's 空白)
    unit: str | None = None  # a unit printed in the cell ("元")


def parse_value(text: str) -> CellValue | None:
    """The value of a cell, or None when the cell is not a value (a label)."""
    raw = unicodedata.normalize("NFKC", text).translate(FULLWIDTH).strip()
    if raw in BLANKS or text.strip() in BLANKS:
        return CellValue(None)
    match = _NUMBER.fullmatch(raw.replace(",", ""))
    if not match:
        return None
    number, unit = match.groups()
    value = Decimal(number) if "." in number else int(number)
    return CellValue(value, unit)
