"""Benchmark: `nianbao build` against the loop a user would write, on N synthetic township-years.

In one run, on the same params and the kit's own notebook:
  1. the naive loop: `papermill` (command line), then `jupyter nbconvert --to html`, per township;
  2. `nianbao build --jobs <cores>` from scratch;
  3. `nianbao build` again with nothing changed.
Prints reports per second for 1 and 2 and their ratio, wall time against CPU seconds / cores for 2
(how busy the cores were), the no-change rebuild's time, and the CPU seconds one report costs.

Targets on the 2-core machine: ratio ≥ 4; wall ≤ 1.15 × CPU / cores; no-change rebuild < 1 s.

    .venv/bin/python bench/build_speed.py [--n 40] [--naive 40]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.paths import REPORT_NOTEBOOK
from helpers.render import kernel_name, notebook_sha256
from helpers.synthetic import synthetic_report
from helpers.write import format_params

BIN = Path(sys.executable).parent


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU of the whole process tree) of one command."""
    cpu, start = children_cpu(), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return wall, children_cpu() - cpu


def make_params(folder: Path, n: int) -> list[Path]:
    names = [f"样本{i:03d}镇" for i in range(n)]
    folder.mkdir(parents=True)
    (folder / "county.yaml").write_text(
        f"county: 示例县\nexpected:\n  2021: [{', '.join(names)}]\n", encoding="utf-8")
    paths = []
    for i, name in enumerate(names):
        path = folder / f"{name}_2021.yaml"
        path.write_text(format_params(synthetic_report(name, 2021, seed=i, scale=i % 12)), encoding="utf-8")
        paths.append(path)
    return paths


def naive_loop(paths: list[Path], out: Path) -> tuple[float, float]:
    out.mkdir()
    wall = cpu = 0.0
    sha = notebook_sha256(REPORT_NOTEBOOK)
    for path in paths:
        executed = out / f"{path.stem}.ipynb"
        w1, c1 = timed([str(BIN / "papermill"), str(REPORT_NOTEBOOK), str(executed), "-k", kernel_name(),
                        "-p", "params_path", str(path), "-p", "strict", "False",
                        "-p", "notebook_sha256", sha, "--no-progress-bar"])
        w2, c2 = timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)])
        wall, cpu = wall + w1 + w2, cpu + c1 + c2
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="township-years for the kit's build")
    parser.add_argument("--naive", type=int, default=None,
                        help="township-years for the naive loop (default: the same N)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = make_params(tmp / "params", args.n)
        naive_n = args.naive or args.n
        naive_wall, naive_cpu = naive_loop(paths[:naive_n], tmp / "naive")
        build = [str(BIN / "nianbao"), "build", str(tmp / "params"), "--out", str(tmp / "build"),
                 "--quiet", "--jobs", str(cores)]
        kit_wall, kit_cpu = timed(build)
        again_wall, _ = timed(build)
    naive_rate, kit_rate = naive_n / naive_wall, (args.n + 1) / kit_wall  # + the county roll-up
    busy = kit_wall / (kit_cpu / cores)
    print(f"naive loop (papermill CLI + jupyter nbconvert), {naive_n} reports: {naive_wall:.1f} s, "
          f"{naive_rate:.2f} reports/s, {naive_cpu / naive_n:.2f} CPU-s per report")
    print(f"nianbao build --jobs {cores}, {args.n} reports + roll-up: {kit_wall:.1f} s, "
          f"{kit_rate:.2f} reports/s, {kit_cpu / (args.n + 1):.2f} CPU-s per report")
    print(f"speed-up: {kit_rate / naive_rate:.2f}x (target ≥ 4x)")
    print(f"cores kept busy: wall {kit_wall:.1f} s vs CPU {kit_cpu:.1f} s / {cores} cores = "
          f"{busy:.2f} (target ≤ 1.15)")
    print(f"no-change rebuild of {args.n}: {again_wall:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
