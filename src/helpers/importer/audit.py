"""``nianbao audit``: import published reports, check them together, write one HTML review.

A third party's view of what a county published: each file imported as it is (nothing guessed),
all rules run — the cross-year ones between reports of the same unit — and every finding on one
self-contained page, with how sure the import was and what the text did not let us read.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..checks.folder import CheckRun, check_paths
from ..checks.present import findings_json
from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE
from ..model import SEVERITY_ZH, CheckReport
from ..params.write import write_atomic
from ..report.document import group_findings
from ..report.status import status_of
from ..report.templating import environment
from .run import FileResult, import_files
from .summary import detail_lines, text_lines

TITLE = "政府信息公开工作年度报告审查结果"


@dataclass
class AuditResult:
    files: list[FileResult]
    run: CheckRun
    page: Path
    copied: list[str] = field(default_factory=list)  # params files written with --params
    sources: dict[str, str] = field(default_factory=dict)  # checked params file → published file

    @property
    def exit_code(self) -> int:
        if any(not f.summary.ok for f in self.files):
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if any(not r.valid for r in self.run.reports) else EXIT_OK

    def text(self) -> str:
        lines = [line for f in self.files for line in text_lines(f.summary)]
        errors = sum(len(r.errors) for r in self.run.reports)
        warnings = sum(len(r.warnings) for r in self.run.reports)
        lines.append(f"审查 {len(self.files)} 个文件：{errors} 个错误，{warnings} 个警告 → {self.page}")
        return "\n".join(lines + self.copied)

    def as_json(self) -> dict:
        findings = findings_json(self.run)
        for finding in findings:  # the params were temporary: name the published file instead
            finding["file"] = self.sources.get(finding["file"], finding["file"])
        return {"page": str(self.page), "imports": [f.summary.as_json() for f in self.files],
                "findings": findings}


def audit(files: list[Path], page: Path, params_dir: Path | None = None, unit: str | None = None,
          year: int | None = None, county: str | None = None) -> AuditResult:
    with tempfile.TemporaryDirectory(prefix="nianbao-audit-") as tmp:
        results = import_files(files, Path(tmp), unit=unit, year=year, county=county, force=True)
        written = [r.params for r in results if r.params]
        run = check_paths(written) if written else CheckRun()
        by_path = {r.path: r for r in run.reports}
        write_atomic(page, _page(results, by_path))
        copied = _keep(results, params_dir) if params_dir else []
        sources = {str(r.params): str(r.path) for r in results if r.params}
        for r in results:  # the temporary params are gone: point at the source files instead
            r.params = None
            r.summary.params = None
    return AuditResult(results, run, page, copied, sources)


def _keep(results: list[FileResult], params_dir: Path) -> list[str]:
    notes = []
    for r in results:
        if r.params is None:
            continue
        target = params_dir / r.params.name
        if target.exists():
            notes.append(f"{target} 已存在，未覆盖")
            continue
        params_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(r.params, target)
        notes.append(f"参数文件 → {target}")
    return notes


def _page(results: list[FileResult], by_path: dict[str, CheckReport]) -> str:
    reports, failures = [], []
    for i, r in enumerate(results):
        if not r.summary.ok:
            failures.append(r.summary)
            continue
        check = by_path.get(str(r.params))
        reports.append(_row(i, r, check))
    reports.sort(key=lambda x: (x["unit"], x["year"]))
    counts = {"errors": sum(x["errors"] for x in reports),
              "warnings": sum(x["warnings"] for x in reports)}
    return environment().get_template("audit.html.j2").render(
        title=TITLE, reports=reports, failures=failures, counts=counts,
        when=datetime.now().strftime("%Y-%m-%d %H:%M"), severity=SEVERITY_ZH, wide=True,
        script=None, script_hash=None)


def _row(i: int, r: FileResult, check: CheckReport | None) -> dict:
    s = r.summary
    findings = check.findings if check else ()
    errors = len(check.errors) if check else 0
    warnings = len(check.warnings) if check else 0
    return {"anchor": f"r{i}", "unit": s.unit, "year": s.year, "format": s.format,
            "file": Path(s.file).name, "confidence": s.confidence, "reasons": s.reasons,
            "shape": s.shape, "read": sum(t.read for t in s.tables.values()),
            "cells": sum(t.cells for t in s.tables.values()), "errors": errors,
            "warnings": warnings, "status": status_of(errors, warnings),
            "groups": group_findings(tuple(findings)), "import_notes": detail_lines(s)}
