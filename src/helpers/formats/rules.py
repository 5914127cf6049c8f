"""The consistency rules of format.md §6 and the kit's own findings, as data: id, severity, title,
and whether a finding of it may be answered as a justified exception (已说明) or the kit's mistake
(误报). The ids are what users look up; checks/ holds each rule's function.

Arithmetic and the cells' domain are never explained away: a table that does not add up is wrong
whatever the reason, and a wrong rule there is a bug to fix in the kit, not a waiver in the data.
What a rule reads from words (N-*, M-*), across years (X-*), or from what a unit is allowed to
hold (T2-GUICHANG: a 镇 may hold a 规章 delegated to it) can be justified by the office."""

from __future__ import annotations

from .national import _ITEMS_2019, T3_LEGAL, T4_COLUMNS, TABLE2_2019, TABLE3_2021
from .spec import ERROR, INFO, WARNING

_T3_LEGAL_ROW = f"自然人 + {T3_LEGAL}五列"
EXPLAIN, FIXED = True, False  # may a review clear a finding of the rule (已说明 / 误报)?
RULE_CATALOGUE: tuple[tuple[str, str, str, bool], ...] = (
    # Arithmetic, within one report
    ("T3-BALANCE", ERROR, "第一项加第二项之和，等于第三项加第四项之和", FIXED),
    ("T3-ROWTOTAL", ERROR, f"每行总计 = {_T3_LEGAL_ROW}", FIXED),
    ("T3-RESULTTOTAL", ERROR, f"{TABLE3_2021.row('results_total').label} = （一）至（六）各行之和", FIXED),
    ("T4-ROWTOTAL", ERROR, "总计 = " + " + ".join(c.label for c in T4_COLUMNS[:4]), FIXED),
    ("CELL-DOMAIN", ERROR, "件数为不小于 0 的整数，收费不小于 0", FIXED),
    ("CELL-BLANK", ERROR, "空白单元格不等于 0，每格须填写", FIXED),
    ("T2-GUICHANG", WARNING, "乡镇、街道不制定规章", EXPLAIN),
    # Across years
    ("X-CARRY", ERROR, "上年结转 = 上年报告的结转下年度继续办理", EXPLAIN),
    ("X-STOCK", WARNING, "现行有效 = 上年现行有效 + 本年制发 − 本年废止", EXPLAIN),
    ("X-PENDING", WARNING, f"上年{T4_COLUMNS[3].label}的案件不应无故消失", EXPLAIN),
    ("X-ITEMS", WARNING, "{0} = 上年的{0} + {1}".format(*(c.label for c in _ITEMS_2019[:2])), EXPLAIN),
    ("X-SIMILAR", WARNING, "正文与上年度报告的重复率不超过 50%（考核扣分项）", EXPLAIN),
    ("X-LEDGER", ERROR, "上年台账 12月31日未办结的申请逐一列为本年的上年结转（按编号）", EXPLAIN),
    # Narrative against tables
    ("N-APPS", ERROR, "正文所述收到申请数 = 表三本年新收总计", EXPLAIN),
    ("N-NONE", ERROR, "正文称无申请/无复议诉讼，表中应为 0", EXPLAIN),
    ("N-RESULTS", ERROR, "正文所述各类办理结果 = 表三对应各行之和", EXPLAIN),
    ("N-REVIEW", ERROR, "正文所述复议、诉讼件数及“均获维持” = 表四", EXPLAIN),
    ("N-T2", ERROR, f"正文所述{TABLE2_2019.row('normative').label}、许可、处罚、强制数 = 表二", EXPLAIN),
    ("N-PARTS", WARNING, "“共 N 条，其中……”各分项之和不超过 N", EXPLAIN),
    # Metadata and completeness
    ("M-YEAR", ERROR, "报告年度、统计期限（日期成立、为全年）与正文年份一致", EXPLAIN),
    ("M-FORMAT", ERROR, "2021 年起用〔2021〕30号格式，2019、2020 年用〔2019〕60号格式", EXPLAIN),
    ("M-SECTIONS", ERROR, "六个部分齐全且不空，第五部分写明问题和改进措施", EXPLAIN),
    ("M-OVERSIGHT", WARNING, "人民政府报告工作考核、社会评议和责任追究结果", EXPLAIN),
    ("M-FEE", WARNING, "第六部分说明信息处理费收取情况", EXPLAIN),
    ("M-UNIT", WARNING, "正文所称单位是本单位，不以上级政府的口吻叙述", EXPLAIN),
    ("M-DEADLINE", WARNING, "在公布期限前发布", EXPLAIN),
    ("M-CARRIED", WARNING, "沿用上年的正文不再提及上一年度", EXPLAIN),
    # The request ledger (nianbao import of a 依申请公开台账): tables 三 and 四 counted from it
    ("LEDGER-RECORD", ERROR, "台账每条记录可计数：收到日期存在、类别为下拉所列、答复不早于收到、编号不重复", FIXED),
    ("LEDGER-T3", ERROR, "表三与依申请公开台账的计数一致", EXPLAIN),
    ("LEDGER-T4", ERROR, "表四与台账所列行政复议、行政诉讼案件的计数一致", EXPLAIN),
    # Imported reports (nianbao import): what the published text did not let us read
    ("IMPORT-TRUNCATED", WARNING, "导入的原文截断，部分内容未读到", EXPLAIN),
    ("IMPORT-UNREAD", WARNING, "导入时无法确定地读出的内容", EXPLAIN),
    # Raised by the loader, and over a whole county
    ("CELL-FULLWIDTH", WARNING, "全角数字已按半角读取", FIXED),
    ("INPUT-FULLWIDTH", WARNING, "全角逗号、括号、空格已按半角读取", FIXED),
    ("INPUT-ENCODING", WARNING, "GB18030/GBK 编码的文件已按其读取", FIXED),
    ("COUNTY-MISSING", ERROR, "县级清单要求的乡镇年度缺少参数文件", FIXED),
    ("COUNTY-UNREADABLE", ERROR, "县级清单要求的乡镇年度有参数文件，但无法读取", FIXED),
    ("X-SKIPPED", INFO, "上年参数文件无法读取，跨年度校验未进行", FIXED),
    ("COUNTY-UNEXPECTED", WARNING, "参数文件的乡镇不在县级清单中", FIXED),
    ("COUNTY-DUPLICATE", ERROR, "同一单位同一年度有多个参数文件", FIXED),
    ("COUNTY-NOYEAR", WARNING, "有参数文件的年度在县级清单中没有乡镇列表", FIXED),
    # The office's reviews of the findings (reviews: in the params file)
    ("REVIEW-UNKNOWN", ERROR, "审核记录所答的问题编号不存在（规则或位置不对）", FIXED),
    ("REVIEW-PROTECTED", ERROR, "勾稽关系与单元格取值类问题不能以“已说明”或“误报”结案", FIXED),
    ("REVIEW-STALE", WARNING, "审核记录所答的问题已不再出现，记录可删除", FIXED),
)
EXPLAINABLE = frozenset(id for id, *_, explain in RULE_CATALOGUE if explain)
# What a review may answer: an error or warning of one township-year — not a finding about a
# review (answered by mending the review), not county.yaml's own (a missing or unreadable file)
ANSWERABLE = frozenset(id for id, severity, *_ in RULE_CATALOGUE
                       if severity in (ERROR, WARNING) and not id.startswith("REVIEW-")
                       and id not in ("COUNTY-MISSING", "COUNTY-UNREADABLE"))


