"""A made-up third national format (tests/data/plugins/third_format.py: the 2021 form with a row
renamed and a row added to table 二), registered from outside the kit: loaded, checked, rendered
and imported with no module of the kit knowing it exists — the format spec owns every difference.
"""

from __future__ import annotations

import importlib
import sys

import pytest
from bs4 import BeautifulSoup

from helpers import formats
from helpers.checks.folder import check_paths
from helpers.importer import import_report
from helpers.params.load import load_params
from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report
from util import DATA

PLUGINS = DATA / "plugins"
RENAMED, ADDED = "行政规范性文件（含试行）", "行政裁决"


@pytest.fixture
def third(monkeypatch):
    """The third format registered here, and for every process the test starts (kernels)."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    monkeypatch.setenv("PYTHONPATH", f"{PLUGINS}:{':'.join(sys.path)}")
    monkeypatch.setenv("NIANBAO_FORMATS", "third_format")
    module = importlib.import_module("third_format")
    yield module.FORMAT_2090
    formats.unregister("2090")
    sys.modules.pop("third_format", None)


@pytest.fixture
def params(third, tmp_path):
    folder = tmp_path / "params"
    folder.mkdir()
    doc = synthetic_report("未来镇", 2090, seed=3, county="示例县", scale=4)
    path = folder / "未来镇_2090.yaml"
    path.write_text(format_params(doc), encoding="utf-8")
    return path


def test_the_kit_knows_nothing_of_it():
    from pathlib import Path
    for path in Path(formats.__file__).parents[1].rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "2090" not in text and RENAMED not in text and ADDED not in text, path


def test_loads_and_checks_in_its_own_format(params, third):
    doc = load_params(params)
    assert doc.spec is third and doc.meta.format == "2090"
    assert [r.label for r in doc.table("table2").spec.rows][1] == RENAMED
    assert doc.table("table2").number("adjudication", "decisions") is not None
    text = params.read_text(encoding="utf-8")
    assert "adjudication:" in text and f"# {ADDED}" in text and RENAMED in text
    assert f"本年制发{RENAMED}" in doc.narrative["general.proactive"]
    run = check_paths([params.parent])
    assert run.unreadable == [] and [f.rule for _, f in run.findings if f.severity == "error"] == []
    # a blank in the added row, and a figure in the text that contradicts the renamed one
    broken = text.replace("adjudication:", "adjudication: ~ #", 1).replace(
        f"本年制发{RENAMED}", f"本年制发{RENAMED}9", 1)
    params.write_text(broken, encoding="utf-8")
    found = {(f.rule, f.location.row) for _, f in check_paths([params]).findings}
    assert ("CELL-BLANK", ADDED) in found
    assert any(rule == "N-T2" for rule, _ in found)


def test_m_format_asks_for_it_from_its_first_year(third):
    from util import report, rules_of, with_meta

    doc = with_meta(report(2021), year=2090)  # a 2021-format report dated 2090
    assert "M-FORMAT" in rules_of(doc)
    assert formats.format_for_year(2090) is third and formats.format_for_year(2089).key == "2021"


@pytest.mark.slow
def test_renders_and_imports_back(params, third, tmp_path):
    from helpers.kernel.render import render

    page = render(params, tmp_path / "未来镇_2090.html").html
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    labels = [th.get_text() for th in soup.select('table[data-table="table2"] th')]
    assert RENAMED in labels and ADDED in labels
    assert soup.select_one('td[data-cell="table2.adjudication.decisions"]') is not None
    assert "国办公开办函〔2090〕1号" in soup.get_text()
    imported = import_report(page)
    assert imported.doc.spec is third
    expected = load_params(params)
    for key, table in expected.tables.items():
        for row in table.spec.rows:
            for col in row.columns:
                assert imported.doc.table(key).value(row.key, col.key) == table.value(row.key, col.key)
