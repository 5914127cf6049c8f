"""Figure-driven sentences, generated from the tables by Chinese templates.

An analyst writes ``auto`` (or 自动) as the text of a section the kit may write: the sentence is
then made from the same numbers the tables print, so the text can never contradict them (and
the N-* rules, which read these very sentences, agree). Every other section is the analyst's text,
as written; an empty section stays empty.
"""

from __future__ import annotations

from ..formats import T4_REVIEW, T4_SUIT
from ..model import TownshipYear, format_number

AUTO_WORD = "auto"  # what the kit writes for a section it generates
AUTO = frozenset({AUTO_WORD, "自动", "自动生成"})
INCOMPLETE = "【表{table}数据不完整，本段未能自动生成】"


def _n(doc: TownshipYear, table: str, row: str, col: str = "total") -> str | None:
    value = doc.table(table).number(row, col)
    return None if value is None else format_number(value)


def on_request(doc: TownshipYear) -> str:
    """一（二）依申请公开 — from table 三."""
    y, name = doc.meta.year, doc.meta.township
    new, carried = _n(doc, "table3", "new"), _n(doc, "table3", "carried_over")
    if new is None or carried is None:
        return INCOMPLETE.format(table="三")
    if new == carried == "0":
        return f"{y}年度，{name}无依申请公开事项。"
    text = f"{y}年，{name}共收到政府信息公开申请{new}件"
    text += f"，另有上年结转申请{carried}件。" if carried != "0" else "。"
    return text + requests(doc)


def requests(doc: TownshipYear) -> str:
    """三 — how the year's applications were handled, category by category."""
    t3 = doc.table("table3")
    parts = []
    for category, rows in doc.spec.categories.items():
        values = [t3.number(r, "total") for r in rows]
        if None in values:
            return INCOMPLETE.format(table="三")
        parts.append(f"{category}{sum(values)}件")
    carry = _n(doc, "table3", "carry_forward")
    if carry is None:
        return INCOMPLETE.format(table="三")
    return f"办理结果：{'，'.join(parts)}；结转下年度继续办理{carry}件。"


def review(doc: TownshipYear) -> str:
    """四 — 行政复议 and 行政诉讼 from table 四."""
    t4 = doc.table("table4")
    y, name = doc.meta.year, doc.meta.township
    totals = {r.key: t4.number(r.key, "total") for r in t4.spec.rows}
    if None in totals.values():
        return INCOMPLETE.format(table="四")
    if not any(totals.values()):
        return f"{y}年度，{name}未发生政府信息公开{T4_REVIEW}、{T4_SUIT}案件。"
    review = sum(totals[r] for r in t4.spec.rows_in(None))
    suits = sum(totals[r] for r in t4.spec.rows_in(T4_SUIT))
    return f"{y}年度，{name}因政府信息公开被申请{T4_REVIEW}{review}件，被提起{T4_SUIT}{suits}件。"


def proactive(doc: TownshipYear) -> str:
    """二 — the year's documents, decisions and fees from table 二: each figure in the words its
    column gives (ColumnSpec.says), one clause a row."""
    t2 = doc.table("table2")
    if any(t2.number(r.key, c.key) is None for r in t2.spec.rows for c in r.columns):
        return INCOMPLETE.format(table="二")
    rows = ["，".join(c.says.format(row=r.label, value=format_number(t2.number(r.key, c.key)))
                     for c in r.columns if c.says) for r in t2.spec.rows]
    return "；".join(filter(None, rows)) + "。"


GENERATORS = {
    "general.on_request": on_request,
    "proactive_table": proactive,
    "requests_table": requests,
    "review_table": review,
}


def resolve(doc: TownshipYear) -> tuple[dict[str, str], frozenset[str]]:
    """The narrative to print, and which of its sections the kit wrote."""
    text = dict(doc.narrative)
    generated = set()
    for key, value in text.items():
        if value.strip() in AUTO:
            generate = GENERATORS.get(key)
            text[key] = generate(doc) if generate else ""
            generated.add(key)
    return text, frozenset(generated)
