"""What a report's state is called: one set of words for the report's banner, the index, the
audit page and the build summary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    key: str  # also the CSS class: status-pass, st-pass
    name: str  # the word every page uses
    rank: int  # sort order on the index: what needs attention first
    note: str = ""  # what the report's banner adds after the name

    @property
    def banner(self) -> str:
        return self.name + self.note

    def __str__(self) -> str:
        return self.name


PASSED = Status("pass", "校验通过", 4)
WARNED = Status("warn", "有警告", 3)
REJECTED = Status("fail", "校验未通过", 2, note="（不得发布）")
BUILD_FAILED = Status("error", "执行失败", 0)
MISSING = Status("missing", "缺少数据", 1)
STATUSES = (PASSED, WARNED, REJECTED, BUILD_FAILED, MISSING)
BY_KEY = {s.key: s for s in STATUSES}


def status_of(errors: int, warnings: int) -> Status:
    """A checked report's status from its counts of error and warning findings."""
    if errors:
        return REJECTED
    return WARNED if warnings else PASSED
