"""Import many files: each on its own (a file that cannot be read never stops the others), each
params file checked by loading it back before it replaces anything, and never over an
analyst's file unless asked."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from dataclasses import replace

from ..checks.ledgercount import count
from ..errors import FormatError, ImportBug, KitError, NotAReport, UnreadableFile
from ..formats import format_for_year, get_format
from ..model import HIGH, Meta, build_document
from ..params.load import existing_params, load_params
from ..params.write import format_params, ledger_lines, rewrite_block, write_atomic
from ..paths import safe_name, safe_part
from ..year.collect import is_collection, read_workbook
from ..year.ledgerbook import is_ledger, read_ledger
from ..year.sheetlayout import SIGN_ROWS
from .imported import Imported, import_report
from .summary import OK, SKIPPED, ImportSummary, failed, summarize



# Seconds one file of each kind takes to read (bench/import_speed.py, 2 cores, 2026-11-29: a PDF
# 25–30 ms since PDFium, 0.65 s before), and what the worker processes cost before they pay
# (spawned, importing the importer's libraries, sending each result back): fewer files are read
# faster here — 8 PDFs took 0.28 s here and 0.37 s in two workers, 40 web pages 0.6 and 0.87 s.
_COST = {".pdf": 0.03, ".docx": 0.03, ".html": 0.016, ".htm": 0.016, ".shtml": 0.016}
_TEXT_COST = 0.003
WORKER_START = 0.6


@dataclass
class FileResult:
    path: Path
    summary: ImportSummary
    result: Imported | None = None  # None: the file could not be imported
    params: Path | None = None


def import_files(paths: list[Path], out_dir: Path | None, unit: str | None = None,
                 year: int | None = None, county: str | None = None, force: bool = False,
                 jobs: int | None = None, parallel: bool | None = None) -> list[FileResult]:
    """Import every file (in worker processes when there are many); write each params file into
    ``out_dir`` (None: do not write), here, one at a time, so two reports of one township-year
    never race for a name. ``parallel`` None: workers when the files are worth it."""
    ledgers = [p for p in paths if is_ledger(p)]  # request ledgers: counted into tables 三, 四
    books = [p for p in paths if is_collection(p) and p not in ledgers]  # collection workbooks
    paths = [p for p in paths if not is_collection(p)]
    tasks = [(path, unit, year, county) for path in paths]
    jobs = jobs or (os.cpu_count() or 1)
    work = sum(_COST.get(p.suffix.lower(), _TEXT_COST) for p in paths)
    if parallel if parallel is not None else jobs > 1 and work > 2 * WORKER_START:
        with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=get_context("spawn")) as pool:
            outcomes = list(pool.map(_read_one, tasks, chunksize=4))
    else:
        outcomes = [_read_one(task) for task in tasks]
    results: list[FileResult] = []
    written: dict[Path, str] = {}
    for book in books:
        results += _workbook(book, out_dir, year, force, written)
    for book in ledgers:
        results.append(_ledger(book, out_dir, force, written))
    for path, (imported, reason) in zip(paths, outcomes, strict=True):
        if imported is None:
            results.append(FileResult(path, failed(str(path), reason)))
            continue
        target = None if out_dir is None else out_dir / params_name(imported)
        if (reason := _kept(target, written, force)) is not None:
            results.append(FileResult(path, failed(str(path), reason, SKIPPED), imported))
            continue
        if target is not None:
            try:
                write_params(imported, target, force)
            except KitError as exc:  # this file alone: the others are still written
                results.append(FileResult(path, failed(str(path), str(exc)), imported))
                continue
            written[target] = path.name
        results.append(FileResult(path, summarize(imported, str(target) if target else None),
                                  imported, target))
    return results


def _workbook(book: Path, out_dir: Path | None, year: int | None, force: bool,
              written: dict[Path, str]) -> list[FileResult]:
    """Every sheet of a filled collection workbook: one params file each."""
    try:
        sheets = read_workbook(book, year)
    except UnreadableFile as exc:
        return [FileResult(book, failed(str(book), exc.reason))]
    results = []
    for sheet in sheets:
        where = f"{book}!{sheet.sheet}"
        if sheet.doc is None:
            results.append(FileResult(book, failed(where, "；".join(sheet.refused))))
            continue
        meta = sheet.doc.meta
        target = None if out_dir is None else out_dir / f"{meta.township}_{meta.year}.yaml"
        reason = _kept(target, written, force)
        if not safe_part(meta.township):
            reason = f"乡镇名「{meta.township[:20]}」不能用作文件名"
        if reason:
            results.append(FileResult(book, failed(where, reason, SKIPPED)))
            continue
        if target is not None:
            try:
                write_doc(sheet.doc, WORKBOOK_HEADER.format(book=book.name, sheet=sheet.sheet), target,
                          force)
            except KitError as exc:
                results.append(FileResult(book, failed(where, str(exc))))
                continue
            written[target] = where
        results.append(FileResult(book, ImportSummary(
            file=where, status=OK, params=str(target) if target else None, kind="xlsx",
            shape="数据采集表", unit=meta.unit, township=meta.township, county=meta.county,
            kind_of_unit=meta.kind, year=meta.year, format=sheet.doc.spec.key,
            format_evidence="采集表所注格式", confidence=sheet.doc.source.confidence,
            reasons=([UNTOUCHED] if sheet.untouched else []) + _signed(sheet) + list(sheet.notes)),
            None, target))
    return results


LEDGER_HEADER = ("{township} {year} 年度 — 参数文件，由 nianbao import 自依申请公开台账 {book} 生成。\n"
                 "表三、表四据台账计数（空白格由台账填入）；表二、各部分文字待填。Schema: docs/params.md.")


def _ledger(book: Path, out_dir: Path | None, force: bool, written: dict[Path, str]) -> FileResult:
    """A filled request ledger: into its township-year's params file as the ``ledger:`` block —
    the file's other lines untouched — or, where there is none yet, a new params file whose
    tables 三 and 四 the ledger fills."""
    try:
        read = read_ledger(book)
        spec = get_format(format_for_year(read.year).key)
    except (UnreadableFile, FormatError) as exc:
        return FileResult(book, failed(str(book), getattr(exc, "reason", str(exc))))
    if not safe_part(read.township):
        return FileResult(book, failed(str(book), f"乡镇名「{read.township[:20]}」不能用作文件名"))
    counted = count(read.ledger, spec.key, read.year)
    wrong = len(counted.problems)
    summary = ImportSummary(
        file=str(book), status=OK, kind=book.suffix.lstrip(".").lower(), shape="依申请公开台账",
        unit=read.unit, township=read.township, year=read.year, format=spec.key,
        format_evidence="台账所注年度", confidence=HIGH,
        reasons=[f"申请 {len(read.ledger.requests)} 件（计入 {len(counted.requests)} 件）、"
                 f"复议诉讼 {len(read.ledger.cases)} 件（计入 {len(counted.cases)} 件）"]
                + ([f"{wrong} 处记录有问题，见 nianbao check（LEDGER-RECORD，注明工作表、行、列）"] if wrong else []))
    if out_dir is None:
        return FileResult(book, summary)
    target = out_dir / f"{read.township}_{read.year}.yaml"
    there = existing_params(target)
    if (there or target) in written:
        return FileResult(book, failed(str(book), f"与 {written[there or target]} 是同一单位同一年度，只写一次", SKIPPED))
    try:
        if there is None:
            _new_from_ledger(read, spec, target, book)
        else:
            target = there
            skipped = _into_params(read, target, force)
            if skipped:
                return FileResult(book, failed(str(book), skipped, SKIPPED))
    except KitError as exc:
        return FileResult(book, failed(str(book), str(exc)))
    written[target] = book.name
    summary.params = str(target)
    return FileResult(book, summary, None, target)


def _new_from_ledger(read, spec, target: Path, book: Path) -> None:
    from ..params.county import COUNTY_FILE, load_county
    from ..year.template import guess_kind

    county = ""
    if (target.parent / COUNTY_FILE).exists():
        try:
            county = load_county(target.parent / COUNTY_FILE).name
        except KitError:
            county = ""
    meta = Meta(read.unit, read.township, county or "（待填）", guess_kind(read.township), read.year, spec.key)
    rows = {t.key: {r.key: [None] * sum(not c.derived for c in r.columns) for r in t.rows if not r.derived}
            for t in spec.tables}
    doc = replace(build_document(meta, rows, {}, str(target)), ledger=read.ledger)
    write_doc(doc, LEDGER_HEADER.format(township=read.township, year=read.year, book=book.name), target)


def _into_params(read, target: Path, force: bool) -> str | None:
    """Put the ledger in an existing params file (its ``ledger:`` block only); why not, if not."""
    doc = load_params(target)
    if (doc.meta.township, doc.meta.year) != (read.township, read.year):
        return f"{target} 是 {doc.meta.township} {doc.meta.year} 年度，台账是 {read.township} {read.year} 年度"
    if doc.ledger is not None and doc.ledger.sha256 == read.ledger.sha256:
        return f"{target} 已导入此台账，未变化"
    if doc.ledger is not None and not force:
        return f"{target} 已导入台账 {doc.ledger.file}；以新台账替换用 --force"
    def values(ledger) -> tuple:  # the records as typed (their params lines aside)
        return tuple(tuple(r.values for r in part) for part in (ledger.requests, ledger.cases)) if ledger else ()

    rewrite_block(target, "ledger", ledger_lines(read.ledger), lambda back: values(back.ledger) == values(read.ledger))
    return None


def _kept(target: Path | None, written: dict[Path, str], force: bool) -> str | None:
    """Why ``target`` is not written: this import wrote it already, or a params file of that name
    (.yaml or .yml) is there and ``force`` was not given; None when it may be written."""
    if target is None:
        return None
    if target in written:
        return f"与 {written[target]} 是同一单位同一年度，{target} 只写一次"
    if not force and (there := existing_params(target)) is not None:
        return f"{there} 已存在，未覆盖（--force 覆盖）"
    return None


def _signed(sheet) -> list[str]:
    """Who filled the sheet in and who checked it, as they signed it."""
    labels = dict(SIGN_ROWS)
    return ["；".join(f"{labels[k]}：{v[:40]}" for k, v in sheet.signed.items())] if sheet.signed else []


UNTOUCHED = "未填写：除上年结转外所有填写格都是空的，像是发出时的空表（请确认收到的是填好的表）"
WORKBOOK_HEADER = ("由 nianbao import 自数据采集表 {book}（工作表 {sheet}）读入。\n"
                   "空白格保持空白（~）；总计由工具重新计算。Schema: docs/params.md.")


def _read_one(task: tuple) -> tuple[Imported | None, str | None]:
    """One file read, or why not; never raises (a bug of ours costs only this file)."""
    path, unit, year, county = task
    try:
        return import_report(path, unit=unit, year=year, county=county), None
    except UnreadableFile as exc:
        return None, exc.reason
    except NotAReport as exc:
        return None, str(exc)
    except Exception as exc:
        return None, f"导入时出现内部错误（importer bug, please report）：{type(exc).__name__}: {exc}"


def params_name(imported: Imported) -> str:
    """``<township>_<year>.yaml``, the kit's naming; a name that is not plainly safe falls back
    to the source file's stem (made safe), so text from a report never becomes a path."""
    meta = imported.doc.meta
    name = meta.township if safe_part(meta.township) else safe_name(Path(imported.source.path).stem)
    return f"{name}_{meta.year}.yaml"


def header(imported: Imported) -> str:
    src = imported.doc.source
    lines = [f"{imported.doc.meta.unit} {imported.doc.meta.year} 年政府信息公开工作年度报告 — 参数文件",
             f"由 nianbao import 自 {src.file} 导入（SHA-256 见 source），把握：{src.confidence}。",
             "数字与正文照原文读取：原文空白的格子保持空白（~），未读到或无法确定的见 source。",
             "请对照原文核对后再使用。Schema: docs/params.md."]
    lines += [f"  · {r}" for r in imported.reasons]
    return "\n".join(lines)


def write_params(imported: Imported, target: Path, force: bool = False) -> None:
    """Write the params file atomically, after loading the text back: what is written reads."""
    write_doc(imported.doc, header(imported), target, force)


def write_doc(doc, header_text: str, target: Path, force: bool = False) -> None:
    """A document as a params file, written only when its text loads back to the same cells;
    never over a file unless ``force`` (of two imports at once, one writes, the other is told)."""
    def reads_back(probe: Path) -> None:  # the whole file, before it takes the target's place
        try:
            loaded = load_params(probe)
        except KitError as exc:  # a bug of ours: say so rather than write a broken file
            raise ImportBug(str(target), str(exc)) from None
        for key, table in doc.tables.items():
            for (row, col), value in table.cells.items():
                if loaded.tables[key].cells.get((row, col)) != value:
                    raise ImportBug(str(target), f"{key}.{row}.{col} 读回不一致")

    write_atomic(target, format_params(doc, header_text), exclusive=not force, check=reads_back)
