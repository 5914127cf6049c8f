"""Benchmark: what each form costs per report (CPU seconds), HTML alone as fast as before, and the
PDF engines the kit could use measured on the same reports.

In one run, on N synthetic township-years:
  1. `nianbao build --to html` from scratch;
  2. the same folder, `--to html,docx,pdf --force`;
  3. the Word and PDF writers alone, in this process, on the same printable documents (Typst's
     fonts read once, as in a build worker), with the PDF's size;
  4. the engines not chosen, on the same reports: LibreOffice converting the kit's .docx
     (`soffice --convert-to pdf`, its own profile) and headless Chromium printing the HTML page
     (the kit's PDF before Typst), CPU of their processes included.

    .venv/bin/python bench/forms_speed.py [--n 20] [--engines]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.params.write import format_params
from helpers.report.document import prepare_report
from helpers.report.synthetic import synthetic_report

BIN = Path(sys.executable).parent


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_all() -> float:
    return cpu_self() + cpu_children()


def build(folder: Path, out: Path, kinds: str, force: bool) -> tuple[float, float]:
    before, start = cpu_children(), time.perf_counter()
    args = [str(BIN / "nianbao"), "build", str(folder), "--out", str(out), "--to", kinds, "--quiet"]
    done = subprocess.run(args + (["--force"] if force else []), check=False)
    if done.returncode not in (0, 1):  # 1: some sample reports have error findings, not a failure
        sys.exit(f"build failed ({done.returncode})")
    return time.perf_counter() - start, cpu_children() - before


def libreoffice(docx: list[Path], tmp: Path) -> float:
    """CPU-s a report for Writer to lay out and print the kit's .docx (one process, all files)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return float("nan")
    out = tmp / "lo"
    out.mkdir()
    profile = f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}"
    subprocess.run([soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(out), str(docx[0])],
                   check=True, capture_output=True)  # its start and first profile, once
    before = cpu_children()
    subprocess.run([soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, docx)], check=True, capture_output=True)
    sizes = [p.stat().st_size for p in out.glob("*.pdf")]
    print(f"  LibreOffice .docx → PDF: {(cpu_children() - before) / len(docx) * 1000:.0f} ms CPU a report, "
          f"{sum(sizes) / len(sizes) / 1024:.0f} KB a PDF")
    return cpu_children() - before


def chromium(pages: list[Path]) -> None:
    """CPU-s a report for headless Chromium to print the HTML page (the kit's PDF until Typst)."""
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    if path is None:
        print("  Chromium: not installed")
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(pages[0].as_uri())
        page.pdf(format="A4")  # warm
        before = cpu_self() + _descendants()
        sizes = []
        for html in pages:
            page.goto(html.as_uri())
            sizes.append(len(page.pdf(format="A4", print_background=True)))
        spent = cpu_self() + _descendants() - before
        browser.close()
    print(f"  Chromium printing the page: {spent / len(pages) * 1000:.0f} ms CPU a report (this process, the "
          f"driver and the browser's processes), {sum(sizes) / len(sizes) / 1024:.0f} KB a PDF")


def _descendants() -> float:
    """CPU seconds of this process's living descendants (a browser's processes are not waited
    for, so RUSAGE_CHILDREN never sees them)."""
    import psutil

    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--engines", action="store_true", help="also measure LibreOffice and Chromium")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "params", Path(tmp) / "build"
        folder.mkdir()
        for i in range(n):
            doc = synthetic_report(f"镇{i:03d}", 2021, seed=i, scale=i % 12)
            (folder / f"镇{i:03d}_2021.yaml").write_text(format_params(doc), encoding="utf-8")
        wall_html, cpu_html = build(folder, out, "html", False)
        wall_all, cpu_forms = build(folder, out, "html,docx,pdf", True)
        print(f"build --to html, {n} reports: {wall_html:.1f} s wall, {cpu_html / n:.2f} CPU-s a report")
        print(f"build --to html,docx,pdf: {wall_all:.1f} s wall, {cpu_forms / n:.2f} CPU-s a report "
              f"(+{(cpu_forms - cpu_html) / n:.2f} for Word and PDF)")
        from helpers.forms.pdffile import pdf_bytes
        from helpers.forms.wordfile import docx_bytes

        documents = [prepare_report(p).printable() for p in sorted(folder.glob("*.yaml"))]
        start = cpu_self()
        pdf_bytes(documents[0])  # the fonts, read once a worker
        print(f"Typst's fonts read once a process: {(cpu_self() - start) * 1000:.0f} ms CPU")
        start = cpu_self()
        for document in documents:
            docx_bytes(document)
        print(f"Word alone: {(cpu_self() - start) / n * 1000:.0f} ms CPU a report")
        start = cpu_self()
        sizes = [len(pdf_bytes({**document, "built_at": "2026-01-01 00:00:00 +0800"})) for document in documents]
        print(f"PDF alone (Typst): {(cpu_self() - start) / n * 1000:.0f} ms CPU a report, "
              f"{sum(sizes) / n / 1024:.0f} KB a PDF (largest {max(sizes) / 1024:.0f} KB)")
        if args.engines:
            print("engines not chosen, the same reports:")
            libreoffice(sorted((out / "2021").glob("镇*.docx")), Path(tmp))
            chromium(sorted((out / "2021").glob("镇*.html")))


if __name__ == "__main__":
    main()
