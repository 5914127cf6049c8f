"""A year's reports packed for sending to the next level: ``<county>_<year>_报送.zip``.

What an office can file as it is: the forms of every report fit to publish (a report that failed
its checks only with ``--include-failed``, and then named 校验未通过), the county workbook and the
summary, a 报送清单 — every township the county expects, its status, each file sent and its SHA-256
— as the zip's ``index.html`` and as CSV, and ``SHA256SUMS.txt`` that ``sha256sum -c`` checks
inside the unpacked zip. The index links only what is inside the zip.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..params.write import write_atomic
from ..report.status import BUILD_FAILED, MISSING, REJECTED, Status
from ..report.templating import environment
from ..year.spreadsheet import csv_field
from .index import SUMMARY_CSV, bundle_name, task_state, workbook_name, year_rows
from .plan import Plan

SUMS = "SHA256SUMS.txt"
LIST_CSV = "报送清单.csv"
FAILED_MARK = "校验未通过"
NOT_SENT = (REJECTED, BUILD_FAILED, MISSING)


@dataclass
class Sent:
    """One township (or the roll-up) in the bundle: its status and the files sent of it."""

    township: str
    status: Status
    files: list[tuple[str, str]] = field(default_factory=list)  # (name in the zip, SHA-256)
    note: str = ""


@dataclass
class Bundle:
    path: Path | None
    left_out: list[str] = field(default_factory=list)  # “古郊乡：校验未通过（不得发布）…”


def _sent_name(name: str, status: Status) -> str:
    """A report's file as sent: named 校验未通过 when it failed its checks."""
    if status is not REJECTED:
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}_{FAILED_MARK}{dot}{suffix}"


def _entries(plan: Plan, year: int, manifest: dict,
             include_failed: bool) -> tuple[list[Sent], list[tuple[str, Path]], list[Path], list[str]]:
    """Who is in the bundle with which files, those files (name in the zip, path), the year's
    summaries beside them, and who is left out and why."""
    folder = plan.year_folder(year)
    entries, files, left = [], [], []
    rollups = [t for t in plan.tasks if t.rollup_of and t.year == year]
    rows = year_rows(plan, manifest, year)
    units = [(r.township, r.status, r.reason, [folder / href for what, href in r.links]) for r in rows]
    for task in rollups:
        status = task_state(plan, task, manifest.get(task.key)).status
        forms = [p for p in dict.fromkeys([task.page, *task.targets.values()]) if p.exists()]
        units.append((task.township, status, "", forms))
    for township, status, reason, forms in units:
        entry = Sent(township, status)
        entries.append(entry)
        if status in (BUILD_FAILED, MISSING) or not forms:
            entry.note = f"未收入：{status.name}" + (f"（{reason}）" if reason else "")
            left.append(f"{township}：{status.name}，无可报送的报告" + (f"（{reason}）" if reason else ""))
        elif status is REJECTED and not include_failed:
            entry.note = "未收入：校验未通过（不得发布）；确需报送时用 --include-failed"
            left.append(f"{township}：校验未通过（不得发布），未收入；确需报送时用 --include-failed")
        else:
            if status is REJECTED:
                entry.note = "校验未通过（不得发布），按 --include-failed 收入，文件名已注明"
            for path in forms:
                files.append((_sent_name(path.name, status), path))
                entry.files.append((files[-1][0], ""))
    summaries = [p for p in (folder / workbook_name(plan, year), folder / SUMMARY_CSV) if p.exists()]
    return entries, files, summaries, left


def bundle(plan: Plan, year: int, manifest: dict, include_failed: bool = False) -> Bundle:
    """The year's zip beside its index (path None when nothing is fit to send), and who was left
    out and why."""
    entries, files, summaries, left = _entries(plan, year, manifest, include_failed)
    if not any(e.files for e in entries):
        return Bundle(None, left)
    data = {name: _as_sent(name, path.read_bytes()) for name, path in files}
    data |= {path.name: path.read_bytes() for path in summaries}
    digests = {name: hashlib.sha256(content).hexdigest() for name, content in data.items()}
    for entry in entries:
        entry.files = [(name, digests[name]) for name, _ in entry.files]
    county = plan.county_spec
    title = f"{county.name if county else ''}{year}年政府信息公开工作年度报告 · 报送清单"
    extras = [(path.name, digests[path.name]) for path in summaries]
    made = {"index.html": environment().get_template("bundle.html.j2").render(
        title=title, entries=entries, extras=extras, sums=SUMS, csv=LIST_CSV, wide=True,
        sample=any(d.meta.sample for d in plan.docs.values() if d.meta.year == year),
        script=None, script_hash=None).encode("utf-8"), LIST_CSV: _list_csv(entries).encode("utf-8")}
    data |= made
    digests |= {name: hashlib.sha256(content).hexdigest() for name, content in made.items()}
    sums = "".join(f"{digests[name]}  {name}\n" for name in data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in data.items():
            archive.writestr(name, content)
        archive.writestr(SUMS, sums)
    target = plan.year_folder(year) / bundle_name(plan, year)
    write_atomic(target, buffer.getvalue())
    return Bundle(target, left)


# A page's link to the county index one folder up (where.html.j2): there is none in the zip.
_TO_COUNTY = re.compile(rb' \xc2\xb7 <a class="to-county" href="\.\./index\.html">[^<]*</a>')


def _as_sent(name: str, data: bytes) -> bytes:
    """A file's bytes in the zip: a page keeps its link to the year's index (the zip's index is
    its 报送清单) and loses the one to the county's, which is not in the zip."""
    return _TO_COUNTY.sub(b"", data) if name.endswith(".html") else data


def _list_csv(entries: list[Sent]) -> str:
    """The 报送清单 as CSV: a row for each file sent, and one for each township with none."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["乡镇（街道）", "状态", "文件", "SHA-256", "说明"])
    for entry in entries:
        for name, digest in entry.files or [("", "")]:
            writer.writerow([csv_field(entry.township), entry.status.label, csv_field(name), digest,
                             csv_field(entry.note)])
    return "\ufeff" + out.getvalue()  # BOM: Excel reads it as UTF-8
