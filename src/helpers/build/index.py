"""The index pages of a build: one per year listing every township the county file expects, and
one on top; plus each year's key figures as CSV (pandas) for the spreadsheet users.

A report's status and counts come from its run (the worker's result, kept in the manifest), so
the index shows what the report shows and checks nothing again; only a township this build never
ran (not selected, never built) is checked here, through the county folder of the plan.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..checks.folder import CountyFolder
from ..checks.ledger import timeliness
from ..errors import ParamsError
from ..model import EXPLAINED, FALSE_POSITIVE, TownshipYear
from ..params.load import load_params
from ..params.write import write_atomic
from ..paths import safe_name, safe_part
from ..report.document import ANSWERED_COUNTS
from ..report.status import (BUILD_FAILED, BY_KEY, MISSING, REJECTED, STATUSES, Status, check_status,
                             with_answered)
from ..year.board import Board, Fresh, YearBoard, board_path, load_board, year_board
from ..year.countybook import county_workbook
from ..year.spreadsheet import csv_field
from ..year.trends import chart, county_trend, key_figures, trend
from .pages import ANSWERED_HEADS, FIGURE_HEADERS, NO_FIGURES, IndexRow, index_page, top_page, trend_page
from .plan import Plan, Task

SUMMARY_CSV = "summary.csv"
TIMELY_HEADS = ("按时答复", "答复")  # from the request ledger: within the legal time, of all answered
LINK_TEXT = {"html": "报告"}  # other forms are linked by their kind (DOCX, PDF)


@dataclass(frozen=True)
class TaskState:
    """A report's state on the index: its status, counts of open errors and warnings, of findings
    no review answers, of those cleared as 已说明 and 误报, and why a form is missing."""

    status: Status
    errors: int = 0
    warnings: int = 0
    open: int = 0
    explained: int = 0
    false_positives: int = 0
    reason: str = ""


def task_state(plan: Plan, task: Task, entry: dict | None) -> TaskState:
    """From the report's run, else checked here."""
    if entry and entry.get("status") == "failed":
        return TaskState(BUILD_FAILED, reason=entry.get("reason", ""))
    if entry and entry.get("check") in BY_KEY:
        failed = entry.get("forms_failed") or {}
        reason = "；".join(f"{kind.upper()} 未生成：{why.splitlines()[0][:120]}" for kind, why in failed.items())
        counts = {k: entry.get(k, 0) for k in ("errors", "warnings", *ANSWERED_COUNTS)}
        status = with_answered(BY_KEY[entry["check"]], counts["explained"], counts["false_positives"])
        return TaskState(status, **counts, reason=reason)
    folder = plan.folder if task.params in plan.docs else CountyFolder.open_file(task.params)
    report = folder.report(task.params)  # a roll-up's params are the build's, not the folder's
    return TaskState(check_status(report), len(report.errors), len(report.warnings), len(report.open),
                     report.counted(EXPLAINED), report.counted(FALSE_POSITIVE))


def _link(target: Path, folder: Path) -> str | None:
    return os.path.relpath(target, folder) if target.exists() else None


def _links(task: Task, folder: Path) -> tuple[tuple[str, str], ...]:
    """The report's page, then every other form written."""
    found = [(LINK_TEXT["html"], _link(task.page, folder))]
    found += [(LINK_TEXT.get(kind, kind.upper()), _link(path, folder))
              for kind, path in task.targets.items() if path != task.page]
    return tuple((what, href) for what, href in found if href)


def _row(plan: Plan, task: Task, doc: TownshipYear, manifest: dict, folder: Path,
         trends: dict[str, Path]) -> IndexRow:
    state = task_state(plan, task, manifest.get(task.key))
    page = trends.get(doc.meta.unit)
    return IndexRow(doc.meta.township, state.status, key_figures(doc), state.errors, state.warnings,
                    _links(task, folder), _link(task.notebook, folder), state.reason, doc.meta.sample,
                    os.path.relpath(page, folder) if page else None,
                    (state.open, state.explained, state.false_positives), timely(doc))


def timely(doc: TownshipYear) -> tuple[int, int] | None:
    """(answered within the legal time, answered), from the report's ledger; None without one or
    with no answer in the year."""
    t = timeliness(doc)
    return (t["on_time"], t["answered"]) if t and t["answered"] else None


def year_rows(plan: Plan, manifest: dict, year: int, trends: dict[str, Path] | None = None) -> list[IndexRow]:
    """Every township of ``year`` the county expects or has params for, with its status, figures
    and forms (links relative to the year's folder), what needs attention first."""
    county = plan.county_spec
    folder = plan.year_folder(year)
    tasks = {t.params: t for t in plan.tasks}
    rows = []
    for path, doc in sorted(plan.docs.items(), key=lambda kv: kv[1].meta.township):
        if doc.meta.year == year:
            task = tasks.get(path) or _task_for(plan, path, doc)
            rows.append(_row(plan, task, doc, manifest, folder, trends or {}))
    rows += _unreadable_rows(plan, year, folder)
    have = {r.township for r in rows}
    for name in (county.expected.get(year, ()) if county else ()):
        if name not in have:
            rows.append(IndexRow(name, MISSING, NO_FIGURES, reason=f"缺少参数文件 {name}_{year}.yaml"))
    return sorted(rows, key=lambda r: (r.status.rank, r.township))


def prepare_index() -> None:
    """What the index needs before the reports exist (pandas, for the CSV): imported beside the
    workers, off the critical path."""
    import pandas  # noqa: F401


def _years(plan: Plan) -> list[int]:
    county = plan.county_spec
    return sorted({d.meta.year for d in plan.docs.values()} | set(county.expected if county else ()))


def write_workbooks(plan: Plan) -> dict[int, str | None]:
    """Every year's county workbook: year → its file name (None: no report that year). It needs
    the params and the roll-ups, not the reports, so a build writes it while the reports run."""
    return {year: _write_workbook(plan, year, plan.year_folder(year)) for year in _years(plan)}


def write_indexes(plan: Plan, manifest: dict, books: dict[int, str | None] | None = None,
                  bundled: bool = False) -> tuple[Path, dict[str, int]]:
    """Write every year's index, the CSV and the top index (and the workbooks, unless ``books``
    says they are written); return its path and the counts."""
    county = plan.county_spec
    tasks = {t.params: t for t in plan.tasks}
    years = _years(plan)
    totals: Counter = Counter()
    year_links = []
    sample = any(d.meta.sample for d in plan.docs.values())
    trends = _write_trends(plan, tasks, manifest, sample)
    fresh: dict[int, dict[str, Fresh]] = {}
    for year in years:
        folder = plan.year_folder(year)
        rows = year_rows(plan, manifest, year, trends)
        fresh[year] = {r.township: Fresh(r.status.label, r.status.key, r.answered[0])
                       for r in rows if r.status.key != MISSING.key}
        rollup = None
        for task in (t for t in plan.tasks if t.rollup_of and t.year == year):
            status = task_state(plan, task, manifest.get(task.key)).status
            rollup = {"name": task.township, "href": _link(task.page, folder) or "#", "status": status}
        counts = Counter(r.status.name for r in rows)
        totals.update(counts)
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(folder / SUMMARY_CSV, rows)
        book = books[year] if books is not None else _write_workbook(plan, year, folder)
        title = f"{county.name if county else ''}{year}年政府信息公开工作年度报告 · 索引"
        packed = bundle_name(plan, year) if bundled and any(t.year == year for t in plan.tasks) else None
        write_atomic(folder / "index.html", index_page(
            title, rows, [(s.name, counts[s.name]) for s in STATUSES if counts[s.name]], rollup,
            SUMMARY_CSV, sample, book, bundle=packed))
        year_links.append({"year": year, "href": f"{year}/index.html", "counts": dict(counts),
                           "rollup": f"{year}/{rollup['href']}" if rollup else None})
    top = plan.out / "index.html"
    whole = _county_trend(plan)
    boards, unreadable = _boards(plan, fresh)
    write_atomic(top, top_page(f"{county.name if county else ''}政府信息公开工作年度报告 · 总索引",
                               year_links, tuple(s.name for s in STATUSES), sample, whole,
                               chart(whole) if whole else None, boards, unreadable))
    return top, {s.name: totals[s.name] for s in STATUSES if totals[s.name]}


TRENDS = "trends"


def _units(plan: Plan) -> dict[str, list[TownshipYear]]:
    """Each unit's reports, one a year (a year with two files is left to COUNTY-DUPLICATE)."""
    by_unit: dict[str, dict[int, TownshipYear]] = {}
    for doc in plan.docs.values():
        by_unit.setdefault(doc.meta.unit, {}).setdefault(doc.meta.year, doc)
    return {unit: list(years.values()) for unit, years in by_unit.items()}


def _write_trends(plan: Plan, tasks: dict[Path, Task], manifest: dict, sample: bool) -> dict[str, Path]:
    """A trend page for every unit with two years or more: unit → its page."""
    out = {}
    for unit, docs in sorted(_units(plan).items()):
        if len(docs) < 2:
            continue
        name = docs[0].meta.township
        page = plan.out / TRENDS / f"{safe_name(name) if safe_part(name) else safe_name(unit)}.html"
        reports = [(d.meta.year, os.path.relpath(
            (tasks.get(Path(d.path)) or _task_for(plan, Path(d.path), d)).page, page.parent))
                   for d in sorted(docs, key=lambda d: d.meta.year)]
        failed = {d.meta.year: task_state(plan, task, manifest.get(task.key)).status is REJECTED
                  for d in docs for task in [tasks.get(Path(d.path)) or _task_for(plan, Path(d.path), d)]}
        t = trend(name, docs, failed)
        write_atomic(page, trend_page(f"{name}政府信息公开工作历年情况", t, chart(t), reports, sample))
        out[unit] = page
    return out


def _boards(plan: Plan, fresh: dict[int, dict[str, Fresh]]) -> tuple[list[YearBoard], str | None]:
    """Each year's board (newest first), with each township's state as this build found it; and
    why the board file could not be read, when it could not (the index is written all the same)."""
    county = plan.county_spec
    if county is None:
        return [], None
    try:
        board = load_board(plan.params_dir)
    except ParamsError as exc:
        board, unreadable = Board(board_path(plan.params_dir), {}), str(exc)
    else:
        unreadable = None
    years = sorted(set(county.expected) | set(fresh), reverse=True)
    return [year_board(county, board, y, fresh.get(y, {})) for y in years], unreadable


def _county_trend(plan: Plan):
    """The county's figures over its years, on the top index (two years or more)."""
    county = plan.county_spec
    docs = [d for d in plan.docs.values() if county is None or d.meta.county == county.name]
    whole = county_trend(county.name if county else "全县", docs, county.expected if county else None)
    return whole if len(whole.years) >= 2 else None


def _unreadable_rows(plan: Plan, year: int, folder: Path) -> list[IndexRow]:
    """Params files that could not be read, placed by their name (<township>_<year>.yaml)."""
    rows = []
    for task in plan.tasks:
        township, _, stem_year = task.params.stem.rpartition("_")
        if not isinstance(task.error, ParamsError) or stem_year != str(year) or not township:
            continue
        reason = "参数文件无法读取：" + "；".join(
            p.describe(task.params.name) for p in task.error.problems[:3])
        link = _link(task.page, folder)
        rows.append(IndexRow(township, BUILD_FAILED, NO_FIGURES, reason=reason,
                             links=(("报告", link),) if link else ()))
    return rows


def _task_for(plan: Plan, path: Path, doc: TownshipYear) -> Task:
    """Where an earlier build put the report of a township this build did not select."""
    return Task(path, safe_name(path.stem), doc.meta.year, doc.meta.township,
                plan.year_folder(doc.meta.year), "")


def bundle_name(plan: Plan, year: int) -> str:
    """The year's bundle for sending upward: ``<county>_<year>_报送.zip``."""
    return workbook_name(plan, year).replace(".xlsx", "_报送.zip")


def workbook_name(plan: Plan, year: int) -> str:
    """``<county>_<year>.xlsx``; a county name that is not a plain file name is not used."""
    county = plan.county_spec
    name = county.name if county and safe_part(county.name) else "县级汇总"
    return f"{name}_{year}.xlsx"


def _write_workbook(plan: Plan, year: int, folder: Path) -> str | None:
    """The year's county workbook (every township's tables, the roll-up, the findings)."""
    docs = sorted((d for d in plan.docs.values() if d.meta.year == year), key=lambda d: d.meta.township)
    if not docs:
        return None
    task = next((t for t in plan.tasks if t.rollup_of and t.year == year), None)
    rollup = load_params(task.params) if task and task.params.exists() else None
    name = workbook_name(plan, year)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / name, county_workbook(plan.folder, docs, rollup))
    return name


def _write_csv(path: Path, rows: list[IndexRow]) -> None:
    import pandas as pd

    figures = [h for h, _ in FIGURE_HEADERS]
    counts = [h for h, kind in FIGURE_HEADERS if kind == "number"]
    frame = pd.DataFrame(
        [(csv_field(r.township), r.status.label, *r.figures, *(r.timely or (None, None)), r.errors, r.warnings,
          *r.answered, csv_field(r.reason)) for r in rows],
        columns=["乡镇（街道）", "状态", *figures, *TIMELY_HEADS, "错误", "警告", *ANSWERED_HEADS, "原因"])
    # 16, never 16.0; 按时答复 as two counts, never "5/6" (which a spreadsheet reads as 5月6日)
    frame = frame.astype({h: "Int64" for h in (*counts, *TIMELY_HEADS, "错误", "警告", *ANSWERED_HEADS)})
    write_atomic(path, "\ufeff" + frame.to_csv(index=False))  # BOM: Excel reads it as UTF-8
