"""The consistency rules of format.md §6, as one list a reviewer can hold against the form.

Each rule is an id (the one users look up), a severity, a Chinese title, and a function that
yields violations; the engine turns violations into findings. Findings are returned, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import ERROR, WARNING, Finding
from . import arithmetic, cells, imported, meta, text, years
from .base import Context, RuleFunc


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    check: RuleFunc
    needs_previous: bool = False


RULES: tuple[Rule, ...] = (
    # Arithmetic, within one report
    Rule("T3-BALANCE", ERROR, "第一项加第二项之和，等于第三项加第四项之和", arithmetic.t3_balance),
    Rule("T3-ROWTOTAL", ERROR, "每行总计 = 自然人 + 法人或其他组织五列", arithmetic.t3_rowtotal),
    Rule("T3-RESULTTOTAL", ERROR, "（七）总计 = （一）至（六）各行之和", arithmetic.t3_resulttotal),
    Rule("T4-ROWTOTAL", ERROR, "总计 = 维持 + 纠正 + 其他 + 尚未审结", arithmetic.t4_rowtotal),
    Rule("CELL-DOMAIN", ERROR, "件数为不小于 0 的整数，收费不小于 0", cells.cell_domain),
    Rule("CELL-BLANK", ERROR, "空白单元格不等于 0，每格须填写", cells.cell_blank),
    Rule("T2-GUICHANG", WARNING, "乡镇、街道不制定规章", arithmetic.t2_guichang),
    # Across years
    Rule("X-CARRY", ERROR, "上年结转 = 上年报告的结转下年度继续办理", years.x_carry, True),
    Rule("X-STOCK", WARNING, "现行有效 = 上年现行有效 + 本年制发 − 本年废止", years.x_stock, True),
    Rule("X-PENDING", WARNING, "上年尚未审结的案件不应无故消失", years.x_pending, True),
    Rule("X-ITEMS", WARNING, "上一年项目数量 = 上年的上一年项目数量 + 本年增/减", years.x_items, True),
    # Narrative against tables
    Rule("N-APPS", ERROR, "正文所述收到申请数 = 表三本年新收总计", text.n_apps),
    Rule("N-NONE", ERROR, "正文称无申请/无复议诉讼，表中应为 0", text.n_none),
    Rule("N-RESULTS", ERROR, "正文所述各类办理结果 = 表三对应各行之和", text.n_results),
    Rule("N-REVIEW", ERROR, "正文所述复议、诉讼件数及“均获维持” = 表四", text.n_review),
    Rule("N-T2", ERROR, "正文所述规范性文件、许可、处罚、强制数 = 表二", text.n_t2),
    Rule("N-PARTS", WARNING, "“共 N 条，其中……”各分项之和不超过 N", text.n_parts),
    # Metadata and completeness
    Rule("M-YEAR", ERROR, "报告年度、统计期限与正文年份一致", meta.m_year),
    Rule("M-FORMAT", ERROR, "2021 年起用〔2021〕30号格式，2019、2020 年用〔2019〕60号格式", meta.m_format),
    Rule("M-SECTIONS", ERROR, "六个部分齐全且不空，第五部分写明问题和改进措施", meta.m_sections),
    Rule("M-OVERSIGHT", WARNING, "人民政府报告工作考核、社会评议和责任追究结果", meta.m_oversight),
    Rule("M-FEE", WARNING, "第六部分说明信息处理费收取情况", meta.m_fee),
    Rule("M-UNIT", WARNING, "正文所称单位是本单位", meta.m_unit),
    Rule("M-DEADLINE", WARNING, "在公布期限前发布", meta.m_deadline),
    # Imported reports (nianbao import): what the published text did not let us read
    Rule("IMPORT-TRUNCATED", WARNING, "导入的原文截断，部分内容未读到", imported.import_truncated),
    Rule("IMPORT-UNREAD", WARNING, "导入时无法确定地读出的内容", imported.import_unread),
)
RULES_BY_ID = {r.id: r for r in RULES}

# Findings raised outside the rules above: by the loader, and over a whole county.
KIT_RULES: dict[str, tuple[str, str]] = {
    "CELL-FULLWIDTH": (WARNING, "全角数字已按半角读取"),
    "COUNTY-MISSING": (ERROR, "县级清单要求的乡镇年度缺少参数文件"),
    "COUNTY-UNEXPECTED": (WARNING, "参数文件的乡镇不在县级清单中"),
    "COUNTY-DUPLICATE": (ERROR, "同一单位同一年度有多个参数文件"),
}


def run_rules(ctx: Context, cross_year: bool | None = None) -> list[Finding]:
    """The rules on one township-year, in the order of RULES; the loader's warnings come first.

    ``cross_year`` picks the X-* rules only (True) or all the others (False); None runs both.
    """
    found = list(ctx.doc.load_findings) if cross_year is not True else []
    for rule in RULES:
        if cross_year is not None and rule.needs_previous != cross_year:
            continue
        if rule.needs_previous and ctx.previous is None:
            continue
        found += [Finding(rule.id, rule.severity, v.message, v.location, v.expected, v.found)
                  for v in rule.check(ctx)]
    return found


__all__ = ["Context", "KIT_RULES", "RULES", "RULES_BY_ID", "Rule", "run_rules"]
