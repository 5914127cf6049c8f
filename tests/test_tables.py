"""Printed-form grids, figure sentences and the chart (no kernel)."""

from __future__ import annotations

import dataclasses

import pytest

from helpers import load_params
from helpers.checks import Context, run_rules
from helpers.formats import FORMATS
from helpers.model import BLANK_TEXT
from helpers.report.chart import handling_chart
from helpers.report.narrative import resolve
from helpers.report.tables import grids
from util import GUOJIAO, report, with_cell, with_text


def spans(grid, part="body"):
    """The grid's width, counting colspans, row by row, with rowspans carried down."""
    rows = getattr(grid, part)
    carry: list[int] = []
    widths = []
    for row in rows:
        width = sum(1 for c in carry if c > 0)
        carry = [c - 1 for c in carry if c > 1]
        for cell in row:
            width += cell.colspan
            carry += [cell.rowspan - 1] * cell.colspan if cell.rowspan > 1 else []
        widths.append(width)
    return widths


@pytest.mark.parametrize("year", [2020, 2021])
def test_every_value_cell_once_and_a_rectangular_grid(year):
    doc = report(year)
    fmt = FORMATS[doc.meta.format]
    for key, grid in grids(doc).items():
        table = fmt.table(key)
        fields = [c.field for c in grid.value_cells()]
        assert len(fields) == len(set(fields)) == table.value_cells
        widths = spans(grid) + (spans(grid, "head") if grid.head else [])
        assert len(set(widths)) == 1, (key, widths)


def test_table3_layout_like_the_form():
    grid = grids(report(2021))["table3"]
    assert [c.text for c in grid.head[0]][1] == "申请人情况"
    assert [(c.text, c.rowspan, c.colspan) for c in grid.head[1]] == [
        ("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)]
    results = next(c for row in grid.body for c in row if c.text == "三、本年度办理结果")
    assert results.rowspan == 22  # （一）…（七）: 21 result rows and the total
    withheld = next(c for row in grid.body for c in row if c.text == "（三）不予公开")
    assert withheld.rowspan == 8
    assert len(grid.body) == 25


def test_table2_blocks_stretch_their_last_column():
    grid = grids(report(2021))["table2"]
    licensing = next(row for row in grid.body if row[0].text == "行政许可")
    assert [c.colspan for c in licensing] == [1, 3]


def test_blank_derived_and_flagged_cells():
    doc = load_params(GUOJIAO)
    cell = next(c for c in grids(doc)["table3"].value_cells() if c.field == "table3.granted.total")
    assert (cell.text, cell.state) == (BLANK_TEXT, "blank")
    doc = with_cell(report(), "table3", "new", "total", None, drop=True)
    cell = next(c for c in grids(doc)["table3"].value_cells() if c.field == "table3.new.total")
    assert (cell.text, cell.state) == ("4", "derived")
    doc = with_cell(report(), "table3", "new", "total", 5)
    findings = tuple(run_rules(Context(doc)))
    cell = next(c for c in grids(doc, findings)["table3"].value_cells() if c.field == "table3.new.total")
    assert "T3-ROWTOTAL" in cell.rules


def test_auto_sentences_agree_with_the_tables():
    for year in (2020, 2021):
        doc = report(year)
        for key in ("general.on_request", "proactive_table", "requests_table", "review_table"):
            doc = with_text(doc, key, "auto")
        text, generated = resolve(doc)
        assert generated == {"general.on_request", "proactive_table", "requests_table", "review_table"}
        resolved = dataclasses.replace(doc, narrative=text)
        assert run_rules(Context(resolved)) == []
        assert "共收到政府信息公开申请4件" in text["general.on_request"]
        assert "行政复议1件" in text["review_table"]


def test_auto_sentence_for_no_applications_is_the_usual_one():
    doc = with_text(load_params(GUOJIAO), "general.on_request", "auto")
    text, _ = resolve(doc)
    assert text["general.on_request"] == "2021年度，古郊乡无依申请公开事项。"
    doc = with_text(load_params(GUOJIAO), "requests_table", "自动")
    assert "数据不完整" in resolve(doc)[0]["requests_table"]  # blank cells: no invented figures


def test_chart_is_svg_with_text_labels():
    svg = handling_chart(report())
    assert svg.startswith("<svg") and "<text" in svg and "予以公开" in svg and "http" not in svg
    assert handling_chart(load_params(GUOJIAO)) is None  # blank results: nothing to draw
