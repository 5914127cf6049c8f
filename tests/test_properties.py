"""Properties: a random consistent report passes every rule; any single-cell change is caught."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.checks import Context, run_rules
from helpers.model import ERROR
from helpers.report.synthetic import synthetic_report
from util import with_cell

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def reports(draw):
    year = draw(st.sampled_from([2019, 2020, 2021, 2022, 2023]))
    kind = draw(st.sampled_from(["乡", "镇", "街道"]))
    return synthetic_report("随机镇", year, draw(st.integers(0, 10**9)), kind=kind,
                            scale=draw(st.integers(0, 30)))


def _checked_cells(doc):
    """Every cell a rule can hold to account within one report: all of tables 三 and 四, and
    the table-二 cells the narrative states (all of 2021's; 2019's publishing and decisions)."""
    stated_2019 = {("rules", "published"), ("normative", "published"), ("licensing", "decisions"),
                   ("penalty", "decisions"), ("enforcement", "decisions")}
    for key, table in doc.tables.items():
        for (row, col) in table.cells:
            if key != "table2" or doc.meta.format == "2021" or (row, col) in stated_2019:
                yield key, row, col


@SETTINGS
@given(reports())
def test_a_consistent_report_passes_every_rule(doc):
    assert run_rules(Context(doc)) == []


@SETTINGS
@given(reports(), st.data())
def test_any_single_cell_change_is_caught_by_an_error_rule(doc, data):
    key, row, col = data.draw(st.sampled_from(sorted(_checked_cells(doc))))
    old = doc.tables[key].cells[(row, col)]
    change = data.draw(st.sampled_from(["up", "down", "blank"]))
    if change == "blank":
        new = None
    elif change == "down" and old >= 1:
        new = old - 1
    else:
        new = old + (Decimal("0.01") if isinstance(old, Decimal) else 1)
    errors = [f for f in run_rules(Context(with_cell(doc, key, row, col, new))) if f.severity == ERROR]
    assert errors, f"{key}.{row}.{col}: {old} → {new} went unnoticed"


@SETTINGS
@given(st.integers(0, 10**9), st.sampled_from([2019, 2020, 2021]), st.integers(2, 4))
def test_a_consistent_series_of_years_passes_the_cross_year_rules(seed, first, years):
    previous = None
    for year in range(first, first + years):
        doc = synthetic_report("随机镇", year, seed, previous=previous)
        assert run_rules(Context(doc, previous=previous)) == []
        if previous is not None:  # and last year's 结转 is held to account
            changed = with_cell(previous, "table3", "carry_forward", "natural_person",
                                previous.tables["table3"].number("carry_forward", "natural_person") + 1)
            assert "X-CARRY" in [f.rule for f in run_rules(Context(doc, previous=changed))]
        previous = doc


@SETTINGS
@given(reports(), st.data())
def test_a_tables_numbers_are_its_values_that_are_numbers(doc, data):
    """Table.numbers (one pass over a precomputed order) says what Table.value says, cell by
    cell, whatever is left out (a derived cell is then summed), blank, or text."""
    from helpers.model import Invalid, Table, is_number

    for table in doc.tables.values():
        keys = sorted(table.cells)
        changes = data.draw(st.dictionaries(st.sampled_from(keys), st.sampled_from(
            ["left out", None, Invalid("x"), 0, 7, Decimal("1.5")]), max_size=12))
        cells = {k: v for k, v in {**table.cells, **changes}.items() if v != "left out"}
        changed = Table(table.spec, cells)
        values = {(r.key, c.key): changed.value(r.key, c.key)
                  for r in table.spec.rows for c in r.columns}
        assert changed.numbers == {k: v for k, v in values.items() if is_number(v)}


@SETTINGS
@given(reports(), st.integers(0, 10**9), st.data())
def test_a_rollup_is_the_townships_values_added_cell_by_cell(doc, seed, data):
    """A cell the townships give as numbers is their sum (a left-out 总计 counted as its parts);
    a township's blank or text is left out of it — the sum of those that filled it — and the
    cell's origin says how many that is and who did not."""
    from helpers.model import Invalid, is_number, sum_values
    from helpers.year.rollup import rollup

    other = synthetic_report("另一镇", doc.meta.year, seed, kind=doc.meta.kind)
    key, row, col = data.draw(st.sampled_from(sorted(_checked_cells(doc))))
    spoilt = with_cell(doc, key, row, col, data.draw(st.sampled_from([None, Invalid("x"), 5])))
    summed = rollup([spoilt, other], "示例县")
    for table in summed.tables.values():
        for r in table.spec.rows:
            for c in r.columns:
                parts = [d.table(table.spec.key).number(r.key, c.key) for d in (spoilt, other)]
                given = [p for p in parts if p is not None]
                assert table.value(r.key, c.key) == (sum_values(given) if given else None), (table.spec.key, r.key, c.key)
                origin = summed.origin(f"{table.spec.key}.{r.key}.{c.key}") or ""
                if given and len(given) < 2:
                    missing = spoilt.meta.township if parts[0] is None else "另一镇"
                    assert origin.startswith(f"1/2 个乡镇之和，{missing}未填"), origin