"""Kernels forked from a warm template (issue 14): exact isolation between reports, a crash
that fails one report alone, a template that dies and comes back, and the fallback to kernels
started as new interpreters where the platform cannot fork."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.errors import KernelDied, RenderError
from helpers.kernel import forkkernel, render
from helpers.kernel.kernels import KernelPool, pid_alive
from util import BUILT_AT, ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not forkkernel.available(), reason="forks kernels on Linux only")]


def notebook(path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "nianbao", "display_name": "Python (nianbao)",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('params_path = ""\nstrict = False\nnotebook_sha256 = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)
    return path


def run(pool: KernelPool, nb: Path):
    km = pool.take(keep_ahead=0)
    try:
        return render.execute(nb, {"params_path": "", "strict": False, "notebook_sha256": ""},
                              timeout=60, km=km), km.provisioner.pid
    finally:
        pool.release(km)


@pytest.fixture
def pool():
    made = KernelPool(render.KERNEL, forkkernel.kernel_manager_class(), ahead=0)
    yield made
    made.close()


def outputs(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", ()))


def test_a_report_sees_nothing_of_the_one_before(tmp_path, pool):
    secret = tmp_path / "secret.txt"
    first = notebook(tmp_path / "first.ipynb", f"""
import os, sys, colorsys
leak = "A's variable"
os.chdir({str(tmp_path)!r})
os.environ["NIANBAO_LEAK"] = "1"
kept = open({str(secret)!r}, "w")
sys.path.append("/leaked/path")
print("ran in", os.getpid(), "under", os.getppid())
""")
    second = notebook(tmp_path / "second.ipynb", f"""
import os, sys
fds = [os.readlink(f"/proc/self/fd/{{fd}}") for fd in os.listdir("/proc/self/fd")
       if os.path.exists(f"/proc/self/fd/{{fd}}")]
print("variable:", "leak" in globals())
print("module:", "colorsys" in sys.modules)
print("cwd:", os.getcwd() == {os.getcwd()!r})
print("env:", "NIANBAO_LEAK" in os.environ)
print("file:", {str(secret)!r} in fds)
print("path:", "/leaked/path" in sys.path)
print("ran in", os.getpid(), "under", os.getppid())
""")
    a, a_pid = run(pool, first)
    b, b_pid = run(pool, second)
    text = outputs(b)
    for word in ("variable", "module", "env", "file", "path"):
        assert f"{word}: False" in text, text
    assert "cwd: True" in text
    a_parent = re.search(r"ran in (\d+) under (\d+)", outputs(a)).group(2)
    b_parent = re.search(r"ran in (\d+) under (\d+)", text).group(2)
    assert a_pid != b_pid and a_parent == b_parent  # two kernels forked from one template
    assert int(b_parent) == forkkernel.template()._process.pid


def test_a_kernel_that_crashes_fails_its_report_alone(tmp_path, pool):
    crash = notebook(tmp_path / "crash.ipynb", "import os\nos.kill(os.getpid(), 9)")
    fine = notebook(tmp_path / "fine.ipynb", "print('fine')")
    run(pool, fine)
    template = forkkernel.template()._process.pid
    with pytest.raises((KernelDied, RenderError)):
        run(pool, crash)
    assert pid_alive(template)
    nb, _ = run(pool, fine)
    assert "fine" in outputs(nb) and forkkernel.template()._process.pid == template


def test_a_template_that_dies_is_started_again(tmp_path, pool):
    fine = notebook(tmp_path / "fine.ipynb", "import os\nprint('parent', os.getppid())")
    run(pool, fine)
    old = forkkernel.template()._process.pid
    os.kill(old, signal.SIGKILL)
    nb, _ = run(pool, fine)
    new = forkkernel.template()._process.pid
    assert new != old and f"parent {new}" in outputs(nb)


def test_without_fork_the_kit_starts_kernels_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not forkkernel.available()
    monkeypatch.undo()
    monkeypatch.setenv("NIANBAO_FORK", "0")
    assert not forkkernel.available()
    from helpers.build import worker

    monkeypatch.setattr(worker, "_POOL", None)
    assert worker.kernel_pool().manager_class is render.kernel_manager_class()
    monkeypatch.setattr(worker, "_POOL", None)
    monkeypatch.delenv("NIANBAO_FORK")
    assert worker.kernel_pool().manager_class is forkkernel.kernel_manager_class()
    monkeypatch.setattr(worker, "_POOL", None)


def test_a_build_without_fork_writes_the_same_pages(tmp_path):
    """The fallback end to end: the same county built both ways gives the same pages."""
    params = ROOT / "params"
    nianbao = Path(sys.executable).parent / "nianbao"
    pages = {}
    for fork in ("1", "0"):
        out = tmp_path / f"fork{fork}"
        result = subprocess.run([str(nianbao), "build", str(params), "--out", str(out), "--quiet",
                                 "--only", "古郊乡", "--jobs", "1"], capture_output=True, text=True,
                                env={**os.environ, "NIANBAO_FORK": fork}, timeout=300)
        assert result.returncode in (0, 1), result.stderr
        page = (out / "2021" / "古郊乡_2021.html").read_text(encoding="utf-8")
        pages[fork] = BUILT_AT.sub("", page)
    assert pages["1"] == pages["0"]


def test_a_template_that_cannot_start_gives_kernels_the_usual_way(tmp_path, monkeypatch, pool):
    class Broken:
        def fork(self, argv, env, cwd):
            raise forkkernel.TemplateError("no template")

    monkeypatch.setattr(forkkernel, "template", lambda: Broken())
    fine = notebook(tmp_path / "fine.ipynb", "import os\nprint('parent', os.getppid())")
    nb, _ = run(pool, fine)
    assert f"parent {os.getpid()}" in outputs(nb)  # started by this process, not forked


def test_the_template_answers_on_its_own_pipe_whatever_an_import_prints(tmp_path, monkeypatch):
    """The template answers on a pipe of its own: a module printing at start-up (here a
    sitecustomize) cannot garble its replies."""
    (tmp_path / "sitecustomize.py").write_text("print('hello from an import')\n")
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    template = forkkernel.Template()
    try:
        pid, started = template.fork(["-f", str(tmp_path / "kernel.json")], dict(os.environ),
                                     str(tmp_path))
        assert pid > 0 and pid_alive(pid, started)
        os.kill(pid, signal.SIGKILL)
    finally:
        template.close()


def test_a_reused_pid_is_not_taken_for_the_kernel_nor_signalled():
    """A build goes through Linux's 32,768 pids in minutes: a dead kernel's pid may be another
    process's (or thread's) by the time it is polled or killed."""
    from helpers.kernel.kernels import process_start

    me = os.getpid()
    assert forkkernel.ForkedProcess(me, process_start(me)).poll() is None  # the very process
    reused = forkkernel.ForkedProcess(me, process_start(me) - 1)  # same pid, another start
    assert reused.poll() is not None
    reused.kill()  # nothing is sent to a pid that is not the kernel's any more
    assert pid_alive(me)


def test_reports_leave_no_thread_or_socket_behind_in_the_worker(tmp_path, pool):
    """nbclient leaves a client open when it is given the kernel manager: every report left a
    thread and its sockets in the worker — thousands in a worker that runs a province."""
    import gc
    import threading
    import time

    fine = notebook(tmp_path / "fine.ipynb", "print('fine')")
    run(pool, fine)
    threads, fds = threading.active_count(), len(os.listdir("/proc/self/fd"))
    for _ in range(6):
        run(pool, fine)
    # Used kernels are stopped in the background and a client's context goes with the client:
    # right after a run a few are still open. What must not happen is that they stay.
    deadline = time.monotonic() + 10
    while len(os.listdir("/proc/self/fd")) > fds + 8 and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.1)
    assert threading.active_count() <= threads + 1
    assert len(os.listdir("/proc/self/fd")) <= fds + 8  # not 6 reports × sockets


def test_a_client_tries_a_kernel_not_yet_listening_again_within_milliseconds():
    """A client connects as soon as the kernel's process exists, before the kernel listens:
    zmq's default 100 ms before it tries again made one kernel start in two take 150–230 ms."""
    import zmq

    client = render.ready_client_class()(connection_file="unused.json")
    try:
        socket = client.context.socket(zmq.DEALER)
        assert socket.getsockopt(zmq.RECONNECT_IVL) == render.RECONNECT_MS <= 10
        socket.close(linger=0)
    finally:
        client.context.term()
