"""A small horizontal bar chart as inline SVG: how the year's applications were handled.

Hand-written SVG rather than matplotlib: the chart is seven bars, and importing matplotlib in the
kernel would cost every report about half a second. The text stays text, so the reader's browser
draws the Chinese labels with its own fonts (no CJK font needed where the report is built). It is
inline HTML5 SVG, so it needs no xmlns: the page carries no URL at all.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ..model import TownshipYear

WIDTH, BAR, GAP, LABEL_WIDTH, TOP = 560, 22, 10, 150, 8
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
CARRY_LABEL = "结转下年度"
CAPTION = "{year}年政府信息公开申请办理结果（件）"


def handling_counts(doc: TownshipYear) -> list[tuple[str, int]] | None:
    """(category, 总计) for every result category and the carry-over; None if any is unknown."""
    t3 = doc.table("table3")
    counts = []
    for category, rows in doc.spec.categories.items():
        values = [t3.number(r, "total") for r in rows]
        if None in values:
            return None
        counts.append((category, int(sum(values))))
    carry = t3.number("carry_forward", "total")
    if carry is None:
        return None
    return counts + [(CARRY_LABEL, int(carry))]


def handling_chart(doc: TownshipYear) -> str | None:
    """The SVG, or None when there is nothing to draw (no applications, or blank cells)."""
    counts = handling_counts(doc)
    if not counts or not any(n for _, n in counts):
        return None
    top = max(n for _, n in counts)
    plot = WIDTH - LABEL_WIDTH - 60
    height = TOP * 2 + len(counts) * (BAR + GAP)
    caption = CAPTION.format(year=doc.meta.year)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" role="img" aria-label="{escape(caption)}" '
             f'style="max-width:{WIDTH}px;font-family:{FONT}">',
             f"<title>{escape(caption)}</title>"]
    for i, (label, n) in enumerate(counts):
        y = TOP + i * (BAR + GAP)
        width = round(plot * n / top, 1)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR * 0.7:.1f}" text-anchor="end" '
            f'font-size="14">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" rx="2" class="bar"/>',
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR * 0.7:.1f}" font-size="14">{n}</text>',
        ]
    return "".join(parts) + "</svg>"
