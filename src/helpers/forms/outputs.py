"""The forms a report is written in, registered in one place.

A report is run once (the notebook in a fresh kernel, which prepares the one document and
displays it); every output reads that run: the executed notebook, and the record the notebook
displayed of its document (title, status, counts). An output kind is a name, a file suffix and a
writer; ``render`` and ``build`` write every kind asked for, each file atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .. import paths
from ..errors import RenderError
from ..params.load import load_params
from ..params.write import write_atomic
from ..report.document import ANSWERED_COUNTS, RECORD_MIME, report_title

if TYPE_CHECKING:
    from nbformat import NotebookNode



@dataclass(frozen=True)
class Run:
    """One executed report: the notebook as it ran, and its document's record."""

    notebook: "NotebookNode"
    title: str
    status: str | None  # status.Status key of the checked report; None: not recorded
    errors: int = 0
    warnings: int = 0
    document: dict | None = None  # Report.printable(): what the Word and PDF forms print
    answered: dict[str, int] = field(default_factory=dict)  # open, explained, false_positives

    @classmethod
    def of(cls, nb: "NotebookNode", params: Path) -> "Run":
        """The run of an executed notebook, by the record it displayed; a notebook of the
        analyst's own that displays none is titled from its params (and checked by whoever
        needs its status)."""
        for cell in nb.cells:
            for output in cell.get("outputs", ()):
                record = output.get("data", {}).get(RECORD_MIME)
                if record is not None:
                    return cls(nb, record["title"], record["status"], record["errors"],
                               record["warnings"], record.get("document"),
                               {k: record.get(k, 0) for k in ANSWERED_COUNTS})
        meta = load_params(params).meta
        return cls(nb, report_title(meta.unit, meta.year), None)


@dataclass(frozen=True)
class Output:
    kind: str  # the name users give: --to html
    suffix: str
    write: Callable[[Run, Path], None]  # writes the file, atomically


@lru_cache(maxsize=1)
def exporter():
    """One HTML exporter per process (its template environment compiled once), nbconvert's own
    with the kit's template: what ``jupyter nbconvert --to html --template nianbao`` runs, so a
    papermill and nbconvert user gets this very page. The template's conf.json adds the kit's
    preprocessor (nbpage.KitPage) and hides inputs and prompts; the notebook is validated once,
    after all preprocessors."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="nianbao", extra_template_basedirs=[str(paths.NBCONVERT_TEMPLATES)],
                        optimistic_validation=True)


def export_html(run: Run) -> str:
    """The page: only what the notebook displayed for people (nbpage.KitPage), titled by its run."""
    import nbformat

    from .nbpage import page_of

    nb = nbformat.from_dict(run.notebook)  # a copy: the executed notebook stays as it ran
    nb.metadata["title"] = run.title
    page_of(nb)  # before nbconvert's deep copy, not after (KitPage then finds nothing to do)
    html, _ = exporter().from_notebook_node(nb)
    return html


def _write_html(run: Run, target: Path) -> None:
    write_atomic(target, export_html(run))


def _document(run: Run) -> dict:
    if run.document is None:
        raise RenderError(run.title, "笔记本没有输出可打印的报告（the notebook displayed no report record）")
    return run.document


def _write_docx(run: Run, target: Path) -> None:
    from .wordfile import docx_bytes

    write_atomic(target, docx_bytes(_document(run)))


def _write_pdf(run: Run, target: Path) -> None:
    from .pdffile import pdf_bytes

    write_atomic(target, pdf_bytes(_document(run)))


OUTPUTS: dict[str, Output] = {o.kind: o for o in (
    Output("html", ".html", _write_html),
    Output("docx", ".docx", _write_docx),
    Output("pdf", ".pdf", _write_pdf),
)}
DEFAULT_KINDS = ("html",)


def kinds(text: str) -> tuple[str, ...]:
    """``html,docx`` → the kinds, checked against the registry (ValueError names the valid ones)."""
    wanted = tuple(dict.fromkeys(k.strip().lower() for k in text.split(",") if k.strip()))
    unknown = [k for k in wanted if k not in OUTPUTS]
    if unknown or not wanted:
        raise ValueError(f"未知的输出格式 {', '.join(unknown) or text!r}（unknown output）；可用：{', '.join(OUTPUTS)}")
    return wanted
