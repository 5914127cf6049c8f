"""`nianbao check`: the real console script, its output and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.params.write import format_params
from util import GUOJIAO, ROOT, report

NIANBAO = Path(sys.executable).with_name("nianbao")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(NIANBAO), *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "示例乡_2021.yaml").write_text(format_params(report(2021)), encoding="utf-8")
    (tmp_path / "示例乡_2020.yaml").write_text(format_params(report(2020)), encoding="utf-8")
    return tmp_path


def test_default_is_params_folder_and_exit_1_on_errors():
    result = run("check")
    assert result.returncode == 1
    assert "古郊乡人民政府 2021 年度" in result.stdout and "CELL-BLANK" in result.stdout
    assert "M-SECTIONS" in result.stdout and "Traceback" not in result.stderr


def test_exit_0_when_clean(folder):
    result = run("check", str(folder))
    assert result.returncode == 0, result.stdout
    assert "2 个通过" in result.stdout


def test_json_lists_findings_with_every_field():
    result = run("check", "--format", "json", str(GUOJIAO))
    rows = json.loads(result.stdout)
    counted = [r for r in rows if r["severity"] != "info"]  # notes: rules blanks leave undecided
    assert result.returncode == 1 and len(counted) == 24
    assert set(rows[0]) == {"file", "unit", "year", "id", "rule", "severity", "message", "location",
                            "expected", "found", "cleared", "review"}
    assert len({r["id"] for r in rows}) == len(rows)  # one id a finding
    assert {r["id"] for r in rows if r["rule"] == "M-OVERSIGHT"} == {"M-OVERSIGHT@narrative.general.oversight"}
    assert {r["rule"] for r in counted} == {"CELL-BLANK", "M-SECTIONS", "M-OVERSIGHT"}
    note, = [r for r in rows if r["severity"] == "info"]  # table 三 printed blank: said once
    assert note["rule"] == "T3-BALANCE" and "尚不能校验" in note["message"]
    assert rows[0]["location"]["line"] > 0 and rows[0]["unit"] == "古郊乡人民政府"


def test_exit_2_and_no_traceback_on_unreadable_input(folder):
    (folder / "坏文件_2021.yaml").write_bytes(b"\x00\x01binary")
    (folder / "重复_2021.yaml").write_text("meta:\n  unit: a\n  unit: b\n", encoding="utf-8")
    result = run("check", str(folder))
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    assert "坏文件_2021.yaml" in result.stdout and "二进制文件" in result.stdout
    assert "重复_2021.yaml:3" in result.stdout and "重复的键" in result.stdout
    assert "2 个通过" in result.stdout  # the good files were still checked
    assert "[bold" not in result.stdout  # no markup leaks into the text
    rows = json.loads(run("check", "--format", "json", str(folder)).stdout)
    assert {r["file"].rsplit("/", 1)[-1] for r in rows if r["rule"] == "LOAD-ERROR"} == {
        "坏文件_2021.yaml", "重复_2021.yaml"}


def test_missing_path_exit_2(tmp_path):
    result = run("check", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "不存在" in result.stdout


def test_cross_year_findings_from_a_sibling_file(folder):
    path = folder / "示例乡_2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "carry_forward:           [1, 0, 0, 0, 0, 0, 1]", "carry_forward:           [2, 0, 0, 0, 0, 0, 2]"),
        encoding="utf-8")
    rows = json.loads(run("check", "--format", "json", str(folder / "示例乡_2021.yaml")).stdout)
    assert [(r["rule"], r["location"]["field"]) for r in rows if r["rule"] == "X-CARRY"] == [
        ("X-CARRY", "table3.carried_over.natural_person"), ("X-CARRY", "table3.carried_over.total")]


def test_main_in_process(capsys):
    assert main(["check", "--format", "json", str(GUOJIAO)]) == 1
    assert json.loads(capsys.readouterr().out)[0]["rule"] == "CELL-BLANK"


def test_inputs_are_never_modified(folder):
    before = {p: p.read_bytes() for p in folder.iterdir()}
    run("check", str(folder))
    assert {p: p.read_bytes() for p in folder.iterdir()} == before


def test_rules_lists_every_rule():
    from helpers.checks import KIT_RULES, RULES
    result = run("rules")
    assert result.returncode == 0
    assert all(r.id in result.stdout for r in RULES) and all(k in result.stdout for k in KIT_RULES)
