"""Benchmark: `nianbao import` on published reports of every kind.

Makes N reports as a county publishes them — web pages (the kit's own page, read by its cells),
Word files, PDF printed by Chromium, and the real text reports of tests/data/reports copied N
times — then imports each kind with one process and with one per core. Prints files per second,
the time one file takes, and the speed-up of the worker processes. Then the PDF engines on the
same files, per file: pypdf's layout mode (the importer before issue 14) and PDFium (now), on
Chromium's PDFs (Chinese in Type3 fonts) and on PDFs in TrueType fonts as Word saves them.
Last, each shape of issue 24 in this process, CPU per file and per page: a real PDF with ruled
tables (pdfplumber beside PDFium), the kit's own PDF form, the same scanned (OCR), Markdown.

    .venv/bin/python bench/import_speed.py [--n 40] [--pdf 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers.importer.run import import_files  # noqa: E402
from published import kit_page, pdf_file, random_report, word_file, write_params  # noqa: E402


def make(folder: Path, n: int, pdfs: int) -> dict[str, list[Path]]:
    kinds: dict[str, list[Path]] = {"txt": [], "html": [], "docx": [], "pdf": []}
    reports = sorted((ROOT / "tests" / "data" / "reports").iterdir())
    for i in range(n):
        source = reports[i % len(reports)]
        copy = folder / "txt" / f"{i:03d}_{source.name}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        kinds["txt"].append(copy)
        doc = random_report(2019 + i % 5, i, blanks=3)
        params = write_params(doc, folder)
        page = folder / "html" / f"{i:03d}.html"
        page.parent.mkdir(exist_ok=True)
        page.write_text(kit_page(params), encoding="utf-8")
        kinds["html"].append(page)
        (folder / "docx").mkdir(exist_ok=True)
        kinds["docx"].append(word_file(params, folder / "docx" / f"{i:03d}.docx"))
        if i < pdfs:
            (folder / "pdf").mkdir(exist_ok=True)
            kinds["pdf"].append(pdf_file(page, folder / "pdf" / f"{i:03d}.pdf"))
    return kinds


def run(files: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    results = import_files(files, None, jobs=jobs)
    wall = time.perf_counter() - start
    failed = [r.summary for r in results if not r.summary.ok]
    if failed:
        raise SystemExit(f"import failed: {failed[:3]}")
    return wall


def pypdf_lines(data: bytes) -> list[str]:
    """The importer's PDF reading before PDFium (issue 14): pypdf's layout mode, page by page."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [line for page in reader.pages for line in page.extract_text(extraction_mode="layout").split("\n")]


def pdf_engines(groups: dict[str, list[Path]], repeat: int = 5) -> None:
    """Per file, each engine on the same bytes back to back (the machine's speed drifts): the
    median over files and repeats, once every engine has read a file (imports, PDFium's start)."""
    from helpers.importer.pdftext import pdf_lines

    print(f"\n{'PDF engine, per file':<48}{'pypdf layout':>14}{'PDFium':>10}{'faster':>9}")
    for name, files in groups.items():
        datas = [f.read_bytes() for f in files]
        pdf_lines(datas[0]), pypdf_lines(datas[0])
        old, new = [], []
        for _ in range(repeat):
            for data in datas:
                for engine, times in ((pypdf_lines, old), (pdf_lines, new)):
                    start = time.perf_counter()
                    engine(data)
                    times.append(time.perf_counter() - start)
        a, b = statistics.median(old) * 1000, statistics.median(new) * 1000
        print(f"{name:<48}{a:>11.1f} ms{b:>7.1f} ms{a / b:>8.1f}x")


def shapes(folder: Path) -> None:
    """CPU per file and per page of the shapes read since issue 24, each after one warm read."""
    import resource

    import pypdfium2 as pdfium

    from helpers.forms.pdffile import pdf_bytes
    from helpers.importer import import_report
    from helpers.report.document import prepare_report
    from published import markdown_file, scanned_pdf

    params = write_params(random_report(2021, 7, 2, scale=6), folder)
    form = folder / "form.pdf"
    form.write_bytes(pdf_bytes(prepare_report(params).printable()))
    files = {"ruled PDF saved from WPS (洪泽区, real)": ROOT / "tests" / "data" / "pdf" / "洪泽区人民政府_2023.pdf",
             "the kit's PDF form (Typst)": form,
             "the same scanned at 150 dpi (OCR)": scanned_pdf(form.read_bytes(), folder / "scan.pdf"),
             "Markdown (converter's copy)": markdown_file(params, folder / "report.md")}
    print(f"\n{'shape':<44}{'CPU a file':>12}{'pages':>7}{'CPU a page':>12}")
    for name, path in files.items():
        import_report(path)  # warm: imports, the OCR engine's models
        start = resource.getrusage(resource.RUSAGE_SELF)
        import_report(path)
        end = resource.getrusage(resource.RUSAGE_SELF)
        spent = (end.ru_utime + end.ru_stime) - (start.ru_utime + start.ru_stime)
        pages = len(pdfium.PdfDocument(path.read_bytes())) if path.suffix == ".pdf" else 1
        print(f"{name:<44}{spent:>10.2f} s{pages:>7}{spent / pages:>10.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--pdf", type=int, default=8)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        kinds = make(Path(tmp), args.n, args.pdf)
        print(f"{'kind':<6}{'files':>6}{'1 process':>12}{f'{cores} processes':>14}"
              f"{'per file':>11}{'speed-up':>10}")
        for kind, files in kinds.items():
            if not files:
                continue
            one, many = run(files, 1), run(files, cores)
            print(f"{kind:<6}{len(files):>6}{len(files) / one:>9.1f}/s{len(files) / many:>11.1f}/s"
                  f"{one / len(files) * 1000:>8.0f} ms{one / many:>9.2f}x")
        pdf_engines({"Chromium's (Chinese in Type3 fonts)": kinds["pdf"],
                     "saved as from Word (TrueType, tests/data/pdf)":
                         sorted((ROOT / "tests" / "data" / "pdf").glob("truetype_*.pdf"))})
        shapes(Path(tmp))


if __name__ == "__main__":
    main()
