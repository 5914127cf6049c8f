"""Faults of a build and what survives them: a kernel killed while it warms up or in a report,
SIGKILL of the build, a full disk, a read-only output folder, two builds at once, a cell that
times out. Each is followed by a build that completes with every page whole and nothing that
existed before lost."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from helpers.build.batch import build
from helpers.build.plan import load_manifest
from helpers.cli import main
from helpers.errors import KernelDied, RenderError
from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report

pytestmark = pytest.mark.slow
NIANBAO = Path(sys.executable).with_name("nianbao")


def county(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"镇{i}" for i in range(n)]
    (folder / "county.yaml").write_text(f"county: 示例县\nexpected:\n  2021: [{', '.join(names)}]\n",
                                        encoding="utf-8")
    for i, name in enumerate(names):
        doc = synthetic_report(name, 2021, seed=i, county="示例县")
        (folder / f"{name}_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    return folder


def snapshot(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def whole(out: Path) -> None:
    """Every page ends as a page ends, every notebook parses, nothing half-written is left."""
    for page in out.rglob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    for notebook in out.rglob("*.ipynb"):
        assert nbformat.read(notebook, as_version=4).cells, notebook
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob(".*.partial.ipynb"))


def nianbao(*args, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(NIANBAO), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)


def one_line(result: subprocess.CompletedProcess, word: str) -> None:
    err = result.stderr.strip()
    assert "Traceback" not in result.stdout + err and word in err, err
    assert len(err.splitlines()) <= 3, err  # a line or two saying what, not a dump


# -- kernels -----------------------------------------------------------------------------------

def test_a_warm_kernel_killed_is_found_at_once_and_replaced():
    from helpers.kernel import render
    from helpers.kernel.kernels import KernelPool

    pool = KernelPool(render.kernel_name(), render.kernel_manager_class(), ahead=1)
    try:
        first = pool.take(keep_ahead=1)
        ahead = pool._next[0].result(timeout=120)  # warmed, waiting for the next report
        os.kill(ahead.provisioner.process.pid, signal.SIGKILL)
        time.sleep(0.5)
        start = time.monotonic()
        second = pool.take(keep_ahead=0)
        assert time.monotonic() - start < 60  # not the 2 minutes of a kernel_info time-out
        assert asyncio.run(second.is_alive()) and second is not ahead
        pool.release(first)
        pool.release(second)
    finally:
        pool.close()


def dying_notebook(path: Path, marker: Path) -> Path:
    """Kills its kernel on the first run, reports on the second."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('params_path = ""\nstrict = False\nnotebook_sha256 = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        f"import os\nfrom pathlib import Path\nmarker = Path({str(marker)!r})\n"
        "if not marker.exists():\n    marker.touch()\n    os._exit(1)\n"
        "from IPython.display import HTML, display\ndisplay(HTML('<p>第二次</p>'))")]
    nbformat.write(nb, path)
    return path


def test_a_kernel_that_dies_is_retried_once(tmp_path):
    folder = county(tmp_path / "params", 1)
    marker = tmp_path / "died-once"
    summary = build(folder, tmp_path / "build", jobs=1, timeout=60, only={"镇0"},
                    notebook=dying_notebook(tmp_path / "dying.ipynb", marker))
    assert marker.exists() and not summary.failed
    assert "第二次" in (tmp_path / "build" / "2021" / "镇0_2021.html").read_text(encoding="utf-8")


def test_render_says_timeout_and_dead_kernel_in_one_line(tmp_path, monkeypatch, capsys):
    from helpers import paths
    from helpers.kernel.render import render

    folder = county(tmp_path / "params", 1)
    params = folder / "镇0_2021.yaml"
    slow = nbformat.v4.new_notebook()
    slow.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell('params_path = ""\nstrict = False\nnotebook_sha256 = ""')
    cell.metadata["tags"] = ["parameters"]
    slow.cells = [cell, nbformat.v4.new_code_cell("import time\ntime.sleep(60)")]
    nbformat.write(slow, tmp_path / "slow.ipynb")
    with pytest.raises(RenderError, match="超时") as timed_out:
        render(params, tmp_path / "x.html", notebook=tmp_path / "slow.ipynb", timeout=2)
    assert "超过 2 秒" in str(timed_out.value) and "A cell timed out" not in str(timed_out.value)
    monkeypatch.setattr(paths, "REPORT_NOTEBOOK", tmp_path / "slow.ipynb")
    assert main(["render", str(params), "-o", str(tmp_path / "y.html"), "--timeout", "2"]) == 1
    err = capsys.readouterr().err
    assert "超时" in err and "Traceback" not in err and len(err.strip().splitlines()) <= 2
    dying = dying_notebook(tmp_path / "dying.ipynb", tmp_path / "died")  # dies on its one run
    with pytest.raises(KernelDied, match="内核意外退出") as died:
        render(params, tmp_path / "z.html", notebook=dying, timeout=30)
    assert "Kernel died" not in str(died.value)  # nbclient's English stays out of the message
    assert not (tmp_path / "z.html").exists()


# -- the build process -------------------------------------------------------------------------

def marked(mark: str) -> list[int]:
    """Pids of the processes whose environment carries ``mark``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if mark.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux's")
def test_sigkill_of_the_build_takes_workers_and_kernels_with_it(tmp_path):
    folder = county(tmp_path / "params", 8)
    out = tmp_path / "build"
    mark = f"NIANBAO_FAULT_MARK={uuid.uuid4().hex}"
    env = {**os.environ, mark.split("=")[0]: mark.split("=")[1]}
    proc = subprocess.Popen([str(NIANBAO), "build", str(folder), "--out", str(out), "--jobs", "2",
                             "--quiet"], env=env)
    deadline = time.time() + 120
    while time.time() < deadline and not load_manifest(out):
        time.sleep(0.2)
    children = [p for p in marked(mark) if p != proc.pid]
    assert len(children) >= 3  # workers, and kernels running and warming
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.time() + 20
    while time.time() < deadline and marked(mark):
        time.sleep(0.3)
    assert marked(mark) == []  # no worker or kernel outlives the build
    stale = [d for d in Path(tempfile.gettempdir()).glob("nianbao-kernels-*")
             if int(d.name.split("-")[2]) in children]
    again = nianbao("build", folder, "--out", out, "--jobs", "2")
    assert again.returncode == 0, again.stderr
    whole(out)
    assert len(list((out / "2021").glob("镇*_2021.html"))) == 8
    assert not [d for d in stale if d.exists()]  # what the killed build left is cleaned


def test_two_builds_at_once_both_finish_whole(tmp_path):
    folder = county(tmp_path / "params", 4)
    out = tmp_path / "build"
    args = [str(NIANBAO), "build", str(folder), "--out", str(out), "--jobs", "1", "--quiet"]
    first, second = (subprocess.Popen(args, stderr=subprocess.PIPE, text=True) for _ in range(2))
    for proc in (first, second):
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    whole(out)
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))) >= 5
    assert nianbao("build", folder, "--out", out).returncode == 0


# -- the output folder -------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A small tmpfs of its own, where the machine lets a test mount one (root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_stops_the_build_and_loses_nothing(tmp_path, small_disk):
    folder = county(tmp_path / "params", 2)
    out = small_disk / "build"
    assert nianbao("build", folder, "--out", out, "--jobs", "2").returncode == 0
    before = snapshot(out)
    filler = small_disk / "filler"
    with filler.open("wb") as f:  # fill the disk to its last block
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    full = nianbao("build", folder, "--out", out, "--jobs", "2", "--force")
    assert full.returncode == 2
    one_line(full, "磁盘已满")
    assert snapshot(out) == before  # every earlier output as it was, byte for byte
    filler.unlink()
    again = nianbao("build", folder, "--out", out, "--jobs", "2", "--force")
    assert again.returncode == 0, again.stderr
    whole(out)


def test_a_read_only_output_says_so_and_loses_nothing(tmp_path, small_disk):
    folder = county(tmp_path / "params", 2)
    out = small_disk / "build"
    assert nianbao("build", folder, "--out", out, "--jobs", "2").returncode == 0
    before = snapshot(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        refused = nianbao("build", folder, "--out", out, "--force")
        assert refused.returncode == 2
        one_line(refused, "只读")
        rendered = nianbao("render", folder / "镇0_2021.yaml", "-o", out / "r.html")
        assert rendered.returncode == 2
        one_line(rendered, "只读")
        assert snapshot(out) == before
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    again = nianbao("build", folder, "--out", out, "--force")
    assert again.returncode == 0, again.stderr
    whole(out)


# -- the year's writers: never two winners, never half a new year --------------------------------

def _claim(args: tuple[str, str]) -> str:
    from helpers.errors import OutputExists
    from helpers.params.write import write_atomic

    path, text = args
    try:
        write_atomic(Path(path), text, exclusive=True)
    except OutputExists:
        return "exists"
    return "written"


def test_of_writers_at_once_exactly_one_wins(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    target = tmp_path / "甲乡_2021.yaml"
    texts = [f"writer: {i}\n" for i in range(16)]
    with ProcessPoolExecutor(8) as pool:
        outcomes = list(pool.map(_claim, [(str(target), text) for text in texts]))
    assert outcomes.count("written") == 1 and outcomes.count("exists") == 15
    assert target.read_text() == texts[outcomes.index("written")]  # the winner's, whole
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no scratch file left


def test_two_imports_of_one_township_year_at_once_one_is_told(tmp_path, monkeypatch):
    from helpers.importer import run
    from helpers.importer.run import import_files

    reports = Path(__file__).parent / "data" / "reports"
    out = tmp_path / "params"
    # both pass the look for an existing file, as two processes at the same moment do
    monkeypatch.setattr(run, "existing_params", lambda path: None)
    first, = import_files([reports / "古郊乡_2021.txt"], out)
    second, = import_files([reports / "古郊乡_2021.txt"], out)
    assert first.summary.status == "imported" and second.summary.status != "imported"
    assert "已存在" in second.summary.reason and [p.name for p in out.iterdir()] == ["古郊乡_2021.yaml"]


def test_new_year_writes_all_or_nothing(tmp_path, monkeypatch):
    from helpers.params import write
    from helpers.year import newyear

    folder = county(tmp_path / "params", 3)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = write.write_atomic

    def county_fails(path, *args, **kwargs):  # the disk fills as county.yaml is written
        if Path(path).name == "county.yaml":
            raise OSError(28, "No space left on device")
        return real(path, *args, **kwargs)
    monkeypatch.setattr(newyear, "write_atomic", county_fails)
    assert main(["new-year", "2022", str(folder)]) == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing half-done
    monkeypatch.setattr(newyear, "write_atomic", real)
    assert main(["new-year", "2022", str(folder)]) == 0
    assert len(list(folder.glob("*_2022.yaml"))) == 3 and b"2022" in (folder / "county.yaml").read_bytes()
