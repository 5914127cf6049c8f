"""Word and PDF beside the HTML: typeset as an official document, read back by the importer,
searchable in Chinese, each form incremental and failing alone, a year packed for sending."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.forms.pdffile import pdf_bytes
from helpers.forms.wordfile import BODY_FONT, MARGINS_MM, TITLE_FONT, docx_bytes
from helpers.importer import import_report
from helpers.report.document import prepare_report
from published import random_report, write_params
from util import GUOJIAO, ROOT

NIANBAO = Path(sys.executable).with_name("nianbao")


def word(params: Path) -> docx.document.Document:
    return docx.Document(io.BytesIO(docx_bytes(prepare_report(params).printable())))


def test_word_is_typeset_as_an_official_document():
    document = word(GUOJIAO)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert {side: round(getattr(section, f"{side}_margin").mm) for side in MARGINS_MM} == MARGINS_MM
    title = next(p for p in document.paragraphs if p.text == "古郊乡人民政府2021年政府信息公开工作年度报告")
    east = title.runs[0].element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east == TITLE_FONT and title.runs[0].font.size.pt == 22
    body = next(p for p in document.paragraphs if p.text == "2021年度,古郊乡无依申请公开事项。")
    assert body.runs[0].font.name == BODY_FONT and body.paragraph_format.first_line_indent is not None
    assert "PAGE" in section.footer._element.xml  # page numbers
    assert "校验未通过（不得发布）" in section.header.paragraphs[0].text  # 古郊乡 fails its checks
    assert document.paragraphs[0].text == "校验未通过（不得发布）"
    t3 = document.tables[1]
    granted = [c.text for c in t3.rows[5].cells]
    assert "（一）予以公开" in granted and granted[-1] == ""  # printed blank: blank, not 0 or 空白
    assert [p.text for p in document.paragraphs][-2:] == ["古郊乡人民政府", "2022年1月21日"]


def pdf(params: Path) -> bytes:
    return pdf_bytes(prepare_report(params).printable())


def test_pdf_is_the_official_document_archived_as_pdf_a(tmp_path):
    """The PDF form is the Word form's document typeset: 公文 fonts embedded as CID subsets (no
    Type 3), PDF/A-2b claimed in its metadata with an output intent, the mark on every page, page
    numbers odd right and even left, searchable in Chinese, at most about 300 KB."""
    from pypdf import PdfReader
    import pypdfium2 as pdfium

    data = pdf(GUOJIAO)
    path = tmp_path / "古郊乡_2021.pdf"
    path.write_bytes(data)
    keep_pictures(path, "pdf-form")
    assert len(data) < 340_000, len(data)  # the longest report of the county: 古郊乡's text
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    texts = [page.extract_text() for page in reader.pages]
    joined = "".join("".join(t.split()) for t in texts)
    assert "古郊乡人民政府2021年政府信息公开工作年度报告" in joined
    assert all("校验未通过（不得发布）" in t for t in texts)  # every page, not the first only
    assert not any("\u2e80" <= ch <= "\u2fdf" for ch in joined)  # ideographs, not radicals
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] != "/Type3"
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile3" in descriptor or "/FontFile2" in descriptor  # embedded
            fonts[str(descriptor["/FontName"])] = True
    names = " ".join(fonts)
    for family in ("FandolFang", "FandolHei", "FandolKai", "FandolSong"):  # 仿宋 黑体 楷体 宋体
        assert family in names, names
    assert all("+" in name for name in fonts)  # subsets
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    for page in reader.pages:  # nothing transparent for an archive's renderer to flatten
        assert page.get("/Group") is None or page["/Group"].get("/S") != "/Transparency"
        for xobject in page["/Resources"].get("/XObject", {}).values():
            assert "/SMask" not in xobject.get_object()
    assert reader.metadata.title == "古郊乡人民政府2021年政府信息公开工作年度报告"
    assert reader.metadata.author == "古郊乡人民政府"
    document = pdfium.PdfDocument(data)
    for number in range(1, len(document) + 1):
        page = document[number - 1]
        text = page.get_textpage()
        found = text.search(f"— {number} —").get_next()
        assert found is not None, number
        left = text.get_charbox(found[0])[0]
        assert (left > page.get_width() / 2) == (number % 2 == 1)  # odd at the right, even left


def _lowest_text(page) -> float:
    """The bottom of a page's lowest glyph above its page number, from the top of the page."""
    text = page.get_textpage()
    height = page.get_height()
    bottoms = [height - text.get_charbox(i)[1] for i in range(text.count_chars())
               if text.get_text_range(i, 1).strip()]
    return sorted(bottoms)[-2 - len("— 1 —".replace(" ", "")) + 1] if bottoms else 0.0


@pytest.mark.parametrize("length", [0, 6, 12])
def test_no_pdf_page_is_left_half_empty_before_a_table(tmp_path, length):
    """Tables start where they can: every page but the last is filled at least half-way, however
    long the sentence above table 三 makes what comes before it."""
    import pypdfium2 as pdfium

    from util import report, with_meta, with_text
    from helpers.params.write import format_params

    doc = with_meta(with_text(report(2021), "requests_table", "本年度依申请公开工作情况如下。" * length),
                    sample=True)
    params = tmp_path / "示例乡_2021.yaml"
    params.write_text(format_params(doc), encoding="utf-8")
    document = pdfium.PdfDocument(pdf(params))
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    assert all("示例数据" in t for t in texts)
    for i in range(len(document) - 1):
        page = document[i]
        assert _lowest_text(page) > page.get_height() / 2, (i + 1, texts[i][-80:])


def all_cells(doc) -> dict:
    """Every cell of a township-year's tables: (table, row, column) → value."""
    return {(k, r.key, c.key): t.value(r.key, c.key) for k, t in doc.tables.items()
            for r in t.spec.rows for c in r.columns}


WRITERS = {"docx": docx_bytes, "pdf": pdf_bytes}


@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.sampled_from(sorted(WRITERS)), year=st.sampled_from([2020, 2021, 2023]),
       seed=st.integers(0, 10**6), blanks=st.integers(0, 5))
def test_forms_read_back_to_the_same_params(tmp_path, form, year, seed, blanks):
    """The importer reads the Word and PDF forms back: every cell (blanks blank), every sentence."""
    doc = random_report(year, seed, blanks)
    params = write_params(doc, tmp_path)
    report = prepare_report(params)
    path = tmp_path / f"{seed}.{form}"
    path.write_bytes(WRITERS[form](report.printable()))
    back = import_report(path).doc
    assert back.spec is report.doc.spec and back.meta.unit == doc.meta.unit
    assert back.meta.published == doc.meta.published and back.meta.year == year
    assert all_cells(back) == all_cells(report.doc)
    def words(text: str) -> str:  # a PDF keeps the words, not the line breaks
        return text if form == "docx" else "".join(text.split())
    assert {k: words(v) for k, v in back.narrative.items() if v} == \
        {k: words(v) for k, v in report.narrative.items() if v}


@pytest.mark.slow
def test_forms_incremental_failing_alone_and_bundled(tmp_path):
    from pypdf import PdfReader

    folder = tmp_path / "params"
    folder.mkdir()
    shutil.copy(GUOJIAO, folder / "古郊乡_2021.yaml")
    (folder / "county.yaml").write_text("county: 陵川县\nexpected:\n  2021: [古郊乡, 崇文镇]\n",
                                        encoding="utf-8")
    shutil.copy(ROOT / "params" / "崇文镇_2021.yaml", folder / "崇文镇_2021.yaml")
    out = tmp_path / "build"
    built = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--to", "html,docx,pdf",
                            "--bundle", "--quiet"], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    reader = PdfReader(out / "2021" / "古郊乡_2021.pdf")
    assert "校验未通过（不得发布）" in reader.pages[-1].extract_text()
    index = (out / "2021" / "index.html").read_text(encoding="utf-8")
    for form in ("古郊乡_2021.html", "古郊乡_2021.docx", "古郊乡_2021.pdf"):
        assert f'href="{form}"' in index
    with zipfile.ZipFile(out / "2021" / "陵川县_2021_报送.zip") as archive:
        names = set(archive.namelist())
        assert {"崇文镇_2021.pdf", "崇文镇_2021.docx", "崇文镇_2021.html"} <= names  # every form (tests/test_bundle.py)
    # one form removed: only it is written again, from the kept notebook
    page = out / "2021" / "崇文镇_2021.html"
    stamp = page.stat().st_mtime_ns
    (out / "2021" / "崇文镇_2021.pdf").unlink()
    again = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--to", "html,docx,pdf",
                            "--quiet"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and (out / "2021" / "崇文镇_2021.pdf").exists()
    assert page.stat().st_mtime_ns == stamp
    # no fonts (and no browser: the PDF needs none): the PDF fails alone, with its reason on the
    # index; the others are written
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    env = {**os.environ, "PATH": str(Path(sys.executable).parent), "NIANBAO_FONT_DIRS": str(empty)}
    (out / "2021" / "古郊乡_2021.pdf").unlink()
    failing = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--to", "html,docx,pdf",
                              "--quiet", "--force"], capture_output=True, text=True, timeout=300, env=env)
    assert failing.returncode == 1 and "Traceback" not in failing.stderr
    assert not (out / "2021" / "古郊乡_2021.pdf").exists() and (out / "2021" / "古郊乡_2021.docx").exists()
    assert "PDF 未生成" in (out / "2021" / "index.html").read_text(encoding="utf-8")
    assert "make fonts" in (out / "2021" / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "pdf" in manifest["2021/古郊乡_2021"]["forms_failed"]
    # with the fonts again, and still no browser on the PATH: written
    env.pop("NIANBAO_FONT_DIRS")
    fixed = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--to", "html,docx,pdf",
                            "--quiet"], capture_output=True, text=True, timeout=300, env=env)
    assert fixed.returncode == 0, fixed.stderr
    assert (out / "2021" / "古郊乡_2021.pdf").exists()


def _writer_pdf(docx_file: Path, out: Path) -> list:
    """The .docx as LibreOffice Writer lays it out and prints it (its own profile)."""
    from pypdf import PdfReader

    from office import soffice

    subprocess.run([soffice(), "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx_file)], check=True,
                   capture_output=True, timeout=120)
    return PdfReader(out / f"{docx_file.stem}.pdf").pages


@pytest.mark.slow
def test_word_tables_as_the_printed_form_in_writer(tmp_path):
    """Writer (standing in for Word and WPS) lays table 三 out on at most two pages, repeats its
    header on the second, never breaks a short label inside itself; page numbers odd right,
    even left; the file's properties are the report's, none of python-docx's template."""
    from util import report, with_meta, with_text
    from helpers.params.write import format_params

    doc = with_text(report(2021), "requests_table", "本年度依申请公开工作情况如下。" * 10)  # table 三 low on a page
    doc = with_meta(doc, sample=True)
    params = tmp_path / "示例乡_2021.yaml"
    params.write_text(format_params(doc), encoding="utf-8")
    printable = prepare_report(params).printable()
    docx_file = tmp_path / "示例乡_2021.docx"
    docx_file.write_bytes(docx_bytes(printable))
    pages = _writer_pdf(docx_file, tmp_path)
    keep_pictures(tmp_path / "示例乡_2021.pdf", "word-in-writer")
    texts = [p.extract_text() for p in pages]
    assert len(pages) == 4  # the pages Writer lays this report out on
    back = import_report(tmp_path / "示例乡_2021.pdf").doc  # every cell as Writer printed it
    assert all_cells(back) == all_cells(prepare_report(params).doc)
    start = next(i for i, t in enumerate(texts) if "申请人情况" in t)  # table 三's header
    end = next(i for i in range(start, len(texts)) if "四、结转下年度继续办理" in texts[i])  # its last row
    spans = range(start, end + 1)
    assert len(spans) == 2, [t[:80] for t in texts]  # started low, it runs onto one more page
    assert "申请人情况" in texts[spans[1]] and "自然人" in texts[spans[1]]  # its header again there
    assert all("示例数据" in page for page in texts)  # the mark on every page, not the first only
    raw = "\n".join(texts)  # each printed line on its own line
    for label in ("自然人", "总计", "（一）予以公开", "1.属于国家秘密"):
        assert label in raw, label  # short labels on one line: not broken by a narrow column
    for broken in ("自然\n人", "商业企\n业", "科研机\n构", "社会公\n益", "法律服\n务"):
        assert broken not in raw, broken  # longer ones only between their two-character words
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument((tmp_path / "示例乡_2021.pdf").read_bytes())
    for number in (1, 2):
        page = pdf[number - 1]
        text = page.get_textpage()
        found = text.search(f"— {number} —").get_next()
        assert found is not None, number
        left = text.get_charbox(found[0])[0]
        assert (left > page.get_width() / 2) == (number % 2 == 1)  # odd at the right, even at the left
    document = docx.Document(io.BytesIO(docx_file.read_bytes()))
    core = document.core_properties
    assert core.author == "示例乡人民政府" and core.title == printable["title"]
    assert core.created.strftime("%Y-%m-%d %H:%M") == printable["built_at"][:16]
    with zipfile.ZipFile(docx_file) as archive:
        names, app = archive.namelist(), archive.read("docProps/app.xml").decode()
        fonts = archive.read("word/fontTable.xml").decode()
    assert not any("thumbnail" in n for n in names) and "Macintosh" not in app
    assert "python-docx" not in archive_text(docx_file)
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:val="仿宋"' in fonts  # the fallback Word takes


def keep_pictures(pdf: Path, name: str) -> None:
    """The first two pages as pictures under tests/artifacts, for a person to look at."""
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", str(pdf),
                           str(artifacts / name)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(list(artifacts.glob(f"{name}-*.png"))) == 2


def archive_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
