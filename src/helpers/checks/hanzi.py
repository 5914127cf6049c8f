"""Traditional characters read as simplified, one character for one (offsets into a text stay
valid): reports published in 繁體 are read by the importer's labels and the narrative rules alike.

OpenCC owns the conversion. A text with a traditional character in it goes through OpenCC's
phrase-aware converter (反覆 → 反复, where 覆 alone is simplified too); should that change the
text's length, which would move every offset a finding quotes, the character table is used
instead. The table (about 4,200 characters) is OpenCC's answer for each character on its own,
kept in t2s.txt so that a process meeting only simplified text — every check, every kernel —
neither loads OpenCC's dictionaries (90 ms) nor asks it anything: ``python -m helpers.checks.hanzi``
writes the file again, and a test checks it is what the installed OpenCC says. None of the
kit's own words changes under it (tests/test_import_shapes.py checks).

``repair`` is the other one-for-one reading: the CJK radicals PDF fonts map to instead of the
ideographs they look like, for the importer's text and the PDF form's ToUnicode maps alike.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

# The CJK blocks that hold traditional forms: Extension A, the Unified Ideographs, Compatibility.
_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported here: most runs meet no traditional text and skip the load

    return opencc.OpenCC("t2s")


TABLE_FILE = Path(__file__).with_name("t2s.txt")  # pairs: traditional, simplified, no separator


def opencc_table() -> dict[int, str]:
    """Each traditional character → its simplified form where that is one character, as the
    installed OpenCC says."""
    chars = [chr(c) for lo, hi in _BLOCKS for c in range(lo, hi)]
    # One character a line: the converter sees no phrase, so each answer is the character's own.
    converted = _converter().convert("\n".join(chars)).split("\n")
    return {ord(a): b for a, b in zip(chars, converted) if a != b and len(b) == 1}


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """The character table, as kept in t2s.txt."""
    pairs = TABLE_FILE.read_text(encoding="utf-8").strip()
    return {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}


def write_table() -> int:
    pairs = opencc_table()
    TABLE_FILE.write_text("".join(chr(k) + v for k, v in sorted(pairs.items())) + "\n",
                          encoding="utf-8")
    return len(pairs)


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """``text`` with its traditional characters simplified; same length."""
    if text.isascii():
        return text
    by_character = text.translate(table())
    if by_character == text:
        return text
    by_phrase = _converter().convert(text)
    return by_phrase if len(by_phrase) == len(text) else by_character


# CJK Radicals Supplement glyphs (and one Kangxi radical) that PDF fonts map to instead of the
# ideograph they look like (NFKC already maps the other Kangxi radicals, U+2F00–U+2FD5). Pairs
# from Unicode's names ("CJK RADICAL C-SIMPLIFIED GATE" → 门).
_RADICALS = ("⺠民 ⻔门 ⻓长 ⻛风 ⻜飞 ⻚页 ⻢马 ⻋车 ⻅见 ⻉贝 ⻈讠 ⻘青 ⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻨麦 ⻩黄 ⻬齐 "
             "⻮齿 ⻰龙 ⻳龟 ⻄西 ⺟母 ⻆角 ⻝食 ⻌辶 ⺁厂 ⺇几 ⺌小 ⺮竹 ⻙韦 ⺩王 ⺪疋 ⺬示 ⺯糸 ⺱网 ⻊足 "
             "⻧卤 ⺻聿 ⺺肀 ⻁虎 ⻂衤 ⺼月 ⺝月 ⻍辶 ⻞食 ⻟食 ⻠饣 "
             "⼾户")  # KANGXI RADICAL DOOR: NFKC gives 戶, but Chinese (SC) fonts draw it as 户
_PDF_GLYPHS = str.maketrans({p[0]: p[1] for p in _RADICALS.split()})


def repair(text: str) -> str:
    """PDF glyph repairs only (radicals → ideographs); everything else kept as published."""
    text = text.translate(_PDF_GLYPHS)
    return "".join(unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch
                   for ch in text)


def wide(ch: str) -> bool:
    """A character set two columns wide, as a Chinese one is (from the CJK radicals on)."""
    return ord(ch) >= 0x2E80


if __name__ == "__main__":  # python -m helpers.checks.hanzi: the table again, from the installed OpenCC
    print(f"{write_table()} characters → {TABLE_FILE}", file=sys.stderr)
