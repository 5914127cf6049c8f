"""Fill a workbook the way a clerk does, through LibreOffice Calc's own API (UNO), and save it.

Run by the system's python3 (Debian's python3-uno), not the kit's: ``python3 calc_fill.py
EDITS.json``, where EDITS.json holds {"book": path, "out": path, "profile": folder, "sheet": name,
"set": {"B33": 5, "C33": "无", …}, "read": ["B40", …]}. A number is typed as a number, a string as
text (as a clerk's typing "5" into a cell formatted as text would be). The values Calc computes for
"read" are printed as JSON once the edits are in, so a test sees the sheet's own totals.
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    pipe = f"nianbao{os.getpid()}"
    office = subprocess.Popen(["soffice", "--headless", "--norestore", "--nologo", "--nodefault",
                               f"-env:UserInstallation=file://{spec['profile']}",
                               f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
        for _ in range(120):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.25)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(spec["book"]), "_blank", 0,
                                           (prop("Hidden", True),))
        sheet = doc.Sheets.getByName(spec["sheet"]) if spec.get("sheet") else doc.Sheets.getByIndex(0)
        was_protected = sheet.isProtected()
        if was_protected and spec.get("unprotect"):
            sheet.unprotect("")
        if spec.get("insert_rows"):  # [before row (1-based), how many]: what Insert Rows does
            sheet.getRows().insertByIndex(spec["insert_rows"][0] - 1, spec["insert_rows"][1])
        if spec.get("delete_rows"):
            sheet.getRows().removeByIndex(spec["delete_rows"][0] - 1, spec["delete_rows"][1])
        for address, value in spec.get("set", {}).items():
            cell = sheet.getCellRangeByName(address)
            if isinstance(value, str):
                cell.setString(value)
            else:
                cell.setValue(value)
        doc.calculateAll()
        shown = {a: sheet.getCellRangeByName(a).getString() for a in spec.get("read", [])}
        if spec.get("out"):
            doc.storeToURL(uno.systemPathToFileUrl(spec["out"]),
                           (prop("FilterName", spec.get("filter", "Calc MS Excel 2007 XML")),))
        doc.close(True)
        print(json.dumps({"shown": shown, "protected": was_protected}, ensure_ascii=False))
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
        office.wait(timeout=60)


if __name__ == "__main__":
    main(sys.argv[1])
