"""The analyst's year: a new year started from the last, the county workbook, the years side by
side — on the real 陵川县 demo county."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.checks.folder import CountyFolder, check_paths
from helpers.cli import main
from helpers.params.load import load_params
from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report
from helpers.year.countybook import county_workbook
from helpers.year.rollup import rollup
from helpers.year.trends import chart, county_trend, trend, year_figures
from util import ROOT, with_text

DEMO = ROOT / "params"


@pytest.fixture
def demo(tmp_path) -> Path:
    folder = tmp_path / "params"
    shutil.copytree(DEMO, folder)
    return folder


def test_new_year_starts_each_township_from_last_year(demo, capsys):
    before = {p.name: p.read_bytes() for p in demo.iterdir()}
    assert main(["new-year", "2023", str(demo), "--dry-run"]) == 0
    assert "将写出" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in demo.iterdir()} == before  # nothing written
    assert main(["new-year", "2023", str(demo)]) == 0
    made = sorted(p.name for p in demo.glob("*_2023.yaml"))
    assert made == ["崇文镇_2023.yaml", "礼义镇_2023.yaml", "附城镇_2023.yaml"]
    county = (demo / "county.yaml").read_text(encoding="utf-8")
    assert "  2023: [崇文镇, 礼义镇, 附城镇]" in county and "# 陵川县" in county  # comments kept
    last, new = load_params(demo / "崇文镇_2022.yaml"), load_params(demo / "崇文镇_2023.yaml")
    assert (new.meta.year, new.meta.published, new.meta.carried_from) == (2023, None, 2022)
    t3, t2 = new.table("table3"), new.table("table2")
    for col in t3.spec.row("carried_over").columns[:-1]:
        assert t3.cells[("carried_over", col.key)] == last.table("table3").number("carry_forward", col.key)
    assert t2.cells[("normative", "in_force")] == last.table("table2").number("normative", "in_force")
    assert t2.cells[("normative", "issued")] is None and t3.cells[("granted", "natural_person")] is None
    assert new.narrative["general.on_request"] == "auto" and new.narrative["problems"] == last.narrative["problems"]
    rules = [f.rule for f in CountyFolder.open_file(demo / "崇文镇_2023.yaml").report(demo / "崇文镇_2023.yaml").findings]
    assert "CELL-BLANK" in rules and "M-CARRIED" in rules and "X-CARRY" not in rules
    # rewritten, the text no longer names last year: the warning goes
    edited = with_text(new, "general", new.narrative["general"].replace("2022年", "2023年"))
    for key in edited.narrative:
        edited = with_text(edited, key, edited.narrative[key].replace("2022年", "2023年"))
    (demo / "崇文镇_2023.yaml").write_text(format_params(edited), encoding="utf-8")
    rules = [f.rule for _, f in check_paths([demo / "崇文镇_2023.yaml"]).findings]
    assert "M-CARRIED" not in rules
    # never over an existing file
    (demo / "礼义镇_2023.yaml").write_text("# 分析员已改\n" + (demo / "礼义镇_2023.yaml").read_text(), encoding="utf-8")
    kept = (demo / "礼义镇_2023.yaml").read_bytes()
    assert main(["new-year", "2023", str(demo)]) == 0
    assert "已存在，未覆盖" in capsys.readouterr().out and (demo / "礼义镇_2023.yaml").read_bytes() == kept


def test_new_year_in_the_2019_format_carries_the_items(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "county.yaml").write_text("county: 示例县\nexpected:\n  2019: [甲镇]\n", encoding="utf-8")
    last = synthetic_report("甲镇", 2019, 3, county="示例县")
    (folder / "甲镇_2019.yaml").write_text(format_params(last), encoding="utf-8")
    assert main(["new-year", "2020", str(folder)]) == 0
    new = load_params(folder / "甲镇_2020.yaml").table("table2")
    before = last.table("table2")
    for row in ("licensing", "penalty"):
        assert new.cells[(row, "prior_items")] == before.number(row, "prior_items") + before.number(row, "change")
        assert new.cells[(row, "change")] is None
    assert main(["new-year", "2021", str(folder)]) == 0  # into the 2021 format: no stock to carry
    across = load_params(folder / "甲镇_2021.yaml")
    assert across.spec.key == "2021" and across.table("table2").cells[("normative", "in_force")] is None


def test_a_year_with_params_but_no_county_list_is_a_finding(tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "county.yaml").write_text("county: 示例县\nexpected:\n  2021: [甲镇]\n", encoding="utf-8")
    (folder / "甲镇_2022.yaml").write_text(format_params(synthetic_report("甲镇", 2022, 1, county="示例县")),
                                          encoding="utf-8")
    assert "COUNTY-NOYEAR" in [f.rule for _, f in check_paths([folder]).findings]


def _county_book(tmp_path) -> tuple[Path, list]:
    folder = CountyFolder.open([DEMO], check=False)
    docs = sorted((d for d in folder.docs.values() if d.meta.year == 2021), key=lambda d: d.meta.township)
    path = tmp_path / "陵川县_2021.xlsx"
    path.write_bytes(county_workbook(folder, docs, rollup(docs, "陵川县")))
    return path, docs


def test_the_county_workbook_as_a_city_analyst_filters_and_sums(tmp_path):
    from openpyxl import load_workbook

    path, docs = _county_book(tmp_path)
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "表二", "表三", "表四", "校验结果"]
    names = [d.meta.township for d in docs] + ["陵川县各乡镇汇总"]
    summary = book["汇总"]
    assert [summary.cell(r, 1).value for r in range(2, summary.max_row + 1)] == names  # no stray header row
    assert summary.cell(1, 2).value == "状态" and summary.cell(names.index("古郊乡") + 2, 2).value == "校验未通过"
    assert summary.freeze_panes == "B2" and summary.auto_filter.ref
    assert summary.column_dimensions["A"].width >= len("陵川县各乡镇汇总") * 2  # the roll-up's name whole
    t3 = book["表三"]
    assert t3.max_column == 10 and t3.freeze_panes == "D2"  # 乡镇 状态 项目 + seven columns, not 175
    rows = {(t3.cell(r, 1).value, t3.cell(r, 3).value): [t3.cell(r, c).value for c in range(4, 11)]
            for r in range(2, t3.max_row + 1)}
    chongwen = next(d for d in docs if d.meta.township == "崇文镇").table("table3")
    assert rows[("崇文镇", "一、本年新收政府信息公开申请数量")][-1] == chongwen.value("new", "total")
    assert isinstance(rows[("崇文镇", "一、本年新收政府信息公开申请数量")][-1], int)  # a number, not text
    assert rows[("古郊乡", "三、本年度办理结果·（一）予以公开")] == [None] * 7  # blank, never 0
    t2 = book["表二"]
    assert t2.freeze_panes == "C3" and t2.cell(1, 3).value == "规章" and t2.cell(2, 3).value == "本年制发件数"
    assert any(str(m) == "C1:E1" for m in t2.merged_cells.ranges)  # the printed row over its columns
    fee = [t2.cell(r, t2.max_column).value for r in range(3, t2.max_row + 1)]
    assert any(isinstance(v, float) and v != int(v) for v in fee)  # 万元 with its decimals
    findings = book["校验结果"]
    towns = {findings.cell(r, 1).value for r in range(2, findings.max_row + 1)}
    assert {"古郊乡", "附城镇"} <= towns


@pytest.mark.slow
def test_the_county_workbook_opens_in_calc(tmp_path):
    """LibreOffice Calc (standing in for Excel and WPS) opens and prints it: every sheet one page
    wide, the roll-up's name whole, the statuses and figures as typed."""
    import subprocess

    from pypdf import PdfReader

    from office import calc_sheets, soffice
    from test_forms import keep_pictures

    path, docs = _county_book(tmp_path)
    shown = calc_sheets(path)
    assert shown["汇总"][-1][:2] == ["陵川县各乡镇汇总", "校验未通过"]
    assert shown["表三"][0][:4] == ["乡镇（街道）", "状态", "项目", "自然人"]
    done = subprocess.run([soffice(), "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, timeout=120)
    assert done.returncode == 0
    pdf = PdfReader(tmp_path / "陵川县_2021.pdf")
    keep_pictures(tmp_path / "陵川县_2021.pdf", "county-workbook")
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "陵川县各乡镇汇总" in text and "校验未通过" in text
    assert len(pdf.pages) <= 15  # one page wide: 5 sheets, table 三's 325 rows over a few pages


def test_the_years_side_by_side():
    folder = CountyFolder.open([DEMO], check=False)
    docs = [d for d in folder.docs.values() if d.meta.township == "崇文镇"]
    t = trend("崇文镇", docs, {2021: True})
    assert t.years == (2020, 2021, 2022) and t.year_notes == ("", "校验未通过", "")
    new = [d.table("table3").number("new", "total") for d in sorted(docs, key=lambda d: d.meta.year)]
    assert t.row("新收申请").values == tuple(str(n) for n in new)
    diff = new[1] - new[0]
    assert t.row("新收申请").changes[1] == (f"+{diff}" if diff > 0 else str(diff))  # -2, as reports print it
    svg = chart(t)
    assert svg.startswith("<svg") and svg.count("<polyline") >= 4 and "http" not in svg
    assert 'class="value' in svg and '>件</text>' in svg  # each point's value, the axis' unit and ticks


def test_the_county_compares_like_with_like():
    """Each year says how many townships it covers; a change is over the townships in both years;
    one township's blank does not blank the county's figure."""
    folder = CountyFolder.open([DEMO], check=False)
    docs = list(folder.docs.values())
    whole = county_trend("陵川县", docs, next(iter(folder.counties.values())).expected)
    assert whole.years == (2020, 2021, 2022)
    assert whole.year_notes == ("2/2 个乡镇", "12/12 个乡镇", "3/3 个乡镇")
    by = {(d.meta.township, d.meta.year): year_figures(d) for d in docs}
    both = [t for t, y in by if y == 2020]  # 崇文镇, 礼义镇 also report in 2021
    diff = sum(by[(t, 2021)]["新收申请"] for t in both) - sum(by[(t, 2020)]["新收申请"] for t in both)
    assert whole.row("新收申请").changes[1] == (f"+{diff}" if diff > 0 else str(diff)) + "（同口径 2 个乡镇）"
    granted = whole.row("予以公开")  # 古郊乡 printed its table 三 blank in 2021
    assert granted.values[1] == str(sum(f["予以公开"] for (t, y), f in by.items() if y == 2021 and f["予以公开"] is not None))
    assert granted.notes[1] == "（1 个乡镇未填）"
    assert whole.row("复议纠错率").values[0] == "—"  # 2020: too few reviews to mean anything


def test_a_rate_needs_a_base_and_carried_text_is_not_this_years_figure():
    from dataclasses import replace

    from helpers.year.trends import MIN_BASE, rate_text

    assert rate_text({"予以公开": 3, "办理结果总计": MIN_BASE - 1}, "予以公开率") == "—"
    assert rate_text({"予以公开": 5, "办理结果总计": 12}, "予以公开率") == "41.7%"
    doc = synthetic_report("甲镇", 2022, 1, county="示例县")
    said = year_figures(doc)["主动公开（条）"]
    assert said is not None
    carried = replace(doc, meta=replace(doc.meta, carried_from=2022))  # its text names 2022: last year's
    assert year_figures(carried)["主动公开（条）"] is None


@pytest.mark.slow
def test_the_demo_build_shows_the_years_and_the_workbook(demo, tmp_path):
    from helpers.build.batch import build

    out = tmp_path / "build"
    build(demo, out, jobs=2, timeout=120)
    trends = sorted(p.name for p in (out / "trends").glob("*.html"))
    assert trends == ["崇文镇.html", "礼义镇.html", "附城镇.html"]
    year = BeautifulSoup((out / "2021" / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = year.select_one('tr[data-township="崇文镇"] a.trend-link')
    assert link["href"] == "../trends/崇文镇.html"
    assert "陵川县_2021.xlsx" in year.get_text()
    top = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "陵川县历年情况" in top.get_text() and top.select_one("#trend svg") is not None
    page = BeautifulSoup((out / "trends" / "崇文镇.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in page.select("p.empty a")] == [
        "../2020/崇文镇_2020.html", "../2021/崇文镇_2021.html", "../2022/崇文镇_2022.html"]
    assert (out / "2022" / "陵川县_2022.xlsx").exists()
    csv = (out / "2021" / "summary.csv").read_text(encoding="utf-8-sig")
    assert ".0," not in csv


def test_the_rollup_says_where_its_errors_come_from():
    """A county finding names the townships behind it; one township's blank cells leave the
    county's cell the sum of the others, told as such."""
    from helpers.checks import Context, run_rules

    folder = CountyFolder.open([DEMO], check=False)
    docs = sorted((d for d in folder.docs.values() if d.meta.year == 2021), key=lambda d: d.meta.township)
    county = rollup(docs, "陵川县")
    granted = county.table("table3").value("granted", "total")
    assert granted == sum(d.table("table3").number("granted", "total") or 0 for d in docs)  # 古郊乡 blank: left out
    assert county.origin("table3.granted.total").startswith("11/12 个乡镇之和，古郊乡未填")
    found = {(f.rule, f.location.field): f.location.origin for f in run_rules(Context(county))}
    carried = found[("T3-ROWTOTAL", "table3.carry_forward.total")]
    assert "附城镇 T3-ROWTOTAL" in carried  # 附城镇 typed a 结转 总计 its parts do not make
    assert "古郊乡" not in carried


def test_text_repeated_from_last_year_is_found_sentence_by_sentence(tmp_path):
    """X-SIMILAR: the demo's 崇文镇 2022 carries 2021's prose unchanged and is warned, with the
    repeated sentences; rewritten, it is not; the wording every report must have (统计期限) and the
    sentences stating the year's figures do not count; the trend page shows the share."""
    from helpers.checks import Context, run_rules
    from helpers.checks.years import repeated

    folder = CountyFolder.open([DEMO], check=False)
    by = {(d.meta.township, d.meta.year): d for d in folder.docs.values()}
    copied, last = by[("崇文镇", 2022)], by[("崇文镇", 2021)]
    [finding] = [f for f in run_rules(Context(copied, previous=last)) if f.rule == "X-SIMILAR"]
    assert finding.found == "100%" and "重复的句子如：" in finding.message
    share, same = repeated(copied, last)
    assert share == 1 and not any("统计期限" in s or "件" in s for *_, s in same)
    rewritten = with_text(copied, "general.management", "今年重新梳理了公开目录，清理过期信息二百余条，并逐条核对发布依据。")
    for key in ("general", "general.platforms", "general.oversight", "problems"):
        rewritten = with_text(rewritten, key, f"这一部分由{key}的经办人按本年度实际情况重新撰写，没有沿用上年文字。")
    assert not [f for f in run_rules(Context(rewritten, previous=last)) if f.rule == "X-SIMILAR"]
    assert repeated(by[("崇文镇", 2021)], by[("崇文镇", 2020)])[0] <= 0.5  # the demo's other years
    t = trend("崇文镇", [d for (n, _), d in by.items() if n == "崇文镇"])
    shares = t.row("正文与上年重复").values
    assert shares[0] == "—" and int(shares[1][:-1]) <= 50 and shares[2] == "100%"
