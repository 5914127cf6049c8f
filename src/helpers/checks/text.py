"""The narrative against the tables: figures the text states must be the tables' figures."""

from __future__ import annotations

from typing import Iterator

from ..formats import T4_REVIEW, T4_SUIT, TableSpec
from ..model import sum_values
from .base import Context, Violation, fmt, text_location
from .figures import REVIEW, SUIT, Mention, extract, t2_labels

_NAMES = {REVIEW: T4_REVIEW, SUIT: T4_SUIT}
_NOT_UPHELD = ("corrected", "other", "pending")  # table-四 columns "均获维持" says are 0


def _total(table, row: str):
    """A row's 总计; printed blank with every part filled, the parts' sum — the rule then compares
    the text with what the row does say instead of staying silent."""
    value = table.number(row, "total")
    if value is None:
        parts = table.spec.row(row).column("total").derived_from
        value = sum_values(table.number(row, c) for c in parts)
    return value


def _t4_rows(table4: TableSpec, kinds: str) -> list[str]:
    """The rows of table 四 a mention of 复议 and/or 诉讼 (``review+suit``) speaks of."""
    groups = {REVIEW: None, SUIT: T4_SUIT}
    return [r for kind in kinds.split("+") for r in table4.rows_in(groups[kind])]


def mentions(ctx: Context, kind: str) -> Iterator[tuple[str, Mention]]:
    """(narrative key, mention) for every figure of ``kind`` in the text; extracted once."""
    if "mentions" not in ctx.extra:
        ctx.extra["mentions"] = [(key, m) for key, text in ctx.doc.narrative.items()
                                 for m in extract(text)]
    return ((key, m) for key, m in ctx.extra["mentions"] if m.kind == kind)


def _mismatch(ctx: Context, key: str, m: Mention, what: str, table_value, where: str) -> Violation:
    return Violation(f"正文所述{what} {fmt(m.value)} 与表{where}（{fmt(table_value)}）不一致",
                     text_location(ctx.doc, key, m.sentence, m.offset), fmt(table_value),
                     fmt(m.value))


def n_apps(ctx: Context) -> Iterator[Violation]:
    """"收到/受理/新收申请 N 件" = 一[总计] (or 一+二 where the text includes 上年结转)."""
    t3 = ctx.doc.table("table3")
    new, carried = _total(t3, "new"), _total(t3, "carried_over")
    for key, m in mentions(ctx, "apps"):
        if new is not None and m.value != new:
            yield _mismatch(ctx, key, m, "收到申请数", new, f"三「{t3.spec.row('new').label}」总计")
    for key, m in mentions(ctx, "apps_with_carried"):
        both = sum_values((new, carried))
        if both is not None and m.value != both:
            yield _mismatch(ctx, key, m, "申请数（含上年结转）", both, "三 一+二 总计")


def n_none(ctx: Context) -> Iterator[Violation]:
    """Text says no applications ⇒ 一[总计] = 0; no 复议/诉讼 ⇒ table 四 all 0."""
    t3, t4 = ctx.doc.table("table3"), ctx.doc.table("table4")
    new = t3.number("new", "total")
    for key, m in mentions(ctx, "no_apps"):
        if new:
            yield Violation(f"正文称无政府信息公开申请，但表三本年新收 {fmt(new)} 件",
                            text_location(ctx.doc, key, m.sentence, m.offset), "0", fmt(new))
    for key, m in mentions(ctx, "no_review"):
        cases = sum_values(t4.number(r, "total") for r in _t4_rows(t4.spec, m.detail))
        if cases:
            what = "、".join(_NAMES[k] for k in m.detail.split("+"))
            yield Violation(f"正文称无{what}，但表四相应总计为 {fmt(cases)} 件",
                            text_location(ctx.doc, key, m.sentence, m.offset), "0", fmt(cases))


def n_results(ctx: Context) -> Iterator[Violation]:
    """Counts per result category (予以公开 … 其他处理, 结转) = the category sums in table 三."""
    t3 = ctx.doc.table("table3")
    categories = ctx.doc.spec.categories
    for key, m in mentions(ctx, "result"):
        names = [c for c in categories if c in m.detail]
        rows = [r for c in names for r in categories[c]]
        value = sum_values(_total(t3, r) for r in rows)
        if value is not None and m.value != value:
            yield _mismatch(ctx, key, m, f"“{m.detail}”件数", value, f"三{'、'.join(names)}各行总计")
    carry = _total(t3, "carry_forward")
    for key, m in mentions(ctx, "carry"):
        if carry is not None and m.value != carry:
            yield _mismatch(ctx, key, m, "结转下年度件数", carry,
                            f"三「{t3.spec.row('carry_forward').label}」总计")


def n_review(ctx: Context) -> Iterator[Violation]:
    """"行政复议 N 件" = 复议总计; "行政诉讼 N 件" = both 诉讼 总计; "均获维持" ⇒ nothing else."""
    t4 = ctx.doc.table("table4")
    for kind, label in _NAMES.items():
        value = sum_values(_total(t4, r) for r in _t4_rows(t4.spec, kind))
        for key, m in mentions(ctx, kind):
            if value is not None and m.value != value:
                total = t4.spec.rows[0].column("total").label
                yield _mismatch(ctx, key, m, f"{label}件数", value, f"四{label}{total}")
    for key, m in mentions(ctx, "all_upheld"):
        rows = _t4_rows(t4.spec, m.detail)
        other = sum_values(t4.number(r, c) for r in rows for c in _NOT_UPHELD)
        if other:
            labels = [t4.spec.rows[0].column(c).label for c in _NOT_UPHELD]
            yield Violation(f"正文称“均获维持”，但表四有 {fmt(other)} 件{'、'.join(labels[:-1])}或{labels[-1]}",
                            text_location(ctx.doc, key, m.sentence, m.offset),
                            "、".join(labels) + "均为 0", fmt(other))


def n_t2(ctx: Context) -> Iterator[Violation]:
    """Counts the text gives for 规章/规范性文件/许可/处罚/强制 (and 收费) = table 二."""
    t2 = ctx.doc.table("table2")
    columns = ctx.doc.spec.stated
    for key, m in mentions(ctx, "t2"):
        label, _, stock_column = m.detail.partition("|")
        row = t2_labels()[label]
        if row not in {r.key for r in t2.spec.rows}:
            continue  # a row of another format's table 二
        column = stock_column or columns.get(row)
        if column is None or column not in {c.key for c in t2.spec.row(row).columns}:
            continue  # the text names a figure this format's table 二 has no cell for
        value = t2.number(row, column)
        if value is not None and m.value != value:
            col = t2.spec.row(row).column(column).label
            yield _mismatch(ctx, key, m, f"{label}数量", value, f"二「{label}」{col}")


def n_parts(ctx: Context) -> Iterator[Violation]:
    """"共 N 条，其中 a 条、b 条…" ⇒ the parts add up to no more than N."""
    for key, m in mentions(ctx, "parts"):
        parts = sum(int(x) for x in m.detail.split("+"))
        if parts > m.value:
            yield Violation(f"分项之和（{m.detail} = {parts}）大于总数 {m.value}",
                            text_location(ctx.doc, key, m.sentence, m.offset),
                            f"≤ {m.value}", str(parts))
