"""Every directory the kit uses, derived from one project root (the checkout, installed with
``pip install -e``)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params"
NOTEBOOKS = ROOT / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS / "annual_report.ipynb"
BUILD = ROOT / "build"
TEMPLATES = Path(__file__).resolve().parent / "templates"
NBCONVERT_TEMPLATES = TEMPLATES / "nbconvert"

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
