"""Exceptions: the kit cannot go on. Report inconsistencies are findings (model.Finding), never raised.

Every exception carries its fields and builds its message from them, and survives pickling so
worker processes can hand it back (the pattern of papermill/exceptions.py and nbclient's
``__reduce__``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Exit statuses of every command, defined once.
EXIT_OK = 0  # nothing wrong
EXIT_FINDINGS = 1  # error findings, or a report that failed to build
EXIT_UNREADABLE = 2  # an input could not be read (the others were still handled)
EXIT_INTERRUPTED = 130  # Ctrl-C


@dataclass(frozen=True)
class Problem:
    """One reason a params file cannot be read: where, what was expected, what was found."""

    line: int | None
    field: str | None
    expected: str
    found: str

    def describe(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} 应为 {self.expected}，实际为 {self.found}"


class KitError(Exception):
    """Base of every error the kit raises on purpose."""

    exit_code = EXIT_UNREADABLE  # an input could not be read; a failed run says EXIT_FINDINGS

    def __reduce__(self):  # rebuild from the fields, not from the formatted message
        return (self.__class__, self._args())

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: the message, in red (the notebook)."""
        return [f"\x1b[31m{line}\x1b[0m" for line in str(self).splitlines()]

    def _args(self) -> tuple:
        return self.args


class WithReason(KitError):
    """An error about one file (or unit) and why, said as ``template`` with both filled in."""

    template = "{path}: {reason}"

    def __init__(self, path: str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(self.template.format(path=self.path, reason=reason))

    def _args(self) -> tuple:
        return (self.path, self.reason)


class FormatError(KitError):
    """An unknown report format (or a year no format covers)."""

    def __init__(self, given: str, valid: tuple[str, ...]):
        self.given, self.valid = given, valid
        super().__init__(f"未知的报告格式 {given!r}（unknown format）；可用：{', '.join(valid)}")

    def _args(self) -> tuple:
        return (self.given, self.valid)


class ParamsError(KitError):
    """A params file that cannot be turned into a report: every problem found, with its line."""

    def __init__(self, path: str, problems: tuple[Problem, ...]):
        self.path, self.problems = str(path), tuple(problems)
        lines = [p.describe(self.path) for p in self.problems]
        head = f"{self.path}: 参数文件无法读取（cannot read params file），{len(lines)} 处问题："
        super().__init__("\n".join([head, *("  " + x for x in lines)]))

    def _args(self) -> tuple:
        return (self.path, self.problems)


class RenderError(WithReason):
    """A notebook run or HTML export failed."""

    exit_code = EXIT_FINDINGS
    template = "{path}: 报告生成失败（render failed）：{reason}"


class KernelDied(RenderError):
    """The report's kernel died (or was killed): the report may succeed in a fresh one."""


class ReportRejected(KitError):
    """Strict mode: the report has error findings and must not be published."""

    exit_code = EXIT_FINDINGS

    def __init__(self, path: str, errors: tuple[str, ...]):
        self.path, self.errors = str(path), tuple(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{self.path}: 校验未通过，严格模式下不生成报告（strict: {len(self.errors)} errors）\n{lines}")

    def _args(self) -> tuple:
        return (self.path, self.errors)


class UnreadableFile(WithReason):
    """A published report that cannot be read at all (not a report, damaged, unknown type)."""

    template = "{path}: 无法读取（cannot read）：{reason}"


class NotAReport(KitError):
    """A file that was read but is not an annual report the kit can import."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)

    def _args(self) -> tuple:
        return (self.reason,)


class ImportBug(WithReason):
    """What an import would write does not read back the same: a bug of ours, never written."""

    exit_code = EXIT_FINDINGS
    template = "{path}: 导入结果无法读回（importer bug, please report）：{reason}"


class ProblemFound(Exception):
    """Internal to the YAML reader: one problem that stops reading the whole file (the loader
    turns it into a ParamsError with the file's path)."""

    def __init__(self, problem: Problem):
        super().__init__(problem)
        self.problem = problem

    def __reduce__(self):
        return (self.__class__, (self.problem,))


class OutputError(WithReason):
    """The output folder cannot be written (full disk, read-only, no permission): the build stops,
    and what was there before is left as it was."""

    template = "{path}: 无法写入输出（cannot write output）：{reason}；已有的文件未改动"


class NoReport(KitError):
    """A notebook cell asked to show the report when this run made none (a cell above failed)."""

    exit_code = EXIT_FINDINGS

    def __init__(self):
        super().__init__("本次运行没有生成报告（上面的单元格出错），此处不显示任何内容"
                         "（no report in this run）")

    def _args(self) -> tuple:
        return ()


class NoCountyList(KitError):
    """county.yaml lists no townships for a year (nor the year before) a command needs."""

    def __init__(self, path: str, year: int, line: int | None = None):
        self.path, self.year, self.line = str(path), year, line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: 没有 {year} 年度（也没有 {year - 1} 年度）的乡镇清单（expected:），"
                         f"请先在 county.yaml 中列出 {year} 年度应报告的乡镇")

    def _args(self) -> tuple:
        return (self.path, self.year, self.line)


class OutputExists(KitError):
    """A file the kit would write is already there and is not the kit's to replace: it is left
    as it is (``--force`` replaces it)."""

    def __init__(self, path: str):
        self.path = str(path)
        super().__init__(f"{self.path}: 已存在，未覆盖（exists, not replaced; --force 覆盖）")

    def _args(self) -> tuple:
        return (self.path,)


class RewriteRefused(WithReason):
    """A block the kit writes into an analyst's params file (reviews, the ledger) that did not
    read back as meant, or a file changed meanwhile: the file is left as it was."""

    exit_code = EXIT_FINDINGS
    template = "{path}: 未写入（not written）：{reason}；原文件未改动"


class ReviewRefused(WithReason):
    """A review that cannot be recorded: no such finding, a rule that may not be explained, a
    file changed meanwhile. Nothing is written."""

    exit_code = EXIT_FINDINGS
    template = "{path}: 审核未记录（review not recorded）：{reason}"


class PublishRefused(WithReason):
    """`nianbao publish` of a unit the county does not have, or an address or date that is not
    one (its ``path`` is the unit as typed)."""

    template = "{path}: 发布未记录（not recorded）：{reason}"


class OutputNameError(WithReason):
    """An output whose name cannot exist: too long for the file system, or a name Windows keeps
    for a device (CON, NUL…), where a bundle is opened."""

    template = "{path}: 输出文件名不可用（bad output name）：{reason}"


# OSError numbers that mean the output folder cannot take files: not the report's fault.
STORAGE_ERRNOS = frozenset({28, 30, 13, 1, 122})  # ENOSPC, EROFS, EACCES, EPERM, EDQUOT


def storage_reason(exc: BaseException) -> str | None:
    """The reason in Chinese when ``exc`` says the disk or folder cannot be written, else None."""
    if not isinstance(exc, OSError) or exc.errno not in STORAGE_ERRNOS:
        return None
    words = {28: "磁盘已满", 122: "磁盘配额已满", 30: "文件夹只读", 13: "没有写入权限", 1: "没有写入权限"}
    return f"{words[exc.errno]}（{exc.strerror}）"
