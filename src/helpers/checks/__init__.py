"""Stage checks: the rules of format.md §6, and the county folder that runs them once.

In: township-years from params (and last year's of the same unit). Out: findings, returned, never
raised; the county folder (folder.py), findings printed (present.py). Imports params and the bottom.

Each rule is an id (the one users look up), a severity, a Chinese title, and a function that
yields violations; the engine turns violations into findings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..formats import INFO, RULE_CATALOGUE
from ..model import Finding
from . import arithmetic, cells, imported, ledger, meta, text, years
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
    "X-ITEMS": years.x_items, "X-SIMILAR": years.x_similar,
    "N-APPS": text.n_apps, "N-NONE": text.n_none, "N-RESULTS": text.n_results,
    "N-REVIEW": text.n_review, "N-T2": text.n_t2, "N-PARTS": text.n_parts,
    "M-YEAR": meta.m_year, "M-FORMAT": meta.m_format, "M-SECTIONS": meta.m_sections,
    "M-OVERSIGHT": meta.m_oversight, "M-FEE": meta.m_fee, "M-UNIT": meta.m_unit,
    "M-DEADLINE": meta.m_deadline, "M-CARRIED": meta.m_carried,
    "IMPORT-TRUNCATED": imported.import_truncated, "IMPORT-UNREAD": imported.import_unread,
    "LEDGER-RECORD": ledger.ledger_record, "LEDGER-T3": ledger.ledger_t3, "LEDGER-T4": ledger.ledger_t4,
    "X-LEDGER": ledger.x_ledger,
}
RULES: tuple[Rule, ...] = tuple(Rule(id, severity, title, CHECKS[id], id.startswith("X-"))
                                for id, severity, title, _ in RULE_CATALOGUE if id in CHECKS)
RULES_BY_ID = {r.id: r for r in RULES}
# Findings raised outside the rules above: by the loader, and over a whole county.
KIT_RULES: dict[str, tuple[str, str]] = {id: (severity, title) for id, severity, title, _
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
        found += [Finding(rule.id, v.severity or rule.severity, v.message, v.location, v.expected,
                          v.found) for v in rule.check(ctx)]
    found = [f for f in found if f.severity != INFO] + [f for f in found if f.severity == INFO]
    return _with_origins(ctx.doc, found)  # notes of undecided rules after what was found


def _with_origins(doc, found: list[Finding]) -> list[Finding]:
    """Each finding with where its field was typed (崇文镇!D48) or printed, when the params file
    knows (imported from a collection workbook or a published report)."""
    if doc.source is None or not doc.source.origins:
        return found
    return [replace(f, location=replace(f.location, origin=_origin(doc, f.location))) for f in found]


def _origin(doc, location) -> str | None:
    """A cell's origin; for a row finding that names some of its columns (两格空白: 自然人、商业企业),
    each of those cells (崇文镇!D32、E32); else the row's."""
    table, _, row = (location.field or "").partition(".")
    if location.column and row and "." not in row and table in doc.tables:
        labels = set(location.column.split("、"))
        cells = [doc.origin(f"{location.field}.{c.key}")
                 for c in doc.table(table).spec.row(row).columns if c.label in labels]
        if cells and all(cells):
            sheet = cells[0].rpartition("!")[0]
            return "、".join([cells[0]] + [c.removeprefix(f"{sheet}!") if sheet else c for c in cells[1:]])
    return doc.origin(location.field)


__all__ = ["Context", "KIT_RULES", "RULES", "RULES_BY_ID", "Rule", "run_rules"]
