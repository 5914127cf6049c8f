"""The narrative against the tables: figures the text states must be the tables' figures."""

from __future__ import annotations

from typing import Iterator

from ..figures import T2_LABELS, Mention, extract
from ..formats import RESULT_CATEGORIES
from ..model import sum_values
from .base import Context, Violation, fmt, text_location

# Table-二 row named in the text → the column its figure is compared with, per format.
_T2_COLUMN = {
    "2021": {"rules": "issued", "normative": "issued", "licensing": "decisions",
             "penalty": "decisions", "enforcement": "decisions", "fees": "amount"},
    "2019": {"rules": "published", "normative": "published", "licensing": "decisions",
             "penalty": "decisions", "enforcement": "decisions"},
}
_T4_ROWS = {"review": ("review",), "suit": ("suit_direct", "suit_after")}


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
    new, carried = t3.number("new", "total"), t3.number("carried_over", "total")
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
        rows = [r for kind in m.detail.split("+") for r in _T4_ROWS[kind]]
        cases = sum_values(t4.number(r, "total") for r in rows)
        if cases:
            what = "、".join({"review": "行政复议", "suit": "行政诉讼"}[k] for k in m.detail.split("+"))
            yield Violation(f"正文称无{what}，但表四相应总计为 {fmt(cases)} 件",
                            text_location(ctx.doc, key, m.sentence, m.offset), "0", fmt(cases))


def n_results(ctx: Context) -> Iterator[Violation]:
    """Counts per result category (予以公开 … 其他处理, 结转) = the category sums in table 三."""
    t3 = ctx.doc.table("table3")
    categories = RESULT_CATEGORIES[ctx.doc.meta.format]
    for key, m in mentions(ctx, "result"):
        names = [c for c in categories if c in m.detail]
        rows = [r for c in names for r in categories[c]]
        value = sum_values(t3.number(r, "total") for r in rows)
        if value is not None and m.value != value:
            yield _mismatch(ctx, key, m, f"“{m.detail}”件数", value, f"三{'、'.join(names)}各行总计")
    carry = t3.number("carry_forward", "total")
    for key, m in mentions(ctx, "carry"):
        if carry is not None and m.value != carry:
            yield _mismatch(ctx, key, m, "结转下年度件数", carry,
                            f"三「{t3.spec.row('carry_forward').label}」总计")


def n_review(ctx: Context) -> Iterator[Violation]:
    """"行政复议 N 件" = 复议总计; "行政诉讼 N 件" = both 诉讼 总计; "均获维持" ⇒ nothing else."""
    t4 = ctx.doc.table("table4")
    for kind, label in (("review", "行政复议"), ("suit", "行政诉讼")):
        value = sum_values(t4.number(r, "total") for r in _T4_ROWS[kind])
        for key, m in mentions(ctx, kind):
            if value is not None and m.value != value:
                yield _mismatch(ctx, key, m, f"{label}件数", value, f"四{label}总计")
    for key, m in mentions(ctx, "all_upheld"):
        rows = [r for kind in m.detail.split("+") for r in _T4_ROWS[kind]]
        other = sum_values(t4.number(r, c) for r in rows for c in ("corrected", "other", "pending"))
        if other:
            yield Violation(f"正文称“均获维持”，但表四有 {fmt(other)} 件结果纠正、其他结果或尚未审结",
                            text_location(ctx.doc, key, m.sentence, m.offset),
                            "纠正、其他、尚未审结均为 0", fmt(other))


def n_t2(ctx: Context) -> Iterator[Violation]:
    """Counts the text gives for 规章/规范性文件/许可/处罚/强制 (and 收费) = table 二."""
    t2 = ctx.doc.table("table2")
    columns = _T2_COLUMN[ctx.doc.meta.format]
    for key, m in mentions(ctx, "t2"):
        label, _, stock_column = m.detail.partition("|")
        row = T2_LABELS[label]
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
