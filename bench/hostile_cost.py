"""What the importer's worst inputs cost: each hostile file imported (--dry-run) in a process of its
own, its wall time and peak memory (the child's max RSS), and whether it ended in one line.

    .venv/bin/python bench/hostile_cost.py

Each input is one a real bad day or an attacker brings (tests/test_hostile.py has each as a case):
a PDF glyph at x = 2·10⁷ or drawn a millionth wide, a title of 100,000 spaces, 2 million empty
lines, a 400,000-digit number, a table row of 400,000 cells, a workbook declaring 1 GiB unpacked,
a 10 MB cell. The bound each must keep: seconds and megabytes that grow with the file, not past it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile import declared_bomb, patched, tiny_pdf  # noqa: E402

REPORT = (ROOT / "tests" / "data" / "reports" / "古郊乡_2021.txt").read_text(encoding="utf-8")
NIANBAO = Path(sys.executable).with_name("nianbao")


def inputs(folder: Path) -> dict[str, Path]:
    files = {
        "PDF, a glyph at x = 2·10⁷": ("远_2021.pdf", tiny_pdf((72, 700, 12, "2021"), (2e7, 700, 12, "far"))),
        "PDF, glyphs 10⁻⁴ pt wide": ("细_2021.pdf", tiny_pdf(*[(72 + 9 * i, 700, 1e-4, "x") for i in range(40)])),
        "title with 100,000 spaces": ("空格_2021.txt", ("甲乡人民政府" + " " * 100_000
                                                      + "2021年政府信息公开工作年度报告\n").encode()),
        "2,000,000 empty lines": ("空行_2021.txt", (REPORT + "\n" * 2_000_000).encode()),
        "a 400,000-digit number": ("位数_2021.txt", REPORT.replace("主动公开", "主动公开" + "9" * 400_000, 1).encode()),
        "49,000 lines (under the cap)": ("行数_2021.txt", (REPORT + "\n一行" * 48_000).encode()),
        "99,000 tags (under the cap)": ("标记_2021.html", ("<table><tr>" + "<td>1</td>" * 49_500
                                                           + "</tr></table>").encode()),
        "a row of 400,000 cells": ("宽表_2021.html", ("<table><tr>" + "<td>1</td>" * 400_000
                                                      + "</tr></table>").encode()),
    }
    out = {what: folder / name for what, (name, data) in files.items()}
    for what, (name, data) in files.items():
        (folder / name).write_bytes(data)
    book = _template(folder)
    out["workbook declaring 1 GiB"] = folder / "炸弹_2021.xlsx"
    out["workbook declaring 1 GiB"].write_bytes(declared_bomb(book, "xl/worksheets/sheet1.xml", 1 << 30))
    out["a 10 MB cell"] = folder / "长格_2021.xlsx"
    out["a 10 MB cell"].write_bytes(patched(book, "xl/worksheets/sheet1.xml", b"HUGE",
                                            ("长" * 3_500_000).encode()))
    return out


def _template(folder: Path) -> bytes:
    from openpyxl import load_workbook

    from helpers.params.write import format_params
    from helpers.report.synthetic import synthetic_report
    from helpers.year.template import templates

    params = folder / "params"
    params.mkdir()
    (params / "甲乡_2021.yaml").write_text(format_params(synthetic_report("甲乡", 2021, seed=1, county="示例县")),
                                          encoding="utf-8")
    (params / "county.yaml").write_text("county: 示例县\nexpected:\n  2021: [甲乡]\n", encoding="utf-8")
    book = templates(params, 2021, folder / "out").written[0]
    from helpers.formats import format_for_year
    from helpers.year.sheetlayout import layout

    cell = next(c for c in layout(format_for_year(2021)).cells if c.field == "narrative.problems")
    workbook = load_workbook(book)
    workbook.worksheets[0][cell.coordinate] = "HUGE"  # a section's text cell
    workbook.save(book)
    return book.read_bytes()


def cost(path: Path) -> tuple[float, float, int, str]:
    """Wall seconds, peak MiB, exit status and the last line said."""
    start = time.perf_counter()
    child = subprocess.Popen([str(NIANBAO), "import", str(path), "--dry-run"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    failed = next((line for line in out.splitlines() if line.startswith("✗")), None)
    said = "Traceback" if "Traceback" in out else failed[:70] if failed else "imported"
    return wall, usage.ru_maxrss / 1024, child.returncode, said


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-hostile-") as tmp:
        rows = [(what, path.stat().st_size, *cost(path)) for what, path in inputs(Path(tmp)).items()]
    print(f"{'input':<28} {'size':>9} {'wall s':>7} {'peak MiB':>9} exit  said")
    for what, size, wall, peak, code, said in rows:
        print(f"{what:<28} {size / 1024:>7.0f}KB {wall:>7.2f} {peak:>9.0f} {code:>4}  {said}")


if __name__ == "__main__":
    main()
