"""Stage checks: the rules of format.md §6, and the county folder that runs them once.

In: township-years from params (and last year's of the same unit). Out: findings, returned, never
raised; the county folder (folder.py), findings printed (present.py). Imports params and the bottom.

Each rule is an id (the one users look up), a severity, a Chinese title, and a function that
yields violations; the engine turns violations into findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import RULE_CATALOGUE
from ..model import Finding
from . import arithmetic, cells, imported, meta, text, years
from .base import Context, RuleFunc


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    check: RuleFunc
    needs_previous: bool = False


# Each rule's check, by its id; the ids, severities and titles are formats.RULE_CATALOGUE.
CHECKS: dict[str, RuleFunc] = {
    "T3-BALANCE": arithmetic.t3_balance, "T3-ROWTOTAL": arithmetic.t3_rowtotal,
    "T3-RESULTTOTAL": arithmetic.t3_resulttotal, "T4-ROWTOTAL": arithmetic.t4_rowtotal,
    "CELL-DOMAIN": cells.cell_domain, "CELL-BLANK": cells.cell_blank,
    "T2-GUICHANG": arithmetic.t2_guichang,
    "X-CARRY": years.x_carry, "X-STOCK": years.x_stock, "X-PENDING": years.x_pending,
    "X-ITEMS": years.x_items,
    "N-APPS": text.n_apps, "N-NONE": text.n_none, "N-RESULTS": text.n_results,
    "N-REVIEW": text.n_review, "N-T2": text.n_t2, "N-PARTS": text.n_parts,
    "M-YEAR": meta.m_year, "M-FORMAT": meta.m_format, "M-SECTIONS": meta.m_sections,
    "M-OVERSIGHT": meta.m_oversight, "M-FEE": meta.m_fee, "M-UNIT": meta.m_unit,
    "M-DEADLINE": meta.m_deadline, "M-CARRIED": meta.m_carried,
    "IMPORT-TRUNCATED": imported.import_truncated, "IMPORT-UNREAD": imported.import_unread,
}
RULES: tuple[Rule, ...] = tuple(Rule(id, severity, title, CHECKS[id], id.startswith("X-"))
                                for id, severity, title in RULE_CATALOGUE if id in CHECKS)
RULES_BY_ID = {r.id: r for r in RULES}
# Findings raised outside the rules above: by the loader, and over a whole county.
KIT_RULES: dict[str, tuple[str, str]] = {id: (severity, title) for id, severity, title
                                         in RULE_CATALOGUE if id not in CHECKS}


def run_rules(ctx: Context, cross_year: bool | None = None) -> list[Finding]:
    """The rules on one township-year, in the order of RULES; the loader's warnings come first.

    ``cross_year`` picks the X-* rules only (True) or all the others (False); None runs both.
    """
    found = list(ctx.doc.load_findings) if cross_year is not True else []
    for rule in RULES:
        if cross_year is not None and rule.needs_previous != cross_year:
            continue
        if rule.needs_previous and ctx.previous is None:
            continue
        found += [Finding(rule.id, rule.severity, v.message, v.location, v.expected, v.found)
                  for v in rule.check(ctx)]
    return found


__all__ = ["Context", "KIT_RULES", "RULES", "RULES_BY_ID", "Rule", "run_rules"]
