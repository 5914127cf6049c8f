"""The report notebook in a real JupyterLab, driven by headless Chromium: opened without being
marked modified, run, the report drawn with its own styles, a kit error shown short."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.paths import REPORT_NOTEBOOK
from util import GUOJIAO, ROOT

pytestmark = pytest.mark.slow
TOKEN = "nianbao-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on this machine's loopback, serving a copy of the notebook and two params."""
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    (root / "params").mkdir()
    shutil.copy(GUOJIAO, root / "params" / "古郊乡_2021.yaml")
    shutil.copy(ROOT / "params" / "崇文镇_2021.yaml", root / "params" / "崇文镇_2021.yaml")
    (root / "params" / "坏乡_2021.yaml").write_text("meta: [unit: 坏乡\n", encoding="utf-8")
    shutil.copy(REPORT_NOTEBOOK, root / "notebooks" / "report.ipynb")
    bad = json.loads(REPORT_NOTEBOOK.read_text(encoding="utf-8"))
    parameters = next(c for c in bad["cells"] if "parameters" in c["metadata"].get("tags", []))
    parameters["source"] = [line.replace("../params/古郊乡_2021.yaml", "../params/没有这个乡_2021.yaml")
                            for line in parameters["source"]]
    (root / "notebooks" / "missing.ipynb").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", "--allow-root",
         f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    yield url, root
    proc.terminate()
    proc.wait(timeout=30)


def run_all(url: str, name: str) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/lab/workspaces/{Path(name).stem}/tree/notebooks/{name}?reset&token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        page.wait_for_timeout(1000)
        tab = page.locator(".lm-TabBar-tab[data-type='document-title'].lm-mod-current")
        dirty_on_open = "jp-mod-dirty" in (tab.get_attribute("class") or "")
        page.locator(".jp-Notebook").click()
        page.keyboard.press("Escape")
        page.evaluate("window.jupyterapp && 0")  # keep the page alive
        page.locator("text=Run").first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        page.wait_for_function(
            "document.querySelectorAll('.jp-Cell .jp-InputArea-prompt').length > 0 && "
            "[...document.querySelectorAll('.jp-InputArea-prompt')].every(p => !p.textContent.includes('*'))",
            timeout=120_000)
        page.wait_for_timeout(500)
        out = {"dirty_on_open": dirty_on_open, "text": page.locator(".jp-Notebook").inner_text()}
        out["errors"] = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
        banner = page.locator(".nianbao-report .status").first
        if banner.count():
            out["banner_background"] = banner.evaluate("e => getComputedStyle(e).backgroundColor")
            cell = page.locator(".nianbao-report td.v").first
            out["cell_align"] = cell.evaluate("e => getComputedStyle(e).textAlign")
            out["findings_width"] = page.locator(".nianbao-report .findings-table td").nth(3).evaluate(
                "e => e.getBoundingClientRect().width")
            ids = page.locator(".nianbao-report code.finding-id")  # to copy into a review
            out["ids"] = [i for i in ids.all_inner_texts() if i]
            out["id_select"] = ids.first.evaluate("e => getComputedStyle(e).userSelect") if ids.count() else None
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / f"lab-{name}.png"), full_page=False)
        browser.close()
    return out


def test_the_notebook_opens_unmodified_runs_and_looks_like_the_page(lab):
    (ROOT / "tests" / "artifacts").mkdir(parents=True, exist_ok=True)
    url, root = lab
    seen = run_all(url, "report.ipynb")
    assert not seen["dirty_on_open"]
    assert "古郊乡人民政府2021年政府信息公开工作年度报告" in seen["text"]
    assert seen["banner_background"] not in ("rgba(0, 0, 0, 0)", "transparent")  # the report's colours
    assert seen["cell_align"] == "right" and seen["findings_width"] > 80  # not one character a line
    assert "CELL-BLANK@table3.granted" in seen["ids"] and seen["id_select"] == "all"  # one click selects it
    assert "Traceback" not in seen["text"]


def test_a_missing_params_file_is_one_short_message(lab):
    url, _ = lab
    seen = run_all(url, "missing.ipynb")
    assert "没有这个乡_2021.yaml" in seen["text"] and "文件不存在" in seen["text"]
    assert "Traceback" not in seen["text"] and "site-packages" not in seen["text"]


TOWNSHIPS = ("古郊乡", "崇文镇")


def test_run_all_never_shows_a_township_under_another_ones_path(lab):
    """good → missing file → bad YAML → the other good one, 20 times, in one kernel: after each
    Run All no text of a township other than the one asked for is on screen."""
    from playwright.sync_api import sync_playwright

    url, _ = lab
    runs = [f"../params/{name}" for _ in range(10) for good in TOWNSHIPS
            for name in (f"{good}_2021.yaml", "没有这个乡_2021.yaml", "坏乡_2021.yaml")]
    runs += ["../params/古郊乡_2021.yaml"]  # back to the first, once more
    seen_wrong = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/lab/workspaces/switch/tree/notebooks/report.ipynb?reset&token={TOKEN}")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        for path in runs:
            text = _run_with(page, path)
            asked = next((t for t in TOWNSHIPS if t in path), None)
            others = [t for t in TOWNSHIPS if t != asked and t in text]
            if others or (asked and f"{asked}人民政府" not in text.replace("\n", "")):
                seen_wrong.append((path, others))
            if asked is None:
                assert "Traceback" not in text and ("文件不存在" in text or "无法读取" in text), path
        browser.close()
    assert len(runs) == 61 and seen_wrong == []


def _run_with(page, params_path: str) -> str:
    """Set the parameters cell to ``params_path``, Run All, and return the notebook's text once
    every cell is done."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").first
    prompt = cell.locator(".jp-InputArea-prompt")
    before = prompt.inner_text()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(f'params_path = "{params_path}"\nstrict = False\nnotebook_sha256 = ""')
    page.keyboard.press("Escape")
    page.locator("text=Run").first.click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    page.wait_for_function(
        "([before]) => { const p = document.querySelector('.jp-CodeCell .jp-InputArea-prompt');"
        " return p && p.textContent !== before && !p.textContent.includes('*') &&"
        " [...document.querySelectorAll('.jp-InputArea-prompt')].every(q => !q.textContent.includes('*')) &&"
        " document.querySelector(\".jp-Notebook-ExecutionIndicator[data-status='idle']\"); }",
        arg=[before], timeout=60_000)
    page.wait_for_timeout(700)  # outputs of the last cells, and any cell queued after an abort
    return page.locator(".jp-Notebook").inner_text()
