"""Figures stated in narrative text: "受理政府信息公开申请859件", "无依申请公开事项", "行政复议7件".

The patterns were written against published reports (tests/data/reports) and are tested there.
They favour precision over recall: a sentence the patterns do not understand yields nothing, so
a rule never fires on a figure the kit misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterator

from functools import lru_cache

from .. import formats
from ..formats import T4_REVIEW, T4_SUIT
from .hanzi import simplified

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
MAX_DIGITS = 15  # a count or an amount in 万元 has far fewer
NUM = r"(\d+|[零〇一二两三四五六七八九十百]+)"
UNIT = r"(?:件|起|宗|个|份)"
SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")
CLAUSE_END = re.compile(r"(?<=[。；;！？!?，,\n])")

# A figure's qualifier: the bracket right after it, "答复3050件（含上年度结转申请34件）". The
# figures inside belong to the figure they qualify; they are not stated on their own.
_QUALIFIER = re.compile(r"\s*[（(]([^（()）]{1,40})[)）]")
_BRACKET = r"(?:\s*[（(][^（()）]{0,40}[)）])?"
# Applications received (N-APPS): the verb, up to a few words, 申请 (or 依申请公开), maybe a
# qualifier, the count.
_APPS = (
    re.compile(r"(?:收到|受理|新收|接到|接收|办理)(?:了)?(?:各类)?[^。；，,\d复议诉讼（()）]{0,12}?申请"
               r"(?:公开)?(?:事项)?" + _BRACKET + r"(?:共|共计|合计|总计)?\s*" + NUM + r"\s*" + UNIT),
    re.compile(r"(?:收到|受理|新收|接到|接收)(?:了)?(?:共|共计|合计)?\s*" + NUM + r"\s*" + UNIT
               + r"[^。；，,\d复议诉讼（()）]{0,10}?申请"),
)
# "含上年结转…", "其中上年结转3件", "包括上一年度结转的…": the figure counts last year's too
_INCLUDES_CARRIED = re.compile(r"(?<!不)(?:含|包括|其中)[^。；，,]{0,6}?(?:上年|上一年)[^。；，,]{0,4}?结转")
_FIGURE = re.compile(NUM + r"\s*(?:件|起|宗|个|份|条|项|篇|万元)")
_NEGATION = re.compile(r"[无未没零0]")

# No applications / no review or suit at all (N-NONE), read clause by clause.
_NO_APPS = (
    re.compile(r"无依申请公开(?:事项|情况|申请)"),
    re.compile(r"(?:未|没有)(?:收到|接到|受理|接收)[^。；，,]{0,15}?(?:政府信息公开|公开政府信息|依申请公开"
               r"|信息公开)[^。；，,]{0,4}?申请"),
    re.compile(r"(?:没有|无)[^。；，,]{0,4}?(?:政府信息公开|依申请公开)申请"),
    re.compile(r"依申请公开[^。；，,\d]{0,8}?(?:为零|为0|(?<!\d)0件|零件)"),
)
# Counts such as "行政复议0件" are N-REVIEW's; these are the verbal forms.
_NO_REVIEW = (
    re.compile(rf"(?:未发生|未出现|没有发生|没有|无)[^。；，,]{{0,30}}?(?:{T4_REVIEW}|{T4_SUIT})"),
    re.compile(rf"(?:{T4_REVIEW}|{T4_SUIT})[^。；，,]{{0,10}}?(?:为零|(?<!\d)为0(?!\d)|均为0(?!\d)|均为零)"),
)
_REVIEW_WORDS = re.compile(r"复议|诉讼")
REVIEW, SUIT = "review", "suit"  # Mention.detail of no_review and all_upheld: "review+suit"
_CARRY = (
    re.compile(NUM + r"\s*件[^。；，,\d]{0,20}?(?:结转|顺延)(?:到|至)?下(?:一)?年度?"),
    re.compile(r"结转(?:到|至)?下(?:一)?年度?(?:继续办理)?[^。；，,\d]{0,6}?" + NUM + r"\s*件"),
)

# Review and suits (N-REVIEW).
_REVIEW = re.compile(T4_REVIEW + r"(?:案件|申请)?(?:共|共计)?\s*" + NUM + r"\s*" + UNIT)
_SUIT = re.compile(r"(?:行政)?诉讼(?:案件)?(?:共|共计)?\s*" + NUM + r"\s*" + UNIT)
_ALL_UPHELD = re.compile(r"均(?:获|被|予)?维持|全部(?:获|被)?维持")
_UPHELD_WORD = "维持"  # in every form _ALL_UPHELD reads

# Table 二 figures (N-T2) and handling results (N-RESULTS) are named by the official labels of
# every registered format, longest first (so the longer label wins); made again when the
# registry changes.
_T2_CONTEXT = re.compile(r"公开|制发|印发|出台|发布")
_T2_STOCK = {"废止": "repealed", "现行有效": "in_force", "现行有效的": "in_force"}
DOCUMENT_ROWS, DECISION_ROWS, FEE_ROWS = ("rules", "normative"), ("licensing", "penalty", "enforcement"), ("fees",)


def t2_labels() -> dict[str, str]:
    """Table-二 row label → row key, over every registered format."""
    return _vocabulary(formats.generation())[0]


@lru_cache(maxsize=2)
def _vocabulary(generation: int) -> tuple[dict[str, str], dict[str, re.Pattern]]:
    labels = {r.label: r.key for f in formats.FORMATS.values() for r in f.table("table2").rows}
    def alternatives(keys: tuple[str, ...]) -> str:
        return "|".join(sorted((l for l, k in labels.items() if k in keys), key=len, reverse=True))
    in_order = list(dict.fromkeys(c for f in formats.FORMATS.values() for c in f.categories))
    categories = sorted(in_order, key=len, reverse=True)
    granted, partial = in_order[:2]  # （一）予以公开, （二）部分公开
    patterns = {
        "docs": re.compile(r"(废止|现行有效的?)?(?<!部门)(?<!政府)(" + alternatives(DOCUMENT_ROWS)
                           + r")(?:共|共计)?\s*" + NUM + r"\s*件"),
        "decisions": re.compile("(" + alternatives(DECISION_ROWS) + r")(?:决定|案件)?(?:共|共计)?\s*"
                                + NUM + r"\s*件"),
        "fees": re.compile("(" + alternatives(FEE_ROWS) + r")[^。；，,\d]{0,6}?(\d+(?:\.\d+)?)\s*万元"),
        # "予以公开及部分公开258件" names two categories at once
        "result": re.compile(rf"({granted}(?:及|和|、|与){partial}|" + "|".join(categories) + r")"
                             r"(?:的|类|申请)?[^。；，,\d%]{0,6}?" + NUM + r"\s*件"),
    }
    return labels, patterns


def _pattern(name: str) -> re.Pattern:
    return _vocabulary(formats.generation())[1][name]


# How many items were disclosed proactively ("主动公开政府信息共计103条"): for the index only.
_PROACTIVE_ITEMS = re.compile(r"主动公开[^。；，,\d]{0,12}?(?:共|共计|合计)?\s*" + NUM + r"\s*条")

# "共 N 条，其中 a 条、b 条" (N-PARTS).
_PARTS_TOTAL = re.compile(r"(?:共|共计|合计|总计)?\s*" + NUM + r"\s*(条|件|篇|项|个|期)[^。；，,\d]{0,4}?"
                          r"[。，,；]?\s*其中")


@dataclass(frozen=True)
class Mention:
    """One figure the text states, with the sentence it stands in."""

    kind: str  # apps, apps_with_carried, no_apps, no_review, result, carry, review, suit,
    #            all_upheld, t2, parts (no_review and all_upheld: detail names review/suit)
    value: int | Decimal | None
    sentence: str
    offset: int  # where the sentence starts in the text
    detail: str = ""  # the category, the table-二 label (and column), or the parts as "14+4"


def cn_number(text: str) -> int | None:
    """'259' → 259, '十二' → 12, '两' → 2; None for what is not a plain count (nor a run of
    digits longer than any count, which int() would refuse past 4,300)."""
    if text.isdigit():
        return int(text) if len(text) <= MAX_DIGITS else None
    if "百" in text:
        head, _, tail = text.partition("百")
        hundreds = CN_DIGITS.get(head, 1 if not head else -1)
        rest = cn_number(tail.lstrip("零")) if tail else 0
        return None if hundreds < 0 or rest is None else hundreds * 100 + rest
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = CN_DIGITS.get(head, 1 if not head else -1)
        ones = CN_DIGITS.get(tail, -1) if tail else 0
        return None if tens < 0 or ones < 0 else tens * 10 + ones
    return CN_DIGITS.get(text) if len(text) == 1 else None


def split(text: str, pattern: re.Pattern = SENTENCE_END) -> tuple[tuple[int, str], ...]:
    """(offset, sentence) for every non-blank sentence of ``text``. Several rules read the same
    texts sentence by sentence: each text is split once (the last few hundred are kept)."""
    return _split(text, pattern)


# A line a sentence runs on from (a PDF's wrapped line, a copied text's hard break): long, and not
# ended by punctuation; the next line not a heading of its own.
_WRAPPED_LINE = 16
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(\d+\)|\d+[.．、])")


def _wraps(part: str, following: str) -> bool:
    line = part.rstrip("\n").strip()
    return (part.endswith("\n") and len(line) >= _WRAPPED_LINE and line[-1] not in "。；;！？!?：:，,"
            and not _HEADING_START.match(following))


@lru_cache(maxsize=512)
def _split(text: str, pattern: re.Pattern) -> tuple[tuple[int, str], ...]:
    """Sentences end at their punctuation, and at a line's end unless the sentence runs on into
    the next line (wrapped there): one sentence for every rule however the text was broken."""
    out: list[tuple[int, str]] = []
    offset, carried = 0, None  # carried: (offset, text) of a sentence running on into the next line
    parts = pattern.split(text)
    for i, raw in enumerate(parts):
        if raw.strip():
            start, sentence = offset + len(raw) - len(raw.lstrip()), raw.strip()
            if carried is not None:
                start, sentence = carried[0], carried[1] + sentence
            if _wraps(raw, parts[i + 1] if i + 1 < len(parts) else ""):
                carried = (start, sentence)
            else:
                out.append((start, sentence))
                carried = None
        offset += len(raw)
    if carried is not None:
        out.append(carried)
    return tuple(out)


def extract(text: str) -> list[Mention]:
    """Every figure the patterns recognise in ``text``, in order. A text in traditional characters
    is read as simplified (受理依申請公開 as 受理依申请公开); its sentences are quoted as written."""
    plain = simplified(text)
    found: list[Mention] = []
    # Each pass is skipped, whole text or sentence, where a word its patterns all need is absent.
    if _FIGURE.search(plain) or _UPHELD_WORD in plain:
        for offset, sentence in split(plain):
            if _FIGURE.search(sentence):  # every pattern with a count needs a counted figure
                found += _sentence_mentions(sentence, offset)
            elif _UPHELD_WORD in sentence and _ALL_UPHELD.search(sentence):
                found += _review_mentions(sentence, offset)
    if _NEGATION.search(plain):  # the no-applications/no-review forms say 无, 未, 没有 or 零
        for offset, clause in split(plain, CLAUSE_END):
            if _NEGATION.search(clause):
                found += _clause_mentions(clause, offset)
    if "其中" in plain:
        for m in _PARTS_TOTAL.finditer(plain):  # "…18条。其中…" spans two sentences
            found += _parts(plain, m)
    return [_as_written(m, text) for m in found] if plain != text else found


def _as_written(m: Mention, text: str) -> Mention:
    written = text[m.offset:m.offset + len(m.sentence)]
    return replace(m, sentence=written) if simplified(written) == m.sentence else m


def _qualified(s: str) -> list[tuple[int, int]]:
    """The spans of the qualifiers in ``s``: brackets right after a figure."""
    return [q.span() for m in _FIGURE.finditer(s) if (q := _QUALIFIER.match(s, m.end()))]


def _qualifier(s: str, end: int) -> str:
    """What qualifies the figure ending at ``end``: the bracket right after it, else the words up
    to the next figure or clause ("25件，其中上年结转3件")."""
    q = _QUALIFIER.match(s, end)
    return q.group(1) if q else re.split(r"[\d。；]", s[end:end + 20])[0]


def _sentence_mentions(s: str, offset: int) -> list[Mention]:
    out = []
    inside = _qualified(s)
    free = lambda m: not any(a <= m.start() < b for a, b in inside)  # noqa: E731
    for pattern in _APPS if "申请" in s else ():
        for m in filter(free, pattern.finditer(s)):
            value = cn_number(m.group(1))
            said = m.group(0) + _qualifier(s, m.end())
            kind = "apps_with_carried" if _INCLUDES_CARRIED.search(said) else "apps"
            if value is not None:
                out.append(Mention(kind, value, s, offset))
        if out:
            break
    for m in filter(free, _pattern("result").finditer(s)):
        value = cn_number(m.group(2))
        if value is not None:
            out.append(Mention("result", value, s, offset, detail=_with_included(m, s)))
    for pattern in _CARRY if "结转" in s or "顺延" in s else ():
        m = pattern.search(s)
        if m and cn_number(m.group(1)) is not None:
            out.append(Mention("carry", cn_number(m.group(1)), s, offset))
            break
    out += _review_mentions(s, offset)
    out += _t2_mentions(s, offset)
    return out


def _with_included(m: re.Match, s: str) -> str:
    """The category a result figure counts, with any its qualifier says it includes
    ("予以公开12件（含部分公开3件）" counts 予以公开 and 部分公开)."""
    q = _QUALIFIER.match(s, m.end())
    if not q or "含" not in q.group(1) or "不含" in q.group(1):
        return m.group(1)
    categories = dict.fromkeys(c for f in formats.FORMATS.values() for c in f.categories)
    more = [c for c in categories if c in q.group(1) and c not in m.group(1)]
    return "及".join([m.group(1), *more])


def proactive_items(text: str) -> int | None:
    """The number of items the text says were disclosed proactively, if it says so once."""
    found = {cn_number(m.group(1)) for m in _PROACTIVE_ITEMS.finditer(text)} - {None}
    return found.pop() if len(found) == 1 else None


def _review_mentions(s: str, offset: int) -> list[Mention]:
    out = []
    m = _REVIEW.search(s) if T4_REVIEW in s else None
    if m and cn_number(m.group(1)) is not None:
        out.append(Mention(REVIEW, cn_number(m.group(1)), s, offset))
    m = _SUIT.search(s) if "诉讼" in s else None
    if m and cn_number(m.group(1)) is not None:
        out.append(Mention(SUIT, cn_number(m.group(1)), s, offset))
    if _UPHELD_WORD in s and _ALL_UPHELD.search(s) and _REVIEW_WORDS.search(s):
        detail = "+".join(k for k, w in ((REVIEW, "复议"), (SUIT, "诉讼")) if w in s)
        out.append(Mention("all_upheld", None, s, offset, detail=detail))
    return out


def _t2_mentions(s: str, offset: int) -> list[Mention]:
    """detail: the table-二 label, with "|repealed" or "|in_force" for those columns. Counts of
    documents and decisions only in sentences about publishing; a 收费 amount anywhere."""
    out = []
    m = _pattern("fees").search(s) if "万元" in s else None
    if m:
        out.append(Mention("t2", Decimal(m.group(2)), s, offset, detail=m.group(1)))
    if not _T2_CONTEXT.search(s):
        return out
    for m in _pattern("docs").finditer(s):
        value = cn_number(m.group(3))
        if value is not None:
            column = _T2_STOCK.get(m.group(1) or "")
            out.append(Mention("t2", value, s, offset,
                               detail=m.group(2) + (f"|{column}" if column else "")))
    for m in _pattern("decisions").finditer(s):
        value = cn_number(m.group(2))
        if value is not None:
            out.append(Mention("t2", value, s, offset, detail=m.group(1)))
    return out


def _parts(text: str, m: re.Match) -> list[Mention]:
    total, unit = cn_number(m.group(1)), m.group(2)
    stops = "。；;\n" + ("）)" if re.search(r"[（(]\s*其中$", m.group(0)) else "")  # "（其中…）" ends there
    end = min((i for i in (text.find(c, m.end()) for c in stops) if i >= 0), default=len(text))
    rest = text[m.end():end]
    parts = [cn_number(x) for x in re.findall(NUM + r"\s*" + unit + r"(?![^\s，,、。；]*%)", rest)]
    if total is None or not parts or None in parts:
        return []
    start = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
    sentence = text[start:end + 1].strip()
    return [Mention("parts", total, sentence, start, detail="+".join(map(str, parts)))]


def _clause_mentions(c: str, offset: int) -> list[Mention]:
    out = []  # every _NO_APPS form says 申请; every _NO_REVIEW form names 行政复议 or 行政诉讼
    if "申请" in c and not _REVIEW_WORDS.search(c) and any(p.search(c) for p in _NO_APPS):
        out.append(Mention("no_apps", 0, c, offset))
    if (T4_REVIEW in c or T4_SUIT in c) and any(p.search(c) for p in _NO_REVIEW):
        named = [k for k, w in ((REVIEW, "复议"), (SUIT, "诉讼")) if w in c]
        out.append(Mention("no_review", 0, c, offset, detail="+".join(named)))
    return out
