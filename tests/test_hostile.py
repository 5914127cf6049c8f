"""Hostile inputs: each refused with a clear message and the right exit status, no traceback, while
a good file beside it is still checked; published reports with junk characters, encryption or a
zip bomb; markup in every text field rendered into every page kind, opened in Chromium with every
request intercepted. (The faults of a build are in test_faults.py.)"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import signal
import struct
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.errors import UnreadableFile
from helpers.importer.run import import_files
from helpers.params.load import load_params
from helpers.params.write import format_params
from helpers.formats import format_for_year
from hostile import PAYLOADS, bom_variants, corpus, declared_bomb, good, patched, tiny_pdf
from office import calc_sheets
from util import REPORTS, report, with_cell, with_meta

CORPUS = corpus()


@contextmanager
def within(seconds: int):
    """Fail, rather than hang, when a bomb is not bounded."""
    def expire(*_):
        raise AssertionError(f"not done within {seconds} s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def beside(tmp_path) -> Path:
    """A folder with a good file that has one known finding (a blank cell: CELL-BLANK)."""
    doc = with_cell(report(2021), "table3", "granted", "research", None)
    (tmp_path / "好乡_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name, data, word", CORPUS, ids=[c[0] for c in CORPUS])
def test_a_hostile_params_file_is_refused_clearly_and_the_others_still_checked(
        beside, capsys, name, data, word):
    bad = beside / f"{name}_2021.yaml"
    bad.write_bytes(data)
    with within(20):
        code = main(["check", "--format", "json", str(beside)])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    rows = json.loads(out)
    refused = [r for r in rows if r["rule"] == "LOAD-ERROR"]
    assert refused and all(r["file"] == str(bad) for r in refused)
    assert any(word in r["message"] for r in refused), [r["message"] for r in refused]
    assert all(len(r["message"]) < 400 for r in refused)  # a line, not a node dump
    assert any(r["file"].endswith("好乡_2021.yaml") and r["rule"] == "CELL-BLANK" for r in rows)
    assert bad.read_bytes() == data  # inputs are never modified
    with within(20):
        assert main(["check", str(beside)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and bad.name in out + err


def test_the_problem_has_its_line():
    by_name = {name: data for name, data, _ in CORPUS}
    text = by_name["c1-raw"].decode("utf-8")
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if "\x90" in line)
    with pytest.raises(Exception) as info:
        path = Path("/tmp") / "nianbao-c1-raw_2021.yaml"
        path.write_bytes(by_name["c1-raw"])
        load_params(path)
    assert f":{expected}:" in str(info.value) and "U+0090" in str(info.value)


@pytest.mark.parametrize("name, data", bom_variants(), ids=[n for n, _ in bom_variants()])
def test_what_an_editor_saves_loads(tmp_path, name, data):
    path = tmp_path / "示例乡_2021.yaml"
    path.write_bytes(data)
    assert load_params(path).meta == load_params(_good(tmp_path)).meta


def _good(tmp_path: Path) -> Path:
    path = tmp_path / "good_2021.yaml"
    path.write_text(good(), encoding="utf-8")
    return path


# -- published reports ---------------------------------------------------------------------------

def test_junk_characters_in_a_report_are_cleaned_and_the_next_file_still_imported(tmp_path):
    text = (REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
    junk = tmp_path / "古郊乡_2021.txt"
    junk.write_text(text.replace("古郊乡人民政府", "古郊乡\x90人民政府\ufffe", 2)
                    .replace("主动公开", "主动\x07公开", 1), encoding="utf-8")
    after = tmp_path / "尼勒克县某镇_2023.txt"
    after.write_text((REPORTS / "尼勒克县某镇_2023.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "params"
    results = import_files([junk, after], out)
    assert [r.summary.status for r in results] == ["imported", "imported"]
    assert any("控制字符" in reason for reason in results[0].summary.reasons)
    doc = load_params(results[0].params)
    assert "\x90" not in doc.meta.unit and doc.meta.unit == "古郊乡人民政府"
    assert load_params(results[1].params).meta.year == 2023
    page = tmp_path / "audit.html"
    assert main(["audit", str(junk), str(after), "-o", str(page)]) in (0, 1)
    assert page.stat().st_size > 1000


def test_an_encrypted_pdf_says_encrypted(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "加密_2021.pdf"
    with path.open("wb") as f:
        writer.write(f)
    result, = import_files([path], None)
    assert result.summary.status == "failed" and "加密" in result.summary.reason


def _bomb(path: Path, declared: int) -> Path:
    """A small .docx whose archive declares a part of ``declared`` bytes unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    at = data.rfind(b"PK\x01\x02")  # the central directory entry of word/document.xml
    data[at + 24: at + 28] = struct.pack("<I", declared)
    path.write_bytes(bytes(data))
    return path


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    from helpers.importer.sources import read_source

    bomb = _bomb(tmp_path / "炸弹_2021.docx", 1 << 30)
    with within(10), pytest.raises(UnreadableFile, match="压缩炸弹"):
        read_source(bomb)
    result, = import_files([bomb], None)
    assert "压缩炸弹" in result.summary.reason


def test_a_unit_that_is_a_path_never_becomes_one(tmp_path):
    text = (REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
    source = tmp_path / "x.txt"
    source.write_text(text.replace("古郊乡人民政府2021年", "../../../tmp/逃逸乡人民政府2021年", 1),
                      encoding="utf-8")
    out = tmp_path / "params"
    result, = import_files([source], out)
    assert result.params is None or result.params.parent == out
    assert not (tmp_path.parent / "tmp").exists() or not list((tmp_path.parent / "tmp").glob("逃逸*"))


# -- every text field, every page kind, in a real browser ----------------------------------------

def hostile_township(folder: Path, payload: str, n: int) -> None:
    doc = report(2021)
    from util import with_meta, with_text
    doc = with_meta(doc, unit=f"示例乡{payload}", township=f"示例乡{n}{payload if n % 2 else ''}",
                    county="示例县", city=payload, province=payload)
    for key in doc.narrative:
        doc = with_text(doc, key, f"{payload} 正文 {payload}")
    (folder / f"示例乡{n}_2021.yaml").write_text(format_params(doc), encoding="utf-8")


@pytest.mark.slow
def test_markup_in_every_field_is_inert_on_every_page(tmp_path):
    from helpers.build.batch import build

    folder = tmp_path / "params"
    folder.mkdir()
    names = [f"示例乡{i}" for i in range(len(PAYLOADS))]
    (folder / "county.yaml").write_text(
        "county: 示例县\nexpected:\n  2021: [" + ", ".join(names + ['"<b>缺</b>乡"']) + "]\n",
        encoding="utf-8")
    for i, payload in enumerate(PAYLOADS):
        hostile_township(folder, payload, i)
    (folder / '<img src=x onerror=alert(1)>_2021.yaml').write_text("meta: [", encoding="utf-8")
    out = tmp_path / "build"
    build(folder, out, jobs=2, timeout=120)
    report_page = (REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
    published = tmp_path / "published.txt"
    published.write_text(report_page.replace("古郊乡人民政府", "古郊乡人民政府" + PAYLOADS[0], 1)
                         .replace("主动公开", PAYLOADS[2], 1), encoding="utf-8")
    audit = tmp_path / "audit.html"
    main(["audit", str(published), "-o", str(audit)])
    pages = sorted(out.rglob("*.html")) + [audit]
    kinds = {p.parent.name for p in pages}
    assert {"build", "2021", "unreadable"} <= kinds and len(pages) == len(PAYLOADS) + 5
    assert (out / "2021" / "示例县各乡镇汇总_2021.html").exists()  # the roll-up names them all
    seen = browse_all(pages)
    for page, found in seen.items():
        assert found["requests"] == [], (page, found["requests"])
        assert found["dialogs"] == [] and found["pwned"] is None, page
    text = seen[str(out / "2021" / "示例乡6_2021.html")]["text"]
    assert "示例乡{{ 7*7 }}" in text and "示例乡49" not in text  # no template ran


def browse_all(pages: list[Path]) -> dict[str, dict]:
    """Open each page in headless Chromium, every request but the page itself intercepted."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    out: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for path in pages:
            found = {"requests": [], "dialogs": []}
            page = browser.new_page()
            page.route("**/*", lambda route, request, f=found, me=path.as_uri(): (
                route.continue_() if request.url == me
                else (f["requests"].append(request.url), route.abort())))
            page.on("dialog", lambda d, f=found: (f["dialogs"].append(d.message), d.dismiss()))
            page.add_init_script("window.alert = m => { window.__pwned = String(m); };")
            page.goto(path.as_uri())
            page.wait_for_timeout(300)  # a meta refresh of 0 s would have gone by now
            found["url"] = page.url
            found["pwned"] = page.evaluate("window.__pwned ?? null")
            found["text"] = page.inner_text("body")
            if found["url"] != path.as_uri():
                found["requests"].append(found["url"])
            page.close()
            out[str(path)] = found
        browser.close()
    return out


# -- the year's doors: workbooks, summary.csv, county.yaml, new-year, file names ------------------

FORMULAS = ('=HYPERLINK("http://127.0.0.1:9/x","点此")', "+1+2", "-3+4", "@SUM(1)")


def township_folder(folder: Path, names: list[str], county: str = "示例县") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        doc = with_meta(report(2021), township=name, unit=f"{name}人民政府", county=county)
        (folder / f"乡{i}_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    listed = ", ".join(json.dumps(n, ensure_ascii=False) for n in names)
    (folder / "county.yaml").write_text(f"county: {json.dumps(county, ensure_ascii=False)}\n"
                                        f"expected:\n  2021: [{listed}]\n", encoding="utf-8")
    return folder


def formulas_in(workbook: Path) -> list[str]:
    """The formulas a workbook's sheets hold, as the file stores them."""
    with zipfile.ZipFile(workbook) as archive:
        return [html.unescape(f) for name in archive.namelist() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f>([^<]*)</f>", archive.read(name).decode("utf-8"))]


def test_names_like_formulas_stay_text_in_the_county_workbook_and_summary(tmp_path):
    from helpers.build.index import _write_csv, IndexRow
    from helpers.checks.folder import CountyFolder
    from helpers.report.status import PASSED
    from helpers.year.countybook import county_workbook

    folder = township_folder(tmp_path / "params", list(FORMULAS), county="=SUM(1,2)")
    county = CountyFolder.open([folder])
    book = tmp_path / "县_2021.xlsx"
    book.write_bytes(county_workbook(county, list(county.docs.values()), None))
    assert formulas_in(book) == []
    shown = calc_sheets(book)  # Calc evaluates every formula it finds: these must show as typed
    townships = {row[0] for sheet in shown.values() for row in sheet}
    assert set(FORMULAS) <= townships
    summary = tmp_path / "summary.csv"
    _write_csv(summary, [IndexRow(n, PASSED, (1,) * 6 + ("—", "—"), reason=n) for n in FORMULAS])
    fields = [row[0] for row in csv.reader(summary.open(encoding="utf-8-sig"))][1:]
    assert fields == ["'" + n for n in FORMULAS]  # OWASP: a leading apostrophe, nothing evaluates


def test_the_collection_template_writes_text_as_text(tmp_path):
    from helpers.year.template import templates

    folder = township_folder(tmp_path / "params", ["甲乡"], county='=HYPERLINK("http://127.0.0.1:9")')
    doc = with_meta(report(2021), township="甲乡", unit="=1+2", county='=HYPERLINK("http://127.0.0.1:9")')
    (folder / "乡0_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    written = templates(folder, 2022, tmp_path / "out").written
    assert written and all("SUM(" in f or "平衡" in f for f in formulas_in(written[0]))  # totals, checks only
    cells = [cell for rows in calc_sheets(written[0]).values() for row in rows for cell in row]
    assert "=1+2" in cells and "3" not in cells[:40]


def filled_template(tmp_path: Path, change) -> Path:
    """A workbook the kit's own template made, then edited by ``change(sheet, places)``."""
    from openpyxl import load_workbook

    from helpers.year.template import templates
    from helpers.year.sheetlayout import layout

    folder = township_folder(tmp_path / "params", ["甲乡"])
    book = templates(folder, 2021, tmp_path / "out").written[0]
    workbook = load_workbook(book)
    sheet = workbook.worksheets[0]
    change(sheet, {c.field: c.coordinate for c in layout(format_for_year(2021)).cells if c.field})
    workbook.save(book)
    return book


def test_a_formula_in_a_returned_workbook_is_never_data(tmp_path):
    link = '=HYPERLINK("http://127.0.0.1:9/x","甲乡人民政府")'

    def change(sheet, at):
        sheet[at["meta.unit"]] = link
    book = filled_template(tmp_path, change)
    result, = import_files([book], tmp_path / "in")
    assert result.summary.status == "failed" and result.params is None
    assert at_cell(result.summary.reason, "meta.unit") and "公式" in result.summary.reason

    def values(sheet, at):
        sheet[at["table3.new.natural_person"]] = "=1+1"
        sheet[at["narrative.problems"]] = '=HYPERLINK("http://127.0.0.1:9")'
        sheet["Z99"] = "=1/0"
    book = filled_template(tmp_path / "2", values)
    result, = import_files([book], tmp_path / "in2")
    doc = load_params(result.params)
    assert doc.table("table3").cells[("new", "natural_person")] is None  # blank, never 2
    assert "HYPERLINK" not in doc.narrative["problems"]
    notes = "\n".join(result.summary.reasons)
    assert "Z99" in notes and notes.count("公式不作为数据读取") == 3


def at_cell(reason: str, field: str) -> bool:
    from helpers.year.sheetlayout import layout

    place = next(c for c in layout(format_for_year(2021)).cells if c.field == field)
    return f"!{place.coordinate}" in reason


def test_control_characters_and_huge_cells_in_a_workbook_are_named(tmp_path):
    def junk(sheet, at):
        sheet[at["meta.unit"]] = "甲乡\x90人民政府"  # C1 controls: XML holds them, Excel types them
        sheet[at["narrative.problems"]] = "问题\x9b与改进"
    result, = import_files([filled_template(tmp_path, junk)], tmp_path / "in")
    doc = load_params(result.params)
    assert doc.meta.unit == "甲乡人民政府" and doc.narrative["problems"] == "问题与改进"
    assert sum("控制字符" in r for r in result.summary.reasons) == 2

    def mark(sheet, at):
        sheet[at["narrative.problems"]] = "HUGE"
    book = filled_template(tmp_path / "2", mark)  # 10 MB in one cell: written into the XML, as
    book.write_bytes(patched(book.read_bytes(), "xl/worksheets/sheet1.xml",  # openpyxl cuts at
                             b"HUGE", ("长" * 3_500_000).encode()))         # 32,767 on writing
    with within(30):
        result, = import_files([book], tmp_path / "in2")
    assert result.summary.status == "failed" and "32,767" in result.summary.reason
    assert at_cell(result.summary.reason, "narrative.problems")


def test_a_workbook_that_inflates_to_a_gigabyte_is_refused_unread(tmp_path):
    book = filled_template(tmp_path, lambda sheet, at: None)
    book.write_bytes(declared_bomb(book.read_bytes(), "xl/worksheets/sheet1.xml", 1 << 30))
    with within(10):
        result, = import_files([book], tmp_path / "in")
    assert result.summary.status == "failed" and "压缩炸弹" in result.summary.reason


def test_an_escape_character_in_a_file_name_is_cleaned(tmp_path):
    source = tmp_path / "古郊乡\x1b_2021.txt"
    source.write_text((REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result, = import_files([source], tmp_path / "in")
    assert result.summary.status == "imported"
    assert "\x1b" not in load_params(result.params).source.file


def test_a_non_character_written_as_an_escape_is_refused_with_its_line(tmp_path, capsys):
    path = tmp_path / "甲乡_2021.yaml"
    text = format_params(with_meta(report(2021), township="甲乡", unit="甲乡人民政府"))
    path.write_text(text.replace("unit: 甲乡人民政府", 'unit: "甲乡\\uFFFE人民政府"'), encoding="utf-8")
    line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "FFFE" in s)
    for command in (["check", str(path)], ["render", str(path), "--to", "docx",
                                           "-o", str(tmp_path / "r.html")]):
        assert main(command) == 2
        out, err = capsys.readouterr()
        assert f":{line}:" in out + err and "U+FFFE" in out + err and "Traceback" not in out + err
    assert not (tmp_path / "r.docx").exists()


COUNTY_CASES = {
    "twice": ("  2021: [甲乡, 乙乡, 甲乡]\n", 3, "只列一次"),
    "year-0": ("  2021: [甲乡]\n  0: [乙乡]\n", 4, "四位数字"),
    "negative": ("  2021: [甲乡]\n  -5: [乙乡]\n", 4, "四位数字"),
    "far": ("  2021: [甲乡]\n  10000: [乙乡]\n", 4, "四位数字"),
    "two-spellings": ("  2021: [甲乡]\n  02021: [乙乡]\n", 4, "四位数字"),
}


@pytest.mark.parametrize("case", COUNTY_CASES)
def test_county_yaml_refuses_what_would_mislead_a_build(tmp_path, capsys, case):
    block, line, word = COUNTY_CASES[case]
    (tmp_path / "county.yaml").write_text(f"county: 示例县\nexpected:\n{block}", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert f"county.yaml:{line}:" in out + err and word in out + err and "Traceback" not in out + err


NAMES = ("甲,乡", "乙]乡", "丙#乡", "丁: 乡", "戊乡")


@pytest.mark.parametrize("style, encoding", [("block", "utf-8"), ("flow", "utf-8"), ("flow", "gbk"),
                                             ("block", "utf-8-sig")])
def test_new_year_writes_county_yaml_that_loads_back(tmp_path, style, encoding):
    from helpers.params.county import load_county

    for i, name in enumerate(NAMES):
        doc = with_meta(report(2021), township=name, unit=f"{name}人民政府", county="示例县")
        (tmp_path / f"乡{i}_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    listed = ", ".join(json.dumps(n, ensure_ascii=False) for n in NAMES)
    expected = (f"expected:  # 各年度\n  2021: [{listed}]\n" if style == "block" else
                f"expected: {{2021: [{listed}]}}  # 各年度\n")
    county = tmp_path / "county.yaml"
    county.write_bytes(f"# 县级清单\ncounty: 示例县\n{expected}".encode(encoding))
    assert main(["new-year", "2022", str(tmp_path)]) == 0
    again = load_county(county)
    assert again.expected == {2021: NAMES, 2022: NAMES}
    text = county.read_bytes().decode(encoding)
    assert "# 县级清单" in text and "# 各年度" in text  # comments and encoding kept


def test_new_year_never_writes_beside_a_yml_of_the_same_name(tmp_path):
    doc = with_meta(report(2021), township="甲乡", unit="甲乡人民政府", county="示例县")
    (tmp_path / "甲乡_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    (tmp_path / "county.yaml").write_text("county: 示例县\nexpected:\n  2021: [甲乡]\n", encoding="utf-8")
    mine = tmp_path / "甲乡_2022.yml"
    mine.write_text(format_params(with_meta(doc, year=2022)), encoding="utf-8")
    before = mine.read_bytes()
    assert main(["new-year", "2022", str(tmp_path)]) == 0
    assert not (tmp_path / "甲乡_2022.yaml").exists() and mine.read_bytes() == before


def test_a_template_run_again_keeps_a_filled_workbook(tmp_path, capsys):
    folder = township_folder(tmp_path / "params", ["甲乡"])
    out = tmp_path / "out"
    assert main(["template", "--year", "2022", str(folder), "--out", str(out)]) == 0
    book = out / "甲乡_2022_采集表.xlsx"
    book.write_bytes(book.read_bytes() + b"")  # a township filled it and saved
    filled = book.read_bytes()
    capsys.readouterr()
    assert main(["template", "--year", "2022", str(folder), "--out", str(out)]) == 0
    assert book.read_bytes() == filled and "未覆盖" in capsys.readouterr().out
    assert main(["template", "--year", "2022", str(folder), "--out", str(out), "--force"]) == 0
    assert "采集表 →" in capsys.readouterr().out


def test_a_long_legal_file_name_writes_and_an_impossible_one_is_said(tmp_path):
    from helpers.errors import OutputNameError
    from helpers.params.write import write_atomic

    longest = tmp_path / ("长" * 82 + "abcd.yaml")  # 255 bytes: legal, its scratch name must be too
    assert len(longest.name.encode()) == 255
    write_atomic(longest, "x: 1\n")
    assert longest.read_text() == "x: 1\n" and [p.name for p in tmp_path.iterdir()] == [longest.name]
    for name in ("长" * 85 + ".yaml", "CON.html", "nul.docx", "COM1.xlsx", "报告."):
        with pytest.raises(OutputNameError):
            write_atomic(tmp_path / name, "x")
    assert [p.name for p in tmp_path.iterdir()] == [longest.name]


@pytest.mark.slow
def test_one_impossible_output_name_fails_that_township_alone(tmp_path, capsys):
    folder = township_folder(tmp_path / "params", ["甲乡"])
    doc = with_meta(report(2021), township="乙乡", unit="乙乡人民政府", county="示例县")
    for name in ("长" * 81 + "ab_2021.yaml", "CON.yaml"):  # 255 bytes: legal; its .ipynb is not
        (folder / name).write_text(format_params(doc), encoding="utf-8")
    out = tmp_path / "build"
    assert main(["build", str(folder), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("输出文件名不可用") == 2
    assert "超过文件系统允许的 255 字节" in err and "Windows 保留的设备名" in err
    assert (out / "2021" / "乡0_2021.html").exists() and (out / "manifest.json").exists()
    index = (out / "2021" / "index.html").read_text(encoding="utf-8")
    assert index.count("执行失败") >= 2
    assert main(["render", str(folder / "CON.yaml"), "-o", str(tmp_path / "CON.html")]) == 2
    assert "Windows" in capsys.readouterr().err


def test_the_importers_worst_inputs_are_bounded(tmp_path):
    far = tmp_path / "远_2021.pdf"  # one word at x = 2·10⁷: pads were 432 million spaces
    far.write_bytes(tiny_pdf((72, 700, 12, "2021"), (2e7, 700, 12, "far"), (72, 650, 12, "report")))
    spaces = tmp_path / "空格_2021.txt"  # the title pattern was quadratic in a line's spaces
    spaces.write_text("甲乡人民政府" + " " * 100_000 + "2021年政府信息公开工作年度报告\n一、总体情况\n",
                      encoding="utf-8")
    digits = tmp_path / "位数_2021.txt"  # int() refuses 4,300 digits and more
    digits.write_text((REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8")
                      .replace("主动公开", "主动公开" + "9" * 400_000 + "条", 1), encoding="utf-8")
    from helpers.importer.pdftext import MAX_COLUMN, pdf_lines

    with within(20):
        assert max(len(line) for line in pdf_lines(far.read_bytes())) <= MAX_COLUMN + 10
        results = import_files([far, spaces, digits], None)
    assert all("内部错误" not in (r.summary.reason or "") for r in results)
    assert results[2].summary.status == "imported"


def test_more_than_any_report_holds_is_refused_before_it_is_parsed(tmp_path):
    lines = tmp_path / "空行_2021.txt"  # 2 million lines cost 12 s and 600 MB a line at a time
    lines.write_text((REPORTS / "古郊乡_2021.txt").read_text(encoding="utf-8") + "\n" * 2_000_000,
                     encoding="utf-8")
    tags = tmp_path / "宽表_2021.html"  # 400,000 cells: 20 s and 480 MB in BeautifulSoup
    tags.write_text("<table><tr>" + "<td>1</td>" * 400_000 + "</tr></table>", encoding="utf-8")
    word = tmp_path / "正文_2021.docx"  # its document part alone declares 100 MB
    word.write_bytes(declared_bomb(_bomb(tmp_path / "x.docx", 1000).read_bytes(), "word/document.xml",
                                   100 << 20))
    with within(10):
        results = import_files([lines, tags, word], None)
    assert [r.summary.status for r in results] == ["failed"] * 3
    assert all("远超任何年报" in r.summary.reason for r in results), [r.summary.reason for r in results]
    assert "2,000,449 行" in results[0].summary.reason and "word/document.xml" in results[2].summary.reason
