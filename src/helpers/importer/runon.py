"""A report whose text came out as one stream: recut into lines before anything reads it.

Some sites' text comes out with the whole report on one line (or a few very long ones): the six
headings, the sub-headings of 一, the tables' labels and cells all run inline. Such a line is cut
where a person sees the breaks — before each section heading (checked against the official
headings, in order, so table 三's row "四、结转…" stays a row), before each sub-heading of a
text section — and a table section's stream is split into its cells: at the bars where there
are bars (a bar twice is a blank cell), else at the spaces (blank cells are then lost; the
table reader says which rows lost cells). Sentences about a table stay text.

The pieces are numbered in order: in the summary, a "line" of such a report is a piece.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import formats
from .normalize import key
from .sections import is_prose, section_number
from .sources import HTML, TEXT, SourceLine, SourceText

LONG = 300  # characters: a line this long holding section headings is a run-on stream
_HEADING = re.compile(r"(?:^|(?<=[\s。；;：:！？!?）)”\"」]))[一二三四五六—－─-]\s*[、.．,，]")
_SUB = re.compile(r"(?<=[\s。；;：:！？!?”\"」])[（(][一二三四五六七八九十][)）]")
_STOP = re.compile(r"[\s。；;]")


def recut(source: SourceText) -> SourceText:
    """``source`` with its run-on lines cut into pieces; unchanged when it has none."""
    if source.kind not in (TEXT, HTML) or source.fields:
        return source
    cuts = {line.number: _headings(line.text) for line in source.lines
            if line.cells is None and len(line.text) >= LONG}
    if sum(len(found) for found in cuts.values()) < 2:
        return source
    out: list[SourceLine] = []
    current = 0  # the section the stream is in
    for line in source.lines:
        if line.number in cuts:
            pieces, current = _pieces(line.text, current)
            out += pieces
        else:
            out.append(line)
            current = _section_at(line.text, current) or current
    numbered = tuple(SourceLine(i, p.text, p.cells, p.page, p.ocr) for i, p in enumerate(out, 1))
    return replace(source, lines=numbered, recut=len(cuts))


def _sections() -> list:
    return [f.sections for f in formats.FORMATS.values()]


def _section_at(text: str, after: int) -> int | None:
    """The section whose heading ``text`` is (after section ``after``), in any format."""
    return next((n for sections in _sections() if (n := section_number(text, after, sections))),
                None)


def _heading_at(text: str, start: int, after: int) -> tuple[int, int] | None:
    """(section, end) when a section heading after ``after`` starts at ``start`` of ``text``."""
    head = text[start:start + 40]
    stop = _STOP.search(head, 2)
    found = _section_at(head[:stop.start()] if stop else head, after)
    if found:
        return found, start + (stop.start() if stop else len(head))
    for sections in _sections():  # a heading with the text run straight on: its official words
        for number, spec in enumerate(sections, 1):
            if number <= after:
                continue
            official = key(spec.heading)
            body = head[2:].lstrip("、.．,， ")
            if key(body[:len(spec.heading) + 2]).startswith(official):
                return number, start + (len(head) - len(body)) + len(spec.heading)
    return None


def _headings(text: str) -> list[tuple[int, int, int]]:
    """Every section heading in ``text``, in order: (start, end, section)."""
    out, after = [], 0
    for match in _HEADING.finditer(text):
        found = _heading_at(text, match.start(), after)
        if found:
            after = found[0]
            out.append((match.start(), found[1], after))
    return out


def _pieces(text: str, current: int) -> tuple[list[SourceLine], int]:
    """The pieces of one run-on line, and the section the stream ends in."""
    out: list[SourceLine] = []
    bounds = [(s, e, n) for s, e, n in _headings(text) if n > current]
    start = 0
    for s, e, number in bounds + [(len(text), len(text), None)]:
        out += _segment(text[start:s], current)
        if number is not None:
            out.append(SourceLine(0, text[s:e].strip()))
            current, start = number, e
    return out, current


def _segment(text: str, section: int) -> list[SourceLine]:
    """The text between two headings: paragraphs cut at sub-headings, or a table's cells."""
    if not text.strip():
        return []
    spec = formats.newest().sections[section - 1] if section else None
    if spec is None or not spec.table:
        starts = [0] + [m.start() for m in _SUB.finditer(text)] + [len(text)]
        return [SourceLine(0, part) for a, b in zip(starts, starts[1:])
                if (part := text[a:b].strip())]
    return _cells(text)


def _cells(text: str) -> list[SourceLine]:
    """A table section's stream: rows of cells, with any sentence about the table kept as text."""
    out: list[SourceLine] = []
    row: list[str] = []
    parts = text.split("|") if "|" in text else text.split()
    for part in parts:
        part = part.strip()
        if is_prose(part):
            if row:
                out.append(SourceLine(0, " | ".join(row), tuple(row)))
                row = []
            out.append(SourceLine(0, part))
        else:
            row.append(part)
    if any(row):
        out.append(SourceLine(0, " | ".join(row), tuple(row)))
    return out
