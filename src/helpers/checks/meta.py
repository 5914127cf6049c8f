"""Metadata and completeness: year, format, sections, oversight, fees, unit, deadline."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Iterator

from ..formats import (COUNTY_GOVERNMENT_DEADLINE, DEFAULT_DEADLINE, FORMATS, GOVERNMENT_KINDS,
                       TOWNSHIP_KINDS, format_for_year)
from ..model import Location
from .base import Context, Violation, text_location
from .figures import split
from .hanzi import simplified

_PERIOD = re.compile(r"(\d{4})年\s*1\s*月\s*1\s*日[^。；]{0,14}?(?:(\d{4})年)?\s*12\s*月\s*31\s*日")
# A stated 统计期限: its words, then two dates (the second may leave out its year). Such a
# sentence is read whole, so a malformed or partial period is found, not passed over.
PERIOD_WORDS = re.compile(r"统计(?:期限|时限|时间|区间|周期)|数据(?:时限|期限)")
_DAY = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_STATED_PERIOD = re.compile("(?:" + PERIOD_WORDS.pattern + ")" + r"[^。；\d]{0,10}?" + _DAY
                            + r"\s*起?\s*(?:至|到|—|－|-|～|~)\s*" + _DAY)
_REPORT_YEAR = re.compile(r"(\d{4})年度?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|情况|工作)")
_BASIS = re.compile(r"[〔\[【（(［]\s*(\d{4})\s*[〕\]】）)］]\s*(\d+)\s*号")  # 〔2021〕30号, [2021]30号 …
_PROBLEM_WORDS = re.compile(r"问题|不足|差距|短板|薄弱|欠缺|不够|有待")
_MEASURE_WORDS = re.compile(r"改进|措施|下一步|今后|接下来|将进一步|加强|提升|完善|推进")
_OVERSIGHT_WORDS = re.compile(r"考核|评议|责任追究|问责")
_FEE_WORDS = re.compile(r"信息处理费|处理费|收取[^。；]{0,8}?费|收费")
_FEE_NOTICE_WORDS = re.compile(r"收费通知|缴纳[^。；]{0,6}?费")
_SELF = {"乡": "乡", "镇": "镇", "街道": "街道|街办"}
# 我镇 in a 乡's report (or the reverse) is a copy from a neighbour; 我县 is not flagged, since
# township staff say it of their own county.
_WRONG_SELF = re.compile(r"(?:我|本)(乡(?!镇)|镇|街道|街办)")


PREFACE = "source.preface"  # an imported report's own text before 一 (its 统计期限, its words)


def _texts(ctx: Context) -> Iterator[tuple[str, str]]:
    """The narrative, and an imported report's preface: what the text rules read."""
    source = ctx.doc.source
    if source is not None and source.preface:
        yield PREFACE, source.preface
    yield from ((k, t) for k, t in ctx.doc.narrative.items() if t)


def _where(ctx: Context, key: str, sentence: str, offset: int) -> Location:
    if key == PREFACE:
        return Location(section="前言", sentence=sentence, field=PREFACE,
                        line=ctx.doc.line("source", "preface"))
    return text_location(ctx.doc, key, sentence, offset)


def _words(text: str) -> str:
    """What the word rules search: traditional characters read as simplified."""
    return simplified(text)


def _text_cut(doc) -> bool:
    """An imported text that stops early may have said it in the part never read."""
    return any(doc.unread(f"narrative.{s.key}") for s in doc.spec.sections)


def _meta_location(ctx: Context, key: str) -> Location:
    return Location(field=f"meta.{key}", line=ctx.doc.line("meta", key))


def m_year(ctx: Context) -> Iterator[Violation]:
    """The report's year, its 统计期限 and the years named in the text agree."""
    year, meta = ctx.doc.meta.year, ctx.doc.meta
    if meta.published and int(meta.published[:4]) <= year:
        yield Violation(f"发布日期 {meta.published} 早于 {year} 年度结束", _meta_location(ctx, "published"),
                        f"{year + 1} 年或以后", meta.published)
    for key, text in _texts(ctx):
        if "年" not in text and not PERIOD_WORDS.search(text):
            continue  # each pattern below needs one or the other
        for offset, sentence in split(text):
            where = lambda: _where(ctx, key, sentence, offset)  # noqa: E731 - only if found
            if PERIOD_WORDS.search(sentence):
                yield from _stated_period(sentence, year, where)
            else:
                for m in _PERIOD.finditer(sentence):
                    years = {int(y) for y in m.groups() if y}
                    if years != {year}:
                        yield Violation(f"统计期限不是 {year} 年全年", where(),
                                        f"{year}年1月1日至{year}年12月31日", m.group(0))
            for m in _REPORT_YEAR.finditer(sentence):
                named = int(m.group(1))
                if named != year and not (key == "problems" and named == year + 1):
                    yield Violation(f"正文所称年度 {named} 与报告年度 {year} 不符（复制往年报告？）",
                                    where(), str(year), m.group(0))


def _stated_period(sentence: str, year: int, where) -> Iterator[Violation]:
    """A sentence naming the 统计期限: two real dates, 1月1日 and 12月31日 of the report's year."""
    full = f"{year}年1月1日至{year}年12月31日"
    m = _STATED_PERIOD.search(sentence)
    if m is None:
        if re.search(r"\d", sentence[PERIOD_WORDS.search(sentence).end():][:30]):
            yield Violation("统计期限的日期写法不完整，无法读出起止日期", where(), full, sentence[:40])
        return
    y1, m1, d1, y2, m2, d2 = (int(g) if g else None for g in m.groups())
    y1 = y1 or y2 or year
    y2 = y2 or y1
    try:
        start, end = date(y1, m1, d1), date(y2, m2, d2)
    except ValueError:
        yield Violation("统计期限的日期不成立", where(), full, m.group(0))
        return
    if (start, end) != (date(year, 1, 1), date(year, 12, 31)):
        yield Violation(f"统计期限不是 {year} 年全年", where(), full, m.group(0))


def m_format(ctx: Context) -> Iterator[Violation]:
    """Y ≥ 2021 ⇒ 2021 tables and basis 〔2021〕30号; Y ∈ {2019, 2020} ⇒ 2019 tables."""
    meta = ctx.doc.meta
    required = format_for_year(meta.year)
    if meta.format != required.key:
        yield Violation(f"{meta.year} 年度报告应使用 {required.document} 格式",
                        _meta_location(ctx, "format"), required.key, meta.format)
    for key, text in _texts(ctx):
        for offset, sentence in split(text) if "号" in text else ():
            for m in _BASIS.finditer(sentence):
                doc_year, number = m.group(1), m.group(2)
                cited = next((f for f in FORMATS.values() if f.basis == (doc_year, number)), None)
                if cited and cited.basis != required.basis:
                    yield Violation(f"正文引用的格式依据 {cited.document} 不适用于 {meta.year} 年度报告",
                                    _where(ctx, key, sentence, offset),
                                    required.document, m.group(0))


def m_sections(ctx: Context) -> Iterator[Violation]:
    """Sections 一, 五 and 六 present and non-empty; 五 names problems and measures; in an imported
    report, a table section with no table that reads under its heading is empty too."""
    doc = ctx.doc
    for sec in doc.spec.sections:
        if sec.table and doc.source is not None and sec.table in doc.source.unread:
            # an imported section whose heading stands with no table that reads under it: the
            # section is empty, whatever else IMPORT-UNREAD says
            yield Violation(f"“{sec.title}”一节下没有可读的表格",
                            Location(section=sec.title, field="source.unread",
                                     line=doc.line("source", "unread")),
                            f"表{doc.table(sec.table).spec.number}", "无")
        if sec.table or doc.unread(f"narrative.{sec.key}"):
            continue  # a section an import never reached is not empty: IMPORT-TRUNCATED says so
        keys = [sec.key] + [f"{sec.key}.{s.key}" for s in sec.subsections]
        text = "".join(doc.narrative.get(k, "") for k in keys)
        where = Location(section=sec.title, field=f"narrative.{sec.key}",
                         line=doc.line("narrative", sec.key))
        if not text.strip():
            yield Violation(f"“{sec.title}”一节为空", where, "非空的正文", "空白")
        elif sec.key == "problems":
            lacking = [w for w, p in (("存在的问题", _PROBLEM_WORDS), ("改进措施", _MEASURE_WORDS))
                       if not p.search(_words(text))]
            if lacking:
                yield Violation(f"“{sec.title}”未写明{'和'.join(lacking)}", where,
                                "问题及改进措施", "未提及" + "、".join(lacking))


def m_oversight(ctx: Context) -> Iterator[Violation]:
    """A 人民政府 (a township included) reports 工作考核、社会评议和责任追究结果情况."""
    if ctx.doc.meta.kind not in GOVERNMENT_KINDS or _text_cut(ctx.doc):
        return
    if any(_OVERSIGHT_WORDS.search(_words(t)) for _, t in _texts(ctx)):
        return
    key = "general.oversight"
    yield Violation("人民政府的年报应报告工作考核、社会评议和责任追究结果情况（《条例》第五十条）",
                    Location(section=ctx.doc.spec.section_title(key), field=f"narrative.{key}",
                             line=ctx.doc.line("narrative", *key.split("."))),
                    "工作考核、社会评议和责任追究结果情况", "未提及")


def m_fee(ctx: Context) -> Iterator[Violation]:
    """Formats that ask for it (2021): 六 states the 信息处理费 collected (or none); fee notices if
    三（六）2 > 0. An empty 六 is M-SECTIONS' finding, not this one's."""
    doc = ctx.doc
    other = doc.narrative.get("other", "")
    if not doc.spec.fee_in_other or not other.strip() or doc.unread("narrative.other"):
        return
    where = Location(section=doc.spec.section_title("other"), field="narrative.other",
                     line=doc.line("narrative", "other"))
    if not _FEE_WORDS.search(_words(other)):
        yield Violation("第六部分应说明信息处理费的收取情况（未收取也应写明）", where,
                        "信息处理费收取情况", "未提及")
    unpaid = doc.table("table3").number("other_no_fee", "total")  # None where the format has no such row
    if unpaid and not any(_FEE_NOTICE_WORDS.search(_words(t)) for _, t in _texts(ctx)):
        yield Violation(f"表三有 {unpaid} 件因逾期未缴费不再处理，正文应说明收费通知情况", where,
                        "收费通知情况", "未提及")


# Levels of government, lowest first, by the words a report uses for them. A report speaking of
# a higher level as itself — "全市…" as the subject of a clause, requests "向市政府…提出" — was
# copied from that level's report.
_LEVELS = ("乡|镇|街道", "县|区|旗", "市|州|盟", "省|自治区")
_UNIT_LEVEL = re.compile(r"(省|自治区)|(市|州|盟)|(县|区|旗)")


def _level(meta) -> int | None:
    """0 a township, 1 a county (its government or departments), 2 a city, 3 a province."""
    if meta.kind in TOWNSHIP_KINDS:
        return 0
    if meta.kind in GOVERNMENT_KINDS:
        return 1
    found = [m.lastindex for m in _UNIT_LEVEL.finditer(meta.unit or "")]
    return 4 - max(found) if found else None  # the lowest level the unit's name names


@lru_cache(maxsize=8)
def _higher(level: int | None) -> tuple[re.Pattern, re.Pattern] | None:
    """What a report of ``level`` says when it speaks as a higher level, and the words every such
    saying holds (全市, 向市…), which a text without needs no closer look."""
    if level is None or level >= len(_LEVELS) - 1:
        return None
    words = "|".join(_LEVELS[level + 1:])
    saying = re.compile(rf"(?:^|[，,。；：:])\s*(?:\d{{4}}年度?[，,]?\s*)?(全(?:{words}))[^。；]{{0,30}}?工作"
                        rf"|(?:受理|收到|接收|办理)[^。；]{{0,20}}?(向(?:{words})(?:人民)?政府[^。；，,]{{0,16}}?"
                        rf"提出)的?[^。；]{{0,12}}?申请")
    return saying, re.compile(f"[全向](?:{words})")


def m_unit(ctx: Context) -> Iterator[Violation]:
    """The text names this unit, not another (copy-paste from a county or a neighbour), and
    speaks of its own level, not a higher one's (a 街道 saying 全市… or 向市政府…提出)."""
    meta = ctx.doc.meta
    others = [n for n in ctx.neighbours if n != meta.township and n not in meta.township]
    own = _SELF.get(meta.kind)
    higher = _higher(_level(meta))
    for key, text in _texts(ctx):
        plain = _words(text)  # a sentence's finding is in its text's: skip the texts without
        if not (any(n in text for n in others) or (higher and higher[1].search(plain))
                or _wrong_self(plain, own)):
            continue
        for offset, sentence in split(text):
            words = _words(sentence)
            named = [n for n in others if n in sentence]
            wrong = _wrong_self(words, own)
            if named or wrong:
                yield Violation(f"正文以其他单位自称或提及其他乡镇：{'、'.join(named + wrong)}（复制其他报告？）",
                                _where(ctx, key, sentence, offset), meta.unit, "、".join(named + wrong))
            above = [m.group(1) or m.group(2) for m in higher[0].finditer(words)] if higher else []
            if above:
                yield Violation(f"正文以上级政府的口吻叙述本单位：{'、'.join(above)}（复制上级报告？）",
                                _where(ctx, key, sentence, offset), f"{meta.unit}自身的工作",
                                "、".join(above))


def _wrong_self(words: str, own: str | None) -> list[str]:
    """How the text names itself where that is not its own kind (我镇 in a 乡's report)."""
    return [m.group(0) for m in _WRONG_SELF.finditer(words) if own and not re.fullmatch(own, m.group(1))]


def m_carried(ctx: Context) -> Iterator[Violation]:
    """Text carried from last year's report (``nianbao new-year``) that still names last year:
    one warning a sentence, until the analyst rewrites it."""
    meta = ctx.doc.meta
    if not meta.carried_from:
        return
    old = f"{meta.carried_from}年"
    for key, text in _texts(ctx):
        for offset, sentence in split(text) if old in text else ():
            if old in sentence:
                yield Violation(f"沿用{meta.carried_from}年报告的正文仍提及 {old}，请改写为本年度情况",
                                _where(ctx, key, sentence, offset), f"{meta.year}年的情况", old)


def _deadline(county_deadline: str, kind: str, year: int) -> date:
    """条例第四十九条: 县级以上地方人民政府 by 3月31日; others by the county's deadline
    (1月31日 unless the county file says otherwise)."""
    if kind == "县级人民政府" and county_deadline == DEFAULT_DEADLINE:
        county_deadline = COUNTY_GOVERNMENT_DEADLINE
    month, day = (int(x) for x in county_deadline.split("-"))
    return date(year + 1, month, day)


def m_deadline(ctx: Context) -> Iterator[Violation]:
    """Publication after the deadline for this kind of unit (townships: 1月31日 by default)."""
    meta = ctx.doc.meta
    if not meta.published:
        return
    deadline = _deadline(ctx.deadline, meta.kind, meta.year)
    if date.fromisoformat(meta.published) > deadline:
        yield Violation(f"发布日期晚于 {deadline.isoformat()} 的公布期限", _meta_location(ctx, "published"),
                        f"不晚于 {deadline.isoformat()}", meta.published)

