"""A year's bundle as the city office receives it: only reports fit to publish (unless asked),
an index that links only what is inside, a 报送清单 of every township expected, and SHA-256 sums
that sha256sum checks."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from util import GUOJIAO, ROOT

NIANBAO = Path(sys.executable).with_name("nianbao")


def _county(tmp_path: Path) -> Path:
    folder = tmp_path / "params"
    folder.mkdir()
    shutil.copy(GUOJIAO, folder / "古郊乡_2021.yaml")  # fails its checks (the published blanks)
    shutil.copy(ROOT / "params" / "崇文镇_2021.yaml", folder / "崇文镇_2021.yaml")
    (folder / "county.yaml").write_text("county: 陵川县\nexpected:\n  2021: [古郊乡, 崇文镇, 六泉乡]\n",
                                        encoding="utf-8")
    return folder


def dead_links(folder: Path) -> list[str]:
    """Every relative link of every page under ``folder`` that leads to no file."""
    dead = []
    for page in folder.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")):
            if "://" not in href and not (page.parent / href).exists():
                dead.append(f"{page.relative_to(folder)} → {href}")
    return dead


def _build(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(NIANBAO), "build", str(folder), "--out", str(out), "--to", "html,docx",
                           "--bundle", *extra], capture_output=True, text=True, timeout=300)


def _unpacked(zip_path: Path, into: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(into)
    return into


@pytest.mark.slow
def test_the_bundle_sends_what_may_be_published_and_says_what_it_left_out(tmp_path):
    out = tmp_path / "build"
    built = _build(_county(tmp_path), out)
    assert built.returncode == 0, built.stderr
    assert "报送包未收入：2021 年 古郊乡：校验未通过（不得发布）" in built.stdout
    assert "六泉乡：缺少数据" in built.stdout
    zip_path = out / "2021" / "陵川县_2021_报送.zip"
    index = (out / "2021" / "index.html").read_text(encoding="utf-8")
    assert 'href="陵川县_2021_报送.zip"' in index  # the year index links the bundle
    inside = _unpacked(zip_path, tmp_path / "unpacked")
    names = {p.name for p in inside.iterdir()}
    assert {"崇文镇_2021.html", "崇文镇_2021.docx", "陵川县_2021.xlsx", "summary.csv", "报送清单.csv",
            "index.html", "SHA256SUMS.txt"} <= names
    assert not any(n.startswith("古郊乡") for n in names)  # failed its checks: not sent
    assert not any(n.endswith(".ipynb") for n in names)
    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS.txt"], cwd=inside, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert len(checked.stdout.splitlines()) == len(names) - 1  # every file but the sums themselves
    assert dead_links(inside) == []  # every link of every page leads to a file inside the zip
    assert dead_links(out) == []  # and in the build: reports, trend pages, indexes, roll-ups
    report = (out / "2021" / "崇文镇_2021.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in report and 'href="../index.html"' in report  # where it is
    assert '<div class="signoff"><p>崇文镇人民政府</p>' in report  # ends signed, as the Word file
    rows = list(csv.DictReader(io.StringIO((inside / "报送清单.csv").read_text(encoding="utf-8-sig"))))
    by_township = {}
    for row in rows:
        by_township.setdefault(row["乡镇（街道）"], []).append(row)
    assert {"古郊乡", "崇文镇", "六泉乡", "陵川县各乡镇汇总"} <= set(by_township)
    assert by_township["古郊乡"][0]["状态"] == "校验未通过" and by_township["古郊乡"][0]["文件"] == ""
    assert by_township["六泉乡"][0]["状态"] == "缺少数据"
    for row in by_township["崇文镇"]:
        assert hashlib.sha256((inside / row["文件"]).read_bytes()).hexdigest() == row["SHA-256"]


@pytest.mark.slow
def test_include_failed_sends_them_named_as_failed(tmp_path):
    out = tmp_path / "build"
    built = _build(_county(tmp_path), out, "--include-failed")
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(out / "2021" / "陵川县_2021_报送.zip") as archive:
        names = set(archive.namelist())
        listing = archive.read("index.html").decode()
    assert {"古郊乡_2021_校验未通过.html", "古郊乡_2021_校验未通过.docx"} <= names
    assert "古郊乡_2021.html" not in names
    assert "按 --include-failed 收入" in listing
