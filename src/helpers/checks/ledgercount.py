"""The request ledger counted: table 三 and table 四 from its records, every request's legal
deadline in China's working days, and each record the count could not take.

A request is one applicant column of table 三. Received in the year, it is 本年新收; before it,
上年结转. Answered with a result by 12月31日, it is counted in that result's row; otherwise it is
结转下年度继续办理 — so 一 + 二 = 三（七）+ 四 holds for every column by construction. A case is one
row of table 四 (its kind) and one column (its result once closed, else 尚未审结).

A record that cannot be placed (no 收到日期, a date that does not exist, a result that is not a
category, a second row with the same 编号) is left out of the count and said with its sheet, row
and column; the rest is counted all the same. Pure, and cached by the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..formats import FORMATS, FormatSpec
from ..formats.ledger import (CASE_COLUMNS, CASES_SHEET, EXTENSION_DAYS, LEGAL_DAYS, NO, PENDING,
                              REQUEST_COLUMNS, REQUESTS_SHEET, YES, LedgerColumn, applicants,
                              case_kinds, case_results, results)
from ..model import Ledger, LedgerRecord
from ..params.cellvalue import FULLWIDTH
from ..params.load import DATE_RE
from .workdays import add_workdays

LEDGER_TABLES = ("table3", "table4")  # what a ledger counts


@dataclass(frozen=True)
class RecordProblem:
    sheet: str
    row: int
    column: LedgerColumn
    expected: str
    found: str
    counted: bool  # the record still counted (the problem does not change where it goes)
    line: int | None = None

    @property
    def cell(self) -> str:
        columns = REQUEST_COLUMNS if self.sheet == REQUESTS_SHEET else CASE_COLUMNS
        return f"{self.sheet}!{chr(ord('A') + columns.index(self.column))}{self.row}"


@dataclass(frozen=True)
class Request:
    row: int
    no: str
    received: date
    applicant: str  # table 三's column key
    content: str
    result: str | None  # table 三's row key, once answered
    answered: date | None
    start: date  # when the legal time starts: the day it came, or the day the 补正 came
    extended: bool  # a valid extension (notified within the first 20 working days)


@dataclass(frozen=True)
class Timing:
    request: Request
    deadline: date
    estimated: bool  # a day beyond the official calendar's years was taken as Monday–Friday
    late: bool | None  # answered after the deadline, or open past it on 12月31日; None: still in time


@dataclass(frozen=True)
class Case:
    row: int
    no: str
    kind: str  # table 四's row key
    column: str  # table 四's column key (pending when not closed)


@dataclass(frozen=True)
class Count:
    year: int
    cells: dict[str, dict[tuple[str, str], int]]  # table3 / table4 → every cell, totals too
    behind: dict[str, tuple[int, ...]]  # field (table3.new.natural_person) → the ledger rows
    requests: tuple[Request, ...]  # every request counted
    cases: tuple[Case, ...]
    timings: tuple[Timing, ...]
    problems: tuple[RecordProblem, ...]

    @property
    def open(self) -> tuple[Request, ...]:
        """The requests still open on 12月31日: next year's 上年结转, by 编号."""
        return tuple(r for r in self.requests if not self._done(r))

    @property
    def carried(self) -> tuple[Request, ...]:
        """The requests received before the year: this year's 上年结转."""
        return tuple(r for r in self.requests if r.received.year < self.year)

    @property
    def open_cases(self) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if c.column == PENDING)

    @property
    def late(self) -> tuple[Timing, ...]:
        return tuple(t for t in self.timings if t.late)

    @property
    def answered(self) -> tuple[Timing, ...]:
        """The requests answered in the year, each with its deadline."""
        return tuple(t for t in self.timings if self._done(t.request))

    def _done(self, r: Request) -> bool:
        return r.result is not None and (r.answered is None or r.answered <= date(self.year, 12, 31))


def parse_date(text: str | None) -> date | None | str:
    """A typed date (2022-01-05, 2022/1/5, 2022年1月5日), None when empty, or the text itself
    when it is not a date that exists."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip().translate(FULLWIDTH).split(" ")[0].split("T")[0]
    match = DATE_RE.fullmatch(raw)
    try:
        return date(*(int(g) for g in match.groups())) if match else str(text)
    except ValueError:  # 2022-02-30
        return str(text)


@lru_cache(maxsize=512)
def count(ledger: Ledger, fmt: str, year: int) -> Count:
    """The ledger of a ``year`` report in format ``fmt``, counted (pure: cached by its records)."""
    spec = FORMATS[fmt]
    problems: list[RecordProblem] = []
    requests = _requests(ledger.requests, spec, year, problems)
    cases = _cases(ledger.cases, spec, problems)
    cells, behind = _cells(spec, year, requests, cases)
    timings = tuple(_timing(r, year) for r in requests if r.received.year <= year)
    return Count(year, cells, behind, requests, cases, timings, tuple(problems))


def _typed(record: LedgerRecord, columns: tuple[LedgerColumn, ...]) -> dict[str, str | None]:
    """A record's cells by column key, stripped; None where empty."""
    return {c.key: (record.values[i] or "").strip() or None for i, c in enumerate(columns)}


def _judged(records: tuple[LedgerRecord, ...], sheet: str, columns: tuple[LedgerColumn, ...],
            problems: list[RecordProblem], judge) -> tuple:
    """Each record through ``judge(row, value, bad)`` — its sheet row, its typed cells by column,
    and ``bad(column, expected, found, counted=False)`` to name a problem — which returns what the
    record counts as; a 编号 (案号) a second time is named here. The records that count, in order; every problem is
    added to ``problems``, saying whether its record still counted."""
    column = {c.key: c for c in columns}
    first: dict[str, int] = {}
    out = []
    for record in records:
        value = _typed(record, columns)
        found: list[tuple[str, str, str, bool]] = []  # (column, expected, found, still counted)

        def bad(key: str, expected: str, what: str, counted: bool = False) -> None:
            found.append((key, expected, what, counted))

        item = judge(record.row, value, bad)
        number = value["no"]
        if number in first:
            bad("no", f"{column['no'].label}不重复（第 {first[number]} 行已有）", number)
        elif number:
            first[number] = record.row
        counted = all(ok for *_, ok in found)
        problems += [RecordProblem(sheet, record.row, column[k], e, w, counted, record.line) for k, e, w, _ in found]
        if counted:
            out.append(item)
    return tuple(out)


def _requests(records: tuple[LedgerRecord, ...], spec: FormatSpec, year: int,
              problems: list[RecordProblem]) -> tuple[Request, ...]:
    kinds, categories = dict(applicants(spec)), dict(results(spec))

    def judge(row: int, value: dict, bad) -> Request:
        received = parse_date(value["received"])
        if received is None:
            bad("received", "收到申请的日期", "空白")
        elif isinstance(received, str):
            bad("received", "存在的日期 YYYY-MM-DD", received)
        elif received.year > year:
            bad("received", f"{year} 年或以前收到", received.isoformat())
        applicant = kinds.get(value["applicant"] or "")
        if applicant is None:
            bad("applicant", " / ".join(kinds), value["applicant"] or "空白")
        result = categories.get(value["result"] or "") if value["result"] else None
        if value["result"] and result is None:
            bad("result", "表三的办理结果类别之一（下拉列表）", value["result"])
        answered = parse_date(value["answered"])
        if isinstance(answered, str):
            bad("answered", "存在的日期 YYYY-MM-DD", answered)
            answered = None
        elif answered and not isinstance(received, str) and received and answered < received:
            bad("answered", f"不早于收到日期 {received.isoformat()}", answered.isoformat(), True)
        if answered and not value["result"]:
            bad("result", "已答复的申请须填办理结果", "空白")
        if value["result"] and result is not None and answered is None and not value["answered"]:
            bad("answered", "有办理结果的申请须填答复日期", "空白", True)
        corrected = parse_date(value["corrected"])
        if isinstance(corrected, str) or (corrected and isinstance(received, date) and corrected < received):
            bad("corrected", "补正后申请到达的日期，不早于收到日期", str(value["corrected"]), True)
            corrected = None
        extended = _extension(value, received, corrected, bad)
        if not value["no"]:
            bad("no", "每件申请一个编号（结转下年度按编号）", "空白", True)
        return Request(row, value["no"] or "", received, applicant, value["content"] or "", result,
                       answered, corrected or received, extended)

    return _judged(records, REQUESTS_SHEET, REQUEST_COLUMNS, problems, judge)


def _extension(value: dict, received, corrected, bad) -> bool:
    """Whether the request was validly extended: 延期 是, notified within its first 20 days."""
    if value["extended"] in (None, NO):
        return False
    if value["extended"] != YES:
        bad("extended", f"{YES} 或 {NO}", value["extended"], True)
        return False
    on = parse_date(value["extended_on"])
    if not isinstance(on, date):
        bad("extended_on", "延期的须填告知延期的日期", str(value["extended_on"] or "空白"), True)
        return False
    if isinstance(received, date):
        first, _ = add_workdays(corrected or received, LEGAL_DAYS)
        if on > first:
            bad("extended_on", f"在原答复期限 {first.isoformat()} 前告知延期", on.isoformat(), True)
            return False
    return True


def _cases(records: tuple[LedgerRecord, ...], spec: FormatSpec,
           problems: list[RecordProblem]) -> tuple[Case, ...]:
    kinds, outcomes = dict(case_kinds(spec)), dict(case_results(spec))

    def judge(row: int, value: dict, bad) -> Case:
        kind = kinds.get(value["kind"] or "")
        if kind is None:
            bad("kind", " / ".join(kinds), value["kind"] or "空白")
        closed = value["closed"] or NO
        outcome = outcomes.get(value["result"] or "")
        if closed not in (YES, NO):
            bad("closed", f"{YES} 或 {NO}", closed)
        elif closed == YES and (outcome is None or outcome == PENDING):
            bad("result", "已审结的案件须填结果：维持、纠正或其他", value["result"] or "空白")
        elif value["result"] and outcome is None:
            bad("result", " / ".join(outcomes), value["result"], True)
        return Case(row, value["no"] or "", kind, outcome if closed == YES else PENDING)

    return _judged(records, CASES_SHEET, CASE_COLUMNS, problems, judge)


def _cells(spec: FormatSpec, year: int, requests: tuple[Request, ...],
           cases: tuple[Case, ...]) -> tuple[dict, dict]:
    """Every cell of table 三 and table 四 as counted (zeros included, totals too), and the
    ledger rows behind each."""
    behind: dict[str, list[int]] = {}

    def add(table: str, row: str, col: str, ledger_row: int) -> None:
        for c in (col, "total"):
            behind.setdefault(f"{table}.{row}.{c}", []).append(ledger_row)

    end = date(year, 12, 31)
    for r in requests:
        add("table3", "new" if r.received.year == year else "carried_over", r.applicant, r.row)
        done = r.result is not None and (r.answered is None or r.answered <= end)
        for row in ((r.result, "results_total") if done else ("carry_forward",)):
            add("table3", row, r.applicant, r.row)
    for c in cases:
        add("table4", c.kind, c.column, c.row)
    cells = {}
    for key in LEDGER_TABLES:
        table = spec.table(key)
        cells[key] = {(row.key, col.key): len(behind.get(f"{key}.{row.key}.{col.key}", ()))
                      for row in table.rows for col in row.columns}
    return cells, {k: tuple(v) for k, v in behind.items()}


def _timing(r: Request, year: int) -> Timing:
    deadline, known = add_workdays(r.start, LEGAL_DAYS + (EXTENSION_DAYS if r.extended else 0))
    end = date(year, 12, 31)
    if r.result is not None and r.answered is not None and r.answered <= end:
        late = r.answered > deadline
    elif r.result is not None and r.answered is None:
        late = None  # answered, day not known: the record is named for it
    else:
        late = True if deadline < end else None
    return Timing(r, deadline, not known, late)
