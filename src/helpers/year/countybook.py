"""The county workbook a superior office asks for: ``build/<year>/<county>_<year>.xlsx``.

Tables 二, 三 and 四 of every township of the year as rows under the official labels (a two-level
header: the printed row, then its column), the county roll-up as the last row, and every finding
on a sheet of its own — written through pandas. A blank cell stays empty, never 0.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..checks.folder import CountyFolder
from ..formats import TableSpec
from ..model import CheckReport, SEVERITY_ZH, TownshipYear, is_number, row_label
from .spreadsheet import texts_as_text

FINDING_COLUMNS = ("乡镇（街道）", "年度", "规则", "级别", "位置", "说明", "应为", "实际", "参数文件行",
                   "来源位置")  # where the clerk typed it (崇文镇!D48), or the published file's line


def _table_frame(spec: TableSpec, docs: list[TownshipYear]):
    import pandas as pd

    columns = pd.MultiIndex.from_tuples([(row_label(spec, r), c.label) for r in spec.rows
                                         for c in r.columns])
    rows = []
    for doc in docs:
        table = doc.table(spec.key)
        values = [table.value(r.key, c.key) for r in spec.rows for c in r.columns]
        rows.append([float(v) if is_number(v) and not isinstance(v, int) else v if is_number(v)
                     else None for v in values])
    frame = pd.DataFrame(rows, columns=columns, index=pd.Index([d.meta.township for d in docs],
                                                              name="乡镇（街道）"))
    return frame.astype({c: "Int64" for c, kind in zip(columns, _kinds(spec)) if kind})


def _kinds(spec: TableSpec) -> list[bool]:
    """Per column: True where every value is a whole count (Int64), False for 万元 amounts."""
    from ..formats import AMOUNT

    return [c.kind != AMOUNT for r in spec.rows for c in r.columns]


def _findings(reports: list[tuple[TownshipYear, CheckReport]]):
    import pandas as pd

    rows = [(doc.meta.township, doc.meta.year, f.rule, SEVERITY_ZH[f.severity],
             f.location.describe(), f.message, f.expected, f.found, f.location.line,
             f.location.origin)
            for doc, report in reports for f in report.findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.astype({"参数文件行": "Int64", "年度": "Int64"})


def county_workbook(folder: CountyFolder, docs: list[TownshipYear],
                    rollup: TownshipYear | None) -> bytes:
    """The workbook of one year: ``docs`` (one row each), the roll-up last, the findings."""
    import pandas as pd

    buffer = io.BytesIO()
    rows = docs + ([rollup] if rollup is not None else [])
    formats = {d.spec.key for d in rows}
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for spec in dict.fromkeys(d.spec for d in rows):
            same = [d for d in rows if d.spec is spec]
            for table in spec.tables:
                name = f"表{table.number}" + (f"（{spec.key}格式）" if len(formats) > 1 else "")
                _table_frame(table, same).to_excel(writer, sheet_name=name)
        reports = [(d, folder.report(Path(d.path))) for d in docs]
        _findings(reports).to_excel(writer, sheet_name="校验结果", index=False)
        texts_as_text(writer.book)  # a township named "=HYPERLINK(…)" is text, not a live link
    return buffer.getvalue()
