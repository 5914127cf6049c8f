"""Every path the kit uses. Inputs and outputs are relative to the current folder (a county's
folder: ``params/`` in, ``build/`` out); the notebook and templates ship inside the package, so
the kit works installed anywhere, not only from its checkout."""

from __future__ import annotations

import hashlib
import os
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


NAME_MAX = 255  # bytes in one file name (Linux, macOS; Windows allows 255 characters)
# Names Windows keeps for devices, whatever the extension: a bundle is opened there.
_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file's name here or on Windows, in Chinese; None when it can."""
    size = len(name.encode("utf-8"))
    if size > NAME_MAX:
        return f"文件名 {size} 字节，超过文件系统允许的 {NAME_MAX} 字节（name too long）"
    if _DEVICE.fullmatch(name):
        return f"“{name.split('.')[0]}”是 Windows 保留的设备名（reserved on Windows）"
    if name.endswith((".", " ")):
        return "文件名以点或空格结尾，Windows 上无法存在（ends in a dot or space）"
    return None


def scratch_prefix(name: str, reserve: int) -> str:
    """The start of a hidden scratch file's name beside ``name``: ``.<name>.<pid>.``, with
    ``name`` cut short (at a character) so that the prefix and ``reserve`` more bytes stay within
    NAME_MAX — a legal long name must not make its scratch name illegal. The pid lets a later
    build tell a killed build's leftovers from a running one's."""
    tail = f".{os.getpid()}."
    budget = NAME_MAX - reserve - len(tail) - 1
    cut = name.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return f".{cut}{tail}"
