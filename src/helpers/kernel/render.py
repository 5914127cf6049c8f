"""One township-year: the report notebook run by papermill, then exported to one HTML file.

The parameters are checked before papermill writes them into the notebook as code; the HTML comes
from the kit's own nbconvert template (no code, no prompts, no injected-parameters cell, no URL).
"""

from __future__ import annotations

import hashlib
import itertools
import keyword
import re
import sys
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..errors import KernelDied, RenderError
from ..params.load import load_params
from ..params.write import unnameable

if TYPE_CHECKING:
    from nbformat import NotebookNode

# jsonschema (under nbformat) imports rfc3987_syntax, when installed, for its "iri" format check;
# building that module's grammar costs ~2.5 s in every process that opens a notebook, and no
# notebook schema uses the format. Declining the optional import leaves the check out, nothing else.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

KERNEL = "nianbao"  # registered in .venv by `make setup`; python3 otherwise


@dataclass(frozen=True)
class Rendered:
    files: dict[str, Path]  # kind → file written
    title: str

    @property
    def html(self) -> Path | None:
        return self.files.get("html")


@lru_cache(maxsize=4)
def declared_parameters(notebook: Path) -> frozenset[str]:
    """The names the notebook's parameters cell assigns (papermill only warns on others)."""
    import papermill

    return frozenset(papermill.inspect_notebook(str(notebook)))


def check_parameters(parameters: dict, notebook: Path) -> None:
    """Every name must be a plain identifier the notebook declares: papermill writes the names
    into the injected cell as code, unescaped."""
    declared = declared_parameters(notebook)
    for name in parameters:
        if not (isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)):
            raise RenderError(str(notebook), f"参数名 {name!r} 不是合法的标识符（not an identifier）")
        if name not in declared:
            raise RenderError(str(notebook), f"笔记本未声明参数 {name!r}；可用：{', '.join(sorted(declared))}")


@lru_cache(maxsize=1)
def kernel_manager_class():
    """A kernel manager on unix-domain sockets in a private folder instead of TCP ports: no port
    for parallel kernels to race for, nothing another user of the machine can connect to (and
    ipykernel's warning about unencrypted TCP stays out of the output)."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc").tag(config=True)

        @default("client_factory")
        def _client_factory_default(self) -> type:
            return ready_client_class()

        @default("ip")
        def _ip_default(self) -> str:
            return str(Path(_socket_dir()) / f"k{next(_SOCKETS)}")

        @default("connection_file")
        def _connection_file_default(self) -> str:  # beside its sockets: cleaned up together
            return str(Path(_socket_dir()) / f"kernel-{next(_SOCKETS)}.json")

        async def start_kernel(self, **kw):
            """The kernel's own stdout and stderr (its log, a KeyboardInterrupt at shutdown) go
            nowhere: a command prints the kit's one line, not the kernel's chatter; what a cell
            prints is still in the notebook."""
            import subprocess

            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super().start_kernel(**kw)

    return IPCKernelManager


@lru_cache(maxsize=1)
def ready_client_class():
    """A kernel client that knows the kernel is ready as soon as it is. jupyter_client asks at
    once, before its IOPub subscription has reached the kernel (the status message is lost; it
    waits 0.2 s and asks again), then waits for 0.2 s of silence on IOPub — 0.2–0.4 s of idle on
    every report's critical path. ipykernel sends a welcome on IOPub when a subscriber connects:
    after it, one kernel_info round trip (read through its idle status) is enough. A kernel that
    sends no welcome gets jupyter_client's own handshake."""
    import time
    from queue import Empty

    import zmq
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            _CLIENTS.add(self)

        def _context_default(self):
            """A client connects as soon as the kernel's process exists, usually before the
            kernel has bound its sockets; zmq then tries again after RECONNECT_IVL, 100 ms by
            default: a forked kernel, bound 15–20 ms after its fork, was ready after 100–200 ms.
            The client's own context (made when its channels start, as jupyter_client makes it)
            gives its sockets a shorter one."""
            context = super()._context_default()
            context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
            return context

        def start_channels(self, shell=True, iopub=True, stdin=True, hb=False, control=True):
            """No heartbeat thread: a client of the kit always has its kernel manager, which
            says whether the kernel lives."""
            super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=hb, control=control)

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            try:
                welcome = await self.iopub_channel.get_msg(timeout=WELCOME_TIMEOUT)
            except Empty:
                welcome = None
            if welcome is None or welcome["msg_type"] != "iopub_welcome":
                return await super().wait_for_ready(timeout=timeout)
            deadline = time.monotonic() + (timeout if timeout is not None else 60)
            request = self.kernel_info()
            reply = await self._reply_to(self.shell_channel, request, deadline)
            self._handle_kernel_info_reply(reply)
            while True:  # its busy and idle on IOPub, so nothing stale is left for the notebook
                msg = await self._reply_to(self.iopub_channel, request, deadline)
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return None

        async def _reply_to(self, channel, request: str, deadline: float) -> dict:
            while True:
                left = deadline - time.monotonic()
                try:
                    msg = await channel.get_msg(timeout=max(left, 0.01))
                except Empty:
                    if not await self.is_alive() or left <= 0:
                        raise RuntimeError("Kernel didn't respond to kernel_info") from None
                    continue
                if msg["parent_header"].get("msg_id") == request:
                    return msg

    return ReadyClient


WELCOME_TIMEOUT = 2.0
RECONNECT_MS = 5  # how soon a client tries again to reach a kernel not yet listening
_CLIENTS: "weakref.WeakSet" = weakref.WeakSet()  # the kit's kernel clients, to close after a run


def close_clients(km) -> None:
    """Stop the channels of every client of ``km``. nbclient leaves a client open when it was
    given the kernel manager (it does not own it): each report left its sockets, and a thread,
    behind — thousands in a worker that runs a province."""
    for client in list(_CLIENTS):
        if client.parent is km:
            client.stop_channels()
            _CLIENTS.discard(client)
_SOCKETS = itertools.count()


@lru_cache(maxsize=1)
def _socket_dir() -> str:
    from .kernels import socket_folder

    return socket_folder()


@lru_cache(maxsize=1)
def kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def notebook_sha256(notebook: Path) -> str:
    return hashlib.sha256(notebook.read_bytes()).hexdigest()


def report_parameters(params_path: Path, strict: bool, notebook: Path) -> dict:
    return {"params_path": str(params_path), "strict": bool(strict),
            "notebook_sha256": notebook_sha256(notebook)}


def execute(notebook: Path, parameters: dict, timeout: int | None = None,
            kernel: str | None = None, output: Path | None = None,
            **engine_kwargs) -> "NotebookNode":
    """Run the notebook in a fresh kernel and return it executed; saved once at the end to
    ``output`` if given (also when a cell fails: with papermill's banner at the failed cell).

    papermill's own steps (parameterize, run with its engine, mark the failed cell), without
    what ``papermill.execute_notebook`` adds per report for nothing: the notebook read and
    validated from disk again, and the result written with an indented JSON encoder that runs in
    Python (18 ms a report); the kept notebook is written compact by the C encoder instead."""
    import papermill
    from papermill.engines import papermill_engines
    from papermill.execute import (prepare_notebook_metadata, raise_for_execution_errors,
                                   remove_error_markers)
    from papermill.parameterize import parameterize_notebook

    check_parameters(parameters, notebook)
    name = kernel or kernel_name()
    nb = parameterize_notebook(source_notebook(notebook), parameters, kernel_name=name)
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(notebook), str(output or "")))
    try:
        nb = papermill_engines.execute_notebook_with_engine(
            None, nb, input_path=str(notebook), output_path=None, kernel_name=name,
            progress_bar=False, log_output=False, start_timeout=60, stdout_file=None,
            stderr_file=None, execution_timeout=timeout,
            **{"kernel_manager_class": kernel_manager_class(), **engine_kwargs})
        raise_for_execution_errors(nb, None)
    except papermill.PapermillExecutionError as exc:
        raise RenderError(parameters.get("params_path", str(notebook)),
                          f"{exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # a kernel that died or timed out: one clear line, no traceback
        reason = kernel_failure(exc)
        if reason is None:
            raise
        died = KernelDied if reason.startswith(_DIED) else RenderError
        raise died(parameters.get("params_path", str(notebook)), reason) from None
    finally:
        if engine_kwargs.get("km") is not None:
            close_clients(engine_kwargs["km"])
        if output:  # run or failed: as far as it ran, papermill's banner at a failed cell
            save_notebook(nb, output)
    return nb


def source_notebook(notebook: Path) -> "NotebookNode":
    """A fresh copy of the report notebook, read and validated once per process and file
    version (papermill would read and validate it again for every report)."""
    import copy

    stat = notebook.stat()
    return copy.deepcopy(_read_notebook(str(notebook), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _read_notebook(path: str, mtime: int, size: int) -> "NotebookNode":
    from papermill.iorw import load_notebook_node  # read, validated, given papermill's metadata

    return load_notebook_node(path)


def save_notebook(nb: "NotebookNode", path: Path) -> None:
    """The executed notebook as nbformat writes it, but compact (the C JSON encoder)."""
    import json

    Path(path).write_text(json.dumps(nb, sort_keys=True, ensure_ascii=False), encoding="utf-8")


_DIED = "内核意外退出（kernel died）"


def kernel_failure(exc: BaseException) -> str | None:
    """The reason in Chinese when ``exc`` is a kernel's death or a cell's timeout (nbclient says
    both in English: "Kernel died…", "A cell timed out…")."""
    name = type(exc).__name__
    if name == "DeadKernelError" or "Kernel died" in str(exc):
        return f"{_DIED}：报告运行中内核进程退出（内存不足，或进程被终止）"
    if name in ("CellTimeoutError", "TimeoutError"):
        seconds = re.search(r"after (\d+) seconds", str(exc))
        limit = f"超过 {seconds.group(1)} 秒" if seconds else "超过时限"
        return f"运行超时（timed out）：一个单元格运行{limit}（--timeout），报告未生成"
    return None


def render(params_path: str | Path, targets: dict[str, Path] | str | Path, strict: bool = False,
           notebook: Path | None = None, timeout: int | None = None) -> Rendered:
    """params → executed notebook → every output in ``targets`` (kind → file; a lone path is the
    HTML page), each written atomically.

    Raises ParamsError before any kernel starts when the params cannot be read, and RenderError
    when the notebook fails (in strict mode: when the report has errors).
    """
    from ..forms.outputs import OUTPUTS, Run

    params_path = Path(params_path)
    if not isinstance(targets, dict):
        targets = {"html": Path(targets)}
    notebook = notebook or paths.REPORT_NOTEBOOK
    load_params(params_path)  # a bad file is named before a kernel starts
    for target in targets.values():  # and a file that cannot exist, before a kernel runs for it
        if (bad := unnameable(Path(target))) is not None:
            raise bad
    nb = execute(notebook, report_parameters(params_path, strict, notebook), timeout)
    run = Run.of(nb, params_path)
    for kind, target in targets.items():
        OUTPUTS[kind].write(run, Path(target))
    return Rendered(dict(targets), run.title)
