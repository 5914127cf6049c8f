"""What a build must do: one task per township-year (and per county roll-up), each with the
content hash of everything its report depends on, so an unchanged report is skipped."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__, paths
from ..checks.folder import CountyFolder
from ..errors import KitError, OutputNameError
from ..forms.outputs import DEFAULT_KINDS, OUTPUTS
from ..model import TownshipYear
from ..params.county import COUNTY_FILE, County
from ..params.write import unnameable
from ..paths import safe_name

MANIFEST = "manifest.json"
# What finished since the manifest was last written, a line a task: rewriting the whole manifest
# after every report made a build of n reports write O(n²) bytes (minutes at a province's scale).
JOURNAL = "manifest.journal"


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
    error: KitError | None = None  # unreadable params, an output name that cannot exist: fails without a kernel
    rollup_of: tuple[str, ...] = ()  # a county roll-up: the townships summed
    keep_ahead: int | None = None  # kernels the worker should keep starting after this one
    kinds: tuple[str, ...] = DEFAULT_KINDS  # the outputs to write (outputs.OUTPUTS)
    only_forms: tuple[str, ...] = ()  # the report ran before: write just these forms from its notebook

    @property
    def key(self) -> str:
        return f"{self.year or 'unreadable'}/{self.name}"

    @property
    def targets(self) -> dict[str, Path]:
        """Each output's file, by kind."""
        return {kind: self.folder / f"{self.name}{OUTPUTS[kind].suffix}" for kind in self.kinds}

    @property
    def page(self) -> Path:
        """The page the index links: the report, or the page saying why it failed."""
        return self.folder / f"{self.name}{OUTPUTS['html'].suffix}"

    @property
    def notebook(self) -> Path:
        """The executed notebook, kept beside the page."""
        return self.folder / f"{self.name}.ipynb"

    def name_problem(self) -> OutputNameError | None:
        """Why one of the task's files cannot exist (too long, a Windows device name), or None."""
        return next(filter(None, map(unnameable, (*self.targets.values(), self.page, self.notebook))), None)


def _named(task: Task) -> Task:
    """``task``, or, when one of its files cannot exist, the task failing alone with that reason
    under a short name of its own (its failure page must be writable)."""
    problem = task.name_problem()
    if problem is None:
        return task
    short = hashlib.sha256(task.params.name.encode("utf-8")).hexdigest()[:12]
    return replace(task, name=f"名称不可用_{short}", error=task.error or problem)


@dataclass
class Plan:
    params_dir: Path
    out: Path
    folder: CountyFolder
    tasks: list[Task] = field(default_factory=list)
    county: Path | None = None  # the county file of params_dir
    kit: bytes = b""  # digest of the notebook, the kit version and the templates

    @property
    def docs(self) -> dict[Path, TownshipYear]:
        return self.folder.docs

    def year_folder(self, year: int) -> Path:
        """Where a year's reports, index, summary and workbook go."""
        return self.out / str(year)

    @property
    def county_spec(self) -> County | None:
        """The county file, read (None when there is none or it cannot be read)."""
        return self.folder.counties.get(self.params_dir)


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
               notebook: Path | None = None, kinds: tuple[str, ...] = DEFAULT_KINDS) -> Plan:
    """Tasks for every township-year under ``params_dir`` that ``years``/``only`` select."""
    notebook = notebook or paths.REPORT_NOTEBOOK
    county = params_dir / COUNTY_FILE
    plan = Plan(params_dir, out, CountyFolder.open([params_dir], check=False),
                county=county if county.exists() else None)
    kit = plan.kit = kit_digest(notebook)
    county_bytes = plan.county.read_bytes() if plan.county else b""
    for path, doc in plan.docs.items():
        if (years and doc.meta.year not in years) or (only and not _selected(path, doc, only)):
            continue
        previous = plan.folder.previous(doc)  # the file the cross-year checks compare with
        digest = content_hash(path.read_bytes(), Path(previous.path).read_bytes() if previous else b"",
                              county_bytes, kit, str((strict, timeout)).encode())
        plan.tasks.append(_named(Task(path, safe_name(path.stem), doc.meta.year, doc.meta.township,
                                      plan.year_folder(doc.meta.year), digest, strict, timeout,
                                      kinds=kinds)))
    for path, exc in plan.folder.unreadable.items():
        if only and path.stem not in only and not any(o in path.stem for o in only):
            continue
        plan.tasks.append(_named(Task(path, safe_name(path.stem), None, path.stem, out / "unreadable",
                                      content_hash(path.read_bytes()), strict, timeout, error=exc,
                                      kinds=kinds)))
    return plan


def _selected(path: Path, doc: TownshipYear, only: set[str]) -> bool:
    return bool({doc.meta.township, doc.meta.unit, path.stem} & only)


def load_manifest(out: Path) -> dict:
    """The manifest, with what an interrupted build recorded after it (its journal)."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}  # no manifest, or a damaged one: build everything
    try:
        lines = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        return manifest
    for line in lines:
        try:
            key, entry = json.loads(line)
        except ValueError:
            continue  # the line a killed build was writing
        manifest[key] = entry
    return manifest


class ManifestJournal:
    """Records each finished task at once (a line appended), the whole manifest at the end."""

    def __init__(self, out: Path, manifest: dict):
        self.out, self.manifest = out, manifest
        self._file = None

    def record(self, key: str, entry: dict) -> None:
        self.manifest[key] = entry
        if self._file is None:
            self._file = open(self.out / JOURNAL, "a", encoding="utf-8")
        self._file.write(json.dumps([key, entry], ensure_ascii=False) + "\n")
        self._file.flush()

    def save(self) -> None:
        """The manifest written whole (atomically), then the journal it now holds removed."""
        from ..params.write import write_atomic

        write_atomic(self.out / MANIFEST, json.dumps(self.manifest, ensure_ascii=False, indent=1))
        if self._file is not None:
            self._file.close()
            self._file = None
        (self.out / JOURNAL).unlink(missing_ok=True)


def up_to_date(task: Task, manifest: dict) -> bool:
    """Skip when the inputs are unchanged, the last build succeeded and every output exists."""
    return ran_before(task, manifest) and not missing_forms(task, manifest)


def ran_before(task: Task, manifest: dict) -> bool:
    """The report ran on these very inputs and its executed notebook is kept."""
    entry = manifest.get(task.key)
    return (bool(entry) and entry.get("digest") == task.digest and entry.get("status") != "failed"
            and task.notebook.exists())


def missing_forms(task: Task, manifest: dict) -> tuple[str, ...]:
    """The forms to write again: not there, or failed the last time."""
    failed = (manifest.get(task.key) or {}).get("forms_failed") or {}
    return tuple(k for k, path in task.targets.items() if k in failed or not path.exists())
