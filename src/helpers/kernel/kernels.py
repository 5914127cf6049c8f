"""Kernels for a worker process: the next ones started while the current report runs, the used
one shut down in the background. Each kernel still serves exactly one report.

Starting a kernel (and importing the kit in it) and shutting one down are mostly waiting; done on
the critical path they leave a core idle (performance.md: 43 % and 17 % of a report's time). The
pool keeps ``AHEAD`` kernels starting behind the running one, runs ``WARM_CODE`` in each started
as a new interpreter (imports only: no report's state) and hands the oldest to papermill for the
next report. Two ahead keep both cores busy on the 2-core machine (wall/(CPU/cores) 1.05 against
1.14–1.18 with one ahead); the driver says how many a worker still needs, so none is started for
nothing at the end.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import re
import shutil
import signal
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

WARM_CODE = "import helpers.report.document, helpers.report.workbench, IPython.display"
START_TIMEOUT = 120
AHEAD = 2  # kernels starting behind the running one


class KernelPool:
    def __init__(self, kernel_name: str, manager_class: type, ahead: int = AHEAD,
                 warm: str | None = WARM_CODE):
        """``warm``: code run in each kernel as it starts (None: nothing — a kernel forked from
        the warm template has imported everything already, and the round trip cost 5 ms)."""
        self.kernel_name, self.manager_class, self.ahead = kernel_name, manager_class, ahead
        self.warm = warm
        self._threads = ThreadPoolExecutor(ahead + 1, thread_name_prefix="nianbao-kernel")
        self._next: list[Future] = []
        atexit.register(self.close)

    def take(self, keep_ahead: int | None = None):
        """A started, warmed, living kernel manager (retried once: start-up can fail under load,
        and a kernel can die while it waits); then ``keep_ahead`` (default: the pool's) more are
        kept starting in the background."""
        future = self._next.pop(0) if self._next else None
        try:
            km = future.result() if future else self._start()
            if not asyncio.run(km.is_alive()):  # died while it waited: found now, not in 2 minutes
                self.release(km)
                raise RuntimeError("warm kernel died")
        except Exception:  # noqa: BLE001 - a failed start gets one more try, in the open
            km = self._start()
        want = self.ahead if keep_ahead is None else min(keep_ahead, self.ahead)
        while len(self._next) < want:
            self._next.append(self._threads.submit(self._start))
        return km

    def release(self, km) -> None:
        """Shut a used kernel down without waiting for it. Killed rather than asked: its report
        is done and saved, and it keeps nothing (no history) that a graceful exit would write."""
        self._threads.submit(self._stop, km)

    def close(self) -> None:
        """Stop the kernel started ahead and wait for the used ones to be gone."""
        futures, self._next = self._next, []
        for future in futures:
            try:
                self._stop(future.result(timeout=START_TIMEOUT))
            except Exception:  # noqa: BLE001 - nothing to stop
                pass
        self._threads.shutdown(wait=True)

    def _start(self):
        return asyncio.run(self._astart())

    async def _astart(self):
        km = self.manager_class(kernel_name=self.kernel_name)
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=START_TIMEOUT)
            if self.warm:
                await kc.execute_interactive(self.warm, silent=True, store_history=False,
                                             timeout=START_TIMEOUT, output_hook=lambda msg: None)
        except BaseException:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
            raise
        kc.stop_channels()
        return km

    @staticmethod
    def _stop(km) -> None:
        async def stop():
            try:
                await km.shutdown_kernel(now=True)
            finally:
                await km.cleanup_resources()
        try:
            asyncio.run(stop())
        except Exception:  # noqa: BLE001 - a kernel that already died needs no stopping
            pass


def bind_to_parent(parent: int | None = None) -> None:
    """Die with the process that started this one (Linux: the parent-death signal), so a build
    killed with SIGKILL leaves no worker or kernel running. Elsewhere a no-op.

    ``parent``: that process's pid, to exit at once if it died before the binding; by default
    ``JPY_PARENT_PID``, which whoever starts a kernel (jupyter_client, the template) sets for it.
    A build worker is given its driver's pid: it inherits JPY_PARENT_PID from a driver that runs
    in a Jupyter kernel or terminal, where it names the Jupyter server."""
    if not sys.platform.startswith("linux"):
        return
    die_with_parent()
    if parent is None:
        named = os.environ.get("JPY_PARENT_PID", "")
        parent = int(named) if named.isdigit() else None
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before we were bound to it


def die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (PR_SET_PDEATHSIG)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)


# After an error, requests that reach the kernel within this many seconds are aborted: JupyterLab's
# "Run All" sends every cell at once, and without a window a cell after the failing one could
# still run (and print a NameError traceback under the kit's short message).
ABORT_WINDOW = 1.0
SOCKET_PREFIX = "nianbao-kernels-"  # + the pid of the process whose kernels' sockets it holds


def socket_folder() -> str:
    """A private folder for this process's kernel sockets and connection files, removed at
    exit; a killed process's folder is removed by the next build (clean_stale)."""
    folder = tempfile.mkdtemp(prefix=f"{SOCKET_PREFIX}{os.getpid()}-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def clean_stale() -> int:
    """Remove the socket folders of processes that are gone (a build killed with SIGKILL)."""
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKET_PREFIX}*"):
        match = re.match(rf"{SOCKET_PREFIX}(\d+)-", folder.name)
        if match and not pid_alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def pid_alive(pid: int, started: int | None = None) -> bool:
    """A process that runs (a zombie, killed but not yet reaped by its new parent, does not).
    ``started``: its start time (``process_start``) when it was first seen — a pid reused since
    by another process (or thread: Linux signals and lists threads by their ids too) is then not
    taken for it. A long build goes through the 32,768 pids of a default Linux in minutes."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return started is None
    fields = _stat(pid)
    if fields is None:
        return started is None  # no /proc: trust the signal where there is nothing to compare
    if started is not None and int(fields[19]) != started:
        return False  # the pid is another process's now
    return fields[0] not in ("Z", "X")


def process_start(pid: int) -> int | None:
    """When ``pid`` started (clock ticks since boot, /proc/<pid>/stat field 22); None if unknown."""
    fields = _stat(pid)
    return int(fields[19]) if fields is not None else None


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat from its state on (field 3): the name before it may hold spaces."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return fields if len(fields) > 19 else None


def install_kernelspec(name: str = "nianbao") -> str:
    """Register this interpreter as the kernel the reports run on, inside its environment.

    Unlike ``ipykernel install`` it leaves out ``-Xfrozen_modules=off`` and the debugger (slower
    start-up, of no use to a batch) and IPython's history (parallel kernels would all write one
    sqlite file in ~/.ipython), and it starts through ``launch_kernel``, so a kernel dies with
    the process that started it; cells queued behind a failing one are not run (ABORT_WINDOW).
    """
    import json

    from jupyter_client.kernelspec import KernelSpecManager

    spec = {"argv": [sys.executable, "-m", "helpers.kernel.kernels", "--kernel",
                     "--HistoryManager.enabled=False", f"--Kernel.stop_on_error_timeout={ABORT_WINDOW}",
                     "-f", "{connection_file}"],
            "display_name": "Python (nianbao)", "language": "python",
            "metadata": {"debugger": False}}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
        return KernelSpecManager().install_kernel_spec(folder, name, prefix=sys.prefix)


def without_debugger() -> None:
    """No debugpy in the kit's kernels: its spec says ``debugger: false`` (JupyterLab shows no
    debugger for it), yet ipykernel imports debugpy and pydevd at start-up whenever they are
    installed — 0.3 s of every kernel's start. Marked absent, ipykernel starts without them."""
    sys.modules.setdefault("debugpy", None)  # type: ignore[arg-type]


def launch_kernel() -> None:
    """The report kernel: ipykernel, bound to the worker that started it."""
    bind_to_parent()
    without_debugger()
    sys.argv.remove("--kernel")
    if sys.path and sys.path[0] in ("", os.getcwd()):
        sys.path.pop(0)  # as ipykernel_launcher: the kernel imports nothing from the cwd by chance
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":  # python -m helpers.kernel.kernels: what `make setup` runs
    if "--kernel" in sys.argv:
        launch_kernel()
    else:
        print("kernel installed:", install_kernelspec())
