"""Figure-driven sentences, generated from the tables by Chinese templates.

An analyst writes ``auto`` (or 自动) as the text of a section the kit may write: the sentence is
then made from the same numbers the tables print, so the text can never contradict them (and
the N-* rules, which read these very sentences, agree). Every other section is the analyst's text,
as written; an empty section stays empty.
"""

from __future__ import annotations

from .formats import RESULT_CATEGORIES
from .model import TownshipYear
from .tables import show

AUTO = frozenset({"auto", "自动", "自动生成"})
INCOMPLETE = "【表{table}数据不完整，本段未能自动生成】"


def _n(doc: TownshipYear, table: str, row: str, col: str = "total") -> str | None:
    value = doc.table(table).number(row, col)
    return None if value is None else show(value)[0]


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
    for category, rows in RESULT_CATEGORIES[doc.meta.format].items():
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
        return f"{y}年度，{name}未发生政府信息公开行政复议、行政诉讼案件。"
    suits = totals["suit_direct"] + totals["suit_after"]
    return (f"{y}年度，{name}因政府信息公开被申请行政复议{totals['review']}件，"
            f"被提起行政诉讼{suits}件。")


def proactive(doc: TownshipYear) -> str:
    """二 — the year's documents and decisions, from table 二."""
    t2 = doc.table("table2")
    label = {r.key: r.label for r in t2.spec.rows}
    values = {(r.key, c.key): show(t2.value(r.key, c.key))[0] for r in t2.spec.rows for c in r.columns
              if t2.number(r.key, c.key) is not None}
    if len(values) < sum(len(r.columns) for r in t2.spec.rows):
        return INCOMPLETE.format(table="二")
    decisions = "，".join(f"{label[k]}决定{values[(k, 'decisions')]}件"
                         for k in ("licensing", "penalty", "enforcement"))
    if doc.meta.format == "2021":
        docs = "；".join(
            f"本年制发{label[k]}{values[(k, 'issued')]}件，废止{label[k]}{values[(k, 'repealed')]}件，"
            f"现行有效{label[k]}{values[(k, 'in_force')]}件" for k in ("rules", "normative"))
        return f"{docs}；公开{decisions}；{label['fees']}{values[('fees', 'amount')]}万元。"
    docs = "、".join(f"{label[k]}{values[(k, 'published')]}件" for k in ("rules", "normative"))
    return f"本年主动公开{docs}；公开{decisions}。"


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
