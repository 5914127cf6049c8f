"""Traditional characters read as simplified, one character for one (offsets into a text stay
valid): reports published in 繁體 are read by the importer's labels and the narrative rules alike.

OpenCC owns the conversion. Its phrase-aware converter may change a text's length, which would
move every offset a finding quotes; so the kit asks it once for the simplified form of each
character on its own and keeps that as a translation table (about 4,200 characters, 15 ms, built
on first use). None of the kit's own words changes under it (tests/test_import.py checks).
"""

from __future__ import annotations

from functools import lru_cache

# The CJK blocks that hold traditional forms: Extension A, the Unified Ideographs, Compatibility.
_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """Each traditional character → its simplified form, where that is one character."""
    import opencc  # imported here: most runs meet no traditional text and skip the load

    chars = [chr(c) for lo, hi in _BLOCKS for c in range(lo, hi)]
    # One character a line: the converter sees no phrase, so each answer is the character's own.
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {ord(a): b for a, b in zip(chars, converted) if a != b and len(b) == 1}


def simplified(text: str) -> str:
    """``text`` with its traditional characters simplified; same length."""
    if text.isascii():
        return text
    return text.translate(table())
