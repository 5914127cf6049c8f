"""What a report's state is called: one set of words for the report's banner, the index, the
audit page and the build summary."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import EXPLAINED, FALSE_POSITIVE, CheckReport


@dataclass(frozen=True)
class Status:
    key: str  # also the CSS class: status-pass, st-pass
    name: str  # the word every page uses
    rank: int  # sort order on the index: what needs attention first
    note: str = ""  # what the report's banner adds after the name
    answered: str = ""  # （2 项已说明）: findings the office's reviews cleared

    @property
    def label(self) -> str:
        """The name with what reviews cleared: 校验通过（2 项已说明）. Counts group by ``name``."""
        return self.name + self.answered

    @property
    def banner(self) -> str:
        return self.label + self.note

    def __str__(self) -> str:
        return self.label


PASSED = Status("pass", "校验通过", 4)
WARNED = Status("warn", "有警告", 3)
REJECTED = Status("fail", "校验未通过", 2, note="（不得发布）")
BUILD_FAILED = Status("error", "执行失败", 0)
MISSING = Status("missing", "缺少数据", 1)
STATUSES = (PASSED, WARNED, REJECTED, BUILD_FAILED, MISSING)
BY_KEY = {s.key: s for s in STATUSES}


def status_of(errors: int, warnings: int, explained: int = 0, false_positives: int = 0) -> Status:
    """A checked report's status from its counts of open error and warning findings, and of the
    findings reviews cleared as 已说明 and 误报 (said after the name when it passes)."""
    if errors:
        return REJECTED
    return with_answered(WARNED if warnings else PASSED, explained, false_positives)


def with_answered(status: Status, explained: int, false_positives: int) -> Status:
    """``status`` saying how many findings reviews cleared: 校验通过（2 项已说明，1 项误报）."""
    parts = [f"{n} 项{what}" for n, what in ((explained, "已说明"), (false_positives, "误报")) if n]
    return replace(status, answered=f"（{'，'.join(parts)}）") if parts and status.key in ("pass", "warn") else status


def check_status(check: CheckReport) -> Status:
    """The status of a CheckReport: its open errors and warnings, and what reviews cleared."""
    return status_of(len(check.errors), len(check.warnings), check.counted(EXPLAINED),
                     check.counted(FALSE_POSITIVE))
