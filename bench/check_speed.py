"""Benchmark: `nianbao check` on N township-year files (default 1,000), as a user runs it.

Writes N synthetic params files (consistent, with narrative; some years chained so the cross-year
rules run) into a temporary folder, then times the real console command end to end, interpreter
start-up included, a few times, and prints the median. Target on the 2-core machine: < 1 s.

    .venv/bin/python bench/check_speed.py [--files 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report

TARGET_SECONDS = 1.0  # issue 14: 1,000 township-years under 1 s on 2 cores


def make_files(folder: Path, n: int) -> None:
    """N files: townships of four chained years each; every 20th file has a 勾稽 error."""
    years = (2020, 2021, 2022, 2023)
    previous = None
    for i in range(n):
        township, year = f"样本{i // len(years):04d}镇", years[i % len(years)]
        doc = synthetic_report(township, year, seed=i, scale=i % 20,
                               previous=previous if year != years[0] else None)
        previous = doc
        text = format_params(doc)
        if i % 20 == 0:
            text = text.replace("carry_forward:           [", "carry_forward:           [1", 1)
        (folder / f"{township}_{year}.yaml").write_text(text, encoding="utf-8")


def time_check(folder: Path, fmt: str) -> float:
    nianbao = Path(sys.executable).with_name("nianbao")
    start = time.perf_counter()
    result = subprocess.run([str(nianbao), "check", "--format", fmt, str(folder)],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"check failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_files(folder, args.files)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"{args.files} params files, {size:.1f} MB")
        for fmt in ("json", "text"):
            times = [time_check(folder, fmt) for _ in range(args.repeat)]
            median = statistics.median(times)
            verdict = "OK" if median < TARGET_SECONDS else "TOO SLOW"
            print(f"nianbao check --format {fmt}: median {median:.2f} s over {args.repeat} runs "
                  f"({args.files / median:.0f} files/s) — target < {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
