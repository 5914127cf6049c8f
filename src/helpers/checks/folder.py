"""The county folder: the one place that finds params files, reads county.yaml, loads and checks
each township-year and pairs it with last year's — once per command.

`nianbao check`, the build's plan and index, the roll-up and the report notebook's kernel all
open the folder here. Unreadable files are kept with their errors, and the others go on.
"""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, KitError, ParamsError
from ..formats import DEFAULT_DEADLINE
from ..model import CheckReport, Finding, Location, TownshipYear
from ..params.county import BOARD_FILE, COUNTY_FILE, County, load_county
from ..params.load import YAML_SUFFIXES, load_params
from ..paths import safe_part
from . import RULES, Context, run_rules
from .base import kit_finding
from .ledger import with_counted
from .reviews import answer

PARALLEL_FROM = 64  # fewer files are checked faster than worker processes start

UnitIndex = dict[tuple[str, int], list[TownshipYear]]


@dataclass
class CheckRun:
    """Every finding about the files checked, and the files that could not be read."""

    reports: list[CheckReport] = field(default_factory=list)
    unreadable: list[KitError] = field(default_factory=list)

    @property
    def findings(self) -> Iterable[tuple[CheckReport, Finding]]:
        return ((r, f) for r in self.reports for f in r.findings)

    @property
    def exit_code(self) -> int:
        """EXIT_OK when no error is found, EXIT_FINDINGS when errors are, EXIT_UNREADABLE when
        an input cannot be read."""
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if any(not r.valid for r in self.reports) else EXIT_OK


@dataclass
class CountyFolder:
    """Params files and county files, read once; reports checked on demand, each once."""

    files: list[Path] = field(default_factory=list)  # params files, in path order
    county_files: list[Path] = field(default_factory=list)  # whose completeness is checked
    missing: list[Path] = field(default_factory=list)  # named but not there
    counties: dict[Path, County] = field(default_factory=dict)  # folder → its county file
    county_errors: list[ParamsError] = field(default_factory=list)
    docs: dict[Path, TownshipYear] = field(default_factory=dict)
    unreadable: dict[Path, ParamsError] = field(default_factory=dict)
    _single: dict[Path, list[Finding]] = field(default_factory=dict)  # single-year findings
    _reports: dict[Path, CheckReport] = field(default_factory=dict)
    _index: UnitIndex | None = None

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, paths: Sequence[str | Path], jobs: int | None = None,
             check: bool = True) -> "CountyFolder":
        """Every params file under ``paths`` (files or folders), loaded — and with ``check``,
        given the single-year rules in the same pass (in ``jobs`` worker processes when there
        are many); otherwise the rules run when a report is asked for."""
        folder = cls()
        folder.files, folder.county_files, folder.missing = collect([Path(p) for p in paths])
        folder._read_counties()
        tasks = [(p, folder.county_of(p), check) for p in folder.files]
        for path, (doc, findings, error) in zip(folder.files, _map(_load, tasks, jobs)):
            if error is not None:
                folder.unreadable[path] = error
                continue
            folder.docs[path] = doc
            if findings is not None:
                folder._single[path] = findings
        return folder

    @classmethod
    def open_file(cls, path: str | Path) -> "CountyFolder":
        """One params file as `nianbao check` sees it: with its folder's county file and last
        year's file beside it (found when asked for). ParamsError when it cannot be read."""
        path = Path(path)
        folder = cls(files=[path])
        folder._read_counties()  # an unreadable county file is for `nianbao check` to report
        doc, findings, error = _load((path, folder.county_of(path), True))
        if error is not None:
            raise error
        folder.docs[path], folder._single[path] = doc, findings
        return folder

    def _read_counties(self) -> None:
        """The county file of every folder that has params files or was named."""
        for where in sorted({p.parent for p in self.files} | {p.parent for p in self.county_files}):
            path = where / COUNTY_FILE
            if not path.exists():
                continue
            try:
                self.counties[where] = load_county(path)
            except ParamsError as exc:
                self.county_errors.append(exc)

    # -- what a folder knows --------------------------------------------------------------------
    def county_of(self, path: Path) -> County | None:
        return self.counties.get(Path(path).parent)

    def required_county(self, folder: Path) -> County:
        """The county file of ``folder``, which a command needs (ParamsError when it is missing
        or cannot be read)."""
        county = self.counties.get(folder)
        if county is None:
            problems = next((e.problems for e in self.county_errors
                             if Path(e.path).parent == folder), ())
            raise ParamsError(str(folder / COUNTY_FILE), problems)
        return county

    @property
    def by_unit(self) -> UnitIndex:
        """Documents by (unit, year): how last year's report and duplicates are found."""
        if self._index is None:
            self._index = index_by_unit(self.docs.values())
        return self._index

    def previous(self, doc: TownshipYear) -> TownshipYear | None:
        """Last year's report of the same unit: among the folder's files, else beside this file
        as ``<township>_<year − 1>.yaml`` (or .yml). The build hashes the file found here."""
        return self._last_year(doc)[0]

    def _last_year(self, doc: TownshipYear) -> tuple[TownshipYear | None, Path | None]:
        """(last year's report of the same unit, or None; the file beside this one that should
        hold it but cannot be read, or None)."""
        found = self.by_unit.get((doc.meta.unit, doc.meta.year - 1))
        if found:
            return found[0], None
        if not safe_part(doc.meta.township):
            return None, None  # a name that is not a plain file name never becomes a path
        for suffix in YAML_SUFFIXES:
            sibling = Path(doc.path).with_name(f"{doc.meta.township}_{doc.meta.year - 1}{suffix}")
            if sibling in self.unreadable:  # loaded once already, with the folder
                return None, sibling
            if sibling.exists():
                try:
                    prev = with_counted(load_params(sibling))
                except ParamsError:
                    return None, sibling  # reported when that file itself is checked
                return (prev if prev.meta.unit == doc.meta.unit else None), None
        return None, None

    def report(self, path: Path) -> CheckReport:
        """All findings about one readable params file: single-year, cross-year, county."""
        path = Path(path)
        if path not in self._reports:
            doc = self.docs[path]
            findings = self._single.get(path)
            if findings is None:
                findings = _single_year(doc, self.county_of(path))
            previous, unreadable = self._last_year(doc)
            if previous is not None:
                findings = _in_rule_order(findings + run_rules(Context(doc, previous), cross_year=True))
            elif unreadable is not None:
                findings = findings + [kit_finding(
                    "X-SKIPPED", f"上年参数文件 {unreadable} 无法读取，跨年度校验（上年结转、存量、未审结案件）未进行",
                    Location(field="meta.year", line=doc.line("meta", "year")), "可读取的上年参数文件",
                    "无法读取")]
            findings, reviews = answer(doc, findings + self._county_findings(doc))
            self._reports[path] = CheckReport(doc.path, doc.meta.unit, doc.meta.year, tuple(findings), reviews)
        return self._reports[path]

    def check(self) -> CheckRun:
        """The findings of every file, the unreadable ones, and each county's missing reports."""
        run = CheckRun()
        run.unreadable += [ParamsError(str(p), ()) for p in self.missing]
        run.unreadable += self.county_errors
        run.unreadable += list(self.unreadable.values())
        run.reports += [self.report(path) for path in self.docs]
        for path in self.county_files:
            county = self.county_of(path)
            if county is not None:
                run.reports += self._missing_reports(county)
        return run

    # -- county findings ----------------------------------------------------------------------
    def _county_findings(self, doc: TownshipYear) -> list[Finding]:
        found = []
        twins = [d.path for d in self.by_unit[(doc.meta.unit, doc.meta.year)] if d.path != doc.path]
        if twins:
            found.append(kit_finding(
                "COUNTY-DUPLICATE", f"{doc.meta.unit} {doc.meta.year} 年度还有其他参数文件",
                Location(field="meta.year", line=doc.line("meta", "year")),
                "每个单位每年一个文件", "、".join(twins)))
        county = self.county_of(Path(doc.path))
        expected = county.expected.get(doc.meta.year) if county else None
        if county is not None and expected is None:
            found.append(kit_finding(
                "COUNTY-NOYEAR", f"{county.path} 没有 {doc.meta.year} 年度的乡镇列表",
                Location(field="meta.year", line=doc.line("meta", "year")),
                f"expected: 下有 {doc.meta.year}: [乡镇, …]", "无"))
        if expected is not None and doc.meta.township not in expected:
            found.append(kit_finding(
                "COUNTY-UNEXPECTED", f"{doc.meta.township} 不在 {county.path} 所列 {doc.meta.year} 年度乡镇中",
                Location(field="meta.township", line=doc.line("meta", "township")),
                "、".join(expected), doc.meta.township))
        return found

    def missing_townships(self, county: County, year: int) -> list[str]:
        """The townships ``county`` expects in ``year`` that have no params file beside it."""
        where = Path(county.path).parent
        have = {d.meta.township for d in self.docs.values()
                if Path(d.path).parent == where and d.meta.year == year}
        return [name for name in county.expected.get(year, ()) if name not in have]

    def _missing_reports(self, county: County) -> list[CheckReport]:
        where = Path(county.path).parent
        reports = []
        for year in sorted(county.expected):
            for name in self.missing_townships(county, year):
                there = next((p for p in self.unreadable if p.parent == where
                              and p.stem == f"{name}_{year}"), None)
                finding = (kit_finding("COUNTY-UNREADABLE", f"{name} {year} 年度的参数文件 {there} 无法读取",
                                        Location(field=f"expected.{year}", line=county.line),
                                        "可读取的参数文件", "无法读取（见该文件的问题）")
                           if there is not None else
                           kit_finding("COUNTY-MISSING", f"缺少 {name} {year} 年度的参数文件",
                                        Location(field=f"expected.{year}", line=county.line),
                                        f"{where / f'{name}_{year}.yaml'}", "无"))
                reports.append(CheckReport(county.path, name, year, (finding,)))
        return reports


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """(params files, county files whose completeness is checked, missing paths)."""
    files, counties, missing = [], [], []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            counties += [p for p in found if p.name == COUNTY_FILE]
            files += [p for p in found if p.name not in (COUNTY_FILE, BOARD_FILE)]
        elif path.name == COUNTY_FILE and path.exists():
            counties.append(path)
        elif path.exists():
            files.append(path)
        else:
            missing.append(path)
    return list(dict.fromkeys(files)), list(dict.fromkeys(counties)), missing


def index_by_unit(docs: Iterable[TownshipYear]) -> UnitIndex:
    by_key: UnitIndex = defaultdict(list)
    for doc in docs:
        by_key[(doc.meta.unit, doc.meta.year)].append(doc)
    return by_key


def check_paths(paths: Sequence[str | Path], jobs: int | None = None) -> CheckRun:
    """Check every params file under ``paths`` (files or folders): `nianbao check`."""
    return CountyFolder.open(paths, jobs).check()


def _single_year(doc: TownshipYear, county: County | None) -> list[Finding]:
    ctx = Context(doc, neighbours=county.townships if county else (),
                  deadline=county.deadline if county else DEFAULT_DEADLINE)
    return run_rules(ctx, cross_year=False)


def _load(task: tuple[Path, County | None, bool]):
    """Worker: read one file and, when asked, run the single-year rules on it."""
    path, county, check = task
    try:
        doc = with_counted(load_params(path))
    except ParamsError as exc:
        return None, None, exc
    return doc, _single_year(doc, county) if check else None, None


def _map(func, tasks: list, jobs: int | None) -> Iterable:
    """``map`` over worker processes when there is enough work to pay for starting them."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(tasks) < PARALLEL_FROM:
        return map(func, tasks)
    chunk = max(1, len(tasks) // (jobs * 64))  # small enough that no core idles at the end
    with ProcessPoolExecutor(jobs, initializer=_fewer_collections) as pool:
        return list(pool.map(func, tasks, chunksize=chunk))


def _fewer_collections() -> None:
    """A checking worker allocates many small objects that refcounting frees (YAML nodes, cells):
    the cyclic collector, run every 700 allocations, found nothing and cost 5 % of its time."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


_RULE_ORDER = {r.id: i for i, r in enumerate(RULES)}


def _in_rule_order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: _RULE_ORDER.get(f.rule, -1))  # stable: loader warnings first
