"""Stage model: the data model — a township-year report and the findings about it. Frozen, no I/O.

values.py: a table's cells and the sums the form derives; township.py: a township-year as read,
with what the office added beside it (its ledger, its reviews); findings.py: findings, where each
stands and its stable id, and the reviews that answer them.

In: the formats. Out: the types every stage above passes around. Imports only formats.
"""

from ..formats import ERROR, INFO, WARNING  # noqa: F401 (severities, as the model speaks them)
from .findings import (CONFIRMED, EXPLAINED, FALSE_POSITIVE, SEVERITY_ZH, VERDICTS,  # noqa: F401
                       CheckReport, Finding, Location, Review, finding_id)
from .township import (HIGH, LOW, MEDIUM, ROLLUP_SOURCE_KIND, Ledger, LedgerRecord, Meta,  # noqa: F401
                       Rows, Source, TownshipYear, build_document, row_label, rows_of)
from .values import (BLANK_TEXT, Invalid, Number, Table, Value, format_number, is_number,  # noqa: F401
                     sum_values)
