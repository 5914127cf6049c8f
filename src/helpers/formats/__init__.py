"""The report formats as data: every official label lives in this package and nowhere else.

spec.py — what a format is and the registry; national.py — the 2019 and 2021 formats, their
tables, sections and fixed wording; rules.py — the catalogue of rules. Other formats can be added
by modules named in NIANBAO_FORMATS (a local variant), without changing the kit.

At the bottom, with errors, paths and model. In: nothing but the formats' own data (and the
modules NIANBAO_FORMATS names). Out: every label, table, section and rule id the stages above ask
for. Imports only errors.
"""

from __future__ import annotations

from .national import *  # noqa: F401,F403
from .rules import ANSWERABLE, EXPLAINABLE, RULE_CATALOGUE  # noqa: F401
from .spec import *  # noqa: F401,F403
from ..errors import FormatError


def _load_plugins() -> None:
    """Formats registered by other modules, named in NIANBAO_FORMATS (comma-separated module
    names): a local variant of the form is added without changing the kit."""
    import importlib
    import os

    for name in filter(None, (n.strip() for n in os.environ.get("NIANBAO_FORMATS", "").split(","))):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise FormatError(f"NIANBAO_FORMATS 中的模块 {name}（{exc}）", tuple(FORMATS)) from None


_load_plugins()
