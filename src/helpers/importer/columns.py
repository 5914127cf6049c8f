"""Which column each value of a short row stands in: space-aligned text (a PDF's lines, pdftotext
-layout) drops blank cells, so a row of seven columns may print five numbers. A value is put
under the column whose centre it stands nearest to, when that is certain — no two values under
one column, none far from every column — by the table's full rows, or where there is none by the
column headers above. Nothing here fills a cell: it says where, or None.
"""

from __future__ import annotations

MAX_COLUMN_HEAD = 4  # characters a line of a column's own header (结果维持 in pairs, 总计)
HEAD_LINES = 3  # the header lines above the values a column's header may stand on


def nearest(centres: list[float], columns: list[int], tolerance: float) -> tuple[int, ...] | None:
    """For each value's column, the index of the nearest centre; None when two values share one
    or any stands further than ``tolerance`` from its centre."""
    chosen = tuple(min(range(len(centres)), key=lambda j: abs(centres[j] - c)) for c in columns)
    if len(set(chosen)) == len(chosen) and all(abs(centres[j] - c) <= tolerance
                                               for j, c in zip(chosen, columns)):
        return chosen
    return None


def under_full_rows(known: list[int], columns: list[int]) -> tuple[int, ...] | None:
    """The columns of a short row's values by the centres of a full row of the same table:
    within half the columns' spacing."""
    gap = min(b - a for a, b in zip(known, known[1:])) if len(known) > 1 else 10 ** 6
    return nearest(known, columns, gap / 2)


def under_headers(heads, columns: list[int], n: int) -> tuple[int, ...] | None:
    """No full row to go by: the columns of the values by the column headers on the last three
    header lines above them (a header broken over lines, 结果 / 维持, is one column), when they
    stand in at least ``n`` columns — the rightmost ``n`` are the values' — and each value is
    close under a column of its own; else None."""
    if not columns or not heads:
        return None
    lines = sorted({c.line for c in heads})[-HEAD_LINES:]
    near = sorted(c.column for c in heads if c.column is not None and c.line in lines
                  and len(c.text) <= MAX_COLUMN_HEAD)
    groups: list[list[int]] = []
    for column in near:
        if groups and column - groups[-1][-1] <= 2:
            groups[-1].append(column)
        else:
            groups.append([column])
    centres = [sum(g) / len(g) for g in groups][-n:]
    if len(centres) != n or n < 2:
        return None
    gap = min(b - a for a, b in zip(centres, centres[1:]))
    # values may stand left, centre or right of their header: every shift within half a column
    # that puts each value close under a column of its own (a quarter of the columns' spacing) is
    # tried; all must agree
    fits = {chosen for shift in range(-int(gap // 2), int(gap // 2) + 1)
            if (chosen := nearest([c + shift for c in centres], columns, max(1, gap / 4))) is not None}
    return fits.pop() if len(fits) == 1 else None
