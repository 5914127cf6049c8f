"""Hostile inputs: each refused with a clear message and the right exit status, no traceback, while
a good file beside it is still checked; published reports with junk characters, encryption or a
zip bomb; markup in every text field rendered into every page kind, opened in Chromium with every
request intercepted. (The faults of a build are in test_faults.py.)"""

from __future__ import annotations

import io
import json
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
from hostile import PAYLOADS, bom_variants, corpus, good
from util import REPORTS, report, with_cell

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
