"""Stage importer: published reports (text, web page, PDF, Word) and filled workbooks read back
into params files, and the audit of what a county published (audit.py).

In: files as offices publish them. Out: township-years with how surely each was read, params files,
the audit page. The flow run the other way, on top: may import every stage below it.
"""

from ..errors import NotAReport, UnreadableFile
from .imported import Imported, import_report

__all__ = ["Imported", "NotAReport", "UnreadableFile", "import_report"]
