"""Read tables 二, 三 and 四 from a stream of cells, against the official form.

A row is its label followed by its values. What is certain is filled; what is not is reported:

- a row with as many values as columns is read (a blank, "/", "—" or "无" stays blank);
- blank cells after a row's values are the padding of a wider printed table, not values;
- a row whose values do not split into its columns is left unread, never spread by guess — except
  for space-aligned text, where each value sits under the column whose centre it is nearest;
- where the text ends inside a table (truncated), the cells it never reached are recorded as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import TableSpec
from ..model import Value
from .cells import SPACED, Cell
from .normalize import CellValue
from .vocabulary import CUT, FRAGMENT, HEAD, ROW, SPLIT, UNKNOWN, Match, match_label, terms_of


@dataclass
class TableRead:
    """One table as read: cells filled, and an account of everything else."""

    spec: TableSpec
    cells: dict[tuple[str, str], Value] = field(default_factory=dict)
    not_reached: list[str] = field(default_factory=list)  # params paths
    unread: list[str] = field(default_factory=list)  # params paths
    problems: list[str] = field(default_factory=list)  # what was not certain, in Chinese
    repairs: list[str] = field(default_factory=list)  # labels matched split or cut short
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, label)
    notes: list[str] = field(default_factory=list)  # units read out of cells
    lines: set[int] = field(default_factory=set)  # source lines the table used
    found: bool = False
    truncated: bool = False

    @property
    def values_read(self) -> int:
        return len(self.cells)


def read_table(spec: TableSpec, cells: list[Cell], seen: bool, truncated: bool,
               shape: str) -> TableRead:
    """Read ``spec`` from the cells of its section. ``seen``: its heading was found;
    ``truncated``: the text ends in (or before) it."""
    out = TableRead(spec, found=seen, truncated=truncated)
    if spec.key == "table4":
        _read_one_row(out, cells)
    else:
        _read_rows(out, cells, shape)
    return out


def _values(cells: list[Cell]) -> list[CellValue | None]:
    return [c.value for c in cells]


def _read_rows(out: TableRead, cells: list[Cell], shape: str) -> None:
    terms = terms_of(out.spec)
    values = _values(cells)
    texts = [c.text if v is None else "" for c, v in zip(cells, values)]
    seen: list[str] = []
    centres: dict[int, list[int]] = {}  # columns → the centres of full space-aligned rows
    pending: list[tuple] = []  # short space-aligned rows, placed once the centres are known
    i = 0
    while i < len(cells):
        if values[i] is not None:
            i += 1  # a value with no row label before it: header padding
            continue
        match = match_label(texts, i, terms)
        _note_label(out, match, cells[i], values, i)
        if match.term is None or match.term.kind == HEAD:
            i = match.end
            continue
        row = match.term.row
        out.lines.update(c.line for c in cells[i:match.end])
        found, i = _row_values(cells, values, texts, match.end, terms)
        seen.append(row.key)
        _place(out, row, found, at_end=i >= len(cells), shape=shape, centres=centres,
               pending=pending)
    for row, found in pending:
        _place_by_centre(out, row, found, centres)
    _missing_rows(out, seen)


def _note_label(out: TableRead, match: Match, cell: Cell, values, i: int) -> None:
    if match.how in (SPLIT, CUT) and match.term is not None and match.term.kind == ROW:
        kind = "拆行" if match.how == SPLIT else "截断"
        out.repairs.append(f"第 {cell.line} 行“{match.printed}”（{kind}）→ “{match.term.label}”")
    elif match.how == UNKNOWN and i + 1 < len(values) and values[i + 1] is not None:
        out.unmatched.append((cell.line, match.printed))  # a label with values: a row we lose


def _row_values(cells: list[Cell], values, texts: list[str], start: int, terms):
    """The value cells that belong to the row whose label ends at ``start``."""
    found: list[tuple[Cell, CellValue]] = []
    row_id = None
    k = start
    while k < len(cells):
        cell, value = cells[k], values[k]
        if value is not None:
            if found and row_id is not None and cell.row != row_id:
                break  # the next printed row
            row_id = cell.row
            found.append((cell, value))
            k += 1
            continue
        if not found and match_label(texts, k, terms).how == FRAGMENT:
            k += 1  # the rest of a wrapped label, before the values
            continue
        break
    return found, k


def _place(out: TableRead, row, found, at_end: bool, shape: str, centres, pending) -> None:
    n = len(row.columns)
    if len(found) > n and all(v.value is None for _, v in found[n:]):
        found = found[:n]  # the blank padding of a wider printed table
    if at_end and out.truncated:
        while found and found[-1][1].value is None:
            found.pop()  # blanks at the very end may be where the text was cut
    if len(found) == n:
        if shape == SPACED:
            centres.setdefault(n, [c.column for c, _ in found])
        _fill(out, row, row.columns, found)
    elif len(found) < n and at_end and out.truncated:
        _fill(out, row, row.columns[:len(found)], found)
        out.not_reached += [f"{out.spec.key}.{row.key}.{c.key}" for c in row.columns[len(found):]]
    elif shape == SPACED and 0 < len(found) < n:
        pending.append((row, found))
    else:
        _unread(out, row, f"「{row.label}」读到 {len(found)} 个数值，应有 {n} 个，无法确定对应的列")


def _place_by_centre(out: TableRead, row, found, centres: dict[int, list[int]]) -> None:
    """Space-aligned text drops blank cells: put each value under the nearest column centre,
    when that is unambiguous (no two values under one column, none far from every column)."""
    n = len(row.columns)
    known = centres.get(n)
    if known:
        gap = min(b - a for a, b in zip(known, known[1:])) if n > 1 else 10 ** 6
        slots = [min(range(n), key=lambda j: abs(known[j] - c.column)) for c, _ in found]
        near = all(abs(known[s] - c.column) <= gap / 2 for s, (c, _) in zip(slots, found))
        if near and len(set(slots)) == len(slots):
            for slot, (cell, value) in zip(slots, found):
                _fill(out, row, (row.columns[slot],), [(cell, value)])
            for j, col in enumerate(row.columns):
                if j not in slots:
                    out.cells[(row.key, col.key)] = None  # printed blank
            return
    _unread(out, row, f"「{row.label}」读到 {len(found)} 个数值，应有 {n} 个，列的位置无法确定")


def _fill(out: TableRead, row, columns, found) -> None:
    for col, (cell, value) in zip(columns, found):
        out.cells[(row.key, col.key)] = value.value
        out.lines.add(cell.line)
        if value.unit:
            out.notes.append(f"第 {cell.line} 行「{row.label}·{col.label}」读作 {value.value}"
                             f"（原文“{cell.text}”，单位 {value.unit}）")


def _unread(out: TableRead, row, problem: str) -> None:
    out.unread.append(f"{out.spec.key}.{row.key}")
    out.problems.append(problem)


def _missing_rows(out: TableRead, seen: list[str]) -> None:
    """Rows never found: not reached when the text stops before them, else not read."""
    rows = list(out.spec.rows)
    last = max((rows.index(out.spec.row(k)) for k in seen), default=-1)
    for index, row in enumerate(rows):
        if row.key in seen:
            continue
        path = f"{out.spec.key}.{row.key}"
        if out.truncated and index > last:
            out.not_reached.append(path)
        elif row.derived:
            out.notes.append(f"「{row.label}」未印出，由工具计算")
        else:
            _unread(out, row, f"未找到「{row.label}」这一行")


def _read_one_row(out: TableRead, cells: list[Cell]) -> None:
    """Table 四: headers, then fifteen values in one row (行政复议 ‖ two kinds of 行政诉讼)."""
    values = _values(cells)
    last_label = max((i for i, v in enumerate(values) if v is None), default=-1)
    found = [(c, v) for c, v in zip(cells[last_label + 1:], values[last_label + 1:])]
    slots = [(row, col) for row in out.spec.rows for col in row.columns]
    if len(found) > len(slots) and all(v.value is None for _, v in found[len(slots):]):
        found = found[:len(slots)]
    if out.truncated:
        while found and found[-1][1].value is None:
            found.pop()
    if len(found) == len(slots) or out.truncated and len(found) < len(slots):
        for (row, col), (cell, value) in zip(slots, found):
            _fill(out, row, (col,), [(cell, value)])
        out.not_reached += [f"{out.spec.key}.{row.key}.{col.key}" for row, col in slots[len(found):]]
    else:
        out.unread.append(out.spec.key)
        out.problems.append(f"表四读到 {len(found)} 个数值，应有 {len(slots)} 个，无法确定对应的列")
    out.lines.update(c.line for c in cells)

