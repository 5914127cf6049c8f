"""Write a township-year back as a params file, in the layout analysts edit (docs/params.md).

Used by the importer and the demo data, and by tests to round-trip. The text is built line by
line (not yaml.dump) so the file keeps the compact one-row-per-line tables and Chinese comments.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Callable, Sequence

from ..errors import OutputExists, OutputNameError
from ..formats import TableSpec
from ..formats.ledger import CASE_COLUMNS, REQUEST_COLUMNS
from ..model import Invalid, Ledger, Review, Source, Table, TownshipYear, Value, row_label
from ..paths import name_problem, scratch_prefix
from .cellvalue import JUNK
from .load import SOURCE_ORIGINS, SOURCE_PATHS, SOURCE_TEXT

_PLAIN = re.compile(r"[\w\u3000-\u303f\u4e00-\u9fff\uff00-\uffef（）·、\-]+")
# What YAML lets a file hold (YAML 1.1 §5.1); anything else is written as an escape.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar of ``text`` that any YAML reader accepts."""
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000
                         else f"\\U{ord(m.group()):08x}", json.dumps(text, ensure_ascii=False))
_INDENT = "  "


def scalar(value) -> str:
    """A YAML scalar for a meta value: plain where that reads back the same, else quoted."""
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not text[0].isdigit() and text.lower() not in (
            "true", "false", "yes", "no", "on", "off", "null", "y", "n"):
        return text
    return quoted(text)  # JSON strings are YAML double-quoted scalars


def cell(value: Value) -> str:
    if value is None:
        return "~"
    if isinstance(value, Invalid):
        return quoted(value.raw)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def text_block(text: str, indent: str) -> str:
    """A literal block (|) when the text allows it, so each paragraph is one line in the file."""
    if not text:
        return '""'
    lines = text.split("\n")
    if any(line != line.strip() or not line.isprintable() or _NOT_YAML.search(line)
           for line in lines if line):
        return quoted(text)
    return "|\n" + "\n".join(indent + line if line else "" for line in lines)


def format_params(doc: TownshipYear, header: str = "") -> str:
    """The params file text for ``doc``."""
    m = doc.meta
    # a comment holds no character YAML refuses (a file or sheet name may): each line its own
    out = [f"# {line}" if line else "#" for line in JUNK.sub("", header).splitlines()]
    out += ["meta:"]
    for key in ("unit", "township", "county", "city", "province", "kind", "year", "format",
                "published"):
        value = getattr(m, key)
        if value is not None:
            out.append(f"{_INDENT}{key}: {scalar(value)}")
    if m.sample:
        out.append(f"{_INDENT}sample: true          # 示例数据（synthetic）")
    if m.carried_from:
        out.append(f"{_INDENT}carried_from: {m.carried_from}    # 由上年报告生成（nianbao new-year）")
    if doc.source:
        out += ["", *_source_lines(doc.source)]
    out += ["", "narrative:"]
    for sec in doc.spec.sections:
        if sec.subsections:
            out.append(f"{_INDENT}{sec.key}:  # {sec.title}")
            out.append(f"{_INDENT * 2}intro: {text_block(doc.narrative.get(sec.key, ''), _INDENT * 3)}")
            for sub in sec.subsections:
                text = doc.narrative.get(f"{sec.key}.{sub.key}", "")
                out.append(f"{_INDENT * 2}{sub.key}: {text_block(text, _INDENT * 3)}  # {sub.title}"
                           if not text else f"{_INDENT * 2}{sub.key}: {text_block(text, _INDENT * 3)}")
        elif doc.narrative.get(sec.key) or not sec.table:
            out.append(f"{_INDENT}{sec.key}: {text_block(doc.narrative.get(sec.key, ''), _INDENT * 2)}")
    for table in doc.tables.values():
        out += ["", f"# {table.spec.number}、{table.spec.title}"] + _table_lines(table)
    if doc.ledger:
        out += ["", *ledger_lines(doc.ledger)]
    if doc.reviews:
        out += ["", *review_lines(doc.reviews)]
    return "\n".join(out) + "\n"


def ledger_lines(ledger: Ledger) -> list[str]:
    """The ``ledger:`` block: the workbook, then each record on a line, keyed by its sheet row."""
    out = ["ledger:                       # 依申请公开台账（nianbao import）：表三、表四据此计数",
           f"{_INDENT}file: {quoted(ledger.file)}", f"{_INDENT}sha256: {ledger.sha256}"]
    for key, records, columns in (("requests", ledger.requests, REQUEST_COLUMNS),
                                  ("cases", ledger.cases, CASE_COLUMNS)):
        out.append(f"{_INDENT}{key}:{' ' * (28 - len(key))}# 行号: [{', '.join(c.label for c in columns)}]")
        out += [f"{_INDENT * 2}{r.row}: [{', '.join('~' if v is None else quoted(v) for v in r.values)}]"
                for r in records]
    return out


def with_block(text: str, key: str, lines: list[str]) -> str:
    """``text`` (a params file) with its top-level ``key:`` block replaced by ``lines`` —
    appended when it has none, dropped when ``lines`` is empty. Every other line stays as typed,
    comments included."""
    import yaml

    from .yamlnodes import _Loader, _wide_indents

    lines_in = text.splitlines(keepends=True)
    root = yaml.compose(_wide_indents(text, []), Loader=_Loader)  # the same lines, indents read
    span = None
    for name, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            span = (name.start_mark.line, _last_line(value) + 1)
    end = "\r\n" if "\r\n" in text else "\n"  # as the file's own lines end
    block = [line + end for line in lines]
    if span is None:
        if lines_in and not lines_in[-1].endswith("\n"):
            lines_in[-1] += end
        return "".join(lines_in + ([end] if lines_in and lines_in[-1].strip() and block else []) + block)
    return "".join(lines_in[:span[0]] + block + lines_in[span[1]:])


def review_lines(reviews: Sequence[Review]) -> list[str]:
    """The ``reviews:`` block: each finding's id, then its verdict, reason, who and when."""
    out = ["reviews:                      # 审核记录（nianbao review）：问题编号 → 结论、理由、审核人、日期"]
    for review in reviews:
        out.append(f"{_INDENT}{quoted(review.finding)}:")
        out.append(f"{_INDENT * 2}verdict: {review.verdict}")
        if review.reason:
            out.append(f"{_INDENT * 2}reason: {quoted(review.reason)}")
        out += [f"{_INDENT * 2}by: {quoted(review.by)}", f"{_INDENT * 2}date: {review.date}"]
    return out


# The parts of a params file a block may be: everything else must read back unchanged
BLOCKS = ("meta", "narrative", "tables", "source", "reviews", "ledger")


def rewrite_block(path: Path, key: str, lines: list[str],
                  reads_as_meant: Callable[[TownshipYear], bool]) -> bool:
    """Replace the ``key:`` block of the params file at ``path`` by ``lines`` (``with_block``),
    every other line as typed. The new text is loaded back whole before it takes the file's place:
    every other part must read as the file does now, and ``reads_as_meant`` must accept the block;
    a file changed meanwhile is left alone (RewriteRefused, nothing written). Returns False when
    the file was not UTF-8: it is written as UTF-8, the one encoding the kit writes."""
    from ..errors import ParamsError, RewriteRefused
    from .load import load_params
    from .yamlnodes import text_of

    data = path.read_bytes()
    before = load_params(path)  # the file as written, not a report made from it (ledger counts)
    others = [k for k in BLOCKS if k != key]

    def as_meant(tmp: Path) -> None:
        try:
            back = load_params(tmp)
        except ParamsError as exc:  # our writing, not the analyst's file: never put in place
            raise RewriteRefused(str(path), f"写出的文件无法读回（{exc.problems[:1]}）") from None
        if any(getattr(back, k) != getattr(before, k) for k in others) or not reads_as_meant(back):
            raise RewriteRefused(str(path), "写出的文件读回后与原文件内容不一致")
        if path.read_bytes() != data:
            raise RewriteRefused(str(path), "文件在写入期间被修改，请重新运行")

    write_atomic(path, with_block(text_of(data), key, lines), check=as_meant)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _last_line(node) -> int:
    """The (0-based) last line a node's own text is on: a block ends where the next key starts,
    after any comment lines between, which belong to what follows."""
    import yaml

    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and node.flow_style is not True:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def _source_lines(src: Source) -> list[str]:
    out = ["source:                       # 导入来源（written by nianbao import）"]
    for key in SOURCE_TEXT:
        out.append(f"{_INDENT}{key}: {scalar(getattr(src, key))}")
    notes = {"not_reached": "原文截断，未读到（不是空白）", "unread": "无法确定地读出，未填入",
             "decoded": "连写数字按本行总计唯一拆出（解码）"}
    for key in SOURCE_PATHS:
        paths, note = getattr(src, key), notes[key]
        out.append(f"{_INDENT}{key}: [{', '.join(paths)}]" + (f"  # {note}" if paths else ""))
    if src.preface:  # the checks read it (统计期限, the unit's words); the kit prints its own
        out.append(f"{_INDENT}preface: {text_block(src.preface, _INDENT * 2)}")
    if src.origins:
        out.append(f"{_INDENT}{SOURCE_ORIGINS}:                     # 各项的来源位置（findings name them）")
        out += [f"{_INDENT * 2}{key}: {scalar(where)}" for key, where in src.origins.items()]
    return out


def _table_lines(table: Table) -> list[str]:
    spec: TableSpec = table.spec
    width = max(len(r.key) for r in spec.rows) + 1
    lines = [f"{spec.key}:"]
    columns = None
    for row in spec.rows:
        if row.columns != columns:
            columns = row.columns
            lines.append(f"{_INDENT}# 列：{' '.join(c.label for c in columns)}")
        given = [c for c in row.columns if table.given(row.key, c.key)]
        if not given:
            continue  # a derived row left out
        values = [cell(table.cells[(row.key, c.key)]) for c in given]
        body = values[0] if len(row.columns) == 1 else f"[{', '.join(values)}]"
        lines.append(f"{_INDENT}{(row.key + ':').ljust(width)} {body}  # {row_label(spec, row)}")
    return lines


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unnameable(path: Path) -> OutputNameError | None:
    """Why an output at ``path`` cannot exist (paths.name_problem), as the error to raise."""
    problem = name_problem(Path(path).name)
    return OutputNameError(str(path), problem) if problem is not None else None


def write_atomic(path: Path, text: str | bytes, *, exclusive: bool = False,
                 check: Callable[[Path], object] | None = None) -> None:
    """Write ``text`` (or bytes) to ``path`` through a temporary file and a rename: never
    half-written.

    ``check`` is called with the temporary file once it is whole (it raises to refuse it: what
    is written must read back). ``exclusive``: ``path`` must not exist, and of two writers at
    once only one wins — the other gets OutputExists, its text never replacing the first's.
    """
    if (bad := unnameable(path)) is not None:
        raise bad
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp adds 8 characters and the suffix to the prefix
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=scratch_prefix(path.name, 8 + len(".tmp")),
                               suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as f:
                f.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is for sharing
        if check is not None:
            check(Path(tmp))
        if exclusive:
            _link_new(Path(tmp), path)
        else:
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _link_new(tmp: Path, path: Path) -> None:
    """``tmp`` in place as ``path`` only if no file is there: a hard link fails when the name is
    taken, atomically, where an exists-then-rename would let two writers both win."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExists(str(path)) from None
    except OSError as exc:  # a file system without hard links: claim the name, then fill it
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            raise OutputExists(str(path)) from None
        os.replace(tmp, path)
