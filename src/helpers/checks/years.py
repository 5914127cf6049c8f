"""Across years: this report against last year's report of the same unit."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ..formats import STOCK_IN_FORCE, STOCK_ITEMS
from ..model import Location, TownshipYear
from .base import Context, Violation, cell_location, fmt
from .figures import split
from .meta import PERIOD_WORDS  # the 统计期限 sentence every report must have: not repeated prose


def _stock_rule(ctx: Context, rule: str) -> bool:
    """Both years' formats carry their stock by ``rule`` (not across a change of format)."""
    prev = ctx.previous
    return prev is not None and ctx.doc.spec.stock_rule == prev.spec.stock_rule == rule


def x_carry(ctx: Context) -> Iterator[Violation]:
    """This year's row 二 (上年结转) = last year's row 四 (结转下年度), every column."""
    if ctx.previous is None:
        return
    now, before = ctx.doc.table("table3"), ctx.previous.table("table3")
    row = now.spec.row("carried_over")
    for col in row.columns:
        carried, carry = now.number(row.key, col.key), before.number("carry_forward", col.key)
        if carried is None or carry is None or carried == carry:
            continue
        yield Violation(
            f"上年结转（{fmt(carried)}）与 {ctx.previous.meta.year} 年报告的结转下年度继续办理"
            f"（{fmt(carry)}）不一致", cell_location(ctx.doc, now.spec, row, col.label, col.key),
            fmt(carry), fmt(carried))


def x_stock(ctx: Context) -> Iterator[Violation]:
    """Stock formats (2021): 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发(Y) − 本年废止(Y)."""
    if not _stock_rule(ctx, STOCK_IN_FORCE):
        return  # not across a change of format (2020→2021)
    prev = ctx.previous
    now, before = ctx.doc.table("table2"), prev.table("table2")
    for row in now.spec.rows:
        key = row.key
        if STOCK_IN_FORCE not in {c.key for c in row.columns}:
            continue
        label = {c.key: c.label for c in row.columns}
        stock, issued, repealed = (now.number(key, c) for c in ("in_force", "issued", "repealed"))
        last = before.number(key, "in_force")
        if None in (stock, issued, repealed, last) or stock == last + issued - repealed:
            continue
        yield Violation(
            f"{label['in_force']}（{fmt(stock)}）≠ 上年 {fmt(last)} + {label['issued']} {fmt(issued)}"
            f" − {label['repealed']} {fmt(repealed)}",
            cell_location(ctx.doc, now.spec, row, row.column("in_force").label, "in_force"),
            fmt(last + issued - repealed), fmt(stock))


def x_pending(ctx: Context) -> Iterator[Violation]:
    """Last year's 尚未审结 cases should show up this year (concluded or still pending)."""
    if ctx.previous is None:
        return
    now, before = ctx.doc.table("table4"), ctx.previous.table("table4")
    for row in now.spec.rows:
        pending, this_total = before.number(row.key, "pending"), now.number(row.key, "total")
        if not pending or this_total is None or this_total >= pending:
            continue
        yield Violation(
            f"{ctx.previous.meta.year} 年{row.column('pending').label} {fmt(pending)} 件，"
            f"本年{row.column('total').label}仅 {fmt(this_total)} 件："
            "上年未结案件去向不明",
            cell_location(ctx.doc, now.spec, row, row.column("total").label, "total"),
            f"≥ {fmt(pending)}", fmt(this_total))


def x_items(ctx: Context) -> Iterator[Violation]:
    """Item formats (2019): 上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)."""
    if not _stock_rule(ctx, STOCK_ITEMS):
        return
    prev = ctx.previous
    now, before = ctx.doc.table("table2"), prev.table("table2")
    for row in now.spec.rows:
        if STOCK_ITEMS not in {c.key for c in row.columns}:
            continue
        items = now.number(row.key, "prior_items")
        last, change = before.number(row.key, "prior_items"), before.number(row.key, "change")
        if None in (items, last, change) or items == last + change:
            continue
        yield Violation(
            f"{row.column(STOCK_ITEMS).label}（{fmt(items)}）≠ {prev.meta.year} 年的 {fmt(last)}"
            f" + {row.column('change').label} {fmt(change)}",
            cell_location(ctx.doc, now.spec, row, row.column(STOCK_ITEMS).label, STOCK_ITEMS),
            fmt(last + change), fmt(items))


# X-SIMILAR: assessments mark down a report that repeats more than half of last year's text
# (与上年度重复率大于50%). A sentence repeats when it is last year's (its year aside) or within
# rapidfuzz's ratio of one; the share is of the characters of this year's own prose — not the
# wording the format requires (the preface, its 统计期限, the headings), not sentences stating the
# year's figures.
SIMILAR_SHARE = 0.5
SIMILAR_RATIO = 90  # rapidfuzz ratio (0–100) at which two sentences are one repeated
MIN_SENTENCE = 8  # characters: shorter is a heading or a stock phrase (无。), not text
_FIGURES = re.compile(r"\d+(?:\.\d+)?")
_SPACES = re.compile(r"\s+")


def _own_sentences(doc: TownshipYear) -> tuple[tuple[str, int, str, str], ...]:
    """(narrative key, offset, sentence, its plain form) of the report's own text, long enough to
    be text, less the wording the format requires of every report (the preface's, its 统计期限).
    Each report is read once, as this year and again as next year's last year."""
    return _sentences_of(doc.spec.key, tuple(doc.narrative.items()))


@lru_cache(maxsize=4096)
def _sentences_of(fmt: str, narrative: tuple[tuple[str, str], ...]) -> tuple[tuple[str, int, str, str], ...]:
    required = _required(fmt)
    out = []
    for key, text in narrative:
        for offset, sentence in split(text) if text else ():
            if len(sentence) >= MIN_SENTENCE and not PERIOD_WORDS.search(sentence) \
                    and not _STATES_FIGURES.search(sentence):
                plain = _plain(sentence)
                if plain not in required:
                    out.append((key, offset, sentence, plain))
    return tuple(out)


# A sentence stating the year's figures (收到申请 3 件) is that year's data in whatever words: the
# text assessments mark down is the prose carried over unchanged, so such sentences are not compared
_STATES_FIGURES = re.compile(r"(?<!\d)(?!(?:19|20)\d\d年)\d+(?:\.\d+)?(?!\d)")


@lru_cache(maxsize=None)
def _required(fmt: str) -> frozenset[str]:
    """The preface's sentences as the format words them, figures aside."""
    from ..formats import FORMATS, PREFACE_TEMPLATE, REGULATION

    preface = PREFACE_TEMPLATE.format(regulation=REGULATION, document=FORMATS[fmt].document, year=2000)
    return frozenset(_plain(s) for _, s in split(preface))


def _plain(sentence: str) -> str:
    """A sentence as compared: its figures and spaces aside (2021年 and 2022年 are one)."""
    return _FIGURES.sub("#", _SPACES.sub("", sentence))


def repeated(doc: TownshipYear, previous: TownshipYear) -> tuple[float, list[tuple[str, int, str]]]:
    """The share of ``doc``'s own text repeated from ``previous``'s (0–1), and the repeated
    sentences; (0, []) when either has no text of its own."""
    now = _own_sentences(doc)
    known = {plain for *_, plain in _own_sentences(previous)}
    if not now or not known:
        return 0.0, []
    same, before = [], None
    for key, offset, sentence, plain in now:
        if plain not in known:  # not word for word: within rapidfuzz's ratio of one?
            if before is None:
                from rapidfuzz import fuzz, process

                before = list(known)
            if process.extractOne(plain, before, scorer=fuzz.ratio, score_cutoff=SIMILAR_RATIO) is None:
                continue
        same.append((key, offset, sentence))
    return sum(len(s) for *_, s in same) / sum(len(s) for *_, s, _ in now), same


def x_similar(ctx: Context) -> Iterator[Violation]:
    """This year's text repeats more than half of last year's report, sentence by sentence."""
    if ctx.previous is None:
        return
    share, same = repeated(ctx.doc, ctx.previous)
    if share <= SIMILAR_SHARE:
        return
    key, offset, _ = same[0]
    listed = "；".join(f"「{s[:40]}{'…' if len(s) > 40 else ''}」" for *_, s in same[:3])
    yield Violation(f"正文与 {ctx.previous.meta.year} 年报告重复 {share:.0%}（{len(same)} 句），"
                    f"考核中重复率大于 50% 扣分；重复的句子如：{listed}",
                    # the report's whole text is the place (its id stays while sentences change);
                    # the line is the first repeated sentence's
                    Location(section="正文各部分", field="narrative", line=ctx.doc.text_line(key, offset)),
                    "与上年度重复率不超过 50%", f"{share:.0%}")
