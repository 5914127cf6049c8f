"""The county file: expected townships per year, and what check says about the county."""

from __future__ import annotations

import pytest

from helpers import check_paths
from helpers.errors import ParamsError
from helpers.params.county import load_county
from helpers.params.write import format_params
from util import ROOT, report, with_meta, with_text


def test_the_shipped_county_file():
    county = load_county(ROOT / "params" / "county.yaml")
    assert county.name == "陵川县" and "古郊乡" in county.expected[2021]


def write_county(folder, text):
    (folder / "county.yaml").write_text(text, encoding="utf-8")


def test_missing_unexpected_and_duplicate(tmp_path):
    write_county(tmp_path, "county: 示例县\nexpected:\n  2021: [示例乡, 礼义镇]\n")
    (tmp_path / "示例乡_2021.yaml").write_text(format_params(report()), encoding="utf-8")
    (tmp_path / "副本.yaml").write_text(format_params(report()), encoding="utf-8")
    other = with_meta(report(), township="六泉乡", unit="六泉乡人民政府")
    other = with_text(other, "general", "2021年，六泉乡认真贯彻落实《条例》。")
    (tmp_path / "六泉乡_2021.yaml").write_text(format_params(other), encoding="utf-8")
    run = check_paths([tmp_path])
    rules = sorted((r.unit, f.rule) for r in run.reports for f in r.findings)
    assert ("礼义镇", "COUNTY-MISSING") in rules
    assert ("六泉乡人民政府", "COUNTY-UNEXPECTED") in rules
    assert rules.count(("示例乡人民政府", "COUNTY-DUPLICATE")) == 2
    assert run.exit_code == 1


def test_neighbours_feed_m_unit(tmp_path):
    write_county(tmp_path, "county: 示例县\nexpected:\n  2021: [示例乡, 礼义镇]\n")
    doc = report(general__management="礼义镇健全工作机制。")
    (tmp_path / "示例乡_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    run = check_paths([tmp_path])
    assert any(f.rule == "M-UNIT" for r in run.reports for f in r.findings)


@pytest.mark.parametrize("text, field", [
    ("county: 示例县\nexpected:\n  2021: 示例乡\n", "expected.2021"),
    ("county: 示例县\nexpected:\n  2021: [a]\n  2021: [b]\n", "expected.2021"),
    ("county: 示例县\nexpectd: {}\n", "expectd"),
    ("county: 示例县\ndeadline: 1月31日\nexpected: {}\n", "deadline"),
])
def test_bad_county_files(tmp_path, text, field):
    write_county(tmp_path, text)
    with pytest.raises(ParamsError) as info:
        load_county(tmp_path / "county.yaml")
    assert field in [p.field for p in info.value.problems]


def test_the_bundled_demo_files_are_what_the_generator_makes():
    from helpers.report.synthetic import demo_county

    for name, text in demo_county().items():
        assert (ROOT / "params" / name).read_text(encoding="utf-8") == text, name
        assert "示例数据" in text and "sample: true" in text
    county = load_county(ROOT / "params" / "county.yaml")
    assert len(county.expected[2021]) == 12


def test_the_demo_county_shows_its_deliberate_problems():
    run = check_paths([ROOT / "params"])
    found = {(r.unit, r.year): {f.rule for f in r.findings} for r in run.reports}
    assert "T3-BALANCE" in found[("附城镇人民政府", 2021)]
    assert "N-APPS" in found[("西河底镇人民政府", 2021)]
    assert "CELL-BLANK" in found[("平城镇人民政府", 2021)]
    assert "M-UNIT" in found[("杨村镇人民政府", 2021)]
    assert "X-CARRY" in found[("礼义镇人民政府", 2021)]
    assert found[("崇文镇人民政府", 2021)] == set() and not run.unreadable
