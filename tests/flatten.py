"""A report printed as text the ways government sites flatten it (format.md §7 and issue 13):
each shape the importer must read, made from params, so a random report can be flattened in every
shape and imported back.

A table is its printed grid (the kit's own layout of the official form), row by row, spans once;
a blank cell is printed empty. Every shape says what it keeps of a blank cell: some keep it (an
empty line more, a bar twice, an empty cell between bars), some lose it (spaces, one cell a line).
"""

from __future__ import annotations

import random
from typing import Callable

from helpers.model import TownshipYear
from helpers.report.tables import VALUE, grids

Row = list[str]


def table_rows(doc: TownshipYear, key: str) -> list[Row]:
    grid = grids(doc)[key]
    rows = []
    for row in (*grid.head, *grid.body):
        cells = []
        for cell in row:
            blank = cell.kind == VALUE and cell.state == "blank"
            cells.append("" if blank else cell.text)
        rows.append(cells)
    return rows


def blocks(doc: TownshipYear) -> list[tuple[str, object]]:
    """The report in order: ("text", line) for title, headings and paragraphs, ("table", rows)."""
    out: list[tuple[str, object]] = [("text", f"{doc.meta.unit}{doc.meta.year}年政府信息公开工作年度报告")]
    for sec in doc.spec.sections:
        out.append(("text", sec.title))
        for paragraph in doc.narrative.get(sec.key, "").split("\n"):
            if paragraph.strip():
                out.append(("text", paragraph.strip()))
        for sub in sec.subsections:
            text = doc.narrative.get(f"{sec.key}.{sub.key}", "")
            if text.strip():
                out.append(("text", sub.title))
                out += [("text", p.strip()) for p in text.split("\n") if p.strip()]
        if sec.table:
            out.append(("table", table_rows(doc, sec.table)))
    return out


def _cells(rows: list[Row]) -> list[str]:
    return [cell for row in rows for cell in row]


def blank_lines(doc: TownshipYear, rng: random.Random) -> str:
    """One cell a line, an empty line between cells; a blank cell is one empty line more."""
    lines: list[str] = []
    for kind, item in blocks(doc):
        for cell in ([item] if kind == "text" else _cells(item)):
            lines += [cell, ""] if cell else [""]
    return "\n".join(lines)


def lone_pipe(doc: TownshipYear, rng: random.Random) -> str:
    """One cell a line, a line "|" between cells; "|" twice around a blank cell."""
    lines: list[str] = []
    for kind, item in blocks(doc):
        if kind == "text":
            lines += [item]
            continue
        for cell in _cells(item):
            lines += ["|"] + ([cell] if cell else [])
        lines.append("|")
    return "\n".join(lines)


def pipe_suffix(doc: TownshipYear, rng: random.Random) -> str:
    """One cell a line ending in " |", each row opened by a lone "|", some cells followed by
    padding bars ("0 | |"); blank cells come out as bare bars, which fill rows too: lost."""
    lines: list[str] = []
    for kind, item in blocks(doc):
        if kind == "text":
            lines.append(item)
            continue
        for row in item:
            lines.append("|")
            for cell in row:
                lines.append(f"{cell} |" if cell else "|||")
            if row[-1]:
                lines[-1] += " |" * rng.randint(0, 2)  # the padding of a wider row
    return "\n".join(lines)


def pipe_rows(doc: TownshipYear, rng: random.Random) -> str:
    """Rows "a | b | c |": blank cells empty between bars, bars padding the row's end, and now
    and then a row wrapped over two lines (the line break standing for the bar)."""
    lines: list[str] = []
    for kind, item in blocks(doc):
        if kind == "text":
            lines.append(item)
            continue
        for row in item:
            text = " | ".join(row) + " |" + " |" * rng.randint(0, 2)
            if len(row) > 3 and rng.random() < 0.3:
                cut = rng.randint(2, len(row) - 1)
                lines += [" | ".join(row[:cut]), " | ".join(row[cut:]) + " |"]
            else:
                lines.append(text)
    return "\n".join(lines)


def _without_blanks(doc: TownshipYear) -> list[str]:
    """Every line of text and every cell that is not blank, in order."""
    out: list[str] = []
    for kind, item in blocks(doc):
        out += [item] if kind == "text" else [c for c in _cells(item) if c]
    return out


def one_cell_a_line(doc: TownshipYear, rng: random.Random) -> str:
    """One cell a line, nothing between: blank cells lost."""
    return "\n".join(_without_blanks(doc))


def run_on(doc: TownshipYear, rng: random.Random) -> str:
    """The whole report on one line, everything separated by a space: blank cells lost."""
    return " ".join(_without_blanks(doc))


def run_on_bars(doc: TownshipYear, rng: random.Random) -> str:
    """The whole report on one line, the tables' cells joined by bars: blank cells kept."""
    parts: list[str] = []
    for kind, item in blocks(doc):
        parts.append(item if kind == "text" else " | ".join(_cells(item)) + " |")
    return " ".join(parts)


def run_together(doc: TownshipYear, rng: random.Random) -> str:
    """One cell a line with empty lines between (as blank_lines), but the value cells of some
    rows of tables 三 and 四 run together with no separator (a crawl that lost them)."""
    lines: list[str] = []
    for kind, item in blocks(doc):
        if kind == "text":
            lines += [item, ""]
            continue
        for row in item:
            values = [c for c in row if c.isdigit()]
            head = row[:len(row) - len(values)]
            if len(values) == len(row) - len(head) and len(values) >= 5 and rng.random() < 0.6:
                row = head + ["".join(values)]
            for cell in row:
                lines += [cell, ""] if cell else [""]
    return "\n".join(lines)


def look_alike(doc: TownshipYear, rng: random.Random) -> str:
    """As blank_lines, with a dash for the 一 of headings and labels, and full-width digits."""
    text = blank_lines(doc, rng)
    lines = []
    for line in text.split("\n"):
        if line.startswith("一、"):
            line = rng.choice("—－─") + line[1:]
        if line.isdigit() and rng.random() < 0.5:
            line = line.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        lines.append(line)
    return "\n".join(lines)


def traditional_copy(doc: TownshipYear, rng: random.Random) -> str:
    """As blank_lines, converted to traditional characters as a mirror site does."""
    from published import traditional

    return traditional(blank_lines(doc, rng))


SHAPES: dict[str, Callable[[TownshipYear, random.Random], str]] = {
    "blank_lines": blank_lines, "lone_pipe": lone_pipe, "pipe_suffix": pipe_suffix,
    "pipe_rows": pipe_rows, "one_cell_a_line": one_cell_a_line, "run_on": run_on,
    "run_on_bars": run_on_bars, "run_together": run_together, "look_alike": look_alike,
    "traditional": traditional_copy,
}
