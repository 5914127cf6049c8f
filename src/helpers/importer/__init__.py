"""Read published annual reports (text, web page, PDF, Word) back into params files."""

from .imported import Imported, NotAReport, import_report
from .sources import UnreadableFile

__all__ = ["Imported", "NotAReport", "UnreadableFile", "import_report"]
