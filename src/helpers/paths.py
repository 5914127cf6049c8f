"""Every path the kit uses. Inputs and outputs are relative to the current folder (a county's
folder: ``params/`` in, ``build/`` out); the notebook and templates ship inside the package, so
the kit works installed anywhere, not only from its checkout."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

PARAMS = Path("params")  # relative: against the current folder when used
BUILD = Path("build")
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
NBCONVERT_TEMPLATES = TEMPLATES / "nbconvert"


def _report_notebook() -> Path:
    """The report notebook: the checkout's notebooks/ folder is the package ``helpers.notebooks``
    (pyproject.toml maps it), so one file serves JupyterLab in the checkout and the installed kit."""
    from importlib.resources import files

    return Path(str(files("helpers.notebooks") / "annual_report.ipynb"))


REPORT_NOTEBOOK = _report_notebook()

# A file-name part made from a params value (a township's name): letters of any script, digits,
# a few marks; never a separator, never hidden. Anything else is not used to build a path.
_SAFE_PART = re.compile(r"[\w\u00b7（）()\-]{1,60}")


def safe_part(text: str) -> bool:
    return bool(_SAFE_PART.fullmatch(text)) and not text.startswith((".", "-"))


_UNSAFE = re.compile(r"[^\w\-]+")  # \w is Unicode: Chinese names stay as they are


def safe_name(stem: str) -> str:
    """A file name from a params file's stem: no separators, no dots, never empty."""
    name = _UNSAFE.sub("_", stem).strip("_")
    return name or hashlib.sha256(stem.encode()).hexdigest()[:12]
