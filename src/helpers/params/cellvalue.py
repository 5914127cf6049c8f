"""How a cell's text is read as a value — one reading for params files, collection workbooks and
imported reports: full-width digits as ASCII, the marks that mean "nothing written", and a whole
number, a decimal or the text as typed."""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Invalid, Value

FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
# What analysts (and published reports) put in a cell meaning "nothing written": kept as blank.
BLANK_MARKS = frozenset({"", "/", "／", "—", "——", "-", "－", "无"})
INT_RE = re.compile(r"[+-]?\d{1,15}")  # more digits than any count: text, as typed
# Characters no report means and no params file may hold (YAML refuses them, and so does the XML
# of Word and Excel): C0 and C1 controls but tab and line breaks, surrogates, the non-characters.
JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
                  "\ufdd0-\ufdef\ufffe\uffff]")
DECIMAL_RE = re.compile(r"[+-]?\d{1,15}\.\d{1,15}")


def number_of(text: str, raw: str) -> Value:
    """A cell's text (half-width already) as the number it says: a whole number, a decimal, or
    ``Invalid(raw)`` — kept as typed for CELL-DOMAIN to quote."""
    if INT_RE.fullmatch(text):
        return int(text)
    if DECIMAL_RE.fullmatch(text):
        return Decimal(text)
    return Invalid(raw)
