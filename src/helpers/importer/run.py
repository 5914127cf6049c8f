"""Import many files: each on its own (a file that cannot be read never stops the others), each
params file checked by loading it back before it replaces anything, and never over an
analyst's file unless asked."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import KitError
from ..load import load_params
from ..paths import safe_name, safe_part
from ..write import format_params, write_atomic
from .imported import Imported, NotAReport, import_report
from .sources import UnreadableFile
from .summary import SKIPPED, failed, summarize



@dataclass
class FileResult:
    path: Path
    summary: dict
    result: Imported | None = None  # None: the file could not be imported
    params: Path | None = None


def import_files(paths: list[Path], out_dir: Path | None, unit: str | None = None,
                 year: int | None = None, county: str | None = None,
                 force: bool = False) -> list[FileResult]:
    """Import every file; write its params into ``out_dir`` (None: do not write)."""
    results = []
    for path in paths:
        try:
            imported = import_report(path, unit=unit, year=year, county=county)
        except (UnreadableFile, NotAReport) as exc:
            reason = exc.reason if isinstance(exc, UnreadableFile) else str(exc)
            results.append(FileResult(path, failed(str(path), reason)))
            continue
        except Exception as exc:  # a bug of ours must not cost the other files their import
            reason = f"导入时出现内部错误（importer bug, please report）：{type(exc).__name__}: {exc}"
            results.append(FileResult(path, failed(str(path), reason)))
            continue
        target = None if out_dir is None else out_dir / params_name(imported)
        if target is not None and target.exists() and not force:
            results.append(FileResult(path, failed(
                str(path), f"{target} 已存在，未覆盖（--force 覆盖）", SKIPPED), imported))
            continue
        if target is not None:
            write_params(imported, target)
        results.append(FileResult(path, summarize(imported, str(target) if target else None),
                                  imported, target))
    return results


def params_name(imported: Imported) -> str:
    """``<township>_<year>.yaml``, the kit's naming; a name that is not plainly safe falls back
    to the source file's stem (made safe), so text from a report never becomes a path."""
    meta = imported.doc.meta
    name = meta.township if safe_part(meta.township) else safe_name(Path(imported.source.path).stem)
    return f"{name}_{meta.year}.yaml"


def header(imported: Imported) -> str:
    src = imported.doc.source
    lines = [f"{imported.doc.meta.unit} {imported.doc.meta.year} 年政府信息公开工作年度报告 — 参数文件",
             f"由 nianbao import 自 {src.file} 导入（{date.today().isoformat()}），把握：{src.confidence}。",
             "数字与正文照原文读取：原文空白的格子保持空白（~），未读到或无法确定的见 source。",
             "请对照原文核对后再使用。Schema: docs/params.md."]
    lines += [f"  · {r}" for r in imported.reasons]
    return "\n".join(lines)


def write_params(imported: Imported, target: Path) -> None:
    """Write the params file atomically, after loading the text back: what is written reads."""
    text = format_params(imported.doc, header(imported))
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / target.name
        probe.write_text(text, encoding="utf-8")
        try:
            loaded = load_params(probe)
        except KitError as exc:  # a bug of ours: say so rather than write a broken file
            raise RuntimeError(f"导入结果无法读回（importer bug）: {exc}") from exc
    for key, table in imported.doc.tables.items():
        for (row, col), value in table.cells.items():
            if loaded.tables[key].cells.get((row, col)) != value:
                raise RuntimeError(f"导入结果读回不一致（importer bug）: {key}.{row}.{col}")
    write_atomic(target, text)
