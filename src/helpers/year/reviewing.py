"""`nianbao review`: the office answers findings, in the township-year's own params file.

Why the ``reviews:`` block lives in the params file rather than a file beside it: a review answers
the figures and words of one township-year, so it travels with them — copied, versioned, sent back
and forth as the one file analysts already handle, and never left behind pointing at a file that
was renamed. A new year starts without reviews (``nianbao new-year`` carries figures, not answers).

Recording touches the block only: every other line of the file stays as typed, comments
included. The new text is written beside the file, read back in full by the loader and compared —
the report's figures and words the same, the reviews exactly those asked for — and only then put
in place; a file changed meanwhile is left alone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Sequence

from ..checks.folder import CheckRun, CountyFolder
from ..checks.reviews import may_clear, possible
from ..errors import ReviewRefused
from ..model import (CONFIRMED, FALSE_POSITIVE, VERDICTS, CheckReport, Finding, Review,
                     TownshipYear)
from ..params.write import review_lines, rewrite_block
from .spreadsheet import csv_field

# What a verdict may be typed as on the command line
VERDICT_WORDS = {**{v: v for v in VERDICTS}, "confirmed": CONFIRMED, "explained": "已说明",
                 "false-positive": FALSE_POSITIVE, "fp": FALSE_POSITIVE}


@dataclass
class Recorded:
    """What `nianbao review` wrote: each file and the ids it answered, and what it left out."""

    files: dict[str, list[str]] = field(default_factory=dict)  # params file → finding ids
    replaced: list[str] = field(default_factory=list)  # ids whose earlier review was replaced
    pruned: dict[str, list[str]] = field(default_factory=dict)  # params file → stale ids dropped
    converted: list[str] = field(default_factory=list)  # files that were not UTF-8 and now are


def verdict_of(word: str) -> str:
    """A verdict as typed (已说明, explained …), or ValueError naming the choices."""
    if word.strip().lower() in VERDICT_WORDS:
        return VERDICT_WORDS[word.strip().lower()]
    raise ValueError(f"结论应为 {' / '.join(VERDICTS)}（或 confirmed / explained / false-positive），实际为 {word!r}")


def record(paths: Sequence[Path], ids: Sequence[str], verdict: str, reason: str, by: str,
           when: date | None = None) -> Recorded:
    """Answer each finding ``ids`` names with ``verdict``: found among the params files under
    ``paths`` (one file when the id fires in several), refused whole — nothing written — when
    any cannot be recorded."""
    verdict = verdict_of(verdict)
    reason, by = reason.strip(), by.strip()
    folder = CountyFolder.open(paths)
    run = folder.check()
    if verdict != CONFIRMED and not reason:
        raise ReviewRefused(_shown(paths), f"“{verdict}”须写明理由（--reason），报告将印出该理由")
    if not by:
        raise ReviewRefused(_shown(paths), "须写明审核人（--by）")
    day = (when or date.today()).isoformat()
    wanted: dict[str, list[tuple[Finding, CheckReport]]] = {}
    for finding_id in dict.fromkeys(ids):
        report, finding = _firing(run, folder, finding_id, paths)
        if verdict != CONFIRMED and not may_clear(finding.rule):
            raise ReviewRefused(report.path, f"{finding.rule} 属于勾稽关系或单元格取值，不能以“{verdict}”结案，"
                                             "只能改正数据（可记为“已核实”）")
        wanted.setdefault(report.path, []).append((finding, report))
    done = Recorded()
    for path, found in wanted.items():
        doc = folder.docs[Path(path)]
        reviews = {r.finding: r for r in doc.reviews}
        for finding, _ in found:
            if finding.id in reviews:
                done.replaced.append(finding.id)
            reviews[finding.id] = Review(finding.id, verdict, by, day, reason)
        if not rewrite(doc, list(reviews.values())):
            done.converted.append(path)
        done.files[path] = [f.id for f, _ in found]
    return done


def prune(paths: Sequence[Path]) -> Recorded:
    """Drop every stale review (its finding could fire and no longer does) from the params files
    under ``paths``."""
    folder = CountyFolder.open(paths)
    run = folder.check()
    done = Recorded()
    for report in run.reports:
        doc = folder.docs.get(Path(report.path))
        if doc is None or not doc.reviews:
            continue
        firing = {f.id for f in report.findings}
        # stale: could fire and does not; an id that never could is a typo to fix, kept with its reason
        stale = [r.finding for r in doc.reviews if r.finding not in firing and possible(doc.spec.key, r.finding)]
        if stale:
            if not rewrite(doc, [r for r in doc.reviews if r.finding not in stale]):
                done.converted.append(report.path)
            done.pruned[report.path] = stale
    return done


def _firing(run: CheckRun, folder: CountyFolder, finding_id: str,
            paths: Sequence[Path]) -> tuple[CheckReport, Finding]:
    """The one report in which ``finding_id`` fires, and the finding; ReviewRefused otherwise."""
    found = [(r, f) for r in run.reports for f in r.findings if f.id == finding_id
             and Path(r.path) in folder.docs]
    files = list(dict.fromkeys(r.path for r, _ in found))
    if len(files) == 1:
        return found[0]
    if files:
        raise ReviewRefused(_shown(paths), f"问题 {finding_id} 出现在 {len(files)} 个参数文件中"
                                           f"（{'、'.join(files)}），请指明其中一个文件")
    fmts = {d.spec.key for d in folder.docs.values()}
    if any(possible(fmt, finding_id) for fmt in fmts):
        raise ReviewRefused(_shown(paths), f"问题 {finding_id} 现在未出现（可能已改正）；"
                                           "nianbao review 列出尚待审核的问题及其编号")
    raise ReviewRefused(_shown(paths), f"没有编号为 {finding_id} 的问题（规则或位置不对）；"
                                       "编号见 nianbao check 或 nianbao review 的列表")


def rewrite(doc: TownshipYear, reviews: list[Review]) -> bool:
    """Put ``reviews`` in ``doc``'s params file as its ``reviews:`` block (``rewrite_block``);
    False when the file was not UTF-8 and now is."""
    return rewrite_block(Path(doc.path), "reviews", review_lines(reviews) if reviews else [],
                         lambda back: _answers(back.reviews) == _answers(reviews))


def _answers(reviews) -> list[tuple]:
    return [replace(r, line=None) for r in reviews]


def _shown(paths: Sequence[Path]) -> str:
    return "、".join(str(p) for p in paths)


FALSE_POSITIVE_COLUMNS = ("参数文件", "行", "单位", "年度", "编号", "规则", "问题", "应为", "实际",
                          "误报理由", "审核人", "审核日期")


def false_positives_csv(run: CheckRun) -> str:
    """Every 误报 review that answers a finding, for the kit's maintainers: what the rule said
    and why the office holds it wrong. Text never starts like a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FALSE_POSITIVE_COLUMNS)
    for report in run.reports:
        for finding, review in report.answered:
            if review.verdict == FALSE_POSITIVE:
                writer.writerow([csv_field(x) for x in (
                    report.path, review.line, report.unit, report.year, finding.id, finding.rule,
                    finding.message, finding.expected, finding.found, review.reason, review.by,
                    review.date)])
    return "\ufeff" + out.getvalue()  # BOM: Excel reads it as UTF-8


def mark_reviewed(paths: Sequence[Path]) -> None:
    """The board after reviews were written: these files checked again, 已审核 where none is open."""
    from .board import mark_folder

    folder = CountyFolder.open(paths)
    mark_folder(folder, folder.check(), start=True)
