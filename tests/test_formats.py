"""The official formats as data: exactly the rows, columns and labels of the printed forms."""

from __future__ import annotations

import pytest

from helpers import formats
from helpers.errors import FormatError


def test_table3_has_the_official_value_rows():
    assert len(formats.TABLE3_2021.rows) == 25 and len(formats.TABLE3_2019.rows) == 23
    for table in (formats.TABLE3_2021, formats.TABLE3_2019):
        assert all(len(r.columns) == 7 for r in table.rows)
        assert [c.label for c in table.rows[0].columns] == [
            "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert formats.TABLE3_2021.rows[0].label == "一、本年新收政府信息公开申请数量"
    assert formats.TABLE3_2021.rows[-1].label == "四、结转下年度继续办理"
    # no subtotal rows for （三）–（六）
    assert not any(r.label in (formats.WITHHELD, formats.UNAVAILABLE, formats.NOT_HANDLED)
                   for r in formats.TABLE3_2021.rows)


def test_table4_is_fifteen_cells_and_table2_blocks():
    assert formats.TABLE4.value_cells == 15
    assert formats.TABLE2_2021.value_cells == 10 and formats.TABLE2_2019.value_cells == 22
    assert [r.label for r in formats.TABLE2_2021.rows] == [
        "规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]
    assert formats.TABLE2_2019.row("fees").column("change").kind == formats.SIGNED


def test_derived_cells():
    t3 = formats.TABLE3_2021
    assert t3.row("results_total").derived and len(t3.row("results_total").derived_from) == 21
    assert t3.row("new").column("total").derived_from == (
        "natural_person", "business", "research", "nonprofit", "legal_services", "other_org")
    assert formats.TABLE4.row("review").column("total").derived_from == (
        "upheld", "corrected", "other", "pending")


def test_keys_are_unique_within_each_table():
    for spec in formats.FORMATS.values():
        for table in spec.tables:
            assert len({r.key for r in table.rows}) == len(table.rows)


def test_format_lookup():
    assert formats.format_for_year(2020).key == "2019"
    assert formats.format_for_year(2021).key == "2021" == formats.format_for_year(2030).key
    with pytest.raises(FormatError, match="2021, 2019"):
        formats.get_format("2008")
    with pytest.raises(FormatError):
        formats.format_for_year(2018)


def test_sections_and_unverified_wording_is_listed():
    assert [s.title for s in formats.SECTIONS] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert "2021: （一）主动公开" in formats.unverified_labels()


def test_no_other_module_spells_an_official_label():
    from pathlib import Path
    src = Path(formats.__file__).parent
    labels = {r.label for s in formats.FORMATS.values() for t in s.tables for r in t.rows
              if len(r.label) > 6}
    for path in src.rglob("*.py"):
        if path.name == "formats.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [l for l in labels if l in text], path
