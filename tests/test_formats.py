"""The official formats as data: exactly the rows, columns and labels of the printed forms."""

from __future__ import annotations

import ast
from pathlib import Path

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


def _constants(tree: ast.AST) -> list[ast.Constant]:
    """Every string literal of a module (f-string parts included) but its docstrings."""
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_no_other_module_spells_an_official_label():
    """Every label of every format — table titles, headers, notes, groups, rows, columns, the
    basis document, result categories, section titles — lives in the formats package only. Outside it a
    literal may not be a label, nor contain one of four characters or more; a section heading
    (主动公开, 依申请公开) is also an everyday word of the text, so only its exact use counts."""
    specs = formats.FORMATS.values()
    table_texts = {t for f in specs for table in f.tables for t in table.labels}
    table_texts |= {f.document for f in specs} | {c for f in specs for c in f.categories}
    sections = [s for f in specs for top in f.sections for s in (top, *top.subsections)]
    titles = {s.title for s in sections}
    exact = table_texts | titles | {s.heading for s in sections}
    contained = {t for t in table_texts | titles if len(t) >= 4}
    assert {"总计", "其他", "规章", "信息内容", "申请人情况", "国办公开办函〔2021〕30号", "一、总体情况",
            "（五）监督保障", "行政复议"} <= exact
    own = Path(formats.__file__).parent  # the formats package: where the labels live
    src = own.parent
    found = []
    for path in sorted(src.rglob("*.py")):
        if own in path.parents:
            continue
        for node in _constants(ast.parse(path.read_text(encoding="utf-8"))):
            hits = [t for t in exact if node.value == t]
            hits += [t for t in contained if t in node.value and t != node.value]
            found += [f"{path.relative_to(src)}:{node.lineno} {t}" for t in hits]
    assert found == []


def test_the_spec_owns_what_differs_between_formats():
    f21, f19 = formats.FORMAT_2021, formats.FORMAT_2019
    assert f21.basis == ("2021", "30") and f19.basis == ("2019", "60")
    assert (f21.stock_rule, f19.stock_rule) == (formats.STOCK_IN_FORCE, formats.STOCK_ITEMS)
    assert f21.fee_in_other and not f19.fee_in_other
    assert f21.stated["normative"] == "issued" and f19.stated["normative"] == "published"
    assert f21.categories["其他处理"] == ("other_no_correction", "other_no_fee", "other_misc")
    assert f19.categories["其他处理"] == ("other",)
    assert list(f21.categories) == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert list(f21.narrative_skeleton()) == [
        "general", "general.proactive", "general.on_request", "general.management",
        "general.platforms", "general.oversight", "proactive_table", "requests_table",
        "review_table", "problems", "other"]
    assert f21.section_title("general.oversight") == "一、总体情况（五）监督保障"


def test_a_format_registered_later_is_pickled_by_its_key():
    import dataclasses
    import pickle

    spec = formats.register(dataclasses.replace(formats.FORMAT_2021, key="2077", years=(2077, None)))
    try:
        assert pickle.loads(pickle.dumps(spec)) is spec
        assert formats.format_for_year(2080) is spec and formats.format_for_year(2076).key == "2021"
    finally:
        formats.unregister("2077")
    assert formats.format_for_year(2080).key == "2021"
