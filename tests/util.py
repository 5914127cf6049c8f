"""Test helpers: build, change and check township-years in memory."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

from helpers.checks import Context, run_rules
from helpers.formats import INFO, format_for_year, get_format
from helpers.model import Meta  # noqa: F401 (re-exported for tests)
from helpers.model import Table, TownshipYear, Value
from helpers.report.synthetic import make_report, narrative_for

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
REPORTS = DATA / "reports"
GUOJIAO = ROOT / "params" / "古郊乡_2021.yaml"
BUILT_AT = re.compile(r'<dd class="built-at">[^<]*</dd>')  # a page's build time: all that differs


def base_rows(fmt: str = "2021") -> dict:
    """A small consistent report with some of everything (applications, review, suits)."""
    t2 = ({"rules": [0, 0, 0], "normative": [2, 1, 5], "licensing": [3], "penalty": [4],
           "enforcement": [0], "fees": [Decimal("1.5")]} if fmt == "2021" else
          {"rules": [0, 0, 0], "normative": [2, 2, 9], "licensing": [5, 1, 3],
           "other_services": [2, 0, 1], "penalty": [3, 0, 4], "enforcement": [1, 0, 0],
           "fees": [2, -1], "procurement": [1, Decimal("8040")]})
    zero = [0] * 7
    t3 = {"new": [3, 1, 0, 0, 0, 0, 4], "carried_over": [1, 0, 0, 0, 0, 0, 1],
          "granted": [2, 1, 0, 0, 0, 0, 3], "partial": [1, 0, 0, 0, 0, 0, 1],
          "carry_forward": [1, 0, 0, 0, 0, 0, 1], "results_total": [3, 1, 0, 0, 0, 0, 4]}
    for row in get_format(fmt).table("table3").rows:
        t3.setdefault(row.key, list(zero))
    t4 = {"review": [1, 0, 0, 0, 1], "suit_direct": [0, 0, 0, 1, 1], "suit_after": [0] * 5}
    return {"table2": t2, "table3": t3, "table4": t4}


def report(year: int = 2021, kind: str = "乡", rows: dict | None = None, **narrative: str) -> TownshipYear:
    """A consistent report of 示例乡 for ``year``; keyword arguments replace narrative sections
    (``general__on_request`` for ``general.on_request``)."""
    fmt = format_for_year(year).key
    meta = Meta(unit="示例乡人民政府", township="示例乡", county="示例县", kind=kind, year=year,
                format=fmt, published=f"{year + 1}-01-20")
    rows = rows or base_rows(fmt)
    text = narrative_for(meta, rows) | {k.replace("__", "."): v for k, v in narrative.items()}
    return make_report(meta, rows, text)


def with_cell(doc: TownshipYear, table: str, row: str, col: str, value: Value,
              drop: bool = False) -> TownshipYear:
    """``doc`` with one cell changed (or left out, with ``drop``)."""
    cells = dict(doc.tables[table].cells)
    if drop:
        cells.pop((row, col), None)
    else:
        cells[(row, col)] = value
    tables = dict(doc.tables)
    tables[table] = Table(doc.tables[table].spec, dict(cells))
    return dataclasses.replace(doc, tables=dict(tables))


def with_meta(doc: TownshipYear, **changes) -> TownshipYear:
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, **changes))


def with_text(doc: TownshipYear, key: str, text: str) -> TownshipYear:
    return dataclasses.replace(doc, narrative={**doc.narrative, key: text})


def rules_of(doc: TownshipYear, previous: TownshipYear | None = None, **ctx) -> list[str]:
    """The rules that found something (errors and warnings: not the notes of undecided rules)."""
    return [f.rule for f in run_rules(Context(doc, previous=previous, **ctx)) if f.severity != INFO]


def notes_of(doc: TownshipYear, previous: TownshipYear | None = None, **ctx) -> list[str]:
    """The rules that say blanks leave them undecided (severity info)."""
    return [f.rule for f in run_rules(Context(doc, previous=previous, **ctx)) if f.severity == INFO]


def flat(doc: TownshipYear, previous: TownshipYear | None = None, **ctx) -> list[tuple[str, str]]:
    """Findings as (rule, field) pairs."""
    return [(f.rule, f.location.field) for f in run_rules(Context(doc, previous=previous, **ctx))]
