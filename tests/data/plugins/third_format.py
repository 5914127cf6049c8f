"""A made-up third national format, registered from outside the kit (NIANBAO_FORMATS=third_format):
the 2021 form with one row renamed and one row added to table 二. Only the tests know it."""

import dataclasses

from helpers import formats

_t2 = formats.TABLE2_2021
_rows = list(_t2.rows)
_at = [r.key for r in _rows].index("normative")
_rows[_at] = dataclasses.replace(_rows[_at], label="行政规范性文件（含试行）")
_rows.insert(_at + 4, formats.RowSpec("adjudication", "行政裁决", _rows[_at + 1].columns,
                                      group=formats.ART20_6))
TABLE2_2090 = dataclasses.replace(_t2, rows=tuple(_rows))

FORMAT_2090 = formats.register(dataclasses.replace(
    formats.FORMAT_2021, key="2090", document="国办公开办函〔2090〕1号", years=(2090, None),
    tables=(TABLE2_2090, formats.TABLE3_2021, formats.TABLE4)))
