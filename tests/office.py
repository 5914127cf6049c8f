"""LibreOffice headless as the office suite a county's staff open the kit's files in (Calc stands
in for Excel and WPS): each run gets a profile of its own, so parallel runs never share one."""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

# Every sheet to its own CSV (LibreOffice ≥ 7.2), UTF-8, values as shown.
_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (make office) is not installed"
    return found


def calc_sheets(workbook: Path) -> dict[str, list[list[str]]]:
    """Each sheet of ``workbook`` as LibreOffice Calc computes and shows it: formulas evaluated,
    text as text."""
    with tempfile.TemporaryDirectory(prefix="nianbao-calc-") as tmp:
        profile = Path(tmp) / "profile"
        done = subprocess.run([soffice(), "--headless", "--norestore",
                               f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                               _ALL_SHEETS, "--outdir", tmp, str(workbook)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        stem = workbook.stem
        return {p.stem[len(stem) + 1:]: list(csv.reader(p.open(encoding="utf-8")))
                for p in Path(tmp).glob(f"{stem}-*.csv")}


FILL = Path(__file__).with_name("calc_fill.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno: LibreOffice's API


def calc_fill(book: Path, out: Path | None, cells: dict[str, object], read: tuple[str, ...] = (),
              sheet: str | None = None, filter: str = "Calc MS Excel 2007 XML", **rows) -> dict:
    """Type ``cells`` into ``book`` in LibreOffice Calc through its own API, save as ``out`` (in
    ``filter``'s format), and return what Calc shows in the ``read`` cells once it recomputed.
    ``insert_rows=(row, n)`` / ``delete_rows=(row, n)`` do what a clerk's Insert / Delete Rows
    does (the sheet's protection, which has no password, lifted first)."""
    import json

    with tempfile.TemporaryDirectory(prefix="nianbao-uno-") as tmp:
        spec = Path(tmp) / "edits.json"
        spec.write_text(json.dumps({"book": str(book), "out": str(out) if out else None,
                                    "profile": str(Path(tmp) / "profile"), "sheet": sheet,
                                    "set": cells, "read": list(read), "filter": filter,
                                    "unprotect": bool(rows), **rows},
                                   ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([SYSTEM_PYTHON, str(FILL), str(spec)], capture_output=True, text=True,
                              timeout=180)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])
