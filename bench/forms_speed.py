"""Benchmark: what each form costs per report (CPU seconds), and that HTML alone stays as fast.

In one run, on N synthetic township-years:
  1. `nianbao build --to html` from scratch;
  2. the same folder, `--to html,docx,pdf --force`;
  3. the Word and PDF writers alone, in this process, on the same reports' printable documents
     (PDF: Chromium's CPU included, as children of this process).

    .venv/bin/python bench/forms_speed.py [--n 20]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.forms.outputs import Run, export_html
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


def build(folder: Path, out: Path, kinds: str, force: bool) -> tuple[float, float]:
    before, start = cpu_children(), time.perf_counter()
    args = [str(BIN / "nianbao"), "build", str(folder), "--out", str(out), "--to", kinds, "--quiet"]
    subprocess.run(args + (["--force"] if force else []), check=False)
    return time.perf_counter() - start, cpu_children() - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    n = parser.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "params", Path(tmp) / "build"
        folder.mkdir()
        for i in range(n):
            doc = synthetic_report(f"镇{i:03d}", 2021, seed=i, scale=i % 12)
            (folder / f"镇{i:03d}_2021.yaml").write_text(format_params(doc), encoding="utf-8")
        wall_html, cpu_html = build(folder, out, "html", False)
        wall_all, cpu_all = build(folder, out, "html,docx,pdf", True)
        print(f"build --to html, {n} reports: {wall_html:.1f} s wall, {cpu_html / n:.2f} CPU-s a report")
        print(f"build --to html,docx,pdf: {wall_all:.1f} s wall, {cpu_all / n:.2f} CPU-s a report "
              f"(+{(cpu_all - cpu_html) / n:.2f} for Word and PDF)")
        from helpers.forms.pdffile import pdf_bytes
        from helpers.forms.wordfile import docx_bytes

        documents = [prepare_report(p).printable() for p in sorted(folder.glob("*.yaml"))]
        start = cpu_self()
        for document in documents:
            docx_bytes(document)
        print(f"Word alone: {(cpu_self() - start) / n * 1000:.0f} ms CPU a report")
        pages = [p.read_text(encoding="utf-8") for p in sorted((out / "2021").glob("镇*.html"))]
        pdf_bytes(pages[0], Path(tmp))  # the browser's start, once a worker
        start, children = cpu_self(), cpu_children()
        for page in pages:
            pdf_bytes(page, Path(tmp))
        spent = (cpu_self() - start) + (cpu_children() - children)
        print(f"PDF alone (Chromium running): {spent / len(pages) * 1000:.0f} ms CPU a report "
              f"(this process; Chromium's own CPU is in its processes, measured in the build figure)")


if __name__ == "__main__":
    main()
