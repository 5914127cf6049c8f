"""The county file: which townships must report each year (params/county.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from ..errors import ParamsError, Problem, ProblemFound
from ..formats import DEFAULT_DEADLINE, first_year
from .load import LAST_YEAR
from .yamlnodes import INT, STR, MappingReader, describe, line_of, read_yaml

COUNTY_FILE = "county.yaml"
BOARD_FILE = "board.yaml"  # the year's progress, beside it (year/board.py): not a params file
_KEYS = ("county", "city", "province", "deadline", "expected")
_DEADLINE = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_YEAR = re.compile(r"[1-9]\d{3}")


@dataclass(frozen=True)
class County:
    path: str
    name: str
    expected: Mapping[int, tuple[str, ...]]  # year → townships that must have a report
    deadline: str = DEFAULT_DEADLINE  # MM-DD of the year after the report year
    city: str | None = None
    province: str | None = None
    line: int | None = None  # of the expected: block

    @property
    def townships(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for names in self.expected.values():
            seen.update(dict.fromkeys(names))
        return tuple(seen)


def load_county(path: str | Path) -> County:
    """Read a county file; ParamsError lists every problem with its line."""
    path = Path(path)
    try:
        root = read_yaml(path)
    except ProblemFound as found:
        raise ParamsError(str(path), (found.problem,)) from None
    problems: list[Problem] = []
    top = MappingReader(root, "", {k: k for k in _KEYS}, problems)
    text = {}
    for key in ("county", "city", "province", "deadline"):
        node = top.require(key, "县名（text）") if key == "county" else top.get(key)
        if node is not None:
            if isinstance(node, yaml.ScalarNode) and node.tag == STR and node.value.strip():
                text[key] = node.value.strip()
            else:
                problems.append(Problem(line_of(node), key, "文本", describe(node)))
    if "deadline" in text and not _DEADLINE.fullmatch(text["deadline"]):
        problems.append(Problem(top.line, "deadline", "次年公布期限 MM-DD（如 01-31）",
                                repr(text["deadline"])))
    expected_node = top.require("expected", "各年度应报告的乡镇列表（2021: [古郊乡, …]）")
    expected = _expected(expected_node, problems) if expected_node is not None else {}
    if problems:
        raise ParamsError(str(path), tuple(sorted(problems, key=lambda p: p.line or 0)))
    return County(str(path), text["county"], dict(expected),
                  text.get("deadline", DEFAULT_DEADLINE), text.get("city"), text.get("province"),
                  line_of(expected_node))


def _expected(node: yaml.Node, problems: list[Problem]) -> dict[int, tuple[str, ...]]:
    out: dict[int, tuple[str, ...]] = {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(line_of(node), "expected", "年份: [乡镇, …] 的映射", describe(node)))
        return out
    seen: dict[int, int] = {}
    years = f"年份，四位数字（{first_year()}–{LAST_YEAR}）"
    for key, value in node.value:
        # written as a plain year: YAML also reads 02021 (octal), 0x7e5 or 2_021 as integers,
        # and a county of 10,000 years would make a build write 10,000 folders
        if key.tag != INT or not _YEAR.fullmatch(key.value) or not (
                first_year() <= int(key.value) <= LAST_YEAR):
            problems.append(Problem(line_of(key), "expected", years, describe(key)))
            continue
        year = int(key.value)
        if year in seen:
            problems.append(Problem(line_of(key), f"expected.{year}",
                                    f"每个年份只出现一次（第 {seen[year]} 行已有）", "重复的年份"))
            continue
        seen[year] = line_of(key)
        names = value.value if isinstance(value, yaml.SequenceNode) else None
        if names is None or not all(isinstance(n, yaml.ScalarNode) and n.tag == STR for n in names):
            problems.append(Problem(line_of(value), f"expected.{year}", "乡镇名列表",
                                    describe(value)))
            continue
        out[year] = _townships(year, names, problems)
    return out


def _townships(year: int, names: list[yaml.ScalarNode], problems: list[Problem]) -> tuple[str, ...]:
    """A year's list, each township once: a name listed twice would be two COUNTY-MISSING."""
    listed: dict[str, int] = {}
    for node in names:
        name = node.value.strip()
        if name in listed:
            problems.append(Problem(line_of(node), f"expected.{year}",
                                    f"每个乡镇只列一次（第 {listed[name]} 行已列）", f"重复的 {name!r}"))
        else:
            listed[name] = line_of(node)
    return tuple(listed)
