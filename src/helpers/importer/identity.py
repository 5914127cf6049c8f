"""Who published the report, on which year, when: read from its title and text.

Each answer says where it came from (the title, the 统计期限, the text, the file name, or the
analyst's option), so the summary can say how sure it is. Nothing is made up: what cannot be
read is left for the analyst to give (``--unit``, ``--year``, ``--county``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..formats import OTHER_KIND, TITLE_TEMPLATE
from ..load import DATE_RE, FULLWIDTH

GIVEN, TITLE, PERIOD, TEXT, FILENAME = "参数指定", "标题", "统计期限", "正文", "文件名"
UNKNOWN_COUNTY = "未注明"
_TITLE_TAIL = TITLE_TEMPLATE.split("}")[-1].lstrip("年").replace("工作", "(?:工作)?")
_TITLES = (re.compile(r"^\s*(?P<a>.*?)\s*(?P<y>\d{4})\s*年度?\s*(?P<b>.*?)\s*" + _TITLE_TAIL + r"\s*$"),
           re.compile(r"^\s*(?P<a>\D+?)(?P<y>)(?P<b>)\s*" + _TITLE_TAIL + r"\s*$"))
_PERIOD = re.compile(r"统计期限[^0-9]{0,6}(\d{4})\s*年\s*1\s*月\s*1\s*日")
_YEAR = re.compile(r"(\d{4})\s*年")
_DATED = re.compile(r"(?:发布|成文|印发)?(?:时间|日期)\s*[:：]\s*"
                    r"(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?)")
_SIGNED = re.compile(r"^\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*$")
_FILE = re.compile(r"^(?P<unit>.+?)[_\-](?P<year>\d{4})$")
_COUNTY = re.compile(r"^(?P<county>.{1,8}?(?:自治县|县|区|市|旗))(?P<rest>.+?(?:乡|镇|街道|街道办事处))$")
_SUFFIXES = ("人民政府", "街道办事处", "办事处", "政府")
_KINDS = (("街道", "街道"), ("街办", "街道"), ("乡", "乡"), ("镇", "镇"))
_DEPARTMENT = re.compile(r"(?:厅|局|委员会|委|办公室|办|中心|院|署)$")
_COUNTY_GOVERNMENT = re.compile(r"(?:县|区|市|旗)人民政府$")


@dataclass
class Identity:
    unit: str | None = None
    year: int | None = None
    published: str | None = None
    county: str | None = None
    township: str | None = None
    kind: str = OTHER_KIND
    sources: dict[str, str] = field(default_factory=dict)  # field → where it was read


def identify(preamble: list[str], text: list[str], tail: list[str], stem: str,
             unit: str | None, year: int | None, county: str | None) -> Identity:
    """Unit, year, date and county of a report: given options first, then the report itself."""
    out = Identity()
    title = next((m for line in preamble[:20] for t in _TITLES if (m := t.match(line))), None)
    by_file = _FILE.match(stem)
    out.unit, out.sources["unit"] = _first(
        (unit, GIVEN), ((title.group("a") or title.group("b")) if title else None, TITLE),
        (by_file.group("unit") if by_file else None, FILENAME))
    out.year, out.sources["year"] = _first(
        (year, GIVEN), (int(title.group("y")) if title and title.group("y") else None, TITLE),
        (_period_year(preamble + text), PERIOD), (_common_year(text), TEXT),
        (int(by_file.group("year")) if by_file else None, FILENAME))
    out.published = _published(preamble, tail)
    if out.unit:
        _place(out, county)
    return out


def signature_lines(tail: list[str], unit: str | None) -> int:
    """How many of the last lines of the text are the report's signature: the issuing unit's
    name and the date (a report ends with them; they are not part of section 六)."""
    count = 0
    for line in reversed(tail[-3:]):
        text = line.strip()
        if _SIGNED.match(text) or (unit and text == unit):
            count += 1
        else:
            break
    return count


def _first(*candidates):
    for value, source in candidates:
        if value:
            return value, source
    return None, ""


def _period_year(lines: list[str]) -> int | None:
    for line in lines:
        match = _PERIOD.search(line)
        if match:
            return int(match.group(1))
    return None


def _common_year(lines: list[str]) -> int | None:
    """The year the text names most, when one clearly does (twice or more, and more than any)."""
    counts = Counter(int(y) for line in lines for y in _YEAR.findall(line) if 2000 < int(y) < 2100)
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _published(preamble: list[str], tail: list[str]) -> str | None:
    found = next((m.group(1) for m in map(_DATED.search, preamble[:20]) if m), None)
    if found is None:
        found = next((m.group(1) for m in map(_SIGNED.match, reversed(tail[-5:])) if m), None)
    match = DATE_RE.fullmatch(re.sub(r"\s", "", found.translate(FULLWIDTH))) if found else None
    if not match:
        return None
    y, m, d = (int(g) for g in match.groups())
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def _place(out: Identity, county: str | None) -> None:
    """Township, county and kind of unit from the unit's name (桃江县鲊埠回族乡 → 桃江县, 鲊埠回族乡)."""
    name = out.unit
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)] + ("街道" if suffix == "街道办事处" else "")
            break
    split = _COUNTY.match(name)
    out.township = split.group("rest") if split else name
    out.county, out.sources["county"] = _first(
        (county, GIVEN), (split.group("county") if split else None, TITLE),
        (UNKNOWN_COUNTY, ""))
    if _COUNTY_GOVERNMENT.search(out.unit) and not split:
        out.kind = "县级人民政府"
    elif kind := next((k for suffix, k in _KINDS if out.township.endswith(suffix)), None):
        out.kind = kind
    elif _DEPARTMENT.search(out.unit):
        out.kind = "部门"
