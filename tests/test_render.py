"""The report notebook run by papermill, its HTML, and that HTML in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import formats
from helpers.cli import main
from helpers.errors import RenderError
from helpers.kernel.render import check_parameters, render
from helpers.params.write import format_params
from helpers.paths import REPORT_NOTEBOOK
from util import BUILT_AT, GUOJIAO, ROOT, report, with_text

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "tests" / "artifacts"
HEADINGS = [s.title for s in formats.SECTIONS]


@pytest.fixture(scope="module")
def guojiao(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "古郊乡_2021.html"
    render(GUOJIAO, out)
    return out


@pytest.fixture(scope="module")
def soup(guojiao) -> BeautifulSoup:
    return BeautifulSoup(guojiao.read_text(encoding="utf-8"), "html.parser")


def cells(soup, table):
    return {td["data-cell"]: td.get_text() for td in soup.select(f'table[data-table="{table}"] td.v')}


def test_six_headings_in_order(soup):
    assert [h.get_text() for h in soup.select("section.part > h2")] == HEADINGS
    assert [h.get_text() for h in soup.select("#part-general h3")] == [
        s.title for s in formats.SECTIONS[0].subsections]
    assert soup.h1.get_text() == "古郊乡人民政府2021年政府信息公开工作年度报告"


def test_tables_have_exactly_the_official_rows_and_columns(soup):
    for spec in formats.FORMAT_2021.tables:
        table = soup.select_one(f'table[data-table="{spec.key}"]')
        assert len(table.select("td.v")) == spec.value_cells
        labels = [th.get_text() for th in table.select("th")]
        for row in spec.rows:
            assert row.label in labels
            assert all(c.label in labels for c in row.columns)
    t3 = soup.select_one('table[data-table="table3"]')
    assert len(t3.select("tbody tr")) == 25 and len(t3.select("thead tr")) == 3
    assert t3.select_one('th[rowspan="22"]').get_text() == "三、本年度办理结果"


def test_the_seed_numbers_in_the_right_cells(soup):
    t3 = cells(soup, "table3")
    for row in ("new", "carried_over", "carry_forward"):
        assert [t3[f"table3.{row}.{c.key}"] for c in formats.T3_COLUMNS] == ["0"] * 7
    assert t3["table3.granted.natural_person"] == "空白" and t3["table3.results_total.total"] == "空白"
    assert set(cells(soup, "table2").values()) == {"0"} and set(cells(soup, "table4").values()) == {"0"}
    assert "从2021年1月1日截至2021年12月31日,古郊乡主动公开政府信息共计103条。" in soup.get_text()


def test_banner_and_findings(soup):
    banner = soup.select_one(".status")
    assert "status-fail" in banner["class"] and "校验未通过（不得发布）" in banner.get_text()
    rules = [tr["data-rule"] for tr in soup.select(".findings-table tbody tr")]
    assert rules == ["CELL-BLANK", "M-SECTIONS", "M-OVERSIGHT", "T3-BALANCE"]  # the last a 提示
    note = soup.select_one(".findings-table tr.sev-info")
    assert note["data-rule"] == "T3-BALANCE" and "提示" in note.get_text() and "尚不能校验" in note.get_text()
    blank = soup.select_one('.findings-table tr[data-rule="CELL-BLANK"]')
    assert len(blank.select("ul.where li")) == 22 and "第 53 行" in blank.get_text()


def test_no_code_no_prompts_no_url(guojiao, soup):
    html = guojiao.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    assert soup.html["lang"] == "zh-CN"
    assert "default-src 'none'" in soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    assert not soup.select("script, link, iframe, img")
    for code in ("params_path", "import ", "prepare_report", "In&nbsp;[", "notebook_sha256 ="):
        assert code not in html
    footer = soup.select_one("footer.provenance").get_text()
    assert "params/古郊乡_2021.yaml" in footer and "nianbao 0.1.0" in footer


def test_same_inputs_same_html_but_the_build_time(guojiao, tmp_path):
    again = tmp_path / "again.html"
    render(GUOJIAO, again)
    first, second = (BUILT_AT.sub("", p.read_text(encoding="utf-8")) for p in (guojiao, again))
    assert first == second and BUILT_AT.search(guojiao.read_text(encoding="utf-8"))


def test_html_in_the_narrative_stays_text(tmp_path):
    evil = "<script>alert(1)</script>，<img src=x onerror=alert(2)>，“引号”&amp;"
    doc = with_text(report(2021), "general.management", evil)
    params = tmp_path / "示例乡_2021.yaml"
    params.write_text(format_params(doc), encoding="utf-8")
    out = tmp_path / "evil.html"
    render(params, out)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert evil in soup.select_one("#part-general").get_text()
    page = browse(out, "evil")
    assert page["dialogs"] == [] and evil in page["text"]


def test_2019_format_and_a_chart(tmp_path):
    params = tmp_path / "示例乡_2020.yaml"
    params.write_text(format_params(with_text(report(2020), "requests_table", "auto")), encoding="utf-8")
    out = tmp_path / "2020.html"
    render(params, out)
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    for spec in formats.FORMAT_2019.tables:
        assert len(soup.select(f'table[data-table="{spec.key}"] td.v')) == spec.value_cells
    assert len(soup.select('table[data-table="table3"] tbody tr')) == 23
    assert "第二十条第（九）项" in soup.get_text()
    assert soup.select_one(".status")["class"][1] == "status-pass"
    svg = soup.select_one("figure.chart-figure svg")
    assert svg is not None and "予以公开" in [t.get_text() for t in svg.select("text")]
    assert soup.select_one("#part-requests_table p.generated").get_text().startswith("办理结果：")


def test_strict_mode_refuses_a_failing_report(tmp_path, capsys):
    with pytest.raises(RenderError, match="校验未通过"):
        render(GUOJIAO, tmp_path / "strict.html", strict=True)
    assert not (tmp_path / "strict.html").exists()
    assert main(["render", str(GUOJIAO), "--strict", "-o", str(tmp_path / "x.html")]) == 1
    assert "校验未通过" in capsys.readouterr().err


def test_unreadable_params_fail_before_any_kernel(tmp_path, capsys):
    bad = tmp_path / "坏_2021.yaml"
    bad.write_text("meta: [", encoding="utf-8")
    assert main(["render", str(bad), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "坏_2021.yaml:2" in err and "语法错误" in err and "Traceback" not in err


def test_parameter_names_are_checked_before_papermill():
    from helpers.paths import REPORT_NOTEBOOK
    check_parameters({"params_path": "a", "strict": True}, REPORT_NOTEBOOK)
    for name in ("x = 1; import os", "class", "undeclared"):
        with pytest.raises(RenderError):
            check_parameters({name: 1}, REPORT_NOTEBOOK)


# -- in a real browser ---------------------------------------------------------------------

def browse(path: Path, name: str, width: int = 900) -> dict:
    """Open ``path`` in headless Chromium: console errors, requests, layout, a screenshot."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {"errors": [], "requests": [], "dialogs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("console", lambda m: m.type == "error" and out["errors"].append(m.text))
        page.on("pageerror", lambda e: out["errors"].append(str(e)))
        page.on("request", lambda r: out["requests"].append(r.url))
        page.on("dialog", lambda d: (out["dialogs"].append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_load_state("networkidle")
        out["text"] = page.inner_text("main")
        out["scroll_width"] = page.evaluate("document.documentElement.scrollWidth")
        out["tables"] = page.evaluate(
            "[...document.querySelectorAll('table.form')].map(t => [t.dataset.table, t.offsetWidth, t.offsetHeight])")
        out["font"] = page.evaluate("getComputedStyle(document.body).fontFamily")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if width > 800:
            out["pdf"] = page.pdf(format="A4", print_background=True)
        browser.close()
    return out


def test_in_chromium_no_error_no_request_and_a_laid_out_page(guojiao):
    page = browse(guojiao, "guojiao_2021")
    assert page["errors"] == []
    assert page["requests"] == [guojiao.as_uri()]  # nothing but the file itself
    tables = {key: (w, h) for key, w, h in page["tables"]}
    assert tables.keys() == {"table2", "table3", "table4"}
    assert all(w > 600 and h > 80 for w, h in tables.values())
    assert tables["table3"][1] > 700  # 25 rows laid out
    assert "一、总体情况" in page["text"] and "Noto Sans CJK SC" in page["font"]
    assert page["pdf"][:4] == b"%PDF" and page["pdf"].count(b"/Type /Page") >= 3


def test_on_a_phone_only_the_tables_scroll(guojiao):
    page = browse(guojiao, "guojiao_2021_phone", width=390)
    assert page["errors"] == [] and page["scroll_width"] <= 390


@pytest.mark.slow
def test_papermill_and_nbconvert_alone_give_the_kits_page(tmp_path, monkeypatch):
    """The notebook with the tools it is made of: papermill's and nbconvert's own commands, the
    template as `make setup` installs it, give the page render writes, byte for byte."""
    import hashlib
    import shutil
    import subprocess
    import sys

    from helpers.forms.nbpage import install_template

    install_template()  # what make setup did: idempotent
    bin_dir = Path(sys.executable).parent
    shutil.copytree(ROOT / "params", tmp_path / "params")
    params = "params/古郊乡_2021.yaml"
    kit = tmp_path / "kit.html"
    monkeypatch.chdir(tmp_path)  # the params path as both are given it: the footer shows it
    assert main(["render", params, "-o", str(kit)]) == 0
    digest = hashlib.sha256(REPORT_NOTEBOOK.read_bytes()).hexdigest()
    ran = subprocess.run([str(bin_dir / "papermill"), str(REPORT_NOTEBOOK), "out.ipynb", "-p", "params_path",
                          params, "-p", "notebook_sha256", digest, "--cwd", str(tmp_path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    converted = subprocess.run([str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--template", "nianbao",
                                "out.ipynb", "--output", "plain.html"], cwd=tmp_path, capture_output=True,
                               text=True, timeout=300)
    assert converted.returncode == 0, converted.stderr
    plain = (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert BUILT_AT.sub("", plain) == BUILT_AT.sub("", kit.read_text(encoding="utf-8"))
    assert 'lang="zh-CN"' in plain and "<title>古郊乡人民政府2021年政府信息公开工作年度报告" in plain
