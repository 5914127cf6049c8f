"""The report notebook: paired with its jupytext script, committed without outputs, thin."""

from __future__ import annotations

import ast
import json

import jupytext

from helpers.paths import REPORT_NOTEBOOK


def test_paired_script_and_notebook_agree():
    script = jupytext.read(REPORT_NOTEBOOK.with_suffix(".py"))
    notebook = jupytext.read(REPORT_NOTEBOOK)
    assert [(c.cell_type, c.source) for c in script.cells] == [
        (c.cell_type, c.source) for c in notebook.cells]
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"


def test_committed_without_outputs():
    nb = json.loads(REPORT_NOTEBOOK.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        assert not cell.get("outputs") and cell.get("execution_count") is None


def test_thin_a_parameters_cell_and_no_functions():
    nb = jupytext.read(REPORT_NOTEBOOK)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert {t.id for t in ast.parse(code[0].source).body for t in t.targets} == {
        "params_path", "strict", "notebook_sha256"}
    for cell in code:
        tree = ast.parse(cell.source)
        assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.For)) for n in ast.walk(tree))
        assert len(cell.source.splitlines()) <= 8
