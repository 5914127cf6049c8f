"""Every directory the kit uses, derived from one project root (the checkout, installed with
``pip install -e``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params"
NOTEBOOKS = ROOT / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS / "annual_report.ipynb"
BUILD = ROOT / "build"
TEMPLATES = Path(__file__).resolve().parent / "templates"
NBCONVERT_TEMPLATES = TEMPLATES / "nbconvert"
