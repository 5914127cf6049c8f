"""The years side by side: each township's key figures over the years it has reports for, and the
county's, as a table with the change from the year before and a small inline SVG chart. The
official report stays in the official form; these pages are beside it.

They compare like with like. The county's figure of a year is the sum over the townships that
reported it, and says how many of the expected ones those are; its change from the year before is
computed over the townships that gave the figure in both years (or not shown, with why). Rates
(予以公开率, 复议纠错率) stand beside the counts, left out where their base is too small to mean
anything. A township's year whose report failed its checks is marked, and a figure read from text
still carried over from last year (``new-year``'s copy, M-CARRIED) is not that year's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from ..checks.figures import proactive_items, split
from ..checks.years import repeated
from ..formats import T4_REVIEW, T4_SUIT, newest
from ..model import Number, TownshipYear, format_number, sum_values

PROACTIVE, NEW, HANDLED, CARRY = "主动公开（条）", "新收申请", "办理结果总计", "结转下年度"
GRANTED = next(iter(newest().categories))  # （一）予以公开, by its name
GRANT_RATE, CORRECTION_RATE = f"{GRANTED}率", "复议纠错率"
REPEATED = "正文与上年重复"
RATES = {  # rate → (numerator, denominator) figures
    GRANT_RATE: (GRANTED, HANDLED),
    CORRECTION_RATE: ("复议纠错", "复议审结"),
}
MIN_BASE = 10  # a rate of fewer cases than this says nothing: left out ("—", 样本过小)
CHARTED = (NEW, GRANTED, T4_REVIEW, T4_SUIT)  # the lines the chart draws
HIDDEN = ("复议纠错", "复议审结")  # parts of a rate, not rows of their own


KEY_COUNTS = (PROACTIVE, NEW, HANDLED, CARRY, T4_REVIEW, T4_SUIT)
KEY_FIGURES = KEY_COUNTS + tuple(RATES)  # what the index, the CSV and the workbook show a unit by


def key_figures(doc: TownshipYear) -> tuple:
    """The index's figures: 主动公开 items (from the text), applications received, handled,
    carried over, 复议, 诉讼, and the two rates."""
    figures = year_figures(doc)
    return tuple(figures[name] for name in KEY_COUNTS) + tuple(rate_text(figures, rate) for rate in RATES)


def _own_text(doc: TownshipYear) -> str:
    """The report's text without the sentences still carried over from last year's (they state
    last year's figures: M-CARRIED)."""
    text = "\n".join(doc.narrative.values())
    if not doc.meta.carried_from:
        return text
    old = f"{doc.meta.carried_from}年"
    return "".join(sentence for _, sentence in split(text) if old not in sentence)


def year_figures(doc: TownshipYear) -> dict[str, Number | None]:
    """Every figure a trend shows of one township-year, by name (None: blank or not stated)."""
    t3, t4 = doc.table("table3"), doc.table("table4")
    out: dict[str, Number | None] = {
        PROACTIVE: proactive_items(_own_text(doc)),
        NEW: t3.number("new", "total"),
    }
    for category, rows in doc.spec.categories.items():
        out[category] = sum_values(t3.number(r, "total") for r in rows)
    out[HANDLED] = t3.number("results_total", "total")
    out[CARRY] = t3.number("carry_forward", "total")
    review = t4.spec.rows_in(None)
    out[T4_REVIEW] = sum_values(t4.number(r, "total") for r in review)
    out[T4_SUIT] = sum_values(t4.number(r, "total") for r in t4.spec.rows_in(T4_SUIT))
    pending = sum_values(t4.number(r, "pending") for r in review)
    out["复议纠错"] = sum_values(t4.number(r, "corrected") for r in review)
    out["复议审结"] = out[T4_REVIEW] - pending if out[T4_REVIEW] is not None and pending is not None else None
    return out


def rate(figures: dict, name: str) -> Decimal | None:
    """A rate in per cent (one decimal), or None when a part is blank or the base under MIN_BASE."""
    top, base = (figures.get(k) for k in RATES[name])
    if top is None or base is None or base < MIN_BASE:
        return None
    return (Decimal(top) * 100 / Decimal(base)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def rate_text(figures: dict, name: str) -> str:
    """A rate as the index prints it: 83.3%, or — where it says nothing."""
    value = rate(figures, name)
    return "—" if value is None else f"{value}%"


@dataclass(frozen=True)
class Row:
    name: str
    values: tuple[str, ...]  # as printed each year: the figure, or —
    notes: tuple[str, ...]  # beside each value: （1 个乡镇未填）, （沿用上年文字）…
    changes: tuple[str, ...]  # from the year before: +3（同口径 2 个乡镇）, or — with why


@dataclass(frozen=True)
class Trend:
    name: str  # the township, or the county
    years: tuple[int, ...]
    year_notes: tuple[str, ...]  # under each year: 校验未通过, 覆盖 2/12 个乡镇
    rows: tuple[Row, ...]
    series: dict[str, tuple[Number | None, ...]] = field(default_factory=dict)  # what the chart draws
    failed: tuple[bool, ...] = ()  # each year: its report failed its checks (township pages)

    def row(self, name: str) -> Row:
        return next(r for r in self.rows if r.name == name)


def _signed(diff: Number) -> str:
    """A change as every page prints a number: +3, -2, 0."""
    return f"+{format_number(diff)}" if diff > 0 else format_number(diff)


def _shown(value) -> str:
    return "—" if value is None else format_number(value)


def trend(name: str, docs: list[TownshipYear], failed: dict[int, bool] | None = None) -> Trend:
    """One unit's figures over the years of ``docs`` (one document a year); ``failed``: the years
    whose report failed its checks, marked."""
    docs = sorted(docs, key=lambda d: d.meta.year)
    figures = [year_figures(d) for d in docs]
    failed = failed or {}
    rows = []
    for key in [k for k in figures[0] if k not in HIDDEN]:
        values = tuple(f.get(key) for f in figures)
        notes = tuple("（沿用上年文字，未计）" if key == PROACTIVE and v is None and d.meta.carried_from else ""
                      for v, d in zip(values, docs))
        changes = ("",) + tuple("—" if a is None or b is None else _signed(b - a)
                                for a, b in zip(values, values[1:]))
        rows.append(Row(key, tuple(map(_shown, values)), notes, changes))
    for name_ in RATES:
        rows.append(Row(name_, tuple(rate_text(f, name_) for f in figures), ("",) * len(docs),
                        ("",) * len(docs)))
    # the share of the year's prose repeated from the year before's (X-SIMILAR warns above 50 %)
    shares = ("—",) + tuple(f"{repeated(now, before)[0]:.0%}" if now.meta.year == before.meta.year + 1 else "—"
                            for before, now in zip(docs, docs[1:]))
    rows.append(Row(REPEATED, shares, ("",) * len(docs), ("",) * len(docs)))
    years = tuple(d.meta.year for d in docs)
    marks = tuple(bool(failed.get(y)) for y in years)
    return Trend(name, years, tuple("校验未通过" if m else "" for m in marks), tuple(rows),
                 {k: tuple(f.get(k) for f in figures) for k in CHARTED}, marks)


def county_trend(name: str, docs: list[TownshipYear], expected: dict[int, tuple[str, ...]] | None = None) -> Trend:
    """The county's figures each year: the sum over the townships that gave each figure, how many
    of the expected townships reported, and each change over the townships that gave the figure
    in both years."""
    by_year: dict[int, dict[str, dict]] = {}
    for doc in docs:
        by_year.setdefault(doc.meta.year, {})[doc.meta.township] = year_figures(doc)
    years = tuple(sorted(by_year))
    expected = expected or {}
    year_notes = tuple(f"{len(by_year[y])}/{len(expected[y])} 个乡镇" if expected.get(y)
                       else f"{len(by_year[y])} 个乡镇" for y in years)
    keys = [k for k in next(iter(next(iter(by_year.values())).values())) if k not in HIDDEN] if years else []
    rows = []
    totals = {y: {} for y in years}
    for key in keys + list(dict.fromkeys(k for pair in RATES.values() for k in pair if k in HIDDEN)):
        values, notes = [], []
        for y in years:
            given = [f[key] for f in by_year[y].values() if f.get(key) is not None]
            totals[y][key] = sum_values(given) if given else None
            blank = len(by_year[y]) - len(given)
            values.append(totals[y][key])
            notes.append(f"（{blank} 个乡镇未填）" if blank and given else "")
        if key in HIDDEN:
            continue
        changes = [""]
        for before, now in zip(years, years[1:]):
            common = [t for t in by_year[now] if t in by_year[before]
                      and by_year[now][t].get(key) is not None and by_year[before][t].get(key) is not None]
            if not common:
                changes.append("—（两年没有都填报的乡镇，不比较）")
                continue
            diff = sum(by_year[now][t][key] for t in common) - sum(by_year[before][t][key] for t in common)
            all_of_both = len(common) == len(by_year[now]) == len(by_year[before])
            changes.append(_signed(diff) + ("" if all_of_both else f"（同口径 {len(common)} 个乡镇）"))
        rows.append(Row(key, tuple(map(_shown, values)), tuple(notes), tuple(changes)))
    for name_ in RATES:
        rows.append(Row(name_, tuple(rate_text(totals[y], name_) for y in years), ("",) * len(years),
                        ("",) * len(years)))
    return Trend(name, years, year_notes, tuple(rows),
                 {k: tuple(totals[y].get(k) for y in years) for k in CHARTED})


WIDTH, HEIGHT, LEFT, BOTTOM, TOP, LEGEND = 600, 240, 48, 30, 16, 130


def _ticks(top: float) -> list[int]:
    """Round values from 0 to at least ``top`` for the y axis, at most five steps (1, 2, 5, 10…)."""
    step = 1
    while top / step > 5:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return list(range(0, int(top) + step, step)) if top % step else list(range(0, int(top) + 1, step))


def chart(t: Trend) -> str | None:
    """A small line chart of the charted figures over the years: inline SVG with its axes (years
    below, counts at the left with round ticks) and each point's value beside it; text as text."""
    series = [(k, v) for k, v in t.series.items() if any(x is not None for x in v)]
    if len(t.years) < 2 or not series:
        return None
    ticks = _ticks(max([float(x) for _, v in series for x in v if x is not None] + [1]))
    top = ticks[-1] or 1
    step = (WIDTH - LEFT - LEGEND - 20) / (len(t.years) - 1)
    plot = HEIGHT - BOTTOM - TOP

    def point(i: int, value) -> tuple[float, float]:
        return LEFT + 10 + i * step, TOP + plot - plot * float(value) / top

    caption = f"{t.name}各年度主要数据（件）"
    right = WIDTH - LEGEND
    parts = [f'<svg class="chart trend" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
             f'aria-label="{escape(caption)}" style="max-width:{WIDTH}px">', f"<title>{escape(caption)}</title>",
             f'<line x1="{LEFT}" y1="{TOP + plot}" x2="{right}" y2="{TOP + plot}" class="axis"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot}" class="axis"/>',
             f'<text x="{LEFT - 6}" y="{TOP - 4}" text-anchor="end" font-size="11">件</text>']
    for tick in ticks:
        _, y = point(0, tick)
        parts.append(f'<line x1="{LEFT - 4}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    for i, year in enumerate(t.years):
        x, _ = point(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="12">{year}</text>')
    for n, (name, values) in enumerate(series):
        for run in _runs(values):  # a blank year breaks the line: nothing is drawn through it
            parts.append(f'<polyline class="line s{n}" fill="none" points="'
                         + " ".join("{:.1f},{:.1f}".format(*point(i, values[i])) for i in run) + '"/>')
        for i, value in enumerate(values):
            if value is not None:
                x, y = point(i, value)
                parts.append(f'<circle class="s{n}" cx="{x:.1f}" cy="{y:.1f}" r="3"/>'
                             f'<text class="value s{n}" x="{x + 5:.1f}" y="{y - 5:.1f}" font-size="10">'
                             f"{format_number(value)}</text>")
        legend_y = TOP + 8 + n * 20  # a legend at the right: names never overlap
        parts.append(f'<line x1="{right + 10}" y1="{legend_y - 4}" x2="{right + 26}" y2="{legend_y - 4}" '
                     f'class="line s{n}"/><text x="{right + 30}" y="{legend_y}" font-size="12">'
                     f"{escape(name)}</text>")
    return "".join(parts) + "</svg>"


def _runs(values: tuple) -> list[list[int]]:
    """Indexes of consecutive known values, two or more."""
    runs, run = [], []
    for i, value in enumerate(values):
        if value is None:
            runs.append(run)
            run = []
        else:
            run.append(i)
    return [r for r in runs + [run] if len(r) >= 2]
