"""A year's reports packed for sending to the next level: one zip with every form of every report,
the index, the summary, the county workbook, and a manifest of SHA-256 sums."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from ..params.write import write_atomic
from .index import SUMMARY_CSV, workbook_name
from .plan import Plan

SUMS = "SHA256SUMS.txt"


def bundle(plan: Plan, year: int) -> Path | None:
    """``<county>_<year>_报送.zip`` beside the year's index; None when the year has no report."""
    folder = plan.year_folder(year)
    files = []
    for task in plan.tasks:
        if task.year == year:
            files += [task.page, *task.targets.values()]
    files += [folder / "index.html", folder / SUMMARY_CSV, folder / workbook_name(plan, year)]
    files = [f for f in dict.fromkeys(files) if f.exists()]
    if not files:
        return None
    buffer = io.BytesIO()
    sums = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            name = path.relative_to(folder).as_posix()
            data = path.read_bytes()
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
            archive.writestr(name, data)
        archive.writestr(SUMS, "\n".join(sums) + "\n")
    target = folder / workbook_name(plan, year).replace(".xlsx", "_报送.zip")
    write_atomic(target, buffer.getvalue())
    return target
