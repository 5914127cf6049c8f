"""The report as PDF: its page printed by headless Chromium (Debian's ``chromium``).

Chromium prints the very page the HTML form is (so a 校验未通过 banner is on the PDF too), embeds
the subsets of the fonts it draws with (fonts-noto-cjk: text stays selectable and searchable in
Chinese), keeps table rows whole (the page's print styles), and numbers the pages “— N —”. Why
Chromium and not WeasyPrint: docs/forms.md. One browser per worker process, started on the first
PDF and closed at exit. Playwright's synchronous API keeps an event loop running in the thread that
uses it, so it lives in a thread of its own: papermill's loop in the worker's main thread is left
alone.
"""

from __future__ import annotations

import os
import threading
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import RenderError

FOOTER = ('<div style="width:100%;text-align:center;font-size:10pt;'
          'font-family:Noto Serif CJK SC,Noto Sans CJK SC,serif">'
          '— <span class="pageNumber"></span> —</div>')
MARGIN = {"top": "20mm", "bottom": "22mm", "left": "18mm", "right": "18mm"}
_BROWSER: list = []  # (playwright, browser, profile folder) of this process, used in _THREAD only
_THREAD: list = []  # the one thread that drives the browser


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _browser():
    if not _BROWSER:
        from playwright.sync_api import sync_playwright

        path = chromium()
        if path is None:
            raise RenderError("PDF", "生成 PDF 需要 Chromium 与 fonts-noto-cjk（Debian：apt install chromium "
                                     "fonts-noto-cjk，或 make browser）")
        driver = sync_playwright().start()
        folder = tempfile.mkdtemp(prefix="nianbao-chromium-")
        # as root Chromium needs --no-sandbox; a fresh profile each process
        browser = driver.chromium.launch_persistent_context(folder, executable_path=path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        _BROWSER.append((driver, browser, folder))
        # closed in its own thread before the interpreter stops its thread pools (threading's
        # exit hooks run in reverse order of registration, before atexit's)
        threading._register_atexit(lambda: _THREAD[0].submit(_close).result(timeout=30))
    return _BROWSER[0][1]


def _close() -> None:
    for driver, browser, folder in _BROWSER:
        try:
            browser.close()
            driver.stop()
        except Exception:  # noqa: BLE001 - at exit, a browser already gone
            pass
        shutil.rmtree(folder, ignore_errors=True)
    _BROWSER.clear()


def pdf_bytes(html: str, scratch: Path) -> bytes:
    """Print ``html`` (a whole page of the kit) on A4; ``scratch`` is where its file is put while
    Chromium reads it (the page loads nothing else: it carries no URL)."""
    if not _THREAD:
        from concurrent.futures import ThreadPoolExecutor

        _THREAD.append(ThreadPoolExecutor(1, thread_name_prefix="nianbao-pdf"))
    return _THREAD[0].submit(_print, html, scratch).result()


def _print(html: str, scratch: Path) -> bytes:
    scratch.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=scratch, prefix=f".print.{os.getpid()}.", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(html)
    page = _browser().new_page()
    try:
        page.goto(Path(name).as_uri())
        return searchable(page.pdf(format="A4", print_background=True, display_header_footer=True,
                                   header_template="<span></span>", footer_template=FOOTER,
                                   margin=MARGIN))
    finally:
        page.close()
        Path(name).unlink(missing_ok=True)


# Chromium's subset fonts map a glyph that Noto CJK shares between a Kangxi radical and its
# ideograph (⽰/示, ⼈/人, ⺠/民) to the radical in the PDF's ToUnicode table, so a reader searching
# 示例 finds nothing. Each such mapping is pointed back at the ideograph.
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _ideograph(code: int) -> int:
    from ..checks.hanzi import repair

    char = repair(chr(code))
    return ord(char) if len(char) == 1 else code


def _radical(code: int) -> bool:
    return 0x2E80 <= code <= 0x2FDF


def _fix_cmap(data: bytes) -> bytes:
    """A ToUnicode CMap with every radical destination replaced by its ideograph; a range that
    starts at a radical becomes single mappings."""
    out, section = [], None
    for line in data.split(b"\n"):
        stripped = line.strip()
        if stripped.endswith((b"beginbfchar", b"beginbfrange")):
            section = stripped.split()[-1]
        elif stripped in (b"endbfchar", b"endbfrange"):
            section = None
        tokens = _HEX.findall(line)
        if section == b"beginbfchar" and len(tokens) == 2 and len(tokens[1]) == 4:
            code = int(tokens[1], 16)
            if _radical(code):
                line = b"<%s> <%04X>" % (tokens[0], _ideograph(code))
        elif section == b"beginbfrange" and len(tokens) == 3 and b"[" not in line and len(tokens[2]) == 4:
            low, high, start = (int(t, 16) for t in tokens)
            if any(_radical(start + i) for i in range(high - low + 1)):
                width = len(tokens[0])
                entries = [b"<%0*X> <%04X>" % (width, low + i, _ideograph(start + i))
                           for i in range(high - low + 1)]
                line = b"endbfrange\n%d beginbfchar\n%s\nendbfchar\n0 beginbfrange" % (
                    len(entries), b"\n".join(entries))
        out.append(line)
    return b"\n".join(out)


def searchable(pdf: bytes) -> bytes:
    """The PDF with its text mapped to ideographs, not radicals (see above)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    seen = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            stream = font.get("/ToUnicode")
            if stream is None or id(stream.get_object()) in seen:
                continue
            stream = stream.get_object()
            seen.add(id(stream))
            fixed = _fix_cmap(stream.get_data())
            stream.set_data(fixed)
            stream[NameObject("/Filter")] = stream.get("/Filter", NameObject("/FlateDecode"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
