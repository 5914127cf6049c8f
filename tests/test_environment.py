"""pyproject.toml and environment.yml name the same dependencies with the same lower bounds."""

from __future__ import annotations

import re
import tomllib

import yaml

from util import ROOT

_SPEC = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)\s*(.*)$")
# conda-forge spells a few packages differently from PyPI
CONDA_NAMES = {"jupyter-client": "jupyter_client"}


def _parse(spec: str) -> tuple[str, str]:
    name, bound = _SPEC.match(spec.strip()).groups()
    return name.lower().split("[")[0], bound.replace(" ", "")


def test_environment_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next((d["pip"] for d in env["dependencies"] if isinstance(d, dict)), [])
    have = dict(p for p in map(_parse, [*conda, *pip]) if p[0] not in ("python", "pip"))
    want = {CONDA_NAMES.get(n, n): b for n, b in map(_parse, wanted)}
    assert have == want
    python = next(d for d in conda if d.startswith("python"))
    assert python.replace("python", "") == project["requires-python"]
    for bound in want.values():
        assert bound.startswith(">="), "every dependency has a lower bound"
