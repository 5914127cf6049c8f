"""What a table's printed labels can be, from the formats package: rows to read, headers to pass over.

A label in a published copy is matched to the official one whole, split over several cells
("商业" + "企业", "（三）" + "不予公开"), or cut short ("现行有效件") when what is left still names one
label only. A piece of a longer label (a wrapped line in a PDF) is recognised as such and passed
over; anything else is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import formats
from ..formats import RowSpec, TableSpec
from .normalize import key

ROW, HEAD = "row", "head"
EXACT, SPLIT, CUT, NEAR, FRAGMENT, UNKNOWN = "exact", "split", "cut", "near", "fragment", "unknown"
MIN_CUT = 3  # a cut-short label must keep this many characters (and half the label, or
MIN_DISTINCT = 8  # this many: the first line of a long label wrapped in a narrow cell)
MAX_STRAY = 3  # characters of a vertical label a line of a PDF can put before a row's label


@dataclass(frozen=True)
class Term:
    key: str
    label: str
    kind: str  # ROW (a row to read) or HEAD (a header, a group label, a note)
    row: RowSpec | None = None


@dataclass(frozen=True)
class Match:
    term: Term | None
    end: int  # index after the last cell used
    how: str  # EXACT, SPLIT, CUT, FRAGMENT or UNKNOWN
    printed: str  # the label as printed (cells joined)


@lru_cache(maxsize=None)
def terms_of(table: TableSpec) -> tuple[Term, ...]:
    """Every label printed in ``table``: its rows (table 四's are printed as headers) and headers."""
    rows = table.key != "table4"
    out: dict[str, Term] = {}
    heads = set(table.labels) - {table.title}
    if rows:
        heads -= {row.label for row in table.rows}
    for label in sorted(heads - {""}):
        out[key(label)] = Term(key(label), label, HEAD)
    if rows:
        for row in table.rows:
            out[key(row.label)] = Term(key(row.label), row.label, ROW, row)
        for row in table.rows:  # another label a copy prints for the row, where no row has it
            for printed in row.printed_as:
                out.setdefault(key(printed), Term(key(printed), row.label, ROW, row))
    return tuple(out.values())


def distinctive(fmt: str) -> frozenset[str]:
    """Label keys of the tables that only format ``fmt`` prints (to tell 2019 from 2021)."""
    return _distinctive(fmt, formats.generation())


@lru_cache(maxsize=16)
def _distinctive(fmt: str, generation: int) -> frozenset[str]:
    def keys(f: str) -> set[str]:
        return {t.key for table in formats.FORMATS[f].tables for t in terms_of(table)}
    others = set().union(*(keys(f) for f in formats.FORMATS if f != fmt))
    return frozenset(keys(fmt) - others)


def match_label(texts: list[str], i: int, terms: tuple[Term, ...]) -> Match:
    """The label starting at ``texts[i]``, joined with the cells after it while the join is still
    the beginning of some label. ``texts`` holds the label cells' text ("" for a value cell)."""
    buffer, j, best = key(texts[i]), i + 1, None
    if buffer and not _starts(buffer, terms) and (k := _stray(texts[i], terms)):
        rest = match_label([*texts[:i], texts[i][k:], *texts[i + 1:]], i, terms)
        if rest.term is not None:
            return rest
    if term := _exact(buffer, terms):
        best = (term, j)
    while j < len(texts) and texts[j] and _starts(buffer + key(texts[j]), terms):
        buffer += key(texts[j])
        j += 1
        if term := _exact(buffer, terms):
            best = (term, j)
    printed = "".join(texts[i:best[1] if best else j])
    if best:
        return Match(best[0], best[1], EXACT if best[1] == i + 1 else SPLIT, printed)
    cut = [t for t in terms if t.key.startswith(buffer)]
    if len(cut) == 1 and len(buffer) >= max(MIN_CUT, min(len(cut[0].key) // 2, MIN_DISTINCT)):
        return Match(cut[0], j, CUT, printed)
    if (near := _near(buffer, terms)) is not None:
        return Match(near, j, NEAR, printed)
    first = key(texts[i])
    if first and any(first in t.key for t in terms):
        return Match(None, i + 1, FRAGMENT, texts[i])
    return Match(None, i + 1, UNKNOWN, texts[i])


MIN_NEAR, NEAR_RATIO, NEAR_MARGIN = 6, 0.8, 0.1


def _near(buffer: str, terms: tuple[Term, ...]) -> Term | None:
    """The one row label a printed one is, with a few characters lost or changed by the PDF
    (2.其他法律行政止公开 for 2.其他法律行政法规禁止公开): the closest by difflib's ratio, at least
    NEAR_RATIO and NEAR_MARGIN ahead of any other; None when that is not certain."""
    from difflib import SequenceMatcher

    if len(buffer) < MIN_NEAR:
        return None
    scored = sorted(((SequenceMatcher(None, buffer, t.key, autojunk=False).ratio(), t) for t in terms
                     if t.kind == ROW and abs(len(t.key) - len(buffer)) <= len(t.key) // 3),
                    key=lambda st: -st[0])
    if scored and scored[0][0] >= NEAR_RATIO and (len(scored) == 1 or scored[0][0] - scored[1][0] >= NEAR_MARGIN):
        return scored[0][1]
    return None


def _stray(text: str, terms: tuple[Term, ...]) -> int | None:
    """Where a row label starts after a few characters of a label written down a merged column
    (三、本年度办理结果 one character a line: “三、（一）予以公开”, “度（三）不予公开”), or None."""
    for k in range(1, min(MAX_STRAY, len(text)) + 1):
        head, rest = key(text[:k]), key(text[k:])
        if head and rest and any(head in t.key for t in terms if t.kind == HEAD) and _starts(rest, terms):
            return k
    return None


def _exact(buffer: str, terms: tuple[Term, ...]) -> Term | None:
    return next((t for t in terms if t.key == buffer), None)


def _starts(buffer: str, terms: tuple[Term, ...]) -> bool:
    return any(t.key.startswith(buffer) for t in terms)
