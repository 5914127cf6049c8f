"""Tables a PDF draws with ruling lines, read cell by cell from the drawn grid (pdfplumber).

Word and WPS print a report's tables with borders. Rebuilt into text lines, their cells run into
each other: the label written down a merged column (三、本年度办理结果) lands in front of the row
labels, a label wrapped inside its cell is scrambled with its neighbours, and a number printed
under a label wrapped over three lines stands on none of its lines. The ruling lines say where
each cell is: pdfplumber's table finder gives each row's cells, a merged cell once (its text in
its first row, the rows it covers told as None), a label's wrapped lines together, an empty
cell empty; a cell's wrapped lines joined, the layout's spaces between Chinese characters
dropped (normalize.squeeze). A row of two cells or more is a table row; a row of one cell (a page's frame around
its text, a block heading) is left to the text lines, which keep their indentation.

Measured on the test PDFs (bench/import_speed.py): about 45 ms a page, on top of PDFium's lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import squeeze


@dataclass(frozen=True)
class RuledRow:
    """One row of a ruled table: its band on the page (PDF units from the top) and its cells,
    merged ones counted once."""

    top: float
    bottom: float
    cells: tuple[str, ...]


def ruled_rows(data: bytes) -> list[list[RuledRow]]:
    """Each page's table rows drawn with ruling lines, top first (an empty list for a page
    without any); a PDF pdfplumber cannot read gives none, and its lines are read as before."""
    import io

    import pdfplumber

    out: list[list[RuledRow]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                rows = []
                for table in page.find_tables():
                    for row, cells in zip(table.rows, table.extract()):
                        shown = tuple(squeeze(" ".join(c.split())) for c in cells if c is not None)
                        if len(shown) >= 2 and any(shown):
                            rows.append(RuledRow(row.bbox[1], row.bbox[3], shown))
                out.append(sorted(rows, key=lambda r: r.top))
                page.close()  # pdfplumber keeps every page's objects otherwise
    except Exception:  # noqa: BLE001 - a PDF pdfminer cannot parse: PDFium's lines still read it
        return []
    return out
