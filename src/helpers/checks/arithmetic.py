"""The 勾稽关系 within one report: tables 三 and 四 add up; townships make no 规章."""

from __future__ import annotations

from typing import Iterator

from ..formats import TOWNSHIP_KINDS, TableSpec
from ..model import Table, is_number, sum_values
from .base import Context, Violation, cell_location, fmt


def t3_balance(ctx: Context) -> Iterator[Violation]:
    """For every column: 一 + 二 = 三（七）总计 + 四 (the note printed on the form)."""
    t3 = ctx.doc.table("table3")
    for col in t3.spec.row("new").columns:
        new, carried, results, carry = (t3.number(r, col.key) for r in
                                        ("new", "carried_over", "results_total", "carry_forward"))
        if None in (new, carried, results, carry) or new + carried == results + carry:
            continue
        yield Violation(
            f"第一项加第二项之和（{fmt(new + carried)}）不等于第三项加第四项之和（{fmt(results + carry)}）",
            cell_location(ctx.doc, t3.spec, t3.spec.row("results_total"), col.label, col.key),
            f"一+二 = {fmt(new)}+{fmt(carried)} = {fmt(new + carried)}",
            f"三（七）+四 = {fmt(results)}+{fmt(carry)} = {fmt(results + carry)}")


def _given_totals(ctx: Context, key: str) -> Iterator[Violation]:
    """A 总计 column that is given must equal the sum of its row's parts."""
    table = ctx.doc.table(key)
    numbers = table.numbers
    for row in table.spec.rows:
        col = row.columns[-1]
        given = table.cells.get((row.key, col.key)) if col.derived else None
        if not is_number(given):
            continue
        parts = sum_values([numbers.get((row.key, c)) for c in col.derived_from])
        if parts is None or given == parts or ctx.doc.decoded(f"{key}.{row.key}"):
            continue  # a decoded row's total holds by construction: it was cut to hold
        labels = "+".join(row.column(c).label for c in col.derived_from)
        yield Violation(f"总计（{fmt(given)}）不等于各项之和（{fmt(parts)}）",
                        cell_location(ctx.doc, table.spec, row, col.label, col.key),
                        f"{labels} = {fmt(parts)}", fmt(given))


def t3_rowtotal(ctx: Context) -> Iterator[Violation]:
    """For every row of table 三: 总计 = 自然人 + the five 法人或其他组织 columns."""
    return _given_totals(ctx, "table3")


def t4_rowtotal(ctx: Context) -> Iterator[Violation]:
    """For 行政复议 and both kinds of 行政诉讼: 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    return _given_totals(ctx, "table4")


def t3_resulttotal(ctx: Context) -> Iterator[Violation]:
    """For every column: （七）总计 = （一）+（二）+ every sub-row of （三）（四）（五）（六）."""
    t3 = ctx.doc.table("table3")
    row = t3.spec.row("results_total")
    if any(ctx.doc.decoded(f"table3.{r}") for r in (row.key, *row.derived_from)):
        return  # rows cut from run-together digits: the sums that chose the cut say nothing
    numbers = t3.numbers
    for col in row.columns:
        given = t3.cells.get((row.key, col.key))
        if not is_number(given):
            continue
        parts = sum_values([numbers.get((r, col.key)) for r in row.derived_from])
        if parts is None or given == parts:
            continue
        yield Violation(f"{row.label}（{fmt(given)}）不等于各项办理结果之和（{fmt(parts)}）",
                        cell_location(ctx.doc, t3.spec, row, col.label, col.key),
                        f"（一）至（六）各行之和 = {fmt(parts)}", fmt(given))


def t2_guichang(ctx: Context) -> Iterator[Violation]:
    """A 乡/镇/街道 cannot make 规章: the 规章 row should be 0."""
    if ctx.doc.meta.kind not in TOWNSHIP_KINDS:
        return
    t2: Table = ctx.doc.table("table2")
    spec: TableSpec = t2.spec
    row = spec.row("rules")
    for col in row.columns:
        value = t2.number(row.key, col.key)
        if value:
            yield Violation(f"{ctx.doc.meta.kind}级单位无权制定规章，规章一行应为 0",
                            cell_location(ctx.doc, spec, row, col.label, col.key), "0", fmt(value))
