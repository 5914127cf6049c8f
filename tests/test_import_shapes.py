"""Issue 13: published reports as they really are on government sites — every shape of
tests/flatten.py on random reports (never a different number), the six real reports that show
them, and the checks that find what a careful reader finds in them."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flatten import SHAPES
from helpers.checks.folder import check_paths
from helpers.importer import import_report
from helpers.importer.cells import PIPE_ROWS, PIPE_SUFFIX, RUN_ON
from helpers.importer.digits import Sum, decode, splits
from helpers.params.load import load_params
from helpers.params.write import format_params
from published import random_report, write_params
from util import REPORTS, flat, report, with_meta, with_text

N = None
# Shapes that keep every blank cell: a report flattened so imports back whole.
LOSSLESS = {"blank_lines", "lone_pipe", "run_on_bars", "look_alike", "traditional"}


def wrong_cells(expected, doc) -> list:
    """Cells the import filled with something else than the report printed."""
    out = []
    for key, table in expected.tables.items():
        for row in table.spec.rows:
            for col in row.columns:
                path = f"{key}.{row.key}.{col.key}"
                if doc.unread(path):
                    continue
                a, b = table.value(row.key, col.key), doc.tables[key].value(row.key, col.key)
                if a != b or type(a) is not type(b):
                    out.append((path, a, b))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=st.sampled_from(sorted(SHAPES)), year=st.sampled_from([2019, 2020, 2021, 2023]),
       seed=st.integers(0, 10 ** 6), blanks=st.integers(0, 8))
def test_every_shape_imports_back_the_same_cells_or_marks_them_unread(tmp_path_factory, shape,
                                                                      year, seed, blanks):
    folder = tmp_path_factory.mktemp("shape")
    expected = load_params(write_params(random_report(year, seed, blanks), folder))
    text = SHAPES[shape](expected, random.Random(seed))
    copy = folder / f"{expected.meta.township}_{year}.txt"
    copy.write_text(text, encoding="utf-8")
    result = import_report(copy)
    assert wrong_cells(expected, result.doc) == []  # never a silent misread
    assert result.doc.source.not_reached == ()  # a whole report: nothing is "not reached"
    if shape in LOSSLESS:
        assert result.doc.source.unread == () and result.doc.source.decoded == ()
    problems = " ".join(p for t in result.tables.values() for p in t.problems)
    for path in result.doc.source.unread:  # every unread row is named, with why
        table, _, row = path.partition(".")
        label = expected.spec.table(table).row(row).label if row else ""
        assert label in problems or table == "table4" and "表四" in problems
    if shape.startswith("run_on"):
        assert result.shape == RUN_ON and result.source.recut == 1


def test_run_together_digits_are_decoded_only_when_one_split_adds_up(tmp_path):
    row_sum = [Sum(6, (0, 1, 2, 3, 4, 5))]
    assert decode(["713000074"], 7, row_sum) == [71, 3, 0, 0, 0, 0, 74]
    assert len(splits(["1030121228"], 7, row_sum)) == 3 and decode(["1030121228"], 7, row_sum) is None
    assert decode(["12"], 2, []) is None  # no arithmetic: 12 and a dropped blank, or 1 | 2?
    assert decode(["71", "3000074"], 7, row_sum) is None  # two numbers: blanks dropped, not run
    text = (REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
    doc = import_report(REPORTS / "古郊乡_2021.txt").doc
    new = [doc.tables["table3"].value("new", c.key) for c in doc.spec.table("table3").row("new").columns]
    printed = "\n\n".join(str(v) for v in new)
    assert printed in text
    joined = tmp_path / "古郊乡_2021.txt"
    joined.write_text(text.replace(printed, "".join(str(v) for v in new), 1), encoding="utf-8")
    result = import_report(joined)
    assert result.doc.source.decoded == ("table3.new",)
    assert [result.doc.tables["table3"].value("new", c.key)
            for c in doc.spec.table("table3").row("new").columns] == new
    assert result.confidence == "中" and any("解码" in r for r in result.reasons)
    assert any("连写数字" in n for n in result.tables["table3"].notes)
    params = tmp_path / "p.yaml"
    params.write_text(format_params(result.doc), encoding="utf-8")
    assert load_params(params).decoded("table3.new")  # kept through the params file


def test_a_decoded_row_keeps_its_own_sum_silent_and_others_not():
    doc = report(2021)
    bad = replace(doc, tables={**doc.tables, "table3": replace(doc.tables["table3"], cells={
        **doc.tables["table3"].cells, ("new", "total"): 999})})
    from helpers.model import Source

    src = Source("x.txt", "0" * 64, "txt", "中", decoded=("table3.new",))
    assert "T3-ROWTOTAL" in [r for r, _ in flat(bad)]
    assert "T3-ROWTOTAL" not in [r for r, _ in flat(replace(bad, source=src))]
    other = replace(bad, source=replace(src, decoded=("table3.granted",)))
    assert "T3-ROWTOTAL" in [r for r, _ in flat(other)]


# -- the real reports of issue 13 ----------------------------------------------------------------

def cells(doc, table, row):
    t = doc.tables[table]
    return [t.value(row, c.key) for c in t.spec.row(row).columns]


def test_xiangzhou_2022_a_whole_report_on_one_line():
    r = import_report(REPORTS / "襄州区人社局_2022.txt")
    assert r.shape == RUN_ON and r.source.recut == 1
    assert (r.doc.meta.unit, r.doc.meta.year) == ("襄州区人社局", 2022)
    assert r.identity.sources["unit"] == "正文"
    assert r.sections.found == [1, 2]
    assert set(r.sections.subheadings) == {f"general.{k}" for k in
                                           ("proactive", "on_request", "management", "platforms", "oversight")}
    assert "收到政府信息公开申请事项1件" in r.doc.narrative["general.on_request"]
    assert r.doc.narrative["general.proactive"].startswith("2022年,襄州区人社局通过")
    assert r.doc.source.not_reached == ("table2", "table3", "table4", "narrative.problems",
                                        "narrative.other")


def test_a_web_page_with_the_whole_report_in_one_paragraph(tmp_path):
    import html

    text = (REPORTS / "襄州区人社局_2022.txt").read_text(encoding="utf-8").split("\n", 2)[2]
    page = tmp_path / "襄州区人社局_2022.html"
    page.write_text(f"<html><body><nav>首页</nav><p>{html.escape(text)}</p></body></html>",
                    encoding="utf-8")
    r = import_report(page)
    assert r.shape == RUN_ON and r.sections.found == [1, 2] and len(r.sections.subheadings) == 5


def test_weishan_2020_rows_with_trailing_and_padding_bars():
    r = import_report(REPORTS / "微山县两城镇_2020.txt")
    assert r.shape == PIPE_ROWS
    assert all(v == 0 for row in r.doc.spec.table("table2").rows for v in cells(r.doc, "table2", row.key))
    assert cells(r.doc, "table3", "new") == [0] * 7 and cells(r.doc, "table3", "carried_over") == [0] * 7
    assert r.doc.source.unread == ()
    assert 1 in r.sections.found and "统计期限为2020年1月1日至2020年12月31日" in r.doc.narrative["general"]


def test_hukou_2020_cells_ending_in_bars_with_padding():
    r = import_report(REPORTS / "湖口县大垅乡_2020.txt")
    assert r.shape == PIPE_SUFFIX
    for row in ("rules", "normative", "licensing", "other_services", "penalty", "enforcement", "fees"):
        assert set(cells(r.doc, "table2", row)) == {0}, row  # every visible row read
    assert r.doc.source.not_reached[0] == "table2.procurement"  # the cut, and only after it
    assert r.doc.source.unread == ()
    assert "统计数据时限为2020年1月1日至2020年12月31日" in r.doc.source.preface


def test_jiaxian_2022_a_table_printed_empty_reads_blank_not_unread():
    r = import_report(REPORTS / "佳县螅镇_2022.txt")
    assert all(v is None for row in r.doc.spec.table("table2").rows for v in cells(r.doc, "table2", row.key))
    assert cells(r.doc, "table3", "new") == [N] * 7
    assert r.doc.source.unread == ()
    assert (r.doc.meta.unit, r.doc.meta.county, r.doc.meta.published) == ("螅镇", "佳县", "2023-01-31")
    assert any("未印出任何数值" in n for n in r.tables["table2"].notes)


def test_lueyang_2021_traditional_characters_and_bars():
    r = import_report(REPORTS / "略阳县自然资源局_2021.txt")
    assert r.sections.found == [1, 2, 3]
    assert cells(r.doc, "table2", "licensing") == [61, 36, 97]
    assert cells(r.doc, "table2", "penalty") == [0, 1, 1]
    assert r.doc.meta.format == "2019"  # the tables it printed, whatever its year
    assert r.identity.sources["year"] == "正文" and r.doc.meta.year == 2021


def test_yuhong_2021_title_inside_page_furniture():
    r = import_report(REPORTS / "于洪区迎宾路街道_2021.txt")
    meta = r.doc.meta
    assert (meta.unit, meta.county, meta.kind, meta.year, meta.published) == \
        ("迎宾路街道", "于洪区", "街道", 2021, "2022-01-18")
    assert r.doc.source.preface.startswith("积极推进政务信息公开")
    assert "首页" not in r.doc.source.preface and "字体" not in r.doc.source.preface


def test_checks_find_what_a_careful_reader_finds_in_the_new_reports(tmp_path, capsys):
    from helpers.cli import main

    names = ["襄州区人社局_2022", "微山县两城镇_2020", "湖口县大垅乡_2020", "佳县螅镇_2022",
             "略阳县自然资源局_2021", "于洪区迎宾路街道_2021"]
    out = tmp_path / "p"
    assert main(["import", *(str(REPORTS / f"{n}.txt") for n in names), "--out", str(out)]) == 0
    run = check_paths([out])
    found = {(r.path.split("/")[-1], f.rule) for r, f in run.findings if f.severity != "info"}
    assert ("迎宾路街道_2021.yaml", "M-UNIT") in found  # 向市政府…提出: the city's report copied
    assert ("略阳县自然资源局_2021.yaml", "M-FORMAT") in found  # 2021 with the 2019 tables
    assert ("螅镇_2022.yaml", "M-FORMAT") in found and ("螅镇_2022.yaml", "CELL-BLANK") in found
    assert not {r for _, r in found} - {"M-UNIT", "M-FORMAT", "CELL-BLANK", "IMPORT-TRUNCATED"}


# -- look-alike characters, titles, years -------------------------------------------------------

def test_a_dash_for_one_and_brackets_of_every_kind(tmp_path):
    text = (REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
    assert "一、总体情况" in text
    copy = tmp_path / "古郊乡_2021.txt"
    copy.write_text(text.replace("一、总体情况", "—、总体情况").replace("（一）", "(一)"), encoding="utf-8")
    result = import_report(copy)
    assert result.sections.found == [1, 2, 3, 4, 5, 6]
    assert result.doc.source.unread == () and result.doc.source.not_reached == ()
    for basis in ("〔2019〕60号", "[2019]60号", "【2019】60号", "（2019）60号", "(2019)60号"):
        doc = with_text(report(2021), "other", f"按照国办公开办函{basis}要求编制。")
        assert "M-FORMAT" in [r for r, _ in flat(doc)], basis


def test_title_and_period_disagree_import_by_the_title_and_say_m_year(tmp_path):
    text = (REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
    copy = tmp_path / "x.txt"
    copy.write_text("标题：古郊乡人民政府2021年政府信息公开工作年度报告\n本报告统计期限为2020年1月1日至2020年12月31日。"
                    "若对本报告有疑问，请与乡党政办联系。\n" + text, encoding="utf-8")
    result = import_report(copy)
    assert result.doc.meta.year == 2021 and result.identity.period_year == 2020
    assert result.confidence == "低" and any("统计期限" in r for r in result.reasons)
    params = tmp_path / "x.yaml"
    params.write_text(format_params(result.doc), encoding="utf-8")
    years = [f for _, f in check_paths([params]).findings if f.rule == "M-YEAR"]
    assert years and years[0].location.field == "source.preface"


@pytest.mark.parametrize("period,ok", [
    ("2021年1月1日至2021年12月31日", True), ("2021年1月1日至12月31日", True),
    ("2021年1月1日至2021年12月32日", False), ("2021年2月30日至2021年12月31日", False),
    ("2020年1月1日至2020年12月31日", False), ("2021年1月1日至2021年11月30日", False),
    ("2021年1月1日至2021年12月", False)])
def test_m_year_reads_the_stated_period_whole(period, ok):
    doc = with_text(report(2021), "general", f"本报告所列数据的统计期限为{period}。")
    assert ("M-YEAR" not in [r for r, _ in flat(doc)]) is ok


@pytest.mark.parametrize("kind,unit,text,wrong", [
    ("街道", "迎宾路街道办事处", "受理公民向市政府及市政府办公室提出的政府信息公开申请5件。", True),
    ("镇", "示例镇人民政府", "2021年，全市政务公开工作取得新成效。", True),
    ("镇", "示例镇人民政府", "按照全市政务公开工作部署，我镇扎实推进公开工作。", False),
    ("镇", "示例镇人民政府", "我镇向县政府提出建议2条。", False),
    ("县级人民政府", "示例县人民政府", "全县政务公开工作稳步推进。", False),
    ("县级人民政府", "示例县人民政府", "全市政务公开工作稳步推进。", True),
    ("部门", "襄州区人社局", "全省人社系统政务公开工作扎实推进。", True),
    ("部门", "上海市人民政府办公厅", "全市政务公开工作稳步推进。", False)])
def test_m_unit_a_report_speaking_as_a_higher_level(kind, unit, text, wrong):
    doc = with_text(with_meta(report(2021), kind=kind, unit=unit), "general", text)
    assert ("M-UNIT" in [r for r, _ in flat(doc)]) is wrong


def test_the_character_table_is_what_opencc_says_and_leaves_the_kits_words_alone():
    from helpers import formats
    from helpers.checks.hanzi import opencc_table, simplified, table

    assert table() == opencc_table()  # t2s.txt is current: `python -m helpers.checks.hanzi` rewrites it
    labels = {label for f in formats.FORMATS.values() for t in f.tables for label in t.labels}
    labels |= {s.heading for f in formats.FORMATS.values() for s in f.sections}
    assert [w for w in labels if simplified(w) != w] == []
    assert simplified("受理依申請公開") == "受理依申请公开" and simplified("大量反覆申請") == "大量反复申请"
