"""Figure extraction, on the real published texts in tests/data/reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers.checks.figures import cn_number, extract
from util import REPORTS


def mentions(name: str) -> list[tuple[str, object, str]]:
    text = (REPORTS / name).read_text(encoding="utf-8")
    return [(m.kind, m.value, m.detail) for m in extract(text)]


def test_shanghai_2019_every_figure_of_the_text():
    assert mentions("上海市人民政府办公厅_2019.txt") == [
        ("t2", 13, "规章"), ("t2", 60, "行政规范性文件"),
        ("apps", 859, ""), ("carry", 72, ""),
        ("result", 258, "予以公开及部分公开"), ("result", 35, "不予公开"),
        ("result", 265, "无法提供"), ("result", 158, "不予处理"), ("result", 0, "其他处理"),
        ("review", 7, ""), ("suit", 9, ""), ("all_upheld", None, "review+suit"),
    ]


def test_guojiao_says_no_applications():
    assert mentions("古郊乡_2021.txt") == [("no_apps", 0, "")]


def test_tuofenglu_says_no_applications_and_no_review():
    assert mentions("榆阳区驼峰路街道_2020.txt") == [("no_apps", 0, ""), ("no_review", 0, "review+suit")]


def test_fengyuan_parts_across_two_sentences():
    assert mentions("澄城县冯原镇_2021.txt") == [("parts", 18, "14+4")]


@pytest.mark.parametrize("name", ["会昌县中村乡_2020.txt", "尼勒克县某镇_2023.txt",
                                  "桃江县鲊埠回族乡_2021.txt", "西咸新区太平镇_2022.txt"])
def test_texts_without_figures_yield_nothing(name):
    # 中村乡's "主动公开政府信息260余" is cut off mid-figure: an approximate count is no figure
    assert mentions(name) == []


@pytest.mark.parametrize("text, kind, value", [
    ("共收到12件政府信息公开申请。", "apps", 12),
    ("本年新收政府信息公开申请十二件。", "apps", 12),
    ("受理依申请公开申请两件。", "apps", 2),
    ("本年收到申请5件（含上年结转1件）。", "apps_with_carried", 5),
    ("行政复议和行政诉讼均为零。", "no_review", 0),
    ("本年度无行政复议。", "no_review", 0),
    ("收取行政事业性收费共计12.5万元。", "t2", Decimal("12.5")),
])
def test_sentence_forms(text, kind, value):
    found = [(m.kind, m.value) for m in extract(text + "本机关对外公开。")]
    assert (kind, value) in found


@pytest.mark.parametrize("text", [
    "行政复议40件。",  # not "0件": no no_review
    "受理行政复议申请3件。",  # a review application is not a disclosure application
    "未发生因政府信息公开申请提起的行政复议。",  # not "no applications"
    "统一受理平台接入53个部门2261项事项。",
])
def test_no_false_mentions(text):
    kinds = [m.kind for m in extract(text)]
    assert "apps" not in kinds and "no_apps" not in kinds
    if "40" in text:
        assert kinds == ["review"]


@pytest.mark.parametrize("text, value", [("0", 0), ("十", 10), ("十二", 12), ("二十", 20),
                                         ("二十三", 23), ("两", 2), ("一百零五", 105), ("百", 100),
                                         ("三百", 300), ("余", None), ("十余", None)])
def test_cn_number(text, value):
    assert cn_number(text) == value
