"""What a rule gets and what it yields; shared by every rule module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, NamedTuple

from ..formats import DEFAULT_DEADLINE, RULE_CATALOGUE, RowSpec, TableSpec
from ..model import Finding, Location, TownshipYear, format_number, row_label


@dataclass(frozen=True)
class Context:
    """One township-year and what the rules may compare it with."""

    doc: TownshipYear
    previous: TownshipYear | None = None  # last year's report of the same unit (X-*)
    neighbours: tuple[str, ...] = ()  # the other townships of the county (M-UNIT)
    deadline: str = DEFAULT_DEADLINE  # MM-DD in the year after the report (M-DEADLINE)
    extra: dict = field(default_factory=dict)


class Violation(NamedTuple):
    """A rule broken once; the engine adds the rule id and severity to make a Finding."""

    message: str
    location: Location
    expected: str | None = None
    found: str | None = None
    severity: str | None = None  # the rule's own unless given (INFO: undecided for now)


RuleFunc = Callable[[Context], Iterable[Violation]]


fmt = format_number  # short: the rules quote many figures


def cell_location(doc: TownshipYear, table: TableSpec, row: RowSpec, col_label: str | None,
                  col_key: str | None = None) -> Location:
    field = f"{table.key}.{row.key}" + (f".{col_key}" if col_key else "")
    line = doc.line(table.key, row.key, col_key) if col_key else doc.line(table.key, row.key)
    return Location(table=table.number, row=row_label(table, row), column=col_label,
                    field=field, line=line)


def text_location(doc: TownshipYear, key: str, sentence: str, offset: int) -> Location:
    sections = {s.key: s for s in doc.spec.sections}
    head, _, sub = key.partition(".")
    title = sections[head].title
    if sub:
        title += next(s.title for s in sections[head].subsections if s.key == sub)
    return Location(section=title, sentence=sentence, field=f"narrative.{key}",
                    line=doc.text_line(key, offset))


_SEVERITY = {id: severity for id, severity, *_ in RULE_CATALOGUE}


def kit_finding(rule: str, message: str, location: Location, expected=None, found=None) -> Finding:
    """A finding the kit raises outside the rules (over a county, about a review), with its
    catalogue severity."""
    return Finding(rule, _SEVERITY[rule], message, location, expected, found)
