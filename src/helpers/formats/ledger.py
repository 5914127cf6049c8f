"""The 依申请公开台账 (request ledger) and its case list, as data: their columns, and the categories
each drop-down offers — taken from the year's format (table 三's applicant columns and result rows,
table 四's rows and columns), so a format's difference lives in its spec alone.

A ledger counts into table 三 and table 四: each request is one applicant column and, once answered,
one result row; each 复议 or 诉讼 case one row of table 四 and one of its columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from .spec import FormatSpec, RowSpec, TableSpec


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    label: str  # the header a clerk sees
    width: int  # characters, in the workbook
    kind: str = "text"  # text / date / choice


REQUESTS_SHEET, CASES_SHEET, CHOICES_SHEET = "依申请公开台账", "复议诉讼", "选项"
REQUEST_COLUMNS = (
    LedgerColumn("no", "编号", 12),
    LedgerColumn("received", "收到日期", 12, "date"),
    LedgerColumn("applicant", "申请人类型", 13, "choice"),
    LedgerColumn("content", "申请内容", 30),
    LedgerColumn("corrected", "补正日期", 12, "date"),  # 条例第三十条: the time runs from here
    LedgerColumn("result", "办理结果", 34, "choice"),
    LedgerColumn("answered", "答复日期", 12, "date"),
    LedgerColumn("extended", "延期", 6, "choice"),  # 是 / 否
    LedgerColumn("extended_on", "延期日期", 12, "date"),  # the day the extension was notified
    LedgerColumn("note", "备注", 20),
)
CASE_COLUMNS = (
    LedgerColumn("no", "案号", 24),
    LedgerColumn("kind", "类型", 26, "choice"),
    LedgerColumn("result", "结果", 12, "choice"),
    LedgerColumn("closed", "审结", 6, "choice"),  # 是 / 否
    LedgerColumn("note", "备注", 24),
)
YES, NO = "是", "否"
PENDING = "pending"  # table 四's 尚未审结 column: a case not closed
LEGAL_DAYS, EXTENSION_DAYS = 20, 20  # 条例第三十三条: working days, and at most as many more
META_ROW, HEAD_ROW, FIRST_ROW = 1, 2, 3  # the sheet: particulars, headers, then one row a record


def row_choice(table: TableSpec, row: RowSpec) -> str:
    """A row as a drop-down offers it: the group before a numbered label (（三）不予公开·3.危及…)."""
    return f"{row.group}·{row.label}" if row.group and row.label[:1].isdigit() else row.label


def applicants(spec: FormatSpec) -> tuple[tuple[str, str], ...]:
    """(label, column key) of table 三's applicant columns: 自然人, 商业企业 … 其他."""
    table = spec.table("table3")
    return tuple((c.label, c.key) for c in table.rows[0].columns if not c.derived)


def results(spec: FormatSpec) -> tuple[tuple[str, str], ...]:
    """(label, row key) of table 三's result rows, in printed order: what 办理结果 may be."""
    table = spec.table("table3")
    total = next(r for r in table.rows if r.derived)
    return tuple((row_choice(table, table.row(key)), key) for key in total.derived_from)


def case_kinds(spec: FormatSpec) -> tuple[tuple[str, str], ...]:
    """(label, row key) of table 四's rows: 行政复议, 行政诉讼·未经复议直接起诉, 行政诉讼·复议后起诉."""
    table = spec.table("table4")
    return tuple((f"{r.group}·{r.label}" if r.group else r.label, r.key) for r in table.rows)


def case_results(spec: FormatSpec) -> tuple[tuple[str, str], ...]:
    """(label, column key) of table 四's columns but 总计: 结果维持 … 尚未审结."""
    return tuple((c.label, c.key) for c in spec.table("table4").rows[0].columns if not c.derived)



def open_cases_heading(spec: FormatSpec) -> str:
    """尚未审结的行政复议、行政诉讼案件: the annex's words for the cases not closed, from table 四."""
    pending = next(label for label, key in case_results(spec) if key == PENDING)
    kinds = "、".join(dict.fromkeys(r.group or r.label for r in spec.table("table4").rows))
    return f"{pending}的{kinds}案件"
