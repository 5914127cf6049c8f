"""params/古郊乡_2021.yaml is the real report as published, and check finds what is there."""

from __future__ import annotations

from helpers import check_paths, load_params
from helpers.formats import TABLE3_2021
from util import GUOJIAO, REPORTS

SEED = (REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
BLANK_ROWS = [r.key for r in TABLE3_2021.rows if r.key not in ("new", "carried_over", "carry_forward")]


def test_meta_as_published():
    meta = load_params(GUOJIAO).meta
    assert (meta.unit, meta.township, meta.county, meta.kind, meta.year, meta.format, meta.published) == (
        "古郊乡人民政府", "古郊乡", "陵川县", "乡", 2021, "2021", "2022-01-21")
    assert "古郊乡人民政府 2021年政府信息公开工作年度报告" in SEED and "发布时间: 2022-01-21" in SEED


def test_every_number_as_published():
    doc = load_params(GUOJIAO)
    t2, t3, t4 = (doc.table(k) for k in ("table2", "table3", "table4"))
    assert all(v == 0 for v in t2.cells.values()) and len(t2.cells) == 10
    for row in ("new", "carried_over", "carry_forward"):
        assert [t3.cells[(row, c.key)] for c in TABLE3_2021.row(row).columns] == [0] * 7
    # 三、本年度办理结果 was printed blank: blank, never 0
    for row in BLANK_ROWS:
        assert [t3.cells[(row, c.key)] for c in TABLE3_2021.row(row).columns] == [None] * 7
    assert list(t4.cells.values()) == [0] * 15


def test_the_whole_narrative_as_published():
    doc = load_params(GUOJIAO)
    text = "\n".join(doc.narrative.values())
    paragraphs = [p.strip() for p in SEED.split("\n") if "。" in p]  # every prose paragraph
    assert len(paragraphs) == 7
    for paragraph in paragraphs:
        assert paragraph in text
    assert sum(map(len, paragraphs)) == sum(len(t) for t in doc.narrative.values())  # nothing added
    assert doc.narrative["general.on_request"] == "2021年度,古郊乡无依申请公开事项。"
    assert doc.narrative["other"] == ""  # 六 was printed empty


def test_check_reports_the_blank_cells_and_the_empty_section_six_only():
    run = check_paths([GUOJIAO])
    assert run.exit_code == 1 and not run.unreadable
    (report,) = run.reports
    errors = [(f.rule, f.location.field) for f in report.errors]
    assert errors == [("CELL-BLANK", f"table3.{r}") for r in BLANK_ROWS] + [
        ("M-SECTIONS", "narrative.other")]
    # The one warning is real: the report never states 工作考核、社会评议和责任追究结果 (条例第五十条).
    assert [(f.rule, f.location.field) for f in report.warnings] == [
        ("M-OVERSIGHT", "narrative.general.oversight")]
    assert "考核" not in SEED and "评议" not in SEED and "责任追究" not in SEED
