"""The county roll-up: the townships' tables of one year added cell by cell, as a township-year of
its own, so it is checked by the same rules and printed by the same notebook."""

from __future__ import annotations

from collections import defaultdict

from ..formats import OTHER_KIND
from ..model import Meta, TownshipYear, Value, build_document, sum_values

ROLLUP_KIND = OTHER_KIND
ROLLUP_SUFFIX = "各乡镇汇总"


def rollup_name(county: str) -> str:
    return f"{county}{ROLLUP_SUFFIX}"


def rollup(docs: list[TownshipYear], county: str) -> TownshipYear:
    """The sum of ``docs`` (one year, one format), every value cell; derived cells computed."""
    first = docs[0]
    year, fmt = first.meta.year, first.meta.format
    sums: dict[str, dict[str, list[Value]]] = defaultdict(dict)
    for spec in first.spec.tables:
        numbers = [d.table(spec.key).numbers for d in docs]  # a cell not a number: blank, text
        for row in spec.rows:
            sums[spec.key][row.key] = [sum_values([n.get((row.key, col.key)) for n in numbers])
                                       for col in row.columns]
    names = "、".join(d.meta.township for d in docs)
    meta = Meta(unit=rollup_name(county), township=rollup_name(county), county=county,
                kind=ROLLUP_KIND, year=year, format=fmt,
                sample=any(d.meta.sample for d in docs))
    narrative = {
        "general": f"本汇总报告由{county}{len(docs)}个乡镇（街道）{year}年度政府信息公开工作年度报告的表格数据"
                   f"逐项相加而成：{names}。任一乡镇留空的单元格，汇总后亦为空白。",
        "general.on_request": "auto", "proactive_table": "auto", "requests_table": "auto",
        "review_table": "auto",
        "problems": "各乡镇存在的主要问题及改进措施，见各乡镇报告。",
        "other": "各乡镇信息处理费收取情况及本部分其他事项，见各乡镇报告。",
    }
    return build_document(meta, sums, narrative, path="<rollup>")

