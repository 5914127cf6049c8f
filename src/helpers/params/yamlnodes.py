"""Safe YAML reading at the node level, so every value keeps its line.

We compose the YAML into nodes with PyYAML's safe (C, when available) loader and never construct
Python objects from tags. Working on nodes gives three things a plain ``yaml.safe_load`` cannot:
the line of every value for messages, duplicate keys as errors (a plain load silently keeps the
last one and an analyst's number vanishes), and the raw text of every scalar (so full-width
digits and decimals are judged by the kit, not by YAML's resolver).
"""

from __future__ import annotations

import codecs
import difflib
import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import Problem, ProblemFound
from .cellvalue import JUNK

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
            return _scalar_tag(value) if implicit[0] else STR  # quoted: always text
        return SEQ if kind is yaml.SequenceNode else MAP


@lru_cache(maxsize=4096)  # a params file repeats its values: 0, 1, [ … ] of small counts
def _scalar_tag(value: str) -> str:
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


MAX_BYTES = 2 * 1024 * 1024  # a params file is a few KB; a long narrative a few hundred
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def resolve_tag(value: str) -> str:
    """The tag a plain scalar of this text would have."""
    return _Resolver().resolve(yaml.ScalarNode, value, (True, False))


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _utf16(data: bytes) -> bool:
    """Text in UTF-16 without its BOM: decodes, has lines, and is nearly all printable."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[: len(data) // 2 * 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(c.isprintable() or c in "\n\r\t" for c in text)
        if "\n" in text and printable > 0.95 * len(text):
            return True
    return False


ENCODING_NOTE, SPACE_NOTE = "encoding", "space"  # what read_yaml read leniently (notes)


def text_of(data: bytes) -> str:
    """A params file's bytes as text, decoded as the loader decodes them (ProblemFound if not)."""
    return _text_of(data, [])


def _text_of(data: bytes, notes: list) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16/32 with a BOM (Notepad's "Unicode"),
    or GB18030/GBK as Windows tools save it (with a note); anything else is a Problem saying what
    it is."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ProblemFound(Problem(None, None, "UTF-8 编码的文本（UTF-8 text）",
                                           f"损坏的 {encoding.upper()} 文本")) from None
    if b"\x00" in data:
        found = ("UTF-16 编码、没有 BOM 的文本（请另存为 UTF-8）" if _utf16(data)
                 else "二进制文件（binary file，不是文本）")
        raise ProblemFound(Problem(None, None, "UTF-8 文本的 YAML 文件（a UTF-8 YAML text file）", found))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = _gb18030(data)
        if text is not None:
            notes.append((ENCODING_NOTE, None, "GB18030/GBK"))
            return text
        line = data[: exc.start].count(b"\n") + 1
        raise ProblemFound(Problem(line, None, "UTF-8 编码的文本（UTF-8 text）",
                                   f"非 UTF-8 字节 0x{data[exc.start]:02x}（GBK 等编码请另存为 UTF-8）")) from None


def text_of(data: bytes) -> str:
    """The text of a YAML file's bytes, read as the loader reads it (ProblemFound otherwise)."""
    return _wide_indents(_text_of(data, []), [])


def encoded_like(data: bytes, text: str) -> bytes:
    """``text`` in the encoding ``data`` was read in (its BOM kept; GB18030 where it was not
    UTF-8): a file the kit edits stays in the encoding its author's editor saved."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            order = "-le" if bom in (codecs.BOM_UTF32_LE, codecs.BOM_UTF16_LE) else "-be"
            return bom + text.encode(encoding + order)
    if data.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8 + text.encode("utf-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return text.encode("gb18030")
    return text.encode("utf-8")


def _gb18030(data: bytes) -> str | None:
    """The text when ``data`` is GB18030 (GBK is part of it) that reads as Chinese: every byte
    decodes, and nothing lands in the private-use area or among the controls (what another
    encoding read as GB18030 would give)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if re.search("[\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f-\x9f]", text):
        return None
    return text


_LEADING_WIDE = re.compile("^([ \u3000]*\u3000[ \u3000]*)", re.M)


def _wide_indents(text: str, notes: list) -> str:
    """Full-width spaces in a line's indentation (typed with a Chinese input method) read as two
    spaces each, with a note naming the lines."""
    if "\u3000" not in text:
        return text
    def fix(match: re.Match) -> str:
        notes.append((SPACE_NOTE, text.count("\n", 0, match.start()) + 1, "全角空格"))
        return match.group(1).replace("\u3000", "  ")
    return _LEADING_WIDE.sub(fix, text)


def read_yaml(path: Path, notes: list | None = None) -> yaml.Node:
    """Parse ``path`` into a node tree, or raise a single clear Problem (as ParamsProblem).
    What was read leniently is added to ``notes`` as (kind, line, what)."""
    notes = [] if notes is None else notes
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProblemFound(Problem(None, None, "存在的文件（existing file）", "文件不存在")) from None
    except IsADirectoryError:
        raise ProblemFound(Problem(None, None, "文件（file）", "文件夹")) from None
    except OSError as exc:
        raise ProblemFound(Problem(None, None, "可读的文件（readable file）",
                                   f"无法读取：{exc.strerror}")) from None
    if len(data) > MAX_BYTES:
        raise ProblemFound(Problem(None, None, f"不超过 {MAX_BYTES // 1024 // 1024} MB 的参数文件",
                                   f"{len(data) / 1024 / 1024:.1f} MB"))
    text = _wide_indents(_text_of(data, notes), notes)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids: say which, on which line
        # libyaml counts the position in bytes of the UTF-8 text, PyYAML's own reader in characters
        before = text.encode("utf-8")[: exc.position] if _Parser is not None else text[: exc.position]
        line = before.count(b"\n" if _Parser is not None else "\n") + 1 \
            if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise ProblemFound(Problem(line, None, "可打印的文本（printable text）",
                                   f"不允许的控制字符 U+{ord(char):04X}（control character）")) from None
    except RecursionError:
        raise ProblemFound(Problem(None, None, "嵌套不超过几层的参数", "嵌套过深（nested too deep）")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ProblemFound(Problem(line, None, "合法的 YAML（valid YAML）",
                                   f"语法错误：{in_chinese(exc.problem or exc.context or '')}")) from None
    except yaml.YAMLError as exc:
        raise ProblemFound(Problem(None, None, "合法的 YAML（valid YAML）",
                                   f"语法错误：{exc}")) from None
    if node is None:
        raise ProblemFound(Problem(None, None, "参数内容（meta、narrative、table2…）",
                                   "空文件（empty file）"))
    # A tag is written with "!", an alias with "*": without them there is nothing to look for.
    if "!" in text or "*" in text:
        _plain(node)
    if "\\" in text:  # an escape in a double-quoted scalar can write what the file may not hold
        _no_junk(node)
    return node


# PyYAML's problems as an analyst would be told them; one not listed keeps its English in brackets.
_PROBLEMS = (
    ("did not find expected ',' or ']'", "列表缺少「,」或「]」（方括号未闭合，或逗号写成了全角？）"),
    ("did not find expected ',' or '}'", "映射缺少「,」或「}」（花括号未闭合？）"),
    ("did not find expected key", "此处应为「键: 值」（缩进不一致，或上一行未写完？）"),
    ("did not find expected node content", "此处缺少内容（括号、引号未闭合，或多了符号？）"),
    ("did not find expected '-' indicator", "列表项应以「- 」开头（缩进不一致？）"),
    ("could not find expected ':'", "缺少「:」（键后应有冒号和空格）"),
    ("mapping values are not allowed", "此处不能有「: 」（冒号后有空格时要加引号，或缩进错误）"),
    ("found character '\\t' that cannot start any token", "不能用制表符（Tab）缩进，请用空格"),
    ("found character that cannot start any token", "此处的字符不能开头（用了 Tab 缩进，或值以 @、` 开头而没加引号？）"),
    ("found unexpected end of stream", "文件意外结束（引号或括号未闭合）"),
    ("found unknown escape character", "双引号中有未知的转义字符（\\ 后的字符），请改用单引号或去掉 \\"),
    ("expected <block end>, but found", "缩进不一致（此行与上面的行没有对齐）"),
    ("found undefined alias", "使用了未定义的别名（*）"),
    ("found unexpected ':'", "多了一个「:」"),
    ("expected a comment or a line break", "此处应换行（一行写了两个值？）"),
    ("found a tab character that violates indentation", "不能用制表符（Tab）缩进，请用空格"),
)


def in_chinese(problem: str) -> str:
    """A PyYAML problem in Chinese (the English kept in brackets when it is not one we know)."""
    return next((zh for en, zh in _PROBLEMS if problem.startswith(en)), f"（{problem}）")


def _no_junk(node: yaml.Node) -> None:
    """No control character or non-character written as an escape ("\\e", "\\uFFFE"): YAML
    accepts them so, but no report means them and the XML of a Word form cannot hold them.
    (Aliases were refused before, by _plain: each node is visited once.)"""
    for n in _nodes(node):
        if isinstance(n, yaml.ScalarNode) and n.style == '"' and (bad := JUNK.search(n.value)):
            raise ProblemFound(Problem(line_of(n), None, "可打印的文本（printable text）",
                                       f"转义写成的控制字符或非字符 U+{ord(bad.group()):04X}"))


def _plain(node: yaml.Node) -> None:
    """No tags (the kit constructs nothing from them) and no aliases: a params file has no use
    for them, and an alias repeated inside aliases (a "billion laughs") expands without bound.
    Each node is visited once."""
    seen = set()
    for n in _nodes(node):
        if id(n) in seen:  # a node reached twice is an alias
            raise ProblemFound(Problem(line_of(n), None, "不使用锚点与别名（& 和 *）的参数",
                                       "YAML 别名（alias）"))
        seen.add(id(n))
        if n.tag not in ALLOWED_TAGS:
            raise ProblemFound(Problem(line_of(n), None, "普通的 YAML 值（plain YAML values）",
                                       f"不允许的标签 {n.tag[:40]}（tags are not allowed）"))


def _nodes(node: yaml.Node):
    """Every node under ``node``, depth first; an alias's node as often as it is reached (the
    caller stops at the second time: _plain)."""
    stack = [node]
    while stack:
        n = stack.pop()
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
        if not isinstance(key_node, yaml.ScalarNode):  # never printed: it may nest without end
            self.problems.append(Problem(line_of(key_node), self.field or "（文件）",
                                         "文本的键（a key is text）", describe(key_node)))
            return
        key = key_node.value[:60]
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
