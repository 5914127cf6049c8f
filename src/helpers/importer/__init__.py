"""Read published annual reports (text, web page, PDF, Word) back into params files."""

from ..errors import NotAReport, UnreadableFile
from .imported import Imported, import_report

__all__ = ["Imported", "NotAReport", "UnreadableFile", "import_report"]
