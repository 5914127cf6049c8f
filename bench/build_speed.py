"""Benchmark: `nianbao build` against the loop a user would write and against the kit before
forked kernels, on N synthetic township-years, paired in one run.

In one run, on the same params and the kit's own notebook:
  1. the naive loop: `papermill` (command line), then `jupyter nbconvert --to html`, per township
     (on the first --naive of them: it is slow);
  2. the kit as it was at --before (a git worktree of that commit, run with the same
     interpreter and packages): "today's build" of issue 14;
  3. `nianbao build` now with kernels started as new interpreters (NIANBAO_FORK=0: the fallback
     where a platform cannot fork);
  4. `nianbao build` now (kernels forked from a warm template);
  5. `nianbao build` again with nothing changed.
(2) and (4) run back to back in --rounds rounds and each round gives its ratio: this machine's
speed drifts by tens of per cent over minutes (the same build took 11.5 and 17.7 CPU-s a few
minutes apart), which a single pair measured minutes apart would report as the kit's.
CPU is the machine's (/proc/stat, busy jiffies of every process): forked kernels are reaped by
their template, so a process tree's rusage would miss them. Run it on an otherwise idle machine.

Targets on the 2-core machine (issue 14): a report ≤ 0.3 CPU-s; (4) ≥ 50× (1) and ≥ 3× (2);
wall ≤ 1.1 × CPU / cores; a no-change rebuild < 1 s.

    .venv/bin/python bench/build_speed.py [--n 100] [--naive 8] [--before 0508150] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.kernel.render import kernel_name, notebook_sha256
from helpers.params.write import format_params
from helpers.paths import REPORT_NOTEBOOK
from helpers.report.synthetic import synthetic_report

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
BEFORE = "0508150"  # the kit when issue 14 began: kernels started as new interpreters


def machine_cpu() -> float:
    """CPU-seconds the machine has been busy (all processes), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def timed(command: list[str], env: dict | None = None, ok=(0, 1)) -> tuple[float, float]:
    """(wall, machine CPU) of one command."""
    cpu, start = machine_cpu(), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if result.returncode not in ok or "执行失败" in result.stderr:  # a build's failed reports
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return wall, machine_cpu() - cpu


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
                        "-p", "notebook_sha256", sha, "--no-progress-bar"], ok=(0,))
        w2, c2 = timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], ok=(0,))
        wall, cpu = wall + w1 + w2, cpu + c1 + c2
    return wall, cpu


def worktree(ref: str, folder: Path) -> Path:
    """The kit at ``ref``, checked out beside this one (a detached git worktree)."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), ref],
                   check=True, capture_output=True)
    # its own report notebook: helpers.notebooks is the checkout's notebooks/ (pyproject maps it),
    # which on PYTHONPATH alone would be this checkout's, written for today's kit
    (folder / "src" / "helpers" / "notebooks").symlink_to(folder / "notebooks", target_is_directory=True)
    return folder


def build(params: Path, out: Path, cores: int, env: dict | None = None) -> list[str]:
    return [sys.executable, "-m", "helpers.cli", "build", str(params), "--out", str(out),
            "--quiet", "--jobs", str(cores)]


def line(name: str, n: int, wall: float, cpu: float, cores: int) -> str:
    return (f"{name}: {wall:.1f} s, {n / wall:.2f} reports/s, {cpu / n:.3f} CPU-s per report, "
            f"cores busy {wall / (cpu / cores):.2f} (wall / (CPU/cores))")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="township-years for the kit's builds")
    parser.add_argument("--naive", type=int, default=8, help="township-years for the naive loop")
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with ('' to skip)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of (before, now) run back to back: the ratio of each pair")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    n = args.n + 1  # + the county roll-up
    # The nianbao template `make setup` installs for plain nbconvert names today's preprocessor:
    # nbconvert would merge it into the kit of --before too. Neither build needs it: set aside.
    installed = Path(sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates" / "nianbao"
    if installed.is_symlink():
        installed.unlink()
    try:
        run_all(args, cores, n)
    finally:
        from helpers.forms.nbpage import install_template

        install_template()


def run_all(args, cores: int, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = make_params(tmp / "params", args.n)
        naive_wall, naive_cpu = naive_loop(paths[:args.naive], tmp / "naive")
        no_fork = timed(build(tmp / "params", tmp / "nofork", cores), env={**os.environ, "NIANBAO_FORK": "0"})
        old = worktree(args.before, tmp / "before") if args.before else None
        rounds: list[dict[str, tuple[float, float]]] = []
        try:
            for r in range(args.rounds):  # this machine's speed drifts by tens of % over minutes:
                pair = {}                  # each ratio is of two builds run back to back
                if old is not None:
                    pair["before"] = timed(build(tmp / "params", tmp / f"b{r}", cores),
                                           env={**os.environ, "PYTHONPATH": str(old / "src")})
                pair["now"] = timed(build(tmp / "params", tmp / f"n{r}", cores))
                rounds.append(pair)
        finally:
            if old is not None:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                               capture_output=True)
        again_wall, _ = timed(build(tmp / "params", tmp / "n0", cores))
    naive_rate = args.naive / naive_wall
    print(f"naive loop (papermill CLI + jupyter nbconvert), {args.naive} reports: {naive_wall:.1f} s, "
          f"{naive_rate:.3f} reports/s, {naive_cpu / args.naive:.2f} CPU-s per report")
    print(line(f"nianbao build without fork ({args.n} + roll-up, --jobs {cores})", n, *no_fork, cores))
    for r, pair in enumerate(rounds, 1):
        for name, (wall, cpu) in pair.items():
            print(line(f"round {r}: nianbao build {name} ({args.n} + roll-up, --jobs {cores})", n, wall, cpu, cores))
    now = [pair["now"] for pair in rounds]
    wall, cpu = sorted(now)[len(now) // 2]  # the median build by wall time
    print(f"speed-up vs the naive loop: {n / wall / naive_rate:.1f}x (target ≥ 50x; median build now)")
    if old is not None:
        ratios = sorted(p["before"][0] / p["now"][0] for p in rounds)
        print(f"speed-up vs the kit at {args.before}, each round: "
              f"{', '.join(f'{x:.2f}x' for x in ratios)}; median {statistics.median(ratios):.2f}x (target ≥ 3x)")
    print(f"speed-up vs kernels without fork: {no_fork[0] / wall:.2f}x")
    busy = sorted(w / (c / cores) for w, c in now)
    print(f"CPU per report: {cpu / n:.3f} CPU-s (target ≤ 0.3); cores busy, each round: "
          f"{', '.join(f'{b:.2f}' for b in busy)}; median {statistics.median(busy):.2f} (target ≤ 1.1)")
    print(f"no-change rebuild of {args.n}: {again_wall:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
