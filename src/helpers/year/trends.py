"""The years side by side: each township's key figures over the years it has reports for, and the
county's (the townships summed), as a table with the change from the year before and a small
inline SVG chart. The official report stays in the official form; these pages are beside it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..checks.figures import proactive_items
from ..formats import T4_REVIEW, T4_SUIT, newest
from ..model import Number, TownshipYear, format_number, sum_values

PROACTIVE, NEW, HANDLED, CARRY = "主动公开（条）", "新收申请", "办理结果总计", "结转下年度"
GRANTED = next(iter(newest().categories))  # （一）予以公开, by its name
CHARTED = (NEW, GRANTED, T4_REVIEW, T4_SUIT)  # the lines the chart draws


def key_figures(doc: TownshipYear) -> tuple:
    """The index's figures: 主动公开 items (from the text), applications received, handled,
    carried over, 复议, 诉讼."""
    figures = year_figures(doc)
    return tuple(figures[name] for name in (PROACTIVE, NEW, HANDLED, CARRY, T4_REVIEW, T4_SUIT))


def year_figures(doc: TownshipYear) -> dict[str, Number | None]:
    """Every figure a trend shows of one township-year, by name (None: blank or not stated)."""
    t3, t4 = doc.table("table3"), doc.table("table4")
    out: dict[str, Number | None] = {
        PROACTIVE: proactive_items("\n".join(doc.narrative.values())),
        NEW: t3.number("new", "total"),
    }
    for category, rows in doc.spec.categories.items():
        out[category] = sum_values(t3.number(r, "total") for r in rows)
    out[HANDLED] = t3.number("results_total", "total")
    out[CARRY] = t3.number("carry_forward", "total")
    out[T4_REVIEW] = sum_values(t4.number(r, "total") for r in t4.spec.rows_in(None))
    out[T4_SUIT] = sum_values(t4.number(r, "total") for r in t4.spec.rows_in(T4_SUIT))
    return out


@dataclass(frozen=True)
class Trend:
    name: str  # the township, or the county
    years: tuple[int, ...]
    rows: tuple[tuple[str, tuple[Number | None, ...]], ...]  # figure → its value each year

    def changes(self, values: tuple) -> tuple[str, ...]:
        """The change from the year before, as printed (+3, −2, 0; — where a year is blank)."""
        out = ["—"]
        for before, now in zip(values, values[1:]):
            if before is None or now is None:
                out.append("—")
            else:
                diff = now - before
                out.append(f"+{format_number(diff)}" if diff > 0 else
                           f"−{format_number(-diff)}" if diff < 0 else "0")
        return tuple(out)

    def shown(self, values: tuple) -> tuple[str, ...]:
        return tuple("—" if v is None else format_number(v) for v in values)


def trend(name: str, docs: list[TownshipYear]) -> Trend:
    """One unit's figures over the years of ``docs`` (one document a year)."""
    docs = sorted(docs, key=lambda d: d.meta.year)
    figures = [year_figures(d) for d in docs]
    names = list(dict.fromkeys(k for f in figures for k in f))
    return Trend(name, tuple(d.meta.year for d in docs),
                 tuple((k, tuple(f.get(k) for f in figures)) for k in names))


def county_trend(name: str, docs: list[TownshipYear]) -> Trend:
    """The county's figures each year: its townships' figures summed (blank if any is blank)."""
    by_year: dict[int, list[dict]] = defaultdict(list)
    for doc in docs:
        by_year[doc.meta.year].append(year_figures(doc))
    years = sorted(by_year)
    names = list(dict.fromkeys(k for y in years for f in by_year[y] for k in f))
    rows = tuple((k, tuple(sum_values(f.get(k) for f in by_year[y]) for y in years)) for k in names)
    return Trend(name, tuple(years), rows)


WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 220, 40, 30, 14


def chart(t: Trend) -> str | None:
    """A small line chart of the charted figures over the years: inline SVG, text as text."""
    series = [(k, v) for k, v in t.rows if k in CHARTED and any(x is not None for x in v)]
    if len(t.years) < 2 or not series:
        return None
    top = max([x for _, v in series for x in v if x is not None] + [1])
    step = (WIDTH - LEFT - 120) / (len(t.years) - 1)
    plot = HEIGHT - BOTTOM - TOP

    def point(i: int, value) -> tuple[float, float]:
        return LEFT + i * step, TOP + plot - plot * float(value) / float(top)

    caption = f"{t.name}各年度主要数据（件）"
    parts = [f'<svg class="chart trend" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
             f'aria-label="{escape(caption)}" style="max-width:{WIDTH}px">', f"<title>{escape(caption)}</title>",
             f'<line x1="{LEFT}" y1="{TOP + plot}" x2="{WIDTH - 110}" y2="{TOP + plot}" class="axis"/>']
    for i, year in enumerate(t.years):
        x, _ = point(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="12">{year}</text>')
    for n, (name, values) in enumerate(series):
        points = [point(i, v) for i, v in enumerate(values) if v is not None]
        for run in _runs(values):  # a blank year breaks the line: nothing is drawn through it
            parts.append(f'<polyline class="line s{n}" fill="none" points="'
                         + " ".join("{:.1f},{:.1f}".format(*point(i, values[i])) for i in run) + '"/>')
        parts += [f'<circle class="s{n}" cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in points]
        legend_y = TOP + 8 + n * 20  # a legend at the right: names never overlap
        parts.append(f'<line x1="{WIDTH - 100}" y1="{legend_y - 4}" x2="{WIDTH - 84}" y2="{legend_y - 4}" '
                     f'class="line s{n}"/><text x="{WIDTH - 80}" y="{legend_y}" font-size="12">'
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
