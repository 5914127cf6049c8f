"""The executed notebook as the report page shows it, for nbconvert: the kit's export and a plain
``jupyter nbconvert --to html --template nianbao`` both run this preprocessor (the template's
conf.json names it), so the two give one page.

It keeps only what the notebook displayed for people — not the parameters and the notes to the
analyst (cells tagged as hidden), nor stderr, the record the build reads or the workbench's
styles (the page's <head> has its own) — and titles the page from the report's record.
``python -m helpers.forms.nbpage`` installs the template where nbconvert finds templates.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from .. import paths
from ..report.document import RECORD_MIME

HIDDEN_TAGS = ("injected-parameters", "parameters", "nianbao-hide")
KEPT_OUTPUTS = ("display_data", "execute_result", "error")
TEMPLATE = "nianbao"


def shown(output: dict) -> bool:
    """What the page shows: displayed results, not the record or the workbench's styles."""
    return (output.get("output_type") in KEPT_OUTPUTS and RECORD_MIME not in output.get("data", {})
            and output.get("metadata", {}).get("nianbao") != "style")


def page_of(nb) -> None:
    """``nb`` (changed in place) as the page shows it: idempotent, so the kit may apply it before
    nbconvert copies the notebook (the record it leaves out is most of an executed notebook)."""
    nb.cells = [c for c in nb.cells if not set(c.get("metadata", {}).get("tags", ())) & set(HIDDEN_TAGS)]
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            if not nb.metadata.get("title"):
                nb.metadata["title"] = next((o["data"][RECORD_MIME]["title"] for o in cell.outputs
                                             if RECORD_MIME in o.get("data", {})), "")
            cell.outputs = [o for o in cell.get("outputs", []) if shown(o)]


class KitPage(Preprocessor):
    """The notebook as the page shows it (see the module)."""

    def preprocess(self, nb, resources):
        page_of(nb)
        return nb, resources


def install_template(prefix: str = sys.prefix) -> Path:
    """The kit's nbconvert template linked into ``prefix``'s share/jupyter (where nbconvert looks
    for --template nianbao), so it is always the installed kit's; copied where links are not."""
    import shutil

    target = Path(prefix) / "share" / "jupyter" / "nbconvert" / "templates" / TEMPLATE
    source = paths.NBCONVERT_TEMPLATES / TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    try:
        target.symlink_to(source, target_is_directory=True)
    except OSError:
        shutil.copytree(source, target)
    return target


if __name__ == "__main__":  # python -m helpers.forms.nbpage: what `make setup` runs
    print("nbconvert template installed:", install_template())
