"""Benchmark: a synthetic province built on Dask, to size a real cluster.

Makes a province of N township-years (default 5,000: 8 counties × 125 townships × 2019–2023, each
county with its county.yaml, years chained so the cross-year rules run), then for 1 and for 2
workers: starts a Dask LocalCluster (single-threaded worker processes) in this process and runs
`nianbao build --scheduler <its address>` against it, as on a real cluster. Measured:

- wall time and reports per second;
- CPU: the machine's (/proc/stat), the scheduler's (the process holding the LocalCluster: its
  scheduler runs there) and the driver's (the `nianbao build` process: planning, manifest,
  index pages);
- memory per worker: the PSS of each worker's tree (the Dask worker, its kernel template and the
  kernels it forked), sampled twice a second — its peak and mean;
- then a rebuild with nothing changed, of the whole province and of one year (1,000).

    .venv/bin/python bench/province_speed.py [--counties 8] [--townships 125] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report

BIN = Path(sys.executable).parent
YEARS = (2019, 2020, 2021, 2022, 2023)


def machine_cpu() -> float:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def make_province(folder: Path, counties: int, townships: int) -> int:
    n = 0
    for c in range(counties):
        county = f"样本{c:02d}县"
        names = [f"{county[2:4]}县{i:03d}镇" for i in range(townships)]
        home = folder / county
        home.mkdir(parents=True)
        years = "\n".join(f"  {y}: [{', '.join(names)}]" for y in YEARS)
        (home / "county.yaml").write_text(f"county: {county}\nexpected:\n{years}\n", encoding="utf-8")
        for i, name in enumerate(names):
            previous = None
            for year in YEARS:
                doc = synthetic_report(name, year, seed=c * 1000 + i, scale=i % 12, county=county,
                                       previous=previous)
                (home / f"{name}_{year}.yaml").write_text(format_params(doc), encoding="utf-8")
                previous, n = doc, n + 1
    return n


class TreeMemory(threading.Thread):
    """Samples the PSS of each worker process tree (worker, template, kernels)."""

    def __init__(self, roots: list[int]):
        super().__init__(daemon=True)
        self.roots, self.samples = roots, {r: [] for r in roots}
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.wait(0.5):
            for root in self.roots:
                try:
                    tree = [psutil.Process(root), *psutil.Process(root).children(recursive=True)]
                    total = 0
                    for p in tree:
                        try:
                            total += p.memory_full_info().pss
                        except (psutil.NoSuchProcess, psutil.AccessDenied):
                            pass
                    self.samples[root].append(total / 2 ** 20)
                except psutil.NoSuchProcess:
                    pass


# The cluster in a process of its own (the LocalCluster's scheduler runs in the process that
# makes it): it prints the scheduler's address and the workers' pids, then waits for stdin to close.
CLUSTER = """
import json, os, sys
from distributed import Client, LocalCluster
with LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True,
                  dashboard_address=None) as cluster, Client(cluster) as client:
    print(json.dumps([cluster.scheduler_address, list(client.run(os.getpid).values())]), flush=True)
    sys.stdin.read()
"""


def build_on(workers: int, params: Path, out: Path) -> dict:
    import json

    import psutil

    cluster = subprocess.Popen([sys.executable, "-c", CLUSTER, str(workers)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address, pids = json.loads(cluster.stdout.readline())
    scheduler = psutil.Process(cluster.pid)
    memory = TreeMemory(pids)
    memory.start()
    cpu, before, start = machine_cpu(), sum(scheduler.cpu_times()[:2]), time.perf_counter()
    driver = subprocess.Popen([str(BIN / "nianbao"), "build", str(params), "--out", str(out),
                               "--quiet", "--scheduler", address, "--jobs", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(driver.pid, 0)  # the driver's own CPU, not the workers'
    wall = time.perf_counter() - start
    total = machine_cpu() - cpu
    scheduler_cpu = sum(scheduler.cpu_times()[:2]) - before
    memory.stop.set()
    memory.join()
    cluster.stdin.close()
    cluster.wait(timeout=120)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"build failed ({os.waitstatus_to_exitcode(status)})")
    peaks = [max(s) for s in memory.samples.values() if s]
    means = [statistics.mean(s) for s in memory.samples.values() if s]
    return {"wall": wall, "cpu": total, "scheduler": scheduler_cpu,
            "driver": usage.ru_utime + usage.ru_stime, "peak": peaks, "mean": means}


def rebuild(params: Path, out: Path, *extra: str) -> float:
    """The second of two identical builds: nothing to do (the first may still write the index
    pages of a different selection of years)."""
    command = [str(BIN / "nianbao"), "build", str(params), "--out", str(out), "--quiet", *extra]
    subprocess.run(command, capture_output=True, text=True)
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=8)
    parser.add_argument("--townships", type=int, default=125)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        n = make_province(tmp / "params", args.counties, args.townships)
        reports = n + args.counties * len(YEARS)  # and each county-year's roll-up
        print(f"province: {n} township-years in {args.counties} counties, {YEARS[0]}–{YEARS[-1]} "
              f"(+ {args.counties * len(YEARS)} roll-ups); made in {time.perf_counter() - start:.0f} s")
        for workers in args.workers:
            out = tmp / f"build{workers}"
            r = build_on(workers, tmp / "params", out)
            driver = r["driver"]
            print(f"{workers} worker(s): {r['wall']:.0f} s, {reports / r['wall']:.2f} reports/s, "
                  f"{r['cpu'] / reports:.3f} CPU-s per report (machine); scheduler "
                  f"{1000 * r['scheduler'] / reports:.1f} ms, driver {1000 * driver / reports:.1f} ms "
                  f"per report; memory per worker (worker + template + kernels, PSS) peak "
                  f"{max(r['peak']):.0f} MiB, mean {statistics.mean(r['mean']):.0f} MiB")
        out = tmp / f"build{args.workers[-1]}"
        print(f"no-change rebuild of {n}: {rebuild(tmp / 'params', out):.2f} s; of one year "
              f"({n // len(YEARS)}): {rebuild(tmp / 'params', out, '--year', str(YEARS[2])):.2f} s "
              f"(every file is still read: the index and trend pages span all the years; the "
              f"target, a folder of 1,000, is bench/build_speed.py --n 1000's)")


if __name__ == "__main__":
    main()
