"""Tables 三 and 四 from the office's own records (issue 26): the request ledger counted, the
legal time in China's working days, bad records named by sheet, row and column, the ledger
compared with and filling the params, carried into next year by 编号, and round-tripped through
LibreOffice Calc."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from helpers.checks import Context, run_rules
from helpers.checks.folder import CountyFolder
from helpers.checks.ledgercount import count
from helpers.checks.workdays import add_workdays
from helpers.cli import main
from helpers.formats import get_format
from helpers.formats.ledger import (CASE_COLUMNS, REQUEST_COLUMNS, applicants, case_kinds, case_results,
                                    results)
from helpers.model import Ledger, LedgerRecord, Meta, build_document
from helpers.params.load import load_params
from helpers.year.ledgerbook import ledger_workbook, read_ledger
from util import ROOT

NIANBAO = Path(sys.executable).with_name("nianbao")
SPEC = get_format("2021")
APPLICANTS = [a for a, _ in applicants(SPEC)]
RESULTS = [r for r, _ in results(SPEC)]
KINDS = [k for k, _ in case_kinds(SPEC)]
OUTCOMES = [o for o, _ in case_results(SPEC)]


def request(no, received, applicant="自然人", result=None, answered=None, corrected=None, extended=None,
            extended_on=None, content="查询") -> list:
    return [no, received, applicant, content, corrected, result, answered, extended, extended_on, None]


def ledger(requests=(), cases=()) -> Ledger:
    return Ledger("台账.xlsx", "0" * 64,
                  tuple(LedgerRecord(i, tuple(None if v is None else str(v) for v in r))
                        for i, r in enumerate(requests, 3)),
                  tuple(LedgerRecord(i, tuple(None if v is None else str(v) for v in c))
                        for i, c in enumerate(cases, 3)))


# -- working days -------------------------------------------------------------------------------

def test_working_days_across_the_spring_festival():
    """2023: 1月21–27日 off for the Spring Festival, Saturday 28 and Sunday 29 worked in exchange.
    A request of Monday 16 January is due on 16 February (the day it came not counted), 16 March
    when extended; from a 补正 that came on 1 February, on 1 March."""
    assert add_workdays(date(2023, 1, 16), 20) == (date(2023, 2, 16), True)
    assert add_workdays(date(2023, 1, 16), 40) == (date(2023, 3, 16), True)
    assert add_workdays(date(2023, 2, 1), 20) == (date(2023, 3, 1), True)
    assert add_workdays(date(2023, 1, 27), 1) == (date(2023, 1, 28), True)  # a Saturday worked
    # a year the official calendar does not have yet: Monday to Friday, and said to be an estimate
    day, known = add_workdays(date(2099, 12, 1), 20)
    assert not known and day.weekday() < 5
    counted = count(ledger([
        request("A", "2023-01-16", result=RESULTS[0], answered="2023-02-16"),
        request("B", "2023-01-16", result=RESULTS[0], answered="2023-02-17"),
        request("C", "2023-01-16", result=RESULTS[0], answered="2023-03-16", extended="是", extended_on="2023-02-10"),
        request("D", "2023-01-16", result=RESULTS[0], answered="2023-03-01", corrected="2023-02-01"),
        request("E", "2023-01-16", result=RESULTS[0], answered="2023-03-16", extended="是", extended_on="2023-02-20"),
    ]), "2021", 2023)
    late = {t.request.no for t in counted.timings if t.late}
    assert late == {"B", "E"}  # E's extension came after its first 20 days: not an extension
    assert [p.column.label for p in counted.problems] == ["延期日期"]


# -- the count, against an independent one -------------------------------------------------------

@st.composite
def ledgers(draw):
    year = draw(st.sampled_from([2021, 2022, 2023]))
    start = date(year - 1, 1, 1)
    rows = []
    for n in range(draw(st.integers(0, 40))):
        received = start + timedelta(days=draw(st.integers(0, 729)))
        answered = None
        result = None
        if draw(st.booleans()):
            result = draw(st.sampled_from(RESULTS))
            answered = received + timedelta(days=draw(st.integers(0, 60)))
        rows.append(request(f"{year}-{n:03d}", received.isoformat(), draw(st.sampled_from(APPLICANTS)), result,
                            answered and answered.isoformat()))
    cases = [[f"案{n}", draw(st.sampled_from(KINDS)), draw(st.sampled_from(OUTCOMES[:3])),
              draw(st.sampled_from(["是", "否"])), None] for n in range(draw(st.integers(0, 6)))]
    return year, rows, cases


def independent(year: int, rows: list, cases: list) -> Counter:
    """The same tables counted the plain way, cell by cell."""
    cells: Counter = Counter()
    app = dict(applicants(SPEC))
    res = dict(results(SPEC))
    end = date(year, 12, 31).isoformat()
    for r in rows:
        received, applicant, result, answered = r[1], app[r[2]], r[5], r[6]
        if received > end:
            continue
        cells[("table3", "new" if received[:4] == str(year) else "carried_over", applicant)] += 1
        if result and answered <= end:
            cells[("table3", res[result], applicant)] += 1
        else:
            cells[("table3", "carry_forward", applicant)] += 1
    kinds, outcomes = dict(case_kinds(SPEC)), dict(case_results(SPEC))
    for c in cases:
        cells[("table4", kinds[c[1]], outcomes[c[2]] if c[3] == "是" else "pending")] += 1
    return cells


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_the_count_satisfies_every_rule_and_matches_an_independent_one(drawn):
    year, rows, cases = drawn
    counted = count(ledger(rows, cases), "2021", year)
    expected = independent(year, rows, cases)
    for key in ("table3", "table4"):
        table = SPEC.table(key)
        for row in table.rows:
            for col in row.columns:
                if not (row.derived or col.derived):
                    assert counted.cells[key][(row.key, col.key)] == expected[(key, row.key, col.key)], (row.key, col.key)
    rows_of = {key: {r.key: [counted.cells[key][(r.key, c.key)] for c in r.columns if not c.derived]
                     for r in SPEC.table(key).rows if not r.derived} for key in ("table3", "table4")}
    rows_of["table2"] = {r.key: [0] * sum(not c.derived for c in r.columns) for r in SPEC.table("table2").rows}
    doc = build_document(Meta("某镇人民政府", "某镇", "某县", "镇", year, "2021"), rows_of, {})
    arithmetic = [f for f in run_rules(Context(doc)) if f.rule.startswith(("T3-", "T4-", "CELL-DOMAIN"))]
    assert not arithmetic, arithmetic  # 一 + 二 = 三（七）+ 四, every row's 总计, by construction
    assert sum(len(v) for k, v in counted.behind.items() if k.endswith(".total") and ".new." in k) == \
        sum(1 for r in rows if r[1][:4] == str(year))  # each request of the year behind one cell


# -- bad records ------------------------------------------------------------------------------------

def test_each_bad_record_is_named_and_the_rest_still_counted():
    counted = count(ledger([
        request("1", "2022-01-05", result=RESULTS[0], answered="2022-01-20"),  # good
        request("2", None),  # no 收到日期
        request("3", "2022-02-30"),  # a date that does not exist
        request("4", "2022-03-01", result="同意公开"),  # not a category
        request("5", "2022-04-10", result=RESULTS[0], answered="2022-04-01"),  # answered before it came
        request("1", "2022-05-05"),  # 编号 twice
        request("7", "2022-06-01", applicant="个人"),  # not an applicant type
    ], [["案1", "复议", "结果维持", "是", None]]), "2021", 2022)
    named = {(p.cell, p.column.label, p.counted) for p in counted.problems}
    assert named == {("依申请公开台账!B4", "收到日期", False), ("依申请公开台账!B5", "收到日期", False),
                     ("依申请公开台账!F6", "办理结果", False), ("依申请公开台账!G7", "答复日期", True),
                     ("依申请公开台账!A8", "编号", False), ("依申请公开台账!C9", "申请人类型", False),
                     ("复议诉讼!B3", "类型", False)}
    assert {r.no for r in counted.requests} == {"1", "5"}  # the good one, and the one still placed
    assert counted.cells["table3"][("new", "natural_person")] == 2
    assert counted.cells["table3"][("granted", "natural_person")] == 2


# -- the ledger in the params: compared, filling, carried -------------------------------------------

def filled_ledger(path: Path, meta: Meta, rows: list, cases: list = ()) -> Path:
    """A ledger workbook of ``meta`` with ``rows`` typed in, as openpyxl writes a clerk's cells."""
    path.write_bytes(ledger_workbook(meta, get_format(meta.format)))
    book = load_workbook(path)
    for sheet, records in (("依申请公开台账", rows), ("复议诉讼", cases)):
        for r, values in enumerate(records, 3):
            for c, value in enumerate(values, 1):
                book[sheet].cell(r, c, date.fromisoformat(value) if isinstance(value, str) and
                                 value[:4].isdigit() and len(value) == 10 and c in (2, 5, 7, 9) else value)
    book.save(path)
    return path


@pytest.fixture
def county(tmp_path) -> Path:
    folder = tmp_path / "params"
    shutil.copytree(ROOT / "params", folder)
    return folder


@pytest.mark.slow
def test_the_ledger_fills_blank_cells_and_is_compared_with_typed_ones(county, tmp_path):
    """平城镇 2021 types table 三; its ledger counts one more 不予公开·3 than it says: LEDGER-T3 names
    the ledger rows. Its table 四 row left blank is filled from the ledger, marked as counted; the
    params file's other lines stay as typed. The report's page, Word file and PDF end with the
    ledger's annex (answered within the legal time, late ones listed), the index says 按时答复.
    The same ledger again is left alone; another needs --force."""
    path = county / "平城镇_2021.yaml"
    text = path.read_text(encoding="utf-8")
    typed = load_params(path)
    import re

    blanked = re.sub(r"(?m)^  suit_after: +\[[^]]*\]", "  suit_after:  [~, ~, ~, ~, ~]", text)
    assert blanked != text
    path.write_text(blanked, encoding="utf-8")
    t3 = typed.table("table3")
    rows = []
    for row in SPEC.table("table3").rows:  # a request for each counted cell, as the params say
        if row.derived or row.key in ("new", "carried_over", "carry_forward"):
            continue
        for label, col in applicants(SPEC):
            for _ in range(t3.number(row.key, col) or 0):
                rows.append(request(f"N{len(rows)}", "2021-03-01", label, next(r for r, k in results(SPEC) if k == row.key),
                                    "2021-03-10"))
    safety = next(r for r, k in results(SPEC) if k == "withheld_safety")
    extra = len(rows) + 3
    rows.append(request("X1", "2021-05-06", "自然人", safety, "2021-05-20"))
    book = filled_ledger(tmp_path / "平城镇_2021_台账.xlsx", typed.meta, rows,
                         [["（2021）晋05行初1号", KINDS[2], "结果纠正", "是", None]])
    assert main(["import", str(book), "--out", str(county)]) == 0
    after = path.read_text(encoding="utf-8")
    assert after.startswith(blanked.rstrip("\n")) and "ledger:" in after[len(blanked.rstrip()):]
    folder = CountyFolder.open([county])
    found = [f for f in folder.report(path).findings if f.rule == "LEDGER-T3"]
    assert any(f.location.field == "table3.withheld_safety.natural_person" and f"台账第 {extra} 行" in f.message
               for f in found), [f.message for f in found]
    doc = folder.docs[path]
    assert doc.table("table4").number("suit_after", "corrected") == 1
    assert "table4.suit_after.corrected" in doc.counted and "台账第 3 行" in doc.counted["table4.suit_after.corrected"]
    assert not [f for f in folder.report(path).findings if f.rule == "CELL-BLANK" and "table4" in (f.location.field or "")]
    from helpers.report.document import prepare_report

    report = prepare_report(path)
    cell = next(c for c in report.grids["table4"].value_cells() if c.field == "table4.suit_after.corrected")
    assert cell.state == "counted"
    out = tmp_path / "build"
    subprocess.run([NIANBAO, "build", str(county), "--out", str(out), "--only", "平城镇", "--year", "2021",
                    "--to", "html,docx,pdf", "--quiet"], check=True, capture_output=True)
    index = (out / "2021" / "index.html").read_text(encoding="utf-8")
    row = index[index.index('data-township="平城镇"'):]
    assert f">{len(rows)}/{len(rows)}<" in row[:row.index("</tr>")]  # every request answered in time
    import csv as csvlib
    import io

    [line] = [r for r in csvlib.DictReader(io.StringIO((out / "2021" / "summary.csv").read_text(encoding="utf-8-sig")))
              if r["乡镇（街道）"] == "平城镇"]
    assert (line["按时答复"], line["答复"]) == (str(len(rows)), str(len(rows)))  # counts, never "5/6" (a date to Excel)
    page = (out / "2021" / "平城镇_2021.html").read_text(encoding="utf-8")
    assert "附：依申请公开办理时效（据台账）" in page and "在法定期限内答复" in page
    import docx
    from pypdf import PdfReader

    body = "\n".join(p.text for p in docx.Document(out / "2021" / "平城镇_2021.docx").paragraphs)
    assert "附：依申请公开办理时效（据台账）" in body
    printed = "".join("".join(p.extract_text().split()) for p in PdfReader(out / "2021" / "平城镇_2021.pdf").pages)
    assert "附：依申请公开办理时效（据台账）" in printed
    done = subprocess.run([NIANBAO, "import", str(book), "--out", str(county)], capture_output=True, text=True)
    assert "已导入此台账，未变化" in done.stdout
    book.write_bytes(book.read_bytes())  # the same bytes: still unchanged
    other = filled_ledger(tmp_path / "新台账.xlsx", typed.meta, rows[:-1])
    done = subprocess.run([NIANBAO, "import", str(other), "--out", str(county)], capture_output=True, text=True)
    assert "--force" in done.stdout and load_params(path).ledger.file == book.name
    assert main(["import", str(other), "--out", str(county), "--force"]) == 0
    assert load_params(path).ledger.file == other.name


def test_a_ledger_alone_starts_the_params_and_new_year_carries_what_is_open(county, tmp_path):
    """A ledger for a township-year without params starts its file (tables 三 and 四 counted, the
    rest to fill). new-year writes next year's ledger with the requests still open on 12月31日 and
    the cases not closed, by 编号 and 案号; a next-year ledger that drops one is X-LEDGER."""
    for p in county.glob("礼义镇_2022.yaml"):
        p.unlink()
    meta = Meta("礼义镇人民政府", "礼义镇", "陵川县", "镇", 2022, "2021")
    book = filled_ledger(tmp_path / "礼义镇_2022_台账.xlsx", meta, [
        request("2022-001", "2022-02-08", "自然人", RESULTS[0], "2022-02-20"),
        request("2022-017", "2022-12-20", "商业企业"),  # open on 31 December
    ], [["（2022）晋0524行初3号", KINDS[1], None, "否", None]])
    assert main(["import", str(book), "--out", str(county)]) == 0
    doc = CountyFolder.open([county]).docs[county / "礼义镇_2022.yaml"]
    assert doc.table("table3").number("carry_forward", "business") == 1
    assert doc.table("table4").number("suit_direct", "pending") == 1
    ledgers = tmp_path / "台账"
    assert main(["new-year", "2023", str(county), "--ledger-out", str(ledgers)]) == 0
    carried = read_ledger(ledgers / "礼义镇_2023_台账.xlsx")
    assert [r.values[:3] for r in carried.ledger.requests] == [("2022-017", "2022-12-20", "商业企业")]
    assert [r.values[:2] for r in carried.ledger.cases] == [("（2022）晋0524行初3号", KINDS[1])]
    assert carried.year == 2023 and carried.township == "礼义镇"
    # next year's ledger forgets the carried request: X-LEDGER names it
    forgot = filled_ledger(tmp_path / "礼义镇_2023_台账.xlsx", replace_year(meta, 2023),
                           [request("2023-001", "2023-03-01", "自然人", RESULTS[0], "2023-03-05")])
    assert main(["import", str(forgot), "--out", str(county), "--force"]) == 0
    found = [f for f in CountyFolder.open([county]).report(county / "礼义镇_2023.yaml").findings if f.rule == "X-LEDGER"]
    assert found and "2022-017" in found[0].message


def replace_year(meta: Meta, year: int) -> Meta:
    from dataclasses import replace

    return replace(meta, year=year)


@pytest.mark.slow
def test_a_ledger_round_trip_through_libreoffice_calc(county, tmp_path):
    """template --ledger → a clerk types requests and a case in Calc (dates as dates, categories
    from the lists) → saved as .xlsx, then as .ods → import counts what was typed."""
    from office import calc_fill

    out = tmp_path / "台账"
    assert main(["template", "--ledger", "--year", "2022", str(county), "--out", str(out)]) == 0
    blank = out / "崇文镇_2022_台账.xlsx"
    serial = lambda d: (date.fromisoformat(d) - date(1899, 12, 30)).days  # noqa: E731 - Calc's day number
    typed = {"A3": "2022-001", "B3": serial("2022-01-05"), "C3": "自然人", "D3": "查询规划", "F3": RESULTS[0],
             "G3": serial("2022-01-20"),
             "A4": "2022-002", "B4": serial("2022-12-28"), "C4": "法律服务机构", "D4": "查询合同"}
    half = calc_fill(blank, tmp_path / "half.xlsx", typed, sheet="依申请公开台账")
    assert half is not None
    done = tmp_path / "崇文镇_2022_台账.ods"
    calc_fill(tmp_path / "half.xlsx", done, {"A3": "（2022）晋05行复8号", "B3": KINDS[0], "C3": "结果维持", "D3": "是"},
              sheet="复议诉讼", filter="calc8")
    for returned in (tmp_path / "half.xlsx", done):
        read = read_ledger(returned)
        assert [r.values[:3] for r in read.ledger.requests] == [("2022-001", "2022-01-05", "自然人"),
                                                                ("2022-002", "2022-12-28", "法律服务机构")]
    assert [r.values[:4] for r in read_ledger(done).ledger.cases] == [("（2022）晋05行复8号", KINDS[0], "结果维持", "是")]
    counted = count(read_ledger(done).ledger, "2021", 2022)
    assert counted.cells["table3"][("granted", "natural_person")] == 1
    assert counted.cells["table3"][("carry_forward", "legal_services")] == 1
    assert counted.cells["table4"][("review", "upheld")] == 1 and not counted.problems
