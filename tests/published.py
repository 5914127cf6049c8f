"""Reports "as published", made from params, for the importer's round trips: the kit's own page
(the same fragments the notebook shows), a Word file laid out like the printed form, a PDF printed
by Chromium, and a copy in traditional characters."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from helpers.model import TownshipYear
from helpers.params.write import format_params
from helpers.report.document import prepare_report
from helpers.report.fragments import fragment
from helpers.report.synthetic import synthetic_report


def random_report(year: int, seed: int, blanks: int = 3, scale: int = 4) -> TownshipYear:
    """A synthetic report with a few cells printed blank, a fee in 万元 with decimals, and text
    that looks like markup."""
    rng = random.Random(seed)
    doc = synthetic_report(rng.choice(["北河镇", "南山乡", "东城街道"]), year, seed, scale=scale,
                           kind=rng.choice(["镇", "乡", "街道"]), county="示例县")
    tables = dict(doc.tables)
    for _ in range(blanks):
        key = rng.choice(sorted(tables))
        table = tables[key]
        cell = rng.choice(sorted(table.cells))
        tables[key] = replace(table, cells={**table.cells, cell: None})
    if doc.meta.format == "2021":
        t2 = tables["table2"]
        tables["table2"] = replace(t2, cells={**t2.cells, ("fees", "amount"): Decimal("1.2345")})
    narrative = dict(doc.narrative)
    narrative["problems"] += "\n一是<b>宣传</b>不够 & “到位”；二是 <script>x</script> 仍需改进。"
    return replace(doc, tables=tables, narrative=narrative)


def write_params(doc: TownshipYear, folder: Path) -> Path:
    path = folder / f"{doc.meta.township}_{doc.meta.year}.yaml"
    path.write_text(format_params(doc), encoding="utf-8")
    return path


def kit_page(params: Path) -> str:
    """The page the report notebook shows, from the same fragments, without the kernel."""
    report = prepare_report(params)
    parts = [fragment("header", report), fragment("findings", report)]
    parts += [fragment("section", report, s.key) for s in report.doc.spec.sections]
    parts.append(fragment("footer", report))
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>r</title></head>'
            f'<body><main class="report">{"".join(parts)}</main></body></html>')


def word_file(params: Path, out: Path, pictured: str | None = None) -> Path:
    """A .docx as a county publishes it: title, date, headings, paragraphs, and the three
    tables laid out like the printed form (merged cells merged); the table ``pictured``, if
    given, pasted as a picture instead."""
    import io

    import docx
    from docx.shared import Mm

    report = prepare_report(params)
    document = docx.Document()
    document.add_paragraph(report.title)
    if report.doc.meta.published:
        document.add_paragraph(f"发布时间：{report.doc.meta.published}")
    for spec in report.doc.spec.sections:
        document.add_paragraph(spec.title)
        for key, title in [(spec.key, None)] + [(f"{spec.key}.{s.key}", s.title) for s in spec.subsections]:
            if title:
                document.add_paragraph(title)
            for paragraph in filter(None, report.narrative.get(key, "").split("\n")):
                document.add_paragraph(paragraph)
        if spec.table and spec.table == pictured:
            document.add_picture(io.BytesIO(table_picture(report.grids[spec.table])), width=Mm(160))
        elif spec.table:
            _word_table(document, report.grids[spec.table])
    document.save(out)
    return out


def _word_table(document, grid) -> None:
    rows = list(grid.head) + list(grid.body)
    width = sum(c.colspan for c in rows[0]) if grid.head else sum(c.colspan for c in grid.body[0])
    table = document.add_table(rows=len(rows), cols=width)
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            target = table.cell(r, col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, col + cell.colspan - 1))
            target.text = cell.text
            taken |= {(r + i, col + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
            col += cell.colspan


def pdf_file(html: Path, out: Path) -> Path:
    """Print a page to PDF with Debian's Chromium (its findings panel and footer removed: a
    published report has neither)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(html.as_uri())
        page.evaluate("document.querySelectorAll('.findings, .provenance, .status').forEach(e => e.remove())")
        out.write_bytes(page.pdf(format="A4"))
        browser.close()
    return out


def traditional(text: str) -> str:
    """``text`` as a mirror site converts it to traditional characters (OpenCC, phrase-aware)."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)



def markdown_file(params: Path, out: Path) -> Path:
    """The report as PDF-to-Markdown converters and OCR services write it: `#` headings, bold
    sub-headings, each table as a pipe table with its `|---|` rule, a merged cell's text in its
    first cell and the cells it covers empty, a wrapped label's lines joined by `<br>`, blank
    cells empty."""
    report = prepare_report(params)
    lines = [f"# {report.title}", ""]
    if report.doc.meta.published:
        lines += [f"发布日期：{report.doc.meta.published}", ""]
    lines += [report.preface, ""]
    for spec in report.doc.spec.sections:
        lines += [f"## {spec.title}", ""]
        for key, title in [(spec.key, None)] + [(f"{spec.key}.{s.key}", s.title) for s in spec.subsections]:
            if title:
                lines += [f"**{title}**", ""]
            for paragraph in filter(None, report.narrative.get(key, "").split("\n")):
                lines += [paragraph, ""]
        if spec.table:
            lines += _markdown_table(report.grids[spec.table]) + [""]
    lines += [report.doc.meta.unit, (report.signed or "")]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _markdown_table(grid) -> list[str]:
    rows = list(grid.head) + list(grid.body)
    width = grid.width
    table = [[""] * width for _ in rows]
    for r, c, cell in grid.placed():
        text = "" if cell.kind == "value" and cell.state == "blank" else cell.text
        if len(text) > 8 and cell.kind != "value":  # a converter keeps the cell's line breaks
            text = "<br>".join(text[i:i + 8] for i in range(0, len(text), 8))
        table[r][c] = text
    out = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(row) + " |" for row in table[1:]]
    return out


def scanned_pdf(pdf: bytes, out: Path, dpi: int = 150) -> Path:
    """A PDF as a scanner gives it back: each page a picture at ``dpi``, turned a little (±0.6°)
    and grainy, no text layer."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    pages = []
    for i, page in enumerate(document):
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        image = image.rotate(0.6 * (-1) ** i, resample=Image.BICUBIC, fillcolor=255)
        grain = np.random.default_rng(i).normal(0, 12, (image.height, image.width))
        pages.append(Image.fromarray(np.clip(np.asarray(image, dtype=float) + grain, 0, 255).astype("uint8")))
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=dpi)
    return out


CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # fonts-noto-cjk (make browser)


def table_picture(grid) -> bytes:
    """A table as a picture (a screenshot pasted into a page or a Word file): a header row of
    column labels, then a row a printed row with its label and values, ruled, in Noto Sans CJK."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(CJK_FONT, 22)
    heads = [c.text for c in grid.head[-1]] if grid.head else []
    rows = [row for row in grid.body if any(c.kind == "value" for c in row)]
    label_width, value_width, height = 760, 110, 44
    values = max(len([c for c in row if c.kind == "value"]) for row in rows)
    image = Image.new("L", (label_width + value_width * values + 20, height * (len(rows) + 1) + 20), 255)
    draw = ImageDraw.Draw(image)
    columns = [c.text for c in grid.head[1] if c.kind == "head"] if len(grid.head) > 1 else heads
    header = ["自然人", *heads, "总计"] if grid.key == "table3" else columns
    for i, text in enumerate(header[-values:]):
        draw.text((10 + label_width + i * value_width + 8, 18), text, font=font, fill=0)
    for r, row in enumerate(rows, 1):
        y = 10 + r * height
        draw.line((10, y, image.width - 10, y), fill=0, width=2)
        label = [c.text for c in row if c.kind == "label"][-1]
        draw.text((18, y + 8), label, font=font, fill=0)
        for i, cell in enumerate(c for c in row if c.kind == "value"):
            if cell.state != "blank":
                draw.text((10 + label_width + i * value_width + 40, y + 8), cell.text, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def page_with_pictured_table(params: Path, out: Path, table: str = "table3") -> Path:
    """A saved web page: the report's text and tables, ``table`` pasted as a picture (a PNG in the
    page's "_files" folder, as a browser saves it)."""
    import html as escape

    report = prepare_report(params)
    files = out.with_name(out.stem + "_files")
    files.mkdir(exist_ok=True)
    parts = [f"<h1>{escape.escape(report.title)}</h1>", f"<p>发布日期：{report.doc.meta.published}</p>",
             f"<p>{escape.escape(report.preface)}</p>"]
    for spec in report.doc.spec.sections:
        parts.append(f"<h2>{escape.escape(spec.title)}</h2>")
        for key, title in [(spec.key, None)] + [(f"{spec.key}.{s.key}", s.title) for s in spec.subsections]:
            if title:
                parts.append(f"<h3>{escape.escape(title)}</h3>")
            parts += [f"<p>{escape.escape(p)}</p>" for p in report.narrative.get(key, "").split("\n") if p]
        if spec.table == table:
            (files / "table.png").write_bytes(table_picture(report.grids[table]))
            parts.append(f'<p><img src="{files.name}/table.png" alt="表"></p>')
        elif spec.table:
            grid = report.grids[spec.table]
            rows = "".join("<tr>" + "".join(
                f'<td rowspan="{c.rowspan}" colspan="{c.colspan}">'
                f'{"" if c.kind == "value" and c.state == "blank" else escape.escape(c.text)}</td>'
                for c in row) + "</tr>" for row in (*grid.head, *grid.body))
            parts.append(f"<table>{rows}</table>")
    out.write_text("<html><body>" + "".join(parts) + "</body></html>", encoding="utf-8")
    return out


def word_with_pictured_table(params: Path, out: Path, table: str = "table3") -> Path:
    """A .docx whose ``table`` was pasted as a picture (as offices paste a table from elsewhere)."""
    return word_file(params, out, pictured=table)
