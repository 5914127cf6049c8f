"""A fresh kernel per report at the price of a fork: kernels forked from a warm template.

Starting a kernel the usual way — a new interpreter importing ipykernel, IPython and the kit —
costs the same CPU for every report. Here each build worker starts one *template* process
(``python -m helpers.kernel.forkkernel``) that imports all of that once, opens no socket and starts no
thread, then waits on a pipe. For each report it forks: the child makes itself a process group,
takes the report's cwd and environment, and only then starts an ipykernel on the connection file
it was given — its sockets and threads are its own, created after the fork. The kernel is used
once and discarded like any other; the template never runs a report's code, so every kernel
starts from the same pristine, import-only state: a report cannot see another's variables, the
modules it imported, its cwd, its environment or its open files.

jupyter_client drives the forked kernel through ``ForkProvisioner`` (its process is managed by
pid), so papermill and nbclient see an ordinary kernel manager. A forked kernel that crashes
fails its report alone; a template that dies is started again on the next request. Where the
platform cannot fork safely (not Linux) or ``NIANBAO_FORK=0``, the kit starts kernels the usual
way (``kernels.KernelPool`` with the registered kernel spec).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# What a report's kernel imports, imported once in the template. Kept to what the notebook and
# ipykernel need: every module here is shared copy-on-write by all kernels of the worker.
TEMPLATE_IMPORTS = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
                    "IPython.core.interactiveshell", "IPython.display", "jupyter_client.session",
                    "zmq", "tornado.ioloop", "helpers.report.document", "helpers.report.workbench",
                    "helpers.report.fragments", "pdb", "code", "faulthandler", "runpy", "unicodedata",
                    # what ipykernel and IPython import only as a kernel starts (7 ms a kernel)
                    "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect",
                    "IPython.extensions.storemagic", "IPython.utils.wildcard", "ipykernel.debugger",
                    "tornado.gen", "tornado.locks", "tornado.platform.asyncio", "tornado.queues")


def available() -> bool:
    """Whether this platform forks kernels: Linux (fork is safe from a thread-free template)."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and os.environ.get("NIANBAO_FORK", "1") != "0")


class TemplateError(RuntimeError):
    pass


class Template:
    """The worker's side of one template process: ask it for a kernel, get the kernel's pid."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._replies = None  # the read end of the template's own reply pipe

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> tuple[int, int | None]:
        """A kernel forked from the template, started with ``argv`` (ipykernel's arguments):
        its pid and start time (the template tells both, before the kernel can have exited and
        its pid been reused); a template that died is started again once."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n"
        with self._lock:
            for attempt in (1, 2):
                process = self._running()
                try:
                    process.stdin.write(request.encode())
                    process.stdin.flush()
                    answer = json.loads(self._replies.readline())
                    return int(answer["pid"]), answer.get("started")
                except (OSError, ValueError, KeyError) as exc:
                    self._stop()
                    if attempt == 2:
                        raise TemplateError(f"内核模板进程无法派生内核（kernel template failed）：{exc}") from None
        raise AssertionError("unreachable")

    def start(self) -> None:
        """Start the template now (a worker does at its own start, while it imports the rest);
        a failure here is met again, and handled, by the first kernel asked for."""
        try:
            with self._lock:
                self._running()
        except OSError:
            pass

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _running(self) -> subprocess.Popen:
        """The template, started when there is none. It answers on a pipe of its own (not its
        stdout, where anything an import prints would land)."""
        if self._process is None or self._process.poll() is not None:
            self._stop()
            read, write = os.pipe()
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "helpers.kernel.forkkernel", str(write)], stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write,),
                    env={**os.environ, "JPY_PARENT_PID": str(os.getpid())})
            finally:
                os.close(write)
            self._replies = os.fdopen(read, "rb")
        return self._process

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process.stdin.close()
            self._process = None
        if self._replies is not None:
            self._replies.close()
            self._replies = None


@lru_cache(maxsize=1)
def template() -> Template:
    """This process's template (started on the first kernel asked of it)."""
    import atexit

    made = Template()
    atexit.register(made.close)
    return made


@dataclass
class ForkedProcess:
    """A forked kernel as jupyter_client handles a Popen: by pid. It is the template's child (the
    template reaps it), so its state is read from the process table — checked against its start
    time, so a pid reused by another process is never taken for the kernel (nor signalled)."""

    pid: int
    started: int | None = None
    stdin: Any = None
    stdout: Any = None
    stderr: Any = None
    returncode: int | None = None

    def poll(self) -> int | None:
        from .kernels import pid_alive

        if self.returncode is None and not pid_alive(self.pid, self.started):
            self.returncode = -signal.SIGKILL  # gone: its exit status went to the template
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def provisioner_class():
    """jupyter_client's local provisioner, launching by fork instead of by command."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            argv = cmd[cmd.index("--kernel") + 1:] if "--kernel" in cmd else cmd[1:]
            env = kwargs.get("env") or dict(os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                pid, started = template().fork(argv, env, cwd)
            except TemplateError:  # no template (it failed twice): a kernel the usual way
                return await super().launch_kernel(cmd, **kwargs)
            self.process = ForkedProcess(pid, started)
            self.pid = self.pgid = pid  # the child leads its own group (set on both sides)
            self.cwd = cwd
            return self.connection_info

        async def send_signal(self, signum: int) -> None:
            """To the kernel's process group — only while the kernel is the process with its
            pid (a group id reused by another process is not signalled)."""
            if not isinstance(self.process, ForkedProcess):
                return await super().send_signal(signum)
            if self.process.poll() is None:
                try:
                    os.killpg(self.pgid, signum)
                except ProcessLookupError:
                    pass

    return ForkProvisioner


@lru_cache(maxsize=1)
def kernel_manager_class():
    """The kit's kernel manager (unix sockets in a private folder), on forked kernels."""
    from .render import kernel_manager_class as base

    class ForkKernelManager(base()):
        async def start_kernel(self, **kw):
            if self.provisioner is None:
                import uuid

                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                self.provisioner = provisioner_class()(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            return await super().start_kernel(**kw)

    return ForkKernelManager


# -- the template process -------------------------------------------------------------------

def serve(reply_fd: int) -> None:
    """The template: import, then fork a kernel for every request on stdin, its pid on the
    reply pipe."""
    from .kernels import bind_to_parent

    bind_to_parent()  # dies with the worker; its kernels die with it (their own parent-death signal)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        sys.path.pop(0)
    replies = os.fdopen(reply_fd, "wb")
    import importlib

    from .kernels import without_debugger

    without_debugger()
    for name in TEMPLATE_IMPORTS:
        importlib.import_module(name)
    _warm()
    if threading.active_count() != 1:  # a thread would not survive the fork: refuse to serve
        raise SystemExit("kernel template: a module started a thread; cannot fork")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit
    requests = sys.stdin.buffer
    me = os.getpid()
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _kernel(request, me, replies.fileno())  # never returns
        try:
            os.setpgid(pid, pid)  # also in the child: whichever runs first, the group exists
        except OSError:
            pass
        from .kernels import process_start

        replies.write(json.dumps({"pid": pid, "started": process_start(pid)}).encode() + b"\n")
        replies.flush()


def _warm() -> None:
    """Pay once what every report would pay on first use — the page's Jinja templates compiled,
    the rules' patterns, the formats' derived tables — by preparing a synthetic sample report
    (no analyst's data) and rendering every part of it. Then the data caches are emptied and the
    heap frozen, so the collector never writes to (and copies) the pages the kernels share."""
    import gc
    import tempfile
    from pathlib import Path

    from ..checks import hanzi
    from ..report.document import prepare_report
    from ..report.synthetic import synthetic_report
    from ..report.workbench import part, sections, style
    from ..params.write import format_params

    with tempfile.TemporaryDirectory(prefix="nianbao-warm-") as folder:
        for year in (2020, 2021):  # both formats
            path = Path(folder) / f"示例镇_{year}.yaml"
            path.write_text(format_params(synthetic_report("示例镇", year, seed=1)), encoding="utf-8")
            report = prepare_report(path)
            [style(), part("header", report), part("findings", report), *sections(report),
             part("footer", report), report.record()]
    hanzi.simplified.cache_clear()
    gc.collect()
    gc.freeze()


def _kernel(request: dict, template_pid: int, reply_fd: int) -> None:
    """In the forked child: become the report's kernel, then exit."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a kernel is interrupted by it
        os.setpgid(0, 0)
        from .kernels import die_with_parent

        die_with_parent()
        if os.getppid() != template_pid:  # the template died before we were bound to it
            os._exit(1)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # the template's pipes are not the kernel's
            os.dup2(devnull, fd)
        os.close(devnull)
        os.close(reply_fd)  # nor is the pipe the template answers the worker on
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import random

        random.seed()  # not the template's sequence
        sys.argv = ["ipykernel", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=request["argv"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - a kernel that fails to start exits, nothing more
        code = 1
    os._exit(code)


if __name__ == "__main__":  # python -m helpers.kernel.forkkernel REPLY_FD: what Template starts
    serve(int(sys.argv[1]))
