"""`nianbao new-year Y`: year Y's params for every township of county.yaml, started from Y − 1.

What carries over is carried (上年结转 from last year's 结转下年度继续办理; the stock figures: 现行有效件数
as the base, or 上一年项目数量 = last year's + its 增/减 in the 2019 format); every other cell is
left blank, so CELL-BLANK lists what is still to fill; sections the kit can write become `auto`;
other text is copied with ``meta.carried_from`` set, so M-CARRIED flags each sentence that still
names last year until it is rewritten. Never over an existing file; county.yaml gains the year.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..checks.folder import CountyFolder
from ..errors import OutputError, ParamsError, ProblemFound
from ..formats import STOCK_IN_FORCE, STOCK_ITEMS, format_for_year
from ..model import Table, TownshipYear, Value, sum_values
from ..params.county import County, load_county
from ..params.load import existing_params, load_params
from ..params.write import format_params, scalar, write_atomic
from ..params.yamlnodes import encoded_like, text_of
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
    """Write year ``year``'s params of every township county.yaml lists for ``year`` − 1.

    All or nothing: every file is made and read back first (county.yaml with the year added
    must load to the same lists plus the new one), then the params files are written (never over
    a file, .yaml or .yml), county.yaml last; should any write fail, those written are removed.
    """
    folder = CountyFolder.open([params_dir], check=False)
    county = folder.required_county(params_dir)
    names = county.expected.get(year - 1) or sorted(
        {d.meta.township for d in folder.docs.values() if d.meta.year == year - 1})
    result = NewYear(year)
    last_year = {(d.meta.township, d.meta.year): d for d in folder.docs.values()
                 if Path(d.path).parent == params_dir}
    texts: dict[Path, str] = {}
    for name in names:
        last = last_year.get((name, year - 1))
        target = params_dir / f"{name}_{year}.yaml"
        if not safe_part(name):
            result.skipped.append(f"{name!r}：不是可用作文件名的乡镇名")
        elif last is None:
            result.skipped.append(f"{name}：没有 {year - 1} 年的参数文件，无从带入")
        elif (there := existing_params(target)) is not None:
            result.skipped.append(f"{there}：已存在，未覆盖")
        else:
            header = HEADER.format(name=name, year=year, last=year - 1)
            texts[target] = format_params(start_year(last, year), header)
            result.written.append(target)
    county_path = Path(county.path)
    county_bytes = None
    if year not in county.expected and (result.written or names):
        result.county_updated = True
        county_bytes = with_year(county_path, county, year, names)
    if not dry_run:
        _write_all(texts, county_path, county_bytes)
    return result


def _write_all(texts: dict[Path, str], county_path: Path, county_bytes: bytes | None) -> None:
    """The params files (each read back, none over an existing file), then county.yaml; on any
    failure the params files this run wrote are removed again."""
    done: list[Path] = []
    try:
        for target, text in texts.items():
            write_atomic(target, text, exclusive=True, check=load_params)
            done.append(target)
        if county_bytes is not None:  # read back already, by with_year, before anything was written
            write_atomic(county_path, county_bytes)
    except BaseException:
        for target in done:
            target.unlink(missing_ok=True)
        raise


def with_year(path: Path, county: County, year: int, names: list[str]) -> bytes:
    """county.yaml with ``year: [names]`` added to ``expected:``, its comments and encoding kept,
    each name written by the params writer (quoted where YAML would read it otherwise); checked
    to load back to the county's lists plus the new one before anything is written."""
    data = path.read_bytes()
    try:
        text = text_of(data)
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # marks in characters, for the edit
    except (ProblemFound, yaml.YAMLError) as exc:
        raise OutputError(str(path), f"county.yaml 无法改写（{exc}）") from None
    expected = next(v for k, v in root.value if k.value == "expected")
    entry = f"{year}: [{', '.join(scalar(n) for n in names)}]"
    if expected.flow_style:  # expected: {2021: [...]}: the entry goes inside the braces
        lines = text.split("\n")
        end = expected.end_mark
        at = sum(len(line) + 1 for line in lines[:end.line]) + end.column - 1
        new = text[:at] + (", " if expected.value else "") + entry + text[at:]
    else:
        new = _block_entry(text, expected, entry)
    out = encoded_like(data, new)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / path.name
        probe.write_bytes(out)
        _county_reads_back(probe, path, county, year, names)
    return out


def _block_entry(text: str, expected: yaml.MappingNode, entry: str) -> str:
    """``entry`` as a line after the last year of a block-style ``expected:``."""
    lines = text.split("\n")
    last = expected.value[-1][1] if expected.value else None
    indent = " " * (expected.value[0][0].start_mark.column if expected.value else 2)
    at = last.end_mark.line + (1 if last.end_mark.column else 0) if last else expected.start_mark.line + 1
    lines.insert(at, f"{indent}{entry}")
    return "\n".join(lines)


def _county_reads_back(probe: Path, path: Path, county: County, year: int, names: list[str]) -> None:
    try:
        again = load_county(probe)
    except ParamsError as exc:
        raise OutputError(str(path), f"加上 {year} 年度后无法读回（{exc.problems[0].describe(path.name)}）") from None
    if dict(again.expected) != {**county.expected, year: tuple(names)} or again.name != county.name:
        raise OutputError(str(path), f"加上 {year} 年度后读回的内容不一致")
