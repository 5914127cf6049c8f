"""The consistency rules of format.md §6 and the kit's own findings, as data: id, severity, title.
The ids are what users look up; checks/ holds each rule's function."""

from __future__ import annotations

from .national import _ITEMS_2019, T3_LEGAL, T4_COLUMNS, TABLE2_2019, TABLE3_2021
from .spec import ERROR, INFO, WARNING

_T3_LEGAL_ROW = f"自然人 + {T3_LEGAL}五列"
RULE_CATALOGUE: tuple[tuple[str, str, str], ...] = (
    # Arithmetic, within one report
    ("T3-BALANCE", ERROR, "第一项加第二项之和，等于第三项加第四项之和"),
    ("T3-ROWTOTAL", ERROR, f"每行总计 = {_T3_LEGAL_ROW}"),
    ("T3-RESULTTOTAL", ERROR, f"{TABLE3_2021.row('results_total').label} = （一）至（六）各行之和"),
    ("T4-ROWTOTAL", ERROR, "总计 = " + " + ".join(c.label for c in T4_COLUMNS[:4])),
    ("CELL-DOMAIN", ERROR, "件数为不小于 0 的整数，收费不小于 0"),
    ("CELL-BLANK", ERROR, "空白单元格不等于 0，每格须填写"),
    ("T2-GUICHANG", WARNING, "乡镇、街道不制定规章"),
    # Across years
    ("X-CARRY", ERROR, "上年结转 = 上年报告的结转下年度继续办理"),
    ("X-STOCK", WARNING, "现行有效 = 上年现行有效 + 本年制发 − 本年废止"),
    ("X-PENDING", WARNING, f"上年{T4_COLUMNS[3].label}的案件不应无故消失"),
    ("X-ITEMS", WARNING, "{0} = 上年的{0} + {1}".format(*(c.label for c in _ITEMS_2019[:2]))),
    ("X-SIMILAR", WARNING, "正文与上年度报告的重复率不超过 50%（考核扣分项）"),
    # Narrative against tables
    ("N-APPS", ERROR, "正文所述收到申请数 = 表三本年新收总计"),
    ("N-NONE", ERROR, "正文称无申请/无复议诉讼，表中应为 0"),
    ("N-RESULTS", ERROR, "正文所述各类办理结果 = 表三对应各行之和"),
    ("N-REVIEW", ERROR, "正文所述复议、诉讼件数及“均获维持” = 表四"),
    ("N-T2", ERROR, f"正文所述{TABLE2_2019.row('normative').label}、许可、处罚、强制数 = 表二"),
    ("N-PARTS", WARNING, "“共 N 条，其中……”各分项之和不超过 N"),
    # Metadata and completeness
    ("M-YEAR", ERROR, "报告年度、统计期限（日期成立、为全年）与正文年份一致"),
    ("M-FORMAT", ERROR, "2021 年起用〔2021〕30号格式，2019、2020 年用〔2019〕60号格式"),
    ("M-SECTIONS", ERROR, "六个部分齐全且不空，第五部分写明问题和改进措施"),
    ("M-OVERSIGHT", WARNING, "人民政府报告工作考核、社会评议和责任追究结果"),
    ("M-FEE", WARNING, "第六部分说明信息处理费收取情况"),
    ("M-UNIT", WARNING, "正文所称单位是本单位，不以上级政府的口吻叙述"),
    ("M-DEADLINE", WARNING, "在公布期限前发布"),
    ("M-CARRIED", WARNING, "沿用上年的正文不再提及上一年度"),
    # Imported reports (nianbao import): what the published text did not let us read
    ("IMPORT-TRUNCATED", WARNING, "导入的原文截断，部分内容未读到"),
    ("IMPORT-UNREAD", WARNING, "导入时无法确定地读出的内容"),
    # Raised by the loader, and over a whole county
    ("CELL-FULLWIDTH", WARNING, "全角数字已按半角读取"),
    ("INPUT-FULLWIDTH", WARNING, "全角逗号、括号、空格已按半角读取"),
    ("INPUT-ENCODING", WARNING, "GB18030/GBK 编码的文件已按其读取"),
    ("COUNTY-MISSING", ERROR, "县级清单要求的乡镇年度缺少参数文件"),
    ("COUNTY-UNREADABLE", ERROR, "县级清单要求的乡镇年度有参数文件，但无法读取"),
    ("X-SKIPPED", INFO, "上年参数文件无法读取，跨年度校验未进行"),
    ("COUNTY-UNEXPECTED", WARNING, "参数文件的乡镇不在县级清单中"),
    ("COUNTY-DUPLICATE", ERROR, "同一单位同一年度有多个参数文件"),
    ("COUNTY-NOYEAR", WARNING, "有参数文件的年度在县级清单中没有乡镇列表"),
)


