"""`nianbao new-year Y`: year Y's params for every township of county.yaml, started from Y − 1.

What carries over is carried (上年结转 from last year's 结转下年度继续办理; the stock figures: 现行有效件数
as the base, or 上一年项目数量 = last year's + its 增/减 in the 2019 format); every other cell is
left blank, so CELL-BLANK lists what is still to fill; sections the kit can write become `auto`;
other text is copied with ``meta.carried_from`` set, so M-CARRIED flags each sentence that still
names last year until it is rewritten. Never over an existing file; county.yaml gains the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..checks.folder import CountyFolder
from ..formats import STOCK_IN_FORCE, STOCK_ITEMS, format_for_year
from ..model import Table, TownshipYear, Value, sum_values
from ..params.write import format_params, write_atomic
from ..paths import safe_part
from ..report.narrative import AUTO_WORD, GENERATORS

HEADER = ("{name} {year} 年度参数文件：由 nianbao new-year 自 {last} 年报告生成。\n"
          "已带入：上年结转，以及现行有效的文件数（2019 格式为上年项目数）；其余数字为空白（~），请逐格填写。\n"
          "正文沿用上年文字的，校验会提示仍提及 {last} 年的句子，请改写。")


@dataclass
class NewYear:
    year: int
    written: list[Path] = field(default_factory=list)  # (or to be written, with --dry-run)
    skipped: list[str] = field(default_factory=list)  # why each township was not written
    county_updated: bool = False


def start_year(doc: TownshipYear, year: int) -> TownshipYear:
    """Year ``year``'s report of ``doc``'s unit, started from ``doc`` (its year − 1)."""
    spec = format_for_year(year)
    meta = replace(doc.meta, year=year, format=spec.key, published=None, carried_from=doc.meta.year)
    tables = {t.key: Table(t, _carried_cells(doc, t)) for t in spec.tables}
    narrative = {key: (AUTO_WORD if key in GENERATORS else doc.narrative.get(key, ""))
                 for key in spec.narrative_keys}
    return TownshipYear(doc.path, meta, spec, narrative, tables)


def _carried_cells(last: TownshipYear, table) -> dict[tuple[str, str], Value]:
    """Every value cell blank but what carries over; derived cells left to the kit."""
    cells: dict[tuple[str, str], Value] = {}
    same_stock = last.spec.stock_rule == format_for_year(last.meta.year + 1).stock_rule
    before = last.tables.get(table.key)
    for row in table.rows:
        if row.derived:
            continue
        for col in row.columns:
            if col.derived:
                continue
            cells[(row.key, col.key)] = _carried(before, row.key, col.key, same_stock)
    return cells


def _carried(before: Table | None, row: str, col: str, same_stock: bool) -> Value:
    if before is None:
        return None
    if before.spec.key == "table3" and row == "carried_over":
        return before.number("carry_forward", col)
    if not same_stock or before.spec.key != "table2":
        return None
    if col == STOCK_IN_FORCE:
        return before.number(row, STOCK_IN_FORCE)
    if col == STOCK_ITEMS:
        return sum_values((before.number(row, STOCK_ITEMS), before.number(row, "change")))
    return None


def new_year(params_dir: Path, year: int, dry_run: bool = False) -> NewYear:
    """Write year ``year``'s params of every township county.yaml lists for ``year`` − 1."""
    folder = CountyFolder.open([params_dir], check=False)
    county = folder.required_county(params_dir)
    names = county.expected.get(year - 1) or sorted(
        {d.meta.township for d in folder.docs.values() if d.meta.year == year - 1})
    result = NewYear(year)
    last_year = {(d.meta.township, d.meta.year): d for d in folder.docs.values()
                 if Path(d.path).parent == params_dir}
    for name in names:
        last = last_year.get((name, year - 1))
        target = params_dir / f"{name}_{year}.yaml"
        if not safe_part(name):
            result.skipped.append(f"{name!r}：不是可用作文件名的乡镇名")
        elif last is None:
            result.skipped.append(f"{name}：没有 {year - 1} 年的参数文件，无从带入")
        elif target.exists():
            result.skipped.append(f"{target}：已存在，未覆盖")
        else:
            if not dry_run:
                header = HEADER.format(name=name, year=year, last=year - 1)
                write_atomic(target, format_params(start_year(last, year), header))
            result.written.append(target)
    if year not in county.expected and (result.written or names):
        result.county_updated = True
        if not dry_run:
            add_year(Path(county.path), year, names)
    return result


def add_year(path: Path, year: int, names: list[str]) -> None:
    """county.yaml with ``year: [names]`` after the last year of ``expected:``, comments kept."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text)
    expected = next(v for k, v in root.value if k.value == "expected")
    lines = text.split("\n")
    last = expected.value[-1][1] if expected.value else None
    indent = " " * (expected.value[0][0].start_mark.column if expected.value else 2)
    at = last.end_mark.line + (1 if last.end_mark.column else 0) if last else expected.start_mark.line + 1
    entry = f"{indent}{year}: [{', '.join(names)}]"
    lines.insert(at if last else expected.start_mark.line + 1, entry)
    write_atomic(path, "\n".join(lines))

