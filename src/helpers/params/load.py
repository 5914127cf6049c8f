"""Read one township-year params file into the model, strictly.

Structure problems (unknown or duplicate keys, wrong shapes, missing fields) make the file
unreadable: every one is collected, with its line, into one ParamsError. Cell values are kept as
typed — a blank stays None, text stays Invalid, a negative or a decimal count stays what it is —
and judged by the rules (CELL-BLANK, CELL-DOMAIN), so one typo never hides the rest of the report.
The schema is documented in docs/params.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .. import formats
from ..errors import ParamsError, Problem, ProblemFound
from ..model import WARNING, Finding, Location, Meta, Source, TownshipYear
from .cellvalue import FULLWIDTH, INT_RE
from .office import OfficeBlocks
from .rows import TableReader, _known
from .yamlnodes import (BOOL, ENCODING_NOTE, INT, NULL, STR, TIMESTAMP, MappingReader, describe,
                        line_of, read_yaml)

# Characters no text of a report holds (escapes in double quotes can write them; a terminal or a
# spreadsheet would act on them): C0 and C1 controls but tab and line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DATE_RE = re.compile(r"(\d{4})(?:-|年|/|\.)(\d{1,2})(?:-|月|/|\.)(\d{1,2})日?")
TOP_KEYS = ("meta", "narrative", "table2", "table3", "table4", "source", "reviews", "ledger")
SOURCE_TEXT = ("file", "sha256", "kind", "confidence")
SOURCE_PATHS = ("not_reached", "unread", "decoded")
SOURCE_OPTIONAL_TEXT = ("preface",)
SOURCE_ORIGINS = "origins"  # field path → where it was typed (崇文镇!B33) or printed (文件:行)
META_TEXT = ("unit", "township", "county")
META_OPTIONAL_TEXT = ("city", "province")
META_KEYS = (*META_TEXT, "kind", "year", "format", "published", *META_OPTIONAL_TEXT, "sample",
             "carried_from")
INTRO = "intro"
LAST_YEAR = 2100
YAML_SUFFIXES = (".yaml", ".yml")  # one file: 甲乡_2022.yaml and 甲乡_2022.yml are the same name


def existing_params(path: Path) -> Path | None:
    """The params file already there under ``path``'s name, whichever YAML suffix it has."""
    for suffix in YAML_SUFFIXES:
        candidate = path.with_suffix(suffix)
        if candidate.exists():
            return candidate
    return None


def load_params(path: str | Path) -> TownshipYear:
    """Read and validate one params file.

    Parameters
    ----------
    path : the YAML file of one township-year.

    Returns
    -------
    TownshipYear, with the loader's warnings in ``load_findings``.

    Raises
    ------
    ParamsError : the file cannot be read, with every problem found and its line.
    """
    path = Path(path)
    notes: list = []
    try:
        root = read_yaml(path, notes)
    except ProblemFound as found:
        raise ParamsError(str(path), (found.problem,)) from None
    builder = _Builder(path)
    builder.warnings += [_lenient(kind, line, what) for kind, line, what in notes]
    return builder.build(root)


def _lenient(kind: str, line: int | None, what: str) -> Finding:
    """A warning for what the reader read leniently (an encoding, full-width indentation)."""
    if kind == ENCODING_NOTE:
        return Finding("INPUT-ENCODING", WARNING, f"文件为 {what} 编码，已按其读取；建议另存为 UTF-8",
                       Location(field="（文件）"), "UTF-8", what)
    return Finding("INPUT-FULLWIDTH", WARNING, f"第 {line} 行缩进中的{what}已按半角空格读取",
                   Location(field="（缩进）", line=line), "半角空格", what)


# Full-width list punctuation typed with a Chinese input method: ［5，3，0］ or [5，3，0].
class _Builder(TableReader, OfficeBlocks):
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.literal: set[str] = set()
        self.warnings: list[Finding] = []

    def build(self, root: yaml.Node) -> TownshipYear:
        top = MappingReader(root, "", _known(*TOP_KEYS), self.problems)
        meta_node = top.require("meta", "单位与年度信息（meta: unit, township, county, kind, year…）")
        meta = self._meta(meta_node) if meta_node is not None else None
        spec = formats.get_format(meta.format) if meta else formats.newest()  # to list table problems
        narrative = self._narrative(top.get("narrative"), spec)
        tables = {}
        for table_spec in spec.tables:
            node = top.require(table_spec.key, f"表{table_spec.number}（{table_spec.title}）的各行")
            if node is not None:
                tables[table_spec.key] = self._table(table_spec, node)
        source = self._source(top.get("source"), spec)
        reviews = self._reviews(top.get("reviews"))
        ledger = self._ledger(top.get("ledger"))
        if self.problems or meta is None:
            self.problems.sort(key=lambda p: p.line or 0)
            raise ParamsError(str(self.path), tuple(self.problems))
        return TownshipYear(
            path=str(self.path), meta=meta, spec=spec,
            narrative=dict(narrative), tables=dict(tables),
            lines=dict(self.lines), literal=frozenset(self.literal),
            load_findings=tuple(self.warnings), source=source, reviews=reviews, ledger=ledger)

    # -- meta ------------------------------------------------------------------------------
    def _meta(self, node: yaml.Node) -> Meta | None:
        reader = MappingReader(node, "meta", _known(*META_KEYS, 单位="unit", 乡镇="township",
                                                    县="county", 类型="kind", 年度="year"),
                               self.problems)
        for key, (_, value) in reader.items.items():
            self.lines[f"meta.{key}"] = line_of(value)
        before = len(self.problems)
        text = {k: self._text_field(reader, k, required=True) for k in META_TEXT}
        optional = {k: self._text_field(reader, k, required=False) for k in META_OPTIONAL_TEXT}
        kind = self._choice(reader, "kind", formats.UNIT_KINDS)
        year = self._year(reader)
        fmt = self._format(reader, year)
        published = self._date(reader.get("published"), "meta.published")
        sample = self._bool(reader.get("sample"))
        carried = self._carried(reader.get("carried_from"), year)
        if len(self.problems) > before or reader.line is None:
            return None
        return Meta(**text, kind=kind, year=year, format=fmt, published=published,
                    sample=sample, carried_from=carried, **optional)

    def _scalar(self, node: yaml.Node | None, field: str, expected: str,
                tags: tuple[str, ...]) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag not in tags:
            self.problems.append(Problem(line_of(node), field, expected, describe(node)))
            return None
        if node.style == '"' and (bad := _CONTROL.search(node.value)):  # an escape such as "\e"
            self.problems.append(Problem(line_of(node), field, expected,
                                         f"控制字符 U+{ord(bad.group()):04X}（control character）"))
            return None
        return node.value.strip()

    def _text_field(self, reader: MappingReader, key: str, required: bool) -> str | None:
        expected = "非空文本（text）"
        node = reader.require(key, expected) if required else reader.get(key)
        value = self._scalar(node, f"meta.{key}", expected, (STR,))
        if node is not None and value == "":
            self.problems.append(Problem(line_of(node), f"meta.{key}", expected, "空文本"))
        return value or None

    def _choice(self, reader: MappingReader, key: str, choices: tuple[str, ...]) -> str | None:
        expected = "以下之一：" + " / ".join(choices)
        node = reader.require(key, expected)
        value = self._scalar(node, f"meta.{key}", expected, (STR,))
        if value is not None and value not in choices:
            self.problems.append(Problem(line_of(node), f"meta.{key}", expected, repr(value)))
            return None
        return value

    def _year(self, reader: MappingReader) -> int | None:
        first = formats.first_year()
        expected = f"年份整数（{first}–{LAST_YEAR}）"
        node = reader.require("year", expected)
        value = self._scalar(node, "meta.year", expected, (INT, STR))
        if value is None:
            return None
        value = value.translate(FULLWIDTH)
        if not INT_RE.fullmatch(value) or not first <= int(value) <= LAST_YEAR:
            self.problems.append(Problem(line_of(node), "meta.year", expected, describe(node)))
            return None
        return int(value)

    def _format(self, reader: MappingReader, year: int | None) -> str | None:
        node = reader.get("format")
        if node is None:  # left out: the format the year requires
            return formats.format_for_year(year).key if year else None
        expected = "报告格式：" + " / ".join(formats.FORMATS)
        value = self._scalar(node, "meta.format", expected, (INT, STR))
        if value is not None and value not in formats.FORMATS:
            self.problems.append(Problem(line_of(node), "meta.format", expected, describe(node)))
            return None
        return value

    def _date(self, node: yaml.Node | None, field: str) -> str | None:
        expected = "日期 YYYY-MM-DD（如 2022-01-21）"
        value = self._scalar(node, field, expected, (STR, TIMESTAMP, NULL))
        if not value or value in ("~", "null"):
            return None
        match = DATE_RE.fullmatch(value.translate(FULLWIDTH))
        if not match:
            self.problems.append(Problem(line_of(node), field, expected, describe(node)))
            return None
        y, m, d = (int(g) for g in match.groups())
        if not (1 <= m <= 12 and 1 <= d <= 31):
            self.problems.append(Problem(line_of(node), field, expected, describe(node)))
            return None
        return f"{y:04d}-{m:02d}-{d:02d}"

    def _carried(self, node: yaml.Node | None, year: int | None) -> int | None:
        """The year whose report this one was started from (``nianbao new-year``)."""
        value = self._scalar(node, "meta.carried_from", "上一年度（整数）", (INT,))
        if value is None:
            return None
        if not INT_RE.fullmatch(value) or year is not None and int(value) != year - 1:
            self.problems.append(Problem(line_of(node), "meta.carried_from", f"{year - 1}", value))
            return None
        return int(value)

    def _bool(self, node: yaml.Node | None) -> bool:
        value = self._scalar(node, "meta.sample", "true 或 false", (BOOL,))
        return value is not None and value.lower() in ("true", "yes", "on")

    # -- source (written by nianbao import) -------------------------------------------------
    def _source(self, node: yaml.Node | None, spec: formats.FormatSpec) -> Source | None:
        if node is None:
            return None
        reader = MappingReader(node, "source", _known(*SOURCE_TEXT, *SOURCE_PATHS,
                                                      *SOURCE_OPTIONAL_TEXT, SOURCE_ORIGINS),
                               self.problems)
        for key, (_, value) in reader.items.items():
            self.lines[f"source.{key}"] = line_of(value)
        text = {k: self._scalar(reader.require(k, "文本（text）"), f"source.{k}", "文本（text）", (STR,))
                for k in SOURCE_TEXT}
        paths = {k: self._paths(reader.get(k), f"source.{k}", spec) for k in SOURCE_PATHS}
        optional = {k: self._scalar(node, f"source.{k}", "文本（text）", (STR,)) or ""
                    for k in SOURCE_OPTIONAL_TEXT if (node := reader.get(k)) is not None}
        origins = self._origins(reader.get(SOURCE_ORIGINS), spec)
        if any(v is None for v in text.values()):
            return None
        return Source(**text, **paths, **optional, origins=origins)

    def _origins(self, node: yaml.Node | None, spec: formats.FormatSpec) -> dict[str, str]:
        """``source.origins``: each field path (a particular, a section, a table row or cell)
        with the cell or line it came from."""
        if node is None:
            return {}
        field, expected = f"source.{SOURCE_ORIGINS}", "字段路径: 来源位置（如 table3.new: 崇文镇!B33:H33）"
        if not isinstance(node, yaml.MappingNode):
            self.problems.append(Problem(line_of(node), field, expected, describe(node)))
            return {}
        known = {*spec.field_paths, *(f"narrative.{k}" for k in spec.narrative_keys),
                 *(f"meta.{k}" for k in META_KEYS)}
        out = {}
        for key, value in node.value:
            if not (isinstance(key, yaml.ScalarNode) and key.value in known
                    and isinstance(value, yaml.ScalarNode) and value.tag == STR and value.value):
                self.problems.append(Problem(line_of(key), field, expected, describe(key)))
            else:
                out[key.value] = value.value
        return out

    def _paths(self, node: yaml.Node | None, field: str, spec: formats.FormatSpec) -> tuple[str, ...]:
        expected = "字段路径的列表（如 [table3.granted, narrative.problems]）"
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.problems.append(Problem(line_of(node), field, expected, describe(node)))
            return ()
        out = []
        for item in node.value:
            path = item.value.strip() if isinstance(item, yaml.ScalarNode) else None
            if path is None or path not in spec.field_paths:
                self.problems.append(Problem(line_of(item), field, expected, describe(item)))
            else:
                out.append(path)
        return tuple(out)

    # -- narrative -------------------------------------------------------------------------
    def _narrative(self, node: yaml.Node | None, spec: formats.FormatSpec) -> dict[str, str]:
        sections = spec.sections
        out = spec.narrative_skeleton()
        if node is None:
            return out
        known = _known(*(s.key for s in sections), **{s.title: s.key for s in sections},
                       **{s.heading: s.key for s in sections})
        reader = MappingReader(node, "narrative", known, self.problems)
        for sec in sections:
            value = reader.get(sec.key)
            if sec.subsections and isinstance(value, yaml.MappingNode):
                self._subsections(sec, value, out)
            else:
                out[sec.key] = self._text(value, sec.key)
        return out

    def _subsections(self, sec: formats.SectionSpec, node: yaml.Node, out: dict[str, str]) -> None:
        subs = sec.subsections
        known = _known(INTRO, *(s.key for s in subs), **{s.heading: s.key for s in subs},
                       **{s.title: s.key for s in subs})
        reader = MappingReader(node, f"narrative.{sec.key}", known, self.problems)
        out[sec.key] = self._text(reader.get(INTRO), sec.key)
        for sub in subs:
            key = f"{sec.key}.{sub.key}"
            out[key] = self._text(reader.get(sub.key), key)

    def _text(self, node: yaml.Node | None, key: str) -> str:
        value = self._scalar(node, f"narrative.{key}", "文本（text）", (STR, NULL))
        if node is None or value is None or node.tag == NULL:
            return ""
        self.lines[f"narrative.{key}"] = line_of(node)
        if node.style == "|":  # content starts on the line after the | indicator
            self.literal.add(key)
            self.lines[f"narrative.{key}"] = line_of(node) + 1
        return node.value.strip()

    # -- tables ----------------------------------------------------------------------------
