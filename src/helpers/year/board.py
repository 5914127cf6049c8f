"""The year on one board: how far each township-year has come, kept beside county.yaml.

A township-year goes 采集表已发 (``nianbao template``) → 已收回 (``nianbao import``) → 校验通过 or
未通过 (``nianbao check``) → 已审核, every finding answered (``nianbao check``, ``nianbao review``) →
已发布 (``nianbao publish``, with the address and the date). Each command moves its own step and
says when; the board file (board.yaml) is the office's record of the year, kept with the params.

``nianbao check`` reads; it moves a board that is there but never starts one, so checking a folder
that does not keep a board writes nothing. The file is written by the kit only, through
``yaml.safe_dump`` and read back before it replaces the old one, under a lock on the folder (two
commands at once both land). A board that cannot be read is a ParamsError with its line.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import yaml

from ..errors import ParamsError, Problem, ProblemFound
from ..model import CheckReport, TownshipYear
from ..params.county import BOARD_FILE, COUNTY_FILE, County
from ..params.load import DATE_RE
from ..params.write import write_atomic
from ..params.yamlnodes import BOOL, INT, NULL, STR, TIMESTAMP, describe, line_of, read_yaml

if TYPE_CHECKING:
    from ..checks.folder import CheckRun, CountyFolder

HEADER = ("# 年度进度（nianbao 维护）：各乡镇年度走到哪一步。由 nianbao template / import / check / review /\n"
          "# publish 更新，请勿手改。sent 采集表已发 · returned 已收回 · checked 最近校验 · passed 校验通过 ·\n"
          "# open 待审核问题数 · reviewed 已审核 · published 已发布 · url 发布地址\n")


@dataclass(frozen=True)
class Entry:
    """One township-year's steps: the date each was done (ISO), None while it is not."""

    sent: str | None = None
    returned: str | None = None
    checked: str | None = None
    passed: bool | None = None  # the last check's verdict
    open: int | None = None  # findings no review answers, at the last check
    reviewed: str | None = None  # since when every finding has a review (None again when one is new)
    published: str | None = None
    url: str | None = None

    @property
    def stage(self) -> str:
        """The furthest step, as the board names it (as of the last check)."""
        checked = None if not self.checked or self.passed is None else ("校验通过" if self.passed else "校验未通过")
        return stage_of(self, checked, self.passed, self.reviewed)


def stage_of(entry: Entry, checked: str | None, passed: bool | None, reviewed: str | None,
             late: bool = False) -> str:
    """The furthest step of a township-year: published, reviewed, checked (``checked`` as its
    status reads), returned, sent; 缺报 when ``late`` and nothing has come."""
    if entry.published:
        return "已发布"
    if checked is not None:
        if reviewed:
            return "已审核" if passed else "已审核（待改正）"
        return checked
    if late:
        return "缺报"
    if entry.returned:
        return "已收回"
    return "采集表已发" if entry.sent else "未开始"


# Each step as the board file holds it: the YAML tags its value may have, and how it is read
# (None: not a value of that step)
_DAY = ((STR, TIMESTAMP), lambda v: v if DATE_RE.fullmatch(v) else None)
_STEPS = {**dict.fromkeys(("sent", "returned", "checked", "reviewed", "published"), _DAY),
          "passed": ((BOOL,), lambda v: v.lower() == "true"), "open": ((INT,), int), "url": ((STR,), str)}


@dataclass
class Board:
    path: Path
    years: dict[int, dict[str, Entry]]

    def entry(self, year: int, township: str) -> Entry:
        return self.years.get(year, {}).get(township, Entry())

    def set(self, year: int, township: str, **steps) -> None:
        self.years.setdefault(year, {})[township] = replace(self.entry(year, township), **steps)

    def as_data(self) -> dict:
        return {year: {name: {k: v for k, v in asdict(e).items() if v is not None}
                       for name, e in sorted(entries.items())}
                for year, entries in sorted(self.years.items())}


def board_path(folder: Path) -> Path:
    return Path(folder) / BOARD_FILE


def load_board(folder: Path) -> Board:
    """The board of the params folder ``folder`` (empty when it keeps none)."""
    path = board_path(folder)
    if not path.exists():
        return Board(path, {})
    try:
        root = read_yaml(path)
    except ProblemFound as found:
        raise ParamsError(str(path), (found.problem,)) from None
    problems: list[Problem] = []
    years = _years(root, problems)
    if problems:
        raise ParamsError(str(path), tuple(problems))
    return Board(path, years)


def _years(root: yaml.Node, problems: list[Problem]) -> dict[int, dict[str, Entry]]:
    if isinstance(root, yaml.ScalarNode) and root.tag == NULL:
        return {}
    if not isinstance(root, yaml.MappingNode):
        problems.append(Problem(line_of(root), "（文件）", "年度: {乡镇: {步骤: 日期}}", describe(root)))
        return {}
    out: dict[int, dict[str, Entry]] = {}
    for key, value in root.value:
        if key.tag != INT or not isinstance(value, yaml.MappingNode) or int(key.value) in out:
            problems.append(Problem(line_of(key), str(key.value), "年度（每年一次）: {乡镇: …}", describe(key)))
            continue
        year = out.setdefault(int(key.value), {})
        for name, steps in value.value:
            if name.tag != STR or name.value in year or not isinstance(steps, yaml.MappingNode):
                problems.append(Problem(line_of(name), f"{key.value}", "乡镇（每个一次）: {步骤: 日期}", describe(name)))
                continue
            year[name.value] = _entry(steps, f"{key.value}.{name.value}", problems)
    return out


def _entry(node: yaml.MappingNode, where: str, problems: list[Problem]) -> Entry:
    found = {}
    for key, value in node.value:
        tags, read = _STEPS.get(key.value, ((), None)) if isinstance(key, yaml.ScalarNode) else ((), None)
        step = read(value.value) if isinstance(value, yaml.ScalarNode) and value.tag in tags else None
        if step is None or key.value in found:
            problems.append(Problem(line_of(key), f"{where}.{getattr(key, 'value', '')}",
                                    "已知的步骤及其日期（sent、returned、checked、reviewed、published: YYYY-MM-DD）",
                                    describe(value)))
            continue
        found[key.value] = step
    return Entry(**found)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One board writer at a time in ``folder`` (a lock on the folder itself: no lock file)."""
    try:
        import fcntl
    except ImportError:  # not on Linux: the atomic write still keeps the file whole
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def update(folder: Path, change: Callable[[Board], None], start: bool = True) -> Board | None:
    """Apply ``change`` to the board of ``folder`` and write it back; without ``start``, only a
    board that is already there (None when there is none)."""
    folder = Path(folder)
    if not start and not board_path(folder).exists():
        return None
    with _locked(folder):
        board = load_board(folder)
        change(board)
        data = board.as_data()
        text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)

        def same(tmp: Path) -> None:  # what is written must read back as what was meant
            if load_board_file(tmp) != data:
                raise ParamsError(str(board.path), (Problem(None, None, "读回一致", "写出的进度表读回不一致"),))

        write_atomic(board.path, text, check=same)
    return board


def load_board_file(path: Path) -> dict:
    return Board(path, _years(read_yaml(path), [])).as_data()


def today() -> str:
    return date.today().isoformat()


# -- the commands' steps --------------------------------------------------------------------------
def mark_sent(folder: Path, year: int, townships: Iterable[str], day: str | None = None) -> None:
    """``nianbao template`` wrote these townships' collection workbooks."""
    names = list(townships)
    if names:
        update(folder, lambda b: [b.set(year, n, sent=day or today()) for n in names])


def mark_returned(folder: Path, units: Iterable[tuple[int, str]], day: str | None = None) -> None:
    """``nianbao import`` wrote these township-years' params files into ``folder`` (a filled
    workbook or a published report came back), when the folder keeps a county file."""
    units = list(units)
    if units and (Path(folder) / COUNTY_FILE).exists():
        update(folder, lambda b: [b.set(year, name, returned=day or today()) for year, name in units])


def mark_checked(checked: Iterable[tuple[TownshipYear, CheckReport]], start: bool = False,
                 day: str | None = None) -> None:
    """``nianbao check`` (and ``review``) found these: each one's verdict and open findings; 已审核
    from the day none is left open, and no longer once a new one appears."""
    by_folder: dict[Path, list[tuple[TownshipYear, CheckReport]]] = {}
    for doc, report in checked:
        by_folder.setdefault(Path(doc.path).parent, []).append((doc, report))
    for folder, found in by_folder.items():
        if (folder / COUNTY_FILE).exists():
            update(folder, lambda b, found=found: _checked(b, found, day or today()), start=start)


def mark_folder(folder: "CountyFolder", run: "CheckRun", start: bool = False) -> None:
    """``mark_checked`` for every readable file of a checked folder."""
    mark_checked([(folder.docs[Path(r.path)], r) for r in run.reports if Path(r.path) in folder.docs],
                 start=start)


def _checked(board: Board, found: list[tuple[TownshipYear, CheckReport]], day: str) -> None:
    for doc, report in found:
        waiting = len(report.open)
        before = board.entry(doc.meta.year, doc.meta.township)
        reviewed = (before.reviewed or day) if waiting == 0 else None
        board.set(doc.meta.year, doc.meta.township, checked=day, passed=report.valid, open=waiting,
                  reviewed=reviewed)


def mark_published(folder: Path, year: int, township: str, url: str, day: str) -> None:
    update(folder, lambda b: b.set(year, township, published=day, url=url))


def missing(county: County, year: int, board: Board, reported: set[str], today_iso: str) -> tuple[list[str], str]:
    """(townships the county expects in ``year`` that have not reported — no params file, not
    returned, not published — , the deadline); the list is empty while the deadline has not passed."""
    deadline = f"{year + 1}-{county.deadline}"
    if today_iso <= deadline:
        return [], deadline
    late = [n for n in county.expected.get(year, ()) if n not in reported
            and not (board.entry(year, n).returned or board.entry(year, n).published)]
    return late, deadline


def publish(params_dir: Path, unit: str, year: int, url: str, day: str) -> tuple[str, str | None]:
    """``nianbao publish``: the township-year ``unit`` (its township's name or the unit's full
    name) is published at ``url`` on ``day``. Returns (the township, a warning when its report
    does not pass its checks); KitError when the unit, the address or the date is not one."""
    from urllib.parse import urlsplit

    from ..checks.folder import CountyFolder
    from ..errors import PublishRefused

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url.strip()):
        raise PublishRefused(unit, f"发布地址应为 http:// 或 https:// 开头的网址，实际为 {url!r}")
    try:
        day = date.fromisoformat(day).isoformat()
    except ValueError:
        raise PublishRefused(unit, f"发布日期应为 YYYY-MM-DD，实际为 {day!r}") from None
    folder = CountyFolder.open([params_dir])
    county = folder.required_county(Path(params_dir))
    docs = [d for d in folder.docs.values() if d.meta.year == year and unit in (d.meta.township, d.meta.unit)
            and Path(d.path).parent == Path(params_dir)]
    township = docs[0].meta.township if docs else unit
    if not docs and township not in county.expected.get(year, ()):
        raise PublishRefused(unit, f"{county.path} 的 {year} 年度清单中没有 {unit}，也没有其参数文件")
    warning = None
    if not docs:
        warning = f"{township} {year} 年度没有参数文件：发布的报告未经本工具校验"
    elif not folder.report(Path(docs[0].path)).valid:
        warning = f"{township} {year} 年度的报告校验未通过（nianbao check {docs[0].path}）"
    mark_published(Path(params_dir), year, township, url.strip(), day)
    return township, warning


@dataclass(frozen=True)
class Fresh:
    """A township-year's state as checked now (the build's, or `nianbao board`'s own check)."""

    status: str  # its status label: 校验通过（1 项已说明）
    key: str  # status.Status key: pass / warn / fail / error
    open: int  # findings no review answers


@dataclass(frozen=True)
class BoardRow:
    township: str
    entry: Entry
    fresh: Fresh | None  # None: no params file for the year
    late: bool  # 下级缺报: expected, not reported, and the deadline has passed

    @property
    def returned(self) -> str | None:
        """The day it came back, or 有参数文件 when its params are there though no import said so."""
        return self.entry.returned or ("有参数文件" if self.fresh else None)

    @property
    def reviewed(self) -> str | None:
        if self.fresh is None:
            return None
        return (self.entry.reviewed or "是") if self.fresh.open == 0 else None

    @property
    def stage(self) -> str:
        """The furthest step, the check as this build found it."""
        fresh = self.fresh
        return stage_of(self.entry, fresh and fresh.status, fresh is not None and fresh.key != "fail",
                        self.reviewed, self.late)


@dataclass(frozen=True)
class YearBoard:
    year: int
    rows: tuple[BoardRow, ...]
    deadline: str  # YYYY-MM-DD: when the townships' reports are due
    late: tuple[str, ...]  # 下级缺报, named


def year_board(county: County, board: Board, year: int, fresh: dict[str, Fresh],
               today_iso: str | None = None) -> YearBoard:
    """The board of ``year``: every township the county expects (and any other with params),
    with its steps; ``fresh`` is each township's state now, by name."""
    late, deadline = missing(county, year, board, set(fresh), today_iso or today())
    names = list(dict.fromkeys([*county.expected.get(year, ()), *sorted(fresh), *board.years.get(year, {})]))
    rows = tuple(BoardRow(n, board.entry(year, n), fresh.get(n), n in late) for n in names)
    return YearBoard(year, rows, deadline, tuple(late))


STEP_HEADS = ("乡镇（街道）", "采集表已发", "已收回", "校验", "待审核", "已审核", "已发布", "进度")


def board_lines(params_dir: Path, year: int | None = None) -> list[str]:
    """`nianbao board`: each year's board as text, checked now."""
    from ..checks.folder import CountyFolder
    from ..report.status import check_status

    folder = CountyFolder.open([params_dir])
    county = folder.required_county(Path(params_dir))
    board = load_board(params_dir)
    years = [year] if year else sorted(set(county.expected) | set(board.years), reverse=True)
    out = []
    for y in years:
        fresh = {}
        for path, doc in folder.docs.items():
            if doc.meta.year == y and path.parent == Path(params_dir):
                report = folder.report(path)
                status = check_status(report)
                fresh[doc.meta.township] = Fresh(status.label, status.key, len(report.open))
        yb = year_board(county, board, y, fresh)
        out.append(f"{y} 年度（报送期限 {yb.deadline}）")
        out.append("  " + " │ ".join(STEP_HEADS))
        for row in yb.rows:
            cells = (row.township, row.entry.sent, row.returned, row.fresh and row.fresh.status,
                     row.fresh and str(row.fresh.open), row.reviewed,
                     row.entry.published and f"{row.entry.published} {row.entry.url}", row.stage)
            out.append("  " + " │ ".join(c or "—" for c in cells))
        if yb.late:
            out.append(f"  下级缺报（截至 {yb.deadline} 未报送）：{'、'.join(yb.late)}")
        out.append("")
    return out
