"""A params file's tables read row by row: each row on one line (``granted: [1, 0, 2, …]``) or as
a mapping of its columns, the cells kept as typed (a blank stays None, text stays Invalid) and
full-width marks read with a warning. Mixed into the loader (load.py), whose problems, lines and
warnings it adds to.
"""

from __future__ import annotations

import re

import yaml

from .. import formats
from ..errors import Problem
from ..model import WARNING, Finding, Invalid, Location, Table, Value, row_label
from .cellvalue import BLANK_MARKS, FULLWIDTH, number_of
from .yamlnodes import BOOL, INT, NULL, STR, MappingReader, describe, line_of, resolve_tag

_WIDE_LIST = re.compile(r"^[［【\[](.*)[］】\]]$", re.S)
_WIDE_SEPARATORS = re.compile(r"\s*[，,、]\s*")


def _known(*keys: str, **labels: str) -> dict[str, str]:
    """Accepted keys map to themselves; labels map to their key (used only for suggestions)."""
    return {**labels, **{k: k for k in keys}}


class TableReader:
    """Tables 二, 三, 四 of a params file (see the module); needs ``problems``, ``lines`` and
    ``warnings`` of the loader it is mixed into."""

    problems: list[Problem]
    lines: dict[str, int]
    warnings: list[Finding]

    def _table(self, spec: formats.TableSpec, node: yaml.Node) -> Table:
        known = _known(*(r.key for r in spec.rows), **{r.label: r.key for r in spec.rows})
        reader = MappingReader(node, spec.key, known, self.problems)
        self.lines[spec.key] = line_of(node)
        cells: dict[tuple[str, str], Value] = {}
        for row in spec.rows:
            value = reader.get(row.key)
            if value is None:
                if not row.derived and reader.line is not None and row.key not in reader.suggested:
                    self.problems.append(Problem(reader.line, f"{spec.key}.{row.key}",
                                                 _row_expected(row) + "（未知的填 ~）", "缺失（missing）"))
                continue
            row_line = self.lines[f"{spec.key}.{row.key}"] = line_of(value)
            counts = _plain_counts(row, value)
            if counts is not None:
                cells.update(zip([(row.key, c.key) for c in row.columns], counts))
                continue
            for col, item in self._row_items(spec, row, value):
                cells[(row.key, col.key)] = self._cell(spec, row, col, item, row_line)
        return Table(spec, dict(cells))

    def _row_items(self, spec: formats.TableSpec, row: formats.RowSpec, node: yaml.Node):
        n = len(row.columns)
        if isinstance(node, yaml.ScalarNode) and n == 1 and not _WIDE_LIST.match(node.value):
            return [(row.columns[0], node)]
        items = self._wide_items(spec, row, node)
        short_ok = row.columns[-1].derived  # the 总计 may be left out
        if items is None or not (len(items) == n or (short_ok and len(items) == n - 1)):
            self.problems.append(Problem(line_of(node), f"{spec.key}.{row.key}",
                                         _row_expected(row), describe(node)))
            return []
        return list(zip(row.columns, items))

    def _wide_items(self, spec, row, node: yaml.Node) -> list[yaml.Node] | None:
        """A row's cells; a list typed with full-width commas or brackets is split as a person
        meant it, with a warning that names them."""
        if isinstance(node, yaml.ScalarNode) and node.tag == STR and _WIDE_LIST.match(node.value):
            parts, wide = _WIDE_LIST.match(node.value).group(1), node.value[0] + node.value[-1]
        elif (isinstance(node, yaml.SequenceNode)
              and all(isinstance(i, yaml.ScalarNode) for i in node.value)
              and any("，" in i.value for i in node.value)):
            parts, wide = ",".join(i.value for i in node.value), "[]"
        else:
            return node.value if isinstance(node, yaml.SequenceNode) else None
        marks = "".join(sorted({c for c in parts + wide if c in "，［］【】、"}, key="，、［］【】".find))
        self.warnings.append(Finding(
            "INPUT-FULLWIDTH", WARNING, f"全角标点 {marks} 已按半角读取（full-width punctuation）",
            Location(table=spec.number, row=row_label(spec, row), field=f"{spec.key}.{row.key}",
                     line=line_of(node)), "[a, b, …]", (wide[0] + parts + wide[-1])[:40]))
        return [yaml.ScalarNode(resolve_tag(part), part, node.start_mark, node.end_mark)
                for part in _WIDE_SEPARATORS.split(parts.strip())]

    def _cell(self, spec, row, col, node: yaml.Node, row_line: int) -> Value:
        count = _plain_count(node, row_line)
        if count is not None:
            return count  # nothing to say of it
        line = line_of(node)
        field = f"{spec.key}.{row.key}.{col.key}"
        if line != row_line:  # a cell on its row's line is found by the row's (TownshipYear.line)
            self.lines[field] = line
        if not isinstance(node, yaml.ScalarNode):
            self.problems.append(Problem(line_of(node), field, "一个数值", describe(node)))
            return None
        raw = node.value.strip()
        if node.tag == NULL or raw in BLANK_MARKS:
            return None
        if node.tag == BOOL:
            return Invalid(raw)
        text = raw.translate(FULLWIDTH)
        if text != raw:
            self.warnings.append(Finding(
                "CELL-FULLWIDTH", WARNING, "全角数字已按半角读取（full-width digits read as ASCII）",
                Location(table=spec.number, row=row_label(spec, row), column=col.label,
                         field=field, line=line_of(node)),
                expected="半角数字", found=raw))
        return number_of(text, raw)


def _plain_counts(row: formats.RowSpec, node: yaml.Node) -> list[int] | None:
    """The row's values when it is the common row — ``[3, 0, 1]`` on one line, every item a
    plain count, as many as the columns (the 总计 may be left out) — else None, and the row is
    read cell by cell with all that a cell may need said about it."""
    if type(node) is not yaml.SequenceNode:
        return None
    items, n = node.value, len(row.columns)
    if not (len(items) == n or (len(items) == n - 1 and row.columns[-1].derived)):
        return None
    counts = [_plain_count(item, line_of(node)) for item in items]
    return None if None in counts else counts


def _plain_count(node: yaml.Node, row_line: int) -> int | None:
    """The common cell's value — a plain count, in ASCII digits, on its row's line — else None."""
    raw = node.value
    if type(node) is yaml.ScalarNode and node.tag == INT and raw.isdigit() and raw.isascii() \
            and line_of(node) == row_line:
        return int(raw)
    return None


def _row_expected(row: formats.RowSpec) -> str:
    labels = "、".join(c.label for c in row.columns)
    n = len(row.columns)
    if row.columns[-1].derived:
        return f"{n} 个数值的列表 [{labels}]，或不含总计的 {n - 1} 个"
    return f"{n} 个数值的列表 [{labels}]" if n > 1 else f"一个数值（{labels}）"
