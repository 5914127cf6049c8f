"""One build task in a worker process: never raises. A failed township gets a page saying what
went wrong (and keeps its executed notebook, with papermill's banner at the failed cell)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import KernelDied, KitError, storage_reason
from ..forms.outputs import OUTPUTS, Run
from ..kernel import render
from ..kernel.kernels import WARM_CODE, KernelPool
from ..params.write import write_atomic
from ..paths import scratch_prefix
from .pages import failure_page
from .plan import Task

BUILT, FAILED = "built", "failed"
SCRATCH_SUFFIX = ".partial.ipynb"  # papermill wants .ipynb; the leading dot hides it


@dataclass(frozen=True)
class TaskResult:
    key: str
    status: str  # BUILT or FAILED
    reason: str = ""
    seconds: float = 0.0
    check: str | None = None  # built: the report's status.Status key, from its run
    errors: int = 0  # built: error and warning findings, so the index checks nothing again
    warnings: int = 0
    storage: bool = False  # failed because the output folder cannot be written: stop the build
    forms_failed: dict[str, str] = field(default_factory=dict)  # a form that failed alone: why
    answered: dict[str, int] = field(default_factory=dict)  # built: findings open, 已说明, 误报

    @property
    def name(self) -> str:
        """The report as a person names it (its params file's name), not the index's key."""
        return self.key.partition("/")[2] or self.key


def run_task(task: Task, notebook: Path | None = None) -> TaskResult:
    """Render one township-year: the executed notebook and every output of the task, each
    written atomically."""
    start = time.perf_counter()
    notebook = notebook or paths.REPORT_NOTEBOOK
    if task.error is not None:
        return _fail(task, str(task.error), start)
    scratch = task.notebook.with_name(scratch_prefix(task.notebook.stem, len(SCRATCH_SUFFIX))
                                      + SCRATCH_SUFFIX[1:])
    try:
        task.notebook.parent.mkdir(parents=True, exist_ok=True)
        if task.only_forms:  # it ran before on these inputs: the kept notebook serves
            run = Run.of(nbformat_read(task.notebook), task.params)
            kinds = task.only_forms
        else:
            run = Run.of(_execute(task, notebook, scratch), task.params)
            kinds = tuple(task.targets)
        failed = _write_forms(run, {k: task.targets[k] for k in kinds})
        if not task.only_forms:
            os.replace(scratch, task.notebook)
        return TaskResult(task.key, BUILT, seconds=time.perf_counter() - start, check=run.status,
                          errors=run.errors, warnings=run.warnings, forms_failed=failed,
                          answered=run.answered)
    except Exception as exc:  # noqa: BLE001 - a township fails alone, whatever went wrong
        storage = storage_reason(exc)
        if storage is not None:  # nothing more is written: what was there stays as it was
            return TaskResult(task.key, FAILED, f"{task.folder}: {storage}",
                              time.perf_counter() - start, storage=True)
        if _complete(scratch):  # the notebook as far as it ran (never a cut-off file)
            os.replace(scratch, task.notebook)
        return _fail(task, describe(exc), start)
    finally:
        scratch.unlink(missing_ok=True)


def _write_forms(run: Run, targets: dict[str, Path]) -> dict[str, str]:
    """Every form; one that fails fails alone (its reason for the index), unless the folder
    itself cannot be written (that stops the build)."""
    failed = {}
    for kind, target in targets.items():
        try:
            OUTPUTS[kind].write(run, target)
        except Exception as exc:  # noqa: BLE001 - the other forms are still written
            if storage_reason(exc) is not None:
                raise
            failed[kind] = describe(exc)
    return failed


def nbformat_read(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def _complete(path: Path) -> bool:
    """A notebook file written to its end (papermill saves it when a cell fails)."""
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")).get("cells"))
    except (OSError, ValueError):
        return False


_POOL: KernelPool | None = None


def kernel_pool() -> KernelPool:
    """This worker process's pool of fresh kernels, started ahead of the report being run:
    forked from the worker's warm template where the platform allows (forkkernel.py), else
    started as new interpreters."""
    global _POOL
    if _POOL is None:
        from ..kernel import forkkernel

        name = render.kernel_name()
        forked = forkkernel.available() and name == render.KERNEL
        manager = forkkernel.kernel_manager_class() if forked else render.kernel_manager_class()
        _POOL = KernelPool(name, manager, warm=None if forked else WARM_CODE)
    return _POOL


def _execute(task: Task, notebook: Path, scratch: Path):
    """A fresh kernel per report, started ahead by the pool (which retries a failed start once:
    kernels can fail to start under load)."""
    parameters = render.report_parameters(task.params, task.strict, notebook)
    pool = kernel_pool()
    for attempt in (1, 2):  # a kernel that dies gets one fresh one before the township fails
        km = pool.take(keep_ahead=task.keep_ahead)
        try:
            return render.execute(notebook, parameters, task.timeout, output=scratch, km=km)
        except KernelDied:
            if attempt == 2:
                raise
        finally:
            pool.release(km)


def describe(exc: BaseException) -> str:
    """A reason a person can act on, in Chinese first."""
    if isinstance(exc, KitError):
        return str(exc)
    return render.kernel_failure(exc) or f"{type(exc).__name__}: {exc}"


def _fail(task: Task, reason: str, start: float) -> TaskResult:
    try:
        write_atomic(task.page, failure_page(task, reason))
    except OSError as exc:
        storage = storage_reason(exc)
        return TaskResult(task.key, FAILED, f"{reason}（失败页无法写入：{storage or exc}）",
                          time.perf_counter() - start, storage=storage is not None)
    return TaskResult(task.key, FAILED, reason, time.perf_counter() - start)
