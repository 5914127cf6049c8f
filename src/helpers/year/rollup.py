"""The county roll-up: the townships' tables of one year added cell by cell, as a township-year of
its own, so it is checked by the same rules and printed by the same notebook.

It says where its numbers come from. A cell one township left blank is the sum of those that
filled it (one blank does not blank the county), and its origin says how many that is and who did
not; a cell or row where a township's own report breaks a rule names that township, its rule and
what it typed. Both travel as the roll-up's ``source.origins``, so each county finding ends
``← 来自 附城镇 T3-ROWTOTAL：应为 0，实际 40`` wherever findings are shown.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace

from ..checks import Context, run_rules
from ..formats import OTHER_KIND
from ..model import ERROR, ROLLUP_SOURCE_KIND, Meta, Source, TownshipYear, Value, build_document, sum_values

ROLLUP_KIND = OTHER_KIND
ROLLUP_SUFFIX = "各乡镇汇总"
ROLLUP_SOURCE = "各乡镇参数文件"


def rollup_name(county: str) -> str:
    return f"{county}{ROLLUP_SUFFIX}"


def _attributions(docs: list[TownshipYear]) -> dict[str, list[str]]:
    """Field path (row or cell) → each township whose own report has an error there, with the
    rule and what it expected and found."""
    out: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        for finding in run_rules(Context(doc), cross_year=False):
            field = finding.location.field or ""
            if finding.severity == ERROR and field.count(".") >= 1 and field.split(".")[0] in doc.tables:
                told = f"{doc.meta.township} {finding.rule}"
                if finding.expected or finding.found:
                    told += f"：应为 {finding.expected}，实际 {finding.found}"
                out[field].append(told)
    return out


def rollup(docs: list[TownshipYear], county: str) -> TownshipYear:
    """The sum of ``docs`` (one year, one format), every value cell over the townships that filled
    it; derived cells computed; each partial cell and each cell a township's error sits in told in
    ``source.origins``."""
    first = docs[0]
    year, fmt = first.meta.year, first.meta.format
    sums: dict[str, dict[str, list[Value]]] = defaultdict(dict)
    blanks: dict[str, list[str]] = {}
    for spec in first.spec.tables:
        numbers = [(d.meta.township, d.table(spec.key).numbers) for d in docs]  # text, blank: not numbers
        for row in spec.rows:
            values = []
            for col in row.columns:
                given = [n[(row.key, col.key)] for _, n in numbers if n.get((row.key, col.key)) is not None]
                values.append(sum_values(given) if given else None)
                missing = [t for t, n in numbers if n.get((row.key, col.key)) is None]
                if missing and given:
                    blanks[f"{spec.key}.{row.key}.{col.key}"] = missing
            sums[spec.key][row.key] = values
    told = _attributions(docs)
    origins: dict[str, str] = {}
    for spec in first.spec.tables:
        for row in spec.rows:
            row_path = f"{spec.key}.{row.key}"
            for col in row.columns:
                path = f"{row_path}.{col.key}"
                parts = []
                if path in blanks:
                    parts.append(f"{len(docs) - len(blanks[path])}/{len(docs)} 个乡镇之和，"
                                 f"{'、'.join(blanks[path])}未填")
                parts += told.get(path, []) + told.get(row_path, [])
                if parts:
                    origins[path] = "；".join(dict.fromkeys(parts))
            if told.get(row_path):
                origins[row_path] = "；".join(dict.fromkeys(told[row_path]))
    names = "、".join(d.meta.township for d in docs)
    partial = sorted({t for missing in blanks.values() for t in missing})
    meta = Meta(unit=rollup_name(county), township=rollup_name(county), county=county,
                kind=ROLLUP_KIND, year=year, format=fmt,
                sample=any(d.meta.sample for d in docs))
    narrative = {
        "general": f"本汇总报告由{county}{len(docs)}个乡镇（街道）{year}年度政府信息公开工作年度报告的表格数据"
                   f"逐项相加而成：{names}。乡镇留空的单元格不计入汇总，该格为填写了的乡镇之和"
                   + (f"（{'、'.join(partial)}有留空的单元格，校验结果中逐格注明）" if partial else "")
                   + "；汇总表的错误注明来自哪个乡镇。",
        "general.on_request": "auto", "proactive_table": "auto", "requests_table": "auto",
        "review_table": "auto",
        "problems": "各乡镇存在的主要问题及改进措施，见各乡镇报告。",
        "other": "各乡镇信息处理费收取情况及本部分其他事项，见各乡镇报告。",
    }
    # the source's digest: of what was summed, so the same townships' figures give the same file
    digest = hashlib.sha256(repr((names, sorted((k, sorted(v.items())) for k, v in sums.items()))).encode()).hexdigest()
    doc = build_document(meta, sums, narrative, path="<rollup>")
    return replace(doc, source=Source(file=ROLLUP_SOURCE, sha256=digest, kind=ROLLUP_SOURCE_KIND, confidence="高",
                                      origins=origins))
