"""The forms a report is written in, registered in one place.

A report is run once (the notebook in a fresh kernel, which prepares the one document and
displays it); every output reads that run: the executed notebook, and the record the notebook
displayed of its document (title, status, counts). An output kind is a name, a file suffix and a
writer; ``render`` and ``build`` write every kind asked for, each file atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .. import paths
from ..errors import RenderError
from ..params.load import load_params
from ..params.write import write_atomic
from ..report.document import RECORD_MIME, report_title

if TYPE_CHECKING:
    from nbformat import NotebookNode

HIDDEN_TAGS = ("injected-parameters", "parameters", "nianbao-hide")
KEPT_OUTPUTS = ("display_data", "execute_result", "error")


@dataclass(frozen=True)
class Run:
    """One executed report: the notebook as it ran, and its document's record."""

    notebook: "NotebookNode"
    title: str
    status: str | None  # status.Status key of the checked report; None: not recorded
    errors: int = 0
    warnings: int = 0
    document: dict | None = None  # Report.printable(): what the Word and PDF forms print

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
                               record["warnings"], record.get("document"))
        meta = load_params(params).meta
        return cls(nb, report_title(meta.unit, meta.year), None)


@dataclass(frozen=True)
class Output:
    kind: str  # the name users give: --to html
    suffix: str
    write: Callable[[Run, Path], None]  # writes the file, atomically


@lru_cache(maxsize=1)
def exporter():
    """One HTML exporter per process: its template environment is compiled once. The notebook
    is validated once, after all preprocessors (not after each: 12 validations a report)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters import TemplateExporter
    from traitlets.config import Config

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            """HTMLExporter's, without its last step: parsing the page again with
            BeautifulSoup to give inputs and outputs a tabindex and images an alt text. The
            page has no inputs and no images (its chart is inline SVG with a title), and the
            parse and re-serialisation cost half of the export (33 ms a report)."""
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get("highlight_code", lambda s: s))
            self.register_filter("filter_data_type", _data_types(self, resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_TAGS)
    return PageExporter(config=config, template_name="nianbao",
                        extra_template_basedirs=[str(paths.NBCONVERT_TEMPLATES)],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        exclude_anchor_links=True, language_code="zh-CN",
                        optimistic_validation=True)


def _data_types(exporter, resources):
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    return WidgetsDataTypeFilter(notebook_metadata=exporter._nb_metadata, parent=exporter,
                                 resources=resources)


def _shown(output: dict) -> bool:
    """What the page shows: displayed results, not the record or the workbench's styles."""
    return (output.get("output_type") in KEPT_OUTPUTS and RECORD_MIME not in output.get("data", {})
            and output.get("metadata", {}).get("nianbao") != "style")


def export_html(run: Run) -> str:
    """The page: only what the notebook displayed for people (no stderr, no record)."""
    import nbformat

    nb = nbformat.from_dict(run.notebook)  # a copy: the executed notebook stays as it ran
    nb.metadata["title"] = run.title
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if _shown(o)]
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

    write_atomic(target, pdf_bytes(export_html(run), target.parent))


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
