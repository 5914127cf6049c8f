"""Traditional characters read as simplified, one character for one (offsets into a text stay
valid): reports published in 繁體 are read by the importer's labels and the narrative rules alike.

OpenCC owns the conversion. A text with a traditional character in it (a table of about 4,200
characters, asked of OpenCC one character at a time, 15 ms on first use) goes through OpenCC's
phrase-aware converter (反覆 → 反复, where 覆 alone is simplified too); should that change the
text's length, which would move every offset a finding quotes, the character table is used
instead. A simplified text costs one table lookup a character. None of the kit's own words
changes under it (tests/test_import.py checks).
"""

from __future__ import annotations

from functools import lru_cache

# The CJK blocks that hold traditional forms: Extension A, the Unified Ideographs, Compatibility.
_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported here: most runs meet no traditional text and skip the load

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """Each traditional character → its simplified form, where that is one character."""
    chars = [chr(c) for lo, hi in _BLOCKS for c in range(lo, hi)]
    # One character a line: the converter sees no phrase, so each answer is the character's own.
    converted = _converter().convert("\n".join(chars)).split("\n")
    return {ord(a): b for a, b in zip(chars, converted) if a != b and len(b) == 1}


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
