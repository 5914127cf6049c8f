"""Every message in Chinese and true: YAML's problems, the command's help and usage errors, the
build summary, and what the county check says of a file that exists but cannot be read."""

from __future__ import annotations

import shutil

import pytest

from helpers.cli import main
from util import ROOT


@pytest.mark.parametrize("text, said", [
    ("meta:\n  unit: [甲乡, 乙乡\n", "列表缺少「,」或「]」"),
    ("meta:\n\tunit: 甲乡\n", "Tab"),
    ("meta:\n  unit: 甲乡: 乙乡\n", "「: 」"),
    ('meta:\n  unit: "甲乡\n', "引号"),
])
def test_yaml_problems_in_chinese_with_their_line(tmp_path, capsys, text, said):
    path = tmp_path / "甲乡_2021.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr().out
    assert said in out and f"{path}:" in out and "did not find" not in out


def test_help_and_usage_errors_in_chinese(capsys):
    with pytest.raises(SystemExit) as done:
        main(["render", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "用法：" in out and "选项：" in out and "usage:" not in out and "options:" not in out
    assert "html、docx、pdf" in out  # every form render can write
    with pytest.raises(SystemExit) as done:
        main(["build", "--jobs", "x"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "错误：参数 --jobs" in err and "应为整数" in err and "invalid" not in err
    with pytest.raises(SystemExit):
        main(["frobnicate"])
    assert "无效的选择" in capsys.readouterr().err


def test_an_unreadable_file_is_said_unreadable_not_missing(tmp_path, capsys):
    for name in ("county.yaml", "崇文镇_2022.yaml"):
        shutil.copy(ROOT / "params" / name, tmp_path / name)
    (tmp_path / "崇文镇_2021.yaml").write_text("meta: [\n", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert f"COUNTY-UNREADABLE" in out and f"{tmp_path / '崇文镇_2021.yaml'} 无法读取" in out
    assert "缺少 崇文镇 2021" not in out
    assert "X-SKIPPED" in out and "跨年度校验" in out  # 2022's cross-year checks: skipped, and why


@pytest.mark.slow
def test_the_build_summary_names_reports_as_people_do(tmp_path, capsys):
    folder = tmp_path / "params"
    folder.mkdir()
    for name in ("county.yaml", "崇文镇_2022.yaml"):
        shutil.copy(ROOT / "params" / name, folder / name)
    (folder / "礼义镇_2021.yaml").write_text("meta: [\n", encoding="utf-8")
    assert main(["build", str(folder), "--out", str(tmp_path / "build"), "--year", "2022"]) == 1
    out, err = capsys.readouterr()
    heads = next(line for line in out.splitlines() if "生成" in line and "跳过" in line).split()
    assert len(heads) == len(set(heads))  # no column twice
    assert "unreadable/" not in out + err and "执行失败 礼义镇_2021" in out
    progress = next(line for line in err.splitlines() if "✗" in line)
    assert "1 处问题：" in progress and "语法错误" in progress  # the problem itself, on its line
