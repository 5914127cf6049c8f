"""Across years: this report against last year's report of the same unit."""

from __future__ import annotations

from typing import Iterator

from .base import Context, Violation, cell_location, fmt


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
    """2021 format: 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发(Y) − 本年废止(Y)."""
    prev = ctx.previous
    if prev is None or ctx.doc.meta.format != "2021" or prev.meta.format != "2021":
        return  # not across the 2020→2021 change of format
    now, before = ctx.doc.table("table2"), prev.table("table2")
    for key in ("rules", "normative"):
        row = now.spec.row(key)
        stock, issued, repealed = (now.number(key, c) for c in ("in_force", "issued", "repealed"))
        last = before.number(key, "in_force")
        if None in (stock, issued, repealed, last) or stock == last + issued - repealed:
            continue
        yield Violation(
            f"现行有效件数（{fmt(stock)}）≠ 上年现行有效 {fmt(last)} + 本年制发 {fmt(issued)}"
            f" − 本年废止 {fmt(repealed)}",
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
            f"{ctx.previous.meta.year} 年尚未审结 {fmt(pending)} 件，本年总计仅 {fmt(this_total)} 件："
            "上年未结案件去向不明", cell_location(ctx.doc, now.spec, row, "总计", "total"),
            f"≥ {fmt(pending)}", fmt(this_total))


def x_items(ctx: Context) -> Iterator[Violation]:
    """2019 format: 上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)."""
    prev = ctx.previous
    if prev is None or ctx.doc.meta.format != "2019" or prev.meta.format != "2019":
        return
    now, before = ctx.doc.table("table2"), prev.table("table2")
    for row in now.spec.rows:
        if "prior_items" not in {c.key for c in row.columns}:
            continue
        items = now.number(row.key, "prior_items")
        last, change = before.number(row.key, "prior_items"), before.number(row.key, "change")
        if None in (items, last, change) or items == last + change:
            continue
        yield Violation(
            f"上一年项目数量（{fmt(items)}）≠ {prev.meta.year} 年的上一年项目数量 {fmt(last)}"
            f" + 本年增/减 {fmt(change)}",
            cell_location(ctx.doc, now.spec, row, "上一年项目数量", "prior_items"),
            fmt(last + change), fmt(items))
