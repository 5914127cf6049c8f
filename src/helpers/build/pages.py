"""The build's own pages: a failure page for a township that could not be built, and the index
pages. Self-contained and offline like the reports; the index sorts by a click when script runs
(its one inline script is allowed by hash, nothing else) and reads fine without it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from ..year.board import STEP_HEADS
from ..year.trends import KEY_COUNTS, KEY_FIGURES
from ..report.status import Status
from ..report.templating import environment
from .plan import Task

# Sort the index table by the clicked column: numbers as numbers, 通过 before 未通过 by data-sort.
SORT_SCRIPT = """
for (const table of document.querySelectorAll('table.sortable')) {
  table.querySelectorAll('thead th').forEach((th, col) => {
    const button = th.querySelector('button.sort');
    if (!button) return;
    button.addEventListener('click', () => {
      const body = table.tBodies[0];
      const up = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th').forEach(h => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      const key = row => {
        const cell = row.children[col];
        const text = cell.dataset.sort ?? cell.textContent.trim();
        const number = parseFloat(text);
        return Number.isNaN(number) ? text : number;
      };
      const rows = [...body.rows].sort((a, b) => {
        const x = key(a), y = key(b);
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
        return up ? order : -order;
      });
      body.append(...rows);
    });
  });
}
"""


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def failure_page(task: Task, reason: str) -> str:
    title = (f"{task.township} {task.year} 年度报告：执行失败" if task.year is not None
             else f"{task.params.name}：参数文件无法读取")
    return environment().get_template("failure.html.j2").render(
        title=title, task=task, reason=reason, notebook_exists=task.notebook.exists(),
        wide=False, script=None, script_hash=None)


@dataclass(frozen=True)
class IndexRow:
    township: str
    status: Status
    figures: tuple  # 主动公开 · 新收申请 · 办结 · 结转 · 复议 · 诉讼 · 予以公开率 · 复议纠错率
    errors: int = 0
    warnings: int = 0
    links: tuple[tuple[str, str], ...] = ()  # (what, relative link): 报告, then the other forms
    notebook: str | None = None
    reason: str = ""
    sample: bool = False
    trend: str | None = None  # relative link to the township's trend page
    answered: tuple[int, int, int] = (0, 0, 0)  # findings 待审核, 已说明, 误报 (ANSWERED_HEADS)
    timely: tuple[int, int] | None = None  # from the request ledger: (within the legal time, answered)


FIGURE_HEADERS = tuple((name, "number" if name in KEY_COUNTS else "rate") for name in KEY_FIGURES)
NO_FIGURES = (None,) * len(FIGURE_HEADERS)
ANSWERED_HEADS = ("待审核", "已说明", "误报")  # the office's reviews of a report's findings
HEADERS = (("乡镇（街道）", "text"), ("状态", "text")) + FIGURE_HEADERS
TIMELY_HEADER, FINDINGS_HEADER = ("按时答复", "number"), ("问题", "number")


def index_page(title: str, rows: list[IndexRow], counts: list[tuple[str, int]],
               rollup: dict | None, csv: str | None, sample: bool, workbook: str | None = None,
               trend: str | None = None, bundle: str | None = None) -> str:
    # 按时答复 only where a report has a ledger, and the reviews' counts under 问题 rather than a
    # column of their own: at desk width the links to the reports stay in view
    timely = any(r.timely for r in rows)
    headers = HEADERS + ((TIMELY_HEADER,) if timely else ()) + (FINDINGS_HEADER,)
    return environment().get_template("index.html.j2").render(
        title=title, rows=rows, counts=counts, rollup=rollup, csv=csv, sample=sample,
        workbook=workbook, trend=trend, bundle=bundle, answered_heads=ANSWERED_HEADS, timely=timely,
        headers=headers, wide=True, script=SORT_SCRIPT, script_hash=script_hash(SORT_SCRIPT))


def top_page(title: str, years: list[dict], statuses: tuple[str, ...], sample: bool,
             trend=None, trend_chart: str | None = None, boards=(), board_problem: str | None = None) -> str:
    return environment().get_template("top.html.j2").render(
        title=title, years=years, statuses=statuses, sample=sample, wide=False, script=None,
        script_hash=None, trend=trend, trend_chart=trend_chart, boards=boards,
        board_problem=board_problem, step_heads=STEP_HEADS)


def trend_page(title: str, trend, chart: str | None, reports: list[tuple[int, str]],
               sample: bool) -> str:
    return environment().get_template("trend.html.j2").render(
        title=title, trend=trend, chart=chart, reports=reports, sample=sample, wide=True,
        script=None, script_hash=None)
