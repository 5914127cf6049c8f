"""The national report formats as data: every official label lives here and nowhere else.

Sources: 国办公开办函〔2021〕30号 (reports on 2021 and later) and 国办公开办函〔2019〕60号 (reports on
2019 and 2020). Wording not yet checked against the original document carries ``unverified=True``
rather than a comment, so it can be listed and corrected in one place.

Rows and columns have stable English keys (used in params files and code); labels are what the
printed form says. A table is a tuple of rows, each with its own columns: table 二 has blocks with
different columns, table 三 shares seven columns, table 四 is three groups of five columns.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from functools import cached_property

from .errors import FormatError

ERROR, WARNING = "error", "warning"  # the severities of findings
COUNT = "count"  # whole number ≥ 0 (件)
SIGNED = "signed"  # whole number, may be negative (2019 本年增/减)
AMOUNT = "amount"  # decimal ≥ 0 (万元 or 元)


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    kind: str = COUNT
    group: str | None = None  # header over several columns (e.g. 法人或其他组织)
    derived_from: tuple[str, ...] = ()  # a 总计 column: the sum of these columns
    unverified: bool = False
    # How generated text states a figure of this column ({row}: the row label, {value}); None:
    # the kit's text does not state it. Kit wording, read back by figures.py.
    says: str | None = None

    @property
    def derived(self) -> bool:
        return bool(self.derived_from)


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    columns: tuple[ColumnSpec, ...]
    group: str | None = None  # printed row group (（三）不予公开) or table-二 block (第二十条第（一）项)
    derived_from: tuple[str, ...] = ()  # the （七）总计 row: the sum of these rows
    unverified: bool = False

    @property
    def derived(self) -> bool:
        return bool(self.derived_from)

    def column(self, key: str) -> ColumnSpec:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


def _table_in(fmt: str, key: str) -> "TableSpec":
    return get_format(fmt).table(key)


@dataclass(frozen=True)
class TableSpec:
    key: str  # params key: table2 / table3 / table4
    number: str  # 二 / 三 / 四
    title: str
    rows: tuple[RowSpec, ...]
    note: str | None = None  # text printed in the table's corner (table 三's 勾稽 note)
    group_parents: tuple[tuple[str, str], ...] = ()  # (group, the group it sits in)
    header: str | None = None  # the header over the row labels or the columns (信息内容, 申请人情况)

    def __reduce__(self):
        """Pickled as (format, table) when registered: a report crossing a process boundary
        points at the one spec object (and costs a few bytes); by value otherwise."""
        for spec in FORMATS.values():
            if any(t is self for t in spec.tables):
                return (_table_in, (spec.key, self.key))
        return super().__reduce__()

    def rows_in(self, group: str | None) -> tuple[str, ...]:
        """The keys of the rows printed in ``group`` (None: rows outside any group)."""
        return tuple(r.key for r in self.rows if r.group == group)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every text this table prints: title, header, note, groups, rows and columns."""
        out = [self.title, self.header or "", self.note or ""]
        out += [g for pair in self.group_parents for g in pair]
        for row in self.rows:
            out += [row.label, row.group or ""]
            out += [t for c in row.columns for t in (c.label, c.group or "")]
        return tuple(t for t in dict.fromkeys(out) if t)

    def groups_of(self, row: RowSpec) -> tuple[str, ...]:
        """The printed groups a row sits in, outermost first (（三）不予公开 sits in 三、本年度办理结果)."""
        parents = dict(self.group_parents)
        chain: list[str] = []
        group = row.group
        while group:
            chain.insert(0, group)
            group = parents.get(group)
        return tuple(chain)

    def row(self, key: str) -> RowSpec:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def value_cells(self) -> int:
        return sum(len(r.columns) for r in self.rows)


@dataclass(frozen=True)
class SectionSpec:
    key: str  # params key under narrative:
    number: str  # 一 … 六, or （一） … for sub-sections
    heading: str
    subsections: tuple["SectionSpec", ...] = ()
    table: str | None = None  # the table this section presents
    unverified: bool = False
    # Words only this heading has, as a regex, so a heading printed in other words is still
    # found (上海 2019: "五、政府信息公开工作存在的主要问题…"); the importer's.
    words: str = ""

    @property
    def title(self) -> str:
        sep = "" if self.number.startswith("（") else "、"
        return f"{self.number}{sep}{self.heading}"

    def subsection(self, key: str) -> "SectionSpec":
        return next(s for s in self.subsections if s.key == key)


STOCK_IN_FORCE = "in_force"  # X-STOCK: 现行有效件数 carried on from last year's
STOCK_ITEMS = "prior_items"  # X-ITEMS: 上一年项目数量 carried on from last year's


@dataclass(frozen=True)
class FormatSpec:
    """One national format: its tables and sections, and every rule that differs between
    formats. Nothing outside this module asks which format a report is in; it asks the spec."""

    key: str  # "2021" / "2019"
    document: str  # the basis: 国办公开办函〔2021〕30号
    years: tuple[int, int | None]  # first and last report year it applies to
    tables: tuple[TableSpec, ...]
    sections: tuple[SectionSpec, ...]
    # result category as the narrative names it → its rows in table 三 (N-RESULTS, 三's text)
    result_categories: tuple[tuple[str, tuple[str, ...]], ...]
    # table-二 row → the column a figure the text states for it is compared with (N-T2)
    t2_stated: tuple[tuple[str, str], ...]
    stock_rule: str | None  # STOCK_IN_FORCE or STOCK_ITEMS: which cross-year stock rule applies
    fee_in_other: bool  # 六 must state the 信息处理费 collected (M-FEE)

    def __reduce__(self):  # pickled by its key: worker processes share the registry
        return (get_format, (self.key,))

    def table(self, key: str) -> TableSpec:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def section(self, key: str) -> SectionSpec:
        """A section by its narrative key: "problems", or a sub-section "general.oversight"."""
        head, _, sub = key.partition(".")
        section = next(s for s in self.sections if s.key == head)
        return section.subsection(sub) if sub else section

    def section_title(self, key: str) -> str:
        """The printed title of a section, a sub-section under its section's (一、总体情况（五）监督保障)."""
        head, _, sub = key.partition(".")
        title = self.section(head).title
        return title + self.section(key).title if sub else title

    def section_of_table(self, table: str) -> int:
        """The number (1–6) of the section that prints ``table``."""
        return next(i for i, s in enumerate(self.sections, 1) if s.table == table)

    @cached_property
    def narrative_keys(self) -> tuple[str, ...]:
        """Every narrative key, in printed order: "general", "general.proactive", …, "other"."""
        return tuple(k for s in self.sections
                     for k in (s.key, *(f"{s.key}.{sub.key}" for sub in s.subsections)))

    def narrative_skeleton(self) -> dict[str, str]:
        """The empty narrative: every section and sub-section, no text."""
        return dict.fromkeys(self.narrative_keys, "")

    @cached_property
    def categories(self) -> dict[str, tuple[str, ...]]:
        return dict(self.result_categories)

    @cached_property
    def stated(self) -> dict[str, str]:
        return dict(self.t2_stated)

    @property
    def basis(self) -> tuple[str, str]:
        """(year, number) of the basis document as cited: 〔2021〕30号 → ("2021", "30")."""
        year, number = re.search(r"〔(\d{4})〕(\d+)号", self.document).groups()
        return year, number

    @property
    def labels(self) -> tuple[str, ...]:
        """Every official text of this format: tables' labels, sections' headings and titles."""
        out = [self.document]
        for table in self.tables:
            out += table.labels
        for s in self.sections:
            out += [x for sec in (s, *s.subsections) for x in (sec.heading, sec.title)]
        out += [name for name, _ in self.result_categories]
        return tuple(dict.fromkeys(out))

    def applies_to(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)

    @cached_property
    def field_paths(self) -> tuple[str, ...]:
        """Every params path a note may name, in printed order: each table, row and cell
        (``table3``, ``table3.granted``, ``table3.granted.total``), then each section
        (``narrative.problems``)."""
        out: list[str] = []
        for table in self.tables:
            out.append(table.key)
            for row in table.rows:
                out.append(f"{table.key}.{row.key}")
                out += [f"{table.key}.{row.key}.{c.key}" for c in row.columns]
        return tuple(out + [f"narrative.{s.key}" for s in self.sections])

    @cached_property
    def cell_paths(self) -> tuple[str, ...]:
        """The value cells' paths (``table3.granted.total``), in printed order."""
        return tuple(p for p in self.field_paths
                     if p.count(".") == 2 and not p.startswith("narrative."))


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
        RowSpec("normative", "行政规范性文件", group=ART20_1, columns=_DOCUMENTS_2021),
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
    SectionSpec("general", "一", "总体情况", subsections=_GENERAL_SUBSECTIONS, words="总体"),
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

# The registry: every format the kit knows, by key. A new national format is one more spec here.
FORMATS: dict[str, FormatSpec] = {}
_generation = [0]  # bumped on every change, so what is derived from the registry can be cached


def register(spec: FormatSpec) -> FormatSpec:
    """Make ``spec`` known to every part of the kit (loader, rules, pages, importer)."""
    FORMATS[spec.key] = spec
    _generation[0] += 1
    return spec


def unregister(key: str) -> None:
    FORMATS.pop(key, None)
    _generation[0] += 1


def generation() -> int:
    return _generation[0]


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


# ---------------------------------------------------------------------------------------------
# The consistency rules of format.md §6 (and the kit's own findings): id, severity, title. The
# ids are what users look up; checks/ holds each rule's function.
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
    # Narrative against tables
    ("N-APPS", ERROR, "正文所述收到申请数 = 表三本年新收总计"),
    ("N-NONE", ERROR, "正文称无申请/无复议诉讼，表中应为 0"),
    ("N-RESULTS", ERROR, "正文所述各类办理结果 = 表三对应各行之和"),
    ("N-REVIEW", ERROR, "正文所述复议、诉讼件数及“均获维持” = 表四"),
    ("N-T2", ERROR, f"正文所述{TABLE2_2019.row('normative').label}、许可、处罚、强制数 = 表二"),
    ("N-PARTS", WARNING, "“共 N 条，其中……”各分项之和不超过 N"),
    # Metadata and completeness
    ("M-YEAR", ERROR, "报告年度、统计期限与正文年份一致"),
    ("M-FORMAT", ERROR, "2021 年起用〔2021〕30号格式，2019、2020 年用〔2019〕60号格式"),
    ("M-SECTIONS", ERROR, "六个部分齐全且不空，第五部分写明问题和改进措施"),
    ("M-OVERSIGHT", WARNING, "人民政府报告工作考核、社会评议和责任追究结果"),
    ("M-FEE", WARNING, "第六部分说明信息处理费收取情况"),
    ("M-UNIT", WARNING, "正文所称单位是本单位"),
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
    ("COUNTY-UNEXPECTED", WARNING, "参数文件的乡镇不在县级清单中"),
    ("COUNTY-DUPLICATE", ERROR, "同一单位同一年度有多个参数文件"),
    ("COUNTY-NOYEAR", WARNING, "有参数文件的年度在县级清单中没有乡镇列表"),
)


def get_format(key: str) -> FormatSpec:
    """The format named ``key`` ("2021" or "2019"); FormatError lists the valid ones."""
    try:
        return FORMATS[str(key)]
    except KeyError:
        raise FormatError(str(key), tuple(FORMATS)) from None


def format_for_year(year: int) -> FormatSpec:
    """The format a report on ``year`` must use (M-FORMAT): of those that apply, the newest."""
    applying = [spec for spec in FORMATS.values() if spec.applies_to(year)]
    if not applying:
        raise FormatError(f"year {year}", tuple(FORMATS))
    return max(applying, key=lambda spec: spec.years[0])


def newest() -> FormatSpec:
    """The format of the latest years (for a file whose own format cannot be read)."""
    return max(FORMATS.values(), key=lambda spec: spec.years[0])


def first_year() -> int:
    """The first report year any format covers (2019: the 条例 as revised)."""
    return min(spec.years[0] for spec in FORMATS.values())


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


def _load_plugins() -> None:
    """Formats registered by other modules, named in NIANBAO_FORMATS (comma-separated module
    names): a local variant of the form is added without changing the kit."""
    import importlib
    import os

    for name in filter(None, (n.strip() for n in os.environ.get("NIANBAO_FORMATS", "").split(","))):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise FormatError(f"NIANBAO_FORMATS 中的模块 {name}（{exc}）", tuple(FORMATS)) from None


_load_plugins()
