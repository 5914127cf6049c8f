"""A corpus of hostile inputs, generated from a good params file: each a (name, bytes, what the
message must say) the loader must refuse with a clear line and no traceback."""

from __future__ import annotations

import codecs
import re
import struct

from helpers.params.write import format_params
from util import report

# Markup, script, template and path payloads for every text field.
PAYLOADS = (
    '</title><meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/refresh">',
    '<script>alert("x")</script>',
    '"><img src="http://127.0.0.1:9/img.png" onerror="alert(1)">',
    "<svg onload=alert(1)><link rel=stylesheet href=http://127.0.0.1:9/s.css>",
    "javascript:alert(1)",
    "../../../../etc/passwd",
    "{{ 7*7 }}${7*7}<%= 7*7 %>",
    "<iframe src=//127.0.0.1:9/f></iframe><base href=http://127.0.0.1:9/>",
)
NESTED_KEY = "meta:\n  ? " + "[" * 900 + "]" * 900 + "\n  : 1\n"
NESTED_VALUE = "narrative:\n  general: " + "{a: " * 900 + "1" + "}" * 900 + "\n"
TOO_DEEP = "meta: " + "[" * 1500 + "]" * 1500 + "\n"
LAUGHS = "".join(f"{c}: &{c} [{', '.join([f'*{p}' if p.strip() else 'lol'] * 9)}]\n"
                 for p, c in zip(" abcdefgh", "abcdefghi"))


def good() -> str:
    return format_params(report(2021))


def _replace_line(text: str, start: str, new: str) -> str:
    return re.sub(rf"^{re.escape(start)}.*$", lambda _: new, text, count=1, flags=re.M)


def corpus() -> list[tuple[str, bytes, str]]:
    """(name, file bytes, a word the message must contain)."""
    text = good()
    cases: list[tuple[str, str | bytes, str]] = [
        # syntax
        ("unclosed", text.replace("[", "[", 1) + "table5: [1, 2\n", "语法错误"),
        ("tab-indent", text.replace("  unit:", "\tunit:", 1), "语法错误"),
        ("two-documents", text + "---\nmeta: {}\n", "语法错误"),
        ("bad-indent", text.replace("  township:", "     township:", 1), "语法错误"),
        # duplicate keys at every depth
        ("dup-top", text + "meta:\n  unit: 重复\n", "重复的键"),
        ("dup-meta", text.replace("  township:", "  unit: 重复\n  township:", 1), "重复的键"),
        ("dup-narrative", text.replace("    intro:", "    intro: 重复\n    intro:", 1), "重复的键"),
        ("dup-row", text.replace("  granted:", "  new: [0, 0, 0, 0, 0, 0, 0]\n  granted:", 1), "重复的键"),
        # types
        ("year-list", _replace_line(text, "  year:", "  year: [2021]"), "年份"),
        ("unit-mapping", _replace_line(text, "  unit:", "  unit: {a: 1}"), "映射"),
        ("cell-mapping", text.replace("  granted:", "  granted: {a: 1}\n  x_granted:", 1), "映射"),
        ("narrative-list", text.replace("narrative:", "narrative: [1, 2]\nx_narrative:", 1), "列表"),
        ("table-scalar", text.replace("table4:", "table4: 5\nx_table4:", 1), "映射"),
        ("list-key", text.replace("meta:", "meta:\n  ? [a, b]\n  : 1", 1), "文本的键"),
        ("mapping-key", text.replace("meta:", "meta:\n  ? {a: b}\n  : 1", 1), "文本的键"),
        # encodings
        ("utf16-no-bom", text.encode("utf-16-le"), "UTF-16"),
        ("latin1", "meta:\n  unit: caf\xe9\n".encode("latin-1"), "非 UTF-8"),
        ("empty", b"", "空文件"),
        ("comments-only", b"# nothing\n# here\n", "空文件"),
        # binaries
        ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "二进制"),
        ("zip", b"PK\x03\x04" + bytes(200), "二进制"),
        ("elf", b"\x7fELF\x02\x01\x01" + bytes(100), "二进制"),
        # bombs
        ("nested-key", NESTED_KEY, "文本的键"),
        ("nested-value", NESTED_VALUE, "未知的键"),
        ("too-deep", TOO_DEEP, "语法错误"),
        ("laughs-value", LAUGHS + text, "别名"),
        ("laughs-key", LAUGHS + "meta:\n  ? *i\n  : 1\n", "别名"),
        ("huge", text + "# " + "长" * (1024 * 1024) + "\n", "MB"),
        # control characters, raw and escaped
        ("c1-raw", text.replace("示例乡人民政府", "示例乡\x90人民政府", 1), "U+0090"),
        ("bell-raw", text.replace("示例乡人民政府", "示例乡\x07人民政府", 1), "U+0007"),
        ("nonchar-raw", text.replace("示例乡人民政府", "示例乡\ufffe人民政府", 1), "U+FFFE"),
        ("escape-quoted", _replace_line(text, "  county:", '  county: "示例县\\e[31m"'), "U+001B"),
        # tags
        ("python-tag", text.replace("meta:", "x: !!python/object/apply:os.system [echo hi]\nmeta:", 1), "标签"),
        ("custom-tag", _replace_line(text, "  county:", "  county: !evil 示例县"), "标签"),
    ]
    out = []
    for name, content, word in cases:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        out.append((name, data, word))
    assert len({name for name, _, _ in out}) == len(out)
    return out


def bom_variants() -> list[tuple[str, bytes]]:
    """The good file in encodings an editor may save: each must load as it is."""
    text = good()
    return [("utf8-bom", codecs.BOM_UTF8 + text.encode()), ("utf16-bom", text.encode("utf-16")),
            ("utf32-bom", text.encode("utf-32")), ("gbk", text.encode("gbk")),
            ("gb18030", text.encode("gb18030"))]


def tiny_pdf(*runs: tuple[float, float, float, str]) -> bytes:
    """A one-page PDF drawing each (x, y, font size, ASCII text) run in Helvetica: enough to put a
    word where no printed line reaches."""
    content = "\n".join(f"BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET" for x, y, size, text in runs)
    objects = ["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
               "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>"
               "/Contents 5 0 R>>", "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
               f"<</Length {len(content)}>>\nstream\n{content}\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def declared_bomb(data: bytes, member: str, declared: int) -> bytes:
    """An office file (a zip) whose central directory declares ``member`` ``declared`` bytes
    unpacked: what a small file inflating to gigabytes declares."""
    at = data.find(member.encode(), data.find(b"PK\x01\x02")) - 46  # its central directory entry
    assert data[at:at + 4] == b"PK\x01\x02", member
    return data[:at + 24] + struct.pack("<I", declared) + data[at + 28:]


def patched(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """An office file with ``old`` replaced by ``new`` inside ``member``: what no office program
    writes but a crafted file holds."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            dst.writestr(name, body.replace(old, new) if name == member else body)
    return out.getvalue()
