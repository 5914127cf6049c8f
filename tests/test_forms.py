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
import hashlib
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.sampled_from([2020, 2021, 2023]), seed=st.integers(0, 10**6), blanks=st.integers(0, 5))
def test_word_reads_back_to_the_same_params(tmp_path, year, seed, blanks):
    doc = random_report(year, seed, blanks)
    params = write_params(doc, tmp_path)
    path = tmp_path / f"{seed}.docx"
    report = prepare_report(params)
    path.write_bytes(docx_bytes(report.printable()))
    back = import_report(path).doc
    assert back.spec is report.doc.spec and back.meta.unit == doc.meta.unit
    assert back.meta.published == doc.meta.published and back.meta.year == year
    for key, table in report.doc.tables.items():
        for row in table.spec.rows:
            for col in row.columns:
                assert back.table(key).value(row.key, col.key) == table.value(row.key, col.key), (key, row.key, col.key)
    assert {k: v for k, v in back.narrative.items() if v} == {k: v for k, v in report.narrative.items() if v}


@pytest.mark.slow
def test_forms_pdf_searchable_incremental_failing_alone_and_bundled(tmp_path):
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
    pdf = PdfReader(out / "2021" / "古郊乡_2021.pdf")
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5 and len(pdf.pages) >= 3
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "古郊乡人民政府2021年政府信息公开工作年度报告" in text and "校验未通过（不得发布）" in text
    assert not any("\u2e80" <= ch <= "\u2fdf" for ch in text)  # searchable: ideographs, not radicals
    assert all(f"— {i} —" in page.extract_text() for i, page in enumerate(pdf.pages, 1))
    embedded = [d for p in pdf.pages for f in p["/Resources"]["/Font"].values()
                for d in [f.get_object()] if d.get("/DescendantFonts")]
    assert embedded and all("/FontFile2" in d["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                            or "/FontFile3" in d["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                            for d in embedded)
    index = (out / "2021" / "index.html").read_text(encoding="utf-8")
    for form in ("古郊乡_2021.html", "古郊乡_2021.docx", "古郊乡_2021.pdf"):
        assert f'href="{form}"' in index
    with zipfile.ZipFile(out / "2021" / "陵川县_2021_报送.zip") as archive:
        names = set(archive.namelist())
        assert {"古郊乡_2021.pdf", "崇文镇_2021.docx", "index.html", "陵川县_2021.xlsx", "SHA256SUMS.txt"} <= names
        for line in archive.read("SHA256SUMS.txt").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    # one form removed: only it is written again, from the kept notebook
    page = out / "2021" / "崇文镇_2021.html"
    stamp = page.stat().st_mtime_ns
    (out / "2021" / "崇文镇_2021.pdf").unlink()
    again = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--to", "html,docx,pdf",
                            "--quiet"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and (out / "2021" / "崇文镇_2021.pdf").exists()
    assert page.stat().st_mtime_ns == stamp
    # no Chromium: the PDF fails alone, with its reason on the index; the others are written
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    (out / "2021" / "古郊乡_2021.pdf").unlink()
    failing = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--to", "html,docx,pdf",
                              "--quiet", "--force"], capture_output=True, text=True, timeout=300, env=env)
    assert failing.returncode == 1 and "Traceback" not in failing.stderr
    assert not (out / "2021" / "古郊乡_2021.pdf").exists() and (out / "2021" / "古郊乡_2021.docx").exists()
    assert "PDF 未生成" in (out / "2021" / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "pdf" in manifest["2021/古郊乡_2021"]["forms_failed"]
