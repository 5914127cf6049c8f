"""`nianbao build`: outputs, fault isolation, incremental rebuilds, interruption, Dask."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from helpers.build.batch import build
from helpers.build.plan import load_manifest
from helpers.params.write import format_params, write_atomic
from helpers.report.synthetic import synthetic_report
from util import BUILT_AT, GUOJIAO

pytestmark = pytest.mark.slow
NIANBAO = Path(sys.executable).with_name("nianbao")


def county(folder: Path, names: list[str], year: int = 2021) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "county.yaml").write_text(
        f"county: 示例县\nexpected:\n  {year}: [{', '.join(names)}]\n", encoding="utf-8")
    return folder


def township(folder: Path, name: str, year: int = 2021, seed: int = 1, previous=None, **kw):
    doc = synthetic_report(name, year, seed, county="示例县", previous=previous, **kw)
    (folder / f"{name}_{year}.yaml").write_text(format_params(doc), encoding="utf-8")
    return doc


@pytest.fixture
def params(tmp_path) -> Path:
    folder = county(tmp_path / "params", ["甲镇", "乙镇", "丙镇", "丁镇"])
    township(folder, "甲镇", seed=1)
    text = format_params(synthetic_report("乙镇", 2021, 2, county="示例县"))
    (folder / "乙镇_2021.yaml").write_text(text.replace("carry_forward:           [", "carry_forward:           [5", 1), encoding="utf-8")
    (folder / "丙镇_2021.yaml").write_text("meta:\n  unit: 丙镇人民政府\n  unit: 重复\n", encoding="utf-8")
    return folder


def statuses(index: Path) -> dict[str, str]:
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    return {tr["data-township"]: tr.select_one(".status-cell").contents[0].strip()
            for tr in soup.select("table.index-table tbody tr")}


def test_build_outputs_index_and_failures(params, tmp_path):
    out = tmp_path / "build"
    summary = build(params, out, jobs=2, timeout=120)
    assert summary.exit_code == 1 and [r.key for r in summary.failed] == ["unreadable/丙镇_2021"]
    for name in ("甲镇_2021", "乙镇_2021", "示例县各乡镇汇总_2021"):
        assert (out / "2021" / f"{name}.html").stat().st_size > 10_000
        assert nbformat.read(out / "2021" / f"{name}.ipynb", as_version=4).cells
    assert statuses(out / "2021" / "index.html") == {
        "丙镇": "执行失败", "丁镇": "缺少数据", "乙镇": "校验未通过", "甲镇": "校验通过"}
    failure = (out / "unreadable" / "丙镇_2021.html").read_text(encoding="utf-8")
    assert "执行失败" in failure and "重复的键" in failure and 'lang="zh-CN"' in failure
    index = (out / "2021" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", index) and "script-src 'sha256-" in index
    soup = BeautifulSoup(index, "html.parser")
    links = {a["href"] for a in soup.select("a")}
    assert {"甲镇_2021.html", "甲镇_2021.ipynb", "示例县各乡镇汇总_2021.html", "summary.csv"} <= links
    assert all((out / "2021" / href).exists() for href in links if not href.startswith("../"))
    csv = (out / "2021" / "summary.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith("乡镇（街道）,状态,主动公开（条）") and "缺少数据" in csv
    top = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert top.select_one('a[href="2021/index.html"]')
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["2021/甲镇_2021"]["status"] == "built"


def test_rollup_sums_the_townships(tmp_path):
    folder = county(tmp_path / "params", ["甲镇", "乙镇"])
    a, b = township(folder, "甲镇", seed=3), township(folder, "乙镇", seed=4)
    out = tmp_path / "build"
    assert build(folder, out, jobs=2, timeout=120).exit_code == 0
    soup = BeautifulSoup((out / "2021" / "示例县各乡镇汇总_2021.html").read_text(encoding="utf-8"), "html.parser")
    cell = soup.select_one('td[data-cell="table3.new.total"]').get_text()
    assert int(cell) == a.table("table3").number("new", "total") + b.table("table3").number("new", "total")
    assert "status-pass" in soup.select_one(".status")["class"]  # the sums pass the same checks


def test_incremental_rebuilds_only_what_changed(tmp_path):
    folder = county(tmp_path / "params", ["甲镇", "乙镇"], year=2021)
    last = township(folder, "甲镇", 2020, seed=5)
    township(folder, "甲镇", 2021, seed=5, previous=last)
    township(folder, "乙镇", 2021, seed=6)
    out = tmp_path / "build"
    first = build(folder, out, jobs=2, timeout=120)
    assert len(first.built) == 5 and not first.skipped  # 3 townships-years, 2 roll-ups
    page = out / "2021" / "乙镇_2021.html"
    stamp = page.stat().st_mtime_ns
    again = build(folder, out, jobs=2, timeout=120)
    assert not again.results and len(again.skipped) == 5 and page.stat().st_mtime_ns == stamp
    # last year's file changes: this year's report of the same unit rebuilds (cross-year checks)
    path = folder / "甲镇_2020.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# 修改\n", encoding="utf-8")
    third = build(folder, out, jobs=2, timeout=120)
    assert sorted(third.results) == ["2020/甲镇_2020", "2021/甲镇_2021"]
    forced = build(folder, out, jobs=2, timeout=120, force=True)
    assert len(forced.built) == 5


def faulty_notebook(path: Path) -> Path:
    """A notebook that fails in a way chosen by the township's name."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('params_path = ""\nstrict = False\nnotebook_sha256 = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        "import os, time\nfrom helpers.params.load import load_params\n"
        "name = load_params(params_path).meta.township\n"
        "if name == '崩溃乡': os._exit(1)\n"
        "if name == '超时镇': time.sleep(60)\n"
        "if name == '报错镇': raise ValueError('故意的错误')\n"
        "from IPython.display import HTML, display\ndisplay(HTML('<p>好</p>'))")]
    nbformat.write(nb, path)
    return path


def test_each_failure_fails_alone(tmp_path):
    folder = county(tmp_path / "params", ["正常镇", "崩溃乡", "超时镇", "报错镇"])
    for i, name in enumerate(["正常镇", "崩溃乡", "超时镇", "报错镇"]):
        township(folder, name, seed=i)
    out = tmp_path / "build"
    summary = build(folder, out, jobs=2, timeout=5, notebook=faulty_notebook(tmp_path / "faulty.ipynb"))
    reasons = {r.key.split("/")[1]: r.reason for r in summary.failed}
    assert set(reasons) == {"崩溃乡_2021", "超时镇_2021", "报错镇_2021"}
    assert "内核意外退出" in reasons["崩溃乡_2021"]
    assert "超时" in reasons["超时镇_2021"] or "timed out" in reasons["超时镇_2021"].lower()
    assert "故意的错误" in reasons["报错镇_2021"]
    assert "<p>好</p>" in (out / "2021" / "正常镇_2021.html").read_text(encoding="utf-8")
    page = (out / "2021" / "报错镇_2021.html").read_text(encoding="utf-8")
    assert "故意的错误" in page and "报错镇_2021.ipynb" in page  # the failed notebook is kept
    kept = nbformat.read(out / "2021" / "报错镇_2021.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in kept.cells for o in c.get("outputs", []))
    assert statuses(out / "2021" / "index.html")["超时镇"] == "执行失败"
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob(".*.partial.ipynb"))


def test_strict_mode_fails_a_report_with_errors(tmp_path):
    folder = county(tmp_path / "params", ["古郊乡"])
    shutil.copy(GUOJIAO, folder / "古郊乡_2021.yaml")
    summary = build(folder, tmp_path / "build", only={"古郊乡"}, strict=True, timeout=120)
    (failed,) = summary.failed
    assert "校验未通过" in failed.reason


def test_interrupted_build_leaves_no_half_file_and_resumes(tmp_path):
    # Ctrl-C as a terminal sends it: SIGINT to the build's process group, whose handler is Python's
    # default even when this test runs where SIGINT is ignored (a shell's background job: ignored
    # there, the interrupt never came and the build ran to its end)
    folder = county(tmp_path / "params", [f"镇{i}" for i in range(12)])
    for i in range(12):
        township(folder, f"镇{i}", seed=i)
    out = tmp_path / "build"
    proc = subprocess.Popen([str(NIANBAO), "build", str(folder), "--out", str(out), "--jobs", "1", "--quiet"],
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and not load_manifest(out):  # a report recorded (its journal)
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    done = load_manifest(out)
    assert 1 <= len(done) < 13
    pages = list((out / "2021").glob("*.html"))
    for page in pages:  # every page there is whole
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    result = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--jobs", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"跳过 {len(done)} 个未变化的报告" in result.stderr
    assert len(list((out / "2021").glob("镇*.html"))) == 12
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob(".*.partial.ipynb"))


def test_a_build_started_inside_jupyter_builds(tmp_path):
    """A kernel or terminal of JupyterLab passes JPY_PARENT_PID (the Jupyter server) to what it
    starts: the build's workers bind to their driver, not to that pid (they used to exit at
    once, and the build died with BrokenProcessPool)."""
    folder = county(tmp_path / "params", ["甲镇", "乙镇"])
    township(folder, "甲镇", seed=3)
    township(folder, "乙镇", seed=4)
    result = subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(tmp_path / "build"),
                             "--jobs", "2", "--quiet"], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "JPY_PARENT_PID": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((tmp_path / "build" / "2021").glob("*镇_2021.html"))) == 2


def test_dask_local_cluster_gives_the_same_pages(tmp_path):
    folder = county(tmp_path / "params", ["甲镇", "乙镇"])
    township(folder, "甲镇", seed=7)
    township(folder, "乙镇", seed=8)
    a, b = tmp_path / "processes", tmp_path / "dask"
    assert build(folder, a, jobs=2, timeout=120).exit_code == 0
    assert build(folder, b, jobs=2, timeout=120, scheduler="local").exit_code == 0
    pages = sorted(p.relative_to(a) for p in a.rglob("*.html"))
    assert pages == sorted(p.relative_to(b) for p in b.rglob("*.html")) and len(pages) == 5
    for page in pages:  # the same, but the build time and the roll-up's params (under each build)
        assert BUILT_AT.sub("", (a / page).read_text(encoding="utf-8")).replace(str(a), "OUT") == \
            BUILT_AT.sub("", (b / page).read_text(encoding="utf-8")).replace(str(b), "OUT")


def test_write_atomic_leaves_nothing_on_failure(tmp_path, monkeypatch):
    import helpers.params.write

    target = tmp_path / "page.html"
    write_atomic(target, "old")

    def interrupted(*args):
        raise KeyboardInterrupt  # Ctrl-C between writing and renaming

    monkeypatch.setattr(helpers.params.write.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_cli_build_summary(params, tmp_path):
    result = subprocess.run([str(NIANBAO), "build", str(params), "--out", str(tmp_path / "b"),
                             "--only", "甲镇", "--jobs", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "生成结果" in result.stdout and "索引" in result.stdout
    assert (tmp_path / "b" / "2021" / "甲镇_2021.html").exists()
    assert not (tmp_path / "b" / "2021" / "乙镇_2021.html").exists()


def test_render_and_build_write_the_same_page(tmp_path, monkeypatch):
    """One title, one document: `nianbao render` and `nianbao build` of the same file give the
    same page, byte for byte but the build time, at the same place (./build/<year>/)."""
    from helpers.cli import main

    folder = county(tmp_path / "params", ["甲镇"])
    township(folder, "甲镇", seed=4)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "params", "--quiet", "--jobs", "1"]) == 0
    page = Path("build/2021/甲镇_2021.html")
    built = page.read_text(encoding="utf-8")
    assert main(["render", "params/甲镇_2021.yaml"]) == 0
    rendered = page.read_text(encoding="utf-8")
    assert BUILT_AT.sub("", built) == BUILT_AT.sub("", rendered)
    assert "<title>甲镇人民政府2021年政府信息公开工作年度报告</title>" in rendered


def test_a_build_records_each_report_in_a_journal_and_the_manifest_once(tmp_path):
    """A killed build's journal is read by the next; a finished build leaves the manifest only."""
    from helpers.build.plan import JOURNAL, MANIFEST, ManifestJournal

    out = tmp_path / "build"
    out.mkdir()
    journal = ManifestJournal(out, {"old": {"digest": "1"}})
    journal.record("a", {"digest": "2"})
    with open(out / JOURNAL, "a", encoding="utf-8") as f:
        f.write('["b", {"dig')  # the line being written when the build was killed
    assert load_manifest(out) == {"a": {"digest": "2"}}  # no manifest yet: the journal alone
    journal.save()
    assert not (out / JOURNAL).exists()
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8")) == {"old": {"digest": "1"},
                                                                        "a": {"digest": "2"}}
