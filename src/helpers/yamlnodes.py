"""Safe YAML reading at the node level, so every value keeps its line.

We compose the YAML into nodes with PyYAML's safe (C, when available) loader and never construct
Python objects from tags. Working on nodes gives three things a plain ``yaml.safe_load`` cannot:
the line of every value for messages, duplicate keys as errors (a plain load silently keeps the
last one and an analyst's number vanishes), and the raw text of every scalar (so full-width
digits and decimals are judged by the kit, not by YAML's resolver).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Iterable

import yaml

from .errors import Problem, ProblemFound

_T = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (_T + x for x in ("str", "int", "float", "bool", "null",
                                                            "timestamp"))
SEQ, MAP = _T + "seq", _T + "map"
ALLOWED_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, SEQ, MAP})
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE",
                    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})
_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?")


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.1's implicit tags for the few kinds the kit tells apart, in a few dictionary and
    regex look-ups. The stock resolver tries a dozen regexes per scalar and dominated the time of
    `nianbao check`; values are judged from their raw text afterwards anyway."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if not implicit[0]:  # quoted: always text
                return STR
            if value in _NULLS:
                return NULL
            if value in _BOOLS:
                return BOOL
            if value[:1].isdigit() or value[:1] in "+-.":
                if _INT.fullmatch(value):
                    return INT
                if _FLOAT.fullmatch(value):
                    return FLOAT
                if _DATE.fullmatch(value):
                    return TIMESTAMP
            return STR
        return SEQ if kind is yaml.SequenceNode else MAP


# The libyaml parser when the wheel has it (~10x faster); nothing is ever constructed from tags.
try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyPI wheels ship libyaml
    _Parser = None
if _Parser is not None:
    class _Loader(_Parser, yaml.constructor.SafeConstructor, _Resolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)
else:  # pragma: no cover - PyPI wheels ship libyaml
    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
                  yaml.composer.Composer, yaml.constructor.SafeConstructor, _Resolver):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def read_yaml(path: Path) -> yaml.Node:
    """Parse ``path`` into a node tree, or raise a single clear Problem (as ParamsProblem)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProblemFound(Problem(None, None, "存在的文件（existing file）", "文件不存在")) from None
    except IsADirectoryError:
        raise ProblemFound(Problem(None, None, "文件（file）", "文件夹")) from None
    except OSError as exc:
        raise ProblemFound(Problem(None, None, "可读的文件（readable file）",
                                   f"无法读取：{exc.strerror}")) from None
    if b"\x00" in data:
        raise ProblemFound(Problem(None, None, "UTF-8 文本的 YAML 文件（a UTF-8 YAML text file）",
                                   "二进制文件（binary file）"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProblemFound(Problem(line, None, "UTF-8 编码的文本（UTF-8 text）",
                                   f"非 UTF-8 字节 0x{data[exc.start]:02x}（GBK 等编码请另存为 UTF-8）")) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ProblemFound(Problem(line, None, "合法的 YAML（valid YAML）",
                                   f"语法错误：{exc.problem or exc.context}")) from None
    except yaml.YAMLError as exc:
        raise ProblemFound(Problem(None, None, "合法的 YAML（valid YAML）",
                                   f"语法错误：{exc}")) from None
    if node is None:
        raise ProblemFound(Problem(None, None, "参数内容（meta、narrative、table2…）",
                                   "空文件（empty file）"))
    # A tag is written with "!": without one in the text there is nothing to look for.
    bad = next(_foreign_tags(node), None) if "!" in text else None
    if bad is not None:
        raise ProblemFound(Problem(line_of(bad), None, "普通的 YAML 值（plain YAML values）",
                                   f"不允许的标签 {bad.tag}（tags are not allowed）"))
    return node


def _foreign_tags(node: yaml.Node) -> Iterable[yaml.Node]:
    stack, seen = [node], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:  # aliases share nodes; visit each once
            continue
        seen.add(id(n))
        if n.tag not in ALLOWED_TAGS:
            yield n
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))


def describe(node: yaml.Node | None) -> str:
    """What a node is, in Chinese, for 'found …' in messages."""
    if node is None:
        return "缺失（missing）"
    if isinstance(node, yaml.MappingNode):
        return "映射（mapping）"
    if isinstance(node, yaml.SequenceNode):
        return f"{len(node.value)} 项的列表（list）"
    if node.tag == NULL:
        return "空值（null）"
    text = node.value if len(node.value) <= 30 else node.value[:30] + "…"
    kind = {INT: "整数", FLOAT: "小数", BOOL: "布尔值"}.get(node.tag, "文本")
    return f"{kind} {text!r}"


def nearest(key: str, known: dict[str, str]) -> str | None:
    """The nearest known key (``known`` maps accepted spellings, labels included, to keys)."""
    match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
    if not match:
        for spelling in known:  # a label typed without its numbering
            if len(key) >= 2 and (key in spelling or spelling in key):
                match = [spelling]
                break
    return known[match[0]] if match else None


class MappingReader:
    """Read a mapping node: duplicate and unknown keys become problems, values keep their lines."""

    def __init__(self, node: yaml.Node, field: str, known: dict[str, str],
                 problems: list[Problem]):
        self.field, self.problems = field, problems
        self.items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        self.suggested: set[str] = set()  # keys offered for a misspelling: not also "missing"
        self.line: int | None = line_of(node)
        if not isinstance(node, yaml.MappingNode):
            problems.append(Problem(line_of(node), field or "（文件）",
                                    "映射（mapping: 键: 值）", describe(node)))
            self.line = None  # nothing inside to report as missing
            return
        for key_node, value_node in node.value:
            self._add(key_node, value_node, known)

    def _add(self, key_node: yaml.Node, value_node: yaml.Node, known: dict[str, str]) -> None:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        where = f"{self.field}.{key}" if self.field else key
        if key in self.items:
            first = line_of(self.items[key][0])
            self.problems.append(Problem(line_of(key_node), where, f"每个键只出现一次（第 {first} 行已有）",
                                         "重复的键（duplicate key）"))
        elif key not in known or known[key] != key:
            guess = nearest(key, known)
            hint = f"；是否想写 {guess}？" if guess else ""
            if guess:
                self.suggested.add(guess)
            self.problems.append(Problem(line_of(key_node), where, "已知的键（known key）",
                                         f"未知的键 {key!r}{hint}"))
        else:
            self.items[key] = (key_node, value_node)

    def get(self, key: str) -> yaml.Node | None:
        pair = self.items.get(key)
        return pair[1] if pair else None

    def require(self, key: str, expected: str) -> yaml.Node | None:
        node = self.get(key)
        if node is None and self.line is not None and key not in self.suggested:
            where = f"{self.field}.{key}" if self.field else key
            self.problems.append(Problem(self.line, where, expected, "缺失（missing）"))
        return node
