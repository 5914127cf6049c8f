"""Across years: this report against last year's report of the same unit."""

from __future__ import annotations

from typing import Iterator

from ..formats import STOCK_IN_FORCE, STOCK_ITEMS
from .base import Context, Violation, cell_location, fmt


def _stock_rule(ctx: Context, rule: str) -> bool:
    """Both years' formats carry their stock by ``rule`` (not across a change of format)."""
    prev = ctx.previous
    return prev is not None and ctx.doc.spec.stock_rule == prev.spec.stock_rule == rule


def x_carry(ctx: Context) -> Iterator[Violation]:
    """This year's row 二 (上年结转) = last year's row 四 (结转下年度), every column."""
    if ctx.previous is None:
        return
    now, before = ctx.doc.table("table3"), ctx.previous.table("table3")
    row = now.spec.row("carried_over")
    for col in row.columns:
        carried, carry = now.number(row.key, col.key), before.number("carry_forward", col.key)
        if carried is None or carry is None or carried == carry:
            continue
        yield Violation(
            f"上年结转（{fmt(carried)}）与 {ctx.previous.meta.year} 年报告的结转下年度继续办理"
            f"（{fmt(carry)}）不一致", cell_location(ctx.doc, now.spec, row, col.label, col.key),
            fmt(carry), fmt(carried))


def x_stock(ctx: Context) -> Iterator[Violation]:
    """Stock formats (2021): 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发(Y) − 本年废止(Y)."""
    if not _stock_rule(ctx, STOCK_IN_FORCE):
        return  # not across a change of format (2020→2021)
    prev = ctx.previous
    now, before = ctx.doc.table("table2"), prev.table("table2")
    for row in now.spec.rows:
        key = row.key
        if STOCK_IN_FORCE not in {c.key for c in row.columns}:
            continue
        label = {c.key: c.label for c in row.columns}
        stock, issued, repealed = (now.number(key, c) for c in ("in_force", "issued", "repealed"))
        last = before.number(key, "in_force")
        if None in (stock, issued, repealed, last) or stock == last + issued - repealed:
            continue
        yield Violation(
            f"{label['in_force']}（{fmt(stock)}）≠ 上年 {fmt(last)} + {label['issued']} {fmt(issued)}"
            f" − {label['repealed']} {fmt(repealed)}",
            cell_location(ctx.doc, now.spec, row, row.column("in_force").label, "in_force"),
            fmt(last + issued - repealed), fmt(stock))


def x_pending(ctx: Context) -> Iterator[Violation]:
    """Last year's 尚未审结 cases should show up this year (concluded or still pending)."""
    if ctx.previous is None:
        return
    now, before = ctx.doc.table("table4"), ctx.previous.table("table4")
    for row in now.spec.rows:
        pending, this_total = before.number(row.key, "pending"), now.number(row.key, "total")
        if not pending or this_total is None or this_total >= pending:
            continue
        yield Violation(
            f"{ctx.previous.meta.year} 年{row.column('pending').label} {fmt(pending)} 件，"
            f"本年{row.column('total').label}仅 {fmt(this_total)} 件："
            "上年未结案件去向不明",
            cell_location(ctx.doc, now.spec, row, row.column("total").label, "total"),
            f"≥ {fmt(pending)}", fmt(this_total))


def x_items(ctx: Context) -> Iterator[Violation]:
    """Item formats (2019): 上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)."""
    if not _stock_rule(ctx, STOCK_ITEMS):
        return
    prev = ctx.previous
    now, before = ctx.doc.table("table2"), prev.table("table2")
    for row in now.spec.rows:
        if STOCK_ITEMS not in {c.key for c in row.columns}:
            continue
        items = now.number(row.key, "prior_items")
        last, change = before.number(row.key, "prior_items"), before.number(row.key, "change")
        if None in (items, last, change) or items == last + change:
            continue
        yield Violation(
            f"{row.column(STOCK_ITEMS).label}（{fmt(items)}）≠ {prev.meta.year} 年的 {fmt(last)}"
            f" + {row.column('change').label} {fmt(change)}",
            cell_location(ctx.doc, now.spec, row, row.column(STOCK_ITEMS).label, STOCK_ITEMS),
            fmt(last + change), fmt(items))
