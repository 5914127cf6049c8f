"""The index pages of a build: one per year listing every township the county file expects, and
one on top; plus each year's key figures as CSV (pandas) for the spreadsheet users."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from .checks.run import CheckRun, check_one, check_paths
from .county import load_county
from .errors import ParamsError
from .figures import proactive_items
from .model import CheckReport, TownshipYear
from .pages import FIGURE_HEADERS, IndexRow, index_page, top_page
from .paths import safe_name
from .plan import Plan, Task
from .write import write_atomic

PASS, WARN, FAIL, ERROR, MISSING = "通过", "有警告", "未通过", "执行失败", "缺少数据"
STATUSES = (PASS, WARN, FAIL, ERROR, MISSING)
CSS = {PASS: "pass", WARN: "warn", FAIL: "fail", ERROR: "error", MISSING: "missing"}
RANK = {ERROR: 0, MISSING: 1, FAIL: 2, WARN: 3, PASS: 4}
SUMMARY_CSV = "summary.csv"


def key_figures(doc: TownshipYear) -> tuple:
    """主动公开 items (from the text), applications received, handled, carried over, 复议, 诉讼."""
    t3, t4 = doc.table("table3"), doc.table("table4")
    suits = [t4.number(r, "total") for r in ("suit_direct", "suit_after")]
    text = "\n".join(doc.narrative.values())
    return (proactive_items(text), t3.number("new", "total"), t3.number("results_total", "total"),
            t3.number("carry_forward", "total"), t4.number("review", "total"),
            None if None in suits else sum(suits))


def _status(report: CheckReport, entry: dict | None) -> tuple[str, str]:
    if entry and entry.get("status") == "failed":
        return ERROR, entry.get("reason", "")
    if report.errors:
        return FAIL, ""
    return (WARN if report.warnings else PASS), ""


def _link(target: Path, folder: Path) -> str | None:
    return os.path.relpath(target, folder) if target.exists() else None


def _row(task: Task, doc: TownshipYear, report: CheckReport, manifest: dict, folder: Path) -> IndexRow:
    status, reason = _status(report, manifest.get(task.key))
    return IndexRow(doc.meta.township, status, CSS[status], RANK[status], key_figures(doc),
                    len(report.errors), len(report.warnings), _link(task.html, folder),
                    _link(task.notebook, folder), reason, doc.meta.sample)


def prepare_index(params_dir: Path) -> CheckRun:
    """The checks the index shows (and pandas, which the CSV needs), before the reports exist."""
    import pandas  # noqa: F401 - imported here, off the critical path

    return check_paths([params_dir])


def write_indexes(plan: Plan, results: dict, manifest: dict,
                  checked: CheckRun | None = None) -> tuple[Path, dict[str, int]]:
    """Write every year's index, the CSV and the top index; return its path and the counts."""
    checked = checked or check_paths([plan.params_dir])
    reports = {Path(r.path): r for r in checked.reports}
    county = _county(plan)
    tasks = {t.params: t for t in plan.tasks}
    years = sorted({d.meta.year for d in plan.docs.values()} | set(county.expected if county else ()))
    totals: Counter = Counter()
    year_links = []
    sample = any(d.meta.sample for d in plan.docs.values())
    for year in years:
        folder = plan.out / str(year)
        rows, rollup = [], None
        for path, doc in sorted(plan.docs.items(), key=lambda kv: kv[1].meta.township):
            if doc.meta.year != year:
                continue
            task = tasks.get(path) or _task_for(plan, path, doc)
            rows.append(_row(task, doc, reports[path], manifest, folder))
        rows += _unreadable_rows(plan, year, folder)
        have = {r.township for r in rows}
        for name in (county.expected.get(year, ()) if county else ()):
            if name not in have:
                rows.append(IndexRow(name, MISSING, CSS[MISSING], RANK[MISSING], (None,) * 6,
                                     reason=f"缺少参数文件 {name}_{year}.yaml"))
        rows.sort(key=lambda r: (r.rank, r.township))
        for task in (t for t in plan.tasks if t.rollup_of and t.year == year):
            doc, report = check_one(task.params)
            status, _ = _status(report, manifest.get(task.key))
            rollup = {"name": doc.meta.unit, "href": _link(task.html, folder) or "#", "status": status}
        counts = Counter(r.status for r in rows)
        totals.update(counts)
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(folder / SUMMARY_CSV, rows)
        title = f"{county.name if county else ''}{year}年政府信息公开工作年度报告 · 索引"
        write_atomic(folder / "index.html", index_page(
            title, rows, [(s, counts[s]) for s in STATUSES if counts[s]], rollup, SUMMARY_CSV, sample))
        year_links.append({"year": year, "href": f"{year}/index.html", "counts": dict(counts),
                           "rollup": f"{year}/{rollup['href']}" if rollup else None})
    top = plan.out / "index.html"
    write_atomic(top, top_page(f"{county.name if county else ''}政府信息公开工作年度报告 · 总索引",
                               year_links, STATUSES, sample))
    return top, dict(totals)


def _unreadable_rows(plan: Plan, year: int, folder: Path) -> list[IndexRow]:
    """Params files that could not be read, placed by their name (<township>_<year>.yaml)."""
    rows = []
    for task in plan.tasks:
        township, _, stem_year = task.params.stem.rpartition("_")
        if task.error is None or stem_year != str(year) or not township:
            continue
        reason = "参数文件无法读取：" + "；".join(
            p.describe(task.params.name) for p in task.error.problems[:3])
        rows.append(IndexRow(township, ERROR, CSS[ERROR], RANK[ERROR], (None,) * 6, reason=reason,
                             html=_link(task.html, folder)))
    return rows


def _county(plan: Plan):
    if plan.county is None:
        return None
    try:
        return load_county(plan.county)
    except ParamsError:
        return None


def _task_for(plan: Plan, path: Path, doc: TownshipYear) -> Task:
    """Where an earlier build put the report of a township this build did not select."""
    return Task(path, safe_name(path.stem), doc.meta.year, doc.meta.township,
                plan.out / str(doc.meta.year), "")


def _write_csv(path: Path, rows: list[IndexRow]) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        [(r.township, r.status, *r.figures, r.errors, r.warnings, r.reason) for r in rows],
        columns=["乡镇（街道）", "状态", *(h for h, _ in FIGURE_HEADERS), "错误", "警告", "原因"])
    write_atomic(path, "\ufeff" + frame.to_csv(index=False))  # BOM: Excel reads it as UTF-8
