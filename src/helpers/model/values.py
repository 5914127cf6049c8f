"""A table's cells: a number, a blank, or text where a number belongs; the sums the form derives."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Mapping, Union

from ..formats import TableSpec, RowSpec

@dataclass(frozen=True)
class Invalid:
    """Text where a number belongs, kept as typed so the finding can quote it."""

    raw: str


Number = Union[int, Decimal]
Value = Union[int, Decimal, Invalid, None]  # None: the cell was left blank


_NUMBER_TYPES = frozenset((int, Decimal))  # bool, an int subclass, is not a count


def is_number(value: Value) -> bool:
    return type(value) in _NUMBER_TYPES


@dataclass(frozen=True)
class Table:
    """The cells a params file gives for one table. A derived cell that was left out is absent
    from ``cells`` and computed by :meth:`value`; a blank cell is present with the value None."""

    spec: TableSpec
    cells: Mapping[tuple[str, str], Value]

    def given(self, row: str, col: str) -> bool:
        return (row, col) in self.cells

    def value(self, row: str, col: str) -> Value:
        """The cell as given, or for a left-out derived cell the sum of its parts (None if any
        part is not a number)."""
        if (row, col) in self.cells:
            return self.cells[(row, col)]
        row_spec = self.spec.row(row)
        if row_spec.derived:
            return sum_values(self.value(r, col) for r in row_spec.derived_from)
        col_spec = row_spec.column(col)
        if col_spec.derived:
            return sum_values(self.value(row, c) for c in col_spec.derived_from)
        return None

    def number(self, row: str, col: str) -> Number | None:
        """The value when it is a usable number, else None (blank, text, or unknown part)."""
        return self.numbers.get((row, col))

    @cached_property
    def numbers(self) -> Mapping[tuple[str, str], Number]:
        """Every cell that is a usable number, derived ones included (computed once; the rules
        ask for the same cells many times). Same values as :meth:`value`, in one pass: a left-out
        derived cell is the sum of its parts' numbers, none when a part has none."""
        cells, out = self.cells, {}
        for key, parts in self.spec.sums:
            value = cells.get(key, cells)  # the mapping itself marks "left out"
            if value is cells:
                if not parts or any(p not in out for p in parts):
                    continue
                value = sum(out[p] for p in parts)
            elif type(value) not in _NUMBER_TYPES:
                continue
            out[key] = value
        return out

    def rows(self) -> tuple[RowSpec, ...]:
        return self.spec.rows

    def __reduce__(self):
        """Pickled as its values in the form's order (``...`` for a derived cell left out): a
        check ships a thousand tables from its workers, and the cells' keys, repeated in every
        one, were most of the bytes (and the cached ``numbers`` the rest)."""
        return _table, (self.spec, tuple(self.cells.get(k, ...) for k in self.spec.cell_keys))


def _table(spec: TableSpec, values: tuple) -> Table:
    return Table(spec, {k: v for k, v in zip(spec.cell_keys, values) if v is not ...})


def format_number(value: Value) -> str:
    """A value as every output prints it: 万元 amounts without trailing zeros, a blank as 空白,
    text as typed. The one number formatting of the kit."""
    if value is None:
        return BLANK_TEXT
    if isinstance(value, Invalid):
        return value.raw
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


BLANK_TEXT = "空白"  # how a blank cell reads on every page (and reads back): never "0"


def sum_values(values) -> Number | None:
    """The sum, or None when any value is not a number (blank, text): a blank is not 0."""
    total: Number = 0
    for v in values:
        if not is_number(v):
            return None
        total += v
    return total
