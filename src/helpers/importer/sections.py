"""Find the six sections and the sub-sections of 一 in a report's lines, text kept verbatim.

A section heading is "一、" … "六、" followed by (the start of) its official heading or a word
only that heading has, short, with no full stop — and headings come in order, which is how the
last row of table 三 (its label starts "四、结转") is told from the heading of section 四.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..formats import SectionSpec
from .normalize import key, squeeze

NUMBERS = "一二三四五六"
# "—、" and "-、": a dash or stroke some sites' text has for 一 (a dash is never a heading's number)
_HEAD = re.compile(r"^([一二三四五六—－─-])\s*[、.．,，]\s*(.+)$")
_LOOKALIKE_ONE = "—－─-"
_SUB = re.compile(r"^[（(]([一二三四五六七八九十])[)）]\s*(.+)$")
_SENTENCE = re.compile(r"[。；;]")
# Site furniture after the report (web pages): the report ends here.
_END = re.compile(r"^(?:【?(?:打印|关闭|分享)|上一篇|下一篇|扫一扫|相关(?:附件|链接)|主办单位)")


def section_number(text: str, after: int, sections: tuple[SectionSpec, ...]) -> int | None:
    """1–6 when ``text`` is the heading of a section after section ``after`` (0 before 一): its
    number, then the start of its official heading or a word only that heading has."""
    found = _candidate(text, sections)
    return found[0] if found and found[0] > after else None


WEAK, STRONG = 2, 3  # a heading by one of its words; by the start of its official words


def _candidate(text: str, sections: tuple[SectionSpec, ...]) -> tuple[int, int] | None:
    """(number, strength) of a line that can be a section's heading, else None."""
    match = _HEAD.match(text.strip())
    if not match or len(text) > 40 or _SENTENCE.search(text):
        return None
    numeral = "一" if match.group(1) in _LOOKALIKE_ONE else match.group(1)
    number = NUMBERS.index(numeral) + 1
    rest, official = key(match.group(2)), key(sections[number - 1].heading)
    if len(rest) >= 2 and (official.startswith(rest) or rest.startswith(official[:4])):
        return number, STRONG
    if re.search(sections[number - 1].words, rest):
        return number, WEAK
    return None


def headings(lines: list[tuple[int, str]], sections: tuple[SectionSpec, ...]) -> dict[int, int]:
    """Line → section number of the lines that head the report's sections, by their official
    words and order. A sub-heading numbered like a section inside 一 (三、依申请公开 under 一、总体情况)
    is not section 三 when a later line heads it by its official words: of every run of candidate
    headings whose numbers rise, the strongest is taken (ties: the later), so a report is never
    taken for cut off at a sub-heading."""
    found = [(line, *c) for line, text in lines if (c := _candidate(text, sections))]
    best: list[tuple[int, int, int]] = []  # for each candidate: (score, its line, index before it)
    for i, (line, number, strength) in enumerate(found):
        before = [(best[j][0], found[j][0], j) for j in range(i) if found[j][1] < number]
        score, _, j = max(before, default=(0, 0, -1))
        best.append((score + strength, line, j))
    if not best:
        return {}
    i = max(range(len(best)), key=lambda k: (best[k][0], best[k][1]))
    out = {}
    while i >= 0:
        out[found[i][0]] = found[i][1]
        i = best[i][2]
    return out


@dataclass
class Sections:
    """The report's narrative by params key, and what was seen on the way."""

    text: dict[str, list[str]] = field(default_factory=dict)  # narrative key → paragraphs
    found: list[int] = field(default_factory=list)  # section numbers whose heading was seen
    preamble: list[str] = field(default_factory=list)  # title, date, preface: before 一
    subheadings: dict[str, str] = field(default_factory=dict)  # sub-section key → printed heading


def split_sections(lines: list[tuple[int, str]], table_lines: set[int],
                   sections: tuple[SectionSpec, ...], wrapped: bool = False,
                   heads: dict[int, int] | None = None) -> Sections:
    """Assign every text line to its section. ``table_lines`` are the lines the tables used;
    ``wrapped`` (PDF): a line that is not indented continues the paragraph before it; ``heads``:
    the lines that head sections (``headings``)."""
    out = Sections()
    heads = headings(lines, sections) if heads is None else heads
    current, bucket, joinable = 0, "", False
    for number, raw in lines:
        text = raw.strip()
        if not text:
            continue
        found = heads.get(number)
        if found:
            current, bucket, joinable = found, sections[found - 1].key, False
            out.found.append(found)
            continue
        if current == 6 and _END.match(text):
            break
        if current == 0:
            out.preamble.append(text)
            continue
        sec = sections[current - 1]
        if sec.subsections:
            bucket, text = _sub_bucket(sec, text, bucket, out)
            if not text:
                joinable = False
                continue
        elif sec.table and (number in table_lines or not is_prose(text)):
            continue  # a table's cells, not text about it
        paragraphs = out.text.setdefault(bucket, [])
        if wrapped:
            text = squeeze(text)
        if wrapped and joinable and paragraphs and not raw.startswith(" ") and not _stands_alone(paragraphs[-1], text):
            paragraphs[-1] += text
        else:
            paragraphs.append(text)
        joinable = True
    return out


def _sub_bucket(section: SectionSpec, text: str, bucket: str, out: Sections) -> tuple[str, str]:
    """(the sub-section a line of 一 belongs to, the text of it to keep: "" for a heading)."""
    match = _SUB.match(text)
    if not match:
        return bucket, text
    # "（一）主动公开情况。2022年…": a heading with its paragraph run on after the full stop
    heading, stop, rest = text.partition("。") if _SENTENCE.search(text) else (text, "", "")
    if len(heading) <= 30 and not (stop and re.search(r"[，,]", heading)):
        for sub in section.subsections:
            name = f"{section.key}.{sub.key}"
            if re.search(sub.words, heading[match.end(1) + 1:]) and name not in out.subheadings:
                out.subheadings[name] = heading + stop
                return name, rest.strip()
        if not stop:
            return section.key, text  # an unknown sub-heading: kept verbatim in the opening text
    return bucket, text


_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_PUNCTUATED = re.compile(r"[，。；：,;:！？]")


def _stands_alone(before: str, line: str) -> bool:
    """A PDF line that is not the rest of the paragraph before it though it is not indented: a
    date on its own (the sign-off's), or a short unpunctuated line after a finished sentence
    (the issuing unit's name)."""
    return bool(_DATE_LINE.match(line)) or (before.endswith(("。", "！", "？")) and len(line) <= 30
                                             and not _PUNCTUATED.search(line))


def is_prose(text: str) -> bool:
    """Text about a table (a sentence), as opposed to one of its labels."""
    return bool(_SENTENCE.search(text) or text.endswith((":", "：")) and len(text) > 8
                and text.count("（") + text.count("(") <= text.count("）") + text.count(")"))
    # “本年收费金额（单位：” is a header wrapped inside its bracket, not a sentence introducing a table
