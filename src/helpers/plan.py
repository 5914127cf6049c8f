"""What a build must do: one task per township-year (and per county roll-up), each with the
content hash of everything its report depends on, so an unchanged report is skipped."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, paths
from .paths import safe_name
from .checks.run import collect, index_by_unit, previous_report
from .county import COUNTY_FILE
from .errors import ParamsError
from .load import load_params
from .model import TownshipYear

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Task:
    params: Path
    name: str  # output name (safe), also the index's key within a year
    year: int | None  # None: the params file could not be read
    township: str
    folder: Path  # where its outputs go: <out>/<year>, or <out>/unreadable
    digest: str  # content hash of every input of this report
    strict: bool = False
    timeout: int | None = None
    error: ParamsError | None = None  # unreadable params: fails without a kernel
    rollup_of: tuple[str, ...] = ()  # a county roll-up: the townships summed
    keep_ahead: int | None = None  # kernels the worker should keep starting after this one

    @property
    def key(self) -> str:
        return f"{self.year or 'unreadable'}/{self.name}"

    @property
    def html(self) -> Path:
        return self.folder / f"{self.name}.html"

    @property
    def notebook(self) -> Path:
        """The executed notebook, kept beside the page."""
        return self.folder / f"{self.name}.ipynb"


@dataclass
class Plan:
    params_dir: Path
    out: Path
    tasks: list[Task] = field(default_factory=list)
    docs: dict[Path, TownshipYear] = field(default_factory=dict)
    county: Path | None = None
    kit: bytes = b""  # digest of the notebook, the kit version and the templates


def content_hash(*parts: bytes) -> str:
    """One digest of several byte strings (each hashed first, so boundaries count)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def kit_digest(notebook: Path) -> bytes:
    """The notebook, the kit's version and every template: a change to any rebuilds all."""
    templates = sorted(p for p in paths.TEMPLATES.rglob("*") if p.is_file())
    return content_hash(notebook.read_bytes(), __version__.encode(),
                *(p.read_bytes() for p in templates)).encode()


def plan_build(params_dir: Path, out: Path, years: set[int] | None = None,
               only: set[str] | None = None, strict: bool = False, timeout: int | None = None,
               notebook: Path | None = None) -> Plan:
    """Tasks for every township-year under ``params_dir`` that ``years``/``only`` select."""
    notebook = notebook or paths.REPORT_NOTEBOOK
    files, counties, _ = collect([params_dir])
    county = params_dir / COUNTY_FILE
    plan = Plan(params_dir, out, county=counties[0] if counties else (county if county.exists() else None))
    unreadable: list[tuple[Path, ParamsError]] = []
    for path in files:
        try:
            plan.docs[path] = load_params(path)
        except ParamsError as exc:
            unreadable.append((path, exc))
    kit = plan.kit = kit_digest(notebook)
    county_bytes = plan.county.read_bytes() if plan.county else b""
    by_key = index_by_unit(plan.docs.values())
    for path, doc in plan.docs.items():
        if (years and doc.meta.year not in years) or (only and not _selected(path, doc, only)):
            continue
        previous = previous_report(doc, by_key)  # the file the cross-year checks compare with
        digest = content_hash(path.read_bytes(), Path(previous.path).read_bytes() if previous else b"",
                              county_bytes, kit,
                      str((strict, timeout)).encode())
        name = safe_name(path.stem)
        plan.tasks.append(Task(path, name, doc.meta.year, doc.meta.township, out / str(doc.meta.year),
                               digest, strict, timeout))
    for path, exc in unreadable:
        if only and path.stem not in only and not any(o in path.stem for o in only):
            continue
        name = safe_name(path.stem)
        plan.tasks.append(Task(path, name, None, path.stem, out / "unreadable",
                               content_hash(path.read_bytes()), strict, timeout, error=exc))
    return plan


def _selected(path: Path, doc: TownshipYear, only: set[str]) -> bool:
    return bool({doc.meta.township, doc.meta.unit, path.stem} & only)


def load_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no manifest, or a damaged one: build everything


def up_to_date(task: Task, manifest: dict) -> bool:
    """Skip when the inputs are unchanged, the last build succeeded and both outputs exist."""
    entry = manifest.get(task.key)
    return (bool(entry) and entry.get("digest") == task.digest and entry.get("status") != "failed"
            and task.html.exists() and task.notebook.exists())
