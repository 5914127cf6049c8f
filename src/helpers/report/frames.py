"""Tables 二, 三 and 四 as pandas DataFrames, for analysts exploring or exporting the figures.

Rows and columns carry the official labels; where the printed form nests headers (三、本年度办理结果
› （三）不予公开 › 1.属于国家秘密; 法人或其他组织 › 商业企业) the index is a MultiIndex, one level
per printed header, "" where a row or column sits higher up. A blank cell is missing (``<NA>``),
never 0; so is text typed where a number belongs. Counts are ``Int64``, 万元 amounts ``Float64``;
a 总计 left out of the params is computed, as on the page. In table 二, whose blocks have different
columns, a cell a row does not have is missing too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..formats import AMOUNT, RowSpec, TableSpec
from ..model import Table, TownshipYear, is_number

if TYPE_CHECKING:
    import pandas as pd


def _row_index(spec: TableSpec, row: RowSpec, depth: int) -> tuple[str, ...]:
    """The printed groups a row sits in, then its label, padded to ``depth`` levels."""
    chain = (*spec.groups_of(row), row.label)
    return chain + ("",) * (depth - len(chain))


def table_frame(table: Table) -> "pd.DataFrame":
    """One table as printed: rows by their labels, columns by theirs."""
    import pandas as pd

    spec = table.spec
    depth = max(len(spec.groups_of(r)) + 1 for r in spec.rows)
    columns: dict[tuple[str, str], str] = {}  # (group, label) → kind, in printed order
    for row in spec.rows:
        for col in row.columns:
            head = (col.group, col.label) if col.group else (col.label, "")
            if columns.get(head) != AMOUNT:
                columns[head] = col.kind
    data: dict[tuple[str, str], list] = {head: [] for head in columns}
    for row in spec.rows:
        values = {((c.group, c.label) if c.group else (c.label, "")): table.value(row.key, c.key)
                  for c in row.columns}
        for head in columns:
            value = values.get(head)
            data[head].append(value if is_number(value) else None)
    index = pd.MultiIndex.from_tuples([_row_index(spec, r, depth) for r in spec.rows])
    frame = pd.DataFrame({head: pd.array([None if v is None else float(v) if kind == AMOUNT else int(v)
                                          for v in data[head]],
                                         dtype="Float64" if kind == AMOUNT else "Int64")
                          for head, kind in columns.items()}, index=index)
    frame.columns = pd.MultiIndex.from_tuples(list(columns))
    if all(sub == "" for _, sub in columns):
        frame.columns = frame.columns.droplevel(1)
    if depth == 1:
        frame.index = frame.index.get_level_values(0)
    frame.attrs["title"] = f"{spec.number}、{spec.title}"
    return frame


def table_frames(doc: TownshipYear) -> dict[str, "pd.DataFrame"]:
    """Every table of a township-year by its key (``table2``, ``table3``, ``table4``)."""
    return {key: table_frame(table) for key, table in doc.tables.items()}


class Frames(Mapping):
    """The tables as DataFrames, each made when first asked for (a report run by the build never
    pays for pandas)."""

    def __init__(self, doc: TownshipYear):
        self._doc = doc
        self._made: dict = {}

    def __getitem__(self, key: str) -> "pd.DataFrame":
        if key not in self._made:
            self._made[key] = table_frame(self._doc.tables[key])
        return self._made[key]

    def __iter__(self):
        return iter(self._doc.tables)

    def __len__(self) -> int:
        return len(self._doc.tables)

    def __repr__(self) -> str:
        return f"<表二、三、四 的 DataFrame：{', '.join(self._doc.tables)}（frames['table3'] …）>"
