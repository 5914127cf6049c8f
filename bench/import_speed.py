"""Benchmark: `nianbao import` on published reports of every kind.

Makes N reports as a county publishes them — web pages (the kit's own page, read by its cells),
Word files, PDF printed by Chromium, and the real text reports of tests/data/reports copied N
times — then imports each kind with one process and with one per core. Prints files per second,
the time one file takes, and the speed-up of the worker processes.

    .venv/bin/python bench/import_speed.py [--n 40] [--pdf 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
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


if __name__ == "__main__":
    main()
