"""The package is laid out by stage, and a stage imports only the stages below it.

The imports are read with ``ast`` (every import, at the top of a module, inside a function or
under TYPE_CHECKING), so a stage that reaches up fails here before it becomes a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from util import ROOT

PACKAGE = ROOT / "src" / "helpers"

# The stages from the bottom up: the one list of their order. A module's stage is its first
# name under helpers (helpers.build.index → build; helpers.errors → errors).
STAGES = ("errors", "paths", "formats", "model",  # the bottom
          "params", "checks", "report", "forms", "kernel", "year", "build", "importer",
          "cli")  # the nianbao command, on top
# helpers/__init__.py is the public API: it re-exports from the stages (load_params, check_paths,
# CountyFolder, table_frames, prepare_report), so it may import any of them.
API = "helpers"


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, name: str, modules: set[str]) -> set[str]:
    """The kit's modules (or packages) that the module ``name`` at ``path`` imports."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from . import paths`` imports the module helpers.paths, not the package
            found |= {f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target
                      for a in node.names}
    return {t for t in found if t in modules}


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else API


def upward_imports(package: Path, stages: tuple[str, ...]) -> list[str]:
    """Every import of a stage above the importing one, as ``module → module (stage → stage)``."""
    paths = {module_name(p, package): p for p in package.rglob("*.py")}
    rank = {stage: i for i, stage in enumerate(stages)}
    wrong = []
    for name, path in sorted(paths.items()):
        if name == API:
            continue
        for target in sorted(imported(path, name, set(paths))):
            if target != API and rank[stage_of(target)] > rank[stage_of(name)]:
                wrong.append(f"{name} → {target} ({stage_of(name)} → {stage_of(target)})")
    return wrong


def test_every_module_belongs_to_a_stage():
    rooms = {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    rooms |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert rooms == set(STAGES)


def test_each_stage_package_says_what_it_takes_gives_and_imports():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        if init.exists():
            doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
            assert "In:" in doc and "Out:" in doc and "import" in doc.lower(), stage


def test_no_stage_imports_a_stage_above_it():
    assert upward_imports(PACKAGE, STAGES) == []


def test_an_upward_import_is_found(tmp_path):
    """The check itself: a low stage reaching up, in each way an import can be written."""
    package = tmp_path / "helpers"
    for folder in ("low", "high"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text('"""A stage."""\n', encoding="utf-8")
    (package / "__init__.py").write_text("from .high.top import x\n", encoding="utf-8")  # the API
    (package / "base.py").write_text("X = 1\n", encoding="utf-8")
    (package / "high" / "top.py").write_text("from ..low import a\nfrom .. import base\n",
                                             encoding="utf-8")
    (package / "low" / "a.py").write_text(
        "from .. import base\n"
        "def f():\n    from ..high.top import x\n"  # lazily, inside a function
        "import helpers.high.top\n"
        "from ..high import top\n", encoding="utf-8")
    assert upward_imports(package, ("base", "low", "high")) == [
        "helpers.low.a → helpers.high.top (low → high)"]
    (package / "low" / "b.py").write_text("from ..high import top as t\n", encoding="utf-8")
    assert len(upward_imports(package, ("base", "low", "high"))) == 2
