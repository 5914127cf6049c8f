"""IMPORT-TRUNCATED and IMPORT-UNREAD: what an imported report's text did not let us read.

A cell the published text never reached, or printed but not readable with certainty, is recorded
in the params' ``source:`` block. These rules report it once per table or section, so the reader
knows which parts of the report were not checked — never as a blank cell (CELL-BLANK).
"""

from __future__ import annotations

from typing import Iterator

from ..model import Location, TownshipYear, row_label
from .base import Context, Violation


def describe_paths(doc: TownshipYear, paths: tuple[str, ...]) -> dict[str, list[str]]:
    """Paths by table or section; a table's by row, each shown by its official label."""
    out: dict[str, list[str]] = {}
    cells: dict[tuple[str, str], list[str]] = {}
    for path in paths:
        head, _, rest = path.partition(".")
        if head == "narrative":
            out.setdefault(next(s.title for s in doc.spec.sections if s.key == rest), [])
            continue
        out.setdefault(f"表{doc.tables[head].spec.number}", [])
        if rest:
            row, _, col = rest.partition(".")
            cells.setdefault((head, row), []).append(col)
    for (head, row_key), cols in cells.items():
        table = doc.tables[head].spec
        row = table.row(row_key)
        label = row_label(table, row)
        if len(cols) == 1 and cols[0]:
            label += "·" + row.column(cols[0]).label
        elif cols[0]:
            label += f"（{len(cols)} 格）"
        out[f"表{table.number}"].append(label)
    return out


def _violations(doc: TownshipYear, key: str, message: str, found: str) -> Iterator[Violation]:
    paths = getattr(doc.source, key)
    field, line = f"source.{key}", doc.line("source", key)
    for where, labels in describe_paths(doc, paths).items():
        shown = "、".join(f"「{x}」" for x in labels[:6])
        if len(labels) > 6:
            shown += f" 等 {len(labels)} 处"
        location = (Location(table=where[1:], field=field, line=line) if where.startswith("表")
                    else Location(section=where, field=field, line=line))
        yield Violation(message, location, "读到全部内容", found + (f"：{shown}" if shown else "（整体）"))


def import_truncated(ctx: Context) -> Iterator[Violation]:
    """The imported text stops before these tables, rows or sections: they were not checked."""
    doc = ctx.doc
    if doc.source and doc.source.not_reached:
        yield from _violations(doc, "not_reached",
                               "导入的原文在此处截断，以下内容未读到（未核验，不是空白）（truncated import）",
                               "未读到")


def import_unread(ctx: Context) -> Iterator[Violation]:
    """Printed but not readable with certainty (labels unmatched, numbers not splitting into the
    columns): left out rather than guessed."""
    doc = ctx.doc
    if doc.source and doc.source.unread:
        yield from _violations(doc, "unread",
                               "原文此处无法确定地读出，未填入（not read with certainty）",
                               "无法确定")
