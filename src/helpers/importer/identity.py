"""Who published the report, on which year, when: read from its title and text.

Each answer says where it came from (the title, the 统计期限, the text, the file name, or the
analyst's option), so the summary can say how sure it is. Nothing is made up: what cannot be
read is left for the analyst to give (``--unit``, ``--year``, ``--county``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..checks.hanzi import simplified
from ..formats import OTHER_KIND, TITLE_TEMPLATE
from ..params.cellvalue import FULLWIDTH
from ..params.load import DATE_RE

GIVEN, TITLE, PERIOD, TEXT, FILENAME = "参数指定", "标题", "统计期限", "正文", "文件名"
UNKNOWN_COUNTY = "未注明"
_TITLE_TAIL = TITLE_TEMPLATE.split("}")[-1].lstrip("年").replace("工作", "(?:工作)?")
_SPACES = re.compile(r"\s+")
MAX_TITLE = 200  # characters: a title or an issuer's name is far shorter; the patterns below
# backtrack over a line, so one of 100,000 spaces would cost minutes


def _short(line: str) -> str:
    """A preamble line as a title can be: its runs of spaces one, and nothing if still long."""
    line = _SPACES.sub(" ", line)
    return line if len(line) <= MAX_TITLE else ""


_TITLES = (re.compile(r"^\s*(?P<a>.*?)\s*(?P<y>\d{4})\s*年度?\s*(?P<b>.*?)\s*" + _TITLE_TAIL + r"\s*$"),
           re.compile(r"^\s*(?P<a>\D+?)(?P<y>)(?P<b>)\s*" + _TITLE_TAIL + r"\s*$"))
_PERIOD = re.compile(r"统计期限[^0-9]{0,6}(\d{4})\s*年\s*1\s*月\s*1\s*日")
_YEAR = re.compile(r"(\d{4})\s*年")
_DATE = r"(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?)"
_DATED = re.compile(r"(?:发布|成文|印发)?(?:时间|日期)\s*[:：]\s*" + _DATE)
# The date a page says the report was published, before any other date the page shows (the day
# it was saved or visited, 更新时间, 访问时间)
_PUBLISHED = re.compile(r"(?:发布|公开|成文|印发|发文)(?:时间|日期)\s*[:：]\s*" + _DATE)
_SIGNED = re.compile(r"^\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*$")
# Page furniture around a title: breadcrumbs, font-size and print buttons, counters, the source.
_CRUMBS = re.compile(r"(?:\s[>»›→]\s.*){2,}|(?:[»›→].*){2,}|^(?:当前位置|您的位置|你的位置|首页)")
_FURNITURE = re.compile(r"字体\s*[:：]|打印|浏览次数|访问量|分享到|来源\s*[:：]|发布(?:时间|日期|机构)")
_LABELLED = re.compile(r"^\s*(?:标题|题目|名称|文章标题)\s*[:：]\s*")  # "标题:2021年…报告"
# "现将襄州区人社局2022年度政府信息公开工作报告如下": the unit and year the text announces
_ANNOUNCED = re.compile(r"现将(?P<a>[^，,。；\d]{2,24}?)(?P<y>\d{4})\s*年度?(?:的)?政府信息公开(?:工作)?"
                        r"(?:年度)?(?:报告|情况)")
_NOT_A_NAME = re.compile(r"^(?:我|本|全)|\s[>»›]\s|[|:：，,。；《》]|根据|按照")  # a sentence, not a name
_ISSUER = re.compile(r"^[^\d\s，,。；:：>|]{2,24}?(?:人民政府|办事处|政府|乡|镇|街道|局|委员会|委|办公室|办|中心)$")
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
    period_year: int | None = None  # the year of the 统计期限, where it is not the report's
    preface: list[str] = field(default_factory=list)  # the report's own text before 一


def identify(preamble: list[str], text: list[str], tail: list[str], stem: str,
             unit: str | None, year: int | None, county: str | None) -> Identity:
    """Unit, year, date and county of a report: given options first, then the report itself."""
    out = Identity()
    lines = [simplified(_LABELLED.sub("", _short(line))) for line in preamble[:20]]
    at, title = _title(lines)
    announced = next((m for line in preamble + text[:5]
                      if (m := _ANNOUNCED.search(simplified(line)))), None)
    by_file = _FILE.match(stem)
    out.unit, out.sources["unit"] = _first(
        (unit, GIVEN), (_name(title.group("a") or title.group("b")) if title else None, TITLE),
        (_issuer(lines, at), TITLE), (_name(announced.group("a")) if announced else None, TEXT),
        (by_file.group("unit") if by_file else None, FILENAME))
    period = _period_year(preamble + text)
    out.year, out.sources["year"] = _first(
        (year, GIVEN), (int(title.group("y")) if title and title.group("y") else None, TITLE),
        (period, PERIOD), (int(announced.group("y")) if announced else None, TEXT),
        (_common_year(text), TEXT), (int(by_file.group("year")) if by_file else None, FILENAME))
    if period and out.year and period != out.year:
        out.period_year = period  # imported by the title; M-YEAR reports the disagreement
    out.published = _published(preamble, tail)
    out.preface = [line for i, line in enumerate(preamble) if i != at and _is_text(line)]
    if out.unit:
        _place(out, county, by_file.group("unit") if by_file else None)
    return out


def _title(lines: list[str]) -> tuple[int, re.Match | None]:
    """The title line and its match; a title set over two lines is one (the unit above
    “2021年政府信息公开工作年度报告”, or a line broken inside the title as a PDF wraps it)."""
    for i, line in enumerate(lines):
        if _CRUMBS.search(line):
            continue
        for pattern in _TITLES:
            match = pattern.match(line)
            if match and not (match.group("a") or match.group("b")) and i and lines[i - 1].strip():
                above = pattern.match(lines[i - 1].strip() + line.strip())
                if above and _name(above.group("a")) and not _CRUMBS.search(lines[i - 1]):
                    return i, above
            if match:
                return i, match
            if i + 1 < len(lines) and (wrapped := pattern.match(line.rstrip() + lines[i + 1].strip())) \
                    and _name(wrapped.group("a") or wrapped.group("b")) \
                    and not any(t.match(lines[i + 1]) for t in _TITLES):  # a title of its own
                return i, wrapped
    return -1, None


def _name(text: str | None) -> str | None:
    """A unit's name as printed, or None for what is not one (我局, a breadcrumb, a sentence)."""
    text = (text or "").strip()
    return text if text and len(text) <= 30 and not _NOT_A_NAME.search(text) else None


def _issuer(lines: list[str], at: int) -> str | None:
    """The issuing line under the title (迎宾路街道办事处), when the title names no unit."""
    if at < 0:
        return None
    following = next((line.strip() for line in lines[at + 1:at + 3] if line.strip()), "")
    return following if _ISSUER.match(following) else None


def _is_text(line: str) -> bool:
    """A line of the report's own text, not the page's furniture around it."""
    return (bool(re.search(r"[。，,；]", line)) and len(line) > 20
            and not _CRUMBS.search(line) and not _FURNITURE.search(line))


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


_LEADING_DATE = re.compile(r"^\s*" + _DATE + r"\s*(?P<rest>.*)$")


def _published(preamble: list[str], tail: list[str]) -> str | None:
    found = next((m.group(1) for m in map(_PUBLISHED.search, preamble[:20]) if m), None)
    if found is None:
        found = next((m.group(1) for m in map(_DATED.search, preamble[:20]) if m), None)
    if found is None:  # "2022年01月18日来源:1": a date line under the title, with furniture
        found = next((m.group(1) for m in map(_LEADING_DATE.match, preamble[:8])
                      if m and (not m.group("rest") or _FURNITURE.search(m.group("rest")))), None)
    if found is None:
        found = next((m.group(1) for m in map(_SIGNED.match, reversed(tail[-5:])) if m), None)
    match = DATE_RE.fullmatch(re.sub(r"\s", "", found.translate(FULLWIDTH))) if found else None
    if not match:
        return None
    y, m, d = (int(g) for g in match.groups())
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def _place(out: Identity, county: str | None, filed: str | None) -> None:
    """Township, county and kind of unit from the unit's name (桃江县鲊埠回族乡 → 桃江县, 鲊埠回族乡);
    the county also from the file's name when it is the title's unit with a county before it
    (佳县螅镇_2022 for a report titled 螅镇)."""
    name = out.unit
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)] + ("街道" if suffix == "街道办事处" else "")
            break
    split = _COUNTY.match(name)
    out.township = split.group("rest") if split else name
    prefix = filed[:-len(out.township)] if filed and filed.endswith(out.township) else ""
    by_file = _COUNTY.match(filed) if prefix and filed else None
    out.county, out.sources["county"] = _first(
        (county, GIVEN), (split.group("county") if split else None, TITLE),
        (by_file.group("county") if by_file and by_file.group("county") == prefix else None,
         FILENAME),
        (UNKNOWN_COUNTY, ""))
    if _COUNTY_GOVERNMENT.search(out.unit) and not split:
        out.kind = "县级人民政府"
    elif kind := next((k for suffix, k in _KINDS if out.township.endswith(suffix)), None):
        out.kind = kind
    elif _DEPARTMENT.search(out.unit):
        out.kind = "部门"
