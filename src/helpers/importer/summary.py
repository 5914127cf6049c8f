"""What an import read, and did not: one summary per file, for people (text) and scripts (JSON)."""

from __future__ import annotations

from ..checks.imported import describe_paths
from ..formats import SECTIONS
from .imported import Imported

OK, SKIPPED, FAILED = "imported", "skipped", "failed"


def summarize(result: Imported, params: str | None) -> dict:
    """Everything the summary shows about one imported file, as plain data (JSON-ready)."""
    doc = result.doc
    tables = {}
    shown = describe_paths(doc, doc.source.not_reached)
    for key, read in result.tables.items():
        spec = doc.spec.table(key)
        tables[key] = {
            "not_reached_labels": shown.get(f"表{spec.number}", []),
            "title": f"表{spec.number}",
            "cells": spec.value_cells,
            "read": read.values_read,
            "blank": sum(1 for v in read.cells.values() if v is None),
            "not_reached": [p for p in doc.source.not_reached if p.split(".")[0] == key],
            "unread": [p for p in doc.source.unread if p.split(".")[0] == key],
            "problems": read.problems,
            "unmatched": [{"line": line, "label": label} for line, label in read.unmatched],
            "repairs": read.repairs,
            "notes": read.notes,
        }
    found = set(result.sections.found)
    last = max(found, default=0) if result.truncated else len(SECTIONS)
    return {
        "file": result.source.path, "status": OK, "params": params,
        "kind": result.source.kind, "shape": result.shape,
        "unit": doc.meta.unit, "township": doc.meta.township, "county": doc.meta.county,
        "kind_of_unit": doc.meta.kind, "year": doc.meta.year, "format": doc.spec.key,
        "format_evidence": result.format_evidence, "published": doc.meta.published,
        "read_from": result.identity.sources,
        "truncated": result.truncated,
        "confidence": result.confidence, "reasons": result.reasons,
        "tables": tables,
        "sections": {
            "found": [s.title for i, s in enumerate(SECTIONS, 1) if i in found],
            "missing": [s.title for i, s in enumerate(SECTIONS, 1) if i not in found and i < last],
            "cut_off": [s.title for i, s in enumerate(SECTIONS, 1) if i > last],
            "not_reached": [p for p in doc.source.not_reached if p.startswith("narrative.")],
            "subsections": dict(result.sections.subheadings),
        },
    }


def failed(path: str, reason: str, status: str = FAILED) -> dict:
    return {"file": path, "status": status, "reason": reason}


def text_lines(summary: dict) -> list[str]:
    """The summary of one file as a few lines of Chinese."""
    if summary["status"] != OK:
        mark = "跳过" if summary["status"] == SKIPPED else "失败"
        return [f"✗ {summary['file']}：{mark} — {summary['reason']}"]
    s = summary
    out = [f"✓ {s['file']} → {s['params'] or '（未写出）'}",
           f"  {s['unit']} {s['year']} 年度 · {s['format']} 格式（{s['format_evidence']}）"
           f" · 表格形态：{s['shape']} · 把握：{s['confidence']}"]
    if s["reasons"]:
        out.append("  原因：" + "；".join(s["reasons"]))
    return out + [f"  {line}" for line in detail_lines(s)]


def detail_lines(s: dict) -> list[str]:
    """What was read and what was not, table by table (the text summary and the audit page)."""
    out = []
    parts = []
    for t in s["tables"].values():
        part = f"{t['title']} {t['read']}/{t['cells']} 格"
        if t["blank"]:
            part += f"（空白 {t['blank']}）"
        parts.append(part)
    out.append("读到：" + " · ".join(parts))
    found = s["sections"]
    numbers = lambda titles: "、".join(t.split("、")[0] for t in titles)  # noqa: E731
    line = "章节：" + numbers(found["found"])
    if found["missing"]:
        line += f"；未找到：{numbers(found['missing'])}"
    if found["cut_off"]:
        line += f"；原文截断，未读到：{numbers(found['cut_off'])}"
    out.append(line)
    for t in s["tables"].values():
        if t["not_reached"]:
            where = _shown(t["not_reached_labels"]) or "整张表"
            out.append(f"{t['title']} 未读到（原文截断）：{where}")
        for problem in t["problems"]:
            out.append(f"{t['title']} 无法确定：{problem}")
        for item in t["unmatched"]:
            out.append(f"{t['title']} 第 {item['line']} 行标签“{item['label']}”与官方表格不符，未读入")
        out += [f"{t['title']} 标签修补：{r}" for r in t["repairs"] if "（截断）" in r]
        out += [f"{t['title']} 注：{n}" for n in t["notes"]]
    return out


def _shown(labels: list[str]) -> str:
    text = "、".join(f"「{x}」" for x in labels[:4])
    return text + (f" 等 {len(labels)} 行" if len(labels) > 4 else "")
