"""The kit installed as a package, outside its checkout, in a fresh virtual environment: the
notebook and templates ship inside it, and every command works from a county's own folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from helpers.params.write import format_params
from helpers.report.synthetic import synthetic_report
from util import GUOJIAO, ROOT

pytestmark = pytest.mark.slow


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_installed_outside_the_checkout_builds_a_county(tmp_path):
    wheels, venv, county = tmp_path / "wheels", tmp_path / "venv", tmp_path / "县"
    source = tmp_path / "source"  # a copy: building in the checkout would write its build/
    skipped = shutil.ignore_patterns(".git", ".venv", "tests", "*.egg-info", "__pycache__",
                                     ".pytest_cache")
    # the checkout's own build/ output, not the package's build stage (src/helpers/build)
    shutil.copytree(ROOT, source, ignore=lambda folder, names: skipped(folder, names) | (
        {"build"} if Path(folder) == ROOT else set()))
    made = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source,
               cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    (wheel,) = wheels.glob("nianbao-*.whl")
    assert run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path).returncode == 0
    python = venv / "bin" / "python"
    # the dependencies from this environment, not the kit: only the wheel provides `helpers`
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    shared = venv / "share" / "jupyter"  # what installing nbconvert there would put (its templates)
    shared.mkdir(parents=True)
    (shared / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q",
                    wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = run(python, "-c", "import helpers, helpers.paths as p; print(helpers.__file__);"
                "print(p.REPORT_NOTEBOOK)", cwd=tmp_path, env=env).stdout.split()
    assert all(str(venv) in line and str(ROOT) not in line for line in where)
    assert run(python, "-m", "helpers.kernel.kernels", cwd=tmp_path, env=env).returncode == 0

    params = county / "params"
    params.mkdir(parents=True)
    (params / "county.yaml").write_text("county: 陵川县\nexpected:\n  2021: [古郊乡, 示例镇]\n",
                                        encoding="utf-8")
    shutil.copy(GUOJIAO, params / "古郊乡_2021.yaml")
    doc = synthetic_report("示例镇", 2021, seed=5, county="陵川县")
    (params / "示例镇_2021.yaml").write_text(format_params(doc), encoding="utf-8")
    nianbao = venv / "bin" / "nianbao"
    built = run(nianbao, "build", "--quiet", cwd=county, env=env)
    assert built.returncode == 0, built.stderr
    for name in ("index.html", "2021/index.html", "2021/古郊乡_2021.html", "2021/示例镇_2021.html",
                 "2021/陵川县各乡镇汇总_2021.html"):
        assert (county / "build" / name).stat().st_size > 1000, name
    rendered = run(nianbao, "render", "params/示例镇_2021.yaml", "-o", "示例镇.html", cwd=county, env=env)
    assert rendered.returncode == 0, rendered.stderr
    assert "示例镇人民政府2021年" in (county / "示例镇.html").read_text(encoding="utf-8")
    checked = run(nianbao, "check", cwd=county, env=env)
    assert checked.returncode == 1 and "CELL-BLANK" in checked.stdout  # 古郊乡's blank table 三
