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
    assert "Traceback" not in seen["text"]


def test_a_missing_params_file_is_one_short_message(lab):
    url, _ = lab
    seen = run_all(url, "missing.ipynb")
    assert "没有这个乡_2021.yaml" in seen["text"] and "文件不存在" in seen["text"]
    assert "Traceback" not in seen["text"] and "site-packages" not in seen["text"]
