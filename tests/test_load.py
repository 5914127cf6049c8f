"""The loader: every kind of bad input gives a clear message with file, line and field."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from helpers.checks import Context, run_rules
from helpers.errors import ParamsError
from helpers.model import Invalid
from helpers.params.load import load_params
from helpers.params.write import format_params
from util import GUOJIAO, flat, report


@pytest.fixture
def base_text() -> str:
    return format_params(report(2021))


def write(tmp_path: Path, text: str | bytes, name: str = "示例乡_2021.yaml") -> Path:
    path = tmp_path / name
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def problems(path: Path) -> list:
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert str(path) in str(info.value)  # every message names the file
    return list(info.value.problems)


def test_round_trip_of_a_written_report(tmp_path, base_text):
    doc = load_params(write(tmp_path, base_text))
    original = report(2021)
    assert doc.meta == original.meta
    assert dict(doc.narrative) == dict(original.narrative)
    for key, table in original.tables.items():
        assert dict(doc.tables[key].cells) == dict(table.cells)
    assert flat(doc) == []


@pytest.mark.parametrize("content, expected, found", [
    (b"meta: [unclosed\n", "合法的 YAML", "语法错误"),
    (b"meta:\n  unit: caf\xe9\n", "UTF-8", "非 UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "UTF-8 文本", "二进制文件"),
    (b"", "参数内容", "空文件"),
    (b"# only a comment\n", "参数内容", "空文件"),
    ("古郊乡2021年政府信息公开工作年度报告\n一、总体情况\n".encode(), "映射", "文本"),
    (b"meta: !!python/object/apply:os.system [echo hi]\n", "普通的 YAML 值", "不允许的标签"),
    (b"a: 1\n---\nb: 2\n", "合法的 YAML", "语法错误"),
])
def test_unreadable_files_give_one_clear_problem(tmp_path, content, expected, found):
    (problem, *rest) = problems(write(tmp_path, content))
    assert expected in problem.expected and found in problem.found
    assert problem.describe("f.yaml").startswith("f.yaml")


def test_not_utf8_names_the_line(tmp_path):
    path = write(tmp_path, "meta:\n  unit: 示例乡\n".encode("utf-8") + "  county: 示例县\n".encode("gbk"))
    (problem,) = problems(path)
    assert problem.line == 3


def test_missing_file():
    (problem,) = problems(Path("/nonexistent/示例乡_2021.yaml"))
    assert problem.found == "文件不存在"


def test_duplicate_keys_are_errors_not_silently_last(tmp_path, base_text):
    row = next(l for l in base_text.splitlines() if l.strip().startswith("granted:"))
    text = base_text.replace(row, row + "\n" + row.replace("[3,", "[9,"))
    (problem,) = problems(write(tmp_path, text))
    first = line_of(text, "granted:")
    assert problem.line == first + 1 and problem.field == "table3.granted"
    assert f"第 {first} 行已有" in problem.expected and "重复" in problem.found


def test_unknown_key_suggests_the_nearest(tmp_path, base_text):
    text = base_text.replace("  granted:", "  grantd: ")
    (problem,) = problems(write(tmp_path, text))
    assert problem.field == "table3.grantd" and "granted" in problem.found
    assert problem.line == line_of(text, "grantd:")
    text = base_text.replace("  granted:", "  予以公开:")  # the printed label: point to its key
    (problem,) = problems(write(tmp_path, text))
    assert problem.field == "table3.予以公开"
    assert "granted" in problem.found
    (problem,) = problems(write(tmp_path, base_text.replace("  county:", "  conty:")))
    assert "county" in problem.found and problem.field == "meta.conty"


@pytest.mark.parametrize("old, new, field, expected", [
    ("  year: 2021", "  year: 二〇二一", "meta.year", "年份整数"),
    ("  year: 2021", "  year: 2017", "meta.year", "2019–2100"),
    ("  kind: 乡", "  kind: 村", "meta.kind", "乡 / 镇"),
    ('  published: "2022-01-20"', "  published: 去年", "meta.published", "YYYY-MM-DD"),
    ('  format: "2021"', "  format: 2020", "meta.format", "2021 / 2019"),
    ("  unit: 示例乡人民政府", "  unit: [示例乡]", "meta.unit", "文本"),
])
def test_wrong_meta_types(tmp_path, base_text, old, new, field, expected):
    assert old in base_text
    text = base_text.replace(old, new)
    (problem,) = [p for p in problems(write(tmp_path, text)) if p.field == field]
    assert expected in problem.expected and problem.line == line_of(text, new.strip())


def test_wrong_row_shapes(tmp_path, base_text):
    text = base_text.replace("new:                     [3, 1, 0, 0, 0, 0, 4]",
                             "new:                     [3, 1, 0, 0, 0]")  # 5 values
    text = text.replace("  licensing:   3", "  licensing:   [3, 4]")
    found = problems(write(tmp_path, text))
    assert [(p.field, p.found) for p in found] == [
        ("table2.licensing", "2 项的列表（list）"), ("table3.new", "5 项的列表（list）")]
    assert "7 个数值的列表" in found[1].expected and "6 个" in found[1].expected
    assert found[0].line == line_of(text, "licensing:")


def test_missing_rows_and_tables(tmp_path, base_text):
    text = "\n".join(l for l in base_text.splitlines() if not l.strip().startswith("partial:"))
    (problem,) = problems(write(tmp_path, text))
    assert problem.field == "table3.partial" and "~" in problem.expected
    text = base_text[: base_text.index("# 四、")]
    (problem,) = problems(write(tmp_path, text))
    assert problem.field == "table4" and problem.found.startswith("缺失")


def test_all_problems_of_a_file_are_reported_at_once(tmp_path, base_text):
    text = base_text.replace("  kind: 乡", "  kind: 村").replace("  granted:", "  grantd: ")
    assert len(problems(write(tmp_path, text))) == 2


@pytest.mark.parametrize("cell, value", [
    ("-1", -1), ("1.5", Decimal("1.5")), ("五", Invalid("五")), ("true", Invalid("true")),
    ('"3"', 3), ("1e3", Invalid("1e3")),
])
def test_bad_cells_are_kept_and_judged_by_cell_domain(tmp_path, base_text, cell, value):
    text = base_text.replace("[1, 0, 0, 0, 0, 0, 1]  # （二）", f"[{cell}, 0, 0, 0, 0, 0, 1]  # （二）")
    doc = load_params(write(tmp_path, text))
    assert doc.table("table3").cells[("partial", "natural_person")] == value
    domain = [f for f in run_rules(Context(doc)) if f.rule == "CELL-DOMAIN"]
    if value == 3:
        assert domain == []
    else:
        (finding,) = domain
        assert finding.location.line == line_of(text, "partial:")
        assert finding.location.field == "table3.partial.natural_person"
        assert finding.found and finding.expected


def test_full_width_digits_are_read_with_a_warning(tmp_path, base_text):
    text = base_text.replace("new:                     [3, 1, 0, 0, 0, 0, 4]",
                             "new:                     [３, 1, 0, 0, 0, 0, ４]")
    doc = load_params(write(tmp_path, text))
    assert doc.table("table3").cells[("new", "natural_person")] == 3
    warnings = [f for f in doc.load_findings if f.rule == "CELL-FULLWIDTH"]
    assert len(warnings) == 2 and warnings[0].severity == "warning"
    assert warnings[0].location.line == line_of(text, "[３,")


@pytest.mark.parametrize("blank", ["~", "null", '""', "/", "—", "无"])
def test_blank_cells_stay_missing(tmp_path, base_text, blank):
    text = base_text.replace("[1, 0, 0, 0, 0, 0, 1]  # （二）", f"[1, {blank}, 0, 0, 0, 0, 1]  # （二）")
    doc = load_params(write(tmp_path, text))
    assert doc.table("table3").cells[("partial", "business")] is None
    assert ("CELL-BLANK", "table3.partial") in flat(doc)


def test_derived_cells_may_be_left_out(tmp_path, base_text):
    text = base_text.replace("new:                     [3, 1, 0, 0, 0, 0, 4]",
                             "new:                     [3, 1, 0, 0, 0, 0]")
    text = "\n".join(l for l in text.splitlines() if "results_total" not in l)
    doc = load_params(write(tmp_path, text))
    t3 = doc.table("table3")
    assert not t3.given("new", "total") and t3.value("new", "total") == 4
    assert t3.value("results_total", "natural_person") == 3
    assert t3.value("results_total", "total") == 4
    assert flat(doc) == []


def test_params_error_survives_pickling(tmp_path):
    with pytest.raises(ParamsError) as info:
        load_params(write(tmp_path, b""))
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value) and again.problems == info.value.problems


def test_the_shipped_file_is_never_modified():
    before = GUOJIAO.read_bytes()
    load_params(GUOJIAO)
    assert GUOJIAO.read_bytes() == before


def test_what_people_type_is_read_with_a_warning_that_names_it(tmp_path, base_text):
    """Full-width commas and brackets in a list, a full-width indent, a GBK file (Windows)."""
    text = base_text.replace("new:", "new: ［4，0，0，0，0，0］\n  x_new:", 1)
    text = text.replace("\n  county:", "\n\u3000county:", 1)
    doc_text = "\n".join(line for line in text.split("\n") if "x_new:" not in line)
    path = write(tmp_path, doc_text.encode("gb18030"))
    doc = load_params(path)
    found = {(f.rule, f.location.line) for f in doc.load_findings}
    assert ("INPUT-ENCODING", None) in found
    assert ("INPUT-FULLWIDTH", line_of(doc_text, "\u3000county:")) in found
    assert ("INPUT-FULLWIDTH", line_of(doc_text, "new: ［")) in found
    assert doc.table("table3").cells[("new", "natural_person")] == 4
    assert doc.meta.county == "示例县"
