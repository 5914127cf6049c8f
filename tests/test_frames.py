"""The Python API an analyst calls from a notebook: tables as DataFrames under official labels."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

import helpers
from helpers import formats
from util import GUOJIAO, report, with_cell


def test_the_api_loads_checks_and_tabulates(tmp_path):
    doc = helpers.load_params(GUOJIAO)
    run = helpers.check_paths([GUOJIAO.parent])
    assert any(f.rule == "CELL-BLANK" and r.unit == doc.meta.unit for r, f in run.findings)
    frames = helpers.table_frames(doc)
    t3 = frames["table3"]
    assert t3.shape == (25, 7) and t3.index.nlevels == 3
    assert list(t3.columns.get_level_values(1)[1:6]) == ["商业企业", "科研机构", "社会公益组织",
                                                         "法律服务机构", "其他"]
    assert t3.columns[1] == (formats.T3_LEGAL, "商业企业") and t3.columns[0] == ("自然人", "")
    new = t3.loc[("一、本年新收政府信息公开申请数量", "", "")]
    assert new[("总计", "")] == 0 and str(new.dtype) == "Int64"
    granted = t3.loc[(formats.T3_RESULTS, "（一）予以公开", "")]
    assert granted.isna().all()  # printed blank: missing, never 0
    secret = t3.loc[(formats.T3_RESULTS, formats.WITHHELD, "1.属于国家秘密")]
    assert secret.isna().all()
    assert frames["table4"].loc[(formats.T4_SUIT, "复议后起诉"), "总计"] == 0


def test_blanks_missing_totals_computed_amounts_decimal_and_other_blocks_missing():
    doc = with_cell(report(2020), "table3", "new", "total", None, drop=True)  # 总计 left out
    doc = with_cell(doc, "table3", "granted", "research", None)  # printed blank
    frames = helpers.table_frames(doc)
    t3 = frames["table3"]
    assert t3.loc[("一、本年新收政府信息公开申请数量", "", ""), ("总计", "")] == 4  # computed
    assert pd.isna(t3.loc[(formats.T3_RESULTS, "（一）予以公开", ""), (formats.T3_LEGAL, "科研机构")])
    t2 = frames["table2"]  # 2019: blocks with different columns
    assert t2.loc[(formats.ART20_9, "政府集中采购"), "采购总金额"] == float(Decimal("8040"))
    assert str(t2["采购总金额"].dtype) == "Float64" and str(t2["本年新公开数量"].dtype) == "Int64"
    assert pd.isna(t2.loc[(formats.ART20_1, "规章"), "采购总金额"])
    assert t2.loc[(formats.ART20_8, "行政事业性收费"), "本年增/减"] == -1
    assert t2.attrs["title"] == "二、主动公开政府信息情况"


def test_the_report_document_offers_the_frames():
    from helpers.report.document import prepare_report

    report_ = prepare_report(GUOJIAO)
    assert set(report_.frames()) == {"table2", "table3", "table4"}
    assert report_.title == "古郊乡人民政府2021年政府信息公开工作年度报告"
    assert report_.status.name == "校验未通过"


def test_the_index_figures_of_a_report():
    from helpers.year.trends import key_figures

    doc = report(2021)  # 4 new, 1 carried over, 4 handled, 1 carried forward, 复议 1, 诉讼 1+0
    assert key_figures(doc)[1:] == (4, 4, 1, 1, 1, "—", "—")  # rates of 4 and 1 cases: too few
    assert key_figures(with_cell(doc, "table4", "suit_after", "total", None))[5] is None
