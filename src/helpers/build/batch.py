"""Build every township-year: plan, skip what is up to date, run the rest in worker processes (or
on Dask), record each result as it arrives, then write the index pages.

A task never raises (worker.run_task): a township whose params are bad, whose notebook raises,
whose kernel dies or times out fails alone and gets a page saying why. Each finished task is
recorded in the manifest at once, so an interrupted build resumes where it stopped.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import signal
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from .. import __version__
from ..errors import EXIT_FINDINGS, EXIT_OK, OutputError, storage_reason
from ..forms.outputs import DEFAULT_KINDS
from ..kernel.kernels import bind_to_parent, clean_stale, pid_alive
from ..params.write import format_params, write_atomic
from ..paths import PACKAGE, safe_name
from ..year.board import board_path
from ..year.rollup import rollup, rollup_name
from .index import prepare_index, write_indexes, write_workbooks
from .plan import (MANIFEST, ManifestJournal, Plan, Task, content_hash, load_manifest, missing_forms, plan_build,
                   ran_before, up_to_date)
from .worker import BUILT, FAILED, SCRATCH_SUFFIX, TaskResult, run_task

INDEX_KEY = "index"  # the manifest's entry for the index pages


@dataclass
class BuildSummary:
    out: Path
    results: dict[str, TaskResult] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    index: Path | None = None
    statuses: dict[str, int] = field(default_factory=dict)  # index status → count
    bundles: list[Path] = field(default_factory=list)  # with --bundle: each year's zip
    left_out: list[str] = field(default_factory=list)  # with --bundle: who was not sent, and why

    @property
    def failed(self) -> list[TaskResult]:
        return [r for r in self.results.values() if r.status == FAILED]

    @property
    def built(self) -> list[TaskResult]:
        return [r for r in self.results.values() if r.status == BUILT]

    @property
    def forms_failed(self) -> list[TaskResult]:
        return [r for r in self.results.values() if r.forms_failed]

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.failed or self.forms_failed else EXIT_OK


def build(params_dir: Path, out: Path, *, years: set[int] | None = None, only: set[str] | None = None,
          jobs: int | None = None, force: bool = False, timeout: int | None = None,
          strict: bool = False, scheduler: str | None = None, notebook: Path | None = None,
          progress: "Progress | None" = None, kinds: tuple[str, ...] = DEFAULT_KINDS,
          bundle: bool = False, include_failed: bool = False) -> BuildSummary:
    """Build the reports of ``params_dir`` into ``out``; see the module docstring. OutputError
    when ``out`` cannot be written (full, read-only): the build stops, nothing there is lost."""
    try:
        return _build(params_dir, out, years=years, only=only, jobs=jobs, force=force,
                      timeout=timeout, strict=strict, scheduler=scheduler, notebook=notebook,
                      progress=progress, kinds=kinds, bundle=bundle, include_failed=include_failed)
    except OSError as exc:
        reason = storage_reason(exc)
        if reason is None:
            raise
        raise OutputError(str(out), reason) from None


def _build(params_dir: Path, out: Path, *, years, only, jobs, force, timeout, strict, scheduler,
           notebook, progress, kinds, bundle, include_failed) -> BuildSummary:
    out.mkdir(parents=True, exist_ok=True)
    clean_stale()  # what a build killed with SIGKILL left behind
    _clean_scratch(out)
    _compile_kit()
    plan = plan_build(params_dir, out, years, only, strict, timeout, notebook, kinds)
    if not only:  # roll-ups first: a long task last would leave the other cores idle at the end
        plan.tasks[:0] = _rollup_tasks(plan, strict, timeout, kinds)
    manifest = load_manifest(out)
    todo = ([t for t in plan.tasks] if force else
            [_todo(t, manifest) for t in plan.tasks if not up_to_date(t, manifest)])
    keys = {t.key for t in todo}
    summary = BuildSummary(out, skipped=[t.key for t in plan.tasks if t.key not in keys])
    progress = progress or Progress()
    progress.start(len(todo), len(summary.skipped))
    runner = _dask_results if scheduler else _process_results
    # What the index needs is made ready while the workers run, so no core waits for it at the
    # end: pandas imported, and the county workbooks (the params' and roll-ups', not the reports')
    side = ThreadPoolExecutor(1, thread_name_prefix="nianbao-index")
    books = None
    if todo:
        side.submit(prepare_index)
        books = side.submit(write_workbooks, plan)
    journal = ManifestJournal(out, manifest)
    results = runner(todo, jobs or os.cpu_count() or 1, scheduler, notebook, progress)
    try:
        for task, result in results:
            if result.storage:  # the folder takes no more files: stop, keep what is there
                raise OutputError(str(out), result.reason)
            summary.results[task.key] = result
            journal.record(task.key, {"digest": task.digest, "status": result.status,
                                      "reason": result.reason, "seconds": round(result.seconds, 2),
                                      "kit": __version__, "check": result.check,
                                      "errors": result.errors, "warnings": result.warnings,
                                      "forms_failed": result.forms_failed, **result.answered})
            progress.done(task, result)
    except BaseException:  # the workers are stopped at once; what they had begun is swept away
        results.close()
        _clean_scratch(out)
        raise
    finally:
        progress.stop()
        side.shutdown(wait=True)
    if summary.results:
        journal.save()
    summary.index, summary.statuses = _indexes(plan, summary, manifest, books.result() if books else None,
                                               bundle)
    if bundle:
        from .bundle import bundle as pack

        for year in sorted({t.year for t in plan.tasks if t.year is not None}):
            packed = pack(plan, year, manifest, include_failed)
            summary.bundles += [packed.path] if packed.path else []
            summary.left_out += [f"{year} 年 {why}" for why in packed.left_out]
    return summary


def _indexes(plan: Plan, summary: BuildSummary, manifest: dict,
             books: dict[int, str | None] | None, bundled: bool) -> tuple[Path, dict[str, int]]:
    """Write the index pages, unless nothing they show can have changed since the last build."""
    digest = content_hash(plan.kit, *(f"{t.key}:{t.digest}:{manifest.get(t.key, {}).get('status')}".encode()
                                      for t in sorted(plan.tasks, key=lambda t: t.key)),
                          plan.county.read_bytes() if plan.county else b"", b"bundle" if bundled else b"",
                          *(p.name.encode() for p in sorted(plan.docs)),
                          # the board, and the day: a township becomes 缺报 when its deadline passes
                          board.read_bytes() if (board := board_path(plan.params_dir)).exists() else b"",
                          date.today().isoformat().encode())
    top = plan.out / "index.html"
    previous = manifest.get(INDEX_KEY, {})
    if not summary.results and previous.get("digest") == digest and top.exists():
        return top, previous.get("statuses", {})
    top, statuses = write_indexes(plan, manifest, books, bundled)
    manifest[INDEX_KEY] = {"digest": digest, "statuses": statuses}
    write_atomic(plan.out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return top, statuses


def _compile_kit() -> None:
    """Byte-compile the kit once, so no kernel compiles it again: every kernel imports it, and
    where PYTHONDONTWRITEBYTECODE is set (as on this project's machines) nothing else would."""
    import compileall

    compileall.compile_dir(str(PACKAGE), quiet=2)


_SCRATCH_PID = re.compile(r"\.(\d+)\.(?:[^.]*\.tmp|partial\.ipynb)$")


def _clean_scratch(out: Path) -> None:
    """Scratch files of a build that was killed mid-task (a finished one leaves none); a file of
    a build still running beside this one (its pid is in the name) is left alone."""
    for pattern in (".*.tmp", f".*{SCRATCH_SUFFIX}"):
        for path in out.rglob(pattern):
            match = _SCRATCH_PID.search(path.name)
            if match and pid_alive(int(match.group(1))):
                continue
            try:
                path.unlink(missing_ok=True)
            except OSError:  # a read-only folder: the build says so when it writes
                pass


def _todo(task: Task, manifest: dict) -> Task:
    """A report that ran on these inputs and lacks only some forms gets just those, from its
    kept notebook; no kernel runs again."""
    if ran_before(task, manifest):
        return replace(task, only_forms=missing_forms(task, manifest))
    return task


def _rollup_tasks(plan: Plan, strict: bool, timeout: int | None,
                  kinds: tuple[str, ...]) -> list[Task]:
    """One county roll-up per year and format, written as a params file under the build."""
    if plan.county_spec is None:
        return []  # no county file, or one `nianbao check` reports as unreadable
    county = plan.county_spec.name
    years = {t.year for t in plan.tasks if t.year is not None and not t.rollup_of}
    tasks = []
    for year in sorted(years):
        docs = sorted((d for d in plan.docs.values() if d.meta.year == year and d.meta.county == county),
                      key=lambda d: d.meta.township)
        if not docs or len({d.meta.format for d in docs}) != 1:
            continue
        name = safe_name(f"{rollup_name(county)}_{year}")
        folder = plan.year_folder(year)
        params = folder / "rollup" / f"{name}.yaml"
        text = format_params(rollup(docs, county), header=f"{rollup_name(county)} {year}：由 nianbao build 生成，请勿手工修改")
        if not params.exists() or params.read_text(encoding="utf-8") != text:
            write_atomic(params, text)
        digest = content_hash(text.encode(), plan.kit, str((strict, timeout)).encode())
        tasks.append(Task(params, name, year, rollup_name(county), folder, digest, strict, timeout,
                          rollup_of=tuple(d.meta.township for d in docs), kinds=kinds))
    return tasks


Results = Iterator[tuple[Task, TaskResult]]


def _process_results(tasks: list[Task], jobs: int, scheduler, notebook, progress) -> Results:
    """At most ``jobs`` tasks in flight, so the progress bar knows what is running. Worker
    processes are started by spawn: the driver has threads (the progress bar), and papermill
    changes directories, so threads are no place for a report."""
    if not tasks:
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                               initializer=_worker_start, initargs=(os.getpid(),))
    try:
        yield from _windowed(tasks, jobs, lambda t: pool.submit(run_task, t, notebook),
                             lambda fs: wait(fs, return_when=FIRST_COMPLETED)[0], progress)
    except BaseException:  # Ctrl-C, a full disk, the caller gone: stop now, not after the reports in flight
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers; their templates and kernels die with them (bound to their
    parents), and what they were writing was never in place (written atomically). Python 3.14
    has ``terminate_workers``; before it, the pool's own list of processes."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def _worker_start(driver: int) -> None:
    """A build worker: dies with the build, leaves Ctrl-C to it (the terminal sends SIGINT to
    the whole process group; a worker interrupted in a kernel's start-up would wait for it
    instead of stopping), and starts its kernel template at once, so the template's imports
    overlap the worker's own instead of waiting for the first report. The template is started
    from this thread, the one that lives as long as the worker: the template's parent-death
    signal follows the thread that started it."""
    from ..kernel import forkkernel

    bind_to_parent(driver)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the template
    if forkkernel.available():
        forkkernel.template().start()


def _dask_results(tasks: list[Task], jobs: int, scheduler: str, notebook, progress) -> Results:
    """The same on Dask distributed: an existing scheduler's address, or `local` for a
    LocalCluster of ``jobs`` single-threaded worker processes."""
    from distributed import Client, LocalCluster, wait as dask_wait

    if not tasks:
        return
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=min(jobs, len(tasks)), threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(cluster or scheduler)
    if cluster is None:  # a real cluster: keep every worker thread busy, not the driver's cores
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        jobs = max(jobs, threads)
    try:
        run = partial(run_task, notebook=notebook)
        yield from _windowed(tasks, jobs, lambda t: client.submit(run, t, key=f"nianbao-{t.key}-{t.digest[:12]}"),
                             lambda fs: dask_wait(list(fs), return_when="FIRST_COMPLETED").done, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _windowed(tasks: list[Task], jobs: int, submit: Callable, first_done: Callable, progress) -> Results:
    """Keep ``jobs`` tasks running and one queued behind them, so a worker that finishes picks up
    its next report at once instead of waiting for this loop; report the running ones."""
    pending = list(tasks)
    running: dict = {}
    while pending or running:
        while pending and len(running) < jobs + 1:
            task = pending.pop(0)
            # kernels a worker will still need after this task: about what is left per worker
            # (a task that only writes forms from its kept notebook needs none)
            task = replace(task, keep_ahead=sum(not t.only_forms for t in pending) // jobs)
            running[submit(task)] = task
        progress.running([t.township for t in list(running.values())[:jobs]])
        for future in first_done(running):
            task = running.pop(future)
            yield task, future.result()


class Progress:
    """Silent progress (for --quiet and for the library); the CLI passes a live one."""

    def start(self, total: int, skipped: int) -> None:
        self.started = time.perf_counter()

    def running(self, names: list[str]) -> None:
        pass

    def done(self, task: Task, result: TaskResult) -> None:
        pass

    def stop(self) -> None:
        pass
