"""The cells of a report's tables, from whichever way its text was flattened (format.md §7).

A published table reaches us in one of these shapes, each recognised here:

- one cell per line, an empty line between cells; k + 1 empty lines stand for k blank cells
  (the seed, 会昌县, 榆阳区, 西咸新区);
- one cell per line, a lone ``|`` line between cells; ``|`` twice is a blank cell (尼勒克县);
- one cell per line ending in `` |``, lines of bare ``|`` as filler (澄城县);
- one cell per line ending in `` |``, further bars after a cell padding a wider row (湖口县,
  略阳县); blank cells are lost in it;
- ``| a | b | c |`` rows, or ``a | b | c |`` rows with empty cells kept, bars padding the row
  (桃江县, 上海市, 微山县);
- a whole report run into one line, recut into pieces by runon.py (襄州区);
- rows whose columns are kept apart by runs of spaces (text taken from PDF);
- and the rows of a real table (HTML, Word).

The result is one stream of cells; a cell of a row-shaped source knows its row, so a reader can
tell a row's padding from a blank cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .normalize import CellValue, parse_value
from .sources import PDF, SourceLine, SourceText

BLANK_LINES, LONE_PIPE, PIPE_SUFFIX, PIPE_ROWS, SPACED, TABLE_ROWS, PLAIN, RUN_ON = (
    "空行分隔", "单独竖线分隔", "竖线结尾", "竖线分隔行", "空格对齐", "表格", "逐行", "一行连排")
_GAP = re.compile(r"\s{2,}")
_PIPES = re.compile(r"^[|\s]*\|[|\s]*$")  # bars (and spaces) only: the filler of a row span
_SUFFIXED = re.compile(r"^[^|]+\|[|\s]*$")  # a cell, then its bar and any padding bars
_WRAPPED_BLANK = "白"
_NUMERIC = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Cell:
    text: str  # stripped; "" for a blank cell
    line: int  # where the cell is in the source
    row: int | None = None  # the printed row it belongs to, where the source shows rows
    column: int | None = None  # for space-aligned rows: the character offset of the cell

    @cached_property
    def value(self) -> CellValue | None:
        """The cell's value, or None for a label (parsed once: regions, format and rows ask)."""
        return parse_value(self.text)


def shape_of(source: SourceText) -> str:
    """How this source's tables were flattened, judged from all its lines."""
    if source.kind == PDF:
        return SPACED
    if source.recut:
        return RUN_ON
    lines = [line for line in source.lines if line.cells is None]
    if any(line.cells is not None for line in source.lines):
        return TABLE_ROWS
    texts = [line.text.strip() for line in lines]
    columns = [_GAP.split(t) for t in texts]
    counts = {
        LONE_PIPE: sum(t == "|" for t in texts),
        PIPE_SUFFIX: sum(_SUFFIXED.match(t) is not None for t in texts),
        PIPE_ROWS: sum(sum(bool(p.strip()) for p in t.split("|")) >= 2 for t in texts),
        SPACED: sum(len(c) >= 2 and _NUMERIC.match(c[-1]) is not None for c in columns)
        if any(len(c) >= 4 for c in columns) else 0,
    }
    shape, count = max(counts.items(), key=lambda kv: kv[1])
    if count >= 5:
        return shape
    empty = sum(not t for t in texts)
    return BLANK_LINES if empty >= len(texts) / 4 else PLAIN


def cells_of(source: SourceText, shape: str) -> list[Cell]:
    """Every cell of ``source`` in reading order (text lines become one cell each)."""
    lines = list(source.lines)
    if shape == BLANK_LINES:
        return _blank_separated(lines)
    framed = shape == PIPE_ROWS and _framed(lines)
    out: list[Cell] = []
    pending_pipe = False  # LONE_PIPE: a separator seen, no cell since
    for line in lines:
        text = line.text.strip()
        if line.cells is not None:
            out += [Cell(c, line.number, line.number) for c in line.cells]
        elif line.ocr and text:  # a picture's line: its columns kept apart by spaces, as OCR laid them
            out += _spaced_row(line)
        elif not text:
            continue
        elif shape == LONE_PIPE and text == "|":
            if pending_pipe:
                out.append(Cell("", line.number))  # "|" twice: a blank cell between
            pending_pipe = True
            continue
        elif shape in (PIPE_SUFFIX, PIPE_ROWS) and _PIPES.match(text):
            continue  # filler of the flattened row spans
        elif shape == PIPE_SUFFIX and _SUFFIXED.match(text):
            # "0 | |": the cell, its bar, then padding bars. Blank cells in this shape are bare
            # bars, not told from filler: a row that had one shows fewer values (tablereader).
            out.append(Cell(text.split("|")[0].strip(), line.number))
        elif shape == PIPE_ROWS and "|" in text:  # one bar too: a row wrapped after its label
            out += _pipe_row(text, line.number, framed)
        elif shape == SPACED:
            out += _spaced_row(line)
        else:
            out.append(Cell(text, line.number))
        pending_pipe = False
    return out


def _pipe_row(text: str, number: int, framed: bool) -> list[Cell]:
    """``| a | b |`` (framed: the outer bars are the frame) or ``a | b |`` (joined: every bar
    separates two cells, so a line starting with a bar starts with a blank cell, and one ending
    in a bar ends with one — padding, where the row has more cells than columns)."""
    if framed:
        text = text[1:] if text.startswith("|") else text
        text = text[:-1] if text.endswith("|") else text
    return [Cell(part.strip(), number, number) for part in text.split("|")]


def _framed(lines: list[SourceLine]) -> bool:
    """Whether a source's bar rows are framed (``| a | b |``): most of them start with a bar.
    Told once for the whole source, so a joined row that starts with a blank cell is not read as
    framed (and shifted)."""
    rows = [t for line in lines if "|" in (t := line.text.strip()) and not _PIPES.match(t)]
    return sum(t.startswith("|") for t in rows) * 2 > len(rows)


def _spaced_row(line: SourceLine) -> list[Cell]:
    """Cells of a row whose columns are separated by two or more spaces, each with its offset.
    Narrow value columns may sit one space apart ("0 0"): a run of values splits at every space.
    A lone 白 is the second line of the kit's own 空白 wrapped in a narrow column."""
    out, pos = [], 0
    for part in _GAP.split(line.text):
        start = line.text.index(part, pos) if part else pos
        pos = start + len(part)
        words = part.split()
        pieces = words if len(words) > 1 and all(parse_value(w) for w in words) else [part.strip()]
        offset = start
        for piece in pieces:
            if piece and piece != _WRAPPED_BLANK:
                at = line.text.index(piece, offset)
                out.append(Cell(piece, line.number, line.number, at + len(piece) // 2))
                offset = at + len(piece)
    return out


def _blank_separated(lines: list[SourceLine]) -> list[Cell]:
    """One empty line separates two cells; each further empty line is one more blank cell."""
    out: list[Cell] = []
    run = 0  # empty lines since the last cell
    seen = False
    for line in lines:
        text = line.text.strip()
        if not text:
            run += 1
            continue
        if seen:
            out += [Cell("", line.number - run + i) for i in range(max(run - 1, 0))]
        out.append(Cell(text, line.number))
        seen, run = True, 0
    return out
