"""The office's reviews against the findings they answer (``reviews:`` in the params file).

A review names a finding by its id. It applies when that finding fires; a review of 已说明 or 误报
then clears it, where the rule catalogue lets the rule be explained. A review of a finding that
does not fire any more is stale (the cell was fixed: the record can go); one whose id could name
no finding of this report — an unknown rule, a table row the format does not have — is an error,
as is explaining away a rule that may not be. Each is a finding on the review's own line.
"""

from __future__ import annotations

from functools import lru_cache

from ..formats import ANSWERABLE, EXPLAINABLE, FORMATS
from ..model import Finding, Location, Review, TownshipYear
from .base import kit_finding


def answer(doc: TownshipYear, findings: list[Finding]) -> tuple[list[Finding], dict[str, Review]]:
    """(the findings with those about the reviews added, the reviews that apply by finding id)."""
    if not doc.reviews:
        return findings, {}
    firing = {f.id: f for f in findings}
    applied, problems = {}, []
    for review in doc.reviews:
        finding = firing.get(review.finding)
        if finding is None:
            problems.append(_unknown(review) if not possible(doc.spec.key, review.finding) else _stale(review))
        elif review.clears and finding.rule not in EXPLAINABLE:
            problems.append(_protected(review, finding))
        else:
            applied[review.finding] = review
    return findings + problems, applied


def may_clear(rule: str) -> bool:
    """Whether 已说明 or 误报 may clear a finding of ``rule`` (the rule catalogue says)."""
    return rule in EXPLAINABLE


def possible(fmt: str, finding_id: str) -> bool:
    """Whether ``finding_id`` could name a finding of a report in format ``fmt``: a rule that
    fires on a township-year, at a place the format has."""
    rule, _, where = finding_id.partition("@")
    if rule not in ANSWERABLE:
        return False
    place = where.partition("#")[0].partition("/")[0]
    return not place or place in _places(fmt) or place.startswith(("ledger.requests.", "ledger.cases."))


@lru_cache(maxsize=None)
def _places(fmt: str) -> frozenset[str]:
    from ..params.load import META_KEYS

    spec = FORMATS[fmt]
    return frozenset((*spec.field_paths, *(f"narrative.{k}" for k in spec.narrative_keys),
                      *(f"meta.{k}" for k in META_KEYS), *(s.title for s in spec.sections),
                      "narrative", "（文件）", "（缩进）", "ledger", "ledger.requests", "ledger.cases"))


def _kit(rule: str, message: str, review: Review, expected: str, found: str) -> Finding:
    return kit_finding(rule, message, Location(field=f"reviews.{review.finding}", line=review.line),
                       expected, found)


def _stale(review: Review) -> Finding:
    return _kit("REVIEW-STALE", f"审核记录（{review.verdict}，{review.by} {review.date}）所答的问题 "
                f"{review.finding} 已不再出现；如已改正，可删除此记录（nianbao review --prune）",
                review, "仍出现的问题", "未出现")


def _unknown(review: Review) -> Finding:
    return _kit("REVIEW-UNKNOWN", f"审核记录所答的问题编号 {review.finding} 不是本报告可能出现的问题"
                "（规则或位置不对）；编号见 nianbao check 或 nianbao review 的列表",
                review, "nianbao check 列出的问题编号", review.finding)


def _protected(review: Review, finding: Finding) -> Finding:
    return _kit("REVIEW-PROTECTED", f"{finding.rule} 属于勾稽关系或单元格取值，不能以“{review.verdict}”结案，"
                "只能改正数据（可记为“已核实”）", review, "已核实", review.verdict)
