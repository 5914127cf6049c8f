"""The two national formats as data: 国办公开办函〔2021〕30号 (reports on 2021 and later) and
国办公开办函〔2019〕60号 (reports on 2019 and 2020) — every official label of the kit lives here.

Wording not yet checked against the original document carries ``unverified=True`` rather than a
comment, so it can be listed and corrected in one place. Rows and columns have stable English
keys (used in params files and code); labels are what the printed form says. A table is a tuple of
rows, each with its own columns: table 二 has blocks with different columns, table 三 shares seven
columns, table 四 is three groups of five columns.
"""

from __future__ import annotations

import re

from .spec import (AMOUNT, FORMATS, SIGNED, STOCK_IN_FORCE, STOCK_ITEMS, ColumnSpec, FormatSpec,
                   RowSpec, SectionSpec, TableSpec, register)

# ---------------------------------------------------------------------------------------------
# Table 二 — 主动公开政府信息情况
ART20_1 = "第二十条第（一）项"
ART20_5 = "第二十条第（五）项"
ART20_6 = "第二十条第（六）项"
ART20_8 = "第二十条第（八）项"
ART20_9 = "第二十条第（九）项"
T2_TITLE = "主动公开政府信息情况"
T2_ITEM_HEADER = "信息内容"

# What generated text says of a table-二 figure (ColumnSpec.says): kit wording, in the sentences
# the N-T2 rule reads back (a publishing verb, the official row label, the figure).
_ISSUED, _REPEALED, _IN_FORCE = "本年制发{row}{value}件", "废止{row}{value}件", "现行有效{row}{value}件"
_DECIDED, _PUBLISHED, _COLLECTED = "公开{row}决定{value}件", "本年主动公开{row}{value}件", "{row}{value}万元"
_DECISIONS_2021 = (ColumnSpec("decisions", "本年处理决定数量", says=_DECIDED),)
_DOCUMENTS_2021 = (
    ColumnSpec("issued", "本年制发件数", says=_ISSUED),
    ColumnSpec("repealed", "本年废止件数", says=_REPEALED),
    ColumnSpec("in_force", "现行有效件数", says=_IN_FORCE),
)
TABLE2_2021 = TableSpec(
    "table2", "二", T2_TITLE, header=T2_ITEM_HEADER,
    rows=(
        RowSpec("rules", "规章", group=ART20_1, columns=_DOCUMENTS_2021),
        RowSpec("normative", "行政规范性文件", group=ART20_1, columns=_DOCUMENTS_2021,
                printed_as=("规范性文件",)),  # as many 2021-format copies still print it
        RowSpec("licensing", "行政许可", group=ART20_5, columns=_DECISIONS_2021),
        RowSpec("penalty", "行政处罚", group=ART20_6, columns=_DECISIONS_2021),
        RowSpec("enforcement", "行政强制", group=ART20_6, columns=_DECISIONS_2021),
        RowSpec("fees", "行政事业性收费", group=ART20_8, columns=(
            ColumnSpec("amount", "本年收费金额（单位：万元）", kind=AMOUNT, says=_COLLECTED),)),
    ),
)

_PUBLISHED_2019 = (
    ColumnSpec("made", "本年新制作数量"),
    ColumnSpec("published", "本年新公开数量", says=_PUBLISHED),
    ColumnSpec("public_total", "对外公开总数量"),
)
_ITEMS_2019 = (
    ColumnSpec("prior_items", "上一年项目数量"),
    ColumnSpec("change", "本年增/减", kind=SIGNED),
    ColumnSpec("decisions", "处理决定数量", says=_DECIDED),
)
TABLE2_2019 = TableSpec(
    "table2", "二", T2_TITLE, header=T2_ITEM_HEADER,
    rows=(
        RowSpec("rules", "规章", group=ART20_1, columns=_PUBLISHED_2019),
        RowSpec("normative", "规范性文件", group=ART20_1, columns=_PUBLISHED_2019),
        RowSpec("licensing", "行政许可", group=ART20_5, columns=_ITEMS_2019),
        RowSpec("other_services", "其他对外管理服务事项", group=ART20_5, columns=_ITEMS_2019),
        RowSpec("penalty", "行政处罚", group=ART20_6, columns=_ITEMS_2019),
        RowSpec("enforcement", "行政强制", group=ART20_6, columns=_ITEMS_2019),
        RowSpec("fees", "行政事业性收费", group=ART20_8, columns=_ITEMS_2019[:2]),
        RowSpec("procurement", "政府集中采购", group=ART20_9, columns=(
            ColumnSpec("count", "采购项目数量"),
            ColumnSpec("amount", "采购总金额", kind=AMOUNT))),
    ),
)

# ---------------------------------------------------------------------------------------------
# Table 三 — 收到和处理政府信息公开申请情况
T3_TITLE = "收到和处理政府信息公开申请情况"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT_HEADER = "申请人情况"
T3_LEGAL = "法人或其他组织"
T3_RESULTS = "三、本年度办理结果"

_T3_PARTS = ("natural_person", "business", "research", "nonprofit", "legal_services", "other_org")
T3_COLUMNS = (
    ColumnSpec("natural_person", "自然人"),
    ColumnSpec("business", "商业企业", group=T3_LEGAL),
    ColumnSpec("research", "科研机构", group=T3_LEGAL),
    ColumnSpec("nonprofit", "社会公益组织", group=T3_LEGAL),
    ColumnSpec("legal_services", "法律服务机构", group=T3_LEGAL),
    ColumnSpec("other_org", "其他", group=T3_LEGAL),
    ColumnSpec("total", "总计", derived_from=_T3_PARTS),
)

WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_HANDLED = "（五）不予处理"
OTHER_HANDLING = "（六）其他处理"


def _t3(key: str, label: str, group: str | None = None) -> RowSpec:
    return RowSpec(key, label, T3_COLUMNS, group=group)


_T3_HEAD = (
    _t3("new", "一、本年新收政府信息公开申请数量"),
    _t3("carried_over", "二、上年结转政府信息公开申请数量"),
    _t3("granted", "（一）予以公开", T3_RESULTS),
    _t3("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", T3_RESULTS),
    _t3("withheld_secret", "1.属于国家秘密", WITHHELD),
    _t3("withheld_law", "2.其他法律行政法规禁止公开", WITHHELD),
    _t3("withheld_safety", "3.危及“三安全一稳定”", WITHHELD),
    _t3("withheld_third_party", "4.保护第三方合法权益", WITHHELD),
    _t3("withheld_internal", "5.属于三类内部事务信息", WITHHELD),
    _t3("withheld_process", "6.属于四类过程性信息", WITHHELD),
    _t3("withheld_enforcement", "7.属于行政执法案卷", WITHHELD),
    _t3("withheld_query", "8.属于行政查询事项", WITHHELD),
    _t3("unavailable_none", "1.本机关不掌握相关政府信息", UNAVAILABLE),
    _t3("unavailable_create", "2.没有现成信息需要另行制作", UNAVAILABLE),
    _t3("unavailable_unclear", "3.补正后申请内容仍不明确", UNAVAILABLE),
    _t3("not_handled_petition", "1.信访举报投诉类申请", NOT_HANDLED),
    _t3("not_handled_repeat", "2.重复申请", NOT_HANDLED),
    _t3("not_handled_publication", "3.要求提供公开出版物", NOT_HANDLED),
    _t3("not_handled_mass", "4.无正当理由大量反复申请", NOT_HANDLED),
    _t3("not_handled_confirm", "5.要求行政机关确认或重新出具已获取信息", NOT_HANDLED),
)
_T3_OTHER_2021 = (
    _t3("other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", OTHER_HANDLING),
    _t3("other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", OTHER_HANDLING),
    _t3("other_misc", "3.其他", OTHER_HANDLING),
)
_T3_OTHER_2019 = (_t3("other", OTHER_HANDLING, T3_RESULTS),)


def _table3(other_rows: tuple[RowSpec, ...]) -> TableSpec:
    results = _T3_HEAD[2:] + other_rows
    total = RowSpec("results_total", "（七）总计", T3_COLUMNS, group=T3_RESULTS,
                    derived_from=tuple(r.key for r in results))
    carry = _t3("carry_forward", "四、结转下年度继续办理")
    parents = tuple((g, T3_RESULTS) for g in (WITHHELD, UNAVAILABLE, NOT_HANDLED, OTHER_HANDLING))
    return TableSpec("table3", "三", T3_TITLE, _T3_HEAD[:2] + results + (total, carry), note=T3_NOTE,
                     group_parents=parents, header=T3_APPLICANT_HEADER)


TABLE3_2021 = _table3(_T3_OTHER_2021)
TABLE3_2019 = _table3(_T3_OTHER_2019)

# Result categories as the narrative names them (N-RESULTS): category → its rows in table 三.
def result_categories(table3: TableSpec) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The handling results as the narrative names them (予以公开 … 其他处理), each with its rows:
    a row printed directly under 三、本年度办理结果, or every row of a group under it (2019 prints
    （六）其他处理 as one row, 2021 as three)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in table3.rows:
        if row.derived or not row.group:
            continue
        printed = row.label if row.group == T3_RESULTS else row.group
        name = re.sub(r"^（.）|（.*）$", "", printed)
        out[name] = out.get(name, ()) + (row.key,)
    return tuple(out.items())


# ---------------------------------------------------------------------------------------------
# Table 四 — 政府信息公开行政复议、行政诉讼情况
T4_TITLE = "政府信息公开行政复议、行政诉讼情况"
T4_REVIEW = "行政复议"
T4_SUIT = "行政诉讼"
_T4_PARTS = ("upheld", "corrected", "other", "pending")
T4_COLUMNS = (
    ColumnSpec("upheld", "结果维持"),
    ColumnSpec("corrected", "结果纠正"),
    ColumnSpec("other", "其他结果"),
    ColumnSpec("pending", "尚未审结"),
    ColumnSpec("total", "总计", derived_from=_T4_PARTS),
)
TABLE4 = TableSpec(
    "table4", "四", T4_TITLE,
    rows=(
        RowSpec("review", T4_REVIEW, T4_COLUMNS),
        RowSpec("suit_direct", "未经复议直接起诉", T4_COLUMNS, group=T4_SUIT),
        RowSpec("suit_after", "复议后起诉", T4_COLUMNS, group=T4_SUIT),
    ),
)

# ---------------------------------------------------------------------------------------------
# Sections 一 … 六 (both formats)
_GENERAL_SUBSECTIONS = (
    SectionSpec("proactive", "（一）", "主动公开", unverified=True, words="主动公开"),
    SectionSpec("on_request", "（二）", "依申请公开", unverified=True, words="依申请"),
    SectionSpec("management", "（三）", "政府信息管理", unverified=True, words="信息管理|管理"),
    SectionSpec("platforms", "（四）", "政府信息公开平台建设", unverified=True, words="平台"),
    SectionSpec("oversight", "（五）", "监督保障", unverified=True, words="监督|保障|考核"),
)
SECTIONS = (
    SectionSpec("general", "一", "总体情况", subsections=_GENERAL_SUBSECTIONS,
                words="总体|基本情况|概况|概述"),
    SectionSpec("proactive_table", "二", "主动公开政府信息情况", table="table2", words="主动公开"),
    SectionSpec("requests_table", "三", "收到和处理政府信息公开申请情况", table="table3", words="申请"),
    SectionSpec("review_table", "四", "政府信息公开行政复议、行政诉讼情况", table="table4",
                words="复议|诉讼"),
    SectionSpec("problems", "五", "存在的主要问题及改进情况", words="问题|改进"),
    SectionSpec("other", "六", "其他需要报告的事项", words="其他|事项"),
)
# What 六 should cover under the 2021 format (unverified wording; see format.md §2).
OTHER_MATTERS_2021 = (
    "收取信息处理费的情况",
    "落实上级年度政务公开工作要点情况",
    "人大代表建议和政协提案办理结果公开情况",
    "政务公开工作创新情况",
)

# ---------------------------------------------------------------------------------------------
FORMAT_2021 = FormatSpec(
    "2021", "国办公开办函〔2021〕30号", (2021, None),
    (TABLE2_2021, TABLE3_2021, TABLE4), SECTIONS,
    result_categories=result_categories(TABLE3_2021),
    t2_stated=(("rules", "issued"), ("normative", "issued"), ("licensing", "decisions"),
               ("penalty", "decisions"), ("enforcement", "decisions"), ("fees", "amount")),
    stock_rule=STOCK_IN_FORCE, fee_in_other=True)
FORMAT_2019 = FormatSpec(
    "2019", "国办公开办函〔2019〕60号", (2019, 2020),
    (TABLE2_2019, TABLE3_2019, TABLE4), SECTIONS,
    result_categories=result_categories(TABLE3_2019),
    t2_stated=(("rules", "published"), ("normative", "published"), ("licensing", "decisions"),
               ("penalty", "decisions"), ("enforcement", "decisions")),
    stock_rule=STOCK_ITEMS, fee_in_other=False)

register(FORMAT_2021)
register(FORMAT_2019)

TITLE_TEMPLATE = "{unit}{year}年政府信息公开工作年度报告"
# The usual preface: the basis in the 条例 and the format, and the 统计期限. Kit wording.
PREFACE_TEMPLATE = ("本报告根据{regulation}（以下简称《条例》）和{document}的要求编制，"
                    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                    "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
                    "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
REGULATION = "《中华人民共和国政府信息公开条例》"
# 条例第四十九条: publication deadlines (MM-DD of the following year). Townships' are set
# locally, typically 1月31日; a county file may say otherwise.
DEFAULT_DEADLINE = "01-31"
COUNTY_GOVERNMENT_DEADLINE = "03-31"  # 县级以上地方人民政府
OTHER_KIND = "其他"  # a unit that is none of the kinds before it (a county's roll-up)
UNIT_KINDS = ("乡", "镇", "街道", "部门", "县级人民政府", OTHER_KIND)
# Township-level kinds are 人民政府 (or their 街道办事处) and cannot make 规章 (T2-GUICHANG).
TOWNSHIP_KINDS = ("乡", "镇", "街道")
GOVERNMENT_KINDS = ("乡", "镇", "街道", "县级人民政府")


def all_labels() -> frozenset[str]:
    """Every official text of every registered format, the report's fixed wording included."""
    texts = {t for spec in FORMATS.values() for t in spec.labels}
    return frozenset(texts | {REGULATION, *OTHER_MATTERS_2021})


def unverified_labels() -> list[str]:
    """Every label whose wording was not checked against the source document."""
    found: list[str] = []
    for spec in FORMATS.values():
        for sec in spec.sections:
            found += [f"{spec.key}: {s.title}" for s in (sec, *sec.subsections) if s.unverified]
        for table in spec.tables:
            for row in table.rows:
                if row.unverified:
                    found.append(f"{spec.key}: {table.number} {row.label}")
                found += [f"{spec.key}: {table.number} {row.label}/{c.label}"
                          for c in row.columns if c.unverified]
    return sorted(set(found))


