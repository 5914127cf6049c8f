"""Collection workbooks: templates out (laid out like the printed form, locked, validated by Excel
itself, totals as formulas, 上年结转 filled), filled workbooks in (blank stays blank, formulas never
data, every oddity named by sheet and cell), and the round trip template → filled → params."""

from __future__ import annotations

import json
import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from helpers.cli import main
from helpers.formats import AMOUNT, format_for_year
from helpers.model import Invalid, Meta
from helpers.params.load import load_params
from helpers.report.synthetic import synthetic_report
from helpers.year.collect import read_workbook
from helpers.year.template import collection_doc, templates, workbook_bytes
from helpers.year.sheetlayout import MARK, layout
from util import ROOT

DEMO = ROOT / "params"


@pytest.fixture(scope="module")
def demo_templates(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    templates(DEMO, 2022, out)
    templates(DEMO, 2022, out / "book", book=True)
    return out


def places(spec, kind="value"):
    return [c for c in layout(spec).cells if c.kind == kind]


def test_a_workbook_per_township_and_one_for_the_county(demo_templates):
    files = sorted(p.name for p in demo_templates.glob("*.xlsx"))
    assert files == ["崇文镇_2022_采集表.xlsx", "礼义镇_2022_采集表.xlsx", "附城镇_2022_采集表.xlsx"]
    book = load_workbook(demo_templates / "book" / "陵川县_2022_采集表.xlsx")
    assert book.sheetnames == ["崇文镇", "礼义镇", "附城镇"]


def test_labels_locked_inputs_validated_totals_formulas_carry_filled(demo_templates):
    sheet = load_workbook(demo_templates / "崇文镇_2022_采集表.xlsx").active
    spec = format_for_year(2022)
    assert sheet.protection.sheet
    labels = layout(spec).labels
    assert all(sheet.cell(c.row, c.column).value == c.text for c in labels)
    assert all(sheet.cell(c.row, c.column).protection.locked for c in labels)
    by_field = layout(spec).by_field()
    total = sheet[by_field["table3.new.total"].coordinate]
    assert "SUM(" in str(total.value) and total.protection.locked  # blank while its row is
    assert "SUM(" in str(sheet[by_field["table3.results_total.natural_person"].coordinate].value)
    granted = sheet[by_field["table3.granted.natural_person"].coordinate]
    assert granted.value is None and not granted.protection.locked
    fee = by_field["table2.fees.amount"].coordinate
    rules = {(dv.type, dv.operator): str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert fee in rules[("decimal", "greaterThanOrEqual")]
    assert granted.coordinate in rules[("whole", "greaterThanOrEqual")].split()
    last = load_params(DEMO / "崇文镇_2021.yaml").table("table3")
    carried = [sheet[by_field[f"table3.carried_over.{c}"].coordinate].value
               for c in ("natural_person", "business")]
    assert carried == [last.number("carry_forward", "natural_person"), last.number("carry_forward", "business")]
    assert sheet[by_field["narrative.general.on_request"].coordinate].value == "auto"


def test_a_second_reader_opens_them(demo_templates):
    import pandas as pd

    for path in [*demo_templates.glob("*.xlsx"), demo_templates / "book" / "陵川县_2022_采集表.xlsx"]:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
        for frame in sheets.values():
            texts = set(frame.astype(str).values.ravel())
            assert MARK in texts and "三、收到和处理政府信息公开申请情况" in texts


def fill(path: Path, doc, out: Path) -> Path:
    """Type ``doc``'s figures and text into a template, as a township's clerk would."""
    book = load_workbook(path)
    sheet = book.active
    by_field = layout(doc.spec).by_field()
    for key, table in doc.tables.items():
        for row in table.spec.rows:
            for col in row.columns:
                if row.derived or col.derived:
                    continue
                value = table.cells.get((row.key, col.key))
                cell = sheet[by_field[f"{key}.{row.key}.{col.key}"].coordinate]
                cell.value = float(value) if isinstance(value, Decimal) else value
    for key, text in doc.narrative.items():
        sheet[by_field[f"narrative.{key}"].coordinate].value = text or None
    sheet[by_field["meta.unit"].coordinate].value = doc.meta.unit
    sheet[by_field["meta.published"].coordinate].value = doc.meta.published
    book.save(out)
    return out


def random_filled(year: int, seed: int, blanks: int):
    doc = synthetic_report("随机镇", year, seed, scale=5)
    rng = random.Random(seed)
    for _ in range(blanks):
        table = rng.choice(list(doc.tables.values()))
        row = rng.choice([r for r in table.spec.rows if not r.derived])
        col = rng.choice([c for c in row.columns if not c.derived])
        table.cells[(row.key, col.key)] = None  # printed blank
    return doc


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.sampled_from([2020, 2022]), seed=st.integers(0, 10**6), blanks=st.integers(0, 6))
def test_round_trip_template_filled_imported(tmp_path, year, seed, blanks):
    doc = random_filled(year, seed, blanks)
    template = tmp_path / f"t{seed}.xlsx"
    template.write_bytes(workbook_bytes([(collection_doc(doc.meta, doc.spec, None), "示例县")]))
    filled = fill(template, doc, tmp_path / f"f{seed}.xlsx")
    out = tmp_path / f"params{seed}"
    assert main(["import", str(filled), "--out", str(out), "--force"]) == 0
    back = load_params(out / f"随机镇_{year}.yaml")
    assert back.meta.unit == doc.meta.unit and back.meta.published == doc.meta.published
    assert back.spec is doc.spec and back.narrative == doc.narrative
    for key, table in doc.tables.items():
        for row in table.spec.rows:
            for col in row.columns:
                if row.derived or col.derived:
                    continue
                want, got = table.cells.get((row.key, col.key)), back.table(key).cells.get((row.key, col.key))
                assert want == got and (want is None) == (got is None), (key, row.key, col.key)
                if col.kind == AMOUNT and want is not None:
                    assert Decimal(str(got)) == Decimal(str(want))
    assert ("new", "total") not in back.table("table3").cells  # a total is the kit's to compute


@pytest.fixture
def sheet_file(tmp_path):
    doc = synthetic_report("示例镇", 2021, 7)
    template = tmp_path / "template.xlsx"
    template.write_bytes(workbook_bytes([(collection_doc(doc.meta, doc.spec, None), "示例县")]))
    return fill(template, doc, tmp_path / "示例镇.xlsx"), doc


def edit(path: Path, change) -> Path:
    book = load_workbook(path)
    change(book.active, layout(format_for_year(book.active[layout(format_for_year(2021)).by_field()["meta.year"].coordinate].value)).by_field())
    book.save(path)
    return path


def test_what_a_clerk_types_is_named_by_sheet_and_cell(sheet_file):
    path, doc = sheet_file
    spots = {}

    def change(sheet, at):
        for name, field, value in (("text", "table3.granted.natural_person", "五"),
                                   ("textnum", "table3.partial.natural_person", "3"),
                                   ("negative", "table4.review.upheld", -1),
                                   ("decimal", "table2.licensing.decisions", 2.5),
                                   ("formula", "table4.review.other", "=1+1"),
                                   ("over-total", "table4.review.total", 99)):
            spots[name] = at[field].coordinate
            sheet[at[field].coordinate].value = value
    edit(path, change)
    (sheet,) = read_workbook(path)
    notes = "\n".join(sheet.notes)
    for name, coordinate in spots.items():
        assert f"示例镇!{coordinate}" in notes, name
    cells = sheet.doc.table("table3").cells
    assert cells[("granted", "natural_person")] == Invalid("五")
    assert cells[("partial", "natural_person")] == 3
    assert sheet.doc.table("table4").cells[("review", "upheld")] == -1
    assert sheet.doc.table("table4").cells[("review", "other")] is None  # a formula is not data
    assert sheet.doc.table("table4").cells[("review", "total")] == 99  # kept, for T4-ROWTOTAL


@pytest.mark.parametrize("damage, word", [
    ("label", "标签应为"), ("insert", "行前插入了 1 行"), ("delete", "行起删除了 1 行"),
    ("year", "此表是为 2021 年度生成的"), ("format", "报告格式应为")])
def test_a_sheet_that_is_not_the_form_is_refused_with_its_cell(sheet_file, tmp_path, capsys, damage, word):
    path, _ = sheet_file

    def change(sheet, at):
        if damage == "label":
            label = next(c for c in layout(format_for_year(2021)).labels if c.text == "（一）予以公开")
            sheet.cell(label.row, label.column).value = "（一）予以公开（改）"
        elif damage == "year":
            sheet[at["meta.year"].coordinate].value = 2020
        else:
            sheet[at["meta.format"].coordinate].value = "某某文件"
    if damage in ("insert", "delete"):  # as a clerk does it, in Calc (merged labels move too)
        from office import calc_fill

        row = next(c.row for c in layout(format_for_year(2021)).cells
                   if c.field == "table3.granted.natural_person")
        calc_fill(path, path, {}, **{f"{damage}_rows": (row, 1)})
    else:
        edit(path, change)
    (sheet,) = read_workbook(path)
    assert sheet.doc is None and word in sheet.refused[0] and "示例镇!" in sheet.refused[0]
    assert main(["import", str(path), "--out", str(tmp_path / "p")]) == 2
    out = capsys.readouterr().out
    assert word in out and "Traceback" not in out and not (tmp_path / "p").exists()
    assert len(sheet.refused) == 1  # one message, not one per label below an inserted row
    if damage == "year":  # changed on purpose: --year says so, and 2020 then needs its own format
        (sheet,) = read_workbook(path, 2020)
        assert sheet.doc is None and "年度应使用" in sheet.refused[0]


def test_not_a_collection_workbook(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "别的表"
    book.save(tmp_path / "other.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04not really")
    assert main(["import", str(tmp_path / "other.xlsx"), str(tmp_path / "broken.xlsx"), "--dry-run"]) == 2


# -- the clerk's cells, typed in LibreOffice Calc -----------------------------------------------

def _at(spec, field: str) -> str:
    return next(c.coordinate for c in layout(spec).cells if c.field == field)


@pytest.mark.slow
def test_a_finding_names_the_cell_the_clerk_typed(demo_templates, tmp_path, capsys):
    from office import calc_fill

    spec = format_for_year(2022)
    book = demo_templates / "崇文镇_2022_采集表.xlsx"
    typed = {_at(spec, "table3.new.natural_person"): "无", _at(spec, "table3.new.business"): " ",
             _at(spec, "table3.new.research"): "1e3", _at(spec, "table3.new.nonprofit"): "5",
             _at(spec, "table3.new.legal_services"): 2, _at(spec, "table3.new.other_org"): 1}
    total = _at(spec, "table3.new.total")
    filled = tmp_path / "崇文镇_2022_采集表.xlsx"
    shown = calc_fill(book, filled, typed, read=(total,))["shown"]
    assert shown[total] == "3"  # Calc's own SUM leaves the "5" typed as text out
    out = tmp_path / "params"
    assert main(["import", str(filled), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    for field in ("natural_person", "business", "research", "nonprofit"):
        assert f"崇文镇!{_at(spec, f'table3.new.{field}')}" in said, field
    assert "「无」，按空白读取" in said and "空格" in said and "1e3" in said and "少了这个数" in said
    doc = load_params(out / "崇文镇_2022.yaml")
    assert doc.table("table3").cells[("new", "nonprofit")] == 5  # counted, as typed
    assert main(["check", "--format", "json", str(out / "崇文镇_2022.yaml")]) == 1
    rows = json.loads(capsys.readouterr().out)
    blank = next(r for r in rows if r["rule"] == "CELL-BLANK" and r["location"].get("row", "").startswith("一、"))
    cells = [_at(spec, f"table3.new.{c}") for c in ("natural_person", "business")]  # 无 and " "
    assert blank["location"]["origin"] == f"崇文镇!{cells[0]}、{cells[1]}"
    assert main(["check", str(out / "崇文镇_2022.yaml")]) == 1
    assert f"← 来自 崇文镇!{cells[0]}、{cells[1]}" in capsys.readouterr().out
    from helpers.checks.folder import CountyFolder
    from helpers.report.document import prepare_report
    from helpers.report.fragments import fragment
    from helpers.year.countybook import county_workbook

    page = fragment("findings", prepare_report(out / "崇文镇_2022.yaml"))
    assert f"（来自 崇文镇!{cells[0]}、{cells[1]}）" in page  # the report's findings table
    folder = CountyFolder.open([out])
    workbook = tmp_path / "县.xlsx"
    workbook.write_bytes(county_workbook(folder, list(folder.docs.values()), None))
    findings = load_workbook(workbook)["校验结果"]
    header = [c.value for c in findings[1]]
    origins = {row[header.index("来源位置")] for row in findings.iter_rows(min_row=2, values_only=True)}
    assert f"崇文镇!{cells[0]}、{cells[1]}" in origins


def test_template_for_a_year_county_yaml_does_not_list_says_so(tmp_path, capsys):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "county.yaml").write_text("county: 示例县\nexpected:\n  2021: [甲乡]\n", encoding="utf-8")
    assert main(["template", "--year", "2022", str(folder), "--out", str(tmp_path / "a")]) == 0
    said = capsys.readouterr().out
    assert "未列出 2022 年度，按 2021 年度的乡镇清单生成" in said
    assert "已填入上年结转" not in said  # 甲乡 has no 2021 file: nothing was filled
    assert main(["template", "--year", "2025", str(folder), "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "没有 2025 年度" in err and "Traceback" not in err and not (tmp_path / "b").exists()


def test_an_untouched_template_imports_as_not_filled(demo_templates, tmp_path, capsys):
    book = demo_templates / "礼义镇_2022_采集表.xlsx"
    assert main(["import", str(book), "--dry-run", "--format", "json"]) == 0
    summary, = json.loads(capsys.readouterr().out)
    assert summary["confidence"] == "低" and any("未填写" in r for r in summary["reasons"])


@pytest.mark.slow
@pytest.mark.parametrize("suffix, calc_filter", [(".xlsx", "Calc MS Excel 2007 XML"),
                                                 (".xls", "MS Excel 97"), (".ods", "calc8")])
def test_xls_and_ods_as_offices_send_them_read_like_xlsx(demo_templates, tmp_path, suffix, calc_filter):
    from office import calc_fill

    spec = format_for_year(2022)
    typed = {_at(spec, f"table3.new.{c.key}"): i + 1 for i, c in enumerate(
        spec.table("table3").row("new").columns) if not c.derived}
    total = _at(spec, "table3.new.total")
    book = tmp_path / f"崇文镇_2022_采集表{suffix}"
    calc_fill(demo_templates / "崇文镇_2022_采集表.xlsx", book, typed, filter=calc_filter)
    if suffix != ".xlsx":
        typed_over = tmp_path / f"改总计{suffix}"  # a total typed over shows a number, as computed ones do
        calc_fill(book, typed_over, {total: 99}, filter=calc_filter)
    (sheet,) = read_workbook(book)
    assert sheet.refused == [] and sheet.doc is not None
    new = sheet.doc.table("table3")
    assert [new.cells.get(("new", c.key)) for c in spec.table("table3").row("new").columns
            if not c.derived] == list(range(1, 7))
    assert ("new", "total") not in new.cells and new.value("new", "total") == 21  # the kit's sum
    assert not any("总计" in n for n in sheet.notes)
    if suffix != ".xlsx":
        (over,) = read_workbook(typed_over)
        assert over.doc.table("table3").cells[("new", "total")] == 99
        assert any(f"{total}：总计显示 99" in n for n in over.notes)


def test_a_csv_or_another_kind_is_refused_with_what_to_do(tmp_path, capsys):
    (tmp_path / "崇文镇.csv").write_text("单位,崇文镇\n", encoding="utf-8")
    (tmp_path / "崇文镇.numbers").write_bytes(b"\x00")
    assert main(["import", str(tmp_path / "崇文镇.csv"), str(tmp_path / "崇文镇.numbers"), "--dry-run"]) == 2
    out = capsys.readouterr().out
    assert "请交回原来的采集表（.xlsx、.xls 或 .ods）" in out and ".xlsx .xls .ods" in out


@pytest.mark.slow
def test_a_form_a_clerk_can_fill_and_print(demo_templates, tmp_path):
    """In LibreOffice Calc: totals stay blank while their row is, the check row says 未填完,
    平衡 or 不平衡 as the clerk types, last year's stock stands beside table 二, the sign-off
    fields are there, no marker row shows; printed to PDF, each page is A4 landscape, one page
    wide."""
    import subprocess

    from pypdf import PdfReader

    from office import calc_fill, soffice
    from helpers.year.sheetlayout import CHECK_LABEL, PRIOR_HEAD, SIGN_ROWS

    spec = format_for_year(2022)
    lay = layout(spec)
    book = demo_templates / "崇文镇_2022_采集表.xlsx"
    check = {c.field.rsplit(".", 1)[1]: c.coordinate for c in lay.cells if c.kind == "check"}
    col = "natural_person"
    cells = {r: _at(spec, f"table3.{r}.{col}") for r in ("new", "carried_over", "granted", "carry_forward")}
    new_total, results = _at(spec, "table3.new.total"), _at(spec, f"table3.results_total.{col}")
    blank = calc_fill(book, None, {}, read=(new_total, check[col]))["shown"]
    assert blank == {new_total: "", check[col]: "未填完"}  # a blank row's 总计 is blank, not 0
    carried = load_workbook(book)["崇文镇"][cells["carried_over"]].value  # filled from last year
    typed = {cells["new"]: 3, cells["granted"]: carried + 3, cells["carry_forward"]: 0}
    others = {_at(spec, f"table3.{row.key}.{col}"): 0 for row in spec.table("table3").rows
              if not row.derived and row.key not in cells}
    shown = calc_fill(book, None, {**typed, **others}, read=(results, check[col]))["shown"]
    assert shown[check[col]] == "平衡" and shown[results] == str(carried + 3)
    shown = calc_fill(book, None, {**typed, **others, cells["new"]: 5}, read=(check[col],))["shown"]
    assert shown[check[col]] == "不平衡"
    sheet = load_workbook(book)["崇文镇"]
    texts = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {CHECK_LABEL, PRIOR_HEAD, *(label for _, label in SIGN_ROWS)} <= texts
    mark = next(c for c in lay.cells if c.kind == "mark")
    assert sheet.row_dimensions[mark.row].hidden
    prior = next(c for c in lay.cells if c.kind == "prior" and c.field.endswith("normative.in_force"))
    assert sheet[prior.coordinate].value is not None  # 崇文镇 2021's 现行有效, beside 2022's
    out = tmp_path / "pdf"
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out), str(book)], check=True,
                   capture_output=True, timeout=120)
    pages = PdfReader(out / f"{book.stem}.pdf").pages
    assert 1 <= len(pages) <= 4
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in pages)  # landscape
    first = pages[0].extract_text()
    assert "单位全称" in first and PRIOR_HEAD in first  # its widest part on the page, not cut off
    wide = next(p.extract_text() for p in pages if "复议后起诉" in p.extract_text())
    assert "行政复议" in wide  # table 四's left and right on one page: one page wide
