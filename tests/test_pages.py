"""The county's pages as a phone (390 px) and a desk (1280 px) show them, in headless Chromium:
every column legible (a status never drawn one character a line), wide tables scrolling inside
their box, the page itself never wider than the screen; every page says where it is."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from test_bundle import dead_links
from util import REPORTS, ROOT

NIANBAO = Path(sys.executable).with_name("nianbao")
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTHS = (390, 1280)

# Per table on the page: its box, how far it scrolls, and each status cell's size in characters.
MEASURE = """() => {
  const em = parseFloat(getComputedStyle(document.body).fontSize);
  return [...document.querySelectorAll('table.index-table')].map(t => ({
    box: t.parentElement.clientWidth, wide: t.scrollWidth,
    statuses: [...t.querySelectorAll('.status-cell')].map(c => {
      const r = c.getBoundingClientRect();
      return {text: c.firstChild ? c.firstChild.textContent.trim() : '', width: r.width / em};
    }),
  }));
}"""


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """The demo county built with its bundle, and an audit of the bundled published reports."""
    out = tmp_path_factory.mktemp("pages")
    built = subprocess.run([str(NIANBAO), "build", str(ROOT / "params"), "--out", str(out / "build"),
                            "--bundle", "--quiet"], capture_output=True, text=True, timeout=600)
    assert built.returncode in (0, 1), built.stderr
    audited = subprocess.run([str(NIANBAO), "audit", *map(str, sorted(REPORTS.glob("*.txt"))[:6]),
                              "-o", str(out / "audit.html")], capture_output=True, text=True, timeout=300)
    assert (out / "audit.html").exists(), audited.stderr
    with zipfile.ZipFile(out / "build" / "2021" / "陵川县_2021_报送.zip") as archive:
        archive.extractall(out / "bundle")
    return out


PAGES = {"county-index": "build/index.html", "year-index": "build/2021/index.html",
         "audit": "audit.html", "bundle-index": "bundle/index.html", "trend": "build/trends/崇文镇.html"}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_read_on_a_phone_and_a_desk(county, name):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto((county / PAGES[name]).as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page
            for table in page.evaluate(MEASURE):
                assert table["box"] <= width
                for status in table["statuses"]:
                    # 校验未通过 on one line: five characters and its padding, at any width
                    assert status["width"] >= min(len(status["text"]), 5) * 0.95, (name, width, status)
            page.screenshot(path=str(ARTIFACTS / f"page-{name}-{width}.png"), full_page=False)
            page.close()
        browser.close()


@pytest.mark.slow
def test_every_page_says_where_it_is(county):
    build = county / "build"
    assert dead_links(build) == [] and dead_links(county / "bundle") == []
    for page in ("2021/崇文镇_2021.html", "2021/陵川县各乡镇汇总_2021.html", "trends/崇文镇.html",
                 "2021/index.html"):
        text = (build / page).read_text(encoding="utf-8")
        assert 'href="../index.html"' in text, page  # back to the county's index
    for page in ("2021/崇文镇_2021.html", "2021/陵川县各乡镇汇总_2021.html"):
        assert 'class="to-year" href="index.html"' in (build / page).read_text(encoding="utf-8")
    trend = (build / "trends" / "崇文镇.html").read_text(encoding="utf-8")
    assert 'href="../2021/index.html"' in trend
