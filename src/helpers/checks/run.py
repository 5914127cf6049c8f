"""Check params files and folders: load, pair each report with last year's, run the rules, and
check a county's completeness. Unreadable files are reported and the others still checked."""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..county import COUNTY_FILE, County, load_county
from ..errors import KitError, ParamsError
from ..formats import DEFAULT_DEADLINE
from ..load import load_params
from ..paths import safe_part
from ..model import CheckReport, Finding, Location, TownshipYear
from . import KIT_RULES, RULES, Context, run_rules

YAML_SUFFIXES = (".yaml", ".yml")
PARALLEL_FROM = 64  # fewer files are checked faster than worker processes start


@dataclass
class CheckRun:
    reports: list[CheckReport] = field(default_factory=list)
    unreadable: list[KitError] = field(default_factory=list)

    @property
    def findings(self) -> Iterable[tuple[CheckReport, Finding]]:
        return ((r, f) for r in self.reports for f in r.findings)

    @property
    def exit_code(self) -> int:
        """0 when no error is found, 1 when errors are found, 2 when an input cannot be read."""
        if self.unreadable:
            return 2
        return 1 if any(not r.valid for r in self.reports) else 0


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """(params files, county files whose completeness is checked, missing paths)."""
    files, counties, missing = [], [], []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            counties += [p for p in found if p.name == COUNTY_FILE]
            files += [p for p in found if p.name != COUNTY_FILE]
        elif path.name == COUNTY_FILE and path.exists():
            counties.append(path)
        elif path.exists():
            files.append(path)
        else:
            missing.append(path)
    return list(dict.fromkeys(files)), list(dict.fromkeys(counties)), missing


def check_paths(paths: Sequence[str | Path], jobs: int | None = None) -> CheckRun:
    """Check every params file under ``paths`` (files or folders).

    Files are read and given the single-year rules in ``jobs`` worker processes (default: one
    per core, none for a few files); pairing with last year and the county checks follow here.
    """
    files, county_files, missing = collect([Path(p) for p in paths])
    run = CheckRun()
    run.unreadable += [ParamsError(str(p), ()) for p in missing]
    counties = _counties(files, county_files, run)
    tasks = [(path, counties.get(path.parent)) for path in files]
    docs: list[tuple[TownshipYear, list[Finding]]] = []
    for doc, findings, error in _map(_load_and_check, tasks, jobs):
        if error is not None:
            run.unreadable.append(error)
        else:
            docs.append((doc, findings))
    by_key = index_by_unit(d for d, _ in docs)
    for doc, findings in docs:
        run.reports.append(_report(doc, findings, counties.get(Path(doc.path).parent), by_key))
    for path in county_files:
        county = counties.get(path.parent)
        if county is not None:
            run.reports += _missing(county, [d for d, _ in docs])
    return run


def check_one(path: str | Path) -> tuple[TownshipYear, CheckReport]:
    """One params file as `nianbao check` sees it: with its folder's county file and last year's
    file beside it. Raises ParamsError when the file cannot be read."""
    path = Path(path)
    counties = _counties([path], [], CheckRun())  # an unreadable county file is check's to report
    county = counties.get(path.parent)
    doc, findings, error = _load_and_check((path, county))
    if error is not None:
        raise error
    return doc, _report(doc, findings, county, index_by_unit([doc]))


UnitIndex = dict[tuple[str, int], list[TownshipYear]]


def index_by_unit(docs: Iterable[TownshipYear]) -> UnitIndex:
    """Documents by (unit, year): how last year's report and duplicates are found."""
    by_key: UnitIndex = defaultdict(list)
    for doc in docs:
        by_key[(doc.meta.unit, doc.meta.year)].append(doc)
    return by_key


def _report(doc: TownshipYear, findings: list[Finding], county: County | None,
            by_key: UnitIndex) -> CheckReport:
    """The single-year findings, completed with the cross-year rules and the county's."""
    previous = previous_report(doc, by_key)
    if previous is not None:
        findings = _in_rule_order(findings + run_rules(Context(doc, previous), cross_year=True))
    findings = findings + _county_findings(doc, county, by_key)
    return CheckReport(doc.path, doc.meta.unit, doc.meta.year, tuple(findings))


def _load_and_check(task: tuple[Path, County | None]):
    """Worker: read one file and run the single-year rules on it."""
    path, county = task
    try:
        doc = load_params(path)
    except ParamsError as exc:
        return None, [], exc
    ctx = Context(doc, neighbours=county.townships if county else (),
                  deadline=county.deadline if county else DEFAULT_DEADLINE)
    return doc, run_rules(ctx, cross_year=False), None


def _map(func, tasks: list, jobs: int | None) -> Iterable:
    """``map`` over worker processes when there is enough work to pay for starting them."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(tasks) < PARALLEL_FROM:
        return map(func, tasks)
    chunk = max(1, len(tasks) // (jobs * 8))
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(func, tasks, chunksize=chunk))


_RULE_ORDER = {r.id: i for i, r in enumerate(RULES)}


def _in_rule_order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: _RULE_ORDER.get(f.rule, -1))  # stable: loader warnings first


def _counties(files: list[Path], county_files: list[Path], run: CheckRun) -> dict[Path, County]:
    """The county file of every folder that has params files or was named."""
    folders = {p.parent for p in files} | {p.parent for p in county_files}
    counties = {}
    for folder in sorted(folders):
        path = folder / COUNTY_FILE
        if not path.exists():
            continue
        try:
            counties[folder] = load_county(path)
        except ParamsError as exc:
            run.unreadable.append(exc)
    return counties


def previous_report(doc: TownshipYear, by_key: UnitIndex) -> TownshipYear | None:
    """Last year's report of the same unit: among the checked files, else beside this file as
    ``<township>_<year − 1>.yaml`` (or .yml). The build hashes the same file it finds."""
    found = by_key.get((doc.meta.unit, doc.meta.year - 1))
    if found:
        return found[0]
    if not safe_part(doc.meta.township):
        return None  # a name that is not a plain file name never becomes a path
    for suffix in YAML_SUFFIXES:
        sibling = Path(doc.path).with_name(f"{doc.meta.township}_{doc.meta.year - 1}{suffix}")
        if sibling.exists():
            try:
                prev = load_params(sibling)
            except ParamsError:
                return None  # reported when that file itself is checked
            return prev if prev.meta.unit == doc.meta.unit else None
    return None


def _kit_finding(rule: str, message: str, location: Location, expected=None, found=None) -> Finding:
    return Finding(rule, KIT_RULES[rule][0], message, location, expected, found)


def _county_findings(doc: TownshipYear, county: County | None, by_key) -> list[Finding]:
    found = []
    twins = [d.path for d in by_key[(doc.meta.unit, doc.meta.year)] if d.path != doc.path]
    if twins:
        found.append(_kit_finding("COUNTY-DUPLICATE", f"{doc.meta.unit} {doc.meta.year} 年度还有其他参数文件",
                                  Location(field="meta.year", line=doc.line("meta", "year")),
                                  "每个单位每年一个文件", "、".join(twins)))
    expected = county.expected.get(doc.meta.year) if county else None
    if expected is not None and doc.meta.township not in expected:
        found.append(_kit_finding(
            "COUNTY-UNEXPECTED", f"{doc.meta.township} 不在 {county.path} 所列 {doc.meta.year} 年度乡镇中",
            Location(field="meta.township", line=doc.line("meta", "township")),
            "、".join(expected), doc.meta.township))
    return found


def _missing(county: County, docs: list[TownshipYear]) -> list[CheckReport]:
    folder = Path(county.path).parent
    have = {(d.meta.township, d.meta.year) for d in docs if Path(d.path).parent == folder}
    reports = []
    for year, names in sorted(county.expected.items()):
        for name in names:
            if (name, year) not in have:
                finding = _kit_finding("COUNTY-MISSING", f"缺少 {name} {year} 年度的参数文件",
                                       Location(field=f"expected.{year}", line=county.line),
                                       f"{folder / f'{name}_{year}.yaml'}", "无")
                reports.append(CheckReport(county.path, name, year, (finding,)))
    return reports
