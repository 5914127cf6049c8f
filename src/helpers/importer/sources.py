"""Read a published report — plain text, a saved web page, PDF or Word — into lines.

Every reader gives the same thing: the report's lines in reading order, each either a line of
text or a table row (its cells), with the number a person finds it by (the line of a text file,
the paragraph or row of a page). A page the kit rendered itself also carries each value cell's
params field (``data-cell``), read exactly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import formats
from ..checks.hanzi import repair
from ..params.cellvalue import JUNK
from ..year.spreadsheet import check_archive
from ..errors import UnreadableFile

TEXT, HTML, PDF, DOCX = "txt", "html", "pdf", "docx"
_SUFFIXES = {".txt": TEXT, ".text": TEXT, ".md": TEXT, ".markdown": TEXT, ".htm": HTML, ".html": HTML, ".shtml": HTML,
             ".pdf": PDF, ".docx": DOCX}
_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")
# Page furniture of the kit's own pages and of government sites: not part of the report.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "nav", "head", "template"})
_SKIP_CLASSES = frozenset({"status", "sample", "findings", "provenance", "chart-figure"})
_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li section article header footer main table tr td th "
                    "br ul ol dl dt dd blockquote pre figure figcaption form".split())


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based: the line of a text file, the paragraph or table row of a document
    text: str  # a text line ("" for an empty one); a table row's cells joined by " | "
    cells: tuple[str, ...] | None = None  # a table row's cells, as printed
    page: int | None = None  # a PDF's page the line is printed on
    ocr: bool = False  # read by OCR from a scan or a picture: kept only where arithmetic confirms it


@dataclass(frozen=True)
class SourceText:
    path: str
    kind: str  # TEXT / HTML / PDF / DOCX
    sha256: str
    lines: tuple[SourceLine, ...]
    fields: dict[str, str] = field(default_factory=dict)  # kit pages: params field → cell text
    narrative: dict[str, str] | None = None  # kit pages: narrative key → text, by the page's parts
    cleaned: int = 0  # control characters and non-characters taken out of the text
    recut: int = 0  # run-on lines cut into pieces (runon.py): a "line" is then a piece


MAX_UNPACKED = 200 * 1024 * 1024  # a Word file's parts, unpacked; reports are a few MB
# What a report can hold, far above any published one (a few hundred to 3,000 lines, a saved
# page of 20,000 tags, 40 pages): past these a file costs seconds and hundreds of MB a step
# (BeautifulSoup's 50 µs a tag), so it is refused before it is parsed.
MAX_LINES = 50_000
MAX_TAGS = 100_000
MAX_DOCUMENT = 32 * 1024 * 1024  # word/document.xml unpacked: 100 pages are about 3 MB


def _clean(text: str, count: list[int]) -> str:
    cleaned, n = JUNK.subn("", text)
    count[0] += n
    return cleaned


def _cleaned(source: SourceText) -> SourceText:
    """The source without junk characters, counted (the summary says how many)."""
    count = [0]
    lines = tuple(SourceLine(line.number, _clean(line.text, count),
                             tuple(_clean(c, count) for c in line.cells) if line.cells else line.cells,
                             line.page, line.ocr)
                  for line in source.lines)
    fields = {k: _clean(v, count) for k, v in source.fields.items()}
    narrative = ({k: _clean(v, count) for k, v in source.narrative.items()}
                 if source.narrative is not None else None)
    return SourceText(source.path, source.kind, source.sha256, lines, fields, narrative, count[0])


def read_source(path: Path) -> SourceText:
    """The lines of the report in ``path``; UnreadableFile when it cannot be read at all."""
    kind = _SUFFIXES.get(path.suffix.lower())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, exc.strerror or str(exc)) from None
    if kind is None and not path.suffix:  # a saved file without an extension: look inside
        kind = _sniff(data)
    if kind is None and path.suffix.lower() == ".csv":
        raise UnreadableFile(path, "CSV 文件不保留采集表的格式（单元格位置、单位信息、公式），无法核对；"
                                   "请交回原来的采集表（.xlsx、.xls 或 .ods），或导入已发布的年报")
    if kind is None:
        raise UnreadableFile(path, f"不认识的文件类型 {path.suffix or '（无扩展名）'}，可读：已发布的年报 "
                                   ".txt .html .pdf .docx，填好的数据采集表 .xlsx .xls .ods")
    reader = {TEXT: _text, HTML: lambda d: _html(d, path.parent), PDF: _pdf, DOCX: _docx}[kind]
    too_much = _beyond_any_report(kind, data)
    if too_much:
        raise UnreadableFile(path, f"{too_much}，远超任何年报，拒绝读取")
    try:
        lines, fields, *narrative = reader(data)
    except UnreadableFile as exc:  # a reader knows why, not where: name the file
        raise UnreadableFile(path, exc.reason) from None
    except Exception as exc:  # a damaged file: the parser's own words say what is wrong
        raise UnreadableFile(path, f"{kind} 文件已损坏或格式不对（{type(exc).__name__}: {exc}）") from None
    if not any(line.text.strip() for line in lines):
        raise UnreadableFile(path, "文件中没有可读的文字（扫描件经 OCR 也未识别出文字）")
    return _cleaned(SourceText(str(path), kind, hashlib.sha256(data).hexdigest(), tuple(lines),
                               fields, narrative[0] if narrative else None))


def _beyond_any_report(kind: str, data: bytes) -> str | None:
    """Why ``data`` holds more than any report, counted without parsing it; None if it does not."""
    if kind == TEXT and (lines := data.count(b"\n") + 1) > MAX_LINES:
        return f"共 {lines:,} 行（年报至多数千行，上限 {MAX_LINES:,}）"
    if kind == HTML and (tags := data.count(b"<")) > MAX_TAGS:
        return f"网页有 {tags:,} 个标记（上限 {MAX_TAGS:,}）"
    return None


def _sniff(data: bytes) -> str | None:
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return PDF
    if head.startswith(b"pk\x03\x04"):
        return DOCX
    if head.startswith((b"<!doctype html", b"<html")):
        return HTML
    return None


def _decode(data: bytes) -> str:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("", "文字编码无法识别（不是 UTF-8 或 GB18030）")


def _text(data: bytes):
    """Lines as saved; leading ``# source: …`` lines are a collector's notes, not the report; a
    text written as Markdown is read as the plain text it stands for (markdown.py)."""
    from .markdown import is_markdown, plain

    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    while raw and _COLLECTOR_NOTE.match(raw[0]):
        raw.pop(0)
    if is_markdown(raw):
        return [SourceLine(i, line.rstrip()) for i, line in enumerate(map(plain, raw), 1)
                if line is not None], {}
    return [SourceLine(i, line.rstrip()) for i, line in enumerate(raw, 1)], {}


_COLLECTOR_NOTE = re.compile(r"^#\s*[A-Za-z][\w -]*:")  # "# source: http…", "# note: …"


def _pdf(data: bytes):
    """Text laid out as on the page (columns kept apart by spaces), one line per printed line;
    a table drawn with ruling lines, a row a line with its cells as drawn (pdftables.py)."""
    from .ocr import ocr_lines
    from .pdftables import ruled_rows
    from .pdftext import pdf_pages

    scanned: list[int] = []
    pages = pdf_pages(data, ocr_lines, scanned)
    if sum(map(len, pages)) > MAX_LINES:  # what a page holds is bounded by MAX_PAGES; this by the lines
        raise UnreadableFile("", f"共 {sum(map(len, pages)):,} 行（上限 {MAX_LINES:,}），远超任何年报，拒绝读取")
    tables = ruled_rows(data)
    out: list[SourceLine] = []
    for page, lines in enumerate(pages, 1):
        rows = tables[page - 1] if page <= len(tables) else []
        placed: list[tuple[float, str, tuple[str, ...] | None]] = [
            (y, text, None) for y, text in lines
            if not any(r.top - 1 <= y <= r.bottom + 1 for r in rows)]  # a ruled row's text: its cells
        placed += [(r.top, " | ".join(r.cells), tuple(repair(c) for c in r.cells)) for r in rows]
        for _, text, cells in sorted(placed, key=lambda item: item[0]):
            out.append(SourceLine(len(out) + 1, repair(text), cells, page, ocr=page in scanned))
    return out, {}


def _docx(data: bytes):
    """Paragraphs and tables in body order; a merged cell counts once in its row."""
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_archive(data)
    document = docx.Document(io.BytesIO(data))
    out: list[SourceLine] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(SourceLine(len(out) + 1, block.text.strip()))
            for rid in block._p.xpath(".//a:blip/@r:embed"):  # a picture (a table pasted as one)
                part = document.part.related_parts.get(rid)
                if part is not None:
                    out += _picture_lines(part.blob, len(out))
        elif isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text.strip())
                out.append(SourceLine(len(out) + 1, " | ".join(cells), tuple(cells)))
    return out, {}


MAX_PICTURE = 20 * 1024 * 1024  # bytes of one picture read by OCR: a scanned A4 page is a few MB
_PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff")


def _picture_lines(blob: bytes, before: int) -> list[SourceLine]:
    """The printed lines of a picture in a report (a table pasted as an image), read by OCR and
    marked so: numbered after the ``before`` lines already read."""
    if not blob or len(blob) > MAX_PICTURE:
        return []
    from .ocr import ocr_lines

    return [SourceLine(before + i, text, ocr=True) for i, (_, text) in enumerate(ocr_lines(blob), 1)]


def _check_archive(data: bytes) -> None:
    """Refuse a Word file whose parts would unpack to far more than any report (a zip bomb),
    by the sizes the archive declares, before anything is unpacked."""
    check_archive(data, "Word 文件", MAX_UNPACKED, {"word/document.xml": MAX_DOCUMENT})


def _html(data: bytes, folder: Path | None = None):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for element in soup.find_all(_furniture):
        element.decompose()
    fields = {td["data-cell"]: td.get_text(strip=True)
              for td in soup.find_all(attrs={"data-cell": True})}
    narrative = _kit_narrative(soup) if fields else None
    out: list[SourceLine] = []
    _walk(soup.body or soup, out, [], folder)
    return [SourceLine(i, line.text, line.cells, ocr=line.ocr) for i, line in enumerate(out, 1)], fields, narrative


def _furniture(tag) -> bool:
    classes = set(tag.get("class") or ())
    return (tag.name in _SKIP_TAGS or bool(classes & _SKIP_CLASSES)
            or tag.name == "p" and "empty" in classes)  # the kit's "（本节未填写）"


def _kit_narrative(soup) -> dict[str, str] | None:
    """A page the kit rendered: each part is a <section id="part-KEY">, its sub-sections <h3>
    with the official titles, one <p> a paragraph."""
    specs = {s.key: s for f in formats.FORMATS.values() for s in f.sections}
    out: dict[str, list[str]] = {}
    for part in soup.find_all("section", class_="part"):
        spec = specs.get(part.get("id", "")[5:])
        if spec is None:
            return None
        titles = {sub.title: f"{spec.key}.{sub.key}" for sub in spec.subsections}
        current = spec.key
        for element in part.find_all(["h3", "p"]):
            if element.find_parent("figure") is not None:
                continue
            if element.name == "h3":
                current = titles.get(element.get_text(strip=True), spec.key)
            else:
                out.setdefault(current, []).append(element.get_text())
    return {key: "\n".join(paragraphs) for key, paragraphs in out.items()} if out else None


def _image(src: str, folder: Path | None) -> bytes | None:
    """A picture's bytes: a data: URI, or a file saved beside the page (its "_files" folder) —
    never a file outside the page's folder, never anything fetched."""
    import base64
    import binascii

    if src.startswith("data:image/") and ";base64," in src[:64]:
        payload = src.split(",", 1)[1]
        if len(payload) > MAX_PICTURE * 4 // 3:
            return None
        try:
            return base64.b64decode(payload)
        except (binascii.Error, ValueError):
            return None
    if folder is None or "://" in src or src.startswith(("/", "\\")) or not src.lower().endswith(_PICTURE_SUFFIXES):
        return None
    from urllib.parse import unquote

    target = (folder / unquote(src)).resolve()
    if not target.is_relative_to(folder.resolve()) or not target.is_file() or target.stat().st_size > MAX_PICTURE:
        return None
    return target.read_bytes()


def _walk(node, out: list[SourceLine], buffer: list[str], folder: Path | None = None) -> None:
    """Block elements start new lines; inline text joins the line it is in; a table gives rows."""
    from bs4 import NavigableString, Tag

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Comment", "Doctype", "Declaration"):
                continue
            buffer.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "table" and child.find("table") is None:
                _flush(out, buffer)
                _table(child, out)
            elif child.name == "table":  # a layout table holding the page: its cells are blocks
                _flush(out, buffer)
                _walk(child, out, buffer, folder)
                _flush(out, buffer)
            elif child.name == "br":
                _flush(out, buffer)
            elif child.name == "img" and (blob := _image(child.get("src") or "", folder)):
                _flush(out, buffer)
                out += _picture_lines(blob, len(out))
            elif child.name in _BLOCKS:
                _flush(out, buffer)
                _walk(child, out, buffer, folder)
                _flush(out, buffer)
            else:
                _walk(child, out, buffer, folder)


def _flush(out: list[SourceLine], buffer: list[str]) -> None:
    text = " ".join("".join(buffer).split())
    buffer.clear()
    if text:
        out.append(SourceLine(0, text))


def _table(table, out: list[SourceLine]) -> None:
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a nested table's rows belong to that table
        cells = tuple(" ".join(td.get_text(" ", strip=True).split())
                      for td in tr.find_all(["td", "th"], recursive=False))
        out.append(SourceLine(0, " | ".join(cells), cells))
