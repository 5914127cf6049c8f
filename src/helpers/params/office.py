"""What the office adds to a township-year's params file beside the report: its answers to the
findings (``reviews:``, written by ``nianbao review``) and the request ledger its tables 三 and 四
are counted from (``ledger:``, written by ``nianbao import`` of a ledger workbook). Read, like the
rest of the file, strictly: a block of the wrong shape is a problem with its line; whether an
answer names a finding that fires, or a record is countable, is for the checks to say.
"""

from __future__ import annotations

import re

import yaml

from ..errors import Problem
from ..formats.ledger import CASE_COLUMNS, REQUEST_COLUMNS
from ..model import CONFIRMED, VERDICTS, Ledger, LedgerRecord, Review
from .cellvalue import INT_RE
from .rows import _known
from .yamlnodes import INT, NULL, STR, TIMESTAMP, MappingReader, describe, line_of

LEDGER_KEYS = ("file", "sha256", "requests", "cases")
REVIEW_KEYS = ("verdict", "reason", "by", "date")
_FINDING_ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?:@\S.*)?")


class OfficeBlocks:
    """The ``reviews:`` and ``ledger:`` blocks; needs ``problems``, ``lines``, ``_scalar`` and
    ``_date`` of the loader it is mixed into."""

    problems: list[Problem]
    lines: dict[str, int]

    # -- reviews (written by nianbao review, or by hand) ---------------------------------------
    def _reviews(self, node: yaml.Node | None) -> tuple[Review, ...]:
        """``reviews:``: a finding's id → its verdict, reason, who and when. Whether the id names
        a finding that fires, and whether its rule may be explained, is for the checks to say."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
            return ()
        expected = "问题编号: {verdict: 已核实/已说明/误报, reason: 理由, by: 审核人, date: 日期}"
        if not isinstance(node, yaml.MappingNode):
            self.problems.append(Problem(line_of(node), "reviews", expected, describe(node)))
            return ()
        out: dict[str, Review] = {}
        for key, value in node.value:
            finding = key.value.strip() if isinstance(key, yaml.ScalarNode) else ""
            if not _FINDING_ID.fullmatch(finding):
                self.problems.append(Problem(line_of(key), "reviews", "问题编号（如 T2-GUICHANG@table2.rules，"
                                             "见 nianbao check 或 nianbao review）", describe(key)))
            elif finding in out:
                self.problems.append(Problem(line_of(key), f"reviews.{finding}",
                                             f"每个问题只审核一次（第 {out[finding].line} 行已有）", "重复的编号"))
            elif (review := self._review(finding, line_of(key), value)) is not None:
                out[finding] = review
        return tuple(out.values())

    def _review(self, finding: str, line: int, node: yaml.Node) -> Review | None:
        field = f"reviews.{finding}"
        reader = MappingReader(node, field, _known(*REVIEW_KEYS, 结论="verdict", 理由="reason",
                                                   审核人="by", 日期="date"), self.problems)
        before = len(self.problems)
        verdict_node = reader.require("verdict", "已核实 / 已说明 / 误报")
        verdict = self._scalar(verdict_node, f"{field}.verdict", "已核实 / 已说明 / 误报", (STR,))
        if verdict is not None and verdict not in VERDICTS:
            self.problems.append(Problem(line_of(verdict_node), f"{field}.verdict", "已核实 / 已说明 / 误报",
                                         repr(verdict)))
        reason_node = reader.get("reason")
        reason = self._scalar(reason_node, f"{field}.reason", "文本（text）", (STR,)) or ""
        by = self._scalar(reader.require("by", "审核人（text）"), f"{field}.by", "审核人（text）", (STR,))
        date_node = reader.require("date", "日期 YYYY-MM-DD")
        date = self._date(date_node, f"{field}.date")
        if len(self.problems) > before or reader.line is None:
            return None
        for missing, key, expected in ((not reason and verdict != CONFIRMED, "reason", f"{verdict}须写明理由"),
                                       (not by, "by", "审核人（text）"), (not date, "date", "日期 YYYY-MM-DD")):
            if missing:
                self.problems.append(Problem(line_of(reader.get(key)) if reader.get(key) else line,
                                             f"{field}.{key}", expected, "缺失或空白"))
        if len(self.problems) > before:
            return None
        return Review(finding, verdict, by, date, reason, line)

    # -- ledger (written by nianbao import of a ledger workbook) ------------------------------
    def _ledger(self, node: yaml.Node | None) -> Ledger | None:
        """``ledger:``: the workbook's name and digest, and its records by sheet row, each as
        typed (the checks judge them: a bad date is a finding at its cell, not a load error)."""
        if node is None:
            return None
        reader = MappingReader(node, "ledger", _known(*LEDGER_KEYS), self.problems)
        self.lines["ledger"] = line_of(node)
        text = {k: self._scalar(reader.require(k, "文本（text）"), f"ledger.{k}", "文本（text）", (STR,))
                for k in ("file", "sha256")}
        requests = self._records(reader.get("requests"), "ledger.requests", len(REQUEST_COLUMNS))
        cases = self._records(reader.get("cases"), "ledger.cases", len(CASE_COLUMNS))
        if any(v is None for v in text.values()):
            return None
        return Ledger(text["file"], text["sha256"], requests, cases)

    def _records(self, node: yaml.Node | None, field: str, width: int) -> tuple[LedgerRecord, ...]:
        expected = f"台账行号: [{width} 个值]（文本或 ~）"
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
            return ()
        if not isinstance(node, yaml.MappingNode):
            self.problems.append(Problem(line_of(node), field, expected, describe(node)))
            return ()
        out: dict[int, LedgerRecord] = {}
        for key, value in node.value:
            row = int(key.value) if isinstance(key, yaml.ScalarNode) and key.tag == INT and \
                INT_RE.fullmatch(key.value) else None
            items = value.value if isinstance(value, yaml.SequenceNode) else None
            if row is None or row < 1 or row in out or items is None or len(items) != width or not all(
                    isinstance(i, yaml.ScalarNode) and i.tag in (STR, INT, NULL, TIMESTAMP) for i in items):
                self.problems.append(Problem(line_of(key), field, expected, describe(key)))
                continue
            values = tuple(None if i.tag == NULL else i.value for i in items)
            out[row] = LedgerRecord(row, values, line_of(key))
        return tuple(out.values())
