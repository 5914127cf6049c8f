"""One published report read back into the kit's model: source → cells → tables, sections, meta.

``import_report`` never guesses: a cell it cannot read with certainty stays missing and is listed
in the report's ``source`` (not reached / unread), with the reasons in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .. import formats
from ..errors import NotAReport
from ..formats import FormatSpec, format_for_year
from ..model import HIGH, LOW, MEDIUM, Meta, Source, Table, TownshipYear, Value
from ..params.cellvalue import JUNK
from .cells import Cell, cells_of, shape_of
from .identity import UNKNOWN_COUNTY, Identity, identify, signature_lines
from .normalize import key, parse_value, squeeze
from .runon import recut
from .sections import Sections, headings, section_number, split_sections
from .sources import PDF, SourceText, read_source
from .tablereader import TableRead, read_table
from .vocabulary import distinctive

BY_YEAR = "年度"  # the format was told by the year, no table label being distinctive


@dataclass
class Imported:
    """A report read back, with everything the summary says about it."""

    doc: TownshipYear
    source: SourceText
    shape: str  # how the tables were flattened (cells.py)
    tables: dict[str, TableRead]
    sections: Sections
    identity: Identity
    format_evidence: str
    truncated: bool  # the text stops before the end of the report
    confidence: str = LOW
    reasons: list[str] = field(default_factory=list)  # why the confidence is not 高


def import_report(path: Path, unit: str | None = None, year: int | None = None,
                  county: str | None = None) -> Imported:
    """Read the published report at ``path`` (txt, html, pdf, docx) into a TownshipYear.

    Raises UnreadableFile (the file cannot be read) or NotAReport (no title, year or tables).
    """
    source = recut(read_source(path))
    shape = shape_of(source)
    cells = cells_of(source, shape)
    spec, evidence = _format(cells, year)
    # a heading is a line of its own, or the first cell of a row (a page laid out in a table)
    texts = [(line.number, line.text if line.cells is None else (line.cells[0] if line.cells else ""))
             for line in source.lines]
    heads = headings(texts, spec.sections)
    regions, last = _regions(cells, spec, heads)
    tables = _tables(spec, source, regions, last, shape)
    used = set().union(*(t.lines for t in tables.values()))
    text_lines = [(line.number, line.text) for line in source.lines if line.cells is None]
    sections = split_sections(text_lines, used, spec.sections, wrapped=source.kind == PDF, heads=heads)
    flat = [p for paras in sections.text.values() for p in paras]
    ident = identify(sections.preamble, flat, sections.text.get("other", []), path.stem,
                     unit, year, county)
    signed = signature_lines(sections.text.get("other", []), ident.unit)
    if signed:  # the unit and date that sign the report are not text of 六
        sections.text["other"] = sections.text["other"][:-signed]
    if not ident.unit or not ident.year:
        missing = "、".join(x for x, v in (("单位（--unit）", ident.unit), ("年度（--year）", ident.year))
                           if not v)
        raise NotAReport(f"未能从报告中读出{missing}，请在命令行指定")
    if not any(t.found for t in tables.values()) and not sections.found:
        raise NotAReport("没有找到年报的章节标题或表格（不是政府信息公开工作年度报告？）")
    if evidence == BY_YEAR and format_for_year(ident.year) is not spec:
        spec = format_for_year(ident.year)  # no table label told the format: the year does
        heads = headings(texts, spec.sections)
        regions, last = _regions(cells, spec, heads)
        tables = _tables(spec, source, regions, last, shape)
    truncated = last < len(spec.sections)
    result = Imported(_document(path, source, spec, tables, sections, ident, truncated, last),
                      source, shape, tables, sections, ident, evidence, truncated)
    _judge(result)
    return result


def _regions(cells: list[Cell], spec: FormatSpec, heads: dict[int, int]) -> tuple[dict[str, list[Cell]], int]:
    """The cells under headings 二, 三 and 四 (the tables), and the last section heading seen;
    ``heads``: the lines that head sections (sections.headings)."""
    regions: dict[str, list[Cell]] = {}
    current = 0
    for cell in cells:
        if cell.value is None and (found := heads.get(cell.line)) and found > current \
                and section_number(cell.text, 0, spec.sections) == found:
            current = found
            continue
        table = spec.sections[current - 1].table if current else None
        if table:
            regions.setdefault(table, []).append(cell)
    return regions, current


def _tables(spec: FormatSpec, source: SourceText, regions: dict[str, list[Cell]], last: int,
            shape: str) -> dict[str, TableRead]:
    """Each table of ``spec``: from the kit's own cell fields, or read from its section."""
    if source.fields:
        return {t.key: _from_fields(t, source.fields) for t in spec.tables}
    out = {}
    sections = len(spec.sections)
    for table in spec.tables:
        number = spec.section_of_table(table.key)
        out[table.key] = read_table(table, regions.get(table.key, []), seen=number <= last,
                                    truncated=last < sections and number >= last, shape=shape)
    scanned = {line.number: line.page for line in source.lines if line.ocr}
    if scanned:
        for read in out.values():
            _confirm_ocr(read, scanned)
    return out


BALANCE = (("new", "carried_over"), ("results_total", "carry_forward"))  # 一 + 二 = 三（七）+ 四


def _confirm_ocr(read: TableRead, scanned: dict[int, int | None]) -> None:
    """Keep a row OCR read only where the table's arithmetic confirms it: its parts add up to
    its 总计, and in table 三 一 + 二 = 三（七）+ 四 in every column; else it is unread, with why."""
    def ocr_row(row) -> bool:
        return any(read.origins.get((row.key, c.key)) in scanned for c in row.columns)

    def number(row, col):
        value = read.cells.get((row.key, col.key))
        return value if isinstance(value, int) else None

    rows = {row.key: row for row in read.spec.rows if ocr_row(row) and any(
        (row.key, c.key) in read.cells for c in row.columns)}
    doubtful: dict[str, str] = {}
    for row in rows.values():
        totals = [c for c in row.columns if c.derived]
        if not totals:
            doubtful[row.key] = "没有总计可以核对"
        for total in totals:
            parts = [number(row, row.column(k)) for k in total.derived_from]
            if number(row, total) is None or None in parts or sum(parts) != number(row, total):
                doubtful[row.key] = f"各项之和与总计不符（{'+'.join(map(str, parts))} ≠ {number(row, total)}）"
    if read.spec.key == "table3":
        (a, b), (c, d) = BALANCE
        if any(k in rows for k in (a, b, c, d)):
            for col in read.spec.row(a).columns:
                left = [read.cells.get((k, col.key)) for k in (a, b)]
                right = [read.cells.get((k, col.key)) for k in (c, d)]
                if all(isinstance(v, int) for v in left + right) and sum(left) != sum(right):
                    for k in (a, b, c, d):
                        if k in rows:
                            doubtful.setdefault(k, f"一+二 ≠ 三（七）+四（{col.label}）")
    for key, why in doubtful.items():
        row = rows[key]
        for col in row.columns:
            read.cells.pop((row.key, col.key), None)
        page = next((scanned[read.origins[(row.key, c.key)]] for c in row.columns
                     if read.origins.get((row.key, c.key)) in scanned), None)
        read.unread.append(f"{read.spec.key}.{row.key}")
        where = f"第 {page} 页" if page else "图片中"
        read.problems.append(f"{where} OCR 识别的「{row.label}」{why}，未采用")
    read.ocr_kept = [f"{read.spec.key}.{k}" for k in rows if k not in doubtful]


def _format(cells: list[Cell], year: int | None) -> tuple[FormatSpec, str]:
    """2019 or 2021, told by the labels only one of them prints; else by the year."""
    keys = [key(c.text) for c in cells if c.text]
    scores = {f: sum(k in distinctive(f) for k in keys) for f in formats.FORMATS}
    best = max(scores, key=scores.get)
    if scores[best] and list(scores.values()).count(scores[best]) == 1:
        return formats.FORMATS[best], f"表格标签（{scores[best]} 处只见于 {best} 格式）"
    return format_for_year(year or date.today().year), BY_YEAR


def _from_fields(spec, fields: dict[str, str]) -> TableRead:
    """A page the kit rendered: every value cell names its params field."""
    out = TableRead(spec, found=True)
    for row in spec.rows:
        for col in row.columns:
            text = fields.get(f"{spec.key}.{row.key}.{col.key}")
            value = parse_value(text) if text is not None else None
            if value is None:
                out.unread.append(f"{spec.key}.{row.key}.{col.key}")
                out.problems.append(f"「{row.label}·{col.label}」没有读到数值（{text!r}）")
            else:
                out.cells[(row.key, col.key)] = value.value
    return out


def _document(path: Path, source: SourceText, spec: FormatSpec, tables: dict[str, TableRead],
              sections: Sections, ident: Identity, truncated: bool, last: int) -> TownshipYear:
    meta = Meta(unit=ident.unit, township=ident.township or ident.unit,
                county=ident.county or UNKNOWN_COUNTY, kind=ident.kind, year=ident.year,
                format=spec.key, published=ident.published)
    narrative = spec.narrative_skeleton() | {k: "\n".join(v) for k, v in sections.text.items()}
    if source.narrative is not None:  # a page the kit rendered: its parts say which text is where
        narrative |= source.narrative
    not_reached = [p for t in tables.values() for p in t.not_reached]
    if truncated:
        not_reached += [f"narrative.{s.key}" for i, s in enumerate(spec.sections, 1)
                        if i > last and not s.table]
    unread = [p for t in tables.values() for p in t.unread]
    decoded = [p for t in tables.values() for p in t.decoded]
    name = JUNK.sub("", path.name)  # a file name may hold an escape character
    src = Source(file=name, sha256=source.sha256, kind=source.kind, confidence=LOW,
                 not_reached=_compact(spec, not_reached), unread=_compact(spec, unread),
                 decoded=_compact(spec, decoded),
                 preface="\n".join(squeeze(line) if source.kind == PDF else line for line in ident.preface),
                 origins=_origins(name, source, tables))
    built = {k: _table(spec.table(k), t) for k, t in tables.items()}
    return TownshipYear(path=str(path), meta=meta, spec=spec, narrative=narrative,
                        tables=built, source=src)


def _compact(spec: FormatSpec, paths: list[str]) -> tuple[str, ...]:
    """Cell paths gathered into their row, rows into their table, where all of it is listed."""
    have = set(paths)
    for table in spec.tables:
        for row in table.rows:
            cells = {f"{table.key}.{row.key}.{c.key}" for c in row.columns}
            if cells <= have:
                have = (have - cells) | {f"{table.key}.{row.key}"}
        rows = {f"{table.key}.{r.key}" for r in table.rows}
        if rows <= have:
            have = (have - rows) | {table.key}
    return tuple(p for p in spec.field_paths if p in have)


def _origins(name: str, source: SourceText, tables: dict[str, TableRead]) -> dict[str, str]:
    """Where each table row was printed: the file's line, or a PDF's page; a row whose cells
    stand on different lines gives each cell its own."""
    pages = {line.number: line.page for line in source.lines if line.page}
    def where(line: int) -> str:
        return f"{name} 第 {pages[line]} 页" if line in pages else f"{name}:{line}"
    out: dict[str, str] = {}
    for key, read in tables.items():
        rows: dict[str, dict[str, int]] = {}
        for (row, col), line in read.origins.items():
            rows.setdefault(row, {})[col] = line
        for row, lines in rows.items():
            if len(set(lines.values())) == 1:
                out[f"{key}.{row}"] = where(next(iter(lines.values())))
            else:
                out.update({f"{key}.{row}.{col}": where(line) for col, line in lines.items()})
    return out


def _table(spec, read: TableRead) -> Table:
    """Every cell read; a cell not read is present and missing, except a derived row that was
    not printed (the kit computes it)."""
    cells: dict[tuple[str, str], Value] = {}
    for row in spec.rows:
        printed = any((row.key, c.key) in read.cells for c in row.columns)
        if row.derived and not printed and f"{spec.key}.{row.key}" not in read.not_reached:
            continue
        for col in row.columns:
            cells[(row.key, col.key)] = read.cells.get((row.key, col.key))
    return Table(spec, cells)


# 把握 (how sure an import is), from the share of the printed cells read directly as printed:
SURE, FAIR = 0.98, 0.90  # 高 from SURE up, 中 from FAIR up, 低 below


def _judge(result: Imported) -> None:
    """How sure the importer is of what it read (docs/importing.md, 把握). The cells the copy
    prints are those not cut off and not in a row it leaves out; of those, the share read as
    printed — not unread, not decoded from digits run together — sets it: 高 from 98 %, 中 from
    90 %, else 低. It is at most 中 where a label was mended, a row the format has is missing or
    the unit or year came from the text, and 低 where either came from the file's name, a label
    with values matches no row, or the title's year is not the 统计期限's. A copy cut off is said,
    and judged by what it prints."""
    reasons: list[str] = []
    doc, src = result.doc, result.doc.source
    absent = tuple(p for t in result.tables.values() for p in t.absent)
    total = len(doc.spec.cell_paths)
    not_printed = _cells(doc, src.not_reached) + _cells(doc, absent)
    printed = total - not_printed
    missed = _cells(doc, src.unread) - _cells(doc, absent) + _cells(doc, src.decoded)
    share = (printed - missed) / printed if printed else 0.0
    level = 2 if share >= SURE else 1 if share >= FAIR else 0  # 高 中 低
    reasons.append(f"读到印出的 {printed - missed}/{printed} 格（{share:.0%}）")
    if src.not_reached:
        reasons.append(f"原文截断，{_cells(doc, src.not_reached)} 格未印出（不计入把握）")
    if absent:
        reasons.append(f"原文缺少 {len(absent)} 个官方表格行（{_cells(doc, absent)} 格）")
        level = min(level, 1)
    if src.unread and _cells(doc, src.unread) > _cells(doc, absent):
        reasons.append(f"{_cells(doc, src.unread) - _cells(doc, absent)} 格无法确定地读出")
    if src.decoded:  # certain by the row's arithmetic, yet not read as printed
        reasons.append(f"{_cells(doc, src.decoded)} 格由连写数字解码（非直接读出）")
    for field_name, where in result.identity.sources.items():
        if where in ("正文", "文件名"):
            reasons.append(f"{_FIELD_ZH[field_name]}取自{where}")
            if field_name != "county":  # the county is the analyst's to confirm, not the report's
                level = min(level, 0 if where == "文件名" else 1)
    mended = sum(("（截断）" in r or "（缺字）" in r) for t in result.tables.values() for r in t.repairs)
    if mended:
        reasons.append(f"{mended} 个标签不完整，按唯一可能的官方标签读取")
        level = min(level, 1)
    unmatched = sum(len(t.unmatched) for t in result.tables.values())
    if unmatched:
        reasons.append(f"{unmatched} 个带数值的标签与官方表格不符")
        level = 0
    if result.identity.period_year:
        reasons.append(f"标题所称 {doc.meta.year} 年度与统计期限的 {result.identity.period_year}"
                       " 年不一致，按标题导入（见 M-YEAR）")
        level = 0
    ocr = [line for line in result.source.lines if line.ocr]
    if ocr:
        kept = sum(_cells(doc, tuple(t.ocr_kept)) for t in result.tables.values())
        pages = sorted({line.page for line in ocr if line.page})
        what = f"第 {'、'.join(map(str, pages))} 页为扫描件" if pages else "文中的图片"
        reasons.append(f"{what}，经 OCR 识别；其中表格 {kept} 格经勾稽关系核对后采用，核对不上的行未采用")
        level = min(level, 1)
    if result.source.recut:
        reasons.append(f"原文 {result.source.recut} 行连排，已按标题和单元格拆开（行号指拆开后的段）")
    if result.source.cleaned:
        reasons.append(f"原文含 {result.source.cleaned} 个控制字符或非字符（如 U+0090、U+FFFE），已清除")
    result.reasons = reasons
    result.confidence = (LOW, MEDIUM, HIGH)[level]
    result.doc = _with_confidence(result.doc, result.confidence)


def _cells(doc: TownshipYear, paths: tuple[str, ...]) -> int:
    """How many value cells ``paths`` cover."""
    return sum(1 for p in doc.spec.cell_paths if doc.source.covers(paths, p))


_FIELD_ZH = {"unit": "单位", "year": "年度", "county": "县"}


def _with_confidence(doc: TownshipYear, confidence: str) -> TownshipYear:
    return replace(doc, source=replace(doc.source, confidence=confidence))
