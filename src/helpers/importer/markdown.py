"""Reports converted to Markdown, as PDF-to-Markdown converters and OCR services write them: read
as the plain text they stand for.

`## 一、总体情况` is the heading 一、总体情况 (never a unit named “## …”), `**（一）主动公开**` the
sub-heading, `| a | b |` rows are the table's rows as any text with bars is read, the `|---|` rule
under a table's first row is not a row, `<br>` inside a cell joins the cell's wrapped lines, and
`&nbsp;` is a space. A collector's notes at the top of a saved text (`# source: …`) stay notes.
"""

from __future__ import annotations

import html
import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)")
_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.I)
_COLLECTOR = re.compile(r"^#\s*[A-Za-z][\w -]*:")  # "# source: http…", "# note: …"
_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", re.I)


def is_markdown(lines: list[str]) -> bool:
    """Text written as Markdown: a table rule, or headings marked with #."""
    headings = sum(1 for line in lines if _HEADING.match(line) and not _COLLECTOR.match(line))
    return any(_RULE.match(line) and "-" in line for line in lines) or headings >= 2


def plain(line: str) -> str | None:
    """The line as plain text; None for a line that is Markdown's own (a table's rule)."""
    if _RULE.match(line) and "-" in line:
        return None
    if (heading := _HEADING.match(line)) and not _COLLECTOR.match(line):
        line = heading.group(1)
    line = _BREAK.sub("", line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS.sub(r"\1", line)
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)).replace("\xa0", " "), line)
