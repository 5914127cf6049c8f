"""Every rule of format.md §6: a case that passes and a case that fails."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers.checks import RULES, RULES_BY_ID, Context, run_rules
from helpers.model import ERROR, WARNING, Invalid
from util import notes_of, base_rows, flat, report, rules_of, with_cell, with_meta, with_text


def test_the_base_report_passes_every_rule():
    for year in (2019, 2020, 2021, 2022):
        assert rules_of(report(year)) == []
        if year > 2019:
            last = report(year - 1)
            if year == 2020:  # 上一年项目数量 carries on from 2019's prior + change
                for row in ("licensing", "other_services", "penalty", "enforcement", "fees"):
                    last = with_cell(last, "table2", row, "change", 0)
            if year == 2022:  # 现行有效 5 = 4 + 制发 2 − 废止 1
                last = with_cell(last, "table2", "normative", "in_force", 4)
            for key in [k for k, v in last.narrative.items() if v]:  # last year's own words (X-SIMILAR)
                last = with_text(last, key, f"上一年度在{key}方面另有表述，与本年度的文字各不相同。")
            assert rules_of(report(year), previous=last) == []


def test_every_rule_of_the_reference_is_in_the_list():
    ids = {"T3-BALANCE", "T3-ROWTOTAL", "T3-RESULTTOTAL", "T4-ROWTOTAL", "CELL-DOMAIN",
           "CELL-BLANK", "T2-GUICHANG", "X-CARRY", "X-STOCK", "X-PENDING", "X-ITEMS", "N-APPS",
           "N-NONE", "N-RESULTS", "N-REVIEW", "N-T2", "N-PARTS", "M-YEAR", "M-FORMAT",
           "M-SECTIONS", "M-OVERSIGHT", "M-FEE", "M-UNIT", "M-DEADLINE"}
    imported = {"IMPORT-TRUNCATED", "IMPORT-UNREAD"}  # the kit's own, for imported reports
    carried = {"M-CARRIED"}  # the kit's own, for params started by `nianbao new-year`
    similar = {"X-SIMILAR"}  # the kit's own: assessments mark down text repeated from last year
    ledger = {"LEDGER-RECORD", "LEDGER-T3", "LEDGER-T4", "X-LEDGER"}  # the kit's own: the request ledger
    assert {r.id for r in RULES} == ids | imported | carried | similar | ledger
    warnings = {"T2-GUICHANG", "X-STOCK", "X-PENDING", "X-ITEMS", "N-PARTS", "M-OVERSIGHT",
                "M-FEE", "M-UNIT", "M-DEADLINE"} | imported | carried | similar
    assert {r.id for r in RULES if r.severity == WARNING} == warnings
    assert all(r.severity == ERROR for r in RULES if r.id not in warnings)


# -- arithmetic ------------------------------------------------------------------------------

def test_t3_balance():
    doc = report()
    # move one application from 予以公开 to nowhere: （七）总计 is given, so recompute it too
    doc = with_cell(doc, "table3", "carry_forward", "natural_person", 2)
    doc = with_cell(doc, "table3", "carry_forward", "total", 2)
    assert ("T3-BALANCE", "table3.results_total.natural_person") in flat(doc)
    assert ("T3-BALANCE", "table3.results_total.total") in flat(doc)


def test_t3_balance_uses_computed_totals_when_left_out():
    doc = with_cell(report(), "table3", "results_total", "natural_person", None, drop=True)
    assert "T3-BALANCE" not in rules_of(doc)
    doc = with_cell(doc, "table3", "granted", "natural_person", 5)
    doc = with_cell(doc, "table3", "granted", "total", 6)
    doc = with_cell(doc, "table3", "results_total", "total", None, drop=True)
    assert "T3-BALANCE" in rules_of(doc)


def test_t3_rowtotal():
    doc = with_cell(report(), "table3", "new", "total", 5)
    assert ("T3-ROWTOTAL", "table3.new.total") in flat(doc)
    assert "T3-ROWTOTAL" not in rules_of(with_cell(report(), "table3", "new", "total", None, drop=True))


def test_t3_resulttotal():
    doc = with_cell(report(), "table3", "results_total", "business", 2)
    assert ("T3-RESULTTOTAL", "table3.results_total.business") in flat(doc)


def test_t4_rowtotal():
    doc = with_cell(report(), "table4", "suit_after", "total", 1)
    assert ("T4-ROWTOTAL", "table4.suit_after.total") in flat(doc)


@pytest.mark.parametrize("value, col", [(-1, "natural_person"), (Decimal("1.5"), "natural_person"),
                                        (Invalid("五"), "natural_person"), (Invalid("true"), "business")])
def test_cell_domain_counts(value, col):
    doc = with_cell(report(), "table3", "partial", col, value)
    assert ("CELL-DOMAIN", f"table3.partial.{col}") in flat(doc)


def test_cell_domain_allows_negative_change_and_decimal_fees():
    doc = report(2020)
    assert doc.table("table2").cells[("fees", "change")] == -1
    assert "CELL-DOMAIN" not in rules_of(doc)
    assert "CELL-DOMAIN" not in rules_of(with_cell(report(), "table2", "fees", "amount", Decimal("0.0125")))
    assert "CELL-DOMAIN" in rules_of(with_cell(report(), "table2", "fees", "amount", Decimal("-1")))
    assert "CELL-DOMAIN" in rules_of(with_cell(report(2020), "table2", "licensing", "decisions", -2))


def test_cell_blank_is_reported_per_row_and_never_counted_as_zero():
    doc = with_cell(report(), "table3", "withheld_law", "research", None)
    found = [f for f in flat(doc) if f[0] == "CELL-BLANK"]
    assert found == [("CELL-BLANK", "table3.withheld_law")]
    # a blank is not 0: the sums over it are not decided (so no false T3 findings), and say so
    assert rules_of(doc) == ["CELL-BLANK"]
    assert sorted(notes_of(doc)) == ["T3-RESULTTOTAL", "T3-ROWTOTAL"]  # each said once


def test_what_the_filled_cells_already_prove_is_said_with_blanks_left():
    """5 results for 3 requests, 四、结转下年度 blank: out of balance whatever is typed there."""
    doc = report()
    t3 = doc.table("table3")
    new = t3.number("new", "natural_person")
    carried = t3.number("carried_over", "natural_person")
    doc = with_cell(doc, "table3", "carry_forward", "natural_person", None)
    doc = with_cell(doc, "table3", "results_total", "natural_person", new + carried + 2)
    found = [f for f in run_rules(Context(doc)) if f.rule == "T3-BALANCE"]
    assert [f.severity for f in found] == ["error"] and "无论填什么都不能相等" in found[0].message
    row = with_cell(report(), "table3", "new", "business", None)  # a given 总计 below its parts
    total = row.table("table3").cells[("new", "total")]
    row = with_cell(row, "table3", "new", "total", 0 if total else -1)
    assert "T3-ROWTOTAL" in rules_of(with_cell(row, "table3", "new", "natural_person", 1))


def test_t2_guichang():
    assert "T2-GUICHANG" in rules_of(with_cell(report(), "table2", "rules", "issued", 1))
    county = with_meta(with_cell(report(), "table2", "rules", "issued", 1), kind="县级人民政府")
    assert "T2-GUICHANG" not in rules_of(county)


# -- across years ----------------------------------------------------------------------------

def test_x_carry():
    last = report(2020)
    assert "X-CARRY" not in rules_of(report(2021), previous=last)
    last = with_cell(last, "table3", "carry_forward", "natural_person", 3)
    assert ("X-CARRY", "table3.carried_over.natural_person") in flat(report(2021), previous=last)


def test_x_stock():
    last = report(2021)  # normative in force 5; this year issued 2, repealed 1 → 6 expected
    doc = with_cell(report(2022), "table2", "normative", "in_force", 6)
    assert "X-STOCK" not in rules_of(doc, previous=last)
    doc = with_cell(doc, "table2", "normative", "in_force", 9)
    assert ("X-STOCK", "table2.normative.in_force") in flat(doc, previous=last)
    # not across the 2020→2021 change of format
    assert "X-STOCK" not in rules_of(report(2021), previous=report(2020))


def test_x_pending():
    last = with_cell(report(2020), "table4", "review", "pending", 3)
    last = with_cell(last, "table4", "review", "total", 4)
    doc = report(2021)  # review total 1 < 3 pending last year
    assert ("X-PENDING", "table4.review.total") in flat(doc, previous=last)
    assert "X-PENDING" not in rules_of(doc, previous=report(2020))


def test_x_items():
    last = report(2019)  # licensing prior 5, change +1 → 6 expected in 2020
    doc = with_cell(report(2020), "table2", "licensing", "prior_items", 6)
    doc = with_cell(doc, "table2", "other_services", "prior_items", 2)
    doc = with_cell(doc, "table2", "penalty", "prior_items", 3)
    doc = with_cell(doc, "table2", "enforcement", "prior_items", 1)
    doc = with_cell(doc, "table2", "fees", "prior_items", 1)
    assert "X-ITEMS" not in rules_of(doc, previous=last)
    doc = with_cell(doc, "table2", "licensing", "prior_items", 5)
    assert ("X-ITEMS", "table2.licensing.prior_items") in flat(doc, previous=last)


# -- narrative against tables ----------------------------------------------------------------

def test_n_apps():
    assert "N-APPS" not in rules_of(report(general__on_request="本年共受理政府信息公开申请4件。"))
    assert "N-APPS" in rules_of(report(general__on_request="本年共受理政府信息公开申请5件。"))
    text = "本年收到申请5件（含上年结转1件）。"
    assert "N-APPS" not in rules_of(report(general__on_request=text))
    assert "N-APPS" in rules_of(report(general__on_request="本年收到申请6件（含上年结转1件）。"))


def test_n_none():
    doc = report(general__on_request="2021年度，示例乡无依申请公开事项。")
    assert ("N-NONE", "narrative.general.on_request") in flat(doc)
    zero = with_cell(report(), "table3", "new", "total", 0)
    assert "N-NONE" not in rules_of(with_text(zero, "general.on_request", "2021年度，示例乡无依申请公开事项。"))
    doc = report(general__oversight="本年度未发生因政府信息公开引起的行政复议和行政诉讼。")
    assert "N-NONE" in rules_of(doc)
    doc = report(general__oversight="本年度未发生因政府信息公开引起的行政诉讼。")
    assert "N-NONE" in rules_of(doc)  # suits 1


def test_n_results():
    ok = "予以公开3件，部分公开1件，不予公开0件，结转下年度继续办理1件。"
    assert "N-RESULTS" not in rules_of(report(general__on_request=ok))
    assert "N-RESULTS" not in rules_of(report(general__on_request="予以公开及部分公开4件。"))
    assert "N-RESULTS" in rules_of(report(general__on_request="予以公开2件。"))
    assert "N-RESULTS" in rules_of(report(general__on_request="另有3件申请顺延到下年度答复。"))


def test_n_review():
    assert "N-REVIEW" not in rules_of(report(general__oversight="行政复议1件，行政诉讼1件。"))
    assert "N-REVIEW" in rules_of(report(general__oversight="行政复议2件，行政诉讼1件。"))
    assert "N-REVIEW" in rules_of(report(general__oversight="行政复议1件，诉讼3件。"))
    # 均获维持: the suit is still pending in table 四
    assert "N-REVIEW" in rules_of(report(general__oversight="行政复议1件，诉讼1件，均获维持。"))
    assert "N-REVIEW" not in rules_of(report(general__oversight="行政复议1件，均获维持。"))


def test_n_t2():
    assert "N-T2" not in rules_of(report(general__proactive="本年制发行政规范性文件2件，公开行政许可决定3件。"))
    assert "N-T2" in rules_of(report(general__proactive="本年制发行政规范性文件3件。"))
    assert "N-T2" in rules_of(report(general__proactive="本年公开行政处罚决定9件。"))
    assert "N-T2" in rules_of(report(general__proactive="现行有效行政规范性文件4件，已全部公开。"))
    # not a sentence about publishing: 部门规范性文件 in a 公报 sentence is not table 二's
    assert "N-T2" not in rules_of(report(general__proactive="刊登政府规章、规范性文件等112件，部门规范性文件45件。"))


def test_n_parts():
    assert "N-PARTS" not in rules_of(report(general__proactive="公开信息18条。其中新闻报道14条，财务信息4条。"))
    assert "N-PARTS" in rules_of(report(general__proactive="公开信息18条，其中新闻报道14条，财务信息5条。"))


# -- metadata and completeness ---------------------------------------------------------------

def test_m_year():
    assert "M-YEAR" in rules_of(report(general="统计期限自2020年1月1日起至2020年12月31日止。"))
    assert "M-YEAR" in rules_of(report(general="现将我乡2020年度政务公开工作情况报告如下。"))
    assert "M-YEAR" not in rules_of(report(problems="存在问题。改进措施：2022年政务公开工作将进一步加强。"))
    assert "M-YEAR" in rules_of(with_meta(report(), published="2021-12-30"))


def test_m_format():
    doc = report(2022, general="根据国办公开办函〔2019〕60号的要求编制本报告。")
    assert ("M-FORMAT", "narrative.general") in flat(doc)
    assert "M-FORMAT" not in rules_of(report(2022, general="根据国办公开办函〔2021〕30号编制。"))


def test_m_format_year_against_tables():
    from helpers.report.synthetic import make_report
    doc = report(2020)
    doc = make_report(with_meta(doc, year=2021).meta, base_rows("2019"),
                      dict(doc.narrative))
    assert ("M-FORMAT", "meta.format") in flat(doc)


def test_m_sections():
    assert ("M-SECTIONS", "narrative.other") in flat(report(other=""))
    assert ("M-SECTIONS", "narrative.problems") in flat(report(problems="今年工作很好。"))
    doc = report(general="", general__proactive="", general__on_request="", general__management="",
                 general__platforms="", general__oversight="")
    assert ("M-SECTIONS", "narrative.general") in flat(doc)


def test_m_oversight():
    doc = report(general__oversight="加强日常监管。")
    assert "M-OVERSIGHT" in rules_of(doc)
    assert "M-OVERSIGHT" not in rules_of(with_meta(doc, kind="部门"))


def test_m_fee():
    assert "M-FEE" in rules_of(report(other="无其他需要报告的事项。"))
    assert "M-FEE" not in rules_of(report(other=""))  # an empty 六 is M-SECTIONS' finding
    rows = base_rows()
    rows["table3"]["granted"] = [1, 1, 0, 0, 0, 0, 2]
    rows["table3"]["other_no_fee"] = [1, 0, 0, 0, 0, 0, 1]
    unpaid = with_text(report(rows=rows), "other", "本年度未收取信息处理费。")
    assert rules_of(unpaid) == ["M-FEE"]
    assert "M-FEE" not in rules_of(with_text(unpaid, "other", "本年度未收取信息处理费，1件申请人逾期未按收费通知缴纳费用。"))


def test_m_unit():
    doc = report(general__management="我镇健全工作机制。")
    assert "M-UNIT" in rules_of(doc)
    assert "M-UNIT" not in rules_of(report(general__management="我乡健全工作机制。"))
    doc = report(general__management="礼义镇健全工作机制。")
    assert "M-UNIT" in rules_of(doc, neighbours=("示例乡", "礼义镇"))
    assert "M-UNIT" not in rules_of(report(), neighbours=("示例乡", "礼义镇"))


def test_m_deadline():
    assert "M-DEADLINE" in rules_of(with_meta(report(), published="2022-02-01"))
    assert "M-DEADLINE" not in rules_of(with_meta(report(), published="2022-01-31"))
    assert "M-DEADLINE" not in rules_of(with_meta(report(), published="2022-03-31", kind="县级人民政府"))
    assert "M-DEADLINE" not in rules_of(with_meta(report(), published="2022-02-01"), deadline="03-31")


def test_findings_carry_chinese_messages_and_locations():
    doc = with_cell(report(), "table3", "new", "total", 5)
    for rule in RULES_BY_ID:
        assert RULES_BY_ID[rule].title
    from helpers.checks import Context, run_rules
    (finding,) = [f for f in run_rules(Context(doc)) if f.rule == "T3-ROWTOTAL"]
    assert finding.location.table == "三" and finding.location.row.startswith("一、本年新收")
    assert finding.location.column == "总计"
    assert finding.expected.endswith("= 4") and finding.found == "5"
    assert "总计" in finding.message


def test_the_narrative_rules_read_traditional_characters():
    """受理依申請公開… is read as 受理依申请公开…: the same figures, the same findings, the
    sentences quoted as written."""
    from published import traditional
    from helpers.checks.figures import extract

    doc = report(2021)
    for key, text in doc.narrative.items():
        plain = [(m.kind, m.value, m.detail) for m in extract(text)]
        assert [(m.kind, m.value, m.detail) for m in extract(traditional(text))] == plain, key
    wrong = traditional("2021年，示例乡共收到政府信息公开申请9件。行政複議5件。")
    assert "申請" in wrong and "複議" in wrong
    found = run_rules(Context(with_text(doc, "general.on_request", wrong)))
    apps = [f for f in found if f.rule == "N-APPS"]
    assert apps and "申請" in apps[0].location.sentence  # quoted as written
    assert "N-REVIEW" in [f.rule for f in found]
    assert rules_of(with_text(doc, "general.oversight", traditional(doc.narrative["general.oversight"]))) \
        == rules_of(doc)


def test_a_blank_total_with_its_parts_filled_is_still_compared_with_the_text():
    """(issue 13, item 8) A 总计 printed blank beside filled parts: N-RESULTS and N-REVIEW compare
    the text with the parts' sum instead of staying silent."""
    doc = with_cell(report(2021), "table3", "granted", "total", None)  # parts 2+1 = 3
    assert "N-RESULTS" not in rules_of(with_text(doc, "general.on_request", "办理结果：予以公开3件。"))
    assert "N-RESULTS" in rules_of(with_text(doc, "general.on_request", "办理结果：予以公开7件。"))
    doc = with_cell(report(2021), "table4", "review", "total", None)  # parts: 1 upheld
    assert "N-REVIEW" in rules_of(with_text(doc, "general.oversight", "行政复议5件。"))
    assert "N-REVIEW" not in rules_of(with_text(doc, "general.oversight", "行政复议1件。"))
    blank_part = with_cell(doc, "table4", "review", "upheld", None)  # a part blank too: silent
    assert "N-REVIEW" not in rules_of(with_text(blank_part, "general.oversight", "行政复议5件。"))
