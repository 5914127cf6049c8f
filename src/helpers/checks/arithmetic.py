"""The 勾稽关系 within one report: tables 三 and 四 add up; townships make no 规章."""

from __future__ import annotations

from typing import Iterator, NamedTuple

from ..formats import INFO, TOWNSHIP_KINDS, TableSpec
from ..model import Number, Table, is_number
from .base import Context, Violation, cell_location, fmt

_LEFT_OUT = object()  # a cell the params leave out (a 总计 the kit computes), not a blank


class Bound(NamedTuple):
    """What the filled cells prove of a sum: at least ``low`` (a blank count is unknown, never
    negative), exactly ``low`` when nothing is blank."""

    low: Number
    blanks: int  # cells not known (blank or text) under it

    @property
    def exact(self) -> bool:
        return self.blanks == 0


def bound(table: Table, row: str, col: str) -> Bound:
    """The cell as given, or a left-out 总计 as the bound of its parts."""
    known = table.numbers.get((row, col))  # a filled table's every cell: no walk over parts
    if known is not None:
        return Bound(known, 0)
    value = table.cells.get((row, col), _LEFT_OUT)
    if value is _LEFT_OUT:
        row_spec = table.spec.row(row)
        parts = ([(r, col) for r in row_spec.derived_from] if row_spec.derived else
                 [(row, c) for c in row_spec.column(col).derived_from])
        return _parts(table, parts) if parts else Bound(0, 1)
    return Bound(value, 0) if is_number(value) else Bound(0, 1)


def _sum(bounds: list[Bound]) -> Bound:
    return Bound(sum(b.low for b in bounds), sum(b.blanks for b in bounds))


def _parts(table: Table, keys: list[tuple[str, str]]) -> Bound:
    """The bound of a sum of cells: a dict lookup each when all are numbers (the rules' common
    case, a thousand reports a check), the walk over blanks only where some are not."""
    numbers = table.numbers
    values = [numbers.get(k) for k in keys]
    if None not in values:
        return Bound(sum(values), 0)
    return _sum([Bound(v, 0) if v is not None else bound(table, *k) for v, k in zip(values, keys)])


def _apart(a: Bound, b: Bound) -> bool:
    """Whether two sums can never be equal, whatever the blanks under them turn out to be."""
    return (a.exact and b.exact and a.low != b.low) or (a.exact and b.low > a.low) or (
        b.exact and a.low > b.low)


def _more(low: Bound) -> str:
    return fmt(low.low) if low.exact else f"至少 {fmt(low.low)}（{low.blanks} 格空白）"


class _Undecided:
    """The sums a rule could not decide for their blanks, said once at the end (INFO)."""

    def __init__(self):
        self.sums = self.blanks = 0

    def decided(self, a: Bound, b: Bound) -> bool:
        """Whether ``a`` and ``b`` are known apart (a finding); counted when blanks leave it open."""
        if _apart(a, b):
            return True
        if not (a.exact and b.exact):
            self.sums, self.blanks = self.sums + 1, self.blanks + a.blanks + b.blanks
        return False

    def note(self, ctx: Context, table: TableSpec, row, what: str) -> Iterator[Violation]:
        if self.sums:
            yield Violation(f"{what}尚不能校验：{self.sums} 处有空白格（共 {self.blanks} 格），填完后再校验",
                            cell_location(ctx.doc, table, row, None), "各格填写后校验",
                            f"{self.blanks} 格空白", severity=INFO)


def t3_balance(ctx: Context) -> Iterator[Violation]:
    """For every column: 一 + 二 = 三（七）总计 + 四 (the note printed on the form). A side the
    filled cells already make larger is out of balance whatever its blanks hold."""
    t3 = ctx.doc.table("table3")
    undecided = _Undecided()
    for col in t3.spec.row("new").columns:
        left = _parts(t3, [("new", col.key), ("carried_over", col.key)])
        right = _parts(t3, [("results_total", col.key), ("carry_forward", col.key)])
        if not undecided.decided(left, right):
            continue
        yield Violation(
            f"第一项加第二项之和（{_more(left)}）不等于第三项加第四项之和（{_more(right)}）"
            + ("" if left.exact and right.exact else "，空白格无论填什么都不能相等"),
            cell_location(ctx.doc, t3.spec, t3.spec.row("results_total"), col.label, col.key),
            f"一+二 = {_more(left)}", f"三（七）+四 = {_more(right)}")
    yield from undecided.note(ctx, t3.spec, t3.spec.row("results_total"), "第一项加第二项之和等于第三项加第四项之和")


def _given_totals(ctx: Context, key: str) -> Iterator[Violation]:
    """A 总计 column that is given must equal the sum of its row's parts (already too large
    when the filled parts alone exceed it)."""
    table = ctx.doc.table(key)
    undecided = _Undecided()
    for row in table.spec.rows:
        col = row.columns[-1]
        given = table.cells.get((row.key, col.key)) if col.derived else None
        if not is_number(given) or ctx.doc.decoded(f"{key}.{row.key}"):
            continue  # a decoded row's total holds by construction: it was cut to hold
        parts = _parts(table, [(row.key, c) for c in col.derived_from])
        if not undecided.decided(Bound(given, 0), parts):
            continue
        labels = "+".join(row.column(c).label for c in col.derived_from)
        yield Violation(f"总计（{fmt(given)}）不等于各项之和（{_more(parts)}）",
                        cell_location(ctx.doc, table.spec, row, col.label, col.key),
                        f"{labels} = {_more(parts)}", fmt(given))
    yield from undecided.note(ctx, table.spec, table.spec.rows[0], "总计等于各项之和")


def t3_rowtotal(ctx: Context) -> Iterator[Violation]:
    """For every row of table 三: 总计 = 自然人 + the five 法人或其他组织 columns."""
    return _given_totals(ctx, "table3")


def t4_rowtotal(ctx: Context) -> Iterator[Violation]:
    """For 行政复议 and both kinds of 行政诉讼: 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    return _given_totals(ctx, "table4")


def t3_resulttotal(ctx: Context) -> Iterator[Violation]:
    """For every column: （七）总计 = （一）+（二）+ every sub-row of （三）（四）（五）（六）."""
    t3 = ctx.doc.table("table3")
    row = t3.spec.row("results_total")
    if any(ctx.doc.decoded(f"table3.{r}") for r in (row.key, *row.derived_from)):
        return  # rows cut from run-together digits: the sums that chose the cut say nothing
    undecided = _Undecided()
    for col in row.columns:
        given = t3.cells.get((row.key, col.key))
        if not is_number(given):
            continue
        parts = _parts(t3, [(r, col.key) for r in row.derived_from])
        if not undecided.decided(Bound(given, 0), parts):
            continue
        yield Violation(f"{row.label}（{fmt(given)}）不等于各项办理结果之和（{_more(parts)}）",
                        cell_location(ctx.doc, t3.spec, row, col.label, col.key),
                        f"（一）至（六）各行之和 = {_more(parts)}", fmt(given))
    yield from undecided.note(ctx, t3.spec, row, f"{row.label}等于各项办理结果之和")


def t2_guichang(ctx: Context) -> Iterator[Violation]:
    """A 乡/镇/街道 cannot make 规章: the 规章 row should be 0."""
    if ctx.doc.meta.kind not in TOWNSHIP_KINDS:
        return
    t2: Table = ctx.doc.table("table2")
    spec: TableSpec = t2.spec
    row = spec.row("rules")
    for col in row.columns:
        value = t2.number(row.key, col.key)
        if value:
            yield Violation(f"{ctx.doc.meta.kind}级单位无权制定规章，规章一行应为 0",
                            cell_location(ctx.doc, spec, row, col.label, col.key), "0", fmt(value))
