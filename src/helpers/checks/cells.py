"""CELL-DOMAIN and CELL-BLANK: every value cell holds a number of the right kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from ..formats import AMOUNT, COUNT, SIGNED
from ..model import Invalid
from .base import Context, Violation, cell_location, fmt

_EXPECTED = {COUNT: "不小于 0 的整数（件）", SIGNED: "整数（可为负）", AMOUNT: "不小于 0 的数值"}


def cell_domain(ctx: Context) -> Iterator[Violation]:
    """Counts are whole numbers ≥ 0 (2019 本年增/减 may be < 0); amounts are ≥ 0."""
    doc = ctx.doc
    for table in doc.tables.values():
        if all(type(v) is int and v >= 0 for v in table.cells.values()):
            continue  # the common table: plain counts only
        for row in table.spec.rows:
            for col in row.columns:
                value = table.cells.get((row.key, col.key))
                problem = _domain_problem(value, col.kind)
                if problem:
                    yield Violation(problem, cell_location(doc, table.spec, row, col.label, col.key),
                                    _EXPECTED[col.kind], _quote(value))


def _domain_problem(value, kind: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, Invalid):
        return "此处应填数值，填的是文本（text where a number belongs）"
    if kind != AMOUNT and isinstance(value, Decimal):
        return "件数应为整数，不能有小数（a count must be a whole number）"
    if kind != SIGNED and value < 0:
        return "数值不能为负（must not be negative）"
    return None


def _quote(value) -> str:
    return repr(value.raw) if isinstance(value, Invalid) else fmt(value)


def cell_blank(ctx: Context) -> Iterator[Violation]:
    """A blank cell is not 0: every value cell of tables 二–四 must be filled. One finding a row."""
    doc = ctx.doc
    for table in doc.tables.values():
        if None not in table.cells.values():
            continue
        for row in table.spec.rows:
            blank = [c for c in row.columns if table.given(row.key, c.key)
                     and table.cells[(row.key, c.key)] is None
                     and not doc.unread(f"{table.spec.key}.{row.key}.{c.key}")]
            if not blank:
                continue
            if len(blank) == len(row.columns):
                where, what = None, f"整行 {len(blank)} 格空白（whole row blank）"
            else:
                where, what = "、".join(c.label for c in blank), f"{len(blank)} 格空白"
            yield Violation("空白不等于 0，确为零请填 0（a blank cell is not 0）",
                            cell_location(doc, table.spec, row, where), "每格填写数值", what)
