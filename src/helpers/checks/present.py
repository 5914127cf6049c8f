"""Findings for people (a table grouped by unit and year) and for scripts (JSON)."""

from __future__ import annotations

import json
from typing import TextIO

from ..errors import KitError, ParamsError
from ..model import (CONFIRMED, ERROR, EXPLAINED, FALSE_POSITIVE, SEVERITY_ZH, WARNING, CheckReport,
                     Finding)
from .folder import CheckRun

LOAD_ERROR = "LOAD-ERROR"


def findings_json(run: CheckRun) -> list[dict]:
    """A flat list: every finding, and every problem of an unreadable file as LOAD-ERROR."""
    rows = [_row(report, f) for report, f in run.findings]
    for exc in run.unreadable:
        rows += _unreadable_rows(exc)
    return rows


def _row(report: CheckReport, f: Finding) -> dict:
    review = report.review(f)
    return {"file": report.path, "unit": report.unit, "year": report.year, "id": f.id, "rule": f.rule,
            "severity": f.severity, "message": f.message, "location": f.location.as_dict(),
            "expected": f.expected, "found": f.found, "cleared": report.cleared(f),
            "review": review and {"verdict": review.verdict, "reason": review.reason, "by": review.by,
                                  "date": review.date, "line": review.line}}


def _unreadable_rows(exc: KitError) -> list[dict]:
    path = getattr(exc, "path", None)
    problems = getattr(exc, "problems", ()) or (None,)
    return [{"file": path, "unit": None, "year": None, "rule": LOAD_ERROR, "severity": ERROR,
             "message": p.describe(path) if p else str(exc),
             "location": {k: v for k, v in (("field", p and p.field), ("line", p and p.line)) if v},
             "expected": p.expected if p else None, "found": p.found if p else None}
            for p in problems]


def write_json(run: CheckRun, out: TextIO) -> None:
    json.dump(findings_json(run), out, ensure_ascii=False, indent=1)
    out.write("\n")


def write_text(run: CheckRun, out: TextIO) -> None:
    """Unreadable files first, then each unit and year with its findings, then a one-line summary.

    A finding reads as a compiler's does — ``file:line  级别  规则  位置`` with the message and
    应为 → 实际 indented under it — so an editor's terminal opens the line, nothing is folded
    into columns, and a thousand files print in one write (a table per file cost 0.13 s)."""
    from rich.console import Console  # imported here: JSON output and the library don't need rich
    from rich.text import Text

    text = Text()
    for exc in run.unreadable:
        if isinstance(exc, ParamsError) and not exc.problems:
            text.append(f"{exc.path}: 文件或文件夹不存在（no such file or folder）\n", "bold red")
        else:
            text.append(f"{exc}\n", "bold red")
    for report in sorted(run.reports, key=lambda r: (r.unit or "", r.year or 0, r.path)):
        if report.findings:
            _report_text(report, text)
    text.append(f"{summary(run)}\n")
    console = Console(file=out, width=None if out.isatty() else 150, highlight=False)
    console.print(text, soft_wrap=True, end="")


def _report_text(report: CheckReport, text) -> None:
    text.append(f"\n{report.unit} {report.year} 年度", "bold")
    answered = "".join(f"，{n} 项{v}" for v in (EXPLAINED, FALSE_POSITIVE) if (n := report.counted(v)))
    text.append(f"  —  {len(report.errors)} 个错误，{len(report.warnings)} 个警告{answered}\n")
    for f in sorted(report.findings, key=lambda f: f.location.line or 0):
        where = f"{report.path}:{f.location.line}" if f.location.line else report.path
        text.append(f"{where}  ")
        review = report.review(f)
        if report.cleared(f):  # answered: no longer counted, said as the review says
            text.append(review.verdict, "green")
        else:
            text.append(SEVERITY_ZH[f.severity], {ERROR: "red", WARNING: "yellow"}.get(f.severity, "cyan"))
        origin = f"  ← 来自 {f.location.origin}" if f.location.origin else ""
        text.append(f"  {f.rule}  {f.location.describe()}{origin}\n    {f.message}\n")
        if f.expected or f.found:
            text.append(f"    应为 {f.expected or '—'} → 实际 {f.found or '—'}\n", "dim")
        text.append(f"    编号 {f.id}\n", "dim")  # to name it in a review
        if review is not None:
            reason = f"：{review.reason}" if review.reason else ""
            text.append(f"    审核 {review.verdict}{reason}（{review.by}，{review.date}；"
                        f"{report.path}:{review.line}）\n", "green")


def write_open(run: CheckRun, out: TextIO) -> None:
    """`nianbao review`'s list: each report's findings no review answers yet, with the id to
    answer it by, then how many each verdict answered."""
    lines = []
    totals = {"待审核": 0, CONFIRMED: 0, EXPLAINED: 0, FALSE_POSITIVE: 0}
    for report in sorted(run.reports, key=lambda r: (r.unit or "", r.year or 0, r.path)):
        waiting = report.open
        totals["待审核"] += len(waiting)
        for review in report.reviews.values():
            totals[review.verdict] += 1
        if not waiting:
            continue
        lines.append(f"\n{report.unit} {report.year} 年度  —  {len(waiting)} 项待审核（{report.path}）")
        for f in sorted(waiting, key=lambda f: f.location.line or 0):
            where = f"{report.path}:{f.location.line}" if f.location.line else report.path
            lines.append(f"  {f.id}\n    {where}  {SEVERITY_ZH[f.severity]}  {f.location.describe()}：{f.message}")
    lines.append("\n" + "，".join(f"{k} {n} 项" for k, n in totals.items()) + "。")
    if totals["待审核"]:
        lines.append("记录审核：nianbao review 文件 --finding 编号 --verdict 已核实|已说明|误报 --reason 理由 --by 审核人")
    out.write("\n".join(lines).lstrip("\n") + "\n")


def summary(run: CheckRun) -> str:
    files = len({r.path for r in run.reports})
    errors = sum(len(r.errors) for r in run.reports)
    warnings = sum(len(r.warnings) for r in run.reports)
    passed = sum(1 for r in run.reports if not r.errors and not r.warnings)
    text = (f"检查 {files + len(run.unreadable)} 个文件：{passed} 个通过，"
            f"{errors} 个错误，{warnings} 个警告")
    if run.unreadable:
        text += f"，{len(run.unreadable)} 个无法读取"
    return text + "。"


class BuildProgress:
    """A live progress bar for `nianbao build`: count, ETA and the townships running now."""

    def __init__(self, stream: TextIO):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.console = Console(file=stream, highlight=False)
        self.bar = Progress(TextColumn("[bold]生成报告"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("已用"), TimeElapsedColumn(), TextColumn("剩余"),
                            TimeRemainingColumn(), TextColumn("{task.fields[now]}"),
                            console=self.console, transient=False)
        self.task = None

    def start(self, total: int, skipped: int) -> None:
        if skipped:
            self.console.print(f"跳过 {skipped} 个未变化的报告（unchanged, skipped）")
        if total:
            self.bar.start()
            self.task = self.bar.add_task("build", total=total, now="")

    def running(self, names: list[str]) -> None:
        if self.task is not None:
            self.bar.update(self.task, now="正在生成：" + "、".join(names) if names else "")

    def done(self, task, result) -> None:
        self.bar.advance(self.task)
        if result.status == "failed":  # the reason whole: a ParamsError's problems are its lines
            reason = " ".join(line.strip() for line in (result.reason or "").splitlines()[:4])
            self.console.print(f"[red]✗ {escape_markup(task.township)} {task.year or ''}：{escape_markup(reason)}[/]",
                               soft_wrap=True)  # one line, whatever the terminal's width

    def stop(self) -> None:
        if self.task is not None:
            self.bar.update(self.task, now="")
            self.bar.stop()


def escape_markup(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def write_build_summary(summary, out: TextIO) -> None:
    """Built, skipped, warnings, failed with reasons, and where the index is."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, width=None if out.isatty() else 150)
    table = Table(box=box.SIMPLE_HEAD, title="生成结果（build summary）", title_justify="left")
    heads = ("生成", "跳过", "执行失败")
    statuses = {k: n for k, n in summary.statuses.items() if k not in heads}  # no column twice
    for head in (*heads, *statuses):
        table.add_column(head, justify="right")
    table.add_row(str(len(summary.built)), str(len(summary.skipped)), str(len(summary.failed)),
                  *(str(n) for n in statuses.values()))
    console.print(table)
    for result in summary.failed:
        console.print(f"[red]执行失败 {escape_markup(result.name)}[/]：", escape_markup(result.reason), markup=True)
    for result in summary.forms_failed:
        for kind, reason in result.forms_failed.items():
            console.print(f"[red]{kind.upper()} 未生成 {escape_markup(result.name)}[/]：", escape_markup(reason),
                          markup=True)
    if summary.index:
        console.print(f"索引（index）：{summary.index}")
