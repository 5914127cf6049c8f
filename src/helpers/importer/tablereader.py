"""Read tables 二, 三 and 四 from a stream of cells, against the official form.

A row is its label followed by its values. What is certain is filled; what is not is reported:

- a row with as many values as columns is read (a blank, "/", "—" or "无" stays blank);
- blank cells after a row's values are the padding of a wider printed table, not values;
- a row whose values do not split into its columns is left unread, never spread by guess — except
  for space-aligned text, where each value sits under the column whose centre it is nearest;
- a row that shows fewer values than columns lost its blank cells when the table was flattened:
  with no value at all every cell was blank; else it stays unread, named as the row that lost
  cells — unless its one value is its digits run together and the row's arithmetic admits one
  split only (digits.py): then it is read as decoded, and said so;
- where the text ends inside a table (truncated), the cells it never reached are recorded as such.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..formats import TableSpec
from ..model import Value
from .cells import PIPE_ROWS, SPACED, Cell
from .columns import under_full_rows, under_headers
from .digits import MAX_DIGITS, Sum, decode, splits
from .normalize import CellValue
from .vocabulary import CUT, FRAGMENT, HEAD, NEAR, ROW, SPLIT, UNKNOWN, Match, match_label, terms_of

REGULAR_ROWS = 10  # rows of one width that make a grid regular (table 三 prints 20 or more)


@dataclass
class TableRead:
    """One table as read: cells filled, and an account of everything else."""

    spec: TableSpec
    cells: dict[tuple[str, str], Value] = field(default_factory=dict)
    not_reached: list[str] = field(default_factory=list)  # params paths
    unread: list[str] = field(default_factory=list)  # params paths
    absent: list[str] = field(default_factory=list)  # rows whose label the copy never prints (unread too)
    ocr_kept: list[str] = field(default_factory=list)  # rows read by OCR, confirmed by arithmetic
    regular: bool = False  # every row as many cells (a Markdown or framed table): values rightmost
    problems: list[str] = field(default_factory=list)  # what was not certain, in Chinese
    repairs: list[str] = field(default_factory=list)  # labels matched split or cut short
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, label)
    notes: list[str] = field(default_factory=list)  # units read out of cells
    lines: set[int] = field(default_factory=set)  # source lines the table used
    origins: dict[tuple[str, str], int] = field(default_factory=dict)  # (row, column) → its line
    decoded: list[str] = field(default_factory=list)  # rows cut from run-together digits
    short: list[tuple] = field(default_factory=list)  # (row, values, line): fewer than columns
    surplus: bool = False  # a row showed more values than columns: numbers are not by rows
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
    widths = Counter(c.row for c in cells if c.row is not None)
    counts = Counter(widths.values())
    common = counts.most_common(1)[0][1] if counts else 0  # rows of the most common width
    out.regular = out.spec.key == "table3" and common >= REGULAR_ROWS and common >= 0.8 * len(widths)
    heads: list[Cell] = []  # the header cells over the rows being read (a block of table 二)
    after_row = False
    i = 0
    while i < len(cells):
        if values[i] is not None:
            i += 1  # a value with no row label before it: header padding
            continue
        match = match_label(texts, i, terms)
        _note_label(out, match, cells[i], values, i)
        if match.term is None or match.term.kind == HEAD:
            if after_row:
                heads, after_row = [], False
            heads += cells[i:match.end]
            i = match.end
            continue
        after_row = True
        row = match.term.row
        out.lines.update(c.line for c in cells[i:match.end])
        line = cells[i].line
        found, i = _row_values(cells, values, texts, match.end, terms,
                               len(row.columns) if shape == PIPE_ROWS else 0)
        seen.append(row.key)
        if not found and (stray := _unplaced(cells, values, texts, i, terms)):
            _unread(out, row, f"第 {line} 行「{row.label}」之后是无法识别的文字「{stray}」，其后印出的数值"
                              "无法确定属于哪一行（不读作空白）")
            continue
        _place(out, row, found, at_end=i >= len(cells), shape=shape, centres=centres,
               pending=pending, line=line, heads=tuple(heads))
    for row, found, over in pending:
        _place_by_centre(out, row, found, centres, over)
    ambiguous = {}
    for row, found, line in out.short:
        if (options := _settle_short(out, row, found, line)) is not None:
            ambiguous[row.key] = (row, found, line, options)
    _by_column_totals(out, ambiguous)
    _missing_rows(out, seen)


def _note_label(out: TableRead, match: Match, cell: Cell, values, i: int) -> None:
    if match.how in (SPLIT, CUT, NEAR) and match.term is not None and match.term.kind == ROW:
        kind = {SPLIT: "拆行", CUT: "截断", NEAR: "缺字"}[match.how]
        out.repairs.append(f"第 {cell.line} 行“{match.printed}”（{kind}）→ “{match.term.label}”")
    elif match.how == UNKNOWN and i + 1 < len(values) and values[i + 1] is not None:
        out.unmatched.append((cell.line, match.printed))  # a label with values: a row we lose


def _unplaced(cells: list[Cell], values, texts: list[str], k: int, terms) -> str | None:
    """The text after a row label that found no values, when numbers follow that text: what a
    printed row looks like whose label wraps onto a line the labels do not know. Its numbers are
    not the row's for certain, and not blank either."""
    if k >= len(cells) or values[k] is not None or match_label(texts, k, terms).how != UNKNOWN:
        return None
    following = values[k + 1:k + 3]
    return texts[k] if any(v is not None and v.value is not None for v in following) else None


def _row_values(cells: list[Cell], values, texts: list[str], start: int, terms, wraps: int):
    """The value cells that belong to the row whose label ends at ``start``. ``wraps``: in rows
    joined by bars, where blank cells are kept, a row with fewer than this many values goes on
    into the next printed line when that line starts with a value (a row wrapped over lines)."""
    found: list[tuple[Cell, CellValue]] = []
    row_id = None
    k = start
    while k < len(cells):
        cell, value = cells[k], values[k]
        if value is not None:
            if found and row_id is not None and cell.row != row_id and len(found) >= wraps:
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


def _place(out: TableRead, row, found, at_end: bool, shape: str, centres, pending,
           line: int, heads: tuple = ()) -> None:
    n = len(row.columns)
    extra = len(found) - n
    leading = extra > 0 and all(v.value is None for _, v in found[:extra])
    trailing = extra > 0 and all(v.value is None for _, v in found[n:])
    # in a regular grid (every row as many cells: a Markdown table, a framed one) the values are
    # the rightmost cells, blanks before them an empty label cell drawn beside the label
    # ((七)总计 | | 21); else blanks after them are the padding of a wider printed table
    if leading and (out.regular or not trailing):
        found = found[extra:]
    elif trailing:
        found = found[:n]
    if at_end and out.truncated:
        while found and found[-1][1].value is None:
            found.pop()  # blanks at the very end may be where the text was cut
    if len(found) == n:
        if shape == SPACED and all(c.column is not None for c, _ in found):
            centres.setdefault(n, [c.column for c, _ in found])
        _fill(out, row, row.columns, found)
    elif len(found) < n and at_end and out.truncated and _run_on(found):
        _unread(out, row, f"「{row.label}」的数值 {found[0][0].text} 位数过多（连写数字？），"
                          "原文又在此截断，无法拆分")
    elif len(found) < n and at_end and out.truncated:
        _fill(out, row, row.columns[:len(found)], found)
        out.not_reached += [f"{out.spec.key}.{row.key}.{c.key}" for c in row.columns[len(found):]]
    elif shape == SPACED and 0 < len(found) < n:
        pending.append((row, found, heads))
    elif len(found) < n:
        out.short.append((row, found, line))  # settled once the whole table is read
    else:
        out.surplus = True
        _unread(out, row, f"「{row.label}」读到 {len(found)} 个数值，应有 {n} 个，无法确定对应的列")


def _run_on(found) -> bool:
    """A value longer than any count: digits run together, not one number."""
    return any(isinstance(v.value, int) and len(str(abs(v.value))) > MAX_DIGITS for _, v in found)


def _settle_short(out: TableRead, row, found, line: int) -> list[list[int]] | None:
    """A row with fewer values than columns: blank, decoded, or unread with the cells it lost.
    Returns the splits its own arithmetic admits when there are several (for the column totals)."""
    n = len(row.columns)
    if not found and not out.surplus:
        for col in row.columns:
            out.cells[(row.key, col.key)] = None
        out.notes.append(f"第 {line} 行「{row.label}」未印出任何数值：{n} 格读作空白")
        return None
    texts = [cell.text for cell, _ in found]
    options = splits(texts, n, _sums(row.columns))
    if options and len(options) == 1:
        _decoded(out, row, found, options[0], "按本行总计")
        return None
    if not options:
        _unread(out, row, f"第 {line} 行「{row.label}」只印出 {len(found)} 个数值，应有 {n} 个："
                          f"少了 {n - len(found)} 格（空白格在转录中丢失），无法确定是哪几格")
        return None
    _unread(out, row, f"第 {line} 行「{row.label}」的连写数字 {texts[0]} 按本行总计有 "
                      f"{len(options)} 种拆法，无法确定")
    return options


def _decoded(out: TableRead, row, found, values: list[int], by: str) -> None:
    for col, value in zip(row.columns, values):
        out.cells[(row.key, col.key)] = value
    out.lines.update(cell.line for cell, _ in found)
    out.decoded.append(f"{out.spec.key}.{row.key}")
    out.notes.append(f"第 {found[0][0].line} 行「{row.label}」的连写数字 {found[0][0].text} {by}唯一拆为 "
                     + " | ".join(map(str, values)) + "（解码，非直接读出）")


def _by_column_totals(out: TableRead, ambiguous: dict) -> None:
    """A row with several splits, in a 总计 row's sum whose other rows are all read: keep the
    splits that make every column add up; decoded when exactly one does."""
    for total in (r for r in out.spec.rows if r.derived):
        members = (total.key, *total.derived_from)
        open_rows = [k for k in members if k in ambiguous]
        if len(open_rows) != 1:
            continue
        key = open_rows[0]
        known = {(r, c.key): out.cells.get((r, c.key)) for r in members if r != key
                 for c in total.columns}
        if any(not isinstance(v, int) for v in known.values()):
            continue  # a blank or unread cell in the sum: the column totals say nothing
        row, found, line, options = ambiguous[key]
        def adds_up(values: list[int]) -> bool:
            cells = {**known, **{(key, c.key): v for c, v in zip(row.columns, values)}}
            return all(cells[(total.key, c.key)] == sum(cells[(r, c.key)] for r in total.derived_from)
                       for c in total.columns)
        kept = [v for v in options if adds_up(v)]
        if len(kept) == 1:
            _read_after_all(out, row)
            _decoded(out, row, found, kept[0], "按本行总计和各列总计")


def _sums(columns, offset: int = 0) -> list[Sum]:
    """Each 总计 column of a row as a sum of its parts; ``offset``: where the row's first column
    is among the slots decoded together (table 四 prints its three rows as one)."""
    index = {col.key: offset + j for j, col in enumerate(columns)}
    return [Sum(index[c.key], tuple(index[k] for k in c.derived_from)) for c in columns if c.derived]


def _place_by_centre(out: TableRead, row, found, centres: dict[int, list[int]], heads=()) -> None:
    """Space-aligned text drops blank cells: each value under the column it stands under
    (columns.py) — by the centres of the table's full rows, or where there is none, by the
    headers above the row; unread when that is not certain."""
    n = len(row.columns)
    at = [c.column for c, _ in found]
    if None not in at and ((known := centres.get(n)) and (slots := under_full_rows(known, at))
                           or (slots := under_headers(heads, at, n))):
        _fill_slots(out, row, found, slots)
        return
    _unread(out, row, f"「{row.label}」读到 {len(found)} 个数值，应有 {n} 个，列的位置无法确定")


def _fill_slots(out: TableRead, row, found, slots) -> None:
    for slot, (cell, value) in zip(slots, found):
        _fill(out, row, (row.columns[slot],), [(cell, value)])
    for j, col in enumerate(row.columns):
        if j not in slots:
            out.cells[(row.key, col.key)] = None  # printed blank


def _fill(out: TableRead, row, columns, found) -> None:
    for col, (cell, value) in zip(columns, found):
        out.cells[(row.key, col.key)] = value.value
        out.lines.add(cell.line)
        out.origins[(row.key, col.key)] = cell.line
        if value.unit:
            out.notes.append(f"第 {cell.line} 行「{row.label}·{col.label}」读作 {value.value}"
                             f"（原文“{cell.text}”，单位 {value.unit}）")


def _unread(out: TableRead, row, problem: str) -> None:
    out.unread.append(f"{out.spec.key}.{row.key}")
    out.problems.append(problem)


def _read_after_all(out: TableRead, row) -> None:
    """Take back what ``_unread`` said of ``row``: its path and the problem given with it."""
    index = out.unread.index(f"{out.spec.key}.{row.key}")
    del out.unread[index], out.problems[index]


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
            out.absent.append(path)
            _unread(out, row, f"未找到「{row.label}」这一行")


def _read_one_row(out: TableRead, cells: list[Cell]) -> None:
    """Table 四: headers, then fifteen values in one row (行政复议 ‖ two kinds of 行政诉讼)."""
    values = _values(cells)
    last_label = max((i for i, v in enumerate(values) if v is None), default=-1)
    found = [(c, v) for c, v in zip(cells[last_label + 1:], values[last_label + 1:])]
    header_row = cells[last_label].row if last_label >= 0 else None
    values_elsewhere = any(c.row != header_row for c, _ in found)
    while found and header_row is not None and values_elsewhere \
            and found[0][0].row == header_row and found[0][1].value is None:
        found.pop(0)  # "… | 总计 |": the header row's closing bar, not a value
    slots = [(row, col) for row in out.spec.rows for col in row.columns]
    if len(found) > len(slots) and all(v.value is None for _, v in found[len(slots):]):
        found = found[:len(slots)]
    if out.truncated:
        while found and found[-1][1].value is None:
            found.pop()
    out.lines.update(c.line for c in cells)
    if out.truncated and len(found) < len(slots) and _run_on(found):
        out.unread.append(out.spec.key)
        out.problems.append(f"表四的数值 {found[0][0].text} 位数过多（连写数字？），原文又在此截断，无法拆分")
    elif len(found) == len(slots) or out.truncated and len(found) < len(slots):
        for (row, col), (cell, value) in zip(slots, found):
            _fill(out, row, (col,), [(cell, value)])
        out.not_reached += [f"{out.spec.key}.{row.key}.{col.key}" for row, col in slots[len(found):]]
    elif not found and last_label >= 0:
        for row, col in slots:  # its labels printed, not one value: every cell blank
            out.cells[(row.key, col.key)] = None
        out.notes.append(f"表四未印出任何数值：{len(slots)} 格读作空白")
    elif decoded := _decode_one_row(out, found, slots):
        out.notes.append(decoded)
    elif None not in (at := [c.column for c, _ in found]) and \
            (chosen := under_headers(cells[:last_label + 1], at, len(slots))):
        for row, col in slots:
            out.cells[(row.key, col.key)] = None  # printed blank, unless a value stands under it
        for j, (cell, value) in zip(chosen, found):
            _fill(out, slots[j][0], (slots[j][1],), [(cell, value)])
        out.notes.append(f"第 {found[0][0].line} 行表四印出 {len(found)} 个数值，按表头的列位置读取，"
                         f"其余 {len(slots) - len(found)} 格读作空白")
    else:
        out.unread.append(out.spec.key)
        out.problems.append(f"表四读到 {len(found)} 个数值，应有 {len(slots)} 个，无法确定对应的列")


def _decode_one_row(out: TableRead, found, slots) -> str | None:
    """Table 四's fifteen values run together, cut where its three 总计 columns admit one split."""
    sums, offset = [], 0
    for row in out.spec.rows:
        sums += _sums(row.columns, offset)
        offset += len(row.columns)
    texts = [cell.text for cell, _ in found]
    values = decode(texts, len(slots), sums)
    if values is None:
        return None
    for (row, col), value in zip(slots, values):
        out.cells[(row.key, col.key)] = value
    out.decoded += [f"{out.spec.key}.{row.key}" for row in out.spec.rows]
    return (f"第 {found[0][0].line} 行表四的连写数字 {texts[0]} 按各行总计唯一拆为 "
            + " | ".join(map(str, values)) + "（解码，非直接读出）")
