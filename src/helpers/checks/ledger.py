"""What the kit does with a counted ledger (ledgercount.py): table 三 and 四 cells the params
left blank filled from the count and marked; typed cells compared with it (LEDGER-T3, LEDGER-T4,
naming the ledger rows behind the count); each record the count could not take named at its cell
(LEDGER-RECORD); last year's open requests followed into this year's by 编号 (X-LEDGER); and what
the report's annex says of the legal time.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from ..formats.ledger import REQUESTS_SHEET
from ..model import Location, Table, TownshipYear, is_number
from .base import Context, Violation, cell_location
from .ledgercount import LEDGER_TABLES, count


# -- the params' tables filled, and compared ------------------------------------------------------
def with_counted(doc: TownshipYear) -> TownshipYear:
    """``doc`` with every table 三 and 四 cell it left blank filled from its ledger's count, each
    marked as counted (``doc.counted``: field → the ledger rows)."""
    if doc.ledger is None:
        return doc
    counted = count(doc.ledger, doc.spec.key, doc.meta.year)
    tables, marks = dict(doc.tables), {}
    for key in LEDGER_TABLES:
        table = doc.tables[key]
        cells = dict(table.cells)
        for (row, col), n in counted.cells[key].items():
            if (row, col) in cells and cells[(row, col)] is None:
                cells[(row, col)] = n
                marks[f"{key}.{row}.{col}"] = f"据台账计数（{rows_text(counted.behind.get(f'{key}.{row}.{col}', ()))}）"
        tables[key] = Table(table.spec, cells)
    return replace(doc, tables=tables, counted=marks)


def rows_text(rows: tuple[int, ...], most: int = 12) -> str:
    """台账第 12、17、30 行 (the first dozen, then how many in all); 台账中没有 when none."""
    if not rows:
        return "台账中没有"
    return "台账第 " + "、".join(str(r) for r in rows[:most]) + (
        f" 等 {len(rows)} 行" if len(rows) > most else " 行")


def ledger_record(ctx: Context) -> Iterator[Violation]:
    """LEDGER-RECORD: each record the count could not take as typed, at its sheet's cell."""
    if ctx.doc.ledger is None:
        return
    for p in count(ctx.doc.ledger, ctx.doc.spec.key, ctx.doc.meta.year).problems:
        tail = "" if p.counted else "；此行未计入表三、表四"
        part = "requests" if p.sheet == REQUESTS_SHEET else "cases"
        yield Violation(f"台账 {p.cell}「{p.column.label}」：应为{p.expected}，实际为 {p.found}{tail}",
                        # the id names the record's sheet row and column: ledger.requests.9.received
                        Location(row=f"{p.sheet}第 {p.row} 行", column=p.column.label,
                                 field=f"ledger.{part}.{p.row}.{p.column.key}", line=p.line, origin=p.cell),
                        p.expected, p.found)


def _compare(ctx: Context, key: str) -> Iterator[Violation]:
    doc = ctx.doc
    if doc.ledger is None:
        return
    counted = count(doc.ledger, doc.spec.key, doc.meta.year)
    table = doc.tables[key]
    for row in table.spec.rows:
        for col in row.columns:
            field = f"{key}.{row.key}.{col.key}"
            typed = table.cells.get((row.key, col.key))
            if row.derived or col.derived or field in doc.counted or not is_number(typed):
                continue
            n = counted.cells[key][(row.key, col.key)]
            if typed != n:
                yield Violation(f"台账计 {n} 件（{rows_text(counted.behind.get(field, ()))}），表中为 {typed} 件",
                                cell_location(doc, table.spec, row, col.label, col.key), str(n), str(typed))


def ledger_t3(ctx: Context) -> Iterator[Violation]:
    """LEDGER-T3: a table 三 cell the params give differs from the ledger's count."""
    return _compare(ctx, "table3")


def ledger_t4(ctx: Context) -> Iterator[Violation]:
    """LEDGER-T4: a table 四 cell the params give differs from the ledger's count."""
    return _compare(ctx, "table4")


def x_ledger(ctx: Context) -> Iterator[Violation]:
    """X-LEDGER: last year's requests open on 12月31日 are this year's 上年结转, one by one, by 编号."""
    doc, prev = ctx.doc, ctx.previous
    if doc.ledger is None or prev is None or prev.ledger is None:
        return
    was_open = {r.no: r for r in count(prev.ledger, prev.spec.key, prev.meta.year).open if r.no}
    now = {r.no: r for r in count(doc.ledger, doc.spec.key, doc.meta.year).carried if r.no}
    where = Location(field="ledger.requests", line=doc.line("ledger"))
    for no, r in was_open.items():
        if no not in now:
            yield Violation(f"{prev.meta.year} 年台账第 {r.row} 行（编号 {no}）12月31日未办结，本年台账未列为上年结转",
                            replace(where, sentence=f"编号 {no}"), f"编号 {no} 列入本年台账", "未列入")
    for no, r in now.items():
        if no not in was_open:
            yield Violation(f"本年台账第 {r.row} 行（编号 {no}）于 {r.received.isoformat()} 收到、列为上年结转，"
                            f"但 {prev.meta.year} 年台账中没有该编号未办结的申请",
                            replace(where, sentence=f"编号 {no}", line=_line_of(doc, r.row) or where.line),
                            "上年台账 12月31日未办结的申请", f"编号 {no}")


def _line_of(doc: TownshipYear, row: int) -> int | None:
    return next((r.line for r in doc.ledger.requests if r.row == row), None)


def timeliness(doc: TownshipYear) -> dict | None:
    """What the report's annex says of the ledger: answered in the year and within the legal
    time, those late (listed), those open past the year; None without a ledger."""
    if doc.ledger is None:
        return None
    c = count(doc.ledger, doc.spec.key, doc.meta.year)
    answered = [t for t in c.answered if t.late is not None]
    late = [t for t in c.timings if t.late]
    return {
        "answered": len(answered), "on_time": sum(1 for t in answered if not t.late),
        "late": [{"no": t.request.no, "row": t.request.row, "received": t.request.received.isoformat(),
                  "deadline": t.deadline.isoformat(), "estimated": t.estimated,
                  "answered": t.request.answered.isoformat() if t.request.answered else None}
                 for t in late],
        "open": [{"no": r.no, "row": r.row, "received": r.received.isoformat(), "content": r.content}
                 for r in c.open],
        "open_cases": [{"no": k.no, "row": k.row} for k in c.open_cases],
        "file": doc.ledger.file,
    }
